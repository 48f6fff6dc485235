//! `blastradius eval <what> DIR`: measure a detector on a labelled corpus.

use super::{EXIT_ERROR, EXIT_OK};
use blastradius::ai::{self, eval::EvalSample};
use blastradius::diff;
use blastradius::finding::Confidence;
use std::path::Path;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(clap::Subcommand)]
enum What {
    /// AI-authorship: metadata recall / false positives on `NNNN.full.patch`,
    /// content-only AUC, precision and recall at "likely" on `NNNN.code.diff`
    /// (leave-one-repository-out for repositories the shipped model was
    /// trained on; the shipped weights otherwise).
    Authorship(AuthorshipArgs),
    /// Change risk score (ROC AUC beside the lines-added baseline,
    /// effort-aware recall) and critical lines (Top-10/Top-50) on a
    /// `risk-dev`-format corpus, with the shipped weights.
    Risk(super::risk_corpus::RiskArgs),
}

#[derive(clap::Args)]
pub struct AuthorshipArgs {
    /// Corpus directory: `labels.csv` + `NNNN.full.patch` + `NNNN.code.diff`.
    dir: String,
    /// Output format: `text` (tables, with the size-only baseline and size
    /// buckets) or `json` (`{"overall": {...}, "per_repo": {...}}`).
    #[arg(long, default_value = "text", value_parser = ["text", "json"])]
    format: String,
    /// With `--format json`: add a `detail` object (size-only baseline,
    /// size buckets, misses).
    #[arg(long)]
    detail: bool,
    /// L2 strength for the per-fold retraining.
    #[arg(long, default_value_t = ai::model::DEFAULT_L2)]
    l2: f64,
}

pub fn run(a: Args) -> i32 {
    match a.what {
        What::Authorship(a) => authorship(a),
        What::Risk(a) => super::risk_corpus::eval(a),
    }
}

/// One row of `labels.csv`.
pub struct LabelRow {
    pub id: String,
    pub repo: String,
    pub ai: bool,
    pub markers: Vec<String>,
    pub size: u64,
}

/// Read `labels.csv` (header names the columns; `id,repo,label` required).
pub fn read_labels(dir: &Path) -> Result<Vec<LabelRow>, String> {
    let p = dir.join("labels.csv");
    let text =
        std::fs::read_to_string(&p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .ok_or_else(|| format!("{}: empty", p.display()))?
        .split(',')
        .map(|s| s.trim().to_ascii_lowercase())
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name);
    let (Some(ci), Some(cr), Some(cl)) = (col("id"), col("repo"), col("label")) else {
        return Err(format!(
            "{}: header needs id, repo and label columns",
            p.display()
        ));
    };
    let (cm, ca, cd) = (col("marker"), col("added"), col("deleted"));
    let mut rows = Vec::new();
    for (n, line) in lines.enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line
            .split(',')
            .map(|s| s.trim().trim_matches('"'))
            .collect();
        let get = |i: Option<usize>| i.and_then(|i| f.get(i)).copied().unwrap_or("");
        let label = get(Some(cl));
        let ai = match label {
            "ai" => true,
            "human" => false,
            other => {
                return Err(format!(
                    "{} line {}: label {other:?} is not ai/human",
                    p.display(),
                    n + 2
                ))
            }
        };
        rows.push(LabelRow {
            id: get(Some(ci)).to_string(),
            repo: get(Some(cr)).to_string(),
            ai,
            markers: get(cm)
                .split(';')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            size: get(ca).parse::<u64>().unwrap_or(0) + get(cd).parse::<u64>().unwrap_or(0),
        });
    }
    Ok(rows)
}

/// Content features of `NNNN.code.diff`, when present.
pub fn code_features(dir: &Path, id: &str) -> Option<ai::features::Features> {
    let bytes = std::fs::read(dir.join(format!("{id}.code.diff"))).ok()?;
    let patch = diff::parse(&bytes);
    Some(ai::features::extract(&patch))
}

fn detected_markers(dir: &Path, id: &str) -> Option<Vec<String>> {
    let bytes = std::fs::read(dir.join(format!("{id}.full.patch"))).ok()?;
    let patch = diff::parse(&bytes);
    let mut v: Vec<String> = ai::commit_authorship(&patch)
        .into_iter()
        .flat_map(|c| c.markers)
        .filter(|h| h.confidence >= Confidence::Medium)
        .map(|h| h.marker)
        .collect();
    v.sort();
    v.dedup();
    Some(v)
}

fn fmt(x: Option<f64>) -> String {
    x.map_or("-".to_string(), |v| format!("{v:.3}"))
}

fn authorship(a: AuthorshipArgs) -> i32 {
    let dir = Path::new(&a.dir);
    let rows = match read_labels(dir) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("blastradius: {e}");
            return EXIT_ERROR;
        }
    };
    let samples: Vec<EvalSample> = rows
        .into_iter()
        .map(|r| EvalSample {
            detected: detected_markers(dir, &r.id),
            features: code_features(dir, &r.id),
            id: r.id,
            repo: r.repo,
            ai: r.ai,
            labelled_markers: r.markers,
            size: r.size,
        })
        .collect();
    if samples.is_empty() {
        eprintln!("blastradius: {}: no labelled rows", dir.display());
        return EXIT_ERROR;
    }
    let (report, detail) = ai::eval::evaluate(&samples, ai::model::shipped(), a.l2);
    if a.format == "json" {
        let v = if a.detail {
            serde_json::json!({"overall": report.overall, "per_repo": report.per_repo, "detail": detail})
        } else {
            serde_json::to_value(&report).unwrap_or_default()
        };
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        return EXIT_OK;
    }
    println!("AI-authorship evaluation of {}", dir.display());
    println!();
    println!(
        "{:<28} {:>5} {:>6} {:>8} {:>4} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "repo", "n_ai", "n_hum", "meta_rec", "FP", "content", "size", "prec@lk", "rec@lk", "mode"
    );
    println!(
        "{:<28} {:>5} {:>6} {:>8} {:>4} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "", "", "", "", "", "AUC", "AUC", "", "", ""
    );
    let row = |name: &str, m: &ai::eval::Metrics, mode: &str| {
        println!(
            "{:<28} {:>5} {:>6} {:>8} {:>4} {:>8} {:>8} {:>8} {:>8} {:>8}",
            name,
            m.n_ai,
            m.n_human,
            fmt(m.metadata_recall),
            m.metadata_false_positives,
            fmt(m.content_auc),
            fmt(detail.size_auc.get(name).copied().flatten()),
            fmt(m.precision_likely),
            fmt(m.recall_likely),
            mode
        );
    };
    for (repo, m) in &report.per_repo {
        row(repo, m, detail.mode.get(repo).map_or("", String::as_str));
    }
    row("overall", &report.overall, "");
    println!();
    println!("By size (added+deleted lines), pooled scores (each repository scored as in `mode`):");
    println!(
        "{:<10} {:>5} {:>6} {:>8} {:>8} {:>8} {:>8}",
        "lines", "n_ai", "n_hum", "content", "size", "prec@lk", "rec@lk"
    );
    for b in &detail.buckets {
        println!(
            "{:<10} {:>5} {:>6} {:>8} {:>8} {:>8} {:>8}",
            b.range,
            b.n_ai,
            b.n_human,
            fmt(b.content_auc),
            fmt(b.size_auc),
            fmt(b.precision_likely),
            fmt(b.recall_likely)
        );
    }
    println!();
    println!(
        "\"likely\" thresholds: {}",
        detail
            .likely_threshold
            .iter()
            .map(|(r, t)| format!("{r} {t:.3}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if !detail.missed_ids.is_empty() {
        println!(
            "AI commits with no metadata marker: {}",
            detail.missed_ids.join(" ")
        );
    }
    if !detail.missed_markers.is_empty() {
        println!(
            "labelled markers not reported: {}",
            detail
                .missed_markers
                .iter()
                .map(|(m, n)| format!("{m} ×{n}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if !detail.false_positive_ids.is_empty() {
        println!(
            "human commits with a marker: {}",
            detail.false_positive_ids.join(" ")
        );
    }
    EXIT_OK
}
