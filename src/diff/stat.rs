//! `git apply --numstat` / `--summary` renderings of a [`Patch`], byte for
//! byte as git prints them, so the reader can be checked against git.

use super::model::*;
use std::fmt::Write;

/// Quote a path the way git's `write_name_quoted` does with the default
/// `core.quotePath=true`: paths with control characters, `"`, `\` or
/// non-ASCII bytes are C-quoted with octal escapes; others are unchanged.
pub fn quote_path(p: &str) -> String {
    let needs = p
        .bytes()
        .any(|c| c < 0x20 || c == b'"' || c == b'\\' || c >= 0x7f);
    if !needs {
        return p.to_string();
    }
    let mut out = String::with_capacity(p.len() + 8);
    out.push('"');
    for c in p.bytes() {
        match c {
            7 => out.push_str("\\a"),
            8 => out.push_str("\\b"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            11 => out.push_str("\\v"),
            12 => out.push_str("\\f"),
            b'\r' => out.push_str("\\r"),
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            c if !(0x20..0x7f).contains(&c) => {
                let _ = write!(out, "\\{c:03o}");
            }
            c => out.push(char::from(c)),
        }
    }
    out.push('"');
    out
}

/// One line per file, `added<TAB>deleted<TAB>path` (`-<TAB>-` for binary
/// files), exactly as `git apply --numstat` prints it.
///
/// ```
/// let p = blastradius::diff::parse(b"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1,2 @@\n a\n+b\n");
/// assert_eq!(blastradius::diff::numstat(&p), "1\t0\tx\n");
/// ```
pub fn numstat(patch: &Patch<'_>) -> String {
    let mut out = String::new();
    for f in &patch.files {
        if f.binary {
            out.push_str("-\t-\t");
        } else {
            let _ = write!(out, "{}\t{}\t", f.added, f.deleted);
        }
        out.push_str(&quote_path(f.path()));
        out.push('\n');
    }
    out
}

/// The create/delete/rename/copy/rewrite/mode-change lines, exactly as
/// `git apply --summary` prints them (renames with git's common-prefix
/// compression: `rename docs/{a.rst => a.md} (52%)`).
///
/// ```
/// let p = blastradius::diff::parse(b"diff --git a/d/a.rst b/d/a.md\nsimilarity index 52%\nrename from d/a.rst\nrename to d/a.md\n");
/// assert_eq!(blastradius::diff::summary(&p), " rename d/{a.rst => a.md} (52%)\n");
/// ```
pub fn summary(patch: &Patch<'_>) -> String {
    let mut out = String::new();
    for f in &patch.files {
        match f.status {
            FileStatus::Added => create_delete(&mut out, "create", f.new_mode, f.path()),
            FileStatus::Deleted => create_delete(&mut out, "delete", f.old_mode, f.path()),
            FileStatus::Renamed | FileStatus::Copied => {
                let kind = if f.status == FileStatus::Renamed {
                    "rename"
                } else {
                    "copy"
                };
                let old = f.old_path.as_deref().unwrap_or("");
                let new = f.new_path.as_deref().unwrap_or("");
                let score = f.similarity.unwrap_or(0);
                let common = common_dir_prefix(old, new);
                if common > 0 {
                    let _ = writeln!(
                        out,
                        " {kind} {}{{{} => {}}} ({score}%)",
                        &old[..common],
                        &old[common..],
                        &new[common..]
                    );
                } else {
                    let _ = writeln!(out, " {kind} {old} => {new} ({score}%)");
                }
                mode_change(&mut out, f, false);
            }
            FileStatus::Modified | FileStatus::ModeOnly => {
                if let Some(score) = f.dissimilarity.filter(|&s| s > 0) {
                    let _ = writeln!(out, " rewrite {} ({score}%)", f.path());
                    mode_change(&mut out, f, false);
                } else {
                    mode_change(&mut out, f, true);
                }
            }
        }
    }
    out
}

fn create_delete(out: &mut String, what: &str, mode: Option<u32>, name: &str) {
    match mode.filter(|&m| m != 0) {
        Some(m) => {
            let _ = writeln!(out, " {what} mode {m:06o} {name}");
        }
        None => {
            let _ = writeln!(out, " {what} {name}");
        }
    }
}

fn mode_change(out: &mut String, f: &FileDiff<'_>, show_name: bool) {
    if let (Some(o), Some(n)) = (f.old_mode, f.new_mode) {
        if o != 0 && n != 0 && o != n {
            if show_name {
                let _ = writeln!(out, " mode change {o:06o} => {n:06o} {}", f.path());
            } else {
                let _ = writeln!(out, " mode change {o:06o} => {n:06o}");
            }
        }
    }
}

/// Length of the longest common prefix of whole directory components
/// (ending in `/`), as git's `show_rename_copy` computes it.
fn common_dir_prefix(old: &str, new: &str) -> usize {
    let (o, n) = (old.as_bytes(), new.as_bytes());
    let mut at = 0;
    loop {
        let (Some(so), Some(sn)) = (
            memchr::memchr(b'/', o.get(at..).unwrap_or(&[])),
            memchr::memchr(b'/', n.get(at..).unwrap_or(&[])),
        ) else {
            return at;
        };
        if so != sn || o.get(at..at + so) != n.get(at..at + sn) {
            return at;
        }
        at += so + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_prefix_is_whole_components() {
        assert_eq!(common_dir_prefix("a/b/c", "a/b/d"), 4);
        assert_eq!(common_dir_prefix("a/bc/x", "a/bd/x"), 2);
        assert_eq!(common_dir_prefix("x", "y"), 0);
        assert_eq!(common_dir_prefix("ab/x", "ab"), 0);
    }

    #[test]
    fn quoting_matches_git() {
        assert_eq!(quote_path("plain name.txt"), "plain name.txt");
        assert_eq!(quote_path("été.txt"), "\"\\303\\251t\\303\\251.txt\"");
        assert_eq!(quote_path("a\"b\tc"), "\"a\\\"b\\tc\"");
    }
}
