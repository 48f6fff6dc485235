//! Rules as data: a TOML rule format (`[[rule]]` tables), compiled once,
//! run over every file of a patch.
//!
//! ```toml
//! [[rule]]
//! id = "python-eval"
//! message = "Added code calls eval()"
//! explanation = "Why it matters, and what to check before approving."
//! severity = "high"            # info | warning | high | critical
//! confidence = "medium"        # low | medium | high
//! languages = ["python"]
//! paths = ["**/*.py"]          # globs; a glob without `/` matches the file name
//! ignore_paths = ["vendor/**"]
//! added = ['\beval\s*\(']      # regexes over added lines (any matches)
//! removed = []                 # regexes over removed lines
//! unless = ['literal_eval']    # a matching line is skipped when one of these matches it
//! unless_above = ['^\s*if\b']  # … or when one matches the nonblank line above it
//! query = '(call function: (identifier) @f (#eq? @f "eval")) @match'
//! query_when = ['\beval\b']    # the query runs only on hunks with such a line
//! non_test = true              # only in code: not tests (by path, or Rust's
//!                                # #[cfg(test)]/#[test] items), not prose docs,
//!                                # not example programs (examples/, _examples/)
//! skip_hooks = true            # not in a method the file calls as self.NAME / this.NAME
//! skip_carried = true          # not when the same hunk removes a match too (edited,
//!                                # moved or ported: `@Ignore` to `@Disabled`)
//! what = "…"; why = "…"; example = "…"; false_positives = "…"   # docs
//! ```
//!
//! The JSON schema is `schema/rule.schema.json`. A bad rule is reported
//! with its line and column and skipped; the other rules still apply.

use super::{clip, docs_url, line_col, ConfigDiagnostic, Ctx, FileCtx, RuleInfo, DOC_SECTIONS};
use crate::diff::{FileDiff, FileStatus, LineKind};
use crate::finding::{Category, Confidence, Finding, Severity, Side};
use crate::lang::{Lang, LANGS};
use crate::syntax::{HunkSide, SideText};
use crate::textmatch::LazyRegex;
use globset::{Glob, GlobBuilder, GlobMatcher};
use serde::Deserialize;
use std::sync::OnceLock;

/// The built-in packs, compiled into the binary.
pub const BUILTIN_PACKS: &[(&str, &str)] = &[
    ("builtin:ci", include_str!("packs/ci.toml")),
    ("builtin:config", include_str!("packs/config.toml")),
    (
        "builtin:dependencies",
        include_str!("packs/dependencies.toml"),
    ),
    (
        "builtin:destructive",
        include_str!("packs/destructive.toml"),
    ),
    ("builtin:errors", include_str!("packs/errors.toml")),
    ("builtin:infra", include_str!("packs/infra.toml")),
    ("builtin:logging", include_str!("packs/logging.toml")),
    (
        "builtin:performance",
        include_str!("packs/performance.toml"),
    ),
    (
        "builtin:placeholders",
        include_str!("packs/placeholders.toml"),
    ),
    ("builtin:secrets", include_str!("packs/secrets.toml")),
    ("builtin:security", include_str!("packs/security.toml")),
    ("builtin:sensitive", include_str!("packs/sensitive.toml")),
    (
        "builtin:suppressions",
        include_str!("packs/suppressions.toml"),
    ),
    ("builtin:tests", include_str!("packs/tests.toml")),
];

/// The fields a rule table may have (kept in sync with the schema by a test).
pub const FIELDS: &[&str] = &[
    "id",
    "message",
    "explanation",
    "summary",
    "severity",
    "confidence",
    "category",
    "languages",
    "paths",
    "ignore_paths",
    "added",
    "removed",
    "unless",
    "unless_above",
    "query",
    "query_when",
    "non_test",
    "test_only",
    "new_file",
    "file_lacks",
    "file_removes",
    "any_change",
    "skip_hooks",
    "skip_carried",
    "match_comments",
    "test_severity",
    "max_per_file",
    "enabled",
    "what",
    "why",
    "example",
    "false_positives",
    "fires",
    "passes",
];

/// A rule as written in TOML.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// Stable id (`kebab-case`).
    pub id: String,
    /// One-line message of each finding.
    pub message: String,
    /// Why it matters and what to check (alias `note`).
    #[serde(alias = "note")]
    pub explanation: String,
    /// One-line summary for listings (defaults to `message`).
    #[serde(default)]
    pub summary: Option<String>,
    /// Default severity.
    pub severity: Severity,
    /// Confidence (default medium).
    #[serde(default)]
    pub confidence: Confidence,
    /// Category (default risk).
    #[serde(default)]
    pub category: Option<Category>,
    /// Language ids; empty means any file.
    #[serde(default)]
    pub languages: Vec<String>,
    /// Path globs the rule is limited to.
    #[serde(default)]
    pub paths: Vec<String>,
    /// Path globs the rule skips.
    #[serde(default)]
    pub ignore_paths: Vec<String>,
    /// Regexes over added lines.
    #[serde(default)]
    pub added: Vec<String>,
    /// Regexes over removed lines.
    #[serde(default)]
    pub removed: Vec<String>,
    /// Regexes that veto a matched line.
    #[serde(default)]
    pub unless: Vec<String>,
    /// Regexes over the line above a matched added line (the nearest
    /// non-blank added or context line of its hunk): a match vetoes it.
    #[serde(default)]
    pub unless_above: Vec<String>,
    /// Tree-sitter query over added code (capture `@match`): one query for
    /// every listed language, or a table `{ python = "…", javascript = "…" }`.
    #[serde(default)]
    pub query: Option<QuerySpec>,
    /// Regexes over a hunk's new side (context and added lines): the query
    /// runs only on hunks where one matches a line. For text every match
    /// of the query needs (a name its predicates compare with), so hunks
    /// without it skip the parse and the query's compilation.
    #[serde(default)]
    pub query_when: Vec<String>,
    /// Only in non-test code.
    #[serde(default)]
    pub non_test: bool,
    /// Only in test code.
    #[serde(default)]
    pub test_only: bool,
    /// Only in new files.
    #[serde(default)]
    pub new_file: bool,
    /// Only when no line of the file's new side (in the diff) matches;
    /// never in a deleted file.
    #[serde(default)]
    pub file_lacks: Vec<String>,
    /// Only when some removed line of the file matches.
    #[serde(default)]
    pub file_removes: Vec<String>,
    /// Fire once per file on any change (path-based rules).
    #[serde(default)]
    pub any_change: bool,
    /// Skip a match inside a method the file itself uses as `self.NAME`,
    /// `this.NAME` or `cls.NAME`: a hook the class calls and a subclass
    /// fills in (template method), not a forgotten implementation.
    #[serde(default)]
    pub skip_hooks: bool,
    /// An added match is not reported while the same hunk removes a line
    /// the `added` patterns match: the marker was already there and the
    /// line was edited, re-indented or ported (`@Ignore` to `@Disabled`,
    /// a TODO reworded). Pairs one removed match with one added match, in
    /// order.
    #[serde(default)]
    pub skip_carried: bool,
    /// Also match lines that are only comments, and lines inside a
    /// docstring or a multi-line comment (skipped by default; a heredoc's
    /// body is matched: it is a script or a query that runs).
    #[serde(default)]
    pub match_comments: bool,
    /// Severity in test code and example programs (`examples/`).
    #[serde(default)]
    pub test_severity: Option<Severity>,
    /// At most this many findings per file (default 3).
    #[serde(default)]
    pub max_per_file: Option<u32>,
    /// On by default (default true).
    #[serde(default)]
    pub enabled: Option<bool>,
    /// Docs: what it does.
    #[serde(default)]
    pub what: String,
    /// Docs: why it matters.
    #[serde(default)]
    pub why: String,
    /// Docs: an example.
    #[serde(default)]
    pub example: String,
    /// Docs: known false positives.
    #[serde(default)]
    pub false_positives: String,
    /// Cases the rule must fire on (tested; the first is the docs example).
    #[serde(default)]
    pub fires: Vec<Case>,
    /// Cases the rule must not fire on.
    #[serde(default)]
    pub passes: Vec<Case>,
}

/// A test case: a file before and after; the rule runs over their diff.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// File path (default: an example path for the rule's first language).
    #[serde(default)]
    pub path: Option<String>,
    /// The file before (default: empty).
    #[serde(default)]
    pub before: String,
    /// The file after.
    #[serde(default)]
    pub after: String,
    /// The file is new (`new file mode`).
    #[serde(default)]
    pub new_file: bool,
    /// The file is deleted.
    #[serde(default)]
    pub deleted: bool,
}

/// An example path for a language id.
pub fn example_path(lang: Option<&str>) -> &'static str {
    match lang {
        Some("python") => "app/service.py",
        Some("javascript") => "src/app.js",
        Some("typescript") => "src/app.ts",
        Some("tsx") => "src/App.tsx",
        Some("rust") => "src/lib.rs",
        Some("go") => "pkg/service.go",
        Some("c") => "lib/util.c",
        Some("cpp") => "src/util.cpp",
        Some("java") => "src/main/java/App.java",
        Some("ruby") => "app/models/user.rb",
        Some("php") => "src/index.php",
        Some("shell") => "scripts/deploy.sh",
        Some("sql") => "db/schema.sql",
        Some("yaml") => "deploy/app.yaml",
        Some("terraform") => "infra/main.tf",
        Some("dockerfile") => "Dockerfile",
        Some("json") => "config.json",
        Some("toml") => "config.toml",
        Some("csharp") => "src/App.cs",
        _ => "src/example",
    }
}

impl Case {
    /// The path of this case for a rule whose first language is `lang`.
    pub fn path_for(&self, lang: Option<&str>) -> String {
        self.path
            .clone()
            .unwrap_or_else(|| example_path(lang).to_string())
    }

    /// The unified diff of this case.
    pub fn to_diff(&self, lang: Option<&str>) -> String {
        let path = self.path_for(lang);
        let after = if self.deleted {
            ""
        } else {
            self.after.as_str()
        };
        let norm = |s: &str| {
            if s.is_empty() || s.ends_with('\n') {
                s.to_string()
            } else {
                format!("{s}\n")
            }
        };
        let (before, after) = (norm(&self.before), norm(after));
        let mut out = format!("diff --git a/{path} b/{path}\n");
        if self.new_file {
            out.push_str("new file mode 100644\n");
        }
        if self.deleted {
            out.push_str("deleted file mode 100644\n");
        }
        let old_name = if self.new_file {
            "/dev/null".to_string()
        } else {
            format!("a/{path}")
        };
        let new_name = if self.deleted {
            "/dev/null".to_string()
        } else {
            format!("b/{path}")
        };
        out.push_str(&format!("--- {old_name}\n+++ {new_name}\n"));
        let diff = similar::TextDiff::from_lines(&before, &after);
        let old_lines: Vec<&str> = before.lines().collect();
        for hunk in diff.unified_diff().context_radius(3).iter_hunks() {
            // Git's default hunk header: the last line above the hunk that
            // starts with a letter, `_` or `$` (say, `mod tests {`).
            let text = hunk.to_string();
            let (header, body) = text.split_once('\n').unwrap_or((&text, ""));
            let start = hunk.ops().first().map_or(0, |op| op.old_range().start);
            let section = old_lines[..start.min(old_lines.len())]
                .iter()
                .rev()
                .find(|l| {
                    l.as_bytes()
                        .first()
                        .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, b'_' | b'$'))
                });
            out.push_str(header);
            if let Some(sec) = section {
                out.push(' ');
                out.push_str(sec);
            }
            out.push('\n');
            out.push_str(body);
        }
        out
    }
}

/// A query for all languages, or one per language id.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum QuerySpec {
    /// The same query for every language of the rule.
    One(String),
    /// A query per language id.
    PerLanguage(std::collections::BTreeMap<String, String>),
}

/// A rule's tree-sitter query for one language: compiled when loaded
/// (user packs, so mistakes are reported) or on first use (the built-in
/// packs, whose queries a test compiles).
#[derive(Debug)]
struct LangQuery {
    lang: Lang,
    source: String,
    compiled: OnceLock<Option<tree_sitter::Query>>,
}

impl LangQuery {
    fn get(&self) -> Option<&tree_sitter::Query> {
        self.compiled
            .get_or_init(|| {
                let grammar = self.lang.grammar()?;
                tree_sitter::Query::new(&grammar, &self.source).ok()
            })
            .as_ref()
    }
}

/// A compiled data rule.
#[derive(Debug)]
pub struct DataRule {
    /// Stable id.
    pub id: String,
    /// Pack it came from.
    pub pack: String,
    /// The spec as written.
    pub spec: RuleSpec,
    /// On by default.
    pub enabled: bool,
    category: Category,
    paths: Vec<PathGlob>,
    ignore_paths: Vec<PathGlob>,
    added: Vec<LazyRegex>,
    removed: Vec<LazyRegex>,
    unless: Vec<LazyRegex>,
    unless_above: Vec<LazyRegex>,
    file_lacks: Vec<LazyRegex>,
    file_removes: Vec<LazyRegex>,
    query_when: Vec<LazyRegex>,
    queries: Vec<LangQuery>,
    /// Rendered from the spec when first listed.
    docs: OnceLock<String>,
}

/// A compiled pack.
#[derive(Debug, Default)]
pub struct Pack {
    /// Name (file name or `builtin:…`).
    pub name: String,
    /// Rules that compiled.
    pub rules: Vec<DataRule>,
}

#[derive(Deserialize)]
struct Loose {
    #[serde(default)]
    rule: Vec<toml::Spanned<toml::Table>>,
}

/// A pack read straight into rule specs (no positions for diagnostics).
#[derive(Deserialize)]
struct Strict {
    #[serde(default)]
    rule: Vec<RuleSpec>,
}

/// Compile a glob; a glob without `/` matches the file name anywhere.
pub fn compile_glob(p: &str) -> Result<GlobMatcher, String> {
    let pat = glob_pattern(p);
    GlobBuilder::new(&pat)
        .literal_separator(true)
        .build()
        .or_else(|_| Glob::new(&pat))
        .map(|g| g.compile_matcher())
        .map_err(|e| format!("bad glob `{p}`: {e}"))
}

/// A glob as it is matched: anywhere in the tree unless it names a directory.
fn glob_pattern(p: &str) -> String {
    if p.contains('/') {
        p.trim_start_matches("./").to_string()
    } else {
        format!("**/{p}")
    }
}

/// A glob read as far as the prefilters need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GlobTok {
    /// `*` or `**`.
    Star,
    /// `?` or a bracketed class: any one character.
    One,
    /// `{…}`: one of several strings.
    Alt,
    /// A plain character.
    Lit(char),
}

/// The glob's tokens; `None` when its syntax is more than this reads (an
/// escape, a nested or unclosed bracket), and the prefilters then say
/// nothing.
fn glob_tokens(pat: &str) -> Option<Vec<GlobTok>> {
    let mut out = Vec::new();
    let mut chars = pat.chars();
    while let Some(c) = chars.next() {
        out.push(match c {
            '*' => GlobTok::Star,
            '?' => GlobTok::One,
            '[' | '{' => {
                let close = if c == '[' { ']' } else { '}' };
                // Skip to the closer; anything unusual inside: give up.
                let mut closed = false;
                for d in chars.by_ref() {
                    if d == close {
                        closed = true;
                        break;
                    }
                    if matches!(d, '[' | '{' | '\\') {
                        return None;
                    }
                }
                if !closed {
                    return None;
                }
                if c == '[' {
                    GlobTok::One
                } else {
                    GlobTok::Alt
                }
            }
            '\\' | ']' | '}' => return None,
            c => GlobTok::Lit(c),
        });
    }
    Some(out)
}

/// Strings every path a glob matches contains: its runs of plain
/// characters outside classes and alternates, without the slashes next to
/// a wildcard (`**/` also matches no directory at all). Empty for a glob
/// [`glob_tokens`] cannot read (it then always compiles).
fn glob_literals(toks: &[GlobTok]) -> Vec<String> {
    toks.split(|t| !matches!(t, GlobTok::Lit(_)))
        .map(|run| {
            let s: String = run
                .iter()
                .filter_map(|t| match t {
                    GlobTok::Lit(c) => Some(*c),
                    _ => None,
                })
                .collect();
            s.trim_matches('/').to_string()
        })
        .filter(|s| !s.is_empty())
        .collect()
}

/// What a path matching a glob must end with: the glob after its last `*`,
/// one entry per character (`None` for `?` or a class: any one character),
/// a leading `/` dropped (`**/` also matches no directory). Empty, so no
/// test, when the tail holds an alternate or the glob cannot be read.
fn glob_tail(toks: &[GlobTok]) -> Vec<Option<char>> {
    let from = toks
        .iter()
        .rposition(|t| *t == GlobTok::Star)
        .map_or(0, |i| i + 1);
    let mut tail = Vec::new();
    for t in &toks[from..] {
        match t {
            GlobTok::Lit(c) => tail.push(Some(*c)),
            GlobTok::One => tail.push(None),
            GlobTok::Star | GlobTok::Alt => return Vec::new(),
        }
    }
    // `**/x` also matches `x` at the top: the `/` is not required.
    let slashes = tail.iter().take_while(|t| **t == Some('/')).count();
    tail.split_off(slashes)
}

/// Whether `path` ends with `tail` (see [`glob_tail`]).
fn ends_with_tail(path: &str, tail: &[Option<char>]) -> bool {
    let mut p = path.chars().rev();
    tail.iter()
        .rev()
        .all(|t| p.next().is_some_and(|c| t.is_none_or(|t| t == c)))
}

/// A path glob of a built-in rule, compiled the first time a path could
/// match it: a path lacking one of the glob's plain strings is answered
/// without compiling (most paths meet most globs only to be turned away).
/// User globs are compiled when loaded, so their errors are reported then.
#[derive(Debug)]
struct PathGlob {
    pattern: String,
    literals: Vec<String>,
    tail: Vec<Option<char>>,
    /// `None` inside when the glob does not compile (it matches nothing;
    /// `builtin_diagnostics` checks the built-in ones).
    compiled: OnceLock<Option<GlobMatcher>>,
}

impl PathGlob {
    fn new(p: &str, check: bool) -> Result<PathGlob, String> {
        let toks = glob_tokens(&glob_pattern(p)).unwrap_or_default();
        let g = PathGlob {
            pattern: p.to_string(),
            literals: glob_literals(&toks),
            tail: glob_tail(&toks),
            compiled: OnceLock::new(),
        };
        if check {
            let _ = g.compiled.set(Some(compile_glob(p)?));
        }
        Ok(g)
    }

    fn is_match(&self, path: &str) -> bool {
        self.literals.iter().all(|l| path.contains(l.as_str()))
            && ends_with_tail(path, &self.tail)
            && self
                .compiled
                .get_or_init(|| compile_glob(&self.pattern).ok())
                .as_ref()
                .is_some_and(|g| g.is_match(path))
    }
}

/// The language with a grammar for a language id.
pub fn grammar_lang(id: &str) -> Option<Lang> {
    LANGS
        .iter()
        .find(|l| super::lang_id("", Some(l.lang)) == Some(id))
        .map(|l| l.lang)
}

impl Pack {
    /// Parse and compile a pack. Problems come back as diagnostics with
    /// line and column; rules that compile are kept.
    pub fn load(name: &str, text: &str) -> (Pack, Vec<ConfigDiagnostic>) {
        Self::load_with(name, text, true)
    }

    /// An unchecked pack from rule specs read elsewhere: regexes and
    /// queries are checked on first use; a rule that does not compile, or
    /// repeats an id, is left out.
    fn from_specs(name: &str, specs: Vec<RuleSpec>) -> Pack {
        let mut pack = Pack {
            name: name.to_string(),
            rules: Vec::new(),
        };
        for spec in specs {
            match DataRule::compile(name, spec, false) {
                Ok(r) if !pack.rules.iter().any(|o| o.id == r.id) => pack.rules.push(r),
                _ => {}
            }
        }
        pack
    }

    /// [`Pack::load`], checking regexes and compiling tree-sitter queries
    /// now (`check`, so their errors are reported) or on first use (the
    /// built-in packs, which `builtin_diagnostics` checks in a test).
    fn load_with(name: &str, text: &str, check: bool) -> (Pack, Vec<ConfigDiagnostic>) {
        let mut diags = Vec::new();
        let mut pack = Pack {
            name: name.to_string(),
            rules: Vec::new(),
        };
        let diag = |offset: usize, message: String| {
            let (line, column) = line_col(text, offset);
            ConfigDiagnostic {
                source: name.to_string(),
                line,
                column,
                message,
            }
        };
        // Unchecked (built-in) packs: one typed pass, without the per-rule
        // tables kept for diagnostics; a pack that fails it takes the
        // careful path below, which says where.
        if !check {
            if let Ok(strict) = toml::from_str::<Strict>(text) {
                return (Pack::from_specs(name, strict.rule), diags);
            }
        }
        let loose: Loose = match toml::from_str(text) {
            Ok(l) => l,
            Err(e) => {
                let off = e.span().map(|s| s.start).unwrap_or(0);
                diags.push(diag(off, e.message().trim().to_string()));
                return (pack, diags);
            }
        };
        for (i, sp) in loose.rule.into_iter().enumerate() {
            let span = sp.span();
            let table = sp.into_inner();
            let rule_text = text.get(span.clone()).unwrap_or("");
            // Offset of `key =` inside the rule, for precise positions.
            let key_off = |key: &str| -> usize {
                let mut pos = 0usize;
                for line in rule_text.split_inclusive('\n') {
                    let t = line.trim_start();
                    if t.starts_with(key) && t[key.len()..].trim_start().starts_with('=') {
                        return span.start + pos + (line.len() - t.len());
                    }
                    pos += line.len();
                }
                span.start
            };
            let id_hint = table
                .get("id")
                .and_then(|v| v.as_str())
                .map(|s| format!("rule `{s}`"))
                .unwrap_or_else(|| format!("rule #{}", i + 1));
            let spec: RuleSpec = match toml::Value::Table(table.clone()).try_into() {
                Ok(s) => s,
                Err(e) => {
                    let msg = e.message().trim().to_string();
                    // Point at the offending key when the message names one.
                    // The first `quoted` token names the key (unknown field)
                    // or the bad value (unknown variant).
                    let token = msg.split('`').nth(1).unwrap_or("");
                    let key = table.keys().find(|k| k.as_str() == token).or_else(|| {
                        table
                            .iter()
                            .find_map(|(k, v)| (v.as_str() == Some(token)).then_some(k))
                    });
                    let off = key.map(|k| key_off(k)).unwrap_or(span.start);
                    diags.push(diag(off, format!("{id_hint}: {msg}")));
                    continue;
                }
            };
            match DataRule::compile(name, spec, check) {
                Ok(r) => {
                    if pack.rules.iter().any(|o| o.id == r.id) {
                        diags.push(diag(
                            key_off("id"),
                            format!("{id_hint}: duplicate id in this pack; the first one is kept"),
                        ));
                    } else {
                        pack.rules.push(r);
                    }
                }
                Err((key, msg)) => diags.push(diag(key_off(key), format!("{id_hint}: {msg}"))),
            }
        }
        (pack, diags)
    }
}

/// The built-in packs, compiled once.
pub fn builtin() -> &'static Pack {
    static PACK: OnceLock<Pack> = OnceLock::new();
    PACK.get_or_init(|| {
        let mut all = Pack {
            name: "builtin".to_string(),
            rules: Vec::new(),
        };
        for (name, text) in BUILTIN_PACKS {
            // Regexes are checked and queries compiled on first use;
            // `builtin_diagnostics` (kept empty by a test) checks them all.
            // The build script's JSON of the pack is quicker to read than
            // the TOML (a test shows the same rules either way).
            if let Some(specs) = builtin_json(name) {
                all.rules.extend(Pack::from_specs(name, specs).rules);
                continue;
            }
            let (p, _diags) = Pack::load_with(name, text, false);
            all.rules.extend(p.rules);
        }
        all
    })
}

/// The built-in packs as JSON, written by the build script from the TOML.
mod packs_json {
    include!(concat!(env!("OUT_DIR"), "/builtin_packs.rs"));
}

/// A built-in pack's rule specs from the build script's JSON.
fn builtin_json(name: &str) -> Option<Vec<RuleSpec>> {
    let stem = name.strip_prefix("builtin:")?;
    let (_, json) = packs_json::PACKS_JSON.iter().find(|(s, _)| *s == stem)?;
    serde_json::from_str::<Strict>(json).ok().map(|s| s.rule)
}

/// Problems in the built-in packs (a test keeps this empty).
pub fn builtin_diagnostics() -> Vec<ConfigDiagnostic> {
    BUILTIN_PACKS
        .iter()
        .flat_map(|(name, text)| Pack::load(name, text).1)
        .collect()
}

fn compile_all(
    key: &'static str,
    pats: &[String],
    check: bool,
) -> Result<Vec<LazyRegex>, (&'static str, String)> {
    pats.iter()
        .map(|p| {
            if !check {
                return Ok(LazyRegex::deferred(p, false));
            }
            LazyRegex::new(p, false).map_err(|e| (key, format!("bad regex in `{key}`: {e}")))
        })
        .collect()
}

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
}

impl DataRule {
    fn compile(
        pack: &str,
        spec: RuleSpec,
        check: bool,
    ) -> Result<DataRule, (&'static str, String)> {
        if !is_kebab(&spec.id) {
            return Err((
                "id",
                format!(
                    "id `{}` must be kebab-case (a-z, 0-9, `-`)",
                    clip(&spec.id, 60)
                ),
            ));
        }
        if super::RULES.iter().any(|r| r.id == spec.id) {
            return Err(("id", format!("id `{}` is a built-in Rust rule", spec.id)));
        }
        if spec.message.trim().is_empty() || spec.explanation.trim().is_empty() {
            return Err((
                "message",
                "`message` and `explanation` must not be empty".into(),
            ));
        }
        if spec.added.is_empty()
            && spec.removed.is_empty()
            && spec.query.is_none()
            && !spec.any_change
        {
            return Err((
                "id",
                "a rule needs `added`, `removed`, `query` or `any_change = true`".into(),
            ));
        }
        let globs = |key: &'static str, v: &[String]| {
            v.iter()
                .map(|p| PathGlob::new(p, check).map_err(|e| (key, e)))
                .collect::<Result<Vec<_>, _>>()
        };
        let mut queries = Vec::new();
        if let Some(q) = &spec.query {
            if let QuerySpec::PerLanguage(m) = q {
                if let Some(l) = m.keys().find(|k| !spec.languages.contains(k)) {
                    return Err((
                        "query",
                        format!("query for `{l}`, which is not in `languages`"),
                    ));
                }
            }
            if spec.languages.is_empty() {
                return Err((
                    "query",
                    "a `query` needs `languages` (queries are per grammar)".into(),
                ));
            }
            for l in &spec.languages {
                let q = match q {
                    QuerySpec::One(q) => q,
                    QuerySpec::PerLanguage(m) => match m.get(l) {
                        Some(q) => q,
                        None => continue,
                    },
                };
                // Languages without a grammar in this build fall back to the regexes.
                if let Some((lang, grammar)) =
                    grammar_lang(l).and_then(|lang| lang.grammar().map(|g| (lang, g)))
                {
                    let lq = LangQuery {
                        lang,
                        source: q.clone(),
                        compiled: OnceLock::new(),
                    };
                    if !check {
                        queries.push(lq);
                        continue;
                    }
                    match tree_sitter::Query::new(&grammar, q) {
                        Ok(query) => {
                            let _ = lq.compiled.set(Some(query));
                            queries.push(lq);
                        }
                        Err(e) => {
                            return Err((
                                "query",
                                format!(
                                    "bad tree-sitter query for {l} (query row {}, column {}): {}",
                                    e.row + 1,
                                    e.column + 1,
                                    clip(&e.message, 120)
                                ),
                            ))
                        }
                    }
                }
            }
        }
        Ok(DataRule {
            id: spec.id.clone(),
            pack: pack.to_string(),
            enabled: spec.enabled.unwrap_or(true),
            category: spec.category.unwrap_or(Category::Risk),
            paths: globs("paths", &spec.paths)?,
            ignore_paths: globs("ignore_paths", &spec.ignore_paths)?,
            added: compile_all("added", &spec.added, check)?,
            removed: compile_all("removed", &spec.removed, check)?,
            unless: compile_all("unless", &spec.unless, check)?,
            unless_above: compile_all("unless_above", &spec.unless_above, check)?,
            file_lacks: compile_all("file_lacks", &spec.file_lacks, check)?,
            file_removes: compile_all("file_removes", &spec.file_removes, check)?,
            query_when: compile_all("query_when", &spec.query_when, check)?,
            queries,
            docs: OnceLock::new(),
            spec,
        })
    }

    /// Listing entry.
    pub fn info(&self) -> RuleInfo {
        RuleInfo {
            id: self.id.clone(),
            category: self.category,
            severity: self.spec.severity,
            confidence: self.spec.confidence,
            languages: self.spec.languages.clone(),
            summary: self
                .spec
                .summary
                .clone()
                .unwrap_or_else(|| self.spec.message.clone()),
            docs: self.docs.get_or_init(|| render_docs(&self.spec)).clone(),
            source: format!("pack:{}", self.pack),
            enabled: self.enabled,
        }
    }

    fn applies(&self, f: &FileDiff<'_>, fc: &FileCtx) -> bool {
        let s = &self.spec;
        if !super::has_content(f) {
            return false;
        }
        if !s.languages.is_empty()
            && !fc
                .lang_id
                .is_some_and(|l| s.languages.iter().any(|x| x == l))
        {
            return false;
        }
        let path = f.path();
        if !self.paths.is_empty() && !self.paths.iter().any(|g| g.is_match(path)) {
            return false;
        }
        if self.ignore_paths.iter().any(|g| g.is_match(path)) {
            return false;
        }
        // `non_test`: only code, so neither tests nor prose documentation
        // (a page about authentication is not authentication code) nor
        // example programs.
        if (s.non_test && (fc.is_test || fc.is_doc || fc.is_example))
            || (s.test_only && !fc.is_test)
        {
            return false;
        }
        // A rule not aimed at paths of its own reads code the author wrote:
        // not examples in documentation, not generated or vendored files.
        if self.paths.is_empty() && (fc.is_doc || fc.pulled) {
            return false;
        }
        if s.new_file && f.status != FileStatus::Added {
            return false;
        }
        true
    }

    fn vetoed(&self, text: &str) -> bool {
        self.unless.iter().any(|r| r.is_match(text))
    }

    /// Run the rule over every file.
    pub fn check(&self, ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
        for (fi, f) in ctx.patch.files.iter().enumerate() {
            let Some(fc) = ctx.files.get(fi) else {
                continue;
            };
            if !self.applies(f, fc) {
                continue;
            }
            if !self.file_lacks.is_empty() {
                // "No such line remains in the file": a deleted file keeps
                // nothing, not even the code the removed line guarded (the
                // deletion itself is `bulk-file-deletion`'s and
                // `test-deleted`'s to report).
                if f.status == FileStatus::Deleted {
                    continue;
                }
                let present = f.hunks.iter().flat_map(|h| &h.lines).any(|l| {
                    l.kind != LineKind::Removed && {
                        let t = ctx.patch.line_text(l);
                        self.file_lacks.iter().any(|r| r.is_match(&t))
                    }
                });
                if present {
                    continue;
                }
            }
            if !self.file_removes.is_empty() {
                let removes = ctx
                    .removed(f)
                    .any(|(_, t)| self.file_removes.iter().any(|r| r.is_match(&t)));
                if !removes {
                    continue;
                }
            }
            let mut hits: Vec<(Side, u32, String)> = Vec::new();
            if self.spec.any_change {
                let first = f
                    .hunks
                    .iter()
                    .flat_map(|h| &h.lines)
                    .find_map(|l| match l.kind {
                        LineKind::Added => Some((Side::New, l.new_no().unwrap_or(1))),
                        LineKind::Removed => Some((Side::Old, l.old_no().unwrap_or(1))),
                        LineKind::Context => None,
                    });
                if let Some((side, line)) = first {
                    hits.push((side, line, f.path().to_string()));
                }
            } else {
                self.line_hits(ctx, fi, f, fc, &mut hits);
            }
            // Rust keeps unit tests in the code's own files.
            if self.spec.non_test {
                hits.retain(|(side, line, _)| {
                    let kind = match side {
                        Side::Old => LineKind::Removed,
                        Side::New => LineKind::Added,
                    };
                    !ctx.in_test(fi, kind, *line)
                });
            }
            if !self.unless_above.is_empty() {
                hits.retain(|(side, line, _)| {
                    *side != Side::New
                        || !line_above(ctx, f, *line)
                            .is_some_and(|t| self.unless_above.iter().any(|r| r.is_match(&t)))
                });
            }
            if self.spec.skip_carried && !hits.is_empty() {
                self.drop_carried(ctx, fi, f, &mut hits);
            }
            if self.spec.skip_hooks && !hits.is_empty() {
                let hooks = super::hooks::Hooks::new(ctx, f);
                hits.retain(|(side, line, _)| *side != Side::New || !hooks.holds(*line));
            }
            let max = self.spec.max_per_file.unwrap_or(3).max(1) as usize;
            for (side, line, ev) in hits.into_iter().take(max) {
                let mut fd = Finding {
                    rule_id: self.id.clone(),
                    category: self.category,
                    severity: self.spec.severity,
                    confidence: self.spec.confidence,
                    path: f.path().to_string(),
                    side,
                    line,
                    end_line: line,
                    message: self.spec.message.clone(),
                    explanation: self.spec.explanation.clone(),
                    evidence: clip(&ev, 160),
                    docs: docs_url(&self.id),
                };
                // Example programs carry demo keys and fixtures like tests do.
                if fc.is_test || fc.is_example {
                    if let Some(s) = self.spec.test_severity {
                        fd.severity = s;
                    }
                }
                out.push(fd);
            }
        }
    }

    /// Drops added hits the same hunk also removes (`skip_carried`): each
    /// removed line the `added` patterns match (and no veto does) accounts
    /// for one added hit of its hunk, the first ones first.
    fn drop_carried(
        &self,
        ctx: &Ctx<'_>,
        fi: usize,
        f: &FileDiff<'_>,
        hits: &mut Vec<(Side, u32, String)>,
    ) {
        for h in &f.hunks {
            let mut left = h
                .lines
                .iter()
                .filter(|l| l.kind == LineKind::Removed)
                .filter(|l| {
                    let t = ctx.patch.line_text(l);
                    let no = l.old_no().unwrap_or(0);
                    (self.spec.match_comments || !ctx.is_comment(fi, LineKind::Removed, no, &t))
                        && !self.vetoed(&t)
                        && self.added.iter().any(|r| r.is_match(&t))
                })
                .count();
            let rows = h.new_start..h.new_start.saturating_add(h.new_lines);
            hits.retain(|(side, line, _)| {
                if left > 0 && *side == Side::New && rows.contains(line) {
                    left -= 1;
                    false
                } else {
                    true
                }
            });
        }
    }

    fn line_hits(
        &self,
        ctx: &Ctx<'_>,
        fi: usize,
        f: &FileDiff<'_>,
        fc: &FileCtx,
        hits: &mut Vec<(Side, u32, String)>,
    ) {
        let comment_ok =
            |kind, no, t: &str| self.spec.match_comments || !ctx.is_comment(fi, kind, no, t);
        let mut use_regexes = true;
        if let Some(q) = fc
            .lang
            .and_then(|l| self.queries.iter().find(|q| q.lang == l))
        {
            // Hunks that add code and have what the query needs (`query_when`).
            let hunks: Vec<usize> = (0..f.hunks.len())
                .filter(|&hi| {
                    let h = &f.hunks[hi];
                    h.lines.iter().any(|l| l.kind == LineKind::Added)
                        && (self.query_when.is_empty()
                            || h.lines.iter().any(|l| {
                                l.kind != LineKind::Removed && {
                                    let t = ctx.patch.line_text(l);
                                    self.query_when.iter().any(|r| r.is_match(&t))
                                }
                            }))
                })
                .collect();
            // No such hunk: the query would find nothing, so it is neither
            // compiled nor run (nor replaced by the regexes, which stand in
            // only for a query that does not compile).
            let compiled = if hunks.is_empty() { None } else { q.get() };
            use_regexes = !hunks.is_empty() && compiled.is_none();
            if let Some(query) = compiled {
                for hi in hunks {
                    let Some(parsed) = ctx.hunk_tree(fi, hi, HunkSide::New, q.lang) else {
                        continue;
                    };
                    let side = &parsed.side;
                    query_hits(query, &parsed.tree, side, |row, text| {
                        if !self.vetoed(text) {
                            hits.push((Side::New, side.line_of_row(row), text.to_string()));
                        }
                    });
                }
            }
        }
        if use_regexes
            && !self.added.is_empty()
            && self.added.iter().any(|r| r.may_match(ctx.added_text(fi)))
        {
            for (no, text) in ctx.added(f) {
                if !comment_ok(LineKind::Added, no, &text) || self.vetoed(&text) {
                    continue;
                }
                if let Some(m) = self.added.iter().find_map(|r| r.find(&text)) {
                    hits.push((Side::New, no, m.as_str().to_string()));
                }
            }
        }
        if !self.removed.is_empty()
            && self
                .removed
                .iter()
                .any(|r| r.may_match(ctx.removed_text(fi)))
        {
            for (no, text) in ctx.removed(f) {
                if !comment_ok(LineKind::Removed, no, &text) || self.vetoed(&text) {
                    continue;
                }
                if let Some(m) = self.removed.iter().find_map(|r| r.find(&text)) {
                    hits.push((Side::Old, no, m.as_str().to_string()));
                }
            }
        }
    }
}

/// The nearest non-blank added or context line above added line `no`
/// (by its new number) in its hunk.
fn line_above(ctx: &Ctx<'_>, f: &FileDiff<'_>, no: u32) -> Option<String> {
    let h = f.hunks.iter().find(|h| {
        h.lines
            .iter()
            .any(|l| l.kind == LineKind::Added && l.new_no() == Some(no))
    })?;
    h.lines
        .iter()
        .filter(|l| l.kind != LineKind::Removed)
        .take_while(|l| l.new_no() != Some(no))
        .map(|l| ctx.patch.line_text(l))
        .filter(|t| !t.trim().is_empty())
        .last()
        .map(|t| t.to_string())
}

/// Run a query over a parsed hunk side; calls `f(row, text)` for each
/// `@match` capture (or the first capture) that starts on a changed row.
fn query_hits(
    query: &tree_sitter::Query,
    tree: &tree_sitter::Tree,
    side: &SideText,
    mut f: impl FnMut(usize, &str),
) {
    use tree_sitter::StreamingIterator;
    let names = query.capture_names();
    let want = names.iter().position(|n| *n == "match").map(|i| i as u32);
    let mut cursor = tree_sitter::QueryCursor::new();
    cursor.set_match_limit(10_000);
    let mut seen = std::collections::HashSet::new();
    let mut it = cursor.matches(query, tree.root_node(), side.text.as_bytes());
    let mut n = 0usize;
    while let Some(m) = it.next() {
        n += 1;
        if n > 100_000 {
            break;
        }
        let cap = m
            .captures()
            .iter()
            .find(|c| want.is_none_or(|w| c.index == w));
        let Some(cap) = cap else { continue };
        let node = cap.node;
        let row = node.start_position().row;
        if !side.touches_change(row, row) || !seen.insert(node.id()) {
            continue;
        }
        let text = side.text.get(node.byte_range()).unwrap_or("");
        let first = text.lines().next().unwrap_or("");
        f(row, first);
    }
}

fn render_docs(s: &RuleSpec) -> String {
    let body = |t: &str, fallback: &str| {
        let t = t.trim();
        if t.is_empty() {
            fallback.trim().to_string()
        } else {
            t.to_string()
        }
    };
    let mut what = body(&s.what, "");
    if what.is_empty() {
        what = s.message.clone();
    }
    let mut example = body(&s.example, "");
    if example.is_empty() {
        let fence = s.languages.first().map(String::as_str).unwrap_or("text");
        if let Some(c) = s.fires.first() {
            example.push_str(&format!(
                "Flagged (`{}`):\n```{fence}\n{}\n```",
                c.path_for(s.languages.first().map(String::as_str)),
                c.after.trim_end()
            ));
            if !c.before.is_empty() {
                example.push_str(&format!(
                    "\nwhen it was before:\n```{fence}\n{}\n```",
                    c.before.trim_end()
                ));
            }
        }
        if let Some(c) = s.passes.first() {
            example.push_str(&format!(
                "\n\nNot flagged:\n```{fence}\n{}\n```",
                c.after.trim_end()
            ));
        }
    }
    let parts = [
        what,
        body(&s.why, &s.explanation),
        example,
        body(&s.false_positives, ""),
    ];
    let mut out = String::new();
    for (h, p) in DOC_SECTIONS.iter().zip(parts.iter()) {
        out.push_str(h);
        out.push('\n');
        out.push_str(p);
        out.push_str("\n\n");
    }
    out.trim_end().to_string() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The built-in packs load through the one-pass reader, with the same
    /// rules as the careful reader that reports positions.
    #[test]
    fn builtin_packs_read_in_one_pass_as_carefully() {
        for (name, text) in BUILTIN_PACKS {
            let strict: Strict = toml::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            // The build script's JSON reads as the same specs.
            let json = builtin_json(name).unwrap_or_else(|| panic!("{name}: no JSON"));
            assert_eq!(format!("{json:?}"), format!("{:?}", strict.rule), "{name}");
            let fast = Pack::load_with(name, text, false).0;
            let careful = Pack::load(name, text).0;
            let ids = |p: &Pack| p.rules.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
            assert_eq!(strict.rule.len(), careful.rules.len(), "{name}");
            assert_eq!(ids(&fast), ids(&careful), "{name}");
            for (f, c) in fast.rules.iter().zip(&careful.rules) {
                assert_eq!(f.info().docs, c.info().docs, "{name}");
                assert_eq!(format!("{:?}", f.spec), format!("{:?}", c.spec), "{name}");
            }
        }
    }

    /// The plain strings read from a glob never turn away a path the
    /// compiled glob matches: every built-in glob, over the paths of the
    /// fixture and corpus diffs and paths made to meet each glob's edges.
    #[test]
    fn glob_prefilter_never_changes_an_answer() {
        let glob_literals = |p: &str| super::glob_literals(&glob_tokens(p).unwrap_or_default());
        let glob_tail = |p: &str| super::glob_tail(&glob_tokens(p).unwrap_or_default());
        assert_eq!(glob_literals("**/*auth*/**"), vec!["auth"]);
        assert_eq!(
            glob_literals("**/.github/workflows/*"),
            vec![".github/workflows"]
        );
        assert_eq!(glob_literals("**/*.[0-9]"), vec!["."]);
        assert_eq!(
            glob_literals("**/requirements*.txt"),
            vec!["requirements", ".txt"]
        );
        assert!(glob_literals("**/a{b,c}").iter().all(|l| l == "a"));
        assert!(glob_literals("**/a\\*").is_empty());
        assert_eq!(glob_tail("**/*.[0-9]"), vec![Some('.'), None]);
        assert_eq!(glob_tail("**/Jenkinsfile").len(), "Jenkinsfile".len());
        assert!(glob_tail("docs/**").is_empty());
        assert!(glob_tail("**/*.{yml,yaml}").is_empty());
        assert!(!ends_with_tail("app/retry.py", &glob_tail("**/*.[0-9]")));
        assert!(ends_with_tail("man/ip.8", &glob_tail("**/*.[0-9]")));
        assert!(ends_with_tail("Jenkinsfile", &glob_tail("**/Jenkinsfile")));

        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut paths: Vec<String> = Vec::new();
        for dir in ["tests/fixtures", "examples", "../shared/corpus/diffs"] {
            let mut stack = vec![root.join(dir)];
            while let Some(d) = stack.pop() {
                let Ok(rd) = std::fs::read_dir(&d) else {
                    continue;
                };
                for e in rd.flatten() {
                    let p = e.path();
                    if p.is_dir() {
                        stack.push(p);
                    } else if p.extension().is_some_and(|x| x == "diff" || x == "patch") {
                        let text = String::from_utf8_lossy(&std::fs::read(&p).unwrap_or_default())
                            .into_owned();
                        for l in text.lines() {
                            if let Some(rest) = l
                                .strip_prefix("+++ b/")
                                .or_else(|| l.strip_prefix("--- a/"))
                            {
                                paths.push(rest.to_string());
                            }
                        }
                    }
                }
            }
        }
        let mut globs: Vec<String> = Vec::new();
        for r in &builtin().rules {
            globs.extend(r.spec.paths.iter().chain(&r.spec.ignore_paths).cloned());
        }
        // Paths at each glob's edges: its plain text with wildcards filled
        // or emptied, at the top and below a directory.
        for g in &globs {
            for fill in ["", "x", "auth", "a/b"] {
                let p = g.replace("**", fill).replace(['*', '?'], fill);
                let p = p.replace("[0-9]", "1").replace(['[', ']'], "");
                paths.push(p.clone());
                paths.push(format!("src/{p}"));
            }
        }
        paths.sort();
        paths.dedup();
        assert!(paths.len() > 1000, "{} paths", paths.len());
        let mut hits = 0;
        for g in &globs {
            let lazy = PathGlob::new(g, false).unwrap();
            let plain = compile_glob(g).unwrap();
            for p in &paths {
                let want = plain.is_match(p.as_str());
                assert_eq!(lazy.is_match(p), want, "{g:?} on {p:?}");
                hits += usize::from(want);
            }
        }
        assert!(
            hits > 200,
            "only {hits} matches: the comparison proves little"
        );
    }
}
