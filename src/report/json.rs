use crate::analyze::Report;

/// The stable JSON contract: an object with `version`, `summary`, `files`,
/// `findings` and `diagnostics`.
pub fn render(report: &Report) -> String {
    let mut s =
        serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}
