//! # Blast Radius
//!
//! Client-side review support for pull requests: read a unified diff,
//! parse the changed code with tree-sitter, and report the changes a
//! reviewer must not wave through.
//!
//! The core is plain Rust, data in and data out: [`analyze::analyze`]
//! takes the bytes of a diff and returns a [`analyze::Report`]. The CLI
//! (`src/main.rs`) and the WebAssembly boundary (`src/wasm.rs`) are thin
//! layers over it.
//!
//! ```
//! let diff = b"diff --git a/db.sql b/db.sql\n--- a/db.sql\n+++ b/db.sql\n@@ -1 +1,2 @@\n keep\n+DROP TABLE users;\n";
//! let report = blastradius::analyze::analyze(diff, &Default::default()).unwrap();
//! assert_eq!(report.findings[0].rule_id, "destructive-sql");
//! assert_eq!(report.findings[0].line, 2);
//! ```
#![warn(missing_docs)]

pub mod ai;
pub mod analyze;
pub mod diff;
pub mod finding;
pub mod lang;
pub mod policy;
pub mod report;
pub mod risk;
pub mod rules;
pub mod syntax;
pub mod textmatch;

#[cfg(target_arch = "wasm32")]
mod wasm;
