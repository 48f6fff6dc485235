//! `blastradius risk`: the risk stage on its own, with the repository read
//! from disk for blast radius (fan-in of changed symbols, dependents of
//! changed files).

use super::{read_input, EXIT_ERROR, EXIT_OK};
use blastradius::analyze::{analyze, Options};
use blastradius::risk::blast::{self, RepoFile, RepoIndex};
use blastradius::risk::features::PatchFacts;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// The diff or patch file; `-` or nothing for standard input.
    file: Option<String>,
    /// Read the diff from the git repository instead: a revision range
    /// (`main...HEAD`); `--git ''` for the working tree against HEAD.
    #[arg(long)]
    git: Option<String>,
    /// Repository root for blast radius. Defaults to the current git work
    /// tree when there is one; without it the estimate is partial.
    #[arg(long)]
    repo: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: RiskFormat,
    /// Critical lines to print in text output.
    #[arg(long, default_value_t = 50)]
    lines: usize,
}

#[derive(Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
enum RiskFormat {
    Text,
    Json,
}

/// Files larger than this are not read for blast radius.
const MAX_FILE_BYTES: u64 = 1024 * 1024;
/// At most this many files are read.
const MAX_FILES: usize = 50_000;

/// Read the text files of a repository (binaries, files over 1 MiB and
/// symbolic links skipped), sorted by path. In a git work tree these are
/// the files git lists (tracked, and untracked ones it does not ignore), so
/// build output, virtual environments and vendored dependencies the
/// repository ignores are neither read nor counted as references;
/// elsewhere every file under the root except `.git`, `target`,
/// `node_modules`, `.hg` and `.svn`.
pub fn read_repo(root: &Path) -> RepoIndex {
    let mut paths = listed_by_git(root).unwrap_or_else(|| walk(root));
    // Sorted once, so the files come out in path order (and the cap keeps
    // the same ones every run); git lists an unmerged path once per stage.
    paths.sort();
    paths.dedup();
    let mut files = Vec::new();
    for rel in paths {
        if files.len() >= MAX_FILES {
            break;
        }
        let p = root.join(&rel);
        let Ok(meta) = std::fs::symlink_metadata(&p) else {
            continue;
        };
        if !meta.is_file() || meta.len() > MAX_FILE_BYTES {
            continue;
        }
        let Ok(bytes) = std::fs::read(&p) else {
            continue;
        };
        if memchr::memchr(0, &bytes[..bytes.len().min(8000)]).is_some() {
            continue;
        }
        files.push(RepoFile {
            path: rel,
            // Valid UTF-8 (nearly every file) is taken as it is, uncopied.
            text: String::from_utf8(bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        });
    }
    RepoIndex { files }
}

/// The files git lists under `root` (paths relative to it), or `None`
/// when `root` is not in a git work tree or git cannot run.
fn listed_by_git(root: &Path) -> Option<Vec<String>> {
    let out = super::git::git(
        root,
        &[
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ],
    )
    .ok()?;
    Some(
        out.split(|b| *b == 0)
            .filter(|p| !p.is_empty())
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .collect(),
    )
}

/// Every file under `root` except version-control and build directories,
/// as `/`-separated paths relative to it.
fn walk(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        let mut entries: Vec<_> = rd.flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let Ok(ft) = e.file_type() else { continue };
            if ft.is_symlink() {
                continue;
            }
            let p = e.path();
            if ft.is_dir() {
                let name = e.file_name();
                if !matches!(
                    name.to_str(),
                    Some(".git" | "target" | "node_modules" | ".hg" | ".svn")
                ) {
                    stack.push(p);
                }
                continue;
            }
            out.push(
                p.strip_prefix(root)
                    .unwrap_or(&p)
                    .to_string_lossy()
                    .replace('\\', "/"),
            );
            // Room for the binaries and big files read_repo skips.
            if out.len() >= MAX_FILES * 4 {
                return out;
            }
        }
    }
    out
}

pub fn run(a: Args) -> i32 {
    let cwd = PathBuf::from(".");
    let input = match &a.git {
        Some(range) => super::git::diff(&cwd, range),
        None => read_input(a.file.as_deref()),
    };
    let input = match input {
        Ok(b) => b,
        Err(e) => {
            eprintln!("blastradius: {e}");
            return EXIT_ERROR;
        }
    };
    // With a git repository: churn and ownership of the changed files
    // before the change (at the range's base; HEAD for a diff file).
    let mut opts = Options::default();
    let hist_dir = a
        .repo
        .as_deref()
        .map(PathBuf::from)
        .unwrap_or_else(|| cwd.clone());
    let patch = blastradius::diff::parse(&input);
    opts.history = super::git::history_for(&hist_dir, &patch, a.git.as_deref());
    let mut report = match analyze(&input, &opts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("blastradius: {e}");
            return EXIT_ERROR;
        }
    };
    let root = match &a.repo {
        Some(r) => Some(PathBuf::from(r)),
        None => super::git::toplevel(&cwd),
    };
    if let Some(root) = root {
        if !root.is_dir() {
            eprintln!("blastradius: --repo {}: not a directory", root.display());
            return EXIT_ERROR;
        }
        let idx = read_repo(&root);
        let facts = PatchFacts::new(&patch);
        let ctx = blastradius::risk::context_from_stages(&report.syntax, &report.findings, None);
        report.blast_radius = blast::estimate(&facts, &ctx.wide_paths, Some(&idx));
    }
    if a.format == RiskFormat::Json {
        let v = serde_json::json!({
            "risk": report.risk,
            "critical_lines": report.critical_lines,
            "blast_radius": report.blast_radius,
            "effort": report.effort,
            "history": report.history,
        });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        let mut s = String::new();
        blastradius::risk::text::render(
            &mut s,
            &report.risk,
            &report.critical_lines,
            &report.blast_radius,
            &report.effort,
            a.lines,
        );
        if let Some(h) = &report.history {
            blastradius::risk::text::render_history(&mut s, h);
        }
        print!("{s}");
    }
    EXIT_OK
}
