//! Change-level and line-level features, computed from the diff alone.
//!
//! [`PatchFacts`] reads a [`Patch`] once: per file its kind, per changed
//! line its [`lexicon`] flags. [`change_features`] turns that into the
//! vector the change model scores; [`line_features`] gives one vector per
//! added line for the critical-lines model. Feature names are stable:
//! `weights.json` refers to them by name.

use super::lexicon::{self, flag, FileKind};
use crate::diff::{FileStatus, LineKind, Patch};
use crate::finding::{Finding, Severity, Side};
use std::collections::{BTreeMap, BTreeSet};

/// Facts about one changed line.
#[derive(Debug, Clone)]
pub struct LineFact {
    /// Added (`true`) or removed.
    pub added: bool,
    /// New-side line number (added) or old-side (removed).
    pub line: u32,
    /// Lexicon flags.
    pub flags: u64,
    /// Indentation depth.
    pub indent: u32,
    /// Length of the trimmed text, in bytes.
    pub len: u32,
    /// Index of the hunk in the file.
    pub hunk: usize,
    /// Position among the hunk's added lines (0-based).
    pub pos: u32,
    /// The trimmed text (at most 200 bytes kept).
    pub text: String,
}

/// Facts about one hunk.
#[derive(Debug, Clone, Default)]
pub struct HunkFact {
    /// Lines added.
    pub added: u32,
    /// Lines removed.
    pub removed: u32,
    /// `@@ -a,b +c,d @@` header.
    pub header: String,
    /// Section heading git printed after the header (often the function).
    pub section: String,
    /// Old-side start line.
    pub old_start: u32,
    /// Old-side line count.
    pub old_lines: u32,
    /// Context lines examined.
    pub context: u32,
    /// Sum of the context lines' indentation.
    pub context_indent: u32,
    /// Context lines with a condition.
    pub context_cond: u32,
    /// The last definition-looking context line before the first change,
    /// when the hunk shows one (else the change sits under `section`).
    pub enclosing: String,
}

/// Facts about one changed file.
#[derive(Debug, Clone)]
pub struct FileFact {
    /// Path (new, or old for deletions).
    pub path: String,
    /// Kind of file.
    pub kind: FileKind,
    /// A C/C++ header.
    pub header: bool,
    /// Its language has pointers (else its `ptr` facts are indexing only).
    pub pointers: bool,
    /// What happened to it.
    pub status: FileStatus,
    /// Binary.
    pub binary: bool,
    /// Lines added.
    pub added: u32,
    /// Lines deleted.
    pub deleted: u32,
    /// Hunks.
    pub hunks: Vec<HunkFact>,
    /// Changed lines.
    pub lines: Vec<LineFact>,
}

/// Everything the risk models read from one patch.
#[derive(Debug, Clone, Default)]
pub struct PatchFacts {
    /// One entry per file.
    pub files: Vec<FileFact>,
}

/// Cap on changed lines examined per file (huge generated files).
const MAX_LINES_PER_FILE: usize = 20_000;

impl PatchFacts {
    /// Read a patch.
    pub fn new(patch: &Patch<'_>) -> PatchFacts {
        let mut files = Vec::with_capacity(patch.files.len());
        for f in &patch.files {
            let path = f.path().to_string();
            let kind = lexicon::file_kind(&path);
            let first = crate::syntax::first_line_of(patch, f, None);
            let named = lexicon::Lang::named_file(&path, first.as_deref());
            let lang = named.unwrap_or(lexicon::Lang::C);
            let data = lexicon::is_data(&path);
            // Blocks of text are followed in files whose language is
            // known: in prose or data read as C for want of better, a
            // `src/*.c` would open a comment.
            let blocks = named.is_some() && lexicon::TextBlocks::applies(lang);
            let mut hunks = Vec::with_capacity(f.hunks.len());
            let mut lines = Vec::new();
            for (hi, h) in f.hunks.iter().enumerate() {
                let mut hf = HunkFact {
                    header: format!(
                        "@@ -{},{} +{},{} @@",
                        h.old_start, h.old_lines, h.new_start, h.new_lines
                    ),
                    section: patch.text(h.section).trim().to_string(),
                    old_start: h.old_start,
                    old_lines: h.old_lines,
                    ..HunkFact::default()
                };
                let mut pos = 0u32;
                // Docstrings and heredocs on each side: they read as comments.
                // (A side that starts inside a docstring or comment opened
                // above the hunk is told so from its first delimiter.) None,
                // and the rows not read, where no blocks are followed.
                let mut docs = blocks.then(|| lexicon::HunkBlocks::new(patch, h, lang));
                for l in &h.lines {
                    // The text is read here only where blocks of text are
                    // followed (they need every line), else below for the
                    // lines kept.
                    let mut pre = docs.is_some().then(|| patch.line_text(l));
                    let doc = match (&mut docs, pre.as_deref()) {
                        (Some(d), Some(raw)) => d.line(l.kind, raw).is_some(),
                        _ => false,
                    };
                    let flags_of = |raw: &str| {
                        if doc {
                            flag::COMMENT
                        } else {
                            lexicon::line_flags(raw, lang)
                        }
                    };
                    let (added, no) = match l.kind {
                        LineKind::Context => {
                            let leading = hf.added == 0 && hf.removed == 0;
                            if !leading && hf.context >= 64 {
                                continue;
                            }
                            let raw = pre.take().unwrap_or_else(|| patch.line_text(l));
                            let flags = flags_of(&raw);
                            if leading
                                && !raw.starts_with([' ', '\t'])
                                && flags & flag::FUNC_DEF != 0
                            {
                                hf.enclosing = raw.trim().chars().take(200).collect();
                            }
                            if hf.context < 64 {
                                hf.context += 1;
                                hf.context_indent += lexicon::indent_depth(&raw);
                                if flags & flag::COND != 0 {
                                    hf.context_cond += 1;
                                }
                            }
                            continue;
                        }
                        LineKind::Added => (true, l.new_no().unwrap_or(0)),
                        LineKind::Removed => (false, l.old_no().unwrap_or(0)),
                    };
                    if added {
                        hf.added += 1;
                    } else {
                        hf.removed += 1;
                    }
                    if lines.len() >= MAX_LINES_PER_FILE || f.binary {
                        continue;
                    }
                    let raw = pre.take().unwrap_or_else(|| patch.line_text(l));
                    let t = raw.trim();
                    let mut text: String = t.chars().take(200).collect();
                    text.shrink_to_fit();
                    lines.push(LineFact {
                        added,
                        line: no,
                        // Prose has no code facts.
                        flags: if kind == FileKind::Doc {
                            if t.is_empty() {
                                flag::TRIVIAL
                            } else {
                                0
                            }
                        } else if data {
                            // Keys and values: blank and comment lines only.
                            flags_of(&raw) & (flag::TRIVIAL | flag::COMMENT)
                        } else {
                            flags_of(&raw)
                        },
                        indent: lexicon::indent_depth(&raw),
                        len: t.len().min(u32::MAX as usize) as u32,
                        hunk: hi,
                        pos: if added { pos } else { 0 },
                        text,
                    });
                    if added {
                        pos += 1;
                    }
                }
                hunks.push(hf);
            }
            files.push(FileFact {
                header: lexicon::is_header(&path),
                pointers: lang.pointers(),
                path,
                kind,
                status: f.status,
                binary: f.binary,
                added: f.added,
                deleted: f.deleted,
                hunks,
                lines,
            });
        }
        PatchFacts { files }
    }

    /// Total lines added.
    pub fn added(&self) -> u32 {
        self.files
            .iter()
            .fold(0u32, |a, f| a.saturating_add(f.added))
    }
    /// Total lines deleted.
    pub fn deleted(&self) -> u32 {
        self.files
            .iter()
            .fold(0u32, |a, f| a.saturating_add(f.deleted))
    }
}

/// Name and description of every change feature, in vector order.
pub const CHANGE_FEATURES: &[(&str, &str)] = &[
    ("la", "lines added (log)"),
    ("ld", "lines deleted (log)"),
    ("nf", "files changed (log)"),
    ("nd", "directories changed (log)"),
    ("ns", "top-level subsystems changed (log)"),
    ("entropy", "spread of the change across files (bits)"),
    ("hunks", "hunks (log)"),
    ("funcs", "distinct functions touched (log)"),
    ("code_share", "share of added lines in program code"),
    ("doc_share", "share of added lines in documentation"),
    ("test_share", "share of added lines in tests"),
    ("build_share", "share of added lines in build/CI files"),
    (
        "config_share",
        "share of added lines in configuration/schemas",
    ),
    ("header_share", "share of added lines in headers"),
    ("new_file_share", "share of added lines in new files"),
    ("tests_with_code", "tests changed alongside code"),
    ("no_code", "no program code changed"),
    ("del_ratio", "deleted / changed lines"),
    (
        "modified_hunks",
        "share of hunks that rewrite existing lines",
    ),
    ("indent", "mean nesting depth of added code"),
    ("cond", "conditions added (log)"),
    ("loop", "loops added (log)"),
    ("ret_err", "error returns added (log)"),
    ("goto", "gotos / error labels added (log)"),
    ("lock", "locking / atomics added (log)"),
    ("mem", "memory allocation / free / copy added (log)"),
    ("lifecycle", "init / destroy / ref calls added (log)"),
    ("ptr", "pointer uses / indexing added (log)"),
    ("arith", "arithmetic added (log)"),
    ("cmp", "comparisons added (log)"),
    ("null", "NULL values / checks added (log)"),
    ("cast", "casts added (log)"),
    ("sizeof", "sizeof added (log)"),
    ("call", "calls added (log)"),
    ("assign", "assignments added (log)"),
    ("decl", "declarations added (log)"),
    ("func_def", "function definitions added (log)"),
    ("typedef", "types / struct fields added (log)"),
    ("preproc", "preprocessor lines added (log)"),
    ("comment", "comment lines added (log)"),
    ("log_print", "logging / printing added (log)"),
    ("byteorder", "byte-order handling added (log)"),
    ("bitop", "bit operations added (log)"),
    ("strfn", "string parsing added (log)"),
    ("rm_cond", "conditions removed (log)"),
    ("rm_call", "calls removed (log)"),
    ("cond_density", "conditions per added code line"),
    ("comment_density", "comments per added code line"),
    ("findings", "rule findings, warning or worse (log)"),
    ("renames", "files renamed or copied (log)"),
    ("la_sq", "lines added (log), squared"),
    (
        "declarative_share",
        "share of added code lines that only declare (types, fields, macros, comments)",
    ),
    ("max_hunk", "largest hunk (log added lines)"),
    (
        "distinct_calls",
        "distinct functions called from added code (log)",
    ),
    ("ptr_density", "pointer operations per added code line"),
    ("arith_density", "arithmetic per added code line"),
    ("call_density", "calls per added code line"),
    (
        "error_density",
        "error returns and gotos per added code line",
    ),
    (
        "mem_lock_density",
        "memory and locking operations per added code line",
    ),
    ("code_lines", "non-trivial added code lines (log)"),
    ("code_files", "code files changed (log)"),
    (
        "existing_code_mod",
        "code lines removed from existing code files (log)",
    ),
    ("la_over_10", "lines added beyond 10 (log hinge)"),
    ("la_over_50", "lines added beyond 50 (log hinge)"),
    ("la_over_200", "lines added beyond 200 (log hinge)"),
    (
        "code_la",
        "lines added, in code-heavy changes (log × code share)",
    ),
    (
        "test_la",
        "lines added, in test-heavy changes (log × test share)",
    ),
    (
        "doc_la",
        "lines added, in doc-heavy changes (log × doc share)",
    ),
    ("cond_per_file", "conditions added per file changed (log)"),
    (
        "lt",
        "known size of the changed code files before the change (log lines)",
    ),
    (
        "lt_max",
        "largest changed code file before the change (log lines)",
    ),
    ("context_indent", "nesting depth around the changed code"),
    (
        "context_cond",
        "conditions around the changed code (share of context lines)",
    ),
];

/// Number of change features.
pub fn n_change_features() -> usize {
    CHANGE_FEATURES.len()
}

fn ln1p(x: f64) -> f64 {
    (1.0 + x.max(0.0)).ln()
}

fn top_dir(path: &str) -> &str {
    match path.split_once('/') {
        Some((d, _)) => d,
        None => "",
    }
}

fn dir(path: &str) -> &str {
    match path.rsplit_once('/') {
        Some((d, _)) => d,
        None => "",
    }
}

/// The change feature vector, in [`CHANGE_FEATURES`] order.
pub fn change_features(facts: &PatchFacts, findings: &[Finding]) -> Vec<f64> {
    let la = facts.added() as f64;
    let ld = facts.deleted() as f64;
    let nf = facts.files.len() as f64;
    let dirs: BTreeSet<&str> = facts.files.iter().map(|f| dir(&f.path)).collect();
    let subs: BTreeSet<&str> = facts.files.iter().map(|f| top_dir(&f.path)).collect();
    let total = la + ld;
    let mut entropy = 0.0;
    if total > 0.0 {
        for f in &facts.files {
            let p = (f.added as f64 + f.deleted as f64) / total;
            if p > 0.0 {
                entropy -= p * p.log2();
            }
        }
    }
    let hunks: usize = facts.files.iter().map(|f| f.hunks.len()).sum();
    let mut funcs: BTreeSet<(&str, &str)> = BTreeSet::new();
    let mut share = [0f64; 7];
    let mut header_added = 0f64;
    let mut new_added = 0f64;
    let mut modified_hunks = 0usize;
    for f in &facts.files {
        let k = match f.kind {
            FileKind::Code => 0,
            FileKind::Doc => 1,
            FileKind::Test => 2,
            FileKind::Build => 3,
            FileKind::Config => 4,
            FileKind::Generated => 5,
            FileKind::Other => 6,
        };
        share[k] += f.added as f64;
        if f.header {
            header_added += f.added as f64;
        }
        if f.status == FileStatus::Added {
            new_added += f.added as f64;
        }
        for h in &f.hunks {
            if h.added > 0 && h.removed > 0 {
                modified_hunks += 1;
            }
            if !h.section.is_empty() {
                funcs.insert((&f.path, &h.section));
            }
        }
    }
    let has_code = facts.files.iter().any(|f| f.kind == FileKind::Code);
    // Lower bound of each code file's length before the change: the last
    // old-side line a hunk shows (Kamei's LT, from the diff alone).
    let mut lt_sum = 0f64;
    let mut lt_max = 0f64;
    let (mut ctx_n, mut ctx_indent, mut ctx_cond) = (0f64, 0f64, 0f64);
    for f in facts.files.iter().filter(|f| f.kind == FileKind::Code) {
        let end = f
            .hunks
            .iter()
            .map(|h| h.old_start.saturating_add(h.old_lines).saturating_sub(1))
            .max()
            .unwrap_or(0) as f64;
        lt_sum += end;
        lt_max = lt_max.max(end);
        for h in &f.hunks {
            ctx_n += h.context as f64;
            ctx_indent += h.context_indent as f64;
            ctx_cond += h.context_cond as f64;
        }
    }
    let has_test = facts.files.iter().any(|f| f.kind == FileKind::Test);
    let mut count = BTreeMap::<u64, f64>::new();
    let mut rm_cond = 0f64;
    let mut rm_call = 0f64;
    let mut code_added = 0f64;
    let mut indent_sum = 0f64;
    let mut declarative = 0f64;
    let mut called: BTreeSet<&str> = BTreeSet::new();
    let mut existing_removed = 0f64;
    for f in facts.files.iter().filter(|f| f.kind == FileKind::Code) {
        if f.status != FileStatus::Added {
            existing_removed += f.deleted as f64;
        }
        for l in &f.lines {
            if l.added {
                if l.flags & flag::TRIVIAL == 0 {
                    code_added += 1.0;
                    indent_sum += l.indent as f64;
                    if l.flags
                        & (flag::CALL | flag::COND | flag::LOOP | flag::RETURN | flag::ASSIGN)
                        == 0
                        || l.flags & (flag::COMMENT | flag::TYPEDEF) != 0
                    {
                        declarative += 1.0;
                    }
                    if l.flags & flag::CALL != 0 {
                        for name in call_names(&l.text) {
                            called.insert(name);
                        }
                    }
                }
                for bit in 0..30u64 {
                    let b = 1u64 << bit;
                    if l.flags & b != 0 {
                        *count.entry(b).or_default() += 1.0;
                    }
                }
            } else {
                if l.flags & flag::COND != 0 {
                    rm_cond += 1.0;
                }
                if l.flags & flag::CALL != 0 {
                    rm_call += 1.0;
                }
            }
        }
    }
    let c = |b: u64| ln1p(count.get(&b).copied().unwrap_or(0.0));
    let raw = |b: u64| count.get(&b).copied().unwrap_or(0.0);
    let frac = |x: f64| if la > 0.0 { x / la } else { 0.0 };
    let dens = |x: f64| {
        if code_added > 0.0 {
            x / code_added
        } else {
            0.0
        }
    };
    let max_hunk = facts
        .files
        .iter()
        .flat_map(|f| f.hunks.iter().map(|h| h.added))
        .max()
        .unwrap_or(0);
    let n_findings = findings
        .iter()
        .filter(|f| {
            f.severity >= Severity::Warning && f.side == Side::New || f.severity >= Severity::High
        })
        .count() as f64;
    let renames = facts
        .files
        .iter()
        .filter(|f| matches!(f.status, FileStatus::Renamed | FileStatus::Copied))
        .count() as f64;
    let v = vec![
        ln1p(la),
        ln1p(ld),
        ln1p(nf),
        ln1p(dirs.len() as f64),
        ln1p(subs.len() as f64),
        entropy,
        ln1p(hunks as f64),
        ln1p(funcs.len() as f64),
        frac(share[0]),
        frac(share[1]),
        frac(share[2]),
        frac(share[3]),
        frac(share[4]),
        frac(header_added),
        frac(new_added),
        if has_code && has_test { 1.0 } else { 0.0 },
        if has_code { 0.0 } else { 1.0 },
        if total > 0.0 { ld / total } else { 0.0 },
        if hunks > 0 {
            modified_hunks as f64 / hunks as f64
        } else {
            0.0
        },
        if code_added > 0.0 {
            indent_sum / code_added
        } else {
            0.0
        },
        c(flag::COND),
        c(flag::LOOP),
        c(flag::RET_ERR),
        c(flag::GOTO),
        c(flag::LOCK),
        c(flag::MEM),
        c(flag::LIFECYCLE),
        c(flag::PTR),
        c(flag::ARITH),
        c(flag::CMP),
        c(flag::NULL),
        c(flag::CAST),
        c(flag::SIZEOF),
        c(flag::CALL),
        c(flag::ASSIGN),
        c(flag::DECL),
        c(flag::FUNC_DEF),
        c(flag::TYPEDEF),
        c(flag::PREPROC),
        c(flag::COMMENT),
        c(flag::LOG),
        c(flag::BYTEORDER),
        c(flag::BITOP),
        c(flag::STRFN),
        ln1p(rm_cond),
        ln1p(rm_call),
        if code_added > 0.0 {
            raw(flag::COND) / code_added
        } else {
            0.0
        },
        if code_added > 0.0 {
            raw(flag::COMMENT) / code_added
        } else {
            0.0
        },
        ln1p(n_findings),
        ln1p(renames),
        ln1p(la).powi(2),
        dens(declarative),
        ln1p(max_hunk as f64),
        ln1p(called.len() as f64),
        dens(raw(flag::PTR)),
        dens(raw(flag::ARITH)),
        dens(raw(flag::CALL)),
        dens(raw(flag::RET_ERR) + raw(flag::GOTO)),
        dens(raw(flag::MEM) + raw(flag::LOCK)),
        ln1p(code_added),
        ln1p(
            facts
                .files
                .iter()
                .filter(|f| f.kind == FileKind::Code)
                .count() as f64,
        ),
        ln1p(existing_removed),
        (ln1p(la) - ln1p(10.0)).max(0.0),
        (ln1p(la) - ln1p(50.0)).max(0.0),
        (ln1p(la) - ln1p(200.0)).max(0.0),
        ln1p(la) * frac(share[0]),
        ln1p(la) * frac(share[2]),
        ln1p(la) * frac(share[1]),
        ln1p(raw(flag::COND) / nf.max(1.0)),
        ln1p(lt_sum),
        ln1p(lt_max),
        if ctx_n > 0.0 { ctx_indent / ctx_n } else { 0.0 },
        if ctx_n > 0.0 { ctx_cond / ctx_n } else { 0.0 },
    ];
    debug_assert_eq!(v.len(), CHANGE_FEATURES.len());
    v
}

/// Names of the functions a line calls (identifiers followed by `(`).
fn call_names(text: &str) -> Vec<&str> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_alphabetic() || b[i] == b'_' {
            let s = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            if b.get(i) == Some(&b'(') {
                if let Some(w) = text.get(s..i) {
                    if !matches!(w, "if" | "for" | "while" | "switch" | "return" | "sizeof") {
                        out.push(w);
                    }
                }
            }
        } else {
            i += 1;
        }
    }
    out
}

/// Name and description of every line feature, in vector order.
pub const LINE_FEATURES: &[(&str, &str)] = &[
    ("code", "in program code"),
    ("test", "in a test"),
    ("doc", "in documentation"),
    ("build", "in build/CI configuration"),
    ("config", "in configuration/schema"),
    ("header", "in a header"),
    ("new_file", "in a new file"),
    ("trivial", "blank or only braces"),
    ("comment", "a comment"),
    ("cond", "a condition"),
    ("loop", "a loop"),
    ("return", "a return"),
    ("ret_err", "an error return"),
    ("goto", "a goto / error label"),
    ("lock", "locking / atomics"),
    ("mem", "memory allocation / free / copy"),
    ("lifecycle", "object init / destroy / ref"),
    ("ptr", "pointer use / indexing"),
    ("arith", "arithmetic"),
    ("cmp", "comparison"),
    ("null", "NULL value / check"),
    ("cast", "a cast"),
    ("sizeof", "sizeof"),
    ("call", "a call"),
    ("assign", "an assignment"),
    ("decl", "a declaration"),
    ("func_def", "a function signature"),
    ("typedef", "a type / field definition"),
    ("preproc", "a preprocessor line"),
    ("log_print", "logging / printing"),
    ("byteorder", "byte order"),
    ("bitop", "bit operation"),
    ("strfn", "string parsing"),
    ("string", "a string literal"),
    ("jump", "break / continue"),
    ("error_word", "error handling"),
    ("modified", "rewrites existing lines (hunk also removes)"),
    ("hunk_size", "added lines in its hunk (log)"),
    ("file_size", "added lines in its file (log)"),
    ("position", "relative position in its hunk"),
    ("first_lines", "among the first three lines of its hunk"),
    ("indent", "nesting depth"),
    ("length", "line length (log)"),
    ("finding", "a rule finding on this line"),
    ("file_share", "share of the change in its file"),
];

/// Line features for one added line.
pub fn line_features(facts: &PatchFacts, file: usize, line: usize, finding_here: bool) -> Vec<f64> {
    let mut v = vec![0.0; LINE_FEATURES.len()];
    let Some(f) = facts.files.get(file) else {
        return v;
    };
    let Some(l) = f.lines.get(line) else {
        return v;
    };
    let h = f.hunks.get(l.hunk).cloned().unwrap_or_default();
    let b = |x: bool| if x { 1.0 } else { 0.0 };
    let fl = |bit: u64| b(l.flags & bit != 0);
    let total = (facts.added() as f64 + facts.deleted() as f64).max(1.0);
    let vals = [
        b(f.kind == FileKind::Code),
        b(f.kind == FileKind::Test),
        b(f.kind == FileKind::Doc),
        b(f.kind == FileKind::Build),
        b(f.kind == FileKind::Config),
        b(f.header),
        b(f.status == FileStatus::Added),
        fl(flag::TRIVIAL),
        fl(flag::COMMENT),
        fl(flag::COND),
        fl(flag::LOOP),
        fl(flag::RETURN),
        fl(flag::RET_ERR),
        fl(flag::GOTO),
        fl(flag::LOCK),
        fl(flag::MEM),
        fl(flag::LIFECYCLE),
        fl(flag::PTR),
        fl(flag::ARITH),
        fl(flag::CMP),
        fl(flag::NULL),
        fl(flag::CAST),
        fl(flag::SIZEOF),
        fl(flag::CALL),
        fl(flag::ASSIGN),
        fl(flag::DECL),
        fl(flag::FUNC_DEF),
        fl(flag::TYPEDEF),
        fl(flag::PREPROC),
        fl(flag::LOG),
        fl(flag::BYTEORDER),
        fl(flag::BITOP),
        fl(flag::STRFN),
        fl(flag::STRING),
        fl(flag::JUMP),
        fl(flag::ERROR),
        b(h.removed > 0),
        ln1p(h.added as f64),
        ln1p(f.added as f64),
        if h.added > 1 {
            l.pos as f64 / (h.added - 1) as f64
        } else {
            0.0
        },
        b(l.pos < 3),
        l.indent as f64,
        ln1p(l.len as f64),
        b(finding_here),
        (f.added as f64 + f.deleted as f64) / total,
    ];
    for (o, x) in v.iter_mut().zip(vals) {
        *o = x;
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A script without an extension is read in the language of its `#!`
    /// line when the diff shows the file's first line, on either side; a
    /// hunk further down leaves it to the path (C).
    #[test]
    fn shebang_names_the_language_of_an_extensionless_script() {
        let flags = |diff: &str| {
            let patch = crate::diff::parse(diff.as_bytes());
            let facts = PatchFacts::new(&patch);
            facts.files[0]
                .lines
                .iter()
                .filter(|l| l.added && l.text.starts_with("# "))
                .map(|l| l.flags)
                .collect::<Vec<_>>()
        };
        let new_script = "diff --git a/utilities/ovs-tool b/utilities/ovs-tool\n\
new file mode 100755\n--- /dev/null\n+++ b/utilities/ovs-tool\n@@ -0,0 +1,3 @@\n\
+#! /usr/bin/env python3\n+# define the tunnels\n+x = 1\n";
        let f = flags(new_script);
        assert_eq!(f.len(), 1);
        assert_ne!(f[0] & flag::COMMENT, 0, "a Python comment");
        // The first line as context of an edit.
        let edit = "diff --git a/ipsec/ovs-monitor-ipsec.in b/ipsec/ovs-monitor-ipsec.in\n\
--- a/ipsec/ovs-monitor-ipsec.in\n+++ b/ipsec/ovs-monitor-ipsec.in\n\
@@ -1,2 +1,3 @@\n #! @PYTHON3@\n+# define the tunnels\n x = 1\n";
        assert_ne!(flags(edit)[0] & flag::COMMENT, 0);
        // Not the first line: the path alone, read as C (a preprocessor
        // line, not a comment).
        let far = "diff --git a/utilities/ovs-tool b/utilities/ovs-tool\n\
--- a/utilities/ovs-tool\n+++ b/utilities/ovs-tool\n\
@@ -10,2 +10,3 @@\n x = 1\n+# define the tunnels\n y = 2\n";
        assert_eq!(flags(far)[0] & flag::COMMENT, 0);
    }

    /// Comments and docstrings opened above a hunk, and comments across
    /// its rows, are followed in files of a known language only.
    #[test]
    fn blocks_of_text_are_followed_where_the_language_is_known() {
        let flags = |path: &str, rows: &str| {
            let diff = format!(
                "diff --git a/{path} b/{path}\n--- a/{path}\n+++ b/{path}\n@@ -10,3 +10,4 @@\n{rows}"
            );
            let patch = crate::diff::parse(diff.as_bytes());
            let facts = PatchFacts::new(&patch);
            facts.files[0]
                .lines
                .iter()
                .filter(|l| l.added)
                .map(|l| l.flags & flag::COMMENT != 0)
                .collect::<Vec<_>>()
        };
        // A hunk inside a GNU-style comment of a C file.
        let c_rows = " x = a;\n+   if b < c then a. */\n y = 1;\n z = 2;\n";
        // (`x = a;` has no delimiter: the added row closes the comment.)
        assert_eq!(flags("lib/a.c", c_rows), [true]);
        // A Python docstring's example.
        let py = "         run(x)\n+        if a < b: run(y)\n     \"\"\"\n     return 1\n";
        assert_eq!(flags("app/run.py", py), [true]);
        // Prose read as C for want of a language: a glob opens nothing.
        let prose = " See src/*.c for\n+if a < b the tools\n more.\n and */ this\n";
        assert_eq!(flags("NOTES", prose), [false]);
        assert_eq!(flags("lib/a.c", prose), [true]);
    }
}
