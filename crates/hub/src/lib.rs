//! The hub: the upstream server that receives every commune desk's dossiers and files, and gives
//! back what happened upstream (`docs/protocol.md`, `docs/openapi.yaml`).
//!
//! - [`api`]: the HTTP API on axum — enrollment and credentials ([`api::auth`]), tus 1.0 uploads
//!   named by content hash ([`api::tus`]), batches of dossier versions answered item by item
//!   ([`api::batches`]), changes and heartbeats ([`api::changes`]).
//! - [`db`]: the records, one transaction per call, in an embedded SQLite file or in PostgreSQL
//!   ([`sql`] hides which, so one test suite runs on both; both report a [`db::DbError`], kept
//!   in a module of its own so that `sql` does not depend on `db`).
//! - [`files`]: complete files by content hash behind the [`files::FileStore`] trait (a
//!   directory now; object storage can follow), and the partial files of uploads.
//! - [`net`]: connections that are closed when nothing moves for a while, in either direction
//!   (no whole-request timeout: a slow 256 MiB upload is fine, a dead one is not);
//!   [`tls`]: HTTPS with rustls, handshakes off the accept loop.
//! - [`export`]: a dossier in the national sync message's shape.
//! - [`backup`]: the hub's own backup and restore (records, files, a manifest written last).
//!
//! Nothing the hub logs or answers holds personal data: logs and error messages name units,
//! devices, uploads, batches and files by their ids and hashes only.

pub mod api;
pub mod backup;
pub mod db;
mod error;
pub mod export;
pub mod files;
pub mod net;
pub mod sql;
pub mod tls;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

pub use api::{Hub, Shared};

/// How long in-flight requests may run on after a shutdown signal before the hub stops anyway.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// Opens the hub over a data directory: `hub.sqlite3`, `files/`, `uploads/`.
pub fn open(data_dir: &Path) -> Result<Hub, db::DbError> {
    with_files_in(db::Db::open(data_dir)?, data_dir)
}

/// Opens the hub with its records in PostgreSQL (`postgres://…`) and its files in `data_dir`.
pub fn open_postgres(url: &str, data_dir: &Path) -> Result<Hub, db::DbError> {
    let db = db::Db::open_postgres(url)?;
    std::fs::create_dir_all(data_dir)
        .map_err(|_| db::DbError::Storage("cannot create the data directory"))?;
    with_files_in(db, data_dir)
}

/// The hub over `db`, its files in `data_dir`, with its generation: the one kept, or the new one
/// a restore left in [`backup::RENEW_GENERATION_FILE`] (taken, then the file is removed).
fn with_files_in(db: db::Db, data_dir: &Path) -> Result<Hub, db::DbError> {
    let renew_file = data_dir.join(backup::RENEW_GENERATION_FILE);
    let renew = std::fs::read_to_string(&renew_file)
        .ok()
        .map(|text| text.trim().to_owned())
        .filter(|id| !id.is_empty());
    let generation = db.generation(renew.as_deref())?;
    if renew.is_some() {
        std::fs::remove_file(&renew_file)
            .map_err(|_| db::DbError::Storage("cannot remove the restore's generation file"))?;
    }
    let mut hub = Hub::new(
        db,
        Box::new(files::DirStore::new(data_dir.join("files"))),
        files::Partials::new(data_dir.join("uploads")),
    );
    hub.generation = axum::http::HeaderValue::from_str(&generation).ok();
    Ok(hub)
}

/// Serves the API over plain HTTP on `listener` until `shutdown` resolves (then in-flight
/// requests get [`SHUTDOWN_GRACE`]), sweeping expired uploads hourly.
pub async fn serve(
    listener: tokio::net::TcpListener,
    hub: Hub,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let listener = net::PlainListener::new(listener, hub.idle_timeout);
    run(listener, hub, shutdown).await
}

/// [`serve`] over TLS: upload locations and file URLs say `https`.
pub async fn serve_tls(
    listener: tokio::net::TcpListener,
    acceptor: tokio_rustls::TlsAcceptor,
    mut hub: Hub,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    hub.tls = true;
    let listener = tls::TlsListener::new(listener, acceptor, hub.idle_timeout)?;
    run(listener, hub, shutdown).await
}

async fn run<L>(
    listener: L,
    hub: Hub,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()>
where
    L: axum::serve::Listener,
    L::Addr: std::fmt::Debug,
{
    let hub: Shared = Arc::new(hub);
    let sweeper = sweep_hourly(hub.clone());
    let (stop, stopping) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown.await;
        let _ = stop.send(true);
    });
    let mut graceful = stopping.clone();
    let mut deadline = stopping;
    let server = axum::serve(listener, api::router(hub)).with_graceful_shutdown(async move {
        let _ = graceful.wait_for(|s| *s).await;
    });
    let outcome = tokio::select! {
        served = server.into_future() => served,
        () = async move {
            let _ = deadline.wait_for(|s| *s).await;
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        } => {
            eprintln!("hoso-hub: stopped with requests still running after {SHUTDOWN_GRACE:?}");
            Ok(())
        }
    };
    sweeper.abort();
    outcome
}

/// Removes incomplete uploads untouched for their lifetime, at start and every hour.
fn sweep_hourly(hub: Shared) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(3600));
        loop {
            every.tick().await;
            let hub = hub.clone();
            let swept = tokio::task::spawn_blocking(move || {
                hub.sweep(api::now_ms() - api::UPLOAD_LIFETIME_MS)
            })
            .await;
            match swept {
                Ok(Ok(0)) => {}
                Ok(Ok(n)) => eprintln!("hoso-hub: {n} expired uploads removed"),
                Ok(Err(e)) => eprintln!("hoso-hub: sweeping expired uploads: {e}"),
                Err(_) => eprintln!("hoso-hub: sweeping expired uploads failed"),
            }
        }
    })
}
