//! Blast radius on a small repository the test builds in a temporary
//! directory, and the partial estimate without one.

use blastradius::risk::blast::{self, Radius, RepoIndex};
use blastradius::risk::features::PatchFacts;
use std::path::{Path, PathBuf};

struct TempRepo(PathBuf);
impl Drop for TempRepo {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn build_repo(tag: &str) -> TempRepo {
    let dir = std::env::temp_dir().join(format!("br-risk-blast-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let w = |p: &str, t: &str| {
        let f = dir.join(p);
        std::fs::create_dir_all(f.parent().unwrap()).unwrap();
        std::fs::write(f, t).unwrap();
    };
    w("lib/util.h", "int util_sum(int a, int b);\n");
    w(
        "lib/util.c",
        "#include \"util.h\"\nint util_sum(int a, int b)\n{\n    return a + b;\n}\n",
    );
    for i in 0..12 {
        w(
            &format!("src/user{i}.c"),
            &format!("#include \"lib/util.h\"\nint f{i}(void) {{ return util_sum({i}, 1) + util_sum(2, 3); }}\n"),
        );
    }
    w("src/lonely.c", "static int lonely_helper(void)\n{\n    return 1;\n}\nint entry(void) { return lonely_helper(); }\n");
    w(
        "tests/test_util.c",
        "#include \"lib/util.h\"\nint t(void) { return util_sum(0, 0); }\n",
    );
    TempRepo(dir)
}

/// What the CLI does: read every text file under the root.
fn index(root: &Path) -> RepoIndex {
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                files.push(blast::RepoFile {
                    path: rel,
                    text: std::fs::read_to_string(&p).unwrap(),
                });
            }
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    RepoIndex { files }
}

const DIFF: &str = "diff --git a/lib/util.c b/lib/util.c
--- a/lib/util.c
+++ b/lib/util.c
@@ -1,5 +1,5 @@
 #include \"util.h\"
 int util_sum(int a, int b)
 {
-    return a + b;
+    return a - b;
 }
diff --git a/src/lonely.c b/src/lonely.c
--- a/src/lonely.c
+++ b/src/lonely.c
@@ -1,4 +1,4 @@
 static int lonely_helper(void)
 {
-    return 1;
+    return 2;
 }
";

#[test]
fn fan_in_and_dependents_from_a_real_repository() {
    let repo = build_repo("fanin");
    let idx = index(&repo.0);
    let patch = blastradius::diff::parse(DIFF.as_bytes());
    let facts = PatchFacts::new(&patch);
    let b = blast::estimate(&facts, &[], Some(&idx));
    assert!(!b.partial);
    insta::assert_json_snapshot!("blast_fixture_repo", b);
    let sum = b
        .symbols
        .iter()
        .find(|s| s.name == "util_sum")
        .expect("util_sum found from the hunk header");
    // 12 users × 2 calls + 1 test call + the header declaration; the
    // definition in util.c is not a reference.
    assert_eq!(sum.references, Some(26));
    assert_eq!(sum.referencing_files, Some(14));
    assert_eq!(sum.radius, Radius::Wide);
    let lonely = b
        .symbols
        .iter()
        .find(|s| s.name == "lonely_helper")
        .unwrap();
    assert_eq!(lonely.references, Some(1));
    assert_eq!(lonely.referencing_files, Some(0));
    assert_eq!(lonely.radius, Radius::Narrow);
    let lonely_file = b.files.iter().find(|f| f.path == "src/lonely.c").unwrap();
    assert_eq!(lonely_file.dependents, Some(0));
    assert_eq!(lonely_file.radius, Radius::Narrow);
    assert_eq!(b.radius, Radius::Wide);
}

#[test]
fn header_dependents_are_counted() {
    let repo = build_repo("header");
    let idx = index(&repo.0);
    let d = "diff --git a/lib/util.h b/lib/util.h\n--- a/lib/util.h\n+++ b/lib/util.h\n@@ -1 +1 @@\n-int util_sum(int a, int b);\n+long util_sum(int a, int b);\n";
    let patch = blastradius::diff::parse(d.as_bytes());
    let b = blast::estimate(&PatchFacts::new(&patch), &[], Some(&idx));
    let f = &b.files[0];
    // util.c, 12 users and the test include it.
    assert_eq!(f.dependents, Some(14));
    assert_eq!(f.radius, Radius::Wide);
    assert_eq!(f.dependent_examples.len(), 5);
}

#[test]
fn without_a_repository_the_estimate_is_partial_and_path_based() {
    let d = "diff --git a/.github/workflows/ci.yml b/.github/workflows/ci.yml\n--- a/.github/workflows/ci.yml\n+++ b/.github/workflows/ci.yml\n@@ -1 +1 @@\n-on: push\n+on: [push, pull_request]\ndiff --git a/app/views/page.py b/app/views/page.py\n--- a/app/views/page.py\n+++ b/app/views/page.py\n@@ -1 +1 @@\n-x = 1\n+x = 2\ndiff --git a/Dockerfile b/Dockerfile\n--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1 +1 @@\n-FROM debian:11\n+FROM debian:12\n";
    let patch = blastradius::diff::parse(d.as_bytes());
    let facts = PatchFacts::new(&patch);
    let b = blast::estimate(&facts, &[], None);
    assert!(b.partial);
    let r = |p: &str| b.files.iter().find(|f| f.path == p).unwrap().radius;
    assert_eq!(r(".github/workflows/ci.yml"), Radius::Wide);
    assert_eq!(r("Dockerfile"), Radius::Wide);
    assert_eq!(r("app/views/page.py"), Radius::Narrow);
    assert!(b.files.iter().all(|f| f.dependents.is_none()));
    // Policy can widen any path.
    let p = blast::estimate(&facts, &["app/views/**".to_string()], None);
    assert_eq!(
        p.files
            .iter()
            .find(|f| f.path == "app/views/page.py")
            .unwrap()
            .radius,
        Radius::Wide
    );
}

#[test]
fn risk_subcommand_reads_the_repository() {
    let repo = build_repo("cli");
    // Outside the repository, so the diff's own text is not counted.
    let diff = std::env::temp_dir().join(format!("br-risk-cli-{}.diff", std::process::id()));
    std::fs::write(&diff, DIFF).unwrap();
    let out = assert_cmd::Command::cargo_bin("blastradius")
        .unwrap()
        .args(["risk", "--format", "json", "--repo"])
        .arg(&repo.0)
        .arg(&diff)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["blast_radius"]["partial"], false);
    let sym = v["blast_radius"]["symbols"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "util_sum")
        .unwrap();
    assert_eq!(sym["references"], 26);
    assert!(v["risk"]["score"].as_f64().unwrap() > 0.0);
    assert!(v["effort"]["total_minutes"].as_f64().unwrap() > 0.0);
    assert_eq!(v["critical_lines"].as_array().unwrap().len(), 2);
}
