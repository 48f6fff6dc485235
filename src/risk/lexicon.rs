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

/// How the path's line comments start, from its extension.
pub fn comments(path: &str) -> Comments {
    if hash_comments(path) {
        return Comments::Hash;
    }
    match extension(path).as_str() {
        "sql" | "lua" | "hs" | "lhs" | "adb" | "ads" | "elm" | "vhd" | "vhdl" => Comments::Dash,
        _ => Comments::C,
    }
}

/// Whether the path's comments start with `#` and it has no C preprocessor.
fn hash_comments(path: &str) -> bool {
    let ext = extension(path);
    matches!(
        ext.as_str(),
        "py" | "sh"
            | "bash"
            | "rb"
            | "pl"
            | "yml"
            | "yaml"
            | "toml"
            | "cfg"
            | "ini"
            | "am"
            | "ac"
            | "m4"
            | "mk"
            | "cmake"
            | "conf"
            | "at"
            | "r"
            | "tcl"
    ) || {
        let name = file_name(path).to_ascii_lowercase();
        name == "makefile" || DATA_FILES.contains(&name.as_str())
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

/// Classify a path.
pub fn file_kind(path: &str) -> FileKind {
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
        "md" | "rst" | "txt" | "adoc" | "texi" | "man" | "tex" | "html" | "xml" | "svg"
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
        || in_dir("config")
        || in_dir("schemas")
    {
        return FileKind::Config;
    }
    if matches!(
        ext.as_str(),
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
    ) {
        return FileKind::Code;
    }
    if ext.is_empty() && !name.starts_with('.') {
        // Extension-less files at the top of a tree are usually scripts or
        // docs; inside a source tree, utilities. Treat them as code.
        return FileKind::Code;
    }
    FileKind::Other
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

const LOG_PREFIXES: &[&str] = &[
    "vlog", "log", "printf", "fprintf", "print", "println", "eprintln", "warn", "error", "debug",
    "info", "console", "pr_", "ds_put", "print_", "printk", "fputs", "puts", "logger",
];

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

/// Whether the path is Python source, whose docstrings [`Docstrings`] finds.
pub fn python(path: &str) -> bool {
    matches!(extension(path).as_str(), "py" | "pyi")
}

/// Python docstrings, followed line by line through one side of a hunk.
///
/// A docstring opens with `"""` or `'''` (after an optional `r`/`u`
/// prefix) at the start of a line that follows a line ending with `:`
/// (a `def`, `class` or other block header) or that comes first in the
/// file, and runs to the closing quotes. A hunk is read from its first line
/// with no memory of what came before, so a hunk that starts inside a
/// docstring sees its closing quotes as nothing special: text after a line
/// that is not a block header never opens one. Triple-quoted strings
/// elsewhere (an SQL query assigned to a name) are code, not docstrings.
#[derive(Debug, Clone)]
pub struct Docstrings {
    open: Option<&'static str>,
    after_header: bool,
}

impl Docstrings {
    /// The state at the start of a hunk; `file_start` when the hunk starts
    /// at the first line of the file (where a module docstring sits).
    pub fn new(file_start: bool) -> Self {
        Docstrings {
            open: None,
            after_header: file_start,
        }
    }

    /// Whether `text`, the next line on this side, is part of a docstring.
    pub fn line(&mut self, text: &str) -> bool {
        let t = text.trim();
        if let Some(q) = self.open {
            if t.contains(q) {
                self.open = None;
            }
            self.after_header = false;
            return true;
        }
        if t.is_empty() || t.starts_with('#') {
            return false;
        }
        let body = t.strip_prefix(['r', 'R', 'u', 'U']).unwrap_or(t);
        let quote = ["\"\"\"", "'''"].into_iter().find(|q| body.starts_with(q));
        let doc = match quote {
            Some(q) if self.after_header => {
                if !body[3..].contains(q) {
                    self.open = Some(q);
                }
                true
            }
            _ => false,
        };
        self.after_header = !doc && t.ends_with(':');
        doc
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
    if head.starts_with("def ") || head.starts_with("async def ") {
        return true;
    }
    // `name: T | U` before any `=`.
    let Some(colon) = head.find(':') else {
        return false;
    };
    let name = head.get(..colon).unwrap_or("").trim();
    !name.is_empty() && name.bytes().all(|c| is_ident_byte(c) || c == b'.') && !head.contains('=')
}

/// Compute the flags of one line of text in a file whose comments start as
/// `comments` says. A line that starts with `--` is a comment only where
/// `--` starts one: elsewhere it is a decrement or a command-line option.
pub fn line_flags(text: &str, comments: Comments) -> u64 {
    use flag::*;
    let hash_comment = comments == Comments::Hash;
    let t = text.trim();
    let mut f = 0u64;
    if t.is_empty()
        || t.bytes()
            .all(|b| matches!(b, b'{' | b'}' | b'(' | b')' | b';' | b',' | b' ' | b'\t'))
    {
        return TRIVIAL;
    }
    if t.starts_with("//")
        || t.starts_with("/*")
        || t.starts_with("* ")
        || t == "*"
        || t.starts_with("*/")
        || (hash_comment && t.starts_with('#'))
        || (comments == Comments::Dash && t.starts_with("--"))
    {
        return COMMENT;
    }
    if !hash_comment && t.starts_with('#') {
        f |= PREPROC;
    }
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
        if c == b'"' || (c == b'\'' && !hash_comment) {
            if c == b'"' {
                f |= STRING;
            }
            in_str = Some(c);
            i += 1;
            continue;
        }
        if c == b'/' && b.get(i + 1) == Some(&b'/') {
            break;
        }
        if c == b'/' && b.get(i + 1) == Some(&b'*') {
            break;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            let s = i;
            while i < b.len() && is_ident_byte(b[i]) {
                i += 1;
            }
            let w = t.get(s..i).unwrap_or("");
            let mut j = i;
            while j < b.len() && b[j] == b' ' {
                j += 1;
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
        let n = b.get(i + 1).copied().unwrap_or(0);
        let two = [c, n];
        match &two {
            b"->" => {
                // In `#`-comment languages (Python's return annotation)
                // `->` dereferences nothing.
                if !hash_comment {
                    f |= PTR;
                }
                i += 2;
                continue;
            }
            b"=>" | b"::" => {
                i += 2;
                continue;
            }
            b"==" | b"!=" | b"<=" | b">=" | b"&&" | b"||" => {
                f |= CMP;
                i += 2;
                continue;
            }
            b"<<" | b">>" => {
                f |= BITOP | ARITH;
                i += 2;
                if b.get(i) == Some(&b'=') {
                    f |= ASSIGN;
                    i += 1;
                }
                continue;
            }
            b"++" | b"--" | b"+=" | b"-=" | b"*=" | b"/=" | b"%=" => {
                f |= ARITH | ASSIGN;
                i += 2;
                continue;
            }
            b"|=" | b"&=" | b"^=" => {
                f |= BITOP | ASSIGN;
                i += 2;
                continue;
            }
            _ => {}
        }
        match c {
            // In `#`-comment languages indexing follows an operand and `[`
            // elsewhere opens a list; C's `[KEY] = …` initialisers stay.
            b'[' if !hash_comment
                || i > 0 && (is_ident_byte(b[i - 1]) || matches!(b[i - 1], b')' | b']')) =>
            {
                f |= PTR
            }
            // A shell test, `[ -n "$x" ]` / `[[ … ]]`, is a condition.
            b'[' if n == b' ' || n == b'[' && b.get(i + 2) == Some(&b' ') => f |= COND,
            b'=' => f |= ASSIGN,
            b'<' | b'>' => f |= CMP,
            b'!' => f |= CMP,
            b'?' => f |= COND,
            b'+' | b'-' => {
                // Binary only after an operand: `-EINVAL` and `+1` are signs.
                let prev = t.get(..i).unwrap_or("").trim_end();
                let operand = ends_with_operand(prev);
                let keyword = prev.ends_with("return") || prev.ends_with("case");
                if operand && !keyword {
                    f |= ARITH;
                }
            }
            b'/' | b'%' => f |= ARITH,
            b'*' => {
                // `a * b` is arithmetic; `*p` / `type *p` is a pointer.
                let prev_ident = i > 0 && (is_ident_byte(b[i - 1]) || b[i - 1] == b')');
                let spaced = i > 0 && b[i - 1] == b' ' && n == b' ';
                if spaced || prev_ident && n != b')' {
                    f |= ARITH;
                } else if hash_comment {
                    // No pointers: `a ** b` is a power, `*args` and
                    // `**kwargs` unpack.
                    if n == b'*' {
                        if ends_with_operand(t.get(..i).unwrap_or("").trim_end()) {
                            f |= ARITH;
                        }
                        i += 1;
                    }
                } else {
                    f |= PTR;
                }
            }
            b'&' => {
                // `&x` (address-of) is a pointer, `a & b` a bit operation.
                let prev = t.get(..i).unwrap_or("").trim_end();
                let operand = ends_with_operand(prev);
                if operand && !prev.ends_with("return") {
                    f |= BITOP;
                } else {
                    f |= PTR;
                }
            }
            b'|' if hash_comment && annotation(t, i) => {}
            b'|' | b'^' | b'~' => f |= BITOP,
            _ => {}
        }
        i += 1;
    }
    if has_cast(t) {
        f |= CAST;
    }
    let first = words.first().copied().unwrap_or("");
    // Each word lower-cased into one reused buffer.
    let mut lw = String::new();
    for (k, w) in words.iter().enumerate() {
        lw.clear();
        lw.push_str(w);
        lw.make_ascii_lowercase();
        match *w {
            "if" | "else" | "switch" | "case" | "elif" | "unless" | "match" | "default" => {
                f |= COND
            }
            "for" | "while" | "do" | "loop" | "foreach" => f |= LOOP,
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
            "break" | "continue" => f |= JUMP,
            "sizeof" => f |= SIZEOF,
            "NULL" | "nullptr" | "None" | "nil" | "null" => f |= NULL,
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
        if MEM_WORDS.contains(w) && calls.contains(w) || *w == "unsafe" {
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
    for c in &calls {
        if !matches!(
            *c,
            "if" | "for" | "while" | "switch" | "return" | "sizeof" | "defined" | "do"
        ) {
            f |= CALL;
            let lc = c.to_ascii_lowercase();
            if has(&lc, "alloc") || lc.ends_with("free") || lc.ends_with("dup") {
                f |= MEM;
            }
            if LOG_PREFIXES.iter().any(|p| lc.starts_with(p)) {
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
    let at_col0 = !text.starts_with([' ', '\t']);
    if matches!(first, "fn" | "def" | "function" | "func")
        || at_col0
            && f & CALL != 0
            && !t.ends_with(';')
            && f & (COND | LOOP | RETURN | PREPROC | ASSIGN) == 0
            && !t.starts_with('}')
    {
        f |= FUNC_DEF;
    }
    if matches!(
        first,
        "out" | "err" | "error" | "exit" | "fail" | "cleanup" | "done"
    ) && t.ends_with(':')
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
        (PTR, "pointer dereference or indexing"),
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
        assert_eq!(line_flags("", Comments::C), TRIVIAL);
        assert_eq!(line_flags("    }", Comments::C), TRIVIAL);
        assert_eq!(line_flags("  /* hi */", Comments::C), COMMENT);
        let f = line_flags("        return -EINVAL;", Comments::C);
        assert!(f & RET_ERR != 0 && f & RETURN != 0);
        let f = line_flags("    if (!p->buf) {", Comments::C);
        assert!(f & COND != 0 && f & PTR != 0 && f & CMP != 0);
        assert!(line_flags("    ovs_mutex_lock(&mutex);", Comments::C) & LOCK != 0);
        assert!(line_flags("    p = xmalloc(sizeof *p);", Comments::C) & MEM != 0);
        assert!(line_flags("    goto out;", Comments::C) & GOTO != 0);
        assert!(line_flags("static int foo(struct bar *b)", Comments::C) & FUNC_DEF != 0);
        assert!(line_flags("    x = (uint32_t) y << 3;", Comments::C) & CAST != 0);
        assert!(line_flags("    if (x == (uint32_t) y) {", Comments::C) & CAST != 0);
        assert!(line_flags("    return (int) n;", Comments::C) & CAST != 0);
        assert!(line_flags("    f((struct foo *) p, (u32)-1);", Comments::C) & CAST != 0);
        assert!(line_flags("    (void) write(fd, buf, n);", Comments::C) & CAST != 0);
        // Parameters, `sizeof` and a bare `(void)` are not casts.
        assert_eq!(
            line_flags("void test_hash__empty(void)", Comments::C) & CAST,
            0
        );
        assert_eq!(line_flags("static int foo(int a)", Comments::C) & CAST, 0);
        assert_eq!(
            line_flags("    n = sizeof(uint32_t);", Comments::C) & CAST,
            0
        );
        assert_eq!(line_flags("int main(void);", Comments::C) & CAST, 0);
        // Indexing, not list literals.
        assert!(line_flags("    x = buf[i];", Comments::C) & PTR != 0);
        assert!(line_flags("    y = f(a)[0]", Comments::Hash) & PTR != 0);
        assert_eq!(
            line_flags(
                "(\"123-2C433,112\", [\"123,433\", \"112\"]),",
                Comments::Hash
            ) & PTR,
            0
        );
        assert!(line_flags("[ -n \"$dev\" ] && ip link del $dev", Comments::Hash) & COND != 0);
        assert!(line_flags("if [[ $# -lt 2 ]]; then", Comments::Hash) & COND != 0);
        // Python annotations: `->` and `|` are types, not pointers and bits.
        let f = line_flags("def f(self, e: Exception | None) -> bool:", Comments::Hash);
        assert_eq!(f & (PTR | BITOP), 0);
        assert_eq!(
            line_flags("last: BaseException | None = None", Comments::Hash) & BITOP,
            0
        );
        assert!(line_flags("flags = re.I | re.M", Comments::Hash) & BITOP != 0);
        let f = line_flags(
            "d = min(b * (2 ** (n - 1)), f(*args, **kw))",
            Comments::Hash,
        );
        assert_eq!(f & (PTR | ARITH), ARITH);
        let f = line_flags("return f(*args, **kwargs)", Comments::Hash);
        assert_eq!(f & (PTR | ARITH), 0);
        assert!(line_flags("    p->x = a | b;", Comments::C) & (PTR | BITOP) == PTR | BITOP);
        assert!(line_flags("#include <stdio.h>", Comments::C) & PREPROC != 0);
        assert_eq!(line_flags("# a comment", Comments::Hash), COMMENT);
        // `--` starts a comment only in languages where it does.
        assert_eq!(line_flags("-- drop it", Comments::Dash), COMMENT);
        assert!(is_data(".github/workflows/ci.yml") && is_data("vswitchd/vswitch.ovsschema"));
        assert!(is_data("pyproject.toml") && is_data("a/b.JSON"));
        assert!(is_data("t/.gitignore") && is_data(".editorconfig") && is_data("CODEOWNERS"));
        assert_eq!(
            line_flags("# build output", comments("t/.gitignore")),
            COMMENT
        );
        assert!(!is_data("lib/dpif.c") && !is_data("setup.py") && !is_data("Makefile"));
        assert_eq!(line_flags("    --refcount;", Comments::C) & COMMENT, 0);
        assert_eq!(
            line_flags("    --detach --no-chdir \\", Comments::Hash) & COMMENT,
            0
        );
        assert_eq!(comments("db/schema.sql"), Comments::Dash);
        assert_eq!(comments("tests/ofproto.at"), Comments::Hash);
        assert_eq!(comments("lib/dpif.c"), Comments::C);
    }

    #[test]
    fn python_docstrings_after_block_headers_and_at_file_start() {
        let read = |start: bool, lines: &[&str]| -> Vec<bool> {
            let mut d = Docstrings::new(start);
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
        let _ = line_flags("\"abc \\", Comments::C);
        let _ = line_flags("é*(", Comments::C);
    }

    #[test]
    fn kinds_of_paths() {
        assert_eq!(file_kind("lib/dpif.c"), FileKind::Code);
        assert_eq!(file_kind("tests/ofproto.at"), FileKind::Test);
        assert_eq!(file_kind("Documentation/howto.rst"), FileKind::Doc);
        assert_eq!(file_kind("man/man8/ip.8"), FileKind::Doc);
        assert_eq!(file_kind("NEWS"), FileKind::Doc);
        assert_eq!(file_kind("Makefile.am"), FileKind::Build);
        assert_eq!(file_kind(".github/workflows/ci.yml"), FileKind::Build);
        assert_eq!(file_kind(".forgejo/workflows/ci.yml"), FileKind::Build);
        assert_eq!(file_kind(".gitea/workflows/ci.yaml"), FileKind::Build);
        assert_eq!(file_kind("Cargo.lock"), FileKind::Generated);
        assert_eq!(file_kind("vswitchd/vswitch.ovsschema"), FileKind::Config);
    }
}
