//! Regexes over code and commit text, compiled for a fast cold start.
//!
//! Rule packs and the AI-marker table hold a few hundred patterns, all
//! compiled when the engine first runs. With Unicode classes, every `\w`,
//! `\d`, `\s` and `\b` becomes a large UTF-8 automaton, and compiling them
//! dominated the extension's cold start (measured: about 300 ms of the
//! first analysis in wasm). Code and trailers are ASCII where these
//! patterns look, so each pattern is first built with Unicode classes off
//! (ASCII `\w`, `\d`, `\s`, `\b` and case folding; non-ASCII literals still
//! match); a pattern that needs Unicode mode to be valid on text (`.`, or
//! a negated class, which could otherwise match part of a character) is
//! built with it, as written.
//!
//! Most patterns never meet a line they could match (their rule is for
//! another language, or no file of the diff reaches them), so
//! [`LazyRegex`] checks a pattern's syntax when it is loaded, which is
//! cheap and is when a user needs to hear about a mistake, and compiles it
//! on first use.

use regex::{Regex, RegexBuilder};
use std::sync::OnceLock;

/// Compile `pattern` (ASCII classes when the pattern allows it, see the
/// module docs), optionally case-insensitive, with a 1 MiB size limit.
pub fn code_regex(pattern: &str, case_insensitive: bool) -> Result<Regex, regex::Error> {
    build(pattern, false, case_insensitive).or_else(|_| build(pattern, true, case_insensitive))
}

fn build(pattern: &str, unicode: bool, case_insensitive: bool) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern)
        .unicode(unicode)
        .case_insensitive(case_insensitive)
        .size_limit(1 << 20)
        .build()
}

/// A built-in rule's own pattern, case-sensitive, compiled only once a text
/// could match it (see [`LazyRegex`]); debug builds check its syntax when it
/// is created, so the rules' tests check every such pattern.
pub fn lazy(pattern: &str) -> LazyRegex {
    let r = LazyRegex::deferred(pattern, false);
    // Checked in every test run (debug builds) that uses the pattern.
    debug_assert!(r.check().is_ok(), "bad built-in pattern {pattern:?}");
    r
}

/// A pattern compiled (as [`code_regex`] would) the first time a text
/// could match it. Its syntax is checked when it is created ([`LazyRegex::new`],
/// for patterns users write) or on first use ([`LazyRegex::deferred`], for the
/// built-in patterns, which tests check), so that loading many patterns
/// costs next to nothing until they are needed.
#[derive(Debug)]
pub struct LazyRegex {
    pattern: String,
    case_insensitive: bool,
    /// What the syntax check found; `None` when the pattern does not parse
    /// (only possible for a deferred one): it then matches nothing.
    shape: OnceLock<Option<Shape>>,
    compiled: OnceLock<Option<Regex>>,
}

/// What the syntax check of a pattern found.
#[derive(Debug)]
struct Shape {
    /// Unicode mode, as [`code_regex`] would choose it.
    unicode: bool,
    /// Lower-case strings one of which every match contains (ASCII case
    /// aside): a text with none of them cannot match, and is answered
    /// without compiling. `None` when the pattern has no such set.
    required: Option<Vec<Vec<u8>>>,
}

fn shape_of(pattern: &str, case_insensitive: bool) -> Result<Shape, regex::Error> {
    let parse = |unicode: bool| {
        regex_syntax::ParserBuilder::new()
            .unicode(unicode)
            .case_insensitive(case_insensitive)
            .build()
            .parse(pattern)
            .map_err(|e| regex::Error::Syntax(e.to_string()))
    };
    // The mode `code_regex` would choose: ASCII classes when valid.
    let (unicode, hir) = match parse(false) {
        Ok(hir) => (false, hir),
        Err(_) => (true, parse(true)?),
    };
    Ok(Shape {
        unicode,
        required: required_literals(&hir),
    })
}

impl LazyRegex {
    /// Check `pattern`'s syntax now (the error reads as the regex crate's
    /// would); compile it on first use.
    pub fn new(pattern: &str, case_insensitive: bool) -> Result<LazyRegex, regex::Error> {
        let shape = shape_of(pattern, case_insensitive)?;
        let r = LazyRegex::deferred(pattern, case_insensitive);
        let _ = r.shape.set(Some(shape));
        Ok(r)
    }

    /// Check `pattern`'s syntax only when it is first used (a pattern that
    /// does not parse then matches nothing): for built-in patterns, which a
    /// test checks with [`LazyRegex::check`].
    pub fn deferred(pattern: &str, case_insensitive: bool) -> LazyRegex {
        LazyRegex {
            pattern: pattern.to_string(),
            case_insensitive,
            shape: OnceLock::new(),
            compiled: OnceLock::new(),
        }
    }

    /// The syntax check, now (for a deferred pattern, the error it would
    /// have had from [`LazyRegex::new`]).
    pub fn check(&self) -> Result<(), regex::Error> {
        shape_of(&self.pattern, self.case_insensitive).map(|_| ())
    }

    fn shape(&self) -> Option<&Shape> {
        self.shape
            .get_or_init(|| shape_of(&self.pattern, self.case_insensitive).ok())
            .as_ref()
    }

    /// Whether `text` could match at all (see [`Shape::required`]).
    fn may_match(&self, text: &str) -> bool {
        match self.shape() {
            None => false,
            Some(Shape { required: None, .. }) => true,
            Some(Shape {
                required: Some(set),
                ..
            }) => set
                .iter()
                .any(|lit| contains_ignore_ascii_case(text.as_bytes(), lit)),
        }
    }

    /// The compiled regex; `None` for a pattern that does not parse or
    /// cannot be compiled (over the size limit): it matches nothing.
    pub fn regex(&self) -> Option<&Regex> {
        self.compiled
            .get_or_init(|| {
                let unicode = self.shape()?.unicode;
                build(&self.pattern, unicode, self.case_insensitive).ok()
            })
            .as_ref()
    }

    /// The compiled regex when `text` could match (see [`LazyRegex::regex`]).
    fn regex_for(&self, text: &str) -> Option<&Regex> {
        if self.may_match(text) {
            self.regex()
        } else {
            None
        }
    }

    /// Whether it matches somewhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        self.regex_for(text).is_some_and(|r| r.is_match(text))
    }

    /// Its leftmost match in `text`.
    pub fn find<'h>(&self, text: &'h str) -> Option<regex::Match<'h>> {
        self.regex_for(text).and_then(|r| r.find(text))
    }

    /// The capture groups of its leftmost match in `text`.
    pub fn captures<'h>(&self, text: &'h str) -> Option<regex::Captures<'h>> {
        self.regex_for(text).and_then(|r| r.captures(text))
    }

    /// The capture groups of every match in `text`, left to right.
    pub fn captures_iter<'r, 'h>(
        &'r self,
        text: &'h str,
    ) -> impl Iterator<Item = regex::Captures<'h>> + use<'r, 'h> {
        self.regex_for(text)
            .into_iter()
            .flat_map(move |r| r.captures_iter(text))
    }

    /// `text` with every match replaced by `rep` (taken literally).
    pub fn replace_all<'h>(&self, text: &'h str, rep: &str) -> std::borrow::Cow<'h, str> {
        match self.regex_for(text) {
            Some(r) => r.replace_all(text, regex::NoExpand(rep)),
            None => std::borrow::Cow::Borrowed(text),
        }
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.pattern
    }
}

/// `needle` (lower case) occurs in `hay`, ignoring ASCII case.
fn contains_ignore_ascii_case(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    if hay.len() < needle.len() {
        return false;
    }
    let last_start = hay.len() - needle.len();
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), &hay[..=last_start])
        .any(|i| hay[i + 1..i + needle.len()].eq_ignore_ascii_case(rest))
}

/// What a regex node requires of a text it matches.
#[derive(Debug, Clone)]
enum Need {
    /// Exactly one of these strings (lower case), nothing else.
    Exact(Vec<Vec<u8>>),
    /// At least one of these strings (lower case) somewhere.
    OneOf(Vec<Vec<u8>>),
    /// Nothing known.
    Unknown,
}

/// Most strings kept in one set; more and the set is dropped.
const MAX_SET: usize = 64;
/// Shortest useful required string.
const MIN_LEN: usize = 3;

fn shortest(set: &[Vec<u8>]) -> usize {
    set.iter().map(Vec::len).min().unwrap_or(0)
}

/// A set of strings one of which every match of `hir` contains, ignoring
/// ASCII case; `None` if there is no useful one.
fn required_literals(hir: &regex_syntax::hir::Hir) -> Option<Vec<Vec<u8>>> {
    let set = match need(hir) {
        Need::Exact(set) | Need::OneOf(set) => set,
        Need::Unknown => return None,
    };
    (shortest(&set) >= MIN_LEN && set.len() <= MAX_SET).then_some(set)
}

fn need(hir: &regex_syntax::hir::Hir) -> Need {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Need::Exact(vec![Vec::new()]),
        HirKind::Literal(l) => Need::Exact(vec![l.0.to_ascii_lowercase()]),
        HirKind::Class(c) => {
            // One character, or one ASCII letter in both cases.
            let chars: Vec<u32> = match c {
                Class::Unicode(u) => {
                    let mut v = Vec::new();
                    for r in u.ranges() {
                        if v.len() > 2 || (r.end() as u32) - (r.start() as u32) > 2 {
                            return Need::Unknown;
                        }
                        v.extend(r.start() as u32..=r.end() as u32);
                    }
                    v
                }
                Class::Bytes(b) => {
                    let mut v = Vec::new();
                    for r in b.ranges() {
                        if v.len() > 2 || r.end() - r.start() > 2 {
                            return Need::Unknown;
                        }
                        v.extend(r.start() as u32..=r.end() as u32);
                    }
                    v
                }
            };
            let lower: Vec<u32> = chars
                .iter()
                .map(|&c| {
                    if c < 128 {
                        (c as u8).to_ascii_lowercase() as u32
                    } else {
                        c
                    }
                })
                .collect();
            match lower.first() {
                Some(&c) if c < 128 && lower.iter().all(|&x| x == c) => {
                    Need::Exact(vec![vec![c as u8]])
                }
                _ => Need::Unknown,
            }
        }
        HirKind::Capture(c) => need(&c.sub),
        HirKind::Repetition(r) => {
            if r.min == 0 {
                return Need::Unknown;
            }
            match need(&r.sub) {
                n @ Need::Exact(_) if r.max == Some(1) => n,
                Need::Exact(set) if shortest(&set) == 0 => Need::Unknown,
                Need::Exact(set) => Need::OneOf(set),
                other => other,
            }
        }
        HirKind::Concat(parts) => {
            let mut best: Option<Vec<Vec<u8>>> = None;
            // The strings the parts read so far match exactly (one of).
            let mut run: Vec<Vec<u8>> = vec![Vec::new()];
            let mut all_exact = true;
            let consider = |cand: Vec<Vec<u8>>, best: &mut Option<Vec<Vec<u8>>>| {
                if cand.is_empty() || cand.len() > MAX_SET {
                    return;
                }
                if best.as_ref().is_none_or(|b| shortest(&cand) > shortest(b)) {
                    *best = Some(cand);
                }
            };
            for p in parts {
                match need(p) {
                    Need::Exact(set) if run.len() * set.len() <= MAX_SET => {
                        run = run
                            .iter()
                            .flat_map(|r| set.iter().map(move |s| [r.as_slice(), s].concat()))
                            .collect();
                    }
                    Need::Exact(set) | Need::OneOf(set) => {
                        all_exact = false;
                        consider(std::mem::replace(&mut run, vec![Vec::new()]), &mut best);
                        consider(set, &mut best);
                    }
                    Need::Unknown => {
                        all_exact = false;
                        consider(std::mem::replace(&mut run, vec![Vec::new()]), &mut best);
                    }
                }
            }
            if all_exact {
                return Need::Exact(run);
            }
            consider(run, &mut best);
            match best {
                Some(b) if shortest(&b) > 0 => Need::OneOf(b),
                _ => Need::Unknown,
            }
        }
        HirKind::Alternation(alts) => {
            let mut set: Vec<Vec<u8>> = Vec::new();
            let mut exact = true;
            for a in alts {
                match need(a) {
                    Need::Exact(s) if shortest(&s) > 0 => set.extend(s),
                    Need::OneOf(s) => {
                        exact = false;
                        set.extend(s);
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
                Need::OneOf(set)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{code_regex, LazyRegex};

    fn required(p: &str, ci: bool) -> Option<Vec<String>> {
        let r = LazyRegex::new(p, ci).unwrap();
        let shape = r.shape.into_inner().flatten().unwrap();
        shape.required.map(|v| {
            v.into_iter()
                .map(|s| String::from_utf8(s).unwrap())
                .collect()
        })
    }

    #[test]
    fn required_literals_are_found_where_every_match_has_them() {
        let v = |x: &[&str]| Some(x.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(required(r"(?i)\bdrop\s+table\b", false), v(&["table"]));
        assert_eq!(
            required(r"\.(unwrap|expect)\s*\(", false),
            v(&[".expect", ".unwrap"])
        );
        assert_eq!(required("Co-Authored-By", true), v(&["co-authored-by"]));
        assert_eq!(required(r"rm\s+-rf", false), v(&["-rf"]));
        assert_eq!(required(r"\w+", false), None);
        assert_eq!(required(r"(foo)?bar", false), v(&["bar"]));
        assert_eq!(required(r"ab|\w", false), None);
        // Too short to be worth it.
        assert_eq!(required(r"x\d", false), None);
        // A literal followed by one of several: each whole string.
        assert_eq!(
            required(r"(^|[^\w.])x(it|describe|test)\s*\(", false),
            v(&["xdescribe", "xit", "xtest"])
        );
        assert_eq!(
            required(r"(ab|cd)(ef|gh)", false),
            v(&["abef", "abgh", "cdef", "cdgh"])
        );
        // Repeated alternatives are only contained, not joined to what follows.
        assert_eq!(required(r"(ab|cd)+efg", false), v(&["efg"]));
        assert_eq!(required(r"(abc|d\w+)x", false), None);
    }

    #[test]
    fn the_prefilter_never_changes_an_answer() {
        let cases: &[(&str, bool, &[&str])] = &[
            (
                r"(?i)\bdrop\s+table\b",
                false,
                &["DROP TABLE x", "drop\ttable", "Drop Tables", "nothing"],
            ),
            (
                r"\.(unwrap|expect)\s*\(",
                false,
                &["x.unwrap()", "x.EXPECT(", "x.expect ("],
            ),
            ("claude", true, &["CLAUDE", "Claude Code", "clau de"]),
            (r"(?i)straße", false, &["STRASSE", "straße", "STRAẞE"]),
            (r"(?i)kelvin", false, &["\u{212A}elvin", "KELVIN"]),
        ];
        for (p, ci, texts) in cases {
            let lazy = LazyRegex::new(p, *ci).unwrap();
            let plain = regex::RegexBuilder::new(p)
                .case_insensitive(*ci)
                .build()
                .unwrap();
            for t in *texts {
                // ASCII classes aside, the answer is the regex crate's.
                if t.is_ascii() {
                    assert_eq!(lazy.is_match(t), plain.is_match(t), "{p} on {t:?}");
                    assert_eq!(
                        lazy.find(t).map(|m| m.range()),
                        plain.find(t).map(|m| m.range()),
                        "{p} on {t:?}"
                    );
                } else {
                    assert_eq!(
                        lazy.is_match(t),
                        lazy.regex().unwrap().is_match(t),
                        "{p} on {t:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn lazy_regex_reports_syntax_errors_at_once_and_matches_later() {
        let e = LazyRegex::new("(unclosed", false).unwrap_err();
        assert!(e.to_string().contains("unclosed group"), "{e}");
        let r = LazyRegex::new(r"(?i)\bdrop\s+table\b", false).unwrap();
        assert_eq!(
            r.find("x; DROP  TABLE users").map(|m| m.as_str()),
            Some("DROP  TABLE")
        );
        assert!(!r.is_match("droptable"));
        let ci = LazyRegex::new("claude", true).unwrap();
        assert!(ci.is_match("Co-Authored-By: CLAUDE"));
        assert_eq!(ci.as_str(), "claude");
    }

    #[test]
    fn ascii_classes_where_valid_unicode_mode_otherwise() {
        let r = code_regex(r"\bpassword\s*=\s*\w+", false).unwrap();
        assert!(r.is_match("password = hunter2"));
        // `.` needs Unicode mode on text: still compiles and matches characters.
        let r = code_regex(r"^é.$", false).unwrap();
        assert!(r.is_match("éü"));
        // Non-ASCII literals match in ASCII mode.
        assert!(code_regex("🤖 Generated", true)
            .unwrap()
            .is_match("🤖 generated with"));
        assert!(code_regex(r"CO-AUTHORED-BY:\s*claude", true)
            .unwrap()
            .is_match("Co-authored-by: Claude"));
        assert!(code_regex("(", false).is_err());
    }
}
