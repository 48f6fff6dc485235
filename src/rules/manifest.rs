//! Dependency lines in package manifests (shared by the dependency rules).

use super::Ctx;
use crate::diff::{FileDiff, LineKind};
use crate::textmatch::LazyRegex;
use std::sync::LazyLock;

/// A manifest kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `package.json`.
    Npm,
    /// `Cargo.toml`.
    Cargo,
    /// `requirements*.txt`.
    Requirements,
    /// `pyproject.toml`.
    Pyproject,
    /// `go.mod`.
    GoMod,
    /// `Gemfile`.
    Gemfile,
}

/// The manifest kind of a path.
pub fn kind(path: &str) -> Option<Kind> {
    let file = path.rsplit('/').next().unwrap_or(path);
    Some(match file {
        "package.json" => Kind::Npm,
        "Cargo.toml" => Kind::Cargo,
        "pyproject.toml" => Kind::Pyproject,
        "go.mod" => Kind::GoMod,
        "Gemfile" => Kind::Gemfile,
        f if f.starts_with("requirements") && f.ends_with(".txt") => Kind::Requirements,
        _ => return None,
    })
}

/// One dependency line.
#[derive(Debug, Clone)]
pub struct Dep {
    /// Package name.
    pub name: String,
    /// Version requirement as written ("" when none).
    pub version: String,
    /// Line number on its side.
    pub line: u32,
    /// The line.
    pub text: String,
}

static NPM: LazyLock<LazyRegex> = LazyLock::new(|| {
    crate::textmatch::lazy(
        r#"^\s*"(@?[\w.\-]+(?:/[\w.\-]+)?)"\s*:\s*"([~^>=<\s]*v?\d[\w.\-+ |<>=^~]*|(?:git\+|git:|github:|https?:|file:|link:|npm:|workspace:)[^"]*)"\s*,?\s*$"#,
    )
});
static CARGO: LazyLock<LazyRegex> = LazyLock::new(|| {
    crate::textmatch::lazy(
        r#"^\s*([A-Za-z][\w\-]*)\s*=\s*(?:"([~^>=<\s]*\d[^"]*)"|\{[^}]*?(?:version\s*=\s*"([^"]*)"|(?:git|path)\s*=\s*"[^"]*"))"#,
    )
});
static REQ: LazyLock<LazyRegex> = LazyLock::new(|| {
    crate::textmatch::lazy(
        r"^\s*([A-Za-z0-9][A-Za-z0-9_.\-]*)(?:\[[^\]]*\])?\s*(?:(==|>=|~=|<=|>|<|===|!=)\s*([\w.*+!\-]+))?\s*(?:;.*)?(?:#.*)?$",
    )
});
static PYPROJECT: LazyLock<LazyRegex> = LazyLock::new(|| {
    crate::textmatch::lazy(
        r#"^\s*"([A-Za-z0-9][A-Za-z0-9_.\-]*)(?:\[[^\]]*\])?\s*(?:(==|>=|~=|<=|>|<|!=)\s*([\w.*+!\-]+))?(?:\s*[,;@(][^"]*)?\s*"\s*,?\s*$"#,
    )
});
static GOMOD: LazyLock<LazyRegex> = LazyLock::new(|| {
    crate::textmatch::lazy(r"^\s*(?:require\s+)?([\w.\-]+\.[\w.\-/]+)\s+(v[\w.\-+]+)(?:\s*//.*)?$")
});
static GEM: LazyLock<LazyRegex> = LazyLock::new(|| {
    crate::textmatch::lazy(r#"^\s*gem\s+['"]([\w.\-]+)['"](?:\s*,\s*['"]([^'"]+)['"])?"#)
});

const NOT_DEPS: &[&str] = &[
    "version",
    "edition",
    "rust-version",
    "name",
    "resolver",
    "node",
    "npm",
    "yarn",
    "pnpm",
    "description",
    "license",
    "authors",
    "readme",
    "homepage",
    "repository",
    "python",
    "requires-python",
    "build-backend",
    "main",
    "module",
    "types",
    "packageManager",
];

fn parse(kind: Kind, text: &str) -> Option<(String, String)> {
    let (name, version) = match kind {
        Kind::Npm => {
            let c = NPM.captures(text)?;
            (c.get(1)?.as_str(), c.get(2)?.as_str())
        }
        Kind::Cargo | Kind::Pyproject if CARGO.is_match(text) => {
            let c = CARGO.captures(text)?;
            let v = c.get(2).or(c.get(3)).map(|m| m.as_str()).unwrap_or("");
            (c.get(1)?.as_str(), v)
        }
        Kind::Pyproject => {
            let c = PYPROJECT.captures(text)?;
            (
                c.get(1)?.as_str(),
                c.get(3).map(|m| m.as_str()).unwrap_or(""),
            )
        }
        Kind::Cargo => return None,
        Kind::Requirements => {
            let t = text.trim();
            if t.is_empty() || t.starts_with('#') || t.starts_with('-') {
                return None;
            }
            let c = REQ.captures(text)?;
            (
                c.get(1)?.as_str(),
                c.get(3).map(|m| m.as_str()).unwrap_or(""),
            )
        }
        Kind::GoMod => {
            let c = GOMOD.captures(text)?;
            if text.trim_start().starts_with("module") || text.trim_start().starts_with("go ") {
                return None;
            }
            (c.get(1)?.as_str(), c.get(2)?.as_str())
        }
        Kind::Gemfile => {
            let c = GEM.captures(text)?;
            (
                c.get(1)?.as_str(),
                c.get(2).map(|m| m.as_str()).unwrap_or(""),
            )
        }
    };
    if NOT_DEPS.contains(&name) {
        return None;
    }
    Some((name.to_string(), version.trim().to_string()))
}

/// Whether a TOML section header names a dependency table.
fn dep_section(header: &str) -> bool {
    let h = header.to_ascii_lowercase();
    h.contains("dependencies") || h.contains("dev-dependencies") || h.contains("requires")
}

/// Dependencies on added and removed lines of a manifest.
pub fn deps(ctx: &Ctx<'_>, f: &FileDiff<'_>) -> (Vec<Dep>, Vec<Dep>) {
    let Some(kind) = kind(f.path()) else {
        return (Vec::new(), Vec::new());
    };
    let mut added = Vec::new();
    let mut removed = Vec::new();
    for h in &f.hunks {
        // For TOML manifests, track the `[section]` the line is in.
        let mut section: Option<String> = None;
        for l in &h.lines {
            let t = ctx.patch.line_text(l);
            let tt = t.trim();
            if matches!(kind, Kind::Cargo | Kind::Pyproject)
                && tt.starts_with('[')
                && tt.ends_with(']')
            {
                section = Some(tt.to_string());
                continue;
            }
            if matches!(kind, Kind::Cargo | Kind::Pyproject) {
                if let Some(s) = &section {
                    if !dep_section(s) {
                        continue;
                    }
                } else if kind == Kind::Cargo && !dep_section(&ctx.patch.text(h.section)) {
                    // Unknown section: only lines that clearly are dependency specs.
                    if !t.contains('{') && !t.contains("version") && !t.contains('"') {
                        continue;
                    }
                }
            }
            if l.kind == LineKind::Context {
                continue;
            }
            let Some((name, version)) = parse(kind, &t) else {
                continue;
            };
            let dep = Dep {
                name,
                version,
                line: if l.kind == LineKind::Added {
                    l.new_no()
                } else {
                    l.old_no()
                }
                .unwrap_or(0),
                text: t.to_string(),
            };
            if l.kind == LineKind::Added {
                added.push(dep);
            } else {
                removed.push(dep);
            }
        }
    }
    (added, removed)
}

/// Numeric components of a version requirement (`^1.2.3` → [1, 2, 3]).
pub fn version_key(v: &str) -> Vec<u64> {
    let v = v.trim_start_matches(|c: char| !c.is_ascii_digit());
    let core = v.split(['-', '+', ',', ' ']).next().unwrap_or("");
    core.split('.')
        .map_while(|p| p.parse::<u64>().ok())
        .collect()
}
