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

/// The formats [`render`] knows, by name.
pub const FORMATS: [&str; 5] = ["text", "json", "sarif", "markdown", "html"];

/// Render `report` in the format named `format` (one of [`FORMATS`]);
/// `None` for an unknown name.
pub fn render(report: &crate::analyze::Report, format: &str) -> Option<String> {
    Some(match format {
        "text" => text(report),
        "json" => json(report),
        "sarif" => sarif(report),
        "markdown" => markdown(report),
        "html" => html(report),
        _ => return None,
    })
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_by_name_is_each_renderer() {
        let diff = b"diff --git a/m.sql b/m.sql\n--- a/m.sql\n+++ b/m.sql\n@@ -1 +1 @@\n-SELECT 1;\n+DROP TABLE users;\n";
        let report = crate::analyze::analyze(diff, &Default::default()).expect("analyses");
        assert!(!report.findings.is_empty());
        for (name, out) in [
            ("text", text(&report)),
            ("json", json(&report)),
            ("sarif", sarif(&report)),
            ("markdown", markdown(&report)),
            ("html", html(&report)),
        ] {
            assert_eq!(
                render(&report, name).as_deref(),
                Some(out.as_str()),
                "{name}"
            );
        }
        assert_eq!(FORMATS, ["text", "json", "sarif", "markdown", "html"]);
        assert!(render(&report, "xml").is_none());
        assert!(render(&report, "").is_none());
    }
}
