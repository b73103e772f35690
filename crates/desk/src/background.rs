//! The desk's work that goes on for as long as the window is open, locked or not: text
//! recognition (on Linux), the sync engine watching for work, the scan folder, and deleting
//! for good the pages deleted longer ago than the time to undo. The shell
//! starts it once, at the first sign-in, with [`start`], and hears what happens through the
//! sink it gives ([`DeskEvent`]).

use std::ops::ControlFlow;
use std::time::Duration;

use hoso_model::ipc::{DeskEvent, EngineState, SyncView};
use hoso_sync::{Config, Engine, Mode, Poke, State, Status};
use tokio::sync::watch;

use crate::folder::Watched;
use crate::sync::DeskLocal;
use crate::{Desk, Error};

/// The running background work: what sync is doing, and a way to wake it.
#[derive(Clone)]
pub struct Background {
    status: watch::Receiver<Status>,
    poke: Poke,
}

impl Background {
    /// Wakes the sync engine: there is new work to send.
    pub fn poke(&self) {
        self.poke.poke();
    }

    /// What the sync engine is doing, and the file bytes it has sent since it started.
    pub fn engine(&self) -> (EngineState, u64) {
        engine_state(&self.status.borrow())
    }
}

/// The sync engine's settings for a desk that watches all day. `HOSO_SYNC_PROBE_SECONDS`
/// shortens the interval between probes of a hub that did not answer (tests).
pub fn sync_config() -> Config {
    let mut config = Config::default();
    if let Some(seconds) = std::env::var("HOSO_SYNC_PROBE_SECONDS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
    {
        config.probe_interval = Duration::from_secs_f64(seconds.max(0.1));
        config.idle_interval = config.idle_interval.min(config.probe_interval * 4);
    }
    config
}

/// Starts the background work over `desk`: text recognition, sync with `config`, the scan
/// folder. From now on every [`DeskEvent`] goes to `sink`.
pub fn start(
    desk: &Desk,
    config: Config,
    sink: impl Fn(&DeskEvent) + Send + Sync + 'static,
) -> Background {
    desk.subscribe(sink);
    recognise(desk.clone());
    let engine = desk.sync_engine(config);
    let background = Background {
        status: engine.status(),
        poke: engine.poker(),
    };
    sync(desk.clone(), engine);
    file_folder(desk.clone(), background.poke.clone());
    release_deleted(desk.clone(), background.poke.clone());
    crate::events::watch_elsewhere(desk.clone());
    background
}

impl Desk {
    /// The sync screen's view: where sync stands, and what the engine is doing if it runs.
    pub fn sync_view(&self, background: Option<&Background>) -> Result<SyncView, Error> {
        let (engine, bytes_sent) = background.map_or((EngineState::Off, 0), Background::engine);
        let overview = self.sync_overview()?;
        let engine = if overview.hub_url.is_none() {
            EngineState::Off
        } else {
            engine
        };
        Ok(SyncView {
            overview,
            engine,
            bytes_sent,
        })
    }
}

fn engine_state(status: &Status) -> (EngineState, u64) {
    let engine = match status.state {
        State::Idle => EngineState::Idle,
        State::Working => EngineState::Working,
        State::Waiting { until_ms } => EngineState::Waiting {
            until: jiff::Timestamp::from_millisecond(until_ms)
                .unwrap_or(jiff::Timestamp::UNIX_EPOCH),
        },
        State::Paused => EngineState::Paused,
        State::Stopped(_) => EngineState::Stopped,
    };
    (engine, status.bytes_sent)
}

/// Recognises the text of waiting pages on a thread of its own: a few pages at a time, so a
/// new scan is picked up soon, resting when none waits.
fn recognise(desk: Desk) {
    #[cfg(target_os = "linux")]
    std::thread::Builder::new()
        .name("text".into())
        .spawn(move || {
            let pool = match crate::text::pool() {
                Ok(pool) => pool,
                Err(err) => {
                    eprintln!("hoso-desktop: text recognition is off: {err}");
                    return;
                }
            };
            loop {
                let busy = desk
                    .recognise_waiting(&pool, Some(4))
                    .map(|s| s.recognised + s.failed > 0)
                    .unwrap_or(false);
                if !busy {
                    std::thread::sleep(Duration::from_millis(1500));
                }
            }
        })
        .map(|_| ())
        .unwrap_or_else(|err| eprintln!("hoso-desktop: text recognition is off: {err}"));
    #[cfg(not(target_os = "linux"))]
    let _ = desk;
}

/// Runs the sync engine, watching, on a thread with its own small async runtime: it sends
/// whenever the hub answers, and is woken by a poke when the officer records new work. What
/// it does is told as [`DeskEvent::Sync`].
fn sync(desk: Desk, engine: Engine<DeskLocal>) {
    let spawned = std::thread::Builder::new()
        .name("sync".into())
        .spawn(move || {
            let runtime = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(runtime) => runtime,
                Err(err) => {
                    eprintln!("hoso-desktop: sync is off: {err}");
                    return;
                }
            };
            runtime.spawn(tell_sync(desk, engine.status()));
            runtime.block_on(async {
                let _ = engine.run(Mode::Watch).await;
            });
        });
    if let Err(err) = spawned {
        eprintln!("hoso-desktop: sync is off: {err}");
    }
}

/// Tells each change of the engine's status, at most four times a second (a fast link changes
/// the bytes sent with every chunk); the latest is always told.
async fn tell_sync(desk: Desk, mut status: watch::Receiver<Status>) {
    while status.changed().await.is_ok() {
        let (engine, bytes_sent) = engine_state(&status.borrow_and_update());
        desk.emit(DeskEvent::Sync { engine, bytes_sent });
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// Files what scanners save into the desk's folder (if one is set), and wakes the sync engine
/// when something was filed.
fn file_folder(desk: Desk, sync: Poke) {
    let spawned = std::thread::Builder::new()
        .name("folder".into())
        .spawn(move || {
            desk.watch_folder(&Watched::Remembered, |pass| {
                match pass {
                    Ok(pass) if !pass.filed.is_empty() => sync.poke(),
                    Ok(_) => {}
                    Err(err) => eprintln!("hoso-desktop: the scan folder cannot be read: {err}"),
                }
                ControlFlow::<()>::Continue(())
            })
        });
    if let Err(err) = spawned {
        eprintln!("hoso-desktop: the scan folder is not watched: {err}");
    }
}

/// How often pages deleted longer ago than the time to undo are looked for.
const RELEASE_EVERY: Duration = Duration::from_secs(60);

/// Deletes for good, once a minute, the pages deleted longer ago than the time to undo, with
/// their files, and wakes the sync engine when it did (the deletion may now reach the hub).
fn release_deleted(desk: Desk, sync: Poke) {
    let spawned = std::thread::Builder::new()
        .name("release".into())
        .spawn(move || {
            loop {
                std::thread::sleep(RELEASE_EVERY);
                match desk.release_deleted_pages() {
                    Ok(released) if released.pages > 0 => sync.poke(),
                    Ok(_) => {}
                    Err(err) => eprintln!("hoso-desktop: deleted pages are released later: {err}"),
                }
            }
        });
    if let Err(err) = spawned {
        eprintln!("hoso-desktop: deleted pages are released at the next opening: {err}");
    }
}
