//! Imports of packages the manifest does not declare: a tell of generated
//! code (a hallucinated or forgotten dependency). Needs the manifest text
//! (`pyproject.toml`, `requirements*.txt`, `setup.py`, `setup.cfg`,
//! `Pipfile`, `package.json`): without one nothing is reported, because
//! nothing can be judged.

use crate::diff::{LineKind, Patch};
use std::collections::{BTreeMap, HashSet};

/// One undeclared import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undeclared {
    /// File path.
    pub path: String,
    /// New-side line.
    pub line: u32,
    /// The top-level package.
    pub package: String,
    /// The import line.
    pub text: String,
}

/// Python standard-library top-level modules (3.8–3.13), plus `__future__`.
const PY_STDLIB: &[&str] = &[
    "__future__",
    "_thread",
    "abc",
    "aifc",
    "argparse",
    "array",
    "ast",
    "asynchat",
    "asyncio",
    "asyncore",
    "atexit",
    "audioop",
    "base64",
    "bdb",
    "binascii",
    "bisect",
    "builtins",
    "bz2",
    "calendar",
    "cgi",
    "cgitb",
    "chunk",
    "cmath",
    "cmd",
    "code",
    "codecs",
    "codeop",
    "collections",
    "colorsys",
    "compileall",
    "concurrent",
    "configparser",
    "contextlib",
    "contextvars",
    "copy",
    "copyreg",
    "cProfile",
    "crypt",
    "csv",
    "ctypes",
    "curses",
    "dataclasses",
    "datetime",
    "dbm",
    "decimal",
    "difflib",
    "dis",
    "doctest",
    "email",
    "encodings",
    "ensurepip",
    "enum",
    "errno",
    "faulthandler",
    "fcntl",
    "filecmp",
    "fileinput",
    "fnmatch",
    "fractions",
    "ftplib",
    "functools",
    "gc",
    "getopt",
    "getpass",
    "gettext",
    "glob",
    "graphlib",
    "grp",
    "gzip",
    "hashlib",
    "heapq",
    "hmac",
    "html",
    "http",
    "imaplib",
    "imghdr",
    "imp",
    "importlib",
    "inspect",
    "io",
    "ipaddress",
    "itertools",
    "json",
    "keyword",
    "linecache",
    "locale",
    "logging",
    "lzma",
    "mailbox",
    "marshal",
    "math",
    "mimetypes",
    "mmap",
    "modulefinder",
    "msvcrt",
    "multiprocessing",
    "netrc",
    "numbers",
    "operator",
    "optparse",
    "os",
    "pathlib",
    "pdb",
    "pickle",
    "pickletools",
    "pipes",
    "pkgutil",
    "platform",
    "plistlib",
    "poplib",
    "posix",
    "posixpath",
    "pprint",
    "profile",
    "pstats",
    "pty",
    "pwd",
    "py_compile",
    "pyclbr",
    "pydoc",
    "queue",
    "quopri",
    "random",
    "re",
    "readline",
    "reprlib",
    "resource",
    "rlcompleter",
    "runpy",
    "sched",
    "secrets",
    "select",
    "selectors",
    "shelve",
    "shlex",
    "shutil",
    "signal",
    "site",
    "smtplib",
    "sndhdr",
    "socket",
    "socketserver",
    "sqlite3",
    "ssl",
    "stat",
    "statistics",
    "string",
    "stringprep",
    "struct",
    "subprocess",
    "sunau",
    "symtable",
    "sys",
    "sysconfig",
    "syslog",
    "tabnanny",
    "tarfile",
    "telnetlib",
    "tempfile",
    "termios",
    "textwrap",
    "threading",
    "time",
    "timeit",
    "tkinter",
    "token",
    "tokenize",
    "tomllib",
    "trace",
    "traceback",
    "tracemalloc",
    "tty",
    "turtle",
    "types",
    "typing",
    "unicodedata",
    "unittest",
    "urllib",
    "uuid",
    "venv",
    "warnings",
    "wave",
    "weakref",
    "webbrowser",
    "winreg",
    "wsgiref",
    "xml",
    "xmlrpc",
    "zipapp",
    "zipfile",
    "zipimport",
    "zlib",
    "zoneinfo",
    "distutils",
    "typing_extensions",
    "pkg_resources",
    "setuptools",
    "pip",
];

/// Node built-in modules.
const NODE_BUILTINS: &[&str] = &[
    "assert",
    "buffer",
    "child_process",
    "cluster",
    "console",
    "crypto",
    "dgram",
    "dns",
    "events",
    "fs",
    "http",
    "http2",
    "https",
    "module",
    "net",
    "os",
    "path",
    "perf_hooks",
    "process",
    "querystring",
    "readline",
    "stream",
    "string_decoder",
    "timers",
    "tls",
    "tty",
    "url",
    "util",
    "v8",
    "vm",
    "worker_threads",
    "zlib",
    "test",
];

/// Import name → distribution name, where they differ.
const PY_ALIASES: &[(&str, &str)] = &[
    ("yaml", "pyyaml"),
    ("pil", "pillow"),
    ("bs4", "beautifulsoup4"),
    ("sklearn", "scikit_learn"),
    ("cv2", "opencv_python"),
    ("dateutil", "python_dateutil"),
    ("dotenv", "python_dotenv"),
    ("jwt", "pyjwt"),
    ("magic", "python_magic"),
    ("google", "google"),
    ("attr", "attrs"),
    ("serial", "pyserial"),
    ("usb", "pyusb"),
    ("zmq", "pyzmq"),
    ("gi", "pygobject"),
    ("win32api", "pywin32"),
    ("opentelemetry", "opentelemetry_api"),
];

fn norm(s: &str) -> String {
    s.trim().to_ascii_lowercase().replace(['-', '.'], "_")
}

/// Is this path a manifest we can read dependencies from?
pub fn is_manifest(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    matches!(
        name,
        "pyproject.toml"
            | "setup.py"
            | "setup.cfg"
            | "Pipfile"
            | "package.json"
            | "environment.yml"
    ) || (name.starts_with("requirements") && name.ends_with(".txt"))
        || (name.ends_with(".txt") && path.contains("requirements/"))
}

/// Every word of the manifests, normalised: a generous "declared" set
/// (a word anywhere in a manifest counts as declared, so a tell fires only
/// when the package is named nowhere).
fn declared_words(manifests: &BTreeMap<String, String>, patch: &Patch<'_>) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut add = |text: &str| {
        for w in
            text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'))
        {
            if !w.is_empty() {
                out.insert(norm(w));
                // `@scope/pkg` and `pkg.sub` forms.
                if let Some(first) = w.split(['.', '/']).next() {
                    out.insert(norm(first));
                }
            }
        }
    };
    for text in manifests.values() {
        add(text);
    }
    // Manifest lines added by the change itself declare too.
    for f in patch.files.iter().filter(|f| is_manifest(f.path())) {
        for h in &f.hunks {
            for l in h.lines.iter().filter(|l| l.kind == LineKind::Added) {
                add(&patch.line_text(l));
            }
        }
    }
    out
}

fn python_import(t: &str) -> Option<&str> {
    let rest = t
        .strip_prefix("import ")
        .or_else(|| t.strip_prefix("from "))?
        .trim_start();
    if rest.starts_with('.') {
        return None;
    }
    let name = rest
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .next()
        .filter(|n| !n.is_empty())?;
    Some(name)
}

fn js_import(t: &str) -> Option<&str> {
    let spec = if let Some(i) = t.find(" from ") {
        t.get(i + 6..)?
    } else if let Some(i) = t.find("require(") {
        t.get(i + 8..)?
    } else {
        t.strip_prefix("import ")?
    };
    let spec = spec.trim_start();
    let q = spec
        .chars()
        .next()
        .filter(|c| matches!(c, '\'' | '"' | '`'))?;
    let body = spec.get(1..)?;
    let end = body.find(q)?;
    let s = body.get(..end)?;
    if s.starts_with('.') || s.starts_with('/') || s.starts_with("node:") || s.is_empty() {
        return None;
    }
    // `@scope/pkg/sub` -> `@scope/pkg`; `pkg/sub` -> `pkg`.
    if s.starts_with('@') {
        let mut parts = s.splitn(3, '/');
        let a = parts.next()?;
        let b = parts.next()?;
        return s.get(..a.len() + 1 + b.len());
    }
    s.split('/').next()
}

/// Added imports of packages that no manifest names. Empty when there are
/// no manifests at all.
pub fn undeclared(patch: &Patch<'_>, manifests: &BTreeMap<String, String>) -> Vec<Undeclared> {
    let has_py = manifests.keys().any(|p| !p.ends_with("package.json"));
    let has_js = manifests.keys().any(|p| p.ends_with("package.json"));
    if !has_py && !has_js {
        return Vec::new();
    }
    let declared = declared_words(manifests, patch);
    // Local packages: top-level directories and modules the change touches,
    // and any path segment (a `src/` layout).
    let mut local: HashSet<String> = HashSet::new();
    for f in &patch.files {
        for seg in f.path().split('/') {
            let stem = seg.rsplit_once('.').map_or(seg, |(a, _)| a);
            local.insert(norm(stem));
        }
    }
    let mut out = Vec::new();
    for f in &patch.files {
        let path = f.path();
        let py = has_py && (path.ends_with(".py") || path.ends_with(".pyi"));
        let js = has_js
            && [".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".mts", ".cts"]
                .iter()
                .any(|e| path.ends_with(e));
        if !py && !js {
            continue;
        }
        for h in &f.hunks {
            for l in h.lines.iter().filter(|l| l.kind == LineKind::Added) {
                let text = patch.line_text(l);
                let t = text.trim();
                let pkg = if py { python_import(t) } else { js_import(t) };
                let Some(pkg) = pkg else { continue };
                let n = norm(pkg);
                let known = if py {
                    PY_STDLIB.iter().any(|s| s.eq_ignore_ascii_case(pkg))
                        || PY_ALIASES
                            .iter()
                            .any(|(i, d)| *i == n && declared.contains(*d))
                } else {
                    NODE_BUILTINS.contains(&pkg)
                };
                if known || declared.contains(&n) || local.contains(&n) {
                    continue;
                }
                out.push(Undeclared {
                    path: path.to_string(),
                    line: l.new_no().unwrap_or(0),
                    package: pkg.to_string(),
                    text: t.chars().take(120).collect(),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(diff: &str, manifests: &[(&str, &str)]) -> Vec<String> {
        let p = crate::diff::parse(diff.as_bytes());
        let m: BTreeMap<String, String> = manifests
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        undeclared(&p, &m).into_iter().map(|u| u.package).collect()
    }

    const PY: &str = "diff --git a/app/main.py b/app/main.py\n--- a/app/main.py\n+++ b/app/main.py\n@@ -1 +1,7 @@\n x = 1\n+import os\n+import requests\n+from fastjsonschema_pro import validate\n+import yaml\n+from app.util import f\n+from . import g\n";

    #[test]
    fn python_imports_against_pyproject() {
        let pyproject = "[project]\nname = \"app\"\ndependencies = [\"requests>=2\", \"PyYAML\"]\n";
        assert_eq!(
            run(PY, &[("pyproject.toml", pyproject)]),
            vec!["fastjsonschema_pro"]
        );
    }

    #[test]
    fn no_manifest_no_judgement() {
        assert!(run(PY, &[]).is_empty());
    }

    #[test]
    fn a_dependency_added_in_the_same_change_is_declared() {
        let diff = format!("{PY}diff --git a/requirements.txt b/requirements.txt\n--- a/requirements.txt\n+++ b/requirements.txt\n@@ -1 +1,2 @@\n requests\n+fastjsonschema-pro==1.0\n");
        assert_eq!(
            run(&diff, &[("requirements.txt", "requests\npyyaml\n")]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn javascript_imports_against_package_json() {
        let diff = "diff --git a/src/a.ts b/src/a.ts\n--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1 +1,6 @@\n x\n+import fs from 'node:fs';\n+import path from \"path\";\n+import { z } from 'zod';\n+import { magic } from '@acme/magic-utils/sub';\n+const y = require('./local');\n";
        let pkg = "{\"dependencies\": {\"zod\": \"^3\"}}";
        assert_eq!(
            run(diff, &[("package.json", pkg)]),
            vec!["@acme/magic-utils"]
        );
    }
}
