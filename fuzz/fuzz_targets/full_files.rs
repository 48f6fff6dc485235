#![no_main]
//! The analysis with whole base and head files (the syntax layer's
//! incremental parse of the base from the head's tree, and its guards):
//! must not panic. The input holds a language choice, the base, the head
//! and an edit; the diff is computed from base and head, and the edit then
//! changes the base outside (or inside) the diff, as a file fetched at
//! another revision would.

use libfuzzer_sys::fuzz_target;

const PATHS: &[&str] = &[
    "a.rs", "a.py", "a.js", "a.ts", "a.go", "a.c", "a.java", "a.sh", "a.json", "a.yaml", "a.toml",
    "main.tf", "a.sql", "Dockerfile", "a.tsx", "a.cpp", "a.cs", "a.rb", "a.php",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let path = PATHS[pick as usize % PATHS.len()];
    let text = String::from_utf8_lossy(rest);
    let mut parts = text.splitn(3, '\u{1}');
    let base = parts.next().unwrap_or("").to_string();
    let head = parts.next().unwrap_or("").to_string();
    let edit = parts.next().unwrap_or("");
    let d = similar::TextDiff::from_lines(base.as_str(), head.as_str());
    let diff = format!(
        "diff --git a/{path} b/{path}\n{}",
        d.unified_diff()
            .context_radius(3)
            .header(&format!("a/{path}"), &format!("b/{path}"))
    );
    // The edit: insert its text into the base at a position it names.
    let mut fetched = base.clone();
    if let Some((&at, ins)) = edit.as_bytes().split_first() {
        let mut i = (at as usize * 7) % (fetched.len() + 1);
        while !fetched.is_char_boundary(i) {
            i -= 1;
        }
        fetched.insert_str(i, &String::from_utf8_lossy(ins));
    }
    let mut opts = blastradius::analyze::Options::default();
    for b in [base, fetched] {
        opts.files.insert(
            path.to_string(),
            blastradius::syntax::FileContents {
                base: Some(b),
                head: Some(head.clone()),
            },
        );
        let _ = blastradius::analyze::analyze(diff.as_bytes(), &opts);
    }
});
