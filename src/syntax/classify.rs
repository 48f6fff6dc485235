//! What kind of change each edit really is: pairs removed and added lines
//! (with `similar`), finds blocks moved within or across files, and
//! classifies the rest as whitespace, comment, rename, literal or logic.
//! Works on text with a small tokenizer, so it needs no syntax tree.

use super::lexer::{is_keyword, tokenize, Tok, TokKind, PLAIN_LEXICAL};
use super::model::{EditClass, Generated, IntraRange, LineRange, Location};
use crate::diff::{LineKind, Patch};
use crate::finding::Side;
use crate::lang::{Lang, Lexical};
use similar::{capture_diff_slices, Algorithm, DiffOp};
use std::collections::HashMap;

/// A run of changed lines inside one hunk: removed lines then added lines
/// (git prints them in that order; interleaved runs become several blocks).
#[derive(Debug, Clone, Default)]
pub struct Block {
    /// File index in the patch.
    pub file: usize,
    /// Removed lines: (old line number, text).
    pub removed: Vec<(u32, String)>,
    /// Added lines: (new line number, text).
    pub added: Vec<(u32, String)>,
}

/// The change blocks of one file.
pub fn blocks_of(patch: &Patch<'_>, fi: usize) -> Vec<Block> {
    let mut out = Vec::new();
    let Some(f) = patch.files.get(fi) else {
        return out;
    };
    for h in &f.hunks {
        let mut cur = Block {
            file: fi,
            ..Default::default()
        };
        for l in &h.lines {
            match l.kind {
                LineKind::Context => {
                    if !cur.removed.is_empty() || !cur.added.is_empty() {
                        out.push(std::mem::replace(
                            &mut cur,
                            Block {
                                file: fi,
                                ..Default::default()
                            },
                        ));
                    }
                }
                LineKind::Removed => {
                    if !cur.added.is_empty() {
                        out.push(std::mem::replace(
                            &mut cur,
                            Block {
                                file: fi,
                                ..Default::default()
                            },
                        ));
                    }
                    cur.removed
                        .push((l.old_no().unwrap_or(0), patch.line_text(l).into_owned()));
                }
                LineKind::Added => {
                    cur.added
                        .push((l.new_no().unwrap_or(0), patch.line_text(l).into_owned()));
                }
            }
        }
        if !cur.removed.is_empty() || !cur.added.is_empty() {
            out.push(cur);
        }
    }
    out
}

/// A moved segment: removed lines in one place, the same lines added in
/// another (whitespace-insensitive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoveSeg {
    /// File the lines were removed from.
    pub from_file: usize,
    /// Old-side lines.
    pub old: LineRange,
    /// File the lines were added to.
    pub to_file: usize,
    /// New-side lines.
    pub new: LineRange,
}

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

struct Entry {
    file: usize,
    block: usize,
    line: u32,
    norm: String,
}

/// Find moved segments among blocks (of one file or a whole patch).
/// Each line is part of at most one segment.
pub fn find_moves(blocks: &[Block]) -> Vec<MoveSeg> {
    let mut rem = Vec::new();
    let mut add = Vec::new();
    for (bi, b) in blocks.iter().enumerate() {
        for (line, t) in &b.removed {
            rem.push(Entry {
                file: b.file,
                block: bi,
                line: *line,
                norm: norm(t),
            });
        }
        for (line, t) in &b.added {
            add.push(Entry {
                file: b.file,
                block: bi,
                line: *line,
                norm: norm(t),
            });
        }
    }
    let mut index: HashMap<&str, Vec<usize>> = HashMap::new();
    for (j, e) in add.iter().enumerate() {
        if !e.norm.is_empty() {
            index.entry(e.norm.as_str()).or_default().push(j);
        }
    }
    let mut used_add = vec![false; add.len()];
    let mut out = Vec::new();
    let mut i = 0;
    while i < rem.len() {
        let Some(r0) = rem.get(i) else { break };
        if r0.norm.is_empty() {
            i += 1;
            continue;
        }
        let mut best: Option<(usize, usize)> = None; // (j, len)
        if let Some(cands) = index.get(r0.norm.as_str()) {
            for &j in cands.iter().take(64) {
                if used_add.get(j).copied().unwrap_or(true) {
                    continue;
                }
                let Some(a0) = add.get(j) else { continue };
                if a0.block == r0.block {
                    continue;
                }
                let mut k = 0;
                while let (Some(r), Some(a)) = (rem.get(i + k), add.get(j + k)) {
                    if r.norm != a.norm
                        || r.file != r0.file
                        || a.file != a0.file
                        || a.block == r.block
                        || r.line != r0.line + k as u32
                        || a.line != a0.line + k as u32
                        || used_add.get(j + k).copied().unwrap_or(true)
                    {
                        break;
                    }
                    k += 1;
                }
                if best.is_none_or(|(_, l)| k > l) {
                    best = Some((j, k));
                }
            }
        }
        if let Some((j, k)) = best {
            let seg = &rem[i..i + k];
            let non_blank = seg.iter().filter(|e| !e.norm.is_empty()).count();
            let chars: usize = seg.iter().map(|e| e.norm.len()).sum();
            // Short runs stay with their block: moving one or two
            // statements reorders logic, and common lines match by chance.
            if non_blank >= 3 && chars >= 40 {
                for u in used_add.iter_mut().skip(j).take(k) {
                    *u = true;
                }
                let (Some(a0), Some(r0)) = (add.get(j), rem.get(i)) else {
                    break;
                };
                out.push(MoveSeg {
                    from_file: r0.file,
                    old: LineRange {
                        start: r0.line,
                        end: r0.line + k as u32 - 1,
                    },
                    to_file: a0.file,
                    new: LineRange {
                        start: a0.line,
                        end: a0.line + k as u32 - 1,
                    },
                });
                i += k;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// A tentative classification of the non-moved part of a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tentative {
    /// Class before patch-level checks.
    pub class: EditClass,
    /// Identifier substitutions for a rename (old, new, occurrences).
    pub subs: Vec<(String, String, u32)>,
}

type Toks<'a> = Vec<(TokKind, &'a str)>;

fn toks<'a>(text: &'a str, lex: &Lexical) -> Toks<'a> {
    tokenize(text, lex, false)
        .into_iter()
        .map(|t| (t.kind, text.get(t.start..t.end).unwrap_or("")))
        .collect()
}

/// Classify removed text against added text.
pub fn classify_texts(old: &str, new: &str, lex: &Lexical) -> Tentative {
    let o = toks(old, lex);
    let n = toks(new, lex);
    let plain = |class| Tentative {
        class,
        subs: Vec::new(),
    };
    if o == n {
        return plain(EditClass::Whitespace);
    }
    let oc: Toks<'_> = o
        .iter()
        .copied()
        .filter(|t| t.0 != TokKind::Comment)
        .collect();
    let nc: Toks<'_> = n
        .iter()
        .copied()
        .filter(|t| t.0 != TokKind::Comment)
        .collect();
    if oc == nc {
        return plain(EditClass::Comment);
    }
    if oc.len() != nc.len() || oc.is_empty() {
        return plain(EditClass::Logic);
    }
    let mut idents = false;
    let mut literals = false;
    let mut map: HashMap<&str, (&str, u32)> = HashMap::new();
    let mut rev: HashMap<&str, &str> = HashMap::new();
    for (a, b) in oc.iter().zip(&nc) {
        if a.1 == b.1 {
            continue;
        }
        if a.0 != b.0 {
            return plain(EditClass::Logic);
        }
        match a.0 {
            TokKind::Ident => {
                if is_keyword(a.1) || is_keyword(b.1) {
                    return plain(EditClass::Logic);
                }
                idents = true;
                let e = map.entry(a.1).or_insert((b.1, 0));
                if e.0 != b.1 {
                    return plain(EditClass::Logic);
                }
                e.1 += 1;
                if *rev.entry(b.1).or_insert(a.1) != a.1 {
                    return plain(EditClass::Logic);
                }
            }
            TokKind::Str | TokKind::Number => literals = true,
            _ => return plain(EditClass::Logic),
        }
    }
    if idents && literals {
        return plain(EditClass::Logic);
    }
    if literals {
        return plain(EditClass::Literal);
    }
    // Consistency: an identifier that was renamed must not also stay
    // unchanged elsewhere in the block.
    for (a, b) in oc.iter().zip(&nc) {
        if a.0 == TokKind::Ident && a.1 == b.1 && map.contains_key(a.1) {
            return plain(EditClass::Logic);
        }
    }
    let mut subs: Vec<(String, String, u32)> = map
        .into_iter()
        .map(|(a, (b, c))| (a.to_string(), b.to_string(), c))
        .collect();
    subs.sort();
    Tentative {
        class: EditClass::Rename,
        subs,
    }
}

/// Lexical conventions of a language (or the default).
pub fn lexical(lang: Option<Lang>) -> &'static Lexical {
    match lang {
        Some(l) => &l.info().lexical,
        None => &PLAIN_LEXICAL,
    }
}

/// Pair removed and added lines (by `similar` on whitespace-normalised
/// lines) and compute changed byte ranges within each pair.
pub fn intra_ranges(
    removed: &[(u32, String)],
    added: &[(u32, String)],
    lex: &Lexical,
) -> Vec<IntraRange> {
    let mut out = Vec::new();
    if removed.is_empty() || added.is_empty() || removed.len() * added.len() > 250_000 {
        return out;
    }
    let a: Vec<String> = removed.iter().map(|(_, t)| norm(t)).collect();
    let b: Vec<String> = added.iter().map(|(_, t)| norm(t)).collect();
    for op in capture_diff_slices(Algorithm::Myers, &a, &b) {
        let pairs: Vec<(usize, usize)> = match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => (0..len).map(|k| (old_index + k, new_index + k)).collect(),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => pair_lines(&a, old_index, old_len, &b, new_index, new_len, lex),
            _ => Vec::new(),
        };
        for (oi, ni) in pairs {
            let (Some((ol, ot)), Some((nl, nt))) = (removed.get(oi), added.get(ni)) else {
                continue;
            };
            line_ranges(*ol, ot, *nl, nt, lex, &mut out);
        }
    }
    out
}

/// Pair the lines of a replaced run in order, each old line with the most
/// similar later new line (at least half its tokens in common).
fn pair_lines(
    a: &[String],
    ai: usize,
    an: usize,
    b: &[String],
    bi: usize,
    bn: usize,
    lex: &Lexical,
) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    if an * bn > 2_500 {
        return (0..an.min(bn)).map(|k| (ai + k, bi + k)).collect();
    }
    let mut next = bi;
    for i in ai..ai + an {
        let Some(x) = a.get(i) else { break };
        let mut best: Option<(f32, usize)> = None;
        for j in next..bi + bn {
            let Some(y) = b.get(j) else { break };
            let s = token_similarity(x, y, lex);
            if s >= 0.5 && best.is_none_or(|(bs, _)| s > bs) {
                best = Some((s, j));
            }
        }
        if let Some((_, j)) = best {
            out.push((i, j));
            next = j + 1;
        }
    }
    // Lines with nothing in common (a string replaced whole): pair in order
    // when the runs are the same length.
    if out.is_empty() && an == bn {
        return (0..an).map(|k| (ai + k, bi + k)).collect();
    }
    out
}

/// Share of tokens two texts have in common (0..=1), by `similar`.
pub fn token_similarity(x: &str, y: &str, lex: &Lexical) -> f32 {
    let tx = toks(x, lex);
    let ty = toks(y, lex);
    if tx.is_empty() && ty.is_empty() {
        return 1.0;
    }
    if tx.len() * ty.len() > 4_000_000 {
        return if tx == ty { 1.0 } else { 0.0 };
    }
    let same: usize = capture_diff_slices(Algorithm::Myers, &tx, &ty)
        .iter()
        .map(|op| match op {
            DiffOp::Equal { len, .. } => *len,
            _ => 0,
        })
        .sum();
    2.0 * same as f32 / (tx.len() + ty.len()) as f32
}

fn line_ranges(ol: u32, ot: &str, nl: u32, nt: &str, lex: &Lexical, out: &mut Vec<IntraRange>) {
    let otoks: Vec<Tok> = tokenize(ot, lex, true);
    let ntoks: Vec<Tok> = tokenize(nt, lex, true);
    if otoks.len() > 2000 || ntoks.len() > 2000 {
        return;
    }
    let os: Vec<&str> = otoks
        .iter()
        .map(|t| ot.get(t.start..t.end).unwrap_or(""))
        .collect();
    let ns: Vec<&str> = ntoks
        .iter()
        .map(|t| nt.get(t.start..t.end).unwrap_or(""))
        .collect();
    let mut push = |side: Side, line: u32, toks: &[Tok], range: std::ops::Range<usize>| {
        if range.is_empty() {
            return;
        }
        let (Some(first), Some(last)) = (toks.get(range.start), toks.get(range.end - 1)) else {
            return;
        };
        // Merge with the previous range on the same line when adjacent.
        if let Some(prev) = out.last_mut() {
            if prev.side == side && prev.line == line && prev.end as usize == first.start {
                prev.end = last.end as u32;
                return;
            }
        }
        out.push(IntraRange {
            side,
            line,
            start: first.start as u32,
            end: last.end as u32,
        });
    };
    for op in capture_diff_slices(Algorithm::Myers, &os, &ns) {
        match op {
            DiffOp::Equal { .. } => {}
            DiffOp::Delete {
                old_index, old_len, ..
            } => push(Side::Old, ol, &otoks, old_index..old_index + old_len),
            DiffOp::Insert {
                new_index, new_len, ..
            } => push(Side::New, nl, &ntoks, new_index..new_index + new_len),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                push(Side::Old, ol, &otoks, old_index..old_index + old_len);
                push(Side::New, nl, &ntoks, new_index..new_index + new_len);
            }
        }
    }
    // Whitespace-only token differences are not interesting for display.
    out.retain(|r| {
        let t = if r.side == Side::Old { ot } else { nt };
        let same_line =
            (r.side == Side::Old && r.line == ol) || (r.side == Side::New && r.line == nl);
        !same_line
            || t.get(r.start as usize..r.end as usize)
                .is_some_and(|s| !s.trim().is_empty())
    });
}

const LOCKFILES: &[&str] = &[
    "Cargo.lock",
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lockb",
    "bun.lock",
    "poetry.lock",
    "uv.lock",
    "Pipfile.lock",
    "pdm.lock",
    "Gemfile.lock",
    "composer.lock",
    "go.sum",
    "flake.lock",
    "mix.lock",
    "pubspec.lock",
    "packages.lock.json",
    "Podfile.lock",
    "gradle.lockfile",
    "Package.resolved",
    "deno.lock",
    ".terraform.lock.hcl",
];

const VENDOR_DIRS: &[&str] = &[
    "vendor",
    "node_modules",
    "third_party",
    "third-party",
    "thirdparty",
    "bower_components",
    "external_libs",
];

/// Directories whose files a tool writes (a path containing one, as whole
/// segments): Sorbet's RBI files that tapioca generates for gems and DSLs,
/// and Relay/GraphQL code generators' `__generated__`.
const GENERATED_DIRS: &[&str] = &["/sorbet/rbi/gems/", "/sorbet/rbi/dsl/", "/__generated__/"];
/// Directories of files pulled from elsewhere: Sorbet's shared annotations.
const PULLED_DIRS: &[&str] = &["/sorbet/rbi/annotations/"];

/// Generated, vendored or lock file, by path.
pub fn generated_by_path(path: &str) -> Option<Generated> {
    let file = path.rsplit('/').next().unwrap_or(path);
    if LOCKFILES.contains(&file) {
        return Some(Generated::Lockfile);
    }
    let rooted = format!("/{path}");
    if GENERATED_DIRS.iter().any(|d| rooted.contains(d)) {
        return Some(Generated::Generated);
    }
    if PULLED_DIRS.iter().any(|d| rooted.contains(d)) {
        return Some(Generated::Vendored);
    }
    let dirs: Vec<&str> = path.split('/').collect();
    if dirs
        .iter()
        .take(dirs.len().saturating_sub(1))
        .any(|d| VENDOR_DIRS.contains(d))
    {
        return Some(Generated::Vendored);
    }
    let lower = file.to_ascii_lowercase();
    if lower.ends_with(".min.js") || lower.ends_with(".min.css") || lower.ends_with(".bundle.js") {
        return Some(Generated::Minified);
    }
    let gen_suffixes = [
        ".pb.go",
        "_pb2.py",
        "_pb2_grpc.py",
        "_pb2.pyi",
        ".pb.h",
        ".pb.cc",
        ".pb.rs",
        "_generated.go",
        ".g.dart",
        ".freezed.dart",
        ".designer.cs",
        ".g.cs",
        "_grpc.pb.go",
        ".gen.go",
        ".gen.ts",
    ];
    if gen_suffixes.iter().any(|s| lower.ends_with(s))
        || lower.contains(".generated.")
        || lower.starts_with("zz_generated")
    {
        return Some(Generated::Generated);
    }
    None
}

/// Generated file, by a header marker in its first lines.
pub fn generated_by_header<'a>(first_lines: impl Iterator<Item = &'a str>) -> Option<Generated> {
    for l in first_lines.take(5) {
        let t = l.trim();
        let lower = t.to_ascii_lowercase();
        let commentish = t.starts_with("//")
            || t.starts_with('#')
            || t.starts_with("/*")
            || t.starts_with('*')
            || t.starts_with("--")
            || t.starts_with("<!--")
            || t.starts_with(';');
        if !commentish {
            continue;
        }
        let phrase = |p: &str| lower.contains(p);
        if (t.contains("@generated") && !t.contains("@generated-"))
            || t.contains("DO NOT EDIT")
            || phrase("code generated by")
            || phrase("this file is generated")
            || phrase("this file was generated")
            || phrase("this file is automatically generated")
            || phrase("this file was automatically generated")
            || phrase("this file is auto-generated")
            || phrase("this file was auto-generated")
            || phrase("autogenerated by")
            || phrase("auto-generated by")
            || phrase("automatically generated by")
            || phrase("generated file, do not")
        {
            return Some(Generated::Generated);
        }
    }
    None
}

/// Location helper.
pub fn loc(path: &str, side: Side, line: u32) -> Location {
    Location {
        path: path.to_string(),
        side,
        line,
        changed: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(old: &str, new: &str) -> EditClass {
        classify_texts(old, new, &Lang::Rust.info().lexical).class
    }

    #[test]
    fn classes() {
        assert_eq!(c("let x = 1;", "let  x =\n 1;"), EditClass::Whitespace);
        assert_eq!(c("let x = 1; // a", "let x = 1; // b"), EditClass::Comment);
        assert_eq!(c("let x = 1;", "let x = 2;"), EditClass::Literal);
        assert_eq!(c("let s = \"a\";", "let s = \"b\";"), EditClass::Literal);
        assert_eq!(c("let x = a + x;", "let y = a + y;"), EditClass::Rename);
        assert_eq!(c("let x = a + x;", "let y = a + x;"), EditClass::Logic);
        assert_eq!(c("if a { b() }", "if !a { b() }"), EditClass::Logic);
        assert_eq!(c("return x;", "break x;"), EditClass::Logic);
        assert_eq!(c("foo(1)", "bar(2)"), EditClass::Logic);
    }

    #[test]
    fn paths() {
        assert_eq!(generated_by_path("Cargo.lock"), Some(Generated::Lockfile));
        assert_eq!(
            generated_by_path("web/yarn.lock"),
            Some(Generated::Lockfile)
        );
        assert_eq!(
            generated_by_path("vendor/x/y.go"),
            Some(Generated::Vendored)
        );
        assert_eq!(
            generated_by_path("api/v1/x.pb.go"),
            Some(Generated::Generated)
        );
        assert_eq!(
            generated_by_path("static/app.min.js"),
            Some(Generated::Minified)
        );
        assert_eq!(generated_by_path("src/vendor.rs"), None);
        assert_eq!(
            generated_by_path("Library/Homebrew/sorbet/rbi/gems/rubocop@1.89.0.rbi"),
            Some(Generated::Generated)
        );
        assert_eq!(
            generated_by_path("sorbet/rbi/dsl/user.rbi"),
            Some(Generated::Generated)
        );
        assert_eq!(
            generated_by_path("sorbet/rbi/annotations/rainbow.rbi"),
            Some(Generated::Vendored)
        );
        assert_eq!(
            generated_by_path("web/src/__generated__/UserQuery.graphql.ts"),
            Some(Generated::Generated)
        );
        assert_eq!(generated_by_path("sorbet/rbi/todo.rbi"), None);
        assert_eq!(generated_by_path("src/generated_gems/x.rb"), None);
        assert_eq!(
            generated_by_header(["// Code generated by protoc-gen-go. DO NOT EDIT."].into_iter()),
            Some(Generated::Generated)
        );
        assert_eq!(
            generated_by_header(["let generated = true;"].into_iter()),
            None
        );
    }

    #[test]
    fn ranges_within_a_line() {
        let r = intra_ranges(
            &[(3, "let total = price * 2;".into())],
            &[(3, "let total = price * 3;".into())],
            &Lang::Rust.info().lexical,
        );
        assert_eq!(
            r,
            vec![
                IntraRange {
                    side: Side::Old,
                    line: 3,
                    start: 20,
                    end: 21
                },
                IntraRange {
                    side: Side::New,
                    line: 3,
                    start: 20,
                    end: 21
                },
            ]
        );
    }
}
