//! The receipt names the officer who received the dossier (Người tiếp nhận), by full name,
//! even when another officer prints it again later.

mod common;

use common::open_desk;
use hoso_desk::{Desk, FixedClock};
use hoso_model::account::NewAccount;
use hoso_model::{NewDossier, Role};

fn clock() -> FixedClock {
    FixedClock("2026-03-05T02:00:00Z".parse().unwrap())
}

/// The text Poppler's `pdftotext` reads from a PDF (installed by ./x).
fn text_of(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("receipt.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (installed by ./x)");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_receipt_names_the_receiving_officer_whoever_prints_it() {
    let data = tempfile::tempdir().unwrap();
    let (admin, _) = open_desk(data.path(), clock()).unwrap();
    admin
        .set_unit(hoso_model::unit::Unit {
            code: "000.00.25.H25".into(),
            name: "Trung tâm Phục vụ hành chính công xã Thạch Hà".into(),
            governing_body: "UBND xã Thạch Hà".into(),
            device_slot: 0,
            office_hours: Default::default(),
        })
        .unwrap();
    admin
        .add_account(&NewAccount {
            name: "lan".into(),
            full_name: "Lê Thị Lan".into(),
            role: Role::Officer,
            password: "mật khẩu của lan".into(),
        })
        .unwrap();
    drop(admin);

    let (lan, _) = Desk::sign_in(data.path(), "lan", "mật khẩu của lan", clock()).unwrap();
    let dossier = lan
        .register(&NewDossier {
            procedure_code: "2.000815".into(),
            applicant_name: "Hoàng Thị Thu Trang".into(),
            ..Default::default()
        })
        .unwrap();
    let code = dossier.code.unwrap();
    let printed = text_of(&lan.receipt(&code).unwrap());
    let signatures = printed
        .split_once("NGƯỜI TIẾP NHẬN HỒ SƠ")
        .expect("the receiving officer's heading")
        .1;
    assert!(signatures.contains("Lê Thị Lan"), "{printed}");
    drop(lan);

    let (admin, _) = open_desk(data.path(), clock()).unwrap();
    let again = text_of(&admin.receipt(&code).unwrap());
    assert!(
        again.contains("Lê Thị Lan") && !again.contains("Quản trị thử"),
        "printed again by another officer, it still names the one who received: {again}"
    );
}
