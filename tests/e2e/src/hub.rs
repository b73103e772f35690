//! Processes beside the window: the hub (`hoso-hub`) serving on 127.0.0.1 or run as a command,
//! and the `hoso` command line on a desk's data. All are built with the app by `./x test`.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::driver::app_binary;

/// `hoso-hub` in the test's own profile folder (`target/<profile>/`).
fn hub_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    exe.parent().unwrap().parent().unwrap().join("hoso-hub")
}

/// The hub of this workspace (`target/debug/hoso-hub`, built by `./x test`) over `data`,
/// listening on `port`; its first line says where.
pub fn start_hub(data: &Path, port: u16) -> Child {
    let bin = hub_binary();
    assert!(
        bin.exists(),
        "{} is missing: ./x test builds it",
        bin.display()
    );
    let mut child = Command::new(bin)
        .args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
        ])
        .arg(data)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.starts_with("listening on"), "{line}");
    child
}

/// One `hoso-hub` command over the hub's `data`; its standard output.
pub fn hub_cli(data: &Path, args: &[&str]) -> String {
    let out = Command::new(hub_binary())
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

/// The `hoso` command line beside this test (built with the app by `./x test`) on the desk in
/// `data`, signed in as `user` when given; `new_password` is the password of an account it
/// creates. Its standard output; a failure fails the test with what the command said.
pub fn hoso_cli(
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
