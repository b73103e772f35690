//! Any bytes, taken as a file an officer brings: imported, then each page analysed, exactly as
//! the desk does (see `hoso_capture::check`). An error is a fine answer; a panic, an abort, a
//! hang or a runaway allocation is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = hoso_capture::check::import_and_analyse(data);
});
