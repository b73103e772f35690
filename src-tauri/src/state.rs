//! What the shell holds between commands: where the desk's data is, the desk once someone
//! signed in (it stays open while the window is locked, so sync goes on), and why it cannot
//! be opened if it cannot.

use std::path::PathBuf;
use std::sync::{Mutex, RwLock};

use hoso_desk::Desk;
use hoso_model::ipc::Notice;
use hoso_model::{ApiError, ErrorCode};
use hoso_store::OpenNotice;

pub struct AppState {
    data_dir: Result<PathBuf, ApiError>,
    desk: RwLock<Option<Desk>>,
    notice: Mutex<Option<Notice>>,
    sync: std::sync::OnceLock<SyncHandle>,
}

/// The running sync engine: what it is doing, and a way to wake it.
pub struct SyncHandle {
    pub status: tokio::sync::watch::Receiver<hoso_sync::Status>,
    pub poke: hoso_sync::Poke,
}

impl AppState {
    pub fn new(data_dir: Result<PathBuf, ApiError>) -> Self {
        AppState {
            data_dir,
            desk: RwLock::new(None),
            notice: Mutex::new(None),
            sync: std::sync::OnceLock::new(),
        }
    }

    /// Where the desk's data lives, or why there is nowhere.
    pub fn data_dir(&self) -> Result<PathBuf, ApiError> {
        self.data_dir.clone()
    }

    /// Keeps the desk opened at the first sign-in; true if it was not open before.
    pub fn opened(&self, desk: Desk, notice: Option<OpenNotice>) -> bool {
        if let Some(OpenNotice::MovedAside { kept_at }) = notice {
            *self.notice.lock().unwrap_or_else(|e| e.into_inner()) = Some(Notice::MovedAside {
                kept_at: kept_at.display().to_string(),
            });
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

    pub fn set_sync(&self, handle: SyncHandle) {
        let _ = self.sync.set(handle);
    }

    pub fn sync(&self) -> Option<&SyncHandle> {
        self.sync.get()
    }

    /// Wakes the sync engine: there is new work to send.
    pub fn poke_sync(&self) {
        if let Some(sync) = self.sync.get() {
            sync.poke.poke();
        }
    }

    pub fn notice(&self) -> Option<Notice> {
        self.notice
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Runs one desk use case on a blocking thread (SQLite must not stall the window's event
    /// loop) and maps its error to the boundary's `{code, message}`.
    pub async fn run<T, F>(&self, use_case: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Desk) -> Result<T, hoso_desk::Error> + Send + 'static,
    {
        self.data_dir()?;
        let desk = self
            .desk()
            .ok_or_else(|| ApiError::new(ErrorCode::SignIn, "nobody is signed in"))?;
        blocking(move || use_case(&desk).map_err(ApiError::from)).await
    }
}

/// Runs `work` on a blocking thread, off the window's event loop; a panic there is an
/// internal error, not a crash.
pub async fn blocking<T, F>(work: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, ApiError> + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|join| {
            ApiError::new(
                hoso_model::ErrorCode::Internal,
                format!("use case panicked: {join}"),
            )
        })?
}
