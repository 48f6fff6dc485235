//! Snapshots of the authorship section and its findings (the explanations
//! a reviewer reads) over tests/fixtures/ai. A fixture may have sidecars:
//! `<name>.pr.json` (PR metadata), `<name>.note` (git-ai note for the
//! patch's commit, or for the plain diff), `<name>.trace.json`,
//! `<name>.manifest` (a pyproject.toml).

use blastradius::analyze::{analyze, Options};
use blastradius::finding::Category;

fn options_for(path: &std::path::Path) -> Options {
    let mut opts = Options::default();
    let stem = path.with_extension("");
    let side = |ext: &str| std::fs::read_to_string(stem.with_extension(ext)).ok();
    if let Some(pr) = side("pr.json") {
        opts.pr = Some(serde_json::from_str(&pr).expect("pr.json parses"));
    }
    if let Some(note) = side("note") {
        let input = std::fs::read(path).expect("fixture");
        let patch = blastradius::diff::parse(&input);
        let sha = patch
            .commits
            .first()
            .and_then(|c| c.sha.as_deref())
            .unwrap_or("")
            .to_string();
        opts.ai_notes.insert(sha, note);
    }
    if let Some(t) = side("trace.json") {
        opts.agent_traces.push(t);
    }
    if let Some(m) = side("manifest") {
        opts.manifests.insert("pyproject.toml".into(), m);
    }
    opts
}

#[test]
fn authorship_over_fixtures() {
    insta::glob!("fixtures/ai/*.{patch,diff,log}", |path| {
        let input = std::fs::read(path).expect("fixture is readable");
        let r = analyze(&input, &options_for(path)).expect("fixture is a diff");
        let findings: Vec<_> = r
            .findings
            .iter()
            .filter(|f| f.category == Category::Authorship)
            .collect();
        insta::assert_json_snapshot!(
            "authorship",
            serde_json::json!({"authorship": r.authorship, "findings": findings})
        );
    });
}

#[test]
fn explanations_never_say_human() {
    insta::glob!("fixtures/ai/*.{patch,diff,log}", |path| {
        let input = std::fs::read(path).expect("fixture is readable");
        let r = analyze(&input, &options_for(path)).expect("fixture is a diff");
        let json = serde_json::to_string(&r.authorship).unwrap().to_lowercase();
        assert!(!json.contains("\"human\""), "{}", path.display());
        for f in r
            .findings
            .iter()
            .filter(|f| f.category == Category::Authorship)
        {
            let text = format!("{} {}", f.message, f.explanation).to_lowercase();
            assert!(
                !text.contains("written by a human") && !text.contains("is human"),
                "{text}"
            );
        }
    });
}
