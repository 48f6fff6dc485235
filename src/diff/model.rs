//! Plain data types for a parsed patch.
//!
//! Everything borrows from the input buffer: line contents are byte ranges
//! into it (see [`Patch::text`]), and paths are `Cow`s that only allocate
//! when a path was C-quoted or not valid UTF-8.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::num::NonZeroU32;

/// A parsed patch: zero or more commits and the files they change.
///
/// Plain `git diff` / `diff -u` output has no commits; `git format-patch`,
/// mbox and `git log -p` streams have one [`Commit`] per commit, and each
/// [`FileDiff::commit`] points at the commit it belongs to.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Patch<'a> {
    /// The input the patch was read from; every byte range indexes into it.
    #[serde(skip)]
    pub input: &'a [u8],
    /// Commits, in input order.
    pub commits: Vec<Commit<'a>>,
    /// Files, in input order.
    pub files: Vec<FileDiff<'a>>,
    /// Problems found while reading; the reader skips to the next file
    /// header after each and keeps everything it could read.
    pub diagnostics: Vec<Diagnostic>,
}

/// Commit metadata from an mbox/format-patch or `git log` stream.
#[derive(Debug, Clone, Serialize, Default, PartialEq, Eq)]
pub struct Commit<'a> {
    /// Full or abbreviated commit id, when the stream gives one.
    pub sha: Option<Cow<'a, str>>,
    /// `Name <email>` of the author.
    pub author: Option<Cow<'a, str>>,
    /// `Name <email>` of the committer (only `git log --format=fuller` gives one).
    pub committer: Option<Cow<'a, str>>,
    /// The date as written in the stream.
    pub date: Option<Cow<'a, str>>,
    /// First line of the message (without a `[PATCH n/m]` prefix).
    pub subject: Cow<'a, str>,
    /// The rest of the message, trailers included.
    pub body: Cow<'a, str>,
    /// Trailers (`Key: value` lines of the message's last paragraph).
    pub trailers: Vec<Trailer<'a>>,
    /// Parent ids from a `Merge:` line.
    pub parents: Vec<Cow<'a, str>>,
    /// 1-based input line of the commit header.
    pub line: u32,
}

/// One `Key: value` trailer.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Trailer<'a> {
    /// Trailer key as written (`Co-authored-by`).
    pub key: Cow<'a, str>,
    /// Value, trimmed.
    pub value: Cow<'a, str>,
}

/// What happened to a file.
#[derive(
    Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord, Default,
)]
#[serde(rename_all = "kebab-case")]
pub enum FileStatus {
    /// New file.
    Added,
    /// Deleted file.
    Deleted,
    /// Content changed in place.
    #[default]
    Modified,
    /// Renamed (possibly with content changes).
    Renamed,
    /// Copied (possibly with content changes).
    Copied,
    /// Only the mode changed.
    ModeOnly,
}

/// One changed file.
#[derive(Debug, Clone, Serialize, Default)]
pub struct FileDiff<'a> {
    /// Index into [`Patch::commits`], when the file belongs to a commit.
    pub commit: Option<u32>,
    /// Path before the change; `None` for a new file.
    pub old_path: Option<Cow<'a, str>>,
    /// Path after the change; `None` for a deleted file.
    pub new_path: Option<Cow<'a, str>>,
    /// What happened to the file.
    pub status: FileStatus,
    /// Binary content (`Binary files … differ` or `GIT binary patch`).
    pub binary: bool,
    /// A submodule (gitlink, mode 160000 or `Subproject commit` lines).
    pub submodule: bool,
    /// Combined diff of a merge (`diff --cc` / `--combined`): number of parents.
    pub combined_parents: u8,
    /// Mode before, octal as written (`100644`).
    pub old_mode: Option<u32>,
    /// Mode after.
    pub new_mode: Option<u32>,
    /// `similarity index` percentage of a rename or copy.
    pub similarity: Option<u8>,
    /// `dissimilarity index` percentage.
    pub dissimilarity: Option<u8>,
    /// Blob ids from the `index` line.
    pub old_oid: Option<Cow<'a, str>>,
    /// Blob id after the change.
    pub new_oid: Option<Cow<'a, str>>,
    /// Hunks in order.
    pub hunks: Vec<Hunk>,
    /// Lines added (sum over hunks).
    pub added: u32,
    /// Lines deleted (sum over hunks).
    pub deleted: u32,
    /// 1-based input line of the file header.
    pub line: u32,
    /// The bytes of the whole file section, header through last hunk line.
    pub span: ByteRange,
}

impl FileDiff<'_> {
    /// The path a reviewer knows the file by: the new path, or the old one
    /// for a deleted file.
    pub fn path(&self) -> &str {
        self.new_path
            .as_deref()
            .or(self.old_path.as_deref())
            .unwrap_or("")
    }
}

/// One `@@ -a,b +c,d @@` hunk.
#[derive(Debug, Clone, Serialize, Default, PartialEq, Eq)]
pub struct Hunk {
    /// First old-side line.
    pub old_start: u32,
    /// Old-side line count from the header.
    pub old_lines: u32,
    /// First new-side line.
    pub new_start: u32,
    /// New-side line count from the header.
    pub new_lines: u32,
    /// Byte range of the section heading after the second `@@`.
    pub section: ByteRange,
    /// Lines in order.
    pub lines: Vec<Line>,
    /// 1-based input line of the `@@` header.
    pub line: u32,
}

/// A byte range into [`Patch::input`].
#[derive(Debug, Clone, Copy, Serialize, Default, PartialEq, Eq, Hash)]
pub struct ByteRange {
    /// Start offset (inclusive).
    pub start: u32,
    /// End offset (exclusive).
    pub end: u32,
}

impl ByteRange {
    /// A range from `usize` offsets.
    pub fn new(start: usize, end: usize) -> Self {
        ByteRange {
            start: start as u32,
            end: end as u32,
        }
    }
    /// As a `Range<usize>`.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
    /// True when empty.
    pub fn is_empty(self) -> bool {
        self.end <= self.start
    }
}

/// What a hunk line is.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum LineKind {
    /// Unchanged (` `).
    Context,
    /// Added (`+`).
    Added,
    /// Removed (`-`).
    Removed,
}

/// One line of a hunk.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct Line {
    /// Context, added or removed.
    pub kind: LineKind,
    /// Old-side line number (context and removed lines); read it with
    /// [`Line::old_no`]. Line numbers start at 1, so `None` costs no space.
    pub(crate) old_no: Option<NonZeroU32>,
    /// New-side line number (context and added lines); [`Line::new_no`].
    pub(crate) new_no: Option<NonZeroU32>,
    /// The content after the marker column(s), without the `\n` (a `\r`
    /// before it is kept).
    pub content: ByteRange,
    /// Followed by `\ No newline at end of file`.
    pub no_newline: bool,
}

impl Line {
    /// Old-side line number (context and removed lines).
    #[inline]
    pub fn old_no(&self) -> Option<u32> {
        self.old_no.map(NonZeroU32::get)
    }
    /// New-side line number (context and added lines).
    #[inline]
    pub fn new_no(&self) -> Option<u32> {
        self.new_no.map(NonZeroU32::get)
    }
}

/// A problem found while reading.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Diagnostic {
    /// 1-based input line.
    pub line: u32,
    /// What was wrong and what was expected.
    pub message: String,
}

impl<'a> Patch<'a> {
    /// The bytes of a range.
    pub fn bytes(&self, r: ByteRange) -> &'a [u8] {
        self.input.get(r.range()).unwrap_or(&[])
    }
    /// The text of a range, lossily decoded (only allocates for invalid UTF-8).
    pub fn text(&self, r: ByteRange) -> Cow<'a, str> {
        String::from_utf8_lossy(self.bytes(r))
    }
    /// Text of a line, lossily decoded, without a trailing `\r`.
    pub fn line_text(&self, l: &Line) -> Cow<'a, str> {
        let b = self.bytes(l.content);
        let b = b.strip_suffix(b"\r").unwrap_or(b);
        String::from_utf8_lossy(b)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_line_takes_twenty_bytes() {
        // Line numbers as Option<NonZeroU32> (4 bytes each, not 8): the
        // model of a large diff stays within twice the input.
        assert_eq!(std::mem::size_of::<super::Line>(), 20);
    }
}
