//! The rule engine: user packs, bad input, suppressions and the policy.

use blastradius::analyze::{analyze, Options, Report};
use blastradius::rules::PackText;

const DIFF: &str = "diff --git a/app/client.py b/app/client.py
--- a/app/client.py
+++ b/app/client.py
@@ -1,2 +1,4 @@
 import requests
+resp = requests.get(url, verify=False)
+value = eval(expr)
 done()
diff --git a/db/drop.sql b/db/drop.sql
--- a/db/drop.sql
+++ b/db/drop.sql
@@ -1 +1,2 @@
 -- cleanup
+DROP TABLE users;
";

fn run(opts: &Options) -> Report {
    analyze(DIFF.as_bytes(), opts).unwrap()
}

fn ids(r: &Report) -> Vec<&str> {
    r.findings.iter().map(|f| f.rule_id.as_str()).collect()
}

fn pack(name: &str, text: &str) -> PackText {
    PackText {
        name: name.into(),
        text: text.into(),
    }
}

#[test]
fn defaults_fire() {
    let r = run(&Options::default());
    let ids = ids(&r);
    assert!(ids.contains(&"tls-verify-disabled"), "{ids:?}");
    assert!(ids.contains(&"eval-exec"), "{ids:?}");
    assert!(ids.contains(&"destructive-sql"), "{ids:?}");
    assert!(r.config_diagnostics.is_empty());
}

#[test]
fn user_pack_with_regex_and_query_fires() {
    let text = r#"
[[rule]]
id = "no-requests-get"
message = "Use the shared HTTP client"
explanation = "The shared client sets timeouts, retries and tracing; direct calls bypass all three."
severity = "warning"
languages = ["python"]
query = '''((call function: (attribute) @f) @match (#eq? @f "requests.get"))'''

[[rule]]
id = "no-drop"
message = "No drops here"
note = "Drops need a DBA."
severity = "critical"
paths = ["db/**"]
added = ['(?i)\bdrop\b']
"#;
    let r = run(&Options {
        rule_packs: vec![pack("team.toml", text)],
        ..Default::default()
    });
    assert!(
        r.config_diagnostics.is_empty(),
        "{:?}",
        r.config_diagnostics
    );
    let f = r
        .findings
        .iter()
        .find(|f| f.rule_id == "no-requests-get")
        .expect("query rule fired");
    assert_eq!((f.path.as_str(), f.line), ("app/client.py", 2));
    let d = r
        .findings
        .iter()
        .find(|f| f.rule_id == "no-drop")
        .expect("regex rule fired");
    assert_eq!(d.severity, blastradius::finding::Severity::Critical);
    assert_eq!(d.explanation, "Drops need a DBA.");
}

#[test]
fn bad_pack_reports_line_and_column_and_keeps_the_rest() {
    // Rule 1 is fine, rule 2 has a bad regex, rule 3 an unknown field.
    let text = "[[rule]]\nid = \"ok-rule\"\nmessage = \"m\"\nexplanation = \"e\"\nseverity = \"info\"\nadded = ['DROP']\n\n[[rule]]\nid = \"bad-regex\"\nmessage = \"m\"\nexplanation = \"e\"\nseverity = \"info\"\nadded = ['(unclosed']\n\n[[rule]]\nid = \"typo\"\nmessage = \"m\"\nexplanation = \"e\"\nseverity = \"info\"\nadedd = ['x']\n";
    let r = run(&Options {
        rule_packs: vec![pack("mine.toml", text)],
        ..Default::default()
    });
    let d = &r.config_diagnostics;
    assert_eq!(d.len(), 2, "{d:?}");
    assert_eq!(
        (d[0].source.as_str(), d[0].line, d[0].column),
        ("mine.toml", 13, 1)
    );
    assert!(
        d[0].message.contains("bad-regex") && d[0].message.contains("regex"),
        "{}",
        d[0].message
    );
    assert_eq!(d[1].line, 20, "{:?}", d[1]);
    assert!(d[1].message.contains("adedd"), "{}", d[1].message);
    assert!(ids(&r).contains(&"ok-rule"));
    assert!(
        ids(&r).contains(&"destructive-sql"),
        "built-ins still apply"
    );
}

#[test]
fn toml_syntax_error_in_pack_has_position() {
    let r = run(&Options {
        rule_packs: vec![pack("broken.toml", "[[rule]]\nid = \"x\"\nmessage = \n")],
        ..Default::default()
    });
    let d = &r.config_diagnostics;
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].line, 3);
    assert!(d[0].column > 1);
    assert!(ids(&r).contains(&"destructive-sql"));
}

#[test]
fn bad_query_is_reported() {
    let text = "[[rule]]\nid = \"q\"\nmessage = \"m\"\nexplanation = \"e\"\nseverity = \"info\"\nlanguages = [\"python\"]\nquery = \"(no_such_node) @match\"\n";
    let r = run(&Options {
        rule_packs: vec![pack("q.toml", text)],
        ..Default::default()
    });
    assert_eq!(r.config_diagnostics.len(), 1);
    assert_eq!(r.config_diagnostics[0].line, 7);
    assert!(r.config_diagnostics[0].message.contains("query"));
}

#[test]
fn inline_suppression_on_or_above_the_line() {
    let diff = "diff --git a/app/x.py b/app/x.py
--- a/app/x.py
+++ b/app/x.py
@@ -1 +1,5 @@
 import requests
+# blastradius: ignore[tls-verify-disabled] staging only, tracked in #12
+a = requests.get(u, verify=False)
+b = requests.get(u, verify=False)  # blastradius: ignore[eval-exec] wrong id
+c = eval(x)  # blastradius: ignore[*] trusted input
";
    let r = analyze(diff.as_bytes(), &Options::default()).unwrap();
    let got: Vec<(String, u32)> = r
        .findings
        .iter()
        .map(|f| (f.rule_id.clone(), f.line))
        .collect();
    assert!(!got.contains(&("tls-verify-disabled".into(), 3)), "{got:?}");
    assert!(got.contains(&("tls-verify-disabled".into(), 4)), "{got:?}");
    assert!(
        !got.iter().any(|(id, l)| id == "eval-exec" && *l == 5),
        "{got:?}"
    );
}

#[test]
fn policy_disable_override_and_ignores() {
    let policy = r#"
ignore_paths = ["db/**"]

[rules]
disable = ["eval-exec"]
severity = { tls-verify-disabled = "critical" }
"#;
    let r = run(&Options {
        policy: Some(policy.into()),
        ..Default::default()
    });
    assert!(
        r.config_diagnostics.is_empty(),
        "{:?}",
        r.config_diagnostics
    );
    let ids = ids(&r);
    assert!(!ids.contains(&"eval-exec"));
    assert!(!ids.contains(&"destructive-sql"), "db/** is ignored");
    let tls = r
        .findings
        .iter()
        .find(|f| f.rule_id == "tls-verify-disabled")
        .unwrap();
    assert_eq!(tls.severity, blastradius::finding::Severity::Critical);

    let per_path = "[[ignore]]\npaths = [\"app/**\"]\nrules = [\"tls-verify-disabled\"]\n";
    let r = run(&Options {
        policy: Some(per_path.into()),
        ..Default::default()
    });
    assert!(!ids_of(&r).contains(&"tls-verify-disabled".to_string()));
    assert!(ids_of(&r).contains(&"eval-exec".to_string()));
}

fn ids_of(r: &Report) -> Vec<String> {
    r.findings.iter().map(|f| f.rule_id.clone()).collect()
}

#[test]
fn bad_policy_reports_position_and_defaults_apply() {
    let policy =
        "[rules]\ndisable = [\"eval-exec\"]\nseverity = { tls-verify-disabled = \"extreme\" }\n";
    let r = run(&Options {
        policy: Some(policy.into()),
        ..Default::default()
    });
    let d = &r.config_diagnostics;
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].source, ".blastradius.toml");
    assert_eq!(d[0].line, 3);
    assert!(d[0].column > 1);
    assert!(d[0].message.contains("defaults apply"), "{}", d[0].message);
    // Defaults: nothing disabled.
    assert!(ids(&r).contains(&"eval-exec"));
}

#[test]
fn unknown_rule_id_in_policy_is_reported() {
    let r = run(&Options {
        policy: Some("[rules]\ndisable = [\"no-such-rule\"]\n".into()),
        ..Default::default()
    });
    let d = &r.config_diagnostics;
    assert_eq!(d.len(), 1);
    assert_eq!((d[0].line, d[0].column), (2, 12));
    assert!(d[0].message.contains("no-such-rule"));
}

#[test]
fn signoff_policy_end_to_end() {
    let policy = "[[load_bearing]]\npaths = [\"app/**\"]\nreason = \"Talks to the payment provider\"\n\n[signoff]\nreviewers = [\"alice\"]\n";
    let base = Options {
        policy: Some(policy.into()),
        ..Default::default()
    };
    let r = run(&base);
    assert!(ids(&r).contains(&"load-bearing-changed"));
    assert!(!ids(&r).contains(&"signoff-required"), "authorship unknown");
    let r = run(&Options {
        ai_assisted: Some(true),
        ..base.clone()
    });
    let s = r
        .findings
        .iter()
        .find(|f| f.rule_id == "signoff-required")
        .unwrap();
    assert_eq!(s.category, blastradius::finding::Category::Policy);
    assert!(s.message.contains("@alice"), "{}", s.message);
    let r = run(&Options {
        ai_assisted: Some(true),
        approvals: vec!["alice".into()],
        ..base
    });
    assert!(!ids(&r).contains(&"signoff-required"));
}

#[test]
fn findings_are_deterministic() {
    let a = run(&Options::default());
    let b = run(&Options::default());
    assert_eq!(a.findings, b.findings);
}

mod never_panic {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn arbitrary_policy_and_pack_text(policy in ".{0,300}", packtext in ".{0,300}") {
            let _ = analyze(DIFF.as_bytes(), &Options {
                policy: Some(policy),
                rule_packs: vec![pack("p.toml", &packtext)],
                ..Default::default()
            });
        }

        #[test]
        fn arbitrary_added_lines(lines in proptest::collection::vec(".{0,120}", 1..12), path in "[a-z/._-]{1,30}") {
            let mut d = format!("diff --git a/{path} b/{path}\n--- a/{path}\n+++ b/{path}\n@@ -1,1 +1,{} @@\n ctx\n", lines.len() + 1);
            for l in &lines {
                d.push('+');
                d.push_str(&l.replace(['\n', '\r'], " "));
                d.push('\n');
            }
            let _ = analyze(d.as_bytes(), &Options::default());
        }
    }

    #[test]
    fn policy_field_shapes_that_are_wrong_do_not_panic() {
        for p in [
            "load_bearing = 3",
            "[[load_bearing]]\npaths = [\"[\"]\n",
            "[signoff]\nwhen = \"sometimes\"\n",
            "[rules]\nseverity = { x = 1 }\n",
            "ignore_paths = [\"{a,b\"]\n",
        ] {
            let r = analyze(
                DIFF.as_bytes(),
                &Options {
                    policy: Some(p.into()),
                    ..Default::default()
                },
            )
            .unwrap();
            assert!(
                !r.config_diagnostics.is_empty(),
                "{p}: expected a diagnostic"
            );
            assert!(
                r.config_diagnostics.iter().all(|d| d.line >= 1),
                "{p}: {:?}",
                r.config_diagnostics
            );
        }
    }
}
