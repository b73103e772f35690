//! Sync with the hub: work done at the counter while the hub is down reaches it on its own
//! once the hub is back.

use fantoccini::Locator;
use hoso_e2e::{Driver, free_port, hub_cli, open_test_desk, start_hub, wait_until};

#[tokio::test]
async fn dossiers_registered_and_scanned_while_the_hub_is_down_reach_it_when_it_comes_back() {
    // An enrolled desk; then the hub goes down.
    let hub_data = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut hub = start_hub(hub_data.path(), port);
    hub_cli(
        hub_data.path(),
        &["unit", "add", "--code", "H25.123", "--name", "Xã Thạch Hà"],
    );
    let code = hub_cli(hub_data.path(), &["enroll-code", "--unit", "H25.123"]);
    let data = tempfile::tempdir().unwrap();
    {
        // Enrollment runs its own runtime: off this test's async thread.
        let (dir, code) = (data.path().to_path_buf(), code.trim().to_owned());
        std::thread::spawn(move || {
            let desk = open_test_desk(&dir);
            desk.enroll(&format!("http://127.0.0.1:{port}"), &code, "may-1")
                .unwrap();
        })
        .join()
        .unwrap();
    }
    hub.kill().unwrap();
    hub.wait().unwrap();

    let sane = tempfile::tempdir().unwrap();
    std::fs::write(sane.path().join("dll.conf"), "test\n").unwrap();
    let driver = Driver::start_with(
        data,
        &[
            ("SANE_CONFIG_DIR", sane.path().display().to_string()),
            ("HOSO_SYNC_PROBE_SECONDS", "0.5".into()),
        ],
    );
    let window = driver.open_window().await;

    // Two dossiers registered at the counter and scanned, with no hub.
    for name in ["Nguyễn Văn Đức", "Trần Thị Bích"] {
        window.click("#nav-intake").await;
        window.choose_procedure("1.001193").await;
        window
            .type_into(
                "#applicant-name",
                &format!("{name}{}", fantoccini::key::Key::Enter),
            )
            .await;
        window.wait_for_text("#intake-saved", name).await;
        let code = window.text_of("#intake-saved-code").await;
        window.click("#nav-digitise").await;
        let input = window.wait_for("#scan-dossier").await;
        input.clear().await.unwrap();
        input
            .send_keys(&format!("{code}{}", fantoccini::key::Key::Enter))
            .await
            .unwrap();
        window
            .wait_for("#scan-device option[value='sane:test:0']")
            .await;
        window.click("#scan-resolution option[value='150']").await;
        window.click("#scan-target option[value='1']").await;
        window.click("#scan-button").await;
        let outcome = window.wait_for("#scan-done, #scan-error").await;
        assert_eq!(
            outcome.attr("id").await.unwrap().as_deref(),
            Some("scan-done"),
            "{}",
            outcome.text().await.unwrap()
        );
    }

    // The sync screen says the hub cannot be reached and two dossiers wait.
    window.click("#nav-sync").await;
    window.wait_for_text("#sync-waiting-dossiers", "2").await;
    window
        .wait_for_text("#sync-state", "Chưa có mạng tới máy chủ; sẽ thử lại lúc")
        .await;

    // The hub comes back on the same address: they go, without anyone touching anything.
    let mut hub = start_hub(hub_data.path(), port);
    window.wait_for_text("#sync-waiting-dossiers", "0").await;
    wait_until(|| async {
        window
            .wait_for("#sync-state")
            .await
            .attr("data-state")
            .await
            .unwrap()
            .as_deref()
            == Some("idle")
    })
    .await;
    assert_ne!(window.text_of("#sync-last-contact").await, "chưa lần nào");

    window.click("#nav-dossiers").await;
    wait_until(|| async {
        let badges = window
            .client
            .find_all(Locator::Css(
                "#dossier-list .sync-badge[data-sync='synced']",
            ))
            .await
            .unwrap();
        badges.len() == 2
    })
    .await;
    let listed: serde_json::Value = serde_json::from_str(&hub_cli(
        hub_data.path(),
        &["dossiers", "--unit", "H25.123", "--json"],
    ))
    .unwrap();
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().all(|d| d["files"] == 1), "{listed:?}");
    window.close().await;
    hub.kill().unwrap();
    hub.wait().unwrap();
}
