//! Definitions, calls and other facts read from one parsed text, driven by
//! the node-kind tables of [`crate::lang`].

use crate::lang::{DefKind, Lang, LangInfo, NameRule, SymbolKind, TestStyle, Visibility};
use tree_sitter::Node;

/// A definition found in a tree. Rows are 0-based rows of the parsed text.
#[derive(Debug, Clone, PartialEq)]
pub struct Def {
    /// Name (`evict`, `Cache`, `resource "aws_s3_bucket" "logs"`).
    pub name: String,
    /// What it is.
    pub kind: SymbolKind,
    /// Keyword for display (`fn`, `class`).
    pub label: &'static str,
    /// First row.
    pub start_row: usize,
    /// Last row.
    pub end_row: usize,
    /// Row of the name.
    pub name_row: usize,
    /// Last row of the header (before the body).
    pub header_end_row: usize,
    /// Header text with whitespace collapsed (`pub fn evict(&mut self) -> bool`).
    pub signature: String,
    /// The signature with positional-only parameter names blanked (`_`),
    /// when the language has them: what callers depend on.
    pub signature_key: Option<String>,
    /// Parameter list text, collapsed.
    pub params: Option<String>,
    /// The parameter list with positional-only names blanked.
    pub params_key: Option<String>,
    /// Return type text, collapsed.
    pub returns: Option<String>,
    /// Public / exported.
    pub public: bool,
    /// Test code.
    pub test: bool,
    /// Enclosing definition (index into the same list).
    pub parent: Option<usize>,
    /// Body text, collapsed and capped, to recognise renames.
    pub body: String,
    /// Starts after column 0 (nested in something the text may not show).
    pub indented: bool,
}

impl Def {
    /// What callers of the signature depend on (see `signature_key`).
    pub fn signature_key(&self) -> &str {
        self.signature_key.as_deref().unwrap_or(&self.signature)
    }

    /// What callers of the parameters depend on (see `params_key`).
    pub fn params_key(&self) -> Option<&str> {
        self.params_key.as_deref().or(self.params.as_deref())
    }

    /// `label name`, or just the name.
    pub fn display(&self) -> String {
        if self.label.is_empty() {
            self.name.clone()
        } else if self.label.ends_with('.') {
            format!("{}{}", self.label, self.name)
        } else {
            format!("{} {}", self.label, self.name)
        }
    }
}

/// A call site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// Last segment of the callee (`evict` for `self.cache.evict(…)`).
    pub callee: String,
    /// Row of the call.
    pub row: usize,
}

/// Everything read from one tree.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extracted {
    /// Definitions in document order.
    pub defs: Vec<Def>,
    /// Calls in document order.
    pub calls: Vec<Call>,
    /// Row ranges (inclusive) of import statements.
    pub imports: Vec<(usize, usize)>,
    /// Row ranges (inclusive) of comments.
    pub comments: Vec<(usize, usize)>,
    /// Nodes visited.
    pub nodes: usize,
    /// The tree had syntax errors.
    pub has_error: bool,
}

const SIG_MAX: usize = 400;
const BODY_MAX: usize = 4000;

/// What to cut from the text of a definition from its start to its body
/// (`replace_ranges`): comments
/// (`def f(x):  # note` has the signature `def f(x):`) or annotations, so
/// that a comment added between the header and the body, or an annotation
/// on it, is not a signature change.
fn header_cuts(
    n: tree_sitter::Node<'_>,
    header_end: usize,
    info: &LangInfo,
) -> Vec<(usize, usize, &'static str)> {
    let mut cut: Vec<(usize, usize, &'static str)> = Vec::new();
    let mut cursor = n.walk();
    for c in n.children(&mut cursor) {
        if c.start_byte() >= header_end {
            break;
        }
        if c.end_byte() > header_end {
            continue;
        }
        if info.comments.contains(&c.kind()) || ANNOTATIONS.contains(&c.kind()) {
            cut.push((c.start_byte(), c.end_byte(), ""));
        } else if c.kind() == "modifiers" {
            let mut mc = c.walk();
            for m in c.children(&mut mc) {
                if ANNOTATIONS.contains(&m.kind()) || info.comments.contains(&m.kind()) {
                    cut.push((m.start_byte(), m.end_byte(), ""));
                }
            }
        }
    }
    cut
}

/// `src[start..end]` with each range in `cut` (inside it, not overlapping)
/// replaced by its text.
fn replace_ranges(src: &str, start: usize, end: usize, cut: &mut [(usize, usize, &str)]) -> String {
    cut.sort_unstable_by_key(|c| c.0);
    let mut out = String::new();
    let mut pos = start;
    for &(a, b, with) in cut.iter() {
        if a < pos || b > end {
            continue;
        }
        out.push_str(src.get(pos..a).unwrap_or(""));
        out.push_str(with);
        pos = b;
    }
    out.push_str(src.get(pos..end.max(pos)).unwrap_or(""));
    out
}

/// Where the parameter names stand, in languages whose callers pass
/// arguments by position only (Java, Go, Rust, C, C++, JavaScript,
/// TypeScript): renaming a parameter there changes no caller. Python, Ruby,
/// PHP and C# callers can name arguments, so their names are API.
fn positional_param_names(lang: Lang, n: Node<'_>) -> Vec<(usize, usize, &'static str)> {
    let mut out = Vec::new();
    if !matches!(
        lang,
        Lang::Java
            | Lang::Go
            | Lang::Rust
            | Lang::C
            | Lang::Cpp
            | Lang::JavaScript
            | Lang::TypeScript
            | Lang::Tsx
    ) {
        return out;
    }
    let Some(params) = params_node(n) else {
        return out;
    };
    fn push_ident(out: &mut Vec<(usize, usize, &'static str)>, c: Option<Node<'_>>) {
        if let Some(c) = c.filter(|c| matches!(c.kind(), "identifier" | "field_identifier")) {
            out.push((c.start_byte(), c.end_byte(), "_"));
        }
    }
    // Java `final` and annotations on a parameter: the caller passes the
    // same.
    fn push_modifiers(out: &mut Vec<(usize, usize, &'static str)>, p: Node<'_>) {
        let mut c = p.walk();
        let m = p.named_children(&mut c).find(|c| c.kind() == "modifiers");
        if let Some(m) = m {
            out.push((m.start_byte(), m.end_byte(), ""));
        }
    }
    let mut cursor = params.walk();
    for p in params.named_children(&mut cursor) {
        match p.kind() {
            // Java `final String in`, Rust `reader: R`, TypeScript `name?: T`.
            "formal_parameter" => {
                push_ident(&mut out, p.child_by_field_name("name"));
                push_modifiers(&mut out, p);
            }
            "spread_parameter" => {
                let mut c = p.walk();
                let d = p
                    .named_children(&mut c)
                    .find(|c| c.kind() == "variable_declarator");
                push_ident(&mut out, d.and_then(|d| d.child_by_field_name("name")));
                push_modifiers(&mut out, p);
            }
            "parameter" | "required_parameter" | "optional_parameter" => {
                push_ident(&mut out, p.child_by_field_name("pattern"))
            }
            // Go `a, b int`: every name.
            "parameter_declaration" | "variadic_parameter_declaration" if lang == Lang::Go => {
                let mut c = p.walk();
                for name in p.children_by_field_name("name", &mut c) {
                    push_ident(&mut out, Some(name));
                }
            }
            // C/C++ `const char *name`, `int a[]`, `T &x = d`: the
            // identifier at the end of the declarator chain.
            "parameter_declaration" | "optional_parameter_declaration" => {
                let mut d = p.child_by_field_name("declarator");
                for _ in 0..8 {
                    let Some(cur) = d else { break };
                    if cur.kind() == "identifier" {
                        push_ident(&mut out, Some(cur));
                        break;
                    }
                    d = cur.child_by_field_name("declarator").or_else(|| {
                        let mut c = cur.walk();
                        let last = cur.named_children(&mut c).last();
                        last.filter(|l| {
                            l.kind() == "identifier" || l.kind().ends_with("_declarator")
                        })
                    });
                }
            }
            // JavaScript `a`, `a = 1`, `...rest`.
            "identifier" => push_ident(&mut out, Some(p)),
            "assignment_pattern" => push_ident(&mut out, p.child_by_field_name("left")),
            "rest_pattern" => {
                let mut c = p.walk();
                let id = p.named_children(&mut c).next();
                push_ident(&mut out, id)
            }
            _ => {}
        }
    }
    out
}

/// A signature as callers read it: one space only between two word
/// characters (`( final int n )` and `(final int n)` agree), capped.
fn signature_key_text(s: &str) -> String {
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    let mut out = String::with_capacity(s.len().min(SIG_MAX));
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && word(c) && out.chars().next_back().is_some_and(word) {
            out.push(' ');
        }
        space = false;
        out.push(c);
        if out.len() >= SIG_MAX {
            break;
        }
    }
    out
}

/// Java annotations and C# attributes on a definition: metadata for tools
/// and frameworks (`@Override`, `@SuppressWarnings`, `[Obsolete]`), not
/// what a caller passes or gets back, so not part of its signature.
const ANNOTATIONS: &[&str] = &["annotation", "marker_annotation", "attribute_list"];

fn collapse(s: &str, max: usize) -> String {
    let mut out = String::with_capacity(s.len().min(max));
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
        if out.len() >= max {
            let mut cut = max;
            while !out.is_char_boundary(cut) {
                cut -= 1;
            }
            out.truncate(cut);
            break;
        }
    }
    out
}

fn text<'t>(src: &'t str, n: Node<'_>) -> &'t str {
    src.get(n.byte_range()).unwrap_or("")
}

fn unquote(s: &str) -> &str {
    let s = s.trim();
    for q in ['"', '\'', '`'] {
        if let Some(inner) = s.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner;
        }
    }
    s
}

fn def_name(rule: NameRule, n: Node<'_>, src: &str) -> String {
    let name = match rule {
        NameRule::Field(f) => n.child_by_field_name(f).map(|c| text(src, c).to_string()),
        NameRule::Declarator => {
            let mut cur = n;
            let mut depth = 0;
            while let Some(d) = cur.child_by_field_name("declarator") {
                cur = d;
                depth += 1;
                if depth > 16 {
                    break;
                }
            }
            if cur.id() == n.id() {
                None
            } else {
                Some(text(src, cur).to_string())
            }
        }
        NameRule::RustImpl => {
            let ty = n.child_by_field_name("type").map(|c| text(src, c));
            let tr = n.child_by_field_name("trait").map(|c| text(src, c));
            match (tr, ty) {
                (Some(t), Some(ty)) => Some(format!("{t} for {ty}")),
                (None, Some(ty)) => Some(ty.to_string()),
                _ => None,
            }
        }
        NameRule::Child(kinds) => {
            let mut found = None;
            'k: for k in kinds {
                let mut c = n.walk();
                for ch in n.named_children(&mut c) {
                    if ch.kind() == *k {
                        found = Some(text(src, ch).to_string());
                        break 'k;
                    }
                }
            }
            found
        }
        NameRule::HclLabels => {
            let mut parts = Vec::new();
            let mut c = n.walk();
            for ch in n.named_children(&mut c) {
                match ch.kind() {
                    "identifier" | "string_lit" => parts.push(text(src, ch).to_string()),
                    _ => break,
                }
            }
            if parts.is_empty() {
                None
            } else {
                Some(parts.join(" "))
            }
        }
    };
    let name = name.unwrap_or_default();
    let name = if matches!(rule, NameRule::HclLabels) {
        name
    } else {
        unquote(&name).to_string()
    };
    let name = collapse(&name, 120);
    if name.is_empty() {
        "(anonymous)".to_string()
    } else {
        name
    }
}

/// The node whose `body` field holds the body (an arrow function's for
/// `const f = () => …`).
fn body_node<'a>(n: Node<'a>, info: &LangInfo) -> Option<Node<'a>> {
    for f in info.body_fields {
        if let Some(b) = n.child_by_field_name(f) {
            return Some(b);
        }
    }
    if let Some(v) = n.child_by_field_name("value") {
        if let Some(b) = v.child_by_field_name("body") {
            return Some(b);
        }
    }
    None
}

fn field_text(n: Node<'_>, fields: &[&str], src: &str) -> Option<String> {
    for f in fields {
        if let Some(c) = n.child_by_field_name(f) {
            return Some(collapse(text(src, c), SIG_MAX));
        }
    }
    None
}

fn params_node(n: Node<'_>) -> Option<Node<'_>> {
    if let Some(p) = n.child_by_field_name("parameters") {
        return Some(p);
    }
    if let Some(v) = n.child_by_field_name("value") {
        if let Some(p) = v
            .child_by_field_name("parameters")
            .or_else(|| v.child_by_field_name("parameter"))
        {
            return Some(p);
        }
    }
    // C/C++: the function_declarator inside the declarator chain.
    let mut cur = n;
    for _ in 0..16 {
        let d = cur.child_by_field_name("declarator")?;
        if let Some(p) = d.child_by_field_name("parameters") {
            return Some(p);
        }
        cur = d;
    }
    None
}

fn returns_of(n: Node<'_>, src: &str) -> Option<String> {
    if let Some(r) = field_text(n, &["return_type", "result", "returns"], src) {
        return Some(r);
    }
    if let Some(v) = n.child_by_field_name("value") {
        if let Some(r) = field_text(v, &["return_type"], src) {
            return Some(r);
        }
    }
    if matches!(n.kind(), "method_declaration" | "function_definition") {
        return field_text(n, &["type"], src);
    }
    None
}

/// `pub` with no restriction: `pub(crate)`, `pub(super)`, `pub(self)` and
/// `pub(in path)` are visible only inside the crate, so changing them breaks
/// no caller outside it.
fn rust_pub_unrestricted(vis: &str) -> bool {
    vis.strip_prefix("pub").is_some_and(|rest| {
        !rest.trim_start().starts_with('(')
            && !rest.starts_with(|c: char| c.is_alphanumeric() || c == '_')
    })
}

/// Whether git's hunk heading is a Java or C# type declared without
/// `public` (`class TapeInputStream extends FilterInputStream {`, `final
/// class BinaryTree {`, C#'s `internal sealed class Cache`): package-private
/// or internal, so the members a hunk under it shows, whose class line the
/// hunk does not hold, are not reachable from outside. Git's heading is the
/// last line above the hunk that starts at column 0, the enclosing
/// top-level type for a member; a nested type under it is no more visible.
pub fn heading_hides_members(lang: Lang, heading: &str) -> bool {
    if !matches!(lang, Lang::Java | Lang::CSharp) {
        return false;
    }
    let words: Vec<&str> = heading
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
        .filter(|w| !w.is_empty())
        .collect();
    let Some(k) = words
        .iter()
        .position(|w| matches!(*w, "class" | "interface" | "enum" | "record" | "struct"))
    else {
        return false;
    };
    // Only modifiers before the keyword (not `return new Foo() { class …`).
    const MODIFIERS: &[&str] = &[
        "abstract", "final", "static", "sealed", "partial", "strictfp", "internal", "private",
        "readonly", "unsafe", "file", "non",
    ];
    !heading.starts_with('@')
        && words[..k].iter().all(|w| MODIFIERS.contains(w))
        && words.get(k + 1).is_some()
}

/// Whether `word` stands in `hay` with no letter, digit or `_` next to it.
pub(crate) fn has_word(hay: &str, word: &str) -> bool {
    hay.match_indices(word).any(|(i, _)| {
        let before = hay[..i].chars().next_back();
        let after = hay[i + word.len()..].chars().next();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
            && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

fn is_exported(n: Node<'_>) -> bool {
    let mut cur = n.parent();
    for _ in 0..3 {
        match cur {
            Some(p) if p.kind() == "export_statement" => return true,
            Some(p) if matches!(p.kind(), "lexical_declaration" | "variable_declaration") => {
                cur = p.parent()
            }
            _ => return false,
        }
    }
    false
}

/// A method of an object literal (`{ validate(v) { … } }`) is a value's
/// property, not an API, unless the object itself is what the module
/// exports (`export default { … }`, `module.exports = { … }`,
/// `exports.x = { … }`). Class methods are not in an object literal.
fn object_method_exported(n: Node<'_>, src: &str) -> bool {
    let Some(obj) = n.parent().filter(|p| p.kind() == "object") else {
        return true;
    };
    match obj.parent() {
        Some(p) if p.kind() == "export_statement" => true,
        Some(p) if p.kind() == "assignment_expression" => p
            .child_by_field_name("left")
            .map(|l| text(src, l))
            .is_some_and(|l| l == "module.exports" || l.starts_with("exports.")),
        _ => false,
    }
}

/// What a Rust attribute says about the item after it being test code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RustTestAttr {
    /// A test function: `#[test]`, `#[tokio::test]`, `#[rstest]`,
    /// `#[test_case(…)]`.
    Test,
    /// Compiled only for tests: `#[cfg(test)]`,
    /// `#[cfg(all(test, feature = "x"))]`; not `#[cfg(not(test))]`, which is
    /// the code that runs outside tests, nor `#[cfg(any(feature = "alloc",
    /// test))]`, which also runs outside them.
    CfgTest,
}

/// Reads one attribute (`#[…]`, leading space allowed). The one reader of
/// Rust test attributes, for symbols and for the line-based test regions
/// of `rules::rust_tests`.
pub fn rust_test_attribute(a: &str) -> Option<RustTestAttr> {
    let inner = a.trim().strip_prefix("#[")?;
    let path = inner
        .split(|c: char| c == '(' || c == ']' || c.is_whitespace())
        .next()
        .unwrap_or("");
    if path == "test" || path.ends_with("::test") || matches!(path, "rstest" | "test_case") {
        return Some(RustTestAttr::Test);
    }
    let pred = inner
        .strip_prefix("cfg")
        .map(str::trim_start)
        .and_then(|p| p.strip_prefix('('))
        .and_then(|p| p.trim_end().strip_suffix(']'))
        .and_then(|p| p.trim_end().strip_suffix(')'));
    (path == "cfg" && pred.is_some_and(cfg_requires_test)).then_some(RustTestAttr::CfgTest)
}

/// Whether a `cfg` predicate holds only in test builds: `test`, or `all(…)`
/// with such a predicate among its parts. `any(feature = "alloc", test)`
/// and `not(test)` also hold outside tests.
fn cfg_requires_test(pred: &str) -> bool {
    let pred = pred.trim();
    if pred == "test" {
        return true;
    }
    let Some(parts) = pred
        .strip_prefix("all")
        .map(str::trim_start)
        .and_then(|p| p.strip_prefix('('))
        .and_then(|p| p.strip_suffix(')'))
    else {
        return false;
    };
    // Split at the top level commas (strings hold no parentheses here
    // that matter: `feature = "x"`).
    let mut depth = 0;
    let mut start = 0;
    let mut found = false;
    for (i, c) in parts.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                found |= cfg_requires_test(&parts[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    found || cfg_requires_test(&parts[start..])
}

fn rust_test_attrs(n: Node<'_>, src: &str) -> (bool, bool) {
    // (is #[test]-like, is #[cfg(test)])
    let mut prev = n.prev_named_sibling();
    let (mut test, mut cfg_test) = (false, false);
    while let Some(p) = prev {
        if p.kind() != "attribute_item" {
            break;
        }
        match rust_test_attribute(text(src, p)) {
            Some(RustTestAttr::Test) => test = true,
            Some(RustTestAttr::CfgTest) => cfg_test = true,
            None => {}
        }
        prev = p.prev_named_sibling();
    }
    (test, cfg_test)
}

fn call_callee(n: Node<'_>, src: &str) -> String {
    let c = ["function", "macro", "method", "name", "constructor", "type"]
        .iter()
        .find_map(|f| n.child_by_field_name(f))
        .or_else(|| n.named_child(0));
    let Some(c) = c else {
        return String::new();
    };
    let t = text(src, c);
    // Cut generic arguments and anything after an opening paren.
    let t = t.split(['<', '(', '[']).next().unwrap_or("");
    let last = t
        .rsplit(|ch: char| !(ch.is_alphanumeric() || ch == '_' || ch == '$' || ch == '!'))
        .find(|s| !s.is_empty())
        .unwrap_or("");
    last.trim_end_matches('!').to_string()
}

/// First string argument of a call (the name of a JS/Ruby test case).
fn first_string_arg(n: Node<'_>, src: &str, info: &LangInfo) -> Option<String> {
    let args = n.child_by_field_name("arguments")?;
    let mut c = args.walk();
    let first = args.named_children(&mut c).next()?;
    if info.strings.contains(&first.kind()) {
        Some(collapse(unquote(text(src, first)), 120))
    } else {
        None
    }
}

fn def_kind<'a>(info: &'a LangInfo, n: Node<'_>) -> Option<&'a DefKind> {
    let k = n.kind();
    let d = info.defs.iter().find(|d| d.node == k)?;
    match k {
        // `const f = () => …` / `const C = class …` only.
        "variable_declarator" => {
            let v = n.child_by_field_name("value")?;
            if !matches!(
                v.kind(),
                "arrow_function"
                    | "function_expression"
                    | "function"
                    | "generator_function"
                    | "class"
            ) {
                return None;
            }
        }
        // `struct foo *x;` is a use, not a definition.
        "struct_specifier" | "union_specifier" | "enum_specifier" | "class_specifier" => {
            n.child_by_field_name("body")?;
        }
        _ => {}
    }
    Some(d)
}

/// Read definitions, calls, imports and comments from a tree of `src`.
/// Visits at most `node_budget` nodes.
pub fn extract(lang: Lang, tree: &tree_sitter::Tree, src: &str, node_budget: usize) -> Extracted {
    extract_within(lang, tree, src, node_budget, None)
}

/// [`extract`], reading only the nodes that overlap `keep` (byte ranges,
/// sorted, start inclusive, end exclusive): a subtree wholly outside them is
/// skipped, so its definitions, calls, comments and imports are left out
/// while every definition around a kept byte still is.
pub fn extract_within(
    lang: Lang,
    tree: &tree_sitter::Tree,
    src: &str,
    node_budget: usize,
    keep: Option<&[(usize, usize)]>,
) -> Extracted {
    let info = lang.info();
    let mut out = Extracted {
        has_error: tree.root_node().has_error(),
        ..Default::default()
    };
    // Open definitions: (index, end byte).
    let mut open: Vec<(usize, usize)> = Vec::new();
    let mut cursor = tree.walk();
    loop {
        let n = cursor.node();
        if keep.is_some_and(|k| !overlaps(k, n.start_byte(), n.end_byte())) {
            // Outside every kept range: on to the next sibling or up.
            if !next_outside(&mut cursor) {
                break;
            }
            continue;
        }
        out.nodes += 1;
        if out.nodes > node_budget {
            break;
        }
        while open.last().is_some_and(|(_, end)| *end <= n.start_byte()) {
            open.pop();
        }
        let parent = open.last().map(|(i, _)| *i);
        let kind = n.kind();
        let mut new_def: Option<Def> = None;
        if let Some(dk) = def_kind(info, n) {
            new_def = Some(make_def(
                info,
                dk,
                n,
                src,
                parent.and_then(|p| out.defs.get(p)),
            ));
        } else if info.calls.contains(&kind) {
            let callee = call_callee(n, src);
            let test_call = match info.tests {
                TestStyle::CallBlocks(names) | TestStyle::NameOrCall(_, names) => {
                    let head = callee_head(n, src);
                    names.contains(&head.as_str())
                        && (n.child_by_field_name("arguments").is_some()
                            || n.child_by_field_name("block").is_some())
                }
                _ => false,
            };
            if test_call {
                let name = first_string_arg(n, src, info).unwrap_or_else(|| callee.clone());
                new_def = Some(Def {
                    name,
                    kind: SymbolKind::Test,
                    label: static_label(&callee_head(n, src)),
                    start_row: n.start_position().row,
                    end_row: n.end_position().row,
                    name_row: n.start_position().row,
                    header_end_row: n.start_position().row,
                    signature: String::new(),
                    signature_key: None,
                    params: None,
                    params_key: None,
                    returns: None,
                    public: false,
                    test: true,
                    parent: None,
                    body: collapse(text(src, n), BODY_MAX),
                    indented: starts_indented(src, n.start_byte()),
                });
            }
            if !callee.is_empty() {
                out.calls.push(Call {
                    callee,
                    row: n.start_position().row,
                });
            }
        } else if info.imports.contains(&kind) {
            out.imports
                .push((n.start_position().row, n.end_position().row));
        } else if info.comments.contains(&kind) {
            out.comments
                .push((n.start_position().row, n.end_position().row));
        }
        if let Some(mut d) = new_def {
            d.parent = parent;
            if let Some(p) = parent.and_then(|p| out.defs.get(p)) {
                if p.test {
                    d.test = true;
                }
                if matches!(
                    p.kind,
                    SymbolKind::Function | SymbolKind::Method | SymbolKind::Test
                ) && d.kind != SymbolKind::Test
                {
                    d.public = false;
                }
            }
            out.defs.push(d);
            open.push((out.defs.len() - 1, n.end_byte()));
        }
        if cursor.goto_first_child() {
            continue;
        }
        if !next_outside(&mut cursor) {
            break;
        }
    }
    if lang == Lang::Dockerfile {
        extend_stages(&mut out.defs, tree.root_node().end_position().row);
    }
    out
}

/// Move the cursor past the current node's subtree (to its next sibling,
/// or its nearest ancestor's); `false` when the walk is over.
fn next_outside(cursor: &mut tree_sitter::TreeCursor<'_>) -> bool {
    loop {
        if cursor.goto_next_sibling() {
            return true;
        }
        if !cursor.goto_parent() {
            return false;
        }
    }
}

/// Whether the bytes `start..end` (a node; empty when `start == end`) meet
/// one of the sorted ranges `keep`.
fn overlaps(keep: &[(usize, usize)], start: usize, end: usize) -> bool {
    // The first range that ends after `start`.
    let i = keep.partition_point(|r| r.1 <= start);
    keep.get(i).is_some_and(|r| r.0 < end.max(start + 1))
}

fn static_label(head: &str) -> &'static str {
    match head {
        "describe" => "describe",
        "it" => "it",
        "test" => "test",
        "suite" => "suite",
        "context" => "context",
        "specify" => "specify",
        "scenario" => "scenario",
        "feature" => "feature",
        _ => "test",
    }
}

/// First segment of the callee (`describe` for `describe.each(…)`).
fn callee_head(n: Node<'_>, src: &str) -> String {
    let c = ["function", "method", "name"]
        .iter()
        .find_map(|f| n.child_by_field_name(f));
    let Some(c) = c else {
        return String::new();
    };
    // Ruby: `it` with a receiver is not a test block.
    if n.child_by_field_name("receiver").is_some() {
        return String::new();
    }
    let t = text(src, c);
    t.split(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
        .next()
        .unwrap_or("")
        .to_string()
}

/// Dockerfile: a stage runs from its `FROM` to the next one.
fn extend_stages(defs: &mut [Def], last_row: usize) {
    let starts: Vec<usize> = defs.iter().map(|d| d.start_row).collect();
    for (i, d) in defs.iter_mut().enumerate() {
        d.end_row = starts
            .get(i + 1)
            .map(|s| s.saturating_sub(1))
            .unwrap_or(last_row)
            .max(d.start_row);
    }
}

fn make_def(info: &LangInfo, dk: &DefKind, n: Node<'_>, src: &str, parent: Option<&Def>) -> Def {
    let mut name = def_name(dk.name, n, src);
    // A Java constructor outside its class (a hunk without the class line)
    // parses as a method whose name is missing and whose type is the class.
    if name == "(anonymous)" && info.lang == Lang::Java && n.kind() == "method_declaration" {
        if let Some(t) = n
            .child_by_field_name("type")
            .filter(|t| t.kind() == "type_identifier")
        {
            name = text(src, t).to_string();
        }
    }
    let mut kind = dk.kind;
    if n.kind() == "type_spec" {
        match n.child_by_field_name("type").map(|t| t.kind()) {
            Some("struct_type") => kind = SymbolKind::Class,
            Some("interface_type") => kind = SymbolKind::Interface,
            _ => {}
        }
    }
    if kind == SymbolKind::Function
        && parent.is_some_and(|p| {
            matches!(
                p.kind,
                SymbolKind::Class | SymbolKind::Impl | SymbolKind::Interface | SymbolKind::Enum
            )
        })
    {
        kind = SymbolKind::Method;
    }
    let body = body_node(n, info);
    let header_end = body.map(|b| b.start_byte()).unwrap_or(n.end_byte());
    // The header as written (without comments and annotations), and as
    // callers see it (positional parameter names blanked too).
    let mut cut = header_cuts(n, header_end, info);
    let header_owned = replace_ranges(src, n.start_byte(), header_end, &mut cut);
    let mut names = positional_param_names(info.lang, n);
    let params_at = params_node(n);
    let params_key = params_at.map(|p| {
        signature_key_text(&replace_ranges(
            src,
            p.start_byte(),
            p.end_byte(),
            &mut names,
        ))
    });
    cut.extend_from_slice(&names);
    let signature_key = Some(signature_key_text(&replace_ranges(
        src,
        n.start_byte(),
        header_end,
        &mut cut,
    )));
    let header = header_owned.as_str();
    let name_node_start = match dk.name {
        NameRule::Field(f) => n.child_by_field_name(f).map(|c| c.start_byte()),
        _ => None,
    };
    let before_name = name_node_start
        .and_then(|s| src.get(n.start_byte()..s))
        .unwrap_or(header);
    let public = match info.visibility {
        Visibility::RustPub => {
            let mut c = n.walk();
            let vis = n
                .children(&mut c)
                .find(|ch| ch.kind() == "visibility_modifier")
                .map(|ch| rust_pub_unrestricted(text(src, ch)));
            // Trait methods are as public as the trait.
            vis.unwrap_or_else(|| {
                parent.is_some_and(|p| p.kind == SymbolKind::Interface && p.public)
                    || n.parent().is_some_and(|p| p.kind() == "declaration_list")
                        && parent
                            .is_some_and(|p| p.kind == SymbolKind::Impl && p.name.contains(" for "))
            })
        }
        Visibility::Export => {
            if kind == SymbolKind::Method {
                !name.starts_with('#')
                    && !has_word(before_name, "private")
                    && !has_word(before_name, "protected")
                    && parent.is_none_or(|p| p.public)
                    && object_method_exported(n, src)
            } else {
                is_exported(n)
            }
        }
        Visibility::Underscore => {
            (!name.starts_with('_') || (name.starts_with("__") && name.ends_with("__")))
                && parent.is_none_or(|p| p.public)
        }
        Visibility::Capitalised => name.chars().next().is_some_and(|c| c.is_uppercase()),
        Visibility::PublicKeyword => {
            if info.lang == Lang::Php {
                !has_word(before_name, "private") && !has_word(before_name, "protected")
            } else {
                // A public member of a private or package-private class is
                // reachable only where the class is.
                (has_word(before_name, "public")
                    || parent.is_some_and(|p| p.kind == SymbolKind::Interface && p.public))
                    && parent.is_none_or(|p| {
                        p.public
                            || !matches!(
                                p.kind,
                                SymbolKind::Class | SymbolKind::Interface | SymbolKind::Enum
                            )
                    })
            }
        }
        Visibility::NotStatic => !has_word(before_name, "static"),
        Visibility::Always => true,
    };
    let test = match info.tests {
        TestStyle::RustAttr => {
            let (t, cfg) = rust_test_attrs(n, src);
            t || (cfg && kind == SymbolKind::Module)
        }
        TestStyle::NamePrefix(prefixes) | TestStyle::NameOrCall(prefixes, _) => {
            matches!(
                kind,
                SymbolKind::Function | SymbolKind::Method | SymbolKind::Class
            ) && prefixes.iter().any(|p| name.starts_with(p))
        }
        TestStyle::Annotation(names) => names.iter().any(|a| {
            has_word(before_name, &format!("@{a}"))
                || before_name.contains(&format!("[{a}]"))
                || before_name.contains(&format!("[{a}("))
        }),
        TestStyle::CallBlocks(_) | TestStyle::None => false,
    };
    let kind = if test && matches!(kind, SymbolKind::Function | SymbolKind::Method) {
        SymbolKind::Test
    } else {
        kind
    };
    let body_text = body
        .and_then(|b| src.get(b.start_byte()..n.end_byte()))
        .unwrap_or_else(|| text(src, n));
    let name_row = match dk.name {
        NameRule::Field(f) => n
            .child_by_field_name(f)
            .map(|c| c.start_position().row)
            .unwrap_or(n.start_position().row),
        _ => n.start_position().row,
    };
    Def {
        name,
        kind,
        label: dk.label,
        start_row: n.start_position().row,
        end_row: n.end_position().row,
        name_row,
        header_end_row: body
            .map(|b| b.start_position().row)
            .unwrap_or(n.end_position().row),
        signature: collapse(header, SIG_MAX),
        signature_key,
        params: params_at.map(|p| collapse(text(src, p), SIG_MAX)),
        params_key,
        returns: returns_of(n, src),
        public,
        test,
        parent: None,
        body: collapse(body_text, BODY_MAX),
        indented: starts_indented(src, n.start_byte()),
    }
}

/// The line holding `byte` starts with whitespace.
fn starts_indented(src: &str, byte: usize) -> bool {
    let start = src
        .get(..byte)
        .and_then(|b| b.rfind('\n'))
        .map(|i| i + 1)
        .unwrap_or(0);
    src.get(start..).is_some_and(|l| l.starts_with([' ', '\t']))
}

/// The chain of definitions enclosing `def` (outermost first).
pub fn chain_of(defs: &[Def], idx: usize) -> Vec<usize> {
    let mut out = vec![idx];
    let mut cur = defs.get(idx).and_then(|d| d.parent);
    while let Some(p) = cur {
        if out.len() > 64 {
            break;
        }
        out.push(p);
        cur = defs.get(p).and_then(|d| d.parent);
    }
    out.reverse();
    out
}

/// Display string of a chain (`impl Cache > fn evict`).
pub fn chain_display(defs: &[Def], idx: usize) -> String {
    chain_of(defs, idx)
        .iter()
        .filter_map(|i| defs.get(*i))
        .map(Def::display)
        .collect::<Vec<_>>()
        .join(" > ")
}

/// Qualified name (`Cache::evict`), used to match definitions across sides.
pub fn qualname(defs: &[Def], idx: usize) -> String {
    chain_of(defs, idx)
        .iter()
        .filter_map(|i| defs.get(*i))
        .map(|d| d.name.as_str())
        .collect::<Vec<_>>()
        .join("::")
}

/// The innermost definition containing `row`.
pub fn innermost(defs: &[Def], row: usize) -> Option<usize> {
    // Definitions are in document order and nested ones come after their
    // parents, so the last one containing the row is the innermost.
    defs.iter()
        .enumerate()
        .rev()
        .find(|(_, d)| d.start_row <= row && row <= d.end_row)
        .map(|(i, _)| i)
}

/// A symbol named by a hunk header's section text, for changed lines whose
/// definition starts above the hunk. Its lines are 0 (unknown).
pub fn heading_symbol(
    lang: Option<Lang>,
    heading: &str,
    side: crate::finding::Side,
) -> Option<super::model::Symbol> {
    let lang = lang?;
    if lang.is_config() || lang == Lang::Sql {
        return None;
    }
    let h = heading.trim();
    let words: Vec<&str> = h
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
        .filter(|w| !w.is_empty())
        .collect();
    let class_kw = [
        "class",
        "struct",
        "interface",
        "trait",
        "impl",
        "module",
        "namespace",
        "enum",
    ];
    let (kind, label, name) = if let Some(i) = h.find('(') {
        let before = h.get(..i).unwrap_or("");
        let name = before
            .rsplit(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
            .find(|w| !w.is_empty())?;
        // `func (s *Store) Get(` in Go: the name follows the receiver.
        let name = if lang == Lang::Go && before.trim() == "func" {
            let after = h.get(i..).unwrap_or("");
            let close = after.find(')')?;
            let rest = after.get(close + 1..).unwrap_or("");
            rest.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .find(|w| !w.is_empty())?
        } else {
            name
        };
        if is_control_word(name) {
            return None;
        }
        let kind = if words.first().is_some_and(|w| class_kw.contains(w)) {
            SymbolKind::Class
        } else {
            SymbolKind::Function
        };
        (kind, "", name.to_string())
    } else {
        let i = words.iter().position(|w| class_kw.contains(w))?;
        let kw = words.get(i)?;
        let name = words.get(i + 1)?;
        let kind = match *kw {
            "impl" => SymbolKind::Impl,
            "module" | "namespace" => SymbolKind::Module,
            "interface" | "trait" => SymbolKind::Interface,
            "enum" => SymbolKind::Enum,
            _ => SymbolKind::Class,
        };
        (kind, "", format!("{kw} {name}"))
    };
    let info = lang.info();
    let bare = name.rsplit(' ').next().unwrap_or(&name);
    let public = match info.visibility {
        Visibility::RustPub => h.match_indices("pub").any(|(i, _)| {
            !h[..i]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
                && rust_pub_unrestricted(&h[i..])
        }),
        Visibility::Export => has_word(h, "export"),
        Visibility::Underscore => !bare.starts_with('_'),
        Visibility::Capitalised => bare.chars().next().is_some_and(|c| c.is_uppercase()),
        Visibility::PublicKeyword => {
            if lang == Lang::Php {
                !has_word(h, "private") && !has_word(h, "protected")
            } else {
                has_word(h, "public")
            }
        }
        Visibility::NotStatic => !has_word(h, "static"),
        Visibility::Always => true,
    };
    let test = match info.tests {
        TestStyle::RustAttr => false,
        TestStyle::NamePrefix(p) | TestStyle::NameOrCall(p, _) => {
            p.iter().any(|x| bare.starts_with(x))
        }
        _ => false,
    };
    let _ = label;
    Some(super::model::Symbol {
        chain: collapse(h.trim_end_matches([':', '{', ' ']), 120),
        name: bare.to_string(),
        kind: if test { SymbolKind::Test } else { kind },
        public,
        test,
        side,
        line: 0,
        end_line: 0,
    })
}

fn is_control_word(w: &str) -> bool {
    matches!(
        w,
        "if" | "for" | "while" | "switch" | "return" | "sizeof" | "catch" | "elif" | "with"
    )
}
