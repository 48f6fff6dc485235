//! Incremental reading: feed chunks as they arrive, get each file as soon as
//! it is complete.
//!
//! The reader buffers bytes until it has seen the header line of the *next*
//! file section (`diff --git`, `diff --cc`/`--combined`, or an mbox
//! `From <sha>` line); everything before that header is complete and is read
//! exactly as [`parse`](super::parse) would read it. Only the unfinished
//! section stays buffered, so memory follows the largest file section, not
//! the whole stream.

use super::model::*;
use super::parse::{is_file_start_line, parse_segment, Segment};
use std::borrow::Cow;

/// One completed file, with its own copy of the file section's bytes.
///
/// Byte ranges in [`StreamFile::file`] (hunk sections, line contents,
/// [`FileDiff::span`]) index [`StreamFile::bytes`]; [`StreamFile::offset`]
/// is where those bytes start in the whole stream.
#[derive(Debug, Clone)]
pub struct StreamFile {
    /// The file, with paths and oids owned.
    pub file: FileDiff<'static>,
    /// The bytes of the file section (header through last hunk line).
    pub bytes: Vec<u8>,
    /// Stream offset of `bytes[0]`.
    pub offset: u64,
}

impl StreamFile {
    /// The bytes of a range into [`StreamFile::bytes`].
    pub fn range_bytes(&self, r: ByteRange) -> &[u8] {
        self.bytes.get(r.range()).unwrap_or(&[])
    }
    /// The text of a line, lossily decoded, without a trailing `\r`.
    pub fn line_text(&self, l: &Line) -> Cow<'_, str> {
        let b = self.range_bytes(l.content);
        String::from_utf8_lossy(b.strip_suffix(b"\r").unwrap_or(b))
    }
}

/// Something the incremental reader completed, in input order.
#[derive(Debug, Clone)]
pub enum Event {
    /// A commit header and message (mbox / format-patch / `git log -p`).
    /// Files that follow it carry its index in [`FileDiff::commit`].
    Commit(Box<Commit<'static>>),
    /// A completed file.
    File(Box<StreamFile>),
    /// A problem found while reading (line numbers count from the stream start).
    Diagnostic(Diagnostic),
}

/// Incremental diff reader.
///
/// ```
/// use blastradius::diff::{Event, StreamParser};
///
/// let diff = b"diff --git a/a.rs b/a.rs\n--- a/a.rs\n+++ b/a.rs\n@@ -1 +1 @@\n-x\n+y\n\
///              diff --git a/b.rs b/b.rs\n--- a/b.rs\n+++ b/b.rs\n@@ -1 +1,2 @@\n k\n+z\n";
/// let mut reader = StreamParser::new();
/// let mut files = Vec::new();
/// // Feed the bytes as they arrive, here 7 at a time.
/// for chunk in diff.chunks(7) {
///     for event in reader.push(chunk) {
///         if let Event::File(f) = event {
///             files.push(f.file.path().to_string()); // a.rs is ready before b.rs arrived
///         }
///     }
/// }
/// assert_eq!(files, ["a.rs"]);
/// for event in reader.finish() {
///     if let Event::File(f) = event {
///         assert_eq!(f.line_text(&f.file.hunks[0].lines[1]), "z");
///         files.push(f.file.path().to_string());
///     }
/// }
/// assert_eq!(files, ["a.rs", "b.rs"]);
/// ```
#[derive(Debug, Default)]
pub struct StreamParser {
    /// Unparsed bytes: everything from the start of the unfinished section.
    buf: Vec<u8>,
    /// Stream offset of `buf[0]`.
    offset: u64,
    /// Bytes of `buf` already scanned for complete lines.
    scanned: usize,
    /// Start of the last complete file-header line found in `buf` (> 0).
    cut: usize,
    /// Lines before `buf`.
    lines: u32,
    /// Commits emitted so far.
    commits: u32,
    /// Index of the last commit emitted.
    last_commit: Option<u32>,
    finished: bool,
}

impl StreamParser {
    /// A reader at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Bytes buffered and not yet read (the unfinished section).
    pub fn buffered(&self) -> usize {
        self.buf.len()
    }

    /// Feed the next chunk; returns what it completed, in input order.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<Event> {
        if self.finished {
            return Vec::new();
        }
        self.buf.extend_from_slice(chunk);
        // Find complete lines that start a file section.
        while let Some(nl) = memchr::memchr(b'\n', self.buf.get(self.scanned..).unwrap_or(&[])) {
            let start = self.scanned;
            let line = self.buf.get(start..start + nl).unwrap_or(&[]);
            if start > 0 && is_file_start_line(line) {
                self.cut = start;
            }
            self.scanned = start + nl + 1;
        }
        if self.cut == 0 {
            return Vec::new();
        }
        let cut = self.cut;
        let events = self.read(cut, true);
        self.buf.drain(..cut);
        self.offset += cut as u64;
        self.scanned -= cut;
        self.cut = 0;
        events
    }

    /// The stream ended: read what is left.
    pub fn finish(&mut self) -> Vec<Event> {
        if self.finished {
            return Vec::new();
        }
        self.finished = true;
        let n = self.buf.len();
        let events = self.read(n, false);
        self.buf = Vec::new();
        self.offset += n as u64;
        events
    }

    /// Read `buf[..end]`, a run of complete sections.
    fn read(&mut self, end: usize, more: bool) -> Vec<Event> {
        let input = self.buf.get(..end).unwrap_or(&[]);
        let seg = Segment {
            line_base: self.lines,
            commit_base: self.commits,
            prev_commit: self.last_commit,
            more,
        };
        let patch = parse_segment(input, seg);
        self.lines = self
            .lines
            .saturating_add(memchr::memchr_iter(b'\n', input).count() as u32);
        let ncommits = patch.commits.len() as u32;
        if ncommits > 0 {
            self.last_commit = Some(self.commits + ncommits - 1);
            self.commits += ncommits;
        }
        // Merge commits, files and diagnostics by input line.
        let mut events: Vec<(u32, u8, Event)> =
            Vec::with_capacity(patch.commits.len() + patch.files.len() + patch.diagnostics.len());
        for c in patch.commits {
            events.push((c.line, 0, Event::Commit(Box::new(owned_commit(c)))));
        }
        for f in patch.files {
            let line = f.line;
            events.push((
                line,
                1,
                Event::File(Box::new(owned_file(input, self.offset, f))),
            ));
        }
        for d in patch.diagnostics {
            events.push((d.line, 2, Event::Diagnostic(d)));
        }
        events.sort_by_key(|e| (e.0, e.1));
        events.into_iter().map(|e| e.2).collect()
    }
}

fn own(c: Cow<'_, str>) -> Cow<'static, str> {
    Cow::Owned(c.into_owned())
}

fn owned_commit(c: Commit<'_>) -> Commit<'static> {
    Commit {
        sha: c.sha.map(own),
        author: c.author.map(own),
        committer: c.committer.map(own),
        date: c.date.map(own),
        subject: own(c.subject),
        body: own(c.body),
        trailers: c
            .trailers
            .into_iter()
            .map(|t| Trailer {
                key: own(t.key),
                value: own(t.value),
            })
            .collect(),
        parents: c.parents.into_iter().map(own).collect(),
        line: c.line,
    }
}

fn owned_file(input: &[u8], offset: u64, f: FileDiff<'_>) -> StreamFile {
    let base = f.span.start;
    let rebase = |r: ByteRange| ByteRange {
        start: r.start.saturating_sub(base),
        end: r.end.saturating_sub(base),
    };
    let bytes = input.get(f.span.range()).unwrap_or(&[]).to_vec();
    let hunks = f
        .hunks
        .into_iter()
        .map(|mut h| {
            h.section = rebase(h.section);
            for l in &mut h.lines {
                l.content = rebase(l.content);
            }
            h
        })
        .collect();
    StreamFile {
        file: FileDiff {
            commit: f.commit,
            old_path: f.old_path.map(own),
            new_path: f.new_path.map(own),
            status: f.status,
            binary: f.binary,
            submodule: f.submodule,
            combined_parents: f.combined_parents,
            old_mode: f.old_mode,
            new_mode: f.new_mode,
            similarity: f.similarity,
            dissimilarity: f.dissimilarity,
            old_oid: f.old_oid.map(own),
            new_oid: f.new_oid.map(own),
            hunks,
            added: f.added,
            deleted: f.deleted,
            line: f.line,
            span: rebase(f.span),
        },
        bytes,
        offset: offset + u64::from(base),
    }
}
