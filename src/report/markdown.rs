use super::line_range;
use crate::analyze::Report;
use crate::finding::{Severity, Side};
use std::fmt::Write;

/// Escape text for a Markdown table cell or paragraph: pipes, backslashes,
/// HTML-significant characters and the characters that start formatting.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A code span that cannot be broken out of: fenced with more backticks
/// than the longest run inside.
fn code(s: &str) -> String {
    let s = s.replace(['\n', '\r'], " ").replace('|', "\\|");
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    format!("{fence} {s} {fence}")
}

/// Markdown for a pull-request comment or a CI summary.
pub fn render(report: &Report) -> String {
    let mut s = String::new();
    let c = &report.summary.findings;
    let _ = writeln!(s, "## Blast Radius\n");
    let _ = writeln!(
        s,
        "{} files changed, +{} −{}; **{} findings**: {} critical, {} high, {} warning, {} info.\n",
        report.summary.files,
        report.summary.added,
        report.summary.deleted,
        c.total(),
        c.critical,
        c.high,
        c.warning,
        c.info
    );
    if report.findings.is_empty() {
        let _ = writeln!(s, "No findings.");
        return s;
    }
    let _ = writeln!(s, "| Severity | Location | Rule | Finding |");
    let _ = writeln!(s, "| --- | --- | --- | --- |");
    let mut sorted: Vec<_> = report.findings.iter().collect();
    sorted.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.sort_key().cmp(&b.sort_key()))
    });
    for f in &sorted {
        let side = if f.side == Side::Old { " (old)" } else { "" };
        let _ = writeln!(
            s,
            "| {} | {}:{}{} | [{}]({}) | {} |",
            f.severity,
            code(&f.path),
            line_range(f.line, f.end_line),
            side,
            esc(&f.rule_id),
            f.docs.replace(['(', ')', ' '], ""),
            esc(&f.message)
        );
    }
    let _ = writeln!(s, "\n<details><summary>Why these matter</summary>\n");
    for f in sorted.iter().filter(|f| f.severity >= Severity::Warning) {
        let _ = writeln!(
            s,
            "- **{}** {}:{} — {}",
            esc(&f.rule_id),
            code(&f.path),
            line_range(f.line, f.end_line),
            esc(&f.explanation)
        );
        if !f.evidence.is_empty() {
            let _ = writeln!(s, "  evidence: {}", code(&f.evidence));
        }
    }
    let _ = writeln!(s, "\n</details>");
    s
}
