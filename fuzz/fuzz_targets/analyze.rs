#![no_main]
//! The whole analysis entry point on arbitrary bytes: must not panic.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = blastradius::analyze::analyze(data, &Default::default());
});
