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
