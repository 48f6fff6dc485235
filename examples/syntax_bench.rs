//! Syntax-layer benchmark: parse throughput per language, and the time to
//! analyse a synthetic 100-file, ~5,000-changed-line pull request with and
//! without full files, beside two baselines measured in the same run
//! (tree-sitter parsing alone, and a plain `similar` line diff).
//!
//! Run: `cargo run --release --example syntax_bench [-- --write-pr FILE.json]`
//! (`make bench-syntax`). `--write-pr` also saves the synthetic PR (diff and
//! files, as the wasm `analyze` options take them) for the wasm benchmark
//! `tools/bench-syntax-wasm.mjs`.

use blastradius::diff;
use blastradius::lang::Lang;
use blastradius::syntax::{self, FileContents, SyntaxOptions};
use std::path::Path;
use std::time::Instant;

fn fixture_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/syntax")
}

fn fixtures() -> Vec<(String, String, String, String)> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(fixture_dir()) else {
        return out;
    };
    let mut dirs: Vec<_> = rd
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for d in dirs {
        let r = |n: &str| std::fs::read_to_string(d.join(n)).unwrap_or_default();
        out.push((
            d.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned(),
            r("path").trim().to_string(),
            r("base"),
            r("head"),
        ));
    }
    out
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

fn time<F: FnMut()>(reps: usize, mut f: F) -> f64 {
    let mut v = Vec::new();
    for _ in 0..reps {
        let t = Instant::now();
        f();
        v.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    median(v)
}

/// Repeat a source to about `target` bytes.
fn grow(src: &str, target: usize) -> String {
    let mut s = String::new();
    while s.len() < target && !src.is_empty() {
        s.push_str(src);
        s.push('\n');
    }
    s
}

/// A changed copy: every 10th non-blank line gets a literal and an
/// identifier changed, every 40th is deleted, every 50th gets a new line.
/// Most of these edits break the syntax (a keyword renamed, a closing
/// line dropped), so the parser recovers from errors all over the file.
fn mutate(base: &str) -> String {
    let mut out = String::new();
    for (i, l) in base.lines().enumerate() {
        if i % 40 == 39 {
            continue;
        }
        if i % 10 == 5 && !l.trim().is_empty() {
            out.push_str(&l.replacen('1', "2", 1).replacen("e", "e_", 1));
        } else {
            out.push_str(l);
        }
        out.push('\n');
        if i % 50 == 25 {
            out.push_str(l);
            out.push('\n');
        }
    }
    out
}

fn unified(path: &str, base: &str, head: &str) -> String {
    let d = similar::TextDiff::from_lines(base, head);
    let mut s = format!("diff --git a/{path} b/{path}\n");
    s.push_str(
        &d.unified_diff()
            .context_radius(3)
            .header(&format!("a/{path}"), &format!("b/{path}"))
            .to_string(),
    );
    s
}

/// A pair whose code stays valid on both sides, as in most real pull
/// requests: the fixture's base file repeated to ~500 lines, and the same
/// with every fourth copy replaced by the fixture's head file (the fixture's
/// own real-looking change, made in a quarter of the copies).
fn valid_pair(fbase: &str, fhead: &str) -> (String, String) {
    let lines = fbase.lines().count().max(1);
    let copies = (500 / lines).max(1);
    // PHP's `<?php` opens the file once: repeated, it is a syntax error.
    fn later(t: &str) -> &str {
        t.strip_prefix("<?php\n").unwrap_or(t)
    }
    let (mut base, mut head) = (String::new(), String::new());
    for k in 0..copies {
        let (b, h) = if k == 0 {
            (fbase, fhead)
        } else {
            (later(fbase), later(fhead))
        };
        base.push_str(b);
        base.push('\n');
        head.push_str(if k % 4 == 0 { h } else { b });
        head.push('\n');
    }
    (base, head)
}

/// The pair of the original benchmark: the head file grown and mutated.
fn broken_pair(_: &str, fhead: &str) -> (String, String) {
    let lines = fhead.lines().count().max(1);
    let base = grow(fhead, fhead.len() * (500 / lines).max(1));
    let head = mutate(&base);
    (base, head)
}

type Fixture = (String, String, String, String);

/// Build the 100-file PR from the fixtures with a mutation, time it, and
/// write it for the wasm benchmark.
fn pr_bench(
    fx: &[Fixture],
    title: &str,
    pair: fn(&str, &str) -> (String, String),
    write: Option<String>,
) {
    let mut diff_text = String::new();
    let mut opts = SyntaxOptions::default();
    let mut files = Vec::new();
    for i in 0..100 {
        let (name, path, fbase, fhead) = &fx[i % fx.len()];
        let (base, new) = pair(fbase, fhead);
        let p = format!("pr/{i:03}/{}", path.rsplit('/').next().unwrap_or(name));
        diff_text.push_str(&unified(&p, &base, &new));
        opts.files.insert(
            p.clone(),
            FileContents {
                base: Some(base.clone()),
                head: Some(new.clone()),
            },
        );
        files.push((p, base, new));
    }
    let patch = diff::parse(diff_text.as_bytes());
    let changed: u32 = patch.files.iter().map(|f| f.added + f.deleted).sum();
    let bytes: usize = files.iter().map(|f| f.1.len() + f.2.len()).sum();
    println!(
        "\n== 100-file PR, {title}: {} files, {} changed lines, {} KB diff, {} KB of full files (median of 5)",
        patch.files.len(),
        changed,
        diff_text.len() / 1024,
        bytes / 1024
    );
    let hunks_ms = time(5, || {
        let _ = syntax::analyze_patch(&patch, &SyntaxOptions::default());
    });
    let full_ms = time(5, || {
        let _ = syntax::analyze_patch(&patch, &opts);
    });
    let parse_only_ms = time(5, || {
        for (p, base, new) in &files {
            if let Some(l) =
                blastradius::lang::detect(p, None).filter(|l: &Lang| l.grammar().is_some())
            {
                let _ = syntax::parse_limited(l, base, u64::MAX);
                let _ = syntax::parse_limited(l, new, u64::MAX);
            }
        }
    });
    let similar_ms = time(5, || {
        for (_, base, new) in &files {
            let d = similar::TextDiff::from_lines(base.as_str(), new.as_str());
            let _ = d.ops().len();
        }
    });
    let report_ms = time(5, || {
        let o = blastradius::analyze::Options {
            files: opts.files.clone(),
            ..Default::default()
        };
        let _ = blastradius::analyze::analyze(diff_text.as_bytes(), &o);
    });
    let report_hunks_ms = time(5, || {
        let o = blastradius::analyze::Options::default();
        let _ = blastradius::analyze::analyze(diff_text.as_bytes(), &o);
    });
    println!(
        "{:<52} {:>8.1} ms",
        "syntax layer, hunks only (partial)", hunks_ms
    );
    println!(
        "{:<52} {:>8.1} ms",
        "syntax layer, full base+head files", full_ms
    );
    println!(
        "{:<52} {:>8.1} ms",
        "whole analyze(), hunks only (all stages)", report_hunks_ms
    );
    println!(
        "{:<52} {:>8.1} ms",
        "whole analyze() with full files (all stages)", report_ms
    );
    println!(
        "{:<52} {:>8.1} ms",
        "baseline: tree-sitter parse of base+head only", parse_only_ms
    );
    println!(
        "{:<52} {:>8.1} ms",
        "baseline: similar line diff of base vs head only", similar_ms
    );

    if let Some(out) = write {
        let v = serde_json::json!({ "diff": diff_text, "options": { "files": opts.files } });
        match std::fs::write(&out, v.to_string()) {
            Ok(()) => println!("\nwrote {out}"),
            Err(e) => eprintln!("cannot write {out}: {e}"),
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let write_pr = args
        .iter()
        .position(|a| a == "--write-pr")
        .and_then(|i| args.get(i + 1))
        .cloned();
    let fx = fixtures();
    if fx.is_empty() {
        eprintln!("no fixtures under {}", fixture_dir().display());
        std::process::exit(2);
    }

    println!(
        "== parse throughput per language (256 KB of fixture code, parse + extract, median of 5)"
    );
    println!(
        "{:<11} {:>9} {:>10} {:>9}",
        "language", "parse MB/s", "+extract", "nodes/KB"
    );
    for (_, path, _, head) in &fx {
        let Some(lang) = blastradius::lang::detect(path, head.lines().next()) else {
            continue;
        };
        let text = grow(head, 256 * 1024);
        let mb = text.len() as f64 / 1e6;
        if lang.grammar().is_none() {
            println!("{:<11} {:>9} {:>10} {:>9}", lang.name(), "text", "-", "-");
            continue;
        }
        let parse_ms = time(5, || {
            let _ = syntax::parse_limited(lang, &text, u64::MAX);
        });
        let mut nodes = 0;
        let both_ms = time(5, || {
            if let Ok(t) = syntax::parse_limited(lang, &text, u64::MAX) {
                let ex = syntax::symbols::extract(lang, &t, &text, usize::MAX);
                nodes = ex.nodes;
            }
        });
        println!(
            "{:<11} {:>9.1} {:>10.1} {:>9.0}",
            lang.name(),
            mb / (parse_ms / 1000.0),
            mb / (both_ms / 1000.0),
            nodes as f64 / (text.len() as f64 / 1024.0)
        );
    }

    // A 100-file PR: the fixtures' head files grown to ~500 lines, mutated.
    pr_bench(
        &fx,
        "edits that break the syntax",
        broken_pair,
        write_pr.clone(),
    );
    pr_bench(
        &fx,
        "edits that keep the code valid",
        valid_pair,
        write_pr.map(|p| p.replace(".json", "-valid.json")),
    );
}
