//! Helpers shared by the desk's integration tests.

#![allow(dead_code)] // each test binary uses a part

pub mod desk;
pub mod hub;

use std::path::Path;

use hoso_desk::{Clock, Desk, Error};
use hoso_model::Role;
use hoso_model::account::NewAccount;
use hoso_store::OpenNotice;

/// The administrator every test desk is set up with.
pub const ADMIN: &str = "admin";
pub const PASSWORD: &str = "mật khẩu thử nghiệm";

/// Opens the test desk in `dir` as [`ADMIN`], setting it up the first time.
pub fn open_desk(
    dir: &Path,
    clock: impl Clock + 'static,
) -> Result<(Desk, Option<OpenNotice>), Error> {
    if !Desk::is_set_up(dir) {
        let first = NewAccount {
            name: ADMIN.into(),
            full_name: "Quản trị thử".into(),
            role: Role::Admin,
            password: PASSWORD.into(),
        };
        let (desk, _recovery) = Desk::set_up(dir, &first, clock)?;
        return Ok((desk, None));
    }
    Desk::sign_in(dir, ADMIN, PASSWORD, clock)
}

/// `hoso` on the desk in `data_dir`, signed in as [`ADMIN`]; the desk is set up first if it
/// is not yet.
pub fn hoso_command(data_dir: &Path) -> std::process::Command {
    let command = |args: &[&str]| {
        // Integration tests are told where the binary is; examples find it beside themselves.
        let bin = match option_env!("CARGO_BIN_EXE_hoso") {
            Some(path) => std::path::PathBuf::from(path),
            None => std::env::current_exe()
                .unwrap()
                .parent()
                .and_then(Path::parent)
                .unwrap()
                .join("hoso"),
        };
        let mut c = std::process::Command::new(bin);
        c.env_remove("HOSO_DATA_DIR")
            .env_remove("HOSO_LANG")
            .env("HOSO_USER", ADMIN)
            .env("HOSO_PASSWORD", PASSWORD)
            .arg("--data-dir")
            .arg(data_dir)
            .args(args);
        c
    };
    if !Desk::is_set_up(data_dir) {
        let out = command(&["init", "--admin", ADMIN]).output().unwrap();
        assert!(
            out.status.success(),
            "hoso init: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    command(&[])
}

/// Every file under `dir`, recursively.
pub fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Whether `needle` stands anywhere in `haystack`.
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
