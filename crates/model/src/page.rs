//! Số hóa: the pages of a dossier, where they belong (a component of the procedure, or the
//! results), what the fast look at them found, and the flags a supervisor reviews. Pure data and
//! rules; the desk keeps the bytes.

use serde::{Deserialize, Serialize};

/// Where a page belongs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Target {
    /// Thành phần hồ sơ number `n` (from 1, in the procedure's order).
    Component { n: u16 },
    /// Kết quả: a result document, with the number it was issued under when known.
    Result {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        code: Option<String>,
    },
}

/// How far text recognition has come for a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OcrState {
    Pending,
    Done,
    Failed,
    /// Not needed: a page of an imported PDF keeps its own text.
    None,
}

impl OcrState {
    pub fn name(self) -> &'static str {
        match self {
            OcrState::Pending => "pending",
            OcrState::Done => "done",
            OcrState::Failed => "failed",
            OcrState::None => "none",
        }
    }

    pub fn from_name(name: &str) -> Option<OcrState> {
        [
            OcrState::Pending,
            OcrState::Done,
            OcrState::Failed,
            OcrState::None,
        ]
        .into_iter()
        .find(|s| s.name() == name)
    }
}

/// A quality flag on a page, for the officer now and the supervisor later. Flags inform; the
/// officer decides.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "flag", rename_all = "snake_case")]
pub enum PageFlag {
    /// Almost no ink: a blank side, usually the back of a page.
    Blank,
    /// Scanned under 200 dpi.
    LowResolution { dpi: u32 },
    /// Grey or black and white where the original carries a stamp in colour.
    GreyForColour,
    /// The same file is already a page (here or in another dossier).
    Duplicate { of_dossier: String, of_page: String },
    /// A page that looks the same is already there (rescanned, or copied twice).
    LooksLike { of_dossier: String, of_page: String },
}

/// One page, as the scan station shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageInfo {
    pub id: String,
    pub target: Target,
    /// From 1 within its component (or among the results).
    pub position: u32,
    pub width: u32,
    pub height: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpi: Option<u32>,
    /// Clockwise degrees: 0, 90, 180, 270.
    pub rotation: u16,
    /// The measured skew, degrees clockwise.
    pub skew: f32,
    pub media_type: String,
    pub source_name: String,
    pub ocr: OcrState,
    pub flags: Vec<PageFlag>,
    /// On the second image of a sheet (its sticky note lifted, or the note itself): the page
    /// it belongs to. It shares that page's position and counts as no page of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note_of: Option<String>,
}

/// A component of the dossier and what it holds so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComponentState {
    pub n: u16,
    pub name: String,
    pub required: bool,
    pub show_only: bool,
    pub pages: u32,
    /// Pages the officer counted at the counter, if declared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared_pages: Option<u32>,
    /// Ticked on the checklist: by the officer, or by itself when a page arrives.
    pub checked: bool,
}

impl ComponentState {
    /// A required component with nothing scanned (show-only documents need no scan).
    pub fn missing(&self) -> bool {
        self.required && !self.show_only && self.pages == 0
    }

    /// The officer counted a different number of pages than were scanned.
    pub fn count_differs(&self) -> bool {
        self.declared_pages.is_some_and(|d| d != self.pages)
    }
}

/// A dossier's digitisation at a glance: its components, their pages and the results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Digitisation {
    pub components: Vec<ComponentState>,
    pub pages: Vec<PageInfo>,
    /// Pages still waiting for text recognition, on the whole desk.
    pub ocr_waiting: u32,
}

impl Digitisation {
    /// Every required component has at least one page.
    pub fn complete(&self) -> bool {
        !self.components.iter().any(ComponentState::missing)
    }
}

/// What a QR code on a scanned sheet asks for, when a stack is fed with cover sheets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sheet {
    /// A receipt or cover sheet: the pages after it belong to this dossier code, from its first
    /// component. The sheet itself is not kept.
    Cover { code: String },
    /// A separator: the pages after it belong to the next component (or to component `n`).
    Separator { component: Option<u16> },
    /// An ordinary page.
    Page,
}

/// The text of a separator sheet's QR code (`HOSO:TACH` or `HOSO:TACH:3`).
pub const SEPARATOR_PREFIX: &str = "HOSO:TACH";

/// Reads a page's QR code: a dossier code is a cover, `HOSO:TACH[:n]` a separator.
pub fn sheet_of(qr: Option<&str>) -> Sheet {
    let Some(text) = qr.map(str::trim) else {
        return Sheet::Page;
    };
    if let Some(rest) = text.strip_prefix(SEPARATOR_PREFIX) {
        let component = rest.strip_prefix(':').and_then(|n| n.parse().ok());
        if rest.is_empty() || component.is_some() {
            return Sheet::Separator { component };
        }
    }
    if crate::unit::is_dossier_code(text) {
        Sheet::Cover {
            code: text.to_owned(),
        }
    } else {
        Sheet::Page
    }
}

/// Files a stack of scanned sheets: which dossier and component each page goes to, given the
/// QR codes read on them. Pages before the first cover go to the starting target, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filing {
    /// The dossier code and component the next page goes to.
    pub current: Option<(String, u16)>,
}

/// What to do with one scanned sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filed {
    /// Keep the page in this dossier's component.
    Keep { code: String, component: u16 },
    /// A cover or separator: switch, and do not keep the sheet.
    Switch,
    /// No dossier known yet for this page (the stack did not start with a cover).
    Unfiled,
}

impl Filing {
    pub fn starting_at(current: Option<(String, u16)>) -> Filing {
        Filing { current }
    }

    /// Files the next sheet.
    pub fn file(&mut self, qr: Option<&str>) -> Filed {
        match sheet_of(qr) {
            Sheet::Cover { code } => {
                self.current = Some((code, 1));
                Filed::Switch
            }
            Sheet::Separator { component } => {
                if let Some((_, n)) = self.current.as_mut() {
                    *n = component.unwrap_or(*n + 1);
                }
                Filed::Switch
            }
            Sheet::Page => match &self.current {
                Some((code, n)) => Filed::Keep {
                    code: code.clone(),
                    component: *n,
                },
                None => Filed::Unfiled,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stack_of_two_dossiers_with_a_separator_is_filed_page_by_page() {
        let mut filing = Filing::starting_at(None);
        let stack = [
            Some("H25.123-260302-0001"),
            None,
            None,
            Some("HOSO:TACH"),
            None,
            Some("H25.123-260302-0002"),
            None,
            Some("HOSO:TACH:3"),
            None,
        ];
        let filed: Vec<Filed> = stack.iter().map(|qr| filing.file(*qr)).collect();
        let keep = |code: &str, component| Filed::Keep {
            code: code.into(),
            component,
        };
        assert_eq!(
            filed,
            vec![
                Filed::Switch,
                keep("H25.123-260302-0001", 1),
                keep("H25.123-260302-0001", 1),
                Filed::Switch,
                keep("H25.123-260302-0001", 2),
                Filed::Switch,
                keep("H25.123-260302-0002", 1),
                Filed::Switch,
                keep("H25.123-260302-0002", 3),
            ]
        );
    }

    #[test]
    fn pages_before_any_cover_are_unfiled_and_other_qr_codes_are_pages() {
        let mut filing = Filing::starting_at(None);
        assert_eq!(filing.file(None), Filed::Unfiled);
        assert_eq!(sheet_of(Some("https://dichvucong.gov.vn")), Sheet::Page);
        assert_eq!(sheet_of(Some("HOSO:TACHX")), Sheet::Page);
    }

    #[test]
    fn components_report_missing_and_miscounted_pages() {
        let c = ComponentState {
            n: 1,
            name: "Tờ khai".into(),
            required: true,
            show_only: false,
            pages: 0,
            declared_pages: Some(2),
            checked: false,
        };
        assert!(c.missing() && c.count_differs());
        let shown = ComponentState {
            show_only: true,
            ..c.clone()
        };
        assert!(!shown.missing());
    }
}
