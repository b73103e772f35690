//! The engine: one pass sends what waits (files first, then the dossiers that name them, in
//! batches, then the audit log's new entries), pulls what the hub has for the desk, and reports
//! in; [`Engine::run`] repeats passes
//! until the queue is empty, or forever when watching, backing off after failures and probing
//! the hub so that the queue drains soon after the network heals.
//!
//! Progress is committed to the desk's store before it is acted on: the confirmed offset of
//! every chunk, each accepted version, the pull cursor with the change it applies. A process
//! killed at any moment starts again from what the hub confirmed; what the hub did but could
//! not confirm is recognised by the hub when sent again (same file hash, same dossier version).
//!
//! A hub restored from a backup shows a new generation on its answers: the desk then offers
//! everything again and pulls from the start, in the same pass ([`Local::follow_generation`]).
//!
//! `push` sends (files, batches, the audit log), `pull` pulls; this file runs the passes.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;
use hoso_model::sync::{EnrollRequest, Enrolled, Heartbeat, HubTrust};
use jiff::Timestamp;
use tokio::sync::{Notify, watch};

use crate::client::{Client, STALL_TIMEOUT};
use crate::local::{FileReader, Local, LocalError};
use crate::plan::{GlobalProblem, Rejection, Verdict, backoff};
use crate::throttle::Throttle;

mod pull;
mod push;
use pull::Pulled;

/// How the engine behaves; the defaults suit a commune's link.
#[derive(Debug, Clone)]
pub struct Config {
    /// Bytes of the first PATCH of an upload, and the fewest per PATCH. Later PATCHes grow to
    /// about `chunk_seconds` of the measured rate, up to `max_chunk_size`: few round trips on a
    /// slow link, and never more than one chunk sent again after a cut or held in memory.
    pub chunk_size: u64,
    pub max_chunk_size: u64,
    pub chunk_seconds: f64,
    /// Dossiers per batch.
    pub batch_size: u32,
    /// Audit entries per request.
    pub audit_batch: u32,
    /// No byte moving for this long abandons a request.
    pub stall_timeout: Duration,
    /// While backing off, the hub is probed this often; an answer ends the wait.
    pub probe_interval: Duration,
    /// When watching with nothing to send, a pass runs this often (to pull and report in).
    pub idle_interval: Duration,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            chunk_size: 512 * 1024,
            max_chunk_size: 8 * 1024 * 1024,
            chunk_seconds: 8.0,
            batch_size: 20,
            audit_batch: 200,
            stall_timeout: STALL_TIMEOUT,
            probe_interval: Duration::from_secs(15),
            idle_interval: Duration::from_secs(60),
        }
    }
}

/// Where the engine is, for the screen and `hoso sync status`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum State {
    #[default]
    Idle,
    /// A pass is running.
    Working,
    /// The last try failed; the next comes at this time (Unix ms) or when the hub answers a
    /// probe.
    Waiting { until_ms: i64 },
    /// The officer paused sync.
    Paused,
    /// Stopped until someone acts.
    Stopped(GlobalProblem),
}

/// The engine's state and what it has done in this run.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Status {
    pub state: State,
    /// Dossier versions the hub accepted in this run.
    pub accepted: u64,
    /// Files the hub confirmed whole in this run.
    pub files: u64,
    /// File bytes handed to the network in this run (re-sent bytes included).
    pub bytes_sent: u64,
    /// Changes pulled and applied in this run.
    pub pulled: u64,
    /// Audit entries the hub confirmed in this run.
    pub audit: u64,
}

/// How long [`Engine::run`] goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Until nothing waits (quarantined dossiers aside), or a problem needs a person.
    UntilEmpty,
    /// Forever: new work, a probe that succeeds, or a poke starts a pass.
    Watch,
}

/// Why a pass stopped early.
#[derive(Debug)]
enum Halt {
    Paused,
    Verdict(Verdict),
}

impl From<Verdict> for Halt {
    fn from(v: Verdict) -> Halt {
        Halt::Verdict(v)
    }
}

impl From<LocalError> for Halt {
    fn from(e: LocalError) -> Halt {
        if e.disk_full {
            Halt::Verdict(Verdict::Global(GlobalProblem::DiskFull))
        } else {
            // A store that failed for another reason may work on the next try.
            Halt::Verdict(Verdict::Transient { retry_after: None })
        }
    }
}

/// The sync engine of one desk.
pub struct Engine<L: Local> {
    local: Arc<L>,
    config: Config,
    throttle: Arc<Throttle>,
    poke: Arc<Notify>,
    status: watch::Sender<Status>,
    /// File bytes the hub confirmed in this run: progress, even within one large file.
    bytes_confirmed: AtomicU64,
}

/// A handle to wake the engine (new work, a connectivity signal, the officer's "send now").
#[derive(Clone)]
pub struct Poke(Arc<Notify>);

impl Poke {
    pub fn poke(&self) {
        self.0.notify_one();
    }
}

impl<L: Local> Engine<L> {
    pub fn new(local: Arc<L>, config: Config) -> Engine<L> {
        Engine {
            local,
            config,
            throttle: Arc::new(Throttle::new(None)),
            poke: Arc::new(Notify::new()),
            status: watch::Sender::new(Status::default()),
            bytes_confirmed: AtomicU64::new(0),
        }
    }

    pub fn poker(&self) -> Poke {
        Poke(self.poke.clone())
    }

    pub fn status(&self) -> watch::Receiver<Status> {
        self.status.subscribe()
    }

    fn set_state(&self, state: State) {
        self.status.send_modify(|s| s.state = state);
    }

    /// Runs a desk call off the async threads.
    async fn local<T: Send + 'static>(
        &self,
        f: impl FnOnce(&L) -> Result<T, LocalError> + Send + 'static,
    ) -> Result<T, LocalError> {
        let local = self.local.clone();
        tokio::task::spawn_blocking(move || f(&local))
            .await
            .unwrap_or_else(|_| {
                Err(LocalError {
                    disk_full: false,
                    message: "a store task panicked".into(),
                })
            })
    }

    fn client(
        &self,
        url: &str,
        token: Option<String>,
        trust: &HubTrust,
    ) -> Result<Client, Verdict> {
        let local = self.local.clone();
        Client::new(
            url,
            token,
            trust,
            self.config.stall_timeout,
            Arc::new(move || local.now_ms().div_euclid(1000)),
        )
    }

    /// Trades an enrollment code for this desk's identity at the hub, trusting its
    /// certificate as `trust` says (a refused certificate: nothing is sent).
    pub async fn enroll(
        &self,
        hub_url: &str,
        request: &EnrollRequest,
        trust: &HubTrust,
    ) -> Result<Enrolled, GlobalOrTransient> {
        let client = self
            .client(hub_url, None, trust)
            .map_err(GlobalOrTransient::from)?;
        client
            .enroll(request)
            .await
            .map_err(GlobalOrTransient::from)
    }

    /// Runs passes until the queue is empty ([`Mode::UntilEmpty`]) or forever; returns the
    /// problem that stopped it, if one needs a person.
    pub async fn run(&self, mode: Mode) -> Result<Status, GlobalProblem> {
        let mut attempt = 0u32;
        // The hub's Retry-After: no probe may end a wait before it.
        let mut not_before = Duration::ZERO;
        loop {
            self.set_state(State::Working);
            let before = self.progress_mark();
            let outcome = self.pass().await;
            if self.progress_mark() != before {
                attempt = 0;
            }
            let wait = match outcome {
                Ok(()) => {
                    let _ = self.local(|l| l.contact(Some(l.now_ms()), None)).await;
                    let summary = self.local(|l| l.summary()).await;
                    let now = self.local.now_ms();
                    let next_try = self.local(move |l| l.next_try(now)).await;
                    let open = summary
                        .as_ref()
                        .map(|s| s.dossiers - s.quarantined + s.audit)
                        .unwrap_or(1);
                    match (open, next_try) {
                        (0, _) if mode == Mode::UntilEmpty => {
                            self.set_state(State::Idle);
                            return Ok(self.status.borrow().clone());
                        }
                        // Only dossiers backing off remain: wait for the first.
                        (_, Ok(Some(at))) => Duration::from_millis((at - now).max(0) as u64),
                        (0, _) => {
                            self.set_state(State::Idle);
                            self.config.idle_interval
                        }
                        // More arrived during the pass: go again at once.
                        _ => Duration::ZERO,
                    }
                }
                Err(Halt::Paused) => {
                    self.set_state(State::Paused);
                    if mode == Mode::UntilEmpty {
                        return Ok(self.status.borrow().clone());
                    }
                    self.config.idle_interval
                }
                Err(Halt::Verdict(Verdict::Global(problem))) => {
                    self.set_state(State::Stopped(problem));
                    let _ = self
                        .local(move |l| l.contact(None, Some(problem.name())))
                        .await;
                    if mode == Mode::UntilEmpty {
                        return Err(problem);
                    }
                    // Someone may fix it (a new credential, the clock): look again later.
                    MAX_IDLE_AFTER_PROBLEM
                }
                Err(Halt::Verdict(verdict)) => {
                    let retry_after = match verdict {
                        Verdict::Transient { retry_after } => retry_after,
                        _ => None,
                    };
                    let wait = backoff(attempt, retry_after, fastrand::f64());
                    attempt = attempt.saturating_add(1);
                    self.set_state(State::Waiting {
                        until_ms: self.local.now_ms() + wait.as_millis() as i64,
                    });
                    not_before = retry_after.unwrap_or_default().min(wait);
                    wait
                }
            };
            if !wait.is_zero() {
                self.wait(wait, not_before).await;
            }
            not_before = Duration::ZERO;
        }
    }

    fn progress_mark(&self) -> (u64, u64, u64, u64, u64) {
        let s = self.status.borrow();
        (
            s.accepted,
            s.files,
            s.pulled,
            s.audit,
            self.bytes_confirmed.load(Ordering::Relaxed),
        )
    }

    /// Waits `wait`, or less: a poke, or the hub answering a probe (none before `not_before`,
    /// the hub's own Retry-After), ends it.
    async fn wait(&self, wait: Duration, not_before: Duration) {
        let start = tokio::time::Instant::now();
        let deadline = start + wait;
        loop {
            let probe_at =
                (tokio::time::Instant::now() + self.config.probe_interval).max(start + not_before);
            tokio::select! {
                () = self.poke.notified() => return,
                () = tokio::time::sleep_until(deadline.min(probe_at)) => {}
            }
            if tokio::time::Instant::now() >= deadline {
                return;
            }
            if self.probe().await {
                return;
            }
        }
    }

    /// Whether the hub answers now.
    async fn probe(&self) -> bool {
        let Ok(Some(link)) = self.local(|l| l.hub()).await else {
            return false;
        };
        match self.client(&link.url, None, &link.trust) {
            Ok(client) => client.health().await.is_ok(),
            Err(_) => false,
        }
    }

    /// One pass: push, pull, report in.
    async fn pass(&self) -> Result<(), Halt> {
        let controls = self.local(|l| l.controls()).await?;
        if controls.paused {
            return Err(Halt::Paused);
        }
        self.throttle.set_rate(controls.bandwidth).await;
        let link = self
            .local(|l| l.hub())
            .await?
            .ok_or(Verdict::Global(GlobalProblem::NotEnrolled))?;
        let client = self.client(&link.url, Some(link.token.clone()), &link.trust)?;
        // A second round only when the hub turned out restored: everything is offered again.
        for round in 0..2 {
            let result = self.push(&client).await;
            // Bytes handed to the network count even when the pass failed.
            let sent = client.sent.swap(0, Ordering::Relaxed);
            self.status.send_modify(|s| s.bytes_sent += sent);
            result?;
            self.push_audit(&client).await?;
            if self.new_generation(&client).await? && round == 0 {
                continue;
            }
            if self.pull(&client).await? == Pulled::NewGeneration && round == 0 {
                continue;
            }
            break;
        }
        self.report(&client).await?;
        Ok(())
    }

    async fn report(&self, client: &Client) -> Result<(), Halt> {
        let summary = self.local(|l| l.summary()).await?;
        let heartbeat = Heartbeat {
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
            queue_dossiers: summary.dossiers,
            queue_files: summary.files,
            queue_bytes: summary.bytes,
            oldest_unsent_at: summary
                .oldest_ms
                .and_then(|ms| Timestamp::from_millisecond(ms).ok()),
            quarantined: summary.quarantined,
            sent_at: Timestamp::from_millisecond(self.local.now_ms())
                .unwrap_or(Timestamp::UNIX_EPOCH),
        };
        client.heartbeat(&heartbeat).await?;
        Ok(())
    }
}

/// After a problem that needs a person, the engine looks again this often when watching.
const MAX_IDLE_AFTER_PROBLEM: Duration = Duration::from_secs(300);

/// An enrollment that failed: a problem for a person, or a network that may heal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GlobalOrTransient {
    Global(GlobalProblem),
    Transient,
}

impl From<Verdict> for GlobalOrTransient {
    fn from(v: Verdict) -> Self {
        match v {
            Verdict::Global(p) => GlobalOrTransient::Global(p),
            _ => GlobalOrTransient::Transient,
        }
    }
}

/// Reads `range` of a kept file off the async threads; the reader is handed back for the next
/// chunk.
async fn read_range(
    file: &mut Option<Box<dyn FileReader>>,
    range: std::ops::Range<u64>,
) -> Result<Bytes, Halt> {
    let Some(mut reader) = file.take() else {
        return Err(Verdict::Reject(Rejection::FileDamaged).into());
    };
    let read = tokio::task::spawn_blocking(move || {
        use std::io::{Read, Seek};
        let mut buf = vec![0u8; (range.end - range.start) as usize];
        let result = reader
            .seek(std::io::SeekFrom::Start(range.start))
            .and_then(|_| reader.read_exact(&mut buf));
        (reader, result.map(|()| buf))
    })
    .await;
    match read {
        Ok((reader, Ok(buf))) => {
            *file = Some(reader);
            Ok(Bytes::from(buf))
        }
        // The kept file is shorter than recorded, or fails its authentication: it is damaged.
        _ => Err(Verdict::Reject(Rejection::FileDamaged).into()),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
