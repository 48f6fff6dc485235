use super::{read_input, Format, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use blastradius::analyze::{analyze, Options};
use blastradius::finding::Severity;

#[derive(clap::Args)]
pub struct Args {
    /// The diff or patch file; `-` or nothing for standard input.
    file: Option<String>,
    /// Read the diff from the git repository in the current directory
    /// instead: a range as `git diff` takes it (`main...HEAD`, `HEAD~1`,
    /// `A B`); `--git` alone means uncommitted changes against HEAD. The
    /// changed files' full base and head contents are read from git too, so
    /// the syntax layer parses whole files, not just the hunks.
    #[arg(long, value_name = "RANGE", conflicts_with = "file", num_args = 0..=1, default_missing_value = "")]
    git: Option<String>,
    /// With `--git`: parse only the hunks' text, not the full files.
    #[arg(long, requires = "git")]
    no_full_files: bool,
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
    /// Repository policy file (default: `.blastradius.toml` in the current directory, if present).
    #[arg(long)]
    policy: Option<String>,
    /// Extra rule pack (TOML); repeatable. `.blastradius/rules/*.toml` is always read.
    #[arg(long = "rules")]
    rules: Vec<String>,
    /// Treat the change as AI-assisted (for the policy's sign-off rule).
    #[arg(long)]
    ai_assisted: bool,
    /// A reviewer who approved the change; repeatable.
    #[arg(long = "approved-by")]
    approved_by: Vec<String>,
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
    let (policy, rule_packs) = match super::rules::load_config(a.policy.as_deref(), &a.rules) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("blastradius: {e}");
            return EXIT_ERROR;
        }
    };
    let mut opts = Options {
        min_severity: a.min_severity,
        policy,
        rule_packs,
        ai_assisted: a.ai_assisted.then_some(true),
        approvals: a.approved_by.clone(),
        ..Default::default()
    };
    if let Err(e) = super::ai_args::apply(&a.ai, &input, a.git.is_some(), &mut opts) {
        eprintln!("blastradius: {e}");
        return EXIT_ERROR;
    }
    if let Some(range) = &a.git {
        let dir = std::path::Path::new(".");
        if let Some((base, head)) = super::git::range_sides(dir, range) {
            let patch = blastradius::diff::parse(&input);
            // Churn and ownership of the changed files before the change.
            opts.history = super::git::history_at(dir, &patch, &base, head.as_deref());
            if !a.no_full_files {
                match super::git::full_files(
                    dir,
                    &patch,
                    &base,
                    head.as_deref(),
                    opts.syntax_limits.max_bytes,
                ) {
                    Ok(files) => opts.files = files,
                    // The hunks still get analysed; say why the results are partial.
                    Err(e) => eprintln!(
                        "blastradius: full files not read ({e}); syntax results are partial"
                    ),
                }
            }
        }
    }
    let mut report = match analyze(&input, &opts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("blastradius: {e}");
            return EXIT_ERROR;
        }
    };
    // The engine names the policy by its usual file name; say which file it was.
    if let Some(p) = &a.policy {
        for d in report.config_diagnostics.iter_mut() {
            if d.source == blastradius::policy::POLICY_FILE {
                d.source = p.clone();
            }
        }
    }
    let out = match a.format {
        Format::Json => blastradius::report::json(&report),
        Format::Text => blastradius::report::text(&report),
        Format::Sarif => blastradius::report::sarif(&report),
        Format::Markdown => blastradius::report::markdown(&report),
        Format::Html => blastradius::report::html(&report),
    };
    for d in &report.config_diagnostics {
        eprintln!("blastradius: {d}");
    }
    print!("{out}");
    if report.findings.iter().any(|f| f.severity >= a.fail_on) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}
