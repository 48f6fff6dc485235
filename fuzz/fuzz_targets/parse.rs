#![no_main]
//! The diff reader on arbitrary bytes: the whole-buffer parse must not
//! panic and must keep every range inside the input, and the incremental
//! reader, fed in chunks whose sizes come from the input itself, must give
//! the same files.

use blastradius::diff::{self, Event, StreamParser};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let patch = diff::parse(data);
    for f in &patch.files {
        assert!(f.span.start <= f.span.end && f.span.end as usize <= data.len());
        for h in &f.hunks {
            assert!(h.section.end as usize <= data.len());
            for l in &h.lines {
                assert!(l.content.start <= l.content.end);
                assert!(l.content.end as usize <= data.len());
            }
        }
    }
    // The git-apply renderings must not panic either.
    let _ = diff::numstat(&patch);
    let _ = diff::summary(&patch);

    let step = 1 + usize::from(data.first().copied().unwrap_or(0) % 64);
    let mut r = StreamParser::new();
    let mut files = Vec::new();
    for chunk in data.chunks(step) {
        for e in r.push(chunk) {
            if let Event::File(f) = e {
                files.push(f);
            }
        }
    }
    for e in r.finish() {
        if let Event::File(f) = e {
            files.push(f);
        }
    }
    assert_eq!(files.len(), patch.files.len());
    for (s, w) in files.iter().zip(&patch.files) {
        assert_eq!(s.offset, u64::from(w.span.start));
        assert_eq!((s.file.added, s.file.deleted, s.file.hunks.len()), (w.added, w.deleted, w.hunks.len()));
        assert_eq!(s.file.path(), w.path());
    }
});
