//! Template-method hooks. A class that calls `self.url` or `this.render()`
//! and whose own `url`/`render` only raises "not implemented" or does
//! nothing leaves the method for subclasses to fill in; a stub there is the
//! design, not a forgotten implementation. Data rules opt in with
//! `skip_hooks = true`.

use super::Ctx;
use crate::diff::FileDiff;
use crate::textmatch::LazyRegex;
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

fn indent(t: &str) -> usize {
    t.len() - t.trim_start().len()
}

/// The name of the method or function defined on new-side `line` or whose
/// body holds it, read from the lines above it in the same hunk.
fn enclosing_name(ctx: &Ctx<'_>, f: &FileDiff<'_>, line: u32) -> Option<String> {
    for h in &f.hunks {
        let rows = ctx.new_side_rows(h);
        let Some(at) = rows.iter().position(|r| r.1 == line) else {
            continue;
        };
        let def_name = |t: &str| -> Option<Option<String>> {
            let c = DEF.captures(t)?;
            let name = c.get(1).or_else(|| c.get(2))?.as_str();
            Some((!NOT_NAMES.contains(&name)).then(|| name.to_string()))
        };
        if let Some(name) = def_name(&rows[at].2) {
            return name;
        }
        let mut below = indent(&rows[at].2);
        for (_, _, t) in rows[..at].iter().rev() {
            if t.trim().is_empty() || indent(t) >= below {
                continue;
            }
            if let Some(name) = def_name(t) {
                return name;
            }
            below = indent(t);
            if below == 0 {
                return None;
            }
        }
        return None;
    }
    None
}

/// Whether new-side `line` of `f` lies in a method the file's visible new
/// side uses as `self.NAME`, `this.NAME` or `cls.NAME`.
pub fn in_hook(ctx: &Ctx<'_>, f: &FileDiff<'_>, line: u32) -> bool {
    let Some(name) = enclosing_name(ctx, f, line) else {
        return false;
    };
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'$';
    let used = |t: &str| {
        ["self.", "this.", "cls."].iter().any(|recv| {
            let needle = format!("{recv}{name}");
            t.match_indices(&needle).any(|(i, _)| {
                let before = i.checked_sub(1).and_then(|j| t.as_bytes().get(j));
                let after = t.as_bytes().get(i + needle.len());
                !before.is_some_and(|&c| ident(c)) && !after.is_some_and(|&c| ident(c))
            })
        })
    };
    f.hunks
        .iter()
        .any(|h| ctx.new_side_rows(h).iter().any(|(_, _, t)| used(t)))
}
