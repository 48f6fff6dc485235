use super::{clip, Ctx};
use crate::diff::LineKind;
use crate::finding::{Category, Confidence, Finding, Severity, Side};
use crate::lang::Lang;
use crate::syntax::lexer::{tokenize, Tok, TokKind};
use crate::textmatch::LazyRegex;
use std::collections::HashMap;
use std::sync::LazyLock;

crate::declare_rule! {
    /// ## What it does
    /// Flags `_ = f()`, `v, _ := f()` and `_, _ = f()` added to non-test Go
    /// code (outside `_test.go` files, `testdata/` and example directories)
    /// when the discarded last result is, or may be, an error. A function
    /// the diff defines is looked up: when its last result is not an error
    /// (`(index, term uint64)`) nothing is reported, when it is the finding
    /// says so. Results that are not errors by the language or the standard
    /// library are skipped: type assertions, map lookups and channel
    /// receives (`v, _ := m[k]`), `sync.Map.LoadOrStore`, `os.LookupEnv`,
    /// `strings.Cut`, `context.WithTimeout`'s cancel function (`go vet`
    /// reports that one), `errgroup.WithContext`, `runtime.Caller`. So are
    /// writes to buffers (`fmt.Fprintf`, `Write`, `WriteString`), `Close`,
    /// `strconv` parsing a literal, and a discard that a comment on the line
    /// or just above explains (it names the error, or says "ignore",
    /// "best effort", "cannot fail").
    ///
    /// ## Why it matters
    /// Assigning a returned error to `_` hides failures: the code goes on
    /// with a zero value as if the call had succeeded, and nothing is logged.
    ///
    /// ## Example
    /// ```go
    /// func load(p string) Config {
    ///     data, _ := os.ReadFile(p)
    ///     return parse(data)
    /// }
    /// ```
    /// Check what the call can fail with here, and ask for the error to be
    /// handled or returned.
    ///
    /// ## False positives
    /// Calls documented never to fail for the arguments given. A function
    /// the diff does not define is reported with medium confidence ("possible
    /// error"): its second result may be a flag or a count.
    pub static RULE = {
        id: "go-error-ignored",
        category: Category::Risk,
        severity: Severity::Warning,
        confidence: Confidence::High,
        summary: "Go error value discarded with `_`",
        languages: &[Lang::Go],
        check: check,
    }
}

/// An assignment whose last target is the blank identifier.
static BLANK: LazyLock<LazyRegex> =
    LazyLock::new(|| crate::textmatch::lazy(r"^\s*((?:[\w.]+\s*,\s*)*)_\s*:?=\s*(\S.*)$"));

/// A comment that says why the value is dropped.
static JUSTIFIED: LazyLock<LazyRegex> = LazyLock::new(|| {
    crate::textmatch::lazy(
        r"(?i)\b(ignor\w*|best[- ]effort|never (fails?|returns?)|can ?not fail|can't fail|always (succeeds?|nil)|safe to|don'?t care|does not matter|doesn't matter|intentional\w*|on purpose|nolint|errs?|errors?)\b",
    )
});

/// Calls whose extra results are not errors: `(qualifier, name)`, an
/// empty qualifier for any receiver.
const NOT_ERRORS: &[(&str, &str)] = &[
    ("", "LoadOrStore"),
    ("", "LoadAndDelete"),
    ("os", "LookupEnv"),
    ("syscall", "Getenv"),
    ("strings", "Cut"),
    ("strings", "CutPrefix"),
    ("strings", "CutSuffix"),
    ("bytes", "Cut"),
    ("bytes", "CutPrefix"),
    ("bytes", "CutSuffix"),
    ("utf8", "DecodeRune"),
    ("utf8", "DecodeRuneInString"),
    ("utf8", "DecodeLastRune"),
    ("utf8", "DecodeLastRuneInString"),
    ("runtime", "Caller"),
    ("runtime", "ThreadCreateProfile"),
    ("runtime", "MemProfile"),
    ("runtime", "BlockProfile"),
    ("runtime", "MutexProfile"),
    ("runtime", "GoroutineProfile"),
    ("context", "WithCancel"),
    ("context", "WithCancelCause"),
    ("context", "WithTimeout"),
    ("context", "WithTimeoutCause"),
    ("context", "WithDeadline"),
    ("context", "WithDeadlineCause"),
    ("signal", "NotifyContext"),
    ("errgroup", "WithContext"),
    ("pem", "Decode"),
    ("", "SetString"),
];

/// Calls whose dropped value is a write to a buffer or a close: skipped.
const SKIPPED: &[&str] = &[
    "Fprint",
    "Fprintf",
    "Fprintln",
    "Write",
    "WriteString",
    "WriteByte",
    "WriteRune",
    "Close",
];

/// Packages whose functions with a second result return an error.
const ERROR_PACKAGES: &[&str] = &[
    "os",
    "io",
    "ioutil",
    "json",
    "xml",
    "csv",
    "strconv",
    "http",
    "url",
    "filepath",
    "sql",
    "exec",
    "net",
    "template",
    "gzip",
    "zlib",
    "x509",
    "tls",
    "syscall",
    "unix",
    "StdEncoding",
    "URLEncoding",
    "RawStdEncoding",
    "RawURLEncoding",
    "hex",
    "yaml",
    "toml",
    "proto",
    "regexp",
];

/// What a function the diff defines returns.
#[derive(Clone, Copy, PartialEq, Debug)]
pub(crate) enum Returns {
    /// Its last result is an error (`error` or a type named `…Error`).
    Error,
    /// It has results; the last is not an error.
    Other,
}

/// A line's tokens by Go's lexical rules (strings, runes and comments
/// are single tokens, so their brackets do not count).
fn tokens(s: &str) -> Vec<Tok> {
    tokenize(s, &Lang::Go.info().lexical, false)
}

fn is_punct(s: &str, t: &Tok, c: &str) -> bool {
    t.kind == TokKind::Punct && &s[t.start..t.end] == c
}

/// The index of the token that closes the bracket at `toks[i]`; `None`
/// when it does not close on the line.
fn close(s: &str, toks: &[Tok], i: usize) -> Option<usize> {
    let mut depth = 0i32;
    for (k, t) in toks.iter().enumerate().skip(i) {
        if t.kind != TokKind::Punct {
            continue;
        }
        match &s[t.start..t.end] {
            "(" | "[" | "{" => depth += 1,
            ")" | "]" | "}" => {
                depth -= 1;
                if depth == 0 {
                    return Some(k);
                }
            }
            _ => {}
        }
    }
    None
}

/// Read a Go function declaration line: its name and what its last result is.
/// `None` for anything else (a literal, a declaration spread over lines).
pub(crate) fn signature(line: &str) -> Option<(&str, Returns)> {
    let toks = tokens(line);
    let text = |t: &Tok| &line[t.start..t.end];
    if text(toks.first()?) != "func" {
        return None;
    }
    let mut i = 1;
    if is_punct(line, toks.get(i)?, "(") {
        i = close(line, &toks, i)? + 1;
    }
    let name = toks.get(i).filter(|t| t.kind == TokKind::Ident)?;
    i += 1;
    if is_punct(line, toks.get(i)?, "[") {
        i = close(line, &toks, i)? + 1;
    }
    if !is_punct(line, toks.get(i)?, "(") {
        return None;
    }
    i = close(line, &toks, i)? + 1;
    let mut results = &toks[i..];
    if results.last().is_some_and(|t| is_punct(line, t, "{")) {
        results = &results[..results.len() - 1];
    }
    let first = results.first()?;
    if is_punct(line, first, "(") {
        // `(a, b T, err error)`: the last top-level part is the last result.
        let end = close(line, results, 0)?;
        let mut depth = 0;
        let mut from = 1;
        for (k, t) in results.iter().enumerate().take(end).skip(1) {
            match text(t) {
                "(" | "[" | "{" if t.kind == TokKind::Punct => depth += 1,
                ")" | "]" | "}" if t.kind == TokKind::Punct => depth -= 1,
                "," if t.kind == TokKind::Punct && depth == 0 => from = k + 1,
                _ => {}
            }
        }
        results = &results[from..end];
    }
    // The type is the last name: `err error`, `*pkg.MultiError`.
    let ty = text(results.iter().rev().find(|t| t.kind == TokKind::Ident)?);
    Some((
        text(name),
        if ty == "error" || ty.ends_with("Error") {
            Returns::Error
        } else {
            Returns::Other
        },
    ))
}

/// The code of a line and its trailing `//` comment (outside strings).
fn split_comment(s: &str) -> (&str, &str) {
    match tokens(s)
        .iter()
        .find(|t| t.kind == TokKind::Comment && s[t.start..].starts_with("//"))
    {
        Some(t) => (&s[..t.start], &s[t.start + 2..]),
        None => (s, ""),
    }
}

/// What the right-hand side of a blank assignment is.
#[derive(Debug, PartialEq)]
enum Rhs<'s> {
    /// A call: the receiver or package written before the name, and the
    /// name of the last call in a chain (`promauto.With(r).NewGauge(` →
    /// `("", "NewGauge")`; `os.ReadFile(` → `("os", "ReadFile")`).
    Call(&'s str, &'s str),
    /// Not a call, or a form whose extra result is not an error (type
    /// assertion, index, receive).
    Other,
}

fn rhs(s: &str) -> Rhs<'_> {
    let s = s.trim();
    if s.starts_with("<-") || s.starts_with("range") || s.starts_with("func") {
        return Rhs::Other;
    }
    let toks = tokens(s);
    let text = |t: &Tok| &s[t.start..t.end];
    let mut depth = 0i32;
    // The last call at depth 0: the token index of its name.
    let mut last: Option<usize> = None;
    let mut ends_with_assertion = false;
    for (k, t) in toks.iter().enumerate() {
        if t.kind != TokKind::Punct {
            continue;
        }
        match text(t) {
            "(" => {
                if depth == 0 {
                    let before = k.checked_sub(1).map(|j| &toks[j]);
                    ends_with_assertion = before.is_some_and(|b| is_punct(s, b, "."));
                    if before.is_some_and(|b| b.kind == TokKind::Ident) {
                        last = Some(k - 1);
                    }
                }
                depth += 1;
            }
            "[" | "{" => depth += 1,
            ")" | "]" | "}" => depth -= 1,
            _ => {}
        }
    }
    if ends_with_assertion || s.ends_with(']') {
        return Rhs::Other;
    }
    let Some(n) = last else {
        return Rhs::Other;
    };
    // `pkg.Name(` or `recv.Name(`: the name written before the dot.
    let qual = match (
        n.checked_sub(2).map(|j| &toks[j]),
        n.checked_sub(1).map(|j| &toks[j]),
    ) {
        (Some(q), Some(dot)) if q.kind == TokKind::Ident && is_punct(s, dot, ".") => text(q),
        _ => "",
    };
    Rhs::Call(qual, text(&toks[n]))
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    // Every function the diff shows the declaration of, in any Go file.
    let mut defined: HashMap<String, Returns> = HashMap::new();
    for (fi, f) in ctx.patch.files.iter().enumerate() {
        if ctx.files.get(fi).and_then(|fc| fc.lang_id) != Some("go") {
            continue;
        }
        for l in f.hunks.iter().flat_map(|h| &h.lines) {
            let t = ctx.patch.line_text(l);
            if let Some((name, r)) = signature(&t) {
                // Same name, other receivers: an error anywhere keeps it.
                let e = defined.entry(name.to_string()).or_insert(r);
                if r == Returns::Error {
                    *e = Returns::Error;
                }
            }
        }
    }
    for (fi, f) in ctx.patch.files.iter().enumerate() {
        let Some(fc) = ctx.files.get(fi) else {
            continue;
        };
        if fc.lang_id != Some("go") || fc.is_test || fc.is_doc || fc.is_example || fc.pulled {
            continue;
        }
        let mut n = 0;
        for h in &f.hunks {
            let mut above = String::new();
            for l in &h.lines {
                if l.kind == LineKind::Removed {
                    continue;
                }
                let t = ctx.patch.line_text(l);
                let prev = std::mem::replace(&mut above, t.to_string());
                let no = l.new_no().unwrap_or(0);
                if l.kind != LineKind::Added || n >= 3 || ctx.is_comment(fi, l.kind, no, &t) {
                    continue;
                }
                let (code, comment) = split_comment(&t);
                let Some(c) = BLANK.captures(code) else {
                    continue;
                };
                let Rhs::Call(qual, name) = rhs(c.get(2).map_or("", |m| m.as_str())) else {
                    continue;
                };
                if SKIPPED.contains(&name)
                    || NOT_ERRORS
                        .iter()
                        .any(|&(q, nm)| nm == name && (q.is_empty() || q == qual))
                    || (qual == "strconv" && code.contains(&format!("{name}(\"")))
                {
                    continue;
                }
                let prev_comment = prev.trim_start().strip_prefix("//").unwrap_or("");
                if JUSTIFIED.is_match(comment) || JUSTIFIED.is_match(prev_comment) {
                    continue;
                }
                let callee = if qual.is_empty() {
                    name.to_string()
                } else {
                    format!("{qual}.{name}")
                };
                let known = match defined.get(name) {
                    Some(Returns::Other) => continue,
                    Some(Returns::Error) => true,
                    None => ERROR_PACKAGES.contains(&qual),
                };
                let mut fd = ctx.finding(&RULE, f, Side::New, no, no);
                if known {
                    fd.message = format!("Error from `{callee}` discarded with `_`");
                    fd.explanation = format!(
                        "Assigning the returned error to `_` hides failures: the code goes on with \
                         a zero value as if `{callee}` had succeeded, and nothing is logged. Check \
                         what it can fail with here, and ask for the error to be handled or returned."
                    );
                } else {
                    fd.confidence = Confidence::Medium;
                    fd.message = format!("Possible error from `{callee}` discarded with `_`");
                    fd.explanation = format!(
                        "The diff does not show what `{name}` returns. If its last result is an \
                         error, assigning it to `_` hides failures: the code goes on with a zero \
                         value as if the call had succeeded. Check the signature, and ask for the \
                         error to be handled or returned."
                    );
                }
                fd.evidence = clip(&t, 160);
                out.push(fd);
                n += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures() {
        let r = |s| signature(s);
        assert_eq!(
            r("func (r *Raft) getLastLog() (index, term uint64) {"),
            Some(("getLastLog", Returns::Other))
        );
        assert_eq!(
            r("func load(p string) ([]byte, error) {"),
            Some(("load", Returns::Error))
        );
        assert_eq!(
            r("func (c *Codec) Get(key string) (v string, err error)"),
            Some(("Get", Returns::Error))
        );
        assert_eq!(r("func run() error {"), Some(("run", Returns::Error)));
        assert_eq!(
            r("func parse() *MultiError {"),
            Some(("parse", Returns::Error))
        );
        assert_eq!(
            r("func Map[K comparable, V any](m map[K]V) (K, bool) {"),
            Some(("Map", Returns::Other))
        );
        assert_eq!(
            r("func split(s, sep string) (string, string) {"),
            Some(("split", Returns::Other))
        );
        assert_eq!(r("func main() {"), None);
        assert_eq!(r("func open(p string,"), None);
        assert_eq!(r("f := func() (int, error) {"), None);
        assert_eq!(r("funcs := 3"), None);
    }

    #[test]
    fn right_hand_sides() {
        assert_eq!(rhs("os.ReadFile(p)"), Rhs::Call("os", "ReadFile"));
        assert_eq!(
            rhs("promauto.With(reg).NewGaugeFunc(prometheus.GaugeOpts{"),
            Rhs::Call("", "NewGaugeFunc")
        );
        assert_eq!(
            rhs("base64.StdEncoding.DecodeString(s)"),
            Rhs::Call("StdEncoding", "DecodeString")
        );
        assert_eq!(rhs("ctx.Value(RouteCtxKey).(*Context)"), Rhs::Other);
        assert_eq!(rhs("v.([]string)"), Rhs::Other);
        assert_eq!(rhs("m[key]"), Rhs::Other);
        assert_eq!(rhs("<-done"), Rhs::Other);
        assert_eq!(rhs("x"), Rhs::Other);
        assert_eq!(
            rhs(r#"fmt.Sprintf("f(%d)", n)"#),
            Rhs::Call("fmt", "Sprintf")
        );
    }

    #[test]
    fn comments_outside_strings() {
        assert_eq!(
            split_comment(r#"u, _ := url.Parse("http://x") // fixed"#),
            (r#"u, _ := url.Parse("http://x") "#, " fixed")
        );
    }
}
