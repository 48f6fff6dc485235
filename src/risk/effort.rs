//! Review effort: minutes per file and for the whole change.
//!
//! A reading-rate model, not a learned one (there is no labelled review
//! time in the corpora): about 300 changed code lines an hour, the rate
//! code-inspection studies (SmartBear/Cisco) found reviewers keep while
//! still finding defects, with dense logic read slower and tests, docs and
//! build files faster. Moved, reformatted, generated and lockfile content
//! is discounted, from the syntax layer when it says so and otherwise from
//! the diff itself (a removed line re-added elsewhere is moved; a pair that
//! differs only in whitespace is reformatted).

use super::features::PatchFacts;
use super::lexicon::{flag, FileKind};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Lines another stage already knows need no real review.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct EffortHints {
    /// `(path, new line)` of added lines that were moved unchanged.
    pub moved: Vec<(String, u32)>,
    /// `(path, new line)` of added lines that only changed formatting.
    pub format_only: Vec<(String, u32)>,
    /// Paths that are generated.
    pub generated: Vec<String>,
}

/// Effort for one file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FileEffort {
    /// Path.
    pub path: String,
    /// Estimated minutes.
    pub minutes: f64,
    /// Lines added / deleted.
    pub added: u32,
    /// Lines deleted.
    pub deleted: u32,
    /// Added lines read at the full rate.
    pub reviewed_lines: u32,
    /// Added lines discounted as moved.
    pub moved_lines: u32,
    /// Added lines discounted as reformatted.
    pub format_only_lines: u32,
    /// Whole file discounted as generated or a lockfile.
    pub generated: bool,
    /// code, test, doc, build, config, generated, other.
    pub kind: String,
}

/// Effort for the whole change.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Effort {
    /// Estimated minutes for the whole change.
    pub total_minutes: f64,
    /// Per file, in diff order.
    pub files: Vec<FileEffort>,
    /// Minutes by kind of content (`code`, `test`, `moved`, …).
    pub breakdown: BTreeMap<String, f64>,
}

/// Minutes to open and orient in one file.
fn file_overhead(kind: FileKind) -> f64 {
    match kind {
        FileKind::Code | FileKind::Test | FileKind::Config => 1.0,
        FileKind::Doc | FileKind::Build | FileKind::Other => 0.5,
        FileKind::Generated => 0.1,
    }
}

/// Minutes per added line read at the full rate.
fn line_rate(kind: FileKind) -> f64 {
    match kind {
        FileKind::Code => 0.2,
        FileKind::Config | FileKind::Build => 0.15,
        FileKind::Test => 0.1,
        FileKind::Doc | FileKind::Other => 0.06,
        FileKind::Generated => 0.0,
    }
}

/// Dense logic (conditions, locking, memory, pointers) is read slower.
const LOGIC_FACTOR: f64 = 1.5;
/// Minutes per deleted line (checking what went away).
const DELETED_RATE: f64 = 0.03;
/// Minutes per moved line (checking it moved unchanged).
const MOVED_RATE: f64 = 0.02;
/// Minutes per reformatted line.
const FORMAT_RATE: f64 = 0.01;

fn kind_name(k: FileKind) -> &'static str {
    match k {
        FileKind::Code => "code",
        FileKind::Test => "test",
        FileKind::Doc => "doc",
        FileKind::Build => "build",
        FileKind::Config => "config",
        FileKind::Generated => "generated",
        FileKind::Other => "other",
    }
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Estimate the effort of a change.
pub fn estimate(facts: &PatchFacts, hints: &EffortHints) -> Effort {
    // Moved: a non-trivial removed line whose exact text is added elsewhere.
    let mut removed_text: BTreeMap<&str, u32> = BTreeMap::new();
    for f in &facts.files {
        for l in f
            .lines
            .iter()
            .filter(|l| !l.added && l.flags & flag::TRIVIAL == 0)
        {
            *removed_text.entry(l.text.as_str()).or_default() += 1;
        }
    }
    let hinted_moved: BTreeSet<(&str, u32)> =
        hints.moved.iter().map(|(p, l)| (p.as_str(), *l)).collect();
    let hinted_format: BTreeSet<(&str, u32)> = hints
        .format_only
        .iter()
        .map(|(p, l)| (p.as_str(), *l))
        .collect();
    let mut out = Effort::default();
    for f in &facts.files {
        let generated = f.kind == FileKind::Generated || hints.generated.contains(&f.path);
        let kind = if generated {
            FileKind::Generated
        } else {
            f.kind
        };
        // Reformatted: per hunk, removed lines equal to added ones once
        // whitespace is ignored.
        let mut removed_squashed: BTreeMap<(usize, String), u32> = BTreeMap::new();
        for l in f.lines.iter().filter(|l| !l.added) {
            *removed_squashed
                .entry((l.hunk, squash(&l.text)))
                .or_default() += 1;
        }
        let (mut full, mut moved, mut format) = (0u32, 0u32, 0u32);
        let mut minutes = file_overhead(kind);
        let mut code_min = 0.0;
        for l in f.lines.iter().filter(|l| l.added) {
            let key = (f.path.as_str(), l.line);
            let is_format = hinted_format.contains(&key)
                || removed_squashed
                    .get_mut(&(l.hunk, squash(&l.text)))
                    .filter(|n| **n > 0 && l.flags & flag::TRIVIAL == 0)
                    .map(|n| {
                        *n -= 1;
                    })
                    .is_some();
            if is_format {
                format += 1;
                minutes += FORMAT_RATE;
                continue;
            }
            let is_moved = hinted_moved.contains(&key)
                || removed_text
                    .get_mut(l.text.as_str())
                    .filter(|n| **n > 0 && l.flags & flag::TRIVIAL == 0)
                    .map(|n| {
                        *n -= 1;
                    })
                    .is_some();
            if is_moved {
                moved += 1;
                minutes += MOVED_RATE;
                continue;
            }
            full += 1;
            let mut m = line_rate(kind);
            if l.flags & (flag::COND | flag::LOCK | flag::MEM | flag::PTR | flag::ARITH) != 0 {
                m *= LOGIC_FACTOR;
            }
            if l.flags & flag::TRIVIAL != 0 {
                m *= 0.2;
            }
            code_min += m;
        }
        // Lines beyond the examined cap count at the plain rate.
        let examined_added = f.lines.iter().filter(|l| l.added).count() as u32;
        let beyond = f.added.saturating_sub(examined_added);
        code_min += beyond as f64 * line_rate(kind);
        full += beyond;
        minutes += code_min;
        let del = if generated {
            0.0
        } else {
            f.deleted as f64 * DELETED_RATE
        };
        minutes += del;
        *out.breakdown
            .entry(kind_name(kind).to_string())
            .or_default() += file_overhead(kind) + code_min + del;
        *out.breakdown.entry("moved".to_string()).or_default() += moved as f64 * MOVED_RATE;
        *out.breakdown.entry("format_only".to_string()).or_default() += format as f64 * FORMAT_RATE;
        out.files.push(FileEffort {
            path: f.path.clone(),
            minutes: round1(minutes),
            added: f.added,
            deleted: f.deleted,
            reviewed_lines: full,
            moved_lines: moved,
            format_only_lines: format,
            generated,
            kind: kind_name(kind).to_string(),
        });
        out.total_minutes += minutes;
    }
    out.total_minutes = round1(out.total_minutes);
    out.breakdown.retain(|_, v| *v > 0.0);
    for v in out.breakdown.values_mut() {
        *v = round1(*v);
    }
    out
}
