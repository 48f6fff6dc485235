//! git-ai notes and Agent Trace records: parsing, and mapping attested
//! ranges onto a diff's new-side lines.

use blastradius::ai::attribution::{parse_agent_trace_text, parse_git_ai, Contributor};
use blastradius::analyze::{analyze, Options};

const NOTE_V3: &str = r#"src/app.py
  s_7f3a4b2c9d1e8a::t_0b1c2d3e4f5a6b 2-3,6
  h_1a2b3c4d5e6f70 4
"docs/my file.md"
  s_7f3a4b2c9d1e8a::t_0b1c2d3e4f5a6b 1
---
{
  "schema_version": "authorship/3.0.0",
  "git_ai_version": "1.6.15",
  "base_commit_sha": "7734793b756b3921c88db5375a8c156e9532447b",
  "sessions": {
    "s_7f3a4b2c9d1e8a": {"agent_id": {"tool": "claude", "id": "6ef2299e-a67f-432b-aa80-3d2fb4d28999", "model": "claude-opus-4-6"}}
  },
  "humans": {"h_1a2b3c4d5e6f70": {"name": "Dev <dev@example.com>"}},
  "prompts": {}
}
"#;

const NOTE_LEGACY: &str = r#"src/main.rs
  abcd1234abcd1234 1-10,15-20
  efab5678efab5678 25
---
{"schema_version": "authorship/3.0.0", "base_commit_sha": "7734793b", "prompts": {"abcd1234abcd1234": {"agent_id": {"tool": "cursor", "id": "x", "model": "claude-4.5-opus"}, "messages": [], "total_additions": 25, "total_deletions": 5, "accepted_lines": 20, "overriden_lines": 0}}}
"#;

const TRACE: &str = r#"{
  "version": "0.1.0",
  "id": "550e8400-e29b-41d4-a716-446655440000",
  "timestamp": "2026-01-23T14:30:00Z",
  "vcs": {"type": "git", "revision": "0123456789abcdef0123456789abcdef01234567"},
  "tool": {"name": "cursor", "version": "2.4.0"},
  "files": [{
    "path": "src/app.py",
    "conversations": [{
      "url": "https://api.cursor.com/v1/conversations/12345",
      "contributor": {"type": "ai", "model_id": "anthropic/claude-opus-4-5-20251101"},
      "ranges": [{"start_line": 2, "end_line": 3, "content_hash": "murmur3:9f2e8a1b"},
                 {"start_line": 5, "end_line": 5, "contributor": {"type": "human"}}]
    }]
  }]
}"#;

const PATCH: &str = "From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001
From: Dev <dev@example.com>
Date: Mon, 6 Jul 2026 23:09:27 +0000
Subject: [PATCH] Add retries

---
 src/app.py | 5 ++++-

diff --git a/src/app.py b/src/app.py
--- a/src/app.py
+++ b/src/app.py
@@ -1,2 +1,6 @@
 import time
-x = 1
+def retry(fn):
+    for _ in range(3):
+        x = 2
+    return fn()
+y = 3
-- 
2.47.3
";

#[test]
fn git_ai_v3_sessions_and_humans() {
    let a = parse_git_ai(NOTE_V3).unwrap();
    assert!(a.warnings.is_empty(), "{:?}", a.warnings);
    assert_eq!(a.ranges.len(), 4);
    let r = &a.ranges[0];
    assert_eq!(
        (r.path.as_str(), r.start, r.end, r.contributor),
        ("src/app.py", 2, 3, Contributor::Ai)
    );
    assert_eq!(r.tool.as_deref(), Some("claude"));
    assert_eq!(r.model.as_deref(), Some("claude-opus-4-6"));
    assert_eq!(r.session.as_deref(), Some("s_7f3a4b2c9d1e8a"));
    assert_eq!((a.ranges[1].start, a.ranges[1].end), (6, 6));
    assert_eq!(a.ranges[2].contributor, Contributor::Human);
    assert_eq!(a.ranges[3].path, "docs/my file.md");
}

#[test]
fn git_ai_legacy_prompt_hashes() {
    let a = parse_git_ai(NOTE_LEGACY).unwrap();
    assert_eq!(a.ranges.len(), 3);
    assert!(a.ranges.iter().all(|r| r.contributor == Contributor::Ai));
    assert_eq!(a.ranges[0].tool.as_deref(), Some("cursor"));
    assert_eq!(a.ranges[2].tool, None, "unknown prompt: AI, tool unknown");
}

#[test]
fn git_ai_errors_are_clear() {
    assert!(parse_git_ai("src/a.rs\n  abcd 1-2\n")
        .unwrap_err()
        .contains("no `---` line"));
    assert!(parse_git_ai("src/a.rs\n---\nnot json")
        .unwrap_err()
        .contains("not JSON"));
    assert!(parse_git_ai("---\n{\"schema_version\": \"other/1\"}")
        .unwrap_err()
        .contains("schema_version"));
    let a = parse_git_ai(
        "src/a.rs\n  abcd 3-1,x\n  abcd 0\n  ok 2\n---\n{\"schema_version\":\"authorship/3.0.0\"}",
    )
    .unwrap();
    assert_eq!(a.ranges.len(), 1);
    assert_eq!(a.warnings.len(), 2, "{:?}", a.warnings);
}

#[test]
fn agent_trace_record() {
    let v = parse_agent_trace_text(TRACE).unwrap();
    assert_eq!(v.len(), 1);
    let a = &v[0];
    assert_eq!(
        a.revision.as_deref(),
        Some("0123456789abcdef0123456789abcdef01234567")
    );
    assert_eq!(a.ranges.len(), 2);
    assert_eq!(a.ranges[0].contributor, Contributor::Ai);
    assert_eq!(a.ranges[0].tool.as_deref(), Some("cursor"));
    assert_eq!(
        a.ranges[0].model.as_deref(),
        Some("anthropic/claude-opus-4-5-20251101")
    );
    assert_eq!(
        a.ranges[1].contributor,
        Contributor::Human,
        "range-level contributor overrides"
    );
    // JSON Lines and arrays.
    let one_line = TRACE.replace('\n', "");
    assert_eq!(
        parse_agent_trace_text(&format!("{one_line}\n{one_line}\n"))
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        parse_agent_trace_text(&format!("[{one_line},{one_line}]"))
            .unwrap()
            .len(),
        2
    );
    assert!(parse_agent_trace_text("{\"version\":\"0.1.0\"}")
        .unwrap_err()
        .contains("files"));
}

#[test]
fn notes_map_onto_added_lines() {
    let mut opts = Options::default();
    opts.ai_notes.insert("0123456789ab".into(), NOTE_V3.into());
    let r = analyze(PATCH.as_bytes(), &opts).unwrap();
    let a = &r.authorship;
    // Lines 2-3 and 6 are attested AI, 4 is human, 5 untracked.
    assert_eq!(a.lines.len(), 2, "{:?}", a.lines);
    assert_eq!((a.lines[0].start, a.lines[0].end), (2, 3));
    assert_eq!((a.lines[1].start, a.lines[1].end), (6, 6));
    assert_eq!(a.ai_lines, 3);
    assert_eq!(a.verdict, blastradius::ai::Tier::Confirmed);
    assert_eq!(a.basis, "line-attribution");
    assert_eq!(a.agents, vec!["claude"]);
    let f = r
        .findings
        .iter()
        .find(|f| f.rule_id == "ai-attributed-lines")
        .unwrap();
    assert_eq!((f.path.as_str(), f.line, f.end_line), ("src/app.py", 2, 3));
}

#[test]
fn note_for_another_commit_is_ignored() {
    let mut opts = Options::default();
    opts.ai_notes
        .insert("fedcba9876543210".into(), NOTE_V3.into());
    let r = analyze(PATCH.as_bytes(), &opts).unwrap();
    assert!(r.authorship.lines.is_empty());
}

#[test]
fn agent_trace_maps_by_revision() {
    let opts = Options {
        agent_traces: vec![TRACE.into()],
        ..Default::default()
    };
    let r = analyze(PATCH.as_bytes(), &opts).unwrap();
    assert_eq!(r.authorship.lines.len(), 1);
    assert_eq!(
        (r.authorship.lines[0].start, r.authorship.lines[0].end),
        (2, 3)
    );
    assert_eq!(r.authorship.lines[0].source, "agent-trace");
}

#[test]
fn bad_records_become_diagnostics_not_errors() {
    let mut opts = Options {
        agent_traces: vec!["{not json".into()],
        ..Default::default()
    };
    opts.ai_notes.insert("0123456".into(), "garbage".into());
    let r = analyze(PATCH.as_bytes(), &opts).unwrap();
    assert_eq!(
        r.authorship.diagnostics.len(),
        2,
        "{:?}",
        r.authorship.diagnostics
    );
    assert!(r.authorship.lines.is_empty());
}

mod never_panic {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(120))]

        #[test]
        fn git_ai_parser_total(s in "(\\PC|\n|  |---|-|,|[0-9]){0,300}") {
            let _ = parse_git_ai(&s);
            let _ = parse_git_ai(&format!("a.rs\n  {s}\n---\n{{\"schema_version\":\"authorship/3.0.0\"}}"));
        }

        #[test]
        fn agent_trace_parser_total(s in "(\\PC|\n){0,300}") {
            let _ = parse_agent_trace_text(&s);
            let _ = parse_agent_trace_text(&format!("{{\"files\":[{{\"path\":\"a\",\"conversations\":[{{\"ranges\":[{s}]}}]}}]}}"));
        }

        #[test]
        fn analyze_with_arbitrary_authorship_inputs(
            body in "(\\PC|\n){0,200}",
            note in "(\\PC|\n){0,200}",
            branch in "\\PC{0,40}",
        ) {
            let patch = PATCH.replace("Add retries", &body.replace('\n', " "));
            let mut opts = Options {
                pr: Some(blastradius::ai::PrMeta {
                    author: Some(branch.clone()),
                    head_ref: Some(branch.clone()),
                    title: Some(body.clone()),
                    body: Some(body.clone()),
                    labels: vec![branch],
                }),
                agent_traces: vec![note.clone()],
                ..Default::default()
            };
            opts.ai_notes.insert("0123456789abcdef".into(), format!("src/app.py\n  s_1::t_1 {note}\n---\n{{\"schema_version\":\"authorship/3.0.0\"}}"));
            let _ = analyze(patch.as_bytes(), &opts);
        }

        #[test]
        fn features_total_on_arbitrary_diffs(s in "(\\PC|\n|\\+|-|@@ -1 \\+1 @@|diff --git a/x.py b/x.py){0,400}") {
            let p = blastradius::diff::parse(s.as_bytes());
            let x = blastradius::ai::features::extract(&p);
            prop_assert!(x.iter().all(|v| v.is_finite()));
        }
    }
}

/// A diff adding `src/app.py` and, at `record_path`, the record `record`.
fn diff_with_record(record_path: &str, record: &str, new_file: bool) -> String {
    let mut d = String::from(
        "diff --git a/src/app.py b/src/app.py\nnew file mode 100644\n--- /dev/null\n+++ b/src/app.py\n@@ -0,0 +1,4 @@\n+import time\n+def retry(f):\n+    time.sleep(1)\n+    return f()\n",
    );
    let lines: Vec<&str> = record.lines().collect();
    d.push_str(&format!("diff --git a/{record_path} b/{record_path}\n"));
    if new_file {
        d.push_str(&format!(
            "new file mode 100644\n--- /dev/null\n+++ b/{record_path}\n@@ -0,0 +1,{} @@\n",
            lines.len()
        ));
        for l in &lines {
            d.push_str(&format!("+{l}\n"));
        }
    } else {
        d.push_str(&format!(
            "--- a/{record_path}\n+++ b/{record_path}\n@@ -1 +1,{} @@\n-{{}}\n",
            lines.len()
        ));
        for l in &lines {
            d.push_str(&format!("+{l}\n"));
        }
    }
    d
}

const RECORD_IN_DIFF: &str = r#"{"version": "0.1.0", "id": "7d1c", "timestamp": "2026-11-30T00:00:00Z",
 "tool": {"name": "claude-code"},
 "files": [{"path": "src/app.py", "conversations": [{
   "contributor": {"type": "ai", "model_id": "anthropic/claude-opus-4-5"},
   "ranges": [{"start_line": 2, "end_line": 3}]}]}]}"#;

#[test]
fn agent_trace_records_added_by_the_change_are_read_from_the_diff() {
    for path in [
        ".agent-trace/2026-11-30.json",
        "services/api/.agent-trace/session-7d1c.json",
        "notes/run.agent-trace.json",
    ] {
        let r = analyze(
            diff_with_record(path, RECORD_IN_DIFF, true).as_bytes(),
            &Options::default(),
        )
        .unwrap();
        let got: Vec<_> = r
            .authorship
            .lines
            .iter()
            .map(|l| (l.path.as_str(), l.start, l.end, l.source.as_str()))
            .collect();
        assert_eq!(got, vec![("src/app.py", 2, 3, "agent-trace")], "{path}");
        assert!(
            r.authorship.diagnostics.is_empty(),
            "{:?}",
            r.authorship.diagnostics
        );
    }
    // Elsewhere, or only modified (the diff has just its changed lines): not read.
    for (path, new_file) in [("docs/trace.json", true), (".agent-trace/old.json", false)] {
        let r = analyze(
            diff_with_record(path, RECORD_IN_DIFF, new_file).as_bytes(),
            &Options::default(),
        )
        .unwrap();
        assert!(r.authorship.lines.is_empty(), "{path}");
    }
    // A broken record: a diagnostic naming the file, nothing attributed.
    let r = analyze(
        diff_with_record(".agent-trace/bad.json", "{\"files\": [", true).as_bytes(),
        &Options::default(),
    )
    .unwrap();
    assert!(r.authorship.lines.is_empty());
    assert_eq!(
        r.authorship.diagnostics.len(),
        1,
        "{:?}",
        r.authorship.diagnostics
    );
    assert!(r.authorship.diagnostics[0].starts_with(".agent-trace/bad.json: "));
    assert!(blastradius::ai::is_agent_trace_path(".Agent-Trace/X.JSON"));
    assert!(!blastradius::ai::is_agent_trace_path("agent-trace/x.json"));
    assert!(!blastradius::ai::is_agent_trace_path(".agent-trace/x.txt"));
}
