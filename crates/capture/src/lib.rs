//! Acquisition and imaging, with no store and no user interface: where pages come from
//! ([`source`]: scanners behind one trait), what a page is made of ([`import`]: files checked by
//! their content, never their name), what a fast look at a page tells ([`analyse`]), and the
//! archive PDF a dossier's pages become ([`pdf`]).
//!
//! The desk (`hoso-desk`) keeps the records; this crate only turns bytes into bytes and facts.

pub mod analyse;
pub mod check;
pub mod error;
pub mod import;
pub mod pdf;
pub mod source;

pub use error::{CaptureError, Result};
pub use source::{
    Backend, ColourMode, DeviceInfo, Feed, ImageFormat, ScanSettings, ScannedPage, Scanner,
};

pub mod escl;
#[cfg(target_os = "linux")]
pub mod ocr;
#[cfg(target_os = "linux")]
pub mod sane;
#[cfg(feature = "testpages")]
pub mod testpages;
