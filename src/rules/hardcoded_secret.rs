use super::{clip, Ctx};
use crate::diff::LineKind;
use crate::finding::{Category, Confidence, Finding, Severity, Side};
use crate::textmatch::LazyRegex;
use std::sync::LazyLock;

crate::declare_rule! {
    /// ## What it does
    /// Flags an added assignment of a string literal to a name that says
    /// it holds a secret (`password`, `secret`, `token`, `api_key`,
    /// `private_key`, `client_secret`, …) when the value looks random:
    /// at least 12 characters, mixed character classes and a Shannon
    /// entropy of at least 3 bits per character. Placeholders
    /// (`changeme`, `<your-key>`, `${VAR}`, `xxxx`) and environment
    /// variable names are skipped.
    ///
    /// ## Why it matters
    /// A secret committed to a repository is leaked to everyone with read
    /// access and stays in the history after it is "removed". It must be
    /// rotated, not just deleted.
    ///
    /// ## Example
    /// ```python
    /// STRIPE_SECRET = "q8Zp2LwR7vKx9TmY3nB6"
    /// ```
    /// Ask for the value to come from the environment or a secret store,
    /// and for the exposed credential to be rotated.
    ///
    /// ## False positives
    /// Random-looking test fixtures and public identifiers stored under a
    /// secret-sounding name; findings in test files are reported as info.
    /// Two public client keys are recognised by the configuration around
    /// them (within four lines) and not reported: Algolia's search-only
    /// `apiKey` next to an `indexName` (DocSearch), and the `apiKey` of a
    /// Firebase web config (`authDomain`, `messagingSenderId`), which
    /// Firebase documents as safe to ship.
    pub static RULE = {
        id: "hardcoded-secret",
        category: Category::Risk,
        severity: Severity::High,
        confidence: Confidence::Medium,
        summary: "A random-looking string literal is assigned to a secret-named variable",
        languages: &[],
        check: check,
    }
}

static ASSIGN: LazyLock<LazyRegex> = LazyLock::new(|| {
    crate::textmatch::lazy(
        r#"(?i)\b([\w.-]*(?:secret|token|passw(?:or)?d|passwd|pwd|api[_-]?key|apikey|private[_-]?key|access[_-]?key|auth[_-]?key|client[_-]?secret|credentials?|signing[_-]?key)[\w-]*)["']?\s*(?::=|=>|=|:)\s*[bru]?["']([^"'\s]{12,200})["']"#,
    )
});

/// Shannon entropy in bits per character.
pub(super) fn entropy(s: &str) -> f64 {
    let mut counts = std::collections::HashMap::new();
    let mut n = 0f64;
    for c in s.chars() {
        *counts.entry(c).or_insert(0f64) += 1.0;
        n += 1.0;
    }
    if n == 0.0 {
        return 0.0;
    }
    counts
        .values()
        .map(|c| {
            let p = c / n;
            -p * p.log2()
        })
        .sum()
}

fn looks_secret(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    const PLACEHOLDERS: [&str; 16] = [
        "xxx",
        "your",
        "example",
        "changeme",
        "change_me",
        "dummy",
        "fake",
        "sample",
        "placeholder",
        "redacted",
        "secret",
        "password",
        "token",
        "test",
        "replace",
        "todo",
    ];
    if PLACEHOLDERS.iter().any(|p| lower.contains(p))
        || v.contains(['<', '>', '{', '}', '$', '%', ' ', '(', ')'])
        || v.starts_with("http")
        || v.contains("://")
        || v.contains('/') && v.contains('.')
    {
        return false;
    }
    // ENV_VAR_NAMES and dotted.config.keys are names, not values.
    if v.chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        || v.chars()
            .all(|c| c.is_ascii_lowercase() || c == '.' || c == '_' || c == '-')
    {
        return false;
    }
    let classes = [
        v.chars().any(|c| c.is_ascii_lowercase()),
        v.chars().any(|c| c.is_ascii_uppercase()),
        v.chars().any(|c| c.is_ascii_digit()),
        v.chars().any(|c| !c.is_ascii_alphanumeric()),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    classes >= 2 && v.chars().any(|c| c.is_ascii_digit()) && entropy(v) >= 3.0
}

/// Keys that web pages ship to every visitor by design, recognised by the
/// configuration they sit in: Algolia's search-only key next to the index
/// it searches (`indexName`, DocSearch), and a Firebase web app's config
/// (`authDomain`, `messagingSenderId`). `rows` are a hunk's new-side rows
/// and `at` the row of the `apiKey`.
fn public_client_key(name: &str, rows: &[(LineKind, u32, String)], at: usize) -> bool {
    let n = name.to_ascii_lowercase();
    if !matches!(
        n.as_str(),
        "apikey" | "api_key" | "searchapikey" | "search_api_key"
    ) {
        return false;
    }
    const CONFIG: [&str; 6] = [
        "indexName",
        "index_name",
        "docsearch(",
        "authDomain",
        "messagingSenderId",
        "storageBucket",
    ];
    rows[at.saturating_sub(4)..rows.len().min(at + 5)]
        .iter()
        .any(|r| CONFIG.iter().any(|c| r.2.contains(c)))
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (fi, f) in ctx.patch.files.iter().enumerate() {
        let Some(fc) = ctx.files.get(fi) else {
            continue;
        };
        let p = f.path().to_ascii_lowercase();
        if p.ends_with(".lock")
            || p.ends_with("-lock.json")
            || p.ends_with("go.sum")
            || p.ends_with(".md")
            || p.ends_with(".svg")
        {
            continue;
        }
        let mut n = 0;
        let rows: Vec<Vec<(LineKind, u32, String)>> =
            f.hunks.iter().map(|h| ctx.new_side_rows(h)).collect();
        let added = rows.iter().flat_map(|r| {
            r.iter()
                .enumerate()
                .filter(|(_, row)| row.0 == LineKind::Added)
                .map(move |(i, row)| (r, i, row.1, &row.2))
        });
        for (hunk_rows, i, line, t) in added {
            if n >= 3 {
                break;
            }
            let Some(c) = ASSIGN.captures(t) else {
                continue;
            };
            let (Some(name), Some(val)) = (c.get(1), c.get(2)) else {
                continue;
            };
            if !looks_secret(val.as_str()) || public_client_key(name.as_str(), hunk_rows, i) {
                continue;
            }
            let mut fd = ctx.finding(&RULE, f, Side::New, line, line);
            if fc.is_test {
                fd.severity = Severity::Info;
            }
            fd.message = format!(
                "Possible hard-coded secret in `{}`",
                clip(name.as_str(), 60)
            );
            fd.explanation = "A committed secret is readable by everyone with access to the \
                repository and stays in its history. Check whether this is a real credential; if \
                so it must be rotated, and the code should read it from the environment or a \
                secret store."
                .to_string();
            let v = val.as_str();
            let shown: String = v.chars().take(4).collect();
            fd.evidence = format!(
                "{} = \"{}…\" ({} chars)",
                clip(name.as_str(), 60),
                shown,
                v.chars().count()
            );
            out.push(fd);
            n += 1;
        }
    }
}
