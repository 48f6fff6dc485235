//! Deterministic training: L2-regularised logistic regression by Newton's
//! method on standardised features. Same data in, same weights out, on
//! every platform (no randomness, fixed iteration order).

#![allow(clippy::needless_range_loop)] // dense linear algebra reads clearer with indices

use super::model::{FeatureWeight, Logistic};

/// Training settings.
#[derive(Debug, Clone, Copy)]
pub struct Fit {
    /// L2 penalty on the standardised weights (times the total sample weight).
    pub l2: f64,
    /// Newton iterations at most.
    pub iterations: usize,
    /// Standardised values clipped to ±this (see [`Logistic::clip`]).
    pub clip: Option<f64>,
}

impl Default for Fit {
    fn default() -> Self {
        Fit {
            l2: 1e-3,
            iterations: 50,
            clip: None,
        }
    }
}

/// Fit a model. `x` rows are feature vectors (all of `names.len()`), `y`
/// the labels, `w` the sample weights (empty for all 1).
pub fn fit(x: &[Vec<f64>], y: &[bool], w: &[f64], names: &[(&str, &str)], opt: Fit) -> Logistic {
    let n = x.len().min(y.len());
    let d = names.len();
    let weight = |i: usize| w.get(i).copied().unwrap_or(1.0);
    let wsum: f64 = (0..n).map(weight).sum::<f64>().max(1e-12);
    let val = |i: usize, j: usize| {
        x.get(i)
            .and_then(|r| r.get(j))
            .copied()
            .filter(|v| v.is_finite())
            .unwrap_or(0.0)
    };
    let mut mean = vec![0.0; d];
    let mut sd = vec![1.0; d];
    for j in 0..d {
        let m = (0..n).map(|i| weight(i) * val(i, j)).sum::<f64>() / wsum;
        let v = (0..n)
            .map(|i| weight(i) * (val(i, j) - m).powi(2))
            .sum::<f64>()
            / wsum;
        mean[j] = m;
        sd[j] = if v.sqrt() > 1e-9 { v.sqrt() } else { 1.0 };
    }
    // Standardised design with a leading 1 for the intercept.
    let z: Vec<Vec<f64>> = (0..n)
        .map(|i| {
            let mut r = Vec::with_capacity(d + 1);
            r.push(1.0);
            for j in 0..d {
                let z = (val(i, j) - mean[j]) / sd[j];
                r.push(opt.clip.map_or(z, |c| z.clamp(-c, c)));
            }
            r
        })
        .collect();
    let p = d + 1;
    let mut beta = vec![0.0; p];
    let pos: f64 = (0..n).filter(|&i| y[i]).map(weight).sum();
    let base = (pos / wsum).clamp(1e-6, 1.0 - 1e-6);
    beta[0] = (base / (1.0 - base)).ln();
    let lambda = opt.l2 * wsum;
    for _ in 0..opt.iterations {
        let mut grad = vec![0.0; p];
        let mut hess = vec![vec![0.0; p]; p];
        for (i, r) in z.iter().enumerate() {
            let eta: f64 = r.iter().zip(&beta).map(|(a, b)| a * b).sum();
            let mu = super::model::sigmoid(eta);
            let wi = weight(i);
            let resid = (if y[i] { 1.0 } else { 0.0 }) - mu;
            let s = wi * (mu * (1.0 - mu)).max(1e-9);
            for a in 0..p {
                grad[a] += wi * resid * r[a];
                let ra = r[a] * s;
                if ra == 0.0 {
                    continue;
                }
                for b in a..p {
                    hess[a][b] += ra * r[b];
                }
            }
        }
        for a in 0..p {
            for b in 0..a {
                hess[a][b] = hess[b][a];
            }
            if a > 0 {
                grad[a] -= lambda * beta[a];
                hess[a][a] += lambda;
            }
            hess[a][a] += 1e-9;
        }
        let Some(step) = solve(hess, grad) else {
            break;
        };
        let mut change = 0.0f64;
        for (b, s) in beta.iter_mut().zip(&step) {
            *b += s;
            change = change.max(s.abs());
        }
        if change < 1e-8 {
            break;
        }
    }
    Logistic {
        clip: opt.clip,
        intercept: round(beta[0]),
        features: names
            .iter()
            .enumerate()
            .map(|(j, (name, _))| FeatureWeight {
                name: name.to_string(),
                mean: round(mean[j]),
                sd: round(sd[j]),
                weight: round(beta[j + 1]),
            })
            .collect(),
    }
}

/// Round to 6 significant decimals so the shipped file is stable and small.
fn round(v: f64) -> f64 {
    if !v.is_finite() {
        return 0.0;
    }
    (v * 1e6).round() / 1e6
}

/// Solve `a x = b` by Gaussian elimination with partial pivoting.
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    for c in 0..n {
        let piv = (c..n).max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))?;
        if a[piv][c].abs() < 1e-14 {
            return None;
        }
        a.swap(c, piv);
        b.swap(c, piv);
        for r in c + 1..n {
            let f = a[r][c] / a[c][c];
            if f == 0.0 {
                continue;
            }
            for k in c..n {
                a[r][k] -= f * a[c][k];
            }
            b[r] -= f * b[c];
        }
    }
    let mut x = vec![0.0; n];
    for r in (0..n).rev() {
        let s: f64 = (r + 1..n).map(|k| a[r][k] * x[k]).sum();
        x[r] = (b[r] - s) / a[r][r];
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_a_separating_direction_deterministically() {
        let names = [("a", ""), ("b", "")];
        let mut x = Vec::new();
        let mut y = Vec::new();
        for i in 0..200 {
            let a = (i % 17) as f64;
            let b = (i % 5) as f64;
            x.push(vec![a, b]);
            y.push(a + ((i * 7) % 11) as f64 > 12.0);
        }
        let m1 = fit(&x, &y, &[], &names, Fit::default());
        let m2 = fit(&x, &y, &[], &names, Fit::default());
        assert_eq!(m1, m2);
        assert!(m1.features[0].weight > 1.0, "{m1:?}");
        assert!(m1.features[1].weight.abs() < m1.features[0].weight / 4.0);
    }

    #[test]
    fn a_clipped_model_bounds_what_one_extreme_value_adds() {
        let names = [("a", "")];
        let mut x = Vec::new();
        let mut y = Vec::new();
        for i in 0..200 {
            let a = (i % 17) as f64;
            x.push(vec![a]);
            y.push(a + ((i * 7) % 11) as f64 > 12.0);
        }
        let opt = Fit {
            clip: Some(3.0),
            ..Fit::default()
        };
        let m = fit(&x, &y, &[], &names, opt);
        assert_eq!(m.clip, Some(3.0));
        let aligned = super::super::model::Aligned::new(&m, &names);
        let w = m.features[0].weight;
        // A value a thousand standard deviations out adds what 3 would.
        let huge = aligned.contributions(&[1e6])[0].contribution;
        let three = m.features[0].mean + 3.0 * m.features[0].sd;
        assert!((huge - aligned.contributions(&[three])[0].contribution).abs() < 1e-9);
        assert!((huge - 3.0 * w).abs() < 1e-9, "{huge} vs {w}");
        // Unclipped, the same value dominates.
        let free = fit(&x, &y, &[], &names, Fit::default());
        let free_aligned = super::super::model::Aligned::new(&free, &names);
        assert!(free_aligned.contributions(&[1e6])[0].contribution > 100.0);
    }
}
