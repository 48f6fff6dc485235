//! Every rule against its fixtures: each `fires` case must produce a
//! finding of that rule, each `passes` case none. Data rules carry their
//! cases in the pack (`[[rule.fires]]` / `[[rule.passes]]`); Rust rules in
//! `tests/fixtures/rules/rust/<rule-id>.toml`. The findings of every case
//! are snapshotted.

use blastradius::analyze::{analyze, Options};
use blastradius::finding::Finding;
use blastradius::rules::data::{self, Case};
use blastradius::rules::{self, RULES};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A fixture case for a Rust rule: one file (the `Case` fields) or several
/// (`files`), plus optional policy and facts.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct FixtureCase {
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    before: String,
    #[serde(default)]
    after: String,
    #[serde(default)]
    new_file: bool,
    #[serde(default)]
    deleted: bool,
    #[serde(default)]
    files: Vec<Case>,
    #[serde(default)]
    policy: Option<String>,
    #[serde(default)]
    ai_assisted: Option<bool>,
    #[serde(default)]
    approvals: Vec<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct FixtureFile {
    #[serde(default)]
    fires: Vec<FixtureCase>,
    #[serde(default)]
    passes: Vec<FixtureCase>,
}

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules/rust")
}

fn load_fixture(id: &str) -> FixtureFile {
    let p = fixture_dir().join(format!("{id}.toml"));
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn run_case(c: &FixtureCase, lang: Option<&str>) -> Vec<Finding> {
    let mut diff = String::new();
    if c.files.is_empty() {
        let one = Case {
            path: c.path.clone(),
            before: c.before.clone(),
            after: c.after.clone(),
            new_file: c.new_file,
            deleted: c.deleted,
        };
        diff.push_str(&one.to_diff(lang));
    } else {
        for f in &c.files {
            diff.push_str(&f.to_diff(lang));
        }
    }
    let opts = Options {
        policy: c.policy.clone(),
        ai_assisted: c.ai_assisted,
        approvals: c.approvals.clone(),
        ..Default::default()
    };
    let report = analyze(diff.as_bytes(), &opts).unwrap_or_else(|e| panic!("{e}\n{diff}"));
    assert!(
        report.config_diagnostics.is_empty(),
        "{:?}",
        report.config_diagnostics
    );
    report.findings
}

fn from_case(c: &Case) -> FixtureCase {
    FixtureCase {
        path: c.path.clone(),
        before: c.before.clone(),
        after: c.after.clone(),
        new_file: c.new_file,
        deleted: c.deleted,
        ..Default::default()
    }
}

/// A rule's cases: (rule id, first language, fires, passes).
type RuleCases = (String, Option<String>, Vec<FixtureCase>, Vec<FixtureCase>);

/// Every rule's cases.
fn all_cases() -> Vec<RuleCases> {
    let mut out = Vec::new();
    for r in RULES {
        let f = load_fixture(r.id);
        out.push((r.id.to_string(), None, f.fires, f.passes));
    }
    for r in &data::builtin().rules {
        out.push((
            r.id.clone(),
            r.spec.languages.first().cloned(),
            r.spec.fires.iter().map(from_case).collect(),
            r.spec.passes.iter().map(from_case).collect(),
        ));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[derive(serde::Serialize)]
struct Short {
    rule_id: String,
    severity: String,
    side: String,
    line: u32,
    end_line: u32,
    message: String,
    evidence: String,
}

#[test]
fn every_rule_fires_and_stays_quiet_on_its_fixtures() {
    let mut failures = Vec::new();
    let mut snap: BTreeMap<String, Vec<Vec<Short>>> = BTreeMap::new();
    for (id, lang, fires, passes) in all_cases() {
        if fires.is_empty() || passes.is_empty() {
            failures.push(format!(
                "{id}: needs at least one firing and one passing case"
            ));
        }
        for (i, c) in fires.iter().enumerate() {
            let found = run_case(c, lang.as_deref());
            let mine: Vec<&Finding> = found.iter().filter(|f| f.rule_id == id).collect();
            if mine.is_empty() {
                failures.push(format!(
                    "{id}: fires[{i}] did not fire (got {:?})",
                    found.iter().map(|f| &f.rule_id).collect::<Vec<_>>()
                ));
            }
            for f in &mine {
                if f.message.is_empty()
                    || f.explanation.len() < 40
                    || f.evidence.is_empty()
                    || f.line == 0
                {
                    failures.push(format!(
                        "{id}: fires[{i}] finding lacks message/explanation/evidence/line: {f:?}"
                    ));
                }
            }
            snap.entry(id.clone()).or_default().push(
                mine.iter()
                    .map(|f| Short {
                        rule_id: f.rule_id.clone(),
                        severity: f.severity.to_string(),
                        side: format!("{:?}", f.side).to_lowercase(),
                        line: f.line,
                        end_line: f.end_line,
                        message: f.message.clone(),
                        evidence: f.evidence.clone(),
                    })
                    .collect(),
            );
        }
        for (i, c) in passes.iter().enumerate() {
            let found = run_case(c, lang.as_deref());
            if let Some(f) = found.iter().find(|f| f.rule_id == id) {
                failures.push(format!(
                    "{id}: passes[{i}] fired: {} ({})",
                    f.message, f.evidence
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
    insta::assert_json_snapshot!("fixture_findings", snap);
}

#[test]
fn every_rule_has_a_fixture_entry() {
    let ids: Vec<String> = rules::catalog().into_iter().map(|r| r.id).collect();
    let covered: Vec<String> = all_cases().into_iter().map(|c| c.0).collect();
    assert_eq!(ids, covered);
    // No stray fixture files for rules that do not exist.
    for e in std::fs::read_dir(fixture_dir()).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().to_string();
        let id = name.trim_end_matches(".toml");
        assert!(
            RULES.iter().any(|r| r.id == id),
            "fixture {name} names no Rust rule"
        );
    }
}
