//! WIA 2.0 scanners (Windows Image Acquisition), behind the scanner traits of `hoso-capture`:
//! every scanner that has a Windows driver, USB or network, including those that speak neither
//! eSCL nor anything SANE knows.
//!
//! A WIA 2.0 device is a tree of items: the root, and under it one programmable item per source,
//! told apart by `WIA_IPA_ITEM_CATEGORY` (the flatbed, the feeder). A scan writes the source
//! item's properties (resolution, data type, pages, format), then downloads from it one stream
//! per page.
//!
//! This part is the same on every platform and is tested anywhere: which sources and resolutions
//! a device's items offer ([`ItemCaps`]), what [`ScanSettings`] asks of an item as WIA property
//! values ([`plan_scan`]), what a transfer stream delivered as a [`ScannedPage`]
//! ([`page_from_transfer`]), and what a WIA `HRESULT` means for the officer
//! ([`error_from_hresult`], [`transfer_outcome`]). The COM calls are made on Windows only, where
//! `WiaBackend` lists and opens devices.
//!
//! The parts: [`items`] (what a device offers), [`plan`] (what a scan asks, as property
//! writes), [`page`] (what a transfer's stream delivered, as a page), [`delivery`] (the order
//! of the transfer callbacks and how a download ended), [`errors`] (what an `HRESULT` means).

pub mod consts;

#[cfg(windows)]
mod com;
mod delivery;
mod errors;
mod items;
mod page;
mod plan;

#[cfg(windows)]
pub use com::WiaBackend;
pub use delivery::{Delivery, transfer_outcome};
pub use errors::{error_from_hresult, hex, refusal};
pub use items::{
    ItemCaps, Source, ValidValues, choose_item, device_info, offered_feeds, offered_resolutions,
};
pub use page::page_from_transfer;
pub use plan::{
    PropValue, PropertyWrite, ScanPlan, TransferFormat, data_type, depth, pick_data_type,
    pick_format, pick_resolution, plan_scan,
};

use hoso_capture::{CaptureError, Result};

/// The prefix of a WIA device id: `wia:{6BDD1FC6-810F-11D0-BEC7-08002BE2092F}\0000` is the WIA
/// device `{6BDD1FC6-…}\0000`.
pub const ID_PREFIX: &str = "wia:";

/// The largest page taken from a transfer, encoded or decoded (a 1200 dpi A4 colour BMP is
/// about 420 MB): past this a broken driver cannot eat the desk's memory.
pub const MAX_PAGE_BYTES: u64 = 1 << 30;

/// The id of the WIA device with this `WIA_DIP_DEV_ID`.
pub fn device_id(wia_id: &str) -> String {
    format!("{ID_PREFIX}{wia_id}")
}

/// `wia:<WIA device id>` → the WIA device id, as `CreateDevice` takes it.
pub fn wia_device_id(id: &str) -> Result<&str> {
    id.strip_prefix(ID_PREFIX)
        .filter(|wia_id| !wia_id.trim().is_empty())
        .ok_or_else(|| CaptureError::DeviceUnavailable("not a WIA device id (wia:<device>)".into()))
}

/// Vendor and name for people. WIA names often start with the vendor already
/// ("HP LaserJet MFP M130"), which is then not said twice.
pub fn display_name(vendor: &str, name: &str) -> String {
    let (vendor, name) = (vendor.trim(), name.trim());
    let starts_with_vendor = name
        .get(..vendor.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(vendor));
    match (vendor.is_empty(), name.is_empty()) {
        (_, true) if !vendor.is_empty() => vendor.to_owned(),
        (_, true) => "WIA scanner".to_owned(),
        (true, false) => name.to_owned(),
        (false, false) if starts_with_vendor => name.to_owned(),
        (false, false) => format!("{vendor} {name}"),
    }
}

/// Whether a device with this `WIA_DIP_DEV_TYPE` can scan paper: cameras and video devices are
/// WIA devices too. A device that does not say is given the benefit of the doubt.
pub fn is_scanner(dev_type: Option<i32>) -> bool {
    !matches!(
        dev_type.map(|t| t >> 16),
        Some(consts::StiDeviceTypeDigitalCamera | consts::StiDeviceTypeStreamingVideo)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consts::*;

    #[test]
    fn ids_carry_the_wia_device_id() {
        let wia = r"{6BDD1FC6-810F-11D0-BEC7-08002BE2092F}\0001";
        let id = device_id(wia);
        assert_eq!(id, format!("wia:{wia}"));
        assert_eq!(wia_device_id(&id).unwrap(), wia);
        for bad in [
            "wia:",
            "wia:  ",
            "sane:test:0",
            "escl:http://scanner/eSCL",
            "",
        ] {
            assert!(
                matches!(wia_device_id(bad), Err(CaptureError::DeviceUnavailable(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn names_do_not_repeat_the_vendor() {
        let cases = [
            ("HP", "HP LaserJet MFP M130", "HP LaserJet MFP M130"),
            ("Canon", "canon LiDE 300", "canon LiDE 300"),
            ("EPSON", "L3150 Series", "EPSON L3150 Series"),
            ("", "Fujitsu fi-7160", "Fujitsu fi-7160"),
            (" Brother ", "", "Brother"),
            ("", " ", "WIA scanner"),
        ];
        for (vendor, name, shown) in cases {
            assert_eq!(display_name(vendor, name), shown, "{vendor:?} {name:?}");
        }
    }

    #[test]
    fn cameras_are_not_scanners() {
        let cases = [
            (Some(StiDeviceTypeScanner << 16), true),
            (Some((StiDeviceTypeScanner << 16) | 3), true),
            (Some(StiDeviceTypeDigitalCamera << 16), false),
            (Some(StiDeviceTypeStreamingVideo << 16), false),
            (None, true),
        ];
        for (dev_type, scanner) in cases {
            assert_eq!(is_scanner(dev_type), scanner, "{dev_type:?}");
        }
    }
}
