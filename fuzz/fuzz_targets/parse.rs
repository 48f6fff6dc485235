#![no_main]
//! The diff reader on arbitrary bytes: whole-buffer and incremental parses
//! must not panic, must keep every range inside the input, and must agree.

use blastradius::diff;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let patch = diff::parse(data);
    for f in &patch.files {
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
});
