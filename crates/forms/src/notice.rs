//! Mẫu số 02 (Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ) and 03 (Phiếu từ chối tiếp nhận giải
//! quyết hồ sơ): a letter to the applicant with the officer's reason, A5.

use hoso_model::time::to_local;
use hoso_model::unit::Unit;
use hoso_model::{Dossier, Procedure};
use jiff::Timestamp;
use krilla::Document;
use krilla::metadata::Metadata;
use krilla::page::PageSettings;

use crate::Error;
use crate::sheet::{Fonts, Sheet};

const WIDTH: f32 = 419.5;
const HEIGHT: f32 = 595.3;
const MARGIN: f32 = 34.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    /// Mẫu 02: the dossier needs more documents or corrections.
    Supplement,
    /// Mẫu 03: the dossier is refused.
    Refusal,
}

pub struct NoticeData<'a> {
    pub unit: &'a Unit,
    pub dossier: &'a Dossier,
    pub procedure: &'a Procedure,
    pub kind: NoticeKind,
    /// The officer's words: what to add, or why it is refused.
    pub reason: &'a str,
    /// When the request or refusal was made.
    pub at: Timestamp,
}

/// Renders a request to supplement or a refusal.
pub fn notice(data: &NoticeData<'_>) -> Result<Vec<u8>, Error> {
    let fonts = Fonts::load()?;
    let d = data.dossier;
    let code = d.code.clone().unwrap_or_else(|| d.id.0.clone());
    let at = to_local(data.at);
    let text_width = WIDTH - 2.0 * MARGIN;
    let (title, lead, signer) = match data.kind {
        NoticeKind::Supplement => (
            "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
            "Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:",
            "NGƯỜI HƯỚNG DẪN",
        ),
        NoticeKind::Refusal => (
            "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
            "Hồ sơ không đủ điều kiện tiếp nhận, giải quyết vì lý do sau:",
            "NGƯỜI TIẾP NHẬN HỒ SƠ",
        ),
    };

    let mut document = Document::new();
    let settings =
        PageSettings::from_wh(WIDTH, HEIGHT).ok_or_else(|| Error::Pdf("page size".into()))?;
    let mut page = document.start_page_with(settings);
    {
        let mut s = Sheet {
            surface: page.surface(),
            fonts: &fonts,
        };
        let mut y = s.heading(data.unit, &code, at.date(), WIDTH, MARGIN) + 24.0;
        s.centred(WIDTH / 2.0, y, 11.0, true, title);
        y += 14.0;
        s.centred(WIDTH / 2.0, y, 9.0, true, &format!("Mã hồ sơ: {code}"));
        y += 20.0;
        let mut c = s.column(MARGIN, y, text_width, 9.0);
        c.para(&format!("{} tiếp nhận hồ sơ của:", data.unit.name))
            .para(&format!("Ông/bà: {}", d.applicant_name))
            .para(&format!(
                "Nội dung yêu cầu giải quyết: {} (mã thủ tục {})",
                data.procedure.name, data.procedure.code
            ))
            .bold(lead);
        for line in data.reason.lines().filter(|l| !l.trim().is_empty()) {
            c.indented(10.0, &format!("- {}", line.trim()));
        }
        if data.kind == NoticeKind::Supplement {
            c.para("Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, ông/bà liên hệ bộ phận tiếp nhận để được hướng dẫn.");
        }
        c.para("Xin trân trọng thông báo!");
        let mut y = c.y;
        y += 12.0;
        s.centred(WIDTH - MARGIN - 80.0, y, 8.5, true, signer);
        s.centred(
            WIDTH - MARGIN - 80.0,
            y + 11.0,
            7.5,
            false,
            "(Ký và ghi rõ họ tên)",
        );
        s.surface.finish();
    }
    page.finish();
    document.set_metadata(
        Metadata::new()
            .title(format!("{title} {code}"))
            .creator("Hồ Sơ Số".to_owned())
            .language("vi".to_owned()),
    );
    document.finish().map_err(|e| Error::Pdf(format!("{e:?}")))
}
