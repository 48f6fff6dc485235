//! The WebAssembly boundary: serde data in, serde data out. Nothing else
//! in the crate knows about JavaScript.

use crate::analyze::{self, Options};
use wasm_bindgen::prelude::*;

fn to_js<T: serde::Serialize>(v: &T) -> Result<JsValue, JsValue> {
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    v.serialize(&ser)
        .map_err(|e| JsValue::from_str(&e.to_string()))
}

/// Analyse a diff given as a string. `options` is an `Options` object or
/// `undefined`. Returns a `Report`; throws a string on unusable input.
#[wasm_bindgen]
pub fn analyze(diff: &str, options: JsValue) -> Result<JsValue, JsValue> {
    analyze_bytes(diff.as_bytes(), options)
}

/// Analyse a diff given as bytes (`Uint8Array`), for input that is not UTF-8.
#[wasm_bindgen(js_name = analyzeBytes)]
pub fn analyze_bytes(diff: &[u8], options: JsValue) -> Result<JsValue, JsValue> {
    let opts: Options = if options.is_undefined() || options.is_null() {
        Options::default()
    } else {
        serde_wasm_bindgen::from_value(options)
            .map_err(|e| JsValue::from_str(&format!("bad options: {e}")))?
    };
    match analyze::analyze(diff, &opts) {
        Ok(r) => to_js(&r),
        Err(e) => Err(JsValue::from_str(&e.to_string())),
    }
}

/// The crate version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Counts from reading a diff, without analysing it (used by the diff
/// reader benchmark, tools/bench-diff.mjs).
#[derive(serde::Serialize)]
struct ParseStats {
    files: u32,
    commits: u32,
    hunks: u32,
    lines: u32,
    added: u32,
    deleted: u32,
    diagnostics: u32,
}

/// Read a diff given as bytes and return counts: `{files, commits, hunks,
/// lines, added, deleted, diagnostics}`.
#[wasm_bindgen(js_name = parseStats)]
pub fn parse_stats(diff: &[u8]) -> Result<JsValue, JsValue> {
    let p = crate::diff::parse(diff);
    let mut s = ParseStats {
        files: p.files.len() as u32,
        commits: p.commits.len() as u32,
        hunks: 0,
        lines: 0,
        added: 0,
        deleted: 0,
        diagnostics: p.diagnostics.len() as u32,
    };
    for f in &p.files {
        s.hunks += f.hunks.len() as u32;
        s.lines += f.hunks.iter().map(|h| h.lines.len() as u32).sum::<u32>();
        s.added += f.added;
        s.deleted += f.deleted;
    }
    to_js(&s)
}
