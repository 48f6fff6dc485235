//! Reads the built-in rule packs, the AI-marker table and the built-in
//! rules' own patterns (the string literals passed to
//! `crate::textmatch::lazy` in `src/`) and writes, for each of their
//! regexes, the strings every match must contain
//! (`src/textmatch/required.rs`, the same code the engine runs), so the
//! engine need not parse a few hundred patterns on its first analysis.
//! Output: `$OUT_DIR/required_literals.rs`, a sorted
//! `REQUIRED: &[(&str, &[&[&[u8]]])]`. A pattern that does not parse is
//! left out (the engine then reads it, and reports it, itself).
//!
//! It also writes each built-in pack as JSON (`$OUT_DIR/builtin_packs.rs`,
//! `PACKS_JSON: &[(&str, &str)]` by file stem): the engine reads them with
//! serde_json, which its start-up runs anyway, instead of the TOML parser
//! (a test checks the two readings give the same rules), and the AI-marker
//! table as `$OUT_DIR/markers.json` likewise.

#[path = "src/textmatch/required.rs"]
mod required;

use std::collections::BTreeSet;
use std::path::Path;

/// Rule-table keys whose values are regexes.
const REGEX_KEYS: &[&str] = &[
    "added",
    "removed",
    "unless",
    "unless_above",
    "file_lacks",
    "file_removes",
    "query_when",
];

fn strings(v: Option<&toml::Value>, out: &mut BTreeSet<String>) {
    if let Some(toml::Value::Array(a)) = v {
        out.extend(a.iter().filter_map(|s| s.as_str().map(str::to_string)));
    }
}

fn table(path: &Path) -> toml::Table {
    println!("cargo:rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.parse().unwrap_or_default()
}

/// One Rust string literal at the start of `s` (`"…"` with the usual
/// escapes, `r"…"`, `r#"…"#`): its value and the rest of `s`.
fn string_literal(s: &str) -> Option<(String, &str)> {
    if let Some(raw) = s.strip_prefix('r') {
        let hashes = raw.len() - raw.trim_start_matches('#').len();
        let body = raw[hashes..].strip_prefix('"')?;
        let close = format!("\"{}", "#".repeat(hashes));
        let end = body.find(&close)?;
        return Some((body[..end].to_string(), &body[end + close.len()..]));
    }
    let body = s.strip_prefix('"')?;
    let mut out = String::new();
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, &body[i + 1..])),
            '\\' => match chars.next()?.1 {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                '0' => out.push('\0'),
                '\\' => out.push('\\'),
                '"' => out.push('"'),
                '\'' => out.push('\''),
                'x' => {
                    let h: String = [chars.next()?.1, chars.next()?.1].iter().collect();
                    out.push(char::from(u8::from_str_radix(&h, 16).ok()?));
                }
                _ => return None,
            },
            c => out.push(c),
        }
    }
    None
}

/// The patterns passed to `crate::textmatch::lazy(…)` in a Rust source: a
/// string literal, or `concat!(…)` of string literals. Anything else is
/// skipped (the engine then reads that pattern itself, and a debug
/// assertion in `lazy` names it in the tests).
fn rust_patterns(src: &str, out: &mut BTreeSet<String>) {
    // The call closes after the argument (and an optional trailing comma).
    let closes = |r: &str| {
        let r = r.trim_start();
        r.strip_prefix(',')
            .unwrap_or(r)
            .trim_start()
            .starts_with(')')
    };
    for (at, _) in src.match_indices("textmatch::lazy(") {
        let rest = src[at + "textmatch::lazy(".len()..].trim_start();
        if let Some(mut rest) = rest.strip_prefix("concat!(") {
            let mut p = String::new();
            loop {
                rest = rest.trim_start();
                if let Some(r) = rest.strip_prefix(')') {
                    if closes(r) {
                        out.insert(p);
                    }
                    break;
                }
                let Some((lit, r)) = string_literal(rest) else {
                    break;
                };
                p.push_str(&lit);
                rest = r.trim_start();
                rest = rest.strip_prefix(',').unwrap_or(rest);
            }
        } else if let Some((lit, r)) = string_literal(rest) {
            if closes(r) {
                out.insert(lit);
            }
        }
    }
}

fn rust_sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_sources(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/textmatch/required.rs");
    println!("cargo:rerun-if-changed=src/rules/packs");
    let mut patterns = BTreeSet::new();
    let mut packs: Vec<_> = std::fs::read_dir("src/rules/packs")
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    packs.retain(|p: &std::path::PathBuf| p.extension().is_some_and(|e| e == "toml"));
    packs.sort();
    let mut packs_json = String::from("pub static PACKS_JSON: &[(&str, &str)] = &[\n");
    for p in &packs {
        let t = table(p);
        let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let text = serde_json::to_string(&t).expect("a TOML table as JSON");
        packs_json.push_str(&format!("    ({stem:?}, {text:?}),\n"));
        if let Some(toml::Value::Array(rules)) = t.get("rule") {
            for r in rules {
                for k in REGEX_KEYS {
                    strings(r.get(k), &mut patterns);
                }
            }
        }
    }
    let markers = table(Path::new("src/ai/markers.toml"));
    let markers_json = serde_json::to_string(&markers).expect("a TOML table as JSON");
    if let Some(toml::Value::Array(agents)) = markers.get("agent") {
        for a in agents {
            if let Some(toml::Value::Array(markers)) = a.get("marker") {
                for m in markers {
                    if let Some(p) = m.get("pattern").and_then(|p| p.as_str()) {
                        patterns.insert(p.to_string());
                    }
                }
            }
        }
    }
    let mut sources = Vec::new();
    rust_sources(Path::new("src"), &mut sources);
    sources.sort();
    for p in &sources {
        if p.starts_with("src/textmatch") || p.ends_with("textmatch.rs") {
            continue;
        }
        println!("cargo:rerun-if-changed={}", p.display());
        rust_patterns(
            &std::fs::read_to_string(p).unwrap_or_default(),
            &mut patterns,
        );
    }
    let mut code = String::from("pub static REQUIRED: &[(&str, &[&[&[u8]]])] = &[\n");
    for p in &patterns {
        let Ok(ast) = regex_syntax::ast::parse::ParserBuilder::new()
            .build()
            .parse(p)
        else {
            continue;
        };
        let sets: Vec<String> = required::required_literals(&ast)
            .iter()
            .map(|set| {
                let strs: Vec<String> = set.iter().map(|s| format!("&{s:?}")).collect();
                format!("&[{}]", strs.join(", "))
            })
            .collect();
        code.push_str(&format!("    ({p:?}, &[{}]),\n", sets.join(", ")));
    }
    code.push_str("];\n");
    packs_json.push_str("];\n");
    let dir = std::env::var("OUT_DIR").expect("OUT_DIR");
    std::fs::write(Path::new(&dir).join("required_literals.rs"), code)
        .expect("write required_literals.rs");
    std::fs::write(Path::new(&dir).join("builtin_packs.rs"), packs_json)
        .expect("write builtin_packs.rs");
    std::fs::write(Path::new(&dir).join("markers.json"), markers_json).expect("write markers.json");
}
