//! Content features of a change, computed from the diff lines only (no
//! commit metadata): comments, placeholders, stubs, docstrings, identifier
//! and formatting statistics. Every feature is a plain number with a
//! description, so a score can say which ones moved it.

use crate::diff::{FileStatus, LineKind, Patch};
use regex::Regex;
use std::collections::HashSet;
use std::sync::OnceLock;

/// One feature: name and what it measures.
pub struct FeatureDef {
    /// Stable name (the model's weights are keyed by it).
    pub name: &'static str,
    /// What it measures, for explanations.
    pub description: &'static str,
}

macro_rules! features {
    ($( $id:ident = $name:literal : $desc:literal ),* $(,)?) => {
        /// Feature indices.
        #[allow(non_camel_case_types, missing_docs, clippy::enum_variant_names, clippy::upper_case_acronyms)]
        #[derive(Clone, Copy)]
        #[repr(usize)]
        enum F { $( $id ),* , COUNT }
        /// Every feature, in vector order.
        pub static FEATURES: &[FeatureDef] = &[
            $( FeatureDef { name: $name, description: $desc } ),*
        ];
    };
}

features! {
    LogAdded = "log_added": "size: log(1 + added lines)",
    LogFiles = "log_files": "size: log(1 + files changed)",
    DeletedShare = "deleted_share": "share of changed lines that are deletions",
    CommentShare = "comment_share": "share of added code lines that are comments",
    RestatingComments = "restating_comments": "comments that restate the next line of code (per added code line)",
    CommentSentences = "comment_sentences": "share of comments written as full sentences (capital, 4+ words)",
    CommentWords = "comment_words": "mean words per added comment",
    Placeholder = "placeholder": "placeholder elisions (`... existing code ...`, `rest of the implementation`, `TODO: implement`)",
    Stub = "stub": "stubs in non-test code (`pass`, `NotImplementedError`, `unimplemented!()`, `todo!()`)",
    DocstringShare = "docstring_share": "share of added functions that carry a docstring or doc comment",
    TypeHintShare = "type_hint_share": "share of added Python functions with type annotations",
    Emoji = "emoji": "emoji or pictographs in added lines (per added line)",
    UnicodePunct = "unicode_punct": "typographic punctuation (— → “ ” …) in added lines (per added line)",
    BacktickComments = "backtick_comments": "comments and docstrings quoting code in `backticks` (per added code line)",
    InlineComments = "inline_comments": "share of added code lines with a trailing comment",
    MeanLineLen = "mean_line_len": "mean length of added non-blank code lines / 100",
    LongLines = "long_lines": "share of added code lines longer than 88 characters",
    BlankShare = "blank_share": "share of added code lines that are blank",
    TrailingWs = "trailing_ws": "share of added lines with trailing whitespace",
    IdentLen = "ident_len": "mean identifier length / 10",
    LongSnake = "long_snake": "share of identifiers with three or more snake_case parts",
    TestShare = "test_share": "share of added lines in test files",
    DocShare = "doc_share": "share of added lines in documentation files",
    NewFileShare = "new_file_share": "share of files that are new",
    LinesPerHunk = "lines_per_hunk": "log(1 + added lines per hunk)",
    FString = "fstring": "Python f-strings per added code line",
    Indent = "indent": "mean indentation of added code lines / 10",
    Separators = "separators": "section separator comments (`# ---`, `// ===`) per added code line",
    Duplicates = "duplicates": "share of added code lines that repeat another added line",
    AssertMessages = "assert_messages": "share of Python asserts that carry a message",
    TestNameLen = "test_name_len": "mean length of added test function names / 30",
    NoteComments = "note_comments": "comments starting `Note:`, `Important:`, `This ensures`, or with `e.g.`/`i.e.` (per comment)",
    DocstringLines = "docstring_lines": "share of added Python code lines inside docstrings",
    ExplainVocab = "explain_vocab": "explanatory words in comments and docstrings (`ensure`, `verify`, `explicitly`, `instead`, ...) per comment or docstring line",
}

/// Number of features.
pub const N_FEATURES: usize = F::COUNT as usize;

/// A feature vector, in [`FEATURES`] order.
pub type Features = [f64; N_FEATURES];

fn re(cell: &'static OnceLock<Regex>, pat: &str) -> &'static Regex {
    cell.get_or_init(|| {
        Regex::new(pat).unwrap_or_else(|_| Regex::new("$^").unwrap_or_else(|_| unreachable!()))
    })
}

fn placeholder_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"(?i)(\.\.\.\s*(existing|rest of|remaining|previous|other|unchanged)\b|\brest of (the )?(implementation|code|file|function|method|class)\b|\b(todo|fixme):?\s*implement\b|\byour (code|implementation) here\b|\b(existing|unchanged) code (here|remains|stays)\b|\bimplementation goes here\b)",
    )
}

fn stub_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"(^\s*pass\s*$|raise NotImplementedError|\bunimplemented!\s*\(|\btodo!\s*\(|throw new Error\(\s*['`]not implemented|NotImplementedException|raise NotImplemented\b)",
    )
}

/// How a file's comments look.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Syntax {
    Hash,
    Slash,
    Dash,
    Doc,
    Other,
}

fn syntax_of(path: &str) -> Syntax {
    let name = path.rsplit('/').next().unwrap_or(path);
    let lower = name.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext {
        "py" | "pyi" | "rb" | "sh" | "bash" | "zsh" | "pl" | "r" | "yml" | "yaml" | "toml"
        | "cfg" | "ini" | "nix" | "cmake" | "rake" | "gemspec" | "ps1" | "jl" | "ex" | "exs"
        | "tf" | "coffee" | "fish" => Syntax::Hash,
        "rs" | "js" | "jsx" | "mjs" | "cjs" | "ts" | "tsx" | "mts" | "cts" | "go" | "c" | "h"
        | "cc" | "cpp" | "hpp" | "cxx" | "java" | "kt" | "kts" | "swift" | "zig" | "cs"
        | "scala" | "php" | "dart" | "m" | "mm" | "groovy" | "gradle" | "proto" | "scss"
        | "less" | "css" | "sol" | "v" | "glsl" => Syntax::Slash,
        "sql" | "lua" | "hs" | "elm" => Syntax::Dash,
        "md" | "markdown" | "rst" | "txt" | "adoc" | "textile" | "rdoc" => Syntax::Doc,
        _ => match lower.as_str() {
            "makefile" | "dockerfile" | "gemfile" | "rakefile" | "brewfile" | "procfile" => {
                Syntax::Hash
            }
            _ => Syntax::Other,
        },
    }
}

/// Lockfiles and generated files: not code anyone wrote by hand.
pub fn is_generated(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    matches!(
        name,
        "uv.lock"
            | "Cargo.lock"
            | "package-lock.json"
            | "yarn.lock"
            | "poetry.lock"
            | "go.sum"
            | "pnpm-lock.yaml"
            | "Gemfile.lock"
            | "composer.lock"
            | "Pipfile.lock"
            | "flake.lock"
            | "bun.lockb"
            | "mix.lock"
            | "pdm.lock"
    ) || name.ends_with(".min.js")
        || name.ends_with(".snap")
}

/// A test file by path convention.
pub fn is_test_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    lower.split('/').any(|seg| {
        matches!(
            seg,
            "test" | "tests" | "spec" | "specs" | "__tests__" | "testing" | "test_helpers"
        )
    }) || name.starts_with("test_")
        || name.contains("_test.")
        || crate::rules::test_by_marker(name, &[".test.", "_spec.", ".spec."])
        || name.starts_with("conftest")
}

fn comment_text(line: &str, syn: Syntax) -> Option<&str> {
    let t = line.trim_start();
    let body = match syn {
        Syntax::Hash => t
            .strip_prefix('#')
            .filter(|_| !t.starts_with("#!") && !t.starts_with("#{"))?,
        Syntax::Slash => t
            .strip_prefix("///")
            .or_else(|| t.strip_prefix("//!"))
            .or_else(|| t.strip_prefix("//"))
            .or_else(|| t.strip_prefix("/**"))
            .or_else(|| t.strip_prefix("/*"))
            .or_else(|| t.strip_prefix("* "))
            .or_else(|| (t == "*" || t == "*/").then_some(""))?,
        Syntax::Dash => t.strip_prefix("--")?,
        _ => return None,
    };
    Some(body.trim().trim_end_matches("*/").trim())
}

/// Position of an inline (trailing) comment in a code line, roughly:
/// outside quotes.
fn has_inline_comment(line: &str, syn: Syntax) -> bool {
    let marker: &[u8] = match syn {
        Syntax::Hash => b" #",
        Syntax::Slash => b" //",
        Syntax::Dash => b" --",
        _ => return false,
    };
    let b = line.as_bytes();
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match quote {
            Some(q) => {
                if c == b'\\' {
                    i += 1;
                } else if c == q {
                    quote = None;
                }
            }
            None => {
                if c == b'"' || c == b'\'' || c == b'`' {
                    quote = Some(c);
                } else if b[i..].starts_with(marker) {
                    return line[..i].trim().len() > 1;
                }
            }
        }
        i += 1;
    }
    false
}

const STOP: &[&str] = &[
    "the", "and", "for", "with", "this", "that", "from", "into", "are", "was", "our", "its", "all",
    "not", "use", "using", "then", "than", "when", "will", "can", "has", "have", "any", "new",
    "get", "set", "out", "now", "only", "just", "also", "here", "there", "which", "each",
];

fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for ch in text.chars() {
        if ch.is_alphanumeric() {
            if ch.is_uppercase() && prev_lower && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = ch.is_lowercase();
            cur.extend(ch.to_lowercase());
        } else {
            prev_lower = false;
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// A comment restates the code after it when most of its content words
/// (3+ letters, not stop words) appear in that line's identifiers.
fn restates(comment: &str, code: &str) -> bool {
    let cw: Vec<String> = words(comment)
        .into_iter()
        .filter(|w| {
            w.len() >= 3 && !STOP.contains(&w.as_str()) && !w.chars().all(|c| c.is_ascii_digit())
        })
        .collect();
    if cw.len() < 2 || cw.len() > 8 {
        return false;
    }
    let code_words: HashSet<String> = words(code).into_iter().filter(|w| w.len() >= 3).collect();
    if code_words.is_empty() {
        return false;
    }
    let matched = cw
        .iter()
        .filter(|w| {
            code_words.iter().any(|c| {
                c == *w
                    || (c.len() >= 3 && w.starts_with(c.as_str()))
                    || (w.len() >= 4 && c.starts_with(w.as_str()))
            })
        })
        .count();
    matched * 3 >= cw.len() * 2
}

fn is_emoji(c: char) -> bool {
    matches!(c as u32,
        0x1F300..=0x1FAFF | 0x2600..=0x27BF | 0x1F000..=0x1F2FF | 0x2B50 | 0x2B55)
}

fn is_typographic(c: char) -> bool {
    matches!(
        c,
        '—' | '–'
            | '→'
            | '←'
            | '⇒'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '…'
            | '≥'
            | '≤'
            | '×'
            | '•'
    )
}

fn fn_start(t: &str, syn: Syntax) -> bool {
    match syn {
        Syntax::Hash => t.starts_with("def ") || t.starts_with("async def "),
        Syntax::Slash => {
            let t = t
                .trim_start_matches("pub(crate) ")
                .trim_start_matches("pub ")
                .trim_start_matches("export ")
                .trim_start_matches("async ");
            t.starts_with("fn ") || t.starts_with("function ") || t.starts_with("func ")
        }
        _ => false,
    }
}

#[derive(Default)]
struct Acc {
    added: f64,
    deleted: f64,
    files: f64,
    new_files: f64,
    hunks: f64,
    code_lines: f64,
    code_nonblank: f64,
    blank: f64,
    comments: f64,
    restating: f64,
    comment_sentences: f64,
    comment_words: f64,
    placeholder: f64,
    stub: f64,
    fns: f64,
    fns_doc: f64,
    py_fns: f64,
    py_typed: f64,
    emoji: f64,
    typographic: f64,
    backtick: f64,
    inline: f64,
    len_sum: f64,
    long: f64,
    trailing: f64,
    ident_len_sum: f64,
    idents: f64,
    long_snake: f64,
    test_lines: f64,
    doc_lines: f64,
    fstrings: f64,
    indent_sum: f64,
    separators: f64,
    dup: f64,
    asserts: f64,
    assert_msgs: f64,
    test_fns: f64,
    test_name_len: f64,
    note_comments: f64,
    docstring_lines: f64,
    vocab: f64,
}

/// A high-precision, low-recall sign on one added line.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct Tell {
    /// `placeholder`, `restating-comment`, `stub` or `emoji`.
    pub kind: String,
    /// File path.
    pub path: String,
    /// New-side line.
    pub line: u32,
    /// The line, trimmed and shortened.
    pub text: String,
    /// What the tell is about (the package of an undeclared import).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// Most tells kept per patch.
pub const MAX_TELLS: usize = 20;

/// Content features of a parsed patch. Only file contents are read:
/// commit messages, authors and trailers are ignored.
pub fn extract(patch: &Patch<'_>) -> Features {
    extract_with_tells(patch).0
}

fn clip_line(t: &str) -> String {
    let t = t.trim();
    if t.chars().count() > 120 {
        let mut s: String = t.chars().take(120).collect();
        s.push('…');
        s
    } else {
        t.to_string()
    }
}

/// Content features plus the lines that carry the strongest tells.
pub fn extract_with_tells(patch: &Patch<'_>) -> (Features, Vec<Tell>) {
    extract_filtered(patch, None)
}

/// Content features of one commit's files (`commit`: index into
/// `patch.commits`), or of every file (`None`).
pub fn extract_filtered(patch: &Patch<'_>, commit: Option<u32>) -> (Features, Vec<Tell>) {
    let mut tells: Vec<Tell> = Vec::new();
    let mut a = Acc::default();
    let mut seen: HashSet<String> = HashSet::new();
    for f in patch
        .files
        .iter()
        .filter(|f| commit.is_none() || f.commit == commit)
    {
        let path = f.path();
        if f.binary || is_generated(path) {
            continue;
        }
        a.files += 1.0;
        if f.status == FileStatus::Added {
            a.new_files += 1.0;
        }
        let syn = syntax_of(path);
        let test = is_test_path(path);
        let is_py = path.ends_with(".py") || path.ends_with(".pyi");
        for h in &f.hunks {
            a.hunks += 1.0;
            // New-side sequence of the hunk (context + added), to look at
            // the lines next to an added one.
            let seq: Vec<(bool, std::borrow::Cow<'_, str>)> = h
                .lines
                .iter()
                .filter(|l| l.kind != LineKind::Removed)
                .map(|l| (l.kind == LineKind::Added, patch.line_text(l)))
                .collect();
            let nos: Vec<u32> = h
                .lines
                .iter()
                .filter(|l| l.kind != LineKind::Removed)
                .map(|l| l.new_no().unwrap_or(0))
                .collect();
            let mut tell = |kind: &str, i: usize, text: &str| {
                if tells.len() < MAX_TELLS {
                    tells.push(Tell {
                        kind: kind.to_string(),
                        path: path.to_string(),
                        line: nos.get(i).copied().unwrap_or(0),
                        text: clip_line(text),
                        detail: None,
                    });
                }
            };
            for l in &h.lines {
                if l.kind == LineKind::Removed {
                    a.deleted += 1.0;
                }
            }
            let mut in_doc = false;
            for (i, (is_added, text)) in seq.iter().enumerate() {
                let was_in_doc = in_doc;
                let quotes = if is_py {
                    text.matches("\"\"\"").count() + text.matches("'''").count()
                } else {
                    0
                };
                if quotes % 2 == 1 {
                    in_doc = !in_doc;
                }
                if !is_added {
                    continue;
                }
                let text: &str = text;
                if is_py
                    && !text.trim().is_empty()
                    && (was_in_doc
                        || quotes > 0 && {
                            let t = text.trim_start();
                            t.starts_with("\"\"\"")
                                || t.starts_with("r\"\"\"")
                                || t.starts_with("'''")
                        })
                {
                    a.docstring_lines += 1.0;
                    a.vocab += explain_words(text);
                }
                a.added += 1.0;
                if test {
                    a.test_lines += 1.0;
                }
                if text.ends_with(' ') || text.ends_with('\t') {
                    a.trailing += 1.0;
                }
                if text.chars().any(is_emoji) {
                    a.emoji += 1.0;
                    if syn != Syntax::Doc {
                        tell("emoji", i, text);
                    }
                }
                if text.chars().any(is_typographic) {
                    a.typographic += 1.0;
                }
                if syn == Syntax::Doc {
                    a.doc_lines += 1.0;
                    continue;
                }
                if syn == Syntax::Other {
                    continue;
                }
                a.code_lines += 1.0;
                let t = text.trim();
                if t.is_empty() {
                    a.blank += 1.0;
                    continue;
                }
                a.code_nonblank += 1.0;
                if t.len() >= 8 && !seen.insert(t.to_string()) {
                    a.dup += 1.0;
                }
                let len = text.chars().count() as f64;
                a.len_sum += len;
                if len > 88.0 {
                    a.long += 1.0;
                }
                let indent = text.len() - text.trim_start().len();
                a.indent_sum += indent.min(40) as f64;
                if placeholder_re().is_match(t) {
                    a.placeholder += 1.0;
                    tell("placeholder", i, text);
                }
                if !test && stub_re().is_match(text) {
                    a.stub += 1.0;
                    tell("stub", i, text);
                }
                if let Some(c) = comment_text(text, syn) {
                    a.comments += 1.0;
                    let wc = c.split_whitespace().count();
                    a.comment_words += wc as f64;
                    if wc >= 4 && c.chars().next().is_some_and(char::is_uppercase) {
                        a.comment_sentences += 1.0;
                    }
                    if c.contains('`') {
                        a.backtick += 1.0;
                    }
                    a.vocab += explain_words(c);
                    let cl = c.to_ascii_lowercase();
                    if cl.starts_with("note:")
                        || cl.starts_with("important:")
                        || cl.starts_with("this ensures")
                        || cl.starts_with("ensure ")
                        || cl.contains("e.g.")
                        || cl.contains("i.e.")
                    {
                        a.note_comments += 1.0;
                    }
                    let sep = c.trim_start_matches(['-', '=', '*', '#', '/', ' ']);
                    if c.len() >= 3
                        && (sep.is_empty() || c.starts_with("---") || c.starts_with("==="))
                    {
                        a.separators += 1.0;
                    }
                    // The next non-blank, non-comment line.
                    if let Some((_, next)) = seq.iter().skip(i + 1).take(8).find(|(_, n)| {
                        let nt = n.trim();
                        !nt.is_empty() && comment_text(n, syn).is_none()
                    }) {
                        if restates(c, next) {
                            a.restating += 1.0;
                            tell("restating-comment", i, text);
                        }
                    }
                    continue;
                }
                if has_inline_comment(text, syn) {
                    a.inline += 1.0;
                }
                if is_py && (t.starts_with("\"\"\"") || t.starts_with("r\"\"\"")) && t.contains('`')
                {
                    a.backtick += 1.0;
                }
                if fn_start(t, syn) {
                    a.fns += 1.0;
                    if is_py {
                        a.py_fns += 1.0;
                        if t.contains("->") || t.contains(": ") {
                            a.py_typed += 1.0;
                        }
                    }
                    let documented = if is_py {
                        // The first line after the signature (which may
                        // span lines) that is a string.
                        seq.iter()
                            .skip(i + 1)
                            .take(12)
                            .map(|(_, n)| n.trim())
                            .find(|n| {
                                !n.is_empty()
                                    && !n.ends_with(',')
                                    && !n.ends_with('(')
                                    && !n.starts_with(')')
                                    && !n.ends_with("):")
                                    || n.starts_with("\"\"\"")
                                    || n.starts_with("r\"\"\"")
                            })
                            .is_some_and(|n| {
                                n.starts_with("\"\"\"")
                                    || n.starts_with("r\"\"\"")
                                    || n.starts_with("'''")
                            })
                    } else {
                        // A comment line right above (skipping attributes).
                        seq[..i]
                            .iter()
                            .rev()
                            .map(|(_, n)| n.trim())
                            .find(|n| !n.starts_with("#[") && !n.starts_with('@'))
                            .is_some_and(|n| comment_text(n, syn).is_some())
                    };
                    if documented {
                        a.fns_doc += 1.0;
                    }
                }
                if is_py && t.starts_with("assert ") {
                    a.asserts += 1.0;
                    if has_assert_message(t) {
                        a.assert_msgs += 1.0;
                    }
                }
                if let Some(name) = test_fn_name(t) {
                    a.test_fns += 1.0;
                    a.test_name_len += name.len().min(90) as f64;
                }
                if is_py && (t.contains("f\"") || t.contains("f'")) {
                    a.fstrings += 1.0;
                }
                for w in t
                    .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .filter(|w| w.len() >= 2 && !w.starts_with(|c: char| c.is_ascii_digit()))
                {
                    a.idents += 1.0;
                    a.ident_len_sum += w.len().min(40) as f64;
                    if w.trim_matches('_')
                        .split('_')
                        .filter(|p| !p.is_empty())
                        .count()
                        >= 3
                    {
                        a.long_snake += 1.0;
                    }
                }
            }
        }
    }
    (finish(&a), tells)
}

/// Words that explain intent or guarantees, common in agent-written
/// comments and docstrings.
const EXPLAIN: &[&str] = &[
    "ensure",
    "ensures",
    "verify",
    "verifies",
    "explicitly",
    "instead",
    "avoid",
    "avoids",
    "prevent",
    "prevents",
    "correctly",
    "properly",
    "gracefully",
    "fallback",
    "otherwise",
    "whether",
    "already",
    "both",
    "each",
    "must",
    "should",
    "via",
    "without",
    "still",
    "specific",
    "handle",
    "handles",
    "validate",
    "required",
    "available",
    "expected",
];

/// Count of explanatory words in a comment or docstring line.
fn explain_words(text: &str) -> f64 {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 3)
        .filter(|w| EXPLAIN.iter().any(|e| e.eq_ignore_ascii_case(w)))
        .count() as f64
}

/// `assert x == y, "message"`: a comma outside brackets and quotes.
fn has_assert_message(t: &str) -> bool {
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for ch in t.chars() {
        match quote {
            Some(q) => {
                if ch == q && prev != '\\' {
                    quote = None;
                }
            }
            None => match ch {
                '"' | '\'' => quote = Some(ch),
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth -= 1,
                ',' if depth == 0 => return true,
                _ => {}
            },
        }
        prev = ch;
    }
    false
}

/// The name of a test function defined on this line.
fn test_fn_name(t: &str) -> Option<&str> {
    let rest = t
        .strip_prefix("def ")
        .or_else(|| t.strip_prefix("async def "))
        .or_else(|| t.strip_prefix("fn "))
        .or_else(|| t.strip_prefix("pub fn "))?;
    let name = rest
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .next()?;
    name.starts_with("test").then_some(name)
}

fn ratio(n: f64, d: f64) -> f64 {
    if d > 0.0 {
        n / d
    } else {
        0.0
    }
}

fn finish(a: &Acc) -> Features {
    let mut v = [0.0; N_FEATURES];
    let code = a.code_lines;
    let nb = a.code_nonblank;
    v[F::LogAdded as usize] = (1.0 + a.added).ln();
    v[F::LogFiles as usize] = (1.0 + a.files).ln();
    v[F::DeletedShare as usize] = ratio(a.deleted, a.added + a.deleted);
    v[F::CommentShare as usize] = ratio(a.comments, nb);
    v[F::RestatingComments as usize] = ratio(a.restating, nb);
    v[F::CommentSentences as usize] = ratio(a.comment_sentences, a.comments);
    v[F::CommentWords as usize] = ratio(a.comment_words, a.comments) / 10.0;
    v[F::Placeholder as usize] = a.placeholder.min(3.0);
    v[F::Stub as usize] = a.stub.min(3.0);
    v[F::DocstringShare as usize] = ratio(a.fns_doc, a.fns);
    v[F::TypeHintShare as usize] = ratio(a.py_typed, a.py_fns);
    v[F::Emoji as usize] = ratio(a.emoji, a.added).sqrt();
    v[F::UnicodePunct as usize] = ratio(a.typographic, a.added).sqrt();
    v[F::BacktickComments as usize] = ratio(a.backtick, nb);
    v[F::InlineComments as usize] = ratio(a.inline, nb);
    v[F::MeanLineLen as usize] = ratio(a.len_sum, nb) / 100.0;
    v[F::LongLines as usize] = ratio(a.long, nb);
    v[F::BlankShare as usize] = ratio(a.blank, code);
    v[F::TrailingWs as usize] = ratio(a.trailing, a.added);
    v[F::IdentLen as usize] = ratio(a.ident_len_sum, a.idents) / 10.0;
    v[F::LongSnake as usize] = ratio(a.long_snake, a.idents);
    v[F::TestShare as usize] = ratio(a.test_lines, a.added);
    v[F::DocShare as usize] = ratio(a.doc_lines, a.added);
    v[F::NewFileShare as usize] = ratio(a.new_files, a.files);
    v[F::LinesPerHunk as usize] = (1.0 + ratio(a.added, a.hunks)).ln();
    v[F::FString as usize] = ratio(a.fstrings, nb);
    v[F::Indent as usize] = ratio(a.indent_sum, nb) / 10.0;
    v[F::Separators as usize] = ratio(a.separators, nb);
    v[F::Duplicates as usize] = ratio(a.dup, nb);
    v[F::AssertMessages as usize] = ratio(a.assert_msgs, a.asserts);
    v[F::TestNameLen as usize] = ratio(a.test_name_len, a.test_fns) / 30.0;
    v[F::NoteComments as usize] = ratio(a.note_comments, a.comments);
    v[F::DocstringLines as usize] = ratio(a.docstring_lines, nb);
    v[F::ExplainVocab as usize] = ratio(a.vocab, a.comments + a.docstring_lines);
    for x in v.iter_mut() {
        if !x.is_finite() {
            *x = 0.0;
        }
    }
    v
}

/// Index of a feature by name.
pub fn index_of(name: &str) -> Option<usize> {
    FEATURES.iter().position(|f| f.name == name)
}

/// Added code lines (not docs, not generated), the basis of the content
/// score: below a handful of lines there is nothing to judge.
pub fn added_code_lines(patch: &Patch<'_>) -> u32 {
    added_code_lines_filtered(patch, None)
}

/// [`added_code_lines`] of one commit's files.
pub fn added_code_lines_filtered(patch: &Patch<'_>, commit: Option<u32>) -> u32 {
    patch
        .files
        .iter()
        .filter(|f| commit.is_none() || f.commit == commit)
        .filter(|f| !f.binary && !is_generated(f.path()))
        .filter(|f| !matches!(syntax_of(f.path()), Syntax::Doc | Syntax::Other))
        .map(|f| f.added)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restating_comment_detected() {
        assert!(restates(
            "Create the output directory",
            "os.makedirs(output_dir)"
        ));
        assert!(restates(
            "Increment the retry counter",
            "retry_counter += 1"
        ));
        assert!(!restates(
            "Work around a bug in sqlite 3.8",
            "conn.execute(sql)"
        ));
    }

    #[test]
    fn words_split_identifiers() {
        assert_eq!(
            words("getUserName(user_id)"),
            vec!["get", "user", "name", "user", "id"]
        );
    }

    #[test]
    fn inline_comment_outside_quotes() {
        assert!(has_inline_comment("x = 1  # why", Syntax::Hash));
        assert!(!has_inline_comment("x = \"a # b\"", Syntax::Hash));
        assert!(has_inline_comment("let x = 1; // why", Syntax::Slash));
        assert!(!has_inline_comment("let u = \"http://x\";", Syntax::Slash));
    }
}
