//! Texts with a number, a name or a path in them.

use super::Language;

/// A size in bytes as people read it: `850 B`, `12 kB`, `3,4 MB` (Vietnamese writes a decimal
/// comma), `1.2 GB` in English.
pub fn size(lang: Language, bytes: u64) -> String {
    let (value, unit) = match bytes {
        0..1_000 => return format!("{bytes} B"),
        1_000..1_000_000 => (bytes as f64 / 1e3, "kB"),
        1_000_000..1_000_000_000 => (bytes as f64 / 1e6, "MB"),
        _ => (bytes as f64 / 1e9, "GB"),
    };
    let text = if value < 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.0}")
    };
    let text = if lang == Language::Vi {
        text.replace('.', ",")
    } else {
        text
    };
    format!("{text} {unit}")
}

/// "Đã lưu kho dữ liệu cũ…": said once at start-up when an unreadable database was moved aside.
pub fn moved_aside_notice(lang: Language, kept_at: &str) -> String {
    match lang {
        Language::Vi => format!(
            "Tệp dữ liệu trên máy bị hỏng nên đã được cất nguyên vẹn sang {kept_at} và một kho mới được tạo. Hãy báo cho bộ phận CNTT; không có gì bị xoá."
        ),
        Language::En => format!(
            "The local data file was damaged, so it was kept untouched at {kept_at} and a new store was created. Please tell IT staff; nothing was deleted."
        ),
    }
}

/// Said once at start-up when a damaged database (a page that failed its check) was set aside:
/// where it is kept, and the way back (the latest backup, then what the hub holds).
pub fn damaged_notice(lang: Language, kept_at: &str) -> String {
    match lang {
        Language::Vi => format!(
            "Tệp dữ liệu trên máy bị hỏng (thường do lỗi ổ đĩa) nên đã được cất nguyên vẹn sang {kept_at}; máy đã mở một kho trống. Hãy khôi phục bản sao lưu gần nhất (lệnh `hoso restore`, hoặc \"Khôi phục\" trên cửa sổ) rồi đồng bộ với máy chủ để lấy lại những gì máy chủ đang giữ. Không có gì bị xoá; hãy báo cho bộ phận CNTT."
        ),
        Language::En => format!(
            "The data file on this desk was damaged (usually a disk fault), so it was set aside untouched at {kept_at} and the desk opened empty. Restore the latest backup (`hoso restore`, or \"Restore\" in the window), then sync with the hub to bring back what it holds. Nothing was deleted; please tell IT staff."
        ),
    }
}

/// Where a form was saved, and whether it was opened for printing.
pub fn form_saved(lang: Language, path: &str, opened: bool) -> String {
    match (lang, opened) {
        (Language::Vi, true) => format!("Đã lưu và mở để in: {path}"),
        (Language::Vi, false) => format!("Đã lưu: {path} — mở tệp này để in."),
        (Language::En, true) => format!("Saved and opened for printing: {path}"),
        (Language::En, false) => format!("Saved: {path} — open it to print."),
    }
}

/// A form saved and handed to the system's print dialog.
pub fn form_printed(lang: Language, path: &str) -> String {
    match lang {
        Language::Vi => format!("Đã lưu {path} và mở hộp thoại in."),
        Language::En => format!("Saved {path} and opened the print dialog."),
    }
}

/// "12 hồ sơ": a count of dossiers.
pub fn dossier_count(lang: Language, n: usize) -> String {
    match lang {
        Language::Vi => format!("{n} hồ sơ trên máy"),
        Language::En if n == 1 => "1 dossier on this desk".to_owned(),
        Language::En => format!("{n} dossiers on this desk"),
    }
}

/// "3 trang đang chờ nhận dạng chữ".
pub fn ocr_waiting(lang: Language, pages: u32) -> String {
    match lang {
        Language::Vi => format!("Đang nhận dạng chữ: {pages} trang chờ"),
        Language::En => format!("Recognising text: {pages} pages waiting"),
    }
}

/// "Đã quét 3 trang vào H25.123-260302-0001".
pub fn scan_done(lang: Language, pages: u32, dossiers: &[String]) -> String {
    match lang {
        Language::Vi => format!("Đã quét {pages} trang vào {}", dossiers.join(", ")),
        Language::En => format!("Scanned {pages} pages into {}", dossiers.join(", ")),
    }
}

/// "Đã xoá trang 3.": a page set aside, which can still be brought back.
pub fn page_deleted(lang: Language, position: u32) -> String {
    match lang {
        Language::Vi => format!("Đã xoá trang {position}."),
        Language::En => format!("Page {position} deleted."),
    }
}

/// The question asked before an action that ends a dossier for good.
pub fn confirm_event(lang: Language, event: crate::lifecycle::EventKind) -> String {
    let label = super::event_label(lang, event);
    match lang {
        Language::Vi => format!(
            "Xác nhận \u{201c}{label}\u{201d}? Việc này không làm lại được. Ghi lý do vào ô Lý do rồi bấm xác nhận."
        ),
        Language::En => format!(
            "Confirm \u{201c}{label}\u{201d}? This cannot be undone. Write the reason in the Reason box, then confirm."
        ),
    }
}
