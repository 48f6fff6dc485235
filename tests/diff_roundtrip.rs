//! Property test: render random patches to git-style text, read them back,
//! and compare with what was rendered.

use blastradius::diff::{self, FileStatus, LineKind};
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct GenLine {
    kind: LineKind,
    content: Vec<u8>,
}

#[derive(Debug, Clone)]
struct GenFile {
    path: String,
    status: FileStatus,
    /// Hunks (gaps of unchanged lines between them), each non-empty.
    hunks: Vec<(u32, Vec<GenLine>)>,
    no_newline_at_end: bool,
    heading: Vec<u8>,
}

/// Git's C-quoting, written independently of the reader.
fn quote(p: &str) -> String {
    if !p
        .bytes()
        .any(|c| c < 0x20 || c == b'"' || c == b'\\' || c >= 0x7f)
    {
        return p.to_string();
    }
    let mut s = String::from("\"");
    for c in p.bytes() {
        match c {
            b'"' => s.push_str("\\\""),
            b'\\' => s.push_str("\\\\"),
            b'\t' => s.push_str("\\t"),
            b'\n' => s.push_str("\\n"),
            c if !(0x20..0x7f).contains(&c) => s.push_str(&format!("\\{c:03o}")),
            c => s.push(c as char),
        }
    }
    s.push('"');
    s
}

fn content() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        // mostly printable text, sometimes with CR at the end or odd bytes
        "[ -~]{0,40}".prop_map(String::into_bytes),
        "[ -~]{0,20}\r".prop_map(String::into_bytes),
        proptest::collection::vec(
            any::<u8>().prop_filter("no newline", |b| *b != b'\n'),
            0..30
        ),
    ]
}

fn line(kinds: &'static [LineKind]) -> impl Strategy<Value = GenLine> {
    (proptest::sample::select(kinds), content())
        .prop_map(|(kind, content)| GenLine { kind, content })
}

const ALL: &[LineKind] = &[LineKind::Context, LineKind::Added, LineKind::Removed];

fn file() -> impl Strategy<Value = GenFile> {
    let path = prop_oneof![
        "[a-z]{1,6}(/[a-z0-9_.-]{1,8}){0,3}",
        "[a-z]{1,6} [a-z]{1,6}/[a-z]{1,4}\\.txt", // spaces
        "[a-zé\"\t]{1,6}/[a-z]{1,4}",             // needs C-quoting
    ];
    let status = proptest::sample::select(vec![
        FileStatus::Modified,
        FileStatus::Modified,
        FileStatus::Added,
        FileStatus::Deleted,
    ]);
    (
        path,
        status,
        proptest::collection::vec(
            (0u32..20, proptest::collection::vec(line(ALL), 1..12)),
            1..4,
        ),
        proptest::collection::vec(content(), 1..12),
        any::<bool>(),
        "[ -~]{0,20}",
    )
        .prop_map(|(path, status, hunks, only, no_nl, heading)| {
            let hunks = match status {
                FileStatus::Added => vec![(
                    0,
                    only.into_iter()
                        .map(|c| GenLine {
                            kind: LineKind::Added,
                            content: c,
                        })
                        .collect(),
                )],
                FileStatus::Deleted => vec![(
                    0,
                    only.into_iter()
                        .map(|c| GenLine {
                            kind: LineKind::Removed,
                            content: c,
                        })
                        .collect(),
                )],
                _ => hunks,
            };
            GenFile {
                path,
                status,
                hunks,
                no_newline_at_end: no_nl,
                heading: heading.trim().as_bytes().to_vec(),
            }
        })
}

/// Expected (kind, old_no, new_no) per line, and the rendered text.
#[allow(clippy::type_complexity)]
fn render(files: &[GenFile]) -> (Vec<u8>, Vec<Vec<Vec<(LineKind, Option<u32>, Option<u32>)>>>) {
    let mut out = Vec::new();
    let mut expect = Vec::new();
    for f in files {
        let tab = if f.path.contains(' ') { "\t" } else { "" };
        let a = quote(&format!("a/{}", f.path));
        let b = quote(&format!("b/{}", f.path));
        out.extend_from_slice(format!("diff --git {a} {b}\n").as_bytes());
        match f.status {
            FileStatus::Added => {
                out.extend_from_slice(b"new file mode 100644\nindex 0000000..1234567\n")
            }
            FileStatus::Deleted => {
                out.extend_from_slice(b"deleted file mode 100644\nindex 1234567..0000000\n")
            }
            _ => out.extend_from_slice(b"index 1234567..89abcde 100644\n"),
        }
        let minus = if f.status == FileStatus::Added {
            "/dev/null".to_string()
        } else {
            format!("{a}{tab}")
        };
        let plus = if f.status == FileStatus::Deleted {
            "/dev/null".to_string()
        } else {
            format!("{b}{tab}")
        };
        out.extend_from_slice(format!("--- {minus}\n+++ {plus}\n").as_bytes());
        let (mut old_at, mut new_at) = (1u32, 1u32);
        let mut fexp = Vec::new();
        for (hi, (gap, lines)) in f.hunks.iter().enumerate() {
            old_at += gap;
            new_at += gap;
            let oc = lines.iter().filter(|l| l.kind != LineKind::Added).count() as u32;
            let nc = lines.iter().filter(|l| l.kind != LineKind::Removed).count() as u32;
            let os = if oc == 0 { old_at - 1 } else { old_at };
            let ns = if nc == 0 { new_at - 1 } else { new_at };
            let r = |s: u32, c: u32| {
                if c == 1 {
                    format!("{s}")
                } else {
                    format!("{s},{c}")
                }
            };
            out.extend_from_slice(format!("@@ -{} +{} @@", r(os, oc), r(ns, nc)).as_bytes());
            if !f.heading.is_empty() {
                out.push(b' ');
                out.extend_from_slice(&f.heading);
            }
            out.push(b'\n');
            let mut hexp = Vec::new();
            for (li, l) in lines.iter().enumerate() {
                out.push(match l.kind {
                    LineKind::Context => b' ',
                    LineKind::Added => b'+',
                    LineKind::Removed => b'-',
                });
                out.extend_from_slice(&l.content);
                out.push(b'\n');
                let (o, n) = match l.kind {
                    LineKind::Context => (Some(old_at), Some(new_at)),
                    LineKind::Added => (None, Some(new_at)),
                    LineKind::Removed => (Some(old_at), None),
                };
                if o.is_some() {
                    old_at += 1;
                }
                if n.is_some() {
                    new_at += 1;
                }
                hexp.push((l.kind, o, n));
                if f.no_newline_at_end && hi + 1 == f.hunks.len() && li + 1 == lines.len() {
                    out.extend_from_slice(b"\\ No newline at end of file\n");
                }
            }
            fexp.push(hexp);
        }
        expect.push(fexp);
    }
    (out, expect)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    #[test]
    fn rendered_patches_read_back(files in proptest::collection::vec(file(), 1..6)) {
        let (text, expect) = render(&files);
        let p = diff::parse(&text);
        prop_assert!(p.diagnostics.is_empty(), "{:?}\n{}", p.diagnostics, String::from_utf8_lossy(&text));
        prop_assert_eq!(p.files.len(), files.len());
        let mut numstat = String::new();
        for ((f, g), fexp) in p.files.iter().zip(&files).zip(&expect) {
            prop_assert_eq!(f.path(), g.path.as_str());
            prop_assert_eq!(f.status, g.status);
            match g.status {
                FileStatus::Added => prop_assert!(f.old_path.is_none()),
                FileStatus::Deleted => prop_assert!(f.new_path.is_none()),
                _ => prop_assert_eq!(f.old_path.as_deref(), Some(g.path.as_str())),
            }
            let lines: Vec<&GenLine> = g.hunks.iter().flat_map(|h| &h.1).collect();
            let added = lines.iter().filter(|l| l.kind == LineKind::Added).count() as u32;
            let deleted = lines.iter().filter(|l| l.kind == LineKind::Removed).count() as u32;
            prop_assert_eq!((f.added, f.deleted), (added, deleted));
            numstat.push_str(&format!("{added}\t{deleted}\t{}\n", quote(&g.path)));
            prop_assert_eq!(f.hunks.len(), g.hunks.len());
            for ((h, (_, glines)), hexp) in f.hunks.iter().zip(&g.hunks).zip(fexp) {
                prop_assert_eq!(p.bytes(h.section), g.heading.as_slice());
                prop_assert_eq!(h.lines.len(), glines.len());
                for ((l, gl), e) in h.lines.iter().zip(glines).zip(hexp) {
                    prop_assert_eq!((l.kind, l.old_no(), l.new_no()), *e);
                    prop_assert_eq!(p.bytes(l.content), gl.content.as_slice());
                }
            }
            let last = f.hunks.last().and_then(|h| h.lines.last()).map(|l| l.no_newline);
            prop_assert_eq!(last, Some(g.no_newline_at_end));
            let marked = f.hunks.iter().flat_map(|h| &h.lines).filter(|l| l.no_newline).count();
            prop_assert_eq!(marked, usize::from(g.no_newline_at_end));
        }
        prop_assert_eq!(diff::numstat(&p), numstat);
    }
}
