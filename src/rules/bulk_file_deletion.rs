use super::Ctx;
use crate::diff::FileStatus;
use crate::finding::{Category, Confidence, Finding, Severity, Side};

crate::declare_rule! {
    /// ## What it does
    /// Flags a change that deletes ten or more files (tests and other
    /// files alike), once, on the first deleted file.
    ///
    /// ## Why it matters
    /// Mass deletions are easy to approve without looking: the diff is all
    /// red and seems to need no thought. They are also how an assistant
    /// "cleans up" files it did not understand, and how a bad glob or
    /// script shows up.
    ///
    /// ## Example
    /// A change titled "refactor config loading" that deletes 14 files under
    /// `migrations/`.
    ///
    /// ## False positives
    /// Deliberate removals of a feature, vendored code or generated files.
    pub static RULE = {
        id: "bulk-file-deletion",
        category: Category::Risk,
        severity: Severity::Warning,
        confidence: Confidence::High,
        summary: "The change deletes ten or more files",
        languages: &[],
        check: check,
    }
}

/// How many deleted files trigger the rule.
pub const THRESHOLD: usize = 10;

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let deleted: Vec<_> = ctx
        .patch
        .files
        .iter()
        .filter(|f| f.status == FileStatus::Deleted)
        .collect();
    if deleted.len() < THRESHOLD {
        return;
    }
    let Some(first) = deleted.first() else { return };
    let lines: u32 = deleted.iter().map(|f| f.deleted).sum();
    let mut fd = ctx.finding(&RULE, first, Side::Old, 1, 1);
    fd.message = format!("{} files deleted ({lines} lines)", deleted.len());
    fd.explanation = "Large deletions are easy to wave through. Check that every deleted file is \
        really unused (imports, configuration, scripts, documentation links), and that the list \
        is what the change description says."
        .to_string();
    fd.evidence = deleted
        .iter()
        .take(5)
        .map(|f| f.path())
        .collect::<Vec<_>>()
        .join(", ");
    out.push(fd);
}
