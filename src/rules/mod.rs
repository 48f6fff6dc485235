//! The rule engine.
//!
//! Two kinds of rules produce [`Finding`]s:
//!
//! - **Rust rules**, one per file, registered in [`RULES`]. Each rule's
//!   documentation is its doc comment, with the sections `## What it does`,
//!   `## Why it matters`, `## Example` and `## False positives`;
//!   [`declare_rule!`] captures it into [`Rule::docs`].
//! - **Data rules**, written in TOML (see [`data`] and
//!   `schema/rule.schema.json`): regexes over added or removed lines,
//!   tree-sitter queries over added code, path globs and conditions. The
//!   built-in packs in `src/rules/packs/` are compiled into the binary;
//!   users add packs as text through [`RunConfig::packs`].
//!
//! [`run_with`] runs both, applies the repository [`policy`](crate::policy)
//! (disabled rules, severity overrides, ignored paths) and inline
//! suppressions (`blastradius: ignore[rule-id] reason`), and returns the
//! findings in a deterministic order plus any configuration errors.

use crate::diff::{FileDiff, FileStatus, LineKind, Patch};
use crate::finding::{Category, Confidence, Finding, Severity, Side};
use crate::lang::{self, Lang};
use crate::policy::{CompiledPolicy, Facts};
use crate::syntax::{HunkSide, SideText};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

pub mod data;
mod hooks;
pub mod suppress;

mod assertions_removed;
mod bulk_file_deletion;
mod commented_out_code;
mod config_loosened;
mod dependency_added;
mod dependency_downgraded;
mod destructive_sql;
mod error_swallowed;
mod expected_value_edited;
mod go_error_ignored;
mod hardcoded_secret;
mod load_bearing_changed;
mod lockfile_manifest_mismatch;
pub(crate) mod manifest;
mod public_api_changed;
mod query_in_loop;
mod rust_tests;
mod signoff_required;
mod terraform_resource_replaced;
mod test_deleted;
mod tls_verify_disabled;
mod unwrap_added;

/// Where rule docs are published (`<base>#<rule-id>`).
pub const DOCS_BASE: &str =
    "https://github.com/blastradius-dev/blastradius/blob/main/docs/rules.md";

/// The sections every rule's docs must have, in order.
pub const DOC_SECTIONS: [&str; 4] = [
    "## What it does",
    "## Why it matters",
    "## Example",
    "## False positives",
];

/// A built-in rule written in Rust.
pub struct Rule {
    /// Stable id.
    pub id: &'static str,
    /// Category of its findings.
    pub category: Category,
    /// Default severity.
    pub severity: Severity,
    /// Default confidence.
    pub confidence: Confidence,
    /// One-line summary.
    pub summary: &'static str,
    /// Languages it looks at (empty: any file).
    pub languages: &'static [Lang],
    /// Markdown docs from the doc comment.
    pub docs: &'static str,
    /// The check.
    pub check: fn(&Ctx<'_>, &mut Vec<Finding>),
}

/// Declare a rule: the doc comment becomes [`Rule::docs`].
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub static $name:ident = {
            id: $id:literal,
            category: $cat:expr,
            severity: $sev:expr,
            confidence: $conf:expr,
            summary: $summary:literal,
            languages: $langs:expr,
            check: $check:path $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub static $name: $crate::rules::Rule = $crate::rules::Rule {
            id: $id,
            category: $cat,
            severity: $sev,
            confidence: $conf,
            summary: $summary,
            languages: $langs,
            docs: concat!($($doc, "\n"),*),
            check: $check,
        };
    };
}

/// Every built-in Rust rule, in id order.
pub static RULES: &[&Rule] = &[
    &assertions_removed::RULE,
    &bulk_file_deletion::RULE,
    &commented_out_code::RULE,
    &config_loosened::RULE,
    &dependency_added::RULE,
    &dependency_downgraded::RULE,
    &destructive_sql::RULE,
    &error_swallowed::RULE,
    &expected_value_edited::RULE,
    &go_error_ignored::RULE,
    &hardcoded_secret::RULE,
    &load_bearing_changed::RULE,
    &lockfile_manifest_mismatch::RULE,
    &public_api_changed::RULE,
    &query_in_loop::RULE,
    &signoff_required::RULE,
    &terraform_resource_replaced::RULE,
    &test_deleted::RULE,
    &tls_verify_disabled::RULE,
    &unwrap_added::RULE,
];

/// A rule pack given as text (a user's `.blastradius/rules/*.toml`, or the
/// extension's settings).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct PackText {
    /// Where it came from, for error messages (a file name).
    pub name: String,
    /// The TOML text.
    pub text: String,
}

/// A problem in a rule pack or the policy file. The rest of the
/// configuration still applies.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct ConfigDiagnostic {
    /// The file (pack name or `.blastradius.toml`).
    pub source: String,
    /// 1-based line (0 when unknown).
    pub line: u32,
    /// 1-based column (0 when unknown).
    pub column: u32,
    /// What is wrong and what was expected.
    pub message: String,
}

impl std::fmt::Display for ConfigDiagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.source, self.line, self.column, self.message
        )
    }
}

/// Everything a run needs besides the patch.
#[derive(Debug, Clone, Default)]
pub struct RunConfig<'a> {
    /// Text of the repository's `.blastradius.toml`, if any.
    pub policy: Option<&'a str>,
    /// User rule packs.
    pub packs: &'a [PackText],
    /// Facts from other stages (AI-assisted, approvals).
    pub facts: Facts,
    /// The syntax layer's results, when the caller ran it (symbol-level
    /// changes for `public-api-changed`); rules fall back to text without.
    pub syntax: Option<&'a [crate::syntax::FileSyntax]>,
}

/// What a rule sees: the patch, per-file facts and the policy.
pub struct Ctx<'a> {
    /// The parsed diff.
    pub patch: &'a Patch<'a>,
    /// One entry per file of the patch, same order.
    pub files: Vec<FileCtx>,
    /// The repository policy (defaults when there is none).
    pub policy: &'a CompiledPolicy,
    /// Facts from other stages.
    pub facts: &'a Facts,
    /// The syntax layer's results, when available.
    pub syntax: Option<&'a [crate::syntax::FileSyntax]>,
    /// One side of a hunk rebuilt and parsed, kept for every rule that
    /// asks for it (see [`Ctx::hunk_tree`]).
    hunk_trees: RefCell<HashMap<HunkKey, Option<Rc<HunkTree>>>>,
    /// Per file, its added and its removed lines joined (see
    /// [`Ctx::added_text`]).
    side_texts: Vec<[std::cell::OnceCell<String>; 2]>,
    /// Per file, the changed lines inside docstrings and comments (see
    /// [`Ctx::in_prose`]).
    prose: Vec<std::cell::OnceCell<LineSet>>,
    /// Per file, the Rust unit-test lines it keeps in itself (see
    /// [`Ctx::in_test`]).
    tests: Vec<std::cell::OnceCell<LineSet>>,
}

/// Some of a file's lines: added and context lines by their new number,
/// removed lines by their old.
#[derive(Default)]
pub struct LineSet {
    new: std::collections::HashSet<u32>,
    old: std::collections::HashSet<u32>,
}

impl LineSet {
    /// Add a line of the hunk.
    fn insert(&mut self, l: &crate::diff::Line) {
        match (l.kind, l.new_no(), l.old_no()) {
            (LineKind::Removed, _, Some(n)) => self.old.insert(n),
            (_, Some(n), _) => self.new.insert(n),
            _ => false,
        };
    }

    /// Whether the line (by its new number, or its old one when removed)
    /// is in the set.
    pub fn holds(&self, kind: LineKind, no: u32) -> bool {
        match kind {
            LineKind::Removed => self.old.contains(&no),
            _ => self.new.contains(&no),
        }
    }

    /// Whether no line is in the set.
    pub fn is_empty(&self) -> bool {
        self.new.is_empty() && self.old.is_empty()
    }
}

/// File index, hunk index and side.
type HunkKey = (usize, usize, HunkSide);

/// One side of one hunk, rebuilt as text and parsed.
pub struct HunkTree {
    /// The rebuilt text with its line numbers.
    pub side: SideText,
    /// Its syntax tree.
    pub tree: tree_sitter::Tree,
}

/// Facts about one file.
pub struct FileCtx {
    /// Detected language with a grammar.
    pub lang: Option<Lang>,
    /// Language id (lower case: `python`, `go`, `shell`, `dockerfile`, …),
    /// also for languages without a grammar.
    pub lang_id: Option<&'static str>,
    /// Whether the path looks like test code.
    pub is_test: bool,
    /// Prose documentation (Markdown, reStructuredText, AsciiDoc, plain
    /// text): code in it is an example, not code that runs.
    pub is_doc: bool,
    /// An example program (under `examples/`, `_examples/` or `example/`):
    /// code shown to users, not code the project runs.
    pub is_example: bool,
    /// Generated or vendored by path (not a lockfile): written by a tool
    /// or pulled from elsewhere, not by the change's author.
    pub pulled: bool,
    /// The file's first line, as the diff shows it, is a `#!` line: a
    /// program that is run, not a library that is sourced or imported.
    pub script: bool,
    /// The language whose docstrings and multi-line comments are
    /// followed across a hunk's lines (see [`Ctx::in_prose`]), when the
    /// path or `#!` line names one that has them.
    pub text_lang: Option<crate::risk::lexicon::Lang>,
}

impl<'a> Ctx<'a> {
    /// Build the context for a patch with the default policy.
    pub fn new(patch: &'a Patch<'a>) -> Self {
        static DEFAULT_POLICY: std::sync::LazyLock<CompiledPolicy> =
            std::sync::LazyLock::new(CompiledPolicy::default);
        static NO_FACTS: Facts = Facts {
            ai_assisted: None,
            approvals: Vec::new(),
        };
        Self::with(patch, &DEFAULT_POLICY, &NO_FACTS)
    }

    /// Build the context for a patch, a policy and facts.
    pub fn with(patch: &'a Patch<'a>, policy: &'a CompiledPolicy, facts: &'a Facts) -> Self {
        let files = patch
            .files
            .iter()
            .map(|f| {
                let first = crate::syntax::first_line_of(patch, f, None);
                let lang = lang::detect(f.path(), first.as_deref());
                let text_lang = crate::risk::lexicon::Lang::named_file(f.path(), first.as_deref())
                    .filter(|&l| crate::risk::lexicon::TextBlocks::applies(l));
                FileCtx {
                    script: first.as_deref().is_some_and(|l| l.starts_with("#!")),
                    text_lang,
                    lang,
                    lang_id: lang_id(f.path(), lang),
                    is_test: is_test_path(f.path()),
                    is_doc: is_doc_path(f.path()),
                    is_example: is_example_path(f.path()),
                    pulled: matches!(
                        crate::syntax::classify::generated_by_path(f.path()),
                        Some(
                            crate::syntax::Generated::Generated
                                | crate::syntax::Generated::Vendored
                                | crate::syntax::Generated::Minified
                        )
                    ),
                }
            })
            .collect();
        Ctx {
            patch,
            side_texts: (0..patch.files.len()).map(|_| Default::default()).collect(),
            prose: (0..patch.files.len()).map(|_| Default::default()).collect(),
            tests: (0..patch.files.len()).map(|_| Default::default()).collect(),
            files,
            policy,
            facts,
            syntax: None,
            hunk_trees: RefCell::default(),
        }
    }

    /// Side `side` of hunk `hi` of file `fi`, rebuilt and parsed with
    /// `lang`'s grammar: parsed once per analysis, however many rules ask.
    /// `None` when it cannot be parsed (no grammar, over the limits).
    pub fn hunk_tree(
        &self,
        fi: usize,
        hi: usize,
        side: HunkSide,
        lang: Lang,
    ) -> Option<Rc<HunkTree>> {
        let key = (fi, hi, side);
        if let Some(t) = self.hunk_trees.borrow().get(&key) {
            return t.clone();
        }
        let f = self.patch.files.get(fi)?;
        let mut text = SideText::build(self.patch, f, hi, side);
        text.mask_opened(lang);
        let parsed = crate::syntax::parse_text(lang, &text.text)
            .map(|tree| Rc::new(HunkTree { side: text, tree }));
        self.hunk_trees.borrow_mut().insert(key, parsed.clone());
        parsed
    }

    /// Start a finding for a rule on a file and line range.
    pub fn finding(
        &self,
        rule: &Rule,
        file: &FileDiff<'_>,
        side: Side,
        line: u32,
        end_line: u32,
    ) -> Finding {
        Finding {
            rule_id: rule.id.to_string(),
            category: rule.category,
            severity: rule.severity,
            confidence: rule.confidence,
            path: file.path().to_string(),
            side,
            line,
            end_line: end_line.max(line),
            message: String::new(),
            explanation: String::new(),
            evidence: String::new(),
            docs: docs_url(rule.id),
        }
    }

    /// The added lines of file `fi` joined by newlines, built once: a rule
    /// whose patterns cannot match it skips the file's lines.
    pub fn added_text(&self, fi: usize) -> &str {
        self.side_text(fi, LineKind::Added)
    }

    /// The removed lines of file `fi` joined by newlines, built once.
    pub fn removed_text(&self, fi: usize) -> &str {
        self.side_text(fi, LineKind::Removed)
    }

    fn side_text(&self, fi: usize, kind: LineKind) -> &str {
        let Some(cells) = self.side_texts.get(fi) else {
            return "";
        };
        cells[usize::from(kind == LineKind::Removed)].get_or_init(|| {
            let mut s = String::new();
            let Some(f) = self.patch.files.get(fi) else {
                return s;
            };
            for l in f.hunks.iter().flat_map(|h| &h.lines) {
                if l.kind == kind {
                    s.push_str(&self.patch.line_text(l));
                    s.push('\n');
                }
            }
            s
        })
    }

    /// Whether a line of file `fi` (an added or context line by its new
    /// number, a removed one by its old) is inside a docstring or a
    /// comment that spans lines, followed from the hunk's lines
    /// ([`crate::risk::lexicon::TextBlocks`], which also knows when a hunk
    /// starts inside one opened above it). A heredoc's body is not prose:
    /// it is a script, a query or a file the code passes on.
    pub fn in_prose(&self, fi: usize, kind: LineKind, no: u32) -> bool {
        let Some(cell) = self.prose.get(fi) else {
            return false;
        };
        let p = cell.get_or_init(|| {
            let mut p = LineSet::default();
            let (Some(f), Some(lang)) = (
                self.patch.files.get(fi),
                self.files.get(fi).and_then(|fc| fc.text_lang),
            ) else {
                return p;
            };
            for h in &f.hunks {
                let mut blocks = crate::risk::lexicon::HunkBlocks::new(self.patch, h, lang);
                for l in &h.lines {
                    let text = self.patch.line_text(l);
                    if blocks.line(l.kind, &text) != Some(crate::risk::lexicon::Block::Prose) {
                        continue;
                    }
                    p.insert(l);
                }
            }
            p
        });
        p.holds(kind, no)
    }

    /// The Rust unit-test lines file `fi` keeps in itself
    /// ([`rust_tests::test_lines`]), read once for every rule.
    fn rust_test_lines(&self, fi: usize) -> Option<&LineSet> {
        let (cell, f, fc) = (
            self.tests.get(fi)?,
            self.patch.files.get(fi)?,
            self.files.get(fi)?,
        );
        Some(cell.get_or_init(|| rust_tests::test_lines(self.patch, f, fc.lang_id)))
    }

    /// Whether a line of file `fi` (an added or context line by its new
    /// number, a removed one by its old) is test code: the file is a test
    /// by its path, or the line is in a Rust file's own unit tests.
    pub fn in_test(&self, fi: usize, kind: LineKind, no: u32) -> bool {
        self.files.get(fi).is_some_and(|fc| fc.is_test)
            || self.rust_test_lines(fi).is_some_and(|t| t.holds(kind, no))
    }

    /// Whether file `fi` holds any test code the diff shows: a test file,
    /// or a Rust file whose hunks show unit tests.
    pub fn has_tests(&self, fi: usize) -> bool {
        self.files.get(fi).is_some_and(|fc| fc.is_test)
            || self.rust_test_lines(fi).is_some_and(|t| !t.is_empty())
    }

    /// Whether a changed line of file `fi` is comment or documentation,
    /// not code: a comment line ([`is_comment_line`]) or a line inside a
    /// docstring or a multi-line comment ([`Ctx::in_prose`]).
    pub fn is_comment(&self, fi: usize, kind: LineKind, no: u32, text: &str) -> bool {
        is_comment_line(self.files.get(fi).and_then(|fc| fc.lang_id), text)
            || self.in_prose(fi, kind, no)
    }

    /// Added lines of a file: (new line number, text).
    pub fn added<'s>(&'s self, f: &'s FileDiff<'a>) -> impl Iterator<Item = (u32, String)> + 's {
        f.hunks.iter().flat_map(move |h| {
            h.lines
                .iter()
                .filter(|l| l.kind == LineKind::Added)
                .map(move |l| {
                    (
                        l.new_no().unwrap_or(0),
                        self.patch.line_text(l).into_owned(),
                    )
                })
        })
    }

    /// A hunk's new side as rows: kind (added or context), new line
    /// number and text, for rules that look at the lines around a change.
    pub fn new_side_rows(&self, h: &crate::diff::Hunk) -> Vec<(LineKind, u32, String)> {
        h.lines
            .iter()
            .filter(|l| l.kind != LineKind::Removed)
            .map(|l| {
                (
                    l.kind,
                    l.new_no().unwrap_or(0),
                    self.patch.line_text(l).into_owned(),
                )
            })
            .collect()
    }

    /// Removed lines of a file: (old line number, text).
    pub fn removed<'s>(&'s self, f: &'s FileDiff<'a>) -> impl Iterator<Item = (u32, String)> + 's {
        f.hunks.iter().flat_map(move |h| {
            h.lines
                .iter()
                .filter(|l| l.kind == LineKind::Removed)
                .map(move |l| {
                    (
                        l.old_no().unwrap_or(0),
                        self.patch.line_text(l).into_owned(),
                    )
                })
        })
    }
}

/// The docs link of a rule id.
pub fn docs_url(id: &str) -> String {
    format!("{DOCS_BASE}#{id}")
}

/// Heuristic: is this path prose documentation (Markdown, reStructuredText,
/// AsciiDoc, plain text; not a requirements or CMake file)?
pub fn is_doc_path(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let ext = file.rsplit_once('.').map_or("", |(_, e)| e);
    matches!(
        ext,
        "md" | "markdown"
            | "mdx"
            | "rst"
            | "adoc"
            | "asciidoc"
            | "txt"
            | "textile"
            | "org"
            // gettext catalogues: translated messages, never code
            | "po"
            | "pot"
    ) && !file.starts_with("requirements")
        && !file.starts_with("constraints")
        && file != "cmakelists.txt"
}

/// Whether a lower-case file name carries one of the test markers of the
/// JavaScript and Ruby conventions (`app.test.ts`, `Button.spec.tsx`,
/// `user_spec.rb`): not in a `.in` template, where `.spec.` is an RPM spec
/// (`openvswitch.spec.in`).
pub fn test_by_marker(file: &str, markers: &[&str]) -> bool {
    !file.ends_with(".in") && markers.iter().any(|m| file.contains(m))
}

/// A line's indentation in columns (a tab counts 4).
pub fn indent(s: &str) -> usize {
    s.chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum()
}

/// The lines enclosing `rows[i]` by indentation, innermost first: every
/// non-blank line above it (in the hunk's [`Ctx::new_side_rows`]) indented
/// less than the last one yielded, up to and including the first
/// unindented one.
pub fn enclosing_lines(
    rows: &[(LineKind, u32, String)],
    i: usize,
) -> impl Iterator<Item = &str> + '_ {
    let mut cur = rows.get(i).map_or(0, |r| indent(&r.2));
    rows[..i.min(rows.len())]
        .iter()
        .rev()
        .map(|r| r.2.as_str())
        .filter(|t| !t.trim().is_empty())
        .filter_map(move |t| {
            if cur == 0 {
                return Some(None);
            }
            let ind = indent(t);
            (ind < cur).then(|| {
                cur = ind;
                Some(t)
            })
        })
        .map_while(|t| t)
}

/// Whether the path is in an example directory (`examples/`, `_examples/`,
/// `example/`).
pub fn is_example_path(path: &str) -> bool {
    path.rsplit_once('/').is_some_and(|(dirs, _)| {
        dirs.split('/')
            .any(|c| matches!(c, "examples" | "_examples" | "example"))
    })
}

/// Whether a path looks like test code (by directory or file name).
pub fn is_test_path(path: &str) -> bool {
    let p = path.to_ascii_lowercase();
    let (dirs, file) = p.rsplit_once('/').unwrap_or(("", &p));
    // Directories only: `ovsdb/specs` is a document named "specs".
    dirs.split('/').any(|c| {
        matches!(
            c,
            "test"
                | "tests"
                | "__tests__"
                | "spec"
                | "specs"
                | "testing"
                | "testdata"
                | "fixtures"
                | "e2e"
        )
    }) || file.starts_with("test_")
        || file == "conftest.py"
        || file.starts_with("test-")
        || file.ends_with("_test.go")
        || file.ends_with("_test.py")
        || file.ends_with("_test.rs")
        // Rust's `#[cfg(test)] mod tests;` kept in a file of its own.
        || file == "tests.rs"
        || file.ends_with("_test.c")
        || file.ends_with("tests.py")
        || test_by_marker(file, &[".test.", ".spec."])
        || file.ends_with("_spec.rb")
        || file.ends_with("test.java")
        || file.ends_with("tests.cs")
        || file.ends_with(".at")
}

/// A lower-case language id for a path: the grammar language's name when
/// there is one, else a small extension table for languages the rules know
/// without a grammar.
pub fn lang_id(path: &str, lang: Option<Lang>) -> Option<&'static str> {
    if let Some(l) = lang {
        let id = match l.name() {
            "Rust" => "rust",
            "JavaScript" => "javascript",
            "TypeScript" => "typescript",
            "TSX" => "tsx",
            "Python" => "python",
            "Go" => "go",
            "Java" => "java",
            "C" => "c",
            "C++" => "cpp",
            "C#" => "csharp",
            "Ruby" => "ruby",
            "PHP" => "php",
            "Bash" | "Shell" => "shell",
            "JSON" => "json",
            "YAML" => "yaml",
            "TOML" => "toml",
            "HCL" | "Terraform" => "terraform",
            "Dockerfile" => "dockerfile",
            "SQL" => "sql",
            // Languages added to the table later: the extension table
            // below uses the same ids.
            _ => return ext_lang_id(path),
        };
        return Some(id);
    }
    ext_lang_id(path)
}

fn ext_lang_id(path: &str) -> Option<&'static str> {
    let file = path.rsplit('/').next().unwrap_or(path);
    let lower = file.to_ascii_lowercase();
    if lower == "dockerfile"
        || lower.starts_with("dockerfile.")
        || lower.ends_with(".dockerfile")
        || lower == "containerfile"
    {
        return Some("dockerfile");
    }
    if lower == "makefile" || lower == "gnumakefile" || lower.ends_with(".mk") {
        return Some("make");
    }
    if lower == "jenkinsfile" {
        return Some("groovy");
    }
    if matches!(lower.as_str(), "gemfile" | "rakefile") {
        return Some("ruby");
    }
    let ext = lower.rsplit_once('.').map(|(_, e)| e)?;
    Some(match ext {
        "rs" => "rust",
        "py" | "pyi" | "pyw" => "python",
        "js" | "mjs" | "cjs" | "jsx" => "javascript",
        "ts" | "mts" | "cts" => "typescript",
        "tsx" => "tsx",
        "go" => "go",
        "c" | "h" => "c",
        "cc" | "cpp" | "cxx" | "hpp" | "hh" | "hxx" => "cpp",
        "cs" => "csharp",
        "java" => "java",
        "kt" | "kts" => "kotlin",
        "scala" => "scala",
        "swift" => "swift",
        "rb" | "rake" | "gemspec" => "ruby",
        "php" => "php",
        "sh" | "bash" | "zsh" | "ksh" => "shell",
        "ps1" => "powershell",
        "sql" => "sql",
        "yml" | "yaml" => "yaml",
        "toml" => "toml",
        "json" => "json",
        "tf" | "tfvars" | "hcl" => "terraform",
        "html" | "htm" => "html",
        "vue" => "vue",
        "svelte" => "svelte",
        "lua" => "lua",
        "pl" | "pm" => "perl",
        "ex" | "exs" => "elixir",
        "zig" => "zig",
        "groovy" | "gradle" => "groovy",
        "m" => "objc",
        _ => return None,
    })
}

/// Whether `#` starts a comment in this language (not a preprocessor
/// directive or an attribute).
fn hash_comments(lang: Option<&str>) -> bool {
    matches!(
        lang,
        Some(
            "python"
                | "ruby"
                | "shell"
                | "yaml"
                | "toml"
                | "dockerfile"
                | "terraform"
                | "make"
                | "perl"
                | "elixir"
                | "powershell"
                | "php"
        )
    )
}

/// Whether a line is only a comment, for a language id. Lines in unknown
/// languages are treated as comments when they start with a common marker.
pub fn is_comment_line(lang: Option<&str>, text: &str) -> bool {
    let t = text.trim_start();
    if t.starts_with("//") || t.starts_with("/*") || t.starts_with("<!--") {
        return !matches!(lang, Some("python" | "ruby" | "shell" | "yaml" | "toml"));
    }
    if t.starts_with("* ") || t == "*" || t.starts_with("*/") {
        return matches!(
            lang,
            Some(
                "c" | "cpp"
                    | "java"
                    | "javascript"
                    | "typescript"
                    | "tsx"
                    | "rust"
                    | "go"
                    | "csharp"
                    | "kotlin"
                    | "scala"
                    | "swift"
                    | "php"
                    | "css"
                    | "groovy"
                    | "objc"
            )
        );
    }
    if t.starts_with('#') {
        return hash_comments(lang) || (lang.is_none() && !t.starts_with("#!"));
    }
    if t.starts_with("--") {
        return matches!(lang, Some("sql" | "lua"));
    }
    if t.starts_with(';') {
        return false;
    }
    false
}

/// The text of a comment line without its marker (`// x` → `x`).
pub fn strip_comment(text: &str) -> &str {
    let t = text.trim_start();
    for p in ["///", "//!", "//", "/**", "/*", "#", "--", "<!--", "*"] {
        if let Some(rest) = t.strip_prefix(p) {
            return rest.trim();
        }
    }
    t.trim()
}

/// A rule of either kind, for listings and docs.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct RuleInfo {
    /// Stable id.
    pub id: String,
    /// Category.
    pub category: Category,
    /// Default severity.
    pub severity: Severity,
    /// Default confidence.
    pub confidence: Confidence,
    /// Language ids (empty: any).
    pub languages: Vec<String>,
    /// One-line summary.
    pub summary: String,
    /// Markdown docs.
    pub docs: String,
    /// `rust` for a Rust rule, `pack:<name>` for a data rule.
    pub source: String,
    /// On unless the policy disables it.
    pub enabled: bool,
}

/// Every built-in rule (Rust rules and built-in packs), sorted by id.
pub fn catalog() -> Vec<RuleInfo> {
    let mut out: Vec<RuleInfo> = RULES
        .iter()
        .map(|r| RuleInfo {
            id: r.id.to_string(),
            category: r.category,
            severity: r.severity,
            confidence: r.confidence,
            languages: r
                .languages
                .iter()
                .filter_map(|l| lang_id("", Some(*l)))
                .map(str::to_string)
                .collect(),
            summary: r.summary.to_string(),
            docs: r.docs.to_string(),
            source: "rust".to_string(),
            enabled: true,
        })
        .collect();
    for r in data::builtin().rules.iter() {
        out.push(r.info());
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// Run every built-in rule over a patch with no policy; findings come back
/// sorted.
pub fn run(patch: &Patch<'_>) -> Vec<Finding> {
    run_with(patch, &RunConfig::default()).0
}

/// Run the built-in rules, the user's packs and the policy over a patch.
/// Returns sorted findings and configuration problems (bad packs or policy
/// are reported and skipped; everything else still applies).
pub fn run_with(patch: &Patch<'_>, cfg: &RunConfig<'_>) -> (Vec<Finding>, Vec<ConfigDiagnostic>) {
    let mut diags = Vec::new();
    let policy = match cfg.policy {
        Some(text) => {
            let (p, d) = crate::policy::load(text);
            diags.extend(d);
            p
        }
        None => CompiledPolicy::default(),
    };
    let user: Vec<data::Pack> = cfg
        .packs
        .iter()
        .map(|p| {
            let (pack, d) = data::Pack::load(&p.name, &p.text);
            diags.extend(d);
            pack
        })
        .collect();
    let builtin = data::builtin();
    // Unknown rule ids in the policy.
    let known = |id: &str| {
        RULES.iter().any(|r| r.id == id)
            || builtin.rules.iter().any(|r| r.id == id)
            || user.iter().any(|p| p.rules.iter().any(|r| r.id == id))
    };
    diags.extend(policy.check_rule_ids(&known));

    let mut ctx = Ctx::with(patch, &policy, &cfg.facts);
    ctx.syntax = cfg.syntax;
    let mut out = Vec::new();
    for rule in RULES {
        if policy.rule_enabled(rule.id, true) {
            (rule.check)(&ctx, &mut out);
        }
    }
    for pack in std::iter::once(builtin).chain(user.iter()) {
        for r in &pack.rules {
            if policy.rule_enabled(&r.id, r.enabled) {
                r.check(&ctx, &mut out);
            }
        }
    }
    out.retain(|f| !policy.ignores(&f.path, &f.rule_id));
    for f in &mut out {
        if let Some(s) = policy.severity_override(&f.rule_id) {
            f.severity = s;
        }
    }
    suppress::apply(patch, &mut out);
    crate::finding::normalize(&mut out);
    (out, diags)
}

/// Whether a file counts as changed content (not binary, not mode-only).
pub fn has_content(f: &FileDiff<'_>) -> bool {
    !f.binary && f.status != FileStatus::ModeOnly && !f.hunks.is_empty()
}

/// Shorten evidence text for display.
pub fn clip(s: &str, max: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Convert a byte offset in `text` to a 1-based (line, column).
pub fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or("");
    let line = before.matches('\n').count() as u32 + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|s| s.chars().count())
        .unwrap_or(0) as u32
        + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::{is_doc_path, is_test_path};

    #[test]
    fn test_and_doc_paths() {
        for p in [
            "tests/test_api.py",
            "src/app.test.ts",
            "web/Button.spec.tsx",
            "spec/models/user_spec.rb",
            "tests/ovsdb-idl.at",
            "pkg/store_test.go",
            "ui-v2/e2e/fixtures/api-helpers/flows.ts",
            "web/e2e/login.ts",
            "src/specs/parser.ts",
            "conftest.py",
            "src/engine/tests.rs",
        ] {
            assert!(is_test_path(p), "{p} is a test");
        }
        // RPM spec templates are packaging, not Jest-style specs.
        for p in [
            "rhel/openvswitch-fedora.spec.in",
            "xenserver/openvswitch-xen.spec.in",
            "src/special.ts",
            "src/e2e_crypto.c",
            "src/conftest_helpers.py",
            "ovsdb/specs",
        ] {
            assert!(!is_test_path(p), "{p} is not a test");
        }
        for p in [
            "README.md",
            "docs/intro.rst",
            "po/id.po",
            "po/git.pot",
            "NEWS.txt",
        ] {
            assert!(is_doc_path(p), "{p} is prose");
        }
        for p in [
            "requirements.txt",
            "CMakeLists.txt",
            "src/po.rs",
            "lib/report.c",
        ] {
            assert!(!is_doc_path(p), "{p} is not prose");
        }
    }
}
