use super::{clip, manifest, Ctx};
use crate::finding::{Category, Confidence, Finding, Severity, Side};

crate::declare_rule! {
    /// ## What it does
    /// Flags a dependency added to a package manifest (`package.json`,
    /// `Cargo.toml`, `pyproject.toml`, `requirements*.txt`, `go.mod`,
    /// `Gemfile`) that the change does not merely re-version.
    ///
    /// ## Why it matters
    /// Every new dependency is code nobody on the team reviewed, running
    /// with the application's privileges, plus its own dependencies. AI
    /// assistants also suggest packages that do not exist, which attackers
    /// register ("slopsquatting").
    ///
    /// ## Example
    /// ```json
    /// "dependencies": { "left-pad-ultra": "^1.0.2" }
    /// ```
    /// Check that the package is the one intended (name, publisher,
    /// downloads), maintained, licensed acceptably, and needed.
    ///
    /// ## False positives
    /// Internal packages and well-known libraries; the finding is
    /// informational and quick to confirm.
    pub static RULE = {
        id: "dependency-added",
        category: Category::Risk,
        severity: Severity::Warning,
        confidence: Confidence::High,
        summary: "A new dependency is added to a manifest",
        languages: &[],
        check: check,
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for f in &ctx.patch.files {
        let (added, removed) = manifest::deps(ctx, f);
        for d in added
            .iter()
            .filter(|d| !removed.iter().any(|r| r.name.eq_ignore_ascii_case(&d.name)))
            .take(5)
        {
            let mut fd = ctx.finding(&RULE, f, Side::New, d.line, d.line);
            fd.message = format!("New dependency `{}`", clip(&d.name, 80));
            fd.explanation = "A new dependency brings unreviewed code (and its own dependencies) \
                into the build with full privileges. Check the exact package name (typosquats and \
                hallucinated names get registered by attackers), its maintainers, licence and \
                whether it is needed."
                .to_string();
            fd.evidence = clip(&d.text, 160);
            out.push(fd);
        }
    }
}
