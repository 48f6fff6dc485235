use super::{clip, Ctx};
use crate::diff::LineKind;
use crate::finding::{Category, Confidence, Finding, Severity, Side};
use crate::textmatch::LazyRegex;
use std::sync::LazyLock;

crate::declare_rule! {
    /// ## What it does
    /// Flags an assertion in a test file (or in the unit tests a Rust file
    /// keeps in itself: `#[cfg(test)]`/`#[test]` items, `mod tests`) whose
    /// expected value is edited
    /// (the line is the same apart from a number or string literal) in a
    /// change that also modifies non-test code.
    ///
    /// ## Why it matters
    /// When code and the values its test expects change together, the
    /// test no longer proves the old behaviour still holds: it was made to
    /// agree with the new code. That is right for an intended behaviour
    /// change and wrong for a regression.
    ///
    /// ## Example
    /// ```diff
    /// -assert total_price(cart) == 105.0
    /// +assert total_price(cart) == 104.5
    /// ```
    /// Check that the new expected value is what the specification says,
    /// not just what the new code returns.
    ///
    /// ## False positives
    /// Intended behaviour changes, which are the common case; the finding
    /// is a prompt to confirm the intent. A literal rewritten without a new
    /// value (`'ok'` to `"ok"`, `1.0` to `1`) is not an edit, nor is an
    /// assertion the hunk removes and adds unchanged (reordered or
    /// re-indented), nor one that now checks another key or index
    /// (`spans[3]["status"]` to `spans[2]["status"]`), which is a different
    /// check rather than a new expected value.
    pub static RULE = {
        id: "expected-value-edited",
        category: Category::Risk,
        severity: Severity::Warning,
        confidence: Confidence::Medium,
        summary: "A test's expected value is edited alongside the code it tests",
        languages: &[],
        check: check,
    }
}

static LITERAL: LazyLock<LazyRegex> = LazyLock::new(|| {
    crate::textmatch::lazy(
        r#""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\b\d+(?:\.\d+)?(?:e[+-]?\d+)?\b|\b(?:true|false|True|False|None|null|nil)\b"#,
    )
});

fn shape(s: &str) -> String {
    let t = LITERAL.replace_all(s.trim(), "§");
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A line's literal values, each with whether it sits in a subscript.
type Values = Vec<(String, bool)>;

/// The literal values of a line, quotes and escapes of either style
/// removed and numbers compared by value: `b'ok'` and `b"ok"`, or `1.0` and
/// `1`, are the same expectation written differently. Each value says
/// whether it sits in a subscript (`spans[3]`, `span["op"]`): such a value
/// picks what is checked, not what it is expected to be.
fn values(s: &str) -> Values {
    let b = s.as_bytes();
    // Open brackets outside literals; `true` for a subscript (after a
    // name, `]` or `)`).
    let mut open: Vec<bool> = Vec::new();
    let mut at = 0;
    let mut out = Vec::new();
    for m in LITERAL.captures_iter(s).filter_map(|c| c.get(0)) {
        for i in at..m.start() {
            match b.get(i) {
                Some(b'[') => {
                    let prev = b[..i].iter().rev().find(|c| !c.is_ascii_whitespace());
                    open.push(prev.is_some_and(|&c| {
                        c.is_ascii_alphanumeric() || matches!(c, b'_' | b']' | b')')
                    }));
                }
                Some(b']') => {
                    open.pop();
                }
                _ => {}
            }
        }
        at = m.end();
        let v = m.as_str();
        let value = if let Some(inner) = v
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
        {
            format!("s:{}", inner.replace("\\'", "'").replace("\\\"", "\""))
        } else if let Ok(x) = v.parse::<f64>() {
            format!("n:{x}")
        } else {
            format!("k:{v}")
        };
        out.push((value, open.iter().any(|&sub| sub)));
    }
    out
}

/// The values in subscripts alone.
fn subscripts(v: &[(String, bool)]) -> Vec<&str> {
    v.iter()
        .filter(|(_, sub)| *sub)
        .map(|(x, _)| x.as_str())
        .collect()
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    // A Rust file's own unit tests (`#[cfg(test)]`, `#[test]`, `mod tests`)
    // are tests; its other lines are code.
    let no = |l: &crate::diff::Line| l.new_no().or(l.old_no()).unwrap_or(0);
    let test = |fi: usize, l: &crate::diff::Line| ctx.in_test(fi, l.kind, no(l));
    let code_changed = ctx.patch.files.iter().enumerate().any(|(fi, f)| {
        ctx.files.get(fi).is_some_and(|fc| fc.lang_id.is_some())
            && super::has_content(f)
            && f.hunks
                .iter()
                .flat_map(|h| &h.lines)
                .any(|l| l.kind != LineKind::Context && !test(fi, l))
    });
    if !code_changed {
        return;
    }
    for (fi, f) in ctx.patch.files.iter().enumerate() {
        if !ctx.has_tests(fi) {
            continue;
        }
        let mut n = 0;
        for h in &f.hunks {
            // Each removed assertion with its shape and literal values,
            // computed once for all the added lines it is compared with.
            let removed: Vec<(String, Values, String)> = h
                .lines
                .iter()
                .filter(|l| l.kind == LineKind::Removed && test(fi, l))
                .map(|l| ctx.patch.line_text(l).into_owned())
                .filter(|t| super::assertions_removed::ASSERT.is_match(t))
                .map(|t| (shape(&t), values(&t), t))
                .collect();
            if removed.is_empty() {
                continue;
            }
            for l in h
                .lines
                .iter()
                .filter(|l| l.kind == LineKind::Added && test(fi, l))
            {
                let t = ctx.patch.line_text(l);
                if !super::assertions_removed::ASSERT.is_match(&t) || !LITERAL.is_match(&t) {
                    continue;
                }
                let (s, v) = (shape(&t), values(&t));
                // The same assertion removed as it is added was moved, not
                // edited (assertions reordered).
                if removed.iter().any(|r| r.0 == s && r.1 == v) {
                    continue;
                }
                // An edit keeps what is checked: an assertion on another
                // key or index (`span["op"]` for `span["description"]`,
                // `spans[2]` for `spans[3]`) is another check.
                let Some((_, _, old)) = removed
                    .iter()
                    .find(|r| r.0 == s && r.1 != v && subscripts(&r.1) == subscripts(&v))
                else {
                    continue;
                };
                let line = l.new_no().unwrap_or(0);
                let mut fd = ctx.finding(&RULE, f, Side::New, line, line);
                fd.message =
                    "Expected value in an assertion changed together with the code".to_string();
                fd.explanation = "The test was edited to agree with the new code, so it no longer \
                    shows that the old behaviour still holds. Check that the new expected value \
                    comes from the specification or the issue, not from running the new code."
                    .to_string();
                fd.evidence = format!("{} → {}", clip(old, 70), clip(&t, 70));
                out.push(fd);
                n += 1;
                if n >= 3 {
                    break;
                }
            }
            if n >= 3 {
                break;
            }
        }
    }
}
