//! Review effort: discounts for moved, reformatted and lockfile content.

use blastradius::risk::effort::{self, EffortHints};
use blastradius::risk::features::PatchFacts;

fn facts(diff: &[u8]) -> (Vec<u8>, ()) {
    (diff.to_vec(), ())
}

#[test]
fn effort_discounts_moved_reformatted_and_lockfiles() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/risk/effort_mix.diff");
    let (bytes, _) = facts(&std::fs::read(path).unwrap());
    let patch = blastradius::diff::parse(&bytes);
    let f = PatchFacts::new(&patch);
    let e = effort::estimate(&f, &EffortHints::default());
    insta::assert_json_snapshot!("effort_mix", e);
    let b = e.files.iter().find(|x| x.path == "src/b.py").unwrap();
    // `helper` moved from a.py (4 lines, the blank line is trivial), the
    // `return` line only lost a space: neither is read at the full rate.
    assert_eq!(b.moved_lines, 4);
    assert_eq!(b.format_only_lines, 1);
    assert_eq!(b.reviewed_lines, 4);
    let lock = e.files.iter().find(|x| x.path == "Cargo.lock").unwrap();
    assert!(lock.generated && lock.minutes <= 0.2, "{lock:?}");
    let sum: f64 = e.files.iter().map(|x| x.minutes).sum();
    assert!(
        (sum - e.total_minutes).abs() < 0.2,
        "{sum} vs {}",
        e.total_minutes
    );
}

#[test]
fn hints_from_the_syntax_layer_discount_more() {
    let d = b"diff --git a/src/c.rs b/src/c.rs\n--- a/src/c.rs\n+++ b/src/c.rs\n@@ -1,1 +1,4 @@\n fn a() {}\n+fn b() {\n+    if x { y(); }\n+}\n";
    let patch = blastradius::diff::parse(d);
    let f = PatchFacts::new(&patch);
    let plain = effort::estimate(&f, &EffortHints::default());
    let hinted = effort::estimate(
        &f,
        &EffortHints {
            moved: vec![
                ("src/c.rs".into(), 2),
                ("src/c.rs".into(), 3),
                ("src/c.rs".into(), 4),
            ],
            ..Default::default()
        },
    );
    assert_eq!(plain.files[0].reviewed_lines, 3);
    assert_eq!(hinted.files[0].moved_lines, 3);
    assert!(hinted.total_minutes < plain.total_minutes);
}

#[test]
fn logic_costs_more_than_prose() {
    let mk = |path: &str, line: &str| {
        let mut d =
            format!("diff --git a/{path} b/{path}\n--- a/{path}\n+++ b/{path}\n@@ -0,0 +1,40 @@\n");
        for i in 0..40 {
            d.push_str(&format!("+{line} {i}\n"));
        }
        d
    };
    let code = mk("src/x.c", "    if (p->len > n) n = p->len +");
    let doc = mk("docs/x.md", "Some explanatory words");
    let e = |d: &str| {
        let p = blastradius::diff::parse(d.as_bytes());
        effort::estimate(&PatchFacts::new(&p), &EffortHints::default()).total_minutes
    };
    assert!(e(&code) > 3.0 * e(&doc), "{} vs {}", e(&code), e(&doc));
}
