//! The error of the hub's records, shared by [`crate::sql`] (which runs statements) and
//! [`crate::db`] (which says what they mean). Its text never quotes a row: a PostgreSQL error
//! shows its SQLSTATE only.

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("database: {}", postgres_text(.0))]
    Postgres(#[from] postgres::Error),
    #[error("database schema: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    /// The request cannot be taken as it is (answered 400).
    #[error("{0}")]
    Refused(&'static str),
    /// The disk (or the file store) failed (answered 507).
    #[error("{0}")]
    Storage(&'static str),
}

/// A PostgreSQL error for the log: its SQLSTATE only when the server reported one (the server's
/// detail may quote a row's values), else the client's own text (connection failures).
fn postgres_text(err: &postgres::Error) -> String {
    match err.code() {
        Some(state) => format!("PostgreSQL error {}", state.code()),
        None => err.to_string(),
    }
}
