//! Which full files are worth reading for a diff.
//!
//! The syntax layer is exact when it parses whole base/head files
//! ([`super::Source::Full`]) and partial when it only has the hunks. A
//! caller that has to fetch the files one request at a time (the browser
//! extension, from the code host) asks [`fetch_plan`] which ones would help:
//! text files in a language with a grammar, not generated, vendored or lock
//! files, with at least one changed line, the most changed first.
//!
//! A caller holding builds with different grammar sets (the extension ships
//! a small one and a full one) asks [`grammars_left_out`] whether this
//! build lacks a grammar the diff needs.
//!
//! ```
//! let diff = b"diff --git a/src/lib.rs b/src/lib.rs\n--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -1 +1 @@\n-fn a() {}\n+fn b() {}\n";
//! let patch = blastradius::diff::parse(diff);
//! let plan = blastradius::syntax::plan::fetch_plan(&patch, 10);
//! assert_eq!(plan[0].path, "src/lib.rs");
//! assert_eq!(plan[0].base_path.as_deref(), Some("src/lib.rs"));
//! assert_eq!(plan[0].head_path.as_deref(), Some("src/lib.rs"));
//! ```

use crate::diff::{FileStatus, LineKind, Patch};
use crate::lang;
use serde::{Deserialize, Serialize};

/// One file to read, and at which side(s).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct WantedFile {
    /// Key for the analysis options' `files` map (the new path, or the old
    /// one for a deleted file).
    pub path: String,
    /// Path of the base revision to read (the old path of a rename), when
    /// the base side is wanted.
    pub base_path: Option<String>,
    /// Path of the head revision to read, when the head side is wanted.
    pub head_path: Option<String>,
    /// Detected language.
    pub language: String,
    /// Added plus removed lines.
    pub changed: u32,
}

fn usable(p: Option<&str>) -> Option<&str> {
    p.filter(|p| !p.is_empty() && !p.contains(['\n', '\r', '\0']) && p.len() <= 1024)
}

/// The language the syntax layer will detect for `f` from the diff alone.
fn language_of(patch: &Patch<'_>, f: &crate::diff::FileDiff<'_>) -> Option<lang::Lang> {
    lang::detect(f.path(), super::first_line_of(patch, f, None).as_deref())
}

/// Names of the languages of `patch`'s text files whose grammars this
/// build left out (see [`lang::Lang::grammar_left_out`]), sorted, without
/// duplicates. Empty when this build can parse everything it could.
pub fn grammars_left_out(patch: &Patch<'_>) -> Vec<String> {
    let mut out: Vec<String> = patch
        .files
        .iter()
        .filter(|f| !f.binary)
        .filter_map(|f| language_of(patch, f))
        .filter(|l| l.grammar_left_out())
        .map(|l| l.name().to_string())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// What a caller that fetches files needs to know before analysing a diff,
/// from one read of it: which grammars this build lacks and which files to
/// read whole.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Plan {
    /// See [`grammars_left_out`].
    pub grammars_left_out: Vec<String>,
    /// See [`fetch_plan`].
    pub files: Vec<WantedFile>,
    /// Lines added and deleted in text files: how long the analysis will
    /// take (the extension analyses a big diff from its hunks first, while
    /// the whole files download).
    pub changed_lines: u64,
}

/// [`grammars_left_out`] and [`fetch_plan`] (at most `max_files`) together.
pub fn plan(patch: &Patch<'_>, max_files: usize) -> Plan {
    Plan {
        grammars_left_out: grammars_left_out(patch),
        files: fetch_plan(patch, max_files),
        changed_lines: patch
            .files
            .iter()
            .filter(|f| !f.binary)
            .map(|f| u64::from(f.added) + u64::from(f.deleted))
            .sum(),
    }
}

/// The files worth reading whole for `patch`, at most `max_files`, the most
/// changed first (ties by path). Files already fully shown by the diff
/// (added or deleted) are skipped: their hunks are the whole file.
pub fn fetch_plan(patch: &Patch<'_>, max_files: usize) -> Vec<WantedFile> {
    let mut out = Vec::new();
    for f in &patch.files {
        if f.binary || f.hunks.is_empty() {
            continue;
        }
        // An added or deleted file's hunk already holds all of it.
        if matches!(f.status, FileStatus::Added | FileStatus::Deleted) {
            continue;
        }
        let (Some(old), Some(new)) = (usable(f.old_path.as_deref()), usable(f.new_path.as_deref()))
        else {
            continue;
        };
        if super::classify::generated_by_path(new).is_some() {
            continue;
        }
        let Some(language) = language_of(patch, f) else {
            continue;
        };
        if language.grammar().is_none() {
            continue;
        }
        let changed = f
            .hunks
            .iter()
            .flat_map(|h| &h.lines)
            .filter(|l| matches!(l.kind, LineKind::Added | LineKind::Removed))
            .count()
            .min(u32::MAX as usize) as u32;
        if changed == 0 {
            continue;
        }
        out.push(WantedFile {
            path: new.to_string(),
            base_path: Some(old.to_string()),
            head_path: Some(new.to_string()),
            language: language.name().to_string(),
            changed,
        });
    }
    out.sort_by(|a, b| b.changed.cmp(&a.changed).then_with(|| a.path.cmp(&b.path)));
    out.truncate(max_files);
    out
}
