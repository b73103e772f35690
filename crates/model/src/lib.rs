//! Shared types and pure domain rules of Hồ Sơ Số.
//!
//! Everything here is plain data and pure functions: no files, no network, no clock. The same
//! crate is compiled natively (store, desk, shell, command line) and to wasm32 (the Yew
//! frontend), so a type written here is the one type both sides of the IPC boundary use.
//!
//! - [`dossier`]: dossiers and the rules for registering one.
//! - [`procedure`]: the procedure catalogue's types.
//! - [`error`]: the `{code, message}` error that crosses every boundary.
//! - [`i18n`]: every user-facing text, in Vietnamese first and English.
//! - [`settings`]: the officer's preferences on this desk.
//! - [`ipc`]: the desktop shell's command names and payloads.
//! - [`time`]: Vietnamese civil time.

pub mod dossier;
pub mod error;
pub mod i18n;
pub mod ipc;
pub mod procedure;
pub mod settings;
pub mod time;

pub use dossier::{Dossier, DossierId, NewDossier};
pub use error::{ApiError, ErrorCode, Field};
pub use i18n::{Language, Text};
pub use procedure::Procedure;
pub use settings::Settings;
