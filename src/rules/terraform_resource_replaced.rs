use super::{clip, Ctx};
use crate::finding::{Category, Confidence, Finding, Severity, Side};
use crate::textmatch::LazyRegex;
use std::sync::LazyLock;

crate::declare_rule! {
    /// ## What it does
    /// In Terraform files, flags a `resource "type" "name"` block whose
    /// name changes (one removed, one of the same type added) when the
    /// change adds no `moved` block.
    ///
    /// ## Why it matters
    /// Terraform tracks resources by address. Renaming one without a
    /// `moved` block plans a destroy of the old resource and a create of
    /// the new: for a database, bucket or DNS zone that is data loss or an
    /// outage.
    ///
    /// ## Example
    /// ```hcl
    /// -resource "aws_db_instance" "main" {
    /// +resource "aws_db_instance" "primary" {
    /// ```
    /// Ask for a `moved { from = … to = … }` block, or for the plan output
    /// showing no replacement.
    ///
    /// ## False positives
    /// Resources that are meant to be recreated, or state moved by hand
    /// with `terraform state mv`.
    pub static RULE = {
        id: "terraform-resource-replaced",
        category: Category::Risk,
        severity: Severity::High,
        confidence: Confidence::Medium,
        summary: "A Terraform resource is renamed without a moved block",
        languages: &[],
        check: check,
    }
}

static RES: LazyLock<LazyRegex> =
    LazyLock::new(|| crate::textmatch::lazy(r#"^\s*resource\s+"([\w-]+)"\s+"([\w-]+)""#));

fn check(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let moved = ctx.patch.files.iter().any(|f| {
        ctx.added(f)
            .any(|(_, t)| t.trim_start().starts_with("moved"))
    });
    if moved {
        return;
    }
    for f in &ctx.patch.files {
        if !f.path().ends_with(".tf") {
            continue;
        }
        let removed: Vec<(String, String)> = ctx
            .removed(f)
            .filter_map(|(_, t)| {
                let c = RES.captures(&t)?;
                Some((
                    c.get(1)?.as_str().to_string(),
                    c.get(2)?.as_str().to_string(),
                ))
            })
            .collect();
        let added: Vec<(u32, String, String, String)> = ctx
            .added(f)
            .filter_map(|(n, t)| {
                let c = RES.captures(&t)?;
                Some((
                    n,
                    c.get(1)?.as_str().to_string(),
                    c.get(2)?.as_str().to_string(),
                    t.clone(),
                ))
            })
            .collect();
        for (line, ty, name, text) in &added {
            if removed.iter().any(|(t, n)| t == ty && n == name) {
                continue;
            }
            let Some((_, old)) = removed
                .iter()
                .find(|(t, n)| t == ty && !added.iter().any(|a| &a.1 == t && &a.2 == n))
            else {
                continue;
            };
            let mut fd = ctx.finding(&RULE, f, Side::New, *line, *line);
            fd.message = format!(
                "`{ty}.{old}` renamed to `{ty}.{name}`: Terraform will destroy and recreate it"
            );
            fd.explanation = "Terraform tracks resources by address, so a rename without a `moved` \
                block plans a destroy and a create. Check the plan, and ask for a `moved { from = … \
                to = … }` block unless recreating the resource is intended."
                .to_string();
            fd.evidence = clip(text, 160);
            out.push(fd);
        }
    }
}
