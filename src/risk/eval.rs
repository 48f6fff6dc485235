//! Training and evaluation over a labelled corpus in the `risk-dev` format,
//! with the data passed in (the CLI reads the files).

use super::features::{self, PatchFacts, CHANGE_FEATURES, LINE_FEATURES};
use super::metrics;
use super::model::{Aligned, Logistic, Tiers, Weights};
use super::train::{self, Fit};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One labelled commit.
#[derive(Debug, Clone)]
pub struct Sample {
    /// Id from `labels.csv`.
    pub id: String,
    /// Repository.
    pub repo: String,
    /// `bug` (true) or `clean`.
    pub bug: bool,
    /// The `code.diff` bytes.
    pub diff: Vec<u8>,
    /// `(path, new line)` rows of `lines.tsv`.
    pub lines: Vec<(String, u32)>,
}

/// One added line, ready for the line model.
#[derive(Debug, Clone)]
pub struct LineRow {
    /// Line features.
    pub x: Vec<f64>,
    /// The worst high or critical finding on the line (`Info` when none).
    pub pin: crate::finding::Severity,
    /// The line's lexicon flags.
    pub flags: u64,
    /// Touched by the later fix.
    pub hit: bool,
}

/// A commit with its features computed.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Id.
    pub id: String,
    /// Repository.
    pub repo: String,
    /// Label.
    pub bug: bool,
    /// Lines added.
    pub added: u32,
    /// Lines added + deleted.
    pub size: u64,
    /// Change features.
    pub x: Vec<f64>,
    /// Added lines in diff order (only for bug commits with labelled lines).
    pub lines: Vec<LineRow>,
}

/// Compute the features of a sample. Findings come from the rule engine,
/// as at run time.
pub fn prepare(s: &Sample) -> Prepared {
    let patch = crate::diff::parse(&s.diff);
    let findings = crate::rules::run(&patch);
    let facts = PatchFacts::new(&patch);
    let x = features::change_features(&facts, &findings);
    let mut lines = Vec::new();
    if s.bug && !s.lines.is_empty() {
        let labelled: BTreeSet<(&str, u32)> =
            s.lines.iter().map(|(p, l)| (p.as_str(), *l)).collect();
        let fl: Vec<(&str, u32, u32)> = findings
            .iter()
            .filter(|f| f.side == crate::finding::Side::New)
            .map(|f| (f.path.as_str(), f.line, f.end_line.max(f.line)))
            .collect();
        for (fi, f) in facts.files.iter().enumerate() {
            for (li, l) in f.lines.iter().enumerate() {
                if !l.added {
                    continue;
                }
                let here = fl
                    .iter()
                    .any(|(p, a, b)| *p == f.path && l.line >= *a && l.line <= *b);
                lines.push(LineRow {
                    x: features::line_features(&facts, fi, li, here),
                    pin: super::pinned_severity(&findings, &f.path, l.line),
                    flags: l.flags,
                    hit: labelled.contains(&(f.path.as_str(), l.line)),
                });
            }
        }
        if !lines.iter().any(|l| l.hit) {
            lines.clear();
        }
    }
    Prepared {
        id: s.id.clone(),
        repo: s.repo.clone(),
        bug: s.bug,
        added: facts.added(),
        size: facts.added() as u64 + facts.deleted() as u64,
        x,
        lines,
    }
}

/// The figures for one group of commits.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Metrics {
    /// ROC AUC of the change score.
    pub auc: Option<f64>,
    /// ROC AUC of lines added alone, same commits.
    pub la_auc: Option<f64>,
    /// Share of bug commits found within 20 % of the changed lines.
    pub effort_recall_20: Option<f64>,
    /// Share of bug commits (with a labelled line) that have one in the top 10.
    pub top10: Option<f64>,
    /// Same for the top 50.
    pub top50: Option<f64>,
    /// Bug commits.
    pub n_bug: usize,
    /// Clean commits.
    pub n_clean: usize,
}

/// Per repository and pooled.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EvalReport {
    /// All commits.
    pub pooled: Metrics,
    /// By repository.
    pub per_repo: BTreeMap<String, Metrics>,
}

fn r4(v: Option<f64>) -> Option<f64> {
    v.map(|x| (x * 10_000.0).round() / 10_000.0)
}

/// Whether a labelled line of this commit is among the top `n` lines.
fn hit_at(model: &Aligned, lines: &[LineRow], n: usize) -> bool {
    // The product's ordering (`rank_lines`): pinned findings, content, score.
    let keys: Vec<super::LineRank> = lines
        .iter()
        .map(|l| super::LineRank::new(l.pin, l.flags, model.logit(&l.x)))
        .collect();
    super::LineRank::order(&keys)
        .iter()
        .take(n)
        .any(|&i| lines[i].hit)
}

/// Effort-aware ordering (Kamei et al.'s EALR): predicted risk per changed
/// line, so a reviewer with a fixed budget starts where risk is densest.
pub fn effort_order(logits: &[f64], sizes: &[u64]) -> Vec<f64> {
    logits
        .iter()
        .zip(sizes)
        .map(|(z, s)| super::model::sigmoid(*z) / (*s).max(1) as f64)
        .collect()
}

/// Evaluate a group of prepared commits with given models.
pub fn metrics(items: &[&Prepared], change: &Logistic, line: &Logistic) -> Metrics {
    let cm = Aligned::new(change, CHANGE_FEATURES);
    let lm = Aligned::new(line, LINE_FEATURES);
    let scores: Vec<f64> = items.iter().map(|p| cm.logit(&p.x)).collect();
    let la: Vec<f64> = items.iter().map(|p| p.added as f64).collect();
    let labels: Vec<bool> = items.iter().map(|p| p.bug).collect();
    let sizes: Vec<u64> = items.iter().map(|p| p.size).collect();
    let with_lines: Vec<&&Prepared> = items.iter().filter(|p| !p.lines.is_empty()).collect();
    let top = |n: usize| {
        if with_lines.is_empty() {
            return None;
        }
        let k = with_lines
            .iter()
            .filter(|p| hit_at(&lm, &p.lines, n))
            .count();
        Some(k as f64 / with_lines.len() as f64)
    };
    metrics_of(&scores, &la, &labels, &sizes, &top)
}

/// The metrics of one group: change scores, the lines-added baseline,
/// labels, sizes (for effort-aware recall) and line Top-N accuracy.
fn metrics_of(
    scores: &[f64],
    la: &[f64],
    labels: &[bool],
    sizes: &[u64],
    top: &dyn Fn(usize) -> Option<f64>,
) -> Metrics {
    Metrics {
        auc: r4(metrics::auc(scores, labels)),
        la_auc: r4(metrics::auc(la, labels)),
        effort_recall_20: r4(metrics::effort_recall(
            &effort_order(scores, sizes),
            sizes,
            labels,
            0.2,
        )),
        top10: r4(top(10)),
        top50: r4(top(50)),
        n_bug: labels.iter().filter(|b| **b).count(),
        n_clean: labels.iter().filter(|b| !**b).count(),
    }
}

/// Evaluate with the given weights, per repository and pooled.
pub fn evaluate(items: &[Prepared], weights: &Weights) -> EvalReport {
    let all: Vec<&Prepared> = items.iter().collect();
    let repos: BTreeSet<&str> = items.iter().map(|p| p.repo.as_str()).collect();
    let per_repo = repos
        .into_iter()
        .map(|r| {
            let g: Vec<&Prepared> = items.iter().filter(|p| p.repo == r).collect();
            (r.to_string(), metrics(&g, &weights.change, &weights.line))
        })
        .collect();
    EvalReport {
        pooled: metrics(&all, &weights.change, &weights.line),
        per_repo,
    }
}

/// Fit the change model on some commits.
pub fn fit_change(items: &[&Prepared], fit: Fit) -> Logistic {
    let x: Vec<Vec<f64>> = items.iter().map(|p| p.x.clone()).collect();
    let y: Vec<bool> = items.iter().map(|p| p.bug).collect();
    train::fit(&x, &y, &[], CHANGE_FEATURES, fit)
}

/// Fit the line model on the added lines of bug commits with labelled
/// lines; each commit weighs the same in total.
pub fn fit_line(items: &[&Prepared], fit: Fit) -> Logistic {
    let mut x = Vec::new();
    let mut y = Vec::new();
    let mut w = Vec::new();
    for p in items.iter().filter(|p| !p.lines.is_empty()) {
        let n = p.lines.len() as f64;
        for l in &p.lines {
            x.push(l.x.clone());
            y.push(l.hit);
            w.push(1.0 / n);
        }
    }
    train::fit(&x, &y, &w, LINE_FEATURES, fit)
}

/// Change-model regularisation used for the shipped weights.
pub const CHANGE_FIT: Fit = Fit {
    l2: 2e-1,
    iterations: 50,
    // Standardised values clipped to ±3 (docs/risk.md: what it changed).
    clip: Some(3.0),
};
/// Line-model regularisation used for the shipped weights.
pub const LINE_FIT: Fit = Fit {
    l2: 1e-3,
    iterations: 50,
    clip: None,
};

/// Train both models on all commits; tiers from the score distribution.
pub fn train_weights(items: &[Prepared], source: &str) -> Weights {
    let all: Vec<&Prepared> = items.iter().collect();
    let change = fit_change(&all, CHANGE_FIT);
    let line = fit_line(&all, LINE_FIT);
    Weights {
        version: 1,
        trained_on: source.to_string(),
        change,
        line,
        tiers: Tiers::default(),
    }
}

/// One train-on-A, test-on-B result.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CrossResult {
    /// Training repositories (`*` = all others).
    pub train: String,
    /// Test repository.
    pub test: String,
    /// Figures on the test repository.
    pub metrics: Metrics,
}

/// Leave-one-repository-out: train on all other repositories, test on one.
pub fn cross_repo(items: &[Prepared]) -> Vec<CrossResult> {
    let repos: BTreeSet<&str> = items.iter().map(|p| p.repo.as_str()).collect();
    let mut out = Vec::new();
    for r in &repos {
        let train: Vec<&Prepared> = items.iter().filter(|p| p.repo != *r).collect();
        let test: Vec<&Prepared> = items.iter().filter(|p| p.repo == *r).collect();
        if train.is_empty() || test.is_empty() {
            continue;
        }
        let c = fit_change(&train, CHANGE_FIT);
        let l = fit_line(&train, LINE_FIT);
        let names: Vec<&str> = repos.iter().filter(|x| *x != r).copied().collect();
        out.push(CrossResult {
            train: names.join("+"),
            test: r.to_string(),
            metrics: metrics(&test, &c, &l),
        });
    }
    out
}

/// K-fold cross-validation (folds by id order, deterministic): figures on
/// held-out commits, per repository and pooled.
pub fn cross_validate(items: &[Prepared], k: usize) -> EvalReport {
    let k = k.max(2);
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| items[a].id.cmp(&items[b].id));
    let fold_of: BTreeMap<usize, usize> =
        order.iter().enumerate().map(|(r, &i)| (i, r % k)).collect();
    // Held-out logits per item, from the model that did not see it.
    let mut change_logit = vec![0.0; items.len()];
    let mut line_models: Vec<Logistic> = Vec::new();
    for f in 0..k {
        let train: Vec<&Prepared> = (0..items.len())
            .filter(|i| fold_of.get(i) != Some(&f))
            .map(|i| &items[i])
            .collect();
        let c = fit_change(&train, CHANGE_FIT);
        let cm = Aligned::new(&c, CHANGE_FEATURES);
        for (i, it) in items.iter().enumerate() {
            if fold_of.get(&i) == Some(&f) {
                change_logit[i] = cm.logit(&it.x);
            }
        }
        line_models.push(fit_line(&train, LINE_FIT));
    }
    let group = |sel: &dyn Fn(&Prepared) -> bool| {
        let idx: Vec<usize> = (0..items.len()).filter(|&i| sel(&items[i])).collect();
        let scores: Vec<f64> = idx.iter().map(|&i| change_logit[i]).collect();
        let la: Vec<f64> = idx.iter().map(|&i| items[i].added as f64).collect();
        let labels: Vec<bool> = idx.iter().map(|&i| items[i].bug).collect();
        let sizes: Vec<u64> = idx.iter().map(|&i| items[i].size).collect();
        let wl: Vec<usize> = idx
            .iter()
            .copied()
            .filter(|&i| !items[i].lines.is_empty())
            .collect();
        let top = |n: usize| {
            if wl.is_empty() {
                return None;
            }
            let hits = wl
                .iter()
                .filter(|&&i| {
                    let m = fold_of
                        .get(&i)
                        .and_then(|f| line_models.get(*f))
                        .cloned()
                        .unwrap_or_default();
                    hit_at(&Aligned::new(&m, LINE_FEATURES), &items[i].lines, n)
                })
                .count();
            Some(hits as f64 / wl.len() as f64)
        };
        metrics_of(&scores, &la, &labels, &sizes, &top)
    };
    let repos: BTreeSet<&str> = items.iter().map(|p| p.repo.as_str()).collect();
    EvalReport {
        pooled: group(&|_| true),
        per_repo: repos
            .into_iter()
            .map(|r| (r.to_string(), group(&|p: &Prepared| p.repo == r)))
            .collect(),
    }
}

/// Parse `labels.csv` rows: `(id, repo, label)`; the header names the
/// columns, so their order does not matter.
pub fn parse_labels(csv: &str) -> Result<Vec<(String, String, String)>, String> {
    let mut lines = csv.lines();
    let header = lines.next().ok_or("labels.csv is empty")?;
    let cols: Vec<&str> = header.split(',').map(str::trim).collect();
    let col = |n: &str| {
        cols.iter()
            .position(|c| *c == n)
            .ok_or_else(|| format!("labels.csv has no `{n}` column"))
    };
    let (ci, cr, cl) = (col("id")?, col("repo")?, col("label")?);
    let mut out = Vec::new();
    for (n, l) in lines.enumerate() {
        if l.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = l.split(',').collect();
        let get = |i: usize| {
            f.get(i)
                .map(|s| s.trim().to_string())
                .ok_or_else(|| format!("labels.csv line {}: too few columns", n + 2))
        };
        out.push((get(ci)?, get(cr)?, get(cl)?));
    }
    Ok(out)
}

/// Parse a `lines.tsv`: `path<TAB>line` rows; bad rows are skipped.
pub fn parse_lines_tsv(tsv: &str) -> Vec<(String, u32)> {
    tsv.lines()
        .filter_map(|l| {
            let (p, n) = l.rsplit_once('\t')?;
            Some((p.to_string(), n.trim().parse().ok()?))
        })
        .collect()
}
