//! Reading from a local git repository (CLI only; the core never runs
//! processes). Every helper returns a clear error string on failure.

use blastradius::syntax::FileContents;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

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
pub fn toplevel(dir: &Path) -> Option<std::path::PathBuf> {
    let out = git(dir, &["rev-parse", "--show-toplevel"]).ok()?;
    let s = String::from_utf8(out).ok()?;
    Some(std::path::PathBuf::from(s.trim()))
}

/// The two sides a `git diff` range compares: the base revision and the
/// head revision, `None` for the working tree. `None` overall for ranges
/// this cannot tell (options such as `--cached`, more than two revisions).
pub fn range_sides(dir: &Path, range: &str) -> Option<(String, Option<String>)> {
    let parts: Vec<&str> = range.split_whitespace().collect();
    if parts.iter().any(|p| p.starts_with('-')) {
        return None;
    }
    let or_head = |s: &str| {
        if s.is_empty() {
            "HEAD".to_string()
        } else {
            s.to_string()
        }
    };
    match parts.as_slice() {
        [] => Some(("HEAD".into(), None)),
        [one] => {
            if let Some((a, b)) = one.split_once("...") {
                let out = git(dir, &["merge-base", &or_head(a), &or_head(b)]).ok()?;
                let base = String::from_utf8(out).ok()?.trim().to_string();
                Some((base, Some(or_head(b))))
            } else if let Some((a, b)) = one.split_once("..") {
                Some((or_head(a), Some(or_head(b))))
            } else {
                Some((one.to_string(), None))
            }
        }
        [a, b] => Some((a.to_string(), Some(b.to_string()))),
        _ => None,
    }
}

/// Total bytes of full files read for one diff; past it the remaining
/// files are analysed from their hunks only.
pub const MAX_FULL_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Full base and head contents of the diff's changed text files, for the
/// syntax layer: blobs come from one `git cat-file --batch-check` and one
/// `git cat-file --batch` process, working-tree files from disk. Files over
/// `per_file` bytes (both sides), binary or non-UTF-8 files, and files past
/// [`MAX_FULL_FILE_BYTES`] in total are left out (their results are
/// partial). Errors mean no full files at all.
pub fn full_files(
    dir: &Path,
    patch: &blastradius::diff::Patch<'_>,
    base: &str,
    head: Option<&str>,
    per_file: usize,
) -> Result<BTreeMap<String, FileContents>, String> {
    use blastradius::diff::FileStatus;
    let top = toplevel(dir).ok_or("not inside a git work tree")?;
    // (key in the map, is head side, object spec or working-tree path)
    let mut wanted: Vec<(String, bool, String)> = Vec::new();
    for f in &patch.files {
        if f.binary {
            continue;
        }
        let new = f.new_path.as_deref().filter(|p| !p.contains('\n'));
        let old = f.old_path.as_deref().filter(|p| !p.contains('\n'));
        if let (Some(o), true) = (old, f.status != FileStatus::Added) {
            wanted.push((o.to_string(), false, format!("{base}:{o}")));
        }
        if let (Some(n), true) = (new, f.status != FileStatus::Deleted) {
            match head {
                Some(h) => wanted.push((n.to_string(), true, format!("{h}:{n}"))),
                None => wanted.push((n.to_string(), true, String::new())),
            }
        }
    }
    // Sizes first, so that no oversized blob is read at all.
    let specs: Vec<&str> = wanted
        .iter()
        .filter(|w| !w.2.is_empty())
        .map(|w| w.2.as_str())
        .collect();
    let sizes = cat_file(&top, "--batch-check", &specs)?;
    let mut size_of: BTreeMap<&str, u64> = BTreeMap::new();
    for (spec, out) in specs.iter().zip(&sizes) {
        if let Some(n) = out.size {
            size_of.insert(spec, n);
        }
    }
    let mut total = 0u64;
    let mut take: Vec<&str> = Vec::new();
    let mut disk: Vec<(String, std::path::PathBuf)> = Vec::new();
    for (key, _, spec) in &wanted {
        if spec.is_empty() {
            let p = top.join(key);
            let Ok(m) = std::fs::metadata(&p) else {
                continue;
            };
            if m.is_file() && m.len() <= per_file as u64 && total + m.len() <= MAX_FULL_FILE_BYTES {
                total += m.len();
                disk.push((key.clone(), p));
            }
        } else if let Some(&n) = size_of.get(spec.as_str()) {
            if n <= per_file as u64 && total + n <= MAX_FULL_FILE_BYTES {
                total += n;
                take.push(spec);
            }
        }
    }
    let blobs = cat_file(&top, "--batch", &take)?;
    let mut by_spec: BTreeMap<&str, String> = BTreeMap::new();
    for (spec, out) in take.iter().zip(blobs) {
        if let Some(text) = out.content.and_then(|b| String::from_utf8(b).ok()) {
            by_spec.insert(spec, text);
        }
    }
    let mut files: BTreeMap<String, FileContents> = BTreeMap::new();
    for (key, is_head, spec) in &wanted {
        let text = if spec.is_empty() {
            disk.iter()
                .find(|(k, _)| k == key)
                .and_then(|(_, p)| std::fs::read(p).ok())
                .and_then(|b| String::from_utf8(b).ok())
        } else {
            by_spec.remove(spec.as_str())
        };
        let Some(text) = text else { continue };
        let e = files.entry(key.clone()).or_default();
        if *is_head {
            e.head = Some(text);
        } else {
            e.base = Some(text);
        }
    }
    // A side over the per-file limit together with the other: drop both.
    files.retain(|_, c| {
        c.base.as_ref().map_or(0, String::len) + c.head.as_ref().map_or(0, String::len) <= per_file
    });
    Ok(files)
}

struct CatFileOut {
    size: Option<u64>,
    content: Option<Vec<u8>>,
}

/// Run `git cat-file <mode>` over object specs (one per line) and read one
/// answer per spec, in order.
fn cat_file(top: &Path, mode: &str, specs: &[&str]) -> Result<Vec<CatFileOut>, String> {
    if specs.is_empty() {
        return Ok(Vec::new());
    }
    let mut child = Command::new("git")
        .arg("-C")
        .arg(top)
        .args(["cat-file", mode])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("git cat-file: no stdin")?;
    let input: Vec<u8> = specs
        .iter()
        .flat_map(|s| format!("{s}\n").into_bytes())
        .collect();
    // Write from another thread: git answers while it reads, and a full
    // pipe in each direction would otherwise stall both processes.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let mut out = BufReader::new(child.stdout.take().ok_or("git cat-file: no stdout")?);
    let mut answers = Vec::with_capacity(specs.len());
    let mut header = Vec::new();
    for _ in specs {
        header.clear();
        if out
            .read_until(b'\n', &mut header)
            .map_err(|e| e.to_string())?
            == 0
        {
            break;
        }
        // "<oid> <type> <size>", or "<spec> missing" / "<spec> ambiguous".
        let h = String::from_utf8_lossy(&header).trim_end().to_string();
        let toks: Vec<&str> = h.split(' ').collect();
        let object = match toks.as_slice() {
            [_, kind, n] => n.parse::<u64>().ok().map(|n| (*kind == "blob", n)),
            _ => None,
        };
        let mut size = None;
        let mut content = None;
        if let Some((blob, n)) = object {
            size = blob.then_some(n);
            if mode == "--batch" {
                // The object's bytes, then a newline.
                let mut buf = Vec::new();
                (&mut out)
                    .take(n + 1)
                    .read_to_end(&mut buf)
                    .map_err(|e| e.to_string())?;
                if buf.len() as u64 != n + 1 {
                    return Err("git cat-file ended inside an object".into());
                }
                buf.pop();
                content = blob.then_some(buf);
            }
        }
        answers.push(CatFileOut { size, content });
    }
    let _ = writer.join();
    let _ = child.wait();
    if answers.len() != specs.len() {
        return Err("git cat-file ended early".into());
    }
    Ok(answers)
}

/// The history of the changed files for the analysis options, at the base
/// of `range` (`None`: a diff of the work tree against `HEAD`). `None`
/// outside a git work tree or for a range git cannot resolve.
pub fn history_for(
    dir: &Path,
    patch: &blastradius::diff::Patch<'_>,
    range: Option<&str>,
) -> Option<blastradius::risk::history::HistoryInput> {
    let (base, head) = match range {
        Some(r) => range_sides(dir, r)?,
        None => ("HEAD".to_string(), None),
    };
    history_at(dir, patch, &base, head.as_deref())
}

/// [`history`] in the work tree containing `dir`: `None` outside one; a git
/// failure is reported on stderr and gives `None` (the analysis goes on
/// without churn and ownership).
pub fn history_at(
    dir: &Path,
    patch: &blastradius::diff::Patch<'_>,
    base: &str,
    head: Option<&str>,
) -> Option<blastradius::risk::history::HistoryInput> {
    let top = toplevel(dir)?;
    match history(&top, patch, base, head) {
        Ok(h) => Some(h),
        Err(e) => {
            eprintln!("blastradius: history not read ({e}); no churn or ownership facts");
            None
        }
    }
}

/// At most this many commits are read for the history of the changed files.
pub const MAX_HISTORY_COMMITS: usize = 5000;

/// The history of `patch`'s changed files before `base`, read in the work
/// tree `top`: every commit (merges left out, at most
/// [`MAX_HISTORY_COMMITS`]) that touched one of their base paths, with its
/// author and time; the change's author and time from `head` (or, for the
/// working tree, `user.email` and now).
fn history(
    top: &Path,
    patch: &blastradius::diff::Patch<'_>,
    base: &str,
    head: Option<&str>,
) -> Result<blastradius::risk::history::HistoryInput, String> {
    use blastradius::risk::history::{HistoryInput, Touch};
    let paths: Vec<String> = patch
        .files
        .iter()
        .filter_map(|f| f.old_path.as_deref().or(f.new_path.as_deref()))
        .filter(|p| !p.contains('\n'))
        .map(str::to_string)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut input = HistoryInput::default();
    if paths.is_empty() {
        return Ok(input);
    }
    let max = format!("--max-count={MAX_HISTORY_COMMITS}");
    // Records: \x1e author-email \x1f author-time \n paths...
    let mut args: Vec<&str> = vec![
        "log",
        "--no-merges",
        "--no-renames",
        &max,
        "--format=%x1e%ae%x1f%at",
        "--name-only",
        base,
        "--",
    ];
    args.extend(paths.iter().map(String::as_str));
    let out = git(top, &args)?;
    let text = String::from_utf8_lossy(&out);
    let wanted: std::collections::BTreeSet<&str> = paths.iter().map(String::as_str).collect();
    let mut commits = 0usize;
    for rec in text.split('\x1e').skip(1) {
        commits += 1;
        let mut lines = rec.lines();
        let Some((author, time)) = lines.next().and_then(|h| h.split_once('\x1f')) else {
            continue;
        };
        let Ok(time) = time.trim().parse::<i64>() else {
            continue;
        };
        for p in lines.map(str::trim).filter(|p| wanted.contains(p)) {
            input.files.entry(p.to_string()).or_default().push(Touch {
                author: author.to_string(),
                time,
            });
        }
    }
    input.truncated = commits >= MAX_HISTORY_COMMITS;
    let (author, now) = match head {
        Some(h) => {
            let out = git(top, &["log", "-1", "--format=%ae%x1f%at", h])?;
            let s = String::from_utf8_lossy(&out).trim().to_string();
            let (a, t) = s.split_once('\x1f').unwrap_or((s.as_str(), ""));
            (Some(a.to_string()), t.trim().parse::<i64>().ok())
        }
        None => {
            let email = git(top, &["config", "user.email"])
                .ok()
                .map(|o| String::from_utf8_lossy(&o).trim().to_string())
                .filter(|s| !s.is_empty());
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .ok()
                .map(|d| d.as_secs() as i64);
            (email, now)
        }
    };
    input.author = author.filter(|a| !a.is_empty());
    input.now = now;
    Ok(input)
}
