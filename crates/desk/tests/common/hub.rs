//! A real hub for tests: the `hoso-hub` binary of this workspace, on loopback, over a data
//! directory that outlives it (so it can be stopped and started again).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use hoso_desk::{Desk, SystemClock};
use hoso_model::NewDossier;
use hoso_model::page::Target;

pub const UNIT: &str = "H25.123";

/// The `hoso-hub` binary next to this test's own executable (`target/debug/hoso-hub`): the
/// workspace test run builds every binary.
pub fn hub_bin() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap().parent().unwrap();
    let bin = dir.join(format!("hoso-hub{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} is missing: build it with `cargo build -p hoso-hub` (./x test does)",
        bin.display()
    );
    bin
}

pub struct Hub {
    child: Option<Child>,
    pub data: PathBuf,
    /// `http://127.0.0.1:PORT`
    pub url: String,
}

impl Hub {
    /// Starts a hub over `data` listening on `listen` (`127.0.0.1:0` for any port).
    pub fn start(data: &Path, listen: &str) -> Hub {
        let mut child = Command::new(hub_bin())
            .args(["serve", "--data-dir"])
            .arg(data)
            .args(["--listen", listen])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the hub starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line from the hub: {line:?}"))
            .to_owned();
        Hub {
            child: Some(child),
            data: data.to_path_buf(),
            url,
        }
    }

    /// The address it listens on (`127.0.0.1:PORT`).
    pub fn addr(&self) -> std::net::SocketAddr {
        self.url.trim_start_matches("http://").parse().unwrap()
    }

    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Runs a `hoso-hub` command over this hub's data; its standard output.
    pub fn cli(&self, args: &[&str]) -> String {
        cli(&self.data, args)
    }

    /// A new one-time enrollment code for the test unit (created if needed).
    pub fn enrollment_code(&self) -> String {
        let _ = Command::new(hub_bin())
            .args([
                "unit",
                "add",
                "--code",
                UNIT,
                "--name",
                "UBND xã Thạch Hà",
                "--data-dir",
            ])
            .arg(&self.data)
            .output();
        self.cli(&["enroll-code", "--unit", UNIT]).trim().to_owned()
    }

    /// The unit's dossiers as the hub lists them: `(id, current version)`.
    pub fn dossiers(&self) -> Vec<(String, u64)> {
        let out = self.cli(&["dossiers", "--unit", UNIT, "--json"]);
        let list: serde_json::Value = serde_json::from_str(&out).unwrap();
        let mut rows: Vec<(String, u64)> = list
            .as_array()
            .unwrap_or_else(|| panic!("a list of dossiers: {out}"))
            .iter()
            .map(|d| {
                (
                    d["id"].as_str().unwrap().to_owned(),
                    d["version"].as_u64().unwrap(),
                )
            })
            .collect();
        rows.sort();
        rows
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        self.stop();
    }
}

pub fn cli(data: &Path, args: &[&str]) -> String {
    let out = Command::new(hub_bin())
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "hoso-hub {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A desk over `dir`, on the real clock (the hub compares clocks), enrolled with the hub at
/// `hub_url` (which may be a proxy in front of `hub`).
pub fn enrolled_desk(dir: &Path, hub: &Hub, hub_url: &str) -> Desk {
    let (desk, _) = super::open_desk(dir, SystemClock).unwrap();
    let code = hub.enrollment_code();
    desk.enroll(hub_url, &code, "may-1").unwrap();
    desk
}

/// What the desk holds, as the hub should: `(id, current version)` of every dossier.
pub fn desk_dossiers(desk: &Desk) -> Vec<(String, u64)> {
    let mut rows: Vec<(String, u64)> = desk
        .dossiers()
        .unwrap()
        .into_iter()
        .map(|d| {
            let version = desk.sync_version(&d.id).unwrap();
            (d.id.0, version)
        })
        .collect();
    rows.sort();
    rows
}

/// Every file the desk keeps for its dossiers is on the hub, byte for byte.
pub fn assert_hub_holds_every_file(desk: &Desk, hub_url: &str) {
    let token = desk.sync_token().unwrap().expect("enrolled");
    let client = reqwest::blocking::Client::new();
    for hash in desk.kept_file_hashes().unwrap() {
        let response = client
            .get(format!("{hub_url}/v1/files/{hash}"))
            .header("Authorization", format!("Bearer {token}"))
            .header("Hoso-Protocol", "1")
            .send()
            .unwrap();
        assert_eq!(response.status().as_u16(), 200, "the hub holds {hash}");
        let bytes = response.bytes().unwrap();
        assert_eq!(hoso_desk::hash_of(&bytes), hash, "the hub's copy of {hash}");
    }
}

/// A scanned page as a scanner would save it: noisy enough that JPEG cannot shrink it much, so
/// the file is about `kib` KiB.
pub fn noisy_jpeg(seed: u32, kib: u32) -> Vec<u8> {
    let side = ((kib as f64 * 1024.0 / 1.2).sqrt() as u32).max(64);
    let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    let img = image::RgbImage::from_fn(side, side, |_, _| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let v = (state & 0xff) as u8;
        image::Rgb([v, v.wrapping_mul(3), v.wrapping_add(40)])
    });
    let mut out = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 92);
    encoder.set_pixel_density(image::codecs::jpeg::PixelDensity::dpi(300));
    encoder.encode_image(&img).unwrap();
    out
}

/// Registers a dossier with one scanned page of about `kib` KiB; its code.
pub fn dossier_with_page(desk: &Desk, files: &Path, n: u32, kib: u32) -> String {
    let code = desk
        .register(&NewDossier {
            procedure_code: "1.001193".into(),
            applicant_name: format!("Nguyễn Văn Đức {n}"),
            ..Default::default()
        })
        .unwrap()
        .code
        .unwrap();
    let path = files.join(format!("trang-{n}.jpg"));
    std::fs::write(&path, noisy_jpeg(n, kib)).unwrap();
    desk.attach(&code, &Target::Component { n: 1 }, &[path])
        .unwrap();
    code
}
