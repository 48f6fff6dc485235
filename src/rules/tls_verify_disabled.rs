use super::{clip, Ctx};
use crate::diff::LineKind;
use crate::finding::{Category, Confidence, Finding, Severity, Side};
use crate::lang::Lang;
use crate::syntax::{self, HunkSide, SideText};
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
                .and_then(|lang| {
                    let side = SideText::build(ctx.patch, f, hi, HunkSide::New);
                    syntax::parse_text(lang, &side.text).map(|t| (lang, side, t))
                });
            if let Some((lang, side, tree)) = parsed {
                syntax::walk(&tree, |n| {
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
    }
}
