//! The `blastradius check` contract: formats, exit codes, errors.

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
