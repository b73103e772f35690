// No console window behind the desk on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    // Both may start the process again with a changed environment, before any thread exists.
    hoso_desktop::follow_the_desks_language();
    #[cfg(target_os = "linux")]
    hoso_desk::text::single_threaded_tesseract();
    hoso_desktop::run()
}
