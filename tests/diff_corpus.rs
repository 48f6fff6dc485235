//! Agreement with git on real history.
//!
//! Every `../shared/corpus/diffs/*.diff` is parsed and compared with git's own
//! reading of it (`git apply --numstat --summary`, stored next to it as
//! `.numstat`): the exact text, and structurally every file's path, status,
//! added and deleted counts. There are no exceptions: every file must agree.
//!
//! Every stream in `../shared/corpus/streams` (combined merge diffs,
//! format-patch mboxes, `git log -p`) must parse with no diagnostics, and its
//! commits, authors, subjects, trailers and files are checked against facts
//! counted independently from the raw text here.

use blastradius::diff::{self, FileStatus};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn corpus(sub: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(sub);
    assert!(
        d.is_dir(),
        "corpus directory {} is missing: clone shared/ beside the crate",
        d.display()
    );
    d
}

fn files_with_ext(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    v.sort();
    v
}

/// Decode a C-quoted path as git writes it (test-local, independent of the
/// reader's own decoder).
fn git_unquote(s: &str) -> String {
    let Some(inner) = s.strip_prefix('"').and_then(|s| s.strip_suffix('"')) else {
        return s.to_string();
    };
    let b = inner.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 1 < b.len() {
            let c = b[i + 1];
            if c.is_ascii_digit() && i + 3 < b.len() + 1 {
                let oct = std::str::from_utf8(&b[i + 1..i + 4]).unwrap();
                out.push(u8::from_str_radix(oct, 8).unwrap());
                i += 4;
                continue;
            }
            out.push(match c {
                b't' => b'\t',
                b'n' => b'\n',
                b'r' => b'\r',
                b'a' => 7,
                b'b' => 8,
                b'v' => 11,
                b'f' => 12,
                other => other,
            });
            i += 2;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Expand git's `pre/{old => new}/post` rename notation.
fn expand_rename(s: &str) -> (String, String) {
    match (s.find('{'), s.find(" => "), s.rfind('}')) {
        (Some(a), Some(m), Some(z)) if a < m && m < z => {
            let (pre, post) = (&s[..a], &s[z + 1..]);
            (
                format!("{pre}{}{post}", &s[a + 1..m]),
                format!("{pre}{}{post}", &s[m + 4..z]),
            )
        }
        _ => {
            let (o, n) = s.split_once(" => ").unwrap();
            (o.to_string(), n.to_string())
        }
    }
}

#[derive(Debug)]
struct OracleFile {
    added: Option<u32>,
    deleted: Option<u32>,
    path: String,
}

/// What git's summary says about a path.
#[derive(Debug, Default, Clone)]
struct OracleSummary {
    status: Option<FileStatus>,
    old_path: Option<String>,
    similarity: Option<u8>,
    mode_change: Option<(u32, u32)>,
}

fn read_oracle(text: &str) -> (Vec<OracleFile>, HashMap<String, OracleSummary>) {
    let mut files = Vec::new();
    let mut sums: HashMap<String, OracleSummary> = HashMap::new();
    let mut last_rename: Option<String> = None;
    for line in text.lines() {
        if let Some(s) = line.strip_prefix(' ') {
            let (word, rest) = s.split_once(' ').unwrap();
            match word {
                "create" | "delete" => {
                    let rest = rest.strip_prefix("mode ").unwrap();
                    let (_, path) = rest.split_once(' ').unwrap();
                    let e = sums.entry(path.to_string()).or_default();
                    e.status = Some(if word == "create" {
                        FileStatus::Added
                    } else {
                        FileStatus::Deleted
                    });
                    last_rename = None;
                }
                "rename" | "copy" => {
                    let (names, pct) = rest.rsplit_once(" (").unwrap();
                    let (old, new) = expand_rename(names);
                    let e = sums.entry(new.clone()).or_default();
                    e.status = Some(if word == "rename" {
                        FileStatus::Renamed
                    } else {
                        FileStatus::Copied
                    });
                    e.old_path = Some(old);
                    e.similarity = pct.trim_end_matches("%)").parse().ok();
                    last_rename = Some(new);
                }
                "mode" => {
                    let rest = rest.strip_prefix("change ").unwrap();
                    let mut it = rest.splitn(4, ' ');
                    let o = u32::from_str_radix(it.next().unwrap(), 8).unwrap();
                    assert_eq!(it.next(), Some("=>"));
                    let n = u32::from_str_radix(it.next().unwrap(), 8).unwrap();
                    let path = match it.next() {
                        Some(p) => p.to_string(),
                        None => last_rename
                            .clone()
                            .expect("nameless mode change follows a rename"),
                    };
                    sums.entry(path).or_default().mode_change = Some((o, n));
                }
                other => panic!("unknown summary line kind {other:?}: {line}"),
            }
        } else {
            let mut it = line.splitn(3, '\t');
            let a = it.next().unwrap();
            let d = it.next().unwrap();
            let p = it.next().unwrap();
            files.push(OracleFile {
                added: a.parse().ok(),
                deleted: d.parse().ok(),
                path: git_unquote(p),
            });
        }
    }
    (files, sums)
}

#[test]
fn every_corpus_diff_agrees_with_git_apply_numstat_summary() {
    let dir = corpus("diffs");
    let diffs = files_with_ext(&dir, "diff");
    assert!(
        diffs.len() >= 100,
        "expected the full corpus, found {}",
        diffs.len()
    );
    let mut failures = Vec::new();
    let (mut n_files, mut n_binary, mut n_renamed) = (0, 0, 0);
    for path in &diffs {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let input = std::fs::read(path).unwrap();
        let oracle = std::fs::read_to_string(path.with_extension("numstat")).unwrap();
        let patch = diff::parse(&input);

        // 1. Exact text, byte for byte.
        let ours = format!("{}{}", diff::numstat(&patch), diff::summary(&patch));
        if ours != oracle {
            failures.push(format!(
                "{name}: text differs\n--- ours\n{ours}--- git\n{oracle}"
            ));
            continue;
        }
        if !patch.diagnostics.is_empty() {
            failures.push(format!("{name}: diagnostics {:?}", patch.diagnostics));
        }

        // 2. Structurally, file by file.
        let (ofiles, sums) = read_oracle(&oracle);
        if ofiles.len() != patch.files.len() {
            failures.push(format!(
                "{name}: {} files, git has {}",
                patch.files.len(),
                ofiles.len()
            ));
            continue;
        }
        for (f, o) in patch.files.iter().zip(&ofiles) {
            n_files += 1;
            let what = format!("{name}: {}", o.path);
            if f.path() != o.path {
                failures.push(format!("{what}: path {:?}", f.path()));
            }
            match (o.added, o.deleted) {
                (Some(a), Some(d)) => {
                    if f.binary || (f.added, f.deleted) != (a, d) {
                        failures.push(format!(
                            "{what}: +{} -{} binary={}, git +{a} -{d}",
                            f.added, f.deleted, f.binary
                        ));
                    }
                    // The counts must also be what the hunk lines say.
                    let lines = f.hunks.iter().flat_map(|h| &h.lines);
                    let added = lines
                        .clone()
                        .filter(|l| l.kind == diff::LineKind::Added)
                        .count();
                    let deleted = lines.filter(|l| l.kind == diff::LineKind::Removed).count();
                    assert_eq!((added as u32, deleted as u32), (a, d), "{what}: hunk lines");
                }
                _ => {
                    n_binary += 1;
                    if !f.binary {
                        failures.push(format!("{what}: git says binary"));
                    }
                }
            }
            let s = sums.get(&o.path).cloned().unwrap_or_default();
            let want = match s.status {
                Some(st) => st,
                None if s.mode_change.is_some()
                    && f.hunks.is_empty()
                    && !f.binary
                    && f.old_oid.is_none() =>
                {
                    FileStatus::ModeOnly
                }
                None => FileStatus::Modified,
            };
            if f.status != want {
                failures.push(format!("{what}: status {:?}, git {:?}", f.status, want));
            }
            if want == FileStatus::Renamed {
                n_renamed += 1;
                if f.old_path.as_deref() != s.old_path.as_deref() {
                    failures.push(format!(
                        "{what}: old path {:?} vs {:?}",
                        f.old_path, s.old_path
                    ));
                }
                if f.similarity != s.similarity {
                    failures.push(format!("{what}: similarity {:?}", f.similarity));
                }
            }
            if let Some((o_mode, n_mode)) = s.mode_change {
                if (f.old_mode, f.new_mode) != (Some(o_mode), Some(n_mode)) {
                    failures.push(format!("{what}: modes {:?} {:?}", f.old_mode, f.new_mode));
                }
            }
            match f.status {
                FileStatus::Added => {
                    assert!(f.old_path.is_none() && f.new_path.is_some(), "{what}")
                }
                FileStatus::Deleted => {
                    assert!(f.new_path.is_none() && f.old_path.is_some(), "{what}")
                }
                _ => assert!(f.new_path.is_some() && f.old_path.is_some(), "{what}"),
            }
        }
    }
    eprintln!(
        "corpus: {} diffs, {n_files} files ({n_binary} binary, {n_renamed} renamed); {} failures",
        diffs.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} corpus diffs disagree with git:\n{}",
        failures.len(),
        diffs.len(),
        failures.join("\n")
    );
}

/// One commit of a stream, read independently with plain string handling.
#[derive(Debug)]
struct RawCommit {
    sha: String,
    author: String,
    subject: String,
    signed_off: Vec<String>,
    co_authored: Vec<String>,
    files: usize,
}

fn is_hex(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|c| c.is_ascii_hexdigit())
}

/// Split a stream at `From <40 hex> ` (mbox) or `commit <40 hex>` (log)
/// lines and pull each commit's facts out of its text.
fn raw_commits(text: &str) -> Vec<RawCommit> {
    let mut out: Vec<RawCommit> = Vec::new();
    let mut in_message = false;
    let mut subject_pending = false;
    let mut subject_folds = false;
    let mut log_headers = false;
    for line in text.lines() {
        let words: Vec<&str> = line.split(' ').collect();
        let mbox = line.starts_with("From ")
            && words.len() > 2
            && words[1].len() == 40
            && is_hex(words[1]);
        let log = line.starts_with("commit ")
            && words.len() >= 2
            && words[1].len() == 40
            && is_hex(words[1]);
        if mbox || log {
            out.push(RawCommit {
                sha: words[1].to_string(),
                author: String::new(),
                subject: String::new(),
                signed_off: Vec::new(),
                co_authored: Vec::new(),
                files: 0,
            });
            in_message = true;
            subject_pending = log;
            log_headers = log;
            continue;
        }
        let Some(c) = out.last_mut() else { continue };
        if line.starts_with("diff --git ")
            || line.starts_with("diff --cc ")
            || line.starts_with("diff --combined ")
        {
            c.files += 1;
            in_message = false;
            continue;
        }
        if !in_message {
            continue;
        }
        let folded = subject_folds && line.starts_with(' ');
        subject_folds = false;
        if folded {
            // RFC 822 folding of a long Subject: header
            c.subject.push(' ');
            c.subject.push_str(line.trim());
            subject_folds = true;
        } else if line == "---" {
            in_message = false;
        } else if let Some(a) = line
            .strip_prefix("From: ")
            .or_else(|| line.strip_prefix("Author: "))
        {
            if c.author.is_empty() {
                c.author = a.trim().to_string();
            }
        } else if let Some(s) = line.strip_prefix("Subject: ") {
            let s = s.trim();
            let s = match s.strip_prefix('[') {
                Some(r) if s.contains("PATCH") => r.split_once("] ").map_or(r, |x| x.1),
                _ => s,
            };
            c.subject = s.to_string();
            subject_folds = true;
        } else if log_headers {
            // `Author:`/`Date:` block of a log entry, up to the blank line
            if line.trim().is_empty() {
                log_headers = false;
            } else if let Some(a) = line.strip_prefix("Author: ") {
                c.author = a.trim().to_string();
            }
        } else if subject_pending && !line.trim().is_empty() {
            c.subject = line.trim().to_string();
            subject_pending = false;
        } else if let Some(v) = line.trim_start().strip_prefix("Signed-off-by: ") {
            c.signed_off.push(v.trim().to_string());
        } else if let Some(v) = line.trim_start().strip_prefix("Co-authored-by: ") {
            c.co_authored.push(v.trim().to_string());
        }
    }
    out
}

#[test]
fn every_stream_parses_with_its_commits_authors_subjects_trailers() {
    let dir = corpus("streams");
    let mut streams: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && !p.file_name().unwrap().to_string_lossy().ends_with(".md"))
        .collect();
    streams.sort();
    assert!(
        streams.len() >= 10,
        "expected the stream corpus, found {}",
        streams.len()
    );
    let (mut n_commits, mut n_trailers, mut n_signoffs) = (0, 0, 0);
    for path in &streams {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let input = std::fs::read(path).unwrap();
        let text = String::from_utf8_lossy(&input);
        let patch = diff::parse(&input);
        assert!(
            patch.diagnostics.is_empty(),
            "{name}: {:?}",
            patch.diagnostics
        );
        let raw = raw_commits(&text);
        assert!(
            !raw.is_empty(),
            "{name}: no commit headers found by the test itself"
        );
        assert_eq!(patch.commits.len(), raw.len(), "{name}: commit count");
        let total_files: usize = raw.iter().map(|r| r.files).sum();
        assert_eq!(patch.files.len(), total_files, "{name}: file count");
        for (i, (c, r)) in patch.commits.iter().zip(&raw).enumerate() {
            n_commits += 1;
            let what = format!("{name} commit {i} ({})", r.sha);
            assert_eq!(c.sha.as_deref(), Some(r.sha.as_str()), "{what}: sha");
            let author = c.author.as_deref().unwrap_or("");
            if r.author.contains("=?") {
                // RFC 2047 encoded name: the reader decodes it; the address is plain.
                let email = &r.author[r.author.find('<').unwrap()..];
                assert!(
                    author.ends_with(email) && !author.contains("=?"),
                    "{what}: {author}"
                );
            } else {
                assert_eq!(author, r.author, "{what}: author");
            }
            assert!(
                c.author
                    .as_deref()
                    .is_some_and(|a| a.contains('<') && a.contains('@')),
                "{what}"
            );
            assert!(!c.subject.is_empty(), "{what}: empty subject");
            assert_eq!(c.subject, r.subject, "{what}: subject");
            let files = patch
                .files
                .iter()
                .filter(|f| f.commit == Some(i as u32))
                .count();
            assert_eq!(files, r.files, "{what}: files");
            let sob: Vec<&str> = c
                .trailers
                .iter()
                .filter(|t| t.key.eq_ignore_ascii_case("Signed-off-by"))
                .map(|t| t.value.as_ref())
                .collect();
            assert_eq!(sob, r.signed_off, "{what}: Signed-off-by trailers");
            let coa: Vec<&str> = c
                .trailers
                .iter()
                .filter(|t| t.key.eq_ignore_ascii_case("Co-authored-by"))
                .map(|t| t.value.as_ref())
                .collect();
            assert_eq!(coa, r.co_authored, "{what}: Co-authored-by trailers");
            n_trailers += c.trailers.len();
            n_signoffs += sob.len();
        }
        let combined_headers = text
            .lines()
            .filter(|l| l.starts_with("diff --cc ") || l.starts_with("diff --combined "))
            .count();
        let combined_files = patch
            .files
            .iter()
            .filter(|f| f.combined_parents >= 2)
            .count();
        assert_eq!(combined_files, combined_headers, "{name}: combined files");
        for f in patch.files.iter().filter(|f| f.combined_parents >= 2) {
            for l in f.hunks.iter().flat_map(|h| &h.lines) {
                // content starts after the parents' marker columns
                assert!(l.content.start as usize >= f.combined_parents as usize);
            }
        }
    }
    eprintln!("streams: {} files, {n_commits} commits, {n_trailers} trailers ({n_signoffs} Signed-off-by)", streams.len());
    assert!(
        n_signoffs > 0,
        "no Signed-off-by trailer was exposed at all"
    );
}
