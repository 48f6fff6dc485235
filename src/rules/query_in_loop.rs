use super::{clip, Ctx};
use crate::diff::LineKind;
use crate::finding::{Category, Confidence, Finding, Severity, Side};
use crate::textmatch::LazyRegex;
use std::sync::LazyLock;

crate::declare_rule! {
    /// ## What it does
    /// Flags an added database query or HTTP request (`.execute(`,
    /// `.query(`, ORM `.objects.get(`, `fetch(`, `requests.get(`,
    /// `http.Get(`, …) whose enclosing lines in the hunk, found by
    /// indentation, include a `for`/`while` loop or a `.forEach`/`.map`
    /// callback.
    ///
    /// ## Why it matters
    /// One round trip per item is the classic N+1 problem: fine with ten
    /// rows in development, minutes and a saturated database with ten
    /// thousand in production.
    ///
    /// ## Example
    /// ```python
    /// for user_id in ids:
    ///     user = db.execute("SELECT * FROM users WHERE id = ?", (user_id,))
    /// ```
    /// Ask for one batched query (`WHERE id IN …`), a join, or a bulk API.
    ///
    /// ## False positives
    /// Loops with a small fixed bound, and paginated fetches where each
    /// request depends on the previous one.
    pub static RULE = {
        id: "query-in-loop",
        category: Category::Risk,
        severity: Severity::Warning,
        confidence: Confidence::Low,
        summary: "A query or HTTP request is added inside a loop",
        languages: &[],
        check: check,
    }
}

static CALL: LazyLock<LazyRegex> = LazyLock::new(|| {
    crate::textmatch::lazy(
        r"(\.(execute|executemany|query|raw|find_one|findOne|findMany|findUnique|findAll|find_by_\w+|findById|aggregate)\s*\(|\bfetch\s*\(|\brequests\.(get|post|put|patch|delete|head)\s*\(|\baxios(\.\w+)?\s*\(|\bhttp\.(Get|Post|Head)\s*\(|\.objects\.(get|filter|create)\s*\(|\b(session|client|http_client|httpx)\.(get|post|put|delete)\s*\()",
    )
});
static LOOP: LazyLock<LazyRegex> = LazyLock::new(|| {
    crate::textmatch::lazy(
        r"^\s*(for\b|while\b|loop\s*\{|do\s*\{|.*\.(forEach|map|each|flatMap|for_each)\s*[({]|.*\beach\s+do\b)",
    )
});

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (fi, f) in ctx.patch.files.iter().enumerate() {
        let Some(fc) = ctx.files.get(fi) else {
            continue;
        };
        if fc.is_test
            || fc.lang_id.is_none()
            || matches!(fc.lang_id, Some("c" | "cpp" | "sql" | "yaml" | "json"))
        {
            continue;
        }
        let mut n = 0;
        for h in &f.hunks {
            let rows = ctx.new_side_rows(h);
            for (i, (kind, line, text)) in rows.iter().enumerate() {
                if *kind != LineKind::Added || n >= 3 || ctx.is_comment(fi, *kind, *line, text) {
                    continue;
                }
                let Some(m) = CALL.find(text) else { continue };
                // `cache.fetch(key)` is a lookup (Ruby's Hash#fetch); the
                // request is the global `fetch(url)`.
                if m.as_str().starts_with("fetch") && text[..m.start()].ends_with('.') {
                    continue;
                }
                // Walk up through the enclosing lines to a loop, stopping at
                // the enclosing function.
                let mut in_loop = None;
                for up in super::enclosing_lines(&rows, i) {
                    if LOOP.is_match(up) {
                        in_loop = Some(up.trim().to_string());
                        break;
                    }
                    if up.trim_start().starts_with("def ")
                        || up.trim_start().starts_with("fn ")
                        || up.contains("function")
                    {
                        break;
                    }
                }
                let Some(lp) = in_loop else { continue };
                let mut fd = ctx.finding(&RULE, f, Side::New, *line, *line);
                fd.message = format!(
                    "`{}` called inside a loop",
                    m.as_str().trim_end_matches('(').trim()
                );
                fd.explanation =
                    "One query or request per iteration (N+1) is fast with test data and \
                    slow or overloading in production. Check how many items the loop can see, and \
                    ask for a batched query, a join or a bulk API."
                        .to_string();
                fd.evidence = format!("{} … {}", clip(&lp, 60), clip(text, 80));
                out.push(fd);
                n += 1;
            }
        }
    }
}
