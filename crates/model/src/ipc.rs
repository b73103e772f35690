//! The desktop shell's command interface: names and payloads shared by `src-tauri` (which
//! registers the commands) and the frontend (which invokes them). Every command returns
//! `Result<T, ApiError>`.

use serde::{Deserialize, Serialize};

use crate::calendar::CalendarRules;
use crate::lifecycle::EventKind;
use crate::settings::Settings;
use crate::unit::Unit;

/// Command names, as registered by the shell and invoked by the frontend.
pub mod command {
    pub const STARTUP: &str = "startup";
    pub const PROCEDURES: &str = "procedures";
    pub const REGISTER_DOSSIER: &str = "register_dossier";
    pub const LIST_DOSSIERS: &str = "list_dossiers";
    pub const SET_LANGUAGE: &str = "set_language";
    pub const SET_UNIT: &str = "set_unit";
    pub const DOSSIER_DETAIL: &str = "dossier_detail";
    pub const TRANSITION: &str = "transition";
    pub const SEARCH: &str = "search";
    pub const PRINT_FORM: &str = "print_form";
    pub const PRINT_TRACKING_BOOK: &str = "print_tracking_book";
    pub const PRINT_WINDOW: &str = "print_window";
    pub const ATTACH_DROPPED: &str = "attach_dropped";
    pub const DIGITISATION: &str = "digitisation";
    pub const SCANNERS: &str = "scanners";
    pub const SCAN: &str = "scan";
    pub const ROTATE_PAGE: &str = "rotate_page";
    pub const MOVE_PAGE: &str = "move_page";
    pub const REFILE_PAGE: &str = "refile_page";
    pub const JOIN_NOTE: &str = "join_note";
    pub const SPLIT_NOTE: &str = "split_note";
    pub const DELETE_PAGE: &str = "delete_page";
    pub const RESTORE_PAGE: &str = "restore_page";
    pub const SET_COMPONENT: &str = "set_component";
    pub const EXPORT_DOSSIER: &str = "export_dossier";
    pub const PAGE_IMAGE: &str = "page_image";
    pub const THUMBNAILS: &str = "thumbnails";
    pub const SYNC_STATUS: &str = "sync_status";
    pub const ENROLL: &str = "enroll";
    pub const SET_SYNC_PAUSED: &str = "set_sync_paused";
    pub const RETRY_SYNC: &str = "retry_sync";
    pub const RETRY_AUDIT_SYNC: &str = "retry_audit_sync";
    pub const SYNC_NOW: &str = "sync_now";
    pub const SYNC_STATES: &str = "sync_states";
    pub const SESSION: &str = "session";
    pub const SET_UP: &str = "set_up";
    pub const SIGN_IN: &str = "sign_in";
    pub const LOCK: &str = "lock";
    pub const BACKLOG: &str = "backlog";
    pub const QUEUE: &str = "queue";
    pub const REVIEW: &str = "review";
    pub const DECIDE: &str = "decide";
    pub const APPROVE_ALL: &str = "approve_all";
    pub const INDICATORS: &str = "indicators";
    pub const SAVE_SUPERVISION_REPORT: &str = "save_supervision_report";
    pub const RATE: &str = "rate";
    pub const ACCOUNTS: &str = "accounts";
    pub const ADD_ACCOUNT: &str = "add_account";
    pub const DISABLE_ACCOUNT: &str = "disable_account";
    pub const SET_ROLE: &str = "set_role";
    pub const RESET_PASSWORD: &str = "reset_password";
    pub const CHANGE_PASSWORD: &str = "change_password";
    pub const AUDIT_LOG: &str = "audit_log";
    pub const VERIFY_AUDIT: &str = "verify_audit";
    pub const BACKUP: &str = "backup";
    pub const RETENTION_DAYS: &str = "retention_days";
    pub const SET_RETENTION_DAYS: &str = "set_retention_days";
    pub const PURGE: &str = "purge";
    pub const SYNC_AFTER_APPROVAL: &str = "sync_after_approval";
    pub const SET_SYNC_AFTER_APPROVAL: &str = "set_sync_after_approval";
    pub const RESTORE: &str = "restore";
    pub const SCAN_PREFERENCES: &str = "scan_preferences";
    pub const SET_SCAN_PREFERENCES: &str = "set_scan_preferences";
}

/// What the sync engine is doing now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum EngineState {
    /// Nothing to do.
    Idle,
    /// Sending or pulling.
    Working,
    /// The last try failed; the next comes at this time (or as soon as the hub answers).
    Waiting {
        until: jiff::Timestamp,
    },
    Paused,
    /// Stopped until someone acts; the problem is in the overview.
    Stopped,
    /// Not running (no hub set up, or the desk could not start it).
    Off,
}

/// The sync screen's view: where sync stands and what the engine is doing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncView {
    pub overview: crate::sync::SyncOverview,
    pub engine: EngineState,
    /// File bytes sent since the window opened.
    pub bytes_sent: u64,
}

/// Where one dossier stands with the hub, for the list's badges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DossierSyncState {
    Synced,
    Waiting,
    Quarantined,
}

/// A dossier's digitisation with its pages' thumbnails, as the review page shows it (the window
/// asks for the digitisation, then for the thumbnails it lacks).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DigitisationView {
    pub digitisation: crate::page::Digitisation,
    /// `(page id, data: URL of its thumbnail)`, in the pages' order.
    pub thumbnails: Vec<(String, String)>,
}

/// The name of the window event that carries a [`DeskEvent`].
pub const DESK_EVENT: &str = "desk-event";

/// What happened in the desk, told as it happens, so the window follows pages arriving, text
/// being read and sync going on without asking again and again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DeskEvent {
    /// Pages were kept in a dossier: scanned, imported, dropped on the window or filed from the
    /// scan folder.
    PagesKept {
        dossier: crate::DossierId,
        pages: Vec<String>,
    },
    /// A page's text was read (or could not be): the recognition queue moved. A page read for
    /// the first time may have been turned upright.
    PageRead {
        dossier: crate::DossierId,
        page: String,
    },
    /// What the sync engine is doing, and the file bytes it has sent since the window opened.
    Sync {
        engine: EngineState,
        bytes_sent: u64,
    },
    /// Another process (the `hoso` command line, say) changed the store: what is shown may be
    /// out of date.
    ChangedElsewhere,
}

/// A scan asked for at the scan station.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanRequest {
    /// The dossier; `None` files the stack by its cover sheets.
    pub dossier: Option<String>,
    /// Where the pages go in that dossier.
    pub target: Option<crate::page::Target>,
    pub device: String,
    /// Feed, resolution and mode, flattened: `{"feed": "adf", "resolution": 300, "mode": "gray"}`.
    #[serde(flatten)]
    pub settings: crate::scan::ScanSettings,
}

/// What a scan did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanDone {
    pub pages: u32,
    /// The dossiers the pages went to (codes).
    pub dossiers: Vec<String>,
}

/// What the window needs to draw itself at start-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Startup {
    pub settings: Settings,
    /// Something the officer must read before working (e.g. a damaged store was moved aside).
    pub notice: Option<Notice>,
    /// The receiving unit, once set up (dossiers get official codes only then).
    pub unit: Option<Unit>,
    /// The working calendar, so the intake screen shows the due date while the form is filled.
    pub calendar: CalendarRules,
}

/// A lifecycle action asked for in the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransitionRequest {
    /// The dossier's code or id.
    pub dossier: String,
    pub event: EventKind,
    #[serde(default)]
    pub reason: Option<String>,
    /// At a hand-over: who gave and who took the dossier.
    #[serde(default)]
    pub giver: Option<String>,
    #[serde(default)]
    pub taker: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Notice {
    /// The local data file could not be read; it was kept at `kept_at` and a new store created.
    MovedAside { kept_at: String },
    /// A page of the local data file failed its check; the file was kept untouched at
    /// `kept_at` and a new store created: restore the latest backup, then sync.
    Damaged { kept_at: String },
}

/// The forms of one dossier the window can print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormKind {
    /// Mẫu 01: receipt and appointment slip.
    Receipt,
    /// Mẫu 02: request to supplement.
    Supplement,
    /// Mẫu 03: refusal.
    Refusal,
}

impl FormKind {
    pub const ALL: [FormKind; 3] = [FormKind::Receipt, FormKind::Supplement, FormKind::Refusal];

    /// The form's number, used in file names (`CODE-01.pdf`) and element ids.
    pub fn number(self) -> &'static str {
        match self {
            FormKind::Receipt => "01",
            FormKind::Supplement => "02",
            FormKind::Refusal => "03",
        }
    }
}

/// A form saved for printing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormSaved {
    pub path: String,
    /// Whether the system's PDF viewer was opened on it (to print from there).
    pub opened: bool,
}

/// A form saved, and its pages drawn to be printed through the system's print dialog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormPrint {
    pub saved: FormSaved,
    /// Each page as a `data:image/png;base64,…` URL, drawn at [`PRINT_DPI`].
    pub pages: Vec<String>,
    /// The paper, in millimetres, as the page is shown: 148 × 210 for an A5 form, 297 × 210
    /// for the tracking book (A4 landscape).
    pub width_mm: f32,
    pub height_mm: f32,
}

/// A file dropped on the window: its name and its bytes in base64 (as they cross to the shell).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DroppedFile {
    pub name: String,
    pub data: String,
}

/// The resolution forms are drawn at for the print dialog: a laser printer's.
pub const PRINT_DPI: u32 = 300;

/// Who is at the desk: whether it is set up, who is signed in, who could sign in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub set_up: bool,
    pub user: Option<crate::Account>,
    /// The accounts that can sign in (for a quick switch at a shared desk).
    pub names: Vec<String>,
    /// Minutes without a key press or a click before the window locks itself.
    pub lock_minutes: u32,
}

/// The first administrator, as the set-up screen sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetUpRequest {
    pub name: String,
    pub full_name: String,
    pub password: String,
}

/// A set-up done: the recovery key to show once, and who is signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetUpDone {
    pub recovery_key: String,
    pub user: crate::Account,
}

/// What a purge removed from this desk (or, on a dry run, would remove).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurgeReport {
    pub dossiers: u64,
    pub files: u64,
}
