//! The desk's use cases over a real store file, and the `hoso` binary over the same data.

use std::process::Command;

use hoso_desk::{Desk, FixedClock};
use hoso_model::{ErrorCode, Field, Language, NewDossier};

fn at(s: &str) -> FixedClock {
    FixedClock(s.parse().unwrap())
}

fn form(code: &str, name: &str) -> NewDossier {
    NewDossier {
        procedure_code: code.into(),
        applicant_name: name.into(),
    }
}

#[test]
fn a_registered_dossier_is_listed_with_the_clock_time_and_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let (desk, notice) = Desk::open(dir.path(), at("2026-03-05T02:00:00Z")).unwrap();
    assert!(notice.is_none());
    let saved = desk.register(&form("1.001193", "Nguyễn Văn Đức")).unwrap();
    assert_eq!(
        saved.received_at,
        "2026-03-05T02:00:00Z".parse().unwrap(),
        "time comes from the clock"
    );
    drop(desk);

    let (reopened, _) = Desk::open(dir.path(), at("2026-03-06T02:00:00Z")).unwrap();
    assert_eq!(reopened.dossiers().unwrap(), vec![saved]);
}

#[test]
fn an_invalid_form_is_refused_with_its_field_and_nothing_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let (desk, _) = Desk::open(dir.path(), at("2026-03-05T02:00:00Z")).unwrap();
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
    let (desk, _) = Desk::open(dir.path(), at("2026-03-05T02:00:00Z")).unwrap();
    assert_eq!(
        desk.settings().unwrap().language,
        Language::Vi,
        "Vietnamese until someone chooses"
    );
    desk.set_language(Language::En).unwrap();
    drop(desk);
    let (desk, _) = Desk::open(dir.path(), at("2026-03-05T02:00:00Z")).unwrap();
    assert_eq!(desk.settings().unwrap().language, Language::En);
}

fn hoso(data_dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_hoso"))
        .env_remove("HOSO_DATA_DIR")
        .env_remove("HOSO_LANG")
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .output()
        .unwrap()
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

    let (desk, _) = Desk::open(dir.path(), at("2026-03-05T02:00:00Z")).unwrap();
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
        stderr.contains("Họ tên người nộp phải có"),
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
