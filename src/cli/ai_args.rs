//! Authorship inputs for `check`: PR metadata, git-ai notes from the local
//! repository, Agent Trace files.

use blastradius::analyze::Options;
use std::process::Command;

#[derive(clap::Args, Default)]
pub struct AiArgs {
    /// Pull-request metadata as JSON: `{"author", "head_ref", "title",
    /// "body", "labels"}` (a file path).
    #[arg(long, value_name = "FILE")]
    pr_json: Option<String>,
    /// Agent Trace record(s) (JSON, array or JSON Lines); repeatable.
    #[arg(long, value_name = "FILE")]
    agent_trace: Vec<String>,
    /// Do not read git-ai notes (`refs/notes/ai`) from the repository in
    /// the current directory.
    #[arg(long)]
    no_git_notes: bool,
}

/// git-ai notes of the commits named in the input, read with
/// `git notes --ref=ai show <sha>` when the current directory is a git
/// repository. Commits without a note are skipped silently.
fn git_ai_notes(input: &[u8]) -> Vec<(String, String)> {
    let patch = blastradius::diff::parse(input);
    let mut out = Vec::new();
    if patch.commits.is_empty() {
        return out;
    }
    let in_repo = Command::new("git")
        .args(["rev-parse", "--git-dir"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !in_repo {
        return out;
    }
    for c in &patch.commits {
        let Some(sha) = c.sha.as_deref() else {
            continue;
        };
        if sha.len() < 7 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
            continue;
        }
        let Ok(o) = Command::new("git")
            .args(["notes", "--ref=ai", "show", sha])
            .stderr(std::process::Stdio::null())
            .output()
        else {
            // No git on PATH: nothing to read.
            return out;
        };
        if o.status.success() {
            out.push((
                sha.to_string(),
                String::from_utf8_lossy(&o.stdout).into_owned(),
            ));
        }
    }
    out
}

/// Fill the authorship fields of `opts`.
pub fn apply(a: &AiArgs, input: &[u8], opts: &mut Options) -> Result<(), String> {
    if let Some(p) = &a.pr_json {
        let text = std::fs::read_to_string(p).map_err(|e| format!("cannot read {p}: {e}"))?;
        opts.pr = Some(
            serde_json::from_str(&text).map_err(|e| format!("{p}: not PR metadata JSON: {e}"))?,
        );
    }
    for p in &a.agent_trace {
        opts.agent_traces
            .push(std::fs::read_to_string(p).map_err(|e| format!("cannot read {p}: {e}"))?);
    }
    if !a.no_git_notes {
        opts.ai_notes.extend(git_ai_notes(input));
    }
    Ok(())
}
