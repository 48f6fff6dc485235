//! A small, language-aware tokenizer used to classify edits (whitespace,
//! comment, rename, literal) without a tree, so it works on any text,
//! including files past the parse limits and languages without a grammar.

use crate::lang::Lexical;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokKind {
    /// Identifier or keyword.
    Ident,
    /// Number literal.
    Number,
    /// String or char literal (quotes included).
    Str,
    /// Comment.
    Comment,
    /// Punctuation or operator (one char).
    Punct,
    /// A run of whitespace (only produced when asked for).
    Space,
}

/// A token: kind and byte range in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tok {
    /// Kind.
    pub kind: TokKind,
    /// Start byte.
    pub start: usize,
    /// End byte (exclusive).
    pub end: usize,
}

/// Lexical conventions for C-like text (tests, similarity).
pub const DEFAULT_LEXICAL: Lexical = Lexical {
    line_comments: &["//", "#"],
    block_comment: Some(("/*", "*/")),
    quotes: &['"', '\''],
};

/// Lexical conventions for files of unknown type (prose, templates): no
/// comments (`#` is a Markdown heading) and only double quotes (an
/// apostrophe in prose is not a string).
pub const PLAIN_LEXICAL: Lexical = Lexical {
    line_comments: &[],
    block_comment: None,
    quotes: &['"'],
};

fn is_ident_start(c: char) -> bool {
    c == '_' || c == '$' || c.is_alphabetic()
}
fn is_ident_char(c: char) -> bool {
    c == '_' || c == '$' || c.is_alphanumeric()
}

/// Tokenize `text`. Whitespace tokens are produced only when `spaces`.
/// Never fails: unterminated strings and comments run to the end of the
/// line (strings) or the input (block comments).
pub fn tokenize(text: &str, lex: &Lexical, spaces: bool) -> Vec<Tok> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0usize;
    while i < text.len() {
        let rest = match text.get(i..) {
            Some(r) => r,
            None => break,
        };
        let Some(c) = rest.chars().next() else { break };
        let start = i;
        if c.is_whitespace() {
            let n = rest
                .char_indices()
                .find(|(_, ch)| !ch.is_whitespace())
                .map(|(k, _)| k)
                .unwrap_or(rest.len());
            i += n;
            if spaces {
                out.push(Tok {
                    kind: TokKind::Space,
                    start,
                    end: i,
                });
            }
            continue;
        }
        if let Some(lc) = lex.line_comments.iter().find(|p| rest.starts_with(**p)) {
            let _ = lc;
            let n = rest.find('\n').unwrap_or(rest.len());
            i += n;
            out.push(Tok {
                kind: TokKind::Comment,
                start,
                end: i,
            });
            continue;
        }
        if let Some((open, close)) = lex.block_comment {
            if rest.starts_with(open) {
                let n = rest
                    .get(open.len()..)
                    .and_then(|r| r.find(close))
                    .map(|k| open.len() + k + close.len())
                    .unwrap_or(rest.len());
                i += n;
                out.push(Tok {
                    kind: TokKind::Comment,
                    start,
                    end: i,
                });
                continue;
            }
        }
        if lex.quotes.contains(&c) {
            // Scan to the closing quote on the same line, honouring `\`.
            let mut j = i + c.len_utf8();
            let mut closed = false;
            while j < bytes.len() {
                match bytes.get(j) {
                    Some(b'\\') => j += 2,
                    Some(b'\n') => break,
                    Some(&b) if b as char == c && c.is_ascii() => {
                        j += 1;
                        closed = true;
                        break;
                    }
                    _ => j += 1,
                }
            }
            let _ = closed;
            let mut end = j.min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            i = end;
            out.push(Tok {
                kind: TokKind::Str,
                start,
                end: i,
            });
            continue;
        }
        if c.is_ascii_digit() {
            let n = rest
                .char_indices()
                .find(|(_, ch)| !(ch.is_ascii_alphanumeric() || *ch == '.' || *ch == '_'))
                .map(|(k, _)| k)
                .unwrap_or(rest.len());
            i += n;
            out.push(Tok {
                kind: TokKind::Number,
                start,
                end: i,
            });
            continue;
        }
        if is_ident_start(c) {
            let n = rest
                .char_indices()
                .find(|(_, ch)| !is_ident_char(*ch))
                .map(|(k, _)| k)
                .unwrap_or(rest.len());
            i += n;
            out.push(Tok {
                kind: TokKind::Ident,
                start,
                end: i,
            });
            continue;
        }
        i += c.len_utf8();
        out.push(Tok {
            kind: TokKind::Punct,
            start,
            end: i,
        });
    }
    out
}

/// Words that are keywords in common languages: substituting one is not a
/// rename.
pub fn is_keyword(s: &str) -> bool {
    matches!(
        s,
        "if" | "else"
            | "for"
            | "while"
            | "return"
            | "true"
            | "false"
            | "null"
            | "nil"
            | "None"
            | "True"
            | "False"
            | "and"
            | "or"
            | "not"
            | "in"
            | "is"
            | "pub"
            | "public"
            | "private"
            | "protected"
            | "static"
            | "const"
            | "let"
            | "var"
            | "mut"
            | "async"
            | "await"
            | "break"
            | "continue"
            | "throw"
            | "raise"
            | "try"
            | "catch"
            | "except"
            | "finally"
            | "new"
            | "delete"
            | "def"
            | "fn"
            | "func"
            | "function"
            | "class"
            | "struct"
            | "enum"
            | "import"
            | "export"
            | "from"
            | "use"
            | "unsafe"
            | "self"
            | "this"
            | "super"
            | "void"
            | "undefined"
            | "yield"
            | "match"
            | "case"
            | "switch"
            | "default"
            | "goto"
            | "assert"
            | "with"
            | "as"
            | "typeof"
            | "instanceof"
            | "sizeof"
            | "lambda"
            | "pass"
            | "end"
            | "unless"
            | "then"
            | "do"
            | "done"
            | "fi"
            | "elif"
            | "elsif"
            | "DROP"
            | "DELETE"
            | "TRUNCATE"
            | "GRANT"
            | "REVOKE"
            | "ALTER"
            | "INSERT"
            | "UPDATE"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<(TokKind, &str)> {
        tokenize(s, &DEFAULT_LEXICAL, false)
            .into_iter()
            .map(|t| (t.kind, &s[t.start..t.end]))
            .collect()
    }

    #[test]
    fn splits_code_strings_comments() {
        let t = kinds("let x = \"a // b\" + 42; // note");
        assert_eq!(
            t,
            vec![
                (TokKind::Ident, "let"),
                (TokKind::Ident, "x"),
                (TokKind::Punct, "="),
                (TokKind::Str, "\"a // b\""),
                (TokKind::Punct, "+"),
                (TokKind::Number, "42"),
                (TokKind::Punct, ";"),
                (TokKind::Comment, "// note"),
            ]
        );
    }

    #[test]
    fn never_panics_on_odd_input() {
        for s in ["\"", "/*", "'\\", "é\"é\\é", "\u{0}\u{ffff}", "\"\\\u{e9}"] {
            let toks = tokenize(s, &DEFAULT_LEXICAL, true);
            for t in toks {
                assert!(s.get(t.start..t.end).is_some(), "{s:?}");
            }
        }
    }
}
