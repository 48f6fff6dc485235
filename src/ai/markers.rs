//! Deterministic metadata markers: the table in `markers.toml`, compiled
//! once, matched against commit and pull-request metadata.

use super::{MarkerHit, PrMeta, Role, Source};
use crate::diff::Commit;
use crate::finding::Confidence;
use crate::textmatch::LazyRegex;
use serde::Deserialize;
use std::sync::OnceLock;

/// The marker table as shipped.
pub const MARKERS_TOML: &str = include_str!("markers.toml");

/// The same table as JSON, written by the build script.
const MARKERS_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/markers.json"));

/// Where a marker looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Field {
    /// Commit author identity `Name <email>`.
    Author,
    /// Commit committer identity.
    Committer,
    /// A `Key: value` line of the commit message.
    Trailer,
    /// The whole commit message.
    Message,
    /// The commit subject.
    Subject,
    /// Pull-request author login.
    PrAuthor,
    /// Pull-request head branch.
    PrBranch,
    /// Pull-request title.
    PrTitle,
    /// Pull-request body.
    PrBody,
    /// One pull-request label.
    PrLabel,
}

#[derive(Deserialize)]
struct RawTable {
    #[serde(default)]
    ai_names: Vec<String>,
    agent: Vec<RawAgent>,
}

#[derive(Deserialize)]
struct RawAgent {
    id: String,
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    marker: Vec<RawMarker>,
}

#[derive(Deserialize)]
struct RawMarker {
    id: String,
    field: Field,
    #[serde(default)]
    keys: Vec<String>,
    pattern: String,
    confidence: Confidence,
    role: Role,
}

/// One compiled marker.
#[derive(Debug)]
pub struct Marker {
    /// Marker id.
    pub id: String,
    /// Agent id (`*`: named from the matched value).
    pub agent: String,
    /// Where it looks.
    pub field: Field,
    /// Accepted trailer keys (lower case).
    pub keys: Vec<String>,
    /// The pattern.
    pub pattern: LazyRegex,
    /// Confidence when it matches.
    pub confidence: Confidence,
    /// What the agent did.
    pub role: Role,
}

/// One agent of the table.
#[derive(Debug)]
pub struct Agent {
    /// Stable id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Lower-case words that name it in free text.
    pub aliases: Vec<String>,
}

/// The compiled table.
#[derive(Debug)]
pub struct Table {
    /// Agents, in table order.
    pub agents: Vec<Agent>,
    /// Markers, in table order.
    pub markers: Vec<Marker>,
    /// Extra lower-case words that name an AI tool.
    pub ai_names: Vec<String>,
}

impl Table {
    /// Compile a table from TOML text, checking every pattern now.
    pub fn from_toml(text: &str) -> Result<Table, String> {
        Self::from_toml_with(text, true)
    }

    /// [`Table::from_toml`], checking patterns now (`check`) or on first
    /// use (the shipped table, which a test checks).
    fn from_toml_with(text: &str, check: bool) -> Result<Table, String> {
        let raw: RawTable = toml::from_str(text).map_err(|e| format!("markers table: {e}"))?;
        Self::from_raw(raw, check)
    }

    fn from_raw(raw: RawTable, check: bool) -> Result<Table, String> {
        let mut agents = Vec::new();
        let mut markers = Vec::new();
        for a in raw.agent {
            for m in a.marker {
                let pattern = if check {
                    LazyRegex::new(&m.pattern, true)
                        .map_err(|e| format!("marker {}: bad pattern: {e}", m.id))?
                } else {
                    LazyRegex::deferred(&m.pattern, true)
                };
                markers.push(Marker {
                    id: m.id,
                    agent: a.id.clone(),
                    field: m.field,
                    keys: m.keys.iter().map(|k| k.to_ascii_lowercase()).collect(),
                    pattern,
                    confidence: m.confidence,
                    role: m.role,
                });
            }
            agents.push(Agent {
                id: a.id,
                name: a.name,
                aliases: a.aliases.iter().map(|s| s.to_lowercase()).collect(),
            });
        }
        Ok(Table {
            agents,
            markers,
            ai_names: raw.ai_names.iter().map(|s| s.to_lowercase()).collect(),
        })
    }

    /// Display name of an agent id.
    pub fn agent_name(&self, id: &str) -> String {
        self.agents
            .iter()
            .find(|a| a.id == id)
            .map(|a| a.name.clone())
            .unwrap_or_else(|| "AI assistant".to_string())
    }

    /// Name the agent in a free-text value (`Claude Opus 4.6 via Claude
    /// Code`): the first agent whose alias occurs as a word; `other` when
    /// only a generic AI name occurs; `None` when nothing names an AI.
    pub fn agent_in_text(&self, text: &str) -> Option<String> {
        let lower = text.to_lowercase();
        let mut best: Option<(usize, &str)> = None;
        for a in &self.agents {
            if a.id == "*" {
                continue;
            }
            for al in &a.aliases {
                if let Some(pos) = find_word(&lower, al) {
                    if best.is_none_or(|(p, _)| pos < p) {
                        best = Some((pos, &a.id));
                    }
                }
            }
        }
        if let Some((_, id)) = best {
            return Some(id.to_string());
        }
        if self.ai_names.iter().any(|n| find_word(&lower, n).is_some()) {
            return Some("other".to_string());
        }
        None
    }
}

/// Position of `word` in `hay` at a word start (an alias ending in a
/// non-alphanumeric character, like `gpt-`, may run on).
fn find_word(hay: &str, word: &str) -> Option<usize> {
    if word.is_empty() {
        return None;
    }
    let open_end = !word.chars().last().is_some_and(char::is_alphanumeric);
    let mut from = 0;
    while let Some(i) = hay.get(from..).and_then(|h| h.find(word)) {
        let at = from + i;
        let before_ok = hay[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let end = at + word.len();
        let after_ok = open_end
            || hay[end..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric());
        if before_ok && after_ok {
            return Some(at);
        }
        from = end;
    }
    None
}

/// The shipped table, compiled on first use.
pub fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| {
        // The shipped table is tested (`Table::from_toml` checks every
        // pattern); an error here is a build defect, and an empty table
        // keeps the analyser running.
        // The build script's JSON of the table reads quicker than the TOML
        // (a test shows the same table either way).
        serde_json::from_str::<RawTable>(MARKERS_JSON)
            .map_err(|e| e.to_string())
            .and_then(|raw| Table::from_raw(raw, false))
            .or_else(|_| Table::from_toml_with(MARKERS_TOML, false))
            .unwrap_or(Table {
                agents: Vec::new(),
                markers: Vec::new(),
                ai_names: Vec::new(),
            })
    })
}

/// Lines of a message that look like `Key: value`, at any position.
fn trailer_lines(message: &str) -> impl Iterator<Item = (&str, &str, &str)> {
    message.lines().filter_map(|line| {
        let t = line.trim_start();
        let colon = t.find(':')?;
        let key = &t[..colon];
        if key.is_empty()
            || key.len() > 40
            || !key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return None;
        }
        Some((key, t[colon + 1..].trim(), line.trim()))
    })
}

fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max).collect();
    out.push('…');
    out
}

/// Text around a regex match: the whole line that holds it.
fn line_of(text: &str, start: usize, end: usize) -> &str {
    let ls = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let le = text[end..].find('\n').map_or(text.len(), |i| end + i);
    text[ls..le].trim()
}

fn hit(table: &Table, m: &Marker, matched_text: &str, evidence: &str, source: Source) -> MarkerHit {
    let (agent, confidence) = if m.agent == "*" {
        match table.agent_in_text(matched_text) {
            Some(a) => (a, m.confidence),
            // A policy trailer that names no known AI tool
            // (`Generated-by: scripts/gen_tables.py`): reported as a
            // mention, never a verdict on its own.
            None => ("other".to_string(), Confidence::Low),
        }
    } else {
        (m.agent.clone(), m.confidence)
    };
    MarkerHit {
        agent_name: table.agent_name(&agent),
        agent,
        marker: m.id.clone(),
        confidence,
        role: m.role,
        source,
        evidence: clip(evidence, 200),
    }
}

/// Markers in one commit's metadata.
pub fn commit_markers(table: &Table, c: &Commit<'_>) -> Vec<MarkerHit> {
    let mut message = String::with_capacity(c.subject.len() + c.body.len() + 1);
    message.push_str(&c.subject);
    message.push('\n');
    message.push_str(&c.body);
    let mut out: Vec<MarkerHit> = Vec::new();
    for m in &table.markers {
        let found = match m.field {
            Field::Author | Field::Committer => {
                let ident = if m.field == Field::Author {
                    c.author.as_deref()
                } else {
                    c.committer.as_deref()
                };
                ident
                    .filter(|id| m.pattern.is_match(id))
                    .map(|id| hit(table, m, id, id, Source::Commit))
            }
            Field::Trailer => trailer_lines(&message).find_map(|(k, v, line)| {
                (m.keys.iter().any(|key| key.eq_ignore_ascii_case(k)) && m.pattern.is_match(v))
                    .then(|| hit(table, m, v, line, Source::Commit))
            }),
            Field::Message => m.pattern.find(&message).map(|x| {
                let line = line_of(&message, x.start(), x.end());
                hit(table, m, line, line, Source::Commit)
            }),
            Field::Subject => m
                .pattern
                .is_match(&c.subject)
                .then(|| hit(table, m, &c.subject, &c.subject, Source::Commit)),
            _ => None,
        };
        if let Some(h) = found {
            out.push(h);
        }
    }
    out
}

/// Markers in pull-request metadata.
pub fn pr_markers(table: &Table, pr: &PrMeta) -> Vec<MarkerHit> {
    let mut out = Vec::new();
    for m in &table.markers {
        let found = match m.field {
            Field::PrAuthor => pr
                .author
                .as_deref()
                .map(str::trim)
                .filter(|a| m.pattern.is_match(a))
                .map(|a| hit(table, m, a, a, Source::PullRequest)),
            Field::PrBranch => pr
                .head_ref
                .as_deref()
                .map(str::trim)
                .filter(|b| m.pattern.is_match(b))
                .map(|b| hit(table, m, b, b, Source::PullRequest)),
            Field::PrTitle => pr.title.as_deref().and_then(|t| {
                m.pattern
                    .is_match(t)
                    .then(|| hit(table, m, t, t, Source::PullRequest))
            }),
            Field::PrBody => pr.body.as_deref().and_then(|b| {
                m.pattern.find(b).map(|x| {
                    let line = line_of(b, x.start(), x.end());
                    hit(table, m, line, line, Source::PullRequest)
                })
            }),
            Field::PrLabel => pr
                .labels
                .iter()
                .map(|l| l.trim())
                .find(|l| m.pattern.is_match(l))
                .map(|l| hit(table, m, l, l, Source::PullRequest)),
            // Commit fields also apply to the PR title/body as a message:
            // a squash-merge PR body carries the commits' trailers.
            Field::Trailer => pr.body.as_deref().and_then(|b| {
                trailer_lines(b).find_map(|(k, v, line)| {
                    (m.keys.iter().any(|key| key.eq_ignore_ascii_case(k)) && m.pattern.is_match(v))
                        .then(|| hit(table, m, v, line, Source::PullRequest))
                })
            }),
            _ => None,
        };
        if let Some(h) = found {
            out.push(h);
        }
    }
    out
}

#[cfg(test)]
mod json_tests {
    use super::*;

    /// The build script's JSON of the marker table reads as the TOML does.
    #[test]
    fn the_json_table_is_the_toml_table() {
        let toml_raw: RawTable = toml::from_str(MARKERS_TOML).unwrap();
        let json_raw: RawTable = serde_json::from_str(MARKERS_JSON).unwrap();
        let a = Table::from_raw(toml_raw, false).unwrap();
        let b = Table::from_raw(json_raw, false).unwrap();
        assert!(a.markers.len() > 20, "{}", a.markers.len());
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
    }
}
