//! `blastradius train authorship DIR`: fit the content model on a labelled
//! corpus and write its weights (the shipped `src/ai/model.json`).

use super::eval::{code_features, read_labels};
use super::{EXIT_ERROR, EXIT_OK};
use blastradius::ai::model::{self, Sample};
use std::path::Path;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(clap::Subcommand)]
enum What {
    /// Fit the AI-authorship content model on `NNNN.code.diff` files of an
    /// `ai-dev` corpus (deterministic: the same corpus gives the same bytes).
    Authorship(AuthorshipArgs),
    /// Fit the change and critical-line risk models on a `risk-dev` corpus
    /// (deterministic) and write `src/risk/weights.json`.
    Risk(super::risk_corpus::TrainArgs),
}

#[derive(clap::Args)]
pub struct AuthorshipArgs {
    /// Corpus directory: `labels.csv` + `NNNN.code.diff`.
    dir: String,
    /// Where to write the weights; `-` for standard output.
    #[arg(long, short, default_value = "-")]
    out: String,
    /// L2 strength on standardised features.
    #[arg(long, default_value_t = model::DEFAULT_L2)]
    l2: f64,
    /// Also write the feature table as CSV (`id,repo,label,<features>`),
    /// for inspection.
    #[arg(long, value_name = "FILE")]
    dump_features: Option<String>,
}

pub fn run(a: Args) -> i32 {
    match a.what {
        What::Authorship(a) => authorship(a),
        What::Risk(a) => super::risk_corpus::train(a),
    }
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
    let (kept, samples): (Vec<&super::eval::LabelRow>, Vec<Sample>) = rows
        .iter()
        .filter_map(|r| {
            code_features(dir, &r.id).map(|x| {
                (
                    r,
                    Sample {
                        x,
                        ai: r.ai,
                        group: r.repo.clone(),
                    },
                )
            })
        })
        .unzip();
    if let Some(p) = &a.dump_features {
        let mut csv = format!("id,repo,label,{}\n", model::feature_names().join(","));
        for (r, s) in kept.iter().zip(&samples) {
            let vals: Vec<String> = s.x.iter().map(|v| format!("{v:.5}")).collect();
            csv.push_str(&format!(
                "{},{},{},{}\n",
                r.id,
                r.repo,
                if r.ai { "ai" } else { "human" },
                vals.join(",")
            ));
        }
        if let Err(e) = std::fs::write(p, csv) {
            eprintln!("blastradius: cannot write {p}: {e}");
            return EXIT_ERROR;
        }
    }
    if !samples.iter().any(|s| s.ai) || !samples.iter().any(|s| !s.ai) {
        eprintln!(
            "blastradius: {}: need both ai and human samples with a code.diff",
            dir.display()
        );
        return EXIT_ERROR;
    }
    let refs: Vec<&Sample> = samples.iter().collect();
    let m = model::train(&refs, a.l2);
    let mut json = match serde_json::to_string_pretty(&m) {
        Ok(j) => j,
        Err(e) => {
            eprintln!("blastradius: {e}");
            return EXIT_ERROR;
        }
    };
    json.push('\n');
    if a.out == "-" {
        print!("{json}");
    } else if let Err(e) = std::fs::write(&a.out, json) {
        eprintln!("blastradius: cannot write {}: {e}", a.out);
        return EXIT_ERROR;
    } else {
        eprintln!(
            "wrote {} ({} ai, {} human, repos: {}; likely >= {:.3}, possible >= {:.3})",
            a.out,
            m.trained_on.n_ai,
            m.trained_on.n_human,
            m.trained_on.repos.join(", "),
            m.thresholds.likely,
            m.thresholds.possible
        );
    }
    EXIT_OK
}
