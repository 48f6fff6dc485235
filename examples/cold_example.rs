//! Native timings of a first and a second analysis of one diff file in a
//! fresh process: `cargo run --release --example cold_example -- FILE`.
use blastradius::analyze::{analyze, Options};
use std::time::Instant;

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "examples/pr-account-cleanup.diff".into());
    let diff = std::fs::read(&path).expect("read the diff");
    let opts = Options::default();
    for run in ["first", "second"] {
        let t = Instant::now();
        let r = analyze(&diff, &opts);
        println!(
            "{run}: {:.2} ms ({} findings)",
            t.elapsed().as_secs_f64() * 1e3,
            r.map(|r| r.findings.len()).unwrap_or(0)
        );
    }
}
