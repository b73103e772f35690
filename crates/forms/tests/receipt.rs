//! The receipt as a reader sees it: its text through Poppler's `pdftotext` against a snapshot,
//! and its QR code through ZBar's `zbarimg` (both from Debian, installed by ./x).

use std::process::Command;

use hoso_model::calendar::due::OfficeHours;
use hoso_model::unit::Unit;
use hoso_model::{Channel, Dossier, DossierId, Procedure};

fn procedure() -> Procedure {
    let catalogue: serde_json::Value =
        serde_json::from_str(include_str!("../../../catalogue/procedures.json")).unwrap();
    let all: Vec<Procedure> = serde_json::from_value(catalogue["procedures"].clone()).unwrap();
    all.into_iter().find(|p| p.code == "2.000815").unwrap()
}

fn unit() -> Unit {
    Unit {
        code: "000.00.25.H25".into(),
        name: "Trung tâm Phục vụ hành chính công xã Thạch Hà".into(),
        governing_body: "UBND xã Thạch Hà".into(),
        device_slot: 0,
        office_hours: OfficeHours::default(),
    }
}

fn dossier() -> Dossier {
    Dossier {
        id: DossierId("5f0c1e9a-0000-4000-8000-000000000001".into()),
        procedure_code: "2.000815".into(),
        applicant_name: "Hoàng Thị Thu Trang".into(),
        received_at: "2026-02-13T09:10:00Z".parse().unwrap(),
        code: Some("000.00.25.H25-260213-0007".into()),
        status: hoso_model::lifecycle::Status::Received,
        due_at: Some("2026-02-23T10:00:00Z".parse().unwrap()),
        id_number: Some("042199001234".into()),
        phone: Some("0912345678".into()),
        address: Some("Xóm 5, thôn Đông Hà, xã Thạch Hà, tỉnh Hà Tĩnh".into()),
        email: None,
        channel: Channel::Direct,
    }
}

fn render() -> Vec<u8> {
    let (unit, dossier, procedure) = (unit(), dossier(), procedure());
    hoso_forms::receipt(&hoso_forms::ReceiptData {
        unit: &unit,
        dossier: &dossier,
        procedure: &procedure,
        officer: "Lê Thị Lan",
    })
    .unwrap()
}

/// The text Poppler reads from a PDF.
fn text_of(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("form.pdf");
    std::fs::write(&path, pdf).unwrap();
    run(Command::new("pdftotext").arg(&path).arg("-"))
}

/// Compares with `tests/snapshots/NAME.txt` (written anew with UPDATE_SNAPSHOTS=1).
fn assert_snapshot(name: &str, text: &str) {
    let snapshot = std::path::PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    )
    .join(format!("tests/snapshots/{name}.txt"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&snapshot, text).unwrap();
    }
    let expected = std::fs::read_to_string(&snapshot)
        .expect("run once with UPDATE_SNAPSHOTS=1 and review the file");
    assert_eq!(
        text, expected,
        "{name}'s text changed; review it and update the snapshot"
    );
}

fn run(cmd: &mut Command) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{cmd:?} (installed by ./x): {e}"));
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_receipt_reads_as_the_snapshot_of_form_01() {
    let text = text_of(&render());
    assert_snapshot("receipt", &text);
    for must in [
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "Hoàng Thị Thu Trang",
        "17 giờ 00 phút, ngày 23/02/2026",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
    ] {
        assert!(text.contains(must), "the receipt must say {must:?}");
    }
}

#[test]
fn the_receipt_names_the_officer_who_received_the_dossier_under_their_signature() {
    let text = text_of(&render());
    let after_heading = text
        .split_once("NGƯỜI TIẾP NHẬN HỒ SƠ")
        .map(|(_, rest)| rest)
        .expect("the receiving officer's heading");
    assert!(
        after_heading.contains("Lê Thị Lan"),
        "the officer's full name is printed in the signatures: {text}"
    );
}

#[test]
fn the_receipts_qr_code_decodes_to_the_dossier_code() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("receipt.pdf");
    std::fs::write(&pdf, render()).unwrap();
    run(Command::new("pdftoppm")
        .args(["-r", "150", "-png", "-singlefile"])
        .arg(&pdf)
        .arg(dir.path().join("page")));
    let decoded = run(Command::new("zbarimg")
        .args(["--quiet", "--raw"])
        .arg(dir.path().join("page.png")));
    assert_eq!(decoded.trim(), "000.00.25.H25-260213-0007");
}

#[test]
fn the_receipt_is_a5_with_the_font_embedded() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("receipt.pdf");
    std::fs::write(&pdf, render()).unwrap();
    let info = run(Command::new("pdfinfo").arg(&pdf));
    assert!(info.contains("419.5 x 595.3 pts"), "A5 portrait: {info}");
    let fonts = run(Command::new("pdffonts").arg(&pdf));
    assert!(fonts.contains("BeVietnamPro"), "{fonts}");
    assert!(
        fonts.lines().skip(2).all(|l| l.contains(" yes ")),
        "every font is embedded: {fonts}"
    );
}

#[test]
fn the_request_to_supplement_and_the_refusal_carry_the_officers_words() {
    let (unit, dossier, procedure) = (unit(), dossier(), procedure());
    for (kind, name, title) in [
        (
            hoso_forms::NoticeKind::Supplement,
            "supplement",
            "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        ),
        (
            hoso_forms::NoticeKind::Refusal,
            "refusal",
            "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        ),
    ] {
        let pdf = hoso_forms::notice(&hoso_forms::NoticeData {
            unit: &unit,
            dossier: &dossier,
            procedure: &procedure,
            kind,
            reason: "Bản chính bị tẩy xoá, sửa chữa\nThiếu trang 3",
            at: "2026-02-13T09:30:00Z".parse().unwrap(),
        })
        .unwrap();
        let text = text_of(&pdf);
        assert!(text.contains(title), "{name}: {text}");
        assert!(
            text.contains("- Bản chính bị tẩy xoá, sửa chữa") && text.contains("- Thiếu trang 3"),
            "one line per point"
        );
        assert_snapshot(name, &text);
    }
}

#[test]
fn the_tracking_book_lists_every_dossier_of_the_period_across_pages() {
    let (unit, procedure) = (unit(), procedure());
    let dossiers: Vec<Dossier> = (1..=40)
        .map(|i| Dossier {
            code: Some(format!("000.00.25.H25-260305-{i:04}")),
            applicant_name: format!("Người nộp {i}"),
            ..dossier()
        })
        .collect();
    let rows = dossiers
        .iter()
        .map(|d| hoso_forms::BookRow {
            dossier: d,
            procedure_name: &procedure.name,
            transferred_at: None,
            resolved_at: Some("2026-03-05T08:00:00Z".parse().unwrap()),
            returned_at: None,
        })
        .collect();
    let from = jiff::civil::date(2026, 3, 1);
    let to = jiff::civil::date(2026, 3, 31);
    let pdf = hoso_forms::tracking_book(&hoso_forms::BookData {
        unit: &unit,
        from,
        to,
        rows,
    })
    .unwrap();
    let text = text_of(&pdf);
    assert!(
        text.contains("SỔ THEO DÕI HỒ SƠ")
            && text.contains("Từ ngày 01/03/2026 đến ngày 31/03/2026")
    );
    for i in 1..=40 {
        assert!(
            text.contains(&format!("000.00.25.H25-260305-{i:04}")),
            "row {i} is in the book"
        );
    }
    assert!(text.contains("Trang 2"), "40 rows need more than one page");
    assert_snapshot("tracking-book", &text);
}
