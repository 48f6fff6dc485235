//! Inline suppressions: a comment `blastradius: ignore[rule-id] reason` on
//! the flagged line or on the line above it silences that rule there.
//! Several ids may be listed (`ignore[a, b]`); `ignore[*]` silences every
//! rule on that line.

use crate::diff::{LineKind, Patch};
use crate::finding::{Finding, Side};
use crate::textmatch::LazyRegex;
use std::collections::HashMap;
use std::sync::LazyLock;

static MARK: LazyLock<LazyRegex> =
    LazyLock::new(|| crate::textmatch::lazy(r"blastradius:\s*ignore\[([^\]]*)\]"));

/// The rule ids a line suppresses (empty when none).
pub fn ids_in(line: &str) -> Vec<String> {
    MARK.captures_iter(line)
        .filter_map(|c| c.get(1))
        .flat_map(|m| {
            m.as_str()
                .split([',', ' '])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Drop findings silenced by an inline comment.
pub fn apply(patch: &Patch<'_>, findings: &mut Vec<Finding>) {
    if memchr::memmem::find(patch.input, b"blastradius:").is_none() {
        return;
    }
    // (path, side, line) -> suppressed ids, for lines that carry a mark.
    let mut marks: HashMap<(&str, Side, u32), Vec<String>> = HashMap::new();
    for f in &patch.files {
        for h in &f.hunks {
            for l in &h.lines {
                let text = patch.line_text(l);
                if !text.contains("blastradius:") {
                    continue;
                }
                let ids = ids_in(&text);
                if ids.is_empty() {
                    continue;
                }
                if l.kind != LineKind::Removed {
                    if let Some(n) = l.new_no() {
                        marks
                            .entry((f.path(), Side::New, n))
                            .or_default()
                            .extend(ids.iter().cloned());
                    }
                }
                if l.kind != LineKind::Added {
                    if let Some(n) = l.old_no() {
                        marks
                            .entry((f.path(), Side::Old, n))
                            .or_default()
                            .extend(ids.iter().cloned());
                    }
                }
            }
        }
    }
    if marks.is_empty() {
        return;
    }
    findings.retain(|fd| {
        let here = [fd.line, fd.line.saturating_sub(1)];
        !here.iter().any(|n| {
            marks
                .get(&(fd.path.as_str(), fd.side, *n))
                .is_some_and(|ids| ids.iter().any(|i| i == "*" || *i == fd.rule_id))
        })
    });
}
