//! The whole analysis: diff in, [`Report`] out.

use crate::diff::{self, FileStatus};
use crate::finding::{Finding, Severity};
use crate::lang;
use serde::{Deserialize, Serialize};

/// Version of the JSON report contract.
pub const REPORT_VERSION: u32 = 1;

/// Options for one analysis.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Options {
    /// Minimum severity to report.
    pub min_severity: Option<Severity>,
    /// Pull-request metadata (author login, head branch, title, body,
    /// labels) for the AI-authorship markers.
    #[serde(default)]
    pub pr: Option<crate::ai::PrMeta>,
    /// git-ai authorship notes (`refs/notes/ai`) by commit sha.
    #[serde(default)]
    pub ai_notes: std::collections::BTreeMap<String, String>,
    /// Agent Trace records (JSON text).
    #[serde(default)]
    pub agent_traces: Vec<String>,
    /// Dependency manifests by path (`pyproject.toml`, `package.json`, ...)
    /// for the undeclared-import check; head contents of changed manifests
    /// in `files` count too.
    #[serde(default)]
    pub manifests: std::collections::BTreeMap<String, String>,
    /// Full base/head contents of changed files, by path, for the syntax
    /// layer (without them it parses the hunks only and says so).
    #[serde(default)]
    pub files: std::collections::BTreeMap<String, crate::syntax::FileContents>,
    /// Per-file limits of the syntax layer.
    #[serde(default)]
    pub syntax_limits: crate::syntax::Limits,
    /// Text of the repository policy (`.blastradius.toml`), if any.
    #[serde(default)]
    pub policy: Option<String>,
    /// User rule packs (TOML text), e.g. `.blastradius/rules/*.toml` or the
    /// extension's settings.
    #[serde(default)]
    pub rule_packs: Vec<crate::rules::PackText>,
    /// Whether the change is AI-assisted, when known (drives the policy's
    /// sign-off rule).
    #[serde(default)]
    pub ai_assisted: Option<bool>,
    /// Logins of reviewers who approved the change.
    #[serde(default)]
    pub approvals: Vec<String>,
    /// The change's commits as a `.patch`/mbox stream, read for commit
    /// metadata (authors, trailers) when the analysed input is a combined
    /// diff without commits, such as a pull request's `.diff`.
    #[serde(default)]
    pub commits_patch: Option<String>,
    /// Earlier commits touching the changed files (churn and ownership for
    /// the risk score), when the caller can read history.
    #[serde(default)]
    pub history: Option<crate::risk::history::HistoryInput>,
}

/// A summary of one changed file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileSummary {
    /// Path (new, or old for deleted files).
    pub path: String,
    /// Old path when renamed or copied.
    pub old_path: Option<String>,
    /// What happened.
    pub status: FileStatus,
    /// Binary file.
    pub binary: bool,
    /// Lines added.
    pub added: u32,
    /// Lines deleted.
    pub deleted: u32,
    /// Detected language.
    pub language: Option<String>,
}

/// Finding counts by severity.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Counts {
    /// Info findings.
    pub info: u32,
    /// Warning findings.
    pub warning: u32,
    /// High findings.
    pub high: u32,
    /// Critical findings.
    pub critical: u32,
}

impl Counts {
    /// Count findings.
    pub fn of(findings: &[Finding]) -> Counts {
        let mut c = Counts::default();
        for f in findings {
            match f.severity {
                Severity::Info => c.info += 1,
                Severity::Warning => c.warning += 1,
                Severity::High => c.high += 1,
                Severity::Critical => c.critical += 1,
            }
        }
        c
    }
    /// Total.
    pub fn total(&self) -> u32 {
        self.info + self.warning + self.high + self.critical
    }
}

/// Totals for the whole change.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Summary {
    /// Files changed.
    pub files: u32,
    /// Lines added.
    pub added: u32,
    /// Lines deleted.
    pub deleted: u32,
    /// Commits in the input (0 for a plain diff).
    pub commits: u32,
    /// Findings by severity.
    pub findings: Counts,
}

/// A reader problem, passed through.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct InputDiagnostic {
    /// 1-based input line.
    pub line: u32,
    /// What was wrong.
    pub message: String,
}

/// The result of an analysis.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Report {
    /// Contract version.
    pub version: u32,
    /// Totals.
    pub summary: Summary,
    /// Per file.
    pub files: Vec<FileSummary>,
    /// Findings, sorted by path, side, line, rule.
    pub findings: Vec<Finding>,
    /// Problems in the input.
    pub diagnostics: Vec<InputDiagnostic>,
    /// AI-authorship signals: per-commit markers, PR verdict, content
    /// score, AI-attributed lines.
    #[serde(default)]
    pub authorship: crate::ai::Authorship,
    /// Syntax layer: symbols, symbol-level changes and edit classes per file.
    #[serde(default)]
    pub syntax: Vec<crate::syntax::FileSyntax>,
    /// Problems in the policy or rule packs (line and column); the rest of
    /// the configuration still applied.
    #[serde(default)]
    pub config_diagnostics: Vec<crate::rules::ConfigDiagnostic>,
    /// Change-level risk: score 0–100, tier and the top contributing factors.
    #[serde(default)]
    pub risk: crate::risk::RiskScore,
    /// The lines to review first (at most 50), grouped by hunk, with reasons.
    #[serde(default)]
    pub critical_lines: Vec<crate::risk::CriticalLine>,
    /// How far the change reaches, per file and changed symbol.
    #[serde(default)]
    pub blast_radius: crate::risk::blast::BlastRadius,
    /// Estimated review minutes, per file and in total.
    #[serde(default)]
    pub effort: crate::risk::effort::Effort,
    /// Churn and ownership of the changed files, when history was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history: Option<crate::risk::history::History>,
}

/// Why an input could not be analysed at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnalyzeError {
    /// Nothing in the input looked like a diff.
    NotADiff {
        /// Problems the reader reported, if any.
        diagnostics: Vec<String>,
    },
}

impl std::fmt::Display for AnalyzeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AnalyzeError::NotADiff { diagnostics } => {
                write!(f, "the input contains no diff: expected `diff --git` or `---`/`+++` file headers followed by `@@` hunks")?;
                for d in diagnostics.iter().take(5) {
                    write!(f, "\n  {d}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for AnalyzeError {}

/// Analyse a diff or patch.
pub fn analyze(input: &[u8], opts: &Options) -> Result<Report, AnalyzeError> {
    let patch = diff::parse(input);
    let diagnostics: Vec<InputDiagnostic> = patch
        .diagnostics
        .iter()
        .map(|d| InputDiagnostic {
            line: d.line,
            message: d.message.clone(),
        })
        .collect();
    if patch.files.is_empty() && patch.commits.is_empty() {
        let empty = input.iter().all(|b| b.is_ascii_whitespace());
        if !empty {
            return Err(AnalyzeError::NotADiff {
                diagnostics: diagnostics
                    .iter()
                    .map(|d| format!("line {}: {}", d.line, d.message))
                    .collect(),
            });
        }
    }
    let syntax = crate::syntax::analyze_patch_with(
        &patch,
        crate::syntax::Input {
            files: &opts.files,
            limits: opts.syntax_limits,
        },
    );
    let authorship = crate::ai::analyze(
        &patch,
        &crate::ai::AuthorshipInput {
            pr: opts.pr.clone(),
            ai_notes: opts.ai_notes.clone(),
            agent_traces: opts.agent_traces.clone(),
            manifests: {
                let mut m = opts.manifests.clone();
                for (p, c) in &opts.files {
                    if let (true, Some(h)) = (crate::ai::imports::is_manifest(p), &c.head) {
                        m.entry(p.clone()).or_insert_with(|| h.clone());
                    }
                }
                m
            },
            commits_patch: opts.commits_patch.clone(),
        },
    );
    // The policy's sign-off rule uses the caller's answer when given, else
    // the authorship verdict (likely or confirmed counts as AI-assisted).
    let ai_assisted = opts
        .ai_assisted
        .or_else(|| (authorship.verdict >= crate::ai::Tier::Likely).then_some(true));
    let run_cfg = crate::rules::RunConfig {
        policy: opts.policy.as_deref(),
        packs: &opts.rule_packs,
        facts: crate::policy::Facts {
            ai_assisted,
            approvals: opts.approvals.clone(),
        },
        syntax: Some(&syntax),
    };
    let (mut findings, config_diagnostics) = crate::rules::run_with(&patch, &run_cfg);
    findings.extend(crate::ai::findings(&patch, &authorship));
    crate::finding::normalize(&mut findings);
    let ai_share = (authorship.ai_lines > 0).then(|| {
        let added: u32 = patch.files.iter().map(|f| f.added).sum();
        authorship.ai_lines as f64 / added.max(1) as f64
    });
    let history = opts.history.as_ref().map(crate::risk::history::summarize);
    let mut risk_ctx = crate::risk::context_from_stages(&syntax, &findings, ai_share);
    risk_ctx.extra.history = history.clone();
    let assessment = crate::risk::assess(&patch, &findings, &risk_ctx);
    if let Some(min) = opts.min_severity {
        findings.retain(|f| f.severity >= min);
    }
    let files: Vec<FileSummary> = patch
        .files
        .iter()
        .map(|f| FileSummary {
            path: f.path().to_string(),
            old_path: match f.status {
                FileStatus::Renamed | FileStatus::Copied => {
                    f.old_path.as_deref().map(str::to_string)
                }
                _ => None,
            },
            status: f.status,
            binary: f.binary,
            added: f.added,
            deleted: f.deleted,
            language: lang::detect(f.path(), None).map(|l| l.name().to_string()),
        })
        .collect();
    let summary = Summary {
        files: files.len() as u32,
        added: files.iter().map(|f| f.added).sum(),
        deleted: files.iter().map(|f| f.deleted).sum(),
        commits: patch.commits.len().max(authorship.commits.len()) as u32,
        findings: Counts::of(&findings),
    };
    Ok(Report {
        version: REPORT_VERSION,
        summary,
        files,
        findings,
        diagnostics,
        authorship,
        syntax,
        config_diagnostics,
        risk: assessment.risk,
        critical_lines: assessment.critical_lines,
        blast_radius: assessment.blast_radius,
        effort: assessment.effort,
        history,
    })
}
