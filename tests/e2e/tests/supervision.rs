//! Supervision and accounts: a supervisor reviews and returns a digitised dossier to its
//! officer; the administrator adds accounts and the supervisor reads the audit log.

use fantoccini::Locator;
use hoso_e2e::{ADMIN, Driver, PASSWORD, hoso_cli, scanned_page};

const SUPERVISOR: (&str, &str) = ("giamsat", "mật khẩu lãnh đạo");
const OFFICER: (&str, &str) = ("canbo", "mật khẩu cán bộ");

#[tokio::test]
async fn a_supervisor_returns_a_digitised_dossier_with_a_note_and_its_officer_sees_it_to_fix() {
    // A desk with a supervisor and an officer; the officer registered a dossier and attached
    // a page to each of its two required components, so it awaits review.
    let data = tempfile::tempdir().unwrap();
    let dir = data.path();
    // `init` takes the first administrator's password from HOSO_PASSWORD.
    let admin = Some((ADMIN, PASSWORD));
    hoso_cli(
        dir,
        admin,
        None,
        &[
            "init",
            "--admin",
            ADMIN,
            "--full-name",
            "Nguyễn Thị Quản Trị",
            "--unit-code",
            "H25.123",
            "--unit-name",
            "Trung tâm Phục vụ hành chính công xã Thạch Hà",
        ],
    );
    for ((name, password), role, full_name) in [
        (SUPERVISOR, "supervisor", "Trần Văn Giám"),
        (OFFICER, "officer", "Lê Thị Lan"),
    ] {
        hoso_cli(
            dir,
            admin,
            Some(password),
            &[
                "user",
                "add",
                name,
                "--role",
                role,
                "--full-name",
                full_name,
            ],
        );
    }
    let registered: serde_json::Value = serde_json::from_str(&hoso_cli(
        dir,
        Some(OFFICER),
        None,
        &[
            "intake",
            "--procedure",
            "2.000815",
            "--applicant",
            "Phạm Văn Nam",
            "--json",
        ],
    ))
    .unwrap();
    let code = registered["code"]
        .as_str()
        .unwrap_or_else(|| panic!("a dossier code: {registered}"))
        .to_owned();
    for component in [1u64, 2] {
        let file = dir.join(format!("trang-{component}.jpg"));
        std::fs::write(&file, scanned_page(component)).unwrap();
        hoso_cli(
            dir,
            Some(OFFICER),
            None,
            &[
                "attach",
                &code,
                "--component",
                &component.to_string(),
                file.to_str().unwrap(),
            ],
        );
    }
    let awaiting = hoso_cli(
        dir,
        Some(SUPERVISOR),
        None,
        &["backlog", "--queue", "awaiting_review", "--json"],
    );
    assert!(awaiting.contains(&code), "awaiting review: {awaiting}");

    // The supervisor signs in at the window and opens Giám sát by its shortcut.
    let driver = Driver::start_with(data, &[]);
    let window = driver.open_window().await;
    window.click("#lock").await;
    window.wait_for("#sign-in").await;
    window.sign_in(SUPERVISOR.0, SUPERVISOR.1).await;
    window.wait_for_text("#session-user", "Trần Văn Giám").await;
    window
        .client
        .active_element()
        .await
        .unwrap()
        .send_keys(&format!("{}5", fantoccini::key::Key::Alt))
        .await
        .unwrap();
    window.wait_for("#page-supervise #supervise").await;
    window
        .wait_for("#queue-awaiting_review .count[data-count='1']")
        .await;
    window
        .wait_for("#queue-not_digitised .count[data-count='0']")
        .await;
    window.wait_for("#indicators tr[data-code='4.2']").await;
    window.wait_for("#weekly-chart rect.bar").await;

    // The awaiting-review list, then the dossier's review page.
    window.click("#queue-awaiting_review").await;
    window.wait_for_text("#queue-list", &code).await;
    window
        .wait_for_text("#queue-list .officer", OFFICER.0)
        .await;
    window.click("#queue-list .queue-row .code button").await;
    window.wait_for_text("#review-code", &code).await;
    window.wait_for_text("#review-state", "Chờ duyệt").await;
    window
        .wait_for("#review-thumbnails figure:nth-child(2)")
        .await;
    window.wait_for("#review-page").await;
    assert!(
        !window
            .text_of("#review-components")
            .await
            .contains("còn thiếu"),
        "both required components have their page"
    );
    window
        .click("#review-thumbnails figure:nth-child(2) button.thumb")
        .await;
    window
        .wait_for("#review-thumbnails figure:nth-child(2).selected")
        .await;

    // A return needs a note: the shell refuses, the page says why in Vietnamese.
    window.click("#review-return").await;
    window
        .wait_for_text("#review-error", "thiếu ghi chú khi trả lại")
        .await;
    let note = "Trang bản sao bị mờ, đề nghị quét lại.";
    window.type_into("#review-note", note).await;
    window.click("#review-return").await;

    // Back at the list, with the counts asked for again.
    window.wait_for_text("#supervise-done", "Trả lại").await;
    window.wait_for_text("#supervise-done", &code).await;
    window
        .wait_for("#queue-awaiting_review .count[data-count='0']")
        .await;
    window
        .wait_for("#queue-rework .count[data-count='1']")
        .await;
    window.wait_for("#queue-empty").await;
    window.click("#queue-rework").await;
    window.wait_for_text("#queue-list .note", note).await;

    // The officer takes the desk: the dossier is there with the note, and goes back for review.
    window.click("#lock").await;
    window.wait_for("#sign-in").await;
    window.sign_in(OFFICER.0, OFFICER.1).await;
    window.wait_for_text("#session-user", "Lê Thị Lan").await;
    window.click("#nav-supervise").await;
    window.wait_for_text("#rework-list", &code).await;
    window.wait_for_text("#rework-list .note", note).await;
    assert!(
        window
            .client
            .find(Locator::Css("#backlog, #indicators"))
            .await
            .is_err(),
        "an officer sees no backlog and no indicators"
    );
    window.click("#rework-list .rework-row .resubmit").await;
    window
        .wait_for_text("#supervise-done", "Đã sửa, gửi duyệt lại")
        .await;
    window.wait_for("#rework-empty").await;
    window.close().await;
}

#[tokio::test]
async fn the_administrator_adds_accounts_and_the_supervisor_reads_the_officers_work_in_the_audit_log()
 {
    // First run: the set-up wizard makes the first administrator and shows the recovery key
    // once (`pass_the_gate` checks it and acknowledges it).
    let driver = Driver::start();
    let window = driver.open_window().await;
    window
        .wait_for_text("#session-user", "Nguyễn Thị Quản Trị")
        .await;
    assert!(
        window
            .client
            .find(Locator::Css("#recovery-key"))
            .await
            .is_err(),
        "the recovery key is shown once, then gone"
    );

    // Cài đặt → Tài khoản: an officer and a supervisor, each with a password typed twice.
    window.click("#nav-settings").await;
    window
        .wait_for(&format!(
            "#account-list tr.account-row[data-name='{ADMIN}'][data-role='admin']"
        ))
        .await;
    window.type_into("#new-account-name", OFFICER.0).await;
    window
        .type_into("#new-account-full-name", "Lê Thị Lan")
        .await;
    window.type_into("#new-account-password", OFFICER.1).await;
    window
        .type_into("#new-account-password-again", "một mật khẩu khác")
        .await;
    window.click("#add-account").await;
    window
        .wait_for_text("#add-account-error", "không giống nhau")
        .await;
    window
        .wait_for("#new-account-password-again")
        .await
        .clear()
        .await
        .unwrap();
    window
        .type_into("#new-account-password-again", OFFICER.1)
        .await;
    window.click("#add-account").await;
    window
        .wait_for(&format!(
            "#account-list tr.account-row[data-name='{}'][data-role='officer'][data-disabled='false']",
            OFFICER.0
        ))
        .await;
    window
        .wait_for_text("#accounts-done", "Đã thêm tài khoản")
        .await;
    window.type_into("#new-account-name", SUPERVISOR.0).await;
    window
        .type_into("#new-account-full-name", "Trần Văn Giám")
        .await;
    window
        .click("#new-account-role option[value='supervisor']")
        .await;
    window
        .type_into("#new-account-password", SUPERVISOR.1)
        .await;
    window
        .type_into("#new-account-password-again", SUPERVISOR.1)
        .await;
    window.click("#add-account").await;
    window
        .wait_for(&format!(
            "#account-list tr.account-row[data-name='{}'][data-role='supervisor']",
            SUPERVISOR.0
        ))
        .await;
    window.wait_for("#audit").await;
    window.wait_for("#safeguards").await;

    // The officer registers a dossier, and finds no accounts, audit log or safeguards.
    window.click("#lock").await;
    window.wait_for("#sign-in").await;
    window.sign_in(OFFICER.0, OFFICER.1).await;
    window.wait_for_text("#session-user", "Lê Thị Lan").await;
    window.click("#nav-intake").await;
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
    window.click("#nav-settings").await;
    window.wait_for("#change-password-form").await;
    assert!(
        window
            .client
            .find(Locator::Css("#accounts, #audit, #safeguards"))
            .await
            .is_err(),
        "an officer sees no accounts, no audit log and no safeguards"
    );

    // The supervisor reads the audit log: the officer's registration is there, and the chain
    // is intact; the accounts and the safeguards stay the administrator's.
    window.click("#lock").await;
    window.wait_for("#sign-in").await;
    window.sign_in(SUPERVISOR.0, SUPERVISOR.1).await;
    window.wait_for_text("#session-user", "Trần Văn Giám").await;
    window.click("#nav-settings").await;
    window.wait_for("#audit-list").await;
    window.wait_for_text_value("#audit-from", "01/").await; // this month, day first
    window.type_into("#audit-actor", OFFICER.0).await;
    window.click("#audit-action option[value='change']").await;
    window.click("#audit-show").await;
    let entry = format!(
        "#audit-list tr.audit-entry[data-action='change'][data-actor='{}']",
        OFFICER.0
    );
    window.wait_for_text(&entry, "register 1.001193").await;
    window
        .wait_until_absent("#audit-list tr.audit-entry:not([data-actor='canbo'])")
        .await;
    assert!(
        window
            .client
            .find(Locator::Css("#accounts, #safeguards"))
            .await
            .is_err(),
        "a supervisor sees no accounts and no safeguards"
    );
    window.click("#verify-audit").await;
    window.wait_for("#audit-check[data-intact='true']").await;
    window.close().await;
}
