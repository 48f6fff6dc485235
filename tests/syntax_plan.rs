//! Which full files the extension should fetch for a diff
//! (`syntax::plan::fetch_plan`).

use blastradius::syntax::plan::fetch_plan;

const DIFF: &str = "\
diff --git a/src/cache.rs b/src/cache.rs
index 1111111..2222222 100644
--- a/src/cache.rs
+++ b/src/cache.rs
@@ -10,3 +10,4 @@ impl Cache {
     fn evict(&mut self) {
-        self.map.clear();
+        self.map.retain(|_, v| v.live());
+        self.stats.evictions += 1;
     }
diff --git a/app/old_name.py b/app/new_name.py
similarity index 90%
rename from app/old_name.py
rename to app/new_name.py
index 3333333..4444444 100644
--- a/app/old_name.py
+++ b/app/new_name.py
@@ -1,2 +1,2 @@
-def f(): return 1
+def f(): return 2
 x = 1
diff --git a/web/new.ts b/web/new.ts
new file mode 100644
index 0000000..5555555
--- /dev/null
+++ b/web/new.ts
@@ -0,0 +1 @@
+export const a = 1;
diff --git a/Cargo.lock b/Cargo.lock
index 6666666..7777777 100644
--- a/Cargo.lock
+++ b/Cargo.lock
@@ -1 +1 @@
-version = 3
+version = 4
diff --git a/img/logo.png b/img/logo.png
index 8888888..9999999 100644
Binary files a/img/logo.png and b/img/logo.png differ
diff --git a/notes.unknownext b/notes.unknownext
index aaaaaaa..bbbbbbb 100644
--- a/notes.unknownext
+++ b/notes.unknownext
@@ -1 +1 @@
-a
+b
diff --git a/bin/deploy b/bin/deploy
index ccccccc..ddddddd 100755
--- a/bin/deploy
+++ b/bin/deploy
@@ -1,2 +1,2 @@
 #!/bin/bash
-rm -f /tmp/x
+rm -rf /tmp/x
diff --git a/old.go b/new.go
similarity index 100%
rename from old.go
rename to new.go
";

#[test]
fn plan_lists_modified_source_files_most_changed_first_with_base_and_head_paths() {
    let patch = blastradius::diff::parse(DIFF.as_bytes());
    let plan = fetch_plan(&patch, 10);
    type Row<'a> = (&'a str, Option<&'a str>, Option<&'a str>, &'a str, u32);
    let got: Vec<Row> = plan
        .iter()
        .map(|w| {
            (
                w.path.as_str(),
                w.base_path.as_deref(),
                w.head_path.as_deref(),
                w.language.as_str(),
                w.changed,
            )
        })
        .collect();
    // Not listed: the added file (its hunk is the whole file), the lockfile,
    // the binary, the unknown extension and the pure rename (no hunks).
    assert_eq!(
        got,
        vec![
            (
                "src/cache.rs",
                Some("src/cache.rs"),
                Some("src/cache.rs"),
                "Rust",
                3
            ),
            // Detected by its shebang; ties broken by path.
            (
                "app/new_name.py",
                Some("app/old_name.py"),
                Some("app/new_name.py"),
                "Python",
                2
            ),
            (
                "bin/deploy",
                Some("bin/deploy"),
                Some("bin/deploy"),
                "Bash",
                2
            ),
        ]
    );
}

#[test]
fn plan_is_capped_and_empty_for_no_diff() {
    let patch = blastradius::diff::parse(DIFF.as_bytes());
    let plan = fetch_plan(&patch, 1);
    assert_eq!(plan.len(), 1);
    assert_eq!(plan[0].path, "src/cache.rs");
    assert!(fetch_plan(&blastradius::diff::parse(b"not a diff"), 10).is_empty());
}

#[test]
fn the_default_build_leaves_no_grammar_out() {
    // Dockerfile has no grammar in any build: not "left out".
    for l in blastradius::lang::Lang::all() {
        assert!(!l.grammar_left_out(), "{}", l.name());
    }
    let diff =
        "diff --git a/A.cs b/A.cs\n--- a/A.cs\n+++ b/A.cs\n@@ -1 +1 @@\n-class A {}\n+class B {}\n";
    let patch = blastradius::diff::parse(diff.as_bytes());
    assert!(blastradius::syntax::plan::grammars_left_out(&patch).is_empty());
}

#[test]
fn one_plan_carries_both_answers() {
    let patch = blastradius::diff::parse(DIFF.as_bytes());
    let p = blastradius::syntax::plan::plan(&patch, 2);
    assert_eq!(p.files, fetch_plan(&patch, 2));
    assert_eq!(
        p.grammars_left_out,
        blastradius::syntax::plan::grammars_left_out(&patch)
    );
    // The size of the diff: its `+` and `-` lines, headers aside.
    let changed = DIFF
        .lines()
        .filter(|l| {
            (l.starts_with('+') || l.starts_with('-'))
                && !l.starts_with("+++ ")
                && !l.starts_with("--- ")
        })
        .count() as u64;
    assert!(changed > 5);
    assert_eq!(p.changed_lines, changed);
    let none = blastradius::diff::parse(b"not a diff");
    assert_eq!(blastradius::syntax::plan::plan(&none, 2).changed_lines, 0);
}
