//! The window's state and its pure reducer. No JavaScript, no IPC: every transition is a plain
//! function, unit-tested natively.

pub mod admin;
pub mod digitise;
mod intake;
mod shortcuts;
pub mod supervise;

use std::rc::Rc;

use hoso_model::calendar::WorkingCalendar;
use hoso_model::ipc::{Notice, Startup};
use hoso_model::unit::Unit;
use hoso_model::{ApiError, Dossier, Language, Procedure, Text};
use yew::Reducible;

pub use intake::Intake;
pub use shortcuts::shortcut;

/// The state every component reads and dispatches to.
pub type DeskContext = yew::UseReducerHandle<DeskState>;

/// The screens of the navigation bar, in its order (Alt+1 … Alt+6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Intake,
    Digitise,
    Dossiers,
    Sync,
    Supervise,
    Settings,
}

impl Page {
    pub const ALL: [Page; 6] = [
        Page::Intake,
        Page::Digitise,
        Page::Dossiers,
        Page::Sync,
        Page::Supervise,
        Page::Settings,
    ];

    pub fn label(self) -> Text {
        match self {
            Page::Intake => Text::NavIntake,
            Page::Digitise => Text::NavDigitise,
            Page::Dossiers => Text::NavDossiers,
            Page::Sync => Text::NavSync,
            Page::Supervise => Text::NavSupervise,
            Page::Settings => Text::NavSettings,
        }
    }

    /// A stable name for element ids (`nav-intake`, `page-intake`), used by tests too.
    pub fn slug(self) -> &'static str {
        match self {
            Page::Intake => "intake",
            Page::Digitise => "digitise",
            Page::Dossiers => "dossiers",
            Page::Sync => "sync",
            Page::Supervise => "supervise",
            Page::Settings => "settings",
        }
    }

    /// 1-based position in the navigation bar, the digit of its shortcut.
    pub fn number(self) -> usize {
        Page::ALL
            .iter()
            .position(|p| *p == self)
            .expect("every page is in ALL")
            + 1
    }
}

/// Everything the window shows.
#[derive(Debug, Clone, PartialEq)]
pub struct DeskState {
    /// Still waiting for the shell's first answer.
    pub loading: bool,
    /// The desk could not be opened; the window shows only this.
    pub fatal: Option<ApiError>,
    pub page: Page,
    pub language: Language,
    pub procedures: Vec<Procedure>,
    pub dossiers: Vec<Dossier>,
    pub notice: Option<Notice>,
    pub online: bool,
    /// The receiving unit, once set up.
    pub unit: Option<Unit>,
    /// The dossier (code or id) open on the dossiers page, if any.
    pub open_dossier: Option<String>,
    /// The dossier the scan station opens on (code or id): the one last chosen there, saved
    /// at intake, or viewed, whichever came last.
    pub digitise_dossier: Option<String>,
    /// Where the scan station's pages go (`"1"`… a component, `"result"`, `"stack"`), once
    /// chosen.
    pub digitise_target: Option<String>,
    /// The intake form's draft and the dossier it saved last.
    pub intake: Intake,
    /// The working calendar, for showing due dates before saving.
    pub calendar: Option<std::sync::Arc<WorkingCalendar>>,
}

impl Default for DeskState {
    fn default() -> Self {
        DeskState {
            loading: true,
            fatal: None,
            page: Page::Intake,
            language: Language::default(),
            procedures: Vec::new(),
            dossiers: Vec::new(),
            notice: None,
            online: true,
            unit: None,
            open_dossier: None,
            digitise_dossier: None,
            digitise_target: None,
            intake: Intake::default(),
            calendar: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Loaded {
        startup: Startup,
        procedures: Vec<Procedure>,
        dossiers: Vec<Dossier>,
    },
    LoadFailed(ApiError),
    Navigate(Page),
    LanguageChanged(Language),
    DossierSaved(Dossier),
    Network {
        online: bool,
    },
    DismissNotice,
    UnitSaved(Unit),
    /// Shows one dossier's page (by code or id); `None` goes back to the list.
    OpenDossier(Option<String>),
    /// A dossier changed (a lifecycle action): its row is replaced.
    DossierUpdated(Dossier),
    /// Opens the scan station on a dossier (code or id).
    Digitise(Option<String>),
    /// The scan station turned to another dossier (code or id), staying on its screen.
    DigitiseChose(Option<String>),
    /// The scan station's pages go elsewhere (a component's number, `result`, `stack`).
    DigitiseTarget(String),
    /// What the intake form holds now.
    Draft(hoso_model::NewDossier),
    /// The receipt of the dossier saved last is being printed.
    ReceiptPrinting,
    /// The receipt was printed (where it was saved), or could not be.
    ReceiptPrinted(Result<hoso_model::ipc::FormSaved, ApiError>),
}

impl DeskState {
    /// The pure transition function.
    pub fn apply(mut self, action: Action) -> DeskState {
        match action {
            Action::Loaded {
                startup,
                procedures,
                dossiers,
            } => {
                self.loading = false;
                self.language = startup.settings.language;
                self.notice = startup.notice;
                self.unit = startup.unit;
                self.calendar = Some(std::sync::Arc::new(WorkingCalendar::new(startup.calendar)));
                self.procedures = procedures;
                self.dossiers = dossiers;
            }
            Action::LoadFailed(err) => {
                self.loading = false;
                self.fatal = Some(err);
            }
            Action::Navigate(page) => {
                self.page = page;
                self.open_dossier = None;
            }
            Action::LanguageChanged(language) => self.language = language,
            Action::DossierSaved(dossier) => {
                self.digitise_dossier = Some(dossier.key());
                self.intake = self.intake.saved(dossier.clone());
                // Newest first, as the store lists them; a repeated save never shows twice.
                self.dossiers.retain(|d| d.id != dossier.id);
                self.dossiers.insert(0, dossier);
            }
            Action::Draft(draft) => self.intake.draft = draft,
            Action::ReceiptPrinting => {
                self.intake.printing = true;
                self.intake.printed = None;
            }
            Action::ReceiptPrinted(result) => {
                self.intake.printing = false;
                self.intake.printed = Some(result);
            }
            Action::DigitiseChose(key) => self.digitise_dossier = key,
            Action::DigitiseTarget(target) => self.digitise_target = Some(target),
            Action::Network { online } => self.online = online,
            Action::DismissNotice => self.notice = None,
            Action::UnitSaved(unit) => self.unit = Some(unit),
            Action::OpenDossier(key) => {
                self.page = Page::Dossiers;
                if key.is_some() {
                    self.digitise_dossier = key.clone();
                }
                self.open_dossier = key;
            }
            Action::Digitise(key) => {
                self.page = Page::Digitise;
                self.digitise_dossier = key;
            }
            Action::DossierUpdated(dossier) => {
                if let Some(row) = self.dossiers.iter_mut().find(|d| d.id == dossier.id) {
                    *row = dossier;
                }
            }
        }
        self
    }

    /// The official name of a procedure, or its code when the catalogue does not know it.
    pub fn procedure_name<'a>(&'a self, code: &'a str) -> &'a str {
        self.procedures
            .iter()
            .find(|p| p.code == code)
            .map_or(code, |p| p.name.as_str())
    }
}

impl Reducible for DeskState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new((*self).clone().apply(action))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hoso_model::{DossierId, Settings};

    fn dossier(id: &str) -> Dossier {
        Dossier {
            id: DossierId(id.into()),
            procedure_code: "1.001193".into(),
            applicant_name: "Nguyễn Văn Đức".into(),
            received_at: "2026-03-05T02:00:00Z".parse().unwrap(),
            code: None,
            status: hoso_model::lifecycle::Status::Received,
            due_at: None,
            id_number: None,
            phone: None,
            address: None,
            email: None,
            channel: hoso_model::Channel::Direct,
        }
    }

    fn loaded(language: Language) -> DeskState {
        DeskState::default().apply(Action::Loaded {
            startup: Startup {
                settings: Settings { language },
                notice: None,
                unit: None,
                calendar: hoso_model::calendar::CalendarRules {
                    version: "test".into(),
                    holidays: vec![],
                    notices: vec![],
                },
            },
            procedures: vec![Procedure {
                code: "1.001193".into(),
                name: "Đăng ký khai sinh".into(),
                field: "Hộ tịch".into(),
                ..Default::default()
            }],
            dossiers: vec![dossier("old")],
        })
    }

    #[test]
    fn the_window_starts_loading_in_vietnamese_on_the_intake_page() {
        let state = DeskState::default();
        assert!(state.loading);
        assert_eq!((state.page, state.language), (Page::Intake, Language::Vi));
    }

    #[test]
    fn loading_takes_the_remembered_language_and_the_stored_dossiers() {
        let state = loaded(Language::En);
        assert!(!state.loading);
        assert_eq!(state.language, Language::En);
        assert_eq!(state.dossiers, vec![dossier("old")]);
    }

    #[test]
    fn a_failed_start_shows_only_the_error() {
        let err = ApiError::new(hoso_model::ErrorCode::Storage, "too new");
        let state = DeskState::default().apply(Action::LoadFailed(err.clone()));
        assert!(!state.loading);
        assert_eq!(state.fatal, Some(err));
    }

    #[test]
    fn a_saved_dossier_goes_first_and_never_appears_twice() {
        let state = loaded(Language::Vi).apply(Action::DossierSaved(dossier("new")));
        assert_eq!(state.dossiers, vec![dossier("new"), dossier("old")]);
        let again = state.apply(Action::DossierSaved(dossier("new")));
        assert_eq!(again.dossiers.len(), 2);
    }

    #[test]
    fn a_procedure_is_shown_by_name_or_else_by_code() {
        let state = loaded(Language::Vi);
        assert_eq!(state.procedure_name("1.001193"), "Đăng ký khai sinh");
        assert_eq!(state.procedure_name("9.999999"), "9.999999");
    }

    #[test]
    fn a_changed_dossier_replaces_its_row_and_opening_one_shows_the_dossiers_page() {
        let mut changed = dossier("old");
        changed.status = hoso_model::lifecycle::Status::Processing;
        let state = loaded(Language::Vi).apply(Action::DossierUpdated(changed.clone()));
        assert_eq!(state.dossiers, vec![changed]);
        let state = state.apply(Action::OpenDossier(Some("old".into())));
        assert_eq!(
            (state.page, state.open_dossier.as_deref()),
            (Page::Dossiers, Some("old"))
        );
        let state = state.apply(Action::Navigate(Page::Intake));
        assert_eq!(
            state.open_dossier, None,
            "leaving the page closes the dossier"
        );
    }

    #[test]
    fn pages_are_numbered_in_navigation_order() {
        let numbers: Vec<usize> = Page::ALL.iter().map(|p| p.number()).collect();
        assert_eq!(numbers, vec![1, 2, 3, 4, 5, 6]);
        assert_eq!(Page::Settings.slug(), "settings");
    }

    #[test]
    fn the_scan_station_opens_on_the_dossier_saved_or_viewed_last() {
        let mut saved = dossier("new");
        saved.code = Some("H25.123-261207-0001".into());
        let state = loaded(Language::Vi).apply(Action::DossierSaved(saved));
        assert_eq!(
            state.digitise_dossier.as_deref(),
            Some("H25.123-261207-0001")
        );
        let state = state
            .apply(Action::OpenDossier(Some("old".into())))
            .apply(Action::Navigate(Page::Digitise));
        assert_eq!(state.digitise_dossier.as_deref(), Some("old"));
        let state = state.apply(Action::OpenDossier(None));
        assert_eq!(
            state.digitise_dossier.as_deref(),
            Some("old"),
            "going back to the list forgets nothing"
        );
        let state = state
            .apply(Action::DigitiseTarget("result".into()))
            .apply(Action::Navigate(Page::Intake))
            .apply(Action::Navigate(Page::Digitise));
        assert_eq!(state.digitise_target.as_deref(), Some("result"));
    }

    #[test]
    fn the_intake_draft_outlives_a_change_of_screen_and_a_save_keeps_only_the_procedure() {
        let draft = hoso_model::NewDossier {
            procedure_code: "1.001193".into(),
            applicant_name: "Trần Thị Bình".into(),
            phone: "0912345678".into(),
            ..Default::default()
        };
        let state = loaded(Language::Vi)
            .apply(Action::Draft(draft.clone()))
            .apply(Action::Navigate(Page::Digitise))
            .apply(Action::Navigate(Page::Intake));
        assert_eq!(state.intake.draft, draft);
        let state = state
            .apply(Action::ReceiptPrinting)
            .apply(Action::DossierSaved(dossier("new")));
        assert_eq!(state.intake.draft.procedure_code, "1.001193");
        assert_eq!(state.intake.draft.applicant_name, "");
        assert_eq!(state.intake.draft.phone, "");
        assert_eq!(
            state.intake.saved.as_ref().map(|d| d.id.0.as_str()),
            Some("new")
        );
        assert!(!state.intake.printing && state.intake.printed.is_none());
    }
}
