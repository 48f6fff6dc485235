//! The strings every match of a regex must contain, read from its syntax
//! tree (see `Shape::required` in the parent module). Also compiled into
//! the build script, which reads the built-in patterns ahead of time.

use regex_syntax::ast::{self, Ast};

/// What a regex node requires of a text it matches.
#[derive(Debug, Clone)]
enum Need {
    /// Exactly one of these strings (lower case), nothing else.
    Exact(Vec<Vec<u8>>),
    /// Somewhere, one string of each of these sets (lower case).
    AllOf(Vec<Vec<Vec<u8>>>),
    /// Nothing known.
    Unknown,
}

/// Most strings kept in one set; more and the set is dropped.
const MAX_SET: usize = 64;
/// Shortest useful required string: one character is worth a look too
/// (`$`, `@` or `|` rules out most lines, and finding a byte is cheap; the
/// sets are checked longest first, so a common one costs little).
const MIN_LEN: usize = 1;

fn shortest(set: &[Vec<u8>]) -> usize {
    set.iter().map(Vec::len).min().unwrap_or(0)
}

/// Whether a set says something worth checking.
fn useful(set: &[Vec<u8>]) -> bool {
    !set.is_empty() && set.len() <= MAX_SET && shortest(set) >= MIN_LEN
}

/// Sets of strings such that every match of `ast` in an ASCII text
/// contains one string of each, ignoring ASCII case (see `textmatch::Shape::required`).
pub fn required_literals(ast: &Ast) -> Vec<Vec<Vec<u8>>> {
    let mut sets: Vec<Vec<Vec<u8>>> = match need(ast) {
        Need::Exact(set) => vec![set],
        Need::AllOf(sets) => sets,
        Need::Unknown => Vec::new(),
    }
    .into_iter()
    .filter(|s| useful(s))
    .collect();
    // The most selective first (longer strings are rarer, fewer are
    // quicker to look for): a text is usually turned away by the first.
    sets.sort_by_key(|s| (std::cmp::Reverse(shortest(s)), s.len()));
    sets.dedup();
    sets.truncate(MAX_SETS);
    sets
}

/// Most sets checked per pattern.
const MAX_SETS: usize = 3;

/// The one ASCII letter (lower case) or other ASCII character a bracketed
/// class stands for in an ASCII text (`[x]`, `[sS]`), if it is one.
fn one_ascii(class: &ast::ClassBracketed) -> Option<u8> {
    use ast::{ClassSet, ClassSetItem};
    if class.negated {
        return None;
    }
    let lits: Vec<char> = match &class.kind {
        ClassSet::Item(ClassSetItem::Literal(l)) => vec![l.c],
        ClassSet::Item(ClassSetItem::Union(u)) => u
            .items
            .iter()
            .map(|i| match i {
                ClassSetItem::Literal(l) => Some(l.c),
                _ => None,
            })
            .collect::<Option<_>>()?,
        _ => return None,
    };
    let first = lits.first()?.to_ascii_lowercase();
    (first.is_ascii() && lits.iter().all(|c| c.to_ascii_lowercase() == first))
        .then_some(first as u8)
}

fn need(node: &Ast) -> Need {
    use ast::{RepetitionKind, RepetitionRange};
    match node {
        Ast::Empty(_) | Ast::Flags(_) | Ast::Assertion(_) => Need::Exact(vec![Vec::new()]),
        // A character outside ASCII may match an ASCII one under case
        // folding (the Kelvin sign and `k`): nothing known.
        Ast::Literal(l) if l.c.is_ascii() => {
            Need::Exact(vec![vec![l.c.to_ascii_lowercase() as u8]])
        }
        Ast::Literal(_) | Ast::Dot(_) | Ast::ClassUnicode(_) | Ast::ClassPerl(_) => Need::Unknown,
        Ast::ClassBracketed(c) => match one_ascii(c) {
            Some(b) => Need::Exact(vec![vec![b]]),
            None => Need::Unknown,
        },
        Ast::Group(g) => need(&g.ast),
        Ast::Repetition(r) => {
            let (min, max) = match &r.op.kind {
                RepetitionKind::ZeroOrOne => (0, Some(1)),
                RepetitionKind::ZeroOrMore => (0, None),
                RepetitionKind::OneOrMore => (1, None),
                RepetitionKind::Range(RepetitionRange::Exactly(n)) => (*n, Some(*n)),
                RepetitionKind::Range(RepetitionRange::AtLeast(n)) => (*n, None),
                RepetitionKind::Range(RepetitionRange::Bounded(m, n)) => (*m, Some(*n)),
            };
            if min == 0 {
                return Need::Unknown;
            }
            match need(&r.ast) {
                n @ Need::Exact(_) if max == Some(1) => n,
                Need::Exact(set) if shortest(&set) == 0 => Need::Unknown,
                Need::Exact(set) => Need::AllOf(vec![set]),
                other => other,
            }
        }
        Ast::Concat(c) => {
            // Every part's requirements hold, plus the strings that runs of
            // exactly known parts spell.
            let mut all: Vec<Vec<Vec<u8>>> = Vec::new();
            // The strings the parts read so far match exactly (one of).
            let mut run: Vec<Vec<u8>> = vec![Vec::new()];
            let mut all_exact = true;
            let keep = |cand: Vec<Vec<u8>>, all: &mut Vec<Vec<Vec<u8>>>| {
                if !cand.is_empty() && cand.len() <= MAX_SET && shortest(&cand) > 0 {
                    all.push(cand);
                }
            };
            for p in &c.asts {
                // A plain character extends every string of the run (the
                // common case, done in place).
                if let Ast::Literal(l) = p {
                    if l.c.is_ascii() {
                        let b = l.c.to_ascii_lowercase() as u8;
                        run.iter_mut().for_each(|r| r.push(b));
                        continue;
                    }
                }
                match need(p) {
                    Need::Exact(set) if run.len() * set.len() <= MAX_SET => {
                        run = run
                            .iter()
                            .flat_map(|r| set.iter().map(move |s| [r.as_slice(), s].concat()))
                            .collect();
                    }
                    Need::Exact(set) => {
                        all_exact = false;
                        keep(std::mem::replace(&mut run, vec![Vec::new()]), &mut all);
                        keep(set, &mut all);
                    }
                    Need::AllOf(sets) => {
                        all_exact = false;
                        keep(std::mem::replace(&mut run, vec![Vec::new()]), &mut all);
                        all.extend(sets);
                    }
                    Need::Unknown => {
                        all_exact = false;
                        keep(std::mem::replace(&mut run, vec![Vec::new()]), &mut all);
                    }
                }
            }
            if all_exact {
                return Need::Exact(run);
            }
            keep(run, &mut all);
            if all.is_empty() {
                Need::Unknown
            } else {
                Need::AllOf(all)
            }
        }
        Ast::Alternation(a) => {
            let mut set: Vec<Vec<u8>> = Vec::new();
            let mut exact = true;
            for a in &a.asts {
                match need(a) {
                    Need::Exact(s) if shortest(&s) > 0 => set.extend(s),
                    Need::AllOf(sets) => {
                        exact = false;
                        // The branch's best set (its longest shortest string).
                        match sets
                            .into_iter()
                            .filter(|s| s.len() <= MAX_SET)
                            .max_by_key(|s| shortest(s))
                        {
                            Some(s) if shortest(&s) > 0 => set.extend(s),
                            _ => return Need::Unknown,
                        }
                    }
                    _ => return Need::Unknown,
                }
                if set.len() > MAX_SET {
                    return Need::Unknown;
                }
            }
            set.sort();
            set.dedup();
            if exact {
                Need::Exact(set)
            } else {
                Need::AllOf(vec![set])
            }
        }
    }
}
