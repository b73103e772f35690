//! The real desktop window (Tauri 2 on WebKitGTK), driven through WebDriver: `tauri-driver` in
//! front of Debian's `WebKitWebDriver`. Each test gets its own data directory, driver and app.
//! `./x test` builds the app and runs these under Xvfb; every wait is a condition with a deadline.

use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use fantoccini::{Client, ClientBuilder, Locator};

const DEADLINE: Duration = Duration::from_secs(30);

/// The app binary `./x test` built: beside this test's own `deps/` folder.
fn app_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("HOSO_DESKTOP_BIN") {
        return PathBuf::from(path);
    }
    let exe = std::env::current_exe().expect("the test knows where it is");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>/deps/<test>");
    profile_dir.join(format!("hoso-desktop{}", std::env::consts::EXE_SUFFIX))
}

/// Newest modification time of the files the app is built from.
fn newest_source(dir: &Path) -> SystemTime {
    let mut newest = SystemTime::UNIX_EPOCH;
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        let modified = if path.is_dir() {
            newest_source(&path)
        } else {
            entry.metadata().unwrap().modified().unwrap()
        };
        newest = newest.max(modified);
    }
    newest
}

/// Refuses to test a stale binary: `cargo test` does not rebuild another crate's executable.
fn fresh_app_binary() -> PathBuf {
    let app = app_binary();
    let built = std::fs::metadata(&app)
        .and_then(|m| m.modified())
        .unwrap_or_else(|_| {
            panic!(
                "{} is missing: run ./x test, which builds it first",
                app.display()
            )
        });
    let root = std::path::PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    )
    .join("../..");
    for dir in [
        "crates/model/src",
        "crates/store/src",
        "crates/desk/src",
        "src-tauri/src",
        "frontend/dist",
        "migrations",
    ] {
        assert!(
            newest_source(&root.join(dir)) <= built,
            "{} is older than {dir}: run ./x test, which rebuilds it before testing",
            app.display()
        );
    }
    app
}

/// The administrator every window test sets its desk up with.
const ADMIN: &str = "admin";
const PASSWORD: &str = "mật khẩu thử nghiệm";

/// The desk in `dir` as [`ADMIN`], set up the first time.
fn open_test_desk(dir: &Path) -> hoso_desk::Desk {
    if !hoso_desk::Desk::is_set_up(dir) {
        let first = hoso_model::account::NewAccount {
            name: ADMIN.into(),
            full_name: "Nguyễn Thị Quản Trị".into(),
            role: hoso_model::Role::Admin,
            password: PASSWORD.into(),
        };
        return hoso_desk::Desk::set_up(dir, &first, hoso_desk::SystemClock)
            .unwrap()
            .0;
    }
    hoso_desk::Desk::sign_in(dir, ADMIN, PASSWORD, hoso_desk::SystemClock)
        .unwrap()
        .0
}

fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A `tauri-driver` for one test, with the app's data in a directory of its own.
struct Driver {
    child: Child,
    port: u16,
    app: PathBuf,
    data: tempfile::TempDir,
}

impl Driver {
    fn start() -> Driver {
        Self::start_with(tempfile::tempdir().unwrap(), &[])
    }

    /// A driver whose app finds its data in `data` (prepared by the test) and runs with `env`.
    fn start_with(data: tempfile::TempDir, env: &[(&str, String)]) -> Driver {
        let app = fresh_app_binary();
        let port = free_port();
        let child = Command::new("tauri-driver")
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &free_port().to_string(),
            ])
            .args(["--native-driver", "/usr/bin/WebKitWebDriver"])
            .env("HOSO_DATA_DIR", data.path())
            .env_remove("HOSO_LANG")
            .stdout(Stdio::null())
            // To a file, not the test's own stderr: the driver's children must not hold the
            // test's output open after it ends.
            .stderr(Stdio::from(
                std::fs::File::create(data.path().join("tauri-driver.log")).unwrap(),
            ))
            .spawn()
            .expect("tauri-driver is installed by ./x test (cargo install tauri-driver)");
        let started = Instant::now();
        while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
            assert!(
                started.elapsed() < DEADLINE,
                "tauri-driver did not listen on {port} within {DEADLINE:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Driver {
            child,
            port,
            app,
            data,
        }
    }

    /// Launches the app and waits until its window has drawn the navigation bar.
    async fn open_window(&self) -> Window {
        let window = self.launch().await;
        window.pass_the_gate().await;
        window.wait_for("#nav-intake").await;
        window
    }

    /// Launches the app, leaving its window at the gate.
    async fn launch(&self) -> Window {
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), serde_json::json!("wry"));
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": self.app }),
        );
        let client = ClientBuilder::native()
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("a WebDriver session with the desktop app");
        Window { client }
    }
}

impl Driver {
    fn data_dir(&self) -> &Path {
        self.data.path()
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // tauri-driver stops WebKitWebDriver (and so the app) only on SIGTERM or SIGINT.
        let pid = nix::unistd::Pid::from_raw(self.child.id() as i32);
        let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM);
        let _ = self.child.wait();
    }
}

struct Window {
    client: Client,
}

impl Window {
    /// Sets the desk up as [`ADMIN`] the first time (and acknowledges the recovery key), or
    /// signs in as [`ADMIN`] after that.
    async fn pass_the_gate(&self) {
        let first = self.wait_for("#set-up, #sign-in").await;
        if first.attr("id").await.unwrap().as_deref() == Some("set-up") {
            self.type_into("#set-up-name", ADMIN).await;
            self.type_into("#set-up-full-name", "Nguyễn Thị Quản Trị")
                .await;
            self.type_into("#set-up-password", PASSWORD).await;
            self.type_into("#set-up-password-again", PASSWORD).await;
            self.click("#set-up-button").await;
            let key = self.text_of("#recovery-key").await;
            assert_eq!(key.trim().split('-').count(), 13, "{key}");
            self.click("#recovery-saved").await;
        } else {
            self.sign_in(ADMIN, PASSWORD).await;
        }
    }

    async fn sign_in(&self, name: &str, password: &str) {
        for field in ["#sign-in-name", "#sign-in-password"] {
            self.wait_for(field).await.clear().await.unwrap();
        }
        self.type_into("#sign-in-name", name).await;
        self.type_into("#sign-in-password", password).await;
        self.type_into(
            "#sign-in-password",
            &fantoccini::key::Key::Enter.to_string(),
        )
        .await;
    }

    async fn wait_for(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(DEADLINE)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} did not appear within {DEADLINE:?}: {e}"))
    }

    async fn text_of(&self, css: &str) -> String {
        self.wait_for(css).await.text().await.unwrap()
    }

    /// Waits until the element's text contains `expected`.
    async fn wait_for_text(&self, css: &str, expected: &str) {
        let started = Instant::now();
        loop {
            if let Ok(element) = self.client.find(Locator::Css(css)).await
                && let Ok(text) = element.text().await
                && text.contains(expected)
            {
                return;
            }
            assert!(
                started.elapsed() < DEADLINE,
                "{css} never showed {expected:?} within {DEADLINE:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until no element matches `css`.
    async fn wait_until_absent(&self, css: &str) {
        let started = Instant::now();
        while self.client.find(Locator::Css(css)).await.is_ok() {
            assert!(
                started.elapsed() < DEADLINE,
                "{css} was still there after {DEADLINE:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Clicks the element; one the page draws again between being found and being clicked
    /// (a list refreshed as a filter is typed) is found again.
    async fn click(&self, css: &str) {
        let started = Instant::now();
        loop {
            match self.wait_for(css).await.click().await {
                Ok(()) => return,
                Err(e) if started.elapsed() > DEADLINE => panic!("click {css}: {e}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }

    async fn type_into(&self, css: &str, text: &str) {
        self.wait_for(css)
            .await
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("type into {css}: {e}"));
    }

    /// Types into the procedure picker and takes the first match with Enter.
    async fn choose_procedure(&self, query: &str) {
        self.type_into("#procedure", query).await;
        self.wait_for("#procedure-options .option").await;
        self.type_into("#procedure", &fantoccini::key::Key::Enter.to_string())
            .await;
        self.wait_for_text_value("#procedure", query).await;
    }

    /// Waits until an input's value contains `expected`.
    async fn wait_for_text_value(&self, css: &str, expected: &str) {
        let started = Instant::now();
        loop {
            if let Ok(element) = self.client.find(Locator::Css(css)).await
                && let Ok(Some(value)) = element.prop("value").await
                && value.contains(expected)
            {
                return;
            }
            assert!(
                started.elapsed() < DEADLINE,
                "{css} never held {expected:?} within {DEADLINE:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the element with `id` has keyboard focus.
    async fn wait_for_focus(&self, id: &str, why: &str) {
        let started = Instant::now();
        loop {
            if self.focused_id().await == id {
                return;
            }
            assert!(
                started.elapsed() < DEADLINE,
                "{why}: #{id} never had focus, #{} had",
                self.focused_id().await
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The id of the element that has keyboard focus.
    async fn focused_id(&self) -> String {
        let active = self
            .client
            .active_element()
            .await
            .expect("an element has focus");
        active.attr("id").await.unwrap().unwrap_or_default()
    }

    async fn applicants_listed(&self) -> Vec<String> {
        self.click("#nav-dossiers").await;
        self.wait_for("#page-dossiers").await;
        let mut names = Vec::new();
        for cell in self
            .client
            .find_all(Locator::Css("#dossier-list .applicant"))
            .await
            .unwrap()
        {
            names.push(cell.text().await.unwrap());
        }
        names
    }

    async fn close(self) {
        self.client
            .close()
            .await
            .expect("the session ends and the app quits");
    }
}

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
        .wait_for_text("#applicant-name-error", "Họ tên người nộp phải có")
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
    window.click("#action-stop").await;
    window
        .wait_for_text("#dossier-error", "Hãy ghi rõ lý do")
        .await;
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

    // The tracking book of today's period, from the same page.
    window
        .client
        .execute(
            "document.getElementById('book-from').value = '2020-01-01';
             document.getElementById('book-to').value = '2099-12-31';",
            vec![],
        )
        .await
        .unwrap();
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

/// Waits for the `n`th print to be finished in `dir`; the app's log (in `data`) says why not.
async fn printed(dir: &Path, n: u32, data: &Path) -> PathBuf {
    let path = dir.join(format!("print-{n}.pdf"));
    let started = Instant::now();
    while !path.exists() {
        assert!(
            started.elapsed() < DEADLINE,
            "print {n} did not come out: {} {:?}",
            std::fs::read_to_string(data.join("tauri-driver.log")).unwrap_or_default(),
            std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect::<Vec<_>>()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    path
}

/// A PDF's page count and its first page's size in points, rounded, from Poppler's `pdfinfo`.
fn paper(pdf: &Path) -> (u32, u32, u32) {
    let out = Command::new("pdfinfo").arg(pdf).output().unwrap();
    let info = String::from_utf8_lossy(&out.stdout).into_owned();
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(name))
            .unwrap_or_else(|| panic!("{name} in {info}"))
            .trim()
            .to_owned()
    };
    let pages = field("Pages:").parse().unwrap();
    let size = field("Page size:");
    let numbers: Vec<f64> = size
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    (pages, numbers[0].round() as u32, numbers[1].round() as u32)
}

/// The QR code on a PDF's first page, drawn by Poppler and read by ZBar.
fn qr_on(pdf: &Path) -> String {
    let dir = tempfile::tempdir().unwrap();
    let drawn = Command::new("pdftoppm")
        .args(["-r", "150", "-png", "-singlefile", "-f", "1"])
        .arg(pdf)
        .arg(dir.path().join("page"))
        .status()
        .unwrap();
    assert!(drawn.success());
    let out = Command::new("zbarimg")
        .args(["--quiet", "--raw"])
        .arg(dir.path().join("page.png"))
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
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

/// An A4 page of Vietnamese text at 200 dpi (JPEG) and the words printed on it.
fn text_page() -> (Vec<u8>, String) {
    let page = hoso_capture::testpages::document_page(&hoso_capture::testpages::PageOptions {
        seed: 7,
        dpi: 200,
        skew_degrees: 0.5,
        ..Default::default()
    })
    .unwrap();
    let mut jpeg = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 85);
    encoder.set_pixel_density(image::codecs::jpeg::PixelDensity::dpi(200));
    encoder.encode_image(&page.image).unwrap();
    (jpeg, page.truth)
}

#[tokio::test]
async fn an_officer_scans_into_a_dossier_orders_pages_exports_and_finds_it_by_a_scanned_word() {
    // A set-up desk with one dossier, SANE's test backend, and a network scanner holding a
    // page of Vietnamese text.
    let data = tempfile::tempdir().unwrap();
    let code = {
        let desk = open_test_desk(data.path());
        desk.set_unit(hoso_model::unit::Unit {
            code: "H25.123".into(),
            name: "Trung tâm Phục vụ hành chính công xã Thạch Hà".into(),
            governing_body: String::new(),
            device_slot: 0,
            office_hours: Default::default(),
        })
        .unwrap();
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

/// A file dragged from a folder and dropped on the element `onto` (the events a drop makes).
async fn drop_file(window: &Window, onto: &str, name: &str, bytes: Vec<u8>) {
    let bytes: Vec<serde_json::Value> = bytes.into_iter().map(Into::into).collect();
    window
        .client
        .execute(
            "const data = new DataTransfer();
             data.items.add(new File([new Uint8Array(arguments[0])], arguments[1], { type: 'image/jpeg' }));
             const onto = document.getElementById(arguments[2]);
             for (const kind of ['dragenter', 'dragover', 'drop']) {
                 onto.dispatchEvent(new DragEvent(kind, { bubbles: true, cancelable: true, dataTransfer: data }));
             }",
            vec![serde_json::Value::Array(bytes), name.into(), onto.into()],
        )
        .await
        .unwrap();
}

async fn thumbnail_ids(window: &Window) -> Vec<String> {
    let mut ids = Vec::new();
    for figure in window
        .client
        .find_all(Locator::Css("#thumbnails figure"))
        .await
        .unwrap()
    {
        let id = figure.attr("id").await.unwrap().unwrap_or_default();
        ids.push(id.trim_start_matches("page-").to_owned());
    }
    ids
}

async fn wait_until<F, Fut>(condition: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    while !condition().await {
        assert!(started.elapsed() < DEADLINE, "the condition never held");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The hub of this workspace (`target/debug/hoso-hub`, built by `./x test`) over `data`,
/// listening on `port`; its first line says where.
fn start_hub(data: &Path, port: u16) -> std::process::Child {
    use std::io::BufRead;
    let exe = std::env::current_exe().unwrap();
    let bin = exe.parent().unwrap().parent().unwrap().join("hoso-hub");
    assert!(
        bin.exists(),
        "{} is missing: ./x test builds it",
        bin.display()
    );
    let mut child = std::process::Command::new(bin)
        .args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
        ])
        .arg(data)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.starts_with("listening on"), "{line}");
    child
}

fn hub_cli(data: &Path, args: &[&str]) -> String {
    let exe = std::env::current_exe().unwrap();
    let bin = exe.parent().unwrap().parent().unwrap().join("hoso-hub");
    let out = std::process::Command::new(bin)
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

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

#[tokio::test]
async fn the_window_locks_and_only_a_right_password_opens_it_again() {
    let driver = Driver::start();
    let window = driver.open_window().await;
    window
        .wait_for_text("#session-user", "Nguyễn Thị Quản Trị")
        .await;
    window.click("#lock").await;
    window.wait_for("#sign-in").await;
    assert!(
        window
            .client
            .find(Locator::Css("#nav-intake"))
            .await
            .is_err(),
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

/// The `hoso` command line beside this test (built with the app by `./x test`) on the desk in
/// `data`, signed in as `user` when given; `new_password` is the password of an account it
/// creates. Its standard output; a failure fails the test with what the command said.
fn hoso_cli(
    data: &Path,
    user: Option<(&str, &str)>,
    new_password: Option<&str>,
    args: &[&str],
) -> String {
    let bin = app_binary().with_file_name(format!("hoso{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} is missing: ./x test builds it",
        bin.display()
    );
    let mut command = Command::new(&bin);
    command
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .env_remove("HOSO_USER")
        .env_remove("HOSO_PASSWORD")
        .env_remove("HOSO_NEW_PASSWORD")
        .env_remove("HOSO_LANG")
        .env_remove("HOSO_DATA_DIR");
    if let Some((name, password)) = user {
        command
            .env("HOSO_USER", name)
            .env("HOSO_PASSWORD", password);
    }
    if let Some(password) = new_password {
        command.env("HOSO_NEW_PASSWORD", password);
    }
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "hoso {args:?} failed ({}):\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A page of Vietnamese text as a scanner's JPEG, different for each seed.
fn scanned_page(seed: u64) -> Vec<u8> {
    let page = hoso_capture::testpages::document_page(&hoso_capture::testpages::PageOptions {
        seed,
        dpi: 150,
        ..Default::default()
    })
    .unwrap();
    let mut jpeg = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 80);
    encoder.set_pixel_density(image::codecs::jpeg::PixelDensity::dpi(150));
    encoder.encode_image(&page.image).unwrap();
    jpeg
}

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
