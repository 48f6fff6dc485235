//! The reader on every header and odd case the diff engine must handle.
//! Inputs live in tests/fixtures/diff/ (they also seed the fuzzers).

use blastradius::diff::{self, FileStatus, LineKind, Patch};

fn fixture(name: &str) -> Vec<u8> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diff")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// (kind, old line, new line, text, followed by `\ No newline`)
type L = (LineKind, Option<u32>, Option<u32>, String, bool);

fn lines_of(p: &Patch<'_>, file: usize) -> Vec<L> {
    p.files[file]
        .hunks
        .iter()
        .flat_map(|h| &h.lines)
        .map(|l| {
            (
                l.kind,
                l.old_no(),
                l.new_no(),
                p.text(l.content).into_owned(),
                l.no_newline,
            )
        })
        .collect()
}

#[test]
fn c_quoted_paths_and_paths_with_spaces() {
    let input = fixture("paths.diff");
    let p = diff::parse(&input);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let paths: Vec<&str> = p.files.iter().map(|f| f.path()).collect();
    assert_eq!(
        paths,
        [
            "été.txt",
            "tab\there \"q\".txt",
            "my file.txt",
            "with space/x y.bin"
        ]
    );
    assert_eq!(p.files[0].old_path.as_deref(), Some("été.txt"));
    assert_eq!(p.files[1].status, FileStatus::Added);
    assert_eq!(p.files[1].old_path, None);
    assert_eq!((p.files[2].added, p.files[2].deleted), (1, 1));
    assert_eq!(p.files[2].old_path.as_deref(), Some("my file.txt"));
    assert!(p.files[3].binary);
    assert_eq!(p.files[3].old_path.as_deref(), Some("with space/x y.bin"));
    // git apply --numstat quotes them back the way git does.
    assert_eq!(
        diff::numstat(&p),
        "1\t1\t\"\\303\\251t\\303\\251.txt\"\n1\t0\t\"tab\\there \\\"q\\\".txt\"\n1\t1\tmy file.txt\n-\t-\twith space/x y.bin\n"
    );
}

#[test]
fn extended_headers_modes_renames_copies_submodules_empty_files() {
    let input = fixture("headers.diff");
    let p = diff::parse(&input);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let f = &p.files;
    assert_eq!(f.len(), 9);

    // mode-only
    assert_eq!(f[0].status, FileStatus::ModeOnly);
    assert_eq!(
        (f[0].old_mode, f[0].new_mode),
        (Some(0o100644), Some(0o100755))
    );
    assert!(f[0].hunks.is_empty());
    // empty new file / empty deleted file
    assert_eq!((f[1].status, f[1].path()), (FileStatus::Added, "empty.txt"));
    assert_eq!(
        (f[1].new_mode, f[1].old_path.as_deref()),
        (Some(0o100644), None)
    );
    assert_eq!(f[1].new_oid.as_deref(), Some("e69de29"));
    assert_eq!(
        (f[2].status, f[2].path()),
        (FileStatus::Deleted, "gone.txt")
    );
    assert_eq!(
        (f[2].old_mode, f[2].new_path.as_deref()),
        (Some(0o100644), None)
    );
    // submodule update (index line with mode 160000) and new submodule
    assert!(f[3].submodule && f[3].status == FileStatus::Modified);
    assert_eq!((f[3].added, f[3].deleted), (1, 1));
    assert_eq!(
        (f[3].old_mode, f[3].new_mode),
        (Some(0o160000), Some(0o160000))
    );
    assert!(f[4].submodule && f[4].status == FileStatus::Added);
    // rename with changes
    assert_eq!(f[5].status, FileStatus::Renamed);
    assert_eq!(
        (f[5].old_path.as_deref(), f[5].new_path.as_deref()),
        (Some("old.c"), Some("src/new.c"))
    );
    assert_eq!(f[5].similarity, Some(90));
    assert_eq!((f[5].added, f[5].deleted), (1, 1));
    // pure copy
    assert_eq!(f[6].status, FileStatus::Copied);
    assert_eq!(
        (f[6].old_path.as_deref(), f[6].path()),
        (Some("lib/a.py"), "lib/b.py")
    );
    assert_eq!(f[6].similarity, Some(100));
    // rename + mode change: rename/to win over the `diff --git` names
    assert_eq!(f[7].status, FileStatus::Renamed);
    assert_eq!(
        (f[7].old_path.as_deref(), f[7].path()),
        (Some("tools/tool"), "bin/tool")
    );
    // rewrite
    assert_eq!(f[8].dissimilarity, Some(80));

    assert_eq!(
        diff::summary(&p),
        " mode change 100644 => 100755 run.sh\n create mode 100644 empty.txt\n delete mode 100644 gone.txt\n \
create mode 160000 new-sub\n rename old.c => src/new.c (90%)\n copy lib/{a.py => b.py} (100%)\n \
rename tools/tool => bin/tool (95%)\n mode change 100755 => 100644\n rewrite rewritten.txt (80%)\n"
    );
}

#[test]
fn binary_literal_and_delta_blocks_are_skipped_exactly() {
    let input = fixture("binary.diff");
    let p = diff::parse(&input);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert_eq!(p.files.len(), 3);
    assert!(p.files[0].binary && p.files[1].binary && !p.files[2].binary);
    assert!(p.files[0].hunks.is_empty() && p.files[1].hunks.is_empty());
    assert_eq!(p.files[2].path(), "after.txt");
    assert_eq!((p.files[2].added, p.files[2].deleted), (1, 1));
    assert_eq!(
        diff::numstat(&p),
        "-\t-\tlogo.png\n-\t-\ticon.png\n1\t1\tafter.txt\n"
    );
}

#[test]
fn no_newline_marker_on_either_side() {
    let input = fixture("no-newline.diff");
    let p = diff::parse(&input);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let a = lines_of(&p, 0);
    assert_eq!(
        a[1],
        (LineKind::Removed, Some(2), None, "old end".into(), true)
    );
    assert_eq!(
        a[2],
        (LineKind::Added, None, Some(2), "new end".into(), false)
    );
    let b = lines_of(&p, 1);
    assert!(!b[0].4 && b[1].4, "{b:?}");
    let c = lines_of(&p, 2);
    assert!(c[0].4 && c[1].4, "{c:?}");
    for f in &p.files {
        assert_eq!(f.deleted, 1);
    }
}

#[test]
fn crlf_is_kept_and_non_utf8_bytes_are_never_rejected() {
    let input = fixture("crlf-latin1.diff");
    let p = diff::parse(&input);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let f = &p.files[0];
    assert_eq!(f.path(), "win.txt");
    assert_eq!((f.added, f.deleted), (1, 1));
    let h = &f.hunks[0];
    assert_eq!(p.text(h.section), "fn main()");
    let l = &h.lines;
    assert_eq!(p.bytes(l[0].content), b"line one\r");
    assert_eq!(p.bytes(l[1].content), b"caf\xe9 latin1\r");
    assert_eq!(p.line_text(&l[1]), "caf\u{fffd} latin1");
    assert_eq!(p.line_text(&l[2]), "café utf8");
}

#[test]
fn omitted_counts_mean_one_and_zero_length_sides() {
    let input = b"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -3 +3 @@\n-a\n+b\n@@ -10,0 +11 @@\n+c\n@@ -20 +20,0 @@\n-d\n";
    let p = diff::parse(input);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let h = &p.files[0].hunks;
    assert_eq!(
        (
            h[0].old_start,
            h[0].old_lines,
            h[0].new_start,
            h[0].new_lines
        ),
        (3, 1, 3, 1)
    );
    assert_eq!((h[1].old_lines, h[1].new_lines), (0, 1));
    assert_eq!(h[1].lines[0].new_no(), Some(11));
    assert_eq!((h[2].old_lines, h[2].new_lines), (1, 0));
    assert_eq!(h[2].lines[0].old_no(), Some(20));
    assert_eq!((p.files[0].added, p.files[0].deleted), (2, 2));
}

#[test]
fn combined_diff_of_a_merge() {
    let input = fixture("combined.diff");
    let p = diff::parse(&input);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let f = &p.files[0];
    assert_eq!((f.path(), f.combined_parents), ("merged.c", 2));
    let h = &f.hunks[0];
    assert_eq!(p.text(h.section), "int main()");
    let got = lines_of(&p, 0);
    assert_eq!(
        got,
        vec![
            (LineKind::Context, Some(1), Some(1), "common".into(), false),
            (LineKind::Removed, Some(2), None, "ours_old".into(), false),
            (LineKind::Removed, None, None, "theirs_old".into(), false),
            (LineKind::Added, None, Some(2), "merged".into(), false),
            (LineKind::Context, Some(3), Some(3), "tail".into(), false),
        ]
    );
    assert_eq!((f.added, f.deleted), (1, 2));
}

#[test]
fn malformed_sections_give_diagnostics_and_the_reader_resyncs() {
    let input = fixture("malformed.diff");
    let p = diff::parse(&input);
    let paths: Vec<&str> = p.files.iter().map(|f| f.path()).collect();
    assert_eq!(
        paths,
        ["ok1.txt", "bad.txt", "short.txt", "long.txt", "ok2.txt"]
    );
    // Everything parseable is kept.
    assert_eq!((p.files[0].added, p.files[0].deleted), (1, 1));
    assert_eq!((p.files[4].added, p.files[4].deleted), (1, 0));
    assert!(p.files[1].hunks.is_empty());
    // The long hunk keeps only what its header covers.
    assert_eq!((p.files[3].added, p.files[3].deleted), (1, 1));
    let d: Vec<(u32, &str)> = p
        .diagnostics
        .iter()
        .map(|d| (d.line, d.message.as_str()))
        .collect();
    assert_eq!(d.len(), 3, "{d:#?}");
    assert_eq!(d[0].0, 10);
    assert!(d[0].1.contains("malformed hunk header"), "{}", d[0].1);
    assert_eq!(d[1].0, 19);
    assert!(d[1].1.contains("shorter than its header"), "{}", d[1].1);
    assert!(d[1].1.contains("line 16"), "{}", d[1].1);
    assert_eq!(d[2].0, 25);
    assert!(
        d[2].1.contains("more line(s) than its header"),
        "{}",
        d[2].1
    );
}

#[test]
fn hunk_outside_a_file_and_truncated_input() {
    let p = diff::parse(b"garbage\n@@ -1 +1 @@\n-a\n+b\ndiff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,5 +1,5 @@\n a\n");
    assert_eq!(p.files.len(), 1);
    assert_eq!(p.diagnostics.len(), 2, "{:?}", p.diagnostics);
    assert_eq!(p.diagnostics[0].line, 2);
    assert!(p.diagnostics[0]
        .message
        .contains("outside of a file section"));
    assert!(p.diagnostics[1]
        .message
        .contains("input ended inside a hunk"));
}

#[test]
fn plain_diff_u_output() {
    let input = fixture("plain-u.diff");
    let p = diff::parse(&input);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert_eq!(p.files.len(), 2);
    assert_eq!(p.files[0].old_path.as_deref(), Some("old/hello.c"));
    assert_eq!(p.files[0].new_path.as_deref(), Some("new/hello.c"));
    assert_eq!((p.files[0].added, p.files[0].deleted), (1, 0));
    assert_eq!(p.files[1].status, FileStatus::Added);
    assert_eq!(p.files[1].path(), "new/added.txt");
}

#[test]
fn mbox_and_log_commits_with_trailers() {
    let mbox = b"From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001\n\
From: =?UTF-8?q?Ren=C3=A9=20Dev?= <rene@example.com>\n\
Date: Tue, 1 Apr 2025 10:00:00 +0200\n\
Subject: [PATCH 1/2] Fix the frobnicator when the input is very\n long indeed\n\
\n\
Body text.\n\
\n\
Co-authored-by: Claude <noreply@anthropic.com>\n\
Signed-off-by: Ren\xc3\xa9 Dev <rene@example.com>\n\
---\n x | 2 +-\n\n\
diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n\
-- \n2.47.3\n\n\
From 2222222222222222222222222222222222222222 Mon Sep 17 00:00:00 2001\n\
From: Other <o@example.com>\n\
Subject: [PATCH 2/2] Second\n\
\n\
---\n\
diff --git a/y b/y\n--- a/y\n+++ b/y\n@@ -1 +1 @@\n-a\n+b\n\
-- \n2.47.3\n";
    let p = diff::parse(mbox);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert_eq!(p.commits.len(), 2);
    let c = &p.commits[0];
    assert_eq!(c.author.as_deref(), Some("René Dev <rene@example.com>"));
    assert_eq!(
        c.subject,
        "Fix the frobnicator when the input is very long indeed"
    );
    assert_eq!(c.trailers.len(), 2);
    assert_eq!(
        (c.trailers[0].key.as_ref(), c.trailers[0].value.as_ref()),
        ("Co-authored-by", "Claude <noreply@anthropic.com>")
    );
    assert_eq!(c.trailers[1].key, "Signed-off-by");
    assert_eq!(p.commits[1].subject, "Second");
    assert_eq!((p.files[0].commit, p.files[1].commit), (Some(0), Some(1)));

    let log = b"commit 3333333333333333333333333333333333333333\nMerge: aaaaaaa bbbbbbb\nAuthor: A U Thor <a@example.com>\nDate:   Mon Apr 7 10:00:00 2025 +0000\n\n    Subject line\n    \n    Longer body.\n    \n    Assisted-by: Some AI\n\ncommit 4444444444444444444444444444444444444444\nAuthor: B <b@example.com>\n\n    Two\n\ndiff --git a/z b/z\n--- a/z\n+++ b/z\n@@ -1 +1 @@\n-a\n+b\n";
    let p = diff::parse(log);
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert_eq!(p.commits.len(), 2);
    assert_eq!(p.commits[0].subject, "Subject line");
    assert_eq!(p.commits[0].parents, ["aaaaaaa", "bbbbbbb"]);
    assert_eq!(p.commits[0].trailers[0].key, "Assisted-by");
    assert_eq!(p.commits[1].author.as_deref(), Some("B <b@example.com>"));
    assert_eq!(p.files[0].commit, Some(1));
}

#[test]
fn every_byte_range_stays_inside_the_input() {
    for name in [
        "paths.diff",
        "headers.diff",
        "binary.diff",
        "no-newline.diff",
        "crlf-latin1.diff",
        "combined.diff",
        "malformed.diff",
        "plain-u.diff",
    ] {
        let input = fixture(name);
        let p = diff::parse(&input);
        for f in &p.files {
            assert!(
                f.span.start <= f.span.end && f.span.end as usize <= input.len(),
                "{name}"
            );
            for h in &f.hunks {
                for l in &h.lines {
                    assert!(l.content.end as usize <= input.len(), "{name}");
                    // a line's content is inside its file's section
                    assert!(
                        l.content.start >= f.span.start && l.content.end <= f.span.end,
                        "{name}"
                    );
                }
            }
        }
    }
}
