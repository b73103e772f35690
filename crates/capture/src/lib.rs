//! Acquisition and imaging, with no store and no user interface: where pages come from
//! ([`source`]: scanners behind one trait), what a page is made of ([`import`]: files checked by
//! their content, never their name, within [`limits`]), what a fast look at a page tells
//! ([`analyse`]), and the archive PDF a dossier's pages become ([`pdf`]). [`check`] is the one
//! way from a file's bytes to its checked pages and their facts, for the desk and the fuzzer.
//!
//! The page path depends one way: [`check`] → [`import`] and [`analyse`]; [`import`] →
//! [`decode`] and [`pdf::read`]; [`analyse`] → [`decode`] and [`pdf::read`]; the archive writer
//! → [`decode`] and [`pdf::read`]; [`pdf::read`] → [`decode`]; [`decode`] → [`limits`].
//!
//! The desk (`hoso-desk`) keeps the records; this crate only turns bytes into bytes and facts.

pub mod analyse;
pub mod check;
pub mod decode;
pub mod error;
pub mod import;
pub mod limits;
pub mod pdf;
pub mod source;

pub use error::{CaptureError, Result};
pub use pdf::read::{PrintedPage, render_pdf_for_print};
pub use source::{
    Backend, ColourMode, Feed, ImageFormat, ScanSettings, ScannedPage, Scanner, ScannerInfo,
};

pub mod escl;
#[cfg(target_os = "linux")]
pub mod ocr;
#[cfg(target_os = "linux")]
pub mod sane;
#[cfg(feature = "testpages")]
pub mod testpages;
