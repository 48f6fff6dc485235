//! `eval authorship` and `train authorship` end to end.

use assert_cmd::Command;
use std::path::Path;

fn bin() -> Command {
    Command::cargo_bin("blastradius").unwrap()
}

const FIXTURE_CORPUS: &str = "tests/fixtures/ai/corpus";

#[test]
fn eval_json_has_exactly_the_contract_keys() {
    let out = bin()
        .args(["eval", "authorship", FIXTURE_CORPUS, "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let obj = v.as_object().unwrap();
    let mut top: Vec<&str> = obj.keys().map(String::as_str).collect();
    top.sort();
    assert_eq!(top, ["overall", "per_repo"]);
    let keys = [
        "content_auc",
        "metadata_false_positives",
        "metadata_recall",
        "n_ai",
        "n_human",
        "precision_likely",
        "recall_likely",
    ];
    let check = |m: &serde_json::Value| {
        let mut k: Vec<&str> = m.as_object().unwrap().keys().map(String::as_str).collect();
        k.sort();
        assert_eq!(k, keys);
    };
    check(&v["overall"]);
    let per = v["per_repo"].as_object().unwrap();
    assert_eq!(per.len(), 2);
    per.values().for_each(check);
    // Real figures: every AI fixture carries a marker, the human one that
    // mentions a cursor and a human co-author is not flagged.
    assert_eq!(v["overall"]["metadata_recall"], 1.0);
    assert_eq!(v["overall"]["metadata_false_positives"], 0);
    assert_eq!(v["overall"]["n_ai"], 3);
    assert_eq!(v["overall"]["n_human"], 2);
    assert_eq!(v["per_repo"]["example/beta"]["n_ai"], 2);
    // alpha: the 24-line Claude diff scores above the 1-line human fix.
    assert_eq!(v["per_repo"]["example/alpha"]["content_auc"], 1.0);
}

#[test]
fn eval_text_reports_size_baseline_and_buckets() {
    let out = bin()
        .args(["eval", "authorship", FIXTURE_CORPUS])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("size"), "{text}");
    assert!(text.contains("0-5"), "{text}");
    assert!(
        text.contains("shipped"),
        "unknown repositories use the shipped weights: {text}"
    );
}

#[test]
fn eval_missing_dir_is_a_clear_error() {
    let out = bin()
        .args(["eval", "authorship", "tests/fixtures/ai/no-such-dir"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("labels.csv"));
}

#[test]
fn train_is_deterministic() {
    let run = || {
        bin()
            .args(["train", "authorship", FIXTURE_CORPUS])
            .output()
            .unwrap()
    };
    let (a, b) = (run(), run());
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    assert_eq!(a.stdout, b.stdout);
    let m: serde_json::Value = serde_json::from_slice(&a.stdout).unwrap();
    assert_eq!(m["trained_on"]["n_ai"], 3);
    assert_eq!(
        m["features"].as_array().unwrap().len(),
        m["weights"].as_array().unwrap().len()
    );
}

/// The shipped weights are exactly what the training command produces on
/// the shared corpus (skipped when the corpus is not checked out beside
/// the crate).
#[test]
fn shipped_model_reproduces_from_corpus() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/ai-dev");
    if !corpus.join("labels.csv").exists() {
        eprintln!("skipped: {} not found", corpus.display());
        return;
    }
    let out = bin()
        .args(["train", "authorship", corpus.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let shipped =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ai/model.json"))
            .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        shipped,
        "src/ai/model.json is stale: run scripts/train_authorship.sh"
    );
}

#[test]
fn check_reads_pr_metadata() {
    let out = bin()
        .args([
            "check",
            "tests/fixtures/ai/pr_branch.diff",
            "--pr-json",
            "tests/fixtures/ai/pr_branch.pr.json",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["authorship"]["verdict"], "likely");
    assert_eq!(v["authorship"]["pull_request"][0]["marker"], "branch:codex");
}

#[test]
fn check_reads_git_ai_notes_from_the_repository() {
    // A throwaway repository with one commit and a git-ai note on it.
    let dir = std::env::temp_dir().join(format!("br-ai-notes-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let git = |args: &[&str]| {
        let o = std::process::Command::new("git")
            .current_dir(&dir)
            .args(args)
            .env("GIT_AUTHOR_NAME", "Dev")
            .env("GIT_AUTHOR_EMAIL", "dev@example.com")
            .env("GIT_COMMITTER_NAME", "Dev")
            .env("GIT_COMMITTER_EMAIL", "dev@example.com")
            .output();
        match o {
            Ok(o) if o.status.success() => Some(o.stdout),
            _ => None,
        }
    };
    if git(&["init", "-q"]).is_none() {
        eprintln!("skipped: git not available");
        return;
    }
    std::fs::write(dir.join("app.py"), "import time\n").unwrap();
    git(&["add", "."]).unwrap();
    git(&["commit", "-qm", "init"]).unwrap();
    std::fs::write(dir.join("app.py"), "import time\ndef f():\n    return 1\n").unwrap();
    git(&["commit", "-qam", "Add f"]).unwrap();
    let note = "app.py\n  s_00112233445566::t_00112233445566 2-3\n---\n{\"schema_version\": \"authorship/3.0.0\", \"base_commit_sha\": \"x\", \"sessions\": {\"s_00112233445566\": {\"agent_id\": {\"tool\": \"cursor\", \"id\": \"1\", \"model\": \"gpt-5\"}}}}\n";
    git(&["notes", "--ref=ai", "add", "-m", note, "HEAD"]).unwrap();
    let patch = git(&["format-patch", "-1", "--stdout", "HEAD"]).unwrap();
    let out = bin()
        .current_dir(&dir)
        .args(["check", "-", "--format", "json"])
        .write_stdin(patch.clone())
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["authorship"]["ai_lines"], 2, "{v}");
    assert_eq!(v["authorship"]["lines"][0]["tool"], "cursor");
    let out = bin()
        .current_dir(&dir)
        .args(["check", "-", "--format", "json", "--no-git-notes"])
        .write_stdin(patch)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["authorship"]["ai_lines"], 0);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn check_reads_manifests() {
    let run = |extra: &[&str]| {
        let mut args = vec![
            "check",
            "tests/fixtures/ai/undeclared_import.diff",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        let out = bin().args(&args).output().unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["authorship"]["undeclared_imports"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(
        run(&["--manifest", "tests/fixtures/ai/undeclared_import.manifest"]),
        1
    );
    assert_eq!(run(&[]), 0, "no manifest, no judgement");
}
