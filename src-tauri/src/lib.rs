//! The desktop shell: opens the desk, registers the commands, shows the window.
//!
//! This is the only crate that knows about Tauri. Commands (in [`commands`]) are adapters of a
//! few lines over `hoso_desk::Desk`; anything more belongs in the desk crate.

mod commands;
mod kept;
mod locale;
mod placement;
mod print;
#[cfg(target_os = "linux")]
mod printer;
mod state;

use std::process::ExitCode;

use hoso_desk::{Desk, background, default_data_dir};
use hoso_model::{ApiError, Language, Text};

use crate::state::AppState;

/// Before anything else: has GTK's own dialogs speak the desk's language (`locale.rs`); may
/// start the process again.
pub fn follow_the_desks_language() {
    locale::follow_the_desk();
}

/// Starts the desktop app; returns when its window is closed.
///
/// `--version` prints the version; `--check` says whether the window can open here (the
/// WebView2 runtime on Windows, WebKitGTK elsewhere) and exits: 0 if it can, 3 if not.
pub fn run() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str| args.iter().any(|a| a == name);
    if flag("--version") || flag("-V") {
        println!("hoso-desktop {}", env!("CARGO_PKG_VERSION"));
        return ExitCode::SUCCESS;
    }
    match tauri::webview_version() {
        Ok(version) if flag("--check") => {
            println!("webview {version}");
            return ExitCode::SUCCESS;
        }
        Ok(_) => {}
        Err(_) => {
            let message = format!(
                "{}\n\n{}",
                Text::WebViewMissing.in_lang(Language::Vi),
                Text::WebViewMissing.in_lang(Language::En)
            );
            println!("{message}");
            if !flag("--check") {
                tell_without_a_window(&message);
            }
            return ExitCode::from(3);
        }
    }
    if let Some(message) = missing_display() {
        eprintln!("{message}");
        return ExitCode::from(2);
    }
    // The window opens even without a data directory, to say in the officer's language why
    // it cannot work. The desk itself opens at the first sign-in (its data is encrypted).
    let data_dir = default_data_dir().map_err(|err| ApiError::from(&err));
    // The window's place is remembered with the data; without a data directory, not at all.
    let state_file = data_dir.as_deref().ok().map(placement::state_file);
    let remembering = state_file.as_deref().and_then(placement::remembering);
    let state_file = state_file.filter(|_| remembering.is_some());
    let mut builder = tauri::Builder::default().plugin(tauri_plugin_opener::init());
    if let Some(plugin) = remembering {
        builder = builder.plugin(plugin);
    }
    let result = builder
        .manage(AppState::new(data_dir))
        .invoke_handler(commands::handler())
        .setup(move |app| {
            use tauri::Manager;
            if let Some(window) = app.get_webview_window("main") {
                placement::place(&window, state_file.as_deref());
            }
            Ok(())
        })
        .run(tauri::generate_context!());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("hoso-desktop: the window could not be opened: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Starts the desk's background work once, when it is first opened: text recognition, sync,
/// the scan folder. They go on while the window is locked; what they do reaches the window as
/// `desk-event`s.
pub(crate) fn start_background(app: &tauri::AppHandle, state: &AppState, desk: &Desk) {
    use tauri::Emitter;
    let app = app.clone();
    let background = background::start(desk, background::sync_config(), move |event| {
        let _ = app.emit(hoso_model::ipc::DESK_EVENT, event);
    });
    state.set_background(background);
}

/// Shows `message` in the system's own message box, for when no window can open.
#[cfg(windows)]
fn tell_without_a_window(message: &str) {
    rfd::MessageDialog::new()
        .set_level(rfd::MessageLevel::Error)
        .set_title(Text::AppName.in_lang(Language::Vi))
        .set_description(message)
        .set_buttons(rfd::MessageButtons::Ok)
        .show();
}

/// Elsewhere the message on the standard output is all there is: no toolkit is loaded.
#[cfg(not(windows))]
fn tell_without_a_window(_message: &str) {}

/// On Linux and the BSDs a window needs an X11 or Wayland display; say so plainly instead of
/// letting GTK abort.
fn missing_display() -> Option<&'static str> {
    if cfg!(any(target_os = "windows", target_os = "macos")) {
        return None;
    }
    let has = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    if has("DISPLAY") || has("WAYLAND_DISPLAY") {
        None
    } else {
        Some(
            "hoso-desktop: no display found (DISPLAY and WAYLAND_DISPLAY are unset); on a machine without a screen run it under a virtual one: xvfb-run -a ./x run",
        )
    }
}
