//! One shared test-vector file, run natively here and in wasm by
//! tests/wasm/syntax_vectors.test.mjs: for every syntax fixture, the diff and
//! the full base/head files as `analyze` options, and the expected
//! `Report::syntax`. Regenerate with `UPDATE_VECTORS=1 cargo test --test
//! syntax_vectors` (then review the diff of vectors.json).

use blastradius::analyze::{analyze, Options};
use blastradius::syntax::FileContents;
use serde_json::{json, Value};
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/syntax")
}

fn build() -> Vec<Value> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut out = Vec::new();
    for d in dirs {
        let rd = |n: &str| std::fs::read_to_string(d.join(n)).unwrap();
        let path = rd("path").trim().to_string();
        let diff = rd("change.diff");
        let mut opts = Options::default();
        opts.files.insert(
            path,
            FileContents {
                base: Some(rd("base")),
                head: Some(rd("head")),
            },
        );
        let report = analyze(diff.as_bytes(), &opts).unwrap();
        out.push(json!({
            "name": d.file_name().unwrap().to_string_lossy(),
            "diff": diff,
            "options": { "files": opts.files },
            "syntax": report.syntax,
        }));
    }
    out
}

#[test]
fn vectors_match_native_results() {
    let file = root().join("vectors.json");
    let got = build();
    if std::env::var_os("UPDATE_VECTORS").is_some() {
        std::fs::write(&file, serde_json::to_string_pretty(&got).unwrap() + "\n").unwrap();
    }
    let want: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(&file).unwrap())
        .expect("vectors.json: run with UPDATE_VECTORS=1 to create it");
    assert_eq!(got.len(), want.len());
    assert!(got.len() >= 19);
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g, w, "vector {}", w["name"]);
        // Full files were used.
        assert_eq!(g["syntax"][0]["source"], "full", "vector {}", w["name"]);
    }
}
