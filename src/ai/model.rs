//! The content model: an L2-regularised logistic regression on
//! standardised [`features`](super::features), trained by Newton's method
//! (deterministic), with its weights shipped in `model.json`.

use super::features::{Features, FEATURES, N_FEATURES};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// The shipped weights.
pub const MODEL_JSON: &str = include_str!("model.json");

/// Precision the "likely" threshold is chosen for.
pub const LIKELY_PRECISION: f64 = 0.9;
/// Precision the "possible" threshold is chosen for.
pub const POSSIBLE_PRECISION: f64 = 0.75;
/// Standardised values are clipped to ±this, so one extreme value (a
/// diff full of emoji) cannot dominate a score.
pub const Z_CLIP: f64 = 3.0;
/// Default L2 strength (on standardised features).
pub const DEFAULT_L2: f64 = 30.0;

/// Score thresholds.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct Thresholds {
    /// At or above: "likely" AI-assisted.
    pub likely: f64,
    /// At or above: "possible".
    pub possible: f64,
}

/// What the model was trained on.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct TrainedOn {
    /// Repositories (the `repo` column of `labels.csv`).
    pub repos: Vec<String>,
    /// AI-labelled samples.
    pub n_ai: u32,
    /// Human-labelled samples.
    pub n_human: u32,
}

/// A trained model.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Model {
    /// Format version.
    pub version: u32,
    /// Feature names, in order.
    pub features: Vec<String>,
    /// Per-feature mean used for standardising.
    pub mean: Vec<f64>,
    /// Per-feature standard deviation.
    pub std: Vec<f64>,
    /// Weights on standardised features.
    pub weights: Vec<f64>,
    /// Intercept.
    pub bias: f64,
    /// L2 strength.
    pub l2: f64,
    /// Decision thresholds.
    pub thresholds: Thresholds,
    /// Training data summary.
    pub trained_on: TrainedOn,
}

/// One feature's part in a score.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Contribution {
    /// Feature name.
    pub feature: String,
    /// What it measures.
    pub description: String,
    /// Its value in this change.
    pub value: f64,
    /// Its additive part of the log-odds (positive: towards AI).
    pub log_odds: f64,
}

/// The shipped model, parsed on first use.
pub fn shipped() -> Option<&'static Model> {
    static M: OnceLock<Option<Model>> = OnceLock::new();
    M.get_or_init(|| {
        serde_json::from_str::<Model>(MODEL_JSON)
            .ok()
            .filter(Model::is_valid)
    })
    .as_ref()
}

fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

impl Model {
    /// Every vector has one entry per known feature.
    pub fn is_valid(&self) -> bool {
        let n = self.features.len();
        n == self.mean.len()
            && n == self.std.len()
            && n == self.weights.len()
            && self.weights.iter().all(|w| w.is_finite())
            && self.bias.is_finite()
    }

    fn z(&self, x: &Features) -> Vec<f64> {
        self.features
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let xi = super::features::index_of(name).map_or(0.0, |j| x[j]);
                let m = self.mean.get(i).copied().unwrap_or(0.0);
                let s = self.std.get(i).copied().unwrap_or(1.0);
                if s > 0.0 {
                    ((xi - m) / s).clamp(-Z_CLIP, Z_CLIP)
                } else {
                    0.0
                }
            })
            .collect()
    }

    /// Probability that the change is AI-assisted.
    pub fn predict(&self, x: &Features) -> f64 {
        let z = self.z(x);
        let s: f64 = z.iter().zip(&self.weights).map(|(a, b)| a * b).sum();
        sigmoid(s + self.bias)
    }

    /// Per-feature log-odds contributions, largest magnitude first.
    pub fn explain(&self, x: &Features) -> Vec<Contribution> {
        let z = self.z(x);
        let mut out: Vec<Contribution> = self
            .features
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let j = super::features::index_of(name);
                Contribution {
                    feature: name.clone(),
                    description: j
                        .and_then(|j| FEATURES.get(j))
                        .map_or(String::new(), |f| f.description.to_string()),
                    value: j.map_or(0.0, |j| x[j]),
                    log_odds: z.get(i).copied().unwrap_or(0.0)
                        * self.weights.get(i).copied().unwrap_or(0.0),
                }
            })
            .collect();
        out.sort_by(|a, b| {
            b.log_odds
                .abs()
                .total_cmp(&a.log_odds.abs())
                .then_with(|| a.feature.cmp(&b.feature))
        });
        out
    }
}

/// Solve `a x = b` by Gaussian elimination with partial pivoting.
#[allow(clippy::needless_range_loop)]
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    for col in 0..n {
        let piv = (col..n).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[piv][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, piv);
        b.swap(col, piv);
        for row in col + 1..n {
            let f = a[row][col] / a[col][col];
            if f != 0.0 {
                for k in col..n {
                    a[row][k] -= f * a[col][k];
                }
                b[row] -= f * b[col];
            }
        }
    }
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        let s: f64 = (i + 1..n).map(|k| a[i][k] * x[k]).sum();
        x[i] = (b[i] - s) / a[i][i];
    }
    Some(x)
}

/// Fit an L2 logistic regression (Newton–Raphson / IRLS, fixed order,
/// deterministic). `xs` are standardised rows; the bias is not penalised.
/// Returns (weights, bias).
#[allow(clippy::needless_range_loop)]
pub fn fit_logistic(xs: &[Vec<f64>], ys: &[bool], l2: f64) -> (Vec<f64>, f64) {
    let d = xs.first().map_or(0, Vec::len);
    let n = d + 1;
    let mut beta = vec![0.0; n]; // beta[d] = bias
    for _ in 0..50 {
        let mut grad = vec![0.0; n];
        let mut hess = vec![vec![0.0; n]; n];
        for (x, &y) in xs.iter().zip(ys) {
            let s: f64 = x.iter().zip(&beta).map(|(a, b)| a * b).sum::<f64>() + beta[d];
            let p = sigmoid(s);
            let r = p - if y { 1.0 } else { 0.0 };
            let w = (p * (1.0 - p)).max(1e-9);
            for i in 0..n {
                let xi = if i < d { x[i] } else { 1.0 };
                grad[i] += r * xi;
                for j in i..n {
                    let xj = if j < d { x[j] } else { 1.0 };
                    hess[i][j] += w * xi * xj;
                }
            }
        }
        for i in 0..n {
            for j in 0..i {
                hess[i][j] = hess[j][i];
            }
        }
        for i in 0..d {
            grad[i] += l2 * beta[i];
            hess[i][i] += l2;
        }
        hess[d][d] += 1e-9;
        let Some(step) = solve(hess, grad) else {
            break;
        };
        let mut max = 0.0f64;
        for i in 0..n {
            beta[i] -= step[i];
            max = max.max(step[i].abs());
        }
        if max < 1e-9 {
            break;
        }
    }
    let bias = beta[d];
    beta.truncate(d);
    (beta, bias)
}

/// The smallest threshold whose precision over `scored` is at least
/// `target` (and that flags at least one AI sample); 1.0 when none is.
pub fn threshold_for_precision(scored: &[(f64, bool)], target: f64) -> f64 {
    let mut v: Vec<(f64, bool)> = scored.to_vec();
    v.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut tp = 0.0;
    let mut fp = 0.0;
    let mut best = 1.0;
    let mut i = 0;
    while i < v.len() {
        let t = v[i].0;
        while i < v.len() && v[i].0 == t {
            if v[i].1 {
                tp += 1.0;
            } else {
                fp += 1.0;
            }
            i += 1;
        }
        if tp > 0.0 && tp / (tp + fp) >= target {
            best = t;
        }
    }
    best
}

/// Training input: feature vector, label (true = AI), group (repository).
pub struct Sample {
    /// Features.
    pub x: Features,
    /// AI-labelled.
    pub ai: bool,
    /// Repository.
    pub group: String,
}

/// L2 strength of the per-repository fits that decide which features'
/// direction agrees across repositories (on about 300 samples each).
pub const GROUP_L2: f64 = 20.0;

/// Per-feature mean and standard deviation over `samples`.
#[allow(clippy::needless_range_loop)]
fn moments(samples: &[&Sample]) -> (Vec<f64>, Vec<f64>) {
    let n = samples.len().max(1) as f64;
    let mut mean = vec![0.0; N_FEATURES];
    let mut std = vec![0.0; N_FEATURES];
    for s in samples {
        for j in 0..N_FEATURES {
            mean[j] += s.x[j] / n;
        }
    }
    for s in samples {
        for j in 0..N_FEATURES {
            std[j] += (s.x[j] - mean[j]).powi(2) / n;
        }
    }
    for v in std.iter_mut() {
        *v = v.sqrt();
    }
    (mean, std)
}

/// `samples` standardised with `mean` and `std`, only the features `keep`
/// marks (in feature order).
fn standardised(samples: &[&Sample], mean: &[f64], std: &[f64], keep: &[bool]) -> Vec<Vec<f64>> {
    samples
        .iter()
        .map(|s| {
            (0..N_FEATURES)
                .filter(|&j| keep[j])
                .map(|j| {
                    if std[j] > 0.0 {
                        ((s.x[j] - mean[j]) / std[j]).clamp(-Z_CLIP, Z_CLIP)
                    } else {
                        0.0
                    }
                })
                .collect()
        })
        .collect()
}

/// The features whose direction agrees across repositories: each
/// repository of `samples` gets its own fit (standardised within it, L2
/// [`GROUP_L2`]), and a feature is kept when its weight has the same sign,
/// and is not zero, in every one. A feature that points to AI in one
/// repository and to people in another describes those repositories
/// rather than agents, so it is left out of the model (weight 0). With one
/// repository every feature is kept.
pub fn consistent_features(samples: &[&Sample]) -> Vec<bool> {
    let mut groups: Vec<&str> = samples.iter().map(|s| s.group.as_str()).collect();
    groups.sort_unstable();
    groups.dedup();
    if groups.len() < 2 {
        return vec![true; N_FEATURES];
    }
    let all = [true; N_FEATURES];
    let mut pos = [true; N_FEATURES];
    let mut neg = [true; N_FEATURES];
    for g in groups {
        let in_g: Vec<&Sample> = samples.iter().copied().filter(|s| s.group == g).collect();
        let (mean, std) = moments(&in_g);
        let xs = standardised(&in_g, &mean, &std, &all);
        let ys: Vec<bool> = in_g.iter().map(|s| s.ai).collect();
        let (w, _) = fit_logistic(&xs, &ys, GROUP_L2);
        for (j, wj) in w.iter().enumerate() {
            pos[j] &= *wj > 0.0;
            neg[j] &= *wj < 0.0;
        }
    }
    pos.iter().zip(&neg).map(|(p, n)| *p || *n).collect()
}

/// Fit weights only (no thresholds), over the features whose direction
/// agrees across the samples' repositories ([`consistent_features`]).
fn fit(samples: &[&Sample], l2: f64) -> Model {
    let (mean, std) = moments(samples);
    let keep = consistent_features(samples);
    let xs = standardised(samples, &mean, &std, &keep);
    let ys: Vec<bool> = samples.iter().map(|s| s.ai).collect();
    let (kept_weights, bias) = fit_logistic(&xs, &ys, l2);
    let mut kept = kept_weights.into_iter();
    let weights: Vec<f64> = keep
        .iter()
        .map(|&k| if k { kept.next().unwrap_or(0.0) } else { 0.0 })
        .collect();
    let mut repos: Vec<String> = samples.iter().map(|s| s.group.clone()).collect();
    repos.sort();
    repos.dedup();
    Model {
        version: 1,
        features: FEATURES.iter().map(|f| f.name.to_string()).collect(),
        mean,
        std,
        weights,
        bias,
        l2,
        thresholds: Thresholds {
            likely: 1.0,
            possible: 1.0,
        },
        trained_on: TrainedOn {
            repos,
            n_ai: ys.iter().filter(|&&y| y).count() as u32,
            n_human: ys.iter().filter(|&&y| !y).count() as u32,
        },
    }
}

/// Train a model and choose its thresholds. With two or more groups the
/// thresholds come from leave-one-group-out predictions inside the
/// training data (honest out-of-group scores); with one group, from the
/// in-sample scores.
pub fn train(samples: &[&Sample], l2: f64) -> Model {
    let mut model = fit(samples, l2);
    let groups = &model.trained_on.repos;
    let scored: Vec<(f64, bool)> = if groups.len() >= 2 {
        let mut out = Vec::with_capacity(samples.len());
        for g in groups {
            let train: Vec<&Sample> = samples.iter().copied().filter(|s| &s.group != g).collect();
            let m = fit(&train, l2);
            out.extend(
                samples
                    .iter()
                    .filter(|s| &s.group == g)
                    .map(|s| (m.predict(&s.x), s.ai)),
            );
        }
        out
    } else {
        samples
            .iter()
            .map(|s| (model.predict(&s.x), s.ai))
            .collect()
    };
    let likely = threshold_for_precision(&scored, LIKELY_PRECISION);
    let possible = threshold_for_precision(&scored, POSSIBLE_PRECISION).min(likely);
    model.thresholds = Thresholds { likely, possible };
    model
}

/// Area under the ROC curve (ties count half); `None` without both classes.
pub fn auc(scored: &[(f64, bool)]) -> Option<f64> {
    let mut v: Vec<(f64, bool)> = scored.to_vec();
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    let n_pos = v.iter().filter(|s| s.1).count() as f64;
    let n_neg = v.len() as f64 - n_pos;
    if n_pos == 0.0 || n_neg == 0.0 {
        return None;
    }
    // Rank-sum with average ranks for ties.
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < v.len() {
        let mut j = i;
        while j < v.len() && v[j].0 == v[i].0 {
            j += 1;
        }
        let avg = (i + 1 + j) as f64 / 2.0;
        rank_sum += avg * v[i..j].iter().filter(|s| s.1).count() as f64;
        i = j;
    }
    Some((rank_sum - n_pos * (n_pos + 1.0) / 2.0) / (n_pos * n_neg))
}

/// Names of all features with their descriptions.
pub fn feature_names() -> Vec<&'static str> {
    FEATURES.iter().map(|f| f.name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_of_perfect_and_reversed_ranking() {
        let s = [(0.9, true), (0.8, true), (0.2, false), (0.1, false)];
        assert_eq!(auc(&s), Some(1.0));
        let r: Vec<(f64, bool)> = s.iter().map(|&(p, y)| (p, !y)).collect();
        assert_eq!(auc(&r), Some(0.0));
        assert_eq!(auc(&[(0.5, true), (0.5, false)]), Some(0.5));
        assert_eq!(auc(&[(0.5, true)]), None);
    }

    #[test]
    fn logistic_fit_separates_and_is_deterministic() {
        let xs: Vec<Vec<f64>> = (0..40)
            .map(|i| vec![(i as f64 - 20.0) / 10.0, ((i * 7) % 5) as f64])
            .collect();
        let ys: Vec<bool> = (0..40).map(|i| i >= 20).collect();
        let (w1, b1) = fit_logistic(&xs, &ys, 1.0);
        let (w2, b2) = fit_logistic(&xs, &ys, 1.0);
        assert_eq!((w1.clone(), b1), (w2, b2));
        assert!(
            w1[0] > 1.0,
            "the informative feature gets a large positive weight: {w1:?}"
        );
        assert!(
            w1[1].abs() < w1[0] / 4.0,
            "the noise feature stays small: {w1:?}"
        );
    }

    #[test]
    fn threshold_meets_precision() {
        let s = [
            (0.9, true),
            (0.8, true),
            (0.7, false),
            (0.6, true),
            (0.1, false),
        ];
        assert_eq!(threshold_for_precision(&s, 1.0), 0.8);
        assert_eq!(threshold_for_precision(&s, 0.75), 0.6);
    }

    /// Two repositories: feature 0 points to AI in both, feature 1 to AI in
    /// one and to people in the other, feature 2 is noise, feature 3 is
    /// constant in one repository (and so says nothing there).
    fn two_repos() -> Vec<Sample> {
        let mut out = Vec::new();
        for (g, flip) in [("a", 1.0), ("b", -1.0)] {
            for i in 0..60 {
                let ai = i % 2 == 0;
                let t = if ai { 1.0 } else { -1.0 };
                let mut x = [0.0; N_FEATURES];
                x[0] = t + ((i * 7) % 5) as f64 / 5.0;
                x[1] = flip * t + ((i * 3) % 4) as f64 / 4.0;
                x[2] = ((i * 13) % 7) as f64;
                x[3] = if g == "a" { t } else { 2.0 };
                out.push(Sample {
                    x,
                    ai,
                    group: g.into(),
                });
            }
        }
        out
    }

    #[test]
    fn only_features_whose_direction_agrees_across_repositories_are_kept() {
        let samples = two_repos();
        let refs: Vec<&Sample> = samples.iter().collect();
        let keep = consistent_features(&refs);
        assert!(keep[0], "agrees in both repositories");
        assert!(!keep[1], "opposite directions");
        assert!(!keep[3], "says nothing in one repository");
        // The model gives the features left out no weight.
        let m = fit(&refs, 1.0);
        for (j, w) in m.weights.iter().enumerate() {
            assert_eq!(*w == 0.0, !keep[j], "feature {j}: weight {w}");
        }
        assert!(m.weights[0] > 0.5, "{:?}", &m.weights[..4]);
        // One repository: nothing to compare, every feature is kept.
        let one: Vec<&Sample> = samples.iter().filter(|s| s.group == "a").collect();
        assert!(consistent_features(&one).iter().all(|&k| k));
    }

    #[test]
    fn shipped_model_loads_and_matches_features() {
        let m = shipped().expect("model.json parses");
        assert_eq!(m.features, feature_names());
        assert!(m.thresholds.possible <= m.thresholds.likely);
    }
}
