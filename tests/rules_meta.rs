//! Meta-tests over the rule catalogue: docs, ids, schema, and the generated
//! reference in docs/rules.md.

use blastradius::rules::{self, data, DOC_SECTIONS};
use std::collections::HashSet;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn builtin_packs_compile_cleanly() {
    let d = data::builtin_diagnostics();
    assert!(
        d.is_empty(),
        "built-in packs have problems:\n{}",
        d.iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn at_least_sixty_rules_with_unique_kebab_ids() {
    let all = rules::catalog();
    assert!(all.len() >= 60, "only {} rules", all.len());
    let mut seen = HashSet::new();
    for r in &all {
        assert!(seen.insert(r.id.clone()), "duplicate id {}", r.id);
        assert!(
            r.id.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "id {} is not kebab-case",
            r.id
        );
        assert!(!r.summary.trim().is_empty(), "{}: empty summary", r.id);
    }
}

#[test]
fn every_rule_has_all_doc_sections_with_content() {
    for r in rules::catalog() {
        let mut last = 0;
        for (i, h) in DOC_SECTIONS.iter().enumerate() {
            let Some(pos) = r.docs.find(h) else {
                panic!("{}: docs lack `{h}`:\n{}", r.id, r.docs);
            };
            assert!(pos >= last, "{}: `{h}` out of order", r.id);
            last = pos;
            let end = DOC_SECTIONS
                .get(i + 1)
                .and_then(|n| r.docs.find(n))
                .unwrap_or(r.docs.len());
            let body = r.docs.get(pos + h.len()..end).unwrap_or("").trim();
            assert!(body.len() >= 10, "{}: section `{h}` is empty", r.id);
        }
    }
}

#[test]
fn schema_lists_exactly_the_rule_fields() {
    let text = std::fs::read_to_string(root().join("schema/rule.schema.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let props = v["$defs"]["rule"]["properties"]
        .as_object()
        .expect("$defs.rule.properties");
    let mut in_schema: Vec<&str> = props.keys().map(|k| k.as_str()).collect();
    in_schema.sort();
    let mut fields: Vec<&str> = data::FIELDS.to_vec();
    fields.sort();
    assert_eq!(
        in_schema, fields,
        "schema/rule.schema.json and data::FIELDS differ"
    );
    // Every field in the schema is accepted by the parser (deny_unknown_fields).
    let mut pack = String::from("[[rule]]\nid = \"all-fields\"\nmessage = \"m\"\nexplanation = \"e\"\nseverity = \"info\"\n");
    for f in data::FIELDS {
        let line = match *f {
            "id" | "message" | "explanation" | "severity" => continue,
            "fires" | "passes" => continue,
            "languages" => "languages = [\"python\"]\n".to_string(),
            "paths" | "ignore_paths" | "added" | "removed" | "unless" | "unless_above"
            | "file_lacks" | "file_removes" | "query_when" => {
                format!("{f} = [\"x\"]\n")
            }
            "query" => "query = \"(identifier) @match\"\n".to_string(),
            "non_test" | "test_only" | "new_file" | "any_change" | "skip_hooks"
            | "skip_carried" | "match_comments" | "enabled" => {
                format!("{f} = false\n")
            }
            "test_severity" => "test_severity = \"info\"\n".to_string(),
            "confidence" => "confidence = \"low\"\n".to_string(),
            "category" => "category = \"risk\"\n".to_string(),
            "max_per_file" => "max_per_file = 2\n".to_string(),
            _ => format!("{f} = \"text\"\n"),
        };
        pack.push_str(&line);
    }
    pack.push_str("[[rule.fires]]\nafter = \"x\"\n[[rule.passes]]\nafter = \"y\"\n");
    let (p, d) = data::Pack::load("all.toml", &pack);
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(p.rules.len(), 1);
}

#[test]
fn docs_reference_is_in_sync() {
    let out = assert_cmd::Command::cargo_bin("blastradius")
        .unwrap()
        .args(["rules", "--format", "markdown"])
        .output()
        .unwrap();
    let generated = String::from_utf8(out.stdout).unwrap();
    let path = root().join("docs/rules.md");
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == generated,
        "docs/rules.md is out of date. Regenerate it with:\n    cargo run -- rules --format markdown > docs/rules.md"
    );
}

#[test]
fn rules_json_lists_every_rule_with_docs() {
    let out = assert_cmd::Command::cargo_bin("blastradius")
        .unwrap()
        .args(["rules", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), rules::catalog().len());
    for r in arr {
        for k in ["id", "category", "severity", "languages", "summary", "docs"] {
            assert!(r.get(k).is_some(), "rule lacks {k}: {r}");
        }
        assert!(r["docs"].as_str().unwrap().contains("## Why it matters"));
    }
}
