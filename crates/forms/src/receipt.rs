//! Mẫu số 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Circular 01/2018, renumbered 2025), A5.

use hoso_model::calendar::due::TimeLimit;
use hoso_model::time::to_local;
use hoso_model::unit::Unit;
use hoso_model::{Dossier, Procedure};
use jiff::civil::DateTime;
use krilla::Document;
use krilla::metadata::Metadata;
use krilla::page::PageSettings;

use crate::Error;
use crate::sheet::{Fonts, Sheet};

/// A5 portrait, in points.
const WIDTH: f32 = 419.5;
const HEIGHT: f32 = 595.3;
const MARGIN: f32 = 34.0;

/// Everything the receipt prints.
pub struct ReceiptData<'a> {
    pub unit: &'a Unit,
    pub dossier: &'a Dossier,
    pub procedure: &'a Procedure,
    /// Người tiếp nhận: the full name of the officer who received the dossier, printed under
    /// their signature ("" leaves the line to be written by hand).
    pub officer: &'a str,
}

fn hour_minute_date(at: DateTime) -> String {
    format!(
        "{:02} giờ {:02} phút, ngày {}",
        at.hour(),
        at.minute(),
        at.strftime("%d/%m/%Y")
    )
}

fn time_limit(procedure: &Procedure) -> String {
    let after_cut = procedure
        .due
        .next_day_after
        .map(|t| {
            format!(
                " (tiếp nhận sau {} giờ thì trả trong ngày làm việc tiếp theo)",
                t.hour()
            )
        })
        .unwrap_or_default();
    match procedure.due.limit {
        TimeLimit::None => "Không quy định".to_owned(),
        TimeLimit::SameDay => format!("Trong ngày{after_cut}"),
        TimeLimit::WorkingDays { days } => format!("{days:02} ngày làm việc"),
        TimeLimit::WorkingHours { hours } => format!("{hours:02} giờ làm việc"),
        TimeLimit::CalendarDays { days } => format!("{days:02} ngày"),
    }
}

/// Renders the receipt of one dossier.
pub fn receipt(data: &ReceiptData<'_>) -> Result<Vec<u8>, Error> {
    let fonts = Fonts::load()?;
    let d = data.dossier;
    let code = d.code.clone().unwrap_or_else(|| d.id.0.clone());
    let received = to_local(d.received_at);
    let right = WIDTH - MARGIN;
    let text_width = right - MARGIN;

    let mut document = Document::new();
    let settings =
        PageSettings::from_wh(WIDTH, HEIGHT).ok_or_else(|| Error::Pdf("page size".into()))?;
    let mut page = document.start_page_with(settings);
    {
        let mut s = Sheet {
            surface: page.surface(),
            fonts: &fonts,
        };
        let mut y = s.heading(data.unit, &code, received.date(), WIDTH, MARGIN);
        y += 24.0;
        s.centred(
            WIDTH / 2.0,
            y,
            11.0,
            true,
            "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        );
        y += 14.0;
        s.centred(WIDTH / 2.0, y, 9.0, true, &format!("Mã hồ sơ: {code}"));
        // The QR code of the dossier code, top right, for filing scans and looking it up.
        s.qr(right - 58.0, y + 4.0, 58.0, &code)?;

        y += 20.0;
        let mut c = s.column(MARGIN, y, text_width - 62.0, 9.0);
        c.para(&format!("{} tiếp nhận hồ sơ của:", data.unit.name))
            .para(&format!("Ông/bà: {}", d.applicant_name))
            .para(&format!("Địa chỉ: {}", d.address.as_deref().unwrap_or("")))
            .width(text_width)
            .para(&format!(
                "Số điện thoại: {}    Email: {}",
                d.phone.as_deref().unwrap_or(""),
                d.email.as_deref().unwrap_or("")
            ))
            .para(&format!(
                "Nội dung yêu cầu giải quyết: {} (mã thủ tục {})",
                data.procedure.name, data.procedure.code
            ))
            .bold("1. Thành phần hồ sơ nộp gồm:");
        for (i, comp) in data
            .procedure
            .components
            .iter()
            .filter(|c| !c.show_only)
            .enumerate()
        {
            let counts = format!(
                "bản chính: {:02}, bản sao: {:02}",
                comp.originals, comp.copies
            );
            c.indented(10.0, &format!("{}. {} ({counts})", i + 1, comp.name));
        }
        let due = d
            .due_at
            .map(|t| hour_minute_date(to_local(t)))
            .unwrap_or_else(|| "không quy định".to_owned());
        c.para("2. Số lượng hồ sơ: 01 bộ")
            .para(&format!(
                "3. Thời gian giải quyết hồ sơ theo quy định: {}",
                time_limit(data.procedure)
            ))
            .para(&format!(
                "4. Thời gian nhận hồ sơ: {}",
                hour_minute_date(received)
            ))
            .bold(&format!("5. Thời gian trả kết quả giải quyết hồ sơ: {due}"))
            .para(&format!("6. Đăng ký nhận kết quả tại: {}", data.unit.name))
            .para(&format!(
                "7. Phí, lệ phí: {}",
                data.procedure.fee.describe()
            ))
            .para("Vào Sổ theo dõi hồ sơ, Quyển số: ……, Số thứ tự: ……");
        let mut y = c.y;

        // Signatures.
        y += 12.0;
        s.centred(MARGIN + 80.0, y, 8.5, true, "NGƯỜI NỘP HỒ SƠ");
        s.centred(right - 80.0, y, 8.5, true, "NGƯỜI TIẾP NHẬN HỒ SƠ");
        s.centred(MARGIN + 80.0, y + 11.0, 7.5, false, "(Ký và ghi rõ họ tên)");
        s.centred(right - 80.0, y + 11.0, 7.5, false, "(Ký và ghi rõ họ tên)");
        s.centred(MARGIN + 80.0, y + 70.0, 8.5, false, &d.applicant_name);
        s.centred(right - 80.0, y + 70.0, 8.5, false, data.officer);
        s.surface.finish();
    }
    page.finish();
    document.set_metadata(
        Metadata::new()
            .title(format!("Giấy tiếp nhận hồ sơ {code}"))
            .creator("Hồ Sơ Số".to_owned())
            .language("vi".to_owned()),
    );
    document.finish().map_err(|e| Error::Pdf(format!("{e:?}")))
}
