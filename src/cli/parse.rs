use super::{read_input, EXIT_ERROR, EXIT_OK};
use blastradius::diff;

#[derive(clap::Args)]
pub struct Args {
    /// The diff or patch file; `-` or nothing for standard input.
    file: Option<String>,
    /// Print `added<TAB>deleted<TAB>path` per file, as `git apply --numstat`.
    #[arg(long)]
    numstat: bool,
    /// Print create/delete/rename/mode lines, as `git apply --summary`.
    #[arg(long)]
    summary: bool,
    /// Benchmark: read the input N times and print the best parse time and
    /// throughput to standard error (the input is read from disk once).
    #[arg(long, value_name = "N")]
    repeat: Option<u32>,
}

pub fn run(a: Args) -> i32 {
    let input = match read_input(a.file.as_deref()) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("blastradius: {e}");
            return EXIT_ERROR;
        }
    };
    if let Some(n) = a.repeat {
        bench(&input, n.max(1));
    }
    let patch = diff::parse(&input);
    let mut out = String::new();
    if a.numstat || !a.summary {
        out.push_str(&diff::numstat(&patch));
    }
    if a.summary {
        out.push_str(&diff::summary(&patch));
    }
    print!("{out}");
    for d in &patch.diagnostics {
        eprintln!("blastradius: input line {}: {}", d.line, d.message);
    }
    EXIT_OK
}

fn bench(input: &[u8], n: u32) {
    let mut best = f64::INFINITY;
    let mut files = 0;
    for _ in 0..n {
        let t = std::time::Instant::now();
        let p = diff::parse(input);
        files = std::hint::black_box(&p).files.len();
        let lines: usize = p
            .files
            .iter()
            .flat_map(|f| &f.hunks)
            .map(|h| h.lines.len())
            .sum();
        std::hint::black_box(lines);
        drop(p);
        best = best.min(t.elapsed().as_secs_f64());
    }
    eprintln!(
        "parse: {} bytes, {files} files, best of {n}: {:.3} ms, {:.1} MB/s",
        input.len(),
        best * 1e3,
        input.len() as f64 / 1e6 / best
    );
}
