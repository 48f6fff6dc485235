use super::{read_input, Format, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use blastradius::analyze::{analyze, Options};
use blastradius::finding::Severity;

#[derive(clap::Args)]
pub struct Args {
    /// The diff or patch file; `-` or nothing for standard input.
    file: Option<String>,
    /// Read the diff from the git repository in the current directory
    /// instead: a range as `git diff` takes it (`main...HEAD`, `HEAD~1`);
    /// an empty string means uncommitted changes against HEAD.
    #[arg(long, value_name = "RANGE", conflicts_with = "file", num_args = 0..=1, default_missing_value = "")]
    git: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Exit with 1 when a finding at or above this severity exists.
    #[arg(long, default_value = "high", value_parser = parse_severity)]
    fail_on: Severity,
    /// Only report findings at or above this severity.
    #[arg(long, value_parser = parse_severity)]
    min_severity: Option<Severity>,
    #[command(flatten)]
    ai: super::ai_args::AiArgs,
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    Severity::parse(s)
        .ok_or_else(|| format!("unknown severity `{s}`: use info, warning, high or critical"))
}

pub fn run(a: Args) -> i32 {
    let input = match &a.git {
        Some(range) => super::git::diff(std::path::Path::new("."), range),
        None => read_input(a.file.as_deref()),
    };
    let input = match input {
        Ok(b) => b,
        Err(e) => {
            eprintln!("blastradius: {e}");
            return EXIT_ERROR;
        }
    };
    let mut opts = Options {
        min_severity: a.min_severity,
        ..Default::default()
    };
    if let Err(e) = super::ai_args::apply(&a.ai, &input, &mut opts) {
        eprintln!("blastradius: {e}");
        return EXIT_ERROR;
    }
    let report = match analyze(&input, &opts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("blastradius: {e}");
            return EXIT_ERROR;
        }
    };
    let out = match a.format {
        Format::Json => blastradius::report::json(&report),
        Format::Text => blastradius::report::text(&report),
        Format::Sarif => blastradius::report::sarif(&report),
        Format::Markdown => blastradius::report::markdown(&report),
        Format::Html => blastradius::report::html(&report),
    };
    print!("{out}");
    if report.findings.iter().any(|f| f.severity >= a.fail_on) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}
