//! The hub: the upstream server that receives every commune desk's dossiers and files, and gives
//! back what happened upstream (`docs/protocol.md`).
//!
//! - [`api`]: the HTTP API on axum — enrollment, tus 1.0 uploads named by content hash, batches
//!   of dossier versions answered item by item, changes, heartbeats.
//! - [`db`]: the records, one transaction per request, in an embedded SQLite file or in
//!   PostgreSQL ([`sql`] hides which).
//! - [`files`]: complete files by content hash behind the [`files::FileStore`] trait (a
//!   directory now; object storage can follow), and the partial files of uploads.
//! - [`export`]: a dossier in the national sync message's shape.

pub mod api;
pub mod db;
pub mod export;
pub mod files;
pub mod sql;

use std::path::Path;
use std::sync::Arc;

pub use api::{Hub, Shared};

/// Opens the hub over a data directory: `hub.sqlite3`, `files/`, `uploads/`.
pub fn open(data_dir: &Path) -> Result<Hub, db::DbError> {
    let db = db::Db::open(data_dir)?;
    Ok(Hub::new(
        db,
        Box::new(files::DirStore::new(data_dir.join("files"))),
        files::Partials::new(data_dir.join("uploads")),
    ))
}

/// Opens the hub with its records in PostgreSQL (`postgres://…`) and its files in `data_dir`.
pub fn open_postgres(url: &str, data_dir: &Path) -> Result<Hub, db::DbError> {
    let db = db::Db::open_postgres(url)?;
    std::fs::create_dir_all(data_dir)
        .map_err(|_| db::DbError::Refused("cannot create the data directory"))?;
    Ok(Hub::new(
        db,
        Box::new(files::DirStore::new(data_dir.join("files"))),
        files::Partials::new(data_dir.join("uploads")),
    ))
}

/// Serves the API on `listener` until `shutdown` resolves, sweeping expired uploads hourly.
pub async fn serve(
    listener: tokio::net::TcpListener,
    hub: Hub,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let hub: Shared = Arc::new(hub);
    let sweeper = hub.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every.tick().await;
            let hub = sweeper.clone();
            let _ = tokio::task::spawn_blocking(move || {
                hub.sweep(api::now_ms() - api::UPLOAD_LIFETIME_MS)
            })
            .await;
        }
    });
    axum::serve(listener, api::router(hub))
        .with_graceful_shutdown(shutdown)
        .await
}
