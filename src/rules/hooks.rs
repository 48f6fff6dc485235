//! Template-method hooks. A class that calls `self.url` or `this.render()`
//! and whose own `url`/`render` only raises "not implemented" or does
//! nothing leaves the method for subclasses to fill in; a stub there is the
//! design, not a forgotten implementation. Data rules opt in with
//! `skip_hooks = true`.

use super::Ctx;
use crate::diff::{FileDiff, LineKind};
use crate::textmatch::LazyRegex;
use std::collections::HashSet;
use std::sync::LazyLock;

/// A definition line: Python `def name(`, or a JavaScript/TypeScript/Java
/// style method or function header ending in `{`.
static DEF: LazyLock<LazyRegex> = LazyLock::new(|| {
    crate::textmatch::lazy(
        r"^\s*(?:async\s+)?def\s+([A-Za-z_]\w*)\s*\(|^\s*(?:(?:public|protected|private|static|async|override|abstract|final|export)\s+)*(?:function\s+)?([A-Za-z_$][\w$]*)\s*\([^)]*\)\s*(?::\s*[^{=]+)?\{\s*$",
    )
});

/// Control-flow words that look like a method header (`if (x) {`).
const NOT_NAMES: &[&str] = &["if", "for", "while", "switch", "catch", "with", "return"];

fn ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$'
}

/// One file's visible new side, read once for all of a rule's matches.
pub struct Hooks {
    /// Each hunk's new-side rows.
    rows: Vec<Vec<(LineKind, u32, String)>>,
    /// Names the file uses as `self.NAME`, `this.NAME` or `cls.NAME`.
    used: HashSet<String>,
}

impl Hooks {
    pub fn new(ctx: &Ctx<'_>, f: &FileDiff<'_>) -> Hooks {
        let rows: Vec<_> = f.hunks.iter().map(|h| ctx.new_side_rows(h)).collect();
        let mut used = HashSet::new();
        for (_, _, t) in rows.iter().flatten() {
            let b = t.as_bytes();
            for recv in ["self.", "this.", "cls."] {
                for (i, _) in t.match_indices(recv) {
                    if i.checked_sub(1)
                        .and_then(|j| b.get(j))
                        .is_some_and(|&c| ident(c))
                    {
                        continue;
                    }
                    let start = i + recv.len();
                    let len = b[start..].iter().take_while(|&&c| ident(c)).count();
                    if len > 0 {
                        used.insert(t[start..start + len].to_string());
                    }
                }
            }
        }
        Hooks { rows, used }
    }

    /// Whether new-side `line` lies in (or defines) a method the file uses
    /// as `self.NAME`, `this.NAME` or `cls.NAME`.
    pub fn holds(&self, line: u32) -> bool {
        self.enclosing_name(line)
            .is_some_and(|name| self.used.contains(name))
    }

    /// The name of the method or function defined on new-side `line` or
    /// whose body holds it, read from the lines above it in the same hunk.
    fn enclosing_name(&self, line: u32) -> Option<&str> {
        for rows in &self.rows {
            let Some(at) = rows.iter().position(|r| r.1 == line) else {
                continue;
            };
            if let Some(name) = def_name(&rows[at].2) {
                return name;
            }
            return super::enclosing_lines(rows, at).find_map(def_name)?;
        }
        None
    }
}

/// `Some(name)` for a definition line (`Some(None)` when the "name" is a
/// control-flow word), `None` for any other line.
fn def_name(t: &str) -> Option<Option<&str>> {
    let c = DEF.captures(t)?;
    let name = c.get(1).or_else(|| c.get(2))?.as_str();
    Some((!NOT_NAMES.contains(&name)).then_some(name))
}
