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
    Ok(with_files_in(db::Db::open(data_dir)?, data_dir))
}

/// The hub over `db`, its files in `data_dir`.
fn with_files_in(db: db::Db, data_dir: &Path) -> Hub {
    Hub::new(
        db,
        Box::new(files::DirStore::new(data_dir.join("files"))),
        files::Partials::new(data_dir.join("uploads")),
    )
}

/// Opens the hub with its records in PostgreSQL (`postgres://…`) and its files in `data_dir`.
pub fn open_postgres(url: &str, data_dir: &Path) -> Result<Hub, db::DbError> {
    let db = db::Db::open_postgres(url)?;
    std::fs::create_dir_all(data_dir)
        .map_err(|_| db::DbError::Refused("cannot create the data directory"))?;
    Ok(with_files_in(db, data_dir))
}

/// Serves the API on `listener` until `shutdown` resolves, sweeping expired uploads hourly.
pub async fn serve(
    listener: tokio::net::TcpListener,
    hub: Hub,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let hub: Shared = Arc::new(hub);
    sweep_hourly(hub.clone());
    axum::serve(listener, api::router(hub))
        .with_graceful_shutdown(shutdown)
        .await
}

/// Removes incomplete uploads untouched for their lifetime, every hour.
fn sweep_hourly(hub: Shared) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every.tick().await;
            let hub = hub.clone();
            let _ = tokio::task::spawn_blocking(move || {
                hub.sweep(api::now_ms() - api::UPLOAD_LIFETIME_MS)
            })
            .await;
        }
    });
}

/// TLS for the hub: a certificate chain and its key, as PEM files.
pub mod tls {
    use std::path::Path;
    use std::sync::Arc;

    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::{CertificateDer, PrivateKeyDer};
    use tokio::net::{TcpListener, TcpStream};
    use tokio_rustls::TlsAcceptor;
    use tokio_rustls::rustls::ServerConfig;
    use tokio_rustls::server::TlsStream;

    /// An acceptor for the certificate chain in `cert` and the private key in `key`.
    pub fn acceptor(cert: &Path, key: &Path) -> Result<TlsAcceptor, String> {
        let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
            .map_err(|e| format!("cannot read the certificate {}: {e}", cert.display()))?
            .collect::<Result<_, _>>()
            .map_err(|e| format!("the certificate {} is not PEM: {e}", cert.display()))?;
        if chain.is_empty() {
            return Err(format!("no certificate in {}", cert.display()));
        }
        let key = PrivateKeyDer::from_pem_file(key)
            .map_err(|e| format!("cannot read the private key {}: {e}", key.display()))?;
        let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
        let config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(|e| format!("the certificate and key do not go together: {e}"))?;
        Ok(TlsAcceptor::from(Arc::new(config)))
    }

    /// A listener whose connections are TLS: a failed handshake drops that connection only.
    pub struct TlsListener {
        pub tcp: TcpListener,
        pub acceptor: TlsAcceptor,
    }

    impl axum::serve::Listener for TlsListener {
        type Io = TlsStream<TcpStream>;
        type Addr = std::net::SocketAddr;

        async fn accept(&mut self) -> (Self::Io, Self::Addr) {
            loop {
                let Ok((stream, addr)) = self.tcp.accept().await else {
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                };
                let handshake = tokio::time::timeout(
                    std::time::Duration::from_secs(30),
                    self.acceptor.accept(stream),
                );
                if let Ok(Ok(tls)) = handshake.await {
                    return (tls, addr);
                }
            }
        }

        fn local_addr(&self) -> std::io::Result<Self::Addr> {
            self.tcp.local_addr()
        }
    }
}

/// [`serve`] over TLS.
pub async fn serve_tls(
    listener: tls::TlsListener,
    hub: Hub,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let hub: Shared = Arc::new(hub);
    sweep_hourly(hub.clone());
    axum::serve(listener, api::router(hub))
        .with_graceful_shutdown(shutdown)
        .await
}
