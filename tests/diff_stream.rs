//! The incremental reader against the whole-buffer reader: every corpus
//! input and fixture, fed in random chunk sizes, must give the same commits,
//! files (every field, byte ranges rebased) and diagnostics, in order.

use blastradius::diff::{self, ByteRange, Event, FileDiff, StreamParser};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

fn inputs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut v = Vec::new();
    for dir in [
        root.join("../shared/corpus/diffs"),
        root.join("../shared/corpus/streams"),
        root.join("tests/fixtures/diff"),
    ] {
        assert!(dir.is_dir(), "{} is missing", dir.display());
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
            if matches!(ext, "diff" | "mbox" | "txt" | "patch") {
                v.push(p);
            }
        }
    }
    v.sort();
    v
}

/// A small deterministic generator (no dependency on a RNG crate).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

fn rebased_json(f: &FileDiff<'_>) -> serde_json::Value {
    let base = f.span.start;
    let rb = |r: ByteRange| ByteRange {
        start: r.start - base,
        end: r.end - base,
    };
    let mut f = f.clone();
    f.span = rb(f.span);
    for h in &mut f.hunks {
        h.section = rb(h.section);
        for l in &mut h.lines {
            l.content = rb(l.content);
        }
    }
    serde_json::to_value(&f).unwrap()
}

/// Feed `input` in the given chunk sizes and compare with `diff::parse`.
fn check_chunked(name: &str, input: &[u8], sizes: &mut dyn FnMut() -> usize) {
    let whole = diff::parse(input);
    let mut reader = StreamParser::new();
    let mut events = Vec::new();
    let mut at = 0;
    let mut files_before_end = 0;
    while at < input.len() {
        let n = sizes().max(1).min(input.len() - at);
        let got = reader.push(&input[at..at + n]);
        files_before_end += got.iter().filter(|e| matches!(e, Event::File(_))).count();
        events.extend(got);
        at += n;
        // Only the unfinished section is buffered.
        assert!(reader.buffered() <= input.len(), "{name}");
    }
    events.extend(reader.finish());
    let (mut commits, mut files, mut diags) = (Vec::new(), Vec::new(), Vec::new());
    let mut last_line = 0;
    for e in events {
        let line = match &e {
            Event::Commit(c) => c.line,
            Event::File(f) => f.file.line,
            Event::Diagnostic(d) => d.line,
        };
        assert!(line >= last_line, "{name}: events out of order");
        last_line = line;
        match e {
            Event::Commit(c) => commits.push(*c),
            Event::File(f) => files.push(*f),
            Event::Diagnostic(d) => diags.push(d),
        }
    }
    assert_eq!(commits, whole.commits, "{name}: commits");
    assert_eq!(diags, whole.diagnostics, "{name}: diagnostics");
    assert_eq!(files.len(), whole.files.len(), "{name}: file count");
    for (s, w) in files.iter().zip(&whole.files) {
        assert_eq!(s.offset, u64::from(w.span.start), "{name}: {}", w.path());
        assert_eq!(s.bytes, &input[w.span.range()], "{name}: {}", w.path());
        assert_eq!(
            serde_json::to_value(&s.file).unwrap(),
            rebased_json(w),
            "{name}: {}",
            w.path()
        );
        for (sh, wh) in s.file.hunks.iter().zip(&w.hunks) {
            for (sl, wl) in sh.lines.iter().zip(&wh.lines) {
                assert_eq!(s.line_text(sl), whole.line_text(wl));
            }
        }
    }
    // With more than one file, files are delivered before the end of input.
    let git_headers = input
        .split(|&c| c == b'\n')
        .filter(|l| l.starts_with(b"diff --git ") || l.starts_with(b"diff --cc "))
        .count();
    if git_headers > 1 && whole.files.len() == git_headers {
        assert!(
            files_before_end >= git_headers - 1,
            "{name}: {files_before_end} files early"
        );
    }
}

#[test]
fn corpus_in_random_chunks_equals_whole_parse() {
    let paths = inputs();
    assert!(paths.len() > 150);
    let mut rng = Lcg(0x5eed);
    for p in &paths {
        let input = std::fs::read(p).unwrap();
        let name = p.display().to_string();
        for max in [1usize, 7, 64, 4096, 1 << 20] {
            if max == 1 && input.len() > 40_000 {
                continue; // byte-at-a-time only on the smaller files, for time
            }
            let mut sizes = || 1 + rng.next(max);
            check_chunked(&name, &input, &mut sizes);
        }
    }
}

#[test]
fn finish_twice_and_push_after_finish_are_harmless() {
    let mut r = StreamParser::new();
    assert!(r
        .push(b"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n")
        .is_empty());
    let ev = r.finish();
    assert_eq!(ev.iter().filter(|e| matches!(e, Event::File(_))).count(), 1);
    // the header says one new-side line that never came
    assert!(ev.iter().any(|e| matches!(e, Event::Diagnostic(_))));
    assert!(r.finish().is_empty());
    assert!(r.push(b"diff --git a/y b/y\n").is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn fixtures_in_arbitrary_chunks(seed in any::<u64>(), max in 1usize..300) {
        let mut rng = Lcg(seed);
        for p in inputs().iter().filter(|p| p.to_string_lossy().contains("fixtures")) {
            let input = std::fs::read(p).unwrap();
            let mut sizes = || 1 + rng.next(max);
            check_chunked(&p.display().to_string(), &input, &mut sizes);
        }
    }
}
