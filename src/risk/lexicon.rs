//! Language-light facts about one line of code and one path.
//!
//! The risk model must work on any language the diff carries, including
//! ones without a compiled-in grammar (the development corpus is C), so
//! these facts come from a small tokenizer over the line text: keywords,
//! calls, operators and well-known API families (locking, memory, byte
//! order, string parsing). Nothing here can panic on any input.

/// What kind of file a path is, for risk and effort.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Program source.
    Code,
    /// Test code or test data.
    Test,
    /// Documentation, man pages, changelogs.
    Doc,
    /// Build system, packaging, CI configuration.
    Build,
    /// Configuration and schemas.
    Config,
    /// Lockfiles, vendored or generated files.
    Generated,
    /// Anything else (data, images).
    Other,
}

/// How a file's line comments start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comments {
    /// `//`, `/*` (and `#` is the C preprocessor).
    C,
    /// `#` (shell, Python, Ruby, YAML, build files), no C preprocessor.
    Hash,
    /// `--` (SQL, Lua, Haskell, Ada, Elm, VHDL); otherwise as C.
    Dash,
}

/// The family of language a path holds: the few readings of the line
/// tokenizer that differ between languages (what `'`, `/`, `<`, `|`, `&`
/// and `-` mean). Unknown languages read as C.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// C, and any language the table does not name.
    C,
    /// C++ and Objective-C: pointers and templates.
    Cpp,
    /// Go: pointers, raw strings in backquotes.
    Go,
    /// Rust: references, lifetimes, generics, closures `|x|`, `?`.
    Rust,
    /// Java, C#, Kotlin, Swift, Scala, Dart: generics, no pointers.
    Managed,
    /// JavaScript and TypeScript (with JSX): regex literals, template
    /// strings, generics, markup lines.
    Js,
    /// Vue, Svelte, Astro: markup around script.
    Markup,
    /// Python: `#` comments, annotations, docstrings.
    Python,
    /// Ruby: `#` comments, blocks `|x|`, heredocs, regex and `%` literals.
    Ruby,
    /// Shell and shell-like test scripts (autotest `.at`, m4, Dockerfiles):
    /// `-` starts options, `<`/`>` redirect, arithmetic only in `$(( ))`.
    Shell,
    /// Make and CMake: `+=` appends, no arithmetic, recipes are shell.
    Make,
    /// Other `#`-comment languages and formats (Perl, R, Tcl, YAML, TOML).
    Hash,
    /// `--`-comment languages (SQL, Lua, Haskell, Ada, Elm, VHDL).
    Dash,
}

impl Lang {
    /// The language of a path, from its extension or name; C when the
    /// path does not say.
    pub fn of(path: &str) -> Lang {
        Lang::named(path).unwrap_or(Lang::C)
    }

    /// The language of a file from its path, or else from its `#!` line
    /// (`first_line`, the file's first line when the diff shows it): an
    /// extensionless `ovs-monitor-ipsec` that starts `#! @PYTHON3@` is
    /// Python, a `debian/*.init` or an `iproute2` `*.t` test that starts
    /// `#!/bin/sh` is shell. C when neither says.
    pub fn of_file(path: &str, first_line: Option<&str>) -> Lang {
        Lang::named_file(path, first_line).unwrap_or(Lang::C)
    }

    /// The language the path or the `#!` line names; `None` when neither
    /// does (a file [`Lang::of_file`] reads as C for want of better).
    pub fn named_file(path: &str, first_line: Option<&str>) -> Option<Lang> {
        Lang::named(path).or_else(|| first_line.and_then(Lang::of_shebang))
    }

    /// The language a `#!` line names: its interpreter (`crate::lang`'s
    /// reading of the line, which also reads a build template's
    /// `#! @PYTHON3@`), and the `#`-comment interpreters the grammar table
    /// does not have.
    pub fn of_shebang(line: &str) -> Option<Lang> {
        let prog = crate::lang::interpreter(line)?.to_ascii_lowercase();
        if let Some(g) = crate::lang::by_interpreter(&prog) {
            return Some(Lang::of_grammar(g));
        }
        let name = prog.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
        Some(match name {
            "mksh" | "busybox" => Lang::Shell,
            "perl" | "tclsh" | "wish" | "expect" | "rscript" | "awk" | "gawk" | "sed" => Lang::Hash,
            "make" | "gmake" => Lang::Make,
            "lua" => Lang::Dash,
            _ => return None,
        })
    }

    /// The family of a language of the grammar table (`crate::lang`).
    fn of_grammar(g: crate::lang::Lang) -> Lang {
        use crate::lang::Lang as Grammar;
        match g {
            Grammar::Rust => Lang::Rust,
            Grammar::JavaScript | Grammar::TypeScript | Grammar::Tsx => Lang::Js,
            Grammar::Python => Lang::Python,
            Grammar::Go => Lang::Go,
            Grammar::Java | Grammar::CSharp => Lang::Managed,
            Grammar::Cpp => Lang::Cpp,
            Grammar::Ruby => Lang::Ruby,
            Grammar::Bash | Grammar::Dockerfile => Lang::Shell,
            Grammar::Yaml | Grammar::Toml => Lang::Hash,
            Grammar::Sql => Lang::Dash,
            Grammar::C | Grammar::Php | Grammar::Json | Grammar::Hcl => Lang::C,
        }
    }

    /// The language a path names by its extension or file name.
    fn named(path: &str) -> Option<Lang> {
        let name = file_name(path).to_ascii_lowercase();
        // Make, CMake and just (`justfile`: recipes of shell, `#` comments).
        if matches!(
            name.as_str(),
            "makefile" | "gnumakefile" | "cmakelists.txt" | "justfile" | ".justfile"
        ) {
            return Some(Lang::Make);
        }
        // Meson's build files: Python-like statements with `#` comments.
        if DATA_FILES.contains(&name.as_str())
            || matches!(
                name.as_str(),
                "meson.build" | "meson_options.txt" | "meson.options"
            )
        {
            return Some(Lang::Hash);
        }
        // The languages of the grammar table (`crate::lang`), by its
        // extensions and file names.
        if let Some(g) = crate::lang::detect(path, None) {
            return Some(Lang::of_grammar(g));
        }
        let ext = extension(path);
        if ext == "in" {
            // A template: the language of what it generates
            // (`ovs.spec.in`, `Makefile.in`).
            if let Some(stem) = path
                .strip_suffix(".in")
                .or_else(|| path.strip_suffix(".IN"))
            {
                return Lang::named(stem);
            }
        }
        // Languages the grammar table does not have.
        Some(match ext.as_str() {
            "y" | "l" | "def" | "inc" => Lang::C,
            "cu" | "m" | "mm" | "ino" => Lang::Cpp,
            "kt" | "kts" | "swift" | "scala" | "dart" | "groovy" => Lang::Managed,
            "vue" | "svelte" | "astro" => Lang::Markup,
            "pyx" => Lang::Python,
            "erb" => Lang::Ruby,
            "at" | "ac" | "m4" | "spec" => Lang::Shell,
            "mk" | "am" | "make" | "cmake" | "just" => Lang::Make,
            // Perl, R, Tcl, settings, and gettext catalogues (`#:`
            // source references are comments, not preprocessor lines).
            "pl" | "pm" | "perl" | "r" | "tcl" | "cfg" | "ini" | "conf" | "po" | "pot" => {
                Lang::Hash
            }
            "lua" | "hs" | "lhs" | "adb" | "ads" | "elm" | "vhd" | "vhdl" => Lang::Dash,
            // Debian maintainer and init scripts, OCF resource agents.
            "init" | "postinst" | "preinst" | "postrm" | "prerm" | "config" | "ocf" => Lang::Shell,
            // systemd units: INI-like settings.
            "service" | "socket" | "timer" | "target" | "mount" | "path" => Lang::Hash,
            _ => return None,
        })
    }

    /// How the language's line comments start.
    pub fn comments(self) -> Comments {
        match self {
            Lang::Python | Lang::Ruby | Lang::Shell | Lang::Make | Lang::Hash => Comments::Hash,
            Lang::Dash => Comments::Dash,
            _ => Comments::C,
        }
    }

    /// Whether the language has pointers or references, so that `*p`,
    /// `&x` and `->` mean what they do in C; elsewhere the `ptr` fact is
    /// indexing only.
    pub fn pointers(self) -> bool {
        matches!(
            self,
            Lang::C | Lang::Cpp | Lang::Go | Lang::Rust | Lang::Dash
        )
    }

    /// Shell-like: `-` starts an option, `<`/`>` redirect, `*` globs.
    fn shell(self) -> bool {
        matches!(self, Lang::Shell | Lang::Make)
    }

    /// Languages whose `<` right after a name can open type arguments.
    fn generics(self) -> bool {
        matches!(
            self,
            Lang::Cpp | Lang::Rust | Lang::Managed | Lang::Js | Lang::Markup
        )
    }

    /// Languages with `/regex/` literals.
    fn regex_literals(self) -> bool {
        matches!(self, Lang::Js | Lang::Markup | Lang::Ruby | Lang::Hash)
    }
}

/// Files of patterns, attributes or settings with `#` comments and no
/// extension to tell them by.
const DATA_FILES: &[&str] = &[
    ".gitignore",
    ".gitattributes",
    ".gitmodules",
    ".dockerignore",
    ".editorconfig",
    ".mailmap",
    ".npmrc",
    "codeowners",
    // setuptools' list of files to package: patterns, `#` comments.
    "manifest.in",
];

/// Whether the path is a data or configuration format (JSON, YAML, TOML,
/// INI, XML, CSV, ignore and attribute files, …): its lines are keys,
/// values and patterns, so the operator and
/// keyword facts of code would misread them (`runs-on` is not a
/// subtraction, `[ubuntu-latest]` not an index). Only blank and comment
/// lines are recognised in them.
pub fn is_data(path: &str) -> bool {
    DATA_FILES.contains(&file_name(path).to_ascii_lowercase().as_str())
        || matches!(
            extension(path).as_str(),
            "json"
                | "jsonc"
                | "json5"
                | "jsonl"
                | "ndjson"
                | "yml"
                | "yaml"
                | "toml"
                | "ini"
                | "cfg"
                | "conf"
                | "properties"
                | "env"
                | "xml"
                | "xsd"
                | "svg"
                | "plist"
                | "csv"
                | "tsv"
                | "ovsschema"
                | "lock"
                // Style sheets: selectors and `property: value` lines, no
                // arithmetic in `z-index` nor comparison in `a > b`.
                | "css"
                | "scss"
                | "sass"
                | "less"
                | "styl"
        )
}

/// Whether the path is a C/C++ header.
pub fn is_header(path: &str) -> bool {
    matches!(extension(path).as_str(), "h" | "hh" | "hpp" | "hxx" | "inc")
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn extension(path: &str) -> String {
    let f = file_name(path);
    match f.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_ascii_lowercase(),
        _ => String::new(),
    }
}

const LOCKFILES: &[&str] = &[
    "cargo.lock",
    "package-lock.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "poetry.lock",
    "uv.lock",
    "pipfile.lock",
    "gemfile.lock",
    "go.sum",
    "composer.lock",
    "flake.lock",
    "bun.lockb",
];

/// Top-level directories of CI configuration (GitHub, Gitea and Forgejo
/// Actions, CircleCI, generic `.ci/`): build files here, and a wide blast
/// radius (`risk::blast`).
pub const CI_DIRS: &[&str] = &[".github/", ".gitea/", ".forgejo/", ".circleci/", ".ci/"];

/// Classify a path. A build template (`x.in`) is what it generates: a man
/// page `ovs-ofctl.8.in` is documentation, `dirs.py.in` code, a script
/// `ovs-tcpdump.in` code, `openvswitch.spec.in` and `Makefile.in` build.
pub fn file_kind(path: &str) -> FileKind {
    if let Some(stem) = path
        .strip_suffix(".in")
        .filter(|s| !s.is_empty() && !s.ends_with('/'))
    {
        return match extension(stem).as_str() {
            "pc" | "service" => FileKind::Build,
            _ => file_kind(stem),
        };
    }
    let lower = path.to_ascii_lowercase();
    let name = file_name(&lower);
    let ext = extension(&lower);
    if LOCKFILES.contains(&name)
        || lower.contains("/vendor/")
        || lower.starts_with("vendor/")
        || lower.contains("node_modules/")
        || name.ends_with(".min.js")
        || name.ends_with(".pb.go")
        || name.ends_with("_pb2.py")
        || name.contains(".generated.")
    {
        return FileKind::Generated;
    }
    if crate::rules::is_test_path(path)
        || ext == "at"
        || lower.contains("/selftests/")
        || name.starts_with("test-")
    {
        return FileKind::Test;
    }
    let dirs: Vec<&str> = lower.split('/').collect();
    let in_dir = |d: &str| dirs.iter().rev().skip(1).any(|c| *c == d);
    if matches!(
        ext.as_str(),
        "md" | "rst"
            | "txt"
            | "adoc"
            | "texi"
            | "man"
            | "tex"
            | "html"
            | "xml"
            | "svg"
            | "po"
            | "pot"
    ) || ext.len() == 1 && ext.chars().all(|c| c.is_ascii_digit())
        || in_dir("doc")
        || in_dir("docs")
        || in_dir("documentation")
        || in_dir("man")
        || matches!(
            name,
            "news"
                | "readme"
                | "changelog"
                | "changes"
                | "authors"
                | "copying"
                | "license"
                | "maintainers"
                | "todo"
                | ".mailmap"
        )
        || name.starts_with("readme")
        || name.starts_with("changelog")
    {
        return FileKind::Doc;
    }
    if matches!(
        ext.as_str(),
        "am" | "ac" | "m4" | "mk" | "cmake" | "spec" | "in" | "bazel" | "bzl" | "gradle"
    ) || matches!(
        name,
        "makefile"
            | "configure"
            | "cmakelists.txt"
            | "dockerfile"
            | "containerfile"
            | "build.rs"
            | "cargo.toml"
            | "package.json"
            | "pyproject.toml"
            | "setup.py"
            | "go.mod"
            | "meson.build"
            | ".travis.yml"
            | ".gitlab-ci.yml"
            | ".cirrus.yml"
            | "appveyor.yml"
            | ".gitignore"
    ) || name.starts_with("dockerfile")
        || CI_DIRS.iter().any(|d| lower.starts_with(d))
        || lower.starts_with(".travis/")
        || in_dir("debian")
        || in_dir("rhel")
    {
        return FileKind::Build;
    }
    if matches!(
        ext.as_str(),
        "json"
            | "yaml"
            | "yml"
            | "toml"
            | "ini"
            | "cfg"
            | "conf"
            | "xsd"
            | "proto"
            | "ovsschema"
            | "sql"
            | "graphql"
            | "env"
            | "properties"
    ) || name.ends_with(".schema")
        || (in_dir("config") || in_dir("schemas")) && !is_code_ext(&ext)
    {
        return FileKind::Config;
    }
    if is_code_ext(&ext) {
        return FileKind::Code;
    }
    if ext.is_empty() && !name.starts_with('.') {
        // Extension-less files at the top of a tree are usually scripts or
        // docs; inside a source tree, utilities. Treat them as code.
        return FileKind::Code;
    }
    FileKind::Other
}

/// Extensions of program source files.
fn is_code_ext(ext: &str) -> bool {
    matches!(
        ext,
        "c" | "h"
            | "cc"
            | "cpp"
            | "cxx"
            | "hh"
            | "hpp"
            | "hxx"
            | "inc"
            | "rs"
            | "go"
            | "py"
            | "js"
            | "mjs"
            | "cjs"
            | "jsx"
            | "ts"
            | "tsx"
            | "java"
            | "kt"
            | "scala"
            | "rb"
            | "php"
            | "swift"
            | "m"
            | "mm"
            | "cs"
            | "sh"
            | "bash"
            | "pl"
            | "lua"
            | "zig"
            | "ex"
            | "exs"
            | "erl"
            | "hs"
            | "ml"
            | "dart"
            | "vue"
            | "svelte"
            | "awk"
            | "sed"
            | "tcl"
            | "r"
            | "p4"
            | "bpf"
            | "y"
            | "l"
            | "s"
    )
}

/// Facts about one line, as bit flags.
pub mod flag {
    /// `if`, `else`, `switch`, `case`, ternary.
    pub const COND: u64 = 1 << 0;
    /// `for`, `while`, `do`, `*_FOR_EACH*`.
    pub const LOOP: u64 = 1 << 1;
    /// `return`.
    pub const RETURN: u64 = 1 << 2;
    /// A return of an error value (`-E…`, `NULL`, `false`, `-1`, `err…`).
    pub const RET_ERR: u64 = 1 << 3;
    /// `goto` or an error label.
    pub const GOTO: u64 = 1 << 4;
    /// Locking, RCU, atomics, barriers.
    pub const LOCK: u64 = 1 << 5;
    /// Allocation, freeing, raw memory copies.
    pub const MEM: u64 = 1 << 6;
    /// `->` or indexing.
    pub const PTR: u64 = 1 << 7;
    /// Arithmetic operators.
    pub const ARITH: u64 = 1 << 8;
    /// Comparisons and logical operators.
    pub const CMP: u64 = 1 << 9;
    /// A NULL / None / nil check or value.
    pub const NULL: u64 = 1 << 10;
    /// A C-style cast.
    pub const CAST: u64 = 1 << 11;
    /// `sizeof`.
    pub const SIZEOF: u64 = 1 << 12;
    /// A call.
    pub const CALL: u64 = 1 << 13;
    /// An assignment.
    pub const ASSIGN: u64 = 1 << 14;
    /// A declaration.
    pub const DECL: u64 = 1 << 15;
    /// A function definition header.
    pub const FUNC_DEF: u64 = 1 << 16;
    /// A preprocessor directive.
    pub const PREPROC: u64 = 1 << 17;
    /// A comment line.
    pub const COMMENT: u64 = 1 << 18;
    /// Logging or printing.
    pub const LOG: u64 = 1 << 19;
    /// Byte-order conversion or fixed-endian types.
    pub const BYTEORDER: u64 = 1 << 20;
    /// Fixed-width integer types.
    pub const INTTYPE: u64 = 1 << 21;
    /// Bit operations and shifts.
    pub const BITOP: u64 = 1 << 22;
    /// String parsing and comparison functions.
    pub const STRFN: u64 = 1 << 23;
    /// A string literal.
    pub const STRING: u64 = 1 << 24;
    /// Blank or only braces/parentheses.
    pub const TRIVIAL: u64 = 1 << 25;
    /// Object lifecycle: init/destroy/ref/unref.
    pub const LIFECYCLE: u64 = 1 << 26;
    /// `break` / `continue`.
    pub const JUMP: u64 = 1 << 27;
    /// Error handling words (`err`, `error`, `fail`) without a return.
    pub const ERROR: u64 = 1 << 28;
    /// A struct/enum/union field or type definition.
    pub const TYPEDEF: u64 = 1 << 29;
}

const TYPE_WORDS: &[&str] = &[
    "int",
    "char",
    "short",
    "long",
    "unsigned",
    "signed",
    "float",
    "double",
    "void",
    "bool",
    "struct",
    "enum",
    "union",
    "const",
    "static",
    "size_t",
    "ssize_t",
    "uint8_t",
    "uint16_t",
    "uint32_t",
    "uint64_t",
    "int8_t",
    "int16_t",
    "int32_t",
    "int64_t",
    "u8",
    "u16",
    "u32",
    "u64",
    "__u8",
    "__u16",
    "__u32",
    "__u64",
    "__s32",
    "__be16",
    "__be32",
    "__be64",
    "ovs_be16",
    "ovs_be32",
    "ovs_be64",
    "let",
    "var",
    "auto",
    "extern",
    "inline",
    "volatile",
    "register",
    "uintptr_t",
    "off_t",
    "pid_t",
    "time_t",
    "FILE",
];

const MEM_WORDS: &[&str] = &[
    "malloc", "calloc", "realloc", "free", "xmalloc", "xzalloc", "xcalloc", "xrealloc", "xstrdup",
    "xmemdup", "xmemdup0", "strdup", "strndup", "memcpy", "memmove", "memset", "memcmp", "strcpy",
    "strncpy", "strcat", "strncat", "strlcpy", "sprintf", "vsprintf", "alloca", "kfree", "kmalloc",
    "kzalloc", "new", "delete", "Box", "unsafe", "mmap", "munmap",
];

const STR_WORDS: &[&str] = &[
    "strcmp",
    "strncmp",
    "strcasecmp",
    "strlen",
    "strnlen",
    "strchr",
    "strrchr",
    "strstr",
    "strtol",
    "strtoul",
    "strtoull",
    "strtoll",
    "atoi",
    "atol",
    "sscanf",
    "scanf",
    "matches",
    "strsep",
    "strtok",
    "strtok_r",
    "str_to_int",
    "get_u32",
    "get_u16",
    "get_u8",
    "get_integer",
    "get_unsigned",
    "parse",
    "str_to_uint",
];

/// Calls that log or print: the whole name is a log level or a printing
/// function (`logger.error(…)`, `warn(…)`, `puts(…)`), its first word (split
/// at `_` and lower-to-upper case changes) names a logger or printer
/// (`VLOG_WARN`, `logDebug`, `print_string`, `pr_err`, Ruby's
/// `puts_columns`), its last word is `log` or `print` (`error_log`,
/// `debug_print`; not in a test's name), or it is OVS's output
/// buffer (`ds_put_format`). `login(…)`, `information(…)`, `printable(…)`,
/// `error_body(…)` and `infoHash(…)` do not.
const LOG_NAMES: &[&str] = &[
    "log", "warn", "warning", "error", "debug", "info", "trace", "fatal", "critical", "notice",
    "perror", "syslog", "warnx", "puts", "fputs", "printk",
];
const LOG_FIRST_WORDS: &[&str] = &[
    "vlog", "log", "logger", "logging", "print", "printf", "fprintf", "println", "eprintln",
    "eprint", "console", "pr", "dbg", "puts",
];
const LOG_LAST_WORDS: &[&str] = &["log", "logf", "print", "printf", "println"];

fn is_log_call(name: &str) -> bool {
    let is = |list: &[&str], w: &str| list.iter().any(|l| w.eq_ignore_ascii_case(l));
    if is(LOG_NAMES, name)
        || name
            .get(..6)
            .is_some_and(|p| p.eq_ignore_ascii_case("ds_put"))
    {
        return true;
    }
    // Its words, without allocating: the lexicon reads every call this way.
    let b = name.as_bytes();
    let (mut first, mut last, mut count) = ("", "", 0);
    let mut start = 0;
    for i in 1..=b.len() {
        if i == b.len()
            || b[i] == b'_'
            || (b[i].is_ascii_uppercase() && b[i - 1].is_ascii_lowercase())
        {
            let w = name[start..i].trim_matches('_');
            if !w.is_empty() {
                if count == 0 {
                    first = w;
                }
                last = w;
                count += 1;
            }
            start = i;
        }
    }
    if is(LOG_FIRST_WORDS, first) {
        return true;
    }
    count > 1 && !is(&["test", "mock"], first) && is(LOG_LAST_WORDS, last)
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whether the text before an operator ends with an operand (a name, a
/// number, a closing bracket), which makes the operator binary.
fn ends_with_operand(prev: &str) -> bool {
    prev.bytes()
        .last()
        .is_some_and(|p| is_ident_byte(p) || p == b')' || p == b']')
}

/// Whether `prev` ends with the whole word `word`.
fn ends_with_word(prev: &str, word: &str) -> bool {
    prev.strip_suffix(word)
        .is_some_and(|h| !h.bytes().last().is_some_and(is_ident_byte))
}

/// Keywords after which an operator is unary or opens a literal:
/// `return -1`, `case -EINVAL:`, `when /re/`, `if !x`.
const OPERATOR_KEYWORDS: &[&str] = &[
    "return", "case", "when", "if", "elsif", "unless", "while", "until", "and", "or", "not", "in",
    "of", "typeof", "yield", "then", "else", "do", "puts", "print",
];

fn ends_with_keyword(prev: &str, lang: Lang) -> bool {
    if matches!(lang, Lang::C | Lang::Cpp | Lang::Go | Lang::Dash) {
        // Where `in` or `of` may name a variable.
        return ends_with_word(prev, "return") || ends_with_word(prev, "case");
    }
    OPERATOR_KEYWORDS.iter().any(|k| ends_with_word(prev, k))
}

/// Words that may come before `fn`/`def`/`function` on a definition.
const MODIFIERS: &[&str] = &[
    "pub",
    "async",
    "export",
    "default",
    "static",
    "unsafe",
    "const",
    "extern",
    "private",
    "public",
    "protected",
    "override",
    "inline",
    "crate",
    "local",
];

/// A line that only closes a block (`end`, `fi`, `done`, `esac`, `endif`)
/// or opens one (`then`, `do`) carries no more than a brace does.
const BLOCK_ENDS: &[&str] = &[
    "end",
    "fi",
    "done",
    "esac",
    "then",
    "do",
    "endif",
    "endef",
    "endfor",
    "endwhile",
    "endfunction",
];

/// Whether a trimmed line of JSX, Vue or Svelte is markup: it opens or
/// closes a tag (`<div class="x">`, `</dd>`, `<Foo />`, `<>`) or ends
/// one (`/>`, `>`).
fn markup_line(t: &str) -> bool {
    let b = t.as_bytes();
    match b {
        [b'<', n, ..] => n.is_ascii_alphabetic() || matches!(n, b'/' | b'>' | b'!'),
        [b'/', b'>', ..] | [b'>'] => true,
        _ => false,
    }
}

/// A line of JSX with its markup blanked: from the first `<` that opens
/// an element (`<dd`, `<Foo`, `<>` where no operand comes before it, so not
/// a comparison, and outside string literals) to the end of the line,
/// everything but the `{…}` expressions becomes spaces. `None` when the
/// line opens no element.
fn blank_jsx(t: &str, lang: Lang) -> Option<String> {
    let b = t.as_bytes();
    let mut i = 0;
    let start = loop {
        let c = *b.get(i)?;
        match c {
            b'"' | b'\'' | b'`' => {
                i += 1;
                while i < b.len() && b[i] != c {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'<' if b
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_alphabetic() || *n == b'>') =>
            {
                let prev = t[..i].trim_end();
                if !ends_with_operand(prev) || ends_with_keyword(prev, lang) {
                    break i;
                }
            }
            _ => {}
        }
        i += 1;
    };
    let mut out = String::with_capacity(t.len());
    out.push_str(&t[..start]);
    let mut depth = 0usize;
    for ch in t[start..].chars() {
        match ch {
            '{' => {
                depth += 1;
                out.push(if depth == 1 { ' ' } else { ch });
            }
            '}' if depth > 0 => {
                depth -= 1;
                out.push(if depth == 0 { ' ' } else { ch });
            }
            _ if depth > 0 => out.push(ch),
            _ => out.push(' '),
        }
    }
    Some(out)
}

/// Whether a trimmed line of a template is a tag attribute with a
/// string value, `v-if="loading"`, `data-testid="x"`, `:key="id"`.
fn attribute_line(t: &str) -> bool {
    let name = t.trim_start_matches([':', '@', '#']);
    let len = name
        .bytes()
        .take_while(|c| is_ident_byte(*c) || matches!(c, b'-' | b':' | b'.'))
        .count();
    len > 0
        && name
            .get(len..)
            .is_some_and(|r| r.starts_with("=\"") || r.starts_with("='"))
}

/// Whether a trimmed line of a template's `<style>` is CSS: a selector
/// (`.chart__svg {`) or a declaration (`height: 100%;`).
fn style_line(t: &str) -> bool {
    let selector = t.ends_with('{') && t.starts_with(['.', '#', '&', '@', ':']);
    let len = t
        .bytes()
        .take_while(|c| c.is_ascii_lowercase() || *c == b'-')
        .count();
    let declaration =
        len > 0 && t.ends_with(';') && t.get(len..).is_some_and(|r| r.starts_with(": "));
    selector || declaration
}

/// The end (one past the closing `>`) of type arguments opening at byte
/// `i` (`<`): `Vec<u8>`, `HashMap<K, Vec<V>>`, `Option<&'a str>`. Only
/// what type arguments hold may sit between; `a<b && c>d` is no type.
fn generic_end(b: &[u8], i: usize, lang: Lang) -> Option<usize> {
    let mut depth = 0u32;
    let mut k = i;
    // TypeScript's type arguments hold object and function types,
    // `Promise<{ ok: boolean; error?: string }>`, `Array<() => void>`.
    let ts = matches!(lang, Lang::Js | Lang::Markup);
    while k < b.len() && k < i + 200 {
        match b[k] {
            b'=' if ts && b.get(k + 1) == Some(&b'>') => k += 1,
            b'{' | b'}' | b';' | b'(' | b')' if ts => {}
            b'<' => depth += 1,
            b'>' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(k + 1);
                }
            }
            b'&' if b.get(k + 1) == Some(&b'&') => return None,
            b'|' if b.get(k + 1) == Some(&b'|') => return None,
            c if is_ident_byte(c)
                || matches!(
                    c,
                    b' ' | b',' | b'&' | b'\'' | b':' | b'[' | b']' | b'*' | b'?' | b'.' | b'|'
                ) => {}
            _ => return None,
        }
        k += 1;
    }
    None
}

/// Whether the operator at byte `i` has a space before it and none after.
fn uneven(b: &[u8], i: usize) -> bool {
    i > 0 && b[i - 1] == b' ' && !matches!(b.get(i + 1), None | Some(b' ' | b'='))
}

/// The end (one past the closing `/` and its flags) of a regex literal
/// opening at byte `i`, if it closes on this line.
fn regex_end(b: &[u8], i: usize) -> Option<usize> {
    let mut k = i + 1;
    let mut class = false;
    if matches!(b.get(k), None | Some(b' ' | b'=')) {
        return None;
    }
    while k < b.len() {
        match b[k] {
            b'\\' => k += 1,
            b'[' => class = true,
            b']' => class = false,
            b'/' if !class => {
                k += 1;
                while k < b.len() && b[k].is_ascii_alphabetic() {
                    k += 1;
                }
                return Some(k);
            }
            _ => {}
        }
        k += 1;
    }
    None
}

/// The end of a Ruby percent literal opening at byte `i` (`%w[a b]`,
/// `%r{^v\d}`, `%(text)`), if it closes on this line.
fn percent_literal_end(b: &[u8], i: usize) -> Option<usize> {
    let mut k = i + 1;
    if matches!(
        b.get(k),
        Some(b'w' | b'W' | b'i' | b'I' | b'r' | b'q' | b'Q' | b'x' | b's')
    ) {
        k += 1;
    }
    let open = *b.get(k)?;
    let close = match open {
        b'(' => b')',
        b'[' => b']',
        b'{' => b'}',
        b'<' => b'>',
        b'|' | b'!' | b'/' => open,
        _ => return None,
    };
    let mut depth = 0u32;
    k += 1;
    while k < b.len() {
        let c = b[k];
        if c == b'\\' {
            k += 2;
            continue;
        }
        if c == close && depth == 0 {
            return Some(k + 1);
        }
        if c == close {
            depth -= 1;
        } else if c == open {
            depth += 1;
        }
        k += 1;
    }
    None
}

/// The terminator of a heredoc whose `<<` ends right before `rest`:
/// `<<~EOS`, `<<-EOS`, `<<'EOS'`; the shell also takes `<< EOF`.
fn heredoc_tag(rest: &str, shell: bool) -> Option<&str> {
    let r = rest.strip_prefix(['~', '-']).unwrap_or(rest);
    let r = if shell { r.trim_start() } else { r };
    let r = r.strip_prefix(['\'', '"']).unwrap_or(r);
    let len = r.bytes().take_while(|c| is_ident_byte(*c)).count();
    let tag = r.get(..len)?;
    let starts = tag
        .bytes()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == b'_');
    // Ruby's `<<x` without a tag-like (upper-case) name is an append.
    (starts && (shell || tag.bytes().all(|c| !c.is_ascii_lowercase()))).then_some(tag)
}

/// The kind of block of text a line is inside ([`TextBlocks::block`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Block {
    /// A docstring or a comment: prose about the code, never run.
    Prose,
    /// A heredoc's body: data the code passes on (a script, a query, a
    /// file's contents), which may well be run.
    Heredoc,
}

/// Blocks of text inside code, followed line by line through one side of
/// a hunk: Python docstrings, and Ruby and shell heredocs. Their lines are
/// prose or data (a message, an expected output, a unit file), not code.
///
/// A docstring opens with `"""` or `'''` (after an optional `r`/`u`
/// prefix) at the start of a line that follows a line ending with `:`
/// (a `def`, `class` or other block header) or that comes first in the
/// file, and runs to the closing quotes. Triple-quoted strings elsewhere
/// (an SQL query assigned to a name) are code, not docstrings. A heredoc
/// opens after a line with `<<~TAG`, `<<-TAG`, `<<TAG` (the shell also
/// `<< TAG`) and runs to the line that is `TAG`. A hunk is read from its
/// first line with no memory of what came before; a hunk that starts
/// inside a docstring or a `/* … */` comment is told so by
/// [`TextBlocks::opened`] (from the first delimiter it shows, see
/// [`crate::syntax::opened`]). In C-like languages a `/* … */` comment
/// that spans lines is followed too: its lines after the first are
/// comment whether or not they start with `*`.
#[derive(Debug, Clone)]
pub struct TextBlocks {
    lang: Lang,
    open: Option<String>,
    heredoc: bool,
    after_header: bool,
    /// Rows still inside text opened above the hunk (the closing row
    /// included).
    above: usize,
    /// Inside a `/* … */` comment that opened on an earlier row.
    comment: bool,
}

impl TextBlocks {
    /// The state at the start of a hunk in a file of `lang`; `file_start`
    /// when the hunk starts at the first line of the file (where a module
    /// docstring sits).
    pub fn new(lang: Lang, file_start: bool) -> Self {
        TextBlocks {
            lang,
            open: None,
            heredoc: false,
            after_header: file_start,
            above: 0,
            comment: false,
        }
    }

    /// The same, for a hunk whose side reads `rows` (in order; only as
    /// many are read as it takes to find the first delimiter): when they
    /// start inside a docstring or comment opened above the hunk, its
    /// rows are inside a block.
    pub fn opened<S: AsRef<str>>(
        lang: Lang,
        file_start: bool,
        rows: impl IntoIterator<Item = S>,
    ) -> Self {
        let mut b = TextBlocks::new(lang, file_start);
        if let Some(kind) = opener(lang).filter(|_| !file_start) {
            if let Some(o) = crate::syntax::opened::opened_above(kind, rows) {
                b.above = o.row + 1;
            }
        }
        b
    }

    /// Whether the language has blocks of text this follows.
    pub fn applies(lang: Lang) -> bool {
        matches!(lang, Lang::Ruby | Lang::Shell) || opener(lang).is_some()
    }

    /// Whether `text`, the next line on this side, is inside a block of
    /// text (its closing line included).
    pub fn line(&mut self, text: &str) -> bool {
        self.block(text).is_some()
    }

    /// What block of text `text`, the next line on this side, is inside
    /// (its closing line included), if any.
    pub fn block(&mut self, text: &str) -> Option<Block> {
        if self.above > 0 {
            self.above -= 1;
            self.after_header = false;
            return Some(Block::Prose);
        }
        if self.comment {
            self.comment = !closes_comment(text, self.lang);
            return Some(Block::Prose);
        }
        let t = text.trim();
        if let Some(q) = &self.open {
            let closes = if self.heredoc {
                t == q
            } else {
                t.contains(q.as_str())
            };
            let block = if self.heredoc {
                Block::Heredoc
            } else {
                Block::Prose
            };
            if closes {
                self.open = None;
            }
            self.after_header = false;
            return Some(block);
        }
        let opens = match self.lang {
            Lang::Python => self.docstring(t),
            Lang::Ruby | Lang::Shell => {
                if !t.starts_with('#') {
                    let shell = self.lang == Lang::Shell;
                    let tag = t
                        .match_indices("<<")
                        .find_map(|(k, _)| heredoc_tag(t.get(k + 2..).unwrap_or(""), shell));
                    if let Some(tag) = tag {
                        self.open = Some(tag.to_string());
                        self.heredoc = true;
                    }
                }
                false
            }
            _ if opener(self.lang) == Some(crate::syntax::opened::Opener::BlockComment) => {
                self.comment = opens_comment(text, self.lang);
                false
            }
            _ => false,
        };
        opens.then_some(Block::Prose)
    }

    fn docstring(&mut self, t: &str) -> bool {
        if t.is_empty() || t.starts_with('#') {
            return false;
        }
        let body = t.strip_prefix(['r', 'R', 'u', 'U']).unwrap_or(t);
        let quote = ["\"\"\"", "'''"].into_iter().find(|q| body.starts_with(q));
        let doc = match quote {
            Some(q) if self.after_header => {
                if !body[3..].contains(q) {
                    self.open = Some(q.to_string());
                    self.heredoc = false;
                }
                true
            }
            _ => false,
        };
        self.after_header = !doc && t.ends_with(':');
        doc
    }
}

/// Both sides of one hunk followed through [`TextBlocks`]: a context
/// line is read on both, an added line on the new side, a removed line
/// on the old.
#[derive(Debug, Clone)]
pub struct HunkBlocks {
    new: TextBlocks,
    old: TextBlocks,
}

impl HunkBlocks {
    /// The state at the start of hunk `h` of `patch` in a file of `lang`
    /// (each side told whether it starts inside text opened above it).
    pub fn new(patch: &crate::diff::Patch<'_>, h: &crate::diff::Hunk, lang: Lang) -> Self {
        use crate::diff::LineKind;
        let side = |start: u32, drop: LineKind| {
            let rows = h
                .lines
                .iter()
                .filter(move |l| l.kind != drop)
                .map(|l| patch.line_text(l));
            TextBlocks::opened(lang, start <= 1, rows)
        };
        HunkBlocks {
            new: side(h.new_start, LineKind::Removed),
            old: side(h.old_start, LineKind::Added),
        }
    }

    /// The block the hunk's next line, of `kind` and text `text`, is
    /// inside: on the new side for a context or added line, on the old
    /// side for a removed one.
    pub fn line(&mut self, kind: crate::diff::LineKind, text: &str) -> Option<Block> {
        use crate::diff::LineKind;
        match kind {
            LineKind::Context => {
                let b = self.new.block(text);
                self.old.block(text);
                b
            }
            LineKind::Added => self.new.block(text),
            LineKind::Removed => self.old.block(text),
        }
    }
}

/// What text of `lang` a hunk can start inside of, and [`TextBlocks`]
/// follows across rows: Python's triple-quoted strings, the `/* … */`
/// comments of C-like languages (not of markup).
fn opener(lang: Lang) -> Option<crate::syntax::opened::Opener> {
    use crate::syntax::opened::Opener;
    match lang {
        Lang::Python => Some(Opener::TripleQuote),
        _ if lang.comments() == Comments::C && lang != Lang::Markup => Some(Opener::BlockComment),
        _ => None,
    }
}

/// Whether a C-like line of `lang` leaves a `/* … */` comment open at
/// its end: `/*` outside strings, character literals and a `//` comment,
/// not after a `\` (a regular expression's `\/*`), with no `*/` after
/// it. JavaScript's strings are in `"`, `'` or backquotes, Go's in `"` or
/// backquotes; elsewhere `'x'` is a character (a Rust lifetime `'a` is
/// not a quote).
fn opens_comment(t: &str, lang: Lang) -> bool {
    let quotes: &[u8] = match lang {
        Lang::Js => b"\"'`",
        Lang::Go => b"\"`",
        _ => b"\"",
    };
    let b = t.as_bytes();
    let mut i = 0;
    let mut open = false;
    while i < b.len() {
        if open {
            if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                open = false;
                i += 2;
                continue;
            }
            i += 1;
            continue;
        }
        match b[i] {
            b'\\' => i += 1,
            b'/' if b.get(i + 1) == Some(&b'/') => return false,
            b'/' if b.get(i + 1) == Some(&b'*') => {
                open = true;
                i += 2;
                continue;
            }
            q if quotes.contains(&q) => {
                i += 1;
                while i < b.len() && b[i] != q {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
            }
            // A character literal `'x'` or `'\x'` (not a Rust lifetime).
            b'\'' if b.get(i + 2) == Some(&b'\'') => i += 2,
            b'\'' if b.get(i + 1) == Some(&b'\\') && b.get(i + 3) == Some(&b'\'') => i += 3,
            _ => {}
        }
        i += 1;
    }
    open
}

/// Whether a line inside a `/* … */` comment closes it (and opens no
/// other after).
fn closes_comment(t: &str, lang: Lang) -> bool {
    match t.find("*/") {
        Some(k) => !opens_comment(&t[k + 2..], lang),
        None => false,
    }
}

/// Whether the line holds a C-style cast, `(type)` or `(type *)`, followed
/// by an operand. A parenthesis right after a name opens a call, a
/// definition's parameters or `sizeof`, not a cast: `foo(void)` and
/// `bar(int a)` are not casts, `return (int) x` and `f((u32) x)` are.
/// Looks at the first 16 parentheses of the line.
fn has_cast(t: &str) -> bool {
    let b = t.as_bytes();
    let mut from = 0usize;
    for _ in 0..16 {
        let Some(p) = t.get(from..).and_then(|r| r.find('(')).map(|k| k + from) else {
            return false;
        };
        from = p + 1;
        let before = t.get(..p).unwrap_or("").trim_end();
        let name_len = before
            .bytes()
            .rev()
            .take_while(|c| is_ident_byte(*c))
            .count();
        let name = before.get(before.len() - name_len..).unwrap_or("");
        if !name.is_empty() && name != "return" && name != "case" {
            continue;
        }
        let rest = t.get(p + 1..).unwrap_or("");
        let Some(q) = rest.bytes().position(|c| c == b')' || c == b'(') else {
            return false;
        };
        if b.get(p + 1 + q) != Some(&b')') {
            continue;
        }
        let inner = rest
            .get(..q)
            .unwrap_or("")
            .trim()
            .trim_end_matches('*')
            .trim();
        let first = inner.split_whitespace().next().unwrap_or("");
        let typed = !inner.is_empty()
            && (TYPE_WORDS.contains(&first) || first.ends_with("_t"))
            && inner
                .bytes()
                .all(|c| is_ident_byte(c) || c == b' ' || c == b'*');
        let operand = rest
            .get(q + 1..)
            .unwrap_or("")
            .trim_start()
            .bytes()
            .next()
            .is_some_and(|c| {
                is_ident_byte(c)
                    || matches!(c, b'(' | b'*' | b'&' | b'-' | b'!' | b'~' | b'"' | b'\'')
            });
        if typed && operand {
            return true;
        }
    }
    false
}

/// Whether byte `i` of a line in a `#`-comment language sits in a Python
/// type annotation, where `|` joins types (`x: int | None = None`,
/// `def f(a: str | None) -> int | None:`), not bits.
fn annotation(t: &str, i: usize) -> bool {
    let head = t.get(..i).unwrap_or("");
    if head.starts_with("def ") || head.starts_with("async def ") || head.contains("->") {
        return true;
    }
    // `name: T | U` before any `=`; or a parameter of a `def` continued
    // from the line before, `self, action: str, parent: Optional[str]`.
    let typed = |seg: &str| {
        seg.find(':').is_some_and(|colon| {
            let name = seg[..colon].trim();
            !name.is_empty()
                && name.bytes().all(|c| is_ident_byte(c) || c == b'.')
                && !seg.contains('=')
        })
    };
    typed(head) || typed(head.rsplit([',', '(']).next().unwrap_or(head))
}

/// Whether the name before a `[` is a generic type, not a container: in
/// Python the `typing` generics (`cast(Optional[str], x)`,
/// `TypeVar("T", bound=Dict[str, Any])`), in Ruby Sorbet's `T::Array`,
/// `T::Hash`, … (`returns(T::Array[String])`).
fn generic_type(prev: &str, lang: Lang) -> bool {
    let name_len = prev
        .bytes()
        .rev()
        .take_while(|c| is_ident_byte(*c) || matches!(c, b'.' | b':'))
        .count();
    let name = &prev[prev.len() - name_len..];
    match lang {
        Lang::Python => {
            let last = name.rsplit('.').next().unwrap_or(name);
            TYPING_GENERICS.contains(&last)
        }
        Lang::Ruby => name.starts_with("T::") && name.len() > 3,
        _ => false,
    }
}

/// Python's `typing` generics, subscripted only to name a type.
const TYPING_GENERICS: &[&str] = &[
    "Optional",
    "Union",
    "List",
    "Dict",
    "Tuple",
    "Set",
    "FrozenSet",
    "Type",
    "Callable",
    "Literal",
    "Annotated",
    "Sequence",
    "Mapping",
    "MutableMapping",
    "Iterable",
    "Iterator",
    "AsyncIterator",
    "Generator",
    "AsyncGenerator",
    "Awaitable",
    "Coroutine",
    "ClassVar",
    "Final",
    "TypeGuard",
    "DefaultDict",
    "OrderedDict",
    "Deque",
    "Counter",
    "Collection",
];

/// Compute the flags of one line of text in a file of language `lang`.
/// A line that starts with `--` is a comment only where `--` starts one:
/// elsewhere it is a decrement or a command-line option.
pub fn line_flags(text: &str, lang: Lang) -> u64 {
    use flag::*;
    let comments = lang.comments();
    let hash_comment = comments == Comments::Hash;
    let t = text.trim();
    let mut f = 0u64;
    if t.is_empty()
        || t.bytes()
            .all(|b| matches!(b, b'{' | b'}' | b'(' | b')' | b';' | b',' | b' ' | b'\t'))
        || BLOCK_ENDS.contains(&t.trim_end_matches(';').trim_end())
    {
        return TRIVIAL;
    }
    if (!hash_comment && (t.starts_with("//") || t.starts_with("/*")))
        || t.starts_with("* ")
        || t == "*"
        || t.starts_with("*/")
        || (hash_comment && t.starts_with('#'))
        || (comments == Comments::Dash && t.starts_with("--"))
    {
        return COMMENT;
    }
    // A line of markup (`<div class="x">`, `</dd>`, `/>`) compares and
    // divides nothing.
    if matches!(lang, Lang::Js | Lang::Markup) && (markup_line(t) || attribute_line(t))
        || lang == Lang::Markup && style_line(t)
    {
        return 0;
    }
    // Markup inside a line of JSX (`() => <dd className="x">None</dd>`,
    // `{!busy && <Tab />}`) is blanked, its `{…}` expressions kept.
    let jsx = if matches!(lang, Lang::Js | Lang::Markup) {
        blank_jsx(t, lang)
    } else {
        None
    };
    let t = jsx.as_deref().map_or(t, str::trim_end);
    if matches!(lang, Lang::C | Lang::Cpp | Lang::Managed | Lang::Dash) && t.starts_with('#') {
        let directive = t[1..].trim_start();
        if directive.starts_with("include") || directive.starts_with("import") {
            // `#include <linux/if.h>` compares nothing.
            return PREPROC;
        }
        f |= PREPROC;
    }
    // Shell and Make do arithmetic only inside `$(( ))`, `(( ))` or `let`.
    let arith_ok =
        !lang.shell() || t.contains("$((") || t.starts_with("((") || t.starts_with("let ");
    let b = t.as_bytes();
    let mut words: Vec<&str> = Vec::new();
    let mut calls: Vec<&str> = Vec::new();
    let mut i = 0usize;
    let mut in_str: Option<u8> = None;
    while i < b.len() {
        let c = b[i];
        if let Some(q) = in_str {
            if c == b'\\' {
                i += 2;
                continue;
            }
            if c == q {
                in_str = None;
            }
            i += 1;
            continue;
        }
        let n = b.get(i + 1).copied().unwrap_or(0);
        // A Rust lifetime or label (`'a`, `'static`) opens no character.
        if c == b'\''
            && lang == Lang::Rust
            && (n.is_ascii_alphabetic() || n == b'_')
            && b.get(i + 2) != Some(&b'\'')
        {
            i += 1;
            continue;
        }
        let backquote = c == b'`'
            && matches!(
                lang,
                Lang::Js
                    | Lang::Markup
                    | Lang::Go
                    | Lang::Ruby
                    | Lang::Shell
                    | Lang::Make
                    | Lang::Dash
            );
        if c == b'"' || c == b'\'' || backquote {
            if c != b'\'' {
                f |= STRING;
            }
            in_str = Some(c);
            i += 1;
            continue;
        }
        if c == b'/' && !hash_comment && matches!(n, b'/' | b'*') {
            break;
        }
        // A trailing `#` comment (not `$#` or Ruby's `#{` in a string).
        if c == b'#' && hash_comment && (i == 0 || matches!(b[i - 1], b' ' | b'\t')) {
            break;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            let s = i;
            while i < b.len() && is_ident_byte(b[i]) {
                i += 1;
            }
            let w = t.get(s..i).unwrap_or("");
            // A Ruby symbol, `:failed`, is a value like a string.
            let symbol =
                lang == Lang::Ruby && s > 0 && b[s - 1] == b':' && (s < 2 || b[s - 2] != b':');
            // Ruby's `present?` and `save!` are method names.
            if lang == Lang::Ruby
                && matches!(b.get(i), Some(b'?' | b'!'))
                && b.get(i + 1) != Some(&b'=')
            {
                i += 1;
            }
            let mut j = i;
            while j < b.len() && b[j] == b' ' {
                j += 1;
            }
            if symbol {
                continue;
            }
            if b.get(j) == Some(&b'(') {
                calls.push(w);
            }
            words.push(w);
            continue;
        }
        if c.is_ascii_digit() {
            while i < b.len() && (is_ident_byte(b[i]) || b[i] == b'.') {
                i += 1;
            }
            words.push("#num");
            continue;
        }
        let prev = t.get(..i).unwrap_or("").trim_end();
        let operand = ends_with_operand(prev) && !ends_with_keyword(prev, lang);
        let two = [c, n];
        match &two {
            b"->" => {
                // Member access through a pointer in C and C++; a return
                // type (Rust, Python) or a lambda elsewhere.
                if matches!(lang, Lang::C | Lang::Cpp | Lang::Dash) {
                    f |= PTR;
                }
                i += 2;
                continue;
            }
            b"=>" | b"::" | b"?." | b"&." => {
                i += 2;
                continue;
            }
            b"||" | b"&&" if b.get(i + 2) == Some(&b'=') => {
                // `x ||= y`: a default, not a comparison.
                f |= ASSIGN;
                i += 3;
                continue;
            }
            // A Rust closure without parameters.
            b"||" if lang == Lang::Rust && !operand => {
                i += 2;
                continue;
            }
            b"==" | b"!=" | b"<=" | b">=" | b"&&" | b"||" | b"=~" | b"!~" => {
                if lang == Lang::Make && &two == b"!=" {
                    f |= ASSIGN;
                } else if lang.shell() && matches!(&two, b"&&" | b"||") {
                    // `cmd && next`, `cmd || fallback`: commands chained
                    // on exit status, not a comparison of values.
                } else {
                    f |= CMP;
                }
                i += 2;
                // `===`, `!==`.
                if b.get(i) == Some(&b'=') {
                    i += 1;
                }
                continue;
            }
            b"<<" | b">>" => {
                i += 2;
                let rest = t.get(i..).unwrap_or("");
                let next = rest.trim_start().bytes().next().unwrap_or(0);
                let numeric = next.is_ascii_digit()
                    || prev.bytes().last().is_some_and(|p| p.is_ascii_digit());
                // Shell outside `$(( ))`: a heredoc or a redirection; Ruby,
                // unless a number is shifted: a heredoc or an append.
                let shift = (arith_ok || !lang.shell()) && (numeric || lang != Lang::Ruby);
                if !shift && heredoc_tag(rest, lang.shell()).is_some() {
                    // A heredoc's opening, `<<~EOS`: skip its tag.
                    f |= STRING;
                    while i < b.len() && (is_ident_byte(b[i]) || matches!(b[i], b'~' | b'-')) {
                        i += 1;
                    }
                    continue;
                }
                if shift {
                    f |= BITOP | ARITH;
                }
                if b.get(i) == Some(&b'=') {
                    f |= ASSIGN;
                    i += 1;
                }
                continue;
            }
            b"**" | b"//" if lang == Lang::Python || &two == b"**" && !lang.pointers() => {
                // Power and floor division: after an operand only;
                // `**kwargs` unpacks.
                if operand && arith_ok {
                    f |= ARITH;
                }
                i += 2;
                continue;
            }
            b"++" | b"--" | b"+=" | b"-=" | b"*=" | b"/=" | b"%=" => {
                let assign = n == b'=' || matches!(&two, b"++" | b"--");
                if &two == b"--" && (lang.shell() || lang == Lang::Hash) {
                    // A long option, `--detach`.
                } else if lang.shell() && !arith_ok || lang == Lang::Make {
                    // `CFLAGS += -O2`, `args+=(x)`: appends.
                    f |= ASSIGN;
                } else {
                    f |= ARITH;
                    if assign {
                        f |= ASSIGN;
                    }
                }
                i += 2;
                continue;
            }
            b"|=" | b"&=" | b"^=" => {
                f |= BITOP | ASSIGN;
                i += 2;
                continue;
            }
            b":=" | b"?=" if lang == Lang::Make => {
                f |= ASSIGN;
                i += 2;
                continue;
            }
            _ => {}
        }
        match c {
            // An array type or an empty literal (`SchemaObject[]`,
            // `[number, number][]`) outside C: no element is read.
            b'[' if n == b']' && !matches!(lang, Lang::C | Lang::Cpp | Lang::Dash) => {}
            b'[' => {
                if matches!(lang, Lang::C | Lang::Cpp | Lang::Dash) || operand {
                    // Indexing (and C's `[KEY] = …` initialisers); a
                    // Python subscript in an annotation is a type.
                    if !(lang == Lang::Python && annotation(t, i) || generic_type(prev, lang)) {
                        f |= PTR;
                    }
                } else if lang.shell() && (n == b' ' || n == b'[' && b.get(i + 2) == Some(&b' ')) {
                    // A shell test, `[ -n "$x" ]` / `[[ … ]]`.
                    f |= COND;
                }
            }
            b'<' if lang.generics()
                && (i > 0
                    && (is_ident_byte(b[i - 1]) || lang == Lang::Rust && b[i - 1] == b':')
                    || ends_with_word(prev, "template")) =>
            {
                // Type arguments, `Vec<u8>`, `Map<K, V>`.
                if let Some(end) = generic_end(b, i, lang) {
                    i = end;
                    continue;
                }
                f |= CMP;
            }
            b'<' | b'>' if lang.shell() => {}
            b'=' => f |= ASSIGN,
            b'<' | b'>' => f |= CMP,
            b'!' => f |= CMP,
            b'?' => {
                if lang == Lang::Rust && operand {
                    // `f()?`: return the error to the caller.
                    f |= RETURN | RET_ERR;
                } else if lang.shell() {
                    // `$?`, a glob.
                } else if matches!(lang, Lang::Js | Lang::Markup | Lang::Managed)
                    && matches!(n, b':' | b')' | b',' | b'=' | b'.')
                {
                    // An optional property or parameter, `name?: T`.
                } else {
                    f |= COND;
                }
            }
            // After an operand, `f /x/` (space before, none after) is still
            // a literal argument in Ruby: a division is spaced evenly.
            b'/' if lang.regex_literals() && (!operand || uneven(b, i)) => {
                // A regex literal, `/^v\d+/`.
                if let Some(end) = regex_end(b, i) {
                    i = end;
                    continue;
                }
            }
            b'%' if lang == Lang::Ruby && (!operand || uneven(b, i)) => {
                // `%w[a b]`, `%r{…}`, `%(…)`.
                if let Some(end) = percent_literal_end(b, i) {
                    f |= STRING;
                    i = end;
                    continue;
                }
            }
            b'+' | b'-' | b'/' | b'%' => {
                // Binary only after an operand: `-EINVAL` and `+1` are
                // signs. A string after `/` is a path join
                // (`prefix/"bin"`); a `%` before `;` is a percentage.
                let next = t
                    .get(i + 1..)
                    .unwrap_or("")
                    .trim_start()
                    .bytes()
                    .next()
                    .unwrap_or(0);
                let joins = c == b'/' && matches!(next, b'"' | b'\'');
                let percent = c == b'%' && matches!(next, 0 | b';' | b')' | b',' | b'}');
                if operand && arith_ok && !joins && !percent {
                    f |= ARITH;
                }
            }
            b'*' => {
                // `a * b` is arithmetic; `*p` / `type *p` is a pointer.
                let spaced = i > 0 && b[i - 1] == b' ' && n == b' ';
                let adjacent = i > 0 && (is_ident_byte(b[i - 1]) || b[i - 1] == b')');
                if !arith_ok {
                    // A glob.
                } else if spaced || adjacent && n != b')' {
                    f |= ARITH;
                } else if lang.pointers() {
                    f |= PTR;
                }
            }
            b'&' => {
                // `&x` (address-of, a reference) is a pointer, `a & b` a
                // bit operation; Ruby's `&:sym` and `&block` pass blocks.
                if operand {
                    if !lang.shell() {
                        f |= BITOP;
                    }
                } else if lang.pointers() {
                    f |= PTR;
                }
            }
            b'|' if lang == Lang::Python && annotation(t, i) => {}
            b'|' if matches!(lang, Lang::Ruby | Lang::Rust)
                && (!operand || ends_with_word(prev, "do") || ends_with_word(prev, "move")) =>
            {
                // Block or closure parameters, `do |x, y|`, `.map(|x| …)`.
                if let Some(k) = b
                    .get(i + 1..)
                    .and_then(|r| r.iter().position(|&x| x == b'|'))
                {
                    i += k + 2;
                    continue;
                }
            }
            b'|' if lang.shell() => {}
            b'|' | b'^' | b'~' => f |= BITOP,
            _ => {}
        }
        i += 1;
    }
    if matches!(lang, Lang::C | Lang::Cpp | Lang::Managed | Lang::Dash) && has_cast(t) {
        f |= CAST;
    }
    let first = words.first().copied().unwrap_or("");
    // A definition's own name is no call to it: `def log_event(`,
    // `static void *xmalloc(size_t n)` define a logger and an allocator,
    // they neither log nor allocate.
    let at_col0 = !text.starts_with([' ', '\t']);
    let def_kw = words
        .iter()
        .take(4)
        .position(|w| matches!(*w, "fn" | "def" | "function" | "func"))
        .filter(|&k| words[..k].iter().all(|w| MODIFIERS.contains(w)));
    let defined = match def_kw {
        Some(k) => words.get(k + 1).copied(),
        // C and C++: a header at column 0 that is not a statement.
        None if matches!(lang, Lang::C | Lang::Cpp)
            && at_col0
            && !t.ends_with(';')
            && !t.starts_with('}')
            && f & (PREPROC | ASSIGN) == 0
            && !words.iter().any(|w| {
                matches!(
                    *w,
                    "if" | "for" | "while" | "switch" | "return" | "else" | "case" | "do"
                )
            }) =>
        {
            calls.first().copied()
        }
        None => None,
    };
    let managed_memory = !matches!(lang, Lang::C | Lang::Cpp | Lang::Dash);
    // Each word lower-cased into one reused buffer.
    let mut lw = String::new();
    for (k, w) in words.iter().enumerate() {
        lw.clear();
        lw.push_str(w);
        lw.make_ascii_lowercase();
        match *w {
            "if" | "else" | "switch" | "case" | "elif" | "elsif" | "unless" | "match"
            | "default" | "when" | "guard" | "ifeq" | "ifneq" | "ifdef" | "ifndef" => f |= COND,
            "for" | "while" | "do" | "loop" | "foreach" | "until" => f |= LOOP,
            "and" | "or" | "not" | "is" if matches!(lang, Lang::Python | Lang::Ruby) => f |= CMP,
            "except" | "rescue" | "catch" | "raise" | "throw" | "panic" => f |= ERROR,
            "return" => {
                f |= RETURN;
                let next = words.get(k + 1).copied().unwrap_or("");
                let neg = t
                    .find("return")
                    .and_then(|p| t.get(p + 6..))
                    .map(|r| r.trim_start().starts_with('-'))
                    .unwrap_or(false);
                if neg
                    || matches!(next, "NULL" | "false" | "None" | "nil" | "null" | "Err")
                    || next.starts_with('E')
                        && next.len() > 2
                        && next.bytes().all(|c| c.is_ascii_uppercase())
                    || has(&next.to_ascii_lowercase(), "err")
                {
                    f |= RET_ERR;
                }
            }
            "goto" => f |= GOTO,
            "break" | "continue" | "next" if *w != "next" || lang == Lang::Ruby => f |= JUMP,
            "sizeof" => f |= SIZEOF,
            "NULL" | "nullptr" | "None" | "nil" | "null" | "undefined" => f |= NULL,
            "typedef" => f |= TYPEDEF,
            _ => {}
        }
        if TYPE_WORDS.contains(w) {
            if has(w, "int") || w.starts_with('u') || w.starts_with("__") {
                f |= INTTYPE;
            }
            if has(w, "be") && (w.starts_with("ovs_be") || w.starts_with("__be")) {
                f |= BYTEORDER;
            }
        }
        if has(&lw, "lock")
            || has(&lw, "mutex")
            || has(&lw, "rcu")
            || has(&lw, "atomic")
            || has(&lw, "barrier")
            || has(&lw, "spin")
            || has(&lw, "seq_")
        {
            f |= LOCK;
        }
        // `Foo.new(…)` in a garbage-collected language allocates nothing
        // a reviewer must free.
        if MEM_WORDS.contains(w)
            && calls.contains(w)
            && defined != Some(*w)
            && !(managed_memory && matches!(*w, "new" | "delete"))
            || *w == "unsafe"
        {
            f |= MEM;
        }
        if lw.ends_with("_init")
            || lw.ends_with("_destroy")
            || lw.ends_with("_uninit")
            || lw.ends_with("_ref")
            || lw.ends_with("_unref")
            || lw.ends_with("_clone")
            || lw.ends_with("_delete")
            || lw.ends_with("_create")
        {
            f |= LIFECYCLE;
        }
        if matches!(
            lw.as_str(),
            "htons"
                | "htonl"
                | "ntohs"
                | "ntohl"
                | "htonll"
                | "ntohll"
                | "be16_to_cpu"
                | "be32_to_cpu"
                | "cpu_to_be16"
                | "cpu_to_be32"
                | "get_16aligned_be32"
        ) || lw.starts_with("htobe")
            || lw.starts_with("be64toh")
        {
            f |= BYTEORDER;
        }
        if STR_WORDS.contains(w) {
            f |= STRFN;
        }
        if lw == "err" || lw == "error" || lw == "ret" || lw == "retval" || has(&lw, "fail") {
            f |= ERROR;
        }
    }
    for (ci, c) in calls.iter().enumerate() {
        if !matches!(
            *c,
            "if" | "for" | "while" | "switch" | "return" | "sizeof" | "defined" | "do"
        ) {
            f |= CALL;
            if ci == 0 && defined == Some(*c) {
                continue;
            }
            let lc = c.to_ascii_lowercase();
            if has(&lc, "alloc") || lc.ends_with("free") || lc.ends_with("dup") {
                f |= MEM;
            }
            // In Python and JavaScript a capitalised name with lower case in
            // it is a class: `Console(…)` and `LoggingIntegration()` build
            // objects, they print nothing (Go's `Println` is a function).
            let class = matches!(lang, Lang::Python | Lang::Js | Lang::Markup)
                && c.starts_with(|ch: char| ch.is_ascii_uppercase())
                && c.bytes().any(|ch| ch.is_ascii_lowercase());
            if !class && is_log_call(c) {
                f |= LOG;
            }
        }
    }
    if f & (CALL | COND | LOOP | RETURN) == 0
        && (TYPE_WORDS.contains(&first) || first.ends_with("_t"))
    {
        f |= DECL;
    }
    if (first == "struct" || first == "enum" || first == "union")
        && (t.ends_with('{') || t.ends_with(';') && !t.contains('='))
    {
        f |= TYPEDEF;
    }
    // A function definition: at column 0, a call-looking header that is not
    // a statement (no trailing `;`), or a keyword that defines one.
    if def_kw.is_some()
        || at_col0
            && f & CALL != 0
            && !t.ends_with(';')
            && f & (COND | LOOP | RETURN | PREPROC | ASSIGN) == 0
            && !t.starts_with('}')
    {
        f |= FUNC_DEF;
    }
    if matches!(lang, Lang::C | Lang::Cpp | Lang::Go)
        && matches!(
            first,
            "out" | "err" | "error" | "exit" | "fail" | "cleanup" | "done"
        )
        && t.ends_with(':')
    {
        f |= GOTO;
    }
    f
}

/// Indentation depth in levels (a tab or four spaces each), capped.
pub fn indent_depth(text: &str) -> u32 {
    let mut cols = 0u32;
    for c in text.chars() {
        match c {
            '\t' => cols += 8,
            ' ' => cols += 2,
            _ => break,
        }
        if cols > 200 {
            break;
        }
    }
    (cols / 8).min(12)
}

/// Human-readable names of a line's most telling flags, for reasons.
pub fn describe(flags: u64) -> Vec<&'static str> {
    use flag::*;
    const NAMES: &[(u64, &str)] = &[
        (RET_ERR, "error return"),
        (GOTO, "goto / error label"),
        (LOCK, "locking or atomics"),
        (MEM, "memory allocation, free or copy"),
        (LIFECYCLE, "object init/destroy/ref"),
        (NULL, "NULL value or check"),
        (COND, "condition"),
        (LOOP, "loop"),
        (BYTEORDER, "byte order"),
        (BITOP, "bit operation"),
        (SIZEOF, "sizeof"),
        (CAST, "cast"),
        (PTR, "pointer use or indexing"),
        (ARITH, "arithmetic"),
        (STRFN, "string parsing/comparison"),
        (FUNC_DEF, "function signature"),
        (RETURN, "return"),
        (CMP, "comparison"),
        (ASSIGN, "assignment"),
        (CALL, "call"),
    ];
    NAMES
        .iter()
        .filter(|(b, _)| flags & b != 0)
        .map(|(_, n)| *n)
        .collect()
}

/// Whether `needle` occurs in `hay`: the same answer as `str::contains`,
/// without building a substring searcher for a one-word haystack (this
/// runs for every word of every added line).
fn has(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    h.len() >= n.len() && h.windows(n.len()).any(|w| w == n)
}

#[cfg(test)]
mod tests {
    use super::flag::*;
    use super::*;

    #[test]
    fn flags_of_c_lines() {
        assert_eq!(line_flags("", Lang::C), TRIVIAL);
        assert_eq!(line_flags("    }", Lang::C), TRIVIAL);
        assert_eq!(line_flags("  /* hi */", Lang::C), COMMENT);
        let f = line_flags("        return -EINVAL;", Lang::C);
        assert!(f & RET_ERR != 0 && f & RETURN != 0);
        let f = line_flags("    if (!p->buf) {", Lang::C);
        assert!(f & COND != 0 && f & PTR != 0 && f & CMP != 0);
        assert!(line_flags("    ovs_mutex_lock(&mutex);", Lang::C) & LOCK != 0);
        assert!(line_flags("    p = xmalloc(sizeof *p);", Lang::C) & MEM != 0);
        assert!(line_flags("    goto out;", Lang::C) & GOTO != 0);
        assert!(line_flags("static int foo(struct bar *b)", Lang::C) & FUNC_DEF != 0);
        assert!(line_flags("    x = (uint32_t) y << 3;", Lang::C) & CAST != 0);
        assert!(line_flags("    if (x == (uint32_t) y) {", Lang::C) & CAST != 0);
        assert!(line_flags("    return (int) n;", Lang::C) & CAST != 0);
        assert!(line_flags("    f((struct foo *) p, (u32)-1);", Lang::C) & CAST != 0);
        assert!(line_flags("    (void) write(fd, buf, n);", Lang::C) & CAST != 0);
        // Parameters, `sizeof` and a bare `(void)` are not casts.
        assert_eq!(line_flags("void test_hash__empty(void)", Lang::C) & CAST, 0);
        assert_eq!(line_flags("static int foo(int a)", Lang::C) & CAST, 0);
        assert_eq!(line_flags("    n = sizeof(uint32_t);", Lang::C) & CAST, 0);
        assert_eq!(line_flags("int main(void);", Lang::C) & CAST, 0);
        // Indexing, not list literals.
        assert!(line_flags("    x = buf[i];", Lang::C) & PTR != 0);
        assert!(line_flags("    y = f(a)[0]", Lang::Python) & PTR != 0);
        assert_eq!(
            line_flags("(\"123-2C433,112\", [\"123,433\", \"112\"]),", Lang::Python) & PTR,
            0
        );
        assert!(line_flags("[ -n \"$dev\" ] && ip link del $dev", Lang::Shell) & COND != 0);
        assert!(line_flags("if [[ $# -lt 2 ]]; then", Lang::Shell) & COND != 0);
        // Python annotations: `->` and `|` are types, not pointers and bits.
        let f = line_flags("def f(self, e: Exception | None) -> bool:", Lang::Python);
        assert_eq!(f & (PTR | BITOP), 0);
        assert_eq!(
            line_flags("last: BaseException | None = None", Lang::Python) & BITOP,
            0
        );
        assert!(line_flags("flags = re.I | re.M", Lang::Python) & BITOP != 0);
        // Generic types subscripted outside an annotation are no indexing.
        let py = |l: &str| line_flags(l, Lang::Python);
        assert_eq!(py("x = cast(Optional[str], value)") & PTR, 0);
        assert_eq!(
            py("T = TypeVar(\"T\", bound=typing.Dict[str, Any])") & PTR,
            0
        );
        assert_ne!(py("x = options[\"Optional\"]") & PTR, 0);
        let rb = |l: &str| line_flags(l, Lang::Ruby);
        assert_eq!(
            rb("sig { params(token: String).returns(T::Array[String]) }") & PTR,
            0
        );
        assert_eq!(rb("@caveats = T.let({}, T::Hash[Symbol, String])") & PTR, 0);
        assert_ne!(rb("::Formula[\"pkgconf\"]") & PTR, 0);
        assert_ne!(rb("store[key] = entries") & PTR, 0);
        // A class built is no logging; a logger's call is.
        assert_eq!(
            py("self.console = Console(highlighter=h, file=self.stream)") & LOG,
            0
        );
        assert_eq!(py("integrations = [LoggingIntegration()]") & LOG, 0);
        assert_ne!(py("logger.debug(\"Flushing HTTP transport\")") & LOG, 0);
        assert_ne!(line_flags("fmt.Println(x)", Lang::Go) & LOG, 0);
        assert_ne!(line_flags("VLOG_WARN(\"x\");", Lang::C) & LOG, 0);
        assert_eq!(
            py("return Response.json(error_body(msg, 400), status=400)") & LOG,
            0
        );
        assert_eq!(py("docker_client.login(") & LOG, 0);
        for name in [
            "VLOG_WARN_RL",
            "log_info",
            "logDebug",
            "print_string",
            "pr_err",
            "ds_put_format",
            "error_log",
            "debug_print",
            "printf",
            "fprintf",
            "println",
            "warn",
            "warnx",
            "perror",
            "syslog",
            "console",
            "LOG_INFO",
            "_log",
        ] {
            assert!(is_log_call(name), "{name}");
        }
        for name in [
            "login",
            "logout",
            "logical_and",
            "information",
            "infoHash",
            "printable",
            "error_body",
            "errorBody",
            "catalog",
            "dialog_open",
            "log2",
            "sprintf",
            "debugger",
        ] {
            assert!(!is_log_call(name), "{name}");
        }
        // A `def`'s parameters continued on their own line are annotations;
        // indexing in a call's arguments, a lambda or a dict stays indexing.
        assert_eq!(
            py("self, action: str, parent: Optional[str], child: Optional[str]") & PTR,
            0
        );
        assert_eq!(
            py("request, *, rows: list[dict] | None = None,") & (PTR | BITOP),
            0
        );
        assert_ne!(py("f(a, b=c[0])") & PTR, 0);
        assert_ne!(py("key=lambda x: x[0],") & PTR, 0);
        assert_ne!(py("d = {\"a\": x[0]}") & PTR, 0);
        let f = line_flags("d = min(b * (2 ** (n - 1)), f(*args, **kw))", Lang::Python);
        assert_eq!(f & (PTR | ARITH), ARITH);
        let f = line_flags("return f(*args, **kwargs)", Lang::Python);
        assert_eq!(f & (PTR | ARITH), 0);
        assert!(line_flags("    p->x = a | b;", Lang::C) & (PTR | BITOP) == PTR | BITOP);
        assert_eq!(line_flags("#include <stdio.h>", Lang::C), PREPROC);
        assert_eq!(Lang::of("rhel/openvswitch-fedora.spec.in"), Lang::Shell);
        assert_eq!(Lang::of("Makefile.in"), Lang::Make);
        assert_eq!(line_flags("# a comment", Lang::Python), COMMENT);
        // `--` starts a comment only in languages where it does.
        assert_eq!(line_flags("-- drop it", Lang::Dash), COMMENT);
        assert!(is_data(".github/workflows/ci.yml") && is_data("vswitchd/vswitch.ovsschema"));
        // JSON lines, style sheets and setuptools' MANIFEST.in are data.
        assert!(is_data("scripts/populate_tox/releases.jsonl") && is_data("log.ndjson"));
        assert!(is_data("datasette/static/app.css") && is_data("src/styles/tag.scss"));
        assert!(is_data("MANIFEST.in") && !is_data("Makefile.in"));
        // A justfile's `#` lines are comments, its recipes shell.
        let just = Lang::of("src/integrations/prefect-dask/justfile");
        assert_eq!(just, Lang::Make);
        assert_eq!(
            line_flags("# Generate API reference documentation", just),
            COMMENT
        );
        assert!(is_data("pyproject.toml") && is_data("a/b.JSON"));
        assert!(is_data("t/.gitignore") && is_data(".editorconfig") && is_data("CODEOWNERS"));
        assert_eq!(
            line_flags("# build output", Lang::of("t/.gitignore")),
            COMMENT
        );
        assert!(!is_data("lib/dpif.c") && !is_data("setup.py") && !is_data("Makefile"));
        assert_eq!(line_flags("    --refcount;", Lang::C) & COMMENT, 0);
        assert_eq!(
            line_flags("    --detach --no-chdir \\", Lang::Shell) & COMMENT,
            0
        );
        assert_eq!(Lang::of("db/schema.sql").comments(), Comments::Dash);
        assert_eq!(Lang::of("tests/ofproto.at").comments(), Comments::Hash);
        assert_eq!(Lang::of("lib/dpif.c").comments(), Comments::C);
    }

    #[test]
    fn scripts_without_extension_read_by_their_shebang() {
        assert_eq!(Lang::of_shebang("#!/bin/sh"), Some(Lang::Shell));
        assert_eq!(Lang::of_shebang("#! /bin/bash -e"), Some(Lang::Shell));
        assert_eq!(
            Lang::of_shebang("#!/usr/bin/env python3"),
            Some(Lang::Python)
        );
        assert_eq!(
            Lang::of_shebang("#!/usr/bin/env -S python3.11 -u"),
            Some(Lang::Python)
        );
        assert_eq!(Lang::of_shebang("#! @PYTHON3@"), Some(Lang::Python));
        assert_eq!(Lang::of_shebang("#!/usr/bin/perl -w"), Some(Lang::Hash));
        assert_eq!(Lang::of_shebang("#!/usr/bin/env node"), Some(Lang::Js));
        assert_eq!(Lang::of_shebang("#include <stdio.h>"), None);
        assert_eq!(Lang::of_shebang("#!/opt/unknown"), None);
        // The path wins; the `#!` line only names what the path does not.
        assert_eq!(
            Lang::of_file("ipsec/ovs-monitor-ipsec.in", Some("#! @PYTHON3@")),
            Lang::Python
        );
        assert_eq!(
            Lang::of_file("utilities/ovs-sandbox", Some("#! /bin/sh")),
            Lang::Shell
        );
        assert_eq!(Lang::of_file("lib/util.c", Some("#!/bin/sh")), Lang::C);
        assert_eq!(Lang::of_file("utilities/ovs-sandbox", None), Lang::C);
        assert_eq!(Lang::of("debian/openvswitch-switch.init"), Lang::Shell);
        assert_eq!(
            Lang::of("rhel/usr_lib_systemd_system_ovsdb-server.service"),
            Lang::Hash
        );
        // A Python script's `# comment` is not a preprocessor line, its
        // `**kwargs` no pointer.
        let py = Lang::of_file("ipsec/ovs-monitor-ipsec.in", Some("#! @PYTHON3@"));
        assert_eq!(line_flags("# the tunnel's state", py) & COMMENT, COMMENT);
        assert_eq!(line_flags("f(**kwargs)", py) & PTR, 0);
        assert_ne!(line_flags("f(**kwargs)", Lang::C) & PTR, 0);
    }

    #[test]
    fn shell_chains_perl_gettext_and_meson() {
        // A test script's `&&` chains commands; `[ … ]` is the condition.
        let sh = |l: &str| line_flags(l, Lang::of("t/t1464-refs-delete.sh"));
        assert_eq!(sh("\ttest_commit -C \"$1\" A &&") & CMP, 0);
        assert_eq!(sh("git update-ref -d refs/heads/foo || return 1") & CMP, 0);
        assert!(sh("if [ \"$a\" != \"$b\" ]; then") & (COND | CMP) == COND | CMP);
        // In C `&&` still joins conditions.
        assert!(line_flags("if (a && b)", Lang::C) & CMP != 0);
        // Perl and gettext comments are comments, not preprocessor lines.
        for (path, line) in [
            ("gitweb/gitweb.perl", "# URI of GIT logo"),
            ("contrib/DiffHighlight.pm", "# from the git config"),
            (
                "po/id.po",
                "#: add-interactive.c:529 reset.c:65 sequencer.c:3292",
            ),
            ("meson.build", "# Options that control what gets built"),
        ] {
            let f = line_flags(line, Lang::of(path));
            assert_eq!(f & (PREPROC | ARITH), 0, "{path}: {line}");
            assert!(f & COMMENT != 0, "{path}: {line}");
        }
        assert_eq!(file_kind("po/id.po"), FileKind::Doc);
        assert_eq!(file_kind("po/git.pot"), FileKind::Doc);
    }

    #[test]
    fn flags_of_other_languages() {
        let rb = |l: &str| line_flags(l, Lang::of("Library/Homebrew/service.rb"));
        // Appends, heredocs, path joins, regex and word literals, blocks,
        // safe navigation and predicate methods read as what they are.
        assert_eq!(rb("options << \"Restart=on-failure\"") & (BITOP | ARITH), 0);
        assert_eq!(rb("unit_expect = <<~SYSTEMD") & (BITOP | ARITH), 0);
        assert_eq!(rb("run opt_bin/\"beanstalkd\"") & ARITH, 0);
        assert_eq!(rb("SHARED_FILELIST_PATTERN = /\\.sfl\\d\\z/") & ARITH, 0);
        assert_eq!(
            rb("version = prefix_path.match %r{^#{HOMEBREW_CELLAR}/python@(.*?)/}o") & ARITH,
            0
        );
        assert_eq!(
            rb("%w[.plist .service .timer].include?(file.extname)") & (PTR | COND),
            0
        );
        assert_eq!(rb("@formulae.each do |formula|") & BITOP, 0);
        assert_eq!(
            rb("[old_identity&.team_identifier, new&.x],") & (BITOP | PTR),
            0
        );
        assert_eq!(
            rb("kegs = kegs.map {|keg| Keg.new(keg) }") & (BITOP | MEM),
            0
        );
        let f = rb("if @keep_alive[:always].present? || @keep_alive[:crashed].present?");
        assert_eq!(f & (COND | CMP | PTR), COND | CMP | PTR);
        assert_eq!(rb("@cache ||= {}") & (CMP | ASSIGN), ASSIGN);
        assert!(rb("mask = 1 << bits") & BITOP != 0);
        assert!(rb("total = a / b") & ARITH != 0);
        assert_eq!(rb("end"), TRIVIAL);
        // Shell: options, redirections, globs and `$?` are not arithmetic,
        // comparisons or conditions; `$(( ))` is arithmetic.
        let sh = |l: &str| line_flags(l, Lang::of("testsuite/tests/ip/link.sh"));
        assert_eq!(
            sh("ip -6 route add default via $gw > /dev/null 2>&1") & (ARITH | CMP),
            0
        );
        assert_eq!(sh("rm -f *.o; echo $?") & (ARITH | PTR | COND), 0);
        assert!(sh("n=$((n + 1))") & ARITH != 0);
        assert_eq!(sh("fi"), TRIVIAL);
        assert_eq!(
            line_flags(
                "AT_CHECK([ovs-vsctl add-br br0 -- set bridge br0 fail-mode=secure])",
                Lang::of("tests/ofproto.at")
            ) & (ARITH | PTR),
            0
        );
        // Make: `+=` appends.
        // SQL: a back-quoted identifier is a name.
        assert_eq!(
            line_flags("DROP TABLE `</code>`;", Lang::of("db/0042.sql")) & (CMP | ARITH),
            0
        );
        let mk = line_flags("CFLAGS += -Wall -Werror", Lang::of("Makefile"));
        assert_eq!(mk & (ARITH | ASSIGN), ASSIGN);
        // Python: single-quoted strings, subscripts in annotations, `//`.
        let py = |l: &str| line_flags(l, Lang::of("datasette/app.py"));
        assert_eq!(
            py("sql = request.args.get('sql') or 'select * from sqlite_master'") & ARITH,
            0
        );
        assert_eq!(
            py("connect_args: Optional[Dict[str, Any]] = Field(") & PTR,
            0
        );
        assert!(py("attributes[SPANDATA.URL_QUERY] = request.query") & PTR != 0);
        assert!(py("half = n // 2  # floor") & ARITH != 0);
        assert!(py("if a and not b:") & (COND | CMP) == COND | CMP);
        assert!(py("except ValueError:") & ERROR != 0);
        // JSX and Vue markup lines compare and divide nothing; generics
        // and optional properties are types; `===` is one comparison.
        let tsx = |l: &str| line_flags(l, Lang::of("ui-v2/src/components/a.tsx"));
        assert_eq!(tsx("</dd>"), 0);
        assert_eq!(tsx("data-testid=\"markdown-display\""), 0);
        let vue = |l: &str| line_flags(l, Lang::of("ui/src/components/Chart.vue"));
        assert_eq!(
            vue("v-if=\"loading && !searches.length\"") & (ARITH | CMP),
            0
        );
        assert_eq!(vue(".interval-bar-chart__svg {") & ARITH, 0);
        assert_eq!(vue("height: 100%;") & ARITH, 0);
        assert!(vue("const n = a - b;") & ARITH != 0);
        assert_eq!(rb(":swift_compilation_failed,") & ERROR, 0);
        assert_eq!(py(") -> List[Requirement]:") & PTR, 0);
        assert_eq!(tsx("<Skeleton className=\"h-40\" />"), 0);
        assert_eq!(tsx("type Story = StoryObj<typeof meta>;") & CMP, 0);
        // Markup inside a line, object and function types in type
        // arguments, array types: no comparison, no indexing.
        assert_eq!(
            tsx("const None = () => <dd className=\"a\">None</dd>;") & CMP,
            0
        );
        assert_eq!(tsx("return cond ? <A x={1} /> : <B />;") & CMP, 0);
        assert_ne!(
            tsx("{items.map((i) => <li key={i}>{i > 2 ? a : b}</li>)}") & CMP,
            0
        );
        assert_eq!(
            tsx("login: (p: string) => Promise<{ success: boolean; error?: string }>;") & CMP,
            0
        );
        assert_eq!(tsx("cb: Array<() => void>,") & CMP, 0);
        assert_eq!(tsx("definitions: SchemaObject[],") & PTR, 0);
        assert_eq!(tsx("const rows: [number, number][] = []") & PTR, 0);
        assert_ne!(tsx("const x = rows[i]") & PTR, 0);
        // Comparisons stay comparisons.
        assert_ne!(tsx("if (a < b) {") & CMP, 0);
        assert_ne!(tsx("for (let i = 0; i < xs.length; i++) {") & CMP, 0);
        assert_ne!(tsx("return a<b;") & CMP, 0);
        assert_ne!(tsx("const ok = n < max && m > 0;") & CMP, 0);
        assert_ne!(tsx("const s = \"<b>\" + (a < b);") & CMP, 0);
        assert_eq!(tsx("name?: string;") & COND, 0);
        assert_eq!(tsx("if (a === b) {") & (CMP | ASSIGN), CMP);
        assert_eq!(tsx("const re = /^v\\d+$/;") & ARITH, 0);
        assert!(tsx("const extraCount = selected.length - MAX;") & ARITH != 0);
        // Rust: return types, references, lifetimes, closures, generics, `?`.
        let rs = |l: &str| line_flags(l, Lang::of("src/lib.rs"));
        let f = rs("pub fn parse<'a>(s: &'a str) -> Result<Vec<u8>, Error> {");
        assert_eq!(f & (CMP | FUNC_DEF), FUNC_DEF);
        assert!(f & PTR != 0);
        assert_eq!(
            rs("let v = xs.iter().map(|x| x + 1).collect::<Vec<_>>();") & (BITOP | CMP),
            0
        );
        assert_eq!(rs("#[derive(Debug)]") & PREPROC, 0);
        assert!(rs("let n = read(&mut f)?;") & RET_ERR != 0);
        // C keeps its readings.
        assert!(line_flags("    if (i<n && in > 0)", Lang::C) & CMP != 0);
        assert!(line_flags("    int x = in - 1;", Lang::C) & ARITH != 0);
        assert!(line_flags("static int f(char **argv)", Lang::C) & ARITH == 0);
        assert!(!Lang::of("app.py").pointers() && Lang::of("lib/dpif.c").pointers());
    }

    #[test]
    fn no_language_panics_on_cut_off_or_odd_lines() {
        let langs = [
            Lang::C,
            Lang::Cpp,
            Lang::Go,
            Lang::Rust,
            Lang::Managed,
            Lang::Js,
            Lang::Markup,
            Lang::Python,
            Lang::Ruby,
            Lang::Shell,
            Lang::Make,
            Lang::Hash,
            Lang::Dash,
        ];
        let bits = [
            "<<", "<<~", "<<-é", "%", "%r", "%w[", "%(", "/", "/é", "'", "'a", "`", "|", "|x", "&",
            "&.", "?", "?.", "<", "<T", "<é>", "#", "#include", "[", "**", "//", "||=", "é", "\\",
            "x", " ", "=", ">",
        ];
        for lang in langs {
            for a in bits {
                for b in bits {
                    let line = format!("{a}{b}");
                    let _ = line_flags(&line, lang);
                    let _ = line_flags(&format!("x {line} y"), lang);
                    let mut blocks = TextBlocks::new(lang, true);
                    let _ = blocks.line(&line);
                    let _ = blocks.line(&format!("y = {line}"));
                }
            }
        }
    }

    #[test]
    fn a_definition_does_not_call_itself() {
        use flag::*;
        let has = |t: &str, lang: Lang, bit: u64| line_flags(t, lang) & bit != 0;
        // Defining a logger or an allocator neither logs nor allocates.
        assert!(!has("    def log_event(self, msg):", Lang::Python, LOG));
        assert!(!has("def _logging_integration(app):", Lang::Python, LOG));
        assert!(!has("export function logError(e) {", Lang::Js, LOG));
        assert!(!has("static void *xmalloc(size_t n)", Lang::C, MEM));
        assert!(!has("fn alloc_page(order: u32) -> Page {", Lang::Rust, MEM));
        // They are still definitions, and what they call still counts.
        assert!(has("static void *xmalloc(size_t n)", Lang::C, FUNC_DEF));
        assert!(has(
            "def log_event(self, msg=log_default()):",
            Lang::Python,
            FUNC_DEF
        ));
        assert!(has("    log_event(x)", Lang::Python, LOG));
        assert!(has("    p = xmalloc(sizeof *p);", Lang::C, MEM));
        assert!(has("xmalloc(n);", Lang::C, MEM));
        assert!(has("logger.debug(x)", Lang::Python, LOG));
        assert!(has("fn f() { log(x) }", Lang::Rust, LOG));
    }

    #[test]
    fn text_opened_above_the_hunk_and_comments_across_lines() {
        let read = |lang: Lang, lines: &[&str]| -> Vec<bool> {
            let mut d = TextBlocks::opened(lang, false, lines.iter().copied());
            lines.iter().map(|l| d.line(l)).collect()
        };
        // Prefect's decorators.py: a hunk inside a docstring's example.
        assert_eq!(
            read(
                Lang::Python,
                crate::syntax::opened::PREFECT_DOCSTRING_EXAMPLE
            ),
            [true, true, true, true, true, true, true, true, false]
        );
        // At the file's start nothing is open above.
        let mut d = TextBlocks::opened(Lang::Python, true, ["x.\"\"\"", "y = 1"]);
        assert_eq!([d.line("x.\"\"\""), d.line("y = 1")], [false, false]);
        // A GNU-style comment: its lines need no `*`, inside the hunk or
        // opened above it.
        assert_eq!(
            read(
                Lang::C,
                &[
                    "                                   interface. Only applicable",
                    "                                   for LACP. */",
                    "    int x = a < b;",
                    "    /* Returns true if the table is full,",
                    "       false if a row can be added. */",
                    "    bool full;",
                ]
            ),
            [true, true, false, false, true, false]
        );
        // `/*` in a string, a character literal, a line comment or after a
        // backslash opens nothing; a comment closed and reopened stays open.
        assert_eq!(
            read(
                Lang::C,
                &[
                    "    glob(\"dir/*\", 0);",
                    "    case '/': if (c == '*') x = \"/*\";",
                    "    // see /* here",
                    "    y = 1; /* a */ z = 2; /* b",
                    "       c */",
                    "    w = 3;",
                ]
            ),
            [false, false, false, false, true, false]
        );
        assert_eq!(
            read(
                Lang::Js,
                &[
                    "    s = s.replace(/\\/*$/, '');",
                    "    t = '/*';",
                    "    u = a < b;"
                ]
            ),
            [false, false, false]
        );
    }

    #[test]
    fn heredocs_in_ruby_and_shell() {
        let read = |lang: Lang, lines: &[&str]| -> Vec<bool> {
            let mut d = TextBlocks::new(lang, false);
            lines.iter().map(|l| d.line(l)).collect()
        };
        assert_eq!(
            read(
                Lang::Ruby,
                &[
                    "unit = <<~SYSTEMD",
                    "  Restart=on-failure",
                    "  SYSTEMD",
                    "run x"
                ]
            ),
            [false, true, true, false]
        );
        assert_eq!(
            read(Lang::Ruby, &["list << item", "Restart = 1"]),
            [false, false]
        );
        assert_eq!(
            read(
                Lang::Shell,
                &["cat << 'EOF' > out", "a - b", "EOF", "rm out"]
            ),
            [false, true, true, false]
        );
    }

    #[test]
    fn python_docstrings_after_block_headers_and_at_file_start() {
        let read = |start: bool, lines: &[&str]| -> Vec<bool> {
            let mut d = TextBlocks::new(Lang::Python, start);
            lines.iter().map(|l| d.line(l)).collect()
        };
        // A function's docstring, one line and several.
        assert_eq!(
            read(
                false,
                &[
                    "def f(x):",
                    "    \"\"\"Return x.\"\"\"",
                    "    return x",
                    "def g(",
                    "    y,",
                    ") -> int:",
                    "    \"\"\"Describe g.",
                    "",
                    "    We explicitly cap it.",
                    "    \"\"\"",
                    "    if y > 3:",
                    "        return y",
                ]
            ),
            [false, true, false, false, false, false, true, true, true, true, false, false]
        );
        // A module docstring after a shebang and a comment.
        assert_eq!(
            read(
                true,
                &[
                    "#!/usr/bin/env python",
                    "r\"\"\"Tools.",
                    "More.\"\"\"",
                    "import os"
                ]
            ),
            [false, true, true, false]
        );
        // A hunk that starts inside a docstring: its closing quotes do not
        // open one, and the code after them stays code.
        assert_eq!(
            read(
                false,
                &["    more words.", "    \"\"\"", "    return x", "    y = 1"]
            ),
            [false, false, false, false]
        );
        // An SQL query in triple quotes is code.
        assert_eq!(
            read(
                false,
                &[
                    "def q():",
                    "    sql = \"\"\"",
                    "    DELETE FROM t",
                    "    \"\"\""
                ]
            ),
            [false, false, false, false]
        );
        // Unterminated strings and odd bytes do not panic.
        let _ = line_flags("\"abc \\", Lang::C);
        let _ = line_flags("é*(", Lang::C);
    }

    #[test]
    fn kinds_of_paths() {
        assert_eq!(file_kind("lib/dpif.c"), FileKind::Code);
        assert_eq!(file_kind("tests/ofproto.at"), FileKind::Test);
        assert_eq!(file_kind("Documentation/howto.rst"), FileKind::Doc);
        assert_eq!(file_kind("man/man8/ip.8"), FileKind::Doc);
        assert_eq!(file_kind("NEWS"), FileKind::Doc);
        assert_eq!(file_kind("Makefile.am"), FileKind::Build);
        // Build templates are what they generate.
        assert_eq!(file_kind("utilities/ovs-ofctl.8.in"), FileKind::Doc);
        assert_eq!(file_kind("utilities/ovs-tcpdump.in"), FileKind::Code);
        assert_eq!(file_kind("python/ovs/dirs.py.in"), FileKind::Code);
        assert_eq!(file_kind("rhel/openvswitch.spec.in"), FileKind::Build);
        assert_eq!(file_kind("Makefile.in"), FileKind::Build);
        assert_eq!(file_kind("debian/control.in"), FileKind::Build);
        assert_eq!(file_kind("lib/libopenvswitch.pc.in"), FileKind::Build);
        // Code in a directory named for configuration or schemas is code.
        assert_eq!(
            file_kind("src/prefect/server/schemas/actions.py"),
            FileKind::Code
        );
        assert_eq!(file_kind("src/config/loader.ts"), FileKind::Code);
        assert_eq!(file_kind("config/settings.yml"), FileKind::Config);
        assert_eq!(file_kind("schemas/event"), FileKind::Config);
        assert_eq!(file_kind(".github/workflows/ci.yml"), FileKind::Build);
        assert_eq!(file_kind(".forgejo/workflows/ci.yml"), FileKind::Build);
        assert_eq!(file_kind(".gitea/workflows/ci.yaml"), FileKind::Build);
        assert_eq!(file_kind("Cargo.lock"), FileKind::Generated);
        assert_eq!(file_kind("vswitchd/vswitch.ovsschema"), FileKind::Config);
    }
}
