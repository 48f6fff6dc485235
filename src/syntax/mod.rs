//! Syntax layer: tree-sitter over the changed code.
//!
//! Without the full files, each hunk's side is rebuilt from its context and
//! changed lines and parsed on its own ("partial" parsing): enough to find
//! calls, arguments and definitions on the changed lines.

use crate::diff::{FileDiff, LineKind, Patch};
use crate::lang::Lang;

/// Files larger than this (bytes of rebuilt text) are analysed as text only.
pub const MAX_PARSE_BYTES: usize = 2 * 1024 * 1024;

/// Which side of a hunk to rebuild.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
        let h = &file.hunks[hunk];
        let mut text = String::new();
        let mut line_numbers = Vec::new();
        let mut changed = Vec::new();
        for l in &h.lines {
            let (keep, no, ch) = match (side, l.kind) {
                (_, LineKind::Context) => (
                    true,
                    if side == HunkSide::New {
                        l.new_no
                    } else {
                        l.old_no
                    },
                    false,
                ),
                (HunkSide::New, LineKind::Added) => (true, l.new_no, true),
                (HunkSide::Old, LineKind::Removed) => (true, l.old_no, true),
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

    /// Line number of a row (0-based), on this side.
    pub fn line_of_row(&self, row: usize) -> u32 {
        self.line_numbers.get(row).copied().unwrap_or(0)
    }

    /// Whether any row in `rows` (inclusive) is a changed line.
    pub fn touches_change(&self, start_row: usize, end_row: usize) -> bool {
        (start_row..=end_row).any(|r| self.changed.get(r).copied().unwrap_or(false))
    }
}

/// Parse text with a language's grammar, within the byte limit.
/// Returns `None` past the limit or if the parser gives up.
pub fn parse_text(lang: Lang, text: &str) -> Option<tree_sitter::Tree> {
    if text.len() > MAX_PARSE_BYTES {
        return None;
    }
    let mut parser = tree_sitter::Parser::new();
    parser.set_language(&lang.grammar()).ok()?;
    parser.parse(text, None)
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
