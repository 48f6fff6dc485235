//! Syntax layer: tree-sitter over the changed code.
//!
//! For every changed file, [`analyze_patch`] returns a [`FileSyntax`]:
//!
//! - the enclosing symbol chain of each changed line (`impl Cache > fn
//!   evict`), its kind, whether it is public and whether it is test code;
//! - symbol-level changes: definitions added, deleted, renamed, moved,
//!   signatures changed (parameters, return type, visibility), with the
//!   call sites of each changed symbol elsewhere in the diff;
//! - a classification of every edit (whitespace, comment, rename, moved,
//!   literal, generated, logic) with intra-line changed ranges.
//!
//! **Source.** When the full base/head files are supplied
//! ([`SyntaxOptions::files`]) they are parsed whole ([`Source::Full`]), or
//! only in windows around the hunks where the language allows and the
//! parse confirms the windows (`windows.rs`): the same answers for less.
//! Otherwise each hunk's side is rebuilt from its context and changed lines
//! and parsed on its own ([`Source::Hunks`], `partial: true`).
//!
//! **Limits.** Byte, node and parser-work limits per file
//! ([`Limits`]); past one, the file degrades to text-level analysis
//! ([`Source::Text`]) and [`FileSyntax::fallback`] says why. Classification
//! never needs a tree, so it is available for every text file.

use crate::diff::{FileDiff, FileStatus, LineKind, Patch};
use crate::finding::Side;
use crate::lang::{self, Lang, SymbolKind};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::ControlFlow;

pub mod classify;
pub mod lexer;
pub mod model;
pub mod opened;
pub mod plan;
pub mod symbols;
mod textlevel;
mod windows;

pub use model::*;
use symbols::{Def, Extracted};

/// Files larger than this (bytes of rebuilt text) are analysed as text only
/// by [`parse_text`].
pub const MAX_PARSE_BYTES: usize = 2 * 1024 * 1024;

/// Which side of a hunk to rebuild.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HunkSide {
    /// Context and added lines (what the file looks like after).
    New,
    /// Context and removed lines (before).
    Old,
}

/// The rebuilt text of one side of one hunk.
#[derive(Debug, Clone)]
pub struct SideText {
    /// The text, `\n`-joined.
    pub text: String,
    /// For each row of `text`: the line number on that side.
    pub line_numbers: Vec<u32>,
    /// For each row: true when the line is changed (added or removed).
    pub changed: Vec<bool>,
}

impl SideText {
    /// Build one side of a hunk.
    pub fn build(patch: &Patch<'_>, file: &FileDiff<'_>, hunk: usize, side: HunkSide) -> SideText {
        let mut text = String::new();
        let mut line_numbers = Vec::new();
        let mut changed = Vec::new();
        let Some(h) = file.hunks.get(hunk) else {
            return SideText {
                text,
                line_numbers,
                changed,
            };
        };
        for l in &h.lines {
            let (keep, no, ch) = match (side, l.kind) {
                (_, LineKind::Context) => (
                    true,
                    if side == HunkSide::New {
                        l.new_no()
                    } else {
                        l.old_no()
                    },
                    false,
                ),
                (HunkSide::New, LineKind::Added) => (true, l.new_no(), true),
                (HunkSide::Old, LineKind::Removed) => (true, l.old_no(), true),
                _ => (false, None, false),
            };
            if !keep {
                continue;
            }
            text.push_str(&patch.line_text(l));
            text.push('\n');
            line_numbers.push(no.unwrap_or(0));
            changed.push(ch);
        }
        SideText {
            text,
            line_numbers,
            changed,
        }
    }

    /// Blank what the hunk starts inside of (a docstring or block comment
    /// opened above it, [`opened::opened_above`]) so that a parse of the
    /// side does not read it as code. Rows keep their numbers; the rows
    /// inside are emptied, and the closing row keeps what follows the
    /// delimiter (a Python string is left as `""` there, so `""".format(`
    /// stays an expression).
    pub fn mask_opened(&mut self, lang: Lang) {
        // Nothing is open above a file's first line.
        let Some(kind) = opener(lang).filter(|_| self.line_numbers.first() != Some(&1)) else {
            return;
        };
        let Some(o) = opened::opened_above(kind, self.text.lines()) else {
            return;
        };
        let mut out = String::with_capacity(self.text.len());
        for (row, t) in self.text.lines().enumerate() {
            if row == o.row {
                let rest = t.get(o.end..).unwrap_or("");
                if !rest.trim().is_empty() {
                    if kind == opened::Opener::TripleQuote {
                        let indent = t.len() - t.trim_start().len();
                        out.push_str(&t[..indent]);
                        out.push_str("\"\"");
                    }
                    out.push_str(rest);
                }
            } else if row > o.row {
                out.push_str(t);
            }
            out.push('\n');
        }
        self.text = out;
    }

    /// Line number of a row (0-based), on this side.
    pub fn line_of_row(&self, row: usize) -> u32 {
        self.line_numbers.get(row).copied().unwrap_or(0)
    }

    /// Whether any row in `rows` (inclusive) is a changed line.
    pub fn touches_change(&self, start_row: usize, end_row: usize) -> bool {
        (start_row..=end_row).any(|r| self.changed.get(r).copied().unwrap_or(false))
    }
}

/// What text of `lang` a hunk can start inside of: Python strings in
/// triple quotes, or `/* … */` comments where the language has them.
pub fn opener(lang: Lang) -> Option<opened::Opener> {
    if lang == Lang::Python {
        Some(opened::Opener::TripleQuote)
    } else if lang.info().lexical.block_comment == Some(("/*", "*/")) {
        Some(opened::Opener::BlockComment)
    } else {
        None
    }
}

/// Parse text with a language's grammar, within the byte limit.
/// Returns `None` past the limit, for a language without a grammar, or if
/// the parser gives up.
pub fn parse_text(lang: Lang, text: &str) -> Option<tree_sitter::Tree> {
    if text.len() > MAX_PARSE_BYTES {
        return None;
    }
    parse_limited(lang, text, Limits::default().max_parse_ticks).ok()
}

/// Why [`parse_limited`] gave no tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseError {
    /// The language has no grammar.
    NoGrammar,
    /// The grammar could not be loaded (ABI mismatch).
    BadGrammar,
    /// The work budget ran out.
    Time,
    /// The parser returned nothing.
    Failed,
}

/// Parse text with a budget of parser work (tree-sitter progress ticks).
pub fn parse_limited(
    lang: Lang,
    text: &str,
    max_ticks: u64,
) -> Result<tree_sitter::Tree, ParseError> {
    let mut ticks = 0u64;
    parse_counting(lang, text, max_ticks, &mut ticks)
}

fn parse_counting(
    lang: Lang,
    text: &str,
    max_ticks: u64,
    ticks: &mut u64,
) -> Result<tree_sitter::Tree, ParseError> {
    parse_counting_from(lang, text, None, &[], max_ticks, ticks)
}

/// Byte offset where each line starts, plus the text's length at the end
/// (so line `k` (0-based) spans `starts[k]..starts[k + 1]`).
fn line_starts(text: &str) -> Vec<usize> {
    let mut v = Vec::with_capacity(text.len() / 32 + 2);
    v.push(0);
    v.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
    if v.last() != Some(&text.len()) {
        v.push(text.len());
    }
    v
}

/// The runs of changed lines of `f`, each as (first old line, old count,
/// first new line, new count), line numbers 1-based and counting the line
/// a pure insertion or deletion comes before.
fn change_runs(f: &FileDiff<'_>) -> Vec<(usize, usize, usize, usize)> {
    let mut runs = Vec::new();
    for h in &f.hunks {
        let next = |start: u32, lines: u32| {
            (start.max(1) as usize).saturating_add(usize::from(lines == 0 && start > 0))
        };
        let (mut old_next, mut new_next) = (
            next(h.old_start, h.old_lines),
            next(h.new_start, h.new_lines),
        );
        let mut run: Option<(usize, usize, usize, usize)> = None;
        for l in &h.lines {
            match l.kind {
                LineKind::Context => {
                    runs.extend(run.take());
                    old_next = old_next.saturating_add(1);
                    new_next = new_next.saturating_add(1);
                }
                LineKind::Removed => {
                    run.get_or_insert((old_next, 0, new_next, 0)).1 += 1;
                    old_next = old_next.saturating_add(1);
                }
                LineKind::Added => {
                    run.get_or_insert((old_next, 0, new_next, 0)).3 += 1;
                    new_next = new_next.saturating_add(1);
                }
            }
        }
        runs.extend(run);
    }
    runs
}

/// The edits that turn `head` into `base` (the diff read backwards), last
/// first, as tree-sitter wants them to reuse the head's tree for the base.
/// `None` when the texts do not line up with the diff: a changed region
/// past the end of a text, or any difference outside the changed regions.
/// `bs` and `hs` are the texts' [`line_starts`].
fn head_to_base_edits(
    f: &FileDiff<'_>,
    (base, bs): (&str, &[usize]),
    (head, hs): (&str, &[usize]),
) -> Option<Vec<tree_sitter::InputEdit>> {
    let at = |starts: &[usize], line: usize| starts.get(line.checked_sub(1)?).copied();
    let point = |starts: &[usize], byte: usize| {
        let row = starts.partition_point(|&s| s <= byte).saturating_sub(1);
        tree_sitter::Point::new(row, byte - starts[row])
    };
    let (b, h) = (base.as_bytes(), head.as_bytes());
    let mut edits = Vec::new();
    // Unchanged stretches must match byte for byte: the reused subtrees
    // are taken on trust.
    let (mut b_prev, mut h_prev) = (0usize, 0usize);
    for (ol, oc, nl, nc) in change_runs(f) {
        let (b0, b1) = (at(bs, ol)?, at(bs, ol.saturating_add(oc))?);
        let (h0, h1) = (at(hs, nl)?, at(hs, nl.saturating_add(nc))?);
        if b0 < b_prev || h0 < h_prev || b.get(b_prev..b0)? != h.get(h_prev..h0)? {
            return None;
        }
        (b_prev, h_prev) = (b1, h1);
        let start = point(hs, h0);
        let seg = &b[b0..b1];
        let rows = memchr::memchr_iter(b'\n', seg).count();
        let col = match memchr::memrchr(b'\n', seg) {
            Some(i) => seg.len() - i - 1,
            None => start.column + seg.len(),
        };
        edits.push(tree_sitter::InputEdit {
            start_byte: h0,
            old_end_byte: h1,
            new_end_byte: h0 + seg.len(),
            start_position: start,
            old_end_position: point(hs, h1),
            new_end_position: tree_sitter::Point::new(start.row + rows, col),
        });
    }
    if b.get(b_prev..)? != h.get(h_prev..)? {
        return None;
    }
    edits.reverse();
    Some(edits)
}

/// Parse `text` (reusing `old`, an edited tree of a similar text), only
/// the byte ranges `within` when there are any.
fn parse_counting_from(
    lang: Lang,
    text: &str,
    old: Option<&tree_sitter::Tree>,
    within: &[tree_sitter::Range],
    max_ticks: u64,
    ticks: &mut u64,
) -> Result<tree_sitter::Tree, ParseError> {
    let grammar = lang.grammar().ok_or(ParseError::NoGrammar)?;
    // One parser per thread, reused (a diff's hunks make hundreds of small
    // parses); a fresh one if it is somehow in use.
    thread_local! {
        static PARSER: std::cell::RefCell<tree_sitter::Parser> =
            std::cell::RefCell::new(tree_sitter::Parser::new());
    }
    let mut run = |old: Option<&tree_sitter::Tree>| {
        PARSER.with(|cell| match cell.try_borrow_mut() {
            Ok(mut parser) => {
                parse_with(&mut parser, &grammar, text, old, within, max_ticks, ticks)
            }
            Err(_) => parse_with(
                &mut tree_sitter::Parser::new(),
                &grammar,
                text,
                old,
                within,
                max_ticks,
                ticks,
            ),
        })
    };
    let tree = run(old)?;
    if old.is_some() && tree.root_node().has_error() {
        // Error recovery can read broken text differently when it reuses
        // an old tree (an unclosed `function g() {` became a function
        // expression); a fresh parse keeps the answer independent of it.
        return run(None);
    }
    Ok(tree)
}

fn parse_with(
    parser: &mut tree_sitter::Parser,
    grammar: &tree_sitter::Language,
    text: &str,
    old: Option<&tree_sitter::Tree>,
    within: &[tree_sitter::Range],
    max_ticks: u64,
    ticks: &mut u64,
) -> Result<tree_sitter::Tree, ParseError> {
    // Setting the language also resets the parser, so a parse the budget
    // stopped half way (whose state tree-sitter keeps for resuming it) is
    // not resumed on the next text.
    parser
        .set_language(grammar)
        .map_err(|_| ParseError::BadGrammar)?;
    // No ranges: the whole text (the reused parser keeps the last ones).
    parser
        .set_included_ranges(within)
        .map_err(|_| ParseError::Failed)?;
    let bytes = text.as_bytes();
    let mut out_of_time = false;
    let mut progress = |_: &tree_sitter::ParseState| {
        *ticks += 1;
        if *ticks > max_ticks {
            out_of_time = true;
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    };
    let opts = tree_sitter::ParseOptions::new().progress_callback(&mut progress);
    let tree =
        parser.parse_with_options(&mut |i, _| bytes.get(i..).unwrap_or(&[]), old, Some(opts));
    match tree {
        Some(t) => Ok(t),
        None if out_of_time => Err(ParseError::Time),
        None => Err(ParseError::Failed),
    }
}

/// Walk every node of a tree in document order.
pub fn walk(tree: &tree_sitter::Tree, mut f: impl FnMut(tree_sitter::Node<'_>)) {
    let mut cursor = tree.walk();
    let mut visited = 0usize;
    loop {
        f(cursor.node());
        visited += 1;
        if visited > 2_000_000 {
            return;
        }
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Per-file analysis

/// One parsed text: a whole file side, or one hunk's side.
struct View {
    side: Side,
    /// Line number of each row; `None` = the whole file (row + 1).
    rows: Option<Vec<u32>>,
    /// Hunk index for a hunk view.
    hunk: Option<usize>,
    ex: Extracted,
}

impl View {
    fn line(&self, row: usize) -> u32 {
        match &self.rows {
            None => row as u32 + 1,
            Some(r) => r.get(row).copied().unwrap_or(0),
        }
    }
    fn row_of(&self, line: u32) -> Option<usize> {
        match &self.rows {
            None => (line as usize).checked_sub(1),
            Some(r) => r.iter().position(|l| *l == line),
        }
    }
}

/// A definition with its lines on its side.
struct SideDef {
    side: Side,
    q: String,
    chain: String,
    def: Def,
    line: u32,
    end_line: u32,
    name_line: u32,
    /// Changed lines directly inside it (not inside a nested definition).
    direct: bool,
}

/// Work kept per file for the patch-level passes.
struct FileWork {
    path: String,
    lang: Option<Lang>,
    defs: Vec<SideDef>,
    /// (side, line, callee, callee path, changed)
    calls: Vec<(Side, u32, String, bool)>,
    blocks: Vec<classify::Block>,
}

fn content_for<'o>(opts: Input<'o>, f: &FileDiff<'_>, side: Side) -> Option<&'o str> {
    let new = f.new_path.as_deref();
    let old = f.old_path.as_deref();
    let keys: Vec<&str> = match side {
        Side::New => new.into_iter().collect(),
        Side::Old => old.into_iter().chain(new).collect(),
    };
    for k in keys {
        if let Some(c) = opts.files.get(k) {
            let v = match side {
                Side::New => c.head.as_deref(),
                Side::Old => c.base.as_deref(),
            };
            if v.is_some() {
                return v;
            }
        }
    }
    None
}

/// Check that a full file agrees with the diff on every line the diff shows.
fn consistent(patch: &Patch<'_>, f: &FileDiff<'_>, side: Side, text: &str) -> bool {
    let lines: Vec<&str> = text.split('\n').collect();
    for h in &f.hunks {
        for l in &h.lines {
            let no = match (side, l.kind) {
                (Side::New, LineKind::Context | LineKind::Added) => l.new_no(),
                (Side::Old, LineKind::Context | LineKind::Removed) => l.old_no(),
                _ => None,
            };
            let Some(no) = no else { continue };
            let Some(fl) = lines.get((no as usize).wrapping_sub(1)) else {
                return false;
            };
            if fl.strip_suffix('\r').unwrap_or(fl) != patch.line_text(l) {
                return false;
            }
        }
    }
    true
}

fn sides_of(f: &FileDiff<'_>) -> Vec<Side> {
    match f.status {
        FileStatus::Added => vec![Side::New],
        FileStatus::Deleted => vec![Side::Old],
        _ => vec![Side::Old, Side::New],
    }
}

/// The file's first line (for shebang detection): from `head` when the
/// full file is known, else line 1 as the diff shows it.
pub(crate) fn first_line_of(
    patch: &Patch<'_>,
    f: &FileDiff<'_>,
    head: Option<&str>,
) -> Option<String> {
    if let Some(h) = head {
        return h.lines().next().map(str::to_string);
    }
    f.hunks
        .first()
        // A first hunk that starts further down does not show line 1.
        .filter(|h| h.new_start <= 1 || h.old_start <= 1)
        .and_then(|h| {
            // The new side's line 1 first: a replaced `#!` line names what
            // the file is now.
            (h.lines.iter().find(|l| l.new_no() == Some(1))).or_else(|| {
                (h.lines.iter()).find(|l| l.old_no() == Some(1) && l.kind == LineKind::Removed)
            })
        })
        .map(|l| patch.line_text(l).into_owned())
}

fn changed_lines(f: &FileDiff<'_>, side: Side) -> BTreeSet<u32> {
    let mut s = BTreeSet::new();
    for h in &f.hunks {
        for l in &h.lines {
            match (side, l.kind) {
                (Side::New, LineKind::Added) => s.extend(l.new_no()),
                (Side::Old, LineKind::Removed) => s.extend(l.old_no()),
                _ => {}
            }
        }
    }
    s
}

/// Line ranges the hunks show on a side (context included).
fn hunk_ranges(f: &FileDiff<'_>, side: Side) -> Vec<(u32, u32)> {
    f.hunks
        .iter()
        .map(|h| match side {
            Side::New => (h.new_start, h.new_start + h.new_lines.saturating_sub(1)),
            Side::Old => (h.old_start, h.old_start + h.old_lines.saturating_sub(1)),
        })
        .collect()
}

#[cfg(test)]
thread_local! {
    /// Tests set this to read whole files' trees entirely, as before
    /// extraction skipped what the hunks do not show.
    static READ_WHOLE_TREES: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

#[cfg(test)]
thread_local! {
    /// Tests set this to parse whole files whole (no windows), reading the
    /// trees as usual.
    static NO_WINDOWS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn no_windows() -> bool {
    #[cfg(test)]
    return NO_WINDOWS.with(|c| c.get()) || read_whole_trees();
    #[cfg(not(test))]
    false
}

fn read_whole_trees() -> bool {
    #[cfg(test)]
    return READ_WHOLE_TREES.with(|c| c.get());
    #[cfg(not(test))]
    false
}

/// The byte ranges (start inclusive, end exclusive) of a text, given its
/// [`line_starts`], that the 1-based inclusive line ranges `lines` cover,
/// in order.
fn byte_ranges(starts: &[usize], lines: &[(u32, u32)]) -> Vec<(usize, usize)> {
    let len = starts.last().copied().unwrap_or(0);
    let at = |line: usize| starts.get(line).copied().unwrap_or(len);
    let mut lines = lines.to_vec();
    lines.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(lines.len());
    for (a, b) in lines {
        let (s, e) = (at(a.max(1) as usize - 1), at(b.max(a).max(1) as usize));
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

fn fallback(reason: &str, detail: String) -> Option<Fallback> {
    Some(Fallback {
        reason: reason.to_string(),
        detail,
    })
}

/// Both whole sides parsed in windows around the hunks
/// ([`windows::windows`]): the head's windows, then the base's (the same
/// windows moved by the edits, [`windows::moved`]) from the head's tree. `None` when the
/// language does not allow windows, they would cover most of the file, or
/// either tree fails [`windows::verified`]; the parser work of a failed
/// attempt is not counted against the whole parse that follows.
fn parse_windows(
    lang: Lang,
    f: &FileDiff<'_>,
    (base, bs): (&str, &[usize]),
    (head, hs): (&str, &[usize]),
    edits: &[tree_sitter::InputEdit],
    limits: Limits,
    ticks: &mut u64,
) -> Option<(tree_sitter::Tree, tree_sitter::Tree)> {
    let rule = lang.info().windows.as_ref()?;
    if no_windows() {
        return None;
    }
    let lex = &lang.info().lexical;
    let w = windows::windows(rule, lex, head, hs, &hunk_ranges(f, Side::New))?;
    let mut spent = *ticks;
    let h = parse_counting_from(
        lang,
        head,
        None,
        &windows::ts_ranges(hs, &w),
        limits.max_parse_ticks,
        &mut spent,
    )
    .ok()
    .filter(windows::verified)?;
    let within = windows::ts_ranges(bs, &windows::moved(&w, edits, head.len()));
    let b = parse_counting_from(
        lang,
        base,
        Some(&edited(&h, edits)),
        &within,
        limits.max_parse_ticks,
        &mut spent,
    )
    .ok()
    .filter(windows::verified)?;
    *ticks = spent;
    Some((h, b))
}

/// The head's tree edited into the base's shape, for the base's parse.
fn edited(head: &tree_sitter::Tree, edits: &[tree_sitter::InputEdit]) -> tree_sitter::Tree {
    let mut t = head.clone();
    for e in edits {
        t.edit(e);
    }
    t
}

/// Views of the texts read by the line reader (no tree).
fn line_views(lang: Lang, texts: Vec<SideSource>) -> Vec<View> {
    texts
        .into_iter()
        .map(|(side, hunk, text, rows)| View {
            side,
            rows,
            hunk,
            ex: textlevel::extract(lang, &text),
        })
        .collect()
}

/// A text to parse: side, hunk (none for a full file), text, row lines.
type SideSource = (Side, Option<usize>, String, Option<Vec<u32>>);

/// Parse the file (full or per hunk) within the limits; fill `out.source`,
/// `out.fallback`, `out.nodes`, `out.notes`. Returns the views.
fn parse_file(
    patch: &Patch<'_>,
    f: &FileDiff<'_>,
    lang: Lang,
    opts: Input<'_>,
    out: &mut FileSyntax,
) -> Vec<View> {
    let limits = opts.limits;
    // Texts to parse: (side, hunk, text, rows).
    let mut texts: Vec<SideSource> = Vec::new();
    let mut any_full = false;
    let mut any_hunks = false;
    for side in sides_of(f) {
        let full = content_for(opts, f, side).filter(|t| {
            let ok = consistent(patch, f, side, t);
            if !ok {
                out.notes.push(format!(
                    "the supplied {} file does not match the diff; parsed the hunks instead",
                    if side == Side::New { "head" } else { "base" }
                ));
            }
            ok
        });
        match full {
            Some(t) => {
                any_full = true;
                texts.push((side, None, t.to_string(), None));
            }
            None => {
                any_hunks = true;
                let hs = if side == Side::New {
                    HunkSide::New
                } else {
                    HunkSide::Old
                };
                for hi in 0..f.hunks.len() {
                    let mut st = SideText::build(patch, f, hi, hs);
                    st.mask_opened(lang);
                    texts.push((side, Some(hi), st.text, Some(st.line_numbers)));
                }
            }
        }
    }
    let bytes: usize = texts.iter().map(|t| t.2.len()).sum();
    if bytes > limits.max_bytes {
        out.fallback = fallback(
            "bytes",
            format!(
                "{bytes} bytes to parse, over the {} byte limit",
                limits.max_bytes
            ),
        );
        return Vec::new();
    }
    if lang.info().grammar.is_none() {
        // Text-level languages still get their symbols from a line reader.
        let views = line_views(lang, texts);
        out.source = Source::Text;
        out.fallback = fallback(
            "no-grammar",
            format!(
                "no tree-sitter grammar for {}; read line by line",
                lang.name()
            ),
        );
        return views;
    }
    let source = if any_full && !any_hunks {
        Source::Full
    } else {
        Source::Hunks
    };
    if lang == Lang::Dockerfile {
        // Dockerfile instructions are flat in the tree; a stage runs from
        // its FROM to the next one, which the line reader knows: a tree
        // would add nothing, so none is built.
        let views = line_views(lang, texts);
        let nodes: usize = views.iter().map(|v| v.ex.nodes).sum();
        out.nodes = nodes.min(u32::MAX as usize) as u32;
        out.source = source;
        return views;
    }
    let mut ticks = 0u64;
    let mut nodes = 0usize;
    let mut views = Vec::new();
    // Line starts of each whole file, read once for the edits and the
    // extraction's ranges.
    let starts: Vec<Option<Vec<usize>>> = texts
        .iter()
        .map(|t| t.1.is_none().then(|| line_starts(&t.2)))
        .collect();
    let full_of = |side: Side| {
        texts
            .iter()
            .zip(&starts)
            .find(|(t, _)| t.0 == side && t.1.is_none())
            .and_then(|(t, s)| Some((t.2.as_str(), s.as_deref()?)))
    };
    // Both whole sides, when they line up with the diff: in windows around
    // the hunks where the language allows and both trees check out,
    // otherwise the head whole and the base from its edited tree, so only
    // the changed regions are parsed twice. A head that cannot be parsed
    // leaves the base unparsed (same budget).
    let mut pair = None;
    if let (Some(base), Some(head)) = (full_of(Side::Old), full_of(Side::New)) {
        if let Some(edits) = head_to_base_edits(f, base, head) {
            pair = Some(
                match parse_windows(lang, f, base, head, &edits, limits, &mut ticks) {
                    Some((h, b)) => (Ok(h), Ok(b)),
                    None => {
                        match parse_counting(lang, head.0, limits.max_parse_ticks, &mut ticks) {
                            Ok(h) => {
                                let from = edited(&h, &edits);
                                let b = parse_counting_from(
                                    lang,
                                    base.0,
                                    Some(&from),
                                    &[],
                                    limits.max_parse_ticks,
                                    &mut ticks,
                                );
                                (Ok(h), b)
                            }
                            Err(e) => (Err(e), Err(e)),
                        }
                    }
                },
            );
        }
    }
    let (mut head_tree, mut base_tree) = pair.unzip();
    for ((side, hunk, text, rows), starts) in texts.into_iter().zip(starts) {
        let parsed = match (side, hunk) {
            (Side::New, None) if head_tree.is_some() => {
                head_tree.take().unwrap_or(Err(ParseError::Failed))
            }
            (Side::Old, None) if base_tree.is_some() => {
                base_tree.take().unwrap_or(Err(ParseError::Failed))
            }
            _ => parse_counting(lang, &text, limits.max_parse_ticks, &mut ticks),
        };
        let tree = match parsed {
            Ok(t) => t,
            Err(ParseError::Time) => {
                out.fallback = fallback(
                    "time",
                    format!(
                        "parser work over the budget of {} ticks",
                        limits.max_parse_ticks
                    ),
                );
                return Vec::new();
            }
            Err(e) => {
                out.fallback = fallback("parse-failed", format!("{e:?}"));
                return Vec::new();
            }
        };
        let count = tree.root_node().descendant_count();
        nodes += count;
        if nodes > limits.max_nodes {
            out.fallback = fallback(
                "nodes",
                format!(
                    "{nodes} syntax nodes, over the {} node limit",
                    limits.max_nodes
                ),
            );
            out.nodes = nodes.min(u32::MAX as usize) as u32;
            return Vec::new();
        }
        let mut ex = if let (Some(starts), false) = (&starts, read_whole_trees()) {
            // A whole file: only what the hunks show can be changed, and
            // whatever encloses them; the rest of the tree is not read.
            let keep = byte_ranges(starts, &hunk_ranges(f, side));
            symbols::extract_within(lang, &tree, &text, limits.max_nodes, Some(&keep))
        } else {
            symbols::extract(lang, &tree, &text, limits.max_nodes)
        };
        if let Some(h) = hunk.and_then(|hi| f.hunks.get(hi)) {
            hide_members_of_unseen_types(lang, &mut ex, &text, patch.text(h.section).trim());
        }
        views.push(View {
            side,
            rows,
            hunk,
            ex,
        });
    }
    out.nodes = nodes.min(u32::MAX as usize) as u32;
    out.source = source;
    views
}

/// A hunk's members whose type the parse does not enclose them in (the
/// fragment cut the class body open, or the class line is above the hunk):
/// the type is the last line above them that starts at column 0, as git's
/// hunk heading reads it, in the hunk or else the heading itself. A Java or
/// C# type declared there without `public` hides them.
fn hide_members_of_unseen_types(lang: Lang, ex: &mut Extracted, text: &str, heading: &str) {
    let hidable = |d: &Def| d.parent.is_none() && d.indented && d.public;
    if !matches!(lang, Lang::Java | Lang::CSharp) || !ex.defs.iter().any(hidable) {
        return;
    }
    let tops: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with(|c: char| c.is_alphabetic() || c == '_' || c == '$'))
        .collect();
    for d in ex.defs.iter_mut().filter(|d| hidable(d)) {
        let above = tops.iter().rev().find(|(r, _)| *r < d.start_row);
        let line = above.map_or(heading, |(_, l)| l.trim());
        if symbols::heading_hides_members(lang, line) {
            d.public = false;
        }
    }
}

fn in_ranges(ranges: &[(usize, usize)], row: usize) -> bool {
    ranges.iter().any(|(a, b)| *a <= row && row <= *b)
}

/// First pass over one file: everything but the patch-level passes.
fn analyze_one(patch: &Patch<'_>, fi: usize, opts: Input<'_>) -> (FileSyntax, FileWork) {
    let empty = FileDiff::default();
    let f = patch.files.get(fi).unwrap_or(&empty);
    let path = f.path().to_string();
    let head = content_for(opts, f, Side::New);
    let first = first_line_of(patch, f, head);
    let lang = lang::detect(&path, first.as_deref());
    let mut out = FileSyntax {
        path: path.clone(),
        language: lang,
        test_file: crate::rules::is_test_path(&path),
        ..Default::default()
    };
    out.generated = classify::generated_by_path(&path).or_else(|| match head {
        Some(h) => classify::generated_by_header(h.lines()),
        None => {
            let firsts: Vec<String> = f
                .hunks
                .first()
                .map(|h| {
                    h.lines
                        .iter()
                        .filter(|l| {
                            l.kind != LineKind::Removed && l.new_no().is_some_and(|n| n <= 8)
                        })
                        .map(|l| patch.line_text(l).into_owned())
                        .collect()
                })
                .unwrap_or_default();
            classify::generated_by_header(firsts.iter().map(String::as_str))
        }
    });
    let mut work = FileWork {
        path: path.clone(),
        lang,
        defs: Vec::new(),
        calls: Vec::new(),
        blocks: classify::blocks_of(patch, fi),
    };
    let views = if f.binary {
        out.fallback = fallback("binary", "binary file".to_string());
        Vec::new()
    } else {
        match lang {
            None => {
                out.fallback = fallback("no-grammar", "unknown file type".to_string());
                Vec::new()
            }
            Some(l) => parse_file(patch, f, l, opts, &mut out),
        }
    };
    out.partial = out.source != Source::Full;

    // Symbols of changed lines.
    let mut sym_index: HashMap<(usize, usize), u32> = HashMap::new();
    let mut direct: HashSet<(usize, usize)> = HashSet::new();
    let changed_new = changed_lines(f, Side::New);
    let changed_old = changed_lines(f, Side::Old);
    for (hi, h) in f.hunks.iter().enumerate() {
        let mut hs = HunkSyntax {
            index: hi as u32,
            symbols: Vec::new(),
            heading: patch.text(h.section).trim().to_string(),
        };
        for l in &h.lines {
            let (side, line) = match (l.kind, l.old_no(), l.new_no()) {
                (LineKind::Added, _, Some(n)) => (Side::New, n),
                (LineKind::Removed, Some(o), _) => (Side::Old, o),
                _ => continue,
            };
            let view = views
                .iter()
                .enumerate()
                .find(|(_, v)| v.side == side && (v.hunk.is_none() || v.hunk == Some(hi)));
            let mut ls = LineSyntax {
                side,
                line,
                symbol: None,
                test: out.test_file,
                comment: false,
                import: false,
                class: EditClass::Logic,
            };
            if let Some((vi, v)) = view {
                if let Some(row) = v.row_of(line) {
                    ls.comment = in_ranges(&v.ex.comments, row);
                    ls.import = in_ranges(&v.ex.imports, row);
                    if let Some(di) = symbols::innermost(&v.ex.defs, row) {
                        direct.insert((vi, di));
                        let idx = *sym_index.entry((vi, di)).or_insert_with(|| {
                            let d = &v.ex.defs[di];
                            let mut chain = symbols::chain_display(&v.ex.defs, di);
                            let mut kind = d.kind;
                            // A hunk that starts inside a class: the header names it.
                            let root = symbols::chain_of(&v.ex.defs, di)
                                .first()
                                .and_then(|r| v.ex.defs.get(*r));
                            if v.hunk.is_some() && root.is_some_and(|r| r.indented) {
                                if let Some(h) = symbols::heading_symbol(lang, &hs.heading, side)
                                    .filter(|h| {
                                        matches!(
                                            h.kind,
                                            SymbolKind::Class
                                                | SymbolKind::Impl
                                                | SymbolKind::Module
                                                | SymbolKind::Interface
                                        )
                                    })
                                {
                                    chain = format!(
                                        "{} > {chain}",
                                        h.chain.trim_end_matches([':', '{', ' '])
                                    );
                                    if kind == SymbolKind::Function && h.kind != SymbolKind::Module
                                    {
                                        kind = SymbolKind::Method;
                                    }
                                }
                            }
                            out.symbols.push(Symbol {
                                chain,
                                name: d.name.clone(),
                                kind,
                                public: d.public,
                                test: d.test,
                                side,
                                line: v.line(d.start_row),
                                end_line: v.line(d.end_row),
                            });
                            (out.symbols.len() - 1) as u32
                        });
                        if let Some(s) = out.symbols.get(idx as usize) {
                            ls.test |= s.test;
                        }
                        ls.symbol = Some(idx);
                        if !hs.symbols.contains(&idx) {
                            hs.symbols.push(idx);
                        }
                    } else if v.hunk.is_some() && v.ex.defs.iter().all(|d| d.start_row > row) {
                        // The definition starts above the hunk: name it from
                        // the hunk header (`@@ … @@ static int foo(…)`).
                        if let Some(hsym) = symbols::heading_symbol(lang, &hs.heading, side) {
                            let idx = *sym_index.entry((vi, usize::MAX)).or_insert_with(|| {
                                out.symbols.push(hsym);
                                (out.symbols.len() - 1) as u32
                            });
                            if let Some(s) = out.symbols.get(idx as usize) {
                                ls.test |= s.test;
                            }
                            ls.symbol = Some(idx);
                            if !hs.symbols.contains(&idx) {
                                hs.symbols.push(idx);
                            }
                        }
                    }
                }
            }
            out.lines.push(ls);
        }
        out.hunks.push(hs);
    }

    // Definitions and calls for the patch-level passes.
    for (vi, v) in views.iter().enumerate() {
        let changed = if v.side == Side::New {
            &changed_new
        } else {
            &changed_old
        };
        let shown = hunk_ranges(f, v.side);
        for (di, d) in v.ex.defs.iter().enumerate() {
            work.defs.push(SideDef {
                side: v.side,
                q: symbols::qualname(&v.ex.defs, di),
                chain: symbols::chain_display(&v.ex.defs, di),
                def: d.clone(),
                line: v.line(d.start_row),
                end_line: v.line(d.end_row),
                name_line: v.line(d.name_row),
                direct: direct.contains(&(vi, di)),
            });
        }
        for c in &v.ex.calls {
            let line = v.line(c.row);
            if line == 0 || !shown.iter().any(|(a, b)| *a <= line && line <= *b) {
                continue;
            }
            work.calls
                .push((v.side, line, c.callee.clone(), changed.contains(&line)));
        }
    }
    if out.generated.is_none() {
        out.changes = symbol_changes(
            &work.defs,
            &changed_old,
            &changed_new,
            out.source == Source::Full,
        );
    }
    (out, work)
}

fn similarity(a: &str, b: &str) -> f32 {
    classify::token_similarity(a, b, &lexer::DEFAULT_LEXICAL)
}

fn parent_q(q: &str) -> &str {
    q.rsplit_once("::").map(|(p, _)| p).unwrap_or("")
}

fn touches(set: &BTreeSet<u32>, a: u32, b: u32) -> bool {
    set.range(a..=b.max(a)).next().is_some()
}

/// What changed in a definition's signature that its callers see
/// (parameters, return type, visibility), or the whole signature when it
/// changed otherwise; empty when callers see no change.
fn signature_details(od: &symbols::Def, n: &symbols::Def) -> Vec<String> {
    let mut details = Vec::new();
    let config = matches!(
        n.kind,
        SymbolKind::Key | SymbolKind::Block | SymbolKind::Schema
    );
    if config || od.signature_key() == n.signature_key() {
        return details;
    }
    if od.params_key() != n.params_key() {
        details.push(format!(
            "parameters: {} -> {}",
            od.params.as_deref().unwrap_or("()"),
            n.params.as_deref().unwrap_or("()")
        ));
    }
    if od.returns != n.returns {
        details.push(format!(
            "return type: {} -> {}",
            od.returns.as_deref().unwrap_or("(none)"),
            n.returns.as_deref().unwrap_or("(none)")
        ));
    }
    if od.public != n.public {
        details.push(format!(
            "visibility: {} -> {}",
            if od.public { "public" } else { "not public" },
            if n.public { "public" } else { "not public" }
        ));
    }
    if details.is_empty() {
        details.push(format!("signature: {} -> {}", od.signature, n.signature));
    }
    details
}

fn symbol_changes(
    defs: &[SideDef],
    changed_old: &BTreeSet<u32>,
    changed_new: &BTreeSet<u32>,
    full: bool,
) -> Vec<SymbolChange> {
    let mut out = Vec::new();
    let mut old_by_q: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, d) in defs.iter().enumerate() {
        if d.side == Side::Old {
            old_by_q.entry(d.q.as_str()).or_default().push(i);
        }
    }
    let mut new_count: HashMap<&str, usize> = HashMap::new();
    for d in defs.iter().filter(|d| d.side == Side::New) {
        *new_count.entry(d.q.as_str()).or_default() += 1;
    }
    let mut old_matched = vec![false; defs.len()];
    let mut added = Vec::new();
    let mk = |change, d: &SideDef| SymbolChange {
        change,
        name: d.def.name.clone(),
        old_name: None,
        chain: d.chain.clone(),
        kind: d.def.kind,
        public: d.def.public,
        test: d.def.test,
        old_line: (d.side == Side::Old).then_some(d.line),
        new_line: (d.side == Side::New).then_some(d.line),
        old_end_line: (d.side == Side::Old).then_some(d.end_line),
        new_end_line: (d.side == Side::New).then_some(d.end_line),
        details: Vec::new(),
        call_sites: Vec::new(),
    };
    // Pair each new definition with an old one of the same qualified name.
    // Overloads share a name: pair identical signatures first, so a new
    // overload inserted before an unchanged one does not take its partner.
    let mut pair: Vec<Option<usize>> = vec![None; defs.len()];
    for (i, n) in defs.iter().enumerate() {
        if n.side != Side::New {
            continue;
        }
        let Some(v) = old_by_q.get(n.q.as_str()) else {
            continue;
        };
        if let Some(&j) = v
            .iter()
            .find(|&&j| !old_matched[j] && defs[j].def.signature_key() == n.def.signature_key())
        {
            old_matched[j] = true;
            pair[i] = Some(j);
        }
    }
    for (i, n) in defs.iter().enumerate() {
        if n.side != Side::New || pair[i].is_some() {
            continue;
        }
        if let Some(&j) = old_by_q
            .get(n.q.as_str())
            .and_then(|v| v.iter().find(|&&j| !old_matched[j]))
        {
            old_matched[j] = true;
            pair[i] = Some(j);
        }
    }
    for (i, n) in defs.iter().enumerate() {
        if n.side != Side::New {
            continue;
        }
        match pair[i] {
            Some(j) => {
                let od = &defs[j];
                let details = signature_details(&od.def, &n.def);
                if !details.is_empty() {
                    let mut c = mk(ChangeKind::Signature, n);
                    // Narrowed visibility breaks the callers the old one had;
                    // not told for overloads paired by position, whose
                    // parameters differ too (`public Entry(String)` left
                    // over against a moved `protected Entry()`).
                    let overloaded = old_by_q.get(n.q.as_str()).is_some_and(|v| v.len() > 1)
                        || new_count.get(n.q.as_str()).is_some_and(|&k| k > 1);
                    c.public |= od.def.public && (!overloaded || details.len() == 1);
                    c.old_line = Some(od.line);
                    c.old_end_line = Some(od.end_line);
                    c.details = details;
                    out.push(c);
                } else if (n.direct && touches(changed_new, n.line, n.end_line))
                    || (od.direct && touches(changed_old, od.line, od.end_line))
                {
                    let mut c = mk(ChangeKind::Modified, n);
                    c.old_line = Some(od.line);
                    c.old_end_line = Some(od.end_line);
                    out.push(c);
                }
            }
            None => {
                if full || changed_new.contains(&n.name_line) {
                    added.push(i);
                }
            }
        }
    }
    let mut deleted = Vec::new();
    for (j, o) in defs.iter().enumerate() {
        if o.side == Side::Old && !old_matched[j] && (full || changed_old.contains(&o.name_line)) {
            deleted.push(j);
        }
    }
    let mut renamed_new = HashSet::new();
    let mut renamed_old = HashSet::new();
    // A definition moved within the file, where one hunk shows its class and
    // the other does not (`IOUtils::closeQuietly` and `closeQuietly`): the
    // same definition when kind, name and signature agree (overloads share
    // the name, and a definition without its class may read as less
    // visible than it is). Not added, not deleted.
    let inside = |q: &str, name: &str| q.strip_suffix(name).is_some_and(|p| p.ends_with("::"));
    let nested = |a: &str, b: &str| inside(a, b) || inside(b, a);
    for &a in &added {
        let na = &defs[a];
        let mut found = deleted.iter().copied().filter(|&d| {
            let od = &defs[d];
            !renamed_old.contains(&d)
                && od.def.kind == na.def.kind
                && od.def.name == na.def.name
                && nested(&na.q, &od.q)
                && od.def.signature_key() == na.def.signature_key()
        });
        let (Some(d), None) = (found.next(), found.next()) else {
            continue;
        };
        renamed_new.insert(a);
        renamed_old.insert(d);
        let od = &defs[d];
        if od.def.body != na.def.body {
            let mut c = mk(ChangeKind::Modified, na);
            c.old_line = Some(od.line);
            c.old_end_line = Some(od.end_line);
            out.push(c);
        }
    }
    // Renames: same kind and parent, similar body.
    let mut cands = Vec::new();
    if added.len() * deleted.len() <= 2_500 {
        for &a in &added {
            for &d in &deleted {
                let (na, od) = (&defs[a], &defs[d]);
                if na.def.kind != od.def.kind
                    || parent_q(&na.q) != parent_q(&od.q)
                    || na.def.body.len() < 8
                {
                    continue;
                }
                let s = similarity(&od.def.body, &na.def.body);
                if s >= 0.8 {
                    cands.push((s, a, d));
                }
            }
        }
    }
    cands.sort_by(|x, y| y.0.total_cmp(&x.0));
    for (_, a, d) in cands {
        if renamed_new.contains(&a) || renamed_old.contains(&d) {
            continue;
        }
        renamed_new.insert(a);
        renamed_old.insert(d);
        let (na, od) = (&defs[a], &defs[d]);
        let mut c = mk(ChangeKind::Renamed, na);
        c.old_name = Some(od.def.name.clone());
        c.old_line = Some(od.line);
        c.old_end_line = Some(od.end_line);
        if od.def.public != na.def.public {
            c.details.push(format!(
                "visibility: {} -> {}",
                if od.def.public {
                    "public"
                } else {
                    "not public"
                },
                if na.def.public {
                    "public"
                } else {
                    "not public"
                }
            ));
        }
        out.push(c);
    }
    for &a in &added {
        if !renamed_new.contains(&a) {
            out.push(mk(ChangeKind::Added, &defs[a]));
        }
    }
    for &d in &deleted {
        if !renamed_old.contains(&d) {
            out.push(mk(ChangeKind::Deleted, &defs[d]));
        }
    }
    out.sort_by_key(|c| (c.new_line.or(c.old_line), c.old_line, c.change));
    // Added and deleted children of an added/deleted parent are implied.
    let parents: HashSet<(ChangeKind, String)> = out
        .iter()
        .filter(|c| matches!(c.change, ChangeKind::Added | ChangeKind::Deleted))
        .map(|c| (c.change, c.chain.clone()))
        .collect();
    out.retain(|c| {
        if !matches!(c.change, ChangeKind::Added | ChangeKind::Deleted) {
            return true;
        }
        let mut chain = c.chain.as_str();
        while let Some((p, _)) = chain.rsplit_once(" > ") {
            if parents.contains(&(c.change, p.to_string())) {
                return false;
            }
            chain = p;
        }
        true
    });
    out
}

/// Analyse one file of a patch on its own (moves are looked for within
/// the file only; call sites within the file only).
pub fn analyze_file(patch: &Patch<'_>, file_idx: usize, opts: &SyntaxOptions) -> FileSyntax {
    analyze_files(patch, &[file_idx], opts)
        .pop()
        .unwrap_or_default()
}

/// Analyse every file of a patch.
pub fn analyze_patch(patch: &Patch<'_>, opts: &SyntaxOptions) -> Vec<FileSyntax> {
    let all: Vec<usize> = (0..patch.files.len()).collect();
    analyze_files(patch, &all, opts)
}

/// Analyse some files of a patch together (moves and call sites are
/// matched among them).
pub fn analyze_files(patch: &Patch<'_>, files: &[usize], opts: &SyntaxOptions) -> Vec<FileSyntax> {
    analyze_files_with(
        patch,
        files,
        Input {
            files: &opts.files,
            limits: opts.limits,
        },
    )
}

/// Borrowed options: full file contents and limits.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// Full file contents by path.
    pub files: &'a std::collections::BTreeMap<String, FileContents>,
    /// Limits.
    pub limits: Limits,
}

/// Analyse every file of a patch with borrowed options (no copy of the
/// supplied file contents).
pub fn analyze_patch_with(patch: &Patch<'_>, opts: Input<'_>) -> Vec<FileSyntax> {
    let all: Vec<usize> = (0..patch.files.len()).collect();
    analyze_files_with(patch, &all, opts)
}

fn analyze_files_with(patch: &Patch<'_>, files: &[usize], opts: Input<'_>) -> Vec<FileSyntax> {
    let mut results = Vec::new();
    let mut works = Vec::new();
    for &fi in files {
        let (r, w) = analyze_one(patch, fi, opts);
        results.push(r);
        works.push(w);
    }
    // Position of each patch file index in `results`.
    let pos: HashMap<usize, usize> = files.iter().enumerate().map(|(i, f)| (*f, i)).collect();

    // Definitions deleted in one file and added in another: moved.
    link_moved_defs(&mut results);

    // Classification.
    let blocks: Vec<classify::Block> = works
        .iter()
        .flat_map(|w| w.blocks.iter().cloned())
        .collect();
    let moves = classify::find_moves(&blocks);
    classify_all(patch, &blocks, &moves, &pos, &works, &mut results);

    // Call sites of changed symbols.
    link_call_sites(&works, &mut results);
    results
}

fn link_moved_defs(results: &mut [FileSyntax]) {
    let mut deleted: HashMap<(String, SymbolKind), (usize, usize)> = HashMap::new();
    for (ri, r) in results.iter().enumerate() {
        for (ci, c) in r.changes.iter().enumerate() {
            if c.change == ChangeKind::Deleted {
                deleted.entry((c.name.clone(), c.kind)).or_insert((ri, ci));
            }
        }
    }
    let mut moves = Vec::new();
    for (ri, r) in results.iter().enumerate() {
        for (ci, c) in r.changes.iter().enumerate() {
            if c.change != ChangeKind::Added {
                continue;
            }
            if let Some(&(dri, dci)) = deleted.get(&(c.name.clone(), c.kind)) {
                if dri != ri {
                    moves.push((ri, ci, dri, dci));
                }
            }
        }
    }
    let mut used = HashSet::new();
    for (ri, ci, dri, dci) in moves {
        if !used.insert((dri, dci)) {
            continue;
        }
        let from_path = results[dri].path.clone();
        let to_path = results[ri].path.clone();
        let (old_line, old_end) = results[dri]
            .changes
            .get(dci)
            .map(|c| (c.old_line, c.old_end_line))
            .unwrap_or_default();
        let (new_line, new_end) = results[ri]
            .changes
            .get(ci)
            .map(|c| (c.new_line, c.new_end_line))
            .unwrap_or_default();
        if let Some(c) = results[ri].changes.get_mut(ci) {
            c.change = ChangeKind::Moved;
            c.details.push(format!("moved from {from_path}"));
            c.old_line = old_line;
            c.old_end_line = old_end;
        }
        if let Some(c) = results[dri].changes.get_mut(dci) {
            c.change = ChangeKind::Moved;
            c.details.push(format!("moved to {to_path}"));
            c.new_line = new_line;
            c.new_end_line = new_end;
        }
    }
}

fn classify_all(
    _patch: &Patch<'_>,
    blocks: &[classify::Block],
    moves: &[classify::MoveSeg],
    pos: &HashMap<usize, usize>,
    works: &[FileWork],
    results: &mut [FileSyntax],
) {
    // Lines in moves.
    let mut moved: HashMap<(usize, Side, u32), ()> = HashMap::new();
    for m in moves {
        for l in m.old.start..=m.old.end {
            moved.insert((m.from_file, Side::Old, l), ());
        }
        for l in m.new.start..=m.new.end {
            moved.insert((m.to_file, Side::New, l), ());
        }
        let path_of = |fi: usize| {
            pos.get(&fi)
                .and_then(|p| results.get(*p))
                .map(|r| r.path.clone())
                .unwrap_or_default()
        };
        let (from, to) = (path_of(m.from_file), path_of(m.to_file));
        if m.from_file == m.to_file {
            if let Some(r) = pos.get(&m.from_file).and_then(|p| results.get_mut(*p)) {
                r.edits.push(Edit {
                    class: EditClass::Moved,
                    old: Some(m.old),
                    new: Some(m.new),
                    counterpart: Some(classify::loc(&to, Side::New, m.new.start)),
                    renames: Vec::new(),
                    ranges: Vec::new(),
                });
            }
        } else {
            if let Some(r) = pos.get(&m.from_file).and_then(|p| results.get_mut(*p)) {
                r.edits.push(Edit {
                    class: EditClass::Moved,
                    old: Some(m.old),
                    new: None,
                    counterpart: Some(classify::loc(&to, Side::New, m.new.start)),
                    renames: Vec::new(),
                    ranges: Vec::new(),
                });
            }
            if let Some(r) = pos.get(&m.to_file).and_then(|p| results.get_mut(*p)) {
                r.edits.push(Edit {
                    class: EditClass::Moved,
                    old: None,
                    new: Some(m.new),
                    counterpart: Some(classify::loc(&from, Side::Old, m.old.start)),
                    renames: Vec::new(),
                    ranges: Vec::new(),
                });
            }
        }
    }
    // Tentative classes per block.
    let mut tentative = Vec::with_capacity(blocks.len());
    let mut sub_counts: HashMap<(String, String), u32> = HashMap::new();
    for b in blocks {
        let rem: Vec<(u32, String)> = b
            .removed
            .iter()
            .filter(|(l, _)| !moved.contains_key(&(b.file, Side::Old, *l)))
            .cloned()
            .collect();
        let add: Vec<(u32, String)> = b
            .added
            .iter()
            .filter(|(l, _)| !moved.contains_key(&(b.file, Side::New, *l)))
            .cloned()
            .collect();
        let Some(ri) = pos.get(&b.file).copied() else {
            tentative.push(None);
            continue;
        };
        let lang = works.get(ri).and_then(|w| w.lang);
        let lex = classify::lexical(lang);
        let generated = results.get(ri).is_some_and(|r| r.generated.is_some());
        let t = if rem.is_empty() && add.is_empty() {
            None
        } else if generated {
            Some(classify::Tentative {
                class: EditClass::Generated,
                subs: Vec::new(),
            })
        } else {
            let join = |v: &[(u32, String)]| {
                v.iter()
                    .map(|(_, t)| t.as_str())
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            let t = classify::classify_texts(&join(&rem), &join(&add), lex);
            for (a, bb, c) in &t.subs {
                *sub_counts.entry((a.clone(), bb.clone())).or_default() += c;
            }
            Some(t)
        };
        tentative.push(t.map(|t| (t, rem, add, ri, lex)));
    }
    // Renamed definitions support a substitution.
    let def_renames: HashSet<(String, String)> = results
        .iter()
        .flat_map(|r| r.changes.iter())
        .filter(|c| c.change == ChangeKind::Renamed)
        .filter_map(|c| c.old_name.clone().map(|o| (o, c.name.clone())))
        .collect();
    // Final classes and edits.
    let mut line_class: Vec<HashMap<(Side, u32), EditClass>> = vec![HashMap::new(); results.len()];
    for (key, _) in moved.iter() {
        if let Some(p) = pos.get(&key.0) {
            line_class[*p].insert((key.1, key.2), EditClass::Moved);
        }
    }
    for (t, rem, add, ri, lex) in tentative.into_iter().flatten() {
        let mut class = t.class;
        let mut renames = Vec::new();
        if class == EditClass::Rename {
            let supported = t.subs.iter().all(|(a, b, _)| {
                sub_counts
                    .get(&(a.clone(), b.clone()))
                    .copied()
                    .unwrap_or(0)
                    >= 2
                    || def_renames.contains(&(a.clone(), b.clone()))
            });
            if supported {
                renames = t
                    .subs
                    .iter()
                    .map(|(a, b, _)| format!("{a} -> {b}"))
                    .collect();
            } else {
                class = EditClass::Logic;
            }
        }
        let range = |v: &[(u32, String)]| {
            let lo = v.iter().map(|x| x.0).min()?;
            let hi = v.iter().map(|x| x.0).max()?;
            Some(LineRange { start: lo, end: hi })
        };
        let ranges = if class == EditClass::Generated {
            Vec::new()
        } else {
            classify::intra_ranges(&rem, &add, lex)
        };
        if let Some(lc) = line_class.get_mut(ri) {
            for (l, _) in &rem {
                lc.insert((Side::Old, *l), class);
            }
            for (l, _) in &add {
                lc.insert((Side::New, *l), class);
            }
        }
        if let Some(r) = results.get_mut(ri) {
            r.edits.push(Edit {
                class,
                old: range(&rem),
                new: range(&add),
                counterpart: None,
                renames,
                ranges,
            });
        }
    }
    for (ri, r) in results.iter_mut().enumerate() {
        r.edits.sort_by_key(|e| {
            (
                e.new.map(|x| x.start).or(e.old.map(|x| x.start)),
                e.old.map(|x| x.start),
            )
        });
        let mut summary = ClassSummary::default();
        for l in r.lines.iter_mut() {
            if let Some(c) = line_class.get(ri).and_then(|m| m.get(&(l.side, l.line))) {
                l.class = *c;
            } else if r.generated.is_some() {
                l.class = EditClass::Generated;
            }
            summary.add(l.class, 1);
        }
        r.summary = summary;
    }
}

/// Languages that can call each other's functions by name: JavaScript and
/// TypeScript (one module system), C and C++ (one linker); every other
/// language only its own. A Ruby method `fetch` is not what a JavaScript
/// `fetch(...)` calls.
fn call_family(l: Option<Lang>) -> Option<Lang> {
    match l? {
        Lang::TypeScript | Lang::Tsx => Some(Lang::JavaScript),
        Lang::Cpp => Some(Lang::C),
        other => Some(other),
    }
}

fn link_call_sites(works: &[FileWork], results: &mut [FileSyntax]) {
    let mut by_name: HashMap<&str, Vec<(usize, Side, u32, bool)>> = HashMap::new();
    for (wi, w) in works.iter().enumerate() {
        for (side, line, callee, changed) in &w.calls {
            by_name
                .entry(callee.as_str())
                .or_default()
                .push((wi, *side, *line, *changed));
        }
    }
    let families: Vec<Option<Lang>> = works.iter().map(|w| call_family(w.lang)).collect();
    for (ri, r) in results.iter_mut().enumerate() {
        let family = families.get(ri).copied().flatten();
        for c in r.changes.iter_mut() {
            if matches!(
                c.kind,
                SymbolKind::Key | SymbolKind::Block | SymbolKind::Test | SymbolKind::Module
            ) || c.name.len() < 2
            {
                continue;
            }
            let mut names = vec![c.name.clone()];
            if let Some(o) = &c.old_name {
                names.push(o.clone());
            }
            let mut sites = Vec::new();
            for n in &names {
                for (wi, side, line, changed) in by_name.get(n.as_str()).into_iter().flatten() {
                    // Not inside the definition itself (recursion, or a
                    // same-named method of another type called from it).
                    let inside = |start: Option<u32>, end: Option<u32>| match (start, end) {
                        (Some(a), Some(b)) => a <= *line && *line <= b,
                        (Some(a), None) => a == *line,
                        _ => false,
                    };
                    let own = *wi == ri
                        && ((*side == Side::New && inside(c.new_line, c.new_end_line))
                            || (*side == Side::Old && inside(c.old_line, c.old_end_line)));
                    if own || families.get(*wi).copied().flatten() != family {
                        continue;
                    }
                    sites.push(Location {
                        path: works.get(*wi).map(|w| w.path.clone()).unwrap_or_default(),
                        side: *side,
                        line: *line,
                        changed: *changed,
                    });
                }
            }
            sites.sort();
            sites.dedup();
            sites.truncate(50);
            c.call_sites = sites;
        }
    }
}

#[cfg(test)]
mod tests;
