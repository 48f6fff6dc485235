use super::{clip, Ctx};
use crate::diff::LineKind;
use crate::finding::{Category, Confidence, Finding, Severity, Side};
use crate::textmatch::LazyRegex;
use std::sync::LazyLock;

crate::declare_rule! {
    /// ## What it does
    /// Flags added error handlers that do nothing: an empty `catch { }`
    /// block (JavaScript, TypeScript, Java, C#, Kotlin, PHP, Swift), a
    /// Python `except:`, `except Exception:` or `except BaseException:`
    /// whose body is only `pass` or `...`, and a Ruby `rescue` (bare,
    /// `StandardError` or `Exception`) followed directly by `end` or
    /// written as `rescue nil`. A Python or Ruby handler for a named
    /// exception (`except KeyError: pass`, `except ImportError: pass`,
    /// `rescue Errno::ENOENT`) expects that one failure on purpose and is
    /// not flagged, as bandit's B110 does by default.
    ///
    /// ## Why it matters
    /// A swallowed error turns a loud failure into silent wrong behaviour:
    /// the operation seems to succeed, data is half-written, and nobody
    /// learns why. It is a favourite shortcut for making a failing test or
    /// a noisy log go away.
    ///
    /// ## Example
    /// ```python
    /// try:
    ///     charge(card)
    /// except Exception:
    ///     pass
    /// ```
    /// Ask for the error to be handled, logged with context, or re-raised;
    /// if ignoring it is right, for a comment saying why.
    ///
    /// ## False positives
    /// Best-effort cleanup (closing a socket that may be closed) where
    /// ignoring the error is the intent; a comment in the handler makes
    /// that clear and silences this rule. The expected-exception idiom of
    /// older tests (`try { op(); fail(); } catch (IllegalStateException e)
    /// {}`) is not flagged; it still is when the handler catches
    /// `Exception`, `Throwable` or the assertion error itself, which
    /// swallows the `fail()`.
    pub static RULE = {
        id: "error-swallowed",
        category: Category::Risk,
        severity: Severity::Warning,
        confidence: Confidence::High,
        summary: "An added error handler silently ignores the error",
        languages: &[],
        check: check,
    }
}

static EMPTY_CATCH: LazyLock<LazyRegex> =
    LazyLock::new(|| crate::textmatch::lazy(r"\bcatch\s*(\([^)]*\))?\s*\{\s*\}"));
static CATCH_OPEN: LazyLock<LazyRegex> =
    LazyLock::new(|| crate::textmatch::lazy(r"\bcatch\s*(\([^)]*\))?\s*\{\s*$"));
static EXCEPT: LazyLock<LazyRegex> =
    LazyLock::new(|| crate::textmatch::lazy(r"^\s*except\b([^:]*):\s*(pass|\.\.\.)?\s*(#.*)?$"));
/// A call that fails the test: the expected-exception idiom's last line
/// in the `try` (`fail()`, `Assert.fail(…)`, `$this->fail(…)`).
static FAIL: LazyLock<LazyRegex> =
    LazyLock::new(|| crate::textmatch::lazy(r"(^|[^\w])fail\s*\(|\bAssert\.Fail\s*\("));
/// The type a `catch (…)` names, modifiers and variable removed.
static CAUGHT: LazyLock<LazyRegex> = LazyLock::new(|| {
    crate::textmatch::lazy(r"\bcatch\s*\(\s*(?:final\s+)?([\w.\\|\s]+?)\s+\$?\w+\s*\)")
});

/// Whether an empty `catch` closes the expected-exception idiom: the
/// `try` ends by failing the test (`fail()` within the three lines above),
/// and the handler names an exception type that a failed assertion is not
/// (`AssertionError`, `Throwable`, `Error`, `Exception` and PHPUnit's or
/// NUnit's assertion exceptions would swallow the failure itself).
fn expected_exception(text: &str, above: &[&str]) -> bool {
    if !above.iter().any(|t| FAIL.is_match(t)) {
        return false;
    }
    let Some(types) = CAUGHT.captures(text).and_then(|c| c.get(1)) else {
        return false;
    };
    types.as_str().split('|').all(|t| {
        let t = t.trim();
        let last = t.rsplit(['.', '\\']).next().unwrap_or(t);
        !last.is_empty()
            && !matches!(
                last,
                "Throwable"
                    | "Error"
                    | "Exception"
                    | "AssertionError"
                    | "AssertionFailedError"
                    | "AssertionException"
            )
    })
}

static RESCUE: LazyLock<LazyRegex> =
    LazyLock::new(|| crate::textmatch::lazy(r"^\s*rescue\b.*$|\brescue\s+nil\b"));

/// Whether a Python `except` clause catches everything: bare, `Exception`
/// or `BaseException` (alone or in a tuple). A handler for a named
/// exception (`except KeyError: pass`, `except ImportError: pass`) is a
/// deliberate choice to expect that one failure; bandit's B110 skips it
/// too by default.
/// `types` is what stands between `except` and the colon.
fn broad_except(types: &str) -> bool {
    let types = types.split(" as ").next().unwrap_or("");
    let names: Vec<&str> = types
        .split(|c: char| c == ',' || c == '(' || c == ')' || c.is_whitespace())
        .filter(|n| !n.is_empty())
        .collect();
    names.is_empty()
        || names.iter().any(|n| {
            let last = n.rsplit('.').next().unwrap_or(n);
            matches!(last, "Exception" | "BaseException")
        })
}

/// Whether a Ruby `rescue` catches every standard error: bare, `=> e`,
/// `StandardError` or `Exception`, or the `rescue nil` modifier.
fn broad_rescue(text: &str) -> bool {
    let Some(at) = text.find("rescue") else {
        return false;
    };
    let rest = &text[at + "rescue".len()..];
    let rest = rest.split("=>").next().unwrap_or("");
    let rest = rest.split('#').next().unwrap_or("").trim();
    if rest.is_empty() || rest == "nil" || rest.starts_with("nil ") {
        return true;
    }
    rest.split(',').any(|n| {
        let n = n.trim();
        let last = n.rsplit("::").next().unwrap_or(n);
        matches!(last, "StandardError" | "Exception")
    })
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    for (fi, f) in ctx.patch.files.iter().enumerate() {
        let Some(fc) = ctx.files.get(fi) else {
            continue;
        };
        let Some(lang) = fc.lang_id else { continue };
        let mut n = 0;
        for h in &f.hunks {
            let rows = ctx.new_side_rows(h);
            let next = |i: usize| rows.iter().skip(i + 1).find(|r| !r.2.trim().is_empty());
            // The three nonblank lines above row `i`.
            let above = |i: usize| -> Vec<&str> {
                rows[..i]
                    .iter()
                    .rev()
                    .map(|r| r.2.as_str())
                    .filter(|t| !t.trim().is_empty())
                    .take(3)
                    .collect()
            };
            for (i, (kind, line, text)) in rows.iter().enumerate() {
                if n >= 3 {
                    break;
                }
                // A handler in a docstring's example is prose.
                if ctx.in_prose(fi, *kind, *line) {
                    continue;
                }
                let hit = match lang {
                    "python" => {
                        if let Some(c) = EXCEPT
                            .captures(text)
                            .filter(|c| broad_except(c.get(1).map_or("", |m| m.as_str())))
                        {
                            if c.get(2).is_some() {
                                *kind == LineKind::Added
                            } else {
                                next(i).is_some_and(|nx| {
                                    (*kind == LineKind::Added || nx.0 == LineKind::Added)
                                        && matches!(nx.2.trim(), "pass" | "...")
                                })
                            }
                        } else {
                            false
                        }
                    }
                    "ruby" => {
                        *kind == LineKind::Added
                            && RESCUE.is_match(text)
                            && broad_rescue(text)
                            && (text.contains("rescue nil")
                                || next(i).is_some_and(|nx| nx.2.trim() == "end"))
                    }
                    "c" | "go" | "rust" | "shell" | "yaml" | "json" | "toml" | "sql" => false,
                    _ => {
                        *kind == LineKind::Added
                            && (EMPTY_CATCH.is_match(text)
                                || (CATCH_OPEN.is_match(text)
                                    && next(i).is_some_and(|nx| nx.2.trim().starts_with('}'))))
                            && !expected_exception(text, &above(i))
                    }
                };
                if !hit {
                    continue;
                }
                let mut fd = ctx.finding(&RULE, f, Side::New, *line, *line);
                fd.message = "Error is caught and silently ignored".to_string();
                fd.explanation = "A swallowed error turns a visible failure into silent wrong \
                    behaviour. Check what fails here in practice; ask for the error to be handled, \
                    logged with context or re-raised, or for a comment explaining why ignoring it is \
                    safe."
                    .to_string();
                fd.evidence = clip(text, 160);
                out.push(fd);
                n += 1;
            }
        }
    }
}
