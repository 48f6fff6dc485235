//! `eval risk` end to end on a small corpus in the `risk-dev` format built by
//! the test: the JSON contract, figures that follow from the corpus, and what
//! happens when a file is missing.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn bin() -> Command {
    Command::cargo_bin("blastradius").unwrap()
}

/// A C change adding `n` lines to `path`, the last of them `last`.
fn diff(path: &str, n: usize, last: &str) -> String {
    let mut d = format!(
        "diff --git a/{path} b/{path}\n--- a/{path}\n+++ b/{path}\n@@ -10,2 +10,{} @@ f(void)\n {{\n",
        n + 2
    );
    for i in 0..n - 1 {
        d.push_str(&format!("+    x{i} = y{i} + {i};\n"));
    }
    d.push_str(&format!("+{last}\n }}\n"));
    d
}

/// Two repositories; in each, two bug commits (20 and 30 added lines, the
/// fix touched the last one) and three one-line clean commits.
fn corpus(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("br-risk-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut labels = String::from("id,repo,sha,date,label,source,fix_sha,files,added,deleted\n");
    let mut id = 0;
    for repo in ["acme/alpha", "acme/beta"] {
        for (label, n) in [
            ("bug", 20),
            ("bug", 30),
            ("clean", 1),
            ("clean", 1),
            ("clean", 1),
        ] {
            id += 1;
            let nid = format!("{id:04}");
            let last = "    if (p->len > MAX) return -EINVAL;";
            std::fs::write(
                dir.join(format!("{nid}.code.diff")),
                diff("lib/x.c", n, last),
            )
            .unwrap();
            if label == "bug" {
                // The last added line is new-side line 10 + n.
                std::fs::write(
                    dir.join(format!("{nid}.lines.tsv")),
                    format!("lib/x.c\t{}\n", 10 + n),
                )
                .unwrap();
            }
            labels.push_str(&format!(
                "{nid},{repo},{:040x},2020-01-01T00:00:00+00:00,{label},fixes,,1,{n},0\n",
                id
            ));
        }
    }
    std::fs::write(dir.join("labels.csv"), labels).unwrap();
    dir
}

fn eval_json(dir: &Path) -> (serde_json::Value, String) {
    let out = bin()
        .args(["eval", "risk", dir.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{stderr}");
    (serde_json::from_slice(&out.stdout).unwrap(), stderr)
}

#[test]
fn eval_risk_json_has_exactly_the_contract_keys_and_real_figures() {
    let dir = corpus("contract");
    let (v, stderr) = eval_json(&dir);
    let mut top: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    top.sort();
    assert_eq!(top, ["per_repo", "pooled"]);
    let keys = [
        "auc",
        "effort_recall_20",
        "la_auc",
        "n_bug",
        "n_clean",
        "top10",
        "top50",
    ];
    let check = |m: &serde_json::Value| {
        let mut k: Vec<&str> = m.as_object().unwrap().keys().map(String::as_str).collect();
        k.sort();
        assert_eq!(k, keys);
    };
    check(&v["pooled"]);
    let per = v["per_repo"].as_object().unwrap();
    assert_eq!(per.len(), 2);
    per.values().for_each(check);
    assert_eq!(v["pooled"]["n_bug"], 4);
    assert_eq!(v["pooled"]["n_clean"], 6);
    assert_eq!(v["per_repo"]["acme/beta"]["n_bug"], 2);
    // Every bug commit is larger than every clean one: lines added alone
    // separates them, and so does the shipped change score.
    assert_eq!(v["pooled"]["la_auc"], 1.0);
    assert_eq!(v["pooled"]["auc"], 1.0);
    // The labelled line is a condition with an error return, among at most
    // 30 added lines: it is in the top 50 always, and in the top 10.
    assert_eq!(v["pooled"]["top50"], 1.0);
    assert_eq!(v["pooled"]["top10"], 1.0);
    let e = v["pooled"]["effort_recall_20"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&e), "{e}");
    assert!(!stderr.contains("lines.tsv"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn eval_risk_says_when_a_bug_commit_has_no_lines_file() {
    let dir = corpus("nolines");
    std::fs::remove_file(dir.join("0001.lines.tsv")).unwrap();
    let (v, stderr) = eval_json(&dir);
    assert!(
        stderr.contains("1 bug commit(s) have no readable NNNN.lines.tsv (first: 0001.lines.tsv)"),
        "{stderr}"
    );
    // That commit no longer counts towards Top-N; the change figures stay.
    assert_eq!(v["per_repo"]["acme/alpha"]["top50"], 1.0);
    assert_eq!(v["pooled"]["n_bug"], 4);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `eval risk DIR` fails with exit code 2 and a message containing `needle`.
fn fails_with(dir: &str, needle: &str) {
    let out = bin().args(["eval", "risk", dir]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(needle), "{stderr}");
}

#[test]
fn eval_risk_errors_are_clear() {
    let dir = corpus("errors");
    let d = dir.to_str().unwrap();
    // A missing diff names the file.
    std::fs::remove_file(dir.join("0003.code.diff")).unwrap();
    fails_with(d, "0003.code.diff");
    // An unknown label is refused with its id.
    let labels = std::fs::read_to_string(dir.join("labels.csv")).unwrap();
    std::fs::write(dir.join("labels.csv"), labels.replace(",bug,", ",buggy,")).unwrap();
    fails_with(d, "unknown label `buggy`");
    // No directory at all.
    fails_with("tests/fixtures/no-such-corpus", "labels.csv");
    let _ = std::fs::remove_dir_all(&dir);
}
