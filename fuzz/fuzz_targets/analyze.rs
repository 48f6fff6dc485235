#![no_main]
//! The whole analysis entry point on arbitrary bytes, then every renderer on
//! its report: must not panic.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(report) = blastradius::analyze::analyze(data, &Default::default()) {
        for format in blastradius::report::FORMATS {
            let _ = blastradius::report::render(&report, format);
        }
    }
});
