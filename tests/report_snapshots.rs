//! Snapshot every renderer over every fixture in tests/fixtures/report.

use blastradius::analyze::{analyze, Options};
use blastradius::report;

fn load(path: &std::path::Path) -> blastradius::analyze::Report {
    let input = std::fs::read(path).expect("fixture is readable");
    analyze(&input, &Options::default()).expect("fixture is a diff")
}

#[test]
fn renderers_over_fixtures() {
    insta::glob!("fixtures/report/*.diff", |path| {
        let r = load(path);
        insta::assert_snapshot!("json", report::json(&r));
        insta::assert_snapshot!("text", report::text(&r));
        insta::assert_snapshot!("markdown", report::markdown(&r));
        insta::assert_snapshot!("sarif", report::sarif(&r));
        insta::assert_snapshot!("html", report::html(&r));
    });
}

#[test]
fn html_and_markdown_escape_hostile_paths_and_code() {
    let r = load(std::path::Path::new("tests/fixtures/report/hostile.diff"));
    assert_eq!(r.findings.len(), 1, "the DROP TABLE line is found");
    assert!(
        r.findings[0].path.contains("<img"),
        "path is kept as written"
    );
    let html = report::html(&r);
    assert!(!html.contains("<img"), "no raw tag from the path: {html}");
    assert!(!html.contains("<script>"), "no raw tag from the code");
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;.sql"));
    let md = report::markdown(&r);
    // Raw `<` only inside code spans, where CommonMark never reads HTML.
    for (i, _) in md.match_indices('<') {
        let before = &md[..i];
        let ok = before.ends_with("` ")
            || md[i..].starts_with("<details>")
            || md[i..].starts_with("<summary>")
            || md[i..].starts_with("</details>")
            || md[i..].starts_with("</summary>");
        assert!(ok, "raw `<` outside a code span at {i}: {md}");
    }
    // A table row must still have exactly four cells: pipes inside are escaped.
    let row = md
        .lines()
        .find(|l| l.starts_with("| high"))
        .expect("a high row");
    let unescaped_pipes = row
        .match_indices('|')
        .filter(|(i, _)| *i == 0 || &row[i - 1..*i] != "\\")
        .count();
    assert_eq!(unescaped_pipes, 5, "{row}");
}

#[test]
fn text_lines_up_multi_line_evidence() {
    let r = load(std::path::Path::new(
        "tests/fixtures/report/ai_content.diff",
    ));
    let f = r
        .findings
        .iter()
        .find(|f| f.rule_id == "ai-content-signal")
        .expect("the content signal fires on this fixture");
    let parts: Vec<&str> = f.evidence.lines().collect();
    assert!(parts.len() >= 2, "{:?}", f.evidence);
    let text = report::text(&r);
    assert!(
        text.contains(&format!("    evidence: {}\n", parts[0])),
        "{text}"
    );
    for p in &parts[1..] {
        assert!(text.contains(&format!("\n              {p}\n")), "{text}");
    }
}

#[test]
fn sarif_is_valid_shape() {
    let r = load(std::path::Path::new("tests/fixtures/report/mixed.diff"));
    let v: serde_json::Value = serde_json::from_str(&report::sarif(&r)).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), r.findings.len());
    let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    for res in results {
        let idx = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(
            rules[idx]["id"], res["ruleId"],
            "ruleIndex points at its rule"
        );
        assert!(
            res["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap()
                >= 1
        );
    }
}
