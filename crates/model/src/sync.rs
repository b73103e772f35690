//! The messages the desk and the hub exchange (protocol version 1, `docs/protocol.md`).
//!
//! Files travel by tus 1.0 (`/v1/files`), keyed by their SHA-256; everything else is JSON
//! described here. A dossier is sent as a [`DossierRecord`] — a snapshot of the dossier, its
//! event log, its pages and its checklist — at a *version*: the desk's change counter for that
//! dossier, which only grows. The record names its files by hash; the hub accepts a version only
//! when it holds every one of them, verified.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::dossier::{Channel, DossierId};
use crate::lifecycle::{Event, Status};

mod trust;
pub use trust::{Fingerprint, HubTrust};

/// The version of this protocol. Every hub answer carries it in [`PROTOCOL_HEADER`]; an answer
/// without it did not come from a hub (a captive portal, a proxy's error page) and proves
/// nothing.
pub const PROTOCOL_VERSION: &str = "1";
/// The header naming the protocol version, on every request and every answer.
pub const PROTOCOL_HEADER: &str = "Hoso-Protocol";
/// The hub's generation, on every authenticated answer: a random id the hub replaces when it is
/// restored from a backup. A desk that sees it change offers every dossier and file again and
/// pulls from the start; an older hub sends none.
pub const GENERATION_HEADER: &str = "Hoso-Hub-Generation";
/// The tus version the hub speaks for files.
pub const TUS_VERSION: &str = "1.0.0";
/// The most dossiers in one batch.
pub const MAX_BATCH_ITEMS: usize = 50;
/// The largest batch body the hub reads, in bytes.
pub const MAX_BATCH_BYTES: usize = 4 * 1024 * 1024;
/// The largest file the hub accepts (the desk's own import limit).
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;
/// The most changes one pull returns.
pub const MAX_CHANGES: u32 = 500;

/// `POST /v1/enroll`: a desk trades a one-time enrollment code for an identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollRequest {
    pub code: String,
    /// A name the hub's operator recognises (the computer's name).
    pub device_name: String,
    pub app_version: String,
}

/// The answer to an enrollment (201).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolled {
    pub device_id: String,
    /// The bearer credential for every later request. Shown once; the hub keeps only a hash.
    pub token: String,
    pub unit: UnitInfo,
    /// This device's slot in the unit's dossier-code ranges (1–9).
    pub slot: u8,
    /// The highest count the hub holds for each recent day of this slot (a slot's earlier
    /// desk may have issued codes). Absent from an older hub.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_floors: Option<Vec<CodeFloor>>,
}

/// How far a slot's numbering went on one day, by the codes the hub holds: the desk never
/// issues that day's `issued`-th code of its slot or an earlier one again.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CodeFloor {
    /// The day as in the code, `YYMMDD`.
    pub day: String,
    /// The highest count (`n` of [`crate::unit::sequence_number`]) held for the slot that day.
    pub issued: u32,
}

impl CodeFloor {
    /// The floors of `slot` in the unit `unit_code`, from codes the hub holds (any unit's and
    /// any shape among them; those not the slot's are passed over), one per day, in order.
    pub fn from_codes<'a>(
        unit_code: &str,
        slot: u8,
        codes: impl IntoIterator<Item = &'a str>,
    ) -> Vec<CodeFloor> {
        let mut days = std::collections::BTreeMap::<&str, u32>::new();
        for code in codes {
            let Some((day, sequence)) = crate::unit::split_code(unit_code, code) else {
                continue;
            };
            let Some(n) = crate::unit::code_position(slot, sequence) else {
                continue;
            };
            if n <= crate::unit::MAX_DAILY {
                let floor = days.entry(day).or_default();
                *floor = (*floor).max(n);
            }
        }
        days.into_iter()
            .map(|(day, issued)| CodeFloor {
                day: day.to_owned(),
                issued,
            })
            .collect()
    }
}

/// A receiving unit as the hub knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitInfo {
    /// Mã đơn vị (the legal identifier).
    pub code: String,
    pub name: String,
}

/// A file of a dossier, by content.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct FileRef {
    /// Lower-case hex SHA-256 of the bytes.
    pub sha256: String,
    pub size: u64,
    pub media_type: String,
}

/// A page of a dossier in a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRecord {
    pub id: String,
    /// `component` (đầu vào) or `result` (đầu ra).
    pub kind: String,
    /// 1-based component number, for component pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<u32>,
    /// The number a result was issued under, for result pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_code: Option<String>,
    pub position: u32,
    pub sha256: String,
    /// The page's index when its file is a PDF.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pdf_page: Option<u32>,
    /// Clockwise quarter turns in degrees: 0, 90, 180 or 270.
    pub rotation: u16,
    /// On the second image of a sheet (its sticky note lifted, or the note itself): the page
    /// it belongs to, whose position it shares.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note_of: Option<String>,
}

/// What the officer checked for one component at the counter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComponentRecord {
    pub component: u32,
    pub checked: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_pages: Option<u32>,
}

/// A dossier as sent to the hub: everything the province needs, nothing of the desk's own
/// bookkeeping (thumbnails, OCR text, sync state).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DossierRecord {
    pub id: DossierId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    pub procedure_code: String,
    pub applicant_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub channel: Channel,
    pub received_at: Timestamp,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_at: Option<Timestamp>,
    pub events: Vec<Event>,
    pub pages: Vec<PageRecord>,
    #[serde(default)]
    pub components: Vec<ComponentRecord>,
}

/// One dossier version in a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchItem {
    pub dossier_id: DossierId,
    /// The desk's change counter for this dossier when the record was taken; only grows.
    pub version: u64,
    pub record: DossierRecord,
    /// Every file the record's pages name, once each.
    pub files: Vec<FileRef>,
}

/// `POST /v1/batches`: dossier versions under a batch id the desk minted (a UUID). Sending the
/// same batch again is harmless; a different batch under a used id is refused (409).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Batch {
    pub batch_id: String,
    pub items: Vec<BatchItem>,
}

/// The answer to a batch (201): one result per item, in the batch's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchAnswer {
    pub batch_id: String,
    pub results: Vec<ItemResult>,
}

/// What became of one dossier version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemResult {
    pub dossier_id: DossierId,
    pub version: u64,
    #[serde(flatten)]
    pub outcome: ItemOutcome,
}

/// What became of one dossier version: kept, waiting for files, or refused for good.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ItemOutcome {
    /// Kept. `duplicate` is true when this exact version was already kept (a retry).
    Accepted { duplicate: bool },
    /// Not kept yet: these files are not on the hub, or not verified. Upload them and resend.
    MissingFiles { sha256: Vec<String> },
    /// Refused for good; retrying the same version cannot succeed.
    Rejected { reason: RejectReason },
}

/// Why the hub refused a dossier version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectReason {
    /// The dossier belongs to another unit.
    OtherUnit,
    /// The hub already holds this version with a different content.
    VersionConflict,
    /// The record does not hold together (its id, its code's unit, its file list).
    Invalid,
}

impl RejectReason {
    pub fn name(self) -> &'static str {
        match self {
            RejectReason::OtherUnit => "other_unit",
            RejectReason::VersionConflict => "version_conflict",
            RejectReason::Invalid => "invalid",
        }
    }
}

/// `GET /v1/changes?after=N`: what the hub has for this desk, after the cursor it keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Changes {
    pub changes: Vec<Change>,
    /// The cursor to ask from next time (the last change's `seq`, or `after` if none).
    pub next: u64,
    /// More changes wait beyond this page.
    pub more: bool,
    /// On the last page: the highest count the hub holds for each recent day of the device's
    /// slot ([`CodeFloor`]). Absent from an older hub, and from pages with more to come.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_floors: Option<Vec<CodeFloor>>,
}

/// One change from upstream, numbered in the unit's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub seq: u64,
    #[serde(flatten)]
    pub body: ChangeBody,
}

/// What changed upstream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChangeBody {
    /// Something happened to a dossier upstream (the resolving unit sent the result back…).
    Event { dossier_id: DossierId, event: Event },
    /// A new procedure catalogue or working calendar: the document as shipped in `data/`.
    Document { json: String },
    /// The unit's name changed.
    Unit { name: String },
}

/// `POST /v1/heartbeat`: how the desk is doing, so the operator sees who falls behind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heartbeat {
    pub app_version: String,
    /// Dossiers with a version the hub has not acknowledged.
    pub queue_dossiers: u64,
    /// Files not yet on the hub, and their bytes.
    pub queue_files: u64,
    pub queue_bytes: u64,
    /// When the oldest unacknowledged change was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oldest_unsent_at: Option<Timestamp>,
    pub quarantined: u64,
    /// The desk's clock when it sent this.
    pub sent_at: Timestamp,
}

/// The most audit entries in one `POST /v1/audit`, and the largest body.
pub const MAX_AUDIT_ENTRIES: usize = 500;
pub const MAX_AUDIT_BYTES: usize = 1024 * 1024;

/// `POST /v1/audit`: the desk's audit log from the first entry the hub has not confirmed, in
/// order, as chained on the desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditUpload {
    pub entries: Vec<crate::account::ChainedEntry>,
}

/// The answer to `POST /v1/audit` (200): the hub holds this device's log up to `held`, every
/// entry chained to the one before. The desk goes on from `held + 1`, also when that is before
/// what it sent (entries after a gap are not taken).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditHeld {
    pub held: u64,
}

/// Where sync stands, for the screen and `hoso sync status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncOverview {
    /// The hub this desk is enrolled with.
    pub hub_url: Option<String>,
    pub device_id: Option<String>,
    pub paused: bool,
    /// Upload cap, bytes per second.
    pub bandwidth: Option<u64>,
    pub last_contact: Option<Timestamp>,
    /// What stops sync until someone acts (`credential`, `clock`, `disk_full`…).
    pub problem: Option<String>,
    /// Dossiers with a version the hub has not accepted (quarantined ones included).
    pub waiting_dossiers: u64,
    pub waiting_files: u64,
    pub waiting_bytes: u64,
    pub oldest_waiting_since: Option<Timestamp>,
    pub quarantined: Vec<QuarantinedDossier>,
    /// Changes pulled from the hub that could not be applied here.
    pub skipped_changes: u64,
    /// Audit log entries the hub has not confirmed.
    #[serde(default)]
    pub audit_waiting: u64,
    /// Why the hub refuses this desk's audit log (`audit_fork`, `audit_chain`), if it does.
    #[serde(default)]
    pub audit_problem: Option<String>,
    /// The desk was restored from a backup and has not heard from the hub since: its dossier
    /// codes come from a reserved range until it has (`Text::RestoredUnreconciled`).
    #[serde(default)]
    pub restored_unreconciled: bool,
}

/// A dossier the hub refused, with the reason shown to the officer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuarantinedDossier {
    pub id: DossierId,
    pub code: Option<String>,
    pub version: u64,
    /// `other_unit`, `version_conflict`, `invalid`, `too_large`, `file_damaged`…
    pub reason: String,
}

/// A dossier with a version the hub has not accepted: what the desk's outbox hands the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    pub dossier_id: DossierId,
    pub version: u64,
}

/// How far a file's upload has gone, as the desk records it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FileProgress {
    /// The hub's tus resource for it, once created.
    pub upload_url: Option<String>,
    /// Bytes the hub confirmed.
    pub confirmed: u64,
    /// The hub holds it, verified.
    pub done: bool,
}

/// What waits to be sent, in numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    /// Dossiers with a version the hub has not accepted (quarantined ones included).
    pub dossiers: u64,
    /// Files those dossiers name that the hub does not hold yet, and their bytes still to send.
    pub files: u64,
    pub bytes: u64,
    /// When the oldest change the hub has not accepted was made (Unix ms).
    pub oldest_ms: Option<i64>,
    /// Dossiers set aside because the hub refused their current version.
    pub quarantined: u64,
    /// Audit log entries still to send (none while the hub refuses the log).
    pub audit: u64,
}

/// How far the hub holds this desk's audit log, and why it refuses the rest, if it does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SentMark {
    pub held: u64,
    pub refused: Option<String>,
}

/// The body of every refusal from the hub (4xx, 5xx): a stable code and an English message for
/// the operator's logs. The desk shows its own localised text for the code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HubError {
    pub code: HubErrorCode,
    pub message: String,
}

/// The stable codes of [`HubError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HubErrorCode {
    /// No credential, or one the hub does not know (or a device it disabled).
    Unauthorized,
    /// The credential is good but the thing belongs to another unit.
    Forbidden,
    /// The enrollment code is unknown, used, or expired.
    EnrollmentCode,
    NotFound,
    /// A batch id reused with a different content; an upload offset that does not match.
    Conflict,
    /// The body is too large.
    TooLarge,
    /// The body is not what the endpoint takes.
    BadRequest,
    /// A tus checksum did not match the bytes (460).
    ChecksumMismatch,
    /// The upload is complete and its bytes do not hash to the name it was created under.
    HashMismatch,
    /// The hub is short of space or otherwise unable to keep data.
    Unavailable,
    /// The hub failed.
    Internal,
    /// An audit entry differs from the one the hub holds under its number (409).
    AuditFork,
    /// Audit entries that do not chain: a hash that is not the entry's own, or a link to
    /// another entry than the one before (422).
    AuditChain,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floors_are_the_slots_highest_count_per_day_from_its_own_codes_only() {
        let codes = [
            "H25.123-260305-1001",
            "H25.123-260305-1003",
            "H25.123-260305-2007",
            "H25.123-260305-11002",
            "H25.123-260306-81001",
            "H25.123-260307-0005",
            "H25.456-260307-1900",
            "H25.123-2603-1900",
        ];
        assert_eq!(
            CodeFloor::from_codes("H25.123", 1, codes),
            vec![
                CodeFloor {
                    day: "260305".into(),
                    issued: 1001,
                },
                CodeFloor {
                    day: "260306".into(),
                    issued: crate::unit::RESTORED_FROM,
                },
            ]
        );
        assert_eq!(CodeFloor::from_codes("H25.123", 3, codes), vec![]);
    }

    #[test]
    fn an_older_hubs_answers_without_floors_still_read_and_say_so() {
        let changes: Changes =
            serde_json::from_str(r#"{"changes": [], "next": 4, "more": false}"#).unwrap();
        assert_eq!(changes.code_floors, None);
        let enrolled: Enrolled = serde_json::from_str(
            r#"{"device_id": "d", "token": "t", "unit": {"code": "H25", "name": "X"}, "slot": 2}"#,
        )
        .unwrap();
        assert_eq!(enrolled.code_floors, None);
        let empty: Changes =
            serde_json::from_str(r#"{"changes": [], "next": 4, "more": false, "code_floors": []}"#)
                .unwrap();
        assert_eq!(
            empty.code_floors,
            Some(vec![]),
            "none held is an answer too"
        );
    }
}
