//! Giám sát: what a supervisor watches — the backlog queues, the review of a dossier's
//! digitisation, and the official indicators (Decision 766/QĐ-TTg) computed on the desk before
//! the province computes them. Pure data and rules: the store gathers the [`Facts`] of each
//! dossier, [`indicators`] turns them into rates and points.
//!
//! # How each indicator is counted
//!
//! A period counts the dossiers **received** in it (Vietnamese civil dates, both ends
//! included). Dossiers still open are judged at the end of the period, or now if the period
//! has not ended ([`Period::judged_at`]). The facts are those the desk holds now.
//!
//! - **1.4 sync rate** (tỷ lệ đồng bộ): dossiers whose latest version the hub has accepted ÷
//!   dossiers received.
//! - **2.1 on-time rate** (tỷ lệ đúng hạn): among the dossiers received, less those the citizen
//!   withdrew, those finished (resolved, refused or stopped) by their due date — the due date
//!   already moved by the time spent waiting for a supplement — plus those still open and not
//!   yet due when judged (or waiting for the citizen's supplement: the clock is paused). A
//!   dossier with more than one supplementation request is late whatever its dates; a dossier
//!   with no time limit is on time once finished or while open.
//! - **4.1 electronic-result rate** (tỷ lệ kết quả điện tử): among the dossiers resolved or
//!   returned whose procedure issues a result document, those with a result file attached.
//! - **4.2 digitisation rate** (tỷ lệ số hoá): among the dossiers received, those with a file on
//!   every component that needs one (online dossiers need none) and, once resolved, a result
//!   file where the procedure issues one. Full marks at 80 %.
//! - **4.3 reuse rate** (tỷ lệ tái sử dụng): among the dossiers received, those with at least
//!   one page reused from data digitised earlier. Target 80 %.
//! - **5.4 satisfaction** (mức độ hài lòng): 100 % − (the late rate of 2.1 + the share of
//!   "not satisfied" among the ratings citizens gave); no value while no citizen has rated.
//!
//! Points follow [`ScoringRules`], versioned data (`catalogue/scoring.json`): an indicator earns
//! its full points at or above its `full_at` rate and a proportional share below it.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::dossier::{Channel, Dossier};
use crate::lifecycle::Status;
use crate::page::Digitisation;
use crate::time::{from_local, to_local};

/// A backlog queue: dossiers that wait for somebody to do something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Queue {
    /// Received, but a component that needs a scan has no page yet.
    NotDigitised,
    /// Every component that needs a scan has its pages; no supervisor has looked yet.
    AwaitingReview,
    /// A supervisor sent it back to the officer with a note.
    Rework,
    /// The hub has not accepted its latest version yet.
    SyncWaiting,
    /// Waiting, and at least one attempt to send it failed.
    SyncFailing,
    /// The hub refused its latest version for good (see the sync screen for why).
    SyncQuarantined,
    /// Open and due today.
    DueToday,
    /// Open and due tomorrow.
    DueTomorrow,
    /// Open and past its due date.
    Overdue,
    /// Resolved, the procedure issues a result document, and none is attached.
    ResultsNotDigitised,
    /// Waiting for the citizen's supplement.
    SupplementPending,
}

impl Queue {
    pub const ALL: [Queue; 11] = [
        Queue::NotDigitised,
        Queue::AwaitingReview,
        Queue::Rework,
        Queue::SyncWaiting,
        Queue::SyncFailing,
        Queue::SyncQuarantined,
        Queue::DueToday,
        Queue::DueTomorrow,
        Queue::Overdue,
        Queue::ResultsNotDigitised,
        Queue::SupplementPending,
    ];

    /// The command-line and serde name (`not_digitised`…).
    pub fn name(self) -> &'static str {
        match self {
            Queue::NotDigitised => "not_digitised",
            Queue::AwaitingReview => "awaiting_review",
            Queue::Rework => "rework",
            Queue::SyncWaiting => "sync_waiting",
            Queue::SyncFailing => "sync_failing",
            Queue::SyncQuarantined => "sync_quarantined",
            Queue::DueToday => "due_today",
            Queue::DueTomorrow => "due_tomorrow",
            Queue::Overdue => "overdue",
            Queue::ResultsNotDigitised => "results_not_digitised",
            Queue::SupplementPending => "supplement_pending",
        }
    }

    pub fn from_name(name: &str) -> Option<Queue> {
        let name = name.trim().replace('-', "_");
        Queue::ALL.into_iter().find(|q| q.name() == name)
    }
}

/// Which dossiers the backlog looks at: all, or those of one officer, one procedure, or
/// received within some days.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BacklogFilter {
    /// The account that received the dossier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub officer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub procedure: Option<String>,
    /// Received on or after this day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    /// Received on or before this day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Date>,
}

impl BacklogFilter {
    /// The received-at bounds in Unix milliseconds: `[from, to)`, open where unset.
    pub fn received_bounds_ms(&self) -> (Option<i64>, Option<i64>) {
        let start = |d: Date| from_local(d.to_datetime(jiff::civil::Time::midnight()));
        (
            self.from.and_then(start).map(|t| t.as_millisecond()),
            self.to
                .and_then(|d| d.tomorrow().ok())
                .and_then(start)
                .map(|t| t.as_millisecond()),
        )
    }
}

/// How many dossiers wait in one queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueCount {
    pub queue: Queue,
    pub count: u64,
}

/// The backlog at a moment: every queue with its count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Backlog {
    pub at: Timestamp,
    pub filter: BacklogFilter,
    pub queues: Vec<QueueCount>,
}

impl Backlog {
    pub fn count(&self, queue: Queue) -> u64 {
        self.queues
            .iter()
            .find(|q| q.queue == queue)
            .map_or(0, |q| q.count)
    }
}

/// A dossier in a queue, with who received it and the supervisor's note when sent back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    pub dossier: Dossier,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub officer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Where a dossier's review stands; kept apart from its business status and its sync state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    /// Not reviewed yet (or changed since it was approved, or fixed after rework).
    #[default]
    Pending,
    Approved,
    /// Sent back to the officer to fix.
    Rework,
}

impl ReviewState {
    pub fn name(self) -> &'static str {
        match self {
            ReviewState::Pending => "pending",
            ReviewState::Approved => "approved",
            ReviewState::Rework => "rework",
        }
    }

    pub fn from_name(name: &str) -> Option<ReviewState> {
        [
            ReviewState::Pending,
            ReviewState::Approved,
            ReviewState::Rework,
        ]
        .into_iter()
        .find(|s| s.name() == name)
    }
}

/// What someone decided about a dossier's digitisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewDecision {
    /// Duyệt: the supervisor accepts the pages.
    Approve,
    /// Trả lại: back to the officer, with a note saying what to fix.
    Rework,
    /// The officer fixed what the note said and asks for review again.
    Resubmit,
}

impl ReviewDecision {
    pub const ALL: [ReviewDecision; 3] = [
        ReviewDecision::Approve,
        ReviewDecision::Rework,
        ReviewDecision::Resubmit,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ReviewDecision::Approve => "approve",
            ReviewDecision::Rework => "rework",
            ReviewDecision::Resubmit => "resubmit",
        }
    }

    pub fn from_name(name: &str) -> Option<ReviewDecision> {
        ReviewDecision::ALL
            .into_iter()
            .find(|d| d.name() == name.trim())
    }

    /// The state a dossier is in after this decision.
    pub fn state_after(self) -> ReviewState {
        match self {
            ReviewDecision::Approve => ReviewState::Approved,
            ReviewDecision::Rework => ReviewState::Rework,
            ReviewDecision::Resubmit => ReviewState::Pending,
        }
    }

    /// Whether the decision can be taken in `state`: a supervisor approves or returns what is
    /// pending (approving again after a rework is allowed: the supervisor fixed it), and the
    /// officer resubmits only what was returned.
    pub fn allowed_in(self, state: ReviewState) -> bool {
        match self {
            ReviewDecision::Approve => state != ReviewState::Approved,
            ReviewDecision::Rework => state != ReviewState::Rework,
            ReviewDecision::Resubmit => state == ReviewState::Rework,
        }
    }

    /// A return needs words: what to fix.
    pub fn needs_note(self) -> bool {
        self == ReviewDecision::Rework
    }
}

/// One decision of a dossier's review log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewEntry {
    pub decision: ReviewDecision,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub actor: String,
    pub at: Timestamp,
}

/// The review page of a dossier: its pages with their flags, where the review stands, and
/// every decision so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Review {
    pub dossier: Dossier,
    pub digitisation: Digitisation,
    pub state: ReviewState,
    pub log: Vec<ReviewEntry>,
}

/// Mức độ hài lòng: what the citizen said when the result was handed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    Satisfied,
    Neutral,
    /// Not satisfied, or a complaint.
    Dissatisfied,
}

impl Rating {
    pub const ALL: [Rating; 3] = [Rating::Satisfied, Rating::Neutral, Rating::Dissatisfied];

    pub fn name(self) -> &'static str {
        match self {
            Rating::Satisfied => "satisfied",
            Rating::Neutral => "neutral",
            Rating::Dissatisfied => "dissatisfied",
        }
    }

    pub fn from_name(name: &str) -> Option<Rating> {
        Rating::ALL.into_iter().find(|r| r.name() == name.trim())
    }
}

/// What the indicators need to know of one dossier, gathered by the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    /// The official code (or the id before the unit was set up), for the lists.
    pub code: String,
    pub procedure_code: String,
    /// The account that received it.
    pub officer: Option<String>,
    pub channel: Channel,
    pub status: Status,
    pub received_at: Timestamp,
    /// Already moved by the time spent waiting for supplements.
    pub due_at: Option<Timestamp>,
    /// When it was resolved, refused, withdrawn or stopped.
    pub finished_at: Option<Timestamp>,
    pub supplement_requests: u32,
    /// The hub has accepted its latest version.
    pub synced: bool,
    /// Every component that needs a scan has a page (always, for an online dossier).
    pub digitised: bool,
    /// The procedure issues a result document.
    pub result_expected: bool,
    pub result_pages: u32,
    pub reused_pages: u32,
    pub rating: Option<Rating>,
}

impl Facts {
    fn has_result(&self) -> bool {
        matches!(self.status, Status::Resolved | Status::Returned)
    }

    /// On time as indicator 2.1 counts it, judged at `at`; `None` when 2.1 does not count it.
    pub fn on_time(&self, at: Timestamp) -> Option<bool> {
        if self.status == Status::Withdrawn || self.status == Status::Draft {
            return None;
        }
        if self.supplement_requests > 1 {
            return Some(false);
        }
        let finished = self.finished_at.filter(|f| *f <= at);
        Some(match (finished, self.due_at) {
            (_, None) => true,
            (Some(done), Some(due)) => done <= due,
            // Waiting for the citizen: the clock is paused.
            (None, Some(_)) if self.status == Status::SupplementRequested => true,
            (None, Some(due)) => due >= at,
        })
    }

    /// Digitised as indicator 4.2 counts it.
    pub fn fully_digitised(&self) -> bool {
        self.digitised && !(self.has_result() && self.result_expected && self.result_pages == 0)
    }
}

/// A span of Vietnamese civil days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: Date,
    pub to: Date,
}

impl Period {
    /// `[start, end)` as instants.
    pub fn bounds(&self) -> Option<(Timestamp, Timestamp)> {
        let start = |d: Date| from_local(d.to_datetime(jiff::civil::Time::midnight()));
        Some((start(self.from)?, start(self.to.tomorrow().ok()?)?))
    }

    /// When open dossiers are judged: the end of the period, or `now` if it has not ended.
    pub fn judged_at(&self, now: Timestamp) -> Option<Timestamp> {
        let (_, end) = self.bounds()?;
        Some(end.min(now))
    }
}

/// The indicators' codes, as Decision 766 numbers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum IndicatorCode {
    #[serde(rename = "1.4")]
    SyncRate,
    #[serde(rename = "2.1")]
    OnTime,
    #[serde(rename = "4.1")]
    ElectronicResult,
    #[serde(rename = "4.2")]
    Digitisation,
    #[serde(rename = "4.3")]
    Reuse,
    #[serde(rename = "5.4")]
    Satisfaction,
}

impl IndicatorCode {
    pub const ALL: [IndicatorCode; 6] = [
        IndicatorCode::SyncRate,
        IndicatorCode::OnTime,
        IndicatorCode::ElectronicResult,
        IndicatorCode::Digitisation,
        IndicatorCode::Reuse,
        IndicatorCode::Satisfaction,
    ];

    /// "1.4", "2.1"…
    pub fn number(self) -> &'static str {
        match self {
            IndicatorCode::SyncRate => "1.4",
            IndicatorCode::OnTime => "2.1",
            IndicatorCode::ElectronicResult => "4.1",
            IndicatorCode::Digitisation => "4.2",
            IndicatorCode::Reuse => "4.3",
            IndicatorCode::Satisfaction => "5.4",
        }
    }

    pub fn from_number(number: &str) -> Option<IndicatorCode> {
        IndicatorCode::ALL
            .into_iter()
            .find(|c| c.number() == number.trim())
    }
}

/// The points an indicator earns, as versioned data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoringRule {
    pub code: IndicatorCode,
    pub max_points: f64,
    /// The rate (percent) at and above which the full points are earned.
    pub full_at: f64,
}

/// `catalogue/scoring.json`: how many points each indicator is worth.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoringRules {
    pub version: String,
    pub source: String,
    #[serde(default)]
    pub note: String,
    pub indicators: Vec<ScoringRule>,
}

impl ScoringRules {
    /// The points a rate earns: all of them at or above `full_at`, a proportional share below.
    pub fn points(&self, code: IndicatorCode, rate: f64) -> Option<(f64, f64)> {
        let rule = self.indicators.iter().find(|r| r.code == code)?;
        let share = if rule.full_at <= 0.0 {
            1.0
        } else {
            (rate / rule.full_at).clamp(0.0, 1.0)
        };
        Some((rule.max_points * share, rule.max_points))
    }
}

/// One indicator over a set of dossiers, with the dossiers it counted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub code: IndicatorCode,
    /// Dossiers that met it (for 5.4: ratings that were not "not satisfied").
    pub met: u64,
    /// Dossiers it counted (for 5.4: the ratings given).
    pub counted: u64,
    /// Percent; `None` when nothing was counted.
    pub rate: Option<f64>,
    /// Points earned and the most it can earn, when the scoring rules name it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_points: Option<f64>,
    /// The codes of the dossiers counted, and of those that did not meet it.
    pub counted_codes: Vec<String>,
    pub missed_codes: Vec<String>,
}

/// Every indicator over one set of dossiers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorSet {
    /// What the set is: "" for the whole unit, else the officer's name or the procedure code.
    pub key: String,
    pub received: u64,
    pub indicators: Vec<Indicator>,
}

impl IndicatorSet {
    pub fn get(&self, code: IndicatorCode) -> &Indicator {
        self.indicators
            .iter()
            .find(|i| i.code == code)
            .expect("every set has every indicator")
    }
}

/// How to break the indicators down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Breakdown {
    Officer,
    Procedure,
}

impl Breakdown {
    pub fn from_name(name: &str) -> Option<Breakdown> {
        match name.trim() {
            "officer" => Some(Breakdown::Officer),
            "procedure" => Some(Breakdown::Procedure),
            _ => None,
        }
    }
}

/// One week of the chart: received, and of those, on time and late (as 2.1 judges them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Week {
    /// The Monday the week starts on.
    pub start: Date,
    pub received: u64,
    pub on_time: u64,
    pub late: u64,
}

/// The indicators of a period: the unit's, those of each officer or procedure when asked,
/// and the weekly chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicators {
    pub period: Period,
    pub judged_at: Timestamp,
    pub scoring_version: String,
    pub unit: IndicatorSet,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by: Vec<IndicatorSet>,
    pub weeks: Vec<Week>,
}

fn rate(met: u64, counted: u64) -> Option<f64> {
    (counted > 0).then(|| met as f64 * 100.0 / counted as f64)
}

/// Counts one indicator: `judge` says whether a dossier counts and whether it met it.
fn count(
    code: IndicatorCode,
    facts: &[&Facts],
    rules: &ScoringRules,
    judge: impl Fn(&Facts) -> Option<bool>,
) -> Indicator {
    let mut counted_codes = Vec::new();
    let mut missed_codes = Vec::new();
    let mut met = 0;
    for f in facts {
        if let Some(ok) = judge(f) {
            counted_codes.push(f.code.clone());
            if ok {
                met += 1;
            } else {
                missed_codes.push(f.code.clone());
            }
        }
    }
    let counted = counted_codes.len() as u64;
    with_points(
        Indicator {
            code,
            met,
            counted,
            rate: rate(met, counted),
            points: None,
            max_points: None,
            counted_codes,
            missed_codes,
        },
        rules,
    )
}

fn with_points(mut indicator: Indicator, rules: &ScoringRules) -> Indicator {
    if let Some(rate) = indicator.rate
        && let Some((points, max)) = rules.points(indicator.code, rate)
    {
        indicator.points = Some(points);
        indicator.max_points = Some(max);
    }
    indicator
}

/// Every indicator over `facts` (the dossiers received in the period), judged at `at`.
pub fn indicator_set(
    key: &str,
    facts: &[&Facts],
    at: Timestamp,
    rules: &ScoringRules,
) -> IndicatorSet {
    let sync = count(IndicatorCode::SyncRate, facts, rules, |f| Some(f.synced));
    let on_time = count(IndicatorCode::OnTime, facts, rules, |f| f.on_time(at));
    let result = count(IndicatorCode::ElectronicResult, facts, rules, |f| {
        (f.has_result() && f.result_expected).then_some(f.result_pages > 0)
    });
    let digitised = count(IndicatorCode::Digitisation, facts, rules, |f| {
        Some(f.fully_digitised())
    });
    let reuse = count(IndicatorCode::Reuse, facts, rules, |f| {
        Some(f.reused_pages > 0)
    });
    let mut satisfaction = count(IndicatorCode::Satisfaction, facts, rules, |f| {
        f.rating.map(|r| r != Rating::Dissatisfied)
    });
    // 100 % − (late rate + dislike rate), never below zero.
    satisfaction.rate = satisfaction.rate.map(|liked| {
        let late = on_time.rate.map_or(0.0, |r| 100.0 - r);
        (100.0 - (late + (100.0 - liked))).max(0.0)
    });
    satisfaction.points = None;
    satisfaction.max_points = None;
    let satisfaction = with_points(satisfaction, rules);
    IndicatorSet {
        key: key.to_owned(),
        received: facts.len() as u64,
        indicators: vec![sync, on_time, result, digitised, reuse, satisfaction],
    }
}

/// The indicators of a period from the facts of the dossiers received in it.
pub fn indicators(
    period: Period,
    facts: &[Facts],
    now: Timestamp,
    breakdown: Option<Breakdown>,
    rules: &ScoringRules,
) -> Option<Indicators> {
    let at = period.judged_at(now)?;
    let all: Vec<&Facts> = facts.iter().collect();
    let unit = indicator_set("", &all, at, rules);
    let by = match breakdown {
        None => Vec::new(),
        Some(b) => {
            let mut groups: BTreeMap<String, Vec<&Facts>> = BTreeMap::new();
            for f in facts {
                let key = match b {
                    Breakdown::Officer => f.officer.clone().unwrap_or_default(),
                    Breakdown::Procedure => f.procedure_code.clone(),
                };
                groups.entry(key).or_default().push(f);
            }
            groups
                .iter()
                .map(|(key, group)| indicator_set(key, group, at, rules))
                .collect()
        }
    };
    Some(Indicators {
        period,
        judged_at: at,
        scoring_version: rules.version.clone(),
        unit,
        by,
        weeks: weeks(period, facts, at),
    })
}

/// The weeks (Monday to Sunday) that touch the period, each with the dossiers received in it.
pub fn weeks(period: Period, facts: &[Facts], at: Timestamp) -> Vec<Week> {
    let monday = |d: Date| {
        let back = i64::from(d.weekday().to_monday_zero_offset());
        d.checked_sub(jiff::Span::new().days(back)).unwrap_or(d)
    };
    let mut weeks: BTreeMap<Date, Week> = BTreeMap::new();
    let mut start = monday(period.from);
    while start <= period.to {
        weeks.insert(
            start,
            Week {
                start,
                received: 0,
                on_time: 0,
                late: 0,
            },
        );
        match start.checked_add(jiff::Span::new().days(7)) {
            Ok(next) => start = next,
            Err(_) => break,
        }
    }
    for f in facts {
        let key = monday(to_local(f.received_at).date());
        if let Some(week) = weeks.get_mut(&key) {
            week.received += 1;
            match f.on_time(at) {
                Some(true) => week.on_time += 1,
                Some(false) => week.late += 1,
                None => {}
            }
        }
    }
    weeks.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> ScoringRules {
        ScoringRules {
            version: "test".into(),
            source: String::new(),
            note: String::new(),
            indicators: vec![
                ScoringRule {
                    code: IndicatorCode::Digitisation,
                    max_points: 8.0,
                    full_at: 80.0,
                },
                ScoringRule {
                    code: IndicatorCode::OnTime,
                    max_points: 10.0,
                    full_at: 100.0,
                },
            ],
        }
    }

    fn at(s: &str) -> Timestamp {
        crate::time::parse_instant(s).unwrap()
    }

    fn facts(code: &str, received: &str) -> Facts {
        Facts {
            code: code.into(),
            procedure_code: "1.001193".into(),
            officer: Some("lan".into()),
            channel: Channel::Direct,
            status: Status::Received,
            received_at: at(received),
            due_at: Some(at("2026-03-10T17:00")),
            finished_at: None,
            supplement_requests: 0,
            synced: true,
            digitised: true,
            result_expected: true,
            result_pages: 0,
            reused_pages: 0,
            rating: None,
        }
    }

    #[test]
    fn queue_names_round_trip_and_accept_dashes() {
        for q in Queue::ALL {
            assert_eq!(Queue::from_name(q.name()), Some(q));
            assert_eq!(serde_json::to_value(q).unwrap(), q.name());
        }
        assert_eq!(Queue::from_name("due-today"), Some(Queue::DueToday));
        assert_eq!(Queue::from_name("nothing"), None);
    }

    #[test]
    fn review_decisions_follow_their_states() {
        use ReviewDecision::*;
        use ReviewState as S;
        assert!(Approve.allowed_in(S::Pending) && Rework.allowed_in(S::Pending));
        assert!(!Resubmit.allowed_in(S::Pending), "nothing was returned");
        assert!(Resubmit.allowed_in(S::Rework));
        assert!(!Approve.allowed_in(S::Approved));
        assert_eq!(Rework.state_after(), S::Rework);
        assert_eq!(Resubmit.state_after(), S::Pending);
        assert!(Rework.needs_note() && !Approve.needs_note());
    }

    #[test]
    fn on_time_counts_the_moved_due_date_the_second_supplement_and_open_dossiers() {
        let judged = at("2026-03-31T23:00");
        let mut f = facts("A", "2026-03-02T08:00");
        f.finished_at = Some(at("2026-03-10T16:00"));
        assert_eq!(
            f.on_time(judged),
            Some(true),
            "finished before its due date"
        );
        f.finished_at = Some(at("2026-03-11T08:00"));
        assert_eq!(f.on_time(judged), Some(false), "finished after it");
        f.finished_at = Some(at("2026-03-09T08:00"));
        f.supplement_requests = 2;
        assert_eq!(
            f.on_time(judged),
            Some(false),
            "a second supplementation request makes it late whatever the dates"
        );
        let mut open = facts("B", "2026-03-30T08:00");
        open.due_at = Some(at("2026-04-02T17:00"));
        assert_eq!(open.on_time(judged), Some(true), "open and not yet due");
        open.due_at = Some(at("2026-03-31T10:00"));
        assert_eq!(open.on_time(judged), Some(false), "open and past due");
        open.status = Status::SupplementRequested;
        assert_eq!(open.on_time(judged), Some(true), "the clock is paused");
        let mut later = facts("C", "2026-03-02T08:00");
        later.finished_at = Some(at("2026-04-05T08:00"));
        later.due_at = Some(at("2026-03-20T17:00"));
        assert_eq!(
            later.on_time(judged),
            Some(false),
            "finished after the period and already late at its end"
        );
        let mut withdrawn = facts("D", "2026-03-02T08:00");
        withdrawn.status = Status::Withdrawn;
        assert_eq!(withdrawn.on_time(judged), None, "not counted");
    }

    #[test]
    fn points_are_full_at_the_threshold_and_proportional_below() {
        let r = rules();
        assert_eq!(
            r.points(IndicatorCode::Digitisation, 80.0),
            Some((8.0, 8.0))
        );
        assert_eq!(
            r.points(IndicatorCode::Digitisation, 95.0),
            Some((8.0, 8.0))
        );
        assert_eq!(
            r.points(IndicatorCode::Digitisation, 40.0),
            Some((4.0, 8.0))
        );
        assert_eq!(
            r.points(IndicatorCode::Reuse, 40.0),
            None,
            "not in these rules"
        );
    }

    #[test]
    fn satisfaction_is_one_hundred_less_the_late_and_dislike_rates() {
        let mut a = facts("A", "2026-03-02T08:00");
        a.rating = Some(Rating::Satisfied);
        a.finished_at = Some(at("2026-03-03T08:00"));
        let mut b = facts("B", "2026-03-02T08:00");
        b.rating = Some(Rating::Dissatisfied);
        b.finished_at = Some(at("2026-03-03T08:00"));
        let mut c = facts("C", "2026-03-02T08:00");
        c.finished_at = Some(at("2026-03-12T08:00")); // late
        let mut d = facts("D", "2026-03-02T08:00");
        d.finished_at = Some(at("2026-03-03T08:00"));
        let period = Period {
            from: "2026-03-01".parse().unwrap(),
            to: "2026-03-31".parse().unwrap(),
        };
        let set = indicators(
            period,
            &[a, b, c, d],
            at("2026-04-02T08:00"),
            None,
            &rules(),
        )
        .unwrap()
        .unit;
        // Late: 1 of 4 = 25 %; not satisfied: 1 of 2 ratings = 50 %.
        assert_eq!(set.get(IndicatorCode::OnTime).rate, Some(75.0));
        assert_eq!(set.get(IndicatorCode::Satisfaction).rate, Some(25.0));
        assert_eq!(set.get(IndicatorCode::Satisfaction).counted, 2);
    }

    #[test]
    fn weeks_start_on_monday_and_cover_the_period() {
        let period = Period {
            from: "2026-03-01".parse().unwrap(), // a Sunday
            to: "2026-03-10".parse().unwrap(),
        };
        let mut late = facts("B", "2026-03-09T08:00");
        late.due_at = Some(at("2026-03-09T10:00"));
        let w = weeks(
            period,
            &[facts("A", "2026-03-02T08:00"), late],
            at("2026-03-10T12:00"),
        );
        let starts: Vec<String> = w.iter().map(|w| w.start.to_string()).collect();
        assert_eq!(starts, ["2026-02-23", "2026-03-02", "2026-03-09"]);
        assert_eq!((w[1].received, w[1].on_time, w[1].late), (1, 1, 0));
        assert_eq!((w[2].received, w[2].on_time, w[2].late), (1, 0, 1));
    }
}
