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
    /// A dependency manifest (`pyproject.toml`, `requirements.txt`,
    /// `package.json`, ...) for the undeclared-import check; repeatable.
    /// Without any, and with `--git`, the manifests at the top of the
    /// current git work tree are read.
    #[arg(long, value_name = "FILE")]
    manifest: Vec<String>,
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

/// Manifests at the top of the git work tree containing the current
/// directory, when the diff belongs to that tree (one of its paths exists
/// there): a patch from another project must not be judged against this
/// one's dependencies.
fn repo_manifests(input: &[u8]) -> Vec<(String, String)> {
    let Ok(o) = Command::new("git")
        .args(["rev-parse", "--show-toplevel"])
        .stderr(std::process::Stdio::null())
        .output()
    else {
        return Vec::new();
    };
    if !o.status.success() {
        return Vec::new();
    }
    let top = std::path::PathBuf::from(String::from_utf8_lossy(&o.stdout).trim());
    let patch = blastradius::diff::parse(input);
    let belongs = patch
        .files
        .iter()
        .filter_map(|f| f.old_path.as_deref().or(f.new_path.as_deref()))
        .take(50)
        .any(|p| !p.is_empty() && top.join(p).exists());
    if !belongs {
        return Vec::new();
    }
    [
        "pyproject.toml",
        "setup.py",
        "setup.cfg",
        "Pipfile",
        "requirements.txt",
        "requirements-dev.txt",
        "package.json",
    ]
    .iter()
    .filter_map(|name| {
        std::fs::read_to_string(top.join(name))
            .ok()
            .map(|t| (name.to_string(), t))
    })
    .collect()
}

/// Fill the authorship fields of `opts`.
/// `from_repo`: the input was read from the local repository (`--git`).
pub fn apply(a: &AiArgs, input: &[u8], from_repo: bool, opts: &mut Options) -> Result<(), String> {
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
    for p in &a.manifest {
        let text = std::fs::read_to_string(p).map_err(|e| format!("cannot read {p}: {e}"))?;
        opts.manifests.insert(p.clone(), text);
    }
    if a.manifest.is_empty() && from_repo {
        opts.manifests.extend(repo_manifests(input));
    }
    if !a.no_git_notes {
        opts.ai_notes.extend(git_ai_notes(input));
    }
    Ok(())
}
