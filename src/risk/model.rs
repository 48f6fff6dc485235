//! Interpretable models shipped as data: standardised logistic regression
//! whose weights live in `weights.json` (written by `blastradius train risk`).

use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// One feature's weight and the scaling it was trained with.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FeatureWeight {
    /// Feature name (see `features::CHANGE_FEATURES` / `LINE_FEATURES`).
    pub name: String,
    /// Training mean.
    pub mean: f64,
    /// Training standard deviation (1 when constant).
    pub sd: f64,
    /// Weight on the standardised value.
    pub weight: f64,
}

/// A logistic model over named features.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Logistic {
    /// Bias.
    pub intercept: f64,
    /// Per feature.
    pub features: Vec<FeatureWeight>,
    /// Standardised values are clipped to ±this, in training and in
    /// scoring, so one extreme change (a huge import, a generated file)
    /// cannot dominate its score; none when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clip: Option<f64>,
}

/// Probability thresholds of the tiers.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Tiers {
    /// At or above: medium.
    pub medium: f64,
    /// At or above: high.
    pub high: f64,
    /// At or above: critical.
    pub critical: f64,
}

impl Default for Tiers {
    fn default() -> Self {
        Tiers {
            medium: 0.25,
            high: 0.5,
            critical: 0.75,
        }
    }
}

/// Everything in `weights.json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Weights {
    /// Format version.
    pub version: u32,
    /// What the weights were trained on, and how.
    pub trained_on: String,
    /// The change-level model.
    pub change: Logistic,
    /// The line-level (critical lines) model.
    pub line: Logistic,
    /// Tier thresholds for the change probability.
    #[serde(default)]
    pub tiers: Tiers,
}

/// The shipped weights, as text.
pub const SHIPPED: &str = include_str!("weights.json");

/// The shipped weights, parsed once. A broken file (caught by tests) gives
/// an all-zero model instead of a panic.
pub fn shipped() -> &'static Weights {
    static W: OnceLock<Weights> = OnceLock::new();
    W.get_or_init(|| serde_json::from_str(SHIPPED).unwrap_or_default())
}

/// A model aligned to a feature list: weights in feature order.
#[derive(Debug, Clone)]
pub struct Aligned {
    intercept: f64,
    mean: Vec<f64>,
    sd: Vec<f64>,
    weight: Vec<f64>,
    clip: f64,
}

/// One feature's share of a score.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    /// Index in the feature list.
    pub index: usize,
    /// Raw value.
    pub value: f64,
    /// Weight on the standardised value.
    pub weight: f64,
    /// Change of the log-odds against an average change.
    pub contribution: f64,
}

impl Aligned {
    /// Align a model to names; names the model lacks get weight 0.
    pub fn new(model: &Logistic, names: &[(&str, &str)]) -> Aligned {
        let n = names.len();
        let mut a = Aligned {
            intercept: model.intercept,
            mean: vec![0.0; n],
            sd: vec![1.0; n],
            weight: vec![0.0; n],
            clip: model
                .clip
                .filter(|c| c.is_finite() && *c > 0.0)
                .unwrap_or(f64::INFINITY),
        };
        for (i, (name, _)) in names.iter().enumerate() {
            if let Some(fw) = model.features.iter().find(|f| f.name == *name) {
                a.mean[i] = fw.mean;
                a.sd[i] = if fw.sd.is_finite() && fw.sd > 1e-12 {
                    fw.sd
                } else {
                    1.0
                };
                a.weight[i] = if fw.weight.is_finite() {
                    fw.weight
                } else {
                    0.0
                };
            }
        }
        a
    }

    /// Per-feature contributions to the log-odds.
    pub fn contributions(&self, x: &[f64]) -> Vec<Contribution> {
        x.iter()
            .enumerate()
            .map(|(i, &v)| {
                let v = if v.is_finite() { v } else { 0.0 };
                let m = self.mean.get(i).copied().unwrap_or(0.0);
                let s = self.sd.get(i).copied().unwrap_or(1.0);
                let w = self.weight.get(i).copied().unwrap_or(0.0);
                Contribution {
                    index: i,
                    value: v,
                    weight: w,
                    contribution: w * ((v - m) / s).clamp(-self.clip, self.clip),
                }
            })
            .collect()
    }

    /// The log-odds.
    pub fn logit(&self, x: &[f64]) -> f64 {
        self.intercept
            + self
                .contributions(x)
                .iter()
                .map(|c| c.contribution)
                .sum::<f64>()
    }

    /// The probability.
    pub fn prob(&self, x: &[f64]) -> f64 {
        sigmoid(self.logit(x))
    }
}

/// The logistic function, safe for any input.
pub fn sigmoid(z: f64) -> f64 {
    if !z.is_finite() {
        return if z > 0.0 { 1.0 } else { 0.0 };
    }
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}
