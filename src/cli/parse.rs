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
}

pub fn run(a: Args) -> i32 {
    let input = match read_input(a.file.as_deref()) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("blastradius: {e}");
            return EXIT_ERROR;
        }
    };
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
