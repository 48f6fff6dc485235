use super::{manifest, Ctx};
use crate::diff::LineKind;
use crate::finding::{Category, Confidence, Finding, Severity, Side};

crate::declare_rule! {
    /// ## What it does
    /// Flags a lockfile (`Cargo.lock`, `package-lock.json`, `yarn.lock`,
    /// `pnpm-lock.yaml`, `poetry.lock`, `uv.lock`, `Gemfile.lock`,
    /// `go.sum`, `composer.lock`) changed without its manifest, and a
    /// manifest whose dependency lines change without any lockfile in the
    /// change.
    ///
    /// ## Why it matters
    /// A lockfile-only change swaps the exact code that gets built, often
    /// across hundreds of lines nobody reads; it is where a compromised
    /// package version slips in. A manifest change without the lockfile
    /// means CI and production may resolve different versions.
    ///
    /// ## Example
    /// A pull request titled "fix typo" that also rewrites 400 lines of
    /// `package-lock.json`.
    ///
    /// ## False positives
    /// Routine `cargo update`/`npm update` commits; projects that do not
    /// commit lockfiles (the reverse check then fires on every manifest
    /// change, so disable it in the policy).
    pub static RULE = {
        id: "lockfile-manifest-mismatch",
        category: Category::Risk,
        severity: Severity::Info,
        confidence: Confidence::Medium,
        summary: "A lockfile changes without its manifest, or the reverse",
        languages: &[],
        check: check,
    }
}

const PAIRS: &[(&str, &[&str])] = &[
    ("Cargo.lock", &["Cargo.toml"]),
    ("package-lock.json", &["package.json"]),
    ("npm-shrinkwrap.json", &["package.json"]),
    ("yarn.lock", &["package.json"]),
    ("pnpm-lock.yaml", &["package.json"]),
    ("poetry.lock", &["pyproject.toml"]),
    ("uv.lock", &["pyproject.toml"]),
    ("Pipfile.lock", &["Pipfile"]),
    ("Gemfile.lock", &["Gemfile"]),
    ("go.sum", &["go.mod"]),
    ("composer.lock", &["composer.json"]),
];

fn split(path: &str) -> (&str, &str) {
    match path.rsplit_once('/') {
        Some((d, f)) => (d, f),
        None => ("", path),
    }
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let files: Vec<(&str, &str)> = ctx.patch.files.iter().map(|f| split(f.path())).collect();
    for f in &ctx.patch.files {
        let (dir, name) = split(f.path());
        let first = f
            .hunks
            .iter()
            .flat_map(|h| &h.lines)
            .find(|l| l.kind != LineKind::Context);
        let (side, line) = match first {
            Some(l) if l.kind == LineKind::Added => (Side::New, l.new_no().unwrap_or(1)),
            Some(l) => (Side::Old, l.old_no().unwrap_or(1)),
            None => (Side::New, 1),
        };
        if let Some((_, manifests)) = PAIRS.iter().find(|(lock, _)| *lock == name) {
            // A workspace lockfile pairs with a manifest in its directory or below.
            let has_manifest = files.iter().any(|(d, n)| {
                manifests.contains(n)
                    && (d == &dir || dir.is_empty() || d.starts_with(&format!("{dir}/")))
            });
            if !has_manifest && f.added + f.deleted > 0 {
                let mut fd = ctx.finding(&RULE, f, side, line, line);
                fd.message = format!("`{name}` changes without {}", manifests.join("/"));
                fd.explanation = "The exact versions that get built change, but no declared \
                    dependency does. Check which packages moved and why (an update run, a merge), \
                    and look for unexpected sources or versions: this is where a compromised \
                    release slips in unnoticed."
                    .to_string();
                fd.evidence = format!("+{} -{} lines in {}", f.added, f.deleted, f.path());
                out.push(fd);
            }
        } else if manifest::kind(f.path()).is_some() {
            let locks: Vec<&str> = PAIRS
                .iter()
                .filter(|(_, m)| m.contains(&name))
                .map(|(l, _)| *l)
                .collect();
            if locks.is_empty() {
                continue;
            }
            let (added, removed) = manifest::deps(ctx, f);
            if added.is_empty() && removed.is_empty() {
                continue;
            }
            let has_lock = files
                .iter()
                .any(|(d, n)| locks.contains(n) && (dir.starts_with(d) || d.is_empty()));
            if !has_lock {
                let mut fd = ctx.finding(&RULE, f, side, line, line);
                fd.message = format!("Dependencies in `{name}` change without a lockfile update");
                fd.explanation = "The declared dependencies change but the lockfile does not, so \
                    CI, teammates and production may resolve different versions. Check whether the \
                    project commits a lockfile and, if so, that it was regenerated."
                    .to_string();
                fd.evidence = format!("{} dependency line(s) changed", added.len() + removed.len());
                out.push(fd);
            }
        }
    }
}
