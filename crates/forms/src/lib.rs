//! Biểu mẫu: the official forms of the one-stop centre, rendered to PDF with no network and an
//! embedded font that covers Vietnamese.
//!
//! - [`receipt`]: form 01, Giấy tiếp nhận hồ sơ và hẹn trả kết quả (A5), with a QR code of the
//!   dossier code.
//! - [`notice`]: forms 02 (request to supplement) and 03 (refusal), A5.
//! - [`tracking_book`]: form 07, Sổ theo dõi hồ sơ of a period (A4 landscape).
//!
//! Each form takes plain `hoso-model` data and returns the PDF's bytes; the desk decides where
//! they go (a file, the print dialog).

mod book;
mod notice;
mod receipt;
mod sheet;

pub use book::{BookData, BookRow, tracking_book};
pub use notice::{NoticeData, NoticeKind, notice};
pub use receipt::{ReceiptData, receipt};

/// The regular face of Be Vietnam Pro (SIL Open Font License), for other PDFs the desk writes
/// (the archive's invisible text layer).
pub const REGULAR_FONT: &[u8] = sheet::REGULAR;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the embedded font could not be read")]
    Font,
    #[error("the QR code could not be made")]
    Qr,
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
}
