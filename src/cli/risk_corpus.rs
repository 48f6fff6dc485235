//! The risk parts of `blastradius eval risk DIR` and `blastradius train risk DIR`.

use super::{EXIT_ERROR, EXIT_OK};
use blastradius::risk::eval::{self, Metrics, Prepared, Sample};
use blastradius::risk::model;
use std::path::Path;

#[derive(clap::Args)]
pub struct RiskArgs {
    /// Corpus directory (labels.csv, NNNN.code.diff, NNNN.lines.tsv).
    dir: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: EvalFormat,
    /// Also train on all but one repository and test on it, and run
    /// 5-fold cross-validation (slower; text output only).
    #[arg(long)]
    cross: bool,
    /// Write the change feature matrix as CSV (id, repo, label, features) for analysis.
    #[arg(long, value_name = "FILE")]
    features_csv: Option<String>,
}

#[derive(Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
enum EvalFormat {
    Text,
    Json,
}

/// Read a `risk-dev`-format corpus and compute features.
pub fn load_risk_corpus(dir: &str) -> Result<Vec<Prepared>, String> {
    let d = Path::new(dir);
    let csv = std::fs::read_to_string(d.join("labels.csv"))
        .map_err(|e| format!("cannot read {}/labels.csv: {e}", dir))?;
    let rows = eval::parse_labels(&csv)?;
    let mut out = Vec::with_capacity(rows.len());
    let mut no_lines: Vec<String> = Vec::new();
    for (id, repo, label) in rows {
        let bug = match label.as_str() {
            "bug" => true,
            "clean" => false,
            other => return Err(format!("labels.csv: id {id}: unknown label `{other}`")),
        };
        let diff = std::fs::read(d.join(format!("{id}.code.diff")))
            .map_err(|e| format!("cannot read {dir}/{id}.code.diff: {e}"))?;
        let lines = match std::fs::read_to_string(d.join(format!("{id}.lines.tsv"))) {
            Ok(t) => eval::parse_lines_tsv(&t),
            Err(_) => {
                if bug {
                    no_lines.push(id.clone());
                }
                Vec::new()
            }
        };
        let s = Sample {
            id,
            repo,
            bug,
            diff,
            lines,
        };
        out.push(eval::prepare(&s));
    }
    if out.is_empty() {
        return Err(format!("{dir}/labels.csv lists no commits"));
    }
    if let Some(first) = no_lines.first() {
        eprintln!(
            "note: {} bug commit(s) have no readable NNNN.lines.tsv (first: {first}.lines.tsv); \
             Top-10/Top-50 count them as having no labelled line",
            no_lines.len()
        );
    }
    Ok(out)
}

fn pct(v: Option<f64>) -> String {
    v.map(|x| format!("{:.3}", x)).unwrap_or_else(|| "-".into())
}

fn row(name: &str, m: &Metrics) -> String {
    format!(
        "{:<28} {:>6} {:>6} {:>6} {:>8} {:>6} {:>6} {:>6} {:>6}",
        name,
        pct(m.auc),
        pct(m.la_auc),
        match (m.auc, m.la_auc) {
            (Some(a), Some(b)) => format!("{:+.3}", a - b),
            _ => "-".into(),
        },
        pct(m.effort_recall_20),
        pct(m.top10),
        pct(m.top50),
        m.n_bug,
        m.n_clean
    )
}

fn header() -> String {
    format!(
        "{:<28} {:>6} {:>6} {:>6} {:>8} {:>6} {:>6} {:>6} {:>6}",
        "", "AUC", "LA", "Δ", "Eff@20%", "Top10", "Top50", "bug", "clean"
    )
}

/// `eval risk`.
pub fn eval(a: RiskArgs) -> i32 {
    let items = match load_risk_corpus(&a.dir) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("blastradius: {e}");
            return EXIT_ERROR;
        }
    };
    if let Some(path) = &a.features_csv {
        let mut t = String::from("id,repo,bug");
        for (n, _) in blastradius::risk::features::CHANGE_FEATURES {
            t.push(',');
            t.push_str(n);
        }
        t.push('\n');
        for p in &items {
            t.push_str(&format!("{},{},{}", p.id, p.repo, u8::from(p.bug)));
            for v in &p.x {
                t.push_str(&format!(",{v}"));
            }
            t.push('\n');
        }
        if let Err(e) = std::fs::write(path, t) {
            eprintln!("blastradius: cannot write {path}: {e}");
            return EXIT_ERROR;
        }
    }
    let report = eval::evaluate(&items, model::shipped());
    if a.format == EvalFormat::Json {
        match serde_json::to_string_pretty(&report) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("blastradius: {e}");
                return EXIT_ERROR;
            }
        }
        return EXIT_OK;
    }
    println!("shipped weights ({})", model::shipped().trained_on);
    println!("{}", header());
    for (r, m) in &report.per_repo {
        println!("{}", row(r, m));
    }
    println!("{}", row("pooled", &report.pooled));
    if a.cross {
        println!("\ncross-repository (train on the others, test on one)");
        println!("{}", header());
        for c in eval::cross_repo(&items) {
            println!(
                "{}",
                row(
                    &format!("{} -> {}", short(&c.train), short(&c.test)),
                    &c.metrics
                )
            );
        }
        println!("\n5-fold cross-validation (held-out commits)");
        println!("{}", header());
        let cv = eval::cross_validate(&items, 5);
        for (r, m) in &cv.per_repo {
            println!("{}", row(r, m));
        }
        println!("{}", row("pooled", &cv.pooled));
    }
    println!("\nAUC: change score; LA: lines added alone; Eff@20%: bug commits found in the top-ranked commits within 20% of changed lines; TopN: bug commits with a labelled line that have one among the top N critical lines.");
    EXIT_OK
}

fn short(r: &str) -> String {
    r.split('+')
        .map(|x| x.rsplit('/').next().unwrap_or(x))
        .collect::<Vec<_>>()
        .join("+")
}

#[derive(clap::Args)]
pub struct TrainArgs {
    /// Corpus directory (labels.csv, NNNN.code.diff, NNNN.lines.tsv).
    dir: String,
    /// Where to write the weights.
    #[arg(long, default_value = "src/risk/weights.json")]
    out: String,
}

/// `train risk`.
pub fn train(r: TrainArgs) -> i32 {
    let items = match load_risk_corpus(&r.dir) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("blastradius: {e}");
            return EXIT_ERROR;
        }
    };
    let bugs = items.iter().filter(|p| p.bug).count();
    let name = std::path::Path::new(&r.dir)
        .file_name()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| r.dir.clone());
    let source = format!(
        "{name}: {} commits ({} bug, {} clean); L2 logistic regression, Newton, standardised features",
        items.len(),
        bugs,
        items.len() - bugs
    );
    let w = eval::train_weights(&items, &source);
    let text = match serde_json::to_string_pretty(&w) {
        Ok(t) => t + "\n",
        Err(e) => {
            eprintln!("blastradius: {e}");
            return EXIT_ERROR;
        }
    };
    if let Err(e) = std::fs::write(&r.out, text) {
        eprintln!("blastradius: cannot write {}: {e}", r.out);
        return EXIT_ERROR;
    }
    let rep = eval::evaluate(&items, &w);
    eprintln!(
        "wrote {}: in-sample AUC {:?} (LA {:?}), top10 {:?}, top50 {:?}",
        r.out, rep.pooled.auc, rep.pooled.la_auc, rep.pooled.top10, rep.pooled.top50
    );
    EXIT_OK
}
