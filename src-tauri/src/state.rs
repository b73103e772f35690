//! What the shell holds between commands: the open desk, or why it could not be opened.

use hoso_desk::Desk;
use hoso_model::ApiError;
use hoso_model::ipc::Notice;
use hoso_store::OpenNotice;

pub struct AppState {
    desk: Result<Desk, ApiError>,
    notice: Option<Notice>,
    sync: std::sync::OnceLock<SyncHandle>,
}

/// The running sync engine: what it is doing, and a way to wake it.
pub struct SyncHandle {
    pub status: tokio::sync::watch::Receiver<hoso_sync::Status>,
    pub poke: hoso_sync::Poke,
}

impl AppState {
    pub fn ready(desk: Desk, notice: Option<OpenNotice>) -> Self {
        let notice = notice.map(|OpenNotice::MovedAside { kept_at }| Notice::MovedAside {
            kept_at: kept_at.display().to_string(),
        });
        AppState {
            desk: Ok(desk),
            notice,
            sync: std::sync::OnceLock::new(),
        }
    }

    pub fn failed(err: ApiError) -> Self {
        AppState {
            desk: Err(err),
            notice: None,
            sync: std::sync::OnceLock::new(),
        }
    }

    /// The open desk, if it could be opened.
    pub fn desk(&self) -> Option<Desk> {
        self.desk.as_ref().ok().cloned()
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
        self.notice.clone()
    }

    /// Runs one desk use case on a blocking thread (SQLite must not stall the window's event
    /// loop) and maps its error to the boundary's `{code, message}`.
    pub async fn run<T, F>(&self, use_case: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Desk) -> Result<T, hoso_desk::Error> + Send + 'static,
    {
        let desk = self.desk.clone()?;
        tauri::async_runtime::spawn_blocking(move || use_case(&desk).map_err(ApiError::from))
            .await
            .map_err(|join| {
                ApiError::new(
                    hoso_model::ErrorCode::Internal,
                    format!("use case panicked: {join}"),
                )
            })?
    }
}
