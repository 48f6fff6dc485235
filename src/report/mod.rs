//! Renderers: one [`Report`](crate::analyze::Report), several formats.
//!
//! Every renderer treats paths, code and messages as hostile text: the
//! HTML renderer escapes everything it prints, the Markdown renderer
//! escapes table cells and code spans, and SARIF/JSON go through serde.

mod html;
mod json;
mod markdown;
mod sarif;
mod text;

pub use html::render as html;
pub use json::render as json;
pub use markdown::render as markdown;
pub use sarif::render as sarif;
pub use text::render as text;

/// Escape text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `12` or `12-15`.
pub(crate) fn line_range(line: u32, end_line: u32) -> String {
    if end_line > line {
        format!("{line}-{end_line}")
    } else {
        line.to_string()
    }
}
