//! Supervision over a real store file: the indicators of a crafted month whose values are
//! worked out by hand below, the backlog queues as dossiers move, the review with its roles,
//! reuse, ratings, sync held until approval, and the reports read back by independent readers.

mod common;

use std::path::{Path, PathBuf};

use hoso_desk::reports::ReportFormat;
use hoso_desk::{Desk, FixedClock};
use hoso_model::account::NewAccount;
use hoso_model::lifecycle::EventKind;
use hoso_model::page::Target;
use hoso_model::supervision::{
    BacklogFilter, Breakdown, IndicatorCode, Period, Queue, Rating, ReviewDecision, ReviewState,
};
use hoso_model::time::parse_instant;
use hoso_model::unit::Unit;
use hoso_model::{Channel, ErrorCode, Field, NewDossier, Role};
use hoso_sync::local::Local;

fn t(s: &str) -> jiff::Timestamp {
    parse_instant(s).unwrap()
}

fn desk_at(dir: &Path, now: &str) -> Desk {
    let (desk, _) = common::open_desk(dir, FixedClock(t(now))).unwrap();
    if desk.unit().unwrap().is_none() {
        desk.set_unit(Unit {
            code: "H25.123".into(),
            name: "Trung tâm Phục vụ hành chính công xã Thạch Hà".into(),
            governing_body: String::new(),
            device_slot: 0,
            office_hours: Default::default(),
        })
        .unwrap();
    }
    desk
}

fn page_jpeg(seed: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(620, 877, |x, y| {
        let line = (y / 20 + seed).is_multiple_of(3) && x > 60 + seed && x < 560 && (y % 20) < 4;
        if line {
            image::Rgb([20, 20, 20])
        } else {
            image::Rgb([245, 245, 240])
        }
    });
    let mut out = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85);
    encoder.set_pixel_density(image::codecs::jpeg::PixelDensity::dpi(300));
    encoder.encode_image(&img).unwrap();
    out
}

struct Files {
    dir: tempfile::TempDir,
    n: std::cell::Cell<u32>,
}

impl Files {
    fn new() -> Files {
        Files {
            dir: tempfile::tempdir().unwrap(),
            n: std::cell::Cell::new(0),
        }
    }

    /// A page file no other test page looks like.
    fn page(&self) -> PathBuf {
        let n = self.n.get() + 1;
        self.n.set(n);
        let path = self.dir.path().join(format!("page-{n}.jpg"));
        std::fs::write(&path, page_jpeg(n * 7)).unwrap();
        path
    }
}

/// Marital-status certificate: 3 working days; component 1 needs a scan, 2 is show-only; it
/// issues a result document.
const MARITAL: &str = "1.004873";

fn receive(desk: &Desk, at: &str, channel: Channel) -> String {
    desk.register_at(
        &NewDossier {
            procedure_code: MARITAL.into(),
            applicant_name: "Trần Thị Mai".into(),
            channel,
            ..Default::default()
        },
        t(at),
    )
    .unwrap()
    .code
    .unwrap()
}

fn step(desk: &Desk, code: &str, kind: EventKind, at: &str) {
    let reason = kind.needs_reason().then(|| "thiếu giấy tờ".to_owned());
    desk.transition(code, kind, Some(t(at)), reason).unwrap();
}

fn attach(desk: &Desk, files: &Files, code: &str, target: Target) {
    desk.attach(code, &target, &[files.page()]).unwrap();
}

fn component(desk: &Desk, files: &Files, code: &str) {
    attach(desk, files, code, Target::Component { n: 1 });
}

fn result(desk: &Desk, files: &Files, code: &str) {
    attach(desk, files, code, Target::Result { code: None });
}

/// The hub accepts the dossier's current version, as the sync engine records it.
fn synced(desk: &Desk, code: &str) {
    let id = desk.detail(code).unwrap().dossier.id;
    let version = desk.sync_version(&id).unwrap();
    desk.sync_local().acknowledge(&id, version).unwrap();
}

fn march() -> Period {
    Period {
        from: "2026-03-01".parse().unwrap(),
        to: "2026-03-31".parse().unwrap(),
    }
}

#[test]
fn the_indicators_of_a_crafted_month_are_those_worked_out_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let files = Files::new();
    // Judged in April: every open dossier is judged at the end of March.
    let desk = desk_at(dir.path(), "2026-04-10T09:00");
    let direct = Channel::Direct;

    // A: out to the resolving unit and back in a day, returned with its result; synced; the
    // citizen is satisfied.
    let a = receive(&desk, "2026-03-02T09:00", direct);
    component(&desk, &files, &a);
    step(&desk, &a, EventKind::Transfer, "2026-03-02T10:00");
    step(&desk, &a, EventKind::Back, "2026-03-03T10:00");
    result(&desk, &files, &a);
    step(&desk, &a, EventKind::Return, "2026-03-04T08:00");
    desk.rate(&a, Rating::Satisfied).unwrap();
    // B: resolved two weeks late, no result file; never synced; the citizen is not satisfied.
    let b = receive(&desk, "2026-03-02T09:30", direct);
    component(&desk, &files, &b);
    step(&desk, &b, EventKind::Resolve, "2026-03-16T09:00");
    desk.rate(&b, Rating::Dissatisfied).unwrap();
    // C: two supplementation requests: late whatever the dates.
    let c = receive(&desk, "2026-03-03T09:00", direct);
    component(&desk, &files, &c);
    step(&desk, &c, EventKind::SupplementRequest, "2026-03-04T09:00");
    step(&desk, &c, EventKind::SupplementReceived, "2026-03-05T09:00");
    step(&desk, &c, EventKind::SupplementRequest, "2026-03-05T10:00");
    step(&desk, &c, EventKind::SupplementReceived, "2026-03-06T09:00");
    step(&desk, &c, EventKind::Resolve, "2026-03-06T10:00");
    result(&desk, &files, &c);
    // D: received on the 30th, still open, due in April: within its time at the month's end.
    let d = receive(&desk, "2026-03-30T10:00", direct);
    // E: received on the 20th, still open, due on the 25th: late at the month's end.
    let e = receive(&desk, "2026-03-20T10:00", direct);
    // F: withdrawn by the citizen: not counted by 2.1.
    let f = receive(&desk, "2026-03-10T10:00", direct);
    step(&desk, &f, EventKind::Withdraw, "2026-03-11T10:00");
    // G: online, resolved the next day with its result file; synced; rated neutral.
    let g = receive(&desk, "2026-03-12T10:00", Channel::Online);
    step(&desk, &g, EventKind::Resolve, "2026-03-13T10:00");
    result(&desk, &files, &g);
    desk.rate(&g, Rating::Neutral).unwrap();
    // H: online, resolved the next day, no result file.
    let h = receive(&desk, "2026-03-12T11:00", Channel::Online);
    step(&desk, &h, EventKind::Resolve, "2026-03-13T11:00");
    // I: its component reused from A's, resolved the next day with a result; synced.
    let i = receive(&desk, "2026-03-16T09:00", direct);
    assert_eq!(desk.reuse(&i, 1, &a, 1).unwrap(), 1);
    step(&desk, &i, EventKind::Resolve, "2026-03-17T09:00");
    result(&desk, &files, &i);
    // Outside the period: received in February and in April.
    let before = receive(&desk, "2026-02-27T09:00", direct);
    let after = receive(&desk, "2026-04-01T08:00", direct);
    for code in [&a, &g, &i, &before, &after] {
        synced(&desk, code);
    }

    let got = desk.indicators(march(), None).unwrap();
    let unit = &got.unit;
    assert_eq!(unit.received, 9, "A to I, not the February or April ones");
    let rate = |code| unit.get(code).rate.unwrap();
    let close = |a: f64, b: f64| (a - b).abs() < 0.01;
    // 1.4: A, G, I of 9.
    assert_eq!(
        (
            unit.get(IndicatorCode::SyncRate).met,
            unit.get(IndicatorCode::SyncRate).counted
        ),
        (3, 9)
    );
    // 2.1: F withdrawn leaves 8; late: B (after its date), C (second request), E (open, past due).
    let on_time = unit.get(IndicatorCode::OnTime);
    assert_eq!((on_time.met, on_time.counted), (5, 8));
    let mut late = on_time.missed_codes.clone();
    late.sort();
    let mut expected = vec![b.clone(), c.clone(), e.clone()];
    expected.sort();
    assert_eq!(late, expected, "the late ones, by name");
    assert!(
        !on_time.counted_codes.contains(&f),
        "withdrawn is not counted"
    );
    assert!(on_time.counted_codes.contains(&d) && !late.contains(&d));
    // 4.1: resolved with a result expected: A, B, C, G, H, I; with a file: A, C, G, I.
    let result_rate = unit.get(IndicatorCode::ElectronicResult);
    assert_eq!((result_rate.met, result_rate.counted), (4, 6));
    // 4.2: A, C, G (online, needs no scan), I (reused pages count) of 9; B and H lack their
    // result, D, E, F have no pages.
    let digitised = unit.get(IndicatorCode::Digitisation);
    assert_eq!((digitised.met, digitised.counted), (4, 9));
    assert!(close(rate(IndicatorCode::Digitisation), 400.0 / 9.0));
    let points = digitised.points.unwrap();
    assert!(
        close(points, 8.0 * (400.0 / 9.0) / 80.0),
        "a share of 4.2's points below 80 %: {points}"
    );
    // 4.3: I only.
    assert_eq!(unit.get(IndicatorCode::Reuse).met, 1);
    // 5.4: 100 − (late 3/8 = 37.5 % + not satisfied 1/3 ratings = 33.3 %).
    assert!(close(
        rate(IndicatorCode::Satisfaction),
        100.0 - (37.5 + 100.0 / 3.0)
    ));
    // The chart: the week of 2 March received A, B, C, of which A is on time.
    let week = got
        .weeks
        .iter()
        .find(|w| w.start.to_string() == "2026-03-02")
        .unwrap();
    assert_eq!((week.received, week.on_time, week.late), (3, 1, 2));
    assert_eq!(
        got.weeks.iter().map(|w| w.received).sum::<u64>(),
        9,
        "every dossier of the period is in one week"
    );

    // Per procedure: one procedure, the same numbers.
    let by = desk
        .indicators(march(), Some(Breakdown::Procedure))
        .unwrap();
    assert_eq!(by.by.len(), 1);
    assert_eq!(by.by[0].key, MARITAL);
    assert_eq!(by.by[0].get(IndicatorCode::OnTime).met, 5);

    // The facts survive reopening (they are rebuilt when missing and kept in the file).
    drop(desk);
    let desk = desk_at(dir.path(), "2026-04-10T09:00");
    assert_eq!(desk.indicators(march(), None).unwrap().unit, got.unit);
}

fn add(desk: &Desk, name: &str, role: Role) {
    desk.add_account(&NewAccount {
        name: name.into(),
        full_name: name.into(),
        role,
        password: common::PASSWORD.into(),
    })
    .unwrap();
}

#[test]
fn the_queues_follow_a_dossier_from_the_counter_through_review_and_rework() {
    let dir = tempfile::tempdir().unwrap();
    let files = Files::new();
    let desk = desk_at(dir.path(), "2026-03-05T09:00");
    add(&desk, "lan", Role::Officer);
    add(&desk, "hung", Role::Supervisor);
    desk.switch_user("lan", common::PASSWORD).unwrap();
    let code = receive(&desk, "2026-03-05T08:00", Channel::Direct);
    let count = |desk: &Desk, q| desk.backlog(&BacklogFilter::default()).unwrap().count(q);

    // An officer may not see the backlog below the window either.
    let err = desk.backlog(&BacklogFilter::default()).unwrap_err();
    assert!(matches!(err, hoso_desk::Error::Forbidden { .. }), "{err}");
    assert!(
        desk.queue(Queue::NotDigitised, &BacklogFilter::default())
            .is_err()
    );
    assert!(
        desk.decide(&code, ReviewDecision::Approve, None).is_err(),
        "an officer approves nothing"
    );

    desk.switch_user("hung", common::PASSWORD).unwrap();
    assert_eq!(count(&desk, Queue::NotDigitised), 1);
    assert_eq!(count(&desk, Queue::AwaitingReview), 0);
    assert_eq!(count(&desk, Queue::SyncWaiting), 1, "never sent");
    let listed = desk
        .queue(Queue::NotDigitised, &BacklogFilter::default())
        .unwrap();
    assert_eq!(listed[0].dossier.code.as_deref(), Some(code.as_str()));
    assert_eq!(listed[0].officer.as_deref(), Some("lan"), "who received it");
    let by_other = BacklogFilter {
        officer: Some("someone".into()),
        ..Default::default()
    };
    assert_eq!(
        desk.backlog(&by_other).unwrap().count(Queue::NotDigitised),
        0
    );

    // Scanned: awaiting review.
    component(&desk, &files, &code);
    assert_eq!(count(&desk, Queue::NotDigitised), 0);
    assert_eq!(count(&desk, Queue::AwaitingReview), 1);
    let err = desk
        .decide(&code, ReviewDecision::Rework, Some("  ".into()))
        .unwrap_err();
    assert_eq!(
        hoso_model::ApiError::from(&err).field,
        Some(Field::Review),
        "a return needs a note"
    );
    desk.decide(
        &code,
        ReviewDecision::Rework,
        Some("Trang 1 bị mờ, quét lại".into()),
    )
    .unwrap();
    assert_eq!(count(&desk, Queue::AwaitingReview), 0);
    assert_eq!(count(&desk, Queue::Rework), 1);

    // The officer sees it, with the note, and resubmits it.
    desk.switch_user("lan", common::PASSWORD).unwrap();
    let mine = desk
        .queue(Queue::Rework, &BacklogFilter::default())
        .unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].note.as_deref(), Some("Trang 1 bị mờ, quét lại"));
    desk.decide(&code, ReviewDecision::Resubmit, None).unwrap();
    assert!(
        desk.decide(&code, ReviewDecision::Resubmit, None).is_err(),
        "only what was returned is resubmitted"
    );

    desk.switch_user("hung", common::PASSWORD).unwrap();
    assert_eq!(count(&desk, Queue::AwaitingReview), 1);
    assert_eq!(desk.approve_all(std::slice::from_ref(&code)).unwrap(), 1);
    assert_eq!(count(&desk, Queue::AwaitingReview), 0);
    let review = desk.review(&code).unwrap();
    assert_eq!(review.state, ReviewState::Approved);
    let decisions: Vec<_> = review
        .log
        .iter()
        .map(|e| (e.decision, e.actor.as_str()))
        .collect();
    assert_eq!(
        decisions,
        [
            (ReviewDecision::Rework, "hung"),
            (ReviewDecision::Resubmit, "lan"),
            (ReviewDecision::Approve, "hung")
        ]
    );
    // A page added after approval puts it back in review.
    component(&desk, &files, &code);
    assert_eq!(count(&desk, Queue::AwaitingReview), 1);
    desk.decide(&code, ReviewDecision::Approve, None).unwrap();

    // Due dates: due on the 10th (3 working days from Thursday 5th).
    let on = |now: &str| {
        let (d, _) =
            Desk::sign_in(dir.path(), "hung", common::PASSWORD, FixedClock(t(now))).unwrap();
        d
    };
    drop(desk);
    let due = on("2026-03-09T09:00");
    assert_eq!(
        due.backlog(&BacklogFilter::default())
            .unwrap()
            .count(Queue::DueTomorrow),
        1
    );
    drop(due);
    let late = on("2026-03-11T09:00");
    let backlog = late.backlog(&BacklogFilter::default()).unwrap();
    assert_eq!(backlog.count(Queue::Overdue), 1);
    assert_eq!(backlog.count(Queue::DueToday), 0);
    // Waiting for the citizen: not overdue, the clock is paused.
    late.transition(
        &code,
        EventKind::SupplementRequest,
        None,
        Some("thiếu".into()),
    )
    .unwrap();
    let backlog = late.backlog(&BacklogFilter::default()).unwrap();
    assert_eq!(
        (
            backlog.count(Queue::Overdue),
            backlog.count(Queue::SupplementPending)
        ),
        (0, 1)
    );
    late.transition(&code, EventKind::SupplementReceived, None, None)
        .unwrap();
    late.transition(&code, EventKind::Resolve, None, None)
        .unwrap();
    assert_eq!(
        late.backlog(&BacklogFilter::default())
            .unwrap()
            .count(Queue::ResultsNotDigitised),
        1,
        "resolved, its result not scanned"
    );
    // Every decision is in the audit log, by code only.
    let reviews = late
        .audit_log(&hoso_model::account::AuditFilter {
            action: Some("review".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(reviews.len(), 4, "rework, resubmit, approve, approve again");
    assert!(
        reviews.iter().all(|e| !e.detail.contains("Trang")),
        "no note in the log"
    );
}

#[test]
fn with_review_before_sync_only_approved_dossiers_are_offered_to_the_hub() {
    let dir = tempfile::tempdir().unwrap();
    let files = Files::new();
    let desk = desk_at(dir.path(), "2026-03-05T09:00");
    let one = receive(&desk, "2026-03-05T08:00", Channel::Direct);
    let two = receive(&desk, "2026-03-05T08:10", Channel::Direct);
    component(&desk, &files, &one);
    component(&desk, &files, &two);
    let local = desk.sync_local();
    let waiting = || local.waiting(i64::MAX, 10).unwrap().len();
    assert_eq!(waiting(), 2);
    desk.set_sync_after_approval(true).unwrap();
    assert_eq!(waiting(), 0, "nothing approved yet");
    desk.decide(&one, ReviewDecision::Approve, None).unwrap();
    let offered = local.waiting(i64::MAX, 10).unwrap();
    assert_eq!(offered.len(), 1);
    assert_eq!(offered[0].dossier_id, desk.detail(&one).unwrap().dossier.id);
    desk.set_sync_after_approval(false).unwrap();
    assert_eq!(waiting(), 2);
    let _ = two;
}

#[test]
fn reused_pages_share_the_kept_file_carry_their_text_and_are_not_flagged_as_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let files = Files::new();
    let desk = desk_at(dir.path(), "2026-03-05T09:00");
    let first = receive(&desk, "2026-03-02T08:00", Channel::Direct);
    component(&desk, &files, &first);
    let second = receive(&desk, "2026-03-05T08:00", Channel::Direct);
    assert_eq!(desk.reuse(&second, 1, &first, 1).unwrap(), 1);
    let pages = desk.digitisation(&second).unwrap().pages;
    assert_eq!(pages.len(), 1);
    assert!(pages[0].flags.is_empty(), "{:?}", pages[0].flags);
    assert_eq!(pages[0].source_name, first, "it says where it came from");
    assert!(
        desk.digitisation(&first).unwrap().pages[0].flags.is_empty(),
        "the original is not a duplicate of its reuse either"
    );
    let err = desk.reuse(&second, 1, &first, 2).unwrap_err();
    assert_eq!(
        hoso_model::ApiError::from(&err).code,
        ErrorCode::Validation,
        "nothing to reuse there"
    );
    assert_eq!(
        desk.backlog(&BacklogFilter::default())
            .unwrap()
            .count(Queue::NotDigitised),
        0
    );
}

#[test]
fn reports_are_read_back_by_a_spreadsheet_reader_and_a_csv_parser() {
    let dir = tempfile::tempdir().unwrap();
    let files = Files::new();
    let desk = desk_at(dir.path(), "2026-04-02T09:00");
    let a = receive(&desk, "2026-03-02T09:00", Channel::Direct);
    component(&desk, &files, &a);
    receive(&desk, "2026-03-03T09:00", Channel::Direct);

    let csv = desk
        .indicators_report(march(), None, ReportFormat::Csv)
        .unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "a BOM for Excel");
    let mut reader = csv::Reader::from_reader(&csv[3..]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let digitised = rows.iter().find(|r| &r[1] == "4.2").unwrap();
    assert_eq!((&digitised[3], &digitised[4]), ("1", "2"));
    assert_eq!(&digitised[5], "50");

    let xlsx = desk
        .indicators_report(march(), Some(Breakdown::Officer), ReportFormat::Xlsx)
        .unwrap();
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(xlsx)).unwrap();
    let names = book.sheet_names();
    assert_eq!(names.len(), 4, "{names:?}");
    let indicators = book.worksheet_range(&names[1]).unwrap();
    let row = indicators
        .rows()
        .find(|r| r[1] == calamine::Data::String("4.2".into()))
        .unwrap()
        .to_vec();
    assert_eq!(row[3], calamine::Data::Float(1.0), "counts are numbers");
    assert_eq!(row[4], calamine::Data::Float(2.0));
    let backlog = book.worksheet_range(&names[0]).unwrap();
    let not_digitised = backlog
        .rows()
        .find(|r| r[0] == calamine::Data::String("not_digitised".into()))
        .unwrap()
        .to_vec();
    assert_eq!(not_digitised[2], calamine::Data::Float(1.0));

    let saved = desk.save_supervision_report(march()).unwrap();
    assert!(saved.starts_with(dir.path().join("reports")));
    assert!(std::fs::read(&saved).unwrap().starts_with(b"PK"), "a zip");
}

#[test]
fn the_command_line_prints_the_backlog_indicators_and_reports() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = common::hoso_command(dir.path())
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "hoso {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    run(&[
        "init",
        "--unit-code",
        "H25.123",
        "--unit-name",
        "Xã Thạch Hà",
    ]);
    let intake: serde_json::Value = serde_json::from_slice(&run(&[
        "intake",
        "--procedure",
        MARITAL,
        "--applicant",
        "Lê Văn Nam",
        "--received-at",
        "2026-03-02T09:00",
        "--json",
    ]))
    .unwrap();
    let code = intake["code"].as_str().unwrap().to_owned();
    let backlog: serde_json::Value = serde_json::from_slice(&run(&["backlog", "--json"])).unwrap();
    let not_digitised = backlog["queues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["queue"] == "not_digitised")
        .unwrap();
    assert_eq!(not_digitised["count"], 1);
    let listed: serde_json::Value =
        serde_json::from_slice(&run(&["backlog", "--queue", "not-digitised", "--json"])).unwrap();
    assert_eq!(listed[0]["dossier"]["code"], code.as_str());
    let indicators: serde_json::Value = serde_json::from_slice(&run(&[
        "indicators",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
        "--by",
        "officer",
        "--json",
    ]))
    .unwrap();
    assert_eq!(indicators["unit"]["received"], 1);
    assert_eq!(indicators["by"][0]["key"], common::ADMIN);
    let xlsx = out_dir.path().join("chi-so.xlsx");
    run(&[
        "report",
        "indicators",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
        "--out",
        xlsx.to_str().unwrap(),
    ]);
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));
    let book = out_dir.path().join("so.pdf");
    run(&[
        "report",
        "tracking-book",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
        "--out",
        book.to_str().unwrap(),
    ]);
    assert!(std::fs::read(&book).unwrap().starts_with(b"%PDF"));
    run(&["review", &code, "--rework", "Thiếu trang 2"]);
    let review: serde_json::Value =
        serde_json::from_slice(&run(&["review", &code, "--json"])).unwrap();
    assert_eq!(review["state"], "rework");
    // A bad period and an unknown report type are refused with a message and a non-zero exit.
    let out = common::hoso_command(dir.path())
        .args(["indicators", "--from", "2026-03-31", "--to", "2026-03-01"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).is_empty());
    let out = common::hoso_command(dir.path())
        .args([
            "report",
            "backlog",
            "--out",
            out_dir.path().join("x.txt").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(!out.status.success(), "a .txt report is refused");
}

#[test]
fn the_dossier_list_is_filtered_by_who_received_it_the_procedure_and_the_days() {
    use hoso_model::lifecycle::Status;
    let dir = tempfile::tempdir().unwrap();
    let desk = desk_at(dir.path(), "2026-03-10T09:00");
    add(&desk, "lan", Role::Officer);
    add(&desk, "binh", Role::Officer);
    desk.switch_user("lan", common::PASSWORD).unwrap();
    let first = receive(&desk, "2026-03-02T08:00", Channel::Direct);
    let copy = desk
        .register_at(
            &NewDossier {
                procedure_code: "2.000815".into(),
                applicant_name: "Lê Văn Tám".into(),
                ..Default::default()
            },
            t("2026-03-05T10:00"),
        )
        .unwrap()
        .code
        .unwrap();
    desk.switch_user("binh", common::PASSWORD).unwrap();
    let third = receive(&desk, "2026-03-09T14:00", Channel::Direct);
    step(&desk, &third, EventKind::Transfer, "2026-03-09T15:00");

    let codes = |filter: BacklogFilter, status: Option<Status>| -> Vec<String> {
        desk.dossiers_matching(status, &filter)
            .unwrap()
            .into_iter()
            .map(|d| d.code.unwrap())
            .collect()
    };
    let day = |s: &str| Some(s.parse::<jiff::civil::Date>().unwrap());
    assert_eq!(
        codes(BacklogFilter::default(), None),
        [third.as_str(), copy.as_str(), first.as_str()],
        "newest first"
    );
    let by = |officer: &str| BacklogFilter {
        officer: Some(officer.into()),
        ..Default::default()
    };
    assert_eq!(codes(by("lan"), None), [copy.as_str(), first.as_str()]);
    assert_eq!(codes(by("binh"), None), [third.as_str()]);
    assert!(codes(by("nobody"), None).is_empty());
    let procedure = BacklogFilter {
        procedure: Some(MARITAL.into()),
        ..Default::default()
    };
    assert_eq!(codes(procedure, None), [third.as_str(), first.as_str()]);
    // Both days count: the 5th from its first minute, the 9th to its last.
    let days = BacklogFilter {
        from: day("2026-03-05"),
        to: day("2026-03-09"),
        ..Default::default()
    };
    assert_eq!(codes(days, None), [third.as_str(), copy.as_str()]);
    let only_the_5th = BacklogFilter {
        from: day("2026-03-05"),
        to: day("2026-03-05"),
        ..Default::default()
    };
    assert_eq!(codes(only_the_5th, None), [copy.as_str()]);
    assert_eq!(
        codes(by("binh"), Some(Status::Processing)),
        [third.as_str()],
        "with the status"
    );
    assert!(codes(by("lan"), Some(Status::Processing)).is_empty());
    // A blank filter keeps everything, as an empty field in the window does.
    let blank = BacklogFilter {
        officer: Some("  ".into()),
        procedure: Some(String::new()),
        ..Default::default()
    };
    assert_eq!(codes(blank, None).len(), 3);

    // The command line takes the same filter.
    drop(desk);
    let out = common::hoso_command(dir.path())
        .args(["--json", "list", "--officer", "lan", "--from", "2026-03-03"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed: Vec<hoso_model::Dossier> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        listed
            .into_iter()
            .map(|d| d.code.unwrap())
            .collect::<Vec<_>>(),
        [copy]
    );
}
