//! Blast radius: how far a change can reach, per changed file and symbol.
//!
//! With the repository's files passed in ([`RepoIndex`], read by the CLI),
//! every changed symbol's references are counted across the repository
//! (fan-in) and every changed file's dependents found (files that include
//! or import it). Without them (the extension), the estimate uses paths,
//! policy and the symbols seen in the diff, and says it is partial. Shared
//! and common modules, configuration, schemas, base images and CI config
//! count as wide by default; policy can name more.

use super::features::PatchFacts;
use super::lexicon::{flag, FileKind, CI_DIRS};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One repository file's text.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct RepoFile {
    /// Path relative to the repository root, `/`-separated.
    pub path: String,
    /// Contents (lossily decoded).
    pub text: String,
}

/// The repository as the CLI read it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct RepoIndex {
    /// Files (text only; the CLI skips binaries and huge files).
    pub files: Vec<RepoFile>,
}

/// How far a change reaches.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Default)]
#[serde(rename_all = "lowercase")]
pub enum Radius {
    /// Local to the file.
    #[default]
    Narrow,
    /// A few dependents.
    Medium,
    /// Shared code, configuration or many dependents.
    Wide,
}

/// Blast radius of one changed file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FileRadius {
    /// Path.
    pub path: String,
    /// Estimate.
    pub radius: Radius,
    /// Files that include or import it (`None` without the repository).
    pub dependents: Option<u32>,
    /// A few of them.
    pub dependent_examples: Vec<String>,
    /// Why.
    pub reasons: Vec<String>,
}

/// Blast radius of one changed symbol.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SymbolRadius {
    /// Name.
    pub name: String,
    /// File it is changed in.
    pub path: String,
    /// New-side line where the diff shows it (definition or hunk).
    pub line: u32,
    /// References across the repository, definition excluded (`None`
    /// without the repository).
    pub references: Option<u32>,
    /// Files other than its own that reference it.
    pub referencing_files: Option<u32>,
    /// Estimate.
    pub radius: Radius,
}

/// The whole estimate.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct BlastRadius {
    /// True when computed without the repository (paths and diff only).
    pub partial: bool,
    /// Widest radius of any file or symbol.
    pub radius: Radius,
    /// Per changed file.
    pub files: Vec<FileRadius>,
    /// Per changed symbol, widest first.
    pub symbols: Vec<SymbolRadius>,
}

/// Path components and names that make a file wide-radius by default.
const WIDE_DIRS: &[&str] = &[
    "shared",
    "common",
    "core",
    "util",
    "utils",
    "lib",
    "libs",
    "include",
    "config",
    "configs",
    "schema",
    "schemas",
    "migrations",
    "proto",
    "protos",
    "api",
];

fn default_wide(path: &str, kind: FileKind) -> Option<&'static str> {
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    if name.starts_with("dockerfile") || name.starts_with("containerfile") {
        return Some("base image / container build");
    }
    if CI_DIRS.iter().any(|d| lower.starts_with(d))
        || lower.starts_with(".gitlab")
        || name == ".travis.yml"
        || name == "jenkinsfile"
    {
        return Some("CI configuration");
    }
    if name.contains("schema") || name.ends_with(".proto") || name.ends_with(".sql") {
        return Some("schema");
    }
    if kind == FileKind::Config {
        return Some("configuration");
    }
    if kind == FileKind::Build {
        return Some("build configuration");
    }
    let dirs: Vec<&str> = lower.split('/').collect();
    if let Some(d) = dirs.iter().rev().skip(1).find(|c| WIDE_DIRS.contains(c)) {
        return Some(match *d {
            "include" => "shared headers (include/)",
            "lib" | "libs" => "shared library code (lib/)",
            "util" | "utils" => "shared utilities",
            "config" | "configs" => "configuration",
            "schema" | "schemas" | "proto" | "protos" | "migrations" => "schema",
            "api" => "API surface",
            _ => "shared / common module",
        });
    }
    None
}

fn glob_match(patterns: &[String], path: &str) -> bool {
    patterns.iter().any(|p| {
        globset::Glob::new(p)
            .map(|g| g.compile_matcher().is_match(path))
            .unwrap_or(false)
            || path.starts_with(p.trim_end_matches("**").trim_end_matches('*'))
                && !p.trim_end_matches("**").trim_end_matches('*').is_empty()
    })
}

const NOT_SYMBOLS: &[&str] = &[
    "if",
    "for",
    "while",
    "switch",
    "return",
    "sizeof",
    "static",
    "inline",
    "const",
    "struct",
    "enum",
    "union",
    "void",
    "int",
    "char",
    "unsigned",
    "long",
    "bool",
    "main",
    "new",
    "self",
    "this",
    "fn",
    "def",
    "pub",
    "function",
    "class",
    "impl",
    "defined",
    "typeof",
    "else",
    "default",
    "fmt",
    "from",
    "clone",
    "drop",
    "into",
    "len",
    "get",
    "set",
    "next",
    "iter",
    "test",
    "init",
    "__init__",
    "toString",
    "constructor",
    "render",
    "setUp",
    "tearDown",
];

/// A leading identifier of at least three characters that is not a keyword.
fn ident_prefix(rest: &str) -> Option<&str> {
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let name = rest.get(..end)?;
    (name.len() >= 3
        && !NOT_SYMBOLS.contains(&name)
        && !name.starts_with(|c: char| c.is_ascii_digit()))
    .then_some(name)
}

/// The identifier before the first `(` of a definition-looking text.
fn def_name(text: &str) -> Option<&str> {
    let mut t = text.trim();
    if let Some(rest) = t.strip_prefix("#define ") {
        return ident_prefix(rest.trim_start());
    }
    // Drop modifiers, then look for a defining keyword at the start.
    loop {
        let before = t;
        for m in [
            "pub(crate) ",
            "pub ",
            "export ",
            "default ",
            "async ",
            "static ",
            "inline ",
            "extern ",
            "unsafe ",
            "const ",
            "typedef ",
        ] {
            if let Some(r) = t.strip_prefix(m) {
                t = r.trim_start();
            }
        }
        if t == before {
            break;
        }
    }
    for kw in [
        "fn ",
        "def ",
        "function ",
        "class ",
        "struct ",
        "enum ",
        "union ",
        "type ",
        "trait ",
        "interface ",
    ] {
        if let Some(rest) = t.strip_prefix(kw) {
            let rest = rest.trim_start();
            // `struct foo *bar(` is a function returning a pointer.
            if matches!(kw, "struct " | "enum " | "union ") && rest.contains('(') {
                break;
            }
            return ident_prefix(rest);
        }
    }
    let paren = t.find('(')?;
    let head = t.get(..paren)?.trim_end();
    let start = head
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .map(|i| i + 1)
        .unwrap_or(0);
    let name = head.get(start..)?;
    let ok = name.len() >= 3
        && !NOT_SYMBOLS.contains(&name)
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    ok.then_some(name)
}

/// Whether a definition is file-private (C `static`, Rust without `pub`,
/// Python `_name`): its references can only be in its own file.
fn is_private(def_text: &str, path: &str, name: &str) -> bool {
    let t = def_text.trim_start();
    t.starts_with("static ")
        || path.ends_with(".rs") && !t.starts_with("pub")
        || path.ends_with(".py") && name.starts_with('_') && !name.starts_with("__")
}

/// Symbols the diff shows changing: `(name, path, line, private)`, deduplicated.
pub fn changed_symbols(facts: &PatchFacts) -> Vec<(String, String, u32, bool)> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for f in &facts.files {
        if !matches!(f.kind, FileKind::Code) {
            continue;
        }
        // Definitions on changed lines.
        for l in &f.lines {
            let is_def = l.flags & flag::FUNC_DEF != 0
                || l.text.starts_with("#define ")
                || l.flags & flag::TYPEDEF != 0 && l.text.ends_with('{');
            if !is_def {
                continue;
            }
            if let Some(n) = def_name(&l.text) {
                if seen.insert((n.to_string(), f.path.clone())) {
                    out.push((
                        n.to_string(),
                        f.path.clone(),
                        if l.added { l.line } else { 0 },
                        is_private(&l.text, &f.path, n),
                    ));
                }
            }
        }
        // Enclosing functions: a definition in the hunk's leading context, or
        // the one git named in the hunk header, when the hunk changes code.
        for (hi, h) in f.hunks.iter().enumerate() {
            let heading = if h.enclosing.is_empty() {
                &h.section
            } else {
                &h.enclosing
            };
            if heading.is_empty() {
                continue;
            }
            let changes_code = f
                .lines
                .iter()
                .any(|l| l.hunk == hi && l.flags & (flag::TRIVIAL | flag::COMMENT) == 0);
            if !changes_code {
                continue;
            }
            if let Some(n) = def_name(heading) {
                if seen.insert((n.to_string(), f.path.clone())) {
                    let line = f
                        .lines
                        .iter()
                        .find(|l| l.hunk == hi && l.added)
                        .map(|l| l.line)
                        .unwrap_or(0);
                    out.push((
                        n.to_string(),
                        f.path.clone(),
                        line,
                        is_private(heading, &f.path, n),
                    ));
                }
            }
        }
    }
    out
}

/// Count whole-word occurrences of `word` in `text`.
#[cfg(test)]
fn count_word(text: &str, word: &str) -> u32 {
    count_word_with(text, &memchr::memmem::Finder::new(word))
}

/// [`count_word`] with the word's searcher built once by the caller (it
/// runs for every changed symbol over every line).
fn count_word_with(text: &str, finder: &memchr::memmem::Finder<'_>) -> u32 {
    let len = finder.needle().len();
    if len == 0 {
        return 0;
    }
    let b = text.as_bytes();
    let id = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut n = 0u32;
    for s in finder.find_iter(b) {
        let before = s
            .checked_sub(1)
            .and_then(|i| b.get(i))
            .copied()
            .unwrap_or(b' ');
        let after = b.get(s + len).copied().unwrap_or(b' ');
        if !id(before) && !id(after) {
            n = n.saturating_add(1);
        }
    }
    n
}

/// A file's lines that can include or import another file (`#include`,
/// `#import`, `import`, `from`, `use`, `mod`, `require(`, `export … from`,
/// `source`, `load(`), trimmed at the start; read once per repository file.
fn import_lines(text: &str) -> Vec<&str> {
    // Most files never call `require(`: one search spares asking every line.
    let requires = memchr::memmem::find(text.as_bytes(), b"require(").is_some();
    text.lines()
        .map(str::trim_start)
        .filter(|t| {
            // Every form starts with one of these bytes, or calls `require(`.
            let first = t.as_bytes().first().copied().unwrap_or(b' ');
            (matches!(
                first,
                b'#' | b'i' | b'f' | b'u' | b'm' | b'p' | b'e' | b's' | b'l'
            ) && (include_directive(t).is_some()
                || t.starts_with("import ")
                || t.starts_with("from ")
                || t.starts_with("use ")
                || t.starts_with("mod ")
                || t.starts_with("pub mod ")
                || t.starts_with("pub use ")
                || t.starts_with("export ") && t.contains(" from ")
                || t.starts_with("source ")
                || t.starts_with("load(")))
                || requires && t.contains("require(")
        })
        .collect()
}

/// Which repository files include or import what, read once from every
/// file's [`import_lines`], so that finding a changed file's dependents is
/// a lookup rather than a scan of the repository per changed file.
struct ImportIndex<'a> {
    /// An `#include`d or `#import`ed file's name (after its last `/`) ->
    /// the files that include it, in repository order.
    included: HashMap<&'a str, Vec<usize>>,
    /// An identifier on an import line -> the files whose import lines
    /// name it, in repository order.
    named: HashMap<&'a str, Vec<usize>>,
    /// Every file's import lines, for a stem that is no identifier.
    lines: Vec<Vec<&'a str>>,
}

/// The rest of an `#include`/`#import` line (`# include` too: the
/// preprocessor allows blanks after the `#`) after the directive.
fn include_directive(t: &str) -> Option<&str> {
    let d = t.strip_prefix('#')?.trim_start();
    d.strip_prefix("include")
        .or_else(|| d.strip_prefix("import"))
}

/// The file an `#include`/`#import` line names, after its last `/`
/// (`rest` is the line after the directive); `None` for a macro.
fn included_name(rest: &str) -> Option<&str> {
    let open = rest.find(['"', '<'])?;
    let close = if rest.as_bytes()[open] == b'"' {
        '"'
    } else {
        '>'
    };
    let inner = &rest[open + 1..];
    let path = &inner[..inner.find(close)?];
    let name = path.rsplit('/').next().unwrap_or(path);
    (!name.is_empty()).then_some(name)
}

fn is_identifier(w: &str) -> bool {
    !w.is_empty() && w.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
}

impl<'a> ImportIndex<'a> {
    fn new(files: &'a [RepoFile]) -> ImportIndex<'a> {
        let mut included: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut named: HashMap<&str, Vec<usize>> = HashMap::new();
        let push = |m: &mut HashMap<&'a str, Vec<usize>>, k: &'a str, fi: usize| {
            let v = m.entry(k).or_default();
            if v.last() != Some(&fi) {
                v.push(fi);
            }
        };
        let mut lines = Vec::with_capacity(files.len());
        for (fi, rf) in files.iter().enumerate() {
            let ls = import_lines(&rf.text);
            for t in &ls {
                if let Some(rest) = include_directive(t) {
                    if let Some(name) = included_name(rest) {
                        push(&mut included, name, fi);
                    }
                    continue;
                }
                for w in t.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
                    if !w.is_empty() {
                        push(&mut named, w, fi);
                    }
                }
            }
            lines.push(ls);
        }
        ImportIndex {
            included,
            named,
            lines,
        }
    }

    /// The files that include or import the file at `path`, in repository
    /// order. `#include "dir/name.h"` or `<name.h>` names it by its file
    /// name; other languages import it by its stem as a whole word on an
    /// import line (or its directory's name for `mod.rs`/`index.js`/
    /// `__init__.py`…; not when that name is shorter than two characters).
    /// A header is only included, never imported by its stem.
    fn dependents(&self, path: &str) -> Vec<usize> {
        let name = path.rsplit('/').next().unwrap_or(path);
        let mut stem = name.split('.').next().unwrap_or(name);
        let mut known = true;
        // A directory module is imported by the directory's name.
        if matches!(stem, "mod" | "index" | "__init__" | "lib" | "main") {
            let mut parts = path.rsplit('/');
            parts.next();
            match parts.next() {
                Some(dir) => stem = dir,
                None => known = false,
            }
        }
        let header_like = name.contains('.') && (name.ends_with(".h") || name.ends_with(".hpp"));
        let mut out: Vec<usize> = self.included.get(name).cloned().unwrap_or_default();
        if known && stem.len() >= 2 && !header_like {
            if is_identifier(stem) {
                out.extend(self.named.get(stem).into_iter().flatten());
            } else {
                let finder = memchr::memmem::Finder::new(stem.as_bytes());
                out.extend(self.lines.iter().enumerate().filter_map(|(fi, ls)| {
                    ls.iter()
                        .any(|t| include_directive(t).is_none() && count_word_with(t, &finder) > 0)
                        .then_some(fi)
                }));
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Whether `text` includes or imports the file at `path`.
#[cfg(test)]
fn imports(text: &str, path: &str) -> bool {
    let files = [RepoFile {
        path: "other".into(),
        text: text.into(),
    }];
    !ImportIndex::new(&files).dependents(path).is_empty()
}

/// Whole-word occurrences of each of `words` (identifiers) in each of
/// `files`: for every word, the files it occurs in and how often. One
/// Aho-Corasick pass over each file for all the words (leftmost-longest,
/// so a match that is not a whole word can only hide other matches inside
/// the same identifier, which are not whole words either); a word with
/// other characters, or a set the automaton cannot be built for, is
/// counted by a search of its own.
fn word_counts(files: &[RepoFile], words: &[&str]) -> Vec<Vec<(usize, u32)>> {
    let mut out: Vec<Vec<(usize, u32)>> = vec![Vec::new(); words.len()];
    let (idents, others): (Vec<usize>, Vec<usize>) =
        (0..words.len()).partition(|&i| is_identifier(words[i]));
    // A DFA is the fastest to search; too many words for one falls back to
    // the library's own choice.
    let build = |kind| {
        aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostLongest)
            .kind(kind)
            .build(idents.iter().map(|&i| words[i]))
            .ok()
    };
    let ac = build(Some(aho_corasick::AhoCorasickKind::DFA)).or_else(|| build(None));
    let searched: Vec<usize> = match ac {
        Some(_) => others,
        None => (0..words.len()).collect(),
    };
    let finders: Vec<(usize, memchr::memmem::Finder<'_>)> = searched
        .iter()
        .map(|&i| (i, memchr::memmem::Finder::new(words[i].as_bytes())))
        .collect();
    let id = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut counts = vec![0u32; words.len()];
    let mut touched = Vec::new();
    for (fi, rf) in files.iter().enumerate() {
        let b = rf.text.as_bytes();
        if let Some(ac) = &ac {
            for m in ac.find_iter(b) {
                let before = m.start().checked_sub(1).and_then(|i| b.get(i));
                let after = b.get(m.end());
                if before.is_some_and(|&c| id(c)) || after.is_some_and(|&c| id(c)) {
                    continue;
                }
                let w = idents[m.pattern().as_usize()];
                if counts[w] == 0 {
                    touched.push(w);
                }
                counts[w] = counts[w].saturating_add(1);
            }
        }
        for (w, finder) in &finders {
            let n = count_word_with(&rf.text, finder);
            if n > 0 {
                if counts[*w] == 0 {
                    touched.push(*w);
                }
                counts[*w] = counts[*w].saturating_add(n);
            }
        }
        for w in touched.drain(..) {
            out[w].push((fi, counts[w]));
            counts[w] = 0;
        }
    }
    out
}

fn classify(refs: u32, files: u32) -> Radius {
    if files >= 10 || refs >= 30 {
        Radius::Wide
    } else if files >= 3 || refs >= 8 {
        Radius::Medium
    } else {
        Radius::Narrow
    }
}

/// Estimate the blast radius. `wide_paths` are globs (or path prefixes)
/// policy names as wide; `repo` the repository's files when available.
pub fn estimate(
    facts: &PatchFacts,
    wide_paths: &[String],
    repo: Option<&RepoIndex>,
) -> BlastRadius {
    let mut out = BlastRadius {
        partial: repo.is_none(),
        ..BlastRadius::default()
    };
    let symbols = changed_symbols(facts);
    let syms_per_file: BTreeMap<&str, usize> =
        symbols.iter().fold(BTreeMap::new(), |mut m, (_, p, _, _)| {
            *m.entry(p.as_str()).or_default() += 1;
            m
        });
    let import_index = repo.map(|r| ImportIndex::new(&r.files));
    for f in &facts.files {
        let mut reasons = Vec::new();
        let mut radius = Radius::Narrow;
        if glob_match(wide_paths, &f.path) {
            radius = Radius::Wide;
            reasons.push("policy names this path wide".to_string());
        }
        if !matches!(f.kind, FileKind::Test | FileKind::Doc) {
            if let Some(r) = default_wide(&f.path, f.kind) {
                radius = Radius::Wide;
                reasons.push(format!("{r}: wide by default"));
            }
        }
        if f.header && f.kind == FileKind::Code && radius < Radius::Medium {
            radius = Radius::Medium;
            reasons.push("header: included by other files".to_string());
        }
        let (dependents, examples) = match repo {
            Some(_) if matches!(f.kind, FileKind::Doc | FileKind::Test) => (Some(0), Vec::new()),
            Some(r) => {
                let deps: Vec<&str> = import_index
                    .as_ref()
                    .map(|ix| ix.dependents(&f.path))
                    .unwrap_or_default()
                    .into_iter()
                    .map(|fi| r.files[fi].path.as_str())
                    .filter(|p| *p != f.path)
                    .collect();
                let n = deps.len() as u32;
                let c = classify(0, n);
                if n > 0 {
                    reasons.push(format!("{n} files include or import it"));
                }
                radius = radius.max(c);
                (
                    Some(n),
                    deps.iter().take(5).map(|s| s.to_string()).collect(),
                )
            }
            None => (None, Vec::new()),
        };
        if repo.is_none() && syms_per_file.get(f.path.as_str()).copied().unwrap_or(0) >= 5 {
            radius = radius.max(Radius::Medium);
            reasons.push("changes many definitions".to_string());
        }
        if matches!(f.kind, FileKind::Test | FileKind::Doc) && reasons.is_empty() {
            reasons.push(if f.kind == FileKind::Test {
                "test code: nothing depends on it at run time".to_string()
            } else {
                "documentation".to_string()
            });
        }
        out.files.push(FileRadius {
            path: f.path.clone(),
            radius,
            dependents,
            dependent_examples: examples,
            reasons,
        });
    }
    // Every distinct name's occurrences across the repository, in one pass.
    let names: Vec<String> = symbols
        .iter()
        .map(|(n, ..)| n.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let occurrences = repo.map(|r| {
        let words: Vec<&str> = names.iter().map(String::as_str).collect();
        word_counts(&r.files, &words)
    });
    for (name, path, line, private) in symbols {
        let (references, referencing_files, radius) = match (repo, &occurrences) {
            (Some(r), Some(occ)) => {
                let mut refs = 0u32;
                let mut files = 0u32;
                let w = names.binary_search(&name).unwrap_or_default();
                for &(fi, n) in occ.get(w).map(Vec::as_slice).unwrap_or_default() {
                    if r.files[fi].path == path {
                        refs = refs.saturating_add(n.saturating_sub(1));
                    } else if !private {
                        refs = refs.saturating_add(n);
                        files += 1;
                    }
                }
                (Some(refs), Some(files), classify(refs, files))
            }
            _ => {
                // Partial: uses seen elsewhere in the diff only.
                let finder = memchr::memmem::Finder::new(name.as_bytes());
                let mut files = BTreeSet::new();
                for f in &facts.files {
                    if f.path != path
                        && f.lines
                            .iter()
                            .any(|l| count_word_with(&l.text, &finder) > 0)
                    {
                        files.insert(f.path.as_str());
                    }
                }
                let file_r = out
                    .files
                    .iter()
                    .find(|fr| fr.path == path)
                    .map(|fr| fr.radius)
                    .unwrap_or_default();
                (
                    None,
                    None,
                    classify(0, files.len() as u32).max(file_r.min(Radius::Medium)),
                )
            }
        };
        out.symbols.push(SymbolRadius {
            name,
            path,
            line,
            references,
            referencing_files,
            radius,
        });
    }
    out.symbols.sort_by(|a, b| {
        b.radius
            .cmp(&a.radius)
            .then(b.references.cmp(&a.references))
            .then(a.path.cmp(&b.path))
            .then(a.name.cmp(&b.name))
    });
    out.radius = out
        .files
        .iter()
        .map(|f| f.radius)
        .chain(out.symbols.iter().map(|s| s.radius))
        .max()
        .unwrap_or_default();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_definitions() {
        assert_eq!(def_name("static int foo_bar(struct x *y)"), Some("foo_bar"));
        assert_eq!(def_name("#define MAX_LEN 10"), Some("MAX_LEN"));
        assert_eq!(def_name("pub fn run(a: Args) -> i32 {"), Some("run"));
        assert_eq!(def_name("def handle(self):"), Some("handle"));
        assert_eq!(def_name("if (x)"), None);
        assert_eq!(def_name("static int foo(struct bar *b)"), Some("foo"));
        assert_eq!(def_name("struct ofpbuf *make_buf(void)"), Some("make_buf"));
        assert_eq!(def_name("struct flow {"), Some("flow"));
    }

    #[test]
    fn word_counts_respect_boundaries() {
        assert_eq!(count_word("foo foo_bar barfoo foo(", "foo"), 2);
        assert_eq!(count_word("", "foo"), 0);
        assert_eq!(count_word("é foo é", "foo"), 1);
    }

    fn file(path: &str, text: &str) -> RepoFile {
        RepoFile {
            path: path.into(),
            text: text.into(),
        }
    }

    #[test]
    fn one_pass_counts_every_word_as_its_own_search_does() {
        let files = [
            file(
                "a.c",
                "foo foo_bar(foo) barfoo foobar\nfoo_bar é foo foo_ba",
            ),
            file("b.c", "bar x a-b y foo_bar_baz"),
            file("c.c", "nothing here"),
        ];
        // Words that overlap and nest, and one that is not an identifier.
        let words = ["foo", "foo_bar", "bar", "oo", "foo_ba", "a-b", "baz"];
        let got = word_counts(&files, &words);
        for (w, word) in words.iter().enumerate() {
            let each: Vec<(usize, u32)> = files
                .iter()
                .enumerate()
                .filter_map(|(i, f)| {
                    let n = count_word(&f.text, word);
                    (n > 0).then_some((i, n))
                })
                .collect();
            assert_eq!(got[w], each, "{word}");
        }
        assert_eq!(got[0], [(0, 3)]);
        assert_eq!(got[1], [(0, 2)]);
        assert_eq!(got[5], [(1, 1)]);
        assert!(got[3].is_empty() && got[6].is_empty());
    }

    #[test]
    fn ci_configuration_is_wide_on_every_host() {
        for p in [
            ".github/workflows/ci.yml",
            ".gitlab-ci.yml",
            ".gitea/workflows/ci.yaml",
            ".forgejo/workflows/deploy.yml",
            ".circleci/config.yml",
            "Jenkinsfile",
        ] {
            assert_eq!(
                default_wide(p, FileKind::Build),
                Some("CI configuration"),
                "{p}"
            );
        }
        assert_eq!(default_wide("docs/forgejo.md", FileKind::Doc), None);
    }

    #[test]
    fn include_detection() {
        assert!(imports("#include \"lib/util.h\"\n", "lib/util.h"));
        assert!(imports("#include <util.h>\n", "lib/util.h"));
        assert!(!imports("#include \"myutil.h\"\n", "lib/util.h"));
        assert!(imports("from pkg.helpers import x\n", "pkg/helpers.py"));
        assert!(imports("use crate::helpers;\n", "src/helpers.rs"));
        // The included file's own name, not a prefix of another's.
        assert!(!imports("#include \"util.hpp\"\n", "lib/util.h"));
        assert!(!imports("#include \"util.h.in\"\n", "lib/util.h"));
        assert!(imports("#include_next <util.h>\n", "lib/util.h"));
        assert!(imports("  #  include <sys/a.h>\n", "include/sys/a.h"));
        assert!(imports("#include <sys/a.h> /* x.h */\n", "include/sys/a.h"));
        assert!(!imports("#include <sys/a.h> /* x.h */\n", "x.h"));
        assert!(!imports("#include HEADER\n", "lib/util.h"));
        // A header is never imported by its stem; a stem that is no
        // identifier is still found as a whole word.
        assert!(!imports("import util\n", "lib/util.h"));
        assert!(imports(
            "const x = require('./foo-bar');\n",
            "src/foo-bar.js"
        ));
        assert!(!imports(
            "const x = require('./foo-barn');\n",
            "src/foo-bar.js"
        ));
        assert!(!imports("#include \"foo\"\n", "src/foo.rs"));
        // Directory modules by their directory's name.
        assert!(imports("from pkg import x\n", "pkg/__init__.py"));
        assert!(imports("mod net;\n", "src/net/mod.rs"));
    }

    #[test]
    fn dependents_are_found_by_lookup_in_repository_order() {
        let files = [
            file("a.c", "#include \"util.h\"\nint a;\n"),
            file("b.py", "import helpers, util\n"),
            file(
                "c.c",
                "/* util.h */\n#include <lib/util.h>\n#include \"util.h\"\n",
            ),
            file("d.rs", "use crate::helpers::x;\n"),
            file("e.js", "let h = require('../helpers');\n"),
        ];
        let ix = ImportIndex::new(&files);
        assert_eq!(ix.dependents("lib/util.h"), [0, 2]);
        assert_eq!(ix.dependents("src/helpers.rs"), [1, 3, 4]);
        assert_eq!(ix.dependents("src/util.py"), [1]);
        assert!(ix.dependents("src/x.rs").is_empty());
    }
}
