//! The unified-diff reader.
//!
//! One pass over the input, line by line. It never panics and never loops:
//! every step consumes at least one line, and every malformed section is
//! reported as a [`Diagnostic`] and skipped up to the next file header.

use super::model::*;
use std::borrow::Cow;
use std::cell::Cell;
use std::num::NonZeroU32;

/// Parse a whole buffer.
///
/// ```
/// let diff = b"diff --git a/x.rs b/x.rs\n--- a/x.rs\n+++ b/x.rs\n@@ -1 +1 @@\n-a\n+b\n";
/// let patch = blastradius::diff::parse(diff);
/// assert_eq!(patch.files[0].path(), "x.rs");
/// assert_eq!((patch.files[0].added, patch.files[0].deleted), (1, 1));
/// ```
pub fn parse(input: &[u8]) -> Patch<'_> {
    parse_segment(input, Segment::default())
}

/// Where a segment of a larger stream starts (see [`super::StreamParser`]).
#[derive(Clone, Copy, Default)]
pub(crate) struct Segment {
    /// Lines before the segment.
    pub line_base: u32,
    /// Commits before the segment.
    pub commit_base: u32,
    /// The commit the segment's first files belong to.
    pub prev_commit: Option<u32>,
    /// The input ends where the next file header starts (more follows).
    pub more: bool,
}

/// Parse one segment of a stream. Line numbers and commit indexes are
/// counted from the segment's base; byte ranges index `input`.
pub(crate) fn parse_segment(input: &[u8], seg: Segment) -> Patch<'_> {
    let mut p = Parser {
        input,
        nl_block: Cell::new(usize::MAX),
        nl_mask: Cell::new(0),
        pos: 0,
        line_no: seg.line_base,
        seg,
        patch: Patch {
            input,
            ..Default::default()
        },
        scratch: Vec::new(),
    };
    p.run();
    p.patch
}

/// Most diagnostics kept per parse; further problems are counted in the last one.
const MAX_DIAGNOSTICS: usize = 1000;

struct Parser<'a> {
    input: &'a [u8],
    /// Newline positions of one 64-byte block of `input`: its start offset
    /// (a multiple of 64; `usize::MAX` before the first) and a bit per byte.
    nl_block: Cell<usize>,
    nl_mask: Cell<u64>,
    pos: usize,
    /// 1-based number of the line at `pos` minus one.
    line_no: u32,
    seg: Segment,
    patch: Patch<'a>,
    /// Lines of the hunk being read, reused between hunks: each hunk's own
    /// vector is then allocated once at its exact length.
    scratch: Vec<Line>,
}

/// Where a hunk's reading stands: lines still expected (old side: the
/// single parent's; a combined diff counts per parent apart) and the next
/// line numbers (old side: the first parent's).
struct HunkCursor {
    old_left: u32,
    new_left: u32,
    old_no: u32,
    new_no: u32,
}

/// A line: start offset, end offset (without `\n`), offset after it.
#[derive(Clone, Copy)]
struct L {
    start: usize,
    end: usize,
    next: usize,
}

fn starts(b: &[u8], p: &[u8]) -> bool {
    b.starts_with(p)
}

fn is_hex(b: &[u8]) -> bool {
    !b.is_empty() && b.iter().all(|c| c.is_ascii_hexdigit())
}

/// Text of `b`, borrowed when it is UTF-8 (checked with the fast
/// validator first; the lossy decoder is only for the rare other case).
fn lossy(b: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(b) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(b),
    }
}

fn trim_cr(b: &[u8]) -> &[u8] {
    b.strip_suffix(b"\r").unwrap_or(b)
}

fn parse_u32(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 10 {
        return None;
    }
    let mut v: u64 = 0;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u64::from(c - b'0');
    }
    u32::try_from(v).ok()
}

fn parse_octal(b: &[u8]) -> Option<u32> {
    let b = trim_cr(b);
    if b.is_empty() || b.len() > 7 || !b.iter().all(|c| (b'0'..=b'7').contains(c)) {
        return None;
    }
    Some(b.iter().fold(0u32, |v, c| v * 8 + u32::from(c - b'0')))
}

/// Decode a C-quoted git path (`"a/\303\251t\303\251.txt"`). Returns the
/// decoded bytes and the rest of the input after the closing quote.
pub(crate) fn unquote(b: &[u8]) -> Option<(Vec<u8>, &[u8])> {
    if b.first() != Some(&b'"') {
        return None;
    }
    let mut out = Vec::with_capacity(b.len());
    let mut i = 1;
    while i < b.len() {
        match b[i] {
            b'"' => return Some((out, &b[i + 1..])),
            b'\\' => {
                let c = *b.get(i + 1)?;
                i += 2;
                match c {
                    b'a' => out.push(7),
                    b'b' => out.push(8),
                    b't' => out.push(b'\t'),
                    b'n' => out.push(b'\n'),
                    b'v' => out.push(11),
                    b'f' => out.push(12),
                    b'r' => out.push(b'\r'),
                    b'"' => out.push(b'"'),
                    b'\\' => out.push(b'\\'),
                    b'0'..=b'3' => {
                        let d1 = *b.get(i)?;
                        let d2 = *b.get(i + 1)?;
                        if !(b'0'..=b'7').contains(&d1) || !(b'0'..=b'7').contains(&d2) {
                            return None;
                        }
                        out.push(((c - b'0') << 6) | ((d1 - b'0') << 3) | (d2 - b'0'));
                        i += 2;
                    }
                    _ => return None,
                }
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    None
}

fn owned_path(v: Vec<u8>) -> Cow<'static, str> {
    match String::from_utf8(v) {
        Ok(s) => Cow::Owned(s),
        Err(e) => Cow::Owned(String::from_utf8_lossy(e.as_bytes()).into_owned()),
    }
}

/// Strip one leading `a/`-style component (`-p1`), as git does.
fn strip_prefix_component(p: Cow<'_, str>) -> Cow<'_, str> {
    match p {
        Cow::Borrowed(s) => match memchr::memchr(b'/', s.as_bytes()) {
            Some(i) => Cow::Borrowed(&s[i + 1..]),
            None => Cow::Borrowed(s),
        },
        Cow::Owned(s) => match memchr::memchr(b'/', s.as_bytes()) {
            Some(i) => Cow::Owned(s[i + 1..].to_string()),
            None => Cow::Owned(s),
        },
    }
}

/// A path on a `---`/`+++` line: C-quoted, or up to the first tab.
/// `None` for `/dev/null`.
fn header_path(b: &[u8], strip: bool) -> Option<Cow<'_, str>> {
    let b = trim_cr(b);
    let p: Cow<'_, str> = if let Some((v, _)) = unquote(b) {
        owned_path(v)
    } else {
        let end = memchr::memchr(b'\t', b).unwrap_or(b.len());
        let mut s = &b[..end];
        // GNU diff may append a timestamp after whitespace when no tab; keep as is.
        while let Some(x) = s.strip_suffix(b" ") {
            if memchr::memchr(b' ', x).is_none() {
                break;
            }
            s = x;
        }
        lossy(s)
    };
    if p == "/dev/null" {
        return None;
    }
    Some(if strip { strip_prefix_component(p) } else { p })
}

/// Paths from `diff --git a/x b/y`: used only when no `---`/`+++` or
/// rename lines name the file (mode-only, binary, empty files).
fn git_header_paths(rest: &[u8]) -> (Option<Cow<'_, str>>, Option<Cow<'_, str>>) {
    let rest = trim_cr(rest);
    if let Some((a, after)) = unquote(rest) {
        let after = after.strip_prefix(b" ").unwrap_or(after);
        let b = if let Some((b, _)) = unquote(after) {
            owned_path(b)
        } else {
            lossy(after)
        };
        return (
            Some(strip_prefix_component(owned_path(a))),
            Some(strip_prefix_component(b)),
        );
    }
    // Unquoted: "a/NAME b/NAME". Prefer a split where both names agree.
    let s = rest;
    let mut candidates = Vec::new();
    let mut i = 0;
    while let Some(off) = memchr::memchr(b' ', &s[i..]) {
        candidates.push(i + off);
        i += off + 1;
        if candidates.len() > 4096 {
            break;
        }
    }
    if let Some(b_start) = s.iter().position(|&c| c == b'"') {
        if b_start > 0 && s[b_start - 1] == b' ' {
            if let Some((b, _)) = unquote(&s[b_start..]) {
                return (
                    Some(strip_prefix_component(lossy(&s[..b_start - 1]))),
                    Some(strip_prefix_component(owned_path(b))),
                );
            }
        }
    }
    let strip = |x: &[u8]| -> Option<usize> { x.iter().position(|&c| c == b'/').map(|p| p + 1) };
    for &sp in &candidates {
        let (a, b) = (&s[..sp], &s[sp + 1..]);
        if let (Some(pa), Some(pb)) = (strip(a), strip(b)) {
            if a.len() - pa == b.len() - pb && a[pa..] == b[pb..] {
                return (
                    Some(strip_prefix_component(lossy(a))),
                    Some(strip_prefix_component(lossy(b))),
                );
            }
        }
    }
    // Fall back to the middle space (renames with spaces are named again
    // by `rename from/to`, so this only matters for odd inputs).
    match candidates.get(candidates.len() / 2) {
        Some(&sp) => (
            Some(strip_prefix_component(lossy(&s[..sp]))),
            Some(strip_prefix_component(lossy(&s[sp + 1..]))),
        ),
        None => (Some(lossy(s)), Some(lossy(s))),
    }
}

fn parse_percent(b: &[u8]) -> Option<u8> {
    let b = trim_cr(b);
    let b = b.strip_suffix(b"%").unwrap_or(b);
    parse_u32(b).and_then(|v| u8::try_from(v.min(100)).ok())
}

/// `-a,b` or `-a` (count 1).
fn parse_range(b: &[u8]) -> Option<(u32, u32)> {
    let b = &b[1..];
    match memchr::memchr(b',', b) {
        Some(i) => Some((parse_u32(&b[..i])?, parse_u32(&b[i + 1..])?)),
        None => Some((parse_u32(b)?, 1)),
    }
}

/// First offset of `needle` (all `@`) in `hay`: `@` is rare in a hunk
/// header, so a byte search and a comparison beat building a substring
/// searcher for every header.
fn find_ats(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = memchr::memchr(b'@', hay.get(from..)?) {
        let at = from + i;
        if hay.get(at..)?.starts_with(needle) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Parse `@@ -a,b +c,d @@ heading` (or the combined `@@@ … @@@` form).
/// Returns (parents, old ranges, new range, heading start offset in line).
#[allow(clippy::type_complexity)]
fn parse_hunk_header(b: &[u8]) -> Option<(usize, Vec<(u32, u32)>, (u32, u32), usize)> {
    let ats = b.iter().take_while(|&&c| c == b'@').count();
    if ats < 2 || b.get(ats) != Some(&b' ') {
        return None;
    }
    let parents = ats - 1;
    let close = &b"@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@"[..ats.min(32)];
    let rest = &b[ats + 1..];
    let end = find_ats(rest, close)?;
    let ranges = &rest[..end];
    let mut olds = Vec::with_capacity(parents);
    let mut new = None;
    for tok in ranges.split(|&c| c == b' ').filter(|t| !t.is_empty()) {
        match tok[0] {
            b'-' => olds.push(parse_range(tok)?),
            b'+' => new = Some(parse_range(tok)?),
            _ => return None,
        }
    }
    if olds.len() != parents {
        return None;
    }
    let mut heading = ats + 1 + end + close.len();
    if b.get(heading) == Some(&b' ') {
        heading += 1;
    }
    Some((parents, olds, new?, heading.min(b.len())))
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<L> {
        if self.pos >= self.input.len() {
            return None;
        }
        let (end, next) = match self.next_newline(self.pos) {
            Some(i) => (i, i + 1),
            None => (self.input.len(), self.input.len()),
        };
        Some(L {
            start: self.pos,
            end,
            next,
        })
    }

    /// Offset of the first `\n` at or after `from`. Lines are found from a
    /// bit mask per 64-byte block (no branch per byte or per word), kept
    /// between calls since consecutive lines share blocks.
    #[inline]
    fn next_newline(&self, from: usize) -> Option<usize> {
        let mut base = from & !63;
        let mut mask = self.newlines_at(base) & (u64::MAX << (from - base));
        while mask == 0 {
            base += 64;
            if base >= self.input.len() {
                return None;
            }
            mask = self.newlines_at(base);
        }
        Some(base + mask.trailing_zeros() as usize)
    }

    /// The newline mask of the block at `base`, from the cache or computed
    /// and cached.
    #[inline]
    fn newlines_at(&self, base: usize) -> u64 {
        if self.nl_block.get() != base {
            self.nl_block.set(base);
            self.nl_mask.set(block_mask(self.input, base));
        }
        self.nl_mask.get()
    }

    fn advance(&mut self, l: L) {
        self.pos = l.next;
        self.line_no = self.line_no.saturating_add(1);
    }

    fn bytes(&self, l: L) -> &'a [u8] {
        self.input.get(l.start..l.end).unwrap_or(&[])
    }

    fn diag(&mut self, line: u32, message: impl Into<String>) {
        let n = self.patch.diagnostics.len();
        if n < MAX_DIAGNOSTICS {
            self.patch.diagnostics.push(Diagnostic {
                line,
                message: message.into(),
            });
        } else if n == MAX_DIAGNOSTICS {
            self.patch.diagnostics.push(Diagnostic {
                line,
                message: format!("more than {MAX_DIAGNOSTICS} problems; the rest are not listed"),
            });
        }
    }

    fn cur_commit(&self) -> Option<u32> {
        match self.patch.commits.len() {
            0 => self.seg.prev_commit,
            n => Some(self.seg.commit_base.saturating_add((n - 1) as u32)),
        }
    }

    fn run(&mut self) {
        while let Some(l) = self.peek() {
            let b = self.bytes(l);
            if starts(b, b"diff --git ") {
                self.git_file(l, false);
            } else if starts(b, b"diff --cc ") || starts(b, b"diff --combined ") {
                self.git_file(l, true);
            } else if starts(b, b"--- ") && self.next_is_plus_header(l) {
                self.plain_file(l);
            } else if is_mbox_from(b) {
                self.mbox_commit(l);
            } else if is_log_commit(b) {
                self.log_commit(l);
            } else if starts(b, b"@@ -") || starts(b, b"@@@ -") {
                let n = self.line_no.saturating_add(1);
                self.diag(n, "hunk header outside of a file section; expected a `diff --git` or `---`/`+++` file header first");
                self.advance(l);
                self.skip_hunk_body();
            } else {
                self.advance(l);
            }
        }
    }

    fn skip_hunk_body(&mut self) {
        while let Some(l) = self.peek() {
            let b = self.bytes(l);
            match b.first() {
                Some(b' ' | b'+' | b'-' | b'\\') if !self.is_file_start(b) => self.advance(l),
                _ => break,
            }
        }
    }

    fn is_file_start(&self, b: &[u8]) -> bool {
        is_file_start_line(b)
    }

    fn next_is_plus_header(&self, l: L) -> bool {
        let rest = &self.input[l.next..];
        starts(rest, b"+++ ")
    }

    fn git_file(&mut self, first: L, combined: bool) {
        let header = self.bytes(first);
        let line = self.line_no.saturating_add(1);
        self.advance(first);
        let rest = if combined {
            let r = header.strip_prefix(b"diff --cc ");
            r.or_else(|| header.strip_prefix(b"diff --combined "))
                .unwrap_or(b"")
        } else {
            &header[b"diff --git ".len()..]
        };
        let mut f = FileDiff {
            commit: self.cur_commit(),
            line,
            span: ByteRange::new(first.start, first.start),
            ..Default::default()
        };
        if combined {
            let p = trim_cr(rest);
            let p: Cow<'a, str> = match unquote(p) {
                Some((v, _)) => owned_path(v),
                None => lossy(p),
            };
            f.old_path = Some(p.clone());
            f.new_path = Some(p);
            f.combined_parents = 2;
        } else {
            let (a, b) = git_header_paths(rest);
            f.old_path = a;
            f.new_path = b;
        }
        let (mut saw_new, mut saw_del, mut saw_rename, mut saw_copy) = (false, false, false, false);
        let mut minus_path: Option<Option<Cow<'a, str>>> = None;
        let mut plus_path: Option<Option<Cow<'a, str>>> = None;
        // Extended header lines.
        while let Some(l) = self.peek() {
            let b = self.bytes(l);
            if let Some(v) = b.strip_prefix(b"old mode ") {
                f.old_mode = parse_octal(v);
            } else if let Some(v) = b.strip_prefix(b"new mode ") {
                f.new_mode = parse_octal(v);
            } else if let Some(v) = b.strip_prefix(b"deleted file mode ") {
                f.old_mode = parse_octal(v);
                saw_del = true;
            } else if let Some(v) = b.strip_prefix(b"new file mode ") {
                f.new_mode = parse_octal(v);
                saw_new = true;
            } else if let Some(v) = b.strip_prefix(b"similarity index ") {
                f.similarity = parse_percent(v);
            } else if let Some(v) = b.strip_prefix(b"dissimilarity index ") {
                f.dissimilarity = parse_percent(v);
            } else if let Some(v) = b
                .strip_prefix(b"rename from ")
                .or_else(|| b.strip_prefix(b"rename old "))
            {
                f.old_path = Some(ext_path(v));
                saw_rename = true;
            } else if let Some(v) = b
                .strip_prefix(b"rename to ")
                .or_else(|| b.strip_prefix(b"rename new "))
            {
                f.new_path = Some(ext_path(v));
                saw_rename = true;
            } else if let Some(v) = b.strip_prefix(b"copy from ") {
                f.old_path = Some(ext_path(v));
                saw_copy = true;
            } else if let Some(v) = b.strip_prefix(b"copy to ") {
                f.new_path = Some(ext_path(v));
                saw_copy = true;
            } else if let Some(v) = b.strip_prefix(b"index ") {
                let v = trim_cr(v);
                let (ids, mode) = match memchr::memchr(b' ', v) {
                    Some(i) => (&v[..i], Some(&v[i + 1..])),
                    None => (v, None),
                };
                if let Some(i) = memchr::memmem::find(ids, b"..") {
                    f.old_oid = Some(lossy(&ids[..i]));
                    f.new_oid = Some(lossy(&ids[i + 2..]));
                }
                if let Some(m) = mode.and_then(parse_octal) {
                    f.old_mode.get_or_insert(m);
                    f.new_mode.get_or_insert(m);
                }
            } else if let Some(v) = b.strip_prefix(b"mode ") {
                // combined diffs: "mode 100644,100644..100644"
                if let Some(i) = memchr::memmem::find(v, b"..") {
                    f.new_mode = parse_octal(&v[i + 2..]);
                }
            } else if starts(b, b"new file mode ") || starts(b, b"deleted file mode ") {
                // combined forms with comma lists; nothing more to read
            } else if starts(b, b"Binary files ") && trim_cr(b).ends_with(b" differ") {
                f.binary = true;
            } else if starts(b, b"GIT binary patch") {
                f.binary = true;
                self.advance(l);
                self.skip_binary_patch();
                continue;
            } else if let Some(v) = b.strip_prefix(b"--- ") {
                minus_path = Some(header_path(v, true));
            } else if let Some(v) = b.strip_prefix(b"+++ ") {
                plus_path = Some(header_path(v, true));
            } else {
                break;
            }
            self.advance(l);
        }
        if !combined && !saw_rename && !saw_copy {
            if let Some(p) = minus_path.clone() {
                if let Some(p) = p {
                    f.old_path = Some(p);
                } else {
                    saw_new = true;
                }
            }
            if let Some(p) = plus_path.clone() {
                if let Some(p) = p {
                    f.new_path = Some(p);
                } else {
                    saw_del = true;
                }
            }
        }
        self.hunks(&mut f);
        f.status = if saw_new {
            f.old_path = None;
            FileStatus::Added
        } else if saw_del {
            f.new_path = None;
            FileStatus::Deleted
        } else if saw_rename {
            FileStatus::Renamed
        } else if saw_copy {
            FileStatus::Copied
        } else if f.hunks.is_empty()
            && !f.binary
            && f.old_mode.is_some()
            && f.new_mode.is_some()
            && f.old_mode != f.new_mode
            && f.old_oid.is_none()
        {
            FileStatus::ModeOnly
        } else {
            FileStatus::Modified
        };
        if f.old_mode == Some(0o160000) || f.new_mode == Some(0o160000) {
            f.submodule = true;
        }
        f.span.end = self.pos as u32;
        self.patch.files.push(f);
    }

    fn skip_binary_patch(&mut self) {
        // Blocks of "literal N"/"delta N" followed by base85 lines, each block
        // ended by an empty line. Base85 lines never contain a space.
        while let Some(l) = self.peek() {
            let b = trim_cr(self.bytes(l));
            if b.is_empty()
                || starts(b, b"literal ")
                || starts(b, b"delta ")
                || memchr::memchr(b' ', b).is_none()
            {
                if self.is_file_start(b) {
                    break;
                }
                self.advance(l);
            } else {
                break;
            }
        }
    }

    fn plain_file(&mut self, first: L) {
        let line = self.line_no.saturating_add(1);
        let minus = self.bytes(first);
        self.advance(first);
        let Some(plus_l) = self.peek() else { return };
        let plus = self.bytes(plus_l);
        self.advance(plus_l);
        let old = header_path(&minus[4..], false);
        let new = header_path(&plus[4..], false);
        // `diff -u` has no prefix convention; git-style a/ b/ prefixes are stripped.
        let strip = |p: Option<Cow<'a, str>>, pre: &str| {
            p.map(|p| match p {
                Cow::Borrowed(s) => Cow::Borrowed(s.strip_prefix(pre).unwrap_or(s)),
                Cow::Owned(s) => Cow::Owned(s.strip_prefix(pre).unwrap_or(&s).to_string()),
            })
        };
        let mut f = FileDiff {
            commit: self.cur_commit(),
            line,
            span: ByteRange::new(first.start, first.start),
            status: match (&old, &new) {
                (None, Some(_)) => FileStatus::Added,
                (Some(_), None) => FileStatus::Deleted,
                _ => FileStatus::Modified,
            },
            old_path: strip(old, "a/"),
            new_path: strip(new, "b/"),
            ..Default::default()
        };
        self.hunks(&mut f);
        f.span.end = self.pos as u32;
        self.patch.files.push(f);
    }

    fn hunks(&mut self, f: &mut FileDiff<'a>) {
        while let Some(l) = self.peek() {
            let b = self.bytes(l);
            if !starts(b, b"@@") {
                break;
            }
            let hline = self.line_no.saturating_add(1);
            let Some((parents, olds, new, heading)) = parse_hunk_header(trim_cr(b)) else {
                self.diag(
                    hline,
                    "malformed hunk header; expected `@@ -start,count +start,count @@`",
                );
                self.advance(l);
                self.skip_hunk_body();
                continue;
            };
            self.advance(l);
            if parents > 1 {
                f.combined_parents = u8::try_from(parents).unwrap_or(u8::MAX);
            }
            let (old_start, old_lines) = olds.first().copied().unwrap_or((0, 0));
            let mut h = Hunk {
                old_start,
                old_lines,
                new_start: new.0,
                new_lines: new.1,
                section: ByteRange::new(
                    (l.start + heading).min(l.end),
                    l.end - usize::from(b.ends_with(b"\r")),
                ),
                lines: Vec::new(),
                line: hline,
            };
            let mut lines = std::mem::take(&mut self.scratch);
            lines.clear();
            self.hunk_body(f, &h, &mut lines, parents, &olds, new);
            h.lines = lines.as_slice().to_vec();
            self.scratch = lines;
            f.hunks.push(h);
        }
    }

    /// After a hunk has all the lines its header promised: `+`/`-` lines
    /// that still follow mean the header's counts are wrong. Report them and
    /// skip them (they are not trusted as part of the hunk).
    fn extra_hunk_lines(&mut self, h: &Hunk) {
        let first = self.line_no.saturating_add(1);
        let mut n = 0u32;
        while let Some(l) = self.peek() {
            let b = trim_cr(self.bytes(l));
            let plus_minus = matches!(b.first(), Some(b'+' | b'-'));
            let signature = b == b"--" || b == b"-- ";
            let next_header = starts(b, b"--- ") && self.next_is_plus_header(l);
            if !plus_minus || signature || next_header || self.is_file_start(b) {
                break;
            }
            n += 1;
            self.advance(l);
        }
        if n > 0 {
            self.diag(
                first,
                format!(
                    "hunk at line {} has {n} more line(s) than its header `-{},{} +{},{}` says; they were skipped",
                    h.line, h.old_start, h.old_lines, h.new_start, h.new_lines
                ),
            );
        }
    }

    fn hunk_body(
        &mut self,
        f: &mut FileDiff<'a>,
        h: &Hunk,
        lines: &mut Vec<Line>,
        parents: usize,
        olds: &[(u32, u32)],
        new: (u32, u32),
    ) {
        // Lines still expected per parent (`old_left`, combined diffs) or
        // for the single old side (`c.old_left`, the common case, kept apart
        // for speed).
        let single = parents == 1;
        let mut old_left: Vec<u32> = if single {
            Vec::new()
        } else {
            olds.iter().map(|o| o.1).collect()
        };
        let (old0_start, old0_count) = olds.first().copied().unwrap_or((0, 0));
        let mut c = HunkCursor {
            old_left: old0_count,
            new_left: new.1,
            old_no: if old0_count == 0 {
                old0_start.saturating_add(1)
            } else {
                old0_start.max(1)
            },
            new_no: if new.1 == 0 {
                new.0.saturating_add(1)
            } else {
                new.0.max(1)
            },
        };
        loop {
            if single {
                self.single_parent_lines(f, lines, &mut c);
            }
            let old_done = if single {
                c.old_left == 0
            } else {
                old_left.iter().all(|&o| o == 0)
            };
            let done = c.new_left == 0 && old_done;
            let Some(l) = self.peek() else {
                if !done && self.seg.more {
                    // The next segment starts with a file header: report
                    // exactly as the whole-buffer reader does.
                    break;
                }
                if !done {
                    let n = self.line_no;
                    let old0 = if single {
                        c.old_left
                    } else {
                        old_left.first().copied().unwrap_or(0)
                    };
                    self.diag(n, format!(
                        "input ended inside a hunk: expected {old0} more old-side and {} more new-side lines",
                        c.new_left
                    ));
                }
                return;
            };
            let b = self.bytes(l);
            if starts(b, b"\\") {
                if let Some(last) = lines.last_mut() {
                    last.no_newline = true;
                }
                self.advance(l);
                continue;
            }
            if done {
                self.extra_hunk_lines(h);
                return;
            }
            let (kind, in_old0, in_new) = if single {
                // An empty line is a context line whose trailing space was lost.
                let (kind, in_old, in_new) = match b.first() {
                    Some(b'+') => (LineKind::Added, false, true),
                    Some(b'-') => (LineKind::Removed, true, false),
                    Some(b' ') | None => (LineKind::Context, true, true),
                    Some(_) => break,
                };
                // Check the counts allow this line.
                if (in_old && c.old_left == 0) || (in_new && c.new_left == 0) {
                    break;
                }
                if in_old {
                    c.old_left -= 1;
                }
                (kind, in_old, in_new)
            } else {
                if b.len() < parents && !b.is_empty() {
                    break;
                }
                let cols: &[u8] = b.get(..parents).unwrap_or(b"");
                if !cols.iter().all(|c| matches!(c, b' ' | b'+' | b'-')) {
                    break;
                }
                let any_minus = cols.contains(&b'-');
                let any_plus = cols.contains(&b'+');
                let in_new = !any_minus;
                // A line not in the result ('-' somewhere) is in exactly the
                // parents marked '-'; a line in the result is in the parents
                // marked ' ' (a '+' column means it is new relative to it).
                let in_parent = |i: usize| {
                    let c = cols.get(i).copied().unwrap_or(b' ');
                    if any_minus {
                        c == b'-'
                    } else {
                        c == b' '
                    }
                };
                // Check the counts allow this line.
                let over = (in_new && c.new_left == 0)
                    || old_left
                        .iter()
                        .enumerate()
                        .any(|(i, &left)| left == 0 && in_parent(i));
                if over {
                    break;
                }
                let mut in_old0 = false;
                for (i, left) in old_left.iter_mut().enumerate() {
                    if in_parent(i) {
                        *left -= 1;
                        in_old0 |= i == 0;
                    }
                }
                let kind = if any_minus {
                    LineKind::Removed
                } else if any_plus {
                    LineKind::Added
                } else {
                    LineKind::Context
                };
                (kind, in_old0, in_new)
            };
            if in_new {
                c.new_left -= 1;
            }
            let content_start = (l.start + parents).min(l.end);
            let line = Line {
                kind,
                // For a combined diff, the first parent's line number.
                old_no: if in_old0 {
                    NonZeroU32::new(c.old_no)
                } else {
                    None
                },
                new_no: if in_new {
                    NonZeroU32::new(c.new_no)
                } else {
                    None
                },
                content: ByteRange::new(content_start, l.end),
                no_newline: false,
            };
            if in_old0 {
                c.old_no = c.old_no.saturating_add(1);
            }
            if in_new {
                c.new_no = c.new_no.saturating_add(1);
            }
            match kind {
                LineKind::Added => f.added = f.added.saturating_add(1),
                LineKind::Removed => f.deleted = f.deleted.saturating_add(1),
                LineKind::Context => {}
            }
            lines.push(line);
            self.advance(l);
        }
        let n = self.line_no.saturating_add(1);
        let old0 = if single {
            c.old_left
        } else {
            old_left.first().copied().unwrap_or(0)
        };
        self.diag(
            n,
            format!(
                "hunk at line {} is shorter than its header says: expected {old0} more old-side and {} more new-side lines",
                h.line, c.new_left
            ),
        );
    }

    /// The fast path of a single-parent hunk: reads `+`, `-`, ` ` and empty
    /// lines while the header's counts allow them, with the newline mask in
    /// registers, and stops (leaving `self` at the line) at anything else —
    /// a `\` marker, another first byte, a count that runs out, a last line
    /// without `\n` — for [`Parser::hunk_body`] to handle as it always does.
    #[inline]
    fn single_parent_lines(
        &mut self,
        f: &mut FileDiff<'a>,
        lines: &mut Vec<Line>,
        run: &mut HunkCursor,
    ) {
        let input = self.input;
        let len = input.len();
        let mut pos = self.pos;
        let mut base = pos & !63;
        let mut block = self.newlines_at(base);
        let mut n = 0u32;
        let (mut added, mut deleted) = (0u32, 0u32);
        while run.old_left != 0 || run.new_left != 0 {
            let Some(&first) = input.get(pos) else { break };
            if pos - base >= 64 {
                base = pos & !63;
                block = block_mask(input, base);
            }
            let mut mask = block & (u64::MAX << (pos - base));
            while mask == 0 {
                if base + 64 >= len {
                    break;
                }
                base += 64;
                block = block_mask(input, base);
                mask = block;
            }
            if mask == 0 {
                break;
            }
            let end = base + mask.trailing_zeros() as usize;
            let (kind, in_old, in_new) = match first {
                b'+' => (LineKind::Added, false, true),
                b'-' => (LineKind::Removed, true, false),
                // An empty line is a context line whose trailing space was lost.
                b' ' | b'\n' => (LineKind::Context, true, true),
                _ => break,
            };
            if (in_old && run.old_left == 0) || (in_new && run.new_left == 0) {
                break;
            }
            lines.push(Line {
                kind,
                old_no: if in_old {
                    NonZeroU32::new(run.old_no)
                } else {
                    None
                },
                new_no: if in_new {
                    NonZeroU32::new(run.new_no)
                } else {
                    None
                },
                content: ByteRange::new((pos + 1).min(end), end),
                no_newline: false,
            });
            if in_old {
                run.old_left -= 1;
                run.old_no = run.old_no.saturating_add(1);
            }
            if in_new {
                run.new_left -= 1;
                run.new_no = run.new_no.saturating_add(1);
            }
            added += u32::from(kind == LineKind::Added);
            deleted += u32::from(kind == LineKind::Removed);
            n += 1;
            pos = end + 1;
        }
        self.nl_block.set(base);
        self.nl_mask.set(block);
        self.pos = pos;
        self.line_no = self.line_no.saturating_add(n);
        f.added = f.added.saturating_add(added);
        f.deleted = f.deleted.saturating_add(deleted);
    }

    fn mbox_commit(&mut self, first: L) {
        let line = self.line_no.saturating_add(1);
        let b = self.bytes(first);
        let sha = b[5..].split(|&c| c == b' ').next().unwrap_or(b"");
        self.advance(first);
        let mut c = Commit {
            sha: Some(lossy(sha)),
            line,
            ..Default::default()
        };
        // Mail headers, with folded continuation lines.
        let mut last_key: Option<&'static str> = None;
        let mut subject = String::new();
        while let Some(l) = self.peek() {
            let b = trim_cr(self.bytes(l));
            if b.is_empty() {
                self.advance(l);
                break;
            }
            if (b[0] == b' ' || b[0] == b'\t') && last_key.is_some() {
                if last_key == Some("subject") {
                    subject.push(' ');
                    subject.push_str(lossy(b).trim());
                }
                self.advance(l);
                continue;
            }
            if let Some(v) = b.strip_prefix(b"From: ") {
                c.author = Some(Cow::Owned(decode_rfc2047(&lossy(v))));
                last_key = Some("from");
            } else if let Some(v) = b.strip_prefix(b"Date: ") {
                c.date = Some(lossy(v));
                last_key = Some("date");
            } else if let Some(v) = b.strip_prefix(b"Subject: ") {
                subject = lossy(v).into_owned();
                last_key = Some("subject");
            } else if is_file_start_line(b) {
                break;
            } else {
                last_key = Some("other");
            }
            self.advance(l);
        }
        let subject = decode_rfc2047(&subject);
        c.subject = Cow::Owned(strip_patch_prefix(&subject).to_string());
        // Body: until "---" alone, a diff, or the next message.
        let body_start = self.pos;
        let mut body_end = self.pos;
        while let Some(l) = self.peek() {
            let b = trim_cr(self.bytes(l));
            if b == b"---" || is_file_start_line(b) {
                break;
            }
            self.advance(l);
            body_end = l.next;
        }
        self.finish_message(&mut c, body_start, body_end, false);
        self.patch.commits.push(c);
    }

    fn log_commit(&mut self, first: L) {
        let line = self.line_no.saturating_add(1);
        let b = trim_cr(self.bytes(first));
        let sha = b[7..].split(|&c| c == b' ').next().unwrap_or(b"");
        self.advance(first);
        let mut c = Commit {
            sha: Some(lossy(sha)),
            line,
            ..Default::default()
        };
        while let Some(l) = self.peek() {
            let b = trim_cr(self.bytes(l));
            if b.is_empty() {
                self.advance(l);
                break;
            }
            let Some(colon) = memchr::memchr(b':', b) else {
                break;
            };
            let key = &b[..colon];
            if key.is_empty() || !key.iter().all(|c| c.is_ascii_alphabetic()) {
                break;
            }
            let val = lossy(trim_ascii(&b[colon + 1..]));
            match key {
                b"Author" => c.author = Some(val),
                b"Commit" => c.committer = Some(val),
                b"Date" | b"AuthorDate" => c.date = Some(val),
                b"Merge" => {
                    c.parents = val
                        .split_whitespace()
                        .map(|s| Cow::Owned(s.to_string()))
                        .collect()
                }
                _ => {}
            }
            self.advance(l);
        }
        let body_start = self.pos;
        let mut body_end = self.pos;
        while let Some(l) = self.peek() {
            let b = self.bytes(l);
            if self.is_file_start(b) || is_log_commit(trim_cr(b)) {
                break;
            }
            self.advance(l);
            body_end = l.next;
        }
        self.finish_message(&mut c, body_start, body_end, true);
        self.patch.commits.push(c);
    }

    /// Split a message into subject (for log) / body and trailers.
    fn finish_message(&mut self, c: &mut Commit<'a>, start: usize, end: usize, log: bool) {
        let raw = self.input.get(start..end).unwrap_or(&[]);
        let text = lossy(raw);
        let lines: Vec<&str> = text
            .lines()
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .collect();
        let mut lines = lines;
        if log {
            let indented = lines
                .iter()
                .filter(|l| !l.is_empty())
                .all(|l| l.starts_with("    "));
            if indented {
                for l in lines.iter_mut() {
                    *l = l.strip_prefix("    ").unwrap_or(l);
                }
            }
        }
        let blank = |l: &str| l.trim().is_empty();
        let end = lines.iter().rposition(|l| !blank(l)).map_or(0, |i| i + 1);
        let mut lines = &lines[..end];
        let lead = lines.iter().take_while(|l| blank(l)).count();
        lines = &lines[lead..];
        if log && !lines.is_empty() {
            let n = lines.iter().take_while(|l| !blank(l)).count();
            let subj: Vec<&str> = lines[..n].iter().map(|l| l.trim()).collect();
            c.subject = Cow::Owned(subj.join(" "));
            lines = &lines[n..];
            let lead = lines.iter().take_while(|l| blank(l)).count();
            lines = &lines[lead..];
        }
        c.trailers = trailers(lines);
        c.body = Cow::Owned(lines.join("\n"));
    }
}

fn trim_ascii(b: &[u8]) -> &[u8] {
    let s = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let e = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(s, |e| e + 1);
    &b[s..e.max(s)]
}

fn ext_path(v: &[u8]) -> Cow<'_, str> {
    let v = trim_cr(v);
    match unquote(v) {
        Some((p, _)) => owned_path(p),
        None => lossy(v),
    }
}

/// One bit per byte of the 64-byte block of `input` at `base` (fewer at the
/// end of the input): set where the byte is `\n`.
#[inline]
fn block_mask(input: &[u8], base: usize) -> u64 {
    let rest = input.get(base..).unwrap_or(&[]);
    match rest.first_chunk::<64>() {
        Some(block) => newline_bits_64(block),
        None => rest
            .iter()
            .enumerate()
            .filter(|(_, c)| **c == b'\n')
            .fold(0u64, |m, (i, _)| m | (1u64 << i)),
    }
}

/// Newline bits of a 64-byte block: bit `i` set when byte `i` is `\n`.
/// On x86-64, four SSE2 compares and mask moves (SSE2 is part of the
/// x86-64 baseline); on wasm32 with SIMD (the shipped build enables it),
/// the same with `simd128`; elsewhere eight words with an exact zero-byte
/// test and a multiply that gathers one bit per byte.
#[inline]
fn newline_bits_64(block: &[u8; 64]) -> u64 {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{
            _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
        };
        let mut mask = 0u64;
        for lane in 0..4 {
            // SAFETY: SSE2 is always available on x86-64, and the unaligned
            // 16-byte load reads `block[16 * lane..16 * lane + 16]`, inside
            // the 64-byte array.
            let bits = unsafe {
                let v = _mm_loadu_si128(block.as_ptr().add(16 * lane).cast());
                _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(b'\n' as i8)))
            };
            mask |= u64::from(bits as u16) << (16 * lane);
        }
        mask
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        use std::arch::wasm32::{u8x16_bitmask, u8x16_eq, u8x16_splat, v128_load};
        let mut mask = 0u64;
        for lane in 0..4 {
            // SAFETY: the unaligned 16-byte load reads
            // `block[16 * lane..16 * lane + 16]`, inside the 64-byte array.
            let v = unsafe { v128_load(block.as_ptr().add(16 * lane).cast()) };
            mask |= u64::from(u8x16_bitmask(u8x16_eq(v, u8x16_splat(b'\n')))) << (16 * lane);
        }
        mask
    }
    #[cfg(not(any(
        target_arch = "x86_64",
        all(target_arch = "wasm32", target_feature = "simd128")
    )))]
    swar_newline_bits(block)
}

/// [`newline_bits_64`] without vector instructions: for each 8-byte word,
/// the exact zero-byte test of `word ^ "\n\n\n\n\n\n\n\n"` leaves the high bit
/// of every matching byte, and a multiply gathers those eight bits.
#[inline]
#[cfg_attr(
    any(
        target_arch = "x86_64",
        all(target_arch = "wasm32", target_feature = "simd128")
    ),
    allow(dead_code)
)]
fn swar_newline_bits(block: &[u8; 64]) -> u64 {
    const SEVEN: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const NL: u64 = 0x0a0a_0a0a_0a0a_0a0a;
    const GATHER: u64 = 0x0102_0408_1020_4080;
    let mut mask = 0u64;
    for (i, w) in block.chunks_exact(8).enumerate() {
        let mut word = [0u8; 8];
        word.copy_from_slice(w);
        let x = u64::from_le_bytes(word) ^ NL;
        // High bit set in bytes of x that are zero, exactly (no borrow).
        let zero = !(((x & SEVEN) + SEVEN) | x | SEVEN);
        let bits = (zero >> 7).wrapping_mul(GATHER) >> 56;
        mask |= bits << (8 * i);
    }
    mask
}

/// A line that always starts a new file section (or mbox message): the
/// reader never reads one as part of anything before it.
pub(crate) fn is_file_start_line(b: &[u8]) -> bool {
    starts(b, b"diff --git ")
        || starts(b, b"diff --cc ")
        || starts(b, b"diff --combined ")
        || is_mbox_from(b)
}

/// `From <40 hex> Mon Sep 17 00:00:00 2001`
fn is_mbox_from(b: &[u8]) -> bool {
    b.len() >= 46 && starts(b, b"From ") && is_hex(&b[5..45]) && b[45] == b' '
}

/// `commit <hex>` (git log / git show), possibly followed by decorations.
fn is_log_commit(b: &[u8]) -> bool {
    if !starts(b, b"commit ") {
        return false;
    }
    let rest = &b[7..];
    let end = rest.iter().position(|&c| c == b' ').unwrap_or(rest.len());
    (7..=64).contains(&end) && is_hex(&rest[..end])
}

fn strip_patch_prefix(s: &str) -> &str {
    let t = s.trim();
    if t.starts_with('[') {
        if let Some(i) = t.find(']') {
            let tag = &t[1..i];
            if tag.contains("PATCH") || tag.contains("RFC") {
                return t[i + 1..].trim_start();
            }
        }
    }
    t
}

/// Decode RFC 2047 encoded words (`=?UTF-8?q?Ren=C3=A9?=`, `=?utf-8?b?…?=`).
pub(crate) fn decode_rfc2047(s: &str) -> String {
    if !s.contains("=?") {
        return s.to_string();
    }
    let mut out = Vec::new();
    let mut rest = s;
    let mut last_was_word = false;
    while let Some(i) = rest.find("=?") {
        let before = &rest[..i];
        if !(last_was_word && before.trim().is_empty()) {
            out.extend_from_slice(before.as_bytes());
        }
        let tail = &rest[i + 2..];
        let parts: Vec<&str> = tail.splitn(3, '?').collect();
        if parts.len() < 3 {
            out.extend_from_slice(&rest.as_bytes()[i..]);
            rest = "";
            break;
        }
        let enc = parts[1];
        let Some(end) = parts[2].find("?=") else {
            out.extend_from_slice(&rest.as_bytes()[i..]);
            rest = "";
            break;
        };
        let data = &parts[2][..end];
        match enc {
            "q" | "Q" => {
                let d = data.as_bytes();
                let mut j = 0;
                while j < d.len() {
                    match d[j] {
                        b'_' => out.push(b' '),
                        b'=' => {
                            let h = std::str::from_utf8(d.get(j + 1..j + 3).unwrap_or(b""))
                                .ok()
                                .and_then(|h| u8::from_str_radix(h, 16).ok());
                            match h {
                                Some(v) => {
                                    out.push(v);
                                    j += 2;
                                }
                                None => out.push(b'='),
                            }
                        }
                        c => out.push(c),
                    }
                    j += 1;
                }
            }
            "b" | "B" => out.extend(base64_decode(data)),
            _ => out.extend_from_slice(data.as_bytes()),
        }
        let consumed = 2 + parts[0].len() + 1 + enc.len() + 1 + end + 2;
        rest = &rest[(i + consumed).min(rest.len())..];
        last_was_word = true;
    }
    out.extend_from_slice(rest.as_bytes());
    String::from_utf8_lossy(&out).into_owned()
}

fn base64_decode(s: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => continue,
        };
        buf = (buf << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
            buf &= (1 << bits) - 1;
        }
    }
    out
}

/// Trailers: `Key: value` lines in the message's last paragraph.
fn trailers<'a>(lines: &[&str]) -> Vec<Trailer<'a>> {
    let start = lines
        .iter()
        .rposition(|l| l.trim().is_empty())
        .map_or(0, |i| i + 1);
    let para = &lines[start..];
    let mut out: Vec<Trailer<'a>> = Vec::new();
    let mut trailer_lines = 0;
    for l in para {
        if (l.starts_with(' ') || l.starts_with('\t')) && !out.is_empty() {
            if let Some(last) = out.last_mut() {
                let v = last.value.to_mut();
                v.push(' ');
                v.push_str(l.trim());
            }
            continue;
        }
        if let Some((k, v)) = l.split_once(':') {
            let key_ok = !k.is_empty()
                && k.len() <= 64
                && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
            if key_ok && !v.trim().is_empty() {
                out.push(Trailer {
                    key: Cow::Owned(k.to_string()),
                    value: Cow::Owned(v.trim().to_string()),
                });
                trailer_lines += 1;
            }
        }
    }
    // Like git: a paragraph is a trailer block if at least a quarter of it
    // is trailers (the rest being free text such as a "Generated with" footer).
    if trailer_lines == 0 || trailer_lines * 4 < para.len() {
        return Vec::new();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_masks_mark_exactly_the_newlines() {
        // Every byte value at every position, next to newlines and not.
        for v in 0u16..=255 {
            for at in 0..64 {
                let mut b = [b'x'; 64];
                b[at] = v as u8;
                b[(at + 1) % 64] = b'\n';
                b[(at + 7) % 64] = v as u8;
                let want = b
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| **c == b'\n')
                    .fold(0u64, |m, (i, _)| m | (1 << i));
                assert_eq!(newline_bits_64(&b), want, "byte {v} at {at}");
                assert_eq!(swar_newline_bits(&b), want, "byte {v} at {at} (SWAR)");
            }
        }
        // Blocks at the end of the input are shorter.
        let input = b"a\nbc\n";
        assert_eq!(block_mask(input, 0), 0b1_0010);
        assert_eq!(block_mask(input, 64), 0);
    }

    /// Hunk lines of every length from 0 to 150 bytes, shifted by every
    /// offset within a block, so that lines end at, just before and just
    /// after each 64-byte boundary, span whole blocks, and the last line
    /// may lack its `\n`: each line comes back with its kind, numbers and
    /// exact content, as a line-by-line reading gives them.
    #[test]
    fn hunk_lines_across_block_boundaries() {
        for shift in 0..64 {
            for final_newline in [true, false] {
                let mut text = format!("{}\n", "#".repeat(shift));
                text.push_str("--- a/f\n+++ b/f\n");
                let marks = [b' ', b'-', b'+', b'-', b'+', b' '];
                let mut want = Vec::new();
                let (mut old_n, mut new_n) = (0, 0);
                let mut body = String::new();
                for len in 0..150usize {
                    let mark = marks[len % marks.len()];
                    let content: String =
                        (0..len).map(|i| (b'a' + (i % 26) as u8) as char).collect();
                    body.push(mark as char);
                    body.push_str(&content);
                    body.push('\n');
                    old_n += usize::from(mark != b'+');
                    new_n += usize::from(mark != b'-');
                    want.push((mark, content));
                }
                text.push_str(&format!("@@ -1,{old_n} +1,{new_n} @@\n{body}"));
                if !final_newline {
                    text.pop();
                }
                let p = parse(text.as_bytes());
                assert!(
                    p.diagnostics.is_empty(),
                    "shift {shift}: {:?}",
                    p.diagnostics
                );
                let lines = &p.files[0].hunks[0].lines;
                assert_eq!(lines.len(), want.len(), "shift {shift}");
                let (mut o, mut n) = (1, 1);
                for (l, (mark, content)) in lines.iter().zip(&want) {
                    let kind = match mark {
                        b'+' => LineKind::Added,
                        b'-' => LineKind::Removed,
                        _ => LineKind::Context,
                    };
                    assert_eq!(l.kind, kind, "shift {shift}");
                    assert_eq!(p.text(l.content), content.as_str(), "shift {shift}");
                    assert_eq!(l.old_no(), (kind != LineKind::Added).then_some(o));
                    assert_eq!(l.new_no(), (kind != LineKind::Removed).then_some(n));
                    o += u32::from(kind != LineKind::Added);
                    n += u32::from(kind != LineKind::Removed);
                }
                assert_eq!(
                    p.files[0].added as usize,
                    want.iter().filter(|w| w.0 == b'+').count()
                );
                assert_eq!(
                    p.files[0].deleted as usize,
                    want.iter().filter(|w| w.0 == b'-').count()
                );
            }
        }
    }
}
