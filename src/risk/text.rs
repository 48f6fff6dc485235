//! Plain-text rendering of the risk stage for the CLI report.

use super::blast::{BlastRadius, Radius};
use super::effort::Effort;
use super::{CriticalLine, RiskScore};
use std::fmt::Write;

fn radius(r: Radius) -> &'static str {
    match r {
        Radius::Narrow => "narrow",
        Radius::Medium => "medium",
        Radius::Wide => "wide",
    }
}

/// Render risk, critical lines (at most `max_lines`), blast radius and effort.
pub fn render(
    s: &mut String,
    risk: &RiskScore,
    lines: &[CriticalLine],
    blast: &BlastRadius,
    effort: &Effort,
    max_lines: usize,
) {
    let _ = writeln!(s, "risk: {:.0}/100 ({})", risk.score, risk.tier.as_str());
    for f in &risk.factors {
        let _ = writeln!(
            s,
            "    {:+.2}  {} = {} (weight {:+.3})",
            f.contribution, f.description, f.value, f.weight
        );
    }
    if !lines.is_empty() {
        let _ = writeln!(
            s,
            "review first ({} of the top {} lines, grouped by hunk):",
            lines.len().min(max_lines),
            lines.len()
        );
        let mut last: Option<(&str, &str)> = None;
        let mut shown: Vec<&CriticalLine> = lines
            .iter()
            .filter(|l| l.rank as usize <= max_lines)
            .collect();
        shown.truncate(max_lines);
        for l in shown {
            if last != Some((l.path.as_str(), l.hunk.as_str())) {
                let _ = writeln!(s, "  {} {}", l.path, l.hunk);
                last = Some((l.path.as_str(), l.hunk.as_str()));
            }
            let _ = writeln!(
                s,
                "    #{:<2} {}:{} [{:.0}] {}  — {}",
                l.rank,
                l.path,
                l.line,
                l.score,
                l.text,
                l.reasons.join("; ")
            );
        }
    }
    let _ = writeln!(
        s,
        "blast radius: {}{}",
        radius(blast.radius),
        if blast.partial {
            " (partial: paths and diff only; run `blastradius risk --repo DIR` for fan-in)"
        } else {
            ""
        }
    );
    for f in blast.files.iter().filter(|f| f.radius > Radius::Narrow) {
        let deps = f
            .dependents
            .map(|d| format!(", {d} dependents"))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "    {} {}{}: {}",
            radius(f.radius),
            f.path,
            deps,
            f.reasons.join("; ")
        );
    }
    for sy in blast
        .symbols
        .iter()
        .filter(|s| s.radius > Radius::Narrow)
        .take(10)
    {
        let refs = match (sy.references, sy.referencing_files) {
            (Some(r), Some(f)) => format!(" ({r} references in {f} other files)"),
            _ => String::new(),
        };
        let _ = writeln!(
            s,
            "    {} {} in {}{}",
            radius(sy.radius),
            sy.name,
            sy.path,
            refs
        );
    }
    let _ = writeln!(s, "review effort: ~{:.0} min", effort.total_minutes.ceil());
    for f in effort.files.iter().filter(|f| f.minutes >= 1.0) {
        let mut notes = Vec::new();
        if f.moved_lines > 0 {
            notes.push(format!("{} moved", f.moved_lines));
        }
        if f.format_only_lines > 0 {
            notes.push(format!("{} reformatted", f.format_only_lines));
        }
        if f.generated {
            notes.push("generated".to_string());
        }
        let notes = if notes.is_empty() {
            String::new()
        } else {
            format!(" ({})", notes.join(", "))
        };
        let _ = writeln!(s, "    {:>5.1} min  {}{}", f.minutes, f.path, notes);
    }
}

/// Render churn and ownership of the changed files (the CLI's `history:`
/// section), at most ten files.
pub fn render_history(s: &mut String, h: &super::history::History) {
    if h.files.is_empty() {
        return;
    }
    let _ = writeln!(
        s,
        "history ({} changed files with earlier commits{}):",
        h.files.len(),
        if h.truncated {
            "; history cut at the commit limit, counts are lower bounds"
        } else {
            ""
        }
    );
    for f in h.files.iter().take(10) {
        let mut notes = Vec::new();
        if h.hotspots.contains(&f.path) {
            notes.push("churn hotspot".to_string());
        }
        if f.new_to_author == Some(true) {
            notes.push("new to the author".to_string());
        }
        let last = f
            .days_since_last_change
            .map(|d| format!(", last changed {d} days before"))
            .unwrap_or_default();
        let notes = if notes.is_empty() {
            String::new()
        } else {
            format!(" [{}]", notes.join(", "))
        };
        let _ = writeln!(
            s,
            "    {}: {} changes ({} in the last {} days) by {} authors{}{}",
            f.path,
            f.prior_changes,
            f.recent_changes,
            super::history::RECENT_DAYS,
            f.authors,
            last,
            notes
        );
    }
}
