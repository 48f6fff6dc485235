use super::*;
use crate::diff;

fn one(diff_text: &str, opts: &SyntaxOptions) -> FileSyntax {
    let patch = diff::parse(diff_text.as_bytes());
    analyze_patch(&patch, opts).pop().expect("one file")
}

const RUST_DIFF: &str = "diff --git a/src/a.rs b/src/a.rs
--- a/src/a.rs
+++ b/src/a.rs
@@ -1,5 +1,5 @@
 impl Cache {
     pub fn evict(&mut self) {
-        self.n = 1;
+        self.n = 2;
     }
 }
";

#[test]
fn hunk_text_gives_partial_symbols() {
    let r = one(RUST_DIFF, &SyntaxOptions::default());
    assert_eq!(r.source, Source::Hunks);
    assert!(r.partial);
    assert_eq!(r.lines.len(), 2);
    let s = &r.symbols[r.lines[0].symbol.unwrap() as usize];
    assert_eq!(s.chain, "impl Cache > fn evict");
    assert_eq!(s.kind, SymbolKind::Method);
    assert!(s.public);
    assert_eq!(r.lines[1].class, EditClass::Literal);
}

#[test]
fn full_files_are_parsed_whole_and_checked_against_the_diff() {
    let base = "impl Cache {\n    pub fn evict(&mut self) {\n        self.n = 1;\n    }\n}\n";
    let head = "impl Cache {\n    pub fn evict(&mut self) {\n        self.n = 2;\n    }\n}\n";
    let mut opts = SyntaxOptions::default();
    opts.files.insert(
        "src/a.rs".into(),
        FileContents {
            base: Some(base.into()),
            head: Some(head.into()),
        },
    );
    let r = one(RUST_DIFF, &opts);
    assert_eq!(r.source, Source::Full);
    assert!(!r.partial);
    assert!(r.notes.is_empty());
    // A head that does not match the diff is not trusted.
    opts.files.get_mut("src/a.rs").unwrap().head = Some("fn other() {}\n".into());
    let r = one(RUST_DIFF, &opts);
    assert_eq!(r.source, Source::Hunks);
    assert_eq!(r.notes.len(), 1);
}

#[test]
fn byte_node_and_time_limits_fall_back_to_text() {
    let mut opts = SyntaxOptions::default();
    opts.limits.max_bytes = 10;
    let r = one(RUST_DIFF, &opts);
    assert_eq!(r.source, Source::Text);
    assert_eq!(r.fallback.as_ref().unwrap().reason, "bytes");
    assert!(r.symbols.is_empty());
    // Classification still works without a tree.
    assert_eq!(r.lines[1].class, EditClass::Literal);

    let mut opts = SyntaxOptions::default();
    opts.limits.max_nodes = 5;
    let r = one(RUST_DIFF, &opts);
    assert_eq!(r.fallback.as_ref().unwrap().reason, "nodes");

    // A big file with a tiny work budget runs out of time.
    let mut big =
        String::from("diff --git a/b.rs b/b.rs\n--- a/b.rs\n+++ b/b.rs\n@@ -0,0 +1,3000 @@\n");
    for i in 0..3000 {
        big.push_str(&format!(
            "+fn f{i}(x: u32) -> u32 {{ x * {i} + (x << 2) }}\n"
        ));
    }
    let mut opts = SyntaxOptions::default();
    opts.limits.max_parse_ticks = 3;
    let r = one(&big, &opts);
    assert_eq!(
        r.fallback.as_ref().unwrap().reason,
        "time",
        "{:?}",
        r.fallback
    );
    assert_eq!(r.source, Source::Text);
    // With the default budget it parses.
    let r = one(&big, &SyntaxOptions::default());
    assert_eq!(r.source, Source::Hunks, "{:?}", r.fallback);
    assert_eq!(r.symbols.len(), 3000);
}

#[test]
fn a_moved_file_is_one_move() {
    let mut body = String::new();
    for i in 0..300 {
        body.push_str(&format!(
            "def handler_{i}(request):\n    return respond(request, {i})\n\n"
        ));
    }
    let lines: Vec<&str> = body.lines().collect();
    let n = lines.len();
    let mut d = format!("diff --git a/old/views.py b/old/views.py\ndeleted file mode 100644\n--- a/old/views.py\n+++ /dev/null\n@@ -1,{n} +0,0 @@\n");
    for l in &lines {
        d.push_str(&format!("-{l}\n"));
    }
    d.push_str(&format!("diff --git a/new/views.py b/new/views.py\nnew file mode 100644\n--- /dev/null\n+++ b/new/views.py\n@@ -0,0 +1,{n} @@\n"));
    for l in &lines {
        d.push_str(&format!("+{l}\n"));
    }
    let patch = diff::parse(d.as_bytes());
    let r = analyze_patch(&patch, &SyntaxOptions::default());
    assert_eq!(r.len(), 2);
    for f in &r {
        assert_eq!(f.edits.len(), 1, "{}: {:?}", f.path, f.edits.first());
        assert_eq!(f.edits[0].class, EditClass::Moved);
        assert_eq!(f.summary.moved as usize, n);
        assert_eq!(f.summary.logic, 0);
    }
    // Definitions moved across files are `moved`, not added + deleted.
    assert!(r[1].changes.iter().all(|c| c.change == ChangeKind::Moved));
    assert_eq!(r[1].changes.len(), 300);
}

#[test]
fn renames_need_support_elsewhere() {
    // A lone identifier swap is logic (calling another function) ...
    let d = "diff --git a/a.py b/a.py\n--- a/a.py\n+++ b/a.py\n@@ -1,2 +1,2 @@\n def f(x):\n-    return validate(x)\n+    return skip(x)\n";
    let r = one(d, &SyntaxOptions::default());
    assert_eq!(r.summary.logic, 2);
    // ... a consistent rename across several lines is a rename.
    let d = "diff --git a/a.py b/a.py\n--- a/a.py\n+++ b/a.py\n@@ -1,3 +1,3 @@\n def f(x):\n-    total = x + 1\n-    return total\n+    amount = x + 1\n+    return amount\n";
    let r = one(d, &SyntaxOptions::default());
    assert_eq!(r.summary.rename, 4, "{:?}", r.edits);
    assert_eq!(r.edits[0].renames, vec!["total -> amount".to_string()]);
}

#[test]
fn generated_files_are_marked() {
    let d = "diff --git a/Cargo.lock b/Cargo.lock\n--- a/Cargo.lock\n+++ b/Cargo.lock\n@@ -1,2 +1,2 @@\n [[package]]\n-version = \"1\"\n+version = \"2\"\n";
    let r = one(d, &SyntaxOptions::default());
    assert_eq!(r.generated, Some(Generated::Lockfile));
    assert_eq!(r.summary.generated, 2);
    assert!(r.changes.is_empty());
    let d = "diff --git a/api.go b/api.go\nnew file mode 100644\n--- /dev/null\n+++ b/api.go\n@@ -0,0 +1,3 @@\n+// Code generated by protoc-gen-go. DO NOT EDIT.\n+package api\n+func X() {}\n";
    let r = one(d, &SyntaxOptions::default());
    assert_eq!(r.generated, Some(Generated::Generated));
}

#[test]
fn call_sites_of_a_changed_signature_elsewhere_in_the_diff() {
    let d = "diff --git a/lib.py b/lib.py
--- a/lib.py
+++ b/lib.py
@@ -1,2 +1,2 @@
-def charge(amount):
+def charge(amount, currency):
     return amount
diff --git a/app.py b/app.py
--- a/app.py
+++ b/app.py
@@ -5,3 +5,3 @@ def main():
     x = 1
-    charge(10)
+    charge(10, \"EUR\")
     y = 2
";
    let patch = diff::parse(d.as_bytes());
    let r = analyze_patch(&patch, &SyntaxOptions::default());
    let c = &r[0].changes[0];
    assert_eq!(c.change, ChangeKind::Signature);
    assert_eq!(
        c.details,
        vec!["parameters: (amount) -> (amount, currency)".to_string()]
    );
    let sites: Vec<(String, Side, u32)> = c
        .call_sites
        .iter()
        .map(|s| (s.path.clone(), s.side, s.line))
        .collect();
    assert_eq!(
        sites,
        vec![
            ("app.py".into(), Side::New, 6),
            ("app.py".into(), Side::Old, 6)
        ]
    );
}

#[test]
fn call_sites_only_in_languages_that_can_make_the_call() {
    // A Ruby method `fetch` changes its parameters; JavaScript's `fetch()`
    // is another function, while TypeScript can call JavaScript's `load`.
    let d = "diff --git a/store.rb b/store.rb
--- a/store.rb
+++ b/store.rb
@@ -1,3 +1,3 @@
-def fetch(id)
+def fetch(session_id)
   id
 end
diff --git a/cart.js b/cart.js
--- a/cart.js
+++ b/cart.js
@@ -1,3 +1,3 @@
-export function load(a) {
+export function load(a, b) {
   return fetch(a);
 }
diff --git a/app.rb b/app.rb
--- a/app.rb
+++ b/app.rb
@@ -1,1 +1,1 @@
-x = fetch(1)
+x = fetch(2)
diff --git a/main.ts b/main.ts
--- a/main.ts
+++ b/main.ts
@@ -1,1 +1,1 @@
-const y = load(1);
+const y = load(1, 2);
";
    let patch = diff::parse(d.as_bytes());
    let r = analyze_patch(&patch, &SyntaxOptions::default());
    let sites = |file: usize| -> Vec<(String, u32)> {
        let c = r[file]
            .changes
            .iter()
            .find(|c| c.change == ChangeKind::Signature)
            .unwrap_or_else(|| panic!("{}: {:?}", r[file].path, r[file].changes));
        let mut v: Vec<(String, u32)> = c
            .call_sites
            .iter()
            .map(|s| (s.path.clone(), s.line))
            .collect();
        v.dedup();
        v
    };
    assert_eq!(sites(0), vec![("app.rb".to_string(), 1)]);
    assert_eq!(sites(1), vec![("main.ts".to_string(), 1)]);
}

#[test]
fn never_panics_on_odd_input() {
    let inputs: &[&[u8]] = &[
        b"",
        b"diff --git a/x.rs b/x.rs\n--- a/x.rs\n+++ b/x.rs\n@@ -1 +1 @@\n-\xff\xfe fn (\n+}}}}}\n",
        b"diff --git a/x.py b/x.py\n--- a/x.py\n+++ b/x.py\n@@ -5,2 +5,2 @@\n-\"\"\"\n+'''\n",
        b"diff --git a/Dockerfile b/Dockerfile\n--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1 +1 @@\n-FROM\n+FROM a AS\n",
        b"diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1,1 +1,1 @@\n-#define X(a\n+struct { int\n",
    ];
    for i in inputs {
        let patch = diff::parse(i);
        let _ = analyze_patch(&patch, &SyntaxOptions::default());
        let mut opts = SyntaxOptions::default();
        for f in &patch.files {
            opts.files.insert(
                f.path().to_string(),
                FileContents {
                    base: Some("\u{0}\u{ffff}".into()),
                    head: Some(String::new()),
                },
            );
        }
        let _ = analyze_patch(&patch, &opts);
    }
}

/// Unified diff of two texts, as git writes it.
fn unified(path: &str, base: &str, head: &str) -> String {
    let d = similar::TextDiff::from_lines(base, head);
    format!(
        "diff --git a/{path} b/{path}\n{}",
        d.unified_diff()
            .context_radius(3)
            .header(&format!("a/{path}"), &format!("b/{path}"))
    )
}

/// Edits of several kinds: lines dropped, changed, doubled, and text
/// added at both ends.
fn edited(src: &str, step: usize) -> String {
    let mut out = String::from("// added first\n");
    for (i, l) in src.lines().enumerate() {
        match i % step {
            0 if i > 0 => continue,
            2 => out.push_str(&l.replacen('e', "e_", 1)),
            3 => {
                out.push_str(l);
                out.push('\n');
                out.push_str(l);
            }
            _ => out.push_str(l),
        }
        out.push('\n');
    }
    out.push_str("}\n");
    out
}

/// [`head_to_base_edits`] for two texts.
fn edits_of(f: &FileDiff<'_>, base: &str, head: &str) -> Option<Vec<tree_sitter::InputEdit>> {
    head_to_base_edits(f, (base, &line_starts(base)), (head, &line_starts(head)))
}

/// The syntax fixtures that have whole files: (path, base, head).
fn fixtures_with_files() -> Vec<(String, String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/syntax");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&root).unwrap() {
        let dir = entry.unwrap().path();
        if let (Ok(path), Ok(base), Ok(head)) = (
            std::fs::read_to_string(dir.join("path")),
            std::fs::read_to_string(dir.join("base")),
            std::fs::read_to_string(dir.join("head")),
        ) {
            out.push((path.trim().to_string(), base, head));
        }
    }
    out
}

#[test]
fn base_parsed_from_the_heads_tree_equals_a_fresh_parse() {
    let mut checked = 0;
    for (path, base, head) in fixtures_with_files() {
        let path = path.as_str();
        let Some(lang) = lang::detect(path, head.lines().next()) else {
            continue;
        };
        if lang.grammar().is_none() {
            continue;
        }
        let cut = head.trim_end_matches('\n');
        let pairs = [
            (base.clone(), head.clone()),
            (head.clone(), base.clone()),
            (head.clone(), edited(&head, 5)),
            (edited(&head, 7), head.clone()),
            (base.clone(), cut.to_string()),
            (cut.to_string(), base.clone()),
            (head.replace('\n', "\r\n"), base.replace('\n', "\r\n")),
        ];
        for (b, h) in pairs {
            let text = unified(path, &b, &h);
            let patch = diff::parse(text.as_bytes());
            let f = &patch.files[0];
            let edits = edits_of(f, &b, &h)
                .unwrap_or_else(|| panic!("{path}: the diff lines up with the texts"));
            let head_tree = parse_text(lang, &h).unwrap();
            let mut from = head_tree.clone();
            for e in &edits {
                from.edit(e);
            }
            let mut ticks = 0;
            let inc =
                parse_counting_from(lang, &b, Some(&from), &[], u64::MAX, &mut ticks).unwrap();
            let fresh = parse_text(lang, &b).unwrap();
            assert_eq!(
                inc.root_node().to_sexp(),
                fresh.root_node().to_sexp(),
                "{path}"
            );
            assert_eq!(
                symbols::extract(lang, &inc, &b, usize::MAX),
                symbols::extract(lang, &fresh, &b, usize::MAX),
                "{path}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 7 * 17, "{checked} pairs checked");
}

/// The answers without the node counts (a file parsed in windows has
/// fewer nodes).
fn without_nodes(mut v: Vec<FileSyntax>) -> Vec<FileSyntax> {
    for f in &mut v {
        f.nodes = 0;
    }
    v
}

#[test]
fn whole_files_give_the_same_answers_when_only_the_shown_lines_are_read() {
    let mut checked = 0;
    for (path, base, head) in fixtures_with_files() {
        let path = path.as_str();
        let pairs = [
            (base.clone(), head.clone()),
            (head.clone(), base.clone()),
            (head.clone(), edited(&head, 5)),
            (edited(&head, 7), head.clone()),
            (edited(&base, 11), edited(&head, 13)),
        ];
        for (b, h) in pairs {
            let (read, whole, _) = usual_and_with(&READ_WHOLE_TREES, path, &b, &h);
            assert_eq!(read[0].source, Source::Full, "{path}");
            assert_eq!(read, whole, "{path}");
            checked += 1;
        }
    }
    assert!(checked >= 5 * 17, "{checked} pairs checked");
}

#[test]
fn texts_that_differ_outside_the_diff_are_parsed_afresh() {
    let base = "fn a() {}\nfn b() {}\nfn c() {}\n";
    let head = "fn a() {}\nfn b() { 1 }\nfn c() {}\n";
    let text = unified("a.rs", base, head);
    let patch = diff::parse(text.as_bytes());
    let f = &patch.files[0];
    assert_eq!(edits_of(f, base, head).map(|e| e.len()), Some(1));
    // A base fetched at another revision: same changed lines, other text
    // around them.
    let other = "fn a() { 0 }\nfn b() {}\nfn c() {}\n";
    assert!(edits_of(f, other, head).is_none());
    let longer = "fn a() {}\nfn b() {}\nfn c() {}\nfn d() {}\n";
    assert!(edits_of(f, longer, head).is_none());
    assert!(edits_of(f, base, "fn a() {}\n").is_none());
}

mod incremental_props {
    use super::*;
    use proptest::prelude::*;

    /// Lines that make some structure in several languages, plus noise.
    fn line() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("fn a(x: u32) -> u32 {".to_string()),
            Just("def f(self, x):".to_string()),
            Just("function g() {".to_string()),
            Just("class C:".to_string()),
            Just("    return x + 1;".to_string()),
            Just("    pass".to_string()),
            Just("}".to_string()),
            Just("\"unterminated".to_string()),
            Just("/* open comment".to_string()),
            Just(String::new()),
            "[ -~]{0,30}",
            any::<String>(),
        ]
    }

    fn lines() -> impl Strategy<Value = Vec<String>> {
        proptest::collection::vec(line(), 0..30)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// For any two texts and the diff between them, the base parsed from
        /// the head's edited tree is the tree a fresh parse gives; full files
        /// that do not match the diff never panic the syntax layer.
        #[test]
        fn incremental_base_equals_fresh(
            base in lines(),
            head in lines(),
            other in lines(),
            trailing in any::<bool>(),
            which in 0usize..3,
        ) {
            let join = |v: &[String]| {
                let mut s = v.join("\n");
                if trailing && !s.is_empty() {
                    s.push('\n');
                }
                s
            };
            let (base, head, other) = (join(&base), join(&head), join(&other));
            let (path, lang) = [("a.rs", Lang::Rust), ("a.py", Lang::Python), ("a.js", Lang::JavaScript)][which];
            let text = unified(path, &base, &head);
            let patch = diff::parse(text.as_bytes());
            if let Some(f) = patch.files.first() {
                let edits = edits_of(f, &base, &head);
                prop_assert!(edits.is_some(), "texts and their own diff line up");
                if let Some(edits) = edits {
                    let mut from = parse_text(lang, &head).unwrap();
                    for e in &edits {
                        from.edit(e);
                    }
                    let mut ticks = 0;
                    let inc = parse_counting_from(lang, &base, Some(&from), &[], u64::MAX, &mut ticks).unwrap();
                    let fresh = parse_text(lang, &base).unwrap();
                    prop_assert_eq!(inc.root_node().to_sexp(), fresh.root_node().to_sexp());
                }
                // A base from elsewhere: used only when it lines up.
                let _ = edits_of(f, &other, &head);
            }
            // The files that match the diff: reading only the subtrees the
            // hunks show gives what reading the whole trees gives.
            let (read, whole, _) = usual_and_with(&READ_WHOLE_TREES, path, &base, &head);
            prop_assert_eq!(read, whole);
            let mut opts = SyntaxOptions::default();
            opts.files.insert(path.into(), FileContents { base: Some(other), head: Some(head) });
            let _ = analyze_patch(&patch, &opts);
        }
    }
}

/// The reused parser starts every document afresh, also after a parse that
/// the work budget stopped half way.
#[test]
fn a_parse_stopped_by_the_budget_leaves_nothing_behind() {
    let long = "def f(x):\n    return x + 1\n".repeat(200);
    assert_eq!(
        parse_limited(Lang::Python, &long, 3).err(),
        Some(ParseError::Time)
    );
    let text = "class C:\n    def g(self):\n        pass\n";
    let after = parse_limited(Lang::Python, text, u64::MAX).unwrap();
    let mut fresh = tree_sitter::Parser::new();
    fresh
        .set_language(&Lang::Python.grammar().unwrap())
        .unwrap();
    let expected = fresh.parse(text, None).unwrap();
    assert_eq!(after.root_node().to_sexp(), expected.root_node().to_sexp());
    // And another language on the same thread.
    let rs = parse_limited(Lang::Rust, "fn a() {}\n", u64::MAX).unwrap();
    assert_eq!(rs.root_node().kind(), "source_file");
}

/// Analyse `base` → `head` at `path` with both files, as usual and with
/// the test switch `with` set (whole trees read, no windows); returns both
/// answers without their node counts, and whether the usual one parsed
/// fewer nodes.
fn usual_and_with(
    with: &'static std::thread::LocalKey<std::cell::Cell<bool>>,
    path: &str,
    base: &str,
    head: &str,
) -> (Vec<FileSyntax>, Vec<FileSyntax>, bool) {
    let text = unified(path, base, head);
    let patch = diff::parse(text.as_bytes());
    let mut opts = SyntaxOptions::default();
    opts.files.insert(
        path.into(),
        FileContents {
            base: Some(base.to_string()),
            head: Some(head.to_string()),
        },
    );
    let usual = analyze_patch(&patch, &opts);
    with.with(|c| c.set(true));
    let other = analyze_patch(&patch, &opts);
    with.with(|c| c.set(false));
    let fewer =
        usual.iter().map(|f| f.nodes).sum::<u32>() < other.iter().map(|f| f.nodes).sum::<u32>();
    (without_nodes(usual), without_nodes(other), fewer)
}

/// Parsed in windows where the language allows, and parsed whole.
fn windowed_and_whole(
    path: &str,
    base: &str,
    head: &str,
) -> (Vec<FileSyntax>, Vec<FileSyntax>, bool) {
    usual_and_with(&NO_WINDOWS, path, base, head)
}

/// Big files made of the fixtures (the base repeated, every fourth copy
/// the head, as in `make bench-syntax`): every language with windows uses
/// them, and the answers are those of the whole parse.
#[test]
fn files_parsed_in_windows_give_the_answers_of_the_whole_parse() {
    let mut used_by = std::collections::BTreeSet::new();
    let mut checked = 0;
    for (path, fbase, fhead) in fixtures_with_files() {
        let lang = lang::detect(&path, None).unwrap();
        // PHP's `<?php` opens the file once.
        let once = lang.info().windows.and_then(|w| w.first_line).is_some();
        let rest = |t: &str| match (once, t.split_once('\n')) {
            (true, Some((_, r))) => r.to_string(),
            _ => t.to_string(),
        };
        for copies in [6usize, 12] {
            let (mut base, mut head) = (String::new(), String::new());
            for k in 0..copies {
                let (b, h) = if k == 0 {
                    (fbase.clone(), fhead.clone())
                } else {
                    (rest(&fbase), rest(&fhead))
                };
                base.push_str(&b);
                base.push('\n');
                head.push_str(if k % 4 == 1 { &h } else { &b });
                head.push('\n');
            }
            for (b, h) in [(&base, &head), (&head, &base), (&base, &edited(&base, 29))] {
                let (windowed, whole, used) = windowed_and_whole(&path, b, h);
                assert_eq!(windowed[0].source, Source::Full, "{path}");
                assert_eq!(windowed, whole, "{path} ({copies} copies)");
                if used {
                    used_by.insert(lang);
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 6 * 17, "{checked} pairs checked");
    // Python, Go, HCL and the brace languages; Bash and PHP when nothing blocks them.
    for l in Lang::all().filter(|l| l.info().windows.is_some()) {
        assert!(
            used_by.contains(&l),
            "{l:?} never parsed in windows: {used_by:?}"
        );
    }
}

mod window_props {
    use super::*;
    use proptest::prelude::*;

    /// Items of each language, with traps for the window cuts: column-0
    /// lines after a blank line inside strings, comments, heredocs and
    /// containers whose members are not indented.
    const ITEMS: &[(&str, &str, &[&str])] = &[
        ("a.rs", "", &[
            "fn a() {\n    1\n}",
            "struct S {\n    x: u32,\n}",
            "impl S {\n    fn m(&self) -> u32 {\n        self.x\n    }\n}",
            "const X: &str = r#\"\n\nfn fake() {}\n\n\"#;",
            "mod m {\n\nfn inner() {}\n\n}",
            "/* note\n\nfn commented() {}\n\n*/",
            "#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() {}\n}",
            "// plain comment",
            "pub fn b(x: u32) -> u32 {\n    if x > 1 {\n        x\n    } else {\n        0\n    }\n}",
        ]),
        ("a.py", "", &[
            "def f(x):\n    return x",
            "class C:\n    def m(self):\n        pass\n\n# column-0 comment\n    def n(self):\n        return 1",
            "X = \"\"\"\n\ndef fake():\n    pass\n\n\"\"\"",
            "@dec\ndef g():\n    pass",
            "if True:\n    y = 1",
            "class D:\n    x = 1\n\n    def k(self):\n        return [\n1,\n        ]",
        ]),
        ("a.cpp", "", &[
            "namespace a {\n\nclass Q {\n  int x;\n};\n\nint f() { return 1; }\n\n}  // a",
            "int g(int x) {\n  return x;\n}",
            "extern \"C\" {\n\nint h(void);\n\n}",
            "#if X\n\nint k;\n\n#endif",
            "static int\nlegacy(void)\n{\n\treturn 2;\n}",
            "/*\n\nint fake;\n\n*/",
        ]),
        ("a.sh", "", &[
            "f() {\n  echo hi\n}",
            "cat <<EOF\n\nfake() {\n  x\n}\n\nEOF",
            "if true; then\n\necho x\n\nfi",
            "echo done",
        ]),
        ("A.java", "package a;\n\n", &[
            "class A {\n    int f() {\n        return 1;\n    }\n}",
            "class T {\n    String s = \"\"\"\n\nclass Fake {}\n\n\"\"\";\n}",
            "/*\n\nclass Gone {}\n\n*/",
            "interface I {\n\nint g();\n\n}",
            "record R(int x) {}",
        ]),
        ("a.php", "<?php\n\n", &[
            "function a() {\n  return 1;\n}",
            "class K {\n  public function m() {}\n}",
            "$x = <<<EOT\n\nfunction fake() {}\n\nEOT;",
            "$y = 2;",
        ]),
        ("a.go", "package main\n\n", &[
            "func a() int {\n\treturn 1\n}",
            "var s = `\n\nfunc fake() {}\n\n`",
            "type T struct {\n\tX int\n}",
            "func (t T) M() int {\n\treturn t.X\n}",
        ]),
        ("a.ts", "", &[
            "function g() {\n  return 1;\n}",
            "const t = `\n\nfunction fake() {}\n\n`;",
            "describe('x', () => {\n\nit('y', () => {});\n\n});",
            "export default {\n\nname: 1,\n\n};",
            "namespace N {\n\nexport const z = 1;\n\n}",
        ]),
    ];

    fn file(prefix: &str, items: &[&str], picks: &[(usize, bool)]) -> String {
        let mut s = prefix.to_string();
        for &(i, tight) in picks {
            s.push_str(items[i % items.len()]);
            s.push_str(if tight { "\n" } else { "\n\n" });
        }
        s
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// Whatever the items around a change, parsing in windows gives the
        /// answers of the whole parse.
        #[test]
        fn windows_never_change_the_answers(
            which in 0usize..ITEMS.len(),
            picks in proptest::collection::vec((0usize..16, proptest::bool::weighted(0.2)), 4..28),
            changes in proptest::collection::vec((0usize..28, 0usize..16), 1..3),
        ) {
            let (path, prefix, items) = ITEMS[which];
            let base = file(prefix, items, &picks);
            let mut head_picks = picks.clone();
            for (at, item) in changes {
                let k = at % head_picks.len();
                head_picks[k].0 = item;
            }
            let head = file(prefix, items, &head_picks);
            let (windowed, whole, _) = windowed_and_whole(path, &base, &head);
            prop_assert_eq!(windowed, whole);
        }
    }
}

#[test]
fn a_replaced_shebang_names_what_the_file_is_now() {
    let text = "diff --git a/bin/tool b/bin/tool
--- a/bin/tool
+++ b/bin/tool
@@ -1,2 +1,2 @@
-#!/bin/sh
+#!/usr/bin/env python3
 x = 1
";
    let patch = diff::parse(text.as_bytes());
    let f = &patch.files[0];
    assert_eq!(
        first_line_of(&patch, f, None).as_deref(),
        Some("#!/usr/bin/env python3")
    );
    assert_eq!(
        one(text, &SyntaxOptions::default()).language,
        Some(Lang::Python)
    );
    // A deleted script is read by its old line 1.
    let gone = "diff --git a/bin/tool b/bin/tool
deleted file mode 100755
--- a/bin/tool
+++ /dev/null
@@ -1,2 +0,0 @@
-#!/bin/sh
-echo hi
";
    let patch = diff::parse(gone.as_bytes());
    assert_eq!(
        first_line_of(&patch, &patch.files[0], None).as_deref(),
        Some("#!/bin/sh")
    );
}

#[test]
fn a_hunk_that_starts_inside_a_docstring_adds_no_function() {
    // The docstring opened above the hunk; its example defines nothing.
    let text = "diff --git a/app/run.py b/app/run.py
--- a/app/run.py
+++ b/app/run.py
@@ -5,4 +5,6 @@ def run(flow):
         run(my_flow)
         run(other)
+
+        def my_flow_with_files(): ...
     \"\"\"
     return flow()
";
    let r = one(text, &SyntaxOptions::default());
    assert_eq!(r.language, Some(Lang::Python));
    assert!(
        r.changes.is_empty() && r.symbols.iter().all(|s| !s.chain.contains("my_flow")),
        "{:?} {:?}",
        r.changes,
        r.symbols
    );
    // Without the closing quotes the same lines are code.
    let code = text.replace("     \"\"\"\n", "     pass\n");
    let r = one(&code, &SyntaxOptions::default());
    assert!(r
        .symbols
        .iter()
        .any(|s| s.chain.contains("my_flow_with_files")));
}

/// Rust test attributes read the same way for symbols as for the
/// line-based test regions: `#[cfg(not(test))]` and
/// `#[cfg_attr(test, …)]` are not tests.
#[test]
fn rust_test_attributes_mark_symbols() {
    let src = "#[test]\nfn a() {}\n\n#[tokio::test]\nasync fn b() {}\n\n#[cfg(not(test))]\nfn c() {}\n\n#[cfg_attr(test, derive(Debug))]\nfn d() {}\n\n#[cfg(all(test, feature = \"x\"))]\nmod e {}\n\n#[cfg(not(test))]\nmod f {}\n";
    let tree = parse_text(Lang::Rust, src).unwrap();
    let ex = symbols::extract(Lang::Rust, &tree, src, usize::MAX);
    let kind = |n: &str| ex.defs.iter().find(|d| d.name == n).map(|d| d.kind);
    assert_eq!(kind("a"), Some(SymbolKind::Test));
    assert_eq!(kind("b"), Some(SymbolKind::Test));
    assert_eq!(kind("c"), Some(SymbolKind::Function));
    assert_eq!(kind("d"), Some(SymbolKind::Function));
    use symbols::{rust_test_attribute as attr, RustTestAttr};
    assert_eq!(
        attr("#[cfg(all(test, feature = \"x\"))]"),
        Some(RustTestAttr::CfgTest)
    );
    assert_eq!(attr("#[cfg(not(test))]"), None);
    assert_eq!(attr("#[cfg(testing)]"), None);
    assert_eq!(attr("  #[rstest]"), Some(RustTestAttr::Test));
    assert_eq!(attr("#[should_panic]"), None);
    assert_eq!(attr("#[cfg(any(feature = \"alloc\", test))]"), None);
    assert_eq!(
        attr("#[cfg(all(unix, all(test, miri)))]"),
        Some(RustTestAttr::CfgTest)
    );
    assert_eq!(attr("#[cfg( test )]"), Some(RustTestAttr::CfgTest));
}

/// Git's hunk heading read as a symbol: Rust items restricted to the crate
/// (`pub(crate)`, `pub(super)`, `pub(in path)`) are not public API.
#[test]
fn heading_rust_visibility() {
    use crate::finding::Side;
    let public = |h: &str| {
        symbols::heading_symbol(Some(Lang::Rust), h, Side::New)
            .map(|s| s.public)
            .unwrap()
    };
    assert!(public("pub fn charge(amount: u64) -> Result<()> {"));
    assert!(public("    pub async fn run(&self) {"));
    assert!(!public("pub(crate) fn charge(amount: u64) {"));
    assert!(!public("pub (super) fn acquire(&mut self) {"));
    assert!(!public("pub(in crate::control) fn load() {"));
    assert!(!public("fn helper() {"));
}

/// Signature keys: parameter names and spacing are not part of a Java, Go
/// or Rust signature as callers see it, but are in Python.
#[test]
fn signature_keys_ignore_positional_names() {
    let key = |lang: Lang, src: &str| {
        let tree = parse_text(lang, src).unwrap();
        let ex = symbols::extract(lang, &tree, src, usize::MAX);
        let d = ex.defs.iter().find(|d| d.name == "run").expect("run");
        d.signature_key().to_string()
    };
    let java = |sig: &str| {
        key(
            Lang::Java,
            &format!("class A {{\n  {sig} {{ go(); }}\n}}\n"),
        )
    };
    assert_eq!(
        java("public void run(final int n)"),
        java("public void run( int count )")
    );
    assert_eq!(
        java("@Deprecated public void run(int n)"),
        java("public void run(int n)")
    );
    assert_ne!(
        java("public void run(int n)"),
        java("public void run(long n)")
    );
    let go = |sig: &str| key(Lang::Go, &format!("package m\n\n{sig} {{\n}}\n"));
    assert_eq!(go("func run(a, b int)"), go("func run(x, y int)"));
    assert_ne!(go("func run(a, b int)"), go("func run(a int, b string)"));
    let rs = |sig: &str| key(Lang::Rust, &format!("{sig} {{\n}}\n"));
    assert_eq!(rs("pub fn run(amount: u64)"), rs("pub fn run(cents: u64)"));
    let py = |sig: &str| key(Lang::Python, &format!("{sig}\n    pass\n"));
    assert_ne!(py("def run(options):"), py("def run(opts):"));
}

/// A hunk heading naming a type declared without `public` hides the
/// members under it.
#[test]
fn heading_hides_members_of_package_private_types() {
    use symbols::heading_hides_members as hides;
    assert!(hides(
        Lang::Java,
        "class TapeInputStream extends FilterInputStream {"
    ));
    assert!(hides(Lang::Java, "final class BinaryTree {"));
    assert!(hides(
        Lang::Java,
        "abstract sealed interface Shape permits Circle {"
    ));
    assert!(hides(Lang::CSharp, "internal sealed class Cache"));
    assert!(hides(Lang::CSharp, "class Cache : IDisposable"));
    assert!(!hides(
        Lang::Java,
        "public class TapeInputStream extends FilterInputStream {"
    ));
    assert!(!hides(Lang::Java, "public final class BinaryTree {"));
    assert!(!hides(Lang::Java, "@Deprecated class Old {"));
    assert!(!hides(Lang::Java, "import java.util.List;"));
    assert!(!hides(Lang::CSharp, "namespace Shop.Orders"));
    assert!(!hides(Lang::CSharp, "public partial class Form1 : Form"));
    assert!(!hides(Lang::Php, "class Client"));
    assert!(!hides(Lang::Java, "class"));
}
