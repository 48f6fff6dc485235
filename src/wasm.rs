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

fn options_from(options: JsValue) -> Result<Options, JsValue> {
    if options.is_undefined() || options.is_null() {
        Ok(Options::default())
    } else {
        serde_wasm_bindgen::from_value(options)
            .map_err(|e| JsValue::from_str(&format!("bad options: {e}")))
    }
}

/// Analyse a diff given as bytes (`Uint8Array`), for input that is not UTF-8.
#[wasm_bindgen(js_name = analyzeBytes)]
pub fn analyze_bytes(diff: &[u8], options: JsValue) -> Result<JsValue, JsValue> {
    let opts = options_from(options)?;
    match analyze::analyze(diff, &opts) {
        Ok(r) => to_js(&r),
        Err(e) => Err(JsValue::from_str(&e.to_string())),
    }
}

/// Analyse a diff (bytes) and render the report with the CLI's renderers:
/// `format` is "text", "json", "sarif", "markdown" or "html". The www page
/// saves reports with it. Throws a string on unusable input or format.
#[wasm_bindgen(js_name = renderAnalysis)]
pub fn render_analysis(diff: &[u8], options: JsValue, format: &str) -> Result<String, JsValue> {
    let unknown = || {
        JsValue::from_str(&format!(
            "unknown format {format:?}: one of {}",
            crate::report::FORMATS.join(", ")
        ))
    };
    // Refused before the analysis, not after it.
    if !crate::report::FORMATS.contains(&format) {
        return Err(unknown());
    }
    let opts = options_from(options)?;
    let report = analyze::analyze(diff, &opts).map_err(|e| JsValue::from_str(&e.to_string()))?;
    crate::report::render(&report, format).ok_or_else(unknown)
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

/// Incremental diff reader for a diff that is still downloading: feed the
/// chunks as they arrive and get each file as soon as it is complete, so its
/// analysis can start early (pass `file.bytes` to `analyzeBytes`).
///
/// ```js
/// const s = new DiffStream();
/// for await (const chunk of body) for (const f of s.push(chunk)) start(f);
/// for (const f of s.finish()) start(f);
/// ```
/// Each file is `{path, oldPath, status, binary, added, deleted, hunks,
/// line, offset, commit, bytes}`: `bytes` is a `Uint8Array` holding the
/// file's whole section of the diff, `offset` where it starts in the stream.
#[wasm_bindgen]
pub struct DiffStream {
    inner: crate::diff::StreamParser,
}

#[wasm_bindgen]
impl DiffStream {
    /// A reader at the start of a stream.
    #[wasm_bindgen(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> DiffStream {
        DiffStream {
            inner: crate::diff::StreamParser::new(),
        }
    }

    /// Feed the next chunk (`Uint8Array`); returns the files it completed.
    pub fn push(&mut self, chunk: &[u8]) -> Result<js_sys::Array, JsValue> {
        stream_files(self.inner.push(chunk))
    }

    /// The stream ended: returns the remaining files.
    pub fn finish(&mut self) -> Result<js_sys::Array, JsValue> {
        stream_files(self.inner.finish())
    }

    /// Bytes buffered for the unfinished file.
    pub fn buffered(&self) -> usize {
        self.inner.buffered()
    }
}

fn stream_files(events: Vec<crate::diff::Event>) -> Result<js_sys::Array, JsValue> {
    let out = js_sys::Array::new();
    for e in events {
        let crate::diff::Event::File(f) = e else {
            continue;
        };
        let o = js_sys::Object::new();
        let set = |k: &str, v: JsValue| js_sys::Reflect::set(&o, &JsValue::from_str(k), &v);
        let file = &f.file;
        set("path", JsValue::from_str(file.path()))?;
        set(
            "oldPath",
            file.old_path
                .as_deref()
                .map_or(JsValue::NULL, JsValue::from_str),
        )?;
        set("status", to_js(&file.status)?)?;
        set("binary", JsValue::from_bool(file.binary))?;
        set("added", JsValue::from(file.added))?;
        set("deleted", JsValue::from(file.deleted))?;
        set("hunks", JsValue::from(file.hunks.len() as u32))?;
        set("line", JsValue::from(file.line))?;
        set("offset", JsValue::from(f.offset as f64))?;
        set("commit", file.commit.map_or(JsValue::NULL, JsValue::from))?;
        set("bytes", js_sys::Uint8Array::from(&f.bytes[..]).into())?;
        out.push(&o);
    }
    Ok(out)
}

/// The repository paths of the rule packs a policy (`.blastradius.toml`
/// text) names in `rule_packs`, so the extension can fetch them from the
/// same revision. Empty for a policy that cannot be read (the analysis
/// reports its problems).
#[wasm_bindgen(js_name = policyRulePacks)]
pub fn policy_rule_packs(policy: &str) -> Vec<String> {
    crate::policy::load(policy).0.spec.rule_packs
}

/// What the extension needs before it analyses `diff`, from one read of
/// it (see `syntax::plan::plan`): `{grammars_left_out, files: [{path,
/// base_path, head_path, language, changed}]}`, at most `max_files` files,
/// the most changed first.
#[wasm_bindgen(js_name = analysisPlan)]
pub fn analysis_plan(diff: &str, max_files: u32) -> Result<JsValue, JsValue> {
    let patch = crate::diff::parse(diff.as_bytes());
    to_js(&crate::syntax::plan::plan(&patch, max_files as usize))
}

/// Names of the languages in `diff` whose grammars this build left out
/// (the extension then analyses with its full build). Empty for the full
/// build.
#[wasm_bindgen(js_name = grammarsLeftOut)]
pub fn grammars_left_out(diff: &str) -> Vec<String> {
    let patch = crate::diff::parse(diff.as_bytes());
    crate::syntax::plan::grammars_left_out(&patch)
}
