use super::{clip, Ctx};
use crate::diff::LineKind;
use crate::finding::{Category, Confidence, Finding, Severity, Side};
use crate::textmatch::LazyRegex;
use std::sync::LazyLock;

crate::declare_rule! {
    /// ## What it does
    /// Flags a timeout, limit, retry count, TTL or size setting whose
    /// value, in the same hunk, goes from a number to "unlimited" (`0`,
    /// `-1`, `None`, `null`, `nil`, `inf`) or grows at least tenfold.
    ///
    /// ## Why it matters
    /// Limits are what keep one slow dependency, big request or retry
    /// storm from taking the whole service down. Loosening one often fixes
    /// a symptom in testing and moves the failure to production, where it
    /// is larger.
    ///
    /// ## Example
    /// ```diff
    /// -REQUEST_TIMEOUT = 30
    /// +REQUEST_TIMEOUT = None
    /// ```
    /// Check what happens under load or when the other side hangs, and
    /// whether the root cause (a slow query, a big payload) is fixed
    /// instead.
    ///
    /// ## False positives
    /// Deliberate capacity increases; settings where `0` means "use the
    /// default" rather than "no limit".
    pub static RULE = {
        id: "config-loosened",
        category: Category::Risk,
        severity: Severity::Warning,
        confidence: Confidence::Medium,
        summary: "A timeout, limit or retry setting is loosened",
        languages: &[],
        check: check,
    }
}

static KV: LazyLock<LazyRegex> = LazyLock::new(|| {
    crate::textmatch::lazy(
        r#"(?i)\b([\w.\-]*(?:timeout|retries|max_?retries|limit|ttl|max_?\w*size|max_?\w*(?:count|connections|conns|requests|bytes|items|len|length)|expir\w*|deadline)[\w.\-]*)["']?\s*(?:=|:|:=)\s*["']?(-?\d+(?:\.\d+)?|none|null|nil|unlimited|inf|infinity|math\.inf|float\(['"]inf['"]\))\b"#,
    )
});

fn value(v: &str) -> Option<f64> {
    let l = v.to_ascii_lowercase();
    if matches!(
        l.as_str(),
        "none" | "null" | "nil" | "unlimited" | "inf" | "infinity" | "math.inf"
    ) || l.starts_with("float(")
    {
        return Some(f64::INFINITY);
    }
    let n: f64 = l.parse().ok()?;
    Some(if n <= 0.0 { f64::INFINITY } else { n })
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (fi, f) in ctx.patch.files.iter().enumerate() {
        let Some(fc) = ctx.files.get(fi) else {
            continue;
        };
        if fc.is_test {
            continue;
        }
        let mut n = 0;
        for h in &f.hunks {
            let removed: Vec<(String, f64, String)> = h
                .lines
                .iter()
                .filter(|l| l.kind == LineKind::Removed)
                .filter_map(|l| {
                    let t = ctx.patch.line_text(l);
                    let c = KV.captures(&t)?;
                    let v = value(c.get(2)?.as_str())?;
                    Some((c.get(1)?.as_str().to_ascii_lowercase(), v, t.to_string()))
                })
                .collect();
            if removed.is_empty() {
                continue;
            }
            for l in h.lines.iter().filter(|l| l.kind == LineKind::Added) {
                let t = ctx.patch.line_text(l);
                let Some(c) = KV.captures(&t) else { continue };
                let (Some(k), Some(v)) = (c.get(1), c.get(2)) else {
                    continue;
                };
                let key = k.as_str().to_ascii_lowercase();
                let Some(new) = value(v.as_str()) else {
                    continue;
                };
                let Some((_, old, old_text)) = removed.iter().find(|r| r.0 == key) else {
                    continue;
                };
                let loosened = old.is_finite() && (new.is_infinite() || new >= old * 10.0);
                if !loosened || n >= 3 {
                    continue;
                }
                let line = l.new_no().unwrap_or(0);
                let mut fd = ctx.finding(&RULE, f, Side::New, line, line);
                fd.message = if new.is_infinite() {
                    format!("`{}` no longer has a limit", clip(k.as_str(), 60))
                } else {
                    format!("`{}` raised {}x", clip(k.as_str(), 60), (new / old).round())
                };
                fd.explanation =
                    "Limits keep one slow dependency, large input or retry storm from \
                    exhausting the service. Check what happens when the other side hangs or the \
                    input is huge, and whether the underlying cause should be fixed instead."
                        .to_string();
                fd.evidence = format!("{} → {}", clip(old_text, 70), clip(&t, 70));
                out.push(fd);
                n += 1;
            }
        }
    }
}
