use super::{clip, Ctx};
use crate::diff::LineKind;
use crate::finding::{Category, Confidence, Finding, Severity, Side};

crate::declare_rule! {
    /// ## What it does
    /// Reports each changed file under a load-bearing path, and each hunk
    /// that changes a load-bearing symbol, as declared in the
    /// repository's `.blastradius.toml` (`[[load_bearing]]` with `paths`,
    /// `symbols` and a `reason`). Without a policy it never fires.
    ///
    /// ## Why it matters
    /// The team has said these paths and symbols are where a mistake hurts
    /// most: billing, authentication, migrations, the core scheduler. The
    /// finding carries their reason so the reviewer knows what to guard.
    ///
    /// ## Example
    /// ```toml
    /// [[load_bearing]]
    /// paths = ["src/billing/**"]
    /// symbols = ["charge_card"]
    /// reason = "Moves money"
    /// ```
    /// Any change to `src/billing/invoice.rs`, or a hunk touching
    /// `charge_card` anywhere, is reported with "Moves money".
    ///
    /// ## False positives
    /// Comment-only and formatting changes in load-bearing files.
    pub static RULE = {
        id: "load-bearing-changed",
        category: Category::Policy,
        severity: Severity::Warning,
        confidence: Confidence::High,
        summary: "A load-bearing path or symbol from the policy is changed",
        languages: &[],
        check: check,
    }
}

/// One place where a load-bearing area is touched.
pub(super) struct Hit {
    /// File index.
    pub file: usize,
    /// Area index in the policy.
    pub area: usize,
    /// Side and line of the first changed line.
    pub side: Side,
    /// Line.
    pub line: u32,
    /// What matched (path glob or symbol).
    pub what: String,
}

fn word_in(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
            && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

/// Every load-bearing area a patch touches.
pub(super) fn hits(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut out = Vec::new();
    for (fi, f) in ctx.patch.files.iter().enumerate() {
        let first = f
            .hunks
            .iter()
            .flat_map(|h| &h.lines)
            .find(|l| l.kind != LineKind::Context);
        let (side, line) = match first {
            Some(l) if l.kind == LineKind::Added => (Side::New, l.new_no().unwrap_or(1)),
            Some(l) => (Side::Old, l.old_no().unwrap_or(1)),
            None if f.old_path.as_deref() != f.new_path.as_deref() => (Side::New, 1),
            None => continue,
        };
        for (ai, area) in ctx.policy.areas.iter().enumerate() {
            if area.paths.iter().any(|g| g.is_match(f.path())) {
                out.push(Hit {
                    file: fi,
                    area: ai,
                    side,
                    line,
                    what: format!("path `{}`", f.path()),
                });
                continue;
            }
            'sym: for h in &f.hunks {
                let section = ctx.patch.text(h.section);
                for l in &h.lines {
                    if l.kind == LineKind::Context {
                        continue;
                    }
                    let t = ctx.patch.line_text(l);
                    if let Some(s) = area
                        .symbols
                        .iter()
                        .find(|s| !s.is_empty() && (word_in(&t, s) || word_in(&section, s)))
                    {
                        let (side, line) = if l.kind == LineKind::Added {
                            (Side::New, l.new_no().unwrap_or(1))
                        } else {
                            (Side::Old, l.old_no().unwrap_or(1))
                        };
                        out.push(Hit {
                            file: fi,
                            area: ai,
                            side,
                            line,
                            what: format!("symbol `{s}`"),
                        });
                        break 'sym;
                    }
                }
            }
        }
    }
    out
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for hit in hits(ctx) {
        let (Some(f), Some(area)) = (
            ctx.patch.files.get(hit.file),
            ctx.policy.areas.get(hit.area),
        ) else {
            continue;
        };
        let mut fd = ctx.finding(&RULE, f, hit.side, hit.line, hit.line);
        let reason = if area.reason.trim().is_empty() {
            "declared load-bearing in .blastradius.toml"
        } else {
            area.reason.trim()
        };
        fd.message = format!("Load-bearing code changed: {}", clip(reason, 100));
        fd.explanation = format!(
            "The repository policy marks this as load-bearing ({}). Review every changed line \
            here with extra care, and check the tests that cover it.",
            clip(reason, 200)
        );
        fd.evidence = hit.what;
        out.push(fd);
    }
}
