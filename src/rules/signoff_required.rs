use super::{clip, load_bearing_changed, Ctx};
use crate::finding::{Category, Confidence, Finding, Severity};
use crate::policy::SignoffWhen;

crate::declare_rule! {
    /// ## What it does
    /// Enforces the policy's `[signoff]` rule: when a change touches a
    /// load-bearing path or symbol and is AI-assisted (`when =
    /// "ai-assisted"`, the default) or in any case (`when = "always"`), one
    /// of the listed reviewers (the `[signoff]` list plus the area's own
    /// `reviewers`) must have approved it. Reports once, on the first
    /// load-bearing place, until an approval from a listed reviewer is
    /// passed in.
    ///
    /// ## Why it matters
    /// Fluent generated code in the riskiest parts of the system is exactly
    /// where a plausible mistake gets through. The team decided that such
    /// changes need someone who knows that code.
    ///
    /// ## Example
    /// ```toml
    /// [signoff]
    /// reviewers = ["alice", "bob"]
    /// ```
    /// An AI-assisted change to a load-bearing path with no approval from
    /// alice or bob gets a high `policy` finding.
    ///
    /// ## False positives
    /// When authorship is unknown the AI-assisted rule does not fire; an
    /// AI signal that misfires on a human change asks for an unnecessary
    /// sign-off.
    pub static RULE = {
        id: "signoff-required",
        category: Category::Policy,
        severity: Severity::High,
        confidence: Confidence::High,
        summary: "AI-assisted change to load-bearing code lacks the required sign-off",
        languages: &[],
        check: check,
    }
}

fn login(s: &str) -> String {
    s.trim().trim_start_matches('@').to_ascii_lowercase()
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(signoff) = &ctx.policy.spec.signoff else {
        return;
    };
    let applies = match signoff.when {
        SignoffWhen::Always => true,
        SignoffWhen::AiAssisted => ctx.facts.ai_assisted == Some(true),
    };
    if !applies {
        return;
    }
    let hits = load_bearing_changed::hits(ctx);
    let Some(first) = hits.first() else { return };
    let approvals: Vec<String> = ctx.facts.approvals.iter().map(|a| login(a)).collect();
    let mut reviewers: Vec<String> = Vec::new();
    for h in &hits {
        if let Some(area) = ctx.policy.areas.get(h.area) {
            reviewers.extend(ctx.policy.signoff_reviewers(area));
        }
    }
    reviewers.sort();
    reviewers.dedup();
    if reviewers.iter().any(|r| approvals.contains(&login(r))) {
        return;
    }
    let Some(f) = ctx.patch.files.get(first.file) else {
        return;
    };
    let mut fd = ctx.finding(&RULE, f, first.side, first.line, first.line);
    let who = if reviewers.is_empty() {
        "a reviewer listed in [signoff].reviewers (none are listed)".to_string()
    } else {
        reviewers
            .iter()
            .map(|r| format!("@{}", login(r)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let why = if signoff.when == SignoffWhen::Always {
        "Change"
    } else {
        "AI-assisted change"
    };
    fd.message = format!(
        "{why} to load-bearing code needs sign-off from {}",
        clip(&who, 120)
    );
    fd.explanation = format!(
        "The repository policy requires approval from {who} for this kind of change. {} \
        load-bearing place(s) are touched; the first is {}. Do not merge before one of them approves.",
        hits.len(),
        first.what
    );
    fd.evidence = hits
        .iter()
        .take(5)
        .map(|h| h.what.clone())
        .collect::<Vec<_>>()
        .join(", ");
    out.push(fd);
}
