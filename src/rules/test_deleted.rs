use super::{clip, Ctx};
use crate::diff::FileStatus;
use crate::finding::{Category, Confidence, Finding, Severity, Side};
use crate::lang::Lang;
use crate::syntax::symbols::has_word;
use crate::syntax::{self, HunkSide};
use std::collections::HashSet;

crate::declare_rule! {
    /// ## What it does
    /// Flags test functions that the change deletes: Rust `#[test]`
    /// functions, Python `test_*` functions and methods, and JavaScript /
    /// TypeScript `it(…)` / `test(…)` cases, plus whole test files deleted.
    /// A test that reappears under the same name elsewhere in the diff
    /// (moved) is not reported.
    ///
    /// ## Why it matters
    /// Deleting a test is the quickest way to make a failing change pass.
    /// A reviewer reading the new code does not see what is no longer
    /// checked.
    ///
    /// ## Example
    /// ```diff
    /// -#[test]
    /// -fn rejects_expired_tokens() { … }
    /// ```
    /// Check that the behaviour the test covered is gone on purpose, or is
    /// covered by another test.
    ///
    /// Dotfiles, build files and prose in a test directory (`.gitignore`,
    /// `Makefile`, `README.md`) are not test files.
    ///
    /// ## False positives
    /// Tests replaced by a differently named, equivalent test; obsolete
    /// tests of removed features.
    pub static RULE = {
        id: "test-deleted",
        category: Category::Risk,
        severity: Severity::Warning,
        confidence: Confidence::High,
        summary: "A test function or test file is deleted",
        languages: &[Lang::Rust, Lang::Python, Lang::JavaScript, Lang::TypeScript, Lang::Tsx],
        check: check,
    }
}

/// Test definitions on one side of every hunk of a file: (name, first row
/// line number, whether the definition line is changed).
fn tests_in(ctx: &Ctx<'_>, fi: usize, lang: Lang, side: HunkSide) -> Vec<(String, u32, u32, bool)> {
    let Some(f) = ctx.patch.files.get(fi) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for hi in 0..f.hunks.len() {
        // On the old side only tests that lose lines can be deleted: a hunk
        // without removed lines has none (its tests would not be `changed`).
        if side == HunkSide::Old
            && !f.hunks[hi]
                .lines
                .iter()
                .any(|l| l.kind == crate::diff::LineKind::Removed)
        {
            continue;
        }
        if !may_hold_tests(ctx, &f.hunks[hi], side, lang) {
            continue;
        }
        let Some(parsed) = ctx.hunk_tree(fi, hi, side, lang) else {
            continue;
        };
        let (st, tree) = (&parsed.side, &parsed.tree);
        let src = |n: tree_sitter::Node<'_>| st.text.get(n.byte_range()).unwrap_or("").to_string();
        syntax::walk(tree, |n| {
            let name = match (lang, n.kind()) {
                (Lang::Rust, "function_item") => {
                    let mut prev = n.prev_sibling();
                    let mut is_test = false;
                    while let Some(p) = prev {
                        if p.kind() != "attribute_item" {
                            break;
                        }
                        let a = src(p);
                        if a.contains("test") && !a.contains("cfg(") {
                            is_test = true;
                        }
                        prev = p.prev_sibling();
                    }
                    if is_test {
                        n.child_by_field_name("name").map(src)
                    } else {
                        None
                    }
                }
                (Lang::Python, "function_definition") => n
                    .child_by_field_name("name")
                    .map(src)
                    .filter(|s| s.starts_with("test")),
                (Lang::JavaScript | Lang::TypeScript | Lang::Tsx, "call_expression") => {
                    let func = n
                        .child_by_field_name("function")
                        .map(src)
                        .unwrap_or_default();
                    if matches!(func.as_str(), "it" | "test" | "it.only" | "test.only") {
                        n.child_by_field_name("arguments")
                            .and_then(|a| a.named_child(0))
                            .filter(|a| matches!(a.kind(), "string" | "template_string"))
                            .map(|a| src(a).trim_matches(['"', '\'', '`']).to_string())
                    } else {
                        None
                    }
                }
                _ => None,
            };
            if let Some(name) = name {
                let r0 = n.start_position().row;
                let r1 = n.end_position().row;
                let def_changed = st.changed.get(r0).copied().unwrap_or(false);
                out.push((
                    name,
                    st.line_of_row(r0),
                    st.line_of_row(r1.min(st.line_numbers.len().saturating_sub(1))),
                    def_changed,
                ));
            }
        });
    }
    out
}

/// Whether a side of a hunk can hold a test definition `tests_in` reads,
/// without parsing it: each needs `test` in its text (a Rust `#[…test…]`
/// attribute, a Python `test…` name, a JavaScript `test(…)`) or, in
/// JavaScript and TypeScript, the word `it`.
fn may_hold_tests(ctx: &Ctx<'_>, h: &crate::diff::Hunk, side: HunkSide, lang: Lang) -> bool {
    use crate::diff::LineKind;
    let skip = match side {
        HunkSide::New => LineKind::Removed,
        HunkSide::Old => LineKind::Added,
    };
    let js = matches!(lang, Lang::JavaScript | Lang::TypeScript | Lang::Tsx);
    h.lines.iter().filter(|l| l.kind != skip).any(|l| {
        let t = ctx.patch.line_text(l);
        t.contains("test") || js && has_word(&t, "it")
    })
}

/// Files that live in a test directory without being tests: dotfiles
/// (`.gitignore`, `.editorconfig`) and build files (prose is `is_doc`).
/// Deleting them removes no check.
fn support_file(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    file.starts_with('.')
        || file.starts_with("makefile")
        || file.starts_with("readme")
        || file.starts_with("requirements")
        || file.starts_with("constraints")
        || matches!(
            file.as_str(),
            "cmakelists.txt" | "meson.build" | "build.gradle" | "license" | "owners" | "codeowners"
        )
        || file.ends_with(".mk")
        || file.ends_with(".cmake")
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    // Names of tests that exist (added or kept) on the new side anywhere,
    // read only once an old-side test lost lines.
    let mut new_names: Option<HashSet<String>> = None;
    let new_names_of = || {
        let mut names = HashSet::new();
        for (fi, fc) in ctx.files.iter().enumerate() {
            if let Some(lang) = fc.lang.filter(|l| RULE.languages.contains(l)) {
                for (name, ..) in tests_in(ctx, fi, lang, HunkSide::New) {
                    names.insert(name);
                }
            }
        }
        names
    };
    for (fi, f) in ctx.patch.files.iter().enumerate() {
        let fc = &ctx.files[fi];
        if f.status == FileStatus::Deleted && fc.is_test && !fc.is_doc && !support_file(f.path()) {
            let mut fd = ctx.finding(&RULE, f, Side::Old, 1, f.deleted.max(1));
            fd.message = format!("Test file deleted ({} lines)", f.deleted);
            fd.explanation = "A whole test file is removed. Check that what it tested was removed \
                on purpose or is tested elsewhere in this change."
                .to_string();
            fd.evidence = f.path().to_string();
            out.push(fd);
            continue;
        }
        let Some(lang) = fc.lang.filter(|l| RULE.languages.contains(l)) else {
            continue;
        };
        for (name, start, end, changed) in tests_in(ctx, fi, lang, HunkSide::Old) {
            if !changed || new_names.get_or_insert_with(new_names_of).contains(&name) {
                continue;
            }
            let mut fd = ctx.finding(&RULE, f, Side::Old, start, end);
            fd.message = format!("Test `{}` is deleted", clip(&name, 80));
            fd.explanation =
                "Deleting a test is the quickest way to make a failing change pass, and \
                the new code does not show what is no longer checked. Check that the behaviour it \
                covered is gone on purpose or is covered by another test."
                    .to_string();
            fd.evidence = clip(&name, 120);
            if fc.is_test || f.status == FileStatus::Modified {
                fd.severity = Severity::Warning;
            }
            out.push(fd);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::syntax::symbols::has_word;

    #[test]
    fn the_word_it_only_as_a_word() {
        for yes in ["it('works', () => {", "  it.only(\"x\")", "x;it", "(it)"] {
            assert!(has_word(yes, "it"), "{yes}");
        }
        for no in ["const item = split(edit);", "with(limit)", "_it(", "itself"] {
            assert!(!has_word(no, "it"), "{no}");
        }
    }
}
