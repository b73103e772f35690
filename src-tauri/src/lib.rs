//! The desktop shell: opens the desk, registers the commands, shows the window.
//!
//! This is the only crate that knows about Tauri. Commands (in [`commands`]) are adapters of a
//! few lines over `hoso_desk::Desk`; anything more belongs in the desk crate.

mod commands;
mod print;
mod state;

use std::process::ExitCode;

use hoso_desk::{Desk, default_data_dir};
use hoso_model::{ApiError, Language, Text};

use crate::state::AppState;

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
    let state = AppState::new(default_data_dir().map_err(|err| ApiError::from(&err)));
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_opener::init())
        .manage(state)
        .invoke_handler(commands::handler())
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
/// the scan folder. They go on while the window is locked.
pub(crate) fn start_background(state: &AppState, desk: Desk) {
    recognise_in_background(desk.clone());
    let sync = sync_in_background(&desk);
    file_folder_in_background(desk, sync.poke.clone());
    state.set_sync(sync);
}

/// Recognises the text of waiting pages on a background thread for as long as the window is
/// open: a few pages at a time, so a new scan is picked up soon, resting when none waits.
fn recognise_in_background(desk: Desk) {
    #[cfg(target_os = "linux")]
    std::thread::Builder::new()
        .name("text".into())
        .spawn(move || {
            let pool = match hoso_desk::text::pool() {
                Ok(pool) => pool,
                Err(err) => {
                    eprintln!("hoso-desktop: text recognition is off: {err}");
                    return;
                }
            };
            loop {
                let busy = desk
                    .recognise_waiting(&pool, Some(4))
                    .map(|s| s.recognised + s.failed > 0)
                    .unwrap_or(false);
                if !busy {
                    std::thread::sleep(std::time::Duration::from_millis(1500));
                }
            }
        })
        .map(|_| ())
        .unwrap_or_else(|err| eprintln!("hoso-desktop: text recognition is off: {err}"));
    #[cfg(not(target_os = "linux"))]
    let _ = desk;
}

/// Runs the sync engine for as long as the window is open: it sends whenever the hub answers,
/// and is woken when the officer records new work. `HOSO_SYNC_PROBE_SECONDS` shortens the probe
/// interval (tests).
fn sync_in_background(desk: &Desk) -> state::SyncHandle {
    let mut config = hoso_sync::Config::default();
    if let Some(seconds) = std::env::var("HOSO_SYNC_PROBE_SECONDS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
    {
        config.probe_interval = std::time::Duration::from_secs_f64(seconds.max(0.1));
        config.idle_interval = config.idle_interval.min(config.probe_interval * 4);
    }
    let engine = desk.sync_engine(config);
    let handle = state::SyncHandle {
        status: engine.status(),
        poke: engine.poker(),
    };
    tauri::async_runtime::spawn(async move {
        let _ = engine.run(hoso_sync::Mode::Watch).await;
    });
    handle
}

/// Files what scanners save into the desk's folder (if one is set) every few seconds, and wakes
/// the sync engine when something was filed.
fn file_folder_in_background(desk: Desk, sync: hoso_sync::Poke) {
    let spawned = std::thread::Builder::new()
        .name("folder".into())
        .spawn(move || {
            loop {
                // Nothing is filed while the window is locked: filing is done in someone's name.
                if desk.current_user().is_none() {
                    std::thread::sleep(std::time::Duration::from_secs(3));
                    continue;
                }
                if let Ok(Some(folder)) = desk.watched_folder() {
                    let lang = desk.settings().map(|s| s.language).unwrap_or_default();
                    match desk.file_folder(&folder, lang) {
                        Ok(pass) if !pass.filed.is_empty() => sync.poke(),
                        Ok(_) => {}
                        Err(err) => {
                            eprintln!("hoso-desktop: the scan folder cannot be read: {err}")
                        }
                    }
                }
                std::thread::sleep(std::time::Duration::from_secs(3));
            }
        });
    if let Err(err) = spawned {
        eprintln!("hoso-desktop: the scan folder is not watched: {err}");
    }
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
