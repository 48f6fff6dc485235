//! `blastradius noise DIR`: run every rule over a labelled commit corpus
//! (`labels.csv` with `id` and `label` columns, `bug`/`clean`, plus
//! `NNNN.code.diff` per commit) and print, per rule, how often it fires on
//! bug-introducing and on clean commits.

use super::{EXIT_ERROR, EXIT_OK};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[derive(clap::Args)]
pub struct Args {
    /// Corpus directory (e.g. ../shared/corpus/risk-dev).
    dir: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: NoiseFormat,
    /// Only the first N commits (0: all).
    #[arg(long, default_value_t = 0)]
    limit: usize,
}

#[derive(Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum NoiseFormat {
    /// Aligned table.
    Text,
    /// Markdown table.
    Markdown,
    /// JSON.
    Json,
}

/// One row of the report.
#[derive(serde::Serialize)]
struct Row {
    rule: String,
    severity: String,
    bug_fires: usize,
    clean_fires: usize,
    bug_rate: f64,
    clean_rate: f64,
    /// bug_rate / clean_rate (None when it never fires on clean commits).
    lift: Option<f64>,
    /// Fires on more than 3% of clean commits without being more frequent on bug ones.
    noisy: bool,
}

pub fn run(a: Args) -> i32 {
    let dir = Path::new(&a.dir);
    let labels = match std::fs::read_to_string(dir.join("labels.csv")) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("blastradius: cannot read {}/labels.csv: {e}", a.dir);
            return EXIT_ERROR;
        }
    };
    let mut lines = labels.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split(',').collect();
    let (Some(id_col), Some(label_col)) = (
        header.iter().position(|h| *h == "id"),
        header.iter().position(|h| *h == "label"),
    ) else {
        eprintln!("blastradius: labels.csv needs `id` and `label` columns");
        return EXIT_ERROR;
    };
    let (mut n_bug, mut n_clean) = (0usize, 0usize);
    let mut fires: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut errors = 0usize;
    for (i, line) in lines.enumerate() {
        if a.limit > 0 && i >= a.limit {
            break;
        }
        let cols: Vec<&str> = line.split(',').collect();
        let (Some(id), Some(label)) = (cols.get(id_col), cols.get(label_col)) else {
            continue;
        };
        let bug = match *label {
            "bug" => true,
            "clean" => false,
            _ => continue,
        };
        let Ok(input) = std::fs::read(dir.join(format!("{id}.code.diff"))) else {
            errors += 1;
            continue;
        };
        if bug {
            n_bug += 1;
        } else {
            n_clean += 1;
        }
        // The syntax and rule stages only: the authorship stage does not
        // change which rules fire without a policy.
        let patch = blastradius::diff::parse(&input);
        let syntax = blastradius::syntax::analyze_patch(&patch, &Default::default());
        let cfg = blastradius::rules::RunConfig {
            syntax: Some(&syntax),
            ..Default::default()
        };
        let (findings, _) = blastradius::rules::run_with(&patch, &cfg);
        let ids: BTreeSet<&str> = findings.iter().map(|f| f.rule_id.as_str()).collect();
        for id in ids {
            let e = fires.entry(id.to_string()).or_default();
            if bug {
                e.0 += 1;
            } else {
                e.1 += 1;
            }
        }
    }
    let sev: BTreeMap<String, String> = blastradius::rules::catalog()
        .into_iter()
        .map(|r| (r.id, r.severity.to_string()))
        .collect();
    let rate = |n: usize, d: usize| if d == 0 { 0.0 } else { n as f64 / d as f64 };
    let mut rows: Vec<Row> = sev
        .iter()
        .map(|(id, s)| {
            let (b, c) = fires.get(id).copied().unwrap_or((0, 0));
            let (br, cr) = (rate(b, n_bug), rate(c, n_clean));
            Row {
                rule: id.clone(),
                severity: s.clone(),
                bug_fires: b,
                clean_fires: c,
                bug_rate: br,
                clean_rate: cr,
                lift: (c > 0).then(|| br / cr),
                noisy: cr > 0.03 && br <= cr,
            }
        })
        .collect();
    rows.sort_by(|x, y| {
        (y.bug_fires + y.clean_fires)
            .cmp(&(x.bug_fires + x.clean_fires))
            .then(x.rule.cmp(&y.rule))
    });
    match a.format {
        NoiseFormat::Json => {
            let v = serde_json::json!({"bug_commits": n_bug, "clean_commits": n_clean, "unreadable": errors, "rules": rows});
            println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        }
        NoiseFormat::Markdown | NoiseFormat::Text => {
            let md = a.format == NoiseFormat::Markdown;
            println!(
                "{} bug commits, {} clean commits, {} unreadable",
                n_bug, n_clean, errors
            );
            if md {
                println!("\n| rule | severity | bug fires | clean fires | bug % | clean % | lift | noisy |\n|---|---|---|---|---|---|---|---|");
            } else {
                println!(
                    "{:<30} {:<8} {:>9} {:>11} {:>7} {:>8} {:>6} noisy",
                    "rule", "severity", "bug", "clean", "bug%", "clean%", "lift"
                );
            }
            for r in &rows {
                let lift = r
                    .lift
                    .map(|l| format!("{l:.2}"))
                    .unwrap_or_else(|| "-".into());
                if md {
                    println!(
                        "| {} | {} | {} | {} | {:.1} | {:.1} | {} | {} |",
                        r.rule,
                        r.severity,
                        r.bug_fires,
                        r.clean_fires,
                        r.bug_rate * 100.0,
                        r.clean_rate * 100.0,
                        lift,
                        if r.noisy { "yes" } else { "" }
                    );
                } else {
                    println!(
                        "{:<30} {:<8} {:>9} {:>11} {:>7.1} {:>8.1} {:>6} {}",
                        r.rule,
                        r.severity,
                        r.bug_fires,
                        r.clean_fires,
                        r.bug_rate * 100.0,
                        r.clean_rate * 100.0,
                        lift,
                        if r.noisy { "NOISY" } else { "" }
                    );
                }
            }
        }
    }
    EXIT_OK
}
