//! Every metadata marker, with real strings from public history and tool
//! docs, plus the negatives that must not match.

use blastradius::ai::{self, markers, PrMeta, Tier};
use blastradius::finding::Confidence;

const DIFF: &str =
    "diff --git a/app.py b/app.py\n--- a/app.py\n+++ b/app.py\n@@ -1 +1,2 @@\n x = 1\n+y = 2\n";

/// A one-commit format-patch with the given author and message lines.
fn patch(author: &str, subject: &str, body: &str) -> String {
    format!(
        "From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001\nFrom: {author}\nDate: Mon, 6 Jul 2026 23:09:27 +0000\nSubject: [PATCH] {subject}\n\n{body}\n---\n app.py | 1 +\n\n{DIFF}-- \n2.47.3\n"
    )
}

/// Markers (medium or high) found in a format-patch.
fn found(author: &str, subject: &str, body: &str) -> Vec<(String, String, Confidence)> {
    let text = patch(author, subject, body);
    let p = blastradius::diff::parse(text.as_bytes());
    assert_eq!(p.commits.len(), 1, "fixture parses as one commit");
    ai::commit_authorship(&p)
        .into_iter()
        .flat_map(|c| c.markers)
        .map(|h| (h.marker, h.agent, h.confidence))
        .collect()
}

fn has(author: &str, body: &str, marker: &str, agent: &str) {
    let f = found(author, "Fix the thing", body);
    assert!(
        f.iter()
            .any(|(m, a, c)| m == marker && a == agent && *c >= Confidence::Medium),
        "expected {marker} ({agent}) for author {author:?} body {body:?}, got {f:?}"
    );
}

fn none(author: &str, subject: &str, body: &str) {
    let f: Vec<_> = found(author, subject, body)
        .into_iter()
        .filter(|(_, _, c)| *c >= Confidence::Medium)
        .collect();
    assert!(
        f.is_empty(),
        "expected no marker for {author:?} / {body:?}, got {f:?}"
    );
}

const HUMAN: &str = "Simon Willison <swillison@gmail.com>";

#[test]
fn table_compiles_and_every_agent_has_markers() {
    let t = markers::Table::from_toml(markers::MARKERS_TOML).unwrap();
    assert!(t.agents.len() >= 12);
    for a in &t.agents {
        assert!(
            t.markers.iter().any(|m| m.agent == a.id),
            "agent {} has no marker",
            a.id
        );
    }
    let mut ids: Vec<&str> = t.markers.iter().map(|m| m.id.as_str()).collect();
    ids.sort();
    let n = ids.len();
    ids.dedup();
    assert_eq!(n, ids.len(), "marker ids are unique");
}

#[test]
fn bad_table_is_a_clear_error() {
    let e = markers::Table::from_toml("[[agent]]\nid='x'\nname='X'\n[[agent.marker]]\nid='a'\nfield='author'\npattern='('\nconfidence='high'\nrole='author'\n").unwrap_err();
    assert!(e.contains("marker a: bad pattern"), "{e}");
}

#[test]
fn claude_code() {
    has(
        HUMAN,
        "Co-Authored-By: Claude <noreply@anthropic.com>",
        "trailer:co-authored-by-claude",
        "claude-code",
    );
    has(
        HUMAN,
        "Co-Authored-By: Claude Opus 4.6 (1M context) <noreply@anthropic.com>",
        "trailer:co-authored-by-claude",
        "claude-code",
    );
    has(
        HUMAN,
        "Co-authored-by: claude[bot] <209825114+claude[bot]@users.noreply.github.com>",
        "trailer:co-authored-by-claude",
        "claude-code",
    );
    has(
        HUMAN,
        "🤖 Generated with [Claude Code](https://claude.com/claude-code)",
        "footer:generated-with-claude-code",
        "claude-code",
    );
    has(
        HUMAN,
        "🤖 Generated with [Claude Code](https://claude.ai/code)",
        "footer:generated-with-claude-code",
        "claude-code",
    );
    has(
        HUMAN,
        "This change was written by Claude Code.",
        "msg:written-by-claude-code",
        "claude-code",
    );
    has(
        HUMAN,
        "Claude-Session: https://claude.ai/code/session_01GrHZSypDfMnym1tM5XJAFZ",
        "trailer:claude-session",
        "claude-code",
    );
    has(
        "Claude <noreply@anthropic.com>",
        "Body.",
        "author:claude",
        "claude-code",
    );
    has(
        "Claude <no-reply@anthropic.com>",
        "Body.",
        "author:claude",
        "claude-code",
    );
}

#[test]
fn copilot() {
    has(
        "Copilot <198982749+Copilot@users.noreply.github.com>",
        "Body.",
        "author:copilot",
        "copilot",
    );
    has(
        "copilot-swe-agent[bot] <198982749+Copilot@users.noreply.github.com>",
        "Body.",
        "author:copilot",
        "copilot",
    );
    has(
        HUMAN,
        "Co-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>",
        "trailer:co-authored-by-copilot",
        "copilot",
    );
    has(HUMAN, "Co-authored-by: Copilot Autofix powered by AI <175728472+Copilot@users.noreply.github.com>", "trailer:co-authored-by-copilot", "copilot");
    has(
        HUMAN,
        "Co-authored-by: Copilot <223556219+Copilot@users.noreply.github.com>",
        "trailer:co-authored-by-copilot",
        "copilot",
    );
    has(
        HUMAN,
        "Co-authored-by: copilot-swe-agent[bot] <198982749+Copilot@users.noreply.github.com>",
        "trailer:co-authored-by-copilot",
        "copilot",
    );
}

#[test]
fn codex() {
    has(
        HUMAN,
        "Co-authored-by: Codex <noreply@openai.com>",
        "trailer:co-authored-by-codex",
        "codex",
    );
    has("chatgpt-codex-connector[bot] <199175422+chatgpt-codex-connector[bot]@users.noreply.github.com>", "Body.", "author:codex", "codex");
    has(
        "openai-codex[bot] <noreply@github.com>",
        "Body.",
        "author:codex",
        "codex",
    );
    has(
        "Codex <noreply@openai.com>",
        "Body.",
        "author:codex",
        "codex",
    );
}

#[test]
fn cursor() {
    has(
        HUMAN,
        "Co-authored-by: Cursor <cursoragent@cursor.com>",
        "trailer:co-authored-by-cursor",
        "cursor",
    );
    has(
        HUMAN,
        "Co-authored-by: Cursor Agent <cursoragent@cursor.com>",
        "trailer:co-authored-by-cursor",
        "cursor",
    );
    has(
        HUMAN,
        "Made-with: Cursor",
        "trailer:made-with-cursor",
        "cursor",
    );
    has(
        "Cursor Agent <cursoragent@cursor.com>",
        "Body.",
        "author:cursor",
        "cursor",
    );
}

#[test]
fn aider() {
    has(
        "Paul Gauthier (aider) <paul@paulgauthier.com>",
        "Body.",
        "author:aider",
        "aider",
    );
    has(
        HUMAN,
        "Co-authored-by: aider (anthropic/claude-sonnet-4) <aider@aider.chat>",
        "trailer:co-authored-by-aider",
        "aider",
    );
    has(
        HUMAN,
        "Co-authored-by: aider (gpt-4o) <noreply@aider.chat>",
        "trailer:co-authored-by-aider",
        "aider",
    );
    has(
        HUMAN,
        "Co-authored-by: aider (o3) <noreply@aider.dev>",
        "trailer:co-authored-by-aider",
        "aider",
    );
    let f = found(HUMAN, "aider: Added a retry loop", "Body.");
    assert!(
        f.iter()
            .any(|(m, _, c)| m == "subject:aider-prefix" && *c == Confidence::Medium),
        "{f:?}"
    );
}

#[test]
fn aider_committer_only_is_not_a_marker() {
    // aider commits the user's own edits with ` (aider)` on the committer.
    let text = "commit 0123456789abcdef0123456789abcdef01234567\nAuthor:     Paul Gauthier <paul@paulgauthier.com>\nAuthorDate: Mon Jul 6 23:09:27 2026 +0000\nCommit:     Paul Gauthier (aider) <paul@paulgauthier.com>\nCommitDate: Mon Jul 6 23:09:27 2026 +0000\n\n    Tidy up\n\n".to_string() + DIFF;
    let p = blastradius::diff::parse(text.as_bytes());
    assert_eq!(p.commits.len(), 1);
    assert!(
        p.commits[0]
            .committer
            .as_deref()
            .unwrap_or("")
            .contains("(aider)"),
        "reader keeps the committer"
    );
    let c = ai::commit_authorship(&p);
    assert!(c[0].markers.is_empty(), "{:?}", c[0].markers);
    assert_eq!(c[0].tier, Tier::NoEvidence);
}

#[test]
fn committer_identity_from_git_log_fuller() {
    let text = "commit 0123456789abcdef0123456789abcdef01234567\nAuthor:     Simon Willison <swillison@gmail.com>\nAuthorDate: Mon Jul 6 23:09:27 2026 +0000\nCommit:     Claude <noreply@anthropic.com>\nCommitDate: Mon Jul 6 23:09:27 2026 +0000\n\n    Tidy up\n\n".to_string() + DIFF;
    let p = blastradius::diff::parse(text.as_bytes());
    let c = ai::commit_authorship(&p);
    assert!(
        c[0].markers.iter().any(|h| h.marker == "committer:claude"),
        "{:?}",
        c[0].markers
    );
}

#[test]
fn devin_jules_amp_gemini_amazon_q_replit() {
    has(
        "devin-ai-integration[bot] <158243242+devin-ai-integration[bot]@users.noreply.github.com>",
        "Body.",
        "author:devin-ai-integration",
        "devin",
    );
    has(
        HUMAN,
        "Co-authored-by: Devin AI <158243242+devin-ai-integration[bot]@users.noreply.github.com>",
        "trailer:co-authored-by-devin",
        "devin",
    );
    has(
        "google-labs-jules[bot] <161369871+google-labs-jules[bot]@users.noreply.github.com>",
        "Body.",
        "author:google-labs-jules",
        "jules",
    );
    has(
        HUMAN,
        "Co-authored-by: Amp <amp@ampcode.com>",
        "trailer:co-authored-by-amp",
        "amp",
    );
    has(
        HUMAN,
        "Amp-Thread-ID: https://ampcode.com/threads/T-5f1f8a3c-7c7e-4b0e-9a55-1d3c1b0e2f11",
        "trailer:amp-thread-id",
        "amp",
    );
    has(
        "gemini-code-assist[bot] <176961590+gemini-code-assist[bot]@users.noreply.github.com>",
        "Body.",
        "author:gemini",
        "gemini",
    );
    has(
        "amazon-q-developer[bot] <208079219+amazon-q-developer[bot]@users.noreply.github.com>",
        "Body.",
        "author:amazon-q",
        "amazon-q",
    );
    has(HUMAN, "Replit-Commit-Author: Agent\nReplit-Commit-Session-Id: 3f0b7f6e-2a55-4d6c-9d0e-1b9b7c1e2a33", "trailer:replit-commit-author", "replit");
}

#[test]
fn openhands_opencode_warp_factory() {
    // The identities and trailers these agents write (their docs and
    // public commits).
    has(
        "openhands <openhands@all-hands.dev>",
        "Body.",
        "author:openhands",
        "openhands",
    );
    has(
        "openhands-ai[bot] <openhands-ai[bot]@users.noreply.github.com>",
        "Body.",
        "author:openhands",
        "openhands",
    );
    has(
        HUMAN,
        "Co-authored-by: openhands <openhands@all-hands.dev>",
        "trailer:co-authored-by-openhands",
        "openhands",
    );
    has(
        HUMAN,
        "\u{1F916} Generated with [opencode](https://opencode.ai)\n\nCo-Authored-By: opencode <noreply@opencode.ai>",
        "trailer:co-authored-by-opencode",
        "opencode",
    );
    has(
        HUMAN,
        "\u{1F916} Generated with [opencode](https://opencode.ai)",
        "footer:generated-with-opencode",
        "opencode",
    );
    has(
        HUMAN,
        "Co-Authored-By: Warp <agent@warp.dev>",
        "trailer:co-authored-by-warp",
        "warp",
    );
    has(
        HUMAN,
        "Co-Authored-By: Oz <oz-agent@warp.dev>",
        "trailer:co-authored-by-warp",
        "warp",
    );
    has(
        HUMAN,
        "Co-authored-by: factory-droid[bot] <138933559+factory-droid[bot]@users.noreply.github.com>",
        "trailer:co-authored-by-factory-droid",
        "factory",
    );
    has(
        "factory-droid[bot] <138933559+factory-droid[bot]@users.noreply.github.com>",
        "Body.",
        "author:factory-droid",
        "factory",
    );
    // Lookalikes: a person at Warp, prose about OpenHands, a droid.
    none("Jane Doe <jane@warp.dev>", "Fix", "Body.");
    none(
        HUMAN,
        "Try OpenHands",
        "We compared OpenHands and opencode.",
    );
    none(
        HUMAN,
        "Fix droid build",
        "The Android droid target was broken.",
    );
}

#[test]
fn policy_trailers_name_the_agent() {
    has(
        "Alpha Chen <alpha@kejadlen.dev>",
        "Assisted-by: Claude Opus 4.6 via Claude Code",
        "trailer:assisted-by",
        "claude-code",
    );
    has(
        HUMAN,
        "Assisted-by: Google Antigravity with Gemini",
        "trailer:assisted-by",
        "gemini",
    );
    has(
        HUMAN,
        "Assisted-by: gpt-5-codex:2025-09 [ripgrep]",
        "trailer:assisted-by",
        "codex",
    );
    has(
        HUMAN,
        "Generated-by: ChatGPT",
        "trailer:generated-by",
        "codex",
    );
    has(
        HUMAN,
        "Generated-by: Windsurf",
        "trailer:generated-by",
        "other",
    );
    // A policy trailer naming no AI tool is only a mention.
    let f = found(HUMAN, "Regenerate", "Generated-by: scripts/gen_tables.py");
    assert!(
        f.iter()
            .any(|(m, a, c)| m == "trailer:generated-by" && a == "other" && *c == Confidence::Low),
        "{f:?}"
    );
    none(
        HUMAN,
        "Regenerate",
        "Generated-by: scripts/gen_tables.py\nAssisted-by: Jane Doe <jane@example.com>",
    );
}

#[test]
fn humans_and_lookalikes_do_not_match() {
    none(HUMAN, "Add claude/ support", "Mentions Claude and Copilot and Cursor in prose.\n\nSigned-off-by: Simon Willison <swillison@gmail.com>");
    none(
        "Daniel Szoke <7881302+szokeasaurusrex@users.noreply.github.com>",
        "Fix",
        "Co-authored-by: Anton Pirker <anton.pirker@sentry.io>",
    );
    none(
        "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>",
        "Bump x",
        "Body.",
    );
    none(
        HUMAN,
        "Fix cursor handling in the SQL layer",
        "The database cursor was leaked.",
    );
    none(
        HUMAN,
        "Fix",
        "Copilot-like completion in the editor (not a trailer).",
    );
    none("Claude Monet <claude@example.com>", "Paint", "Body.");
}

#[test]
fn pull_request_markers() {
    let t = markers::table();
    let pr = PrMeta {
        author: Some("copilot-swe-agent[bot]".into()),
        head_ref: Some("copilot/fix-flaky-test".into()),
        title: Some("Fix flaky test".into()),
        body: Some("Fixes #12.\n\nMade with [Cursor](https://cursor.com)\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)".into()),
        labels: vec!["bug".into(), "AI-generated".into()],
    };
    let hits = markers::pr_markers(t, &pr);
    let ids: Vec<&str> = hits.iter().map(|h| h.marker.as_str()).collect();
    for want in [
        "pr-author:copilot",
        "branch:copilot",
        "pr-body:made-with-cursor",
        "pr-body:generated-with-claude-code",
        "pr-label:ai",
    ] {
        assert!(ids.contains(&want), "{want} missing from {ids:?}");
    }
    let branch = hits.iter().find(|h| h.marker == "branch:copilot").unwrap();
    assert_eq!(branch.confidence, Confidence::Medium);
    for (b, agent) in [
        ("claude/fix-login", "claude-code"),
        ("codex/add-tests", "codex"),
        ("cursor/x", "cursor"),
        ("devin/1700000000-fix", "devin"),
        ("cline/a", "cline"),
        ("aider/a", "aider"),
        ("gemini/a", "gemini"),
    ] {
        let h = markers::pr_markers(
            t,
            &PrMeta {
                head_ref: Some(b.into()),
                ..Default::default()
            },
        );
        assert!(h.iter().any(|h| h.agent == agent), "{b}: {h:?}");
    }
    let human = PrMeta {
        author: Some("simonw".into()),
        head_ref: Some("fix-claude-docs".into()),
        title: Some("Document the Claude plugin".into()),
        body: Some("Adds docs.".into()),
        labels: vec!["documentation".into()],
    };
    assert!(markers::pr_markers(t, &human).is_empty());
}

#[test]
fn marker_tier_and_verdict() {
    let text = patch(
        HUMAN,
        "Add retries",
        "Co-Authored-By: Claude <noreply@anthropic.com>",
    );
    let r = blastradius::analyze::analyze(text.as_bytes(), &Default::default()).unwrap();
    assert_eq!(r.authorship.verdict, Tier::Confirmed);
    assert_eq!(r.authorship.basis, "metadata");
    assert_eq!(r.authorship.agents, vec!["claude-code"]);
    assert_eq!(r.authorship.commits[0].tier, Tier::Confirmed);
    let f = r
        .findings
        .iter()
        .find(|f| f.rule_id == "ai-authored-commit")
        .expect("finding");
    assert_eq!(f.path, "app.py");
    assert_eq!(f.line, 2);
    assert!(f
        .evidence
        .contains("Co-Authored-By: Claude <noreply@anthropic.com>"));
}

#[test]
fn per_commit_content_equals_the_commit_alone() {
    let a = std::fs::read_to_string("tests/fixtures/ai/claude_trailer.patch").unwrap();
    let b = std::fs::read_to_string("tests/fixtures/ai/git_ai_note.patch").unwrap();
    let both = format!("{a}{b}");
    let opts = Default::default();
    let r = blastradius::analyze::analyze(both.as_bytes(), &opts).unwrap();
    assert_eq!(r.authorship.commits.len(), 2);
    let alone_a = blastradius::analyze::analyze(a.as_bytes(), &opts).unwrap();
    let alone_b = blastradius::analyze::analyze(b.as_bytes(), &opts).unwrap();
    assert_eq!(
        r.authorship.commits[0].content_probability,
        alone_a.authorship.content.as_ref().map(|c| c.probability)
    );
    assert_eq!(
        r.authorship.commits[1].content_probability,
        alone_b.authorship.content.as_ref().map(|c| c.probability)
    );
    assert_ne!(
        r.authorship.commits[0].content_probability,
        r.authorship.commits[1].content_probability
    );
    // Only the first commit carries a marker; the verdict is the strongest.
    assert_eq!(r.authorship.commits[0].tier, Tier::Confirmed);
    assert_eq!(r.authorship.commits[1].tier, Tier::NoEvidence);
    assert_eq!(r.authorship.verdict, Tier::Confirmed);
}

/// A pull request's `.diff` has no commits; its `.patch` carries them. The
/// extension passes the `.patch` as `commits_patch` so trailers still count.
#[test]
fn commit_metadata_from_a_separate_patch_applies_to_a_combined_diff() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let diff = std::fs::read(root.join("examples/pr-account-cleanup.diff")).unwrap();
    let patch =
        std::fs::read_to_string(root.join("tests/fixtures/ai/claude_trailer.patch")).unwrap();

    let plain = blastradius::analyze::analyze(&diff, &Default::default()).unwrap();
    assert!(plain.authorship.commits.is_empty());
    assert!(!plain
        .findings
        .iter()
        .any(|f| f.rule_id == "ai-authored-commit"));

    let opts = blastradius::analyze::Options {
        commits_patch: Some(patch),
        ..Default::default()
    };
    let with = blastradius::analyze::analyze(&diff, &opts).unwrap();
    assert_eq!(with.summary.commits, 1);
    assert_eq!(with.authorship.commits.len(), 1);
    assert_eq!(with.authorship.agents, vec!["claude-code".to_string()]);
    let f = with
        .findings
        .iter()
        .find(|f| f.rule_id == "ai-authored-commit")
        .expect("an ai-authored-commit finding");
    // Anchored on the combined diff's first added line, not on the patch's files.
    assert!(with.files.iter().any(|x| x.path == f.path), "{}", f.path);
    assert!(
        f.evidence.contains("Co-Authored-By: Claude"),
        "{}",
        f.evidence
    );
    // The patch's own files are not analysed.
    assert!(!with
        .files
        .iter()
        .any(|x| x.path == "datasette/utils/retry.py"));
}
