//! Fixture diffs per language (tests/fixtures/syntax/<lang>/: base, head,
//! path, change.diff made by `git diff --no-index`), analysed twice: with the
//! full base/head files and from the hunks alone. Snapshots show symbols,
//! symbol-level changes and edit classes.

use blastradius::diff;
use blastradius::syntax::{self, FileContents, FileSyntax, Source, SyntaxOptions};
use std::fmt::Write;
use std::path::Path;

/// A compact, reviewable rendering of one file's syntax result.
pub fn render(r: &FileSyntax) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} [{}] source={:?} partial={}{}{}",
        r.path,
        r.language.map(|l| l.name()).unwrap_or("?"),
        r.source,
        r.partial,
        r.fallback
            .as_ref()
            .map(|f| format!(" fallback={}", f.reason))
            .unwrap_or_default(),
        r.generated
            .map(|g| format!(" generated={g:?}"))
            .unwrap_or_default(),
    );
    let _ = writeln!(s, "symbols:");
    for (i, y) in r.symbols.iter().enumerate() {
        let _ = writeln!(
            s,
            "  #{i} {:?} {}-{} {:?}{}{}  {}",
            y.side,
            y.line,
            y.end_line,
            y.kind,
            if y.public { " pub" } else { "" },
            if y.test { " test" } else { "" },
            y.chain
        );
    }
    let _ = writeln!(s, "hunks:");
    for h in &r.hunks {
        let _ = writeln!(
            s,
            "  {} symbols={:?} heading={:?}",
            h.index, h.symbols, h.heading
        );
    }
    let _ = writeln!(s, "lines:");
    for l in &r.lines {
        let _ = writeln!(
            s,
            "  {:?}:{} {:?}{}{}{}{}",
            l.side,
            l.line,
            l.class,
            l.symbol.map(|x| format!(" #{x}")).unwrap_or_default(),
            if l.test { " test" } else { "" },
            if l.comment { " comment" } else { "" },
            if l.import { " import" } else { "" },
        );
    }
    let _ = writeln!(s, "changes:");
    for c in &r.changes {
        let _ = writeln!(
            s,
            "  {:?} {:?} {}{} old={:?} new={:?}{}{}",
            c.change,
            c.kind,
            c.chain,
            c.old_name
                .as_ref()
                .map(|o| format!(" (was {o})"))
                .unwrap_or_default(),
            c.old_line,
            c.new_line,
            if c.public { " pub" } else { "" },
            if c.test { " test" } else { "" },
        );
        for d in &c.details {
            let _ = writeln!(s, "    - {d}");
        }
        for cs in &c.call_sites {
            let _ = writeln!(
                s,
                "    call {}:{:?}:{}{}",
                cs.path,
                cs.side,
                cs.line,
                if cs.changed { " (changed)" } else { "" }
            );
        }
    }
    let _ = writeln!(s, "edits:");
    for e in &r.edits {
        let _ = writeln!(
            s,
            "  {:?} old={} new={}{}{}{}",
            e.class,
            e.old
                .map(|x| format!("{}-{}", x.start, x.end))
                .unwrap_or("-".into()),
            e.new
                .map(|x| format!("{}-{}", x.start, x.end))
                .unwrap_or("-".into()),
            e.counterpart
                .as_ref()
                .map(|c| format!(" <-> {}:{:?}:{}", c.path, c.side, c.line))
                .unwrap_or_default(),
            if e.renames.is_empty() {
                String::new()
            } else {
                format!(" renames={:?}", e.renames)
            },
            if e.ranges.is_empty() {
                String::new()
            } else {
                format!(" ranges={}", e.ranges.len())
            },
        );
    }
    let _ = writeln!(s, "summary: {:?}", r.summary);
    s
}

fn load(dir: &Path) -> (String, String, String, Vec<u8>) {
    let rd = |n: &str| std::fs::read_to_string(dir.join(n)).unwrap();
    (
        rd("path").trim().to_string(),
        rd("base"),
        rd("head"),
        std::fs::read(dir.join("change.diff")).unwrap(),
    )
}

#[test]
fn fixtures_full_and_hunks() {
    insta::glob!("fixtures/syntax/*/change.diff", |p| {
        let dir = p.parent().unwrap();
        let (path, base, head, diff_bytes) = load(dir);
        let patch = diff::parse(&diff_bytes);
        assert_eq!(patch.files.len(), 1, "{}", dir.display());

        let mut opts = SyntaxOptions::default();
        opts.files.insert(
            path.clone(),
            FileContents {
                base: Some(base),
                head: Some(head),
            },
        );
        let full = syntax::analyze_patch(&patch, &opts);
        let hunks = syntax::analyze_patch(&patch, &SyntaxOptions::default());
        assert_eq!(full.len(), 1);
        // Every changed line is described once in both modes.
        assert_eq!(full[0].lines.len(), hunks[0].lines.len());
        assert!(!hunks[0].partial || hunks[0].source != Source::Full);
        insta::assert_snapshot!("full", render(&full[0]));
        insta::assert_snapshot!("hunks", render(&hunks[0]));
    });
}
