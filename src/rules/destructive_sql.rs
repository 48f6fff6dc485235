use super::{clip, Ctx};
use crate::diff::LineKind;
use crate::finding::{Category, Confidence, Finding, Severity, Side};
use crate::textmatch::LazyRegex;
use std::sync::LazyLock;

crate::declare_rule! {
    /// ## What it does
    /// Flags added lines that drop or empty a database object: `DROP TABLE`,
    /// `DROP DATABASE`, `DROP SCHEMA`, `DROP COLUMN`, `TRUNCATE`, and a
    /// `DELETE FROM` statement that ends on the same line without a `WHERE`.
    ///
    /// ## Why it matters
    /// These statements destroy data that no code review can bring back.
    /// In a migration they run once against production; in application code
    /// they run every time the path is hit.
    ///
    /// ## Example
    /// ```sql
    /// DROP TABLE users;
    /// DELETE FROM sessions;
    /// ```
    /// Check that a backup or a reversible migration exists, that the table
    /// is really unused, and that the statement is scoped as intended.
    ///
    /// ## False positives
    /// Test fixtures and teardown code that reset a scratch database; the
    /// rule is quieter there (lower severity, at most three per file) but
    /// still reports.
    pub static RULE = {
        id: "destructive-sql",
        category: Category::Risk,
        severity: Severity::High,
        confidence: Confidence::High,
        summary: "Added SQL drops or empties a table, schema or database",
        languages: &[],
        check: check,
    }
}

static DROP: LazyLock<LazyRegex> = LazyLock::new(|| {
    crate::textmatch::lazy(
        r"(?i)\b(drop\s+(table|database|schema|column)\b|truncate\s+table\s+[A-Za-z_`\x22\[])|(?-i:\bTRUNCATE\s+[A-Za-z_`\x22\[])",
    )
});
static DELETE: LazyLock<LazyRegex> =
    LazyLock::new(|| crate::textmatch::lazy(r"(?i)\bdelete\s+from\s+[A-Za-z_`\x22\[][^;]*"));
static WHERE: LazyLock<LazyRegex> = LazyLock::new(|| crate::textmatch::lazy(r"(?i)\bwhere\b"));

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (fi, f) in ctx.patch.files.iter().enumerate() {
        // A statement in a test or in documentation runs against no
        // production database: still shown, at info.
        let is_test = ctx.files[fi].is_test || ctx.files[fi].is_doc;
        // There, three per file show the pattern (a test suite's teardown
        // repeats its `DROP TABLE` in every test).
        let mut shown = 0;
        for h in &f.hunks {
            for l in &h.lines {
                if l.kind != LineKind::Added {
                    continue;
                }
                let text = ctx.patch.line_text(l);
                let line = l.new_no().unwrap_or(0);
                let hit = if let Some(m) = DROP.find(&text) {
                    Some((
                        m.as_str().to_string(),
                        "drops or truncates a database object",
                    ))
                } else {
                    DELETE.find(&text).and_then(|m| {
                        let rest = &text[m.start()..];
                        // Only when the statement visibly ends here.
                        let ends =
                            rest.contains(';') || rest.trim_end().ends_with(['"', '\'', '`']);
                        (!WHERE.is_match(rest) && ends)
                            .then(|| (m.as_str().to_string(), "deletes every row: no WHERE clause"))
                    })
                };
                if let Some((ev, what)) = hit {
                    if is_test {
                        if shown >= 3 {
                            continue;
                        }
                        shown += 1;
                    }
                    let mut fd = ctx.finding(&RULE, f, Side::New, line, line);
                    if is_test {
                        fd.severity = Severity::Info;
                    }
                    fd.message = format!("Destructive SQL: this statement {what}");
                    fd.explanation = "Dropped or emptied data cannot be restored by reverting the code. \
                        Before approving, check that the object is really unused, that a backup or a \
                        reversible migration exists, and that the statement cannot run against the \
                        wrong database."
                        .to_string();
                    fd.evidence = clip(&ev, 120);
                    out.push(fd);
                }
            }
        }
    }
}
