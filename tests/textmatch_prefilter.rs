//! The required-literal prefilter of `textmatch::LazyRegex` must never
//! change an answer: every built-in pack pattern and AI-marker pattern,
//! over every line of the fixture diffs and a sample of the real-world
//! diff corpus, matches exactly where its compiled regex does.

use blastradius::textmatch::{code_regex, LazyRegex};
use std::path::Path;

fn lines_from(dir: &Path, out: &mut Vec<String>, limit: usize) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if out.len() >= limit {
            return;
        }
        if p.is_dir() {
            lines_from(&p, out, limit);
        } else if p.extension().is_some_and(|e| e == "diff" || e == "patch") {
            let bytes = std::fs::read(&p).unwrap_or_default();
            let text = String::from_utf8_lossy(&bytes);
            out.extend(text.lines().map(|l| l.get(1..).unwrap_or("").to_string()));
        }
    }
}

fn real_lines() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut lines = Vec::new();
    lines_from(&root.join("tests/fixtures"), &mut lines, usize::MAX);
    lines_from(&root.join("examples"), &mut lines, usize::MAX);
    lines_from(&root.join("../shared/corpus/diffs"), &mut lines, 40_000);
    lines.sort();
    lines.dedup();
    assert!(lines.len() > 1000, "{} lines", lines.len());
    lines
}

fn builtin_patterns() -> Vec<(String, bool)> {
    let mut patterns: Vec<(String, bool)> = Vec::new();
    for r in &blastradius::rules::data::builtin().rules {
        let s = &r.spec;
        for p in s
            .added
            .iter()
            .chain(&s.removed)
            .chain(&s.unless)
            .chain(&s.unless_above)
            .chain(&s.file_lacks)
            .chain(&s.file_removes)
        {
            patterns.push((p.clone(), false));
        }
    }
    for m in &blastradius::ai::markers::table().markers {
        patterns.push((m.pattern.as_str().to_string(), true));
    }
    assert!(patterns.len() > 100, "{} patterns", patterns.len());
    patterns
}

#[test]
fn prefilter_agrees_with_the_compiled_regex_on_real_lines() {
    let lines = real_lines();
    let patterns = builtin_patterns();
    let mut hits = 0usize;
    for (p, ci) in &patterns {
        let lazy = LazyRegex::new(p, *ci).unwrap();
        let plain = code_regex(p, *ci).unwrap();
        for l in &lines {
            let want = plain.find(l).map(|m| m.range());
            assert_eq!(lazy.find(l).map(|m| m.range()), want, "{p:?} on {l:?}");
            assert_eq!(lazy.is_match(l), want.is_some(), "{p:?} on {l:?}");
            hits += usize::from(want.is_some());
        }
    }
    assert!(
        hits > 100,
        "only {hits} matches: the comparison proves little"
    );
}

/// Patterns that ASCII mode cannot take as written (a negated class, `.`,
/// `\S`) are compiled with ASCII classes that match other characters
/// whole: on ASCII text they answer as the Unicode-mode regex, captures
/// included.
#[test]
fn ascii_mode_with_whole_characters_agrees_with_unicode_mode() {
    let lines = real_lines();
    let mut widened = 0;
    let mut hits = 0usize;
    for (p, ci) in builtin_patterns() {
        let ascii = regex::RegexBuilder::new(&p)
            .unicode(false)
            .case_insensitive(ci)
            .build();
        if ascii.is_ok() {
            continue;
        }
        widened += 1;
        let ours = code_regex(&p, ci).unwrap();
        let unicode = regex::RegexBuilder::new(&p)
            .case_insensitive(ci)
            .build()
            .unwrap();
        for l in lines.iter().filter(|l| l.is_ascii()) {
            let span =
                |c: regex::Captures<'_>| c.iter().map(|m| m.map(|m| m.range())).collect::<Vec<_>>();
            let want = unicode.captures(l).map(span);
            assert_eq!(ours.captures(l).map(span), want, "{p:?} on {l:?}");
            hits += usize::from(want.is_some());
        }
        // Other characters are matched whole, never split.
        for t in ["é\"x\"", "naïve = \"wörd\" ; y", "日本語のテキスト"] {
            if let Some(m) = ours.find(t) {
                assert!(t.is_char_boundary(m.start()) && t.is_char_boundary(m.end()));
            }
        }
    }
    assert!(widened > 20, "only {widened} patterns needed it");
    assert!(
        hits > 20,
        "only {hits} matches: the comparison proves little"
    );
}
