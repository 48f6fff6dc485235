use super::{clip, Ctx};
use crate::diff::LineKind;
use crate::finding::{Category, Confidence, Finding, Severity, Side};
use crate::lang::Lang;
use crate::syntax::{self, HunkSide};
use crate::textmatch::LazyRegex;
use std::sync::LazyLock;

crate::declare_rule! {
    /// ## What it does
    /// Flags added code that turns off TLS certificate or host-name
    /// verification: `verify=False` in Python HTTP calls,
    /// `rejectUnauthorized: false` and `NODE_TLS_REJECT_UNAUTHORIZED=0` in
    /// JavaScript, `danger_accept_invalid_certs(true)` in Rust, Go's
    /// `InsecureSkipVerify: true`, curl's `-k`/`--insecure` and
    /// `CURLOPT_SSL_VERIFYPEER` set to 0.
    ///
    /// ## Why it matters
    /// Without verification anyone on the network path can impersonate the
    /// server and read or alter the traffic, credentials included. It is
    /// often added "temporarily" to get past a certificate error and never
    /// removed.
    ///
    /// ## Example
    /// ```python
    /// requests.get(url, verify=False)
    /// ```
    /// Ask for the real fix (a CA bundle, the right host name) or confine
    /// the switch to a test-only configuration.
    ///
    /// ## False positives
    /// Test code talking to a local server with a self-signed certificate;
    /// findings in test files are reported at lower severity.
    pub static RULE = {
        id: "tls-verify-disabled",
        category: Category::Risk,
        severity: Severity::High,
        confidence: Confidence::High,
        summary: "Added code disables TLS certificate verification",
        languages: &[],
        check: check,
    }
}

static TEXT: LazyLock<LazyRegex> = LazyLock::new(|| {
    crate::textmatch::lazy(concat!(
        r"(?i)(InsecureSkipVerify\s*:\s*true",
        r"|NODE_TLS_REJECT_UNAUTHORIZED\s*[=:]\s*['\x22]?0",
        r"|CURLOPT_SSL_VERIFY(PEER|HOST)\s*,\s*(0|false)",
        r"|\bcurl\b[^|;&]*\s(-k|--insecure)\b",
        r"|ssl_verify(_peer)?\s*[=:]\s*false",
        r"|check_hostname\s*=\s*False",
        r"|verify_mode\s*=\s*ssl\.CERT_NONE",
        r"|OpenSSL::SSL::VERIFY_NONE",
        r"|danger_accept_invalid_(certs|hostnames)\s*\(\s*true",
        r"|rejectUnauthorized\s*:\s*false",
        r"|\bverify\s*=\s*False\b)",
    ))
});

/// Words the syntax-aware matches need (the Python keyword, the JS/TS key
/// and variable, the Rust builder methods).
const SYNTAX_WORDS: [&str; 4] = [
    "verify",
    "rejectUnauthorized",
    "NODE_TLS_REJECT_UNAUTHORIZED",
    "danger_accept_invalid_",
];

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (fi, f) in ctx.patch.files.iter().enumerate() {
        let fc = &ctx.files[fi];
        for (hi, h) in f.hunks.iter().enumerate() {
            let mut hits: Vec<(u32, String)> = Vec::new();
            // Syntax-aware where we have a grammar: only real code, not
            // strings or comments that mention the option.
            let parsed = fc
                .lang
                .filter(|l| {
                    matches!(
                        l,
                        Lang::Python | Lang::JavaScript | Lang::TypeScript | Lang::Tsx | Lang::Rust
                    )
                })
                // Every node the syntax path matches names one of the
                // words; without them it finds nothing, and the parse only
                // matters when it fails and the text fallback would fire.
                .filter(|_| names_a_word(ctx, h) || added_text_hit(ctx, h))
                .and_then(|lang| {
                    ctx.hunk_tree(fi, hi, HunkSide::New, lang)
                        .map(|t| (lang, t))
                });
            if let Some((lang, parsed)) = parsed {
                let (side, tree) = (&parsed.side, &parsed.tree);
                syntax::walk(tree, |n| {
                    let row = n.start_position().row;
                    if !side.touches_change(row, row) {
                        return;
                    }
                    let src =
                        |n: tree_sitter::Node<'_>| side.text.get(n.byte_range()).unwrap_or("");
                    let hit = match (lang, n.kind()) {
                        (Lang::Python, "keyword_argument") => {
                            let name = n.child_by_field_name("name").map(src);
                            let val = n.child_by_field_name("value").map(src);
                            name == Some("verify") && val == Some("False")
                        }
                        (Lang::JavaScript | Lang::TypeScript | Lang::Tsx, "pair") => {
                            let key = n.child_by_field_name("key").map(src).unwrap_or("");
                            let val = n.child_by_field_name("value").map(src);
                            key.trim_matches(['"', '\'']) == "rejectUnauthorized"
                                && val == Some("false")
                        }
                        (
                            Lang::JavaScript | Lang::TypeScript | Lang::Tsx,
                            "assignment_expression",
                        ) => {
                            let left = n.child_by_field_name("left").map(src).unwrap_or("");
                            let right = n.child_by_field_name("right").map(src).unwrap_or("");
                            left.ends_with("NODE_TLS_REJECT_UNAUTHORIZED")
                                && right.trim_matches(['"', '\'', '`']) == "0"
                        }
                        (Lang::Rust, "call_expression") => {
                            let func = n.child_by_field_name("function").map(src).unwrap_or("");
                            let args = n.child_by_field_name("arguments").map(src).unwrap_or("");
                            (func.ends_with("danger_accept_invalid_certs")
                                || func.ends_with("danger_accept_invalid_hostnames"))
                                && args.replace(' ', "") == "(true)"
                        }
                        _ => false,
                    };
                    if hit {
                        hits.push((side.line_of_row(row), src(n).to_string()));
                    }
                });
            } else {
                text_hits(ctx, h, &mut hits);
            }
            report(ctx, f, fc, hits, out);
        }
    }
}

/// Whether the hunk's new side names one of [`SYNTAX_WORDS`].
fn names_a_word(ctx: &Ctx<'_>, h: &crate::diff::Hunk) -> bool {
    h.lines.iter().any(|l| {
        l.kind != LineKind::Removed && {
            let t = ctx.patch.bytes(l.content);
            SYNTAX_WORDS
                .iter()
                .any(|w| memchr::memmem::find(t, w.as_bytes()).is_some())
        }
    })
}

/// Whether an added line of the hunk matches the text pattern.
fn added_text_hit(ctx: &Ctx<'_>, h: &crate::diff::Hunk) -> bool {
    h.lines
        .iter()
        .any(|l| l.kind == LineKind::Added && TEXT.is_match(&ctx.patch.line_text(l)))
}

/// The text pattern on the hunk's added lines (files without a parse).
fn text_hits(ctx: &Ctx<'_>, h: &crate::diff::Hunk, hits: &mut Vec<(u32, String)>) {
    for l in &h.lines {
        if l.kind != LineKind::Added {
            continue;
        }
        let text = ctx.patch.line_text(l);
        if let Some(m) = TEXT.find(&text) {
            hits.push((l.new_no().unwrap_or(0), m.as_str().to_string()));
        }
    }
}

fn report(
    ctx: &Ctx<'_>,
    f: &crate::diff::FileDiff<'_>,
    fc: &crate::rules::FileCtx,
    hits: Vec<(u32, String)>,
    out: &mut Vec<Finding>,
) {
    for (line, ev) in hits {
        let mut fd = ctx.finding(&RULE, f, Side::New, line, line);
        if fc.is_test {
            fd.severity = Severity::Info;
        }
        fd.message = "TLS certificate verification is disabled".to_string();
        fd.explanation = "With verification off, anyone on the network path can impersonate \
            the server and read or change the traffic, credentials included. Check why it is \
            needed, whether a CA bundle or the correct host name would fix the real error, and \
            that this cannot reach production."
            .to_string();
        fd.evidence = clip(&ev, 120);
        out.push(fd);
    }
}
