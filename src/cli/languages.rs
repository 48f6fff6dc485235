//! `blastradius languages`: the compiled-in language table.

use super::{Format, EXIT_OK};

/// Arguments of `languages`.
#[derive(clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

/// Print the language table.
pub fn run(a: Args) -> i32 {
    let langs = blastradius::lang::LANGS;
    if a.format == Format::Json {
        let v: Vec<_> = langs
            .iter()
            .map(|l| {
                serde_json::json!({
                    "id": l.lang,
                    "name": l.name,
                    "grammar": l.grammar.is_some().then_some(l.grammar_crate),
                    "extensions": l.extensions,
                    "filenames": l.filenames,
                    "filename_prefixes": l.filename_prefixes,
                    "shebangs": l.shebangs,
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        println!("{:<11} {:<25} detection", "language", "grammar");
        for l in langs {
            let mut det: Vec<String> = l.extensions.iter().map(|e| format!(".{e}")).collect();
            det.extend(l.filenames.iter().map(|f| f.to_string()));
            det.extend(l.filename_prefixes.iter().map(|f| format!("{f}*")));
            det.extend(l.shebangs.iter().map(|s| format!("#!{s}")));
            println!(
                "{:<11} {:<25} {}",
                l.name,
                if l.grammar.is_some() {
                    l.grammar_crate
                } else {
                    "(text-level)"
                },
                det.join(" ")
            );
        }
    }
    EXIT_OK
}
