//! The receipt as a reader sees it: its text through Poppler's `pdftotext` against a snapshot,
//! and its QR code through ZBar's `zbarimg` (both from Debian, installed by ./x).

use std::path::Path;
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

fn render() -> Vec<u8> {
    let unit = Unit {
        code: "000.00.25.H25".into(),
        name: "Trung tâm Phục vụ hành chính công xã Thạch Hà".into(),
        governing_body: "UBND xã Thạch Hà".into(),
        device_slot: 0,
        office_hours: OfficeHours::default(),
    };
    let dossier = Dossier {
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
    };
    let procedure = procedure();
    hoso_forms::receipt(&hoso_forms::ReceiptData { unit: &unit, dossier: &dossier, procedure: &procedure }).unwrap()
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?} (installed by ./x): {e}"));
    assert!(out.status.success(), "{cmd:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_receipt_reads_as_the_snapshot_of_form_01() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("receipt.pdf");
    std::fs::write(&pdf, render()).unwrap();
    let text = run(Command::new("pdftotext").arg(&pdf).arg("-"));
    let snapshot = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/receipt.txt");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&snapshot, &text).unwrap();
    }
    let expected = std::fs::read_to_string(&snapshot).expect("run once with UPDATE_SNAPSHOTS=1 and review the file");
    assert_eq!(text, expected, "the receipt's text changed; review it and update the snapshot");
    for must in ["GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Hoàng Thị Thu Trang", "17 giờ 00 phút, ngày 23/02/2026", "NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ"] {
        assert!(text.contains(must), "the receipt must say {must:?}");
    }
}

#[test]
fn the_receipts_qr_code_decodes_to_the_dossier_code() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("receipt.pdf");
    std::fs::write(&pdf, render()).unwrap();
    run(Command::new("pdftoppm").args(["-r", "150", "-png", "-singlefile"]).arg(&pdf).arg(dir.path().join("page")));
    let decoded = run(Command::new("zbarimg").args(["--quiet", "--raw"]).arg(dir.path().join("page.png")));
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
    assert!(fonts.lines().skip(2).all(|l| l.contains(" yes ")), "every font is embedded: {fonts}");
}
