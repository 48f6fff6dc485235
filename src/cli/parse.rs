use super::{read_input, EXIT_ERROR, EXIT_OK};
use blastradius::diff::{self, FileStatus};

#[derive(clap::Args)]
pub struct Args {
    /// The diff or patch file; `-` or nothing for standard input.
    file: Option<String>,
    /// Print `added<TAB>deleted<TAB>path` per file, as `git apply --numstat`.
    #[arg(long)]
    numstat: bool,
    /// Print create/delete/rename/mode lines, as `git apply --summary`.
    #[arg(long)]
    summary: bool,
}

pub fn run(a: Args) -> i32 {
    let input = match read_input(a.file.as_deref()) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("blastradius: {e}");
            return EXIT_ERROR;
        }
    };
    let patch = diff::parse(&input);
    let mut out = String::new();
    if a.numstat || !a.summary {
        for f in &patch.files {
            if f.binary {
                out.push_str("-\t-\t");
            } else {
                out.push_str(&format!("{}\t{}\t", f.added, f.deleted));
            }
            out.push_str(f.path());
            out.push('\n');
        }
    }
    if a.summary {
        for f in &patch.files {
            match f.status {
                FileStatus::Added => out.push_str(&format!(
                    " create mode {:06o} {}\n",
                    f.new_mode.unwrap_or(0o100644),
                    f.path()
                )),
                FileStatus::Deleted => out.push_str(&format!(
                    " delete mode {:06o} {}\n",
                    f.old_mode.unwrap_or(0o100644),
                    f.path()
                )),
                FileStatus::Renamed | FileStatus::Copied => {
                    let kind = if f.status == FileStatus::Renamed {
                        "rename"
                    } else {
                        "copy"
                    };
                    out.push_str(&format!(
                        " {kind} {} => {} ({}%)\n",
                        f.old_path.as_deref().unwrap_or(""),
                        f.path(),
                        f.similarity.unwrap_or(0)
                    ));
                }
                _ => {}
            }
            if let (Some(o), Some(n)) = (f.old_mode, f.new_mode) {
                if o != n && !matches!(f.status, FileStatus::Added | FileStatus::Deleted) {
                    out.push_str(&format!(" mode change {o:06o} => {n:06o} {}\n", f.path()));
                }
            }
        }
    }
    print!("{out}");
    for d in &patch.diagnostics {
        eprintln!("blastradius: input line {}: {}", d.line, d.message);
    }
    EXIT_OK
}
