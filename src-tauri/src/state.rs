//! What the shell holds between commands: the open desk, or why it could not be opened.

use hoso_desk::Desk;
use hoso_model::ApiError;
use hoso_model::ipc::Notice;
use hoso_store::OpenNotice;

pub struct AppState {
    desk: Result<Desk, ApiError>,
    notice: Option<Notice>,
}

impl AppState {
    pub fn ready(desk: Desk, notice: Option<OpenNotice>) -> Self {
        let notice = notice.map(|OpenNotice::MovedAside { kept_at }| Notice::MovedAside {
            kept_at: kept_at.display().to_string(),
        });
        AppState {
            desk: Ok(desk),
            notice,
        }
    }

    pub fn failed(err: ApiError) -> Self {
        AppState {
            desk: Err(err),
            notice: None,
        }
    }

    /// The open desk, if it could be opened.
    pub fn desk(&self) -> Option<Desk> {
        self.desk.as_ref().ok().cloned()
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
