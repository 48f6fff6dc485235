//! Reading from a local git repository (CLI only; the core never runs
//! processes). Every helper returns a clear error string on failure.

use std::path::Path;
use std::process::Command;

/// Run git with arguments in `dir`, returning stdout bytes.
pub fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "`git {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(out.stdout)
}

/// The diff for a revision range as `git diff -M` prints it. `range` is
/// anything `git diff` accepts (`main...HEAD`, `HEAD~3`, `a b`); an empty
/// range means the working tree against `HEAD`.
pub fn diff(dir: &Path, range: &str) -> Result<Vec<u8>, String> {
    let mut args = vec!["diff", "-M", "--no-color", "--no-ext-diff"];
    let parts: Vec<&str> = range.split_whitespace().collect();
    if parts.is_empty() {
        args.push("HEAD");
    } else {
        args.extend(parts);
    }
    git(dir, &args)
}

/// A file's contents at a revision, or `None` if it does not exist there.
#[allow(dead_code)]
pub fn show_file(dir: &Path, rev: &str, path: &str) -> Option<Vec<u8>> {
    git(dir, &["show", &format!("{rev}:{path}")]).ok()
}

/// The top of the work tree containing `dir`, if any.
#[allow(dead_code)]
pub fn toplevel(dir: &Path) -> Option<std::path::PathBuf> {
    let out = git(dir, &["rev-parse", "--show-toplevel"]).ok()?;
    let s = String::from_utf8(out).ok()?;
    Some(std::path::PathBuf::from(s.trim()))
}
