//! The desk's forms and catalogue over a real store file, and the `hoso` binary over the same
//! data: receipts and notices made from the stored dossier, office hours, a newer catalogue.

mod common;

use common::desk::{at, form, hoso, unit};
use hoso_model::Field;
use hoso_model::lifecycle::EventKind;

#[test]
fn forms_are_made_from_the_stored_dossier_and_refused_when_they_cannot_be() {
    let dir = tempfile::tempdir().unwrap();
    let (desk, _) = common::open_desk(dir.path(), at("2026-03-02T02:00:00Z")).unwrap();
    let early = desk.register(&form("2.000815", "Lê Văn Sớm")).unwrap();
    let api = |e: &hoso_desk::Error| hoso_model::ApiError::from(e);
    assert_eq!(
        api(&desk.receipt(&early.id.0).unwrap_err()).field,
        Some(Field::UnitCode),
        "a receipt needs the unit"
    );
    desk.set_unit(unit(0)).unwrap();
    let d = desk.register(&form("2.000815", "Nguyễn Văn Đức")).unwrap();
    let code = d.code.clone().unwrap();
    let receipt = desk.receipt(&code).unwrap();
    assert!(receipt.starts_with(b"%PDF-"), "a PDF");
    let no_request = desk
        .notice_form(&code, hoso_forms::NoticeKind::Supplement)
        .unwrap_err();
    assert_eq!(
        api(&no_request).field,
        Some(Field::Event),
        "nothing to print before the request"
    );
    desk.transition(
        &code,
        EventKind::SupplementRequest,
        None,
        Some("Bổ sung bản chính".into()),
    )
    .unwrap();
    assert!(
        desk.notice_form(&code, hoso_forms::NoticeKind::Supplement)
            .unwrap()
            .starts_with(b"%PDF-")
    );

    let book = desk
        .tracking_book(
            jiff::civil::date(2026, 3, 1),
            jiff::civil::date(2026, 3, 31),
        )
        .unwrap();
    assert!(book.starts_with(b"%PDF-"));
    let backwards = desk
        .tracking_book(
            jiff::civil::date(2026, 3, 31),
            jiff::civil::date(2026, 3, 1),
        )
        .unwrap_err();
    assert_eq!(api(&backwards).field, Some(Field::Date));
}

#[test]
fn the_command_line_writes_the_receipt_whole_where_asked() {
    let dir = tempfile::tempdir().unwrap();
    hoso(
        dir.path(),
        &[
            "init",
            "--unit-code",
            "H25.123",
            "--unit-name",
            "Xã Thạch Hà",
        ],
    );
    let out = hoso(
        dir.path(),
        &[
            "intake",
            "--procedure",
            "1.001193",
            "--applicant",
            "Võ Thị Sáu",
            "--json",
        ],
    );
    let d: hoso_model::Dossier = serde_json::from_slice(&out.stdout).unwrap();
    let pdf = dir.path().join("biên nhận.pdf");
    let out = hoso(
        dir.path(),
        &[
            "receipt",
            d.code.as_deref().unwrap(),
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"),
        "a Vietnamese file name is fine too"
    );
    let missing = dir.path().join("no/such/folder/r.pdf");
    let out = hoso(
        dir.path(),
        &[
            "receipt",
            d.code.as_deref().unwrap(),
            "--out",
            missing.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    assert!(!missing.exists());
}

#[test]
fn the_units_office_hours_set_when_a_same_day_dossier_is_due() {
    let dir = tempfile::tempdir().unwrap();
    let bad = hoso(
        dir.path(),
        &[
            "init",
            "--unit-code",
            "H25.123",
            "--unit-name",
            "Xã Thạch Hà",
            "--office-hours",
            "11:00-07:00",
        ],
    );
    assert!(
        String::from_utf8(bad.stderr)
            .unwrap()
            .contains("Giờ làm việc viết như")
    );
    let out = hoso(
        dir.path(),
        &[
            "init",
            "--unit-code",
            "H25.123",
            "--unit-name",
            "Xã Thạch Hà",
            "--office-hours",
            "07:00-11:00",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = hoso(
        dir.path(),
        &[
            "intake",
            "--procedure",
            "2.000815",
            "--applicant",
            "Lê Văn A",
            "--received-at",
            "2026-03-02T09:00",
            "--json",
        ],
    );
    let d: hoso_model::Dossier = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        d.due_at,
        Some("2026-03-02T04:00:00Z".parse().unwrap()),
        "11:00, the unit's closing time"
    );
}

#[test]
fn a_newer_catalogue_replaces_the_shipped_one_and_a_bad_or_older_one_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let shipped: serde_json::Value =
        serde_json::from_str(include_str!("../../../catalogue/procedures.json")).unwrap();
    let mut newer = shipped.clone();
    newer["version"] = "2099-01-01".into();
    newer["procedures"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "code": "1.000001", "name": "Thủ tục thử nghiệm", "field": "Thử nghiệm",
            "due": { "limit": { "kind": "working_days", "days": 1 } }
        }));
    let write = |name: &str, value: &serde_json::Value| {
        let path = dir.path().join(name);
        std::fs::write(&path, value.to_string()).unwrap();
        path
    };
    let newer_file = write("newer.json", &newer);
    let out = hoso(
        dir.path(),
        &["import-catalogue", newer_file.to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (desk, _) = common::open_desk(dir.path(), at("2026-03-02T02:00:00Z")).unwrap();
    assert!(
        desk.procedures().iter().any(|p| p.code == "1.000001"),
        "the imported catalogue is in use"
    );
    assert!(desk.register(&form("1.000001", "Lê Văn A")).is_ok());
    drop(desk);

    let mut older = shipped.clone();
    older["version"] = "2000-01-01".into();
    let mut broken = newer.clone();
    broken["procedures"][0]["code"] = "not-a-code".into();
    for file in [
        write("older.json", &older),
        write("broken.json", &broken),
        write("junk.json", &serde_json::json!({"x": 1})),
    ] {
        let out = hoso(dir.path(), &["import-catalogue", file.to_str().unwrap()]);
        assert!(!out.status.success(), "{file:?} must be refused");
        assert!(
            String::from_utf8(out.stderr)
                .unwrap()
                .contains("Tệp danh mục không hợp lệ")
        );
    }
    let (desk, _) = common::open_desk(dir.path(), at("2026-03-02T02:00:00Z")).unwrap();
    assert!(
        desk.procedures().iter().any(|p| p.code == "1.000001"),
        "refused files changed nothing"
    );
}

#[test]
fn the_command_line_finds_procedures_by_words_typed_without_diacritics() {
    let dir = tempfile::tempdir().unwrap();
    let out = hoso(dir.path(), &["procedures", "khai sinh", "--json"]);
    let found: Vec<hoso_model::Procedure> = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = found.iter().map(|p| p.code.as_str()).collect();
    assert_eq!(codes, vec!["1.001193"]);
    let out = hoso(dir.path(), &["procedures", "--json"]);
    let all: Vec<hoso_model::Procedure> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(all.len(), 10);
}
