//! Unified-diff reader and model.
//!
//! [`parse`] reads `git diff`, `git show`, `git log -p`, `git format-patch`
//! / mbox streams, combined merge diffs and plain `diff -u` output into a
//! [`Patch`] that borrows from the input.

mod model;
mod parse;
mod stat;
mod stream;

pub use model::*;
pub use parse::parse;
pub use stat::{numstat, quote_path, summary};
pub use stream::{Event, StreamFile, StreamParser};
