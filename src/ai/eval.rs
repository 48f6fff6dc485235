//! Evaluation on a labelled corpus (the `ai-dev` format): metadata recall
//! and false positives, content-only AUC / precision / recall with
//! leave-one-repository-out training, a size-only baseline and size
//! buckets. Pure: the CLI reads the files and passes samples in.

use super::features::Features;
use super::model::{self, Model, Sample};
use serde::Serialize;
use std::collections::BTreeMap;

/// One labelled commit.
pub struct EvalSample {
    /// Corpus id.
    pub id: String,
    /// Repository.
    pub repo: String,
    /// Labelled AI.
    pub ai: bool,
    /// Markers the label names (`;`-split `marker` column).
    pub labelled_markers: Vec<String>,
    /// Marker ids detected (medium or high confidence) in the full patch;
    /// `None` when the full patch is missing.
    pub detected: Option<Vec<String>>,
    /// Content features of the code-only diff; `None` when missing.
    pub features: Option<Features>,
    /// Added + deleted lines (`labels.csv`).
    pub size: u64,
}

/// The metrics of one group (a repository or all).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Metrics {
    /// Share of AI-labelled full patches with a detected marker.
    pub metadata_recall: Option<f64>,
    /// Human-labelled full patches with a detected marker.
    pub metadata_false_positives: u32,
    /// Content-only ROC AUC (out-of-repository scores).
    pub content_auc: Option<f64>,
    /// Precision at the "likely" threshold.
    pub precision_likely: Option<f64>,
    /// Recall at the "likely" threshold.
    pub recall_likely: Option<f64>,
    /// AI-labelled samples.
    pub n_ai: u32,
    /// Human-labelled samples.
    pub n_human: u32,
}

/// The JSON shape of `eval authorship --format json`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EvalReport {
    /// All repositories.
    pub overall: Metrics,
    /// By repository.
    pub per_repo: BTreeMap<String, Metrics>,
}

/// Supplementary figures (text output and `--detail`).
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct Detail {
    /// Size-only (added+deleted) AUC per repository and `overall`.
    pub size_auc: BTreeMap<String, Option<f64>>,
    /// How each repository was scored: `loro` or `shipped`.
    pub mode: BTreeMap<String, String>,
    /// Per size bucket (added+deleted): n_ai, n_human, content AUC, size AUC.
    pub buckets: Vec<Bucket>,
    /// Labelled markers that the detector did not report, with counts.
    pub missed_markers: BTreeMap<String, u32>,
    /// Ids of AI-labelled samples with no detected marker.
    pub missed_ids: Vec<String>,
    /// Ids of human samples with a detected marker, with the markers.
    pub false_positive_ids: Vec<String>,
    /// The "likely" threshold per repository (the fold's, or the shipped one).
    pub likely_threshold: BTreeMap<String, f64>,
}

/// One size bucket.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Bucket {
    /// Label (`1-5`).
    pub range: String,
    /// AI samples.
    pub n_ai: u32,
    /// Human samples.
    pub n_human: u32,
    /// Content AUC within the bucket.
    pub content_auc: Option<f64>,
    /// Size-only AUC within the bucket.
    pub size_auc: Option<f64>,
    /// Precision at "likely" within the bucket.
    pub precision_likely: Option<f64>,
    /// Recall at "likely" within the bucket.
    pub recall_likely: Option<f64>,
}

const BUCKETS: &[(u64, u64, &str)] = &[
    (0, 5, "0-5"),
    (6, 20, "6-20"),
    (21, 100, "21-100"),
    (101, 500, "101-500"),
    (501, u64::MAX, "501+"),
];

fn prec_rec(scored: &[(f64, bool, f64)]) -> (Option<f64>, Option<f64>) {
    let tp = scored.iter().filter(|s| s.1 && s.0 >= s.2).count() as f64;
    let fp = scored.iter().filter(|s| !s.1 && s.0 >= s.2).count() as f64;
    let pos = scored.iter().filter(|s| s.1).count() as f64;
    (
        (tp + fp > 0.0).then(|| tp / (tp + fp)),
        (pos > 0.0).then(|| tp / pos),
    )
}

fn round(x: Option<f64>) -> Option<f64> {
    x.map(|v| (v * 10000.0).round() / 10000.0)
}

fn metrics(samples: &[&EvalSample], scores: &BTreeMap<&str, (f64, f64)>) -> Metrics {
    let n_ai = samples.iter().filter(|s| s.ai).count() as u32;
    let n_human = samples.len() as u32 - n_ai;
    let with_full: Vec<&&EvalSample> = samples.iter().filter(|s| s.detected.is_some()).collect();
    let ai_full = with_full.iter().filter(|s| s.ai).count();
    let ai_found = with_full
        .iter()
        .filter(|s| s.ai && s.detected.as_ref().is_some_and(|d| !d.is_empty()))
        .count();
    let fp = with_full
        .iter()
        .filter(|s| !s.ai && s.detected.as_ref().is_some_and(|d| !d.is_empty()))
        .count() as u32;
    let scored: Vec<(f64, bool, f64)> = samples
        .iter()
        .filter_map(|s| scores.get(s.id.as_str()).map(|&(p, t)| (p, s.ai, t)))
        .collect();
    let pairs: Vec<(f64, bool)> = scored.iter().map(|s| (s.0, s.1)).collect();
    let (p, r) = prec_rec(&scored);
    Metrics {
        metadata_recall: round((ai_full > 0).then(|| ai_found as f64 / ai_full as f64)),
        metadata_false_positives: fp,
        content_auc: round(model::auc(&pairs)),
        precision_likely: round(p),
        recall_likely: round(r),
        n_ai,
        n_human,
    }
}

/// Evaluate. Repositories the shipped model was trained on are scored by
/// a model retrained without them (leave-one-repository-out, on the other
/// repositories of `samples`); others use the shipped weights as they are.
pub fn evaluate(samples: &[EvalSample], shipped: Option<&Model>, l2: f64) -> (EvalReport, Detail) {
    let mut repos: Vec<&str> = samples.iter().map(|s| s.repo.as_str()).collect();
    repos.sort();
    repos.dedup();
    let mut detail = Detail::default();
    // id -> (probability, likely threshold)
    let mut scores: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    for repo in &repos {
        let in_shipped = shipped.is_none_or(|m| m.trained_on.repos.iter().any(|r| r == repo));
        let train: Vec<Sample> = samples
            .iter()
            .filter(|s| s.repo != *repo)
            .filter_map(|s| {
                s.features.map(|x| Sample {
                    x,
                    ai: s.ai,
                    group: s.repo.clone(),
                })
            })
            .collect();
        let has_both = train.iter().any(|s| s.ai) && train.iter().any(|s| !s.ai);
        let fold: Option<Model> = if in_shipped && has_both {
            let refs: Vec<&Sample> = train.iter().collect();
            Some(model::train(&refs, l2))
        } else {
            None
        };
        let (m, mode) = match (&fold, shipped) {
            (Some(f), _) => (Some(f), "loro"),
            (None, Some(s)) => (Some(s), "shipped"),
            (None, None) => (None, "none"),
        };
        detail.mode.insert(repo.to_string(), mode.to_string());
        let Some(m) = m else { continue };
        detail.likely_threshold.insert(
            repo.to_string(),
            (m.thresholds.likely * 10000.0).round() / 10000.0,
        );
        for s in samples.iter().filter(|s| s.repo == *repo) {
            if let Some(x) = &s.features {
                scores.insert(s.id.as_str(), (m.predict(x), m.thresholds.likely));
            }
        }
    }
    let all: Vec<&EvalSample> = samples.iter().collect();
    let mut per_repo = BTreeMap::new();
    for repo in &repos {
        let group: Vec<&EvalSample> = samples.iter().filter(|s| s.repo == *repo).collect();
        per_repo.insert(repo.to_string(), metrics(&group, &scores));
        let size: Vec<(f64, bool)> = group.iter().map(|s| (s.size as f64, s.ai)).collect();
        detail
            .size_auc
            .insert(repo.to_string(), round(model::auc(&size)));
    }
    let size: Vec<(f64, bool)> = all.iter().map(|s| (s.size as f64, s.ai)).collect();
    detail
        .size_auc
        .insert("overall".into(), round(model::auc(&size)));
    for &(lo, hi, label) in BUCKETS {
        let group: Vec<&EvalSample> = all
            .iter()
            .copied()
            .filter(|s| s.size >= lo && s.size <= hi)
            .collect();
        let m = metrics(&group, &scores);
        let size: Vec<(f64, bool)> = group.iter().map(|s| (s.size as f64, s.ai)).collect();
        detail.buckets.push(Bucket {
            range: label.to_string(),
            n_ai: m.n_ai,
            n_human: m.n_human,
            content_auc: m.content_auc,
            size_auc: round(model::auc(&size)),
            precision_likely: m.precision_likely,
            recall_likely: m.recall_likely,
        });
    }
    for s in samples {
        let Some(d) = &s.detected else { continue };
        if s.ai {
            if d.is_empty() {
                detail.missed_ids.push(s.id.clone());
            }
            for lm in &s.labelled_markers {
                // `committer:*` needs a committer line, which format-patch
                // does not write; only count what the input can show.
                if !d.iter().any(|x| x.eq_ignore_ascii_case(lm)) && !lm.starts_with("committer:") {
                    *detail.missed_markers.entry(lm.clone()).or_insert(0) += 1;
                }
            }
        } else if !d.is_empty() {
            detail
                .false_positive_ids
                .push(format!("{} ({})", s.id, d.join(",")));
        }
    }
    (
        EvalReport {
            overall: metrics(&all, &scores),
            per_repo,
        },
        detail,
    )
}
