//! The `blastradius check` contract: formats, exit codes, errors.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;

fn bin() -> Command {
    Command::cargo_bin("blastradius").unwrap()
}

const MIXED: &str = "tests/fixtures/report/mixed.diff";

#[test]
fn json_contract_fields() {
    let out = bin()
        .args(["check", MIXED, "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "high findings fail by default");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = v["findings"].as_array().unwrap();
    assert!(findings.len() >= 3);
    for f in findings {
        for key in [
            "rule_id",
            "category",
            "severity",
            "confidence",
            "path",
            "side",
            "line",
            "end_line",
            "message",
            "explanation",
            "evidence",
            "docs",
        ] {
            assert!(f.get(key).is_some(), "finding lacks `{key}`: {f}");
        }
    }
    let tls = findings
        .iter()
        .find(|f| f["rule_id"] == "tls-verify-disabled")
        .unwrap();
    assert_eq!(tls["path"], "app/client.py");
    assert_eq!(tls["side"], "new");
    assert_eq!(tls["line"], 12);
    let test = findings
        .iter()
        .find(|f| f["rule_id"] == "test-deleted")
        .unwrap();
    assert_eq!(test["side"], "old");
    assert_eq!(test["path"], "src/auth.rs");
    assert_eq!(test["line"], 45);
    assert_eq!(test["end_line"], 48);
}

#[test]
fn fail_on_threshold_sets_exit_code() {
    bin()
        .args(["check", MIXED, "--fail-on", "critical"])
        .assert()
        .code(0);
    bin()
        .args(["check", MIXED, "--fail-on", "warning"])
        .assert()
        .code(1);
    bin()
        .args(["check", "tests/fixtures/report/clean.diff"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 findings"));
}

#[test]
fn reads_standard_input() {
    let input = std::fs::read(MIXED).unwrap();
    bin()
        .args(["check", "-", "--format", "text"])
        .write_stdin(input)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("destructive-sql"));
}

#[test]
fn bad_input_is_a_clear_error_with_exit_2() {
    bin()
        .args(["check", "-"])
        .write_stdin("this is not a diff\nat all\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("contains no diff"));
    bin()
        .args(["check", "tests/fixtures/report/no-such-file.diff"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read"));
    bin()
        .args(["check", MIXED, "--fail-on", "severe"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown severity"));
}

#[test]
fn every_format_renders() {
    for fmt in ["text", "json", "sarif", "markdown", "html"] {
        let out = bin()
            .args(["check", MIXED, "--format", fmt])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{fmt}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("destructive-sql"),
            "{fmt}"
        );
    }
}

#[test]
fn reads_a_diff_from_git() {
    let dir = std::env::temp_dir().join(format!("br-git-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let git = |args: &[&str]| common::git(&dir, args);
    git(&["init", "-q"]);
    git(&["config", "user.email", "t@example.com"]);
    git(&["config", "user.name", "T"]);
    std::fs::write(dir.join("schema.sql"), "CREATE TABLE t (id int);\n").unwrap();
    git(&["add", "."]);
    git(&["commit", "-qm", "init"]);
    std::fs::write(
        dir.join("schema.sql"),
        "CREATE TABLE t (id int);\nDROP TABLE t;\n",
    )
    .unwrap();
    let out = bin()
        .current_dir(&dir)
        .args(["check", "--format", "json", "--git"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["findings"][0]["rule_id"], "destructive-sql");
    assert_eq!(v["findings"][0]["path"], "schema.sql");
    assert_eq!(v["findings"][0]["line"], 2);
    git(&["commit", "-qam", "drop"]);
    bin()
        .current_dir(&dir)
        .args(["check", "--git", "HEAD~1 HEAD"])
        .assert()
        .code(1);
    bin()
        .current_dir(&dir)
        .args(["check", "--git", "no-such-rev"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("failed"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_closed_pipe_ends_quietly() {
    // `blastradius check big.diff | head -c 10`: no panic message when the
    // reader goes away. Enough findings that the JSON is far larger than a
    // pipe's buffer, so the write really fails.
    let mut diff =
        String::from("diff --git a/m.sql b/m.sql\n--- a/m.sql\n+++ b/m.sql\n@@ -0,0 +1,3000 @@\n");
    for i in 0..3000 {
        diff.push_str(&format!("+DROP TABLE t{i};\n"));
    }
    let file = std::env::temp_dir().join(format!("br-pipe-{}.diff", std::process::id()));
    std::fs::write(&file, diff).unwrap();
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "{} check {} --format json | head -c 10 >/dev/null",
            env!("CARGO_BIN_EXE_blastradius"),
            file.display()
        ))
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&file);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn documented_policy_example_is_valid() {
    // The example in src/policy.rs's docs (and the README), copied to a
    // fixture: it must load without diagnostics and take effect.
    let out = bin()
        .args([
            "check",
            "examples/pr-account-cleanup.diff",
            "--policy",
            "tests/fixtures/policy-example.toml",
            "--ai-assisted",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("policy is ignored"), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["rule_id"].as_str())
        .collect();
    assert!(ids.contains(&"signoff-required"), "{ids:?}");
    // `todo-added` is disabled by the example; the migration is load-bearing.
    assert!(!ids.contains(&"todo-added"), "{ids:?}");
    assert!(ids.contains(&"load-bearing-changed"), "{ids:?}");
}

#[test]
fn a_bad_policy_given_by_path_is_named_by_that_path() {
    let policy = std::env::temp_dir().join(format!("br-policy-{}.toml", std::process::id()));
    std::fs::write(&policy, "[rules]\ndisable = [\"todo-added\"\n").unwrap();
    let out = bin()
        .args([
            "check",
            "examples/pr-account-cleanup.diff",
            "--fail-on",
            "critical",
            "--policy",
        ])
        .arg(&policy)
        .output()
        .unwrap();
    // The built-in rules still ran.
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("destructive-sql"));
    let err = String::from_utf8_lossy(&out.stderr);
    let want = format!("blastradius: {}:", policy.display());
    assert!(err.contains(&want), "{err}");
    assert!(!err.contains(".blastradius.toml"), "{err}");
    let _ = std::fs::remove_file(&policy);
}
