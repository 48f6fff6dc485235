//! AI-authorship signals, kept apart by kind:
//!
//! - **metadata markers** ([`markers`]): deterministic, high precision —
//!   bot identities, `Co-authored-by` trailers, footers, branch prefixes,
//!   PR labels — from the table in `markers.toml`;
//! - **line attribution** ([`attribution`]): git-ai notes and Agent Trace
//!   records mapped onto the diff's new-side lines;
//! - **content** ([`features`], [`model`]): a calibrated probability from
//!   the code alone, with the features that moved it.
//!
//! A missing marker never means "human": the weakest outcome is
//! [`Tier::NoEvidence`]. Data in, data out: no I/O here.

pub mod attribution;
pub mod eval;
pub mod features;
pub mod imports;
pub mod markers;
pub mod model;

use crate::diff::{LineKind, Patch};
use crate::finding::{Category, Confidence, Finding, Severity, Side};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use attribution::{Attribution, Contributor};

/// Where to read the rule docs.
pub const DOCS: &str =
    "https://github.com/blastradius-dev/blastradius/blob/main/docs/authorship.md";

/// Pull-request metadata the page or the host API provides.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct PrMeta {
    /// Author login (`copilot-swe-agent[bot]`).
    pub author: Option<String>,
    /// Head ref / source branch (`claude/fix-login`).
    pub head_ref: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Description.
    pub body: Option<String>,
    /// Labels.
    pub labels: Vec<String>,
}

/// Authorship inputs besides the diff.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct AuthorshipInput {
    /// Pull-request metadata.
    pub pr: Option<PrMeta>,
    /// git-ai notes (`refs/notes/ai`) by commit sha (full or abbreviated).
    /// For a plain diff without commits, any one note applies to the diff.
    pub ai_notes: BTreeMap<String, String>,
    /// Agent Trace records: JSON text (a record, an array, or JSON Lines).
    pub agent_traces: Vec<String>,
    /// Dependency manifests by path (`pyproject.toml`, `requirements.txt`,
    /// `package.json`, ...), to find imports of undeclared packages.
    pub manifests: BTreeMap<String, String>,
    /// A `.patch`/mbox stream of the change's commits (e.g. a pull request's
    /// `.patch`), read for commit metadata only, when the analysed diff is a
    /// combined diff without commits (a pull request's `.diff`).
    pub commits_patch: Option<String>,
}

/// What an agent did according to a marker.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// The agent is the author.
    Author,
    /// The agent is a co-author.
    CoAuthor,
    /// The change discloses AI assistance.
    Assisted,
    /// A link to the agent session.
    Session,
    /// A mention only.
    Mention,
}

/// Where a marker was found.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// Commit metadata.
    Commit,
    /// Pull-request metadata.
    PullRequest,
}

/// One marker that matched.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct MarkerHit {
    /// Agent id (`claude-code`, `copilot`, `other`).
    pub agent: String,
    /// Agent display name.
    pub agent_name: String,
    /// Marker id (`trailer:co-authored-by-claude`).
    pub marker: String,
    /// How sure the marker is.
    pub confidence: Confidence,
    /// What the agent did.
    pub role: Role,
    /// Commit or pull request.
    pub source: Source,
    /// The matched line or identity.
    pub evidence: String,
}

/// How strong the evidence of AI involvement is. Never "human".
#[derive(
    Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash, Default,
)]
#[serde(rename_all = "kebab-case")]
pub enum Tier {
    /// Nothing points either way.
    #[default]
    NoEvidence,
    /// A weak signal (a mention, or a content score above the "possible" threshold).
    Possible,
    /// A convention a human could also follow (branch prefix, label), or a
    /// content score above the "likely" threshold.
    Likely,
    /// A marker only the agent writes, or line-level attestation.
    Confirmed,
}

impl Tier {
    fn of(c: Confidence) -> Tier {
        match c {
            Confidence::High => Tier::Confirmed,
            Confidence::Medium => Tier::Likely,
            Confidence::Low => Tier::Possible,
        }
    }
}

/// Authorship of one commit.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CommitAuthorship {
    /// Index into the patch's commits.
    pub index: u32,
    /// Commit id, when known.
    pub sha: Option<String>,
    /// Subject line.
    pub subject: String,
    /// Markers that matched.
    pub markers: Vec<MarkerHit>,
    /// Agents named by markers of medium or high confidence.
    pub agents: Vec<String>,
    /// Tier from the markers alone.
    pub tier: Tier,
    /// Content probability of this commit's code alone (absent below 3
    /// added code lines); see [`ContentScore`].
    pub content_probability: Option<f64>,
}

/// The content score.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ContentScore {
    /// Probability that the change is AI-assisted, from the code alone
    /// (calibrated on the training corpus, whose prior is about one half).
    pub probability: f64,
    /// Tier from the shipped thresholds.
    pub tier: Tier,
    /// Threshold for "likely".
    pub likely_threshold: f64,
    /// Threshold for "possible".
    pub possible_threshold: f64,
    /// Added code lines the score is based on.
    pub code_lines: u32,
    /// The features that moved the score most.
    pub top_features: Vec<model::Contribution>,
    /// Lines with high-precision, low-recall tells (placeholder elisions,
    /// comments restating the next line, stubs, emoji in code).
    pub tells: Vec<features::Tell>,
}

/// AI-attributed new-side lines of one file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct AttributedLines {
    /// File path (new side).
    pub path: String,
    /// First line.
    pub start: u32,
    /// Last line (inclusive).
    pub end: u32,
    /// Tool or agent, when the record says.
    pub tool: Option<String>,
    /// Model, when the record says.
    pub model: Option<String>,
    /// `git-ai` or `agent-trace`.
    pub source: String,
    /// The commit the record belongs to, when known.
    pub commit: Option<String>,
}

/// The authorship section of a report.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Authorship {
    /// The strongest evidence over commits, PR, lines and content.
    pub verdict: Tier,
    /// Which kind of evidence set the verdict: `metadata`,
    /// `line-attribution`, `content` or `none`.
    pub basis: String,
    /// Agents named by metadata or line attribution.
    pub agents: Vec<String>,
    /// Per commit (empty for a plain diff).
    pub commits: Vec<CommitAuthorship>,
    /// Pull-request markers.
    pub pull_request: Vec<MarkerHit>,
    /// Tier of the pull-request markers.
    pub pull_request_tier: Tier,
    /// Content score (absent when there is too little code to judge).
    pub content: Option<ContentScore>,
    /// AI-attributed added lines.
    pub lines: Vec<AttributedLines>,
    /// Number of AI-attributed added lines.
    pub ai_lines: u32,
    /// Added imports of packages no manifest declares (only when
    /// manifests were given).
    pub undeclared_imports: Vec<features::Tell>,
    /// Problems reading notes or traces.
    pub diagnostics: Vec<String>,
}

/// Minimum added code lines for a content score.
pub const MIN_CODE_LINES: u32 = 3;

fn tier_of(hits: &[MarkerHit]) -> Tier {
    hits.iter()
        .map(|h| Tier::of(h.confidence))
        .max()
        .unwrap_or(Tier::NoEvidence)
}

fn agents_of(hits: &[MarkerHit]) -> Vec<String> {
    let mut v: Vec<String> = hits
        .iter()
        .filter(|h| h.confidence >= Confidence::Medium)
        .map(|h| h.agent.clone())
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Metadata markers of every commit in a patch.
pub fn commit_authorship(patch: &Patch<'_>) -> Vec<CommitAuthorship> {
    let table = markers::table();
    patch
        .commits
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let hits = markers::commit_markers(table, c);
            CommitAuthorship {
                index: i as u32,
                sha: c.sha.as_deref().map(str::to_string),
                subject: c.subject.to_string(),
                agents: agents_of(&hits),
                tier: tier_of(&hits),
                markers: hits,
                content_probability: None,
            }
        })
        .collect()
}

/// Content score of a patch with the shipped model.
pub fn content_score(patch: &Patch<'_>) -> Option<ContentScore> {
    let m = model::shipped()?;
    let code_lines = features::added_code_lines(patch);
    if code_lines < MIN_CODE_LINES {
        return None;
    }
    let (x, tells) = features::extract_with_tells(patch);
    let p = m.predict(&x);
    let tier = if p >= m.thresholds.likely {
        Tier::Likely
    } else if p >= m.thresholds.possible {
        Tier::Possible
    } else {
        Tier::NoEvidence
    };
    Some(ContentScore {
        probability: (p * 1000.0).round() / 1000.0,
        tier,
        likely_threshold: (m.thresholds.likely * 1000.0).round() / 1000.0,
        possible_threshold: (m.thresholds.possible * 1000.0).round() / 1000.0,
        code_lines,
        top_features: m
            .explain(&x)
            .into_iter()
            .filter(|c| c.log_odds.abs() >= 0.05)
            .take(5)
            .map(|mut c| {
                c.value = (c.value * 1000.0).round() / 1000.0;
                c.log_odds = (c.log_odds * 1000.0).round() / 1000.0;
                c
            })
            .collect(),
        tells,
    })
}

fn sha_matches(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    let n = a.len().min(b.len());
    n >= 7
        && a.get(..n)
            .zip(b.get(..n))
            .is_some_and(|(x, y)| x.eq_ignore_ascii_case(y))
}

fn path_matches(record: &str, diff_path: &str) -> bool {
    let r = record.trim_start_matches("./");
    r == diff_path
}

/// Map attested AI ranges onto the added lines of the files they belong
/// to: the files of the commit the record names, or every file when the
/// record names no commit (or the patch has none).
fn map_attribution(
    patch: &Patch<'_>,
    att: &Attribution,
    commit: Option<&str>,
) -> Vec<AttributedLines> {
    let commit_idx: Option<u32> = commit.and_then(|sha| {
        patch
            .commits
            .iter()
            .position(|c| c.sha.as_deref().is_some_and(|s| sha_matches(s, sha)))
            .map(|i| i as u32)
    });
    let mut out = Vec::new();
    for f in &patch.files {
        if let (Some(ci), true) = (commit_idx, !patch.commits.is_empty()) {
            if f.commit != Some(ci) {
                continue;
            }
        } else if commit.is_some() && !patch.commits.is_empty() {
            // The record names a commit that is not in the patch.
            continue;
        }
        let path = f.path();
        let ranges: Vec<_> = att
            .ranges
            .iter()
            .filter(|r| r.contributor == Contributor::Ai && path_matches(&r.path, path))
            .collect();
        if ranges.is_empty() {
            continue;
        }
        // Added new-side lines, in order, with the range that covers them.
        let mut run: Option<AttributedLines> = None;
        for h in &f.hunks {
            for l in &h.lines {
                let (LineKind::Added, Some(n)) = (l.kind, l.new_no()) else {
                    continue;
                };
                let cover = ranges.iter().find(|r| r.start <= n && n <= r.end);
                match (cover, run.as_mut()) {
                    (Some(r), Some(cur))
                        if cur.end + 1 == n && cur.tool == r.tool && cur.model == r.model =>
                    {
                        cur.end = n;
                    }
                    (Some(r), _) => {
                        if let Some(done) = run.take() {
                            out.push(done);
                        }
                        run = Some(AttributedLines {
                            path: path.to_string(),
                            start: n,
                            end: n,
                            tool: r.tool.clone(),
                            model: r.model.clone(),
                            source: att.format.clone(),
                            commit: commit.map(str::to_string),
                        });
                    }
                    (None, _) => {
                        if let Some(done) = run.take() {
                            out.push(done);
                        }
                    }
                }
            }
        }
        if let Some(done) = run.take() {
            out.push(done);
        }
    }
    out
}

/// Largest Agent Trace record file read from a diff (bytes).
const MAX_RECORD_FILE: usize = 1 << 20;

/// Whether `path` is where Agent Trace records are kept as files: a `.json`
/// file under a `.agent-trace/` directory, or named `*.agent-trace.json`.
/// (The specification leaves storage open; this is the file convention
/// Blast Radius reads.)
pub fn is_agent_trace_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let under_dir = lower.starts_with(".agent-trace/") || lower.contains("/.agent-trace/");
    (under_dir && lower.ends_with(".json")) || lower.ends_with(".agent-trace.json")
}

/// The Agent Trace record files the change adds, with their text: a new
/// file's every line is in the diff. A record file that is only modified
/// is not read (the diff holds just the changed lines of it).
fn records_in_diff(patch: &Patch<'_>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for f in &patch.files {
        if f.status != crate::diff::FileStatus::Added || f.binary || !is_agent_trace_path(f.path())
        {
            continue;
        }
        let mut text = String::new();
        for l in f.hunks.iter().flat_map(|h| &h.lines) {
            if l.kind == LineKind::Added {
                text.push_str(&patch.line_text(l));
                text.push('\n');
            }
            if text.len() > MAX_RECORD_FILE {
                break;
            }
        }
        if text.len() <= MAX_RECORD_FILE {
            out.push((f.path().to_string(), text));
        }
    }
    out
}

/// All authorship signals of a patch.
pub fn analyze(patch: &Patch<'_>, input: &AuthorshipInput) -> Authorship {
    let mut out = Authorship {
        commits: commit_authorship(patch),
        ..Default::default()
    };
    if patch.commits.is_empty() {
        if let Some(text) = &input.commits_patch {
            out.commits = commit_authorship(&crate::diff::parse(text.as_bytes()));
        }
    }
    if let Some(pr) = &input.pr {
        out.pull_request = markers::pr_markers(markers::table(), pr);
        out.pull_request_tier = tier_of(&out.pull_request);
    }
    // Line attribution.
    for (sha, note) in &input.ai_notes {
        match attribution::parse_git_ai(note) {
            Ok(att) => {
                out.diagnostics.extend(att.warnings.iter().cloned());
                let commit = (!sha.trim().is_empty()).then_some(sha.as_str());
                out.lines.extend(map_attribution(patch, &att, commit));
            }
            Err(e) => out.diagnostics.push(format!("note for {sha}: {e}")),
        }
    }
    // Agent Trace records: those given, then those the change itself adds
    // (`.agent-trace/…json`), whose diagnostics name their file.
    let given = input
        .agent_traces
        .iter()
        .map(|t| (String::new(), t.clone()));
    for (from, text) in given.chain(records_in_diff(patch)) {
        let label = |m: &str| {
            if from.is_empty() {
                m.to_string()
            } else {
                format!("{from}: {m}")
            }
        };
        match attribution::parse_agent_trace_text(&text) {
            Ok(atts) => {
                for att in atts {
                    out.diagnostics
                        .extend(att.warnings.iter().map(|w| label(w)));
                    let rev = att.revision.clone();
                    out.lines
                        .extend(map_attribution(patch, &att, rev.as_deref()));
                }
            }
            Err(e) => out.diagnostics.push(label(&e)),
        }
    }
    out.lines
        .sort_by(|a, b| (&a.path, a.start, a.end).cmp(&(&b.path, b.start, b.end)));
    out.lines
        .dedup_by(|a, b| a.path == b.path && a.start == b.start && a.end == b.end);
    out.ai_lines = out.lines.iter().map(|l| l.end - l.start + 1).sum();
    out.content = content_score(patch);
    if let Some(m) = model::shipped() {
        for c in out.commits.iter_mut() {
            if features::added_code_lines_filtered(patch, Some(c.index)) >= MIN_CODE_LINES {
                let (x, _) = features::extract_filtered(patch, Some(c.index));
                c.content_probability = Some((m.predict(&x) * 1000.0).round() / 1000.0);
            }
        }
    }
    out.undeclared_imports = imports::undeclared(patch, &input.manifests)
        .into_iter()
        .take(features::MAX_TELLS)
        .map(|u| features::Tell {
            kind: "undeclared-import".into(),
            path: u.path,
            line: u.line,
            text: u.text,
            detail: Some(u.package),
        })
        .collect();

    // Verdict: the strongest evidence, metadata first.
    let meta_tier = out
        .commits
        .iter()
        .map(|c| c.tier)
        .chain([out.pull_request_tier])
        .max()
        .unwrap_or(Tier::NoEvidence);
    let line_tier = if out.ai_lines > 0 {
        Tier::Confirmed
    } else {
        Tier::NoEvidence
    };
    let content_tier = out.content.as_ref().map_or(Tier::NoEvidence, |c| c.tier);
    let (verdict, basis) = [
        (meta_tier, "metadata"),
        (line_tier, "line-attribution"),
        (content_tier, "content"),
    ]
    .into_iter()
    .fold((Tier::NoEvidence, "none"), |best, cur| {
        if cur.0 > best.0 {
            cur
        } else {
            best
        }
    });
    out.verdict = verdict;
    out.basis = basis.to_string();
    let mut agents: Vec<String> = out
        .commits
        .iter()
        .flat_map(|c| c.agents.iter().cloned())
        .chain(agents_of(&out.pull_request))
        .chain(out.lines.iter().filter_map(|l| l.tool.clone()))
        .collect();
    agents.sort();
    agents.dedup();
    out.agents = agents;
    out
}

/// Where to anchor a change-level finding: the first added line of the
/// first file (of a commit, when given).
fn anchor(patch: &Patch<'_>, commit: Option<u32>) -> Option<(String, u32)> {
    let f = patch
        .files
        .iter()
        .filter(|f| commit.is_none() || f.commit == commit)
        .find(|f| !f.hunks.is_empty())
        .or_else(|| {
            patch
                .files
                .iter()
                .find(|f| commit.is_none() || f.commit == commit)
        })?;
    let line = f
        .hunks
        .iter()
        .flat_map(|h| h.lines.iter())
        .find(|l| l.kind == LineKind::Added)
        .and_then(|l| l.new_no())
        .or_else(|| f.hunks.first().map(|h| h.new_start.max(1)))
        .unwrap_or(1);
    Some((f.path().to_string(), line))
}

fn describe(hits: &[MarkerHit]) -> String {
    let mut names: Vec<&str> = hits
        .iter()
        .filter(|h| h.confidence >= Confidence::Medium)
        .map(|h| h.agent_name.as_str())
        .collect();
    names.dedup();
    names.sort();
    names.dedup();
    names.join(", ")
}

#[allow(clippy::too_many_arguments)]
fn finding(
    rule: &str,
    confidence: Confidence,
    path: String,
    line: u32,
    end: u32,
    message: String,
    explanation: String,
    evidence: String,
) -> Finding {
    Finding {
        rule_id: rule.to_string(),
        category: Category::Authorship,
        severity: Severity::Info,
        confidence,
        path,
        side: Side::New,
        line,
        end_line: end,
        message,
        explanation,
        evidence,
        docs: format!("{DOCS}#{rule}"),
    }
}

/// Authorship findings for the report.
pub fn findings(patch: &Patch<'_>, a: &Authorship) -> Vec<Finding> {
    let mut out = Vec::new();
    for c in &a.commits {
        if c.tier < Tier::Likely {
            continue;
        }
        // Commits read from a separate `.patch` own no file of a combined diff.
        let own = (!patch.commits.is_empty()).then_some(c.index);
        let Some((path, line)) = anchor(patch, own) else {
            continue;
        };
        let strong: Vec<&MarkerHit> = c
            .markers
            .iter()
            .filter(|h| h.confidence >= Confidence::Medium)
            .collect();
        let authored = strong
            .iter()
            .any(|h| h.role == Role::Author && h.confidence == Confidence::High);
        let sha = c.sha.as_deref().map_or(String::from("this commit"), |s| {
            format!("commit {}", s.get(..12).unwrap_or(s))
        });
        let who = describe(&c.markers);
        let message = if authored {
            format!("{sha} was authored by an AI agent ({who})")
        } else {
            format!("{sha} was written with AI assistance ({who})")
        };
        let explanation = format!(
            "The commit metadata carries {} ({}). Agent-written code reads fluently and can still be confidently wrong: check the logic, the edge cases and any API it calls as you would a new contributor's, and apply the repository's sign-off policy for AI-assisted changes. The marker says an agent was involved, not how much of the change it wrote.",
            if strong.len() == 1 { "an AI-agent marker" } else { "AI-agent markers" },
            strong.iter().map(|h| h.marker.as_str()).collect::<Vec<_>>().join(", ")
        );
        let evidence = strong
            .iter()
            .map(|h| h.evidence.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        let conf = if c.tier == Tier::Confirmed {
            Confidence::High
        } else {
            Confidence::Medium
        };
        out.push(finding(
            "ai-authored-commit",
            conf,
            path,
            line,
            line,
            message,
            explanation,
            evidence,
        ));
    }
    if a.pull_request_tier >= Tier::Likely {
        if let Some((path, line)) = anchor(patch, None) {
            let strong: Vec<&MarkerHit> = a
                .pull_request
                .iter()
                .filter(|h| h.confidence >= Confidence::Medium)
                .collect();
            let conf = if a.pull_request_tier == Tier::Confirmed {
                Confidence::High
            } else {
                Confidence::Medium
            };
            out.push(finding(
                "ai-authored-pr",
                conf,
                path,
                line,
                line,
                format!("The pull request names an AI agent ({})", describe(&a.pull_request)),
                format!(
                    "The pull request's metadata carries {} ({}). Review it as agent-written work: verify behaviour rather than trusting the description, and apply the repository's sign-off policy for AI-assisted changes.",
                    if strong.len() == 1 { "an AI-agent marker" } else { "AI-agent markers" },
                    strong.iter().map(|h| h.marker.as_str()).collect::<Vec<_>>().join(", ")
                ),
                strong.iter().map(|h| h.evidence.as_str()).collect::<Vec<_>>().join("\n"),
            ));
        }
    }
    for l in &a.lines {
        let who = match (&l.tool, &l.model) {
            (Some(t), Some(m)) => format!("{t}, {m}"),
            (Some(t), None) => t.clone(),
            (None, Some(m)) => m.clone(),
            (None, None) => "an AI agent".to_string(),
        };
        out.push(finding(
            "ai-attributed-lines",
            Confidence::High,
            l.path.clone(),
            l.start,
            l.end,
            format!("Lines attested as AI-written ({who})"),
            format!(
                "{} attests that an AI agent wrote these lines. Read them as you would a new contributor's code: check names, edge cases and error handling, and that every API they call exists.",
                match l.source.as_str() {
                    "git-ai" => "A git-ai note".to_string(),
                    "agent-trace" => "An Agent Trace record".to_string(),
                    other => format!("A {other} record"),
                }
            ),
            format!("{} {}-{}{}", l.source, l.start, l.end, l.commit.as_deref().map_or(String::new(), |c| format!(" in {c}"))),
        ));
    }
    for u in &a.undeclared_imports {
        let pkg = u.detail.as_deref().unwrap_or("?");
        out.push(Finding {
            severity: Severity::Warning,
            ..finding(
                "undeclared-import",
                Confidence::Medium,
                u.path.clone(),
                u.line,
                u.line,
                format!("Import of a package no manifest declares ({pkg})"),
                "No dependency manifest names this package. Generated code sometimes imports packages that do not exist or are not installed (and a look-alike name on the registry can be malicious): check that the package is real, that it is the one intended, and add it to the manifest.".to_string(),
                u.text.clone(),
            )
        });
    }
    if let Some(c) = &a.content {
        if c.tier >= Tier::Likely && a.verdict == Tier::Likely && a.basis == "content" {
            if let Some((path, line)) = anchor(patch, None) {
                let top = c
                    .top_features
                    .iter()
                    .filter(|f| f.log_odds > 0.0)
                    .take(3)
                    .map(|f| {
                        format!(
                            "{}: {} (log-odds {:+.2})",
                            f.description, f.value, f.log_odds
                        )
                    })
                    .collect::<Vec<_>>();
                out.push(finding(
                    "ai-content-signal",
                    Confidence::Low,
                    path,
                    line,
                    line,
                    format!("The code reads like AI-assisted work (score {:.2})", c.probability),
                    "A statistical signal from the code alone (comment habits, docstrings, placeholders, formatting and size), not proof: larger changes and recent coding styles score higher, and a human can write this way. Use it to decide how closely to read, never to judge the author.".to_string(),
                    top.into_iter()
                        .chain(c.tells.iter().take(5).map(|t| format!("{} at {}:{}: {}", t.kind, t.path, t.line, t.text)))
                        .collect::<Vec<_>>()
                        .join("\n"),
                ));
            }
        }
    }
    out
}
