//! Evaluation measures: ROC AUC, effort-aware recall, Top-N accuracy.

/// ROC AUC of `scores` for `labels` (true = positive), ties counted half.
/// `None` when one class is empty.
pub fn auc(scores: &[f64], labels: &[bool]) -> Option<f64> {
    let n = scores.len().min(labels.len());
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let pos = (0..n).filter(|&i| labels[i]).count() as f64;
    let neg = n as f64 - pos;
    if pos == 0.0 || neg == 0.0 {
        return None;
    }
    // Mid-ranks over tie groups.
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j + 1 < n && scores[idx[j + 1]] == scores[idx[i]] {
            j += 1;
        }
        let mid = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            if labels[k] {
                rank_sum += mid;
            }
        }
        i = j + 1;
    }
    Some((rank_sum - pos * (pos + 1.0) / 2.0) / (pos * neg))
}

/// Effort-aware recall: review changes in descending score order (ties by
/// input order) until the next change would exceed `budget` (a share of
/// all changed lines, added + deleted); return the share of positives reviewed.
pub fn effort_recall(scores: &[f64], sizes: &[u64], labels: &[bool], budget: f64) -> Option<f64> {
    let n = scores.len().min(sizes.len()).min(labels.len());
    let pos = (0..n).filter(|&i| labels[i]).count();
    if pos == 0 {
        return None;
    }
    let total: u64 = sizes.iter().take(n).sum();
    let limit = total as f64 * budget;
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    let mut used = 0u64;
    let mut found = 0usize;
    for i in idx {
        if (used + sizes[i]) as f64 > limit {
            break;
        }
        used += sizes[i];
        if labels[i] {
            found += 1;
        }
    }
    Some(found as f64 / pos as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_basics() {
        assert_eq!(
            auc(&[0.1, 0.2, 0.8, 0.9], &[false, false, true, true]),
            Some(1.0)
        );
        assert_eq!(
            auc(&[0.9, 0.8, 0.2, 0.1], &[false, false, true, true]),
            Some(0.0)
        );
        assert_eq!(auc(&[0.5, 0.5], &[true, false]), Some(0.5));
        assert_eq!(auc(&[0.5], &[true]), None);
    }

    #[test]
    fn effort_recall_respects_budget() {
        // Two small bugs rank first; the big clean one does not fit.
        let r = effort_recall(
            &[0.9, 0.8, 0.7, 0.1],
            &[10, 10, 100, 80],
            &[true, true, false, true],
            0.2,
        );
        assert_eq!(r, Some(2.0 / 3.0));
    }
}
