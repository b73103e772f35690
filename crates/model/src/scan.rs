//! Quét: the words of a scan, shared by the window, the shell, the command line, the desk and
//! every kind of scanner (SANE, eSCL, WIA): where the paper is ([`Feed`]), colour or not
//! ([`ColourMode`]), what the officer asks ([`ScanSettings`]) and a scanner the desk can reach
//! ([`ScannerInfo`]).
//!
//! On the wire a feed and a mode are their [`name`](Feed::name)s (`"adf"`, `"gray"`); serde
//! refuses any other value and names the variants it expected. Text from the command line is
//! read with [`FromStr`], whose error names the field.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{ApiError, Field};

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
    pub const ALL: [Feed; 3] = [Feed::Flatbed, Feed::Adf, Feed::Duplex];

    /// The name on the wire and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Feed::Flatbed => "flatbed",
            Feed::Adf => "adf",
            Feed::Duplex => "duplex",
        }
    }

    pub fn from_name(name: &str) -> Option<Feed> {
        Feed::ALL.into_iter().find(|f| f.name() == name)
    }
}

impl FromStr for Feed {
    type Err = ApiError;

    fn from_str(name: &str) -> Result<Feed, ApiError> {
        Feed::from_name(name).ok_or_else(|| ApiError::validation(Field::Scanner, "unknown feed"))
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
    pub const ALL: [ColourMode; 3] = [ColourMode::Color, ColourMode::Gray, ColourMode::Lineart];

    /// The name on the wire and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            ColourMode::Color => "color",
            ColourMode::Gray => "gray",
            ColourMode::Lineart => "lineart",
        }
    }

    pub fn from_name(name: &str) -> Option<ColourMode> {
        ColourMode::ALL.into_iter().find(|m| m.name() == name)
    }
}

impl FromStr for ColourMode {
    type Err = ApiError;

    fn from_str(name: &str) -> Result<ColourMode, ApiError> {
        ColourMode::from_name(name)
            .ok_or_else(|| ApiError::validation(Field::Scanner, "unknown colour mode"))
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

/// What an officer chose at the scan station last, offered again the next time.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanPreferences {
    /// The scanner's id ([`ScannerInfo::id`]), if one was chosen.
    #[serde(default)]
    pub device: Option<String>,
    #[serde(default)]
    pub settings: ScanSettings,
}

/// A scanner this desk can reach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScannerInfo {
    /// What opening it takes: `sane:test:0`, `escl:http://192.168.1.20/eSCL`, `wia:…`.
    pub id: String,
    /// Vendor and model, for people.
    pub name: String,
    /// The feeds the device offers.
    pub feeds: Vec<Feed>,
    /// The resolutions it offers (dpi), ascending; empty when it did not say.
    pub resolutions: Vec<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    #[test]
    fn every_name_reads_back_as_itself() {
        for feed in Feed::ALL {
            assert_eq!(feed.name().parse::<Feed>(), Ok(feed));
            assert_eq!(
                serde_json::to_string(&feed).unwrap(),
                format!("\"{}\"", feed.name()),
                "the wire name is the command line's name"
            );
        }
        for mode in ColourMode::ALL {
            assert_eq!(mode.name().parse::<ColourMode>(), Ok(mode));
            assert_eq!(
                serde_json::to_string(&mode).unwrap(),
                format!("\"{}\"", mode.name())
            );
        }
    }

    #[test]
    fn an_unknown_name_is_refused_naming_the_scanner_field() {
        for err in [
            "sideways".parse::<Feed>().unwrap_err(),
            "sepia".parse::<ColourMode>().unwrap_err(),
        ] {
            assert_eq!(err.code, ErrorCode::Validation);
            assert_eq!(err.field, Some(Field::Scanner));
        }
        let err = serde_json::from_str::<ScanSettings>(
            r#"{"feed":"sideways","resolution":300,"mode":"color"}"#,
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("unknown variant `sideways`"),
            "serde names the value it refused: {err}"
        );
    }

    #[test]
    fn a_scan_request_keeps_its_flat_wire_shape() {
        let json = r#"{"dossier":null,"target":null,"device":"sane:test:0","feed":"adf","resolution":200,"mode":"gray"}"#;
        let request: crate::ipc::ScanRequest = serde_json::from_str(json).unwrap();
        assert_eq!(
            request.settings,
            ScanSettings {
                feed: Feed::Adf,
                resolution: 200,
                mode: ColourMode::Gray
            }
        );
        assert_eq!(serde_json::to_string(&request).unwrap(), json);
    }

    #[test]
    fn a_scanner_reads_as_the_window_always_received_it() {
        let json = r#"{"id":"sane:test:0","name":"Test","feeds":["flatbed","adf"],"resolutions":[75,300]}"#;
        let scanner: ScannerInfo = serde_json::from_str(json).unwrap();
        assert_eq!(scanner.feeds, [Feed::Flatbed, Feed::Adf]);
        assert_eq!(serde_json::to_string(&scanner).unwrap(), json);
    }
}
