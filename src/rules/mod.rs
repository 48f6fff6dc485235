//! The rule engine: one rule per file, registered in [`RULES`].
//!
//! Each rule's documentation is its doc comment, with the sections
//! `## What it does`, `## Why it matters`, `## Example` and
//! `## False positives`; [`declare_rule!`] captures it into [`Rule::docs`]
//! so the CLI and the rules reference can print it.

use crate::diff::{FileDiff, Patch};
use crate::finding::{Category, Confidence, Finding, Severity, Side};
use crate::lang::{self, Lang};

mod destructive_sql;
mod test_deleted;
mod tls_verify_disabled;

/// Where rule docs are published (`<base>#<rule-id>`).
pub const DOCS_BASE: &str =
    "https://github.com/blastradius-dev/blastradius/blob/main/docs/rules.md";

/// A built-in rule.
pub struct Rule {
    /// Stable id.
    pub id: &'static str,
    /// Category of its findings.
    pub category: Category,
    /// Default severity.
    pub severity: Severity,
    /// Default confidence.
    pub confidence: Confidence,
    /// One-line summary.
    pub summary: &'static str,
    /// Languages it looks at (empty: any file).
    pub languages: &'static [Lang],
    /// Markdown docs from the doc comment.
    pub docs: &'static str,
    /// The check.
    pub check: fn(&Ctx<'_>, &mut Vec<Finding>),
}

/// Declare a rule: the doc comment becomes [`Rule::docs`].
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub static $name:ident = {
            id: $id:literal,
            category: $cat:expr,
            severity: $sev:expr,
            confidence: $conf:expr,
            summary: $summary:literal,
            languages: $langs:expr,
            check: $check:path $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub static $name: $crate::rules::Rule = $crate::rules::Rule {
            id: $id,
            category: $cat,
            severity: $sev,
            confidence: $conf,
            summary: $summary,
            languages: $langs,
            docs: concat!($($doc, "\n"),*),
            check: $check,
        };
    };
}

/// Every built-in rule, in id order.
pub static RULES: &[&Rule] = &[
    &destructive_sql::RULE,
    &test_deleted::RULE,
    &tls_verify_disabled::RULE,
];

/// What a rule sees: the patch and per-file facts.
pub struct Ctx<'a> {
    /// The parsed diff.
    pub patch: &'a Patch<'a>,
    /// One entry per file of the patch, same order.
    pub files: Vec<FileCtx>,
}

/// Facts about one file.
pub struct FileCtx {
    /// Detected language.
    pub lang: Option<Lang>,
    /// Whether the path looks like test code.
    pub is_test: bool,
}

impl<'a> Ctx<'a> {
    /// Build the context for a patch.
    pub fn new(patch: &'a Patch<'a>) -> Self {
        let files = patch
            .files
            .iter()
            .map(|f| {
                let first = f
                    .hunks
                    .first()
                    .filter(|h| h.new_start <= 1)
                    .and_then(|h| h.lines.iter().find(|l| l.new_no == Some(1)))
                    .map(|l| patch.line_text(l));
                FileCtx {
                    lang: lang::detect(f.path(), first.as_deref()),
                    is_test: is_test_path(f.path()),
                }
            })
            .collect();
        Ctx { patch, files }
    }

    /// Start a finding for a rule on a file and line range.
    pub fn finding(
        &self,
        rule: &Rule,
        file: &FileDiff<'_>,
        side: Side,
        line: u32,
        end_line: u32,
    ) -> Finding {
        Finding {
            rule_id: rule.id.to_string(),
            category: rule.category,
            severity: rule.severity,
            confidence: rule.confidence,
            path: file.path().to_string(),
            side,
            line,
            end_line: end_line.max(line),
            message: String::new(),
            explanation: String::new(),
            evidence: String::new(),
            docs: format!("{DOCS_BASE}#{}", rule.id),
        }
    }
}

/// Heuristic: is this path test code?
pub fn is_test_path(path: &str) -> bool {
    let p = path.to_ascii_lowercase();
    let file = p.rsplit('/').next().unwrap_or(&p);
    p.split('/').any(|c| {
        matches!(
            c,
            "test" | "tests" | "__tests__" | "spec" | "testing" | "testdata"
        )
    }) || file.starts_with("test_")
        || file.ends_with("_test.go")
        || file.ends_with("_test.py")
        || file.ends_with("_test.rs")
        || file.contains(".test.")
        || file.contains(".spec.")
        || file.ends_with("_spec.rb")
}

/// Run every rule over a patch; findings come back sorted.
pub fn run(patch: &Patch<'_>) -> Vec<Finding> {
    let ctx = Ctx::new(patch);
    let mut out = Vec::new();
    for rule in RULES {
        (rule.check)(&ctx, &mut out);
    }
    crate::finding::normalize(&mut out);
    out
}

/// Shorten evidence text for display.
pub fn clip(s: &str, max: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}
