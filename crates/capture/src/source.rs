//! Where pages come from: one trait for every kind of scanner (SANE on Linux, eSCL over the
//! network, WIA on Windows later), so the page pipeline never knows which one it is fed by.

use serde::{Deserialize, Serialize};

use crate::Result;

/// Where the paper is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Feed {
    /// Mặt kính: one page per scan.
    #[default]
    Flatbed,
    /// Khay nạp giấy (ADF): every page in the feeder, one side each.
    Adf,
    /// Both sides of every page in the feeder.
    Duplex,
}

impl Feed {
    pub fn name(self) -> &'static str {
        match self {
            Feed::Flatbed => "flatbed",
            Feed::Adf => "adf",
            Feed::Duplex => "duplex",
        }
    }

    pub fn from_name(name: &str) -> Option<Feed> {
        [Feed::Flatbed, Feed::Adf, Feed::Duplex]
            .into_iter()
            .find(|f| f.name() == name)
    }
}

/// Colour, grey or black and white (lineart).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColourMode {
    #[default]
    Color,
    Gray,
    Lineart,
}

impl ColourMode {
    pub fn name(self) -> &'static str {
        match self {
            ColourMode::Color => "color",
            ColourMode::Gray => "gray",
            ColourMode::Lineart => "lineart",
        }
    }

    pub fn from_name(name: &str) -> Option<ColourMode> {
        [ColourMode::Color, ColourMode::Gray, ColourMode::Lineart]
            .into_iter()
            .find(|m| m.name() == name)
    }
}

/// What the officer asks of a scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanSettings {
    pub feed: Feed,
    /// Dots per inch; 300 unless the officer chooses otherwise.
    pub resolution: u32,
    pub mode: ColourMode,
}

impl Default for ScanSettings {
    fn default() -> Self {
        ScanSettings {
            feed: Feed::Flatbed,
            resolution: 300,
            mode: ColourMode::Color,
        }
    }
}

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

/// A scanner this desk can reach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceInfo {
    /// What `open` takes: `sane:test:0`, `escl:http://192.168.1.20/eSCL`…
    pub id: String,
    /// Vendor and model, for people.
    pub name: String,
    /// The feeds the device offers.
    pub feeds: Vec<Feed>,
    /// The resolutions it offers (dpi), ascending; empty when it did not say.
    pub resolutions: Vec<u32>,
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
    fn devices(&self) -> Result<Vec<DeviceInfo>>;
    /// Opens the device with this id (as listed by [`Backend::devices`]).
    fn open(&self, id: &str) -> Result<Box<dyn Scanner>>;
}
