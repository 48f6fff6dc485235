//! Change score, explanation and critical lines: snapshots over fixtures
//! plus properties that must hold whatever the shipped weights are.

use blastradius::analyze::{analyze, Options};
use blastradius::risk::features::{CHANGE_FEATURES, LINE_FEATURES};
use blastradius::risk::model::{self, Weights};
use blastradius::risk::Tier;

fn fixture(name: &str) -> Vec<u8> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/risk")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn shipped_weights_parse_and_cover_every_feature() {
    let w: Weights = serde_json::from_str(model::SHIPPED).expect("weights.json parses");
    for (name, _) in CHANGE_FEATURES {
        assert!(
            w.change.features.iter().any(|f| f.name == *name),
            "change feature {name} has no weight"
        );
    }
    for (name, _) in LINE_FEATURES {
        assert!(
            w.line.features.iter().any(|f| f.name == *name),
            "line feature {name} has no weight"
        );
    }
    assert!(w.change.features.iter().any(|f| f.weight != 0.0));
    assert!(w.trained_on.contains("risk-dev"), "{}", w.trained_on);
}

#[test]
fn score_explanation_snapshot() {
    for name in ["c_error_path.diff", "docs_only.diff", "effort_mix.diff"] {
        let r = analyze(&fixture(name), &Options::default()).unwrap();
        insta::assert_json_snapshot!(format!("risk_{name}"), r.risk);
    }
}

#[test]
fn critical_lines_snapshot() {
    let r = analyze(&fixture("c_error_path.diff"), &Options::default()).unwrap();
    insta::assert_json_snapshot!("critical_lines_c_error_path", r.critical_lines);
}

#[test]
fn code_change_outranks_docs_change() {
    let code = analyze(&fixture("c_error_path.diff"), &Options::default()).unwrap();
    let docs = analyze(&fixture("docs_only.diff"), &Options::default()).unwrap();
    assert!(
        code.risk.score > docs.risk.score * 3.0,
        "{} vs {}",
        code.risk.score,
        docs.risk.score
    );
    assert_eq!(docs.risk.tier, Tier::Low);
    // The explanation lists the largest contributions first.
    let c: Vec<f64> = code
        .risk
        .factors
        .iter()
        .map(|f| f.contribution.abs())
        .collect();
    assert!(c.windows(2).all(|w| w[0] >= w[1]), "{c:?}");
    assert!(!code.risk.factors.is_empty() && code.risk.factors.len() <= 6);
}

#[test]
fn critical_lines_are_grouped_ranked_and_capped() {
    let r = analyze(&fixture("c_error_path.diff"), &Options::default()).unwrap();
    let cl = &r.critical_lines;
    // Every added line is ranked (16 + 3 + 1 here), under the cap of 50.
    assert_eq!(cl.len(), 20);
    let mut ranks: Vec<u32> = cl.iter().map(|c| c.rank).collect();
    ranks.sort();
    assert_eq!(ranks, (1..=20).collect::<Vec<u32>>());
    // Grouped: each (path, hunk) appears as one contiguous run.
    let mut seen = Vec::new();
    for c in cl {
        let k = (c.path.clone(), c.hunk.clone());
        if seen.last() != Some(&k) {
            assert!(!seen.contains(&k), "hunk {k:?} split");
            seen.push(k);
        }
    }
    // Rank 1 is in the first group, and scores fall with rank.
    let first = (cl[0].path.clone(), cl[0].hunk.clone());
    let top = cl.iter().find(|c| c.rank == 1).unwrap();
    assert_eq!((top.path.clone(), top.hunk.clone()), first);
    let mut by_rank = cl.clone();
    by_rank.sort_by_key(|c| c.rank);
    // Scores fall with rank among the lines of code, and among the rest.
    for group in [true, false] {
        let s: Vec<f64> = by_rank
            .iter()
            .filter(|c| is_code(&c.text) == group)
            .map(|c| c.score)
            .collect();
        assert!(s.windows(2).all(|w| w[0] >= w[1]), "{s:?}");
    }
    // The error path lines carry reasons; the brace-only line ranks below code.
    let ret = cl.iter().find(|c| c.text == "return -ENOMEM;").unwrap();
    assert!(!ret.reasons.is_empty());
    // A brace-only line never leads the list, and does not make the top 10.
    let brace = by_rank
        .iter()
        .position(|c| c.text == "}" && c.path == "lib/netdev.c")
        .unwrap();
    assert!(brace >= 10, "brace at {brace}");
}

/// Not blank, brace-only or a whole-line comment (the lexicon's reading of C).
fn is_code(text: &str) -> bool {
    let t = text.trim();
    !(t.bytes().all(|b| b"{}();, \t".contains(&b))
        || ["//", "/*", "* ", "*/"].iter().any(|p| t.starts_with(p))
        || t == "*")
}

#[test]
fn lines_of_code_come_before_comments_and_braces_unless_a_finding_pins_them() {
    // A comment alone in a file scores high on concentration alone (the
    // line model's file-size and file-share features); a reviewer should
    // still read the code first.
    let mut d = String::from(
        "diff --git a/lib/pool.c b/lib/pool.c\n--- a/lib/pool.c\n+++ b/lib/pool.c\n\
         @@ -40,3 +40,32 @@ pool_put(struct pool *p, struct item *it)\n {\n",
    );
    for i in 0..30 {
        d.push_str(&format!("+    it->slot[{i}] = p->free[{i}];\n"));
    }
    d.push_str("+\n     p->n++;\n }\n");
    d.push_str(
        "diff --git a/lib/queue.c b/lib/queue.c\n--- a/lib/queue.c\n+++ b/lib/queue.c\n\
         @@ -5,3 +5,4 @@ queue_init(struct queue *q)\n     q->n = 0;\n+    /* The caller frees the item. */\n     q->cap = 0;\n }\n",
    );
    let r = analyze(d.as_bytes(), &Options::default()).unwrap();
    let mut by_rank = r.critical_lines.clone();
    by_rank.sort_by_key(|c| c.rank);
    let texts: Vec<(&str, f64)> = by_rank.iter().map(|c| (c.text.as_str(), c.score)).collect();
    assert_eq!(by_rank.len(), 32, "{texts:?}");
    // The model alone would put a comment above a line of code.
    let best_other = by_rank
        .iter()
        .filter(|c| !is_code(&c.text))
        .map(|c| c.score)
        .fold(0.0, f64::max);
    let worst_code = by_rank
        .iter()
        .filter(|c| is_code(&c.text))
        .map(|c| c.score)
        .fold(100.0, f64::min);
    assert!(best_other > worst_code, "{texts:?}");
    let first_other = by_rank.iter().position(|c| !is_code(&c.text)).unwrap();
    assert_eq!(first_other, 30, "{texts:?}");
    assert!(by_rank[30..].iter().all(|c| !is_code(&c.text)), "{texts:?}");

    // A high finding on a comment line still puts it first.
    let d2 = d.replace(
        "/* The caller frees the item. */",
        "/* token = \"ghp_0123456789abcdefghijABCDEFGHIJ012345\" */",
    );
    let r2 = analyze(d2.as_bytes(), &Options::default()).unwrap();
    let top = r2.critical_lines.iter().find(|c| c.rank == 1).unwrap();
    assert!(top.text.contains("ghp_"), "{:?}", r2.critical_lines);
    assert!(r2
        .findings
        .iter()
        .any(|f| f.line == top.line && f.severity >= blastradius::finding::Severity::High));
}

#[test]
fn python_docstrings_rank_with_comments_after_code() {
    let d = "diff --git a/app/retry.py b/app/retry.py\n--- a/app/retry.py\n+++ b/app/retry.py\n\
@@ -3,2 +3,9 @@ import random\n \n def delays(policy):\n\
+    \"\"\"Yield each delay, capped.\n\
+\n\
+    We explicitly cap both the attempts and the total delay.\n\
+    \"\"\"\n\
+    for attempt in range(1, policy.max_attempts):\n\
+        delay = min(policy.base * 2 ** attempt, policy.cap)\n\
+        yield max(0.0, delay + random.uniform(-1, 1))\n";
    let r = analyze(d.as_bytes(), &Options::default()).unwrap();
    let mut by_rank = r.critical_lines.clone();
    by_rank.sort_by_key(|c| c.rank);
    let texts: Vec<&str> = by_rank.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(texts.len(), 7, "{texts:?}");
    // The three lines of code first, then the docstring and the blank line.
    for t in &texts[..3] {
        assert!(
            !t.contains("\"\"\"") && !t.contains("explicitly") && !t.is_empty(),
            "{texts:?}"
        );
    }
}

#[test]
fn fifty_line_cap_on_large_change() {
    let mut d = String::from(
        "diff --git a/src/big.c b/src/big.c\n--- a/src/big.c\n+++ b/src/big.c\n@@ -0,0 +1,120 @@\n",
    );
    for i in 0..120 {
        d.push_str(&format!("+    x{i} = y{i} + {i};\n"));
    }
    let r = analyze(d.as_bytes(), &Options::default()).unwrap();
    assert_eq!(r.critical_lines.len(), 50);
    assert!(r.risk.score > 0.0 && r.risk.score < 100.0);
}

#[test]
fn old_reports_without_risk_fields_still_deserialize() {
    let r = analyze(&fixture("docs_only.diff"), &Options::default()).unwrap();
    let mut v = serde_json::to_value(&r).unwrap();
    for k in ["risk", "critical_lines", "blast_radius", "effort"] {
        v.as_object_mut().unwrap().remove(k);
    }
    let back: blastradius::analyze::Report = serde_json::from_value(v).unwrap();
    assert!(back.critical_lines.is_empty());
}

/// The shipped weights are exactly what `train risk` produces on the shared
/// corpus (skipped when the corpus is not checked out beside the crate).
#[test]
fn shipped_weights_reproduce_from_corpus() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = root.join("../shared/corpus/risk-dev");
    if !corpus.join("labels.csv").exists() {
        eprintln!("skipped: {} not found", corpus.display());
        return;
    }
    let out = std::env::temp_dir().join(format!("br-risk-weights-{}.json", std::process::id()));
    let st = assert_cmd::Command::cargo_bin("blastradius")
        .unwrap()
        .args(["train", "risk"])
        .arg(&corpus)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    let fresh = std::fs::read_to_string(&out).unwrap();
    let _ = std::fs::remove_file(&out);
    assert_eq!(
        fresh,
        model::SHIPPED,
        "src/risk/weights.json is stale: run `blastradius train risk ../shared/corpus/risk-dev`"
    );
}

#[test]
fn configuration_keys_are_not_public_api_in_the_score() {
    // Deleting a CI workflow removes YAML keys, which the syntax layer sees
    // as definitions; they have no callers, so the public-API prior must not
    // fire (the public-api-changed rule already leaves them out).
    let mut yaml = String::from(
        "diff --git a/.github/workflows/ci.yml b/.github/workflows/ci.yml\n\
         deleted file mode 100644\nindex 4aa676d..0000000\n\
         --- a/.github/workflows/ci.yml\n+++ /dev/null\n@@ -1,6 +0,0 @@\n",
    );
    for l in [
        "name: CI",
        "on:",
        "  push:",
        "jobs:",
        "  test:",
        "    runs-on: ubuntu-latest",
    ] {
        yaml.push_str(&format!("-{l}\n"));
    }
    let r = analyze(yaml.as_bytes(), &Options::default()).unwrap();
    assert!(
        r.risk.factors.iter().all(|f| f.name != "public_api"),
        "{:?}",
        r.risk.factors
    );
    // The same prior still fires for a public function that disappears.
    let py = "diff --git a/pkg/api.py b/pkg/api.py\nindex 1111111..2222222 100644\n\
              --- a/pkg/api.py\n+++ b/pkg/api.py\n@@ -1,6 +1,2 @@\n import os\n-\n\
              -def charge(amount, currency):\n-    return os.getenv(currency) + amount\n\
              -\n-\n x = 1\n";
    let r = analyze(py.as_bytes(), &Options::default()).unwrap();
    assert!(
        r.risk.factors.iter().any(|f| f.name == "public_api"),
        "{:?}",
        r.risk.factors
    );
}

#[test]
fn data_files_get_no_code_reasons() {
    // A CI workflow's keys and values: `runs-on` is not a subtraction and
    // `[ubuntu-latest]` not an index; the same text in C would be.
    let body = [
        "name: Test",
        "on: [push]",
        "jobs:",
        "  test:",
        "    runs-on: ${{ matrix.platform }}",
        "    strategy:",
        "      matrix:",
        "        platform: [ubuntu-latest]",
        "        python-version: [\"3.8\", \"3.9\"]",
        "    steps:",
        "    # check out first",
        "    - run: test -f x && make -j2 >out",
    ];
    let diff = |path: &str| {
        let mut d = format!(
            "diff --git a/{path} b/{path}\nnew file mode 100644\nindex 0000000..1111111\n\
             --- /dev/null\n+++ b/{path}\n@@ -0,0 +1,{} @@\n",
            body.len()
        );
        for l in body {
            d.push_str(&format!("+{l}\n"));
        }
        d
    };
    let code_words = ["arithmetic", "pointer", "comparison", "assignment", "call"];
    let yaml = analyze(
        diff(".github/workflows/t.yml").as_bytes(),
        &Options::default(),
    )
    .unwrap();
    assert_eq!(yaml.critical_lines.len(), body.len());
    for l in &yaml.critical_lines {
        assert!(
            !l.reasons
                .iter()
                .any(|r| code_words.iter().any(|w| r.contains(w))),
            "{}: {:?}",
            l.text,
            l.reasons
        );
    }
    // The comment ranks last.
    assert_eq!(
        yaml.critical_lines
            .iter()
            .max_by_key(|l| l.rank)
            .unwrap()
            .text,
        "# check out first"
    );
    // The same lines read as C do carry code facts: the test can fail.
    let c = analyze(diff("src/t.c").as_bytes(), &Options::default()).unwrap();
    assert!(c.critical_lines.iter().any(|l| l
        .reasons
        .iter()
        .any(|r| code_words.iter().any(|w| r.contains(w)))));
}
