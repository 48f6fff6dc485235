use crate::analyze::Report;
use crate::finding::Side;
use std::fmt::Write;

/// Plain text for a terminal: one block per finding, then a summary line.
pub fn render(report: &Report) -> String {
    let mut s = String::new();
    for f in &report.findings {
        let side = match f.side {
            Side::New => "",
            Side::Old => " (old side)",
        };
        let range = super::line_range(f.line, f.end_line);
        let _ = writeln!(
            s,
            "{}:{}{}: {} [{}] {}",
            f.path, range, side, f.severity, f.rule_id, f.message
        );
        if !f.evidence.is_empty() {
            // Continuation lines line up under the first.
            let ev = f.evidence.replace('\n', "\n              ");
            let _ = writeln!(s, "    evidence: {ev}");
        }
        let _ = writeln!(s, "    why: {}", f.explanation);
    }
    for d in &report.diagnostics {
        let _ = writeln!(s, "input line {}: {}", d.line, d.message);
    }
    if !report.files.is_empty() {
        crate::risk::text::render(
            &mut s,
            &report.risk,
            &report.critical_lines,
            &report.blast_radius,
            &report.effort,
            10,
        );
        if let Some(h) = &report.history {
            crate::risk::text::render_history(&mut s, h);
        }
    }
    let c = &report.summary.findings;
    let _ = writeln!(
        s,
        "{} findings ({} critical, {} high, {} warning, {} info) in {} files, +{} -{}",
        c.total(),
        c.critical,
        c.high,
        c.warning,
        c.info,
        report.summary.files,
        report.summary.added,
        report.summary.deleted
    );
    s
}
