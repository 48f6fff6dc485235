//! Native timings of the engine's first analyses after start-up: the
//! one-off initialisation (rule tables, per-language parsers and queries)
//! without any wasm compilation. `cargo run --release --example cold_start`
use blastradius::analyze::{analyze, Options};
use std::time::Instant;

fn one(f: &str, a: &str, b: &str) -> String {
    format!("diff --git a/{f} b/{f}\n--- a/{f}\n+++ b/{f}\n@@ -1 +1 @@\n-{a}\n+{b}\n")
}

fn main() {
    let cases = [
        ("a.txt", "a", "b"),
        ("b.txt", "a", "b"),
        ("a.py", "x = 1", "x = 2"),
        ("b.py", "y = 1", "y = 2"),
        ("a.ts", "const x = 1;", "const x = 2;"),
        ("a.js", "const x = 1;", "const x = 2;"),
        ("a.go", "var x = 1", "var x = 2"),
        ("a.rs", "const X: u8 = 1;", "const X: u8 = 2;"),
    ];
    let opts = Options::default();
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(cases.len());
    for (f, a, b) in cases.into_iter().take(n) {
        let t = Instant::now();
        let r = analyze(one(f, a, b).as_bytes(), &opts);
        println!(
            "{f}: {:.2} ms ({} findings)",
            t.elapsed().as_secs_f64() * 1e3,
            r.map(|r| r.findings.len()).unwrap_or(0)
        );
    }
}
