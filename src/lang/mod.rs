//! The language table: one row per language (difftastic-style), with
//! detection by file name, extension and shebang, the tree-sitter grammar,
//! and the node-kind tables the syntax layer reads: definitions, calls,
//! imports, comments, string and number literals, identifiers, and how the
//! language marks tests and public items.
//!
//! Node-kind tables rather than tree-sitter queries: they cost nothing to
//! build (a query is compiled at run time, tens of milliseconds per
//! language), and a unit test checks every kind named here exists in its
//! grammar.
//!
//! Adding a language: add a [`Lang`] variant, a row in [`LANGS`] (see
//! `table.rs`), a fixture diff under `tests/fixtures/syntax/`, and run
//! `cargo test --test syntax_fixtures` then `cargo insta review`.

use serde::{Deserialize, Serialize};

mod table;
pub use table::LANGS;

/// A language the analyser knows.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
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
    /// Go.
    Go,
    /// Java.
    Java,
    /// C.
    C,
    /// C++.
    Cpp,
    /// C#.
    CSharp,
    /// Ruby.
    Ruby,
    /// PHP.
    Php,
    /// Bash and POSIX shell.
    Bash,
    /// JSON.
    Json,
    /// YAML.
    Yaml,
    /// TOML.
    Toml,
    /// HCL / Terraform.
    Hcl,
    /// Dockerfile / Containerfile.
    Dockerfile,
    /// SQL.
    Sql,
}

/// What a definition is.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum SymbolKind {
    /// A free function.
    Function,
    /// A function inside a class, impl, trait or interface.
    Method,
    /// A class, struct, record, union or object type.
    Class,
    /// An interface, trait or protocol.
    Interface,
    /// An enum.
    Enum,
    /// A type alias or other named type.
    Type,
    /// An `impl` block.
    Impl,
    /// A module or namespace.
    Module,
    /// A test function or test case.
    Test,
    /// A constant, static or top-level binding.
    Constant,
    /// A key, table or section of a configuration file.
    Key,
    /// A block of an infrastructure file (Terraform `resource`, Dockerfile stage).
    Block,
    /// A table, view, index or routine defined in SQL.
    Schema,
}

/// How a definition node's name is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameRule {
    /// A field of the node (`name`).
    Field(&'static str),
    /// C/C++: follow `declarator` fields down to the name.
    Declarator,
    /// Rust `impl [Trait for] Type`.
    RustImpl,
    /// The first named child whose kind is in the list.
    Child(&'static [&'static str]),
    /// HCL block: the type and its labels (`resource "aws_s3_bucket" "logs"`).
    HclLabels,
}

/// One kind of definition node.
#[derive(Debug, Clone, Copy)]
pub struct DefKind {
    /// The tree-sitter node kind.
    pub node: &'static str,
    /// What it defines.
    pub kind: SymbolKind,
    /// The keyword shown in a symbol chain (`fn`, `class`, `def`).
    pub label: &'static str,
    /// How to find its name.
    pub name: NameRule,
}

/// How a language marks public (exported) items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// Rust: a `pub` visibility modifier.
    RustPub,
    /// JavaScript/TypeScript: inside an `export` statement (methods: not
    /// `private`/`#private`).
    Export,
    /// Python: the name does not start with `_` (dunder names are public).
    Underscore,
    /// Go: the name starts with an upper-case letter.
    Capitalised,
    /// Java, C#, PHP: a `public` modifier (PHP: functions without one).
    PublicKeyword,
    /// C/C++: not `static`.
    NotStatic,
    /// Everything is public (Ruby, shell, config files).
    Always,
}

/// How a language marks tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestStyle {
    /// Rust: `#[test]`-like attributes, `#[cfg(test)] mod`.
    RustAttr,
    /// Function names with a prefix (`test_`, `Test`), classes `Test*`.
    NamePrefix(&'static [&'static str]),
    /// Calls like `it(…)`, `test(…)`, `describe(…)` define test cases.
    CallBlocks(&'static [&'static str]),
    /// Annotations/attributes on the definition (`@Test`, `[Fact]`).
    Annotation(&'static [&'static str]),
    /// Names with a prefix, and calls defining cases (Ruby minitest + RSpec).
    NameOrCall(&'static [&'static str], &'static [&'static str]),
    /// No test convention.
    None,
}

/// Lexical conventions for the text-level tokenizer (used when a file has
/// no tree, and for classifying edits).
#[derive(Debug, Clone, Copy)]
pub struct Lexical {
    /// Line comment starters.
    pub line_comments: &'static [&'static str],
    /// Block comment delimiters.
    pub block_comment: Option<(&'static str, &'static str)>,
    /// String quote characters.
    pub quotes: &'static [char],
}

/// One row of the language table.
pub struct LangInfo {
    /// The language.
    pub lang: Lang,
    /// Display name.
    pub name: &'static str,
    /// File extensions, without the dot, lower case.
    pub extensions: &'static [&'static str],
    /// Whole file names.
    pub filenames: &'static [&'static str],
    /// File-name prefixes (`Dockerfile.` matches `Dockerfile.dev`).
    pub filename_prefixes: &'static [&'static str],
    /// Interpreter names recognised in a `#!` line.
    pub shebangs: &'static [&'static str],
    /// The grammar; `None` for a language analysed at text level only.
    pub grammar: Option<fn() -> tree_sitter::Language>,
    /// Name of the grammar crate (for `blastradius languages`).
    pub grammar_crate: &'static str,
    /// Definition nodes.
    pub defs: &'static [DefKind],
    /// Call nodes.
    pub calls: &'static [&'static str],
    /// Import/include nodes.
    pub imports: &'static [&'static str],
    /// Comment nodes.
    pub comments: &'static [&'static str],
    /// String literal nodes.
    pub strings: &'static [&'static str],
    /// Number (and other scalar) literal nodes.
    pub numbers: &'static [&'static str],
    /// Identifier nodes.
    pub identifiers: &'static [&'static str],
    /// Public/exported convention.
    pub visibility: Visibility,
    /// Test convention.
    pub tests: TestStyle,
    /// Tokenizer conventions.
    pub lexical: Lexical,
    /// Definition nodes whose body starts at this field (for signatures).
    pub body_fields: &'static [&'static str],
    /// Whether a whole file may be parsed in windows: the top-level items
    /// around the hunks, cut at column-0 lines that follow a blank line
    /// (see `syntax::windows`). `None` where such a line can sit inside
    /// an item without the parser noticing (Ruby's unindented modules and
    /// heredocs, TOML's tables, SQL's dollar-quoted bodies, YAML, whose
    /// scanner stretches a window's last pair over the blank lines) and for
    /// one-object formats (JSON) and Dockerfiles (read line by line).
    pub windows: Option<Windows>,
}

/// How a language's whole files may be parsed in windows.
#[derive(Debug, Clone, Copy)]
pub struct Windows {
    /// Text that keeps a file whole when it occurs anywhere in it:
    /// heredocs, whose bodies put column-0 lines inside a string that a
    /// parse from inside cannot tell from code.
    pub blockers: &'static [&'static str],
    /// A first line every window parse includes, which must contain this
    /// text (PHP's `<?php`: without it the code reads as HTML).
    pub first_line: Option<&'static str>,
    /// Literals that may span lines: (open, close, backslash escapes).
    /// A line that starts inside one (or inside a block comment) is no cut.
    pub spans: &'static [(&'static str, &'static str, bool)],
    /// Quotes of strings that end at the end of their line at the latest.
    pub quotes: &'static [u8],
    /// Quotes of character literals (`'a'`, `'\n'`); otherwise the
    /// quote is something else (a Rust lifetime, a C++ digit separator).
    pub chars: &'static [u8],
    /// Comments start only at the start of a line or after a space (Bash
    /// `$#`).
    pub comment_after_space: bool,
}

/// Windows for C: block comments, one-line strings, character literals.
pub const WINDOWS: Windows = Windows {
    blockers: &[],
    first_line: None,
    spans: &[],
    quotes: b"\"",
    chars: b"'",
    comment_after_space: false,
};

impl Lang {
    /// Its row in [`LANGS`].
    pub fn info(self) -> &'static LangInfo {
        // Every variant has a row (checked by a test); the fallback keeps
        // this total without a panic path.
        LANGS.iter().find(|l| l.lang == self).unwrap_or(&LANGS[0])
    }
    /// The tree-sitter grammar, if the language has one compiled in.
    pub fn grammar(self) -> Option<tree_sitter::Language> {
        self.info().grammar.map(|g| g())
    }
    /// Display name.
    pub fn name(self) -> &'static str {
        self.info().name
    }
    /// Every language, in table order.
    pub fn all() -> impl Iterator<Item = Lang> {
        LANGS.iter().map(|l| l.lang)
    }
    /// Whether a full build has a grammar for this language that this
    /// build left out (its Cargo feature is off): a caller holding several
    /// builds, like the extension, should analyse with one that has it.
    pub fn grammar_left_out(self) -> bool {
        let info = self.info();
        info.grammar.is_none() && info.grammar_crate.starts_with("tree-sitter-")
    }
    /// Configuration or data languages (no functions or calls).
    pub fn is_config(self) -> bool {
        matches!(
            self,
            Lang::Json | Lang::Yaml | Lang::Toml | Lang::Hcl | Lang::Dockerfile
        )
    }
}

/// Detect a language from a path and, optionally, the first line of the file.
pub fn detect(path: &str, first_line: Option<&str>) -> Option<Lang> {
    let file = path.rsplit('/').next().unwrap_or(path);
    if let Some(l) = LANGS.iter().find(|l| l.filenames.contains(&file)) {
        return Some(l.lang);
    }
    if let Some(l) = LANGS
        .iter()
        .find(|l| l.filename_prefixes.iter().any(|p| file.starts_with(p)))
    {
        return Some(l.lang);
    }
    if let Some((_, ext)) = file.rsplit_once('.') {
        let ext = ext.to_ascii_lowercase();
        if let Some(l) = LANGS.iter().find(|l| l.extensions.contains(&ext.as_str())) {
            return Some(l.lang);
        }
    }
    by_interpreter(interpreter(first_line?)?)
}

/// The program a `#!` line runs: its file name, or after `env` (and its
/// options) the name `env` runs. A build template's placeholder is read
/// through its `@…@` (`#! @PYTHON3@` names `PYTHON3`).
pub fn interpreter(line: &str) -> Option<&str> {
    let line = line.strip_prefix("#!")?;
    let mut words = line.split_whitespace();
    let mut prog = words.next()?.rsplit('/').next()?;
    if prog == "env" {
        prog = words.find(|w| !w.starts_with('-') && !w.contains('='))?;
    }
    Some(prog.trim_matches('@')).filter(|p| !p.is_empty())
}

/// The language whose `#!` interpreter names are `prog`, in any case, with
/// or without a version (`python3.11`, a template's `PYTHON3`).
pub fn by_interpreter(prog: &str) -> Option<Lang> {
    LANGS
        .iter()
        .find(|l| {
            l.shebangs.iter().any(|s| {
                prog.get(..s.len())
                    .is_some_and(|p| p.eq_ignore_ascii_case(s))
                    && prog[s.len()..]
                        .chars()
                        .all(|c| c.is_ascii_digit() || c == '.')
            })
        })
        .map(|l| l.lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_has_one_row() {
        let all = [
            Lang::Rust,
            Lang::JavaScript,
            Lang::TypeScript,
            Lang::Tsx,
            Lang::Python,
            Lang::Go,
            Lang::Java,
            Lang::C,
            Lang::Cpp,
            Lang::CSharp,
            Lang::Ruby,
            Lang::Php,
            Lang::Bash,
            Lang::Json,
            Lang::Yaml,
            Lang::Toml,
            Lang::Hcl,
            Lang::Dockerfile,
            Lang::Sql,
        ];
        for l in all {
            assert_eq!(LANGS.iter().filter(|r| r.lang == l).count(), 1, "{l:?}");
            assert_eq!(l.info().lang, l);
        }
        assert_eq!(LANGS.len(), all.len());
    }

    #[test]
    fn every_node_kind_exists_in_its_grammar() {
        for l in LANGS {
            // A grammar left out by a Cargo feature has nothing to check
            // against.
            let Some(g) = l.grammar.map(|g| g()) else {
                continue;
            };
            let mut kinds: Vec<&str> = Vec::new();
            kinds.extend(l.defs.iter().map(|d| d.node));
            kinds.extend(l.calls);
            kinds.extend(l.imports);
            kinds.extend(l.comments);
            kinds.extend(l.strings);
            kinds.extend(l.numbers);
            kinds.extend(l.identifiers);
            for d in l.defs {
                if let NameRule::Child(ks) = d.name {
                    kinds.extend(ks);
                }
            }
            for k in kinds {
                assert_ne!(
                    g.id_for_node_kind(k, true),
                    0,
                    "{}: no node kind {k}",
                    l.name
                );
            }
            for f in l.body_fields {
                assert!(g.field_id_for_name(f).is_some(), "{}: no field {f}", l.name);
            }
            for d in l.defs {
                if let NameRule::Field(f) = d.name {
                    assert!(g.field_id_for_name(f).is_some(), "{}: no field {f}", l.name);
                }
            }
        }
    }

    #[test]
    fn detects_by_extension_name_and_shebang() {
        let cases = [
            ("src/main.rs", None, Some(Lang::Rust)),
            ("a/b.go", None, Some(Lang::Go)),
            ("X.java", None, Some(Lang::Java)),
            ("lib/x.h", None, Some(Lang::C)),
            ("lib/x.hpp", None, Some(Lang::Cpp)),
            ("App.cs", None, Some(Lang::CSharp)),
            ("Gemfile", None, Some(Lang::Ruby)),
            ("index.php", None, Some(Lang::Php)),
            ("deploy.sh", None, Some(Lang::Bash)),
            ("package.json", None, Some(Lang::Json)),
            (".github/workflows/ci.yml", None, Some(Lang::Yaml)),
            ("Cargo.toml", None, Some(Lang::Toml)),
            ("Cargo.lock", None, Some(Lang::Toml)),
            ("infra/main.tf", None, Some(Lang::Hcl)),
            ("Dockerfile", None, Some(Lang::Dockerfile)),
            ("docker/Dockerfile.prod", None, Some(Lang::Dockerfile)),
            ("build.dockerfile", None, Some(Lang::Dockerfile)),
            ("Containerfile", None, Some(Lang::Dockerfile)),
            ("db/001.sql", None, Some(Lang::Sql)),
            (
                "bin/tool",
                Some("#!/usr/bin/env python3"),
                Some(Lang::Python),
            ),
            ("bin/tool", Some("#!/bin/bash -e"), Some(Lang::Bash)),
            ("bin/tool", Some("#!/usr/bin/env ruby"), Some(Lang::Ruby)),
            (
                "bin/tool",
                Some("#!/usr/bin/env -S node --harmony"),
                Some(Lang::JavaScript),
            ),
            ("bin/tool", Some("#!/usr/bin/php"), Some(Lang::Php)),
            ("bin/tool", Some("#!/bin/sh"), Some(Lang::Bash)),
            (
                "ipsec/ovs-monitor-ipsec.in",
                Some("#! @PYTHON3@"),
                Some(Lang::Python),
            ),
            (
                "bin/tool",
                Some("#!/usr/bin/env @PYTHON@ -u"),
                Some(Lang::Python),
            ),
            ("bin/tool", Some("#! @@"), None),
            ("bin/tool", Some("#!/usr/bin/python3x"), None),
            ("README", None, None),
            ("Makefile", None, None),
            ("x.unknownext", Some("no shebang"), None),
        ];
        for (p, first, want) in cases {
            assert_eq!(detect(p, first), want, "{p}");
        }
    }
}
