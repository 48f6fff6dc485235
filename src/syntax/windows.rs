//! Parsing a whole file in windows.
//!
//! Extraction only reads what the hunks show and the definitions that
//! enclose them ([`super::symbols::extract_within`]), so the rest of a big
//! file need not be parsed at all. A window runs from the nearest *cut* at
//! or before a hunk to the nearest cut after it; tree-sitter parses only the
//! windows (included ranges), with the file's own byte offsets and rows.
//!
//! A cut is a line that starts at column 0 with a character that can begin
//! a top-level item (a letter, digit, `_`, `@`, `#` or `/`) right after a
//! blank line: where formatted code starts its functions, types and their
//! leading comments. It is a guess, so the parse checks it
//! ([`verified`]): a window that starts or ends inside an item (a string, a
//! comment, a block) leaves an unclosed or unopened construct, which the
//! parser reports as an error, or a top-level node that runs from one
//! window into the next. Either sends the file back to a whole parse, so
//! the result is what the whole parse gives.

use crate::lang::{Lexical, Windows};

/// Byte ranges to parse instead of the whole `text`, or `None` when the
/// windows would cover most of the file anyway. `starts` are the text's
/// line starts (plus its length at the end); `lines` the 1-based inclusive
/// line ranges that must be covered.
pub(crate) fn windows(
    rule: &Windows,
    lex: &Lexical,
    text: &str,
    starts: &[usize],
    lines: &[(u32, u32)],
) -> Option<Vec<(usize, usize)>> {
    let b = text.as_bytes();
    let n = starts.len().saturating_sub(1);
    if n == 0 || lines.is_empty() {
        return None;
    }
    if rule
        .blockers
        .iter()
        .any(|k| memchr::memmem::find(b, k.as_bytes()).is_some())
    {
        return None;
    }
    let mut out: Vec<(usize, usize)> = Vec::new();
    if let Some(first) = rule.first_line {
        let l = &b[..starts[1]];
        memchr::memmem::find(l, first.as_bytes())?;
        out.push((0, starts[1]));
    }
    let line = |k: usize| &b[starts[k]..starts[k + 1]];
    let blank = |k: usize| line(k).iter().all(|c| c.is_ascii_whitespace());
    let inside = inside_lines(rule, lex, b, starts);
    // Brackets opened and closed by column-0 lines before each line: a
    // container whose members are not indented (a C++ namespace, an
    // `extern "C"` block, a Terraform block) is open between them.
    let mut depth = Vec::with_capacity(n);
    let mut d = 0usize;
    for (k, &within) in inside.iter().enumerate() {
        depth.push(d);
        let l = line(k);
        if !within && l.first().is_some_and(|c| !c.is_ascii_whitespace()) {
            if matches!(l[0], b'}' | b')' | b']') {
                d = d.saturating_sub(1);
            }
            if opens(l) {
                d += 1;
            }
        }
    }
    let comment = |k: usize| {
        lex.line_comments
            .iter()
            .any(|m| line(k).starts_with(m.as_bytes()))
    };
    // Line k (0-based) is a cut.
    let cut = |k: usize| {
        let first = line(k).first().copied().unwrap_or(b' ');
        depth[k] == 0
            && !inside[k]
            && (k == 0 || blank(k - 1))
            && (first.is_ascii_alphanumeric() || matches!(first, b'_' | b'@' | b'#' | b'/'))
            // A column-0 comment inside an indented block (Python) is
            // followed by the block's next indented line.
            && (!comment(k)
                || (k + 1..n)
                    .find(|&j| !blank(j) && !comment(j))
                    .is_none_or(|j| !line(j)[0].is_ascii_whitespace()))
    };
    let mut ranges = lines.to_vec();
    ranges.sort_unstable();
    for (a, z) in ranges {
        let a = (a.max(1) as usize - 1).min(n - 1);
        let z = (z.max(1) as usize - 1).clamp(a, n - 1);
        let mut s = a;
        while s > 0 && !cut(s) {
            s -= 1;
        }
        let mut e = z + 1;
        while e < n && !cut(e) {
            e += 1;
        }
        let (s, e) = (starts[s], starts[e]);
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    let covered: usize = out.iter().map(|(s, e)| e - s).sum();
    // Verifying costs a second parse when a guess is wrong: not worth it
    // for a small saving.
    (covered * 4 < text.len() * 3).then_some(out)
}

/// For each line (0-based), whether it starts inside a block comment or a
/// literal that spans lines, by a lexical scan of the whole text.
fn inside_lines(rule: &Windows, lex: &Lexical, b: &[u8], starts: &[usize]) -> Vec<bool> {
    let n = starts.len().saturating_sub(1);
    let mut inside = vec![false; n];
    // Bytes that can start a comment or a literal.
    let mut first = [false; 256];
    for m in lex
        .line_comments
        .iter()
        .copied()
        .chain(lex.block_comment.map(|c| c.0))
    {
        if let Some(&c) = m.as_bytes().first() {
            first[c as usize] = true;
        }
    }
    for &(open, _, _) in rule.spans {
        if let Some(&c) = open.as_bytes().first() {
            first[c as usize] = true;
        }
    }
    for &c in rule.quotes.iter().chain(rule.chars) {
        first[c as usize] = true;
    }
    let eol = |i: usize| memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |k| i + k);
    // The end (exclusive) of a literal whose body starts at `i`.
    let close = |mut i: usize, end: &[u8], esc: bool, line_only: bool| {
        while i < b.len() {
            if esc && b[i] == b'\\' {
                i += 2;
            } else if b[i..].starts_with(end) {
                return i + end.len();
            } else if line_only && b[i] == b'\n' {
                return i;
            } else {
                i += 1;
            }
        }
        b.len()
    };
    let mut mark = |from: usize, to: usize| {
        let mut k = starts.partition_point(|&s| s <= from);
        while k < n && starts[k] < to {
            inside[k] = true;
            k += 1;
        }
    };
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if !first[c as usize] {
            i += 1;
            continue;
        }
        let rest = &b[i..];
        let spaced = !rule.comment_after_space || i == 0 || b[i - 1].is_ascii_whitespace();
        if spaced
            && lex
                .line_comments
                .iter()
                .any(|m| rest.starts_with(m.as_bytes()))
        {
            i = eol(i);
            continue;
        }
        if let Some((open, end)) = lex
            .block_comment
            .filter(|(o, _)| rest.starts_with(o.as_bytes()))
        {
            let to = close(i + open.len(), end.as_bytes(), false, false);
            mark(i, to);
            i = to;
            continue;
        }
        let span = rule
            .spans
            .iter()
            .find(|(open, _, _)| rest.starts_with(open.as_bytes()));
        if let Some(&(open, end, esc)) = span {
            let to = close(i + open.len(), end.as_bytes(), esc, false);
            mark(i, to);
            i = to;
            continue;
        }
        if rule.quotes.contains(&c) {
            i = close(i + 1, &[c], true, true);
        } else if rule.chars.contains(&c) {
            // `'a'`, `'\n'`, `'\u{1F600}'`; else a lifetime or a separator.
            i += match b.get(i + 1) {
                Some(b'\\') => b[i + 2..]
                    .iter()
                    .take(12)
                    .position(|&x| x == c)
                    .map_or(1, |k| k + 3),
                Some(_) if b.get(i + 2) == Some(&c) => 3,
                _ => 1,
            };
        } else {
            i += 1;
        }
    }
    inside
}

/// Whether a line ends by opening a bracket (a trailing `//` or `/*`
/// comment aside).
fn opens(l: &[u8]) -> bool {
    let Some(i) = l.iter().rposition(|c| matches!(c, b'{' | b'(' | b'[')) else {
        return false;
    };
    let rest = l[i + 1..].trim_ascii();
    rest.is_empty() || rest.starts_with(b"//") || rest.starts_with(b"/*")
}

/// The head's windows on the base: moved by the edits (head to base, in
/// head bytes) before them. An edit at a window's start belongs to it
/// (windows hold whole hunks), one at its end to the next window, or to
/// it at the end of the file.
pub(crate) fn moved(
    windows: &[(usize, usize)],
    edits: &[tree_sitter::InputEdit],
    head_len: usize,
) -> Vec<(usize, usize)> {
    let shift = |p: usize, at_end: bool| {
        let delta: isize = edits
            .iter()
            .filter(|e| e.start_byte < p || (at_end && p == head_len && e.start_byte == p))
            .map(|e| e.new_end_byte as isize - e.old_end_byte as isize)
            .sum();
        p.saturating_add_signed(delta)
    };
    windows
        .iter()
        .map(|&(s, e)| (shift(s, false), shift(e, true)))
        .collect()
}

/// The included ranges for tree-sitter, with points.
pub(crate) fn ts_ranges(starts: &[usize], windows: &[(usize, usize)]) -> Vec<tree_sitter::Range> {
    let point = |byte: usize| {
        let row = starts.partition_point(|&s| s <= byte).saturating_sub(1);
        tree_sitter::Point::new(row, byte - starts[row])
    };
    windows
        .iter()
        .map(|&(s, e)| tree_sitter::Range {
            start_byte: s,
            end_byte: e,
            start_point: point(s),
            end_point: point(e),
        })
        .collect()
}

/// Whether a tree parsed in windows can stand for the whole parse: no
/// error or missing node, and every top-level node inside one window.
pub(crate) fn verified(tree: &tree_sitter::Tree) -> bool {
    let root = tree.root_node();
    if root.has_error() {
        return false;
    }
    // A grammar may wrap the items in one node (HCL's `body`).
    let mut top = root;
    while top.child_count() == 1 {
        match top.child(0) {
            Some(c) => top = c,
            None => break,
        }
    }
    let ranges = tree.included_ranges();
    let mut cursor = top.walk();
    let ok = top.children(&mut cursor).all(|c| {
        let (s, e) = (c.start_byte(), c.end_byte());
        let i = ranges.partition_point(|r| r.end_byte <= s);
        ranges
            .get(i)
            .is_some_and(|r| r.start_byte <= s && e <= r.end_byte)
    });
    ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::WINDOWS;
    const C_LEX: Lexical = Lexical {
        line_comments: &["//"],
        block_comment: Some(("/*", "*/")),
        quotes: &['"'],
    };

    fn starts(t: &str) -> Vec<usize> {
        super::super::line_starts(t)
    }

    #[test]
    fn a_window_runs_from_the_cut_before_to_the_cut_after() {
        let t = "use x;\n\nfn a() {\n    1\n}\n\nfn b() {\n    2\n}\n\n// c\nfn c() {}\n";
        let s = starts(t);
        // Line 8 (`    2`) is inside fn b, lines 7-9.
        let w = windows(&WINDOWS, &C_LEX, t, &s, &[(8, 8)]).unwrap();
        assert_eq!(&t[w[0].0..w[0].1], "fn b() {\n    2\n}\n\n");
        // A leading comment after a blank line starts the item.
        let w = windows(&WINDOWS, &C_LEX, t, &s, &[(12, 12)]).unwrap();
        assert_eq!(&t[w[0].0..w[0].1], "// c\nfn c() {}\n");
    }

    #[test]
    fn closers_and_lines_without_a_blank_before_are_not_cuts() {
        let t = "static int\nfoo(void)\n{\n\treturn 1;\n}\n\nint x;\n\nint y;\n\nint z;\n";
        let s = starts(t);
        let w = windows(&WINDOWS, &C_LEX, t, &s, &[(4, 4)]).unwrap();
        assert_eq!(
            &t[w[0].0..w[0].1],
            "static int\nfoo(void)\n{\n\treturn 1;\n}\n\n"
        );
    }

    #[test]
    fn no_cut_inside_a_container_whose_members_are_not_indented() {
        let t = "namespace a {\n\nclass Q {\n  int x;\n};\n\nclass R {\n  int y;\n};\n\n}  // a\n\nint main() {\n  return 0;\n}\n\nint z;\n\nint w;\n\nint v;\n";
        let s = starts(t);
        // Line 4 is in class Q: the window is the whole namespace.
        let w = windows(&WINDOWS, &C_LEX, t, &s, &[(4, 4)]).unwrap();
        assert!(t[w[0].0..w[0].1].starts_with("namespace a {\n\nclass Q"));
        assert!(t[w[0].0..w[0].1].ends_with("}  // a\n\n"));
        // After the namespace, cuts again.
        let w = windows(&WINDOWS, &C_LEX, t, &s, &[(14, 14)]).unwrap();
        assert_eq!(&t[w[0].0..w[0].1], "int main() {\n  return 0;\n}\n\n");
    }

    #[test]
    fn heredocs_keep_a_file_whole_and_php_keeps_its_open_tag() {
        let rule = Windows {
            blockers: &["<<<", "?>"],
            first_line: Some("<?php"),
            ..WINDOWS
        };
        let body = "function a() {\n  return 1;\n}\n\nfunction b() {\n  return 2;\n}\n\nfunction c() {}\n\nfunction d() {}\n\nfunction e() {}\n";
        let t = format!("<?php\n\n{body}");
        let w = windows(&rule, &C_LEX, &t, &starts(&t), &[(7, 7)]).unwrap();
        assert_eq!(&t[w[0].0..w[0].1], "<?php\n");
        assert_eq!(&t[w[1].0..w[1].1], "function b() {\n  return 2;\n}\n\n");
        let t = format!("<html>\n<?php\n\n{body}");
        assert_eq!(windows(&rule, &C_LEX, &t, &starts(&t), &[(8, 8)]), None);
        let t = format!("<?php\n\n{body}\n$x = <<<EOT\nhi\nEOT;\n");
        assert_eq!(windows(&rule, &C_LEX, &t, &starts(&t), &[(7, 7)]), None);
    }

    #[test]
    fn lines_inside_literals_and_comments_are_not_cuts() {
        let rule = Windows {
            spans: &[("`", "`", true)],
            quotes: b"\"'",
            chars: b"",
            ..WINDOWS
        };
        let t = "const a = `\n\nfunction fake() {}\n\n`;\n\n/* x\n\nfunction gone() {}\n*/\n\nconst q = \"`\"; // `\n\nfunction real() {}\n";
        let s = starts(t);
        let inside = inside_lines(&rule, &C_LEX, t.as_bytes(), &s);
        let rows: Vec<usize> = (0..inside.len()).filter(|&k| inside[k]).collect();
        // The template's lines 2-5 and the comment's lines 8-10; the quoted
        // and commented backticks on line 12 open nothing.
        assert_eq!(rows, vec![1, 2, 3, 4, 7, 8, 9]);
        // Rust: lifetimes are no character literals; raw strings span lines.
        let rust = Windows {
            spans: &[("r#\"", "\"#", false), ("\"", "\"", true)],
            quotes: b"",
            ..WINDOWS
        };
        let t = "fn f<'a>(x: &'a str) -> char { '\"' }\nconst S: &str = \"a\n\nb\";\nconst R: &str = r#\"\"\n\nc\"#;\nfn g() {}\n";
        let inside = inside_lines(&rust, &C_LEX, t.as_bytes(), &starts(t));
        let rows: Vec<usize> = (0..inside.len()).filter(|&k| inside[k]).collect();
        assert_eq!(rows, vec![2, 3, 5, 6]);
    }

    #[test]
    fn base_windows_keep_the_edits_at_their_start_and_the_end_of_the_file() {
        let p = tree_sitter::Point::new(0, 0);
        // Head to base: 10 bytes inserted at 0, 4 removed at 50..54, 6
        // inserted at the end (100).
        let edit = |start: usize, old_end: usize, new_end: usize| tree_sitter::InputEdit {
            start_byte: start,
            old_end_byte: old_end,
            new_end_byte: new_end,
            start_position: p,
            old_end_position: p,
            new_end_position: p,
        };
        let edits = [edit(100, 100, 106), edit(50, 54, 50), edit(0, 0, 10)];
        // A window from 0 keeps the insertion at 0; one ending at 50 does
        // not take the removal at 50 (it belongs to the next window); the
        // last window takes the insertion at the end of the file.
        assert_eq!(
            moved(&[(0, 20), (30, 50), (50, 70), (80, 100)], &edits, 100),
            vec![(0, 30), (40, 60), (60, 76), (86, 112)]
        );
    }

    #[test]
    fn most_of_the_file_is_parsed_whole() {
        let t = "fn a() {\n    1\n    2\n    3\n    4\n}\n\nfn b() {}\n";
        assert_eq!(windows(&WINDOWS, &C_LEX, t, &starts(t), &[(2, 2)]), None);
    }

    #[test]
    fn overlapping_windows_merge() {
        let t = "a = 1\n\nb = 2\n\nc = 3\n\nd = 4\n\ne = 5\n\nf = 6\n\ng = 7\n\nh = 8\n";
        let s = starts(t);
        let w = windows(&WINDOWS, &C_LEX, t, &s, &[(3, 3), (4, 5)]).unwrap();
        assert_eq!(w.len(), 1);
        assert_eq!(&t[w[0].0..w[0].1], "b = 2\n\nc = 3\n\n");
    }
}
