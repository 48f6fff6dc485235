//! Line-level attribution records: git-ai authorship notes
//! (`refs/notes/ai`, `authorship/3.0.0`) and Agent Trace records
//! (v0.1.0 JSON), mapped onto the new-side lines of a diff.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Who wrote an attested range.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Contributor {
    /// An AI agent.
    Ai,
    /// A known human.
    Human,
    /// Mixed AI and human edits.
    Mixed,
    /// The record does not say.
    Unknown,
}

/// One attested range of lines in one file (1-based, inclusive).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct AttestedRange {
    /// File path as written in the record.
    pub path: String,
    /// First line.
    pub start: u32,
    /// Last line (inclusive).
    pub end: u32,
    /// Who wrote it.
    pub contributor: Contributor,
    /// Tool or agent (`claude-code`, `cursor`), when known.
    pub tool: Option<String>,
    /// Model, when known.
    pub model: Option<String>,
    /// The session or conversation key from the record.
    pub session: Option<String>,
}

/// A parsed attribution record.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Attribution {
    /// `git-ai` or `agent-trace`.
    pub format: String,
    /// The commit the line numbers refer to, when the record says.
    pub revision: Option<String>,
    /// Ranges in record order.
    pub ranges: Vec<AttestedRange>,
    /// Non-fatal problems (bad lines skipped).
    pub warnings: Vec<String>,
}

/// Largest line number accepted in a record (larger ones are skipped as
/// malformed rather than allocated).
const MAX_LINE: u64 = 10_000_000;

/// Parse `1-4,9-10,12` into inclusive ranges; `None` if malformed.
fn parse_ranges(spec: &str) -> Option<Vec<(u32, u32)>> {
    let mut out = Vec::new();
    for part in spec.split(',') {
        let part = part.trim();
        let (a, b) = match part.split_once('-') {
            Some((a, b)) => (a.trim().parse::<u64>().ok()?, b.trim().parse::<u64>().ok()?),
            None => {
                let v = part.parse::<u64>().ok()?;
                (v, v)
            }
        };
        if a == 0 || b < a || b > MAX_LINE {
            return None;
        }
        out.push((a as u32, b as u32));
    }
    Some(out)
}

fn unquote_path(s: &str) -> String {
    let t = s.trim_end();
    if t.len() >= 2 && t.starts_with('"') && t.ends_with('"') {
        t[1..t.len() - 1].to_string()
    } else {
        t.to_string()
    }
}

fn str_at<'v>(v: &'v Value, path: &[&str]) -> Option<&'v str> {
    let mut cur = v;
    for p in path {
        cur = cur.get(*p)?;
    }
    cur.as_str()
}

/// Parse a git-ai authorship note (`authorship/3.0.0`): an attestation
/// section of file paths with two-space-indented `<key> <ranges>` entries,
/// a `---` line, and a JSON metadata block.
///
/// Keys: `s_<hex>::t_<hex>` (AI session::trace), `h_<hex>` (a known human),
/// or a legacy 16/7-hex prompt hash (AI). Agent details come from the
/// metadata's `sessions` / `prompts` (`agent_id{tool,id,model}`).
pub fn parse_git_ai(note: &str) -> Result<Attribution, String> {
    let note = note.strip_prefix('\u{feff}').unwrap_or(note);
    let mut attest = String::new();
    let mut meta = String::new();
    let mut in_meta = false;
    for line in note.split_inclusive('\n') {
        if !in_meta && line.trim_end_matches(['\n', '\r']) == "---" {
            in_meta = true;
            continue;
        }
        if in_meta {
            meta.push_str(line);
        } else {
            attest.push_str(line);
        }
    }
    if !in_meta {
        return Err("git-ai note: no `---` line between attestations and metadata".into());
    }
    let meta: Value = serde_json::from_str(meta.trim())
        .map_err(|e| format!("git-ai note: metadata is not JSON: {e}"))?;
    let schema = str_at(&meta, &["schema_version"]).unwrap_or("");
    let mut out = Attribution {
        format: "git-ai".into(),
        revision: None,
        ..Default::default()
    };
    if !schema.starts_with("authorship/") {
        return Err(format!(
            "git-ai note: schema_version {schema:?} is not `authorship/…`"
        ));
    }
    if schema != "authorship/3.0.0" {
        out.warnings
            .push(format!("git-ai note: schema {schema}, read as 3.0.0"));
    }
    let mut path: Option<String> = None;
    for (i, raw) in attest.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        if !line.starts_with(' ') && !line.starts_with('\t') {
            path = Some(unquote_path(line));
            continue;
        }
        let entry = line.trim();
        let Some((key, spec)) = entry.split_once(' ') else {
            out.warnings.push(format!(
                "git-ai note line {}: expected `<key> <ranges>`",
                i + 1
            ));
            continue;
        };
        let Some(p) = path.clone() else {
            out.warnings.push(format!(
                "git-ai note line {}: entry before any file path",
                i + 1
            ));
            continue;
        };
        let Some(ranges) = parse_ranges(spec.trim()) else {
            out.warnings.push(format!(
                "git-ai note line {}: bad line ranges {spec:?}",
                i + 1
            ));
            continue;
        };
        let (contributor, tool, model, session) = classify_git_ai_key(&meta, key);
        for (a, b) in ranges {
            out.ranges.push(AttestedRange {
                path: p.clone(),
                start: a,
                end: b,
                contributor,
                tool: tool.clone(),
                model: model.clone(),
                session: session.clone(),
            });
        }
    }
    Ok(out)
}

type KeyInfo = (Contributor, Option<String>, Option<String>, Option<String>);

fn classify_git_ai_key(meta: &Value, key: &str) -> KeyInfo {
    let agent_of = |rec: Option<&Value>| -> (Option<String>, Option<String>) {
        match rec {
            Some(r) => (
                str_at(r, &["agent_id", "tool"]).map(str::to_string),
                str_at(r, &["agent_id", "model"]).map(str::to_string),
            ),
            None => (None, None),
        }
    };
    if key.starts_with("h_") {
        return (Contributor::Human, None, None, Some(key.to_string()));
    }
    if let Some(rest) = key.strip_prefix("s_") {
        let session = rest.split("::").next().unwrap_or(rest);
        let skey = format!("s_{session}");
        let rec = meta
            .get("sessions")
            .and_then(|s| s.get(&skey).or_else(|| s.get(session)));
        let (tool, model) = agent_of(rec);
        return (Contributor::Ai, tool, model, Some(skey));
    }
    // Legacy prompt hash.
    let rec = meta.get("prompts").and_then(|p| p.get(key));
    let (tool, model) = agent_of(rec);
    (Contributor::Ai, tool, model, Some(key.to_string()))
}

/// Parse one Agent Trace record (v0.1.0): `files[].conversations[]` with
/// `contributor{type, model_id}` and `ranges[{start_line, end_line}]`; a
/// range may override the contributor.
pub fn parse_agent_trace(v: &Value) -> Result<Attribution, String> {
    let files = v
        .get("files")
        .and_then(Value::as_array)
        .ok_or("agent trace: no `files` array")?;
    let mut out = Attribution {
        format: "agent-trace".into(),
        revision: str_at(v, &["vcs", "revision"]).map(str::to_string),
        ..Default::default()
    };
    if let Some(ver) = str_at(v, &["version"]) {
        if !ver.starts_with("0.") {
            out.warnings
                .push(format!("agent trace: version {ver}, read as 0.1"));
        }
    }
    let tool = str_at(v, &["tool", "name"])
        .or_else(|| str_at(v, &["tool"]))
        .map(str::to_string);
    let contributor_of = |c: Option<&Value>| -> Option<(Contributor, Option<String>)> {
        let c = c?;
        let t = match c.get("type").and_then(Value::as_str).unwrap_or("unknown") {
            "ai" => Contributor::Ai,
            "human" => Contributor::Human,
            "mixed" => Contributor::Mixed,
            _ => Contributor::Unknown,
        };
        Some((t, str_at(c, &["model_id"]).map(str::to_string)))
    };
    for (fi, f) in files.iter().enumerate() {
        let Some(path) = str_at(f, &["path"]) else {
            out.warnings
                .push(format!("agent trace: files[{fi}] has no path"));
            continue;
        };
        let Some(convs) = f.get("conversations").and_then(Value::as_array) else {
            continue;
        };
        for c in convs {
            let (ctype, model) =
                contributor_of(c.get("contributor")).unwrap_or((Contributor::Unknown, None));
            let session = str_at(c, &["url"])
                .or_else(|| str_at(c, &["id"]))
                .map(str::to_string);
            let Some(ranges) = c.get("ranges").and_then(Value::as_array) else {
                continue;
            };
            for r in ranges {
                let s = r.get("start_line").and_then(Value::as_u64);
                let e = r.get("end_line").and_then(Value::as_u64).or(s);
                match (s, e) {
                    (Some(s), Some(e)) if s >= 1 && e >= s && e <= MAX_LINE => {
                        let (rt, rm) =
                            contributor_of(r.get("contributor")).unwrap_or((ctype, model.clone()));
                        out.ranges.push(AttestedRange {
                            path: path.to_string(),
                            start: s as u32,
                            end: e as u32,
                            contributor: rt,
                            tool: tool.clone(),
                            model: rm.or_else(|| model.clone()),
                            session: session.clone(),
                        });
                    }
                    _ => out
                        .warnings
                        .push(format!("agent trace: bad range in {path}: {r}")),
                }
            }
        }
    }
    Ok(out)
}

/// Parse Agent Trace input: one record, an array of records, or JSON Lines.
pub fn parse_agent_trace_text(text: &str) -> Result<Vec<Attribution>, String> {
    let t = text.trim();
    if let Ok(v) = serde_json::from_str::<Value>(t) {
        return match v {
            Value::Array(items) => items.iter().map(parse_agent_trace).collect(),
            v => Ok(vec![parse_agent_trace(&v)?]),
        };
    }
    let mut out = Vec::new();
    for (i, line) in t.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(line)
            .map_err(|e| format!("agent trace line {}: not JSON: {e}", i + 1))?;
        out.push(parse_agent_trace(&v)?);
    }
    Ok(out)
}
