use super::{clip, Ctx};
use crate::diff::LineKind;
use crate::finding::{Category, Confidence, Finding, Severity, Side};
use crate::lang::Lang;
use crate::textmatch::LazyRegex;
use std::sync::LazyLock;

crate::declare_rule! {
    /// ## What it does
    /// Flags `.unwrap()` and `.expect(…)` added to non-test Rust code
    /// (outside `tests/`, `benches/`, `examples/`, `build.rs`, and items
    /// marked `#[cfg(test)]` or `#[test]` or a `mod tests` that the hunk
    /// shows or git names in its header).
    ///
    /// ## Why it matters
    /// Each one is a panic waiting for the input that breaks the
    /// assumption: a crash of the service, or of the WebAssembly module it
    /// runs in. The error the caller could have handled is lost.
    ///
    /// ## Example
    /// ```rust,ignore
    /// let port: u16 = env::var("PORT").unwrap().parse().unwrap();
    /// ```
    /// Check that the value cannot be absent or invalid here, or ask for
    /// `?` / a default.
    ///
    /// ## False positives
    /// Invariants that really hold (a regex literal, a lock that is never
    /// poisoned); `expect("why it holds")` documents them.
    pub static RULE = {
        id: "unwrap-added",
        category: Category::Risk,
        severity: Severity::Info,
        confidence: Confidence::Medium,
        summary: "New unwrap()/expect() in non-test Rust code",
        languages: &[Lang::Rust],
        check: check,
    }
}

static UNWRAP: LazyLock<LazyRegex> =
    LazyLock::new(|| crate::textmatch::lazy(r"\.(unwrap|expect)\s*\("));

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (fi, f) in ctx.patch.files.iter().enumerate() {
        let Some(fc) = ctx.files.get(fi) else {
            continue;
        };
        let p = f.path();
        if fc.lang_id != Some("rust")
            || fc.is_test
            || p.ends_with("build.rs")
            || p.split('/')
                .any(|c| matches!(c, "benches" | "examples" | "xtask"))
        {
            continue;
        }
        let mut n = 0;
        for h in &f.hunks {
            for l in &h.lines {
                if l.kind != LineKind::Added
                    || n >= 3
                    || ctx.in_test(fi, l.kind, l.new_no().unwrap_or(0))
                {
                    continue;
                }
                let t = ctx.patch.line_text(l);
                let code = t.split("//").next().unwrap_or("");
                if let Some(m) = UNWRAP.find(code) {
                    let line = l.new_no().unwrap_or(0);
                    let mut fd = ctx.finding(&RULE, f, Side::New, line, line);
                    fd.message = format!(
                        "New `{}` can panic",
                        m.as_str()
                            .trim_start_matches('.')
                            .trim_end_matches(['(', ' '])
                    );
                    fd.explanation = "A panic here takes down the thread (or the whole WebAssembly \
                        module). Check that the value cannot be missing or invalid on this path, or \
                        ask for `?` or an explicit fallback."
                        .to_string();
                    fd.evidence = clip(&t, 160);
                    out.push(fd);
                    n += 1;
                }
            }
        }
    }
}
