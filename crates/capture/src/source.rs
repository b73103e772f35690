//! Where pages come from: one trait for every kind of scanner (SANE on Linux, eSCL over the
//! network, WIA on Windows), so the page pipeline never knows which one it is fed by. The words
//! of a scan (feed, mode, settings, a scanner's description) are the model's
//! ([`hoso_model::scan`]), so the window, the desk and every backend share one definition.

pub use hoso_model::scan::{ColourMode, Feed, ScanSettings, ScannerInfo};
use serde::{Deserialize, Serialize};

use crate::Result;

/// How a page's bytes are encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImageFormat {
    Jpeg,
    Png,
}

/// One page as a scanner delivered it, encoded once (a network scanner's JPEG is kept as it
/// came; raw frames from SANE are encoded here: JPEG for colour and grey, PNG for lineart).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScannedPage {
    pub bytes: Vec<u8>,
    pub format: ImageFormat,
    /// The resolution the page was scanned at, when the device says.
    pub dpi: Option<u32>,
}

/// One open scanner.
pub trait Scanner: Send {
    /// Scans with `settings`: one page from the flatbed, or every page in the feeder until it
    /// is empty. Each page goes to `on_page` as soon as it has arrived, so the officer sees it
    /// while the rest are scanned; an error from `on_page` stops the scan. Returns how many pages
    /// were delivered. An empty feeder before the first page is [`crate::CaptureError::FeederEmpty`].
    fn scan(
        &mut self,
        settings: &ScanSettings,
        on_page: &mut dyn FnMut(ScannedPage) -> Result<()>,
    ) -> Result<u32>;
}

/// A kind of scanner (SANE, eSCL, WIA): finds devices and opens one.
pub trait Backend {
    /// The devices reachable now.
    fn devices(&self) -> Result<Vec<ScannerInfo>>;
    /// Opens the device with this id (as listed by [`Backend::devices`]).
    fn open(&self, id: &str) -> Result<Box<dyn Scanner>>;
}
