//! At the counter: registering a dossier by form and by keyboard alone, refusals in
//! Vietnamese, the language switch, Alt+digit shortcuts, and a dossier's lifecycle with its
//! receipts and tracking book printed.

use hoso_e2e::{Driver, paper, printed, qr_on};

#[tokio::test]
async fn a_dossier_saved_through_the_form_is_listed_and_still_there_after_a_restart() {
    let driver = Driver::start();
    let window = driver.open_window().await;

    window.wait_for("#page-intake").await;
    window.choose_procedure("1.001193").await;
    window
        .type_into(
            "#applicant-name",
            &format!("Nguyễn Văn Đức{}", fantoccini::key::Key::Enter),
        )
        .await;
    window
        .wait_for_text("#intake-saved", "Nguyễn Văn Đức")
        .await;
    assert_eq!(
        window.applicants_listed().await,
        vec!["Nguyễn Văn Đức"],
        "the new dossier is in the list"
    );
    window.close().await;

    let window = driver.open_window().await;
    assert_eq!(
        window.applicants_listed().await,
        vec!["Nguyễn Văn Đức"],
        "the dossier was saved in the SQLite store, not only in the window"
    );
    let row = window.text_of("#dossier-list .dossier-row").await;
    assert!(
        row.contains("Đăng ký khai sinh"),
        "the procedure is shown by its official name: {row}"
    );
    window.close().await;
}

#[tokio::test]
async fn an_empty_name_is_refused_in_vietnamese_and_nothing_is_saved() {
    let driver = Driver::start();
    let window = driver.open_window().await;

    window.choose_procedure("2.000815").await;
    window
        .type_into(
            "#applicant-name",
            &format!("   {}", fantoccini::key::Key::Enter),
        )
        .await;
    window
        .wait_for_text("#applicant-name-error", "Chưa nhập họ tên người nộp")
        .await;
    assert!(
        window.applicants_listed().await.is_empty(),
        "a refused form saves nothing"
    );
    window.wait_for("#dossiers-empty").await;
    window.close().await;
}

#[tokio::test]
async fn switching_to_english_changes_the_labels_and_is_remembered_after_a_restart() {
    let driver = Driver::start();
    let window = driver.open_window().await;

    assert!(
        window.text_of("#nav-intake").await.contains("Tiếp nhận"),
        "Vietnamese comes first"
    );
    window.click("#nav-settings").await;
    window.click("#language-en").await;
    window.wait_for_text("#nav-intake", "Intake").await;
    window.wait_for_text("#nav-dossiers", "Dossiers").await;
    window.wait_for_text("#status-sync", "no hub set up").await;
    window.close().await;

    let window = driver.open_window().await;
    window.wait_for_text("#nav-intake", "Intake").await;
    window.click("#nav-settings").await;
    window.click("#language-vi").await;
    window.wait_for_text("#nav-intake", "Tiếp nhận").await;
    window.close().await;
}

#[tokio::test]
async fn alt_and_a_digit_switch_screens_without_the_mouse() {
    let driver = Driver::start();
    let window = driver.open_window().await;

    let alt = fantoccini::key::Key::Alt;
    let name = window.wait_for("#applicant-name").await;
    name.send_keys(&format!("{alt}3")).await.unwrap();
    window.wait_for("#page-dossiers").await;
    // Focus is wherever the officer left it; the shortcut works from any element.
    window
        .wait_for("#nav-dossiers")
        .await
        .send_keys(&format!("{alt}6"))
        .await
        .unwrap();
    window.wait_for("#page-settings").await;
    window.close().await;
}

#[tokio::test]
async fn once_the_unit_is_set_up_a_dossier_gets_its_code_and_moves_through_its_lifecycle() {
    // Prints go to files, through the same web view print as the dialog's.
    let printer = tempfile::tempdir().unwrap();
    let driver = Driver::start_with(
        tempfile::tempdir().unwrap(),
        &[("HOSO_PRINT_TO", printer.path().display().to_string())],
    );
    let window = driver.open_window().await;

    window.wait_for("#unit-missing").await;
    window.click("#nav-settings").await;
    window.type_into("#unit-code", "h25 123").await;
    window
        .type_into(
            "#unit-name",
            "Trung tâm Phục vụ hành chính công xã Thạch Hà",
        )
        .await;
    window.click("#save-unit").await;
    window
        .wait_for_text("#unit-error", "Mã đơn vị gồm chữ số")
        .await;
    let code_field = window.wait_for("#unit-code").await;
    code_field.clear().await.unwrap();
    code_field.send_keys("000.00.25.H25").await.unwrap();
    window.click("#save-unit").await;
    window.wait_for("#unit-saved").await;

    window.click("#nav-intake").await;
    window.choose_procedure("1.004873").await;
    window.type_into("#applicant-name", "Võ Thị Sáu").await;
    window.click("#save-dossier").await;
    window
        .wait_for_text("#intake-saved-code", "000.00.25.H25-")
        .await;
    let code = window.text_of("#intake-saved-code").await;
    assert!(code.ends_with("-0001"), "the first code of the day: {code}");
    assert!(
        !window.text_of("#intake-saved-due").await.is_empty(),
        "a 3-working-day procedure has a due date"
    );

    window.click("#nav-dossiers").await;
    window.click("#dossier-list .code button").await;
    window.wait_for_text("#dossier-code", &code).await;
    window
        .wait_for_text("#dossier-status", "Đã tiếp nhận")
        .await;
    window.click("#print-01").await;
    window
        .wait_for_text("#form-saved", &format!("{code}-01.pdf"))
        .await;
    let saved = driver
        .data_dir()
        .join("forms")
        .join(format!("{code}-01.pdf"));
    assert!(
        std::fs::read(&saved).unwrap().starts_with(b"%PDF-"),
        "the receipt was saved for printing"
    );
    // And printed: one A5 sheet whose QR code reads as the dossier's code.
    let sheet = printed(printer.path(), 1, driver.data_dir()).await;
    assert_eq!(paper(&sheet), (1, 420, 595), "one A5 portrait page");
    assert_eq!(qr_on(&sheet), code);
    window.type_into("#giver", "Nguyễn Thị Mai").await;
    window.type_into("#taker", "Lê Văn Hùng").await;
    window.click("#action-transfer").await;
    window.wait_for_text("#dossier-status", "Đang xử lý").await;
    window.wait_for_text("#timeline", "Chuyển xử lý").await;
    window
        .wait_for_text("#timeline", "Nguyễn Thị Mai → Lê Văn Hùng")
        .await;
    // Stopping is asked twice, and refused without the reason the rules require.
    window.click("#action-stop").await;
    window.click("#confirm-yes").await;
    window
        .wait_for_text("#dossier-error", "Chưa ghi lý do")
        .await;
    window.click("#confirm-no").await;
    window.wait_for_text("#dossier-status", "Đang xử lý").await;
    window
        .type_into("#reason", "Bổ sung bản sao giấy khai sinh")
        .await;
    window.click("#action-supplement-request").await;
    window.wait_for_text("#dossier-status", "Chờ bổ sung").await;
    window.click("#print-02").await;
    window
        .wait_for_text("#form-saved", &format!("{code}-02.pdf"))
        .await;
    assert!(
        driver
            .data_dir()
            .join("forms")
            .join(format!("{code}-02.pdf"))
            .exists()
    );

    window.click("#nav-dossiers").await;
    window
        .wait_for("#status-filter")
        .await
        .select_by_value("received")
        .await
        .unwrap();
    window.wait_for("#dossiers-empty, #search-empty").await;
    window
        .wait_for("#status-filter")
        .await
        .select_by_value("supplement_requested")
        .await
        .unwrap();
    window.wait_for_text("#dossier-list", "Võ Thị Sáu").await;
    // Narrowed further to what another officer received: nothing; cleared, it is back.
    window.type_into("#filter-officer", "nguoi-khac").await;
    window.click("#filter-apply").await;
    window.wait_for("#search-empty").await;
    window.click("#filter-clear").await;
    window.wait_for_text("#dossier-list", "Võ Thị Sáu").await;

    // The tracking book of a period typed day first over this month, which the boxes open on.
    window.wait_for_text_value("#book-from", "01/").await;
    for (css, day) in [("#book-from", "1/1/2020"), ("#book-to", "31.12.2099")] {
        window.wait_for(css).await.clear().await.unwrap();
        window.type_into(css, day).await;
    }
    window.click("#print-book").await;
    window
        .wait_for_text("#book-saved", "so-theo-doi-2020-01-01-2099-12-31.pdf")
        .await;
    let (_, width, height) = paper(&printed(printer.path(), 3, driver.data_dir()).await);
    assert_eq!((width, height), (842, 595), "the book on A4 landscape");
    assert!(
        driver
            .data_dir()
            .join("forms/so-theo-doi-2020-01-01-2099-12-31.pdf")
            .exists()
    );
    window.close().await;
}

#[tokio::test]
async fn an_officer_registers_by_keyboard_alone_and_finds_the_dossier_by_a_name_typed_without_diacritics()
 {
    use fantoccini::key::Key;
    let driver = Driver::start();
    let window = driver.open_window().await;

    window
        .wait_for_focus("procedure", "the window opens ready to type")
        .await;
    let keys = |text: String| {
        let client = window.client.clone();
        async move {
            client
                .active_element()
                .await
                .unwrap()
                .send_keys(&text)
                .await
                .unwrap()
        }
    };
    keys("khai sinh".into()).await;
    window
        .wait_for_text("#procedure-options", "Đăng ký khai sinh")
        .await;
    keys(Key::Enter.to_string()).await;
    window
        .wait_for_focus("applicant-name", "choosing moves on to the name")
        .await;
    window.wait_for_text("#components", "Giấy chứng sinh").await;
    assert!(
        window.text_of("#due-preview").await.contains('/'),
        "the due date is shown before saving"
    );
    keys(format!("Nguyễn Văn Đức{}", Key::Enter)).await;
    window
        .wait_for_text("#intake-saved", "Nguyễn Văn Đức")
        .await;
    assert!(
        !window.text_of("#intake-saved-due").await.is_empty(),
        "the due date is shown at once"
    );

    keys(format!("{}3", Key::Alt)).await;
    window.wait_for("#page-dossiers").await;
    window.type_into("#search", "nguyen van duc").await;
    window
        .wait_for_text("#dossier-list", "Nguyễn Văn Đức")
        .await;
    window.type_into("#search", " khong co").await;
    window.wait_for("#search-empty").await;
    window.close().await;
}
