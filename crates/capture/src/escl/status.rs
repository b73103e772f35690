//! A device's `scan:ScannerStatus`: whether it is busy, and what its feeder's state means.

use roxmltree::Document;

use super::xml::{child_text, is};
use super::{PWG_NS, SCAN_NS};
use crate::{CaptureError, Result};

/// A device's `ScannerStatus`, as far as this desk uses it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct ScannerStatus {
    /// `pwg:State`: `Idle`, `Processing`, `Testing`, `Stopped`, `Down`.
    state: Option<String>,
    /// `scan:AdfState`: `ScannerAdfLoaded`, `ScannerAdfEmpty`, `ScannerAdfJam`…
    adf_state: Option<String>,
}

/// What the feeder's state means for a scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Adf {
    Ready,
    Empty,
    Fault(&'static str),
    Unknown,
}

impl ScannerStatus {
    pub(super) fn parse(xml: &str) -> Result<ScannerStatus> {
        let bad = || CaptureError::DeviceFault("ScannerStatus: unreadable".into());
        let doc = Document::parse(xml).map_err(|_| bad())?;
        let root = doc.root_element();
        if !is(root, SCAN_NS, "ScannerStatus") {
            return Err(bad());
        }
        Ok(ScannerStatus {
            state: child_text(root, PWG_NS, "State"),
            adf_state: child_text(root, SCAN_NS, "AdfState"),
        })
    }

    pub(super) fn adf(&self) -> Adf {
        match self.adf_state.as_deref() {
            Some("ScannerAdfLoaded" | "ScannerAdfProcessing") => Adf::Ready,
            Some("ScannerAdfEmpty") => Adf::Empty,
            Some("ScannerAdfJam") => Adf::Fault("paper jam in the document feeder"),
            Some("ScannerAdfDoorOpen" | "ScannerAdfHatchOpen") => {
                Adf::Fault("the document feeder is open")
            }
            Some("ScannerAdfMispick" | "ScannerAdfMultipickDetected") => {
                Adf::Fault("the document feeder took no sheet or several")
            }
            Some(
                "ScannerAdfInputTrayFailed"
                | "ScannerAdfInputTrayOverloaded"
                | "ScannerAdfDuplexPageTooShort"
                | "ScannerAdfDuplexPageTooLong",
            ) => Adf::Fault("the document feeder reported a fault"),
            _ => Adf::Unknown,
        }
    }

    pub(super) fn is_busy(&self) -> bool {
        matches!(self.state.as_deref(), Some("Processing" | "Testing"))
    }
}
