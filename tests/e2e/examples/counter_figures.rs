//! The counter's figures, measured on the real window (the same harness as the end-to-end
//! tests): what a receipt costs an officer from an empty intake form, counted in keys, clicks
//! and seconds, the way it took before (saved, then found again in the dossier list and printed
//! from there) beside the way it takes now (Enter on "In phiếu hẹn"); how long the window takes
//! from launch to a sign-in screen that takes typing; and how long from F8 to the first
//! thumbnail with SANE's test scanner.
//!
//! Run after `./x build`, under a display: `xvfb-run -a cargo run -p hoso-e2e --example
//! counter_figures`. Prints the figures; asserts nothing.

#[cfg(unix)]
mod figures {
    use std::time::Instant;

    use fantoccini::key::Key;
    use hoso_e2e::{Driver, Window, open_test_desk, printed, wait_until};

    /// What one way of doing it cost.
    #[derive(Default)]
    struct Cost {
        keys: usize,
        clicks: usize,
        seconds: f64,
    }

    /// Types `text` into `css`, counting each character as a key.
    async fn typed(window: &Window, cost: &mut Cost, css: &str, text: &str) {
        window.type_into(css, text).await;
        cost.keys += text.chars().count();
    }

    async fn key(window: &Window, cost: &mut Cost, css: &str, key: Key) {
        window.press(css, key).await;
        cost.keys += 1;
    }

    async fn click(window: &Window, cost: &mut Cost, css: &str) {
        window.click(css).await;
        cost.clicks += 1;
    }

    /// A typical citizen's intake: the procedure found by two words, the name, the ID card
    /// and the phone, Tab between fields, Enter to save.
    /// The procedure box is emptied first without counting a key: focused, it selects what it
    /// shows, so the officer's typing replaces it.
    async fn intake(window: &Window, cost: &mut Cost, name: &str) {
        window.wait_for("#procedure").await.clear().await.unwrap();
        typed(window, cost, "#procedure", "khai sinh").await;
        window.wait_for("#procedure-options .option").await;
        key(window, cost, "#procedure", Key::Enter).await;
        typed(window, cost, "#applicant-name", name).await;
        key(window, cost, "#applicant-name", Key::Tab).await;
        typed(window, cost, "#id-number", "001099012345").await;
        key(window, cost, "#id-number", Key::Tab).await;
        typed(window, cost, "#phone", "0912345678").await;
        key(window, cost, "#phone", Key::Enter).await;
        window.wait_for_text("#intake-saved", name).await;
    }

    pub async fn run() {
        let data = tempfile::tempdir().unwrap();
        {
            let desk = open_test_desk(data.path());
            hoso_e2e::set_test_unit(&desk);
        }
        let printer = tempfile::tempdir().unwrap();
        let sane = tempfile::tempdir().unwrap();
        std::fs::write(sane.path().join("dll.conf"), "test\n").unwrap();
        let driver = Driver::start_with(
            data,
            &[
                ("HOSO_PRINT_TO", printer.path().display().to_string()),
                ("SANE_CONFIG_DIR", sane.path().display().to_string()),
            ],
        );

        // Launch to a sign-in screen that takes typing, three times (the first warms the
        // disk cache).
        let mut starts = Vec::new();
        for _ in 0..3 {
            let started = Instant::now();
            let window = driver.launch().await;
            window.wait_for("#sign-in-name, #set-up-name").await;
            starts.push(started.elapsed().as_secs_f64());
            window.pass_the_gate().await;
            window.close().await;
        }
        let window = driver.open_window().await;

        // Before: saved, then found in the dossier list and printed from the dossier's page.
        let mut before = Cost::default();
        let started = Instant::now();
        intake(&window, &mut before, "Nguyễn Văn An").await;
        let code = window.text_of("#intake-saved-code").await;
        click(&window, &mut before, "#nav-dossiers").await;
        typed(&window, &mut before, "#search", &code[code.len() - 4..]).await;
        window.wait_for_text("#dossier-list", &code).await;
        click(&window, &mut before, "#dossier-list .code button").await;
        click(&window, &mut before, "#print-01").await;
        printed(printer.path(), 1, driver.data_dir()).await;
        before.seconds = started.elapsed().as_secs_f64();

        // Now: Enter on "In phiếu hẹn", which has the focus once saved.
        click(&window, &mut Cost::default(), "#nav-intake").await;
        let mut now = Cost::default();
        let started = Instant::now();
        intake(&window, &mut now, "Trần Thị Bình").await;
        window
            .wait_for_focus("intake-print", "the receipt is next")
            .await;
        key(&window, &mut now, "#intake-print", Key::Enter).await;
        printed(printer.path(), 2, driver.data_dir()).await;
        now.seconds = started.elapsed().as_secs_f64();

        // F8 to the first thumbnail, SANE's test scanner at 150 dpi.
        window.click("#intake-digitise").await;
        window
            .wait_for("#scan-device option[value='sane:test:0']")
            .await;
        window.click("#scan-resolution option[value='150']").await;
        let started = Instant::now();
        window.press_anywhere(Key::F8).await;
        wait_until(|| async {
            window
                .client
                .find(fantoccini::Locator::Css(
                    "#thumbnails figure img[src^='data:']",
                ))
                .await
                .is_ok()
        })
        .await;
        let f8 = started.elapsed().as_secs_f64();
        window.close().await;

        starts.sort_by(f64::total_cmp);
        println!("From an empty intake form to a printed receipt (a typical citizen):");
        println!(
            "  before (dossier list → open → print): {:>3} keys, {} clicks, {:.1} s",
            before.keys, before.clicks, before.seconds
        );
        println!(
            "  now (Enter on \"In phiếu hẹn\"):        {:>3} keys, {} clicks, {:.1} s",
            now.keys, now.clicks, now.seconds
        );
        println!(
            "  ratio before/now: {:.2}× the actions, {:.2}× the time",
            (before.keys + before.clicks) as f64 / (now.keys + now.clicks) as f64,
            before.seconds / now.seconds
        );
        println!(
            "Launch to an interactive sign-in screen: {:.2} s median of {:?} (WebDriver's own start included)",
            starts[1],
            starts.iter().map(|s| format!("{s:.2}")).collect::<Vec<_>>()
        );
        println!("F8 to the first thumbnail (SANE test scanner, 150 dpi): {f8:.2} s");
    }
}

#[cfg(unix)]
#[tokio::main]
async fn main() {
    figures::run().await;
}

#[cfg(not(unix))]
fn main() {}
