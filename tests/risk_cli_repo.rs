//! `blastradius risk` reads the repository for blast radius: in a git work
//! tree the files git lists (tracked, and untracked ones it does not
//! ignore), elsewhere every file under `--repo`.

mod common;

use assert_cmd::Command;
use common::git;
use std::path::{Path, PathBuf};

const DIFF: &str = "diff --git a/lib/util.c b/lib/util.c
--- a/lib/util.c
+++ b/lib/util.c
@@ -1,4 +1,4 @@
 int util_sum(int a, int b)
 {
-    return a + b;
+    return a - b;
 }
";

/// `lib/util.c` defines `util_sum`; `src/a.c` (tracked) calls it once,
/// `src/new.c` (untracked) twice, `build/gen.c` (ignored) forty times, and
/// `node_modules/x/y.c` (tracked, though the walk would skip it) three
/// times.
fn tree(name: &str, with_git: bool) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("br-risk-repo-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let w = |p: &str, t: String| {
        let f = dir.join(p);
        std::fs::create_dir_all(f.parent().unwrap()).unwrap();
        std::fs::write(f, t).unwrap();
    };
    w(
        "lib/util.c",
        "int util_sum(int a, int b)\n{\n    return a + b;\n}\n".into(),
    );
    w("src/a.c", "int a(void) { return util_sum(1, 2); }\n".into());
    w(
        "node_modules/x/y.c",
        "int y(void) { return util_sum(1, 2) + util_sum(3, 4) + util_sum(5, 6); }\n".into(),
    );
    w(".gitignore", "build/\n".into());
    if with_git {
        git(&dir, &["init", "-q"]);
        git(&dir, &["add", "-A"]);
        git(&dir, &["add", "-f", "node_modules/x/y.c"]);
        git(
            &dir,
            &[
                "-c",
                "user.email=t@example.com",
                "-c",
                "user.name=t",
                "commit",
                "-qm",
                "init",
            ],
        );
    }
    w(
        "src/new.c",
        "int n(void) { return util_sum(0, 1) * util_sum(1, 0); }\n".into(),
    );
    w("build/gen.c", "x = util_sum(0, 0);\n".repeat(40));
    dir
}

/// `util_sum`'s references and referencing files in `risk --format json`.
fn fan_in(dir: &Path, args: &[&str]) -> (u64, u64) {
    let out = Command::cargo_bin("blastradius")
        .unwrap()
        .current_dir(dir)
        .args(["risk", "--format", "json"])
        .args(args)
        .write_stdin(DIFF)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let s = v["blast_radius"]["symbols"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "util_sum")
        .expect("util_sum is a changed symbol")
        .clone();
    (
        s["references"].as_u64().unwrap(),
        s["referencing_files"].as_u64().unwrap(),
    )
}

#[test]
fn a_git_work_tree_is_read_as_git_lists_it() {
    let dir = tree("git", true);
    // a.c 1 + new.c 2 + node_modules 3; the ignored build/gen.c's 40 do
    // not count.
    assert_eq!(fan_in(&dir, &[]), (6, 3));
    // The same from a subdirectory, naming the root.
    assert_eq!(fan_in(&dir.join("src"), &["--repo", ".."]), (6, 3));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_plain_directory_is_walked() {
    let dir = tree("plain", false);
    // Outside git: a.c 1 + new.c 2 + build/gen.c 40; node_modules is
    // skipped by name.
    assert_eq!(fan_in(&dir, &["--repo", "."]), (43, 3));
    let _ = std::fs::remove_dir_all(&dir);
}
