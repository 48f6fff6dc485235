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

/// [`code_regex`], case-sensitive: for the built-in rules' own patterns.
pub fn ascii(pattern: &str) -> Result<Regex, regex::Error> {
    code_regex(pattern, false)
}

/// A pattern whose syntax was checked when it was created, compiled (as
/// [`code_regex`] would) the first time it is used.
#[derive(Debug)]
pub struct LazyRegex {
    pattern: String,
    case_insensitive: bool,
    /// Unicode mode, as [`code_regex`] would choose it (found when the
    /// syntax was checked).
    unicode: bool,
    /// Lower-case strings one of which every match contains (ASCII case
    /// aside): a text with none of them cannot match, and is answered
    /// without compiling. `None` when the pattern has no such set.
    required: Option<Vec<Vec<u8>>>,
    compiled: OnceLock<Option<Regex>>,
}

impl LazyRegex {
    /// Check `pattern`'s syntax now (the error reads as the regex crate's
    /// would); compile it on first use.
    pub fn new(pattern: &str, case_insensitive: bool) -> Result<LazyRegex, regex::Error> {
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
        Ok(LazyRegex {
            pattern: pattern.to_string(),
            case_insensitive,
            unicode,
            required: required_literals(&hir),
            compiled: OnceLock::new(),
        })
    }

    /// Whether `text` could match at all (see `required`).
    fn may_match(&self, text: &str) -> bool {
        match &self.required {
            None => true,
            Some(set) => set
                .iter()
                .any(|lit| contains_ignore_ascii_case(text.as_bytes(), lit)),
        }
    }

    /// The compiled regex; `None` for a pattern that parses but cannot be
    /// compiled (over the size limit): it matches nothing.
    pub fn regex(&self) -> Option<&Regex> {
        self.compiled
            .get_or_init(|| build(&self.pattern, self.unicode, self.case_insensitive).ok())
            .as_ref()
    }

    /// Whether it matches somewhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        self.may_match(text) && self.regex().is_some_and(|r| r.is_match(text))
    }

    /// Its leftmost match in `text`.
    pub fn find<'h>(&self, text: &'h str) -> Option<regex::Match<'h>> {
        if !self.may_match(text) {
            return None;
        }
        self.regex().and_then(|r| r.find(text))
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
    /// Exactly this string (lower case), nothing else.
    Exact(Vec<u8>),
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
        Need::Exact(s) => vec![s],
        Need::OneOf(set) => set,
        Need::Unknown => return None,
    };
    (shortest(&set) >= MIN_LEN && set.len() <= MAX_SET).then_some(set)
}

fn need(hir: &regex_syntax::hir::Hir) -> Need {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Need::Exact(Vec::new()),
        HirKind::Literal(l) => Need::Exact(l.0.to_ascii_lowercase()),
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
                Some(&c) if c < 128 && lower.iter().all(|&x| x == c) => Need::Exact(vec![c as u8]),
                _ => Need::Unknown,
            }
        }
        HirKind::Capture(c) => need(&c.sub),
        HirKind::Repetition(r) => {
            if r.min == 0 {
                return Need::Unknown;
            }
            match need(&r.sub) {
                Need::Exact(s) if r.max == Some(1) => Need::Exact(s),
                Need::Exact(s) if s.is_empty() => Need::Unknown,
                Need::Exact(s) => Need::OneOf(vec![s]),
                other => other,
            }
        }
        HirKind::Concat(parts) => {
            let mut best: Option<Vec<Vec<u8>>> = None;
            let mut run: Vec<u8> = Vec::new();
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
                    Need::Exact(s) => run.extend_from_slice(&s),
                    Need::OneOf(set) => {
                        all_exact = false;
                        consider(vec![std::mem::take(&mut run)], &mut best);
                        consider(set, &mut best);
                    }
                    Need::Unknown => {
                        all_exact = false;
                        consider(vec![std::mem::take(&mut run)], &mut best);
                    }
                }
            }
            if all_exact {
                return Need::Exact(run);
            }
            consider(vec![run], &mut best);
            match best {
                Some(b) if shortest(&b) > 0 => Need::OneOf(b),
                _ => Need::Unknown,
            }
        }
        HirKind::Alternation(alts) => {
            let mut set: Vec<Vec<u8>> = Vec::new();
            for a in alts {
                match need(a) {
                    Need::Exact(s) if !s.is_empty() => set.push(s),
                    Need::OneOf(s) => set.extend(s),
                    _ => return Need::Unknown,
                }
                if set.len() > MAX_SET {
                    return Need::Unknown;
                }
            }
            set.sort();
            set.dedup();
            Need::OneOf(set)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{code_regex, LazyRegex};

    fn required(p: &str, ci: bool) -> Option<Vec<String>> {
        LazyRegex::new(p, ci).unwrap().required.map(|v| {
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
            v(&["expect", "unwrap"])
        );
        assert_eq!(required("Co-Authored-By", true), v(&["co-authored-by"]));
        assert_eq!(required(r"rm\s+-rf", false), v(&["-rf"]));
        assert_eq!(required(r"\w+", false), None);
        assert_eq!(required(r"(foo)?bar", false), v(&["bar"]));
        assert_eq!(required(r"ab|\w", false), None);
        // Too short to be worth it.
        assert_eq!(required(r"x\d", false), None);
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
