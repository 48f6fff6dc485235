use crate::analyze::Report;
use crate::finding::{Severity, Side};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// Built-in rules, Rust and data packs alike, for rule descriptions.
static CATALOG: LazyLock<Vec<crate::rules::RuleInfo>> = LazyLock::new(crate::rules::catalog);

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// SARIF 2.1.0, for code-scanning uploads and editors. Findings on the old
/// side of the diff carry a `properties.side = "old"` marker, since SARIF
/// locations name the file as it is after the change.
pub fn render(report: &Report) -> String {
    let mut rules: BTreeMap<&str, Value> = BTreeMap::new();
    for f in &report.findings {
        rules.entry(f.rule_id.as_str()).or_insert_with(|| {
            let docs_rule = CATALOG.iter().find(|r| r.id == f.rule_id);
            json!({
                "id": f.rule_id,
                "shortDescription": {"text": docs_rule.map(|r| r.summary.as_str()).unwrap_or(f.message.as_str())},
                "fullDescription": {"text": f.explanation},
                "helpUri": f.docs,
                "defaultConfiguration": {"level": level(docs_rule.map(|r| r.severity).unwrap_or(f.severity))},
                "properties": {"category": f.category},
            })
        });
    }
    let index: BTreeMap<&str, usize> = rules.keys().enumerate().map(|(i, k)| (*k, i)).collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            json!({
                "ruleId": f.rule_id,
                "ruleIndex": index.get(f.rule_id.as_str()).copied().unwrap_or(0),
                "level": level(f.severity),
                "message": {"text": format!("{} — {}", f.message, f.explanation)},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": f.path},
                        "region": {"startLine": f.line.max(1), "endLine": f.end_line.max(f.line).max(1)},
                    }
                }],
                "properties": {
                    "severity": f.severity,
                    "confidence": f.confidence,
                    "category": f.category,
                    "side": match f.side { Side::New => "new", Side::Old => "old" },
                    "evidence": f.evidence,
                },
            })
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "blastradius",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": crate::rules::DOCS_BASE,
                "rules": rules.into_values().collect::<Vec<_>>(),
            }},
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
