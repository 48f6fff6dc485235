//! History of the changed files before the change: churn and ownership.
//!
//! Files changed often and recently, and files with many hands on them,
//! carry more defects (Nagappan & Ball, "Use of relative code churn
//! measures to predict system defect density", ICSE 2005; Bird et al.,
//! "Don't touch my code! Examining the effects of ownership on software
//! quality", FSE 2011); so does a change by someone new to the file. The
//! caller supplies the prior commits that touched each changed file (the
//! CLI reads them with `git log`); this module summarises them per file
//! and for the change. The risk score adds them as fixed priors, because
//! the training corpus has no history to learn their weights from.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Seconds in a day.
const DAY: i64 = 86_400;
/// "Recent" churn window.
pub const RECENT_DAYS: i64 = 90;
/// At least this many changes in the window make a file a churn hotspot.
pub const HOTSPOT_CHANGES: u32 = 10;

/// One earlier commit that touched a file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Touch {
    /// Author name or e-mail, as the history names them.
    pub author: String,
    /// Author time, seconds since the Unix epoch.
    pub time: i64,
}

/// What the caller knows of the history before the change.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct HistoryInput {
    /// When the change was made (seconds since the epoch); the latest
    /// touch when absent.
    pub now: Option<i64>,
    /// Who made the change (compared with each file's earlier authors).
    pub author: Option<String>,
    /// Earlier commits touching each changed file (path at the base), any
    /// order. A file with no entry has no earlier history (a new file).
    pub files: BTreeMap<String, Vec<Touch>>,
    /// True when the history was cut (a commit limit), so counts are lower
    /// bounds.
    pub truncated: bool,
}

/// History facts of one changed file.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct FileHistory {
    /// Path.
    pub path: String,
    /// Earlier commits that touched it.
    pub prior_changes: u32,
    /// Of those, in the last 90 days before the change.
    pub recent_changes: u32,
    /// Distinct authors of those commits.
    pub authors: u32,
    /// Share (0–1) of the commits by its most frequent author.
    pub main_author_share: f64,
    /// Days since it was last changed.
    pub days_since_last_change: Option<u32>,
    /// Whether the change's author never touched it before (unknown when
    /// the author is not known).
    pub new_to_author: Option<bool>,
}

/// History facts of the change.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct History {
    /// Per changed file with history, most recently churned first.
    pub files: Vec<FileHistory>,
    /// Files changed at least 10 times in the last 90 days.
    pub hotspots: Vec<String>,
    /// Files with history that the change's author never touched before.
    pub new_to_author: Vec<String>,
    /// Counts are lower bounds (history was cut at a commit limit).
    pub truncated: bool,
}

impl History {
    /// Most changes in the last 90 days of any changed file.
    pub fn max_recent_changes(&self) -> u32 {
        self.files
            .iter()
            .map(|f| f.recent_changes)
            .max()
            .unwrap_or(0)
    }

    /// Mean number of distinct earlier authors over files with history.
    pub fn mean_authors(&self) -> f64 {
        if self.files.is_empty() {
            return 0.0;
        }
        self.files.iter().map(|f| f.authors as f64).sum::<f64>() / self.files.len() as f64
    }

    /// Share (0–1) of files with history that are new to the author; 0
    /// when the author is unknown.
    pub fn new_to_author_share(&self) -> f64 {
        let known = self
            .files
            .iter()
            .filter(|f| f.new_to_author.is_some())
            .count();
        if known == 0 {
            return 0.0;
        }
        self.new_to_author.len() as f64 / known as f64
    }
}

/// How an author is compared: trimmed, without case.
fn person(a: &str) -> String {
    a.trim().to_lowercase()
}

/// Summarise the history of the changed files.
pub fn summarize(input: &HistoryInput) -> History {
    let now = input.now.or_else(|| {
        input
            .files
            .values()
            .flat_map(|v| v.iter().map(|t| t.time))
            .max()
    });
    let mut files = Vec::new();
    for (path, touches) in &input.files {
        if touches.is_empty() {
            continue;
        }
        let mut by_author: BTreeMap<String, u32> = BTreeMap::new();
        for t in touches {
            *by_author.entry(person(&t.author)).or_default() += 1;
        }
        let recent = match now {
            Some(n) => touches
                .iter()
                .filter(|t| t.time <= n && n - t.time <= RECENT_DAYS * DAY)
                .count(),
            None => 0,
        };
        let last = touches.iter().map(|t| t.time).max();
        let main = by_author.values().copied().max().unwrap_or(0);
        files.push(FileHistory {
            path: path.clone(),
            prior_changes: touches.len().min(u32::MAX as usize) as u32,
            recent_changes: recent.min(u32::MAX as usize) as u32,
            authors: by_author.len().min(u32::MAX as usize) as u32,
            main_author_share: (main as f64 / touches.len() as f64 * 1e4).round() / 1e4,
            days_since_last_change: match (now, last) {
                (Some(n), Some(l)) => Some(((n - l).max(0) / DAY).min(u32::MAX as i64) as u32),
                _ => None,
            },
            new_to_author: input
                .author
                .as_deref()
                .filter(|a| !a.trim().is_empty())
                .map(|a| !by_author.contains_key(&person(a))),
        });
    }
    files.sort_by(|a, b| {
        b.recent_changes
            .cmp(&a.recent_changes)
            .then_with(|| b.prior_changes.cmp(&a.prior_changes))
            .then_with(|| a.path.cmp(&b.path))
    });
    History {
        hotspots: files
            .iter()
            .filter(|f| f.recent_changes >= HOTSPOT_CHANGES)
            .map(|f| f.path.clone())
            .collect(),
        new_to_author: files
            .iter()
            .filter(|f| f.new_to_author == Some(true))
            .map(|f| f.path.clone())
            .collect(),
        files,
        truncated: input.truncated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(author: &str, days_ago: i64) -> Touch {
        Touch {
            author: author.to_string(),
            time: 1_000 * DAY - days_ago * DAY,
        }
    }

    #[test]
    fn churn_ownership_and_new_to_author() {
        let mut files = BTreeMap::new();
        let mut hot: Vec<Touch> = (0..12)
            .map(|i| t(if i % 2 == 0 { "ann" } else { "bob" }, i * 5))
            .collect();
        hot.push(t("carl", 400));
        files.insert("src/hot.rs".to_string(), hot);
        files.insert("src/calm.rs".to_string(), vec![t("Dana", 700)]);
        files.insert("src/new.rs".to_string(), vec![]);
        let h = summarize(&HistoryInput {
            now: Some(1_000 * DAY),
            author: Some("dana".to_string()),
            files,
            truncated: false,
        });
        assert_eq!(h.files.len(), 2);
        let hot = &h.files[0];
        assert_eq!(hot.path, "src/hot.rs");
        assert_eq!(
            (hot.prior_changes, hot.recent_changes, hot.authors),
            (13, 12, 3)
        );
        assert_eq!(hot.days_since_last_change, Some(0));
        assert_eq!(hot.new_to_author, Some(true));
        assert!((hot.main_author_share - 6.0 / 13.0).abs() < 1e-3);
        let calm = &h.files[1];
        assert_eq!(
            (calm.prior_changes, calm.recent_changes, calm.authors),
            (1, 0, 1)
        );
        assert_eq!(calm.days_since_last_change, Some(700));
        // Names compare without case.
        assert_eq!(calm.new_to_author, Some(false));
        assert_eq!(h.hotspots, vec!["src/hot.rs"]);
        assert_eq!(h.new_to_author, vec!["src/hot.rs"]);
        assert_eq!(h.max_recent_changes(), 12);
        assert!((h.mean_authors() - 2.0).abs() < 1e-9);
        assert!((h.new_to_author_share() - 0.5).abs() < 1e-9);
    }

    #[test]
    fn no_author_no_time_no_files() {
        let h = summarize(&HistoryInput::default());
        assert!(h.files.is_empty() && h.hotspots.is_empty());
        assert_eq!(h.new_to_author_share(), 0.0);
        let mut files = BTreeMap::new();
        files.insert("a".to_string(), vec![t("x", 3), t("y", 1)]);
        let h = summarize(&HistoryInput {
            files,
            ..Default::default()
        });
        // `now` defaults to the latest touch.
        assert_eq!(h.files[0].days_since_last_change, Some(0));
        assert_eq!(h.files[0].new_to_author, None);
        assert_eq!(h.files[0].recent_changes, 2);
    }
}
