//! What a scan asks of an item: [`ScanSettings`] as WIA property values (resolution, data
//! type, depth, format, the feeder's sides and pages), chosen among what the item offers.

use hoso_capture::{CaptureError, ColourMode, Feed, Result, ScanSettings};

use crate::consts::*;
use crate::items::{ItemCaps, choose_item};

/// The format a transfer is asked in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferFormat {
    Jpeg,
    Png,
    /// Which every WIA scanner driver must offer; re-encoded as PNG here.
    Bmp,
}

impl TransferFormat {
    /// Its `WiaImgFmt_*` GUID.
    pub fn guid(self) -> Guid {
        match self {
            TransferFormat::Jpeg => WiaImgFmt_JPEG,
            TransferFormat::Png => WiaImgFmt_PNG,
            TransferFormat::Bmp => WiaImgFmt_BMP,
        }
    }

    fn text(self) -> &'static str {
        match self {
            TransferFormat::Jpeg => "JPEG pages",
            TransferFormat::Png => "PNG pages",
            TransferFormat::Bmp => "BMP pages",
        }
    }
}

/// A property value to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PropValue {
    /// `VT_I4`.
    Long(i32),
    /// `VT_CLSID`.
    Guid(Guid),
}

/// One property written before a transfer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertyWrite {
    pub id: u32,
    pub value: PropValue,
    /// What it asks of the device, for the message when the device refuses it.
    pub what: String,
    /// Whether the scan stops when the device refuses it. Depth is not: drivers derive it from
    /// the data type, and some keep it read-only.
    pub required: bool,
}

impl PropertyWrite {
    fn new(id: u32, value: PropValue, what: impl Into<String>) -> PropertyWrite {
        PropertyWrite {
            id,
            value,
            what: what.into(),
            required: true,
        }
    }

    fn optional(mut self) -> PropertyWrite {
        self.required = false;
        self
    }
}

/// What one scan asks of a device, decided from the settings and the items' capabilities
/// before anything is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanPlan {
    /// The item to scan from (an index into the items it was planned for).
    pub item: usize,
    /// Whether the pages come from the feeder (every page until it is empty).
    pub feeder: bool,
    /// The resolution asked: the device's nearest to the settings'.
    pub dpi: u32,
    /// The colour mode asked: the settings', or the nearest richer one the item offers.
    pub mode: ColourMode,
    pub format: TransferFormat,
    /// The properties to write, in this order: source and pages, resolution, data type and
    /// depth, then format (a driver may narrow each from the ones before it).
    pub writes: Vec<PropertyWrite>,
}

/// Plans a scan with `settings` on a device with these items.
pub fn plan_scan(items: &[ItemCaps], settings: &ScanSettings) -> Result<ScanPlan> {
    let index = choose_item(items, settings.feed)?;
    let item = &items[index];
    let feeder = settings.feed != Feed::Flatbed;
    let dpi = pick_resolution(&item.resolutions, settings.resolution);
    let (mode, data_type) = pick_data_type(&item.data_types, settings.mode)?;
    let format = pick_format(&item.formats, mode);

    let mut writes = Vec::new();
    if feeder {
        let (select, what) = if settings.feed == Feed::Duplex {
            (DUPLEX, "two-sided scanning")
        } else {
            (FRONT_ONLY, "one-sided scanning")
        };
        let write = PropertyWrite::new(
            WIA_IPS_DOCUMENT_HANDLING_SELECT,
            PropValue::Long(select as i32),
            what,
        );
        // One side is what a feeder item scans unless told otherwise; a driver without the
        // property (or one that refuses FRONT_ONLY) scans one side all the same.
        writes.push(if settings.feed == Feed::Duplex {
            write
        } else {
            write.optional()
        });
        writes.push(PropertyWrite::new(
            WIA_IPS_PAGES,
            PropValue::Long(ALL_PAGES),
            "scanning every page in the feeder",
        ));
    }
    let dpi_value = PropValue::Long(i32::try_from(dpi).unwrap_or(i32::MAX));
    writes.push(PropertyWrite::new(
        WIA_IPS_XRES,
        dpi_value,
        format!("{dpi} dpi"),
    ));
    writes.push(PropertyWrite::new(
        WIA_IPS_YRES,
        dpi_value,
        format!("{dpi} dpi"),
    ));
    writes.push(PropertyWrite::new(
        WIA_IPA_DATATYPE,
        PropValue::Long(data_type),
        mode_text(mode),
    ));
    writes.push(
        PropertyWrite::new(WIA_IPA_DEPTH, PropValue::Long(depth(mode)), mode_text(mode)).optional(),
    );
    writes.push(PropertyWrite::new(
        WIA_IPA_FORMAT,
        PropValue::Guid(format.guid()),
        format.text(),
    ));
    Ok(ScanPlan {
        item: index,
        feeder,
        dpi,
        mode,
        format,
        writes,
    })
}

/// The asked resolution, or the nearest the item offers (the higher of two equally near).
pub fn pick_resolution(offered: &[u32], asked: u32) -> u32 {
    offered
        .iter()
        .copied()
        .min_by_key(|dpi| (dpi.abs_diff(asked), std::cmp::Reverse(*dpi)))
        .unwrap_or(asked)
}

/// The asked mode and its `WIA_IPA_DATATYPE`, or, when the item lacks it, the nearest richer one
/// (black and white from a grey scan loses nothing the officer wanted). An item that lists no
/// data types is asked as is.
pub fn pick_data_type(offered: &[i32], asked: ColourMode) -> Result<(ColourMode, i32)> {
    let richer: &[ColourMode] = match asked {
        ColourMode::Lineart => &[ColourMode::Lineart, ColourMode::Gray, ColourMode::Color],
        ColourMode::Gray => &[ColourMode::Gray, ColourMode::Color],
        ColourMode::Color => &[ColourMode::Color],
    };
    richer
        .iter()
        .map(|&mode| (mode, data_type(mode)))
        .find(|(_, data_type)| offered.is_empty() || offered.contains(data_type))
        .ok_or_else(|| CaptureError::NotSupported(mode_text(asked).into()))
}

/// JPEG for colour and grey, kept as the device encoded it; PNG for black and white, which JPEG
/// would blur. BMP, which every WIA driver must offer, when the item has neither (or does not
/// say).
pub fn pick_format(offered: &[Guid], mode: ColourMode) -> TransferFormat {
    let offers = |format: TransferFormat| offered.contains(&format.guid());
    let preferred: &[TransferFormat] = match mode {
        ColourMode::Color | ColourMode::Gray => &[TransferFormat::Jpeg, TransferFormat::Png],
        ColourMode::Lineart => &[TransferFormat::Png],
    };
    preferred
        .iter()
        .copied()
        .find(|&format| offers(format))
        .unwrap_or(TransferFormat::Bmp)
}

/// `WIA_IPA_DATATYPE` for a mode.
pub fn data_type(mode: ColourMode) -> i32 {
    match mode {
        ColourMode::Color => WIA_DATA_COLOR,
        ColourMode::Gray => WIA_DATA_GRAYSCALE,
        ColourMode::Lineart => WIA_DATA_THRESHOLD,
    }
}

/// `WIA_IPA_DEPTH` (bits per pixel) for a mode.
pub fn depth(mode: ColourMode) -> i32 {
    match mode {
        ColourMode::Color => 24,
        ColourMode::Gray => 8,
        ColourMode::Lineart => 1,
    }
}

fn mode_text(mode: ColourMode) -> &'static str {
    match mode {
        ColourMode::Color => "colour scanning",
        ColourMode::Gray => "grey scanning",
        ColourMode::Lineart => "black and white scanning",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::items::tests::{feeder, flatbed};

    fn settings(feed: Feed, resolution: u32, mode: ColourMode) -> ScanSettings {
        ScanSettings {
            feed,
            resolution,
            mode,
        }
    }

    fn long(plan: &ScanPlan, id: u32) -> Option<i32> {
        plan.writes
            .iter()
            .find(|w| w.id == id)
            .map(|w| match w.value {
                PropValue::Long(v) => v,
                PropValue::Guid(_) => panic!("property {id} is a GUID"),
            })
    }

    fn guid(plan: &ScanPlan, id: u32) -> Option<Guid> {
        plan.writes
            .iter()
            .find(|w| w.id == id)
            .map(|w| match w.value {
                PropValue::Guid(g) => g,
                PropValue::Long(_) => panic!("property {id} is a number"),
            })
    }

    #[test]
    fn a_flatbed_plan_writes_resolution_type_depth_and_format() {
        let items = [flatbed(), feeder(true)];
        let cases = [
            (ColourMode::Color, 300, WIA_DATA_COLOR, 24, WiaImgFmt_JPEG),
            (ColourMode::Gray, 250, WIA_DATA_GRAYSCALE, 8, WiaImgFmt_JPEG),
            (
                ColourMode::Lineart,
                200,
                WIA_DATA_THRESHOLD,
                1,
                WiaImgFmt_PNG,
            ),
        ];
        for (mode, asked, data_type, depth, format) in cases {
            let plan = plan_scan(&items, &settings(Feed::Flatbed, asked, mode)).unwrap();
            assert_eq!(plan.item, 0);
            assert!(!plan.feeder);
            assert_eq!(plan.mode, mode);
            let ids: Vec<u32> = plan.writes.iter().map(|w| w.id).collect();
            assert_eq!(
                ids,
                [
                    WIA_IPS_XRES,
                    WIA_IPS_YRES,
                    WIA_IPA_DATATYPE,
                    WIA_IPA_DEPTH,
                    WIA_IPA_FORMAT
                ]
            );
            let dpi = i32::try_from(plan.dpi).unwrap();
            assert_eq!(long(&plan, WIA_IPS_XRES), Some(dpi));
            assert_eq!(long(&plan, WIA_IPS_YRES), Some(dpi));
            assert_eq!(long(&plan, WIA_IPA_DATATYPE), Some(data_type));
            assert_eq!(long(&plan, WIA_IPA_DEPTH), Some(depth));
            assert_eq!(guid(&plan, WIA_IPA_FORMAT), Some(format));
            let depth_write = plan.writes.iter().find(|w| w.id == WIA_IPA_DEPTH).unwrap();
            assert!(!depth_write.required);
        }
        // 250 is as near 200 as 300: the higher is taken.
        let plan = plan_scan(&items, &settings(Feed::Flatbed, 250, ColourMode::Gray)).unwrap();
        assert_eq!(plan.dpi, 300);
    }

    #[test]
    fn feeder_plans_select_the_sides_and_every_page() {
        let items = [flatbed(), feeder(true)];
        let cases = [(Feed::Adf, FRONT_ONLY, false), (Feed::Duplex, DUPLEX, true)];
        for (feed, select, required) in cases {
            let plan = plan_scan(&items, &settings(feed, 600, ColourMode::Color)).unwrap();
            assert_eq!(plan.item, 1);
            assert!(plan.feeder);
            assert_eq!(plan.writes[0].id, WIA_IPS_DOCUMENT_HANDLING_SELECT);
            assert_eq!(plan.writes[0].value, PropValue::Long(select as i32));
            assert_eq!(plan.writes[0].required, required);
            assert_eq!(plan.writes[1].id, WIA_IPS_PAGES);
            assert_eq!(plan.writes[1].value, PropValue::Long(ALL_PAGES));
            assert!(plan.writes[1].required);
            // The feeder goes to 300 dpi and offers only BMP.
            assert_eq!(plan.dpi, 300);
            assert_eq!(plan.format, TransferFormat::Bmp);
            assert_eq!(guid(&plan, WIA_IPA_FORMAT), Some(WiaImgFmt_BMP));
        }
        assert!(matches!(
            plan_scan(
                &[flatbed(), feeder(false)],
                &settings(Feed::Duplex, 300, ColourMode::Color)
            ),
            Err(CaptureError::NotSupported(_))
        ));
    }

    #[test]
    fn a_missing_mode_falls_back_to_a_richer_one() {
        type Case = (&'static [i32], ColourMode, Option<(ColourMode, i32)>);
        let cases: [Case; 6] = [
            (
                &[WIA_DATA_GRAYSCALE, WIA_DATA_COLOR],
                ColourMode::Lineart,
                Some((ColourMode::Gray, WIA_DATA_GRAYSCALE)),
            ),
            (
                &[WIA_DATA_COLOR],
                ColourMode::Lineart,
                Some((ColourMode::Color, WIA_DATA_COLOR)),
            ),
            (
                &[WIA_DATA_COLOR],
                ColourMode::Gray,
                Some((ColourMode::Color, WIA_DATA_COLOR)),
            ),
            (&[WIA_DATA_THRESHOLD], ColourMode::Color, None),
            (
                &[],
                ColourMode::Lineart,
                Some((ColourMode::Lineart, WIA_DATA_THRESHOLD)),
            ),
            (
                &[WIA_DATA_DITHER, WIA_DATA_THRESHOLD],
                ColourMode::Lineart,
                Some((ColourMode::Lineart, WIA_DATA_THRESHOLD)),
            ),
        ];
        for (offered, asked, expected) in cases {
            match (pick_data_type(offered, asked), expected) {
                (Ok(got), Some(want)) => assert_eq!(got, want, "{offered:?} {asked:?}"),
                (Err(CaptureError::NotSupported(_)), None) => {}
                (got, want) => panic!("{offered:?} {asked:?}: {got:?}, wanted {want:?}"),
            }
        }
    }

    #[test]
    fn formats_prefer_jpeg_for_colour_and_png_for_lineart() {
        use TransferFormat::*;
        let cases: [(&[Guid], ColourMode, TransferFormat); 8] = [
            (
                &[WiaImgFmt_BMP, WiaImgFmt_JPEG, WiaImgFmt_PNG],
                ColourMode::Color,
                Jpeg,
            ),
            (
                &[WiaImgFmt_BMP, WiaImgFmt_JPEG, WiaImgFmt_PNG],
                ColourMode::Gray,
                Jpeg,
            ),
            (
                &[WiaImgFmt_BMP, WiaImgFmt_JPEG, WiaImgFmt_PNG],
                ColourMode::Lineart,
                Png,
            ),
            (&[WiaImgFmt_BMP, WiaImgFmt_PNG], ColourMode::Color, Png),
            (&[WiaImgFmt_BMP, WiaImgFmt_JPEG], ColourMode::Lineart, Bmp),
            (&[WiaImgFmt_BMP, WiaImgFmt_TIFF], ColourMode::Color, Bmp),
            (&[WiaImgFmt_MEMORYBMP], ColourMode::Gray, Bmp),
            (&[], ColourMode::Color, Bmp),
        ];
        for (offered, mode, expected) in cases {
            assert_eq!(pick_format(offered, mode), expected, "{mode:?}");
        }
    }
}
