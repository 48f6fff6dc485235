//! Test code inside Rust source files. Rust keeps unit tests next to the
//! code they test (`#[cfg(test)] mod tests { … }` at the end of
//! `src/lib.rs`), so a path alone cannot say whether a line is a test:
//! a `.unwrap()` or a `thread::sleep` in a `#[test]` function is not the
//! risk it would be in the library, and an assertion removed from it is a
//! weakened test. Read from the hunk's own lines by indentation: a line is
//! test code when it, or a line enclosing it, is an item marked
//! `#[cfg(test)]`, `#[test]` (or `#[tokio::test]`, `#[rstest]`…) or a
//! `mod tests`; a hunk git headed with `mod tests {` starts inside one.

use super::{indent, LineSet};
use crate::diff::{FileDiff, LineKind, Patch};

/// An attribute that makes the item after it test code.
fn test_attribute(a: &str) -> bool {
    crate::syntax::symbols::rust_test_attribute(a).is_some()
}

/// `mod tests {`, `pub(crate) mod test {`, `mod tests;`.
fn test_module(t: &str) -> bool {
    let mut t = t.trim_start();
    if let Some(rest) = t.strip_prefix("pub") {
        t = rest.trim_start();
        if t.starts_with('(') {
            t = t.find(')').map_or("", |i| &t[i + 1..]).trim_start();
        }
    }
    let Some(rest) = t.strip_prefix("mod ") else {
        return false;
    };
    let name: &str = rest
        .trim_start()
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .next()
        .unwrap_or("");
    matches!(name, "test" | "tests")
}

/// For each of one side's rows of a hunk (its text, in order), whether it
/// is test code; `section` is the hunk's header line as git wrote it.
pub fn mark(rows: &[&str], section: &str) -> Vec<bool> {
    // Open items: (indentation, is test). A row belongs to the nearest
    // row above it that is indented less.
    let mut open: Vec<(usize, bool)> = Vec::new();
    if test_module(section) {
        // Git names the last unindented line above the hunk: rows indented
        // deeper than it are inside it until an unindented row closes it.
        open.push((0, true));
    }
    let mut pending = false;
    let mut out = Vec::with_capacity(rows.len());
    for t in rows {
        let inside = |open: &[(usize, bool)]| open.last().is_some_and(|e| e.1);
        let trimmed = t.trim();
        if trimmed.is_empty() {
            out.push(inside(&open) || pending);
            continue;
        }
        let ind = indent(t);
        while open.last().is_some_and(|e| ind <= e.0) {
            open.pop();
        }
        let parent = inside(&open);
        if trimmed.starts_with("//") {
            out.push(parent || pending);
            continue;
        }
        // An attribute on a line of its own applies to the next item.
        if trimmed.starts_with("#[") && trimmed.ends_with(']') {
            pending |= test_attribute(trimmed);
            out.push(parent || pending);
            continue;
        }
        let test = parent || pending || test_attribute(trimmed) || test_module(trimmed);
        pending = false;
        out.push(test);
        open.push((ind, test));
    }
    out
}

/// The lines of a Rust file's hunks that are test code; empty for a file
/// in another language. See [`super::Ctx::in_test`].
pub fn test_lines(patch: &Patch<'_>, f: &FileDiff<'_>, lang_id: Option<&str>) -> LineSet {
    let mut out = LineSet::default();
    if lang_id != Some("rust") {
        return out;
    }
    for h in &f.hunks {
        let section = patch.text(h.section);
        // Each side's rows in order: the new side, then the old.
        for drop in [LineKind::Removed, LineKind::Added] {
            let lines: Vec<_> = h.lines.iter().filter(|l| l.kind != drop).collect();
            let texts: Vec<_> = lines.iter().map(|l| patch.line_text(l)).collect();
            let rows: Vec<&str> = texts.iter().map(|t| t.as_ref()).collect();
            for (l, test) in lines.iter().zip(mark(&rows, &section)) {
                // A context line is on both sides; it is kept by its new number.
                if test && (drop == LineKind::Removed || l.kind == LineKind::Removed) {
                    out.insert(l);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(src: &str, section: &str) -> Vec<usize> {
        let rows: Vec<&str> = src.lines().collect();
        mark(&rows, section)
            .iter()
            .enumerate()
            .filter(|(_, t)| **t)
            .map(|(i, _)| i + 1)
            .collect()
    }

    #[test]
    fn attributes_and_modules_make_test_code() {
        let src = "\
pub fn parse(s: &str) -> u32 {
    s.parse().unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses() {
        assert_eq!(parse(\"1\"), 1);
    }
}
pub fn after() {}
";
        assert_eq!(marked(src, ""), [5, 6, 7, 8, 9, 10, 11, 12]);
        // A test function outside any test module, then library code.
        let src = "\
#[tokio::test(flavor = \"multi_thread\")]
async fn runs() {
    run().await.unwrap();
}
fn helper() {
    x.unwrap();
}
";
        assert_eq!(marked(src, ""), [1, 2, 3]);
        // An item marked on its own line with a comment between.
        let src = "#[cfg(test)]\n// for the tests\nimpl Sleeper {\n    fn nap(&self) {\n        std::thread::sleep(D);\n    }\n}\nimpl Real {\n    fn go(&self) {}\n}\n";
        assert_eq!(marked(src, ""), [1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn not_test_is_library_code() {
        let src = "#[cfg(not(test))]\nfn real() {\n    x.unwrap();\n}\n#[cfg(feature = \"testing\")]\nfn f() {}\n#[cfg_attr(test, derive(Debug))]\nstruct S;\n";
        assert!(marked(src, "").is_empty());
        assert!(test_attribute("#[cfg(all(test, feature = \"std\"))]"));
        assert!(test_attribute("#[test]"));
        assert!(test_attribute("#[rstest]"));
        assert!(!test_attribute("#[cfg(testing)]"));
        assert!(!test_attribute("#[should_panic]"));
    }

    #[test]
    fn a_hunk_git_headed_with_a_test_module_starts_inside_it() {
        let src = "        f().unwrap();\n    }\n\n    fn b() {}\n}\n\nfn lib() {\n    g().unwrap();\n}\n";
        assert_eq!(marked(src, "mod tests {"), [1, 2, 3, 4]);
        assert!(marked(src, "impl Foo {").is_empty());
        assert!(test_module("pub(crate) mod tests {"));
        assert!(test_module("mod test;"));
        assert!(!test_module("mod testing {"));
        assert!(!test_module("mod tests_util {"));
    }
}
