//! The `blastradius` command line.

mod cli;

fn main() {
    // Like other Unix filters: end quietly when the reader of our output
    // goes away (`blastradius check x.diff | head`) instead of panicking on
    // a broken pipe.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of SIGPIPE before any
    // thread starts has no memory-safety implications.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    std::process::exit(cli::main());
}
