//! Báo cáo: the backlog and the indicators as CSV (UTF-8 with a byte-order mark, so Excel reads
//! the Vietnamese right) and as a spreadsheet (XLSX, with `rust_xlsxwriter`). Pure: model data
//! in, bytes out; the desk checks the role, writes the file and audits it.

use hoso_model::Language;
use hoso_model::i18n::{indicator_label, pick, queue_label};
use hoso_model::supervision::{Backlog, IndicatorSet, Indicators};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::Error;

/// Which kind of file a report is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Csv,
    Xlsx,
}

impl ReportFormat {
    pub fn name(self) -> &'static str {
        match self {
            ReportFormat::Csv => "csv",
            ReportFormat::Xlsx => "xlsx",
        }
    }

    /// From a file name's extension (`.csv`, `.xlsx`).
    pub fn from_path(path: &std::path::Path) -> Option<ReportFormat> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "csv" => Some(ReportFormat::Csv),
            "xlsx" => Some(ReportFormat::Xlsx),
            _ => None,
        }
    }
}

/// A cell: words, or a number the spreadsheet can add up.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<u64> for Cell {
    fn from(n: u64) -> Cell {
        Cell::Number(n as f64)
    }
}

impl From<Option<f64>> for Cell {
    fn from(n: Option<f64>) -> Cell {
        n.map_or(Cell::Empty, |v| Cell::Number((v * 10.0).round() / 10.0))
    }
}

impl Cell {
    fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Number(n) => format!("{n}"),
            Cell::Empty => String::new(),
        }
    }
}

type Rows = Vec<Vec<Cell>>;

fn backlog_rows(backlog: &Backlog, lang: Language) -> Rows {
    let mut rows = vec![vec![
        pick(lang, "Mã hàng đợi", "Queue").into(),
        pick(lang, "Hàng đợi", "Name").into(),
        pick(lang, "Số hồ sơ", "Dossiers").into(),
    ]];
    for q in &backlog.queues {
        rows.push(vec![
            q.queue.name().into(),
            queue_label(lang, q.queue).into(),
            q.count.into(),
        ]);
    }
    rows
}

fn indicator_rows(indicators: &Indicators, lang: Language) -> Rows {
    let mut rows = vec![vec![
        pick(lang, "Nhóm", "Set").into(),
        pick(lang, "Chỉ số", "Indicator").into(),
        pick(lang, "Tên", "Name").into(),
        pick(lang, "Đạt", "Met").into(),
        pick(lang, "Được tính", "Counted").into(),
        pick(lang, "Tỷ lệ (%)", "Rate (%)").into(),
        pick(lang, "Điểm", "Points").into(),
        pick(lang, "Điểm tối đa", "Max points").into(),
    ]];
    let sets = std::iter::once(&indicators.unit).chain(&indicators.by);
    for set in sets {
        for i in &set.indicators {
            rows.push(vec![
                set_name(set, lang).into(),
                i.code.number().into(),
                indicator_label(lang, i.code).into(),
                i.met.into(),
                i.counted.into(),
                i.rate.into(),
                i.points.into(),
                i.max_points.into(),
            ]);
        }
    }
    rows
}

fn set_name(set: &IndicatorSet, lang: Language) -> String {
    if set.key.is_empty() {
        pick(lang, "Toàn đơn vị", "Whole unit").into()
    } else {
        set.key.clone()
    }
}

fn week_rows(indicators: &Indicators, lang: Language) -> Rows {
    let mut rows = vec![vec![
        pick(lang, "Tuần từ", "Week of").into(),
        pick(lang, "Tiếp nhận", "Received").into(),
        pick(lang, "Đúng hạn", "On time").into(),
        pick(lang, "Trễ hạn", "Late").into(),
    ]];
    for w in &indicators.weeks {
        rows.push(vec![
            w.start.to_string().into(),
            w.received.into(),
            w.on_time.into(),
            w.late.into(),
        ]);
    }
    rows
}

/// The dossiers each indicator counted, and whether each met it.
fn dossier_rows(indicators: &Indicators, lang: Language) -> Rows {
    let mut rows = vec![vec![
        pick(lang, "Chỉ số", "Indicator").into(),
        pick(lang, "Mã hồ sơ", "Dossier code").into(),
        pick(lang, "Đạt", "Met").into(),
    ]];
    for i in &indicators.unit.indicators {
        let missed: std::collections::HashSet<&String> = i.missed_codes.iter().collect();
        for code in &i.counted_codes {
            let met = if missed.contains(code) {
                pick(lang, "Không", "No")
            } else {
                pick(lang, "Có", "Yes")
            };
            rows.push(vec![
                i.code.number().into(),
                code.as_str().into(),
                met.into(),
            ]);
        }
    }
    rows
}

fn csv(rows: &[Vec<Cell>]) -> Result<Vec<u8>, Error> {
    let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    for row in rows {
        out.write_record(row.iter().map(Cell::text))
            .map_err(|e| Error::Report(format!("csv: {e}")))?;
    }
    out.into_inner()
        .map_err(|e| Error::Report(format!("csv: {e}")))
}

/// The backlog's queues and counts as CSV.
pub fn backlog_csv(backlog: &Backlog, lang: Language) -> Result<Vec<u8>, Error> {
    csv(&backlog_rows(backlog, lang))
}

/// The indicators (the unit's, then each officer's or procedure's) as CSV.
pub fn indicators_csv(indicators: &Indicators, lang: Language) -> Result<Vec<u8>, Error> {
    csv(&indicator_rows(indicators, lang))
}

/// A spreadsheet: the backlog (when given), the indicators, the weeks and the dossiers counted,
/// one sheet each. Counts and rates are written as numbers.
pub fn xlsx(
    backlog: Option<&Backlog>,
    indicators: Option<&Indicators>,
    lang: Language,
) -> Result<Vec<u8>, Error> {
    let fail = |e: XlsxError| Error::Report(format!("xlsx: {e}"));
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = |name: &str, rows: Rows, book: &mut Workbook| {
        let sheet = book.add_worksheet();
        sheet.set_name(name)?;
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    Cell::Text(t) if r == 0 => {
                        sheet.write_with_format(r, c, t.as_str(), &bold)?;
                    }
                    Cell::Text(t) => {
                        sheet.write(r, c, t.as_str())?;
                    }
                    Cell::Number(n) => {
                        sheet.write(r, c, *n)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
        sheet.autofit();
        Ok::<_, XlsxError>(())
    };
    if let Some(backlog) = backlog {
        sheet(
            pick(lang, "Tồn đọng", "Backlog"),
            backlog_rows(backlog, lang),
            &mut book,
        )
        .map_err(fail)?;
    }
    if let Some(indicators) = indicators {
        sheet(
            pick(lang, "Chỉ số", "Indicators"),
            indicator_rows(indicators, lang),
            &mut book,
        )
        .map_err(fail)?;
        sheet(
            pick(lang, "Theo tuần", "Weeks"),
            week_rows(indicators, lang),
            &mut book,
        )
        .map_err(fail)?;
        sheet(
            pick(lang, "Hồ sơ được tính", "Dossiers counted"),
            dossier_rows(indicators, lang),
            &mut book,
        )
        .map_err(fail)?;
    }
    book.save_to_buffer().map_err(fail)
}
