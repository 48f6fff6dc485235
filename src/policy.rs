//! The repository policy, `.blastradius.toml`.
//!
//! ```toml
//! # Top-level keys come before the first [table].
//! ignore_paths = ["vendor/**", "third_party/**"]
//! rule_packs = [".blastradius/rules/extra.toml"]   # read by the CLI
//!
//! # Paths that must not be changed lightly, with the reason shown to reviewers.
//! [[load_bearing]]
//! paths = ["src/billing/**", "migrations/**"]
//! symbols = ["charge_card", "refund"]
//! reason = "Moves money; a mistake is a customer-facing incident."
//!
//! # An AI-assisted change touching a load-bearing path needs one of these approvals.
//! [signoff]
//! when = "ai-assisted"          # or "always"
//! reviewers = ["alice", "bob"]
//!
//! [rules]
//! disable = ["todo-added"]
//! enable = []                   # rules that are off by default
//! severity = { commented-out-code = "warning" }
//!
//! [[ignore]]                    # per-path rule ignores
//! paths = ["db/migrations/**"]
//! rules = ["destructive-sql"]
//! ```
//!
//! A bad policy file gets a [`ConfigDiagnostic`] with line and column, and
//! the built-in defaults apply instead.

use crate::finding::Severity;
use crate::rules::data::compile_glob;
use crate::rules::{line_col, ConfigDiagnostic};
use globset::GlobMatcher;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where the policy file is expected in a repository.
pub const POLICY_FILE: &str = ".blastradius.toml";

/// Facts about the change that come from other stages or from the host.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct Facts {
    /// Whether the change is AI-assisted (from the authorship stage, or
    /// declared by the host/user); `None` when unknown.
    pub ai_assisted: Option<bool>,
    /// Logins of reviewers who approved the change (from the code host).
    pub approvals: Vec<String>,
}

/// The policy as written.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct PolicySpec {
    /// Load-bearing paths and symbols.
    pub load_bearing: Vec<LoadBearing>,
    /// The sign-off rule.
    pub signoff: Option<Signoff>,
    /// Rule switches and severity overrides.
    pub rules: RulesPolicy,
    /// Paths no rule looks at.
    pub ignore_paths: Vec<String>,
    /// Per-path rule ignores.
    pub ignore: Vec<PathIgnore>,
    /// Extra rule packs (repository paths), read by the CLI.
    pub rule_packs: Vec<String>,
}

/// One load-bearing area.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct LoadBearing {
    /// Path globs.
    pub paths: Vec<String>,
    /// Symbol names (functions, types) whose changes matter anywhere.
    pub symbols: Vec<String>,
    /// Why it is load-bearing (shown in findings).
    pub reason: String,
    /// Reviewers who can sign off this area (added to `[signoff].reviewers`).
    pub reviewers: Vec<String>,
}

/// When sign-off is required.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum SignoffWhen {
    /// Only for AI-assisted changes.
    #[default]
    AiAssisted,
    /// For every change to a load-bearing area.
    Always,
}

/// The sign-off rule.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct Signoff {
    /// When it applies.
    pub when: SignoffWhen,
    /// Reviewers whose approval satisfies it.
    pub reviewers: Vec<String>,
}

/// Rule switches.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct RulesPolicy {
    /// Rules to turn off.
    pub disable: Vec<String>,
    /// Rules to turn on (those off by default).
    pub enable: Vec<String>,
    /// Severity per rule id.
    pub severity: BTreeMap<String, Severity>,
}

/// Rules to ignore under some paths.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct PathIgnore {
    /// Path globs.
    pub paths: Vec<String>,
    /// Rule ids (`*` for all).
    pub rules: Vec<String>,
}

/// A compiled load-bearing area.
#[derive(Debug, Default)]
pub struct Area {
    /// Globs.
    pub paths: Vec<GlobMatcher>,
    /// Symbols.
    pub symbols: Vec<String>,
    /// Reason.
    pub reason: String,
    /// Area reviewers.
    pub reviewers: Vec<String>,
}

/// The policy, ready to apply.
#[derive(Debug, Default)]
pub struct CompiledPolicy {
    /// The spec as parsed (defaults when the file was bad).
    pub spec: PolicySpec,
    /// Load-bearing areas.
    pub areas: Vec<Area>,
    ignore_paths: Vec<GlobMatcher>,
    ignore: Vec<(Vec<GlobMatcher>, Vec<String>)>,
    text: String,
}

/// Parse and compile a policy. On a syntax or type error the defaults apply
/// and the error comes back with its line and column.
pub fn load(text: &str) -> (CompiledPolicy, Vec<ConfigDiagnostic>) {
    let mut diags = Vec::new();
    let diag = |offset: usize, message: String| {
        let (line, column) = line_col(text, offset);
        ConfigDiagnostic {
            source: POLICY_FILE.to_string(),
            line,
            column,
            message,
        }
    };
    let spec: PolicySpec = match toml::from_str(text) {
        Ok(s) => s,
        Err(e) => {
            let off = e.span().map(|s| s.start).unwrap_or(0);
            diags.push(diag(
                off,
                format!(
                    "{} (the policy is ignored; built-in defaults apply)",
                    e.message().trim()
                ),
            ));
            return (CompiledPolicy::default(), diags);
        }
    };
    let find = |needle: &str| text.find(needle).unwrap_or(0);
    let mut globs = |list: &[String]| -> Vec<GlobMatcher> {
        list.iter()
            .filter_map(|p| match compile_glob(p) {
                Ok(g) => Some(g),
                Err(e) => {
                    diags.push(diag(find(p), e));
                    None
                }
            })
            .collect()
    };
    let areas = spec
        .load_bearing
        .iter()
        .map(|a| Area {
            paths: globs(&a.paths),
            symbols: a.symbols.clone(),
            reason: a.reason.clone(),
            reviewers: a.reviewers.clone(),
        })
        .collect();
    let ignore_paths = globs(&spec.ignore_paths);
    let ignore = spec
        .ignore
        .iter()
        .map(|i| (globs(&i.paths), i.rules.clone()))
        .collect();
    (
        CompiledPolicy {
            areas,
            ignore_paths,
            ignore,
            text: text.to_string(),
            spec,
        },
        diags,
    )
}

impl CompiledPolicy {
    /// Whether a rule runs (`default` is the rule's own default).
    pub fn rule_enabled(&self, id: &str, default: bool) -> bool {
        let r = &self.spec.rules;
        if r.disable.iter().any(|d| d == id || d == "*") {
            return r.enable.iter().any(|e| e == id);
        }
        default || r.enable.iter().any(|e| e == id)
    }

    /// Severity override for a rule.
    pub fn severity_override(&self, id: &str) -> Option<Severity> {
        self.spec.rules.severity.get(id).copied()
    }

    /// Whether findings of a rule on a path are ignored.
    pub fn ignores(&self, path: &str, rule: &str) -> bool {
        self.ignore_paths.iter().any(|g| g.is_match(path))
            || self.ignore.iter().any(|(globs, rules)| {
                rules.iter().any(|r| r == rule || r == "*")
                    && globs.iter().any(|g| g.is_match(path))
            })
    }

    /// The load-bearing areas a path is in.
    pub fn areas_for<'s>(&'s self, path: &'s str) -> impl Iterator<Item = &'s Area> + 's {
        self.areas
            .iter()
            .filter(move |a| a.paths.iter().any(|g| g.is_match(path)))
    }

    /// Warnings for rule ids the policy names that no rule has.
    pub fn check_rule_ids(&self, known: &dyn Fn(&str) -> bool) -> Vec<ConfigDiagnostic> {
        let r = &self.spec.rules;
        let named = r
            .disable
            .iter()
            .chain(r.enable.iter())
            .chain(r.severity.keys())
            .chain(self.spec.ignore.iter().flat_map(|i| i.rules.iter()));
        let mut out = Vec::new();
        for id in named {
            if id == "*" || known(id) {
                continue;
            }
            let off = self
                .text
                .find(&format!("\"{id}\""))
                .or_else(|| self.text.find(id.as_str()));
            let (line, column) = line_col(&self.text, off.unwrap_or(0));
            out.push(ConfigDiagnostic {
                source: POLICY_FILE.to_string(),
                line: if off.is_some() { line } else { 0 },
                column: if off.is_some() { column } else { 0 },
                message: format!("unknown rule id `{id}`: run `blastradius rules` for the list"),
            });
        }
        out
    }

    /// Everyone who can sign off a change in an area.
    pub fn signoff_reviewers(&self, area: &Area) -> Vec<String> {
        let mut v: Vec<String> = self
            .spec
            .signoff
            .iter()
            .flat_map(|s| s.reviewers.iter().cloned())
            .chain(area.reviewers.iter().cloned())
            .collect();
        v.sort();
        v.dedup();
        v
    }
}
