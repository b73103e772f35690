// No console window behind the desk on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    #[cfg(target_os = "linux")]
    hoso_desk::text::single_threaded_tesseract();
    hoso_desktop::run()
}
