//! The language table: one entry per language, detection by file name,
//! extension and shebang, and the tree-sitter grammar behind it.

use serde::Serialize;

/// A language the analyser knows.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Rust.
    Rust,
    /// JavaScript (and JSX).
    JavaScript,
    /// TypeScript.
    TypeScript,
    /// TSX.
    Tsx,
    /// Python.
    Python,
}

/// One row of the language table.
pub struct LangInfo {
    /// The language.
    pub lang: Lang,
    /// Display name.
    pub name: &'static str,
    /// File extensions, without the dot.
    pub extensions: &'static [&'static str],
    /// Whole file names.
    pub filenames: &'static [&'static str],
    /// Interpreter names recognised in a `#!` line.
    pub shebangs: &'static [&'static str],
    /// The grammar.
    pub grammar: fn() -> tree_sitter::Language,
}

/// The table.
pub static LANGS: &[LangInfo] = &[
    LangInfo {
        lang: Lang::Rust,
        name: "Rust",
        extensions: &["rs"],
        filenames: &[],
        shebangs: &[],
        grammar: || tree_sitter_rust::LANGUAGE.into(),
    },
    LangInfo {
        lang: Lang::JavaScript,
        name: "JavaScript",
        extensions: &["js", "mjs", "cjs", "jsx"],
        filenames: &[],
        shebangs: &["node", "nodejs", "deno", "bun"],
        grammar: || tree_sitter_javascript::LANGUAGE.into(),
    },
    LangInfo {
        lang: Lang::TypeScript,
        name: "TypeScript",
        extensions: &["ts", "mts", "cts"],
        filenames: &[],
        shebangs: &["ts-node"],
        grammar: || tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
    },
    LangInfo {
        lang: Lang::Tsx,
        name: "TSX",
        extensions: &["tsx"],
        filenames: &[],
        shebangs: &[],
        grammar: || tree_sitter_typescript::LANGUAGE_TSX.into(),
    },
    LangInfo {
        lang: Lang::Python,
        name: "Python",
        extensions: &["py", "pyi", "pyw"],
        filenames: &["SConstruct", "SConscript"],
        shebangs: &["python", "python2", "python3"],
        grammar: || tree_sitter_python::LANGUAGE.into(),
    },
];

impl Lang {
    /// Its row in [`LANGS`].
    pub fn info(self) -> &'static LangInfo {
        LANGS
            .iter()
            .find(|l| l.lang == self)
            .expect("every Lang has a row in LANGS")
    }
    /// The tree-sitter grammar.
    pub fn grammar(self) -> tree_sitter::Language {
        (self.info().grammar)()
    }
    /// Display name.
    pub fn name(self) -> &'static str {
        self.info().name
    }
}

/// Detect a language from a path and, optionally, the first line of the file.
pub fn detect(path: &str, first_line: Option<&str>) -> Option<Lang> {
    let file = path.rsplit('/').next().unwrap_or(path);
    if let Some(l) = LANGS.iter().find(|l| l.filenames.contains(&file)) {
        return Some(l.lang);
    }
    if let Some((_, ext)) = file.rsplit_once('.') {
        let ext = ext.to_ascii_lowercase();
        if let Some(l) = LANGS.iter().find(|l| l.extensions.contains(&ext.as_str())) {
            return Some(l.lang);
        }
    }
    let line = first_line?.strip_prefix("#!")?;
    let mut words = line.split_whitespace();
    let mut prog = words.next()?.rsplit('/').next()?;
    if prog == "env" {
        prog = words.find(|w| !w.starts_with('-'))?;
    }
    LANGS
        .iter()
        .find(|l| {
            l.shebangs.iter().any(|s| {
                prog == *s
                    || prog
                        .strip_prefix(s)
                        .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
            })
        })
        .map(|l| l.lang)
}
