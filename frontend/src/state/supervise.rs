//! The Giám sát page's state and its pure reducer: the backlog's filter and counts, the queue
//! open and its dossiers, the dossier under review, the indicators' period; and the small pure
//! rules the page draws with (reading the filter and period fields, numbers as people read
//! them, the weekly chart's geometry). No JavaScript, no IPC: unit-tested natively.

use std::rc::Rc;

use hoso_model::ipc::FormSaved;
use hoso_model::supervision::{
    Backlog, BacklogFilter, Breakdown, Indicators, Period, Queue, QueueItem, ReviewDecision, Week,
};
use hoso_model::{ApiError, Field, Language};
use jiff::civil::Date;
use yew::Reducible;

/// What the page shows and what it last asked the shell for.
#[derive(Debug, Clone, PartialEq)]
pub struct Supervision {
    /// Applied to the counts and to the list alike.
    pub filter: BacklogFilter,
    /// The counts for [`Supervision::filter`], once the shell answered.
    pub backlog: Option<Backlog>,
    /// The queue whose dossiers are listed, if one was opened.
    pub queue: Option<Queue>,
    /// The dossiers of [`Supervision::queue`] under [`Supervision::filter`], once loaded.
    pub items: Option<Vec<QueueItem>>,
    /// The dossier (code or id) on the review page, if one is open.
    pub reviewing: Option<String>,
    pub period: Period,
    pub breakdown: Option<Breakdown>,
    /// The indicators of [`Supervision::period`] broken down by [`Supervision::breakdown`].
    pub indicators: Option<Indicators>,
    /// The spreadsheet saved last, for the period shown.
    pub report: Option<FormSaved>,
    /// What was just done, said once above the list.
    pub done: Option<Done>,
    pub error: Option<ApiError>,
    /// Raised after every decision, so the counts and the list are asked for again.
    pub refresh: u32,
}

/// What the supervisor (or the officer) just did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Done {
    Decided {
        dossier: String,
        decision: ReviewDecision,
    },
    ApprovedAll(u32),
}

#[derive(Debug, Clone, PartialEq)]
pub enum SuperviseAction {
    /// A new filter: counts and list are asked for again.
    Filter(BacklogFilter),
    BacklogLoaded(Backlog),
    /// Lists one queue's dossiers; `None` closes the list.
    OpenQueue(Option<Queue>),
    /// The dossiers of `queue` under `filter` (dropped if the page asks for another by now).
    QueueLoaded {
        queue: Queue,
        filter: BacklogFilter,
        items: Vec<QueueItem>,
    },
    /// Opens the review page of a dossier; `None` goes back to the list.
    Review(Option<String>),
    /// A decision was recorded: back to the list, counts refreshed.
    Decided {
        dossier: String,
        decision: ReviewDecision,
    },
    ApprovedAll(u32),
    Period(Period),
    Breakdown(Option<Breakdown>),
    /// The indicators asked for with `period` and `breakdown` (dropped if those changed since).
    IndicatorsLoaded {
        period: Period,
        breakdown: Option<Breakdown>,
        indicators: Indicators,
    },
    ReportSaved(FormSaved),
    Failed(ApiError),
}

impl Supervision {
    /// The supervisor's page on `today`: every queue counted, the indicators of this month.
    pub fn new(today: Date) -> Supervision {
        Supervision {
            filter: BacklogFilter::default(),
            backlog: None,
            queue: None,
            items: None,
            reviewing: None,
            period: month_of(today),
            breakdown: None,
            indicators: None,
            report: None,
            done: None,
            error: None,
            refresh: 0,
        }
    }

    /// An officer's page: only the dossiers returned to them for rework.
    pub fn returned(today: Date) -> Supervision {
        Supervision {
            queue: Some(Queue::Rework),
            ..Supervision::new(today)
        }
    }

    pub fn apply(mut self, action: SuperviseAction) -> Supervision {
        match action {
            SuperviseAction::Filter(filter) => {
                if filter != self.filter {
                    self.filter = filter;
                    self.items = None;
                }
                self.error = None;
                self.done = None;
            }
            SuperviseAction::BacklogLoaded(backlog) => {
                if backlog.filter == self.filter {
                    self.backlog = Some(backlog);
                }
            }
            SuperviseAction::OpenQueue(queue) => {
                if queue != self.queue {
                    self.items = None;
                }
                self.queue = queue;
                self.reviewing = None;
                self.done = None;
                self.error = None;
            }
            SuperviseAction::QueueLoaded {
                queue,
                filter,
                items,
            } => {
                if Some(queue) == self.queue && filter == self.filter {
                    self.items = Some(items);
                }
            }
            SuperviseAction::Review(key) => {
                self.reviewing = key;
                self.error = None;
                self.done = None;
            }
            SuperviseAction::Decided { dossier, decision } => {
                self.reviewing = None;
                self.error = None;
                self.done = Some(Done::Decided { dossier, decision });
                self.refresh += 1;
            }
            SuperviseAction::ApprovedAll(n) => {
                self.error = None;
                self.done = Some(Done::ApprovedAll(n));
                self.refresh += 1;
            }
            SuperviseAction::Period(period) => {
                if period != self.period {
                    self.period = period;
                    self.indicators = None;
                    self.report = None;
                }
                self.error = None;
            }
            SuperviseAction::Breakdown(breakdown) => {
                if breakdown != self.breakdown {
                    self.breakdown = breakdown;
                    self.indicators = None;
                }
            }
            SuperviseAction::IndicatorsLoaded {
                period,
                breakdown,
                indicators,
            } => {
                if period == self.period && breakdown == self.breakdown {
                    self.indicators = Some(indicators);
                }
            }
            SuperviseAction::ReportSaved(saved) => {
                self.report = Some(saved);
                self.error = None;
            }
            SuperviseAction::Failed(err) => self.error = Some(err),
        }
        self
    }

    /// The codes (or ids) of the dossiers listed, for "approve all listed".
    pub fn listed_keys(&self) -> Vec<String> {
        self.items
            .iter()
            .flatten()
            .map(|item| item.dossier.key())
            .collect()
    }
}

impl Reducible for Supervision {
    type Action = SuperviseAction;

    fn reduce(self: Rc<Self>, action: SuperviseAction) -> Rc<Self> {
        Rc::new((*self).clone().apply(action))
    }
}

/// The calendar month `day` is in.
pub fn month_of(day: Date) -> Period {
    Period {
        from: day.first_of_month(),
        to: day.last_of_month(),
    }
}

fn date_error() -> ApiError {
    ApiError::validation(Field::Date, "unreadable date or dates in the wrong order")
}

fn optional_day(text: &str) -> Result<Option<Date>, ApiError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    hoso_model::time::parse_day(text)
        .map(Some)
        .ok_or_else(date_error)
}

fn optional_text(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// The backlog filter from its fields as typed (empty fields filter nothing; days day first,
/// `01/03/2026`, as [`hoso_model::time::parse_day`] reads them).
pub fn filter_from(
    officer: &str,
    procedure: &str,
    from: &str,
    to: &str,
) -> Result<BacklogFilter, ApiError> {
    let (from, to) = (optional_day(from)?, optional_day(to)?);
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        return Err(date_error());
    }
    Ok(BacklogFilter {
        officer: optional_text(officer),
        procedure: optional_text(procedure),
        from,
        to,
    })
}

/// The indicators' period from its two fields; both are needed, in order.
pub fn period_from(from: &str, to: &str) -> Result<Period, ApiError> {
    match (optional_day(from)?, optional_day(to)?) {
        (Some(from), Some(to)) if from <= to => Ok(Period { from, to }),
        _ => Err(date_error()),
    }
}

/// A number with at most one decimal, a decimal comma in Vietnamese: `87,5`, `8`.
pub fn number(lang: Language, value: f64) -> String {
    let text = format!("{value:.1}");
    let text = text.strip_suffix(".0").unwrap_or(&text).to_owned();
    if lang == Language::Vi {
        text.replace('.', ",")
    } else {
        text
    }
}

/// A rate in percent, or a dash when nothing was counted.
pub fn percent(lang: Language, rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_owned(), |r| format!("{}%", number(lang, r)))
}

/// Points earned over the most that can be earned, or a dash when the rules give none.
pub fn points(lang: Language, points: Option<f64>, max: Option<f64>) -> String {
    match (points, max) {
        (Some(p), Some(m)) => format!("{} / {}", number(lang, p), number(lang, m)),
        _ => "—".to_owned(),
    }
}

/// A week's first day as the chart labels it: `02/03`.
pub fn week_label(start: Date) -> String {
    format!("{:02}/{:02}", start.day(), start.month())
}

/// The three series of the weekly chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Series {
    Received,
    OnTime,
    Late,
}

impl Series {
    pub const ALL: [Series; 3] = [Series::Received, Series::OnTime, Series::Late];

    /// The CSS class of its bars and legend mark.
    pub fn class(self) -> &'static str {
        match self {
            Series::Received => "received",
            Series::OnTime => "on-time",
            Series::Late => "late",
        }
    }

    fn of(self, week: &Week) -> u64 {
        match self {
            Series::Received => week.received,
            Series::OnTime => week.on_time,
            Series::Late => week.late,
        }
    }
}

/// One bar of the chart, in the SVG's user units (y grows downwards).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bar {
    pub week: usize,
    pub series: Series,
    pub value: u64,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// The weekly chart laid out: the bars, where each week's label goes, and the scale.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub width: f64,
    pub height: f64,
    /// The top of the plot, where the bars of [`Chart::max`] reach.
    pub top: f64,
    /// The bottom of the bars (the x axis).
    pub base: f64,
    /// The left edge of the plot (the y axis), the scale's labels left of it.
    pub left: f64,
    /// The value the top of the plot stands for (at least 1).
    pub max: u64,
    pub bars: Vec<Bar>,
    /// `(x of the week's middle, label)`.
    pub labels: Vec<(f64, String)>,
}

const BAR: f64 = 16.0;
const GAP: f64 = 2.0;
const GROUP_GAP: f64 = 18.0;
const PLOT: f64 = 160.0;
const TOP: f64 = 12.0;
const LEFT: f64 = 36.0;
const BOTTOM: f64 = 28.0;

/// Lays the chart out: per week, three bars side by side, heights in proportion to the
/// busiest week's received count.
pub fn chart(weeks: &[Week]) -> Chart {
    let max = weeks
        .iter()
        .flat_map(|w| Series::ALL.map(|s| s.of(w)))
        .max()
        .unwrap_or(0)
        .max(1);
    let group = 3.0 * BAR + 2.0 * GAP;
    let base = TOP + PLOT;
    let mut bars = Vec::new();
    let mut labels = Vec::new();
    for (i, week) in weeks.iter().enumerate() {
        let start = LEFT + GROUP_GAP / 2.0 + i as f64 * (group + GROUP_GAP);
        for (j, series) in Series::ALL.into_iter().enumerate() {
            let value = series.of(week);
            let height = PLOT * value as f64 / max as f64;
            bars.push(Bar {
                week: i,
                series,
                value,
                x: start + j as f64 * (BAR + GAP),
                y: base - height,
                width: BAR,
                height,
            });
        }
        labels.push((start + group / 2.0, week_label(week.start)));
    }
    Chart {
        width: LEFT + weeks.len() as f64 * (group + GROUP_GAP),
        height: base + BOTTOM,
        top: TOP,
        base,
        left: LEFT,
        max,
        bars,
        labels,
    }
}

#[cfg(test)]
mod tests;
