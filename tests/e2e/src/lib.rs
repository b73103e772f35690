//! The harness of the end-to-end tests in `tests/`: the real desktop window (Tauri 2 on
//! WebKitGTK), driven through WebDriver — `tauri-driver` in front of Debian's `WebKitWebDriver`.
//! Each test gets its own data directory, driver and app; every wait is a condition with a
//! deadline, never a sleep.
//!
//! [`driver`] launches the app, [`window`] acts on its window, [`files`] makes the pages a test
//! scans or drops and reads the PDFs the app prints, [`hub`] runs the hub and the command lines
//! beside it. Linux only: elsewhere the crate is empty.

#![cfg(unix)]

pub mod driver;
pub mod files;
pub mod hub;
pub mod window;

use std::time::{Duration, Instant};

pub use driver::{ADMIN, Driver, PASSWORD, free_port, open_test_desk, set_test_unit};
pub use files::{drop_file, paper, printed, qr_on, scanned_page, text_page};
pub use hub::{hoso_cli, hub_cli, start_hub};
pub use window::{Window, thumbnail_ids};

/// How long any one thing the window does may take before the test fails.
pub const DEADLINE: Duration = Duration::from_secs(30);

/// Waits until `condition` holds, within [`DEADLINE`].
pub async fn wait_until<F, Fut>(condition: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    while !condition().await {
        assert!(started.elapsed() < DEADLINE, "the condition never held");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
