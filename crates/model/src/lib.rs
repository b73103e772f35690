//! Shared types and pure domain rules of Hồ Sơ Số.
//!
//! Everything here is plain data and pure functions: no files, no network, no clock. The same
//! crate is compiled natively (store, desk, shell, command line) and to wasm32 (the Yew
//! frontend), so a type written here is the one type both sides of the IPC boundary use.
//!
//! - [`account`]: accounts, roles (who may do what) and audit entries.
//! - [`calendar`]: working days, the lunar calendar and due dates, from versioned data.
//! - [`dossier`]: dossiers and the rules for registering one.
//! - [`procedure`]: the procedure catalogue's types.
//! - [`error`]: the `{code, message}` error that crosses every boundary.
//! - [`i18n`]: every user-facing text, in Vietnamese first and English.
//! - [`settings`]: the officer's preferences on this desk.
//! - [`lifecycle`]: the national status codes and the events that move a dossier.
//! - [`page`]: the pages of a dossier, their quality flags, and filing stacks by QR code.
//! - [`supervision`]: backlog queues, review, and the official indicators with their formulas.
//! - [`sync`]: the messages of the desk–hub protocol.
//! - [`unit`]: the receiving unit and its official dossier codes.
//! - [`ipc`]: the desktop shell's command names and payloads.
//! - [`time`]: Vietnamese civil time.
//! - [`text`]: folding Vietnamese text for search.

pub mod account;
pub mod calendar;
pub mod dossier;
pub mod error;
pub mod i18n;
pub mod ipc;
pub mod lifecycle;
pub mod page;
pub mod procedure;
pub mod scan;
pub mod settings;
pub mod supervision;
pub mod sync;
pub mod text;
pub mod time;
pub mod unit;

pub use account::{Account, Act, Role};
pub use dossier::{Channel, Dossier, DossierDetail, DossierId, NewDossier};
pub use error::{ApiError, ErrorCode, Field, Problem};
pub use i18n::{Language, Text};
pub use procedure::Procedure;
pub use settings::Settings;
