//! `check --git` reads the changed files' full base and head contents from
//! git, so the syntax layer parses whole files; `--no-full-files` (or a diff
//! given as a file) parses the hunks only and says the results are partial.

mod common;

use assert_cmd::Command;
use common::git;
use std::path::{Path, PathBuf};

/// A method whose header is far above the changed line, so the hunk's
/// three context lines do not show it.
fn ledger(fee: &str) -> String {
    let mut s = String::from(
        "pub struct Ledger;\n\nimpl Ledger {\n    pub fn charge(&self, amount: u64) -> u64 {\n",
    );
    for i in 0..20 {
        s.push_str(&format!("        let step{i} = amount + {i};\n"));
    }
    s.push_str(&format!("        amount * {fee}\n    }}\n}}\n"));
    s
}

fn repo(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("br-full-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).unwrap();
    git(&dir, &["init", "-q"]);
    git(&dir, &["config", "user.email", "t@example.com"]);
    git(&dir, &["config", "user.name", "T"]);
    std::fs::write(dir.join("src/ledger.rs"), ledger("2")).unwrap();
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-qm", "init"]);
    dir
}

fn syntax_of(dir: &Path, args: &[&str]) -> serde_json::Value {
    let out = Command::cargo_bin("blastradius")
        .unwrap()
        .current_dir(dir)
        .args(["check", "--format", "json", "--fail-on", "critical"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = v["syntax"].as_array().unwrap();
    assert_eq!(files.len(), 1, "{files:?}");
    files[0].clone()
}

/// The innermost symbol of the changed new-side line 25.
fn symbol_of_line_25(f: &serde_json::Value) -> Option<serde_json::Value> {
    let line = f["lines"]
        .as_array()?
        .iter()
        .find(|l| l["side"] == "new" && l["line"] == 25)?;
    let i = line["symbol"].as_u64()? as usize;
    f["symbols"].get(i).cloned()
}

#[test]
fn committed_range_parses_full_files() {
    let dir = repo("range");
    std::fs::write(dir.join("src/ledger.rs"), ledger("3")).unwrap();
    git(&dir, &["commit", "-qam", "raise the fee"]);

    let full = syntax_of(&dir, &["--git", "HEAD~1..HEAD"]);
    assert_eq!(full["source"], "full", "{full}");
    assert_eq!(full["partial"], false, "{full}");
    let sym = symbol_of_line_25(&full).expect("line 25 has a symbol");
    assert_eq!(sym["name"], "charge", "{sym}");
    assert_eq!(sym["chain"], "impl Ledger > fn charge", "{sym}");
    assert_eq!(sym["line"], 4, "{sym}");

    // Hunks only: the method header is outside the hunk, so the symbol is
    // at best named from git's hunk header, and the result says partial.
    let part = syntax_of(&dir, &["--git", "HEAD~1..HEAD", "--no-full-files"]);
    assert_eq!(part["source"], "hunks", "{part}");
    assert_eq!(part["partial"], true, "{part}");
    assert!(
        symbol_of_line_25(&part).is_none_or(|s| s["line"] != 4),
        "{part}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn working_tree_changes_parse_full_files() {
    let dir = repo("worktree");
    std::fs::write(dir.join("src/ledger.rs"), ledger("3")).unwrap();
    let full = syntax_of(&dir, &["--git"]);
    assert_eq!(full["source"], "full", "{full}");
    assert_eq!(
        symbol_of_line_25(&full).expect("symbol")["chain"],
        "impl Ledger > fn charge"
    );
    // Two revisions and the three-dot form name the same sides.
    git(&dir, &["commit", "-qam", "raise the fee"]);
    for range in ["HEAD~1 HEAD", "HEAD~1...HEAD"] {
        let f = syntax_of(&dir, &["--git", range]);
        assert_eq!(f["source"], "full", "{range}: {f}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
