//! Renderers: one [`Report`](crate::analyze::Report), several formats.

mod json;
mod text;

pub use json::render as json;
pub use text::render as text;
