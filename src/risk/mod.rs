//! Risk: how likely a change is to introduce a bug, which lines to review
//! first, how far a change reaches (blast radius) and how long it takes to
//! review (effort).
//!
//! Everything here is data in, data out (no file system, no process), so it
//! runs in the browser extension as well as the CLI. The models are
//! standardised logistic regressions whose weights are data
//! (`src/risk/weights.json`), trained reproducibly by
//! `blastradius train risk DIR` on a corpus in the `risk-dev` format. See
//! `docs/risk.md` for the features, the evaluation and its limits.

pub mod blast;
pub mod effort;
pub mod eval;
pub mod features;
pub mod history;
pub mod lexicon;
pub mod metrics;
pub mod model;
pub mod text;
pub mod train;

use crate::finding::{Finding, Severity, Side};
use features::{PatchFacts, CHANGE_FEATURES, LINE_FEATURES};
use model::{Aligned, Weights};
use serde::{Deserialize, Serialize};

/// How many critical lines a report carries.
pub const CRITICAL_LINES: usize = 50;

/// Facts from other stages that can raise the score when present. None of
/// them exist in the training corpus, so their weights are fixed priors
/// (documented in `docs/risk.md`), not learned.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct ExtraFacts {
    /// Changed paths that policy marks load-bearing.
    pub load_bearing_paths: Vec<String>,
    /// Share (0–1) of the change that looks AI-assisted, when known.
    pub ai_share: Option<f64>,
    /// Public API changes the syntax layer saw.
    pub public_api_changes: u32,
    /// Churn and ownership of the changed files, when history is known.
    pub history: Option<history::History>,
}

/// Risk tier.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Default)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    /// Below the medium threshold.
    #[default]
    Low,
    /// Worth a careful look.
    Medium,
    /// Likely to carry a bug.
    High,
    /// Review first, line by line.
    Critical,
}

impl Tier {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Low => "low",
            Tier::Medium => "medium",
            Tier::High => "high",
            Tier::Critical => "critical",
        }
    }
}

/// One factor of the explanation.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Factor {
    /// Feature name.
    pub name: String,
    /// What it measures.
    pub description: String,
    /// Its value for this change.
    pub value: f64,
    /// The model weight (on the standardised value; fixed priors for extra facts).
    pub weight: f64,
    /// How much it moved the log-odds compared with an average change.
    pub contribution: f64,
}

/// The change-level risk.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct RiskScore {
    /// 0–100: the model's probability that the change introduces a bug.
    pub score: f64,
    /// Tier of the score.
    pub tier: Tier,
    /// Top contributing factors, largest absolute contribution first.
    pub factors: Vec<Factor>,
}

/// One of the lines to review first.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CriticalLine {
    /// 1 = review first.
    pub rank: u32,
    /// File path.
    pub path: String,
    /// New-side line number.
    pub line: u32,
    /// 0–100.
    pub score: f64,
    /// Why it ranks high.
    pub reasons: Vec<String>,
    /// The hunk header (`@@ -a,b +c,d @@`) it belongs to.
    pub hunk: String,
    /// The line text, trimmed and clipped.
    pub text: String,
}

/// How many factors an explanation lists.
const FACTORS: usize = 6;

fn round2(v: f64) -> f64 {
    if v.is_finite() {
        (v * 100.0).round() / 100.0
    } else {
        0.0
    }
}

fn round4(v: f64) -> f64 {
    if v.is_finite() {
        (v * 10_000.0).round() / 10_000.0
    } else {
        0.0
    }
}

/// The change score's log-odds from the model only (what evaluation ranks by).
pub fn change_logit(weights: &Weights, facts: &PatchFacts, findings: &[Finding]) -> f64 {
    let x = features::change_features(facts, findings);
    Aligned::new(&weights.change, CHANGE_FEATURES).logit(&x)
}

/// Score a change and explain it.
pub fn score_change(
    weights: &Weights,
    facts: &PatchFacts,
    findings: &[Finding],
    extra: &ExtraFacts,
) -> RiskScore {
    let x = features::change_features(facts, findings);
    let m = Aligned::new(&weights.change, CHANGE_FEATURES);
    let mut factors: Vec<Factor> = m
        .contributions(&x)
        .into_iter()
        .filter(|c| c.weight != 0.0)
        .map(|c| {
            let (name, description) = CHANGE_FEATURES.get(c.index).copied().unwrap_or(("", ""));
            Factor {
                name: name.to_string(),
                description: description.to_string(),
                value: round4(c.value),
                weight: round4(c.weight),
                contribution: round4(c.contribution),
            }
        })
        .collect();
    let mut logit = m.logit(&x);
    // Fixed priors for facts the corpus cannot teach.
    let mut prior = |name: &str, description: String, value: f64, weight: f64| {
        if value > 0.0 {
            logit += value * weight;
            factors.push(Factor {
                name: name.to_string(),
                description,
                value: round4(value),
                weight,
                contribution: round4(value * weight),
            });
        }
    };
    let lb = extra.load_bearing_paths.len() as f64;
    prior(
        "load_bearing",
        format!(
            "changes load-bearing paths named by policy ({})",
            extra.load_bearing_paths.join(", ")
        ),
        (1.0 + lb).ln(),
        1.0,
    );
    prior(
        "public_api",
        "changes the public API (callers elsewhere may break)".to_string(),
        (1.0 + extra.public_api_changes as f64).ln(),
        0.5,
    );
    prior(
        "ai_share",
        "share of the change that looks AI-assisted".to_string(),
        extra.ai_share.unwrap_or(0.0).clamp(0.0, 1.0),
        0.5,
    );
    if let Some(h) = &extra.history {
        let hottest = h.files.first();
        prior(
            "churn",
            format!(
                "changed files were changed often in the {} days before (most: {} times, {})",
                history::RECENT_DAYS,
                h.max_recent_changes(),
                hottest.map(|f| f.path.as_str()).unwrap_or("")
            ),
            (1.0 + h.max_recent_changes() as f64).ln(),
            0.3,
        );
        prior(
            "ownership",
            format!(
                "many hands on the changed files ({:.1} earlier authors per file)",
                h.mean_authors()
            ),
            h.mean_authors().max(1.0).ln(),
            0.25,
        );
        prior(
            "new_to_author",
            format!(
                "the author never changed some of these files before ({})",
                h.new_to_author.join(", ")
            ),
            h.new_to_author_share(),
            0.4,
        );
    }
    factors.sort_by(|a, b| {
        b.contribution
            .abs()
            .total_cmp(&a.contribution.abs())
            .then_with(|| a.name.cmp(&b.name))
    });
    factors.truncate(FACTORS);
    let p = model::sigmoid(logit);
    let t = &weights.tiers;
    let tier = if p >= t.critical {
        Tier::Critical
    } else if p >= t.high {
        Tier::High
    } else if p >= t.medium {
        Tier::Medium
    } else {
        Tier::Low
    };
    RiskScore {
        score: round2(p * 100.0),
        tier,
        factors,
    }
}

/// Lines (path, new line) that carry a finding.
fn finding_lines(findings: &[Finding]) -> Vec<(&str, u32, u32, &str)> {
    findings
        .iter()
        .filter(|f| f.side == Side::New && f.severity >= Severity::Info)
        .map(|f| {
            (
                f.path.as_str(),
                f.line,
                f.end_line.max(f.line),
                f.rule_id.as_str(),
            )
        })
        .collect()
}

/// A scored added line, before selection.
#[derive(Debug, Clone)]
pub struct ScoredLine {
    /// File index in the facts.
    pub file: usize,
    /// Line index in the file's facts.
    pub index: usize,
    /// Model log-odds.
    pub logit: f64,
}

/// Score every added line; best first, ties in diff order.
pub fn rank_lines(weights: &Weights, facts: &PatchFacts, findings: &[Finding]) -> Vec<ScoredLine> {
    let m = Aligned::new(&weights.line, LINE_FEATURES);
    let fl = finding_lines(findings);
    let mut out = Vec::new();
    let mut keys: Vec<LineRank> = Vec::new();
    for (fi, f) in facts.files.iter().enumerate() {
        for (li, l) in f.lines.iter().enumerate() {
            if !l.added {
                continue;
            }
            let hit = fl
                .iter()
                .any(|(p, a, b, _)| *p == f.path && l.line >= *a && l.line <= *b);
            let x = features::line_features(facts, fi, li, hit);
            let logit = m.logit(&x);
            out.push(ScoredLine {
                file: fi,
                index: li,
                logit,
            });
            keys.push(LineRank::new(
                pinned_severity(findings, &f.path, l.line),
                l.flags,
                logit,
            ));
        }
    }
    // `out` is in diff order (file, then line), which breaks ties.
    LineRank::order(&keys)
        .into_iter()
        .map(|i| out[i].clone())
        .collect()
}

/// The worst high or critical finding on an added line (`Info` when none).
pub(crate) fn pinned_severity(findings: &[Finding], path: &str, line: u32) -> Severity {
    findings
        .iter()
        .filter(|x| {
            x.side == Side::New
                && x.path == path
                && line >= x.line
                && line <= x.end_line.max(x.line)
                && x.severity >= Severity::High
        })
        .map(|x| x.severity)
        .max()
        .unwrap_or(Severity::Info)
}

/// Where a line goes in the critical-line ranking. Lines that already carry
/// a high or critical finding come first (most severe first): a reviewer must
/// read them whatever the line model says. Then lines of code before blank,
/// brace-only and whole-line comment lines, which cannot break the program on
/// their own (on risk-dev this moved Top-50 from 0.781 to 0.795 and Top-10
/// from 0.513 to 0.517; docs/risk.md). Within each group, the learned line
/// model orders the lines.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LineRank {
    pin: Severity,
    substantive: bool,
    logit: f64,
}

impl LineRank {
    pub(crate) fn new(pin: Severity, flags: u64, logit: f64) -> Self {
        LineRank {
            pin,
            substantive: flags & (lexicon::flag::TRIVIAL | lexicon::flag::COMMENT) == 0,
            logit,
        }
    }

    /// The indices of `keys` in review order; ties keep index order.
    pub(crate) fn order(keys: &[LineRank]) -> Vec<usize> {
        let mut order: Vec<usize> = (0..keys.len()).collect();
        order.sort_by(|&i, &j| {
            let (a, b) = (&keys[i], &keys[j]);
            b.pin
                .cmp(&a.pin)
                .then(b.substantive.cmp(&a.substantive))
                .then(b.logit.total_cmp(&a.logit))
                .then(i.cmp(&j))
        });
        order
    }
}

/// Reasons for a line: the content facts that raise its score (strongest
/// first), then, if none, the strongest context fact.
fn line_reasons(contribs: &[model::Contribution], pointers: bool) -> Vec<String> {
    let mut c: Vec<&model::Contribution> =
        contribs.iter().filter(|c| c.contribution > 0.02).collect();
    c.sort_by(|a, b| {
        b.contribution
            .total_cmp(&a.contribution)
            .then(a.index.cmp(&b.index))
    });
    let name = |c: &model::Contribution| LINE_FEATURES.get(c.index).map(|n| n.0).unwrap_or("");
    let mut out: Vec<String> = c
        .iter()
        .filter(|c| {
            c.value == 1.0
                && !matches!(
                    name(c),
                    "finding"
                        | "code"
                        | "first_lines"
                        | "hunk_size"
                        | "file_size"
                        | "position"
                        | "indent"
                        | "length"
                        | "file_share"
                )
        })
        .filter_map(|c| {
            let n = name(c);
            let d = match n {
                // No pointers in the language: only indexing.
                "ptr" if !pointers => "indexing",
                _ => LINE_FEATURES.get(c.index)?.1,
            };
            Some(match n {
                "modified" => "rewrites existing code".to_string(),
                "header" | "new_file" | "test" | "doc" | "build" | "config" => format!("line {d}"),
                _ => format!("adds {d}"),
            })
        })
        .take(3)
        .collect();
    if out.is_empty() {
        if let Some(c) = c.first() {
            out.push(
                match name(c) {
                    "file_size" => "few lines change in this file: the change is concentrated here",
                    "file_share" => "its file carries most of the change",
                    "hunk_size" => "inside a large hunk",
                    "length" => "a long, dense line",
                    "indent" => "deeply nested",
                    "position" => "late in its hunk",
                    _ => "ranks high on the line model",
                }
                .to_string(),
            );
        }
    }
    out
}

/// The top `limit` lines to review, with reasons, grouped by hunk: hunks
/// in order of their best line, lines in file order within a hunk.
pub fn critical_lines(
    weights: &Weights,
    facts: &PatchFacts,
    findings: &[Finding],
    limit: usize,
) -> Vec<CriticalLine> {
    let m = Aligned::new(&weights.line, LINE_FEATURES);
    let fl = finding_lines(findings);
    let ranked = rank_lines(weights, facts, findings);
    let mut picked: Vec<(usize, ScoredLine)> = ranked.into_iter().take(limit).enumerate().collect();
    // Group: key = (file, hunk); order groups by their best rank.
    let mut best: std::collections::BTreeMap<(usize, usize), usize> = Default::default();
    for (rank, s) in &picked {
        let h = facts
            .files
            .get(s.file)
            .and_then(|f| f.lines.get(s.index))
            .map(|l| l.hunk)
            .unwrap_or(0);
        let e = best.entry((s.file, h)).or_insert(*rank);
        *e = (*e).min(*rank);
    }
    let key = |s: &ScoredLine| {
        let h = facts
            .files
            .get(s.file)
            .and_then(|f| f.lines.get(s.index))
            .map(|l| l.hunk)
            .unwrap_or(0);
        (
            best.get(&(s.file, h)).copied().unwrap_or(0),
            s.file,
            s.index,
        )
    };
    picked.sort_by_key(|(_, s)| key(s));
    let mut out = Vec::with_capacity(picked.len());
    for (rank, s) in picked {
        let Some(f) = facts.files.get(s.file) else {
            continue;
        };
        let Some(l) = f.lines.get(s.index) else {
            continue;
        };
        let hit: Vec<&str> = fl
            .iter()
            .filter(|(p, a, b, _)| *p == f.path && l.line >= *a && l.line <= *b)
            .map(|(_, _, _, r)| *r)
            .collect();
        let x = features::line_features(facts, s.file, s.index, !hit.is_empty());
        let mut reasons: Vec<String> = hit.iter().map(|r| format!("rule {r}")).collect();
        let contribs = m.contributions(&x);
        reasons.extend(line_reasons(&contribs, f.pointers));
        out.push(CriticalLine {
            rank: rank as u32 + 1,
            path: f.path.clone(),
            line: l.line,
            score: round2(model::sigmoid(s.logit) * 100.0),
            reasons,
            hunk: f
                .hunks
                .get(l.hunk)
                .map(|h| h.header.clone())
                .unwrap_or_default(),
            text: crate::rules::clip(&l.text, 120),
        });
    }
    out
}

/// Everything the risk stage adds to a report.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Assessment {
    /// Change-level risk.
    pub risk: RiskScore,
    /// The lines to review first.
    pub critical_lines: Vec<CriticalLine>,
    /// How far the change reaches.
    pub blast_radius: blast::BlastRadius,
    /// How long it takes to review.
    pub effort: effort::Effort,
}

/// Inputs beyond the patch, all optional.
#[derive(Debug, Clone, Default)]
pub struct Context<'a> {
    /// Facts from other stages (policy, syntax, authorship).
    pub extra: ExtraFacts,
    /// Globs policy names as wide-radius.
    pub wide_paths: Vec<String>,
    /// The repository's files, when the caller has them.
    pub repo: Option<&'a blast::RepoIndex>,
    /// Lines other stages know are moved, reformatted or generated.
    pub effort_hints: effort::EffortHints,
}

/// Run the whole risk stage with the shipped weights.
pub fn assess(
    patch: &crate::diff::Patch<'_>,
    findings: &[Finding],
    ctx: &Context<'_>,
) -> Assessment {
    let facts = PatchFacts::new(patch);
    let w = model::shipped();
    Assessment {
        risk: score_change(w, &facts, findings, &ctx.extra),
        critical_lines: critical_lines(w, &facts, findings, CRITICAL_LINES),
        blast_radius: blast::estimate(&facts, &ctx.wide_paths, ctx.repo),
        effort: effort::estimate(&facts, &ctx.effort_hints),
    }
}

/// The rule that marks changes to policy's load-bearing paths.
const LOAD_BEARING_RULE: &str = "load-bearing-changed";

/// Build the risk context from what the other stages found: load-bearing
/// paths (policy findings; also wide radius), public API changes and
/// moved/reformatted/generated lines (syntax layer), the AI-assisted share.
pub fn context_from_stages(
    syntax: &[crate::syntax::FileSyntax],
    findings: &[Finding],
    ai_share: Option<f64>,
) -> Context<'static> {
    use crate::syntax::EditClass;
    let mut lb: Vec<String> = findings
        .iter()
        .filter(|f| f.rule_id == LOAD_BEARING_RULE)
        .map(|f| f.path.clone())
        .collect();
    lb.sort();
    lb.dedup();
    let mut hints = effort::EffortHints::default();
    let mut api = 0u32;
    for fs in syntax {
        if fs.generated.is_some() {
            hints.generated.push(fs.path.clone());
        }
        api += fs.public_api_changes().count() as u32;
        for e in &fs.edits {
            let Some(r) = e.new else { continue };
            let target = match e.class {
                EditClass::Moved => &mut hints.moved,
                EditClass::Whitespace => &mut hints.format_only,
                _ => continue,
            };
            for l in r.start..=r.end.min(r.start.saturating_add(100_000)) {
                target.push((fs.path.clone(), l));
            }
        }
    }
    Context {
        extra: ExtraFacts {
            load_bearing_paths: lb.clone(),
            ai_share,
            public_api_changes: api,
            history: None,
        },
        wide_paths: lb,
        repo: None,
        effort_hints: hints,
    }
}
