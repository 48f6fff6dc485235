use super::{clip, Ctx};
use crate::diff::LineKind;
use crate::finding::{Category, Confidence, Finding, Severity, Side};
use crate::textmatch::LazyRegex;
use std::sync::LazyLock;

crate::declare_rule! {
    /// ## What it does
    /// Flags an assertion in a test file (or in the unit tests a Rust file
    /// keeps in itself: `#[cfg(test)]`/`#[test]` items, `mod tests`) whose
    /// expected value is edited
    /// (the line is the same apart from a number or string literal) in a
    /// change that also modifies non-test code.
    ///
    /// ## Why it matters
    /// When code and the values its test expects change together, the
    /// test no longer proves the old behaviour still holds: it was made to
    /// agree with the new code. That is right for an intended behaviour
    /// change and wrong for a regression.
    ///
    /// ## Example
    /// ```diff
    /// -assert total_price(cart) == 105.0
    /// +assert total_price(cart) == 104.5
    /// ```
    /// Check that the new expected value is what the specification says,
    /// not just what the new code returns.
    ///
    /// ## False positives
    /// Intended behaviour changes, which are the common case; the finding
    /// is a prompt to confirm the intent. A literal rewritten without a new
    /// value (`'ok'` to `"ok"`, `1.0` to `1`) is not an edit, nor is an
    /// assertion the hunk removes and adds unchanged (reordered or
    /// re-indented), nor one that now checks another key or index
    /// (`spans[3]["status"]` to `spans[2]["status"]`), which is a different
    /// check rather than a new expected value. Nor is an edit only to the
    /// value under test: the argument of `expect(…)`/`assertThat(…)`, or the
    /// second argument of an assertion that takes the expected value first
    /// (`assertEquals("", remove("", 'a'))` to `remove("", null)`, JUnit,
    /// PHPUnit and Minitest), or the arguments of a call whose result an
    /// `assertTrue`/`assert` condition uses further
    /// (`client.get("/_schemas").status == 403` to `get("/_internal")`):
    /// that tests another input. An edit only to an
    /// assertion's message (`assertEquals(a, b, "hashcode()")` to
    /// `"hashCode()"`, `assert ok, "msg"`) is not one either.
    pub static RULE = {
        id: "expected-value-edited",
        category: Category::Risk,
        severity: Severity::Warning,
        confidence: Confidence::Medium,
        summary: "A test's expected value is edited alongside the code it tests",
        languages: &[],
        check: check,
    }
}

static LITERAL: LazyLock<LazyRegex> = LazyLock::new(|| {
    crate::textmatch::lazy(
        r#""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\b\d+(?:\.\d+)?(?:e[+-]?\d+)?\b|\b(?:true|false|True|False|None|null|nil)\b"#,
    )
});

fn shape(s: &str) -> String {
    let t = LITERAL.replace_all(s.trim(), "§");
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A line's literal values, each with whether it sits in a subscript.
type Values = Vec<(String, bool)>;

/// The literal values of a line, quotes and escapes of either style
/// removed and numbers compared by value: `b'ok'` and `b"ok"`, or `1.0` and
/// `1`, are the same expectation written differently. Each value says
/// whether it sits in a subscript (`spans[3]`, `span["op"]`): such a value
/// picks what is checked, not what it is expected to be.
fn values(s: &str) -> Values {
    let b = s.as_bytes();
    // Open brackets outside literals; `true` for a subscript (after a
    // name, `]` or `)`).
    let mut open: Vec<bool> = Vec::new();
    let mut at = 0;
    let mut out = Vec::new();
    for m in LITERAL.captures_iter(s).filter_map(|c| c.get(0)) {
        for i in at..m.start() {
            match b.get(i) {
                Some(b'[') => {
                    let prev = b[..i].iter().rev().find(|c| !c.is_ascii_whitespace());
                    open.push(prev.is_some_and(|&c| {
                        c.is_ascii_alphanumeric() || matches!(c, b'_' | b']' | b')')
                    }));
                }
                Some(b']') => {
                    open.pop();
                }
                _ => {}
            }
        }
        at = m.end();
        let v = m.as_str();
        let value = if let Some(inner) = v
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
        {
            format!("s:{}", inner.replace("\\'", "'").replace("\\\"", "\""))
        } else if let Ok(x) = v.parse::<f64>() {
            format!("n:{x}")
        } else {
            format!("k:{v}")
        };
        out.push((value, open.iter().any(|&sub| sub)));
    }
    out
}

/// The values in subscripts alone.
fn subscripts(v: &[(String, bool)]) -> Vec<&str> {
    v.iter()
        .filter(|(_, sub)| *sub)
        .map(|(x, _)| x.as_str())
        .collect()
}

/// Assertions that take the expected value first (JUnit, PHPUnit,
/// Minitest): their second argument is the value under test.
const EXPECTED_FIRST: [&str; 21] = [
    "assertEquals",
    "assertNotEquals",
    "assertSame",
    "assertNotSame",
    "assertArrayEquals",
    "assertIterableEquals",
    "assertLinesMatch",
    "assertThrows",
    "assertCount",
    "assertInstanceOf",
    "assertStringContainsString",
    "assertStringStartsWith",
    "assertStringEndsWith",
    "assertMatchesRegularExpression",
    "assertJsonStringEqualsJsonString",
    "assert_equal",
    "assert_same",
    "assert_in_delta",
    "assert_match",
    "assert_instance_of",
    "assert_kind_of",
];
/// Assertions on a condition (`assertTrue(isValid(parse("a")))`, Python's
/// and Minitest's `assert`): the arguments of the calls that compute the
/// value are inputs; a literal compared with (`size() > 3`) or given to the
/// final predicate (`.startswith("SQL")`) is what is expected.
const CONDITION: [&str; 9] = [
    "assertTrue",
    "assertFalse",
    "assertNull",
    "assertNotNull",
    "assert_nil",
    "refute_nil",
    "assert_predicate",
    "refute",
    "assert",
];
/// Calls whose argument is the value under test, checked by the chain
/// after them (`expect(total(cart)).toBe(105)`, `assertThat(x).isEqualTo(1)`).
const SUBJECT: [&str; 4] = ["expect", "assertThat", "assert_that", "expectThat"];

/// Byte ranges of an assertion line that hold the value under test, or a
/// message, rather than the value expected: the argument of
/// `expect(…)`/`assertThat(…)` (when the matcher after it takes an
/// argument), the second argument of an expected-first
/// assertion (`assertEquals(EXPECTED, ACTUAL)`, `assert_equal EXPECTED,
/// ACTUAL`), the arguments of calls inside a condition, whatever precedes
/// the assertion on its line, and a message (a string literal alone after
/// the expected and actual values, or beside a condition).
/// `strings` are the line's string literals, which brackets and commas
/// inside do not count in.
fn actual_ranges(s: &str, strings: &[std::ops::Range<usize>]) -> Vec<std::ops::Range<usize>> {
    let b = s.as_bytes();
    let in_string = |i: usize| strings.iter().any(|r| r.contains(&i));
    let mut out = Vec::new();
    // Literals before the first `assert…`/`expect…` word belong to the
    // value under test (`executeTest("name").assertThatEvents()`).
    let word_at = |i: usize| {
        !in_string(i) && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'))
    };
    if let Some(first) = (0..b.len()).find(|&i| {
        word_at(i) && {
            let rest = &b[i..];
            rest.starts_with(b"assert")
                || rest.starts_with(b"expect")
                || rest.starts_with(b"Assert")
        }
    }) {
        out.push(0..first);
    }
    let mut i = 0;
    while i < b.len() {
        if !(b[i].is_ascii_alphabetic() || b[i] == b'_')
            || in_string(i)
            || (i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'))
        {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
            i += 1;
        }
        let name = &s[start..i];
        let subject = SUBJECT.contains(&name);
        let condition = CONDITION.contains(&name);
        if !subject && !condition && !EXPECTED_FIRST.contains(&name) {
            continue;
        }
        let mut j = i;
        while j < b.len() && b[j] == b' ' {
            j += 1;
        }
        // The arguments: in parentheses, or (Ruby) the rest of the line.
        let paren = b.get(j) == Some(&b'(');
        if !paren && (j == i || !(name.contains('_') || name == "assert" || name == "refute")) {
            continue;
        }
        let from = if paren { j + 1 } else { j };
        let mut args = vec![from];
        let mut depth = 0i32;
        let mut end = b.len();
        let mut k = from;
        while k < b.len() {
            if in_string(k) {
                k += 1;
                continue;
            }
            match b[k] {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => {
                    if depth == 0 {
                        end = k;
                        break;
                    }
                    depth -= 1;
                }
                b',' if depth == 0 => args.push(k + 1),
                _ => {}
            }
            k += 1;
        }
        let arg = |n: usize| {
            let a = *args.get(n)?;
            let z = args.get(n + 1).map_or(end, |&next| next - 1);
            Some(a..z)
        };
        // A message argument: a string literal alone, after the expected
        // and actual values, or beside a condition.
        let lone_string = |r: &std::ops::Range<usize>| {
            let t = s[r.clone()].trim();
            let at = r.start + (s[r.clone()].len() - s[r.clone()].trim_start().len());
            !t.is_empty() && strings.iter().any(|x| x.start == at && x.len() == t.len())
        };
        let first_message = if condition { 0 } else { 2 };
        if !subject && args.len() > 1 {
            for n in first_message..args.len() {
                if let Some(r) = arg(n).filter(|r| lone_string(r)) {
                    out.push(r);
                }
            }
        }
        if subject {
            // Unless the matcher takes nothing (`expect(getByText("∞"))
            // .toBeInTheDocument()`): then the subject holds what is expected.
            let rest = s.get(end + 1..).unwrap_or("");
            let matcher_args = rest
                .find('(')
                .is_some_and(|p| !rest[p + 1..].trim_start().starts_with(')'));
            if matcher_args {
                out.push(from..end);
            }
        } else if condition {
            // The argument lists of calls inside the condition (the first
            // argument that is not a message).
            let Some(cond) = (0..args.len()).filter_map(arg).find(|r| !lone_string(r)) else {
                return out;
            };
            let mut opens: Vec<(usize, bool)> = Vec::new();
            for k in cond {
                if in_string(k) {
                    continue;
                }
                match b[k] {
                    b'(' => {
                        let head = s[..k].trim_end();
                        let call = head
                            .bytes()
                            .last()
                            .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_');
                        // `all(…)`/`any(…)` gather the predicate's results;
                        // they do not compute a value from their arguments.
                        let gathers = [" all", " any", "(all", "(any"]
                            .iter()
                            .any(|w| head.ends_with(w) || head == &w[1..]);
                        opens.push((k + 1, call && !gathers));
                    }
                    b')' => {
                        // A call computes the value under test when its
                        // result is used further (`get("/x").status`,
                        // `len(parse("a")) == 3`, `add(1, 2) == 3`); the
                        // last call, whose result is the condition
                        // (`.startswith("SQL")`), holds what is expected.
                        if let Some((at, true)) = opens.pop() {
                            let rest = s[k + 1..].trim_start();
                            let used = opens.iter().any(|o| o.1)
                                || rest.starts_with(['.', '[', '=', '!', '<', '>'])
                                || ["is ", "in ", "not "].iter().any(|w| rest.starts_with(w));
                            if used {
                                out.push(at..k);
                            }
                        }
                    }
                    _ => {}
                }
            }
        } else if let Some(r) = arg(1) {
            out.push(r);
        }
        return out;
    }
    out
}

/// Whether every literal that differs between an assertion's old and new
/// values sits in what the new line tests, or in its message, rather than
/// in what it expects: `assertEquals("", remove("", 'a'))` to
/// `remove("", null)` tests another input; it does not expect another
/// result.
fn only_inputs_changed(old: &Values, new: &Values, inputs: &[bool]) -> bool {
    old.len() == new.len()
        && inputs.len() == new.len()
        && old
            .iter()
            .zip(new)
            .zip(inputs)
            .filter(|((o, n), _)| o != n)
            .all(|(_, &input)| input)
}

/// For each literal of line `t`, in order, whether it sits in the value
/// under test or a message (`actual_ranges`) rather than in what is
/// expected.
fn input_literals(t: &str) -> Vec<bool> {
    let spans: Vec<std::ops::Range<usize>> = LITERAL
        .captures_iter(t)
        .filter_map(|c| c.get(0))
        .map(|m| m.start()..m.end())
        .collect();
    let strings: Vec<std::ops::Range<usize>> = spans
        .iter()
        .filter(|r| matches!(t.as_bytes().get(r.start), Some(b'"' | b'\'')))
        .cloned()
        .collect();
    let actual = actual_ranges(t, &strings);
    spans
        .iter()
        .map(|span| actual.iter().any(|a| a.contains(&span.start)))
        .collect()
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    // A Rust file's own unit tests (`#[cfg(test)]`, `#[test]`, `mod tests`)
    // are tests; its other lines are code.
    let no = |l: &crate::diff::Line| l.new_no().or(l.old_no()).unwrap_or(0);
    let test = |fi: usize, l: &crate::diff::Line| ctx.in_test(fi, l.kind, no(l));
    let code_changed = ctx.patch.files.iter().enumerate().any(|(fi, f)| {
        ctx.files.get(fi).is_some_and(|fc| fc.lang_id.is_some())
            && super::has_content(f)
            && f.hunks
                .iter()
                .flat_map(|h| &h.lines)
                .any(|l| l.kind != LineKind::Context && !test(fi, l))
    });
    if !code_changed {
        return;
    }
    for (fi, f) in ctx.patch.files.iter().enumerate() {
        if !ctx.has_tests(fi) {
            continue;
        }
        let mut n = 0;
        for h in &f.hunks {
            // Each removed assertion with its shape and literal values,
            // computed once for all the added lines it is compared with.
            let removed: Vec<(String, Values, String)> = h
                .lines
                .iter()
                .filter(|l| l.kind == LineKind::Removed && test(fi, l))
                .map(|l| ctx.patch.line_text(l).into_owned())
                .filter(|t| super::assertions_removed::ASSERT.is_match(t))
                .map(|t| (shape(&t), values(&t), t))
                .collect();
            if removed.is_empty() {
                continue;
            }
            for l in h
                .lines
                .iter()
                .filter(|l| l.kind == LineKind::Added && test(fi, l))
            {
                let t = ctx.patch.line_text(l);
                if !super::assertions_removed::ASSERT.is_match(&t) || !LITERAL.is_match(&t) {
                    continue;
                }
                let (s, v) = (shape(&t), values(&t));
                // The same assertion removed as it is added was moved, not
                // edited (assertions reordered).
                if removed.iter().any(|r| r.0 == s && r.1 == v) {
                    continue;
                }
                // An edit keeps what is checked: an assertion on another
                // key or index (`span["op"]` for `span["description"]`,
                // `spans[2]` for `spans[3]`) is another check.
                // So is one that feeds the code another input and keeps
                // expecting the same result.
                // Where each literal sits, read once for all candidates.
                let inputs = std::cell::OnceCell::new();
                let Some((_, _, old)) = removed.iter().find(|r| {
                    r.0 == s
                        && r.1 != v
                        && subscripts(&r.1) == subscripts(&v)
                        && !only_inputs_changed(&r.1, &v, inputs.get_or_init(|| input_literals(&t)))
                }) else {
                    continue;
                };
                let line = l.new_no().unwrap_or(0);
                let mut fd = ctx.finding(&RULE, f, Side::New, line, line);
                fd.message =
                    "Expected value in an assertion changed together with the code".to_string();
                fd.explanation = "The test was edited to agree with the new code, so it no longer \
                    shows that the old behaviour still holds. Check that the new expected value \
                    comes from the specification or the issue, not from running the new code."
                    .to_string();
                fd.evidence = format!("{} → {}", clip(old, 70), clip(&t, 70));
                out.push(fd);
                n += 1;
                if n >= 3 {
                    break;
                }
            }
            if n >= 3 {
                break;
            }
        }
    }
}
