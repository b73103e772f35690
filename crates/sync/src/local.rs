//! What the engine needs from the desk: its outbox, its files, and a way to apply what the hub
//! sends back. The desk implements [`Local`] over its store; every method is one short
//! transaction, called off the async threads.

use hoso_model::DossierId;
use hoso_model::account::ChainedEntry;
use hoso_model::sync::{
    Change, CodeFloor, DossierRecord, FileProgress, FileRef, HubTrust, SentMark, Summary, Waiting,
};

/// Where the hub is and who this desk is to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HubLink {
    /// The hub's base URL (`https://hub.example.vn`), without `/v1`.
    pub url: String,
    pub device_id: String,
    pub token: String,
    /// What its certificate must be, as given at enrollment.
    pub trust: HubTrust,
}

/// What the officer set for sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Controls {
    /// Paused by the officer: nothing is sent until resumed.
    pub paused: bool,
    /// Upload cap in bytes per second, if any.
    pub bandwidth: Option<u64>,
}

/// A failure of the desk's own store or disk.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct LocalError {
    /// The disk is full: nothing can be recorded until space is freed.
    pub disk_full: bool,
    /// What failed, for the log; never personal data.
    pub message: String,
}

/// A kept file's bytes, readable from any offset.
pub trait FileReader: std::io::Read + std::io::Seek + Send {}

impl<T: std::io::Read + std::io::Seek + Send> FileReader for T {}

/// The desk, as the engine sees it.
pub trait Local: Send + Sync + 'static {
    /// The hub this desk is enrolled with, if any.
    fn hub(&self) -> Result<Option<HubLink>, LocalError>;
    fn controls(&self) -> Result<Controls, LocalError>;
    /// The desk's clock, Unix milliseconds.
    fn now_ms(&self) -> i64;
    /// Dossiers whose turn to be sent has come, oldest change first.
    fn waiting(&self, now_ms: i64, limit: u32) -> Result<Vec<Waiting>, LocalError>;
    /// The earliest time a dossier that is backing off may be tried, if all are.
    fn next_try(&self, now_ms: i64) -> Result<Option<i64>, LocalError>;
    /// A dossier as the hub receives it: its current version, the record, its files.
    fn record(
        &self,
        id: &DossierId,
    ) -> Result<Option<(u64, DossierRecord, Vec<FileRef>)>, LocalError>;
    fn file_progress(&self, sha256: &str) -> Result<FileProgress, LocalError>;
    /// Records progress the hub confirmed; committed before the engine goes on.
    fn set_file_progress(&self, sha256: &str, progress: &FileProgress) -> Result<(), LocalError>;
    /// The kept file with this hash, to read from any byte (the desk decrypts as it goes);
    /// `None` if the desk does not hold it. Called off the async threads.
    fn open_file(&self, sha256: &str) -> Option<Box<dyn FileReader>>;
    fn acknowledge(&self, id: &DossierId, version: u64) -> Result<(), LocalError>;
    fn quarantine(&self, id: &DossierId, version: u64, reason: &str) -> Result<(), LocalError>;
    /// Try this dossier again from `at_ms`; returns the failed attempts so far.
    fn retry_later(&self, id: &DossierId, at_ms: i64) -> Result<u32, LocalError>;
    fn retry_count(&self, id: &DossierId) -> Result<u32, LocalError>;
    /// Follows the hub's generation, in one transaction: the first one seen is only kept; one
    /// that differs from the one kept (the hub was restored from a backup) is kept, every
    /// dossier and file is marked not yet sent and the pull cursor goes back to 0. Returns
    /// whether it differed.
    fn follow_generation(&self, generation: &str) -> Result<bool, LocalError>;
    /// The pull cursor: the last change applied.
    fn cursor(&self) -> Result<u64, LocalError>;
    /// Applies one change from the hub and moves the cursor to it, in one transaction. A change
    /// the desk cannot apply (a dossier it does not hold, an event its lifecycle refuses) is
    /// recorded as skipped, and the cursor still moves: one bad change never wedges the pull.
    fn apply(&self, change: &Change) -> Result<(), LocalError>;
    /// Takes the hub's code floors (the highest count it holds per day of this desk's slot):
    /// the desk never issues at or below them, and a desk restored from a backup knows from
    /// then on what its lost self issued. Called after the last page of changes, in one
    /// transaction, only when the hub sent floors.
    fn apply_code_floors(&self, floors: &[CodeFloor]) -> Result<(), LocalError>;
    fn summary(&self) -> Result<Summary, LocalError>;
    /// How far the hub holds the desk's audit log, and why it refuses the rest, if it does.
    fn audit_mark(&self) -> Result<SentMark, LocalError>;
    fn set_audit_mark(&self, mark: &SentMark) -> Result<(), LocalError>;
    /// The audit log's entries after `seq`, oldest first, at most `limit`.
    fn audit_after(&self, seq: u64, limit: u32) -> Result<Vec<ChainedEntry>, LocalError>;
    /// Records the last contact with the hub and the problem that stops sync, if any.
    fn contact(&self, at_ms: Option<i64>, problem: Option<&str>) -> Result<(), LocalError>;
}
