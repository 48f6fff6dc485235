//! Helpers shared by the integration tests that build git repositories.
#![allow(dead_code)]

use std::path::Path;

/// Run `git -C dir args…` with extra environment variables; panics with
/// git's message when it fails.
pub fn git_env(dir: &Path, env: &[(&str, String)], args: &[&str]) {
    let st = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&st.stderr)
    );
}

/// Run `git -C dir args…`; panics with git's message when it fails.
pub fn git(dir: &Path, args: &[&str]) {
    git_env(dir, &[], args)
}
