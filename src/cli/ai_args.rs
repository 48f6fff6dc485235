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

/// git-ai notes of the commits named in the input, when the current
/// directory is a git repository: one `git notes --ref=ai list` for the
/// note index, then `git cat-file blob` only for the commits that have a
/// note. Commits without a note, or no repository, give nothing.
fn git_ai_notes(input: &[u8]) -> Vec<(String, String)> {
    let patch = blastradius::diff::parse(input);
    let mut out = Vec::new();
    let shas: Vec<String> = patch
        .commits
        .iter()
        .filter_map(|c| c.sha.as_deref())
        .filter(|s| s.len() >= 7 && s.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_ascii_lowercase)
        .collect();
    if shas.is_empty() {
        return out;
    }
    let Ok(list) = Command::new("git")
        .args(["notes", "--ref=ai", "list"])
        .stderr(std::process::Stdio::null())
        .output()
    else {
        return out;
    };
    if !list.status.success() {
        return out;
    }
    // `<note blob> <annotated commit>` per line.
    let index: Vec<(String, String)> = String::from_utf8_lossy(&list.stdout)
        .lines()
        .filter_map(|l| {
            let (blob, commit) = l.trim().split_once(' ')?;
            Some((blob.to_string(), commit.to_ascii_lowercase()))
        })
        .collect();
    for sha in shas {
        let Some((blob, commit)) = index
            .iter()
            .find(|(_, c)| c.starts_with(&sha) || sha.starts_with(c.as_str()))
        else {
            continue;
        };
        if let Ok(o) = Command::new("git")
            .args(["cat-file", "blob", blob])
            .output()
        {
            if o.status.success() {
                out.push((
                    commit.clone(),
                    String::from_utf8_lossy(&o.stdout).into_owned(),
                ));
            }
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
