//! `check --git` and `risk` in a git repository read the changed files'
//! earlier commits: churn, ownership and whether the author is new to a
//! file appear in the report and as fixed-prior factors of the risk score.

mod common;

use assert_cmd::Command;
use common::git_env as git;
use std::path::{Path, PathBuf};

const DAY: i64 = 86_400;
const NOW: i64 = 1_750_000_000;

/// Commit everything as `email` at `days_ago` days before NOW.
fn commit(dir: &Path, email: &str, days_ago: i64, msg: &str) {
    let when = format!("@{} +0000", NOW - days_ago * DAY);
    let env = [
        ("GIT_AUTHOR_EMAIL", email.to_string()),
        ("GIT_AUTHOR_NAME", email.to_string()),
        ("GIT_COMMITTER_EMAIL", email.to_string()),
        ("GIT_COMMITTER_NAME", email.to_string()),
        ("GIT_AUTHOR_DATE", when.clone()),
        ("GIT_COMMITTER_DATE", when),
    ];
    git(dir, &env, &["add", "-A"]);
    git(dir, &env, &["commit", "-qm", msg]);
}

/// billing.py: 12 commits by three people in the last 60 days (a hotspot);
/// notes.py: one commit by the change's author, long ago. The last commit
/// (by carol) changes both.
fn repo(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("br-history-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("app")).unwrap();
    git(&dir, &[], &["init", "-q"]);
    std::fs::write(dir.join("app/notes.py"), "NOTE = 1\n").unwrap();
    commit(&dir, "carol@example.com", 900, "notes");
    for i in 0..12 {
        let who = ["ann@example.com", "bob@example.com", "dan@example.com"][i % 3];
        std::fs::write(
            dir.join("app/billing.py"),
            format!("def fee(amount):\n    return amount * {}\n", i + 2),
        )
        .unwrap();
        commit(&dir, who, 60 - 5 * i as i64, &format!("fee {i}"));
    }
    std::fs::write(
        dir.join("app/billing.py"),
        "def fee(amount):\n    return amount * 99\n",
    )
    .unwrap();
    std::fs::write(dir.join("app/notes.py"), "NOTE = 2\n").unwrap();
    commit(&dir, "carol@example.com", 0, "change both");
    dir
}

fn run(dir: &Path, args: &[&str]) -> (String, String) {
    let out = Command::cargo_bin("blastradius")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn check_git_reports_churn_ownership_and_new_to_author() {
    let dir = repo("check");
    let (json, _) = run(
        &dir,
        &["check", "--git", "HEAD~1..HEAD", "--format", "json"],
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let h = &v["history"];
    let files = h["files"].as_array().unwrap();
    assert_eq!(files.len(), 2, "{h}");
    let billing = &files[0];
    assert_eq!(billing["path"], "app/billing.py");
    assert_eq!(billing["prior_changes"], 12);
    assert_eq!(billing["recent_changes"], 12);
    assert_eq!(billing["authors"], 3);
    assert_eq!(billing["days_since_last_change"], 5);
    assert_eq!(billing["new_to_author"], true);
    let notes = &files[1];
    assert_eq!(notes["path"], "app/notes.py");
    assert_eq!(notes["prior_changes"], 1);
    assert_eq!(notes["recent_changes"], 0);
    assert_eq!(notes["new_to_author"], false);
    assert_eq!(h["hotspots"], serde_json::json!(["app/billing.py"]));
    assert_eq!(h["new_to_author"], serde_json::json!(["app/billing.py"]));
    // The priors show in the score's explanation.
    let names: Vec<&str> = v["risk"]["factors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["name"].as_str())
        .collect();
    assert!(names.contains(&"churn"), "{names:?}");
    assert!(names.contains(&"new_to_author"), "{names:?}");

    let (text, _) = run(&dir, &["check", "--git", "HEAD~1..HEAD"]);
    assert!(
        text.contains("app/billing.py: 12 changes (12 in the last 90 days) by 3 authors, last changed 5 days before [churn hotspot, new to the author]"),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn without_history_the_report_has_none_and_with_it_the_priors_raise_the_score() {
    let dir = repo("none");
    let diff = std::process::Command::new("git")
        .arg("-C")
        .arg(&dir)
        .args(["diff", "HEAD~1", "HEAD"])
        .output()
        .unwrap()
        .stdout;
    // A diff given on stdin, outside any repository: no history.
    let out = Command::cargo_bin("blastradius")
        .unwrap()
        .current_dir(std::env::temp_dir())
        .args(["check", "-", "--format", "json"])
        .write_stdin(diff)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.get("history").is_none(), "{v}");
    let with: serde_json::Value = serde_json::from_str(
        &run(
            &dir,
            &["check", "--git", "HEAD~1..HEAD", "--format", "json"],
        )
        .0,
    )
    .unwrap();
    assert!(
        with["risk"]["score"].as_f64().unwrap() > v["risk"]["score"].as_f64().unwrap(),
        "history priors raise the score: {} vs {}",
        with["risk"]["score"],
        v["risk"]["score"]
    );
    // `risk` in the repository reads history too.
    let (risk, _) = run(&dir, &["risk", "--git", "HEAD~1..HEAD", "--format", "json"]);
    let r: serde_json::Value = serde_json::from_str(&risk).unwrap();
    assert_eq!(r["history"]["files"][0]["path"], "app/billing.py");
    let _ = std::fs::remove_dir_all(&dir);
}
