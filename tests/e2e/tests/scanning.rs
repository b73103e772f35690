//! Số hoá (digitising): scanning from SANE and a network (eSCL) scanner into a dossier,
//! ordering, joining and dropping pages, exporting the PDF, and finding the dossier by a word
//! recognised on a scanned page.

use std::time::{Duration, Instant};

use hoso_e2e::{
    Driver, drop_file, open_test_desk, scanned_page, text_page, thumbnail_ids, wait_until,
};

#[tokio::test]
async fn an_officer_scans_into_a_dossier_orders_pages_exports_and_finds_it_by_a_scanned_word() {
    // A set-up desk with one dossier, SANE's test backend, and a network scanner holding a
    // page of Vietnamese text.
    let data = tempfile::tempdir().unwrap();
    let code = {
        let desk = open_test_desk(data.path());
        hoso_e2e::set_test_unit(&desk);
        desk.register(&hoso_model::NewDossier {
            procedure_code: "1.001193".into(),
            applicant_name: "Trần Thị Bích".into(),
            ..Default::default()
        })
        .unwrap()
        .code
        .unwrap()
    };
    let sane = tempfile::tempdir().unwrap();
    std::fs::write(sane.path().join("dll.conf"), "test\n").unwrap();
    let (page, truth) = text_page();
    let escl = hoso_fakes::EsclServer::start(hoso_fakes::EsclConfig {
        platen_pages: vec![page],
        ..Default::default()
    });
    let driver = Driver::start_with(
        data,
        &[
            ("SANE_CONFIG_DIR", sane.path().display().to_string()),
            ("HOSO_ESCL_SCANNERS", escl.base_url()),
        ],
    );
    let window = driver.open_window().await;

    window.click("#nav-dossiers").await;
    window.click("#dossier-list .code button").await;
    window.wait_for_text("#dossier-code", &code).await;
    window.click("#open-digitise").await;
    window.wait_for_text_value("#scan-dossier", &code).await;
    window
        .wait_for("#scan-device option[value='sane:test:0']")
        .await;

    // Two pages from the SANE test device, by the scan key.
    window.click("#scan-resolution option[value='150']").await;
    for expected in 1..=2 {
        window.click("#scan-button").await;
        window.wait_for_text("#scan-done", "1").await;
        window
            .wait_for(&format!("#thumbnails figure:nth-child({expected})"))
            .await;
    }
    assert!(
        window
            .wait_for("#component-1")
            .await
            .prop("checked")
            .await
            .unwrap()
            .as_deref()
            == Some("true"),
        "the checklist ticks itself"
    );

    // The second page is moved before the first.
    let ids = thumbnail_ids(&window).await;
    window.click(&format!("#page-{} .earlier", ids[1])).await;
    wait_until(|| async { thumbnail_ids(&window).await == vec![ids[1].clone(), ids[0].clone()] })
        .await;
    // And dragged back after the other (the events a drag of the mouse makes).
    window
        .client
        .execute(
            "const [from, onto] = [arguments[0], arguments[1]].map(id => document.getElementById('page-' + id));
             const data = new DataTransfer();
             for (const [element, kind] of [[from, 'dragstart'], [onto, 'dragenter'], [onto, 'dragover'], [onto, 'drop'], [from, 'dragend']]) {
                 element.dispatchEvent(new DragEvent(kind, { bubbles: true, cancelable: true, dataTransfer: data }));
             }",
            vec![ids[1].clone().into(), ids[0].clone().into()],
        )
        .await
        .unwrap();
    wait_until(|| async { thumbnail_ids(&window).await == ids }).await;

    // A file dragged from a folder onto the first component becomes its third page.
    drop_file(&window, "component-drop-1", "Tờ khai.jpg", scanned_page(4)).await;
    window.wait_for("#thumbnails figure:nth-child(3)").await;
    window
        .wait_for_text("#thumbnails figure:nth-child(3) figcaption", "TP1 · 3")
        .await;

    // The dropped page is kept as the second image of the page before it (a sheet with a
    // sticky note), then made a page of its own again.
    let third = thumbnail_ids(&window).await[2].clone();
    window.click(&format!("#page-{third} .join")).await;
    window
        .wait_for_text(&format!("#page-{third} figcaption"), "TP1 · 2b")
        .await;
    window.click(&format!("#page-{third} .split")).await;
    window
        .wait_for_text(&format!("#page-{third} figcaption"), "TP1 · 3")
        .await;
    // Dragged onto the results of the checklist, it becomes a result; a file dropped there
    // too.
    window
        .client
        .execute(
            "const from = document.getElementById('page-' + arguments[0]);
             const onto = document.getElementById('results-drop');
             const data = new DataTransfer();
             for (const [element, kind] of [[from, 'dragstart'], [onto, 'dragenter'], [onto, 'dragover'], [onto, 'drop'], [from, 'dragend']]) {
                 element.dispatchEvent(new DragEvent(kind, { bubbles: true, cancelable: true, dataTransfer: data }));
             }",
            vec![third.clone().into()],
        )
        .await
        .unwrap();
    window
        .wait_for_text(&format!("#page-{third} figcaption"), "KQ · 1")
        .await;
    drop_file(
        &window,
        "results-drop",
        "Giấy khai sinh.jpg",
        scanned_page(5),
    )
    .await;
    window
        .wait_for_text("#thumbnails figure:nth-child(4) figcaption", "KQ · 2")
        .await;
    window.wait_for_text("#results-drop", "(2 ").await;

    // A page of text from the network scanner, recognised in the background.
    let escl_id = format!("escl:{}", escl.base_url());
    window
        .click(&format!("#scan-device option[value='{escl_id}']"))
        .await;
    window.click("#scan-button").await;
    window.wait_for("#thumbnails figure:nth-child(5)").await;
    let started = Instant::now();
    loop {
        if window.text_of("#ocr-status").await.contains("Đã nhận dạng") {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "text recognition did not finish"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }

    window.click("#export-button").await;
    window
        .wait_for_text("#export-saved", &format!("{code}.pdf"))
        .await;
    let exported = driver
        .data_dir()
        .join("exports")
        .join(format!("{code}.pdf"));
    let info = std::process::Command::new("pdfinfo")
        .arg(&exported)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&info.stdout).contains("Pages:           5"),
        "the export holds the five pages"
    );

    // A word printed only on the scanned page finds the dossier.
    let word = truth
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .find(|w| {
            w.chars().count() >= 5
                && w.chars().all(char::is_alphabetic)
                && !"Trần Thị Bích".contains(w)
        })
        .expect("the page has long words")
        .to_owned();
    window.click("#nav-dossiers").await;
    window.type_into("#search", &word).await;
    window.wait_for_text("#dossier-list", &code).await;
    window.close().await;
}
