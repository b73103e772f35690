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
            .map(|item| key_of(&item.dossier))
            .collect()
    }
}

impl Reducible for Supervision {
    type Action = SuperviseAction;

    fn reduce(self: Rc<Self>, action: SuperviseAction) -> Rc<Self> {
        Rc::new((*self).clone().apply(action))
    }
}

/// How a dossier is named to the shell: its code, or its id before it had one.
pub fn key_of(dossier: &hoso_model::Dossier) -> String {
    dossier.code.clone().unwrap_or_else(|| dossier.id.0.clone())
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
    text.parse().map(Some).map_err(|_| date_error())
}

fn optional_text(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// The backlog filter from its fields as typed (empty fields filter nothing; dates as a date
/// input gives them, `2026-03-01`).
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
mod tests {
    use super::*;
    use hoso_model::supervision::QueueCount;
    use hoso_model::{Dossier, DossierId};

    fn day(text: &str) -> Date {
        text.parse().unwrap()
    }

    fn item(code: &str) -> QueueItem {
        QueueItem {
            dossier: Dossier {
                id: DossierId(format!("id-{code}")),
                procedure_code: "2.000815".into(),
                applicant_name: "Lê Thị Hoa".into(),
                received_at: "2026-03-05T02:00:00Z".parse().unwrap(),
                code: (!code.is_empty()).then(|| code.to_owned()),
                status: hoso_model::lifecycle::Status::Received,
                due_at: None,
                id_number: None,
                phone: None,
                address: None,
                email: None,
                channel: hoso_model::Channel::Direct,
            },
            officer: Some("lan".into()),
            note: None,
        }
    }

    fn backlog(filter: BacklogFilter, awaiting: u64) -> Backlog {
        Backlog {
            at: "2026-03-05T02:00:00Z".parse().unwrap(),
            filter,
            queues: vec![QueueCount {
                queue: Queue::AwaitingReview,
                count: awaiting,
            }],
        }
    }

    #[test]
    fn the_page_starts_on_every_queue_and_this_month() {
        let state = Supervision::new(day("2026-02-14"));
        assert_eq!(state.filter, BacklogFilter::default());
        assert_eq!(state.queue, None);
        assert_eq!(
            state.period,
            Period {
                from: day("2026-02-01"),
                to: day("2026-02-28")
            }
        );
        assert_eq!(
            Supervision::returned(day("2026-02-14")).queue,
            Some(Queue::Rework)
        );
    }

    #[test]
    fn answers_to_an_older_filter_or_queue_are_dropped() {
        let officer = BacklogFilter {
            officer: Some("lan".into()),
            ..Default::default()
        };
        let state = Supervision::new(day("2026-03-05"))
            .apply(SuperviseAction::OpenQueue(Some(Queue::AwaitingReview)))
            .apply(SuperviseAction::Filter(officer.clone()));
        let state = state
            .apply(SuperviseAction::BacklogLoaded(backlog(
                BacklogFilter::default(),
                9,
            )))
            .apply(SuperviseAction::QueueLoaded {
                queue: Queue::AwaitingReview,
                filter: BacklogFilter::default(),
                items: vec![item("A")],
            })
            .apply(SuperviseAction::QueueLoaded {
                queue: Queue::Overdue,
                filter: officer.clone(),
                items: vec![item("B")],
            });
        assert_eq!(state.backlog, None, "counts of the filter before");
        assert_eq!(state.items, None, "a list of another filter or queue");
        let state = state
            .apply(SuperviseAction::BacklogLoaded(backlog(officer.clone(), 1)))
            .apply(SuperviseAction::QueueLoaded {
                queue: Queue::AwaitingReview,
                filter: officer,
                items: vec![item("C"), item("")],
            });
        assert_eq!(
            state
                .backlog
                .as_ref()
                .map(|b| b.count(Queue::AwaitingReview)),
            Some(1)
        );
        assert_eq!(state.listed_keys(), vec!["C".to_owned(), "id-".to_owned()]);
    }

    #[test]
    fn opening_another_queue_clears_the_list_and_reopening_the_same_keeps_it() {
        let state = Supervision::new(day("2026-03-05"))
            .apply(SuperviseAction::OpenQueue(Some(Queue::Overdue)))
            .apply(SuperviseAction::QueueLoaded {
                queue: Queue::Overdue,
                filter: BacklogFilter::default(),
                items: vec![item("A")],
            });
        let same = state
            .clone()
            .apply(SuperviseAction::OpenQueue(Some(Queue::Overdue)));
        assert_eq!(same.listed_keys(), vec!["A".to_owned()]);
        let other = state.apply(SuperviseAction::OpenQueue(Some(Queue::DueToday)));
        assert_eq!(other.items, None);
    }

    #[test]
    fn a_decision_goes_back_to_the_list_says_what_was_done_and_refreshes() {
        let state = Supervision::new(day("2026-03-05"))
            .apply(SuperviseAction::OpenQueue(Some(Queue::AwaitingReview)))
            .apply(SuperviseAction::Review(Some("A".into())))
            .apply(SuperviseAction::Failed(ApiError::validation(
                Field::Review,
                "no note",
            )));
        assert_eq!(state.reviewing.as_deref(), Some("A"));
        assert!(state.error.is_some());
        let state = state.apply(SuperviseAction::Decided {
            dossier: "A".into(),
            decision: ReviewDecision::Rework,
        });
        assert_eq!(state.reviewing, None);
        assert_eq!(
            state.queue,
            Some(Queue::AwaitingReview),
            "back to the same list"
        );
        assert_eq!(state.error, None);
        assert_eq!(state.refresh, 1);
        assert_eq!(
            state.done,
            Some(Done::Decided {
                dossier: "A".into(),
                decision: ReviewDecision::Rework
            })
        );
        let state = state.apply(SuperviseAction::ApprovedAll(3));
        assert_eq!((state.refresh, state.done), (2, Some(Done::ApprovedAll(3))));
    }

    #[test]
    fn indicators_of_another_period_or_breakdown_are_dropped() {
        let march = period_from("2026-03-01", "2026-03-31").unwrap();
        let indicators = |period| Indicators {
            period,
            judged_at: "2026-03-05T02:00:00Z".parse().unwrap(),
            scoring_version: "test".into(),
            unit: hoso_model::supervision::IndicatorSet {
                key: String::new(),
                received: 0,
                indicators: vec![],
            },
            by: vec![],
            weeks: vec![],
        };
        let state = Supervision::new(day("2026-02-10"))
            .apply(SuperviseAction::Period(march))
            .apply(SuperviseAction::Breakdown(Some(Breakdown::Officer)));
        let state = state.apply(SuperviseAction::IndicatorsLoaded {
            period: march,
            breakdown: None,
            indicators: indicators(march),
        });
        assert_eq!(state.indicators, None);
        let state = state.apply(SuperviseAction::IndicatorsLoaded {
            period: march,
            breakdown: Some(Breakdown::Officer),
            indicators: indicators(march),
        });
        assert!(state.indicators.is_some());
        let state = state
            .apply(SuperviseAction::ReportSaved(FormSaved {
                path: "/tmp/x.xlsx".into(),
                opened: false,
            }))
            .apply(SuperviseAction::Period(month_of(day("2026-04-02"))));
        assert_eq!((state.indicators, state.report), (None, None));
    }

    #[test]
    fn the_filter_reads_its_fields_and_refuses_unreadable_or_reversed_dates() {
        assert_eq!(
            filter_from(" ", "", "", "").unwrap(),
            BacklogFilter::default()
        );
        let filter = filter_from(" lan ", "2.000815", "2026-03-01", "2026-03-31").unwrap();
        assert_eq!(filter.officer.as_deref(), Some("lan"));
        assert_eq!(filter.procedure.as_deref(), Some("2.000815"));
        assert_eq!(
            (filter.from, filter.to),
            (Some(day("2026-03-01")), Some(day("2026-03-31")))
        );
        let err = filter_from("", "", "2026-03-31", "2026-03-01").unwrap_err();
        assert_eq!(err.field, Some(Field::Date));
        assert!(filter_from("", "", "31/03/2026", "").is_err());
        assert!(
            period_from("2026-03-01", "").is_err(),
            "a period needs both ends"
        );
        assert_eq!(
            hoso_model::i18n::error_text(Language::Vi, &err),
            hoso_model::i18n::error_text(
                Language::Vi,
                &ApiError::validation(Field::Date, "other words")
            ),
            "the page shows the localised date error"
        );
    }

    #[test]
    fn numbers_take_a_decimal_comma_in_vietnamese() {
        assert_eq!(percent(Language::Vi, Some(87.5)), "87,5%");
        assert_eq!(percent(Language::En, Some(87.5)), "87.5%");
        assert_eq!(percent(Language::Vi, Some(100.0)), "100%");
        assert_eq!(percent(Language::Vi, Some(200.0 / 3.0)), "66,7%");
        assert_eq!(percent(Language::Vi, None), "—");
        assert_eq!(points(Language::Vi, Some(7.5), Some(8.0)), "7,5 / 8");
        assert_eq!(points(Language::En, None, Some(8.0)), "—");
        assert_eq!(week_label(day("2026-03-02")), "02/03");
    }

    #[test]
    fn the_chart_scales_to_the_busiest_week_and_draws_three_bars_a_week() {
        let week = |start: &str, received, on_time, late| Week {
            start: day(start),
            received,
            on_time,
            late,
        };
        let c = chart(&[week("2026-02-23", 0, 0, 0), week("2026-03-02", 4, 3, 1)]);
        assert_eq!(c.max, 4);
        assert_eq!(c.bars.len(), 6);
        let received = c.bars[3];
        assert_eq!((received.series, received.value), (Series::Received, 4));
        assert!(
            (received.y - c.top).abs() < 1e-9,
            "the busiest reaches the top"
        );
        let late = c.bars[5];
        assert!((late.height - PLOT / 4.0).abs() < 1e-9);
        assert!(
            (late.y + late.height - c.base).abs() < 1e-9,
            "bars stand on the axis"
        );
        assert!(c.bars[..3].iter().all(|b| b.height == 0.0));
        assert!(
            c.bars
                .iter()
                .all(|b| b.x >= c.left && b.x + b.width <= c.width)
        );
        assert_eq!(c.labels[1].1, "02/03");
        let empty = chart(&[]);
        assert_eq!(
            (empty.max, empty.bars.len()),
            (1, 0),
            "never a division by zero"
        );
    }
}
