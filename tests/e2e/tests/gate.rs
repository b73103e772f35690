//! The gate before the desk: locking and signing in again, the data encrypted at rest, and a
//! new machine restoring a backup with the recovery key.

use fantoccini::Locator;
use hoso_e2e::{ADMIN, Driver, PASSWORD};

#[tokio::test]
async fn the_window_locks_and_only_a_right_password_opens_it_again() {
    let driver = Driver::start();
    let window = driver.open_window().await;
    window
        .wait_for_text("#session-user", "Nguyễn Thị Quản Trị")
        .await;
    window.click("#lock").await;
    window.wait_for("#sign-in").await;
    // The officer's pages wait behind the lock screen, out of sight.
    if let Ok(nav) = window.client.find(Locator::Css("#nav-intake")).await {
        assert!(
            !nav.is_displayed().await.unwrap(),
            "nothing of the desk shows while locked"
        );
    }
    assert!(
        !window.is_visible_in_viewport("#page-intake").await,
        "nothing of the desk shows while locked"
    );
    window.sign_in(ADMIN, "sai mật khẩu").await;
    window
        .wait_for_text("#sign-in-error", "Sai tên đăng nhập hoặc mật khẩu")
        .await;
    window.sign_in(ADMIN, PASSWORD).await;
    window.wait_for("#nav-intake").await;
    // The data on disk is encrypted: no SQLite header, and the key file holds no password.
    let db = std::fs::read(driver.data_dir().join("hoso.db")).unwrap();
    assert!(!db.starts_with(b"SQLite format 3"));
    let keys = std::fs::read_to_string(driver.data_dir().join("keys.json")).unwrap();
    assert!(!keys.contains(PASSWORD));
}

#[tokio::test]
async fn a_new_machine_restores_a_backup_with_the_recovery_key_and_the_administrator_sets_a_password()
 {
    // A desk elsewhere, backed up to a stick.
    let elsewhere = tempfile::tempdir().unwrap();
    let stick = tempfile::tempdir().unwrap();
    let first = hoso_model::account::NewAccount {
        name: ADMIN.into(),
        full_name: "Nguyễn Thị Quản Trị".into(),
        role: hoso_model::Role::Admin,
        password: PASSWORD.into(),
    };
    let (desk, recovery) =
        hoso_desk::Desk::set_up(elsewhere.path(), &first, hoso_desk::SystemClock).unwrap();
    let backup = desk.backup(stick.path()).unwrap();
    drop(desk);

    // The new machine's window: restore instead of setting up.
    let driver = Driver::start();
    let window = driver.launch().await;
    window.wait_for("#set-up").await;
    window.type_into("#restore-folder", "/no/such/folder").await;
    window
        .type_into("#restore-key", recovery.display().as_str())
        .await;
    window.click("#restore-button").await;
    window.wait_for("#restore-error").await;
    window
        .wait_for("#restore-folder")
        .await
        .clear()
        .await
        .unwrap();
    window
        .type_into("#restore-folder", backup.to_str().unwrap())
        .await;
    window.click("#restore-button").await;
    window.wait_for("#nav-intake").await;

    // Signed in for recovery: the administrator's password is set again in Tài khoản.
    window.click("#nav-settings").await;
    let row = format!("#account-list tr.account-row[data-name='{ADMIN}']");
    let new_password = "mật khẩu sau khôi phục";
    window
        .type_into(&format!("{row} .reset-password-input"), new_password)
        .await;
    window.click(&format!("{row} .reset-password")).await;
    window.wait_for("#accounts-done").await;
    window.click("#lock").await;
    window.wait_for("#sign-in").await;
    window.sign_in(ADMIN, new_password).await;
    window
        .wait_for_text("#session-user", "Nguyễn Thị Quản Trị")
        .await;
    window.close().await;
}
