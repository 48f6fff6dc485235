//! Command-line front end: one file per subcommand.

use clap::{Parser, Subcommand};
use std::io::Read;

mod ai_args;
mod check;
mod eval;
pub mod git;
mod languages;
mod noise;
mod parse;
mod risk;
mod risk_corpus;
pub(crate) mod rules;
mod train;

/// Exit code: no findings at or above the threshold.
pub const EXIT_OK: i32 = 0;
/// Exit code: findings at or above the threshold.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit code: bad input or usage.
pub const EXIT_ERROR: i32 = 2;

#[derive(Parser)]
#[command(
    name = "blastradius",
    version,
    about = "Find the changes a reviewer must not wave through"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Analyse a diff or patch and print findings.
    Check(check::Args),
    /// Read a diff and print what the reader saw (`--numstat`, `--summary`).
    Parse(parse::Args),
    /// List the built-in rules.
    Rules(rules::Args),
    /// Measure a detector on a labelled corpus (`eval authorship DIR`).
    Eval(eval::Args),
    /// Risk score, the lines to review first, blast radius (with the
    /// repository's fan-in) and review effort for a diff.
    Risk(risk::Args),
    /// Fit a shipped model on a labelled corpus (`train authorship DIR`).
    Train(train::Args),
    /// Noise report: per rule, how often it fires on bug vs clean commits.
    Noise(noise::Args),
    /// List the compiled-in languages.
    Languages(languages::Args),
}

/// Output formats.
#[derive(Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// Human-readable text.
    Text,
    /// JSON.
    Json,
    /// SARIF 2.1.0.
    Sarif,
    /// Markdown (for a PR comment or CI summary).
    Markdown,
    /// A standalone HTML page.
    Html,
}

/// Read a file, or standard input for `-` / no path.
pub fn read_input(path: Option<&str>) -> Result<Vec<u8>, String> {
    match path {
        None | Some("-") => {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
            Ok(buf)
        }
        Some(p) => std::fs::read(p).map_err(|e| format!("cannot read {p}: {e}")),
    }
}

/// Entry point; returns the exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            let _ = e.print();
            return code;
        }
    };
    match cli.command {
        Command::Check(a) => check::run(a),
        Command::Parse(a) => parse::run(a),
        Command::Eval(a) => eval::run(a),
        Command::Risk(a) => risk::run(a),
        Command::Train(a) => train::run(a),
        Command::Rules(a) => rules::run(a),
        Command::Noise(a) => noise::run(a),
        Command::Languages(a) => languages::run(a),
    }
}
