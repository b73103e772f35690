//! The syncing desk killed with SIGKILL at random moments, again and again, while the officer
//! keeps registering dossiers: in the end every dossier and every file is on the hub exactly
//! once, hash-verified. `HOSO_SYNC_KILLS` sets how many kills (default 50; the soak script
//! `bench/sync-soak.sh` runs many more).

mod common;

use std::process::Command;
use std::time::Duration;

use common::hub::{
    Hub, assert_hub_holds_every_file, desk_dossiers, dossier_with_page, enrolled_desk, noisy_jpeg,
};
use hoso_model::page::Target;

/// A small xorshift generator: the kill times differ from run to run (seeded from the clock)
/// and the seed is printed, so a failing run can be replayed with `HOSO_SYNC_SEED`.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[test]
fn a_desk_killed_mid_sync_again_and_again_gets_everything_to_the_hub_exactly_once() {
    let kills: u32 = std::env::var("HOSO_SYNC_KILLS")
        .ok()
        .and_then(|k| k.parse().ok())
        .unwrap_or(50);
    let seed: u64 = std::env::var("HOSO_SYNC_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    eprintln!("HOSO_SYNC_SEED={seed} HOSO_SYNC_KILLS={kills}");
    let mut rng = Rng(seed);

    let hub_dir = tempfile::tempdir().unwrap();
    let desk_dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let hub = Hub::start(hub_dir.path(), "127.0.0.1:0");
    let desk = enrolled_desk(desk_dir.path(), &hub, &hub.url);
    for n in 0..10 {
        dossier_with_page(&desk, files.path(), n, 400);
    }
    // About 1.5 MB/s: a full run takes seconds, so kills land in every phase (creating uploads,
    // mid-chunk, between a chunk and its record, mid-batch, pulling).
    desk.set_sync_bandwidth(Some(1_500_000)).unwrap();

    let hoso = env!("CARGO_BIN_EXE_hoso");
    let mut killed_mid_run = 0;
    for i in 0..kills {
        let mut child = Command::new(hoso)
            .args(["sync", "--chunk-kib", "128"])
            .env("HOSO_DATA_DIR", desk_dir.path())
            .env("HOSO_USER", common::ADMIN)
            .env("HOSO_PASSWORD", common::PASSWORD)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(40 + rng.below(400)));
        if child.try_wait().unwrap().is_none() {
            killed_mid_run += 1;
        }
        child.kill().unwrap_or(()); // SIGKILL
        child.wait().unwrap();
        // The officer goes on working meanwhile: new dossiers, and new pages on old ones.
        if i % 10 == 5 {
            dossier_with_page(&desk, files.path(), 100 + i, 200);
        }
        if i % 10 == 8 {
            let code = desk.dossiers().unwrap()[0].code.clone().unwrap();
            let path = files.path().join(format!("them-{i}.jpg"));
            std::fs::write(&path, noisy_jpeg(1000 + i, 150)).unwrap();
            desk.attach(&code, &Target::Component { n: 1 }, &[path])
                .unwrap();
        }
    }
    assert!(
        killed_mid_run * 2 >= kills,
        "most kills must land mid-run to prove anything ({killed_mid_run} of {kills})"
    );

    desk.set_sync_bandwidth(None).unwrap();
    let last = Command::new(hoso)
        .args(["sync", "--json"])
        .env("HOSO_DATA_DIR", desk_dir.path())
        .env("HOSO_USER", common::ADMIN)
        .env("HOSO_PASSWORD", common::PASSWORD)
        .output()
        .unwrap();
    assert!(
        last.status.success(),
        "{}",
        String::from_utf8_lossy(&last.stderr)
    );
    let overview = desk.sync_overview().unwrap();
    assert_eq!(overview.waiting_dossiers, 0, "{overview:?}");
    assert!(overview.quarantined.is_empty(), "{overview:?}");
    let on_hub = hub.dossiers();
    assert_eq!(
        on_hub,
        desk_dossiers(&desk),
        "each dossier once, at its last version"
    );
    assert_hub_holds_every_file(&desk, &hub.url);
}
