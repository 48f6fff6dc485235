use super::{escape_html as e, line_range};
use crate::analyze::Report;
use crate::finding::Side;
use std::fmt::Write;

const STYLE: &str = "body{font:14px/1.5 system-ui,sans-serif;margin:2rem;color:#1f2328;background:#fff}\
@media (prefers-color-scheme:dark){body{color:#e6edf3;background:#0d1117}.f{border-color:#30363d}code{background:#161b22}}\
h1{font-size:1.4rem}.f{border:1px solid #d0d7de;border-radius:6px;padding:.6rem .9rem;margin:.6rem 0}\
.sev{font-weight:600;text-transform:uppercase;font-size:.75rem;padding:.1rem .4rem;border-radius:1rem;color:#fff}\
.critical{background:#a40e26}.high{background:#cf222e}.warning{background:#9a6700}.info{background:#0969da}\
code{background:#f6f8fa;padding:.1rem .3rem;border-radius:4px;white-space:pre-wrap;word-break:break-all}.why{margin:.3rem 0 0}";

/// A standalone HTML page. Every piece of text from the diff is escaped;
/// the page has no scripts and loads nothing.
pub fn render(report: &Report) -> String {
    let mut s = String::new();
    let c = &report.summary.findings;
    let _ = write!(
        s,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
<title>Blast Radius report</title><style>{STYLE}</style></head><body>\n<h1>Blast Radius</h1>\n"
    );
    let _ = writeln!(
        s,
        "<p>{} files changed, +{} −{}. <strong>{} findings</strong>: {} critical, {} high, {} warning, {} info.</p>",
        report.summary.files,
        report.summary.added,
        report.summary.deleted,
        c.total(),
        c.critical,
        c.high,
        c.warning,
        c.info
    );
    for f in &report.findings {
        let side = if f.side == Side::Old {
            " (old side)"
        } else {
            ""
        };
        let _ = writeln!(
            s,
            "<div class=\"f\"><span class=\"sev {sev}\">{sev}</span> <code>{path}:{range}{side}</code> \
<a href=\"{docs}\">{rule}</a><div>{msg}</div><p class=\"why\">{why}</p>{ev}</div>",
            sev = e(f.severity.as_str()),
            path = e(&f.path),
            range = line_range(f.line, f.end_line),
            docs = e(&f.docs),
            rule = e(&f.rule_id),
            msg = e(&f.message),
            why = e(&f.explanation),
            ev = if f.evidence.is_empty() {
                String::new()
            } else {
                format!("<div>evidence: <code>{}</code></div>", e(&f.evidence))
            },
        );
    }
    for d in &report.diagnostics {
        let _ = writeln!(s, "<p>input line {}: {}</p>", d.line, e(&d.message));
    }
    s.push_str("</body></html>\n");
    s
}
