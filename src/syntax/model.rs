//! The syntax layer's results: plain serde data, part of the JSON report
//! (`Report::syntax`).

use crate::finding::Side;
use crate::lang::{Lang, SymbolKind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Full contents of one file at the base and head revisions.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct FileContents {
    /// The file before the change (absent for an added file).
    pub base: Option<String>,
    /// The file after the change (absent for a deleted file).
    pub head: Option<String>,
}

/// Limits per file; past one, the file degrades to text-level analysis.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct Limits {
    /// Bytes of text to parse per file (both sides together).
    pub max_bytes: usize,
    /// Syntax-tree nodes per file (both sides together).
    pub max_nodes: usize,
    /// Parser work per file, in tree-sitter progress ticks (one tick is
    /// a fixed amount of parser work, so this is a deterministic time
    /// budget that behaves the same natively and in wasm).
    pub max_parse_ticks: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 2 * 1024 * 1024,
            max_nodes: 1_000_000,
            max_parse_ticks: 200_000,
        }
    }
}

/// Options of the syntax layer.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct SyntaxOptions {
    /// Full file contents by path (new path; the old path is tried for the
    /// base of a renamed file).
    pub files: BTreeMap<String, FileContents>,
    /// Limits.
    pub limits: Limits,
}

/// What was parsed.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// Full base/head files.
    Full,
    /// Only the hunks' text (context and changed lines): results are partial.
    Hunks,
    /// No syntax tree: text-level analysis only.
    #[default]
    Text,
}

/// Why a file fell back to text-level analysis.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Fallback {
    /// `bytes`, `nodes`, `time`, `no-grammar`, `binary`, `parse-failed`.
    pub reason: String,
    /// Human-readable detail with the figures.
    pub detail: String,
}

/// Generated, vendored or lock files.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Generated {
    /// A dependency lock file.
    Lockfile,
    /// Third-party code kept in the repository.
    Vendored,
    /// Output of a generator (by path or a header marker).
    Generated,
    /// Minified or bundled output.
    Minified,
}

/// A definition the change touches.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Symbol {
    /// Enclosing chain for display (`impl Cache > fn evict`).
    pub chain: String,
    /// Its own name.
    pub name: String,
    /// What it is.
    pub kind: SymbolKind,
    /// Public / exported.
    pub public: bool,
    /// Test code.
    pub test: bool,
    /// Side the line numbers refer to.
    pub side: Side,
    /// First line; 0 when the definition starts above the hunk and was
    /// named from the hunk header (`chain` is then the header text).
    pub line: u32,
    /// Last line (may be cut at the hunk's end when partial; 0 when unknown).
    pub end_line: u32,
}

/// What a changed line is part of.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct LineSyntax {
    /// Side of `line`.
    pub side: Side,
    /// Line number on that side.
    pub line: u32,
    /// Innermost enclosing symbol (index into `FileSyntax::symbols`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub symbol: Option<u32>,
    /// Test code (inside a test, or a test file).
    pub test: bool,
    /// The line is (part of) a comment.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub comment: bool,
    /// The line is (part of) an import.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub import: bool,
    /// How the edit the line belongs to is classified.
    pub class: EditClass,
}

/// Per hunk: the symbols it touches.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct HunkSyntax {
    /// Index of the hunk in the file.
    pub index: u32,
    /// Symbols (indices into `FileSyntax::symbols`) enclosing changed lines.
    pub symbols: Vec<u32>,
    /// The hunk header's section text (`@@ … @@ fn evict`), a hint when the
    /// enclosing definition lies outside the hunk.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub heading: String,
}

/// What happened to a definition.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// New definition.
    Added,
    /// Removed definition.
    Deleted,
    /// Same body under a new name.
    Renamed,
    /// Parameters, return type or visibility changed.
    Signature,
    /// Body changed.
    Modified,
    /// Deleted in one file and added in another.
    Moved,
}

/// A place in the diff.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// File path.
    pub path: String,
    /// Side.
    pub side: Side,
    /// Line.
    pub line: u32,
    /// The line is changed (not context).
    #[serde(default)]
    pub changed: bool,
}

/// A symbol-level change.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct SymbolChange {
    /// What happened.
    pub change: ChangeKind,
    /// Name (the new name for a rename).
    pub name: String,
    /// Old name of a renamed definition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_name: Option<String>,
    /// Chain for display.
    pub chain: String,
    /// What it is.
    pub kind: SymbolKind,
    /// Public / exported (after the change; before for a deletion).
    pub public: bool,
    /// Test code.
    pub test: bool,
    /// Line on the old side.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_line: Option<u32>,
    /// Line on the new side.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_line: Option<u32>,
    /// Last line on the old side.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_end_line: Option<u32>,
    /// Last line on the new side.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_end_line: Option<u32>,
    /// What changed in the signature (`parameters: (a) -> (a, b)`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<String>,
    /// Calls of this symbol elsewhere in the diff.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub call_sites: Vec<Location>,
}

/// What kind of edit a group of changed lines is.
#[derive(
    Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord, Default,
)]
#[serde(rename_all = "kebab-case")]
pub enum EditClass {
    /// Only whitespace, line breaks or blank lines changed.
    Whitespace,
    /// Only comments changed.
    Comment,
    /// Identifiers substituted consistently, nothing else.
    Rename,
    /// The same lines deleted in one place and added in another.
    Moved,
    /// Only string or number literals changed.
    Literal,
    /// A generated, vendored or lock file.
    Generated,
    /// Anything else: a change in behaviour.
    #[default]
    Logic,
}

/// A range of lines, inclusive.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct LineRange {
    /// First line.
    pub start: u32,
    /// Last line.
    pub end: u32,
}

/// A changed byte range inside one line, for display.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct IntraRange {
    /// Side.
    pub side: Side,
    /// Line on that side.
    pub line: u32,
    /// Start byte in the line's text (UTF-8).
    pub start: u32,
    /// End byte (exclusive).
    pub end: u32,
}

/// One classified edit: a run of removed and/or added lines.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Edit {
    /// Classification.
    pub class: EditClass,
    /// Old-side lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old: Option<LineRange>,
    /// New-side lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new: Option<LineRange>,
    /// For a move: where the other half is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counterpart: Option<Location>,
    /// For a rename: `old -> new` substitutions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub renames: Vec<String>,
    /// Changed ranges within paired lines.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ranges: Vec<IntraRange>,
}

/// Changed lines per class.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct ClassSummary {
    /// Whitespace-only lines.
    pub whitespace: u32,
    /// Comment-only lines.
    pub comment: u32,
    /// Rename-only lines.
    pub rename: u32,
    /// Moved lines.
    pub moved: u32,
    /// Literal-only lines.
    pub literal: u32,
    /// Generated/vendored/lockfile lines.
    pub generated: u32,
    /// Logic lines.
    pub logic: u32,
}

impl ClassSummary {
    /// Count one line.
    pub fn add(&mut self, c: EditClass, n: u32) {
        let slot = match c {
            EditClass::Whitespace => &mut self.whitespace,
            EditClass::Comment => &mut self.comment,
            EditClass::Rename => &mut self.rename,
            EditClass::Moved => &mut self.moved,
            EditClass::Literal => &mut self.literal,
            EditClass::Generated => &mut self.generated,
            EditClass::Logic => &mut self.logic,
        };
        *slot += n;
    }
}

/// The syntax layer's view of one changed file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, Default)]
pub struct FileSyntax {
    /// Path (as in `Report::files`).
    pub path: String,
    /// Detected language.
    pub language: Option<Lang>,
    /// What was parsed.
    pub source: Source,
    /// Results are partial (hunk text only, or a fallback).
    pub partial: bool,
    /// Set when the file degraded to text-level analysis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback: Option<Fallback>,
    /// Generated, vendored or lock file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<Generated>,
    /// The whole file is test code (by path).
    #[serde(default)]
    pub test_file: bool,
    /// Symbols enclosing changed lines.
    #[serde(default)]
    pub symbols: Vec<Symbol>,
    /// Per hunk.
    #[serde(default)]
    pub hunks: Vec<HunkSyntax>,
    /// Per changed line.
    #[serde(default)]
    pub lines: Vec<LineSyntax>,
    /// Symbol-level changes.
    #[serde(default)]
    pub changes: Vec<SymbolChange>,
    /// Classified edits.
    #[serde(default)]
    pub edits: Vec<Edit>,
    /// Changed lines per class.
    #[serde(default)]
    pub summary: ClassSummary,
    /// Syntax-tree nodes parsed (both sides): only the windows' nodes for a
    /// file parsed in windows, the line reader's count for a Dockerfile.
    #[serde(default)]
    pub nodes: u32,
    /// Notes (e.g. a supplied file that does not match the diff).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl FileSyntax {
    /// Whether this file's definitions are an API with callers: not a
    /// configuration or data file (YAML, JSON, TOML, HCL, Dockerfile keys are
    /// definitions to the syntax layer, not functions anyone calls), and not
    /// generated or vendored code (no callers in the author's control), and
    /// not a private Python module (a package or module whose name starts
    /// with `_`, PEP 8's mark for internal code).
    pub fn has_api(&self) -> bool {
        self.generated.is_none()
            && !self.language.is_some_and(|l| l.is_config())
            && !(self.language == Some(crate::lang::Lang::Python)
                && private_python_module(&self.path))
    }

    /// Changes to the public, non-test API: signatures, removals and
    /// renames, in a file that [`has_api`](Self::has_api).
    pub fn public_api_changes(&self) -> impl Iterator<Item = &SymbolChange> {
        let api = self.has_api();
        self.changes.iter().filter(move |c| {
            api && c.public
                && !c.test
                && matches!(
                    c.change,
                    ChangeKind::Signature | ChangeKind::Deleted | ChangeKind::Renamed
                )
        })
    }
}

/// Whether a Python path is internal by PEP 8's convention: one of its
/// packages or its module starts with `_` (`sentry_sdk/_functools.py`,
/// `prefect/_internal/api.py`); `__init__.py` and `__main__.py` do not make
/// a package private.
pub fn private_python_module(path: &str) -> bool {
    let (dirs, file) = path.rsplit_once('/').unwrap_or(("", path));
    let module = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    dirs.split('/')
        .chain([module])
        .any(|p| p.starts_with('_') && !(p.starts_with("__") && p.ends_with("__")))
}
