//! What the shell holds between commands: where the desk's data is, the desk once someone
//! signed in (it stays open while the window is locked, so sync goes on), its background work,
//! and why it cannot be opened if it cannot.

use std::path::PathBuf;
use std::sync::{Mutex, OnceLock, RwLock};

use hoso_desk::Desk;
use hoso_desk::background::Background;
use hoso_model::ipc::Notice;
use hoso_model::{ApiError, ErrorCode};

pub struct AppState {
    data_dir: Result<PathBuf, ApiError>,
    desk: RwLock<Option<Desk>>,
    notice: Mutex<Option<Notice>>,
    background: OnceLock<Background>,
}

impl AppState {
    pub fn new(data_dir: Result<PathBuf, ApiError>) -> Self {
        AppState {
            data_dir,
            desk: RwLock::new(None),
            notice: Mutex::new(None),
            background: OnceLock::new(),
        }
    }

    /// Where the desk's data lives, or why there is nowhere.
    pub fn data_dir(&self) -> Result<PathBuf, ApiError> {
        self.data_dir.clone()
    }

    /// Keeps the desk opened at the first sign-in, and what opening it had to say; true if it
    /// was not open before.
    pub fn opened(&self, desk: Desk, notice: Option<Notice>) -> bool {
        if notice.is_some() {
            *self.notice.lock().unwrap_or_else(|e| e.into_inner()) = notice;
        }
        let mut slot = self.desk.write().unwrap_or_else(|e| e.into_inner());
        let first = slot.is_none();
        if first {
            *slot = Some(desk);
        }
        first
    }

    /// The open desk, once someone has signed in.
    pub fn desk(&self) -> Option<Desk> {
        self.desk.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn set_background(&self, background: Background) {
        let _ = self.background.set(background);
    }

    /// The desk's background work, once started.
    pub fn background(&self) -> Option<Background> {
        self.background.get().cloned()
    }

    /// Wakes the sync engine: there is new work to send.
    pub fn poke_sync(&self) {
        if let Some(background) = self.background.get() {
            background.poke();
        }
    }

    pub fn notice(&self) -> Option<Notice> {
        self.notice
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Runs one desk use case on a blocking thread and maps its error to the boundary's
    /// `{code, message}`.
    pub async fn run<T, F>(&self, use_case: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Desk) -> Result<T, hoso_desk::Error> + Send + 'static,
    {
        self.data_dir()?;
        let desk = self
            .desk()
            .ok_or_else(|| ApiError::new(ErrorCode::SignIn, "nobody is signed in"))?;
        blocking(move || use_case(&desk)).await
    }
}

/// Runs `work` on a blocking thread, off the window's event loop (SQLite, key derivation and
/// drawing must not stall it), and maps its error; a panic there is an internal error, not a
/// crash.
pub async fn blocking<T, E, F>(work: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    E: Send + 'static,
    ApiError: From<E>,
    F: FnOnce() -> Result<T, E> + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(move || work().map_err(ApiError::from))
        .await
        .map_err(|join| ApiError::new(ErrorCode::Internal, format!("use case panicked: {join}")))?
}
