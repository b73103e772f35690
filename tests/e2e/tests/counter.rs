//! The counter's flow in the real window: every mistake at once with focus on the first, the
//! receipt one key after saving, the scan station remembering the dossier and the officer's
//! settings, F8 from anywhere, files from the file dialog, a deleted page undone, pages from
//! the command line appearing by themselves, the lock keeping what was typed, ending a dossier
//! asked twice, and nothing off screen on a 1366×768 or 1280×720 laptop.

use fantoccini::key::Key;
use hoso_e2e::{
    ADMIN, Driver, PASSWORD, hoso_cli, open_test_desk, printed, scanned_page, thumbnail_ids,
    wait_until,
};

/// A desk set up with its unit and one dossier; its code.
fn desk_with_a_dossier(data: &std::path::Path, applicant: &str) -> String {
    let desk = open_test_desk(data);
    hoso_e2e::set_test_unit(&desk);
    desk.register(&hoso_model::NewDossier {
        procedure_code: "1.001193".into(),
        applicant_name: applicant.into(),
        id_number: "001099012345".into(),
        ..Default::default()
    })
    .unwrap()
    .code
    .unwrap()
}

async fn value_of(window: &hoso_e2e::Window, css: &str) -> String {
    window
        .wait_for(css)
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

#[tokio::test]
async fn every_mistake_shows_at_once_and_the_receipt_is_one_key_after_saving() {
    let data = tempfile::tempdir().unwrap();
    desk_with_a_dossier(data.path(), "Lê Văn Một");
    let printer = tempfile::tempdir().unwrap();
    let driver = Driver::start_with(
        data,
        &[("HOSO_PRINT_TO", printer.path().display().to_string())],
    );
    let window = driver.open_window().await;

    // Four mistakes, one submit: each at its field, focus on the first.
    window.type_into("#id-number", "12345").await;
    window.type_into("#phone", "12").await;
    window.click("#save-dossier").await;
    window
        .wait_for_text("#procedure-error", "Chưa chọn thủ tục")
        .await;
    window
        .wait_for_text("#applicant-name-error", "Chưa nhập họ tên người nộp")
        .await;
    window.wait_for_text("#id-number-error", "12 chữ số").await;
    window.wait_for_text("#phone-error", "0912 345 678").await;
    window
        .wait_for_focus("procedure", "the first wrong field")
        .await;
    window.screenshot("counter-errors").await;

    // Put right, each error goes as its field is typed in.
    window.choose_procedure("1.001193").await;
    window.wait_until_absent("#procedure-error").await;
    window.type_into("#applicant-name", "Phạm Thị Hai").await;
    window.wait_until_absent("#applicant-name-error").await;
    for (css, text) in [("#id-number", "001099012345"), ("#phone", "0912345678")] {
        let field = window.wait_for(css).await;
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }
    window.press("#phone", Key::Enter).await;
    window.wait_for_text("#intake-saved", "Phạm Thị Hai").await;
    let code = window.text_of("#intake-saved-code").await;
    assert!(code.starts_with("H25.123-"), "{code}");

    // Enter prints the receipt: focus is on its button.
    window
        .wait_for_focus(
            "intake-print",
            "the receipt is the next thing the citizen needs",
        )
        .await;
    window.press_anywhere(Key::Enter).await;
    window.wait_for("#intake-printed").await;
    let receipt = printed(printer.path(), 1, driver.data_dir()).await;
    assert!(receipt.exists());
    // Then the next citizen: focus back in the name, the procedure kept.
    window
        .wait_for_focus("applicant-name", "ready for the next citizen")
        .await;
    window.wait_for_text_value("#procedure", "1.001193").await;
    window.screenshot("counter-saved").await;

    // The saved line opens the dossier; Alt+2 opens the scan station on it.
    window.click("#intake-saved-code").await;
    window.wait_for_text("#dossier-code", &code).await;
    window
        .wait_for("#nav-dossiers")
        .await
        .send_keys(&format!("{}2", Key::Alt))
        .await
        .unwrap();
    window.wait_for_text_value("#scan-dossier", &code).await;
    window.close().await;
}

#[tokio::test]
async fn the_lock_keeps_the_name_the_screen_and_what_was_typed() {
    let driver = Driver::start();
    let window = driver.open_window().await;
    window.choose_procedure("1.001193").await;
    window.type_into("#applicant-name", "Võ Thị Ba").await;

    window
        .wait_for("#applicant-name")
        .await
        .send_keys(&format!("{}l", Key::Control))
        .await
        .unwrap();
    window.wait_for("#sign-in").await;
    window
        .wait_for_focus(
            "sign-in-password",
            "the name is known: only the password is asked",
        )
        .await;
    assert_eq!(value_of(&window, "#sign-in-name").await, ADMIN);

    window
        .type_into("#sign-in-password", &format!("sai mật khẩu{}", Key::Enter))
        .await;
    window.wait_for("#sign-in-error").await;
    assert_eq!(
        value_of(&window, "#sign-in-name").await,
        ADMIN,
        "a wrong password keeps the name"
    );
    window
        .type_into("#sign-in-password", &format!("{PASSWORD}{}", Key::Enter))
        .await;
    window.wait_for("#page-intake").await;
    window.wait_until_absent("#sign-in").await;
    assert_eq!(
        value_of(&window, "#applicant-name").await,
        "Võ Thị Ba",
        "the half-typed intake is there again"
    );
    window.wait_for_text_value("#procedure", "1.001193").await;
    window.close().await;
}

#[tokio::test]
async fn the_scan_station_remembers_finds_scans_from_anywhere_and_undoes_a_delete() {
    let data = tempfile::tempdir().unwrap();
    let code = desk_with_a_dossier(data.path(), "Trần Thị Bích");
    let sane = tempfile::tempdir().unwrap();
    std::fs::write(sane.path().join("dll.conf"), "test\n").unwrap();
    let driver = Driver::start_with(
        data,
        &[("SANE_CONFIG_DIR", sane.path().display().to_string())],
    );
    let window = driver.open_window().await;

    // Found by a name typed without diacritics.
    window.click("#nav-digitise").await;
    window.type_into("#scan-dossier", "tran thi bich").await;
    window
        .wait_for(&format!("#scan-dossier-options .option[data-key='{code}']"))
        .await;
    window.press("#scan-dossier", Key::Enter).await;
    window.wait_for_text_value("#scan-dossier", &code).await;
    window.wait_for("#scan-components").await;

    // The officer's settings: chosen once, kept.
    window
        .wait_for("#scan-device option[value='sane:test:0']")
        .await;
    window.click("#scan-resolution option[value='150']").await;
    window.click("#scan-mode option[value='gray']").await;
    window.click("#scan-target option[value='2']").await;
    window.click("#nav-intake").await;
    window.click("#nav-digitise").await;
    window.wait_for_text_value("#scan-dossier", &code).await;
    wait_until(|| async { value_of(&window, "#scan-mode").await == "gray" }).await;
    assert_eq!(value_of(&window, "#scan-resolution").await, "150");
    wait_until(|| async { value_of(&window, "#scan-target").await == "2" }).await;
    window.click("#scan-target option[value='1']").await;

    // F8 with the focus on the navigation bar scans.
    window
        .wait_for("#nav-digitise")
        .await
        .send_keys(&Key::F8.to_string())
        .await
        .unwrap();
    window.wait_for("#thumbnails figure:nth-child(1)").await;

    // "Chọn tệp…": the file dialog's input takes a file.
    let file = tempfile::Builder::new().suffix(".jpg").tempfile().unwrap();
    std::fs::write(file.path(), scanned_page(3)).unwrap();
    window
        .wait_for("#file-input")
        .await
        .send_keys(&file.path().display().to_string())
        .await
        .unwrap();
    window.wait_for("#thumbnails figure:nth-child(2)").await;

    // A page from the command line appears by itself.
    let from_terminal = tempfile::Builder::new().suffix(".jpg").tempfile().unwrap();
    std::fs::write(from_terminal.path(), scanned_page(4)).unwrap();
    hoso_cli(
        driver.data_dir(),
        Some((ADMIN, PASSWORD)),
        None,
        &[
            "attach",
            &code,
            "--component",
            "1",
            &from_terminal.path().display().to_string(),
        ],
    );
    window.wait_for("#thumbnails figure:nth-child(3)").await;

    // Deleted, then brought back with Ctrl+Z; focus never lands on the next ✕.
    let ids = thumbnail_ids(&window).await;
    window.click(&format!("#page-{} .delete", ids[1])).await;
    wait_until(|| async { thumbnail_ids(&window).await.len() == 2 }).await;
    window.wait_for("#undo-notice").await;
    window
        .wait_for_focus("undo-delete", "the undo button, not the next page's ✕")
        .await;
    window.screenshot("counter-undo").await;
    window
        .wait_for("#nav-digitise")
        .await
        .send_keys(&format!("{}z", Key::Control))
        .await
        .unwrap();
    wait_until(|| async { thumbnail_ids(&window).await == ids }).await;
    window.wait_until_absent("#undo-notice").await;

    // Escape closes the zoomed page.
    window.click(&format!("#page-{} img", ids[0])).await;
    window.wait_for("#zoom").await;
    window.press_anywhere(Key::Escape).await;
    window.wait_until_absent("#zoom").await;
    window.close().await;
}

#[tokio::test]
async fn ending_a_dossier_is_asked_twice_with_the_reason_the_rules_require() {
    let data = tempfile::tempdir().unwrap();
    let code = desk_with_a_dossier(data.path(), "Đặng Văn Bốn");
    let driver = Driver::start_with(data, &[]);
    let window = driver.open_window().await;
    window.click("#nav-dossiers").await;
    window.type_into("#search", "bon").await;
    window.press("#search", Key::Enter).await;
    window.wait_for_text("#dossier-code", &code).await;
    let status = window.text_of("#dossier-status").await;

    window.click("#action-withdraw").await;
    window.wait_for("#confirm-action").await;
    window.click("#confirm-no").await;
    window.wait_until_absent("#confirm-action").await;
    assert_eq!(
        window.text_of("#dossier-status").await,
        status,
        "nothing applied"
    );

    window.click("#action-refuse").await;
    window.click("#confirm-yes").await;
    window
        .wait_for_text("#dossier-error", "Chưa ghi lý do")
        .await;
    assert_eq!(
        window.text_of("#dossier-status").await,
        status,
        "nothing applied"
    );
    window
        .type_into("#reason", "Giấy tờ không thuộc thẩm quyền")
        .await;
    window.click("#confirm-yes").await;
    wait_until(|| async { window.text_of("#dossier-status").await != status }).await;
    window
        .wait_for_text("#timeline", "Giấy tờ không thuộc thẩm quyền")
        .await;
    window.close().await;
}

#[tokio::test]
async fn nothing_is_off_screen_on_common_laptop_screens() {
    let driver = Driver::start();
    let window = driver.open_window().await;
    for (width, height) in [(1366, 768), (1280, 720)] {
        window.set_size(width, height).await;
        for page in [
            "intake",
            "digitise",
            "dossiers",
            "sync",
            "supervise",
            "settings",
        ] {
            window.click(&format!("#nav-{page}")).await;
            window.wait_for(&format!("#page-{page}")).await;
            for css in [".status-bar", "#nav-settings", "#lock"] {
                assert!(
                    window.is_visible_in_viewport(css).await,
                    "{css} is on screen at {width}×{height} on {page}"
                );
            }
        }
        window.click("#nav-intake").await;
        assert!(
            window.is_visible_in_viewport("#save-dossier").await,
            "the save button is on screen at {width}×{height}"
        );
        window
            .screenshot(&format!("counter-intake-{width}x{height}"))
            .await;
    }
    window.close().await;
}
