//! Edit classification and symbols on real commits from ../shared/corpus
//! (each test names the commit it reads; see the corpus README).

use blastradius::diff;
use blastradius::lang::SymbolKind;
use blastradius::syntax::{self, ChangeKind, EditClass, FileSyntax, Generated, SyntaxOptions};
use std::path::PathBuf;

fn corpus(rel: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn file(rel: &str, path: &str) -> FileSyntax {
    let bytes = corpus(rel);
    let patch = diff::parse(&bytes);
    syntax::analyze_patch(&patch, &SyntaxOptions::default())
        .into_iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} not in {rel}"))
}

/// datasette 0052 (ai-dev): black reformat of datasette/views/table.py —
/// calls split over lines, argument lists re-wrapped.
#[test]
fn whitespace_only_reformat_datasette_0052() {
    let f = file("ai-dev/0052.code.diff", "datasette/views/table.py");
    assert!(f.summary.whitespace >= 20, "{:?}", f.summary);
    assert_eq!(f.summary.logic, 0, "{:?}", f.edits);
    assert!(f.changes.is_empty());
}

/// sentry-python 0313 (ai-dev): sentry_sdk/integrations/pure_eval.py drops
/// a `# type: ignore` and joins the generator onto one line.
#[test]
fn comment_only_sentry_0313() {
    let f = file(
        "ai-dev/0313.code.diff",
        "sentry_sdk/integrations/pure_eval.py",
    );
    assert!(f.summary.comment > 0, "{:?}", f.summary);
    assert_eq!(f.summary.logic, 0, "{:?}", f.edits);
}

/// datasette 0160 (ai-dev): methods of `Datasette` made private
/// (`prepare_connection` -> `_prepare_connection`, …) with their callers.
#[test]
fn rename_only_datasette_0160() {
    let f = file("ai-dev/0160.code.diff", "datasette/app.py");
    assert!(f.summary.rename >= 20, "{:?}", f.summary);
    assert_eq!(f.summary.logic, 0, "{:?}", f.edits);
    assert!(f.edits.iter().any(|e| e
        .renames
        .contains(&"prepare_connection -> _prepare_connection".to_string())));
    // Each renamed method is a symbol-level change that says so.
    let renamed: Vec<(&str, Option<&str>)> = f
        .changes
        .iter()
        .filter(|c| c.change == ChangeKind::Renamed || c.change == ChangeKind::Signature)
        .map(|c| (c.name.as_str(), c.old_name.as_deref()))
        .collect();
    assert!(
        renamed.contains(&("_prepare_connection", Some("prepare_connection"))),
        "{renamed:?}"
    );
    // The enclosing chain of a changed line is the class and the method.
    assert!(f
        .symbols
        .iter()
        .any(|s| s.chain == "class Datasette > def _prepare_connection"
            && s.kind == SymbolKind::Method));
}

/// datasette 0016 (ai-dev): two SVG path strings in datasette/views/table.py
/// replaced, nothing else.
#[test]
fn literal_only_datasette_0016() {
    let f = file("ai-dev/0016.code.diff", "datasette/views/table.py");
    assert_eq!(f.summary.literal, 4, "{:?}", f.summary);
    assert_eq!(f.summary.logic, 0);
    // Intra-line ranges point into the strings.
    assert!(f.edits.iter().all(|e| !e.ranges.is_empty()));
}

/// datasette 0172 (ai-dev): tests/test_api.py moves the `no_primary_key`
/// table's expected metadata 100 lines down and flips `hidden`.
#[test]
fn moved_block_datasette_0172() {
    let f = file("ai-dev/0172.code.diff", "tests/test_api.py");
    let moved: Vec<_> = f
        .edits
        .iter()
        .filter(|e| e.class == EditClass::Moved)
        .collect();
    // Two runs: the changed `'hidden'` line splits the move.
    assert_eq!(moved.len(), 2, "{:?}", f.edits);
    for m in &moved {
        assert!(
            m.old.unwrap().start >= 116 && m.new.unwrap().start >= 208,
            "{m:?}"
        );
    }
    assert_eq!(f.summary.moved, 14, "{:?}", f.summary);
    // The flipped flag is not hidden inside the move.
    assert!(f.summary.logic + f.summary.literal > 0);
}

/// sentry-python 0313 (ai-dev): uv.lock regenerated.
#[test]
fn lockfile_sentry_0313() {
    let f = file("ai-dev/0313.code.diff", "uv.lock");
    assert_eq!(f.generated, Some(Generated::Lockfile));
    assert!(f.summary.generated > 1000);
    assert_eq!(f.summary.logic, 0);
    assert!(f.changes.is_empty());
}

/// openvswitch 0001 (risk-dev, a bug-introducing commit): logic changes in C,
/// with the enclosing function named from the hunk header when the
/// definition starts above the hunk, and a new function found in the hunk.
#[test]
fn logic_in_c_ovs_0001() {
    let f = file("risk-dev/0001.code.diff", "ofproto/ofproto-dpif-xlate.c");
    assert!(f.summary.logic > 40, "{:?}", f.summary);
    assert!(f.partial);
    assert!(f
        .changes
        .iter()
        .any(|c| c.change == ChangeKind::Added && c.name == "xport_lookup_by_uuid"));
    assert!(f
        .symbols
        .iter()
        .any(|s| s.name == "xlate_actions" && s.line == 0 && s.kind == SymbolKind::Function));
    // Every changed line has a symbol.
    let without: Vec<_> = f.lines.iter().filter(|l| l.symbol.is_none()).collect();
    assert!(
        without.len() * 10 < f.lines.len(),
        "{} of {}",
        without.len(),
        f.lines.len()
    );
}
