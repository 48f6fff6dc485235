//! Regexes over code and commit text, compiled for a fast cold start.
//!
//! Rule packs and the AI-marker table hold a few hundred patterns. With
//! Unicode classes, every `\w`, `\d`, `\s` and `\b` becomes a large UTF-8
//! automaton, and compiling them dominated the extension's cold start
//! (measured: about 300 ms of the first analysis in wasm). Code and
//! trailers are ASCII where these patterns look, so each pattern is built
//! with ASCII classes (`\w`, `\d`, `\s`, `\b` and case folding; non-ASCII
//! literals still match). A class that ASCII mode would let match single
//! bytes of a character (a negated class, `.`, `\S`) keeps its ASCII part
//! and matches any other character whole; only a pattern that needs more
//! (a Unicode class such as `\p{Greek}`) is built in Unicode mode.
//!
//! Most patterns never meet a line they could match (their rule is for
//! another language, or no file of the diff reaches them), so
//! [`LazyRegex`] compiles a pattern only when a text could match it: the
//! strings every match must contain are read from the pattern's syntax
//! tree (cheap: no translation, no Unicode tables), and an ASCII text
//! lacking them is answered at once.

use regex::{Regex, RegexBuilder};
use std::sync::OnceLock;

/// Compile `pattern` (ASCII classes when the pattern allows it, see the
/// module docs), optionally case-insensitive, with a 1 MiB size limit.
pub fn code_regex(pattern: &str, case_insensitive: bool) -> Result<Regex, regex::Error> {
    build(pattern, false, case_insensitive)
        .or_else(|_| ascii_classes_whole_characters(pattern, case_insensitive))
        .or_else(|_| build(pattern, true, case_insensitive))
}

/// ASCII mode for a pattern with a negated class, `.` or `\S` (which in
/// ASCII mode would match single bytes of a character): each such class
/// keeps its ASCII part and otherwise matches any non-ASCII character
/// whole. On text this is the Unicode-mode answer except that `\s`, `\w`
/// and `\d` inside the class mean their ASCII sets (as everywhere else in
/// ASCII mode), and it compiles without Unicode's large classes.
fn ascii_classes_whole_characters(
    pattern: &str,
    case_insensitive: bool,
) -> Result<Regex, regex::Error> {
    use regex_syntax::hir::{
        Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Hir, HirKind,
    };
    fn widen(h: Hir) -> Hir {
        match h.into_kind() {
            HirKind::Class(Class::Bytes(mut c))
                if c.ranges().last().is_some_and(|r| r.end() >= 0x80) =>
            {
                c.intersect(&ClassBytes::new([ClassBytesRange::new(0, 0x7F)]));
                let other = ClassUnicode::new([ClassUnicodeRange::new('\u{80}', '\u{10FFFF}')]);
                Hir::alternation(vec![
                    Hir::class(Class::Bytes(c)),
                    Hir::class(Class::Unicode(other)),
                ])
            }
            HirKind::Repetition(mut r) => {
                r.sub = Box::new(widen(*r.sub));
                Hir::repetition(r)
            }
            HirKind::Capture(mut c) => {
                c.sub = Box::new(widen(*c.sub));
                Hir::capture(c)
            }
            HirKind::Concat(v) => Hir::concat(v.into_iter().map(widen).collect()),
            HirKind::Alternation(v) => Hir::alternation(v.into_iter().map(widen).collect()),
            HirKind::Empty => Hir::empty(),
            HirKind::Literal(l) => Hir::literal(l.0),
            HirKind::Class(c) => Hir::class(c),
            HirKind::Look(l) => Hir::look(l),
        }
    }
    let hir = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .case_insensitive(case_insensitive)
        .build()
        .parse(pattern)
        .map_err(|e| regex::Error::Syntax(e.to_string()))?;
    // The printed form parses back to the same expression; case folding is
    // already in its classes.
    RegexBuilder::new(&widen(hir).to_string())
        .size_limit(1 << 20)
        .build()
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
    // Checked in every test run (debug builds) that uses the pattern; the
    // build script must have read its required strings (so that the first
    // analysis need not parse it).
    debug_assert!(r.check().is_ok(), "bad built-in pattern {pattern:?}");
    debug_assert!(
        precomputed::REQUIRED
            .binary_search_by(|(p, _)| (*p).cmp(pattern))
            .is_ok(),
        "build.rs did not read the built-in pattern {pattern:?}: pass \
         `crate::textmatch::lazy` a string literal or `concat!` of them"
    );
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
    /// Sets of lower-case strings such that every match in an ASCII text
    /// contains one string of each set (ASCII case aside): an ASCII text
    /// missing every string of some set cannot match, and is answered
    /// without compiling. Empty when nothing useful is known. Texts with
    /// other characters always go to the regex: case folding can match an
    /// ASCII letter in the pattern with one outside ASCII (`k` with the
    /// Kelvin sign), so the sets say nothing about them.
    required: Vec<Vec<Vec<u8>>>,
}

/// The full syntax check: the pattern compiles in the mode [`code_regex`]
/// would choose (translation included, e.g. unknown Unicode classes).
fn full_check(pattern: &str, case_insensitive: bool) -> Result<(), regex::Error> {
    let parse = |unicode: bool| {
        regex_syntax::ParserBuilder::new()
            .unicode(unicode)
            .case_insensitive(case_insensitive)
            .build()
            .parse(pattern)
            .map(|_| ())
            .map_err(|e| regex::Error::Syntax(e.to_string()))
    };
    parse(false).or_else(|_| parse(true))
}

/// The pattern's shape from its syntax tree alone: cheap (no Unicode
/// tables, no translation), so a deferred pattern costs little until a
/// text could match it. A pattern that parses here but fails translation
/// (an unknown `\p{…}` class) fails again when compiled, and then matches
/// nothing, as a deferred pattern that does not parse.
fn shape_of(pattern: &str) -> Result<Shape, regex::Error> {
    let ast = regex_syntax::ast::parse::ParserBuilder::new()
        .build()
        .parse(pattern)
        .map_err(|e| regex::Error::Syntax(e.to_string()))?;
    Ok(Shape {
        required: required_literals(&ast),
    })
}

impl LazyRegex {
    /// Check `pattern`'s syntax now (the error reads as the regex crate's
    /// would); compile it on first use.
    pub fn new(pattern: &str, case_insensitive: bool) -> Result<LazyRegex, regex::Error> {
        full_check(pattern, case_insensitive)?;
        let shape = shape_of(pattern)?;
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
        full_check(&self.pattern, self.case_insensitive)
    }

    fn shape(&self) -> Option<&Shape> {
        self.shape
            .get_or_init(|| {
                let table = precomputed::REQUIRED;
                match table.binary_search_by(|(p, _)| (*p).cmp(self.pattern.as_str())) {
                    Ok(i) => Some(Shape {
                        required: table[i]
                            .1
                            .iter()
                            .map(|set| set.iter().map(|s| s.to_vec()).collect())
                            .collect(),
                    }),
                    Err(_) => shape_of(&self.pattern).ok(),
                }
            })
            .as_ref()
    }

    /// Whether `text` could match at all (see [`Shape::required`]): a
    /// cheap test that never says no to a text the pattern matches, so a
    /// text made of several lines can stand for each of them.
    pub fn may_match(&self, text: &str) -> bool {
        match self.shape() {
            None => false,
            Some(Shape { required }) => {
                !text.is_ascii()
                    || required.iter().all(|set| {
                        set.iter()
                            .any(|lit| contains_ignore_ascii_case(text.as_bytes(), lit))
                    })
            }
        }
    }

    /// The compiled regex; `None` for a pattern that does not parse or
    /// cannot be compiled (over the size limit): it matches nothing.
    pub fn regex(&self) -> Option<&Regex> {
        self.compiled
            .get_or_init(|| {
                self.shape()?;
                code_regex(&self.pattern, self.case_insensitive).ok()
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

mod required;
use required::required_literals;

/// The required strings of the built-in patterns (rule packs and the AI
/// marker table), read by the build script: `(pattern, sets)` sorted by
/// pattern. A test checks them against a fresh reading.
mod precomputed {
    include!(concat!(env!("OUT_DIR"), "/required_literals.rs"));
}

#[cfg(test)]
mod tests {
    use super::{code_regex, precomputed, shape_of, LazyRegex};

    fn required(p: &str, ci: bool) -> Vec<Vec<String>> {
        let r = LazyRegex::new(p, ci).unwrap();
        let shape = r.shape.into_inner().flatten().unwrap();
        shape
            .required
            .into_iter()
            .map(|set| {
                set.into_iter()
                    .map(|s| String::from_utf8(s).unwrap())
                    .collect()
            })
            .collect()
    }

    /// The build script's table agrees with a fresh reading of each
    /// pattern, and covers every built-in pack and marker pattern.
    #[test]
    fn precomputed_required_strings_are_current() {
        let table = precomputed::REQUIRED;
        assert!(table.windows(2).all(|w| w[0].0 < w[1].0), "sorted, unique");
        for (p, sets) in table {
            let fresh = shape_of(p).unwrap().required;
            let built: Vec<Vec<Vec<u8>>> = sets
                .iter()
                .map(|set| set.iter().map(|s| s.to_vec()).collect())
                .collect();
            assert_eq!(built, fresh, "{p}");
        }
        let mut patterns: Vec<String> = Vec::new();
        for r in &crate::rules::data::builtin().rules {
            let s = &r.spec;
            patterns.extend(
                s.added
                    .iter()
                    .chain(&s.removed)
                    .chain(&s.unless)
                    .chain(&s.unless_above)
                    .chain(&s.file_lacks)
                    .chain(&s.file_removes)
                    .chain(&s.query_when)
                    .cloned(),
            );
        }
        for m in &crate::ai::markers::table().markers {
            patterns.push(m.pattern.as_str().to_string());
        }
        assert!(patterns.len() > 200, "{}", patterns.len());
        for p in &patterns {
            assert!(
                table
                    .binary_search_by(|(q, _)| (*q).cmp(p.as_str()))
                    .is_ok(),
                "not in the build script's table: {p}"
            );
        }
    }

    #[test]
    fn required_literals_are_found_where_every_match_has_them() {
        let v = |sets: &[&[&str]]| {
            sets.iter()
                .map(|x| x.iter().map(|s| s.to_string()).collect::<Vec<_>>())
                .collect::<Vec<_>>()
        };
        let none: Vec<Vec<String>> = Vec::new();
        assert_eq!(
            required(r"(?i)\bdrop\s+table\b", false),
            v(&[&["table"], &["drop"]])
        );
        assert_eq!(
            required(r"\.(unwrap|expect)\s*\(", false),
            v(&[&[".expect", ".unwrap"], &["("]])
        );
        assert_eq!(required("Co-Authored-By", true), v(&[&["co-authored-by"]]));
        assert_eq!(required(r"rm\s+-rf", false), v(&[&["-rf"], &["rm"]]));
        assert_eq!(required(r"\w+", false), none);
        assert_eq!(required(r"(foo)?bar", false), v(&[&["bar"]]));
        assert_eq!(required(r"ab|\w", false), none);
        // One character is a requirement too (a byte is cheap to find).
        assert_eq!(required(r"x\d", false), v(&[&["x"]]));
        assert_eq!(
            required(r"\brm\s+-r[^|;]*\$", false),
            v(&[&["rm"], &["-r"], &["$"]])
        );
        // A literal followed by one of several: each whole string.
        assert_eq!(
            required(r"(^|[^\w.])x(it|describe|test)\s*\(", false),
            v(&[&["xdescribe", "xit", "xtest"], &["("]])
        );
        assert_eq!(
            required(r"(ab|cd)(ef|gh)", false),
            v(&[&["abef", "abgh", "cdef", "cdgh"]])
        );
        // Repeated alternatives are only contained, not joined to what follows.
        assert_eq!(
            required(r"(ab|cd)+efg", false),
            v(&[&["efg"], &["ab", "cd"]])
        );
        assert_eq!(required(r"(abc|d\w+)x", false), v(&[&["x"], &["abc", "d"]]));
        // Both halves of a pattern must be present.
        assert_eq!(
            required(r"(?i)\b(log|print)\s*\(.*\b(password|secret)", false),
            v(&[&["password", "secret"], &["log", "print"], &["("]])
        );
        // A branch with several requirements contributes its best one.
        assert_eq!(required(r"ab\s+cde|fg", false), v(&[&["cde", "fg"]]));
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
