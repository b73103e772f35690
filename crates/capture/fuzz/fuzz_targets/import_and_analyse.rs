//! Any bytes, taken as a file an officer brings: checked and each page looked at through the
//! desk's own entry point (`hoso_capture::check`), only fewer of a PDF's pages. An error is a
//! fine answer; a panic, an abort, a hang or a runaway allocation is a bug.
#![no_main]

use hoso_capture::check::{PDF_PAGES_ANALYSED, check_file_sampled};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = check_file_sampled(data, PDF_PAGES_ANALYSED);
});
