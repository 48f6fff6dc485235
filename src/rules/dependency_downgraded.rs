use super::{clip, manifest, Ctx};
use crate::finding::{Category, Confidence, Finding, Severity, Side};

crate::declare_rule! {
    /// ## What it does
    /// Flags a dependency whose version requirement goes down in a package
    /// manifest (`^2.1.0` → `^1.9.0`, `==4.2` → `==3.8`).
    ///
    /// ## Why it matters
    /// Downgrades bring back fixed bugs and known vulnerabilities, and are
    /// rarely intended: they usually come from resolving a conflict or from
    /// an assistant that only knows an older API.
    ///
    /// ## Example
    /// ```toml
    /// -serde = "1.0.200"
    /// +serde = "1.0.100"
    /// ```
    /// Ask why the older version is needed and check its advisories.
    ///
    /// ## False positives
    /// Deliberate rollbacks of a broken release; the commit message should
    /// say so.
    pub static RULE = {
        id: "dependency-downgraded",
        category: Category::Risk,
        severity: Severity::Warning,
        confidence: Confidence::High,
        summary: "A dependency's version goes down",
        languages: &[],
        check: check,
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for f in &ctx.patch.files {
        let (added, removed) = manifest::deps(ctx, f);
        for d in &added {
            let Some(old) = removed
                .iter()
                .find(|r| r.name.eq_ignore_ascii_case(&d.name))
            else {
                continue;
            };
            let (a, b) = (
                manifest::version_key(&old.version),
                manifest::version_key(&d.version),
            );
            if a.is_empty() || b.is_empty() || b >= a {
                continue;
            }
            let mut fd = ctx.finding(&RULE, f, Side::New, d.line, d.line);
            fd.message = format!(
                "`{}` downgraded from {} to {}",
                clip(&d.name, 60),
                clip(&old.version, 30),
                clip(&d.version, 30)
            );
            fd.explanation = "A downgrade brings back bugs and vulnerabilities fixed since. Ask \
                why the older version is needed and check its security advisories."
                .to_string();
            fd.evidence = format!("{} → {}", clip(&old.text, 70), clip(&d.text, 70));
            out.push(fd);
        }
    }
}
