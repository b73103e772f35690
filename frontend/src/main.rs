//! The desk's window contents: a Yew app that runs inside the Tauri window (WebKitGTK on Linux,
//! WebView2 on Windows) and reaches the desk only through [`ipc`].
//!
//! - `gate.rs`: set-up, sign-in and locking, in front of everything else.
//! - `lock.rs`: whether the window is locked, for the pages' shortcuts.
//! - `app.rs`: the shell of the window (navigation, page, status bar) and global shortcuts.
//! - `state/`: pure reducers, unit-tested without a window.
//! - `pages/` and `components/`: one component per file.
//! - `ipc/`: one typed async function per shell command; components never call `invoke`.

mod app;
mod components;
mod gate;
mod ipc;
mod lock;
mod pages;
mod print;
mod state;

fn main() {
    yew::Renderer::<gate::Gate>::new().render();
}
