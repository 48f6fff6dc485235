//! Fuzz smoke test, runnable on stable without cargo-fuzz: every fuzz seed
//! (the shared corpora, the diff fixtures and any saved fuzz regressions in
//! fuzz/regressions/) goes through both fuzz entry points, `diff::parse` and
//! `analyze::analyze` (whose report then goes through every renderer), plus
//! the incremental reader, along with deterministic
//! mutations of the smaller seeds (truncations, byte flips, spliced lines)
//! and hand-made pathological inputs. Nothing may panic, every byte range
//! must stay inside its input, and allocation must follow the input size.

use blastradius::{analyze, diff};
use std::path::{Path, PathBuf};

fn seeds() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut v = Vec::new();
    for dir in [
        root.join("../shared/corpus/diffs"),
        root.join("../shared/corpus/streams"),
        root.join("tests/fixtures/diff"),
        root.join("fuzz/regressions"),
    ] {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            assert!(dir.ends_with("regressions"), "{} is missing", dir.display());
            continue;
        };
        for e in rd {
            let p = e.unwrap().path();
            if p.is_file() && !p.extension().is_some_and(|e| e == "numstat" || e == "md") {
                v.push(p);
            }
        }
    }
    v.sort();
    v
}

/// What the `parse` fuzz target checks.
fn check_parse(input: &[u8]) {
    let p = diff::parse(input);
    for f in &p.files {
        assert!(f.span.start <= f.span.end && f.span.end as usize <= input.len());
        for h in &f.hunks {
            assert!(h.section.end as usize <= input.len());
            for l in &h.lines {
                assert!(l.content.start <= l.content.end && l.content.end as usize <= input.len());
            }
        }
    }
    let _ = diff::numstat(&p);
    let _ = diff::summary(&p);
}

fn check_all(input: &[u8]) {
    check_parse(input);
    // Every renderer on every report (the www page saves reports with them).
    if let Ok(report) = analyze::analyze(input, &Default::default()) {
        for format in blastradius::report::FORMATS {
            let out = blastradius::report::render(&report, format).expect("known format");
            assert!(!out.is_empty(), "{format}");
        }
    }
}

#[test]
fn every_seed_through_both_fuzz_entry_points() {
    let seeds = seeds();
    assert!(seeds.len() > 150, "seed set is incomplete: {}", seeds.len());
    let mut mutated = 0usize;
    for (i, p) in seeds.iter().enumerate() {
        let input = std::fs::read(p).unwrap();
        check_all(&input);
        let mut r = diff::StreamParser::new();
        for c in input.chunks(1 + i % 97) {
            let _ = r.push(c);
        }
        let _ = r.finish();
        if input.len() > 20_000 {
            continue;
        }
        // Deterministic mutations of the smaller seeds.
        let n = input.len().max(1);
        for k in 1..8 {
            let cut = n * k / 8;
            check_parse(&input[..cut.min(input.len())]);
            let mut flipped = input.clone();
            if let Some(b) = flipped.get_mut((cut * 31 + i) % n) {
                *b ^= 1 << (k % 8);
            }
            check_parse(&flipped);
            // splice: repeat a middle chunk (duplicate headers, hunks)
            let mut spliced = input[..cut.min(input.len())].to_vec();
            spliced.extend_from_slice(&input[n / 3..]);
            check_parse(&spliced);
            mutated += 3;
        }
    }
    assert!(mutated > 1000);
}

#[test]
fn pathological_inputs_stay_bounded() {
    // Hunk headers promising huge counts: reservations must follow the input.
    let mut big = b"diff --git a/x b/x\n--- a/x\n+++ b/x\n".to_vec();
    for _ in 0..2000 {
        big.extend_from_slice(b"@@ -1,4000000000 +1,4000000000 @@\n+a\n");
    }
    let p = diff::parse(&big);
    let cap: usize = p
        .files
        .iter()
        .flat_map(|f| &f.hunks)
        .map(|h| h.lines.capacity())
        .sum();
    assert!(
        cap <= 64 * 2001 + 2 * big.len(),
        "reserved {cap} lines for {} bytes",
        big.len()
    );
    assert!(p.diagnostics.len() <= 1001, "diagnostics are capped");

    // Numbers at the edge of u32.
    check_all(
        b"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -4294967295,2 +4294967295,2 @@\n a\n a\n+b\n",
    );
    check_all(b"@@ -99999999999 +1 @@\n@@@@@@@@@@@@@@@@ -1 +1 @@@@\n");
    // Many '@' columns (combined diff with absurd parent count).
    let mut cc = b"diff --cc x\n@@@@@@@@ ".to_vec();
    cc.extend_from_slice(&b"-1,1 ".repeat(7));
    cc.extend_from_slice(b"+1,1 @@@@@@@@\n");
    cc.extend_from_slice(b"+++++++x\n");
    check_all(&cc);
    // Long messages with blank lines, folded subjects, continuation trailers:
    // linear time, or this test would not finish.
    let mut m =
        b"From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001\nSubject: x\n"
            .to_vec();
    m.extend_from_slice(&b" folded\n".repeat(50_000));
    m.extend_from_slice(b"\n");
    m.extend_from_slice(&b"\n".repeat(100_000));
    m.extend_from_slice(b"Signed-off-by: a\n");
    m.extend_from_slice(&b" more\n".repeat(100_000));
    check_all(&m);
    let mut log = b"commit 1111111111111111111111111111111111111111\nAuthor: a <a@b>\n\n".to_vec();
    log.extend_from_slice(&b"    \n".repeat(100_000));
    log.extend_from_slice(&b"    subject\n".repeat(100_000));
    check_all(&log);
    // A header line with thousands of spaces (path splitting).
    let mut sp = b"diff --git a/".to_vec();
    sp.extend_from_slice(&b"x ".repeat(50_000));
    sp.extend_from_slice(b"b/y\nold mode 100644\nnew mode 100755\n");
    check_all(&sp);
    // Endless binary patch and garbage.
    let mut bin = b"diff --git a/x b/x\nGIT binary patch\n".to_vec();
    bin.extend_from_slice(&b"zzzzzzzzzzzzzzzzzzzzzzzzzzzzz\n".repeat(10_000));
    check_all(&bin);
    check_all(&[0xff; 10_000]);
    check_all(b"");
    check_all(b"\n\n\r\r\n");
    check_all(b"\"\\");
}
