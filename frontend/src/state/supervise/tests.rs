//! The supervisor's screen's reducer and small rules, checked natively.

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
    let filter = filter_from(" lan ", "2.000815", "1/3/2026", "31/03/2026").unwrap();
    assert_eq!(filter.officer.as_deref(), Some("lan"));
    assert_eq!(filter.procedure.as_deref(), Some("2.000815"));
    assert_eq!(
        (filter.from, filter.to),
        (Some(day("2026-03-01")), Some(day("2026-03-31")))
    );
    let err = filter_from("", "", "31/03/2026", "01/03/2026").unwrap_err();
    assert_eq!(err.field, Some(Field::Date));
    assert_eq!(
        filter_from("", "", "2026-03-01", "").unwrap().from,
        Some(day("2026-03-01")),
        "ISO days are read too"
    );
    assert!(
        filter_from("", "", "03/31/2026", "").is_err(),
        "month first is not a day"
    );
    assert!(filter_from("", "", "31/03/26", "").is_err());
    assert!(
        period_from("01/03/2026", "").is_err(),
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
