//! The desk's use cases over a real store file, and the `hoso` binary over the same data.

mod common;

use common::desk::{at, form, hoso, unit};

use hoso_model::lifecycle::{EventKind, Status};
use hoso_model::{ErrorCode, Field, Language};

#[test]
fn a_registered_dossier_is_listed_with_the_clock_time_and_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let (desk, notice) = common::open_desk(dir.path(), at("2026-03-05T02:00:00Z")).unwrap();
    assert!(notice.is_none());
    let saved = desk.register(&form("1.001193", "Nguyễn Văn Đức")).unwrap();
    assert_eq!(
        saved.received_at,
        "2026-03-05T02:00:00Z".parse().unwrap(),
        "time comes from the clock"
    );
    drop(desk);

    let (reopened, _) = common::open_desk(dir.path(), at("2026-03-06T02:00:00Z")).unwrap();
    assert_eq!(reopened.dossiers().unwrap(), vec![saved]);
}

#[test]
fn an_invalid_form_is_refused_with_its_field_and_nothing_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let (desk, _) = common::open_desk(dir.path(), at("2026-03-05T02:00:00Z")).unwrap();
    let err = desk.register(&form("9.999999", "Lê Thị Hoa")).unwrap_err();
    let api = hoso_model::ApiError::from(&err);
    assert_eq!(
        (api.code, api.field),
        (ErrorCode::Validation, Some(Field::Procedure))
    );
    assert!(!api.message.contains("Hoa"), "no personal data in an error");
    assert_eq!(desk.dossier_count().unwrap(), 0);
}

#[test]
fn the_chosen_language_is_remembered_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let (desk, _) = common::open_desk(dir.path(), at("2026-03-05T02:00:00Z")).unwrap();
    assert_eq!(
        desk.settings().unwrap().language,
        Language::Vi,
        "Vietnamese until someone chooses"
    );
    desk.set_language(Language::En).unwrap();
    drop(desk);
    let (desk, _) = common::open_desk(dir.path(), at("2026-03-05T02:00:00Z")).unwrap();
    assert_eq!(desk.settings().unwrap().language, Language::En);
}

#[test]
fn the_command_line_registers_into_the_same_store_the_desk_reads() {
    let dir = tempfile::tempdir().unwrap();
    let out = hoso(
        dir.path(),
        &[
            "intake",
            "--procedure",
            "2.000815",
            "--applicant",
            "Phạm Thị Ánh Tuyết",
            "--json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed: hoso_model::Dossier = serde_json::from_slice(&out.stdout).unwrap();

    let (desk, _) = common::open_desk(dir.path(), at("2026-03-05T02:00:00Z")).unwrap();
    assert_eq!(desk.dossiers().unwrap(), vec![printed.clone()]);

    let listed = hoso(dir.path(), &["list", "--json"]);
    let listed: Vec<hoso_model::Dossier> = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(listed, vec![printed]);
}

#[test]
fn a_command_line_error_is_localised_on_stderr_with_a_failing_exit_and_no_personal_data() {
    let dir = tempfile::tempdir().unwrap();
    let out = hoso(
        dir.path(),
        &["intake", "--procedure", "2.000815", "--applicant", "   "],
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("Chưa nhập họ tên người nộp"),
        "Vietnamese by default: {stderr}"
    );

    let out = hoso(
        dir.path(),
        &[
            "--lang",
            "en",
            "intake",
            "--procedure",
            "0.000000",
            "--applicant",
            "Võ Văn Kiệt",
        ],
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("Choose a procedure from the catalogue"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("Kiệt"),
        "the applicant's name must not appear in an error"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn a_dossier_gets_its_official_code_and_due_date_when_registered() {
    let dir = tempfile::tempdir().unwrap();
    // Friday 13 February 2026, 16:10 in Vietnam: after 15:00, then Tết.
    let (desk, _) = common::open_desk(dir.path(), at("2026-02-13T09:10:00Z")).unwrap();
    let before_unit = desk.register(&form("2.000815", "Trần Văn Bình")).unwrap();
    assert_eq!(before_unit.code, None, "no code until the unit is set up");
    desk.set_unit(unit(0)).unwrap();
    let first = desk.register(&form("2.000815", "Nguyễn Văn Đức")).unwrap();
    let second = desk.register(&form("2.000815", "Lê Thị Hoa")).unwrap();
    assert_eq!(first.code.as_deref(), Some("000.00.25.H25-260213-0001"));
    assert_eq!(second.code.as_deref(), Some("000.00.25.H25-260213-0002"));
    assert_eq!(
        first.due_at,
        Some("2026-02-23T10:00:00Z".parse().unwrap()),
        "17:00 on the first working day after Tết"
    );
    assert_eq!(
        desk.detail("000.00.25.H25-260213-0002").unwrap().dossier,
        second,
        "found by its code"
    );
}

#[test]
fn malformed_unit_settings_are_refused_field_by_field_and_nothing_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let (desk, _) = common::open_desk(dir.path(), at("2026-03-05T02:00:00Z")).unwrap();
    for (bad, field) in [
        (
            hoso_model::unit::Unit {
                code: "h25 123".into(),
                ..unit(0)
            },
            Field::UnitCode,
        ),
        (
            hoso_model::unit::Unit {
                name: "".into(),
                ..unit(0)
            },
            Field::UnitName,
        ),
        (unit(10), Field::DeviceSlot),
    ] {
        let api = hoso_model::ApiError::from(&desk.set_unit(bad).unwrap_err());
        assert_eq!(api.field, Some(field));
    }
    assert_eq!(desk.unit().unwrap(), None);
}

#[test]
fn two_desks_of_one_unit_issue_a_thousand_codes_each_at_once_without_a_collision() {
    let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    let mut threads = Vec::new();
    for (slot, dir) in dirs.iter().enumerate() {
        let (desk, _) = common::open_desk(dir.path(), at("2026-03-05T02:00:00Z")).unwrap();
        desk.set_unit(unit(slot as u8)).unwrap();
        // Two windows on each desk register at the same time.
        for half in 0..2 {
            let desk = desk.clone();
            threads.push(std::thread::spawn(move || {
                (0..500)
                    .map(|i| {
                        desk.register(&form("2.000815", &format!("Người {slot}-{half}-{i}")))
                            .unwrap()
                            .code
                            .unwrap()
                    })
                    .collect::<Vec<_>>()
            }));
        }
    }
    let codes: Vec<String> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    let unique: std::collections::HashSet<&String> = codes.iter().collect();
    assert_eq!(codes.len(), 2000);
    assert_eq!(unique.len(), 2000, "no two dossiers share a code");
    assert!(
        unique.contains(&"000.00.25.H25-260305-10001".to_owned()),
        "slot 0's 1000th code opens its next block"
    );
    assert!(
        unique.contains(&"000.00.25.H25-260305-1999".to_owned()),
        "slot 1 numbers in its own thousand"
    );
}

#[test]
fn a_killed_process_never_leaves_a_code_issued_without_its_dossier() {
    let dir = tempfile::tempdir().unwrap();
    let out = hoso(
        dir.path(),
        &[
            "init",
            "--unit-code",
            "H25.123",
            "--unit-name",
            "Xã Thạch Hà",
        ],
    );
    assert!(out.status.success());
    let mut killed = 0;
    for i in 0..40u64 {
        let mut child = common::hoso_command(dir.path())
            .args([
                "intake",
                "--procedure",
                "2.000815",
                "--applicant",
                &format!("Người {i}"),
            ])
            .args(["--received-at", "2026-03-05T09:00:00+07:00"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Kill some at varying points of their run: before, during or after the transaction.
        if i % 2 == 0 {
            std::thread::sleep(std::time::Duration::from_micros(500 * (i % 17)));
            if child.kill().is_ok() {
                killed += 1;
            }
        }
        child.wait().unwrap();
    }
    assert!(killed > 0);
    let (desk, _) = common::open_desk(dir.path(), at("2026-03-05T02:00:00Z")).unwrap();
    let mut numbers: Vec<u32> = desk
        .dossiers()
        .unwrap()
        .iter()
        .map(|d| {
            d.code
                .as_deref()
                .unwrap()
                .rsplit('-')
                .next()
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect();
    numbers.sort();
    let expected: Vec<u32> = (1..=numbers.len() as u32).collect();
    assert!(numbers.len() >= 20, "the processes not killed all saved");
    assert_eq!(
        numbers, expected,
        "codes run 1, 2, 3… with no number used twice and none lost"
    );
}

#[test]
fn the_lifecycle_is_enforced_and_a_refused_action_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (desk, _) = common::open_desk(dir.path(), at("2026-03-02T02:00:00Z")).unwrap();
    desk.set_unit(unit(0)).unwrap();
    // 3 working days from Monday 09:00: due Thursday 09:00.
    let d = desk.register(&form("1.004873", "Đỗ Thị Mai")).unwrap();
    let code = d.code.clone().unwrap();
    assert_eq!(d.due_at, Some("2026-03-05T02:00:00Z".parse().unwrap()));

    let t = |h: &str| Some(h.parse::<jiff::Timestamp>().unwrap());
    let before = desk.detail(&code).unwrap();
    let refused = desk
        .transition(&code, EventKind::Return, t("2026-03-02T03:00:00Z"), None)
        .unwrap_err();
    assert_eq!(
        hoso_model::ApiError::from(&refused).field,
        Some(Field::Event)
    );
    let no_reason = desk
        .transition(
            &code,
            EventKind::Refuse,
            t("2026-03-02T03:00:00Z"),
            Some("  ".into()),
        )
        .unwrap_err();
    assert_eq!(
        hoso_model::ApiError::from(&no_reason).field,
        Some(Field::Reason)
    );
    assert_eq!(
        desk.detail(&code).unwrap(),
        before,
        "refused actions leave no trace"
    );

    desk.transition(&code, EventKind::Transfer, t("2026-03-02T03:00:00Z"), None)
        .unwrap();
    desk.transition(
        &code,
        EventKind::SupplementRequest,
        t("2026-03-02T03:30:00Z"),
        Some("Bổ sung bản sao giấy khai sinh".into()),
    )
    .unwrap();
    // Waiting from Monday 10:30 to Tuesday 10:30: 8 office hours, so the due date moves a day.
    let back = desk
        .transition(
            &code,
            EventKind::SupplementReceived,
            t("2026-03-03T03:30:00Z"),
            None,
        )
        .unwrap();
    assert_eq!(back.dossier.status, Status::Processing);
    assert_eq!(
        back.dossier.due_at,
        Some("2026-03-06T02:00:00Z".parse().unwrap())
    );
    let done = desk
        .transition(&code, EventKind::Back, t("2026-03-04T03:00:00Z"), None)
        .unwrap();
    assert_eq!(done.dossier.status, Status::Resolved);
    assert_eq!(done.allowed, vec![EventKind::Return]);
    let kinds: Vec<EventKind> = done.events.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        vec![
            EventKind::Receive,
            EventKind::Transfer,
            EventKind::SupplementRequest,
            EventKind::SupplementReceived,
            EventKind::Back
        ]
    );
    assert_eq!(
        desk.dossiers_with_status(Some(Status::Resolved))
            .unwrap()
            .len(),
        1
    );
    assert!(
        desk.dossiers_with_status(Some(Status::Received))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn the_command_line_prints_the_due_date_of_any_case() {
    let dir = tempfile::tempdir().unwrap();
    let out = hoso(
        dir.path(),
        &[
            "calendar",
            "due",
            "--procedure",
            "2.000815",
            "--received-at",
            "2026-02-13T16:10:00+07:00",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim(),
        "2026-02-23T17:00:00+07:00"
    );
    let out = hoso(
        dir.path(),
        &[
            "calendar",
            "due",
            "--procedure",
            "2.000815",
            "--received-at",
            "13/02/2026",
            "--lang",
            "en",
        ],
    );
    assert!(!out.status.success());
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("write day/month/year")
    );
}

#[test]
fn a_dossier_is_found_by_a_name_typed_without_diacritics_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = hoso(
        dir.path(),
        &[
            "intake",
            "--procedure",
            "1.001193",
            "--applicant",
            "Đặng Thị Ngọc Ánh",
            "--id-number",
            "042 199 001 234",
            "--phone",
            "+84 905 111 222",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    hoso(
        dir.path(),
        &[
            "intake",
            "--procedure",
            "1.001193",
            "--applicant",
            "Trần Văn Dũng",
        ],
    );
    for query in ["dang thi ngoc anh", "ĐẶNG", "ngoc", "042199", "0905111"] {
        let out = hoso(dir.path(), &["search", query, "--json"]);
        let found: Vec<hoso_model::Dossier> = serde_json::from_slice(&out.stdout).unwrap();
        let names: Vec<&str> = found.iter().map(|d| d.applicant_name.as_str()).collect();
        assert_eq!(names, vec!["Đặng Thị Ngọc Ánh"], "{query}");
    }
    let out = hoso(dir.path(), &["search", "dung", "--json"]);
    let found: Vec<hoso_model::Dossier> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(found.len(), 1, "Dũng, not Đặng");
    assert_eq!(found[0].phone, None);
    let out = hoso(
        dir.path(),
        &[
            "intake",
            "--procedure",
            "1.001193",
            "--applicant",
            "Lê Văn Tám",
            "--phone",
            "12345",
        ],
    );
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("Số điện thoại gồm số 0")
    );
}
