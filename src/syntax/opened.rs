//! Text a hunk starts inside of: a Python triple-quoted string or a block
//! comment opened above the hunk, where the diff does not show it.
//!
//! A hunk is rebuilt from its own lines, so a docstring or `/* … */`
//! comment that began above the first line reads as code up to its
//! closing quotes or `*/`: prose parses as statements, a `def f(): ...`
//! in a docstring's example becomes a new empty function, and a comment's
//! words become calls and comparisons. [`opened_above`] finds where such
//! text ends, from the first delimiter the hunk shows: when that delimiter
//! can only close, everything up to it was inside.

/// What a hunk can start inside of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opener {
    /// Python's `"""` and `'''` strings.
    TripleQuote,
    /// C-style `/* … */` comments.
    BlockComment,
}

/// Text opened above a hunk: its rows `0..=row` are inside it, and in
/// row `row` it ends at byte `end` (just past the closing delimiter).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Opened {
    /// The row that closes it.
    pub row: usize,
    /// Byte offset in that row just past the closing delimiter.
    pub end: usize,
}

/// Where the text opened above a hunk ends, given one side's rows in
/// order; `None` when the hunk does not start inside such text, or when
/// the rows cannot tell (a lone `"""` on the first row opens as well as it
/// closes).
///
/// Triple quotes: the first row with `"""` or `'''` (rows that are `#`
/// comments aside) decides. The quotes close a string opened above when
/// they are not reopened on the row and are not where a string starts:
/// after prose or code that ends a string (`more words."""`,
/// `SELECT 1"""`), or at the start of a row followed by what can only
/// follow a string (`""".format(`, `"""),`), or alone on a row after a row
/// that does not end with `:` (a block header, before a docstring), `(`,
/// `=`, `,` or `[` (where a string starts). A string prefix (`r"""`,
/// `f"""`) or an operator before the quotes opens one.
///
/// Block comments: the first row with `/*` or `*/` decides; `*/` first
/// closes a comment opened above.
pub fn opened_above<S: AsRef<str>>(
    kind: Opener,
    rows: impl IntoIterator<Item = S>,
) -> Option<Opened> {
    match kind {
        Opener::TripleQuote => triple_quote(rows),
        Opener::BlockComment => block_comment(rows),
    }
}

fn block_comment<S: AsRef<str>>(rows: impl IntoIterator<Item = S>) -> Option<Opened> {
    for (row, t) in rows.into_iter().enumerate() {
        let t = t.as_ref();
        let open = t.find("/*");
        let close = t.find("*/");
        match (open, close) {
            (None, None) => continue,
            (Some(o), Some(c)) if o < c => return None,
            (_, Some(c)) => return Some(Opened { row, end: c + 2 }),
            (Some(_), None) => return None,
        }
    }
    None
}

fn triple_quote<S: AsRef<str>>(rows: impl IntoIterator<Item = S>) -> Option<Opened> {
    // Whether the last row with text before the current one ends where a
    // string can start (`def f():`, `run(`, `x =`).
    let mut prev: Option<bool> = None;
    for (row, t) in rows.into_iter().enumerate() {
        let t = t.as_ref();
        let trimmed = t.trim();
        let found = ["\"\"\"", "'''"]
            .into_iter()
            .filter_map(|q| t.find(q).map(|k| (k, q)))
            .min();
        let Some((at, q)) = found else {
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                prev = Some(starts_string(trimmed));
            }
            continue;
        };
        if trimmed.starts_with('#') {
            continue;
        }
        let before = t[..at].trim();
        let after = &t[at + 3..];
        if after.contains(q) {
            // Opened and closed on the row (or closed and reopened: too
            // rare to read).
            return None;
        }
        let closes = if before.is_empty() {
            let rest = after.trim();
            match rest.bytes().next() {
                Some(c) => matches!(c, b')' | b',' | b'.' | b']' | b'}' | b';' | b'%'),
                None => prev == Some(false),
            }
        } else {
            !opens_after(before)
        };
        return closes.then_some(Opened { row, end: at + 3 });
    }
    None
}

/// Whether a string can start on the row after `t`: a block header
/// (before a docstring), an open bracket, an assignment or a comma.
fn starts_string(t: &str) -> bool {
    t.ends_with([':', '(', '=', ',', '[', '{'])
}

/// Whether quotes right after `before` (a row's trimmed text before them)
/// start a string: after an operator or opening bracket, `return`/`yield`,
/// or a string prefix (`r`, `b`, `f`, `u`, `rb`, `fr`, … in any case).
fn opens_after(before: &str) -> bool {
    if before.ends_with([
        '=', '(', ',', '[', '{', '+', ':', '%', '*', '|', '&', '<', '>', '!', '-', '/', '@',
    ]) {
        return true;
    }
    let word_len = before
        .bytes()
        .rev()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_')
        .count();
    let word = &before[before.len() - word_len..];
    if matches!(
        word,
        "return" | "yield" | "in" | "and" | "or" | "not" | "else"
    ) {
        return true;
    }
    // A string prefix right before the quotes (`word` is the whole run
    // of name characters there, so `elif` is no prefix).
    (1..=2).contains(&word.len())
        && word
            .bytes()
            .all(|c| matches!(c.to_ascii_lowercase(), b'r' | b'b' | b'f' | b'u'))
}

/// Prefect's `decorators.py` (ai-dev): a hunk that starts inside a
/// docstring's example and leaves it at row 7.
#[cfg(test)]
pub(crate) const PREFECT_DOCSTRING_EXAMPLE: &[&str] = &[
    "",
    "        # This will run the flow in an ECS task",
    "        my_flow()",
    "        @flow",
    "        def my_flow_with_files():",
    "            ...",
    "        ```",
    "    \"\"\"",
    "    if include_files is not None:",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn tq(rows: &[&str]) -> Option<(usize, usize)> {
        opened_above(Opener::TripleQuote, rows.iter().copied()).map(|o| (o.row, o.end))
    }

    #[test]
    fn a_docstring_opened_above_ends_at_its_closing_quotes() {
        assert_eq!(tq(PREFECT_DOCSTRING_EXAMPLE), Some((7, 7)));
        // Prose ending in the quotes.
        assert_eq!(
            tq(&[
                "        transmission, returns -errno.EAGAIN immediately.\"\"\"",
                "        x = 1"
            ]),
            Some((0, 59))
        );
        // An SQL string closed and formatted.
        assert_eq!(
            tq(&["        '''.format(", "            table)"]),
            Some((0, 11))
        );
        assert_eq!(tq(&["    SELECT 1", "    \"\"\")"]), Some((1, 7)));
    }

    #[test]
    fn quotes_that_open_a_string_are_not_a_close() {
        // A docstring after its header.
        assert_eq!(
            tq(&["def f():", "    \"\"\"", "    Words.", "    \"\"\""]),
            None
        );
        assert_eq!(tq(&["def f():", "    \"\"\"Words.", "    \"\"\""]), None);
        // One-line strings, assignments, arguments, prefixes.
        assert_eq!(tq(&["    \"\"\"Return x.\"\"\"", "    \"\"\""]), None);
        assert_eq!(tq(&["    sql = \"\"\"", "    DELETE FROM t"]), None);
        assert_eq!(tq(&["    run(", "        \"\"\"", "    x"]), None);
        assert_eq!(tq(&["    return f'''", "    {x}"]), None);
        assert_eq!(tq(&["    q = rb\"\"\"", "    x"]), None);
        assert_eq!(tq(&["x = (r\"\"\"", "a"]), None);
        // A lone quote on the first row: cannot tell.
        assert_eq!(tq(&["    \"\"\"", "    x = 1"]), None);
        // Quotes in a comment do not decide; no quotes at all: nothing.
        assert_eq!(tq(&["    # use \"\"\" here", "    x = 1"]), None);
        assert_eq!(tq(&["x = 1", "y = 2"]), None);
        assert_eq!(tq(&[]), None);
    }

    #[test]
    fn a_block_comment_opened_above_ends_at_its_close() {
        let bc = |rows: &[&str]| {
            opened_above(Opener::BlockComment, rows.iter().copied()).map(|o| (o.row, o.end))
        };
        assert_eq!(
            bc(&[
                " * the table is full.",
                "   MS_VERBOSE is deprecated. */",
                "int x;"
            ]),
            Some((1, 31))
        );
        assert_eq!(bc(&["int x;", "/* a */", "y"]), None);
        assert_eq!(bc(&["int x;", "/* a", " b */"]), None);
        assert_eq!(bc(&["int x;"]), None);
        // Odd bytes do not panic.
        assert_eq!(bc(&["é*/"]), Some((0, 4)));
        assert_eq!(tq(&["é\"\"\"ü"]), Some((0, 5)));
    }
}
