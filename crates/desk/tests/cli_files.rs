//! A file the command line refuses is named as the officer typed it, with the reason in their
//! language, on their own terminal (the error's machine form and the logs count it by place).

mod common;

use std::path::Path;
use std::process::Output;

use common::hoso_command;

fn hoso(data: &Path, args: &[&str]) -> Output {
    hoso_command(data).args(args).output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A dossier registered from the command line; its id.
fn dossier(data: &Path) -> String {
    let out = hoso(
        data,
        &[
            "--json",
            "intake",
            "--procedure",
            "2.000815",
            "--applicant",
            "Hoàng Thị Thu Trang",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let dossier: hoso_model::Dossier = serde_json::from_slice(&out.stdout).unwrap();
    dossier.id.0
}

#[test]
fn the_refused_file_of_a_list_is_named_as_typed_with_the_localised_reason() {
    let data = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let id = dossier(data.path());
    let good = files.path().join("trang-1.jpg");
    std::fs::write(&good, common::hub::noisy_jpeg(8, 90)).unwrap();
    let bad = files.path().join("khong-phai-anh.jpg");
    std::fs::write(&bad, "chỉ là chữ, không phải ảnh").unwrap();
    let (good, bad) = (good.display().to_string(), bad.display().to_string());

    let out = hoso(
        data.path(),
        &["attach", &id, "--component", "1", &good, &bad],
    );
    assert!(!out.status.success());
    let said = stderr(&out);
    assert!(
        said.contains(&format!("hoso: {bad}: Tệp không phải ảnh JPEG")),
        "the second file is the one named, with its reason: {said}"
    );
    assert!(!said.contains(&good), "the good file is not blamed: {said}");

    let out = hoso(
        data.path(),
        &[
            "--lang",
            "en",
            "attach",
            &id,
            "--component",
            "1",
            "khong-co.jpg",
        ],
    );
    let said = stderr(&out);
    assert!(
        said.contains("hoso: khong-co.jpg: The file cannot be opened"),
        "a missing file is named as typed, relative path and all: {said}"
    );

    let out = hoso(
        data.path(),
        &["--json", "attach", &id, "--component", "1", &good, &bad],
    );
    let said = stderr(&out);
    let error: hoso_model::ApiError = serde_json::from_str(said.trim()).unwrap();
    assert_eq!(
        error.item,
        Some(2),
        "machine output counts the file by place"
    );
    assert!(
        !said.contains("khong-phai-anh"),
        "and never names it: {said}"
    );
}

#[test]
fn a_single_file_command_names_its_file_when_it_cannot_be_read() {
    let data = tempfile::tempdir().unwrap();
    dossier(data.path());
    let out = hoso(data.path(), &["import-catalogue", "danh-muc-moi.json"]);
    assert!(!out.status.success());
    let said = stderr(&out);
    assert!(
        said.starts_with("hoso: danh-muc-moi.json: "),
        "the catalogue file is named: {said}"
    );
}
