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

pub mod consts;

#[cfg(windows)]
mod com;

#[cfg(windows)]
pub use com::WiaBackend;

use std::io::Cursor;

use hoso_capture::{
    CaptureError, ColourMode, DeviceInfo, Feed, ImageFormat, Result, ScanSettings, ScannedPage,
};

use consts::*;

/// The prefix of a WIA device id: `wia:{6BDD1FC6-810F-11D0-BEC7-08002BE2092F}\0000` is the WIA
/// device `{6BDD1FC6-…}\0000`.
pub const ID_PREFIX: &str = "wia:";

/// The resolutions offered when an item gives a range rather than a list.
const COMMON_RESOLUTIONS: [u32; 9] = [75, 100, 150, 200, 240, 300, 400, 600, 1200];

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

// ---------------------------------------------------------------------------------------------
// What a device offers.

/// The valid values of a property, as `IWiaPropertyStorage::GetPropertyAttributes` gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValidValues {
    /// No constraint said (`WIA_PROP_NONE`, or unreadable).
    Any,
    Range {
        min: i32,
        max: i32,
        step: i32,
    },
    List(Vec<i32>),
    /// The flags that may be combined.
    Flags(u32),
}

impl ValidValues {
    /// Reads the attribute flags and the valid-values vector: `[min, nominal, max, step]` for a
    /// range, `[count, nominal, values…]` for a list, `[nominal, valid bits]` for flags.
    pub fn from_attributes(flags: u32, values: &[i32]) -> ValidValues {
        if flags & WIA_PROP_RANGE != 0 && values.len() > WIA_RANGE_STEP {
            ValidValues::Range {
                min: values[WIA_RANGE_MIN],
                max: values[WIA_RANGE_MAX],
                step: values[WIA_RANGE_STEP],
            }
        } else if flags & WIA_PROP_LIST != 0 && values.len() >= WIA_LIST_VALUES {
            let listed = &values[WIA_LIST_VALUES..];
            let count = usize::try_from(values[WIA_LIST_COUNT])
                .unwrap_or(listed.len())
                .min(listed.len());
            ValidValues::List(listed[..count].to_vec())
        } else if flags & WIA_PROP_FLAG != 0 && values.len() > WIA_FLAG_VALUES {
            ValidValues::Flags(values[WIA_FLAG_VALUES] as u32)
        } else {
            ValidValues::Any
        }
    }

    /// The values as a list, when they are one.
    pub fn list(&self) -> Vec<i32> {
        match self {
            ValidValues::List(values) => values.clone(),
            _ => Vec::new(),
        }
    }

    /// The flags that may be set, or 0.
    pub fn flags(&self) -> u32 {
        match self {
            ValidValues::Flags(bits) => *bits,
            _ => 0,
        }
    }

    /// Resolutions (dpi), ascending: a list as it is, or the usual ones within a range on its
    /// steps (its ends when none of the usual ones is).
    pub fn resolutions(&self) -> Vec<u32> {
        let mut dpi: Vec<u32> = match *self {
            ValidValues::List(ref values) => values
                .iter()
                .filter_map(|v| u32::try_from(*v).ok())
                .collect(),
            ValidValues::Range { min, max, step } => {
                let (Ok(min), Ok(max)) = (u32::try_from(min), u32::try_from(max)) else {
                    return Vec::new();
                };
                let step = u32::try_from(step).unwrap_or(0).max(1);
                let common: Vec<u32> = COMMON_RESOLUTIONS
                    .into_iter()
                    .filter(|dpi| (min..=max).contains(dpi) && (dpi - min).is_multiple_of(step))
                    .collect();
                if common.is_empty() && min <= max {
                    vec![min, max]
                } else {
                    common
                }
            }
            ValidValues::Any | ValidValues::Flags(_) => Vec::new(),
        };
        dpi.retain(|&d| d > 0);
        dpi.sort_unstable();
        dpi.dedup();
        dpi
    }
}

/// Which source an item scans from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Flatbed,
    Feeder,
}

impl Source {
    /// The source of a top-level item by its `WIA_IPA_ITEM_CATEGORY`; `None` for film, the
    /// automatic item, storage and others the desk does not scan from.
    pub fn of_category(category: Guid) -> Option<Source> {
        match category {
            WIA_CATEGORY_FLATBED => Some(Source::Flatbed),
            WIA_CATEGORY_FEEDER => Some(Source::Feeder),
            _ => None,
        }
    }
}

/// What one item under a device's root offers, as read from its properties.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemCaps {
    /// `WIA_IPA_ITEM_CATEGORY`.
    pub category: Guid,
    /// From the valid values of `WIA_IPS_XRES`, ascending; empty when it did not say.
    pub resolutions: Vec<u32>,
    /// The valid values of `WIA_IPA_DATATYPE`; empty when it did not say.
    pub data_types: Vec<i32>,
    /// The formats of its file (stream) transfers; empty when it did not say.
    pub formats: Vec<Guid>,
    /// `WIA_IPS_DOCUMENT_HANDLING_CAPABILITIES` (a feeder's, or the root's on older drivers).
    pub handling_capabilities: u32,
    /// The flags `WIA_IPS_DOCUMENT_HANDLING_SELECT` takes.
    pub handling_select: u32,
}

impl ItemCaps {
    pub fn source(&self) -> Option<Source> {
        Source::of_category(self.category)
    }

    /// Whether this feeder scans both sides.
    pub fn duplex(&self) -> bool {
        self.source() == Some(Source::Feeder)
            && (self.handling_capabilities & DUP != 0 || self.handling_select & DUPLEX != 0)
    }
}

/// The feeds a device's items offer, in the order of [`Feed`].
pub fn offered_feeds(items: &[ItemCaps]) -> Vec<Feed> {
    let has = |source| items.iter().any(|item| item.source() == Some(source));
    let mut feeds = Vec::new();
    if has(Source::Flatbed) {
        feeds.push(Feed::Flatbed);
    }
    if has(Source::Feeder) {
        feeds.push(Feed::Adf);
    }
    if items.iter().any(ItemCaps::duplex) {
        feeds.push(Feed::Duplex);
    }
    feeds
}

/// The resolutions of all the sources together, ascending.
pub fn offered_resolutions(items: &[ItemCaps]) -> Vec<u32> {
    let mut dpi: Vec<u32> = items
        .iter()
        .filter(|item| item.source().is_some())
        .flat_map(|item| item.resolutions.iter().copied())
        .collect();
    dpi.sort_unstable();
    dpi.dedup();
    dpi
}

/// A device for the desk's list.
pub fn device_info(wia_id: &str, vendor: &str, name: &str, items: &[ItemCaps]) -> DeviceInfo {
    DeviceInfo {
        id: device_id(wia_id),
        name: display_name(vendor, name),
        feeds: offered_feeds(items),
        resolutions: offered_resolutions(items),
    }
}

/// The item to scan from for `feed`: the flatbed item, or the feeder item (which must be able
/// to scan both sides for [`Feed::Duplex`]).
pub fn choose_item(items: &[ItemCaps], feed: Feed) -> Result<usize> {
    let find = |source| items.iter().position(|item| item.source() == Some(source));
    let found = match feed {
        Feed::Flatbed => find(Source::Flatbed),
        Feed::Adf => find(Source::Feeder),
        Feed::Duplex => items.iter().position(ItemCaps::duplex),
    };
    found.ok_or_else(|| CaptureError::NotSupported(feed_text(feed).into()))
}

fn feed_text(feed: Feed) -> &'static str {
    match feed {
        Feed::Flatbed => "the flatbed",
        Feed::Adf => "the document feeder",
        Feed::Duplex => "two-sided scanning",
    }
}

// ---------------------------------------------------------------------------------------------
// What a scan asks.

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

// ---------------------------------------------------------------------------------------------
// What a transfer delivered.

/// The bytes of one transfer stream as a page. The bytes decide the format: JPEG and PNG are
/// kept exactly as the device sent them; BMP is re-encoded losslessly as PNG (1-bit when the
/// page is only black and white, grey when it has no colour).
pub fn page_from_transfer(bytes: Vec<u8>, dpi: u32) -> Result<ScannedPage> {
    let format = if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        ImageFormat::Jpeg
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        ImageFormat::Png
    } else if bytes.starts_with(b"BM") {
        return Ok(ScannedPage {
            bytes: bmp_to_png(&bytes, dpi)?,
            format: ImageFormat::Png,
            dpi: Some(dpi),
        });
    } else if bytes.is_empty() {
        return Err(CaptureError::DeviceFault(
            "the scanner sent an empty page".into(),
        ));
    } else {
        return Err(CaptureError::DeviceFault(
            "the scanner sent a page that is not JPEG, PNG or BMP".into(),
        ));
    };
    Ok(ScannedPage {
        bytes,
        format,
        dpi: Some(dpi),
    })
}

/// A BMP file as PNG, with its resolution.
fn bmp_to_png(bmp: &[u8], dpi: u32) -> Result<Vec<u8>> {
    let damaged = |why: String| CaptureError::DeviceFault(format!("the scanner sent {why}"));
    let mut reader = image::ImageReader::with_format(Cursor::new(bmp), image::ImageFormat::Bmp);
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_PAGE_BYTES);
    reader.limits(limits);
    let decoded = reader.decode().map_err(|error| match error {
        image::ImageError::Limits(_) => {
            CaptureError::TooLarge("the scanned page is larger than the desk takes".into())
        }
        other => damaged(format!("a damaged BMP page ({other})")),
    })?;
    let rgb = decoded.to_rgb8();
    let (width, height) = rgb.dimensions();
    let samples = rgb.as_raw();
    let grey = samples
        .chunks_exact(3)
        .all(|px| px[0] == px[1] && px[1] == px[2]);
    let (colour, depth, data) = if !grey {
        (png::ColorType::Rgb, png::BitDepth::Eight, samples.clone())
    } else {
        let luma: Vec<u8> = samples.chunks_exact(3).map(|px| px[0]).collect();
        if luma.iter().all(|&v| v == 0 || v == 255) {
            let row = usize::try_from(width).unwrap_or(0);
            (
                png::ColorType::Grayscale,
                png::BitDepth::One,
                pack_bits(&luma, row),
            )
        } else {
            (png::ColorType::Grayscale, png::BitDepth::Eight, luma)
        }
    };
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(Cursor::new(&mut bytes), width, height);
    encoder.set_color(colour);
    encoder.set_depth(depth);
    let per_metre = (f64::from(dpi) / 0.0254).round() as u32;
    encoder.set_pixel_dims(Some(png::PixelDimensions {
        xppu: per_metre,
        yppu: per_metre,
        unit: png::Unit::Meter,
    }));
    encoder
        .write_header()
        .and_then(|mut writer| {
            writer
                .write_image_data(&data)
                .and_then(|()| writer.finish())
        })
        .map_err(|error| {
            CaptureError::Io(std::io::Error::other(format!(
                "cannot encode the page: {error}"
            )))
        })?;
    Ok(bytes)
}

/// Black-and-white samples (0 or 255) packed eight to a byte, first pixel in the high bit, each
/// row padded to a whole byte: PNG's 1-bit grey, where 1 is white.
fn pack_bits(luma: &[u8], width: usize) -> Vec<u8> {
    if width == 0 {
        return Vec::new();
    }
    luma.chunks(width)
        .flat_map(|row| {
            row.chunks(8).map(|eight| {
                eight
                    .iter()
                    .enumerate()
                    .fold(0u8, |byte, (i, &v)| byte | (u8::from(v != 0) << (7 - i)))
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Errors.

/// What a failing `HRESULT` from WIA or COM means for a scan.
pub fn error_from_hresult(hr: i32) -> CaptureError {
    let fault = |what: &str| CaptureError::DeviceFault(what.into());
    let unavailable = |what: &str| CaptureError::DeviceUnavailable(what.into());
    match hr {
        WIA_ERROR_PAPER_EMPTY => CaptureError::FeederEmpty,
        WIA_ERROR_PAPER_JAM => fault("paper jam"),
        WIA_ERROR_PAPER_PROBLEM => fault("a problem with the paper in the feeder"),
        WIA_ERROR_MULTI_FEED => fault("the feeder took several sheets at once"),
        WIA_ERROR_COVER_OPEN => fault("a cover of the scanner is open"),
        WIA_ERROR_LAMP_OFF => fault("the scanner's lamp is off"),
        WIA_ERROR_USER_INTERVENTION => fault("the scanner needs attention at the device"),
        WIA_ERROR_INCORRECT_HARDWARE_SETTING => fault("a setting on the scanner itself is wrong"),
        WIA_ERROR_DESTINATION => fault("the page could not be stored"),
        E_OUTOFMEMORY => fault("out of memory"),
        WIA_ERROR_BUSY
        | WIA_ERROR_DEVICE_LOCKED
        | WIA_ERROR_WARMING_UP
        | WIA_ERROR_NETWORK_RESERVATION_FAILED => CaptureError::DeviceBusy,
        WIA_ERROR_OFFLINE => unavailable("the scanner is offline"),
        WIA_ERROR_DEVICE_COMMUNICATION
        | HRESULT_GEN_FAILURE
        | HRESULT_NOT_READY
        | HRESULT_DEVICE_NOT_CONNECTED => unavailable("no communication with the scanner"),
        WIA_ERROR_ITEM_DELETED => unavailable("the scanner was disconnected"),
        WIA_S_NO_DEVICE_AVAILABLE => unavailable("no such scanner is connected"),
        E_ACCESSDENIED => unavailable("access to the scanner was denied"),
        REGDB_E_CLASSNOTREG => unavailable("Windows Image Acquisition is not installed"),
        CO_E_SERVER_EXEC_FAILURE
        | HRESULT_SERVICE_DISABLED
        | RPC_S_SERVER_UNAVAILABLE
        | RPC_E_DISCONNECTED => unavailable("the Windows Image Acquisition service is not running"),
        E_ABORT => CaptureError::Cancelled,
        WIA_ERROR_INVALID_COMMAND | E_NOTIMPL => CaptureError::NotSupported("this request".into()),
        WIA_ERROR_GENERAL_ERROR
        | WIA_ERROR_EXCEPTION_IN_DRIVER
        | WIA_ERROR_INVALID_DRIVER_RESPONSE => {
            CaptureError::DeviceFault(format!("the scanner driver failed ({})", hex(hr)))
        }
        other => CaptureError::DeviceFault(format!("WIA error {}", hex(other))),
    }
}

/// A property write the device refused: a value it does not take is "not supported" (naming
/// what was asked); anything else is what the code says.
pub fn refusal(hr: i32, what: &str) -> CaptureError {
    match hr {
        E_INVALIDARG | DISP_E_TYPEMISMATCH | E_NOTIMPL | WIA_ERROR_INVALID_COMMAND => {
            CaptureError::NotSupported(what.into())
        }
        other => error_from_hresult(other),
    }
}

/// How a download ended, from what `IWiaTransfer::Download` returned, the last failing status
/// the driver sent meanwhile (`WIA_TRANSFER_MSG_DEVICE_STATUS`), and the pages delivered.
///
/// An empty feeder is the normal end of a feeder scan once a page has come, and
/// [`CaptureError::FeederEmpty`] before; a feeder that delivered nothing and said nothing was
/// empty too. Any other failure is reported even after some pages (a jam on the fourth sheet
/// must be cleared), the pages already delivered staying delivered.
pub fn transfer_outcome(
    download: i32,
    device_status: Option<i32>,
    pages: u32,
    feeder: bool,
) -> Result<u32> {
    let status = device_status.filter(|&hr| hr < 0);
    let failure = if download < 0 {
        // A driver often ends a failed transfer with a general code after having said why.
        match (download, status) {
            (E_FAIL | WIA_ERROR_GENERAL_ERROR, Some(said)) => Some(said),
            _ => Some(download),
        }
    } else if pages == 0 {
        status
    } else {
        None
    };
    match failure {
        Some(WIA_ERROR_PAPER_EMPTY) if pages > 0 => Ok(pages),
        Some(hr) => Err(error_from_hresult(hr)),
        None if pages > 0 => Ok(pages),
        None if download == S_FALSE => Err(CaptureError::Cancelled),
        None if feeder => Err(CaptureError::FeederEmpty),
        None => Err(CaptureError::DeviceFault("the scanner sent no page".into())),
    }
}

/// What a download has delivered so far, as WIA's transfer callbacks tell it: one stream per
/// page, whose bytes are taken when the stream ends. Generic over the stream, so that the order
/// of the callbacks is handled (and tested) apart from COM.
#[derive(Debug)]
pub struct Delivery<S> {
    /// The stream of the page being written.
    stream: Option<S>,
    /// Pages taken.
    pub pages: u32,
    /// The last failure the driver reported with `WIA_TRANSFER_MSG_DEVICE_STATUS`.
    pub device_status: Option<i32>,
    /// Why a page could not be taken (too large, unreadable); the transfer is then cancelled.
    pub failure: Option<CaptureError>,
}

impl<S> Default for Delivery<S> {
    fn default() -> Self {
        Delivery {
            stream: None,
            pages: 0,
            device_status: None,
            failure: None,
        }
    }
}

impl<S> Delivery<S> {
    /// `GetNextStream`: `stream` becomes the current one. The page before ends here if its end
    /// was not announced, and its bytes are returned.
    pub fn next_stream(
        &mut self,
        stream: S,
        read: impl Fn(&S) -> Result<Vec<u8>>,
    ) -> Option<Vec<u8>> {
        let page = self.end_stream(read);
        self.stream = Some(stream);
        page
    }

    /// The end of a stream (`WIA_TRANSFER_MSG_END_OF_STREAM`, the end of the transfer, or
    /// `Download` returning): the current page's bytes, if it has any. An empty stream is kept,
    /// since its page may not have begun (an end message for the page before it arriving late)
    /// or may never come (a feeder that ran out); it is replaced or dropped later.
    pub fn end_stream(&mut self, read: impl Fn(&S) -> Result<Vec<u8>>) -> Option<Vec<u8>> {
        let stream = self.stream.take()?;
        if self.failure.is_some() {
            return None;
        }
        match read(&stream) {
            Ok(bytes) if bytes.is_empty() => {
                self.stream = Some(stream);
                None
            }
            Ok(bytes) => {
                self.pages += 1;
                Some(bytes)
            }
            Err(error) => {
                self.failure = Some(error);
                None
            }
        }
    }

    /// A `WIA_TRANSFER_MSG_DEVICE_STATUS`: failures are kept, passing statuses (warming up) are
    /// not.
    pub fn device_status(&mut self, hr: i32) {
        if hr < 0 {
            self.device_status = Some(hr);
        }
    }

    /// How the download ended, once `Download` returned `download` (see [`transfer_outcome`]).
    pub fn outcome(self, download: i32, feeder: bool) -> Result<u32> {
        match self.failure {
            Some(failure) => Err(failure),
            None => transfer_outcome(download, self.device_status, self.pages, feeder),
        }
    }
}

/// An `HRESULT` as Windows writes it: `0x80210003`.
pub fn hex(hr: i32) -> String {
    format!("0x{:08X}", hr as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flatbed() -> ItemCaps {
        ItemCaps {
            category: WIA_CATEGORY_FLATBED,
            resolutions: vec![100, 150, 200, 300, 600],
            data_types: vec![WIA_DATA_THRESHOLD, WIA_DATA_GRAYSCALE, WIA_DATA_COLOR],
            formats: vec![WiaImgFmt_BMP, WiaImgFmt_JPEG, WiaImgFmt_PNG],
            ..ItemCaps::default()
        }
    }

    fn feeder(duplex: bool) -> ItemCaps {
        ItemCaps {
            category: WIA_CATEGORY_FEEDER,
            resolutions: vec![150, 300],
            data_types: vec![WIA_DATA_GRAYSCALE, WIA_DATA_COLOR],
            formats: vec![WiaImgFmt_BMP],
            handling_capabilities: if duplex { FEED | DUP } else { FEED },
            handling_select: if duplex {
                FRONT_ONLY | DUPLEX
            } else {
                FRONT_ONLY
            },
        }
    }

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

    #[test]
    fn valid_values_are_read_by_kind() {
        let cases: [(u32, &[i32], ValidValues); 7] = [
            (
                WIA_PROP_READ | WIA_PROP_WRITE | WIA_PROP_RANGE,
                &[75, 300, 1200, 1],
                ValidValues::Range {
                    min: 75,
                    max: 1200,
                    step: 1,
                },
            ),
            (
                WIA_PROP_RW_LIST,
                &[3, 300, 150, 300, 600],
                ValidValues::List(vec![150, 300, 600]),
            ),
            // A count larger than what follows is not believed.
            (
                WIA_PROP_RW_LIST,
                &[9, 300, 300],
                ValidValues::List(vec![300]),
            ),
            (
                WIA_PROP_RW_LIST,
                &[-1, 300, 300],
                ValidValues::List(vec![300]),
            ),
            (
                WIA_PROP_READ | WIA_PROP_WRITE | WIA_PROP_FLAG,
                &[0x20, 0x24],
                ValidValues::Flags(0x24),
            ),
            (WIA_PROP_READ | WIA_PROP_NONE, &[], ValidValues::Any),
            // A range without its four values.
            (WIA_PROP_RANGE, &[75, 300], ValidValues::Any),
        ];
        for (flags, values, expected) in cases {
            assert_eq!(
                ValidValues::from_attributes(flags, values),
                expected,
                "{values:?}"
            );
        }
    }

    const WIA_PROP_RW_LIST: u32 = WIA_PROP_READ | WIA_PROP_WRITE | WIA_PROP_LIST;

    #[test]
    fn resolutions_from_ranges_are_the_usual_ones_on_their_steps() {
        let range = |min, max, step| ValidValues::Range { min, max, step };
        let cases = [
            (
                range(50, 1200, 1),
                vec![75, 100, 150, 200, 240, 300, 400, 600, 1200],
            ),
            (range(100, 600, 100), vec![100, 200, 300, 400, 600]),
            (range(100, 600, 0), vec![100, 150, 200, 240, 300, 400, 600]),
            (range(50, 60, 1), vec![50, 60]),
            (range(-5, 60, 1), vec![]),
            (
                ValidValues::List(vec![600, 0, 150, 300, 150]),
                vec![150, 300, 600],
            ),
            (ValidValues::Any, vec![]),
        ];
        for (values, expected) in cases {
            assert_eq!(values.resolutions(), expected, "{values:?}");
        }
    }

    #[test]
    fn sources_are_told_by_category() {
        let cases = [
            (WIA_CATEGORY_FLATBED, Some(Source::Flatbed)),
            (WIA_CATEGORY_FEEDER, Some(Source::Feeder)),
            (WIA_CATEGORY_FEEDER_FRONT, None),
            (WIA_CATEGORY_FILM, None),
            (WIA_CATEGORY_AUTO, None),
            (WIA_CATEGORY_ROOT, None),
        ];
        for (category, source) in cases {
            assert_eq!(Source::of_category(category), source, "{category:x}");
        }
    }

    #[test]
    fn feeds_and_resolutions_come_from_the_items() {
        let film = ItemCaps {
            category: WIA_CATEGORY_FILM,
            resolutions: vec![4800],
            ..ItemCaps::default()
        };
        let cases = [
            (vec![flatbed()], vec![Feed::Flatbed]),
            (
                vec![flatbed(), feeder(false)],
                vec![Feed::Flatbed, Feed::Adf],
            ),
            (
                vec![feeder(true), flatbed()],
                vec![Feed::Flatbed, Feed::Adf, Feed::Duplex],
            ),
            (vec![film.clone()], vec![]),
        ];
        for (items, feeds) in cases {
            assert_eq!(offered_feeds(&items), feeds);
        }
        assert_eq!(
            offered_resolutions(&[flatbed(), feeder(true), film]),
            vec![100, 150, 200, 300, 600]
        );
        // Duplex said only by the capabilities (WIA 1.0 drivers) or only by the select flags.
        let by_caps = ItemCaps {
            handling_select: 0,
            ..feeder(true)
        };
        let by_select = ItemCaps {
            handling_capabilities: FEED,
            ..feeder(true)
        };
        assert!(by_caps.duplex() && by_select.duplex());
        assert!(!feeder(false).duplex());
    }

    #[test]
    fn the_item_is_chosen_by_feed() {
        let items = [feeder(false), flatbed()];
        let cases = [
            (Feed::Flatbed, Ok(1)),
            (Feed::Adf, Ok(0)),
            (Feed::Duplex, Err("two-sided scanning")),
        ];
        for (feed, expected) in cases {
            match (choose_item(&items, feed), expected) {
                (Ok(index), Ok(want)) => assert_eq!(index, want),
                (Err(CaptureError::NotSupported(what)), Err(want)) => assert_eq!(what, want),
                (got, want) => panic!("{feed:?}: {got:?}, wanted {want:?}"),
            }
        }
        assert!(matches!(
            choose_item(&[feeder(true)], Feed::Flatbed),
            Err(CaptureError::NotSupported(_))
        ));
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

    /// A bottom-up BMP file: 24-bit when `palette` is empty, else 1 or 8 bits with that palette.
    fn bmp(width: u32, rows: &[Vec<u8>], bits: u16, palette: &[[u8; 3]]) -> Vec<u8> {
        let row_bytes = (width * u32::from(bits)).div_ceil(32) * 4;
        let height = rows.len() as u32;
        let offset = 14 + 40 + 4 * palette.len() as u32;
        let size = offset + row_bytes * height;
        let mut out = Vec::new();
        out.extend_from_slice(b"BM");
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&offset.to_le_bytes());
        out.extend_from_slice(&40u32.to_le_bytes());
        out.extend_from_slice(&width.to_le_bytes());
        out.extend_from_slice(&height.to_le_bytes());
        out.extend_from_slice(&1u16.to_le_bytes());
        out.extend_from_slice(&bits.to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&(row_bytes * height).to_le_bytes());
        out.extend_from_slice(&11811u32.to_le_bytes());
        out.extend_from_slice(&11811u32.to_le_bytes());
        out.extend_from_slice(&(palette.len() as u32).to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        for [r, g, b] in palette {
            out.extend_from_slice(&[*b, *g, *r, 0]);
        }
        for row in rows.iter().rev() {
            let mut line = row.clone();
            line.resize(row_bytes as usize, 0);
            out.extend_from_slice(&line);
        }
        out
    }

    fn decode(page: &ScannedPage) -> image::DynamicImage {
        image::load_from_memory_with_format(&page.bytes, image::ImageFormat::Png).unwrap()
    }

    #[test]
    fn jpeg_and_png_pages_are_kept_as_sent() {
        let jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3];
        let png = b"\x89PNG\r\n\x1a\nrest".to_vec();
        let cases = [(jpeg, ImageFormat::Jpeg), (png, ImageFormat::Png)];
        for (bytes, format) in cases {
            let page = page_from_transfer(bytes.clone(), 300).unwrap();
            assert_eq!(page.format, format);
            assert_eq!(page.bytes, bytes);
            assert_eq!(page.dpi, Some(300));
        }
    }

    #[test]
    fn other_bytes_are_refused() {
        let cases: [&[u8]; 4] = [b"", b"%PDF-1.7", b"II*\0tiff", b"BM not really"];
        for bytes in cases {
            assert!(
                matches!(
                    page_from_transfer(bytes.to_vec(), 300),
                    Err(CaptureError::DeviceFault(_))
                ),
                "{bytes:?}"
            );
        }
    }

    #[test]
    fn a_one_bit_bmp_becomes_a_one_bit_png() {
        // 10 pixels a row; palette 0 black, 1 white; rows: alternate, then all white.
        let rows = vec![vec![0b0101_0101, 0b0100_0000], vec![0xFF, 0xC0]];
        let page =
            page_from_transfer(bmp(10, &rows, 1, &[[0, 0, 0], [255, 255, 255]]), 200).unwrap();
        assert_eq!(page.format, ImageFormat::Png);
        assert_eq!(page.dpi, Some(200));
        assert_eq!(page.bytes[24], 1, "1-bit PNG");
        assert_eq!(page.bytes[25], 0, "grey");
        let grey = decode(&page).to_luma8();
        assert_eq!(grey.dimensions(), (10, 2));
        let first: Vec<u8> = (0..10).map(|x| grey.get_pixel(x, 0).0[0]).collect();
        assert_eq!(first, [0, 255, 0, 255, 0, 255, 0, 255, 0, 255]);
        assert!((0..10).all(|x| grey.get_pixel(x, 1).0[0] == 255));
    }

    #[test]
    fn grey_and_colour_bmps_become_lossless_pngs() {
        let grey_palette: Vec<[u8; 3]> = (0..=255u8).map(|v| [v, v, v]).collect();
        let grey = bmp(3, &[vec![0, 128, 255], vec![7, 8, 9]], 8, &grey_palette);
        let page = page_from_transfer(grey, 300).unwrap();
        assert_eq!(page.bytes[24..26], [8, 0], "8-bit grey PNG");
        let decoded = decode(&page).to_luma8();
        assert_eq!(decoded.as_raw(), &[0, 128, 255, 7, 8, 9]);

        // BMP keeps blue, green, red.
        let colour = bmp(2, &[vec![0, 0, 255, 255, 0, 0]], 24, &[]);
        let page = page_from_transfer(colour, 600).unwrap();
        assert_eq!(page.bytes[24..26], [8, 2], "8-bit RGB PNG");
        let decoded = decode(&page).to_rgb8();
        assert_eq!(decoded.as_raw(), &[255, 0, 0, 0, 0, 255]);
    }

    #[test]
    fn the_png_says_its_resolution() {
        let page = page_from_transfer(bmp(1, &[vec![0, 0, 0]], 24, &[]), 300).unwrap();
        let at = page
            .bytes
            .windows(4)
            .position(|w| w == b"pHYs")
            .expect("a pHYs chunk");
        let per_metre = u32::from_be_bytes(page.bytes[at + 4..at + 8].try_into().unwrap());
        assert_eq!(per_metre, 11811);
        assert_eq!(page.bytes[at + 12], 1, "in metres");
    }

    #[test]
    fn hresults_become_clear_errors() {
        use CaptureError as E;
        type Check = fn(&CaptureError) -> bool;
        let cases: [(i32, Check); 22] = [
            (WIA_ERROR_PAPER_EMPTY, |e| matches!(e, E::FeederEmpty)),
            (
                WIA_ERROR_PAPER_JAM,
                |e| matches!(e, E::DeviceFault(m) if m == "paper jam"),
            ),
            (WIA_ERROR_PAPER_PROBLEM, |e| matches!(e, E::DeviceFault(_))),
            (
                WIA_ERROR_MULTI_FEED,
                |e| matches!(e, E::DeviceFault(m) if m.contains("several")),
            ),
            (
                WIA_ERROR_COVER_OPEN,
                |e| matches!(e, E::DeviceFault(m) if m.contains("cover")),
            ),
            (
                WIA_ERROR_LAMP_OFF,
                |e| matches!(e, E::DeviceFault(m) if m.contains("lamp")),
            ),
            (WIA_ERROR_USER_INTERVENTION, |e| {
                matches!(e, E::DeviceFault(_))
            }),
            (WIA_ERROR_BUSY, |e| matches!(e, E::DeviceBusy)),
            (WIA_ERROR_DEVICE_LOCKED, |e| matches!(e, E::DeviceBusy)),
            (WIA_ERROR_WARMING_UP, |e| matches!(e, E::DeviceBusy)),
            (
                WIA_ERROR_OFFLINE,
                |e| matches!(e, E::DeviceUnavailable(m) if m.contains("offline")),
            ),
            (WIA_ERROR_DEVICE_COMMUNICATION, |e| {
                matches!(e, E::DeviceUnavailable(_))
            }),
            (HRESULT_DEVICE_NOT_CONNECTED, |e| {
                matches!(e, E::DeviceUnavailable(_))
            }),
            (WIA_ERROR_ITEM_DELETED, |e| {
                matches!(e, E::DeviceUnavailable(_))
            }),
            (WIA_S_NO_DEVICE_AVAILABLE, |e| {
                matches!(e, E::DeviceUnavailable(_))
            }),
            (
                REGDB_E_CLASSNOTREG,
                |e| matches!(e, E::DeviceUnavailable(m) if m.contains("not installed")),
            ),
            (
                HRESULT_SERVICE_DISABLED,
                |e| matches!(e, E::DeviceUnavailable(m) if m.contains("service")),
            ),
            (
                RPC_E_DISCONNECTED,
                |e| matches!(e, E::DeviceUnavailable(m) if m.contains("service")),
            ),
            (E_ABORT, |e| matches!(e, E::Cancelled)),
            (WIA_ERROR_INVALID_COMMAND, |e| {
                matches!(e, E::NotSupported(_))
            }),
            (
                WIA_ERROR_EXCEPTION_IN_DRIVER,
                |e| matches!(e, E::DeviceFault(m) if m.contains("0x8021000E")),
            ),
            (
                0x8876_0001_u32 as i32,
                |e| matches!(e, E::DeviceFault(m) if m == "WIA error 0x88760001"),
            ),
        ];
        for (hr, check) in cases {
            let error = error_from_hresult(hr);
            assert!(check(&error), "{}: {error:?}", hex(hr));
        }
    }

    #[test]
    fn refused_values_are_not_supported_by_name() {
        let cases = [E_INVALIDARG, DISP_E_TYPEMISMATCH, E_NOTIMPL];
        for hr in cases {
            assert!(
                matches!(refusal(hr, "600 dpi"), CaptureError::NotSupported(m) if m == "600 dpi")
            );
        }
        assert!(matches!(
            refusal(WIA_ERROR_OFFLINE, "600 dpi"),
            CaptureError::DeviceUnavailable(_)
        ));
    }

    /// A stream as a driver writes it, shared with the test that plays the driver.
    type FakeStream = std::rc::Rc<std::cell::RefCell<Option<Vec<u8>>>>;

    fn fake(bytes: &[u8]) -> FakeStream {
        std::rc::Rc::new(std::cell::RefCell::new(Some(bytes.to_vec())))
    }

    /// Reads a fake stream; `None` in it is a stream that cannot be read.
    fn read(stream: &FakeStream) -> Result<Vec<u8>> {
        stream
            .borrow()
            .clone()
            .ok_or_else(|| CaptureError::DeviceFault("unreadable".into()))
    }

    #[test]
    fn pages_are_taken_as_their_streams_end() {
        let mut delivery = Delivery::default();
        let (first, second) = (fake(b""), fake(b""));
        assert_eq!(delivery.next_stream(first.clone(), read), None);
        first.replace(Some(b"page 1".to_vec()));
        assert_eq!(delivery.end_stream(read), Some(b"page 1".to_vec()));
        assert_eq!(delivery.next_stream(second.clone(), read), None);
        second.replace(Some(b"page 2".to_vec()));
        // The end of the transfer ends the last stream; a second end finds nothing.
        assert_eq!(delivery.end_stream(read), Some(b"page 2".to_vec()));
        assert_eq!(delivery.end_stream(read), None);
        assert!(matches!(delivery.outcome(S_OK, true), Ok(2)));
    }

    #[test]
    fn an_unannounced_end_and_a_late_one_lose_no_page() {
        let mut delivery = Delivery::default();
        let (first, second) = (fake(b"page 1"), fake(b""));
        assert_eq!(delivery.next_stream(first, read), None);
        // The next stream is asked before the first was said to end: the first ends there.
        assert_eq!(
            delivery.next_stream(second.clone(), read),
            Some(b"page 1".to_vec())
        );
        // The first's end message, arriving now, finds the second still empty and keeps it.
        assert_eq!(delivery.end_stream(read), None);
        second.replace(Some(b"page 2".to_vec()));
        assert_eq!(delivery.end_stream(read), Some(b"page 2".to_vec()));
        assert_eq!(delivery.pages, 2);
    }

    #[test]
    fn a_stream_for_a_sheet_that_never_came_is_no_page() {
        let mut delivery = Delivery::default();
        assert_eq!(delivery.next_stream(fake(b"page 1"), read), None);
        assert_eq!(delivery.end_stream(read), Some(b"page 1".to_vec()));
        assert_eq!(delivery.next_stream(fake(b""), read), None);
        assert_eq!(delivery.end_stream(read), None);
        assert!(matches!(
            delivery.outcome(WIA_ERROR_PAPER_EMPTY, true),
            Ok(1)
        ));

        let mut empty = Delivery::default();
        assert_eq!(empty.next_stream(fake(b""), read), None);
        assert_eq!(empty.end_stream(read), None);
        assert!(matches!(
            empty.outcome(WIA_ERROR_PAPER_EMPTY, true),
            Err(CaptureError::FeederEmpty)
        ));
    }

    #[test]
    fn an_unreadable_page_fails_the_transfer() {
        let unreadable: FakeStream = std::rc::Rc::new(std::cell::RefCell::new(None));
        let mut delivery = Delivery::default();
        assert_eq!(delivery.next_stream(unreadable, read), None);
        assert_eq!(delivery.end_stream(read), None);
        assert!(delivery.failure.is_some());
        // Nothing more is taken after it.
        assert_eq!(delivery.next_stream(fake(b"page 2"), read), None);
        assert_eq!(delivery.end_stream(read), None);
        assert!(matches!(
            delivery.outcome(S_OK, true),
            Err(CaptureError::DeviceFault(m)) if m == "unreadable"
        ));
    }

    #[test]
    fn only_failing_device_statuses_are_kept() {
        let mut delivery = Delivery::<FakeStream>::default();
        delivery.device_status(WIA_STATUS_WARMING_UP);
        assert_eq!(delivery.device_status, None);
        delivery.device_status(WIA_ERROR_PAPER_JAM);
        delivery.device_status(WIA_STATUS_END_OF_MEDIA);
        assert_eq!(delivery.device_status, Some(WIA_ERROR_PAPER_JAM));
        assert!(matches!(
            delivery.outcome(E_FAIL, true),
            Err(CaptureError::DeviceFault(m)) if m == "paper jam"
        ));
    }

    #[test]
    fn transfers_end_as_the_feeder_and_the_driver_say() {
        use CaptureError as E;
        type Check = fn(&Result<u32>) -> bool;
        let cases: [(i32, Option<i32>, u32, bool, Check); 12] = [
            // The usual ends.
            (S_OK, None, 1, false, |r| matches!(r, Ok(1))),
            (S_OK, None, 7, true, |r| matches!(r, Ok(7))),
            (WIA_ERROR_PAPER_EMPTY, None, 4, true, |r| matches!(r, Ok(4))),
            // An empty feeder, however it is said.
            (WIA_ERROR_PAPER_EMPTY, None, 0, true, |r| {
                matches!(r, Err(E::FeederEmpty))
            }),
            (S_OK, None, 0, true, |r| matches!(r, Err(E::FeederEmpty))),
            (S_OK, Some(WIA_ERROR_PAPER_EMPTY), 0, true, |r| {
                matches!(r, Err(E::FeederEmpty))
            }),
            (E_FAIL, Some(WIA_ERROR_PAPER_EMPTY), 0, true, |r| {
                matches!(r, Err(E::FeederEmpty))
            }),
            // A jam after some pages is still said.
            (WIA_ERROR_PAPER_JAM, None, 3, true, |r| {
                matches!(r, Err(E::DeviceFault(_)))
            }),
            (
                E_FAIL,
                Some(WIA_ERROR_PAPER_JAM),
                3,
                true,
                |r| matches!(r, Err(E::DeviceFault(m)) if m == "paper jam"),
            ),
            // A passing status does not spoil a good transfer.
            (S_OK, Some(WIA_ERROR_WARMING_UP), 2, true, |r| {
                matches!(r, Ok(2))
            }),
            (S_FALSE, None, 0, false, |r| matches!(r, Err(E::Cancelled))),
            (S_OK, None, 0, false, |r| {
                matches!(r, Err(E::DeviceFault(_)))
            }),
        ];
        for (download, status, pages, feeder, check) in cases {
            let outcome = transfer_outcome(download, status, pages, feeder);
            assert!(
                check(&outcome),
                "{} {status:?} {pages} {feeder}: {outcome:?}",
                hex(download)
            );
        }
    }
}
