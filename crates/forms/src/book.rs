//! Mẫu số 07: Sổ theo dõi hồ sơ, the tracking book of a period, A4 landscape, one row per
//! dossier received, with the dates of every hand-over.

use hoso_model::Dossier;
use hoso_model::time::to_local;
use hoso_model::unit::Unit;
use jiff::Timestamp;
use jiff::civil::Date;
use krilla::Document;
use krilla::metadata::Metadata;
use krilla::page::PageSettings;

use crate::Error;
use crate::sheet::{Fonts, Sheet, wrap};

const WIDTH: f32 = 841.9;
const HEIGHT: f32 = 595.3;
const MARGIN: f32 = 28.0;
const SIZE: f32 = 6.5;
const LINE: f32 = SIZE * 1.35;

/// One dossier's line in the book.
pub struct BookRow<'a> {
    pub dossier: &'a Dossier,
    pub procedure_name: &'a str,
    /// Ngày chuyển xử lý, ngày có kết quả, ngày trả kết quả.
    pub transferred_at: Option<Timestamp>,
    pub resolved_at: Option<Timestamp>,
    pub returned_at: Option<Timestamp>,
}

pub struct BookData<'a> {
    pub unit: &'a Unit,
    pub from: Date,
    pub to: Date,
    pub rows: Vec<BookRow<'a>>,
}

/// (heading, width in points)
const COLUMNS: [(&str, f32); 13] = [
    ("STT", 22.0),
    ("Mã hồ sơ", 92.0),
    ("Tên thủ tục", 112.0),
    ("Số bộ", 24.0),
    ("Tên tổ chức, cá nhân", 82.0),
    ("Địa chỉ, số điện thoại", 100.0),
    ("Cơ quan chủ trì giải quyết", 62.0),
    ("Ngày nhận hồ sơ", 48.0),
    ("Ngày hẹn trả", 48.0),
    ("Ngày chuyển hồ sơ", 48.0),
    ("Ngày có kết quả", 48.0),
    ("Ngày trả kết quả", 48.0),
    ("Ký nhận / Ghi chú", 52.0),
];

fn date(at: Option<Timestamp>) -> String {
    at.map(|t| to_local(t).strftime("%d/%m/%Y %H:%M").to_string())
        .unwrap_or_default()
}

/// Renders the book; an empty period still gives a page with the headings.
pub fn tracking_book(data: &BookData<'_>) -> Result<Vec<u8>, Error> {
    let fonts = Fonts::load()?;
    let mut document = Document::new();
    let settings =
        PageSettings::from_wh(WIDTH, HEIGHT).ok_or_else(|| Error::Pdf("page size".into()))?;
    let cells: Vec<[String; 13]> = data
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let d = r.dossier;
            let contact = [d.address.as_deref(), d.phone.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("; ");
            [
                (i + 1).to_string(),
                d.code.clone().unwrap_or_else(|| d.id.0.clone()),
                r.procedure_name.to_owned(),
                "01".to_owned(),
                d.applicant_name.clone(),
                contact,
                data.unit.name.clone(),
                date(Some(d.received_at)),
                date(d.due_at),
                date(r.transferred_at),
                date(r.resolved_at),
                date(r.returned_at),
                String::new(),
            ]
        })
        .collect();
    let mut rows = cells.iter().peekable();
    let mut page_number = 0;
    loop {
        page_number += 1;
        let mut page = document.start_page_with(settings.clone());
        {
            let mut s = Sheet {
                surface: page.surface(),
                fonts: &fonts,
            };
            let mut y = MARGIN + 10.0;
            if page_number == 1 {
                s.text(MARGIN, y, 8.0, true, &data.unit.name.to_uppercase());
                y += 18.0;
                s.centred(WIDTH / 2.0, y, 12.0, true, "SỔ THEO DÕI HỒ SƠ");
                y += 14.0;
                let period = format!(
                    "Từ ngày {} đến ngày {}",
                    data.from.strftime("%d/%m/%Y"),
                    data.to.strftime("%d/%m/%Y")
                );
                s.centred(WIDTH / 2.0, y, 9.0, false, &period);
                y += 16.0;
            }
            y = row(&mut s, y, &COLUMNS.map(|(h, _)| h.to_owned()), true);
            while let Some(cells) = rows.peek() {
                if y + row_height(&fonts, cells, false) > HEIGHT - MARGIN {
                    break;
                }
                y = row(&mut s, y, cells, false);
                rows.next();
            }
            s.text(
                WIDTH - MARGIN - 40.0,
                HEIGHT - MARGIN / 2.0,
                7.0,
                false,
                &format!("Trang {page_number}"),
            );
            s.surface.finish();
        }
        page.finish();
        if rows.peek().is_none() {
            break;
        }
    }
    let title = format!("Sổ theo dõi hồ sơ {} – {}", data.from, data.to);
    document.set_metadata(
        Metadata::new()
            .title(title)
            .creator("Hồ Sơ Số".to_owned())
            .language("vi".to_owned()),
    );
    document.finish().map_err(|e| Error::Pdf(format!("{e:?}")))
}

fn row_height(fonts: &Fonts, cells: &[String; 13], bold: bool) -> f32 {
    let lines = cells
        .iter()
        .zip(COLUMNS)
        .map(|(text, (_, width))| wrap(fonts, text, width - 4.0, SIZE, bold).len())
        .max()
        .unwrap_or(1);
    lines as f32 * LINE + 4.0
}

/// Draws one row of cells with rules above and below; returns the y below it.
fn row(s: &mut Sheet<'_, '_>, y: f32, cells: &[String; 13], bold: bool) -> f32 {
    let height = row_height(s.fonts, cells, bold);
    let mut x = MARGIN;
    s.rule(MARGIN, WIDTH - MARGIN, y);
    for (text, (_, width)) in cells.iter().zip(COLUMNS) {
        let mut line_y = y + LINE;
        for line in wrap(s.fonts, text, width - 4.0, SIZE, bold) {
            s.text(x + 2.0, line_y, SIZE, bold, &line);
            line_y += LINE;
        }
        x += width;
    }
    s.rule(MARGIN, WIDTH - MARGIN, y + height);
    y + height
}
