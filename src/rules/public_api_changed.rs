use super::{clip, Ctx};
use crate::finding::{Category, Confidence, Finding, Severity, Side};
use crate::textmatch::LazyRegex;
use std::collections::HashSet;
use std::sync::LazyLock;

crate::declare_rule! {
    /// ## What it does
    /// Flags public functions whose signature line changes, or that are
    /// removed without reappearing anywhere in the change: Rust `pub fn`,
    /// Python module-level and method `def` without a leading underscore,
    /// JavaScript/TypeScript `export function` / `export const f = (…)`,
    /// Go exported `func`, Java/C#/Kotlin `public` methods, and C
    /// prototypes in header files. When the syntax layer parsed the file it
    /// supplies the symbol-level changes (visibility, parameters, return
    /// type, call sites in the diff); otherwise the first line of each
    /// declaration is compared as text.
    ///
    /// ## Why it matters
    /// Callers outside the diff, in other modules, services or other
    /// people's code, still use the old signature. The diff shows the
    /// definition, not the call sites that now break or silently pass the
    /// wrong argument.
    ///
    /// ## Example
    /// ```diff
    /// -pub fn charge(amount: u64, currency: &str) -> Result<Receipt>
    /// +pub fn charge(amount: u64) -> Result<Receipt>
    /// ```
    /// Check every caller (search the repository and dependants), and
    /// whether the change needs a deprecation path or a version bump.
    ///
    /// Configuration keys, generated code (by path or header) and vendored
    /// code are left out: they have no callers the author controls. So are
    /// private Python modules and packages (`_functools.py`,
    /// `_internal/`): PEP 8 marks them internal with the leading underscore.
    /// So are programs the diff shows starting with a `#!` line that are
    /// shell scripts (run, not sourced) or whose name has no extension of
    /// their language (`bin/tool` in Python cannot be imported): nothing
    /// outside calls their functions. So are example programs (under
    /// `examples/`, `_examples/`, `example/`): nothing imports them.
    ///
    /// Public means visible outside the package: Rust `pub`, not
    /// `pub(crate)`, `pub(super)` or `pub(in …)`; a Java or C# member only
    /// when the types around it are public too (git's hunk header names
    /// the type when the hunk does not show it). A definition that stops
    /// being public is reported as such. What callers write is compared,
    /// not the text: parameter names where callers pass arguments by
    /// position (Java, Go, Rust, C, C++, JavaScript, TypeScript; not
    /// Python, Ruby, PHP or C#), Java's `final` on a parameter, Java
    /// annotations and C# attributes, and spacing are left out. Overloads
    /// are paired by signature, and a definition moved within the file is
    /// not removed.
    ///
    /// ## False positives
    /// Internal code that happens to be public; an override removed whose
    /// parent class still provides the method; formatting-only changes of
    /// a signature line in a file the syntax layer could not parse.
    /// Missed: a name from a private Python module that
    /// a public `__init__.py` re-exports.
    pub static RULE = {
        id: "public-api-changed",
        category: Category::Risk,
        severity: Severity::Warning,
        confidence: Confidence::Medium,
        summary: "A public function's signature changes or it is removed",
        languages: &[],
        check: check,
    }
}

static RUST: LazyLock<LazyRegex> = LazyLock::new(|| {
    crate::textmatch::lazy(
        r"^\s*pub\s+(?:async\s+)?(?:const\s+)?(?:unsafe\s+)?(?:extern\s+\S+\s+)?fn\s+(\w+)",
    )
});
static PY: LazyLock<LazyRegex> =
    LazyLock::new(|| crate::textmatch::lazy(r"^(?: {4})?(?:async\s+)?def\s+([A-Za-z]\w*)\s*\("));
static JS: LazyLock<LazyRegex> = LazyLock::new(|| {
    crate::textmatch::lazy(
        r"^\s*export\s+(?:default\s+)?(?:async\s+)?(?:function\s*\*?\s*(\w+)|const\s+(\w+)\s*=\s*(?:async\s*)?(?:\(|function))",
    )
});
static GO: LazyLock<LazyRegex> =
    LazyLock::new(|| crate::textmatch::lazy(r"^func\s+(?:\([^)]*\)\s*)?([A-Z]\w*)\s*[\[(]"));
static JAVA: LazyLock<LazyRegex> = LazyLock::new(|| {
    crate::textmatch::lazy(
        r"^\s*public\s+(?:static\s+|final\s+|abstract\s+|synchronized\s+|override\s+|async\s+|virtual\s+)*[\w<>\[\],.? ]+\s+(\w+)\s*\(",
    )
});
static C_PROTO: LazyLock<LazyRegex> = LazyLock::new(|| {
    crate::textmatch::lazy(
        r"^(?:extern\s+)?(?:const\s+)?(?:struct\s+|enum\s+|unsigned\s+)?\w+[\s*]+\**(\w+)\s*\(",
    )
});

fn decl(lang: &str, path: &str, text: &str) -> Option<String> {
    let re: &LazyRegex = match lang {
        "rust" => &RUST,
        "python" => &PY,
        "javascript" | "typescript" | "tsx" => &JS,
        "go" => &GO,
        "java" | "csharp" | "kotlin" => &JAVA,
        "c" | "cpp" if path.ends_with(".h") || path.ends_with(".hpp") => &C_PROTO,
        _ => return None,
    };
    let c = re.captures(text)?;
    let name = c.get(1).or(c.get(2))?.as_str();
    if matches!(
        name,
        "if" | "while" | "for" | "return" | "switch" | "sizeof"
    ) {
        return None;
    }
    Some(name.to_string())
}

fn norm(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("( ", "(")
        .replace(" )", ")")
}

/// The syntax layer's detail for a definition that lost its visibility.
const NARROWED: &str = "visibility: public -> not public";

/// Symbol-level changes from the syntax layer, when it parsed the file.
fn from_syntax(ctx: &Ctx<'_>, f: &crate::diff::FileDiff<'_>, out: &mut Vec<Finding>) -> bool {
    use crate::syntax::ChangeKind;
    let Some(fs) = ctx
        .syntax
        .and_then(|s| s.iter().find(|s| s.path == f.path()))
        .filter(|s| s.fallback.is_none() && s.language.is_some())
    else {
        return false;
    };
    // Configuration keys (YAML, JSON, TOML, HCL, Dockerfile stages) are
    // definitions to the syntax layer, not an API with callers; generated
    // and vendored code has no callers in the author's control.
    if !fs.has_api() {
        return true;
    }
    let mut count = 0;
    for c in fs.changes.iter().filter(|c| c.public && !c.test) {
        if count >= 5 {
            break;
        }
        let (side, line, msg, why) = match c.change {
            ChangeKind::Signature if c.details.iter().any(|d| d == NARROWED) => (
                Side::New,
                c.new_line.unwrap_or(0),
                format!("Public `{}` is no longer public", clip(&c.chain, 60)),
                "Code outside this module could use it before and now cannot. \
                Check every user (other modules, services, dependants), and whether the change \
                needs a deprecation path or a version bump.",
            ),
            ChangeKind::Signature => (
                Side::New,
                c.new_line.unwrap_or(0),
                format!("Signature of public `{}` changed", clip(&c.chain, 60)),
                "Callers outside this diff still use the old signature. Check every call site \
                (other modules, services, dependants), and whether the change needs a deprecation \
                path or a version bump.",
            ),
            ChangeKind::Deleted => (
                Side::Old,
                c.old_line.unwrap_or(0),
                format!("Public `{}` removed", clip(&c.chain, 60)),
                "A public definition disappears. Check that nothing outside this diff uses it \
                (other modules, services, dependants) and whether it needs a deprecation period.",
            ),
            _ => continue,
        };
        if line == 0 {
            continue;
        }
        let end = match side {
            Side::New => c.new_end_line,
            Side::Old => c.old_end_line,
        }
        .unwrap_or(line);
        let mut fd = ctx.finding(&RULE, f, side, line, line.max(end.min(line + 2)));
        fd.message = msg;
        fd.explanation = if c.call_sites.is_empty() {
            why.to_string()
        } else {
            format!(
                "{why} {} call site(s) appear in this diff.",
                c.call_sites.len()
            )
        };
        fd.evidence = if c.details.is_empty() {
            clip(&c.chain, 160)
        } else {
            clip(&c.details.join("; "), 160)
        };
        out.push(fd);
        count += 1;
    }
    true
}

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    // Names declared on added lines anywhere (a moved function is not removed).
    let mut added_names: HashSet<String> = HashSet::new();
    for (fi, f) in ctx.patch.files.iter().enumerate() {
        let Some(lang) = ctx.files.get(fi).and_then(|c| c.lang_id) else {
            continue;
        };
        for (_, t) in ctx.added(f) {
            if let Some(n) = decl(lang, f.path(), &t) {
                added_names.insert(n);
            }
        }
    }
    for (fi, f) in ctx.patch.files.iter().enumerate() {
        let Some(fc) = ctx.files.get(fi) else {
            continue;
        };
        let Some(lang) = fc.lang_id else { continue };
        if fc.is_test || fc.is_example || fc.pulled || !super::has_content(f) {
            continue;
        }
        if lang == "python" && crate::syntax::model::private_python_module(f.path()) {
            continue;
        }
        // A program that is run (its `#!` line shows) has no callers outside
        // itself when it is shell (a sourced library has no `#!`) or when
        // only that line names its language: `import` and `require` find
        // modules by their extension.
        if fc.script && (lang == "shell" || crate::lang::detect(f.path(), None).is_none()) {
            continue;
        }
        // The syntax layer knows visibility and parameters; text otherwise.
        // C/C++ API lives in header prototypes, which are declarations, not
        // definitions: keep the text-level check there.
        if !matches!(lang, "c" | "cpp") && from_syntax(ctx, f, out) {
            continue;
        }
        let added: Vec<(u32, String, String)> = ctx
            .added(f)
            .filter_map(|(n, t)| decl(lang, f.path(), &t).map(|d| (n, d, t)))
            .collect();
        let mut count = 0;
        for (old_no, old_text) in ctx.removed(f) {
            if count >= 5 {
                break;
            }
            let Some(name) = decl(lang, f.path(), &old_text) else {
                continue;
            };
            if let Some((new_no, _, new_text)) = added.iter().find(|a| a.1 == name) {
                if norm(new_text) == norm(&old_text) {
                    continue;
                }
                let mut fd = ctx.finding(&RULE, f, Side::New, *new_no, *new_no);
                fd.message = format!("Signature of public `{}` changed", clip(&name, 60));
                fd.explanation = "Callers outside this diff still use the old signature. Check \
                    every call site (other modules, services, dependants), and whether the change \
                    needs a deprecation path or a version bump."
                    .to_string();
                fd.evidence = format!("{} → {}", clip(&old_text, 80), clip(new_text, 80));
                out.push(fd);
                count += 1;
            } else if !added_names.contains(&name) {
                let mut fd = ctx.finding(&RULE, f, Side::Old, old_no, old_no);
                fd.message = format!("Public `{}` removed", clip(&name, 60));
                fd.explanation = "A public function disappears. Check that nothing outside this \
                    diff calls it (other modules, services, dependants) and whether it needs a \
                    deprecation period."
                    .to_string();
                fd.evidence = clip(&old_text, 160);
                out.push(fd);
                count += 1;
            }
        }
    }
}
