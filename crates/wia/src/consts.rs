//! The WIA numbers this crate uses, named as in Microsoft's WIA documentation and headers
//! (`wiadef.h`, `wia_lh.h`, `sti.h`). GUIDs are written as the 128-bit numbers of their
//! canonical form, so they can be compared and tested without Windows.
#![allow(non_upper_case_globals)]

/// A GUID as its 128-bit number: `fb607b1f-43f3-488b-855b-fb703ec342a6` is
/// `0xfb607b1f_43f3_488b_855b_fb703ec342a6`.
pub type Guid = u128;

// ---------------------------------------------------------------------------------------------
// Device information properties (`IWiaDevMgr2::EnumDeviceInfo`).

/// The device's unique id, what `IWiaDevMgr2::CreateDevice` takes (`VT_BSTR`).
pub const WIA_DIP_DEV_ID: u32 = 2;
/// The manufacturer (`VT_BSTR`).
pub const WIA_DIP_VEND_DESC: u32 = 3;
/// The device type (`VT_I4`): its STI major type in the high word.
pub const WIA_DIP_DEV_TYPE: u32 = 5;
/// The name people know the device by (`VT_BSTR`).
pub const WIA_DIP_DEV_NAME: u32 = 7;

/// `EnumDeviceInfo` flag: only the devices attached to this computer.
pub const WIA_DEVINFO_ENUM_LOCAL: i32 = 0x10;

/// STI major device types (`GET_STIDEVICE_TYPE`, the high word of `WIA_DIP_DEV_TYPE`).
pub const StiDeviceTypeScanner: i32 = 1;
pub const StiDeviceTypeDigitalCamera: i32 = 2;
pub const StiDeviceTypeStreamingVideo: i32 = 3;

// ---------------------------------------------------------------------------------------------
// Item properties.

/// The lowest property id, passed to `IWiaPropertyStorage::WriteMultiple`.
pub const WIA_IPA_FIRST: u32 = 4098;
/// The item's data type: colour, grey, threshold (`VT_I4`).
pub const WIA_IPA_DATATYPE: u32 = 4103;
/// Bits per pixel (`VT_I4`).
pub const WIA_IPA_DEPTH: u32 = 4104;
/// The transfer format (`VT_CLSID`, one of the `WiaImgFmt_*`).
pub const WIA_IPA_FORMAT: u32 = 4106;
/// The item's category (`VT_CLSID`, one of the `WIA_CATEGORY_*`).
pub const WIA_IPA_ITEM_CATEGORY: u32 = 4125;

/// The document handling capabilities of a feeder (`VT_I4`, flags). WIA 1.0 drivers keep it
/// on the root item as `WIA_DPS_DOCUMENT_HANDLING_CAPABILITIES`, under the same id.
pub const WIA_IPS_DOCUMENT_HANDLING_CAPABILITIES: u32 = 3086;
/// The document handling status (`VT_I4`, flags).
pub const WIA_IPS_DOCUMENT_HANDLING_STATUS: u32 = 3087;
/// Source and mode: front only or duplex on a WIA 2.0 feeder item (`VT_I4`, flags).
pub const WIA_IPS_DOCUMENT_HANDLING_SELECT: u32 = 3088;
/// How many pages a feeder scan takes; 0 ([`ALL_PAGES`]) for all (`VT_I4`).
pub const WIA_IPS_PAGES: u32 = 3096;
/// The scan intent: colour, grey or text, which sets data type and depth together (`VT_I4`).
pub const WIA_IPS_CUR_INTENT: u32 = 6146;
/// Horizontal resolution, dots per inch (`VT_I4`).
pub const WIA_IPS_XRES: u32 = 6147;
/// Vertical resolution, dots per inch (`VT_I4`).
pub const WIA_IPS_YRES: u32 = 6148;

// WIA_IPA_DATATYPE values.
/// Black and white (one bit, thresholded).
pub const WIA_DATA_THRESHOLD: i32 = 0;
pub const WIA_DATA_DITHER: i32 = 1;
pub const WIA_DATA_GRAYSCALE: i32 = 2;
pub const WIA_DATA_COLOR: i32 = 3;

// WIA_IPS_CUR_INTENT values.
pub const WIA_INTENT_IMAGE_TYPE_COLOR: i32 = 0x1;
pub const WIA_INTENT_IMAGE_TYPE_GRAYSCALE: i32 = 0x2;
pub const WIA_INTENT_IMAGE_TYPE_TEXT: i32 = 0x4;

// WIA_IPS_DOCUMENT_HANDLING_CAPABILITIES flags.
/// A document feeder is installed.
pub const FEED: u32 = 0x01;
/// There is a flatbed.
pub const FLAT: u32 = 0x02;
/// There is a duplexer.
pub const DUP: u32 = 0x04;

// WIA_IPS_DOCUMENT_HANDLING_SELECT flags. `FEEDER` and `FLATBED` select the source on WIA 1.0
// root items; WIA 2.0 selects it by item and takes only the side flags on the feeder item.
pub const FEEDER: u32 = 0x001;
pub const FLATBED: u32 = 0x002;
pub const DUPLEX: u32 = 0x004;
pub const FRONT_ONLY: u32 = 0x020;

// WIA_IPS_DOCUMENT_HANDLING_STATUS flags.
/// The feeder has paper.
pub const FEED_READY: u32 = 0x01;

/// WIA_IPS_PAGES: every page in the feeder.
pub const ALL_PAGES: i32 = 0;

// Attribute flags from `IWiaPropertyStorage::GetPropertyAttributes`, saying how the valid
// values are given.
pub const WIA_PROP_READ: u32 = 0x01;
pub const WIA_PROP_WRITE: u32 = 0x02;
pub const WIA_PROP_NONE: u32 = 0x08;
pub const WIA_PROP_RANGE: u32 = 0x10;
pub const WIA_PROP_LIST: u32 = 0x20;
pub const WIA_PROP_FLAG: u32 = 0x40;

// Positions in the valid-values vector of a range, a list and a flag property.
pub const WIA_RANGE_MIN: usize = 0;
pub const WIA_RANGE_NOM: usize = 1;
pub const WIA_RANGE_MAX: usize = 2;
pub const WIA_RANGE_STEP: usize = 3;
pub const WIA_LIST_COUNT: usize = 0;
pub const WIA_LIST_NOM: usize = 1;
pub const WIA_LIST_VALUES: usize = 2;
pub const WIA_FLAG_NOM: usize = 0;
pub const WIA_FLAG_VALUES: usize = 1;

// ---------------------------------------------------------------------------------------------
// Item categories (WIA 2.0 Item Category GUIDs).

pub const WIA_CATEGORY_ROOT: Guid = 0xf193526f_59b8_4a26_9888_e16e4f97ce10;
pub const WIA_CATEGORY_FLATBED: Guid = 0xfb607b1f_43f3_488b_855b_fb703ec342a6;
pub const WIA_CATEGORY_FEEDER: Guid = 0xfe131934_f84c_42ad_8da4_6129cddd7288;
pub const WIA_CATEGORY_FEEDER_FRONT: Guid = 0x4823175c_3b28_487b_a7e6_eebc17614fd1;
pub const WIA_CATEGORY_FEEDER_BACK: Guid = 0x61ca74d4_39db_42aa_89b1_8c19c9cd4c23;
pub const WIA_CATEGORY_FILM: Guid = 0xfcf65be7_3ce3_4473_af85_f5d37d21b68a;
pub const WIA_CATEGORY_AUTO: Guid = 0xdefe5fd8_6c97_4dde_b11e_cb509b270e11;

// ---------------------------------------------------------------------------------------------
// Image formats (WIA_IPA_FORMAT).

pub const WiaImgFmt_BMP: Guid = 0xb96b3cab_0728_11d3_9d7b_0000f81ef32e;
pub const WiaImgFmt_MEMORYBMP: Guid = 0xb96b3caa_0728_11d3_9d7b_0000f81ef32e;
pub const WiaImgFmt_JPEG: Guid = 0xb96b3cae_0728_11d3_9d7b_0000f81ef32e;
pub const WiaImgFmt_PNG: Guid = 0xb96b3caf_0728_11d3_9d7b_0000f81ef32e;
pub const WiaImgFmt_TIFF: Guid = 0xb96b3cb1_0728_11d3_9d7b_0000f81ef32e;

/// `TYMED_FILE`: the medium of the formats a stream transfer (`IWiaTransfer`) delivers.
pub const TYMED_FILE: i32 = 2;

// ---------------------------------------------------------------------------------------------
// Transfers (`IWiaTransferCallback::TransferCallback`, `WiaTransferParams::lMessage`).

pub const WIA_TRANSFER_MSG_STATUS: i32 = 0x1;
pub const WIA_TRANSFER_MSG_END_OF_STREAM: i32 = 0x2;
pub const WIA_TRANSFER_MSG_END_OF_TRANSFER: i32 = 0x3;
pub const WIA_TRANSFER_MSG_DEVICE_STATUS: i32 = 0x5;
pub const WIA_TRANSFER_MSG_NEW_PAGE: i32 = 0x6;

// ---------------------------------------------------------------------------------------------
// HRESULTs.

/// Writes a failure code as an `HRESULT`, which is signed.
const fn failure(code: u32) -> i32 {
    code as i32
}

pub const WIA_ERROR_GENERAL_ERROR: i32 = failure(0x8021_0001);
pub const WIA_ERROR_PAPER_JAM: i32 = failure(0x8021_0002);
pub const WIA_ERROR_PAPER_EMPTY: i32 = failure(0x8021_0003);
pub const WIA_ERROR_PAPER_PROBLEM: i32 = failure(0x8021_0004);
pub const WIA_ERROR_OFFLINE: i32 = failure(0x8021_0005);
pub const WIA_ERROR_BUSY: i32 = failure(0x8021_0006);
pub const WIA_ERROR_WARMING_UP: i32 = failure(0x8021_0007);
pub const WIA_ERROR_USER_INTERVENTION: i32 = failure(0x8021_0008);
pub const WIA_ERROR_ITEM_DELETED: i32 = failure(0x8021_0009);
pub const WIA_ERROR_DEVICE_COMMUNICATION: i32 = failure(0x8021_000A);
pub const WIA_ERROR_INVALID_COMMAND: i32 = failure(0x8021_000B);
pub const WIA_ERROR_INCORRECT_HARDWARE_SETTING: i32 = failure(0x8021_000C);
pub const WIA_ERROR_DEVICE_LOCKED: i32 = failure(0x8021_000D);
pub const WIA_ERROR_EXCEPTION_IN_DRIVER: i32 = failure(0x8021_000E);
pub const WIA_ERROR_INVALID_DRIVER_RESPONSE: i32 = failure(0x8021_000F);
pub const WIA_ERROR_COVER_OPEN: i32 = failure(0x8021_0010);
pub const WIA_ERROR_LAMP_OFF: i32 = failure(0x8021_0011);
pub const WIA_ERROR_DESTINATION: i32 = failure(0x8021_0012);
pub const WIA_ERROR_NETWORK_RESERVATION_FAILED: i32 = failure(0x8021_0013);
pub const WIA_ERROR_MULTI_FEED: i32 = failure(0x8021_0014);
/// Shares its value with `WIA_ERROR_MAXIMUM_PRINTER_ENDORSER_COUNTER`; the desk never uses an
/// endorser, so the code is read as this one.
pub const WIA_S_NO_DEVICE_AVAILABLE: i32 = failure(0x8021_0015);

/// Informational device statuses (success codes) sent with `WIA_TRANSFER_MSG_DEVICE_STATUS`.
pub const WIA_STATUS_END_OF_MEDIA: i32 = 0x0021_0001;
pub const WIA_STATUS_WARMING_UP: i32 = 0x0021_0002;

// General COM codes met on the way.
pub const S_OK: i32 = 0;
pub const S_FALSE: i32 = 1;
pub const E_NOTIMPL: i32 = failure(0x8000_4001);
pub const E_ABORT: i32 = failure(0x8000_4004);
pub const E_FAIL: i32 = failure(0x8000_4005);
pub const E_ACCESSDENIED: i32 = failure(0x8007_0005);
pub const E_OUTOFMEMORY: i32 = failure(0x8007_000E);
pub const E_INVALIDARG: i32 = failure(0x8007_0057);
pub const DISP_E_TYPEMISMATCH: i32 = failure(0x8002_0005);
pub const REGDB_E_CLASSNOTREG: i32 = failure(0x8004_0154);
pub const CO_E_SERVER_EXEC_FAILURE: i32 = failure(0x8008_0005);
/// `HRESULT_FROM_WIN32(ERROR_SERVICE_DISABLED)`.
pub const HRESULT_SERVICE_DISABLED: i32 = failure(0x8007_0422);
/// `HRESULT_FROM_WIN32(ERROR_NOT_READY)`.
pub const HRESULT_NOT_READY: i32 = failure(0x8007_0015);
/// `HRESULT_FROM_WIN32(ERROR_GEN_FAILURE)`: a device that stopped answering.
pub const HRESULT_GEN_FAILURE: i32 = failure(0x8007_001F);
/// `HRESULT_FROM_WIN32(ERROR_DEVICE_NOT_CONNECTED)`.
pub const HRESULT_DEVICE_NOT_CONNECTED: i32 = failure(0x8007_048F);
/// `HRESULT_FROM_WIN32(RPC_S_SERVER_UNAVAILABLE)`: the WIA service went away.
pub const RPC_S_SERVER_UNAVAILABLE: i32 = failure(0x8007_06BA);
/// The object's server went away (the WIA service restarted).
pub const RPC_E_DISCONNECTED: i32 = failure(0x8001_0108);
