use super::{clip, is_comment_line, strip_comment, Ctx};
use crate::diff::LineKind;
use crate::finding::{Category, Confidence, Finding, Severity, Side};
use crate::textmatch::LazyRegex;
use std::sync::LazyLock;

crate::declare_rule! {
    /// ## What it does
    /// Flags blocks of two or more added comment lines that read like code
    /// (statements ending in `;`, `{` or `}`, calls, assignments, `if`/
    /// `for`/`return`/`def`/`fn` lines). Doc comments and prose are
    /// skipped, and so are indented examples in a comment block that
    /// explains them (Go's doc comments: prose, a blank `//` line, then
    /// `//<tab>code`; or a prose line ending in `:` followed by indented
    /// lines).
    ///
    /// ## Why it matters
    /// Commented-out code is dead code that looks alive: it is not compiled
    /// or tested, rots as the code around it changes, and often marks a
    /// check or a branch that was switched off to get something working.
    ///
    /// ## Example
    /// ```js
    /// // if (!user.isAdmin) {
    /// //   throw new ForbiddenError();
    /// // }
    /// ```
    /// Ask whether the code is needed: delete it (history keeps it) or
    /// restore it.
    ///
    /// ## False positives
    /// Code samples in explanatory comments; they are usually better in
    /// doc comments, which the rule skips.
    pub static RULE = {
        id: "commented-out-code",
        category: Category::Risk,
        severity: Severity::Info,
        confidence: Confidence::Medium,
        summary: "Added comments contain commented-out code",
        languages: &[],
        check: check,
    }
}

static CODE: LazyLock<LazyRegex> = LazyLock::new(|| {
    crate::textmatch::lazy(concat!(
        r"^(?:",
        r"(?:if|for|while|switch|return|let|const|var|def|class|import|fn|pub fn|func|elif|else if|try|catch|except|raise|throw)\b.*[(:{;=]",
        r"|[\w.\[\]>-]+\s*(?:=|\+=|-=|:=)\s*[\w\x22'\[{(-].*[;)\x22'\]}\w]$",
        r"|[\w.>-]+\s*\(.*\)\s*;?$",
        r"|.*[;{]\s*$",
        r"|\}\s*(?:else\b.*)?$",
        r")",
    ))
});

fn is_doc(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with("///")
        || t.starts_with("//!")
        || t.starts_with("/**")
        || t.starts_with("#!")
        || t.starts_with("# -*-")
}

fn looks_like_code(c: &str) -> bool {
    if c.len() < 3 || c.contains("http://") || c.contains("https://") {
        return false;
    }
    let lower = c.to_ascii_lowercase();
    if [
        "todo",
        "fixme",
        "note",
        "e.g.",
        "example",
        "eslint",
        "noqa",
        "type:",
        "nolint",
        "prettier",
        "copyright",
        "license",
        "spdx",
        "blastradius:",
    ]
    .iter()
    .any(|w| lower.contains(w))
    {
        return false;
    }
    // Prose: several plain words and a sentence end.
    let words = c
        .split_whitespace()
        .filter(|w| w.chars().all(|ch| ch.is_alphabetic()))
        .count();
    if words >= 5 && !c.ends_with(';') && !c.ends_with('{') {
        return false;
    }
    CODE.is_match(c)
}

/// Where a line stands in a block of `//` or `#` comments, to tell an
/// indented code example in documentation (Go's doc comments, gofmt's
/// `//<tab>code` after a blank `//` line) from commented-out code.
#[derive(Clone, Copy, PartialEq)]
enum Block {
    /// Not in a comment block, or after a line that reads like code.
    Out,
    /// After a prose line (`true` when it ends with `:`, "For example:").
    Prose(bool),
    /// After a blank comment line that follows prose or an example.
    Gap,
    /// In an indented example.
    Example,
}

impl Block {
    /// The state after `text`, and whether `text` is an example line.
    fn next(self, text: &str) -> (Block, bool) {
        let t = text.trim_start();
        let Some(body) = t
            .strip_prefix("//")
            .filter(|b| !b.starts_with(['/', '!']))
            .or_else(|| t.strip_prefix('#').filter(|b| !b.starts_with('!')))
        else {
            return (Block::Out, false);
        };
        if body.trim().is_empty() {
            return (
                if self == Block::Out {
                    Block::Out
                } else {
                    Block::Gap
                },
                false,
            );
        }
        if body.starts_with('\t') || body.starts_with("  ") {
            return match self {
                Block::Gap | Block::Example | Block::Prose(true) => (Block::Example, true),
                other => (other, false),
            };
        }
        let c = body.trim();
        if looks_like_code(c) {
            (Block::Out, false)
        } else {
            (Block::Prose(c.ends_with(':')), false)
        }
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (fi, f) in ctx.patch.files.iter().enumerate() {
        let Some(fc) = ctx.files.get(fi) else {
            continue;
        };
        if fc.lang_id.is_none()
            || matches!(
                fc.lang_id,
                Some("yaml" | "toml" | "json" | "make" | "dockerfile")
            )
        {
            continue;
        }
        let mut n = 0;
        for h in &f.hunks {
            // Runs of consecutive added comment lines.
            let mut run: Vec<(u32, String, bool)> = Vec::new();
            let mut flush = |run: &mut Vec<(u32, String, bool)>, out: &mut Vec<Finding>| {
                let code = run.iter().filter(|r| r.2).count();
                if run.len() >= 2 && code >= 2 && code * 2 >= run.len() && n < 3 {
                    if let (Some(a), Some(b)) = (run.first(), run.last()) {
                        let mut fd = ctx.finding(&RULE, f, Side::New, a.0, b.0);
                        fd.message = format!("{} line(s) of commented-out code added", run.len());
                        fd.explanation = "Commented-out code is not compiled or tested and hides \
                            what the code really does; it often marks a check that was switched \
                            off. Ask whether it should be deleted or restored."
                            .to_string();
                        let ev = run.iter().find(|r| r.2).map(|r| r.1.as_str()).unwrap_or("");
                        fd.evidence = clip(ev, 160);
                        out.push(fd);
                        n += 1;
                    }
                }
                run.clear();
            };
            // Inside a `/** … */` or `/*! … */` doc comment opened in the
            // hunk: its `*   example(x);` lines are documentation.
            let mut in_doc = false;
            let mut block = Block::Out;
            for l in &h.lines {
                let t = ctx.patch.line_text(l);
                let doc_block = l.kind != LineKind::Removed && {
                    let tt = t.trim_start();
                    let opens = !in_doc && (tt.starts_with("/**") || tt.starts_with("/*!"));
                    let inside = in_doc || opens;
                    in_doc = inside && !t.contains("*/");
                    inside
                };
                let example = l.kind != LineKind::Removed && {
                    let (b, example) = block.next(&t);
                    block = b;
                    example
                };
                if l.kind == LineKind::Added
                    && !doc_block
                    && !example
                    && is_comment_line(fc.lang_id, &t)
                    && !is_doc(&t)
                {
                    let c = strip_comment(&t);
                    if c.is_empty() {
                        continue;
                    }
                    run.push((l.new_no().unwrap_or(0), t.to_string(), looks_like_code(c)));
                } else if l.kind != LineKind::Removed {
                    flush(&mut run, out);
                }
            }
            flush(&mut run, out);
        }
    }
}
