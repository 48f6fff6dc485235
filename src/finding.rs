//! The result types every stage produces and every renderer reads.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How bad a finding is, in increasing order.
#[derive(
    Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing.
    #[default]
    Info,
    /// Check before approving.
    Warning,
    /// Likely to hurt if wrong.
    High,
    /// Must not be waved through.
    Critical,
}

impl Severity {
    /// All severities, lowest first.
    pub const ALL: [Severity; 4] = [
        Severity::Info,
        Severity::Warning,
        Severity::High,
        Severity::Critical,
    ];
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
    /// Parse a lower-case name.
    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of concern a finding raises.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// A risky change.
    Risk,
    /// AI-authored or AI-assisted code.
    Authorship,
    /// A repository policy requirement.
    Policy,
}

/// Which side of the diff a line number refers to.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// The new (right, `+`) side.
    New,
    /// The old (left, `-`) side.
    Old,
}

/// How sure a rule is.
#[derive(
    Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// A heuristic; expect false positives.
    Low,
    /// Usually right.
    #[default]
    Medium,
    /// Almost always right.
    High,
}

/// One warning on one place of the diff.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Finding {
    /// Stable rule id (`destructive-sql`).
    pub rule_id: String,
    /// Risk, authorship or policy.
    pub category: Category,
    /// How bad.
    pub severity: Severity,
    /// How sure.
    pub confidence: Confidence,
    /// File path (new path, or old path for deleted files).
    pub path: String,
    /// Side the line numbers refer to.
    pub side: Side,
    /// First line (1-based).
    pub line: u32,
    /// Last line (inclusive).
    pub end_line: u32,
    /// One line: what was found.
    pub message: String,
    /// Why it matters and what to check before approving.
    pub explanation: String,
    /// The matched text or fact.
    pub evidence: String,
    /// Link to the rule's documentation.
    pub docs: String,
}

impl Finding {
    /// Deterministic ordering key: path, side, line, rule.
    pub fn sort_key(&self) -> (&str, Side, u32, u32, &str) {
        (
            &self.path,
            self.side,
            self.line,
            self.end_line,
            &self.rule_id,
        )
    }
}

/// Sort findings deterministically and drop exact duplicates.
pub fn normalize(findings: &mut Vec<Finding>) {
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings.dedup_by(|a, b| a.sort_key() == b.sort_key());
}
