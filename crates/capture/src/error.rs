//! What can go wrong while capturing or reading a page. Messages are short English details for
//! logs; the desk shows the officer a localised text chosen by the variant. No variant carries
//! personal data (file contents, OCR text): at most a file name the officer chose.

pub type Result<T, E = CaptureError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    /// The bytes are not an image or PDF kind the desk takes (a text file named `.jpg`…).
    #[error("not a JPEG, PNG, TIFF or PDF file")]
    Unsupported,
    /// The file is empty.
    #[error("the file is empty")]
    Empty,
    /// The file starts as a known kind but cannot be read to its end.
    #[error("the file is damaged: {0}")]
    Corrupt(String),
    /// Larger than the desk accepts (bytes, pixels or pages); nothing was read past the limit.
    #[error("the file is too large: {0}")]
    TooLarge(String),
    /// The scanner is not there (unplugged, switched off, wrong address).
    #[error("the scanner cannot be reached: {0}")]
    DeviceUnavailable(String),
    /// The scanner is busy with another job; try again in a moment.
    #[error("the scanner is busy")]
    DeviceBusy,
    /// The feeder has no paper (before the first page).
    #[error("the document feeder is empty")]
    FeederEmpty,
    /// A paper jam, an open cover, or another fault the officer must clear at the device.
    #[error("the scanner reported a fault: {0}")]
    DeviceFault(String),
    /// The scanner does not offer what was asked (a feeder on a flatbed-only device…).
    #[error("the scanner does not support {0}")]
    NotSupported(String),
    /// The scan was cancelled by the officer.
    #[error("the scan was cancelled")]
    Cancelled,
    /// Text recognition could not run (language data missing…).
    #[error("text recognition failed: {0}")]
    Ocr(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}
