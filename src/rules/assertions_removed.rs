use super::{clip, Ctx};
use crate::diff::{FileStatus, LineKind};
use crate::finding::{Category, Confidence, Finding, Severity, Side};
use crate::textmatch::LazyRegex;
use std::collections::HashSet;
use std::sync::LazyLock;

crate::declare_rule! {
    /// ## What it does
    /// In test files (and in Rust's unit tests kept in the code's own file:
    /// `#[cfg(test)]`/`#[test]` items, `mod tests`), flags changes that
    /// remove more assertion lines than they add (`assert…`, `expect(…)`, `EXPECT_*`/`ASSERT_*`,
    /// `t.Errorf`, `.should`). Assertions that reappear elsewhere in the
    /// diff (moved or reformatted) are not counted.
    ///
    /// ## Why it matters
    /// A test with fewer assertions still passes, and still shows up green
    /// in CI, but checks less. Removing the assertion that fails is a
    /// common way to make a broken change look correct.
    ///
    /// ## Example
    /// ```diff
    ///  result = parse(data)
    /// -assert result.total == 42
    /// -assert result.errors == []
    /// +assert result is not None
    /// ```
    /// Check that each removed assertion is obsolete, or replaced by an
    /// equivalent check.
    ///
    /// ## False positives
    /// Refactors that fold several assertions into one helper call
    /// (`assert_valid(x)`); the rule cannot see inside the helper.
    pub static RULE = {
        id: "assertions-removed",
        category: Category::Risk,
        severity: Severity::Warning,
        confidence: Confidence::Medium,
        summary: "A test loses more assertions than it gains",
        languages: &[],
        check: check,
    }
}

pub(super) static ASSERT: LazyLock<LazyRegex> = LazyLock::new(|| {
    crate::textmatch::lazy(
        r"(?i)(\bassert\w*!?\s*[(\s]|\bexpect\w*\s*\(|\b(EXPECT|ASSERT|CHECK)_\w+\s*\(|\bt\.(errorf?|fatalf?)\s*\(|\.should\b|\bself\.assert\w+\s*\(|\bassert_that\s*\(|\brequire\.\w+\s*\()",
    )
});

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let mut added_anywhere: HashSet<String> = HashSet::new();
    for f in &ctx.patch.files {
        for (_, t) in ctx.added(f) {
            if ASSERT.is_match(&t) {
                added_anywhere.insert(norm(&t));
            }
        }
    }
    for (fi, f) in ctx.patch.files.iter().enumerate() {
        // A test file, or the unit tests a Rust file keeps in itself.
        if f.status == FileStatus::Deleted || !super::has_content(f) || !ctx.has_tests(fi) {
            continue;
        }
        let removed: Vec<(u32, String)> = ctx
            .removed(f)
            .filter(|(no, t)| ASSERT.is_match(t) && !ctx.is_comment(fi, LineKind::Removed, *no, t))
            .filter(|(no, t)| {
                ctx.in_test(fi, LineKind::Removed, *no) && !added_anywhere.contains(&norm(t))
            })
            .collect();
        let added = ctx
            .added(f)
            .filter(|(no, t)| ASSERT.is_match(t) && !ctx.is_comment(fi, LineKind::Added, *no, t))
            .filter(|(no, _)| ctx.in_test(fi, LineKind::Added, *no))
            .count();
        if removed.len() <= added {
            continue;
        }
        let (Some(first), Some(last)) = (removed.first(), removed.last()) else {
            continue;
        };
        let mut fd = ctx.finding(&RULE, f, Side::Old, first.0, last.0);
        fd.message = format!(
            "{} assertion line(s) removed, {} added",
            removed.len(),
            added
        );
        fd.explanation = "The test now checks less than before and still passes. Check that every \
            removed assertion is obsolete or replaced by an equivalent check, and that the change \
            under test did not simply make them fail."
            .to_string();
        fd.evidence = clip(&first.1, 160);
        out.push(fd);
    }
}
