//! Unified-diff reader and model.
//!
//! Reads `git diff`, `git show`, `git log -p`, `git format-patch` / mbox
//! streams, combined merge diffs (`diff --cc`) and plain `diff -u` output.
//!
//! * [`parse`] reads a whole buffer into a [`Patch`] that borrows from it:
//!   commits (sha, author, date, subject, body, [`Trailer`]s) → files
//!   ([`FileDiff`]: paths, [`FileStatus`], modes, similarity, blob ids) →
//!   [`Hunk`]s → [`Line`]s whose contents are [`ByteRange`]s into the input
//!   (no per-line allocation; bytes that are not UTF-8 are kept as they are).
//! * [`StreamParser`] reads chunk by chunk as a diff downloads and hands
//!   out each file ([`StreamFile`], owned) as soon as it is complete.
//! * [`numstat`] and [`summary`] render a patch exactly as
//!   `git apply --numstat` / `--summary` do, so the reader can be checked
//!   against git (`blastradius parse --numstat --summary FILE`).
//!
//! The reader never panics, never loops and allocates in proportion to its
//! input. A malformed section becomes a [`Diagnostic`] (input line, what was
//! expected) and reading resumes at the next file header; hunk line counts
//! that disagree with their header are reported, not trusted.
//!
//! ```
//! use blastradius::diff::{self, FileStatus, LineKind};
//!
//! let input = b"diff --git a/src/app.py b/src/app.py\n\
//! index 83db48f..bf269f4 100644\n\
//! --- a/src/app.py\n\
//! +++ b/src/app.py\n\
//! @@ -1,2 +1,2 @@ def main():\n\
//! \x20import os\n\
//! -os.remove(path)\n\
//! +shutil.rmtree(path)\n";
//! let patch = diff::parse(input);
//! assert!(patch.diagnostics.is_empty());
//! let file = &patch.files[0];
//! assert_eq!((file.path(), file.status), ("src/app.py", FileStatus::Modified));
//! assert_eq!((file.added, file.deleted), (1, 1));
//! let hunk = &file.hunks[0];
//! assert_eq!(patch.text(hunk.section), "def main():");
//! let added = &hunk.lines[2];
//! assert_eq!((added.kind, added.new_no()), (LineKind::Added, Some(2)));
//! assert_eq!(patch.line_text(added), "shutil.rmtree(path)");
//! assert_eq!(diff::numstat(&patch), "1\t1\tsrc/app.py\n");
//! ```

mod model;
mod parse;
mod stat;
mod stream;

pub use model::*;
pub use parse::parse;
pub use stat::{numstat, quote_path, summary};
pub use stream::{Event, StreamFile, StreamParser};
