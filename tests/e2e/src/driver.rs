//! Launching: the app binary `./x test` built (refused when older than its sources), a
//! `tauri-driver` per test with a data directory of its own, and a WebDriver session on it.

use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use fantoccini::ClientBuilder;

use crate::DEADLINE;
use crate::window::Window;

/// The administrator every window test sets its desk up with.
pub const ADMIN: &str = "admin";
/// The password of [`ADMIN`].
pub const PASSWORD: &str = "mật khẩu thử nghiệm";

/// The app binary `./x test` built: `HOSO_DESKTOP_BIN`, or beside the test's own `deps/` folder.
pub fn app_binary() -> PathBuf {
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
pub fn newest_source(dir: &Path) -> SystemTime {
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
pub fn fresh_app_binary() -> PathBuf {
    let app = app_binary();
    let built = std::fs::metadata(&app)
        .and_then(|m| m.modified())
        .unwrap_or_else(|_| {
            panic!(
                "{} is missing: run ./x test, which builds it first",
                app.display()
            )
        });
    // This crate sits at `tests/e2e` in the workspace.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
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

/// The desk in `dir` as [`ADMIN`], set up the first time.
pub fn open_test_desk(dir: &Path) -> hoso_desk::Desk {
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

/// A port on 127.0.0.1 that nothing listens on now.
/// Sets the unit every test with dossier codes uses (H25.123, slot 0, the usual hours).
pub fn set_test_unit(desk: &hoso_desk::Desk) {
    desk.set_unit(hoso_model::unit::Unit {
        code: "H25.123".into(),
        name: "Trung tâm Phục vụ hành chính công xã Thạch Hà".into(),
        governing_body: String::new(),
        device_slot: 0,
        office_hours: Default::default(),
    })
    .unwrap();
}

pub fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A `tauri-driver` for one test, with the app's data in a directory of its own.
pub struct Driver {
    child: Child,
    port: u16,
    app: PathBuf,
    data: tempfile::TempDir,
}

impl Driver {
    /// A driver whose app starts on an empty data directory.
    pub fn start() -> Driver {
        Self::start_with(tempfile::tempdir().unwrap(), &[])
    }

    /// A driver whose app finds its data in `data` (prepared by the test) and runs with `env`.
    pub fn start_with(data: tempfile::TempDir, env: &[(&str, String)]) -> Driver {
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
    pub async fn open_window(&self) -> Window {
        let window = self.launch().await;
        window.pass_the_gate().await;
        window.wait_for("#nav-intake").await;
        window
    }

    /// Launches the app, leaving its window at the gate.
    pub async fn launch(&self) -> Window {
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

    /// The app's data directory (also where `tauri-driver.log` is written).
    pub fn data_dir(&self) -> &Path {
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
