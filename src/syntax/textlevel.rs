//! Line-by-line readers: Dockerfile stages (a stage runs from its `FROM`
//! to the next one, which the grammar's flat instruction list does not
//! say), comments and symbol chains; also the whole analysis of a
//! Dockerfile in a build without its grammar.

use super::symbols::{Def, Extracted};
use crate::lang::{Lang, SymbolKind};

/// Read definitions and comments from text, line by line.
pub fn extract(lang: Lang, text: &str) -> Extracted {
    let mut out = Extracted::default();
    if lang != Lang::Dockerfile {
        return out;
    }
    let mut last_row = 0;
    let mut continued = false;
    for (row, line) in text.split('\n').enumerate() {
        last_row = row;
        let t = line.trim();
        out.nodes += 1;
        if t.starts_with('#') {
            out.comments.push((row, row));
            continue;
        }
        let was_continued = continued;
        continued = t.ends_with('\\');
        if was_continued {
            continue;
        }
        let mut words = t.split_whitespace();
        let Some(instr) = words.next() else { continue };
        if instr.eq_ignore_ascii_case("FROM") {
            let rest: Vec<&str> = words.filter(|w| !w.starts_with("--")).collect();
            // The stage alias, or the image without its tag or digest.
            let name = match rest.as_slice() {
                [_, kw, alias, ..] if kw.eq_ignore_ascii_case("AS") => (*alias).to_string(),
                [image, ..] => {
                    let image = image.split('@').next().unwrap_or(image);
                    let cut = image.rfind(':').filter(|i| !image[*i..].contains('/'));
                    cut.map(|i| &image[..i]).unwrap_or(image).to_string()
                }
                [] => "(anonymous)".to_string(),
            };
            out.defs.push(Def {
                name,
                kind: SymbolKind::Block,
                label: "FROM",
                start_row: row,
                end_row: row,
                name_row: row,
                header_end_row: row,
                signature: t.to_string(),
                signature_key: None,
                params: None,
                params_key: None,
                returns: None,
                public: true,
                test: false,
                parent: None,
                body: String::new(),
                indented: false,
            });
        }
    }
    // A stage runs to the next FROM.
    let starts: Vec<usize> = out.defs.iter().map(|d| d.start_row).collect();
    let mut bodies: Vec<String> = Vec::new();
    let lines: Vec<&str> = text.split('\n').collect();
    for (i, d) in out.defs.iter_mut().enumerate() {
        d.end_row = starts
            .get(i + 1)
            .map(|s| s.saturating_sub(1))
            .unwrap_or(last_row)
            .max(d.start_row);
        let body = lines
            .get(d.start_row + 1..=d.end_row)
            .map(|ls| ls.join("\n"))
            .unwrap_or_default();
        bodies.push(body);
    }
    for (d, b) in out.defs.iter_mut().zip(bodies) {
        d.body = b.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    out
}
