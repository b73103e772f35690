//! Recognition on several threads ([`OcrPool`]), one engine each: a Tesseract instance is
//! single-threaded, and reading two pages at once is the only way to use both cores.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender, TryRecvError};
use image::GrayImage;

use super::{OcrConfig, OcrEngine, OcrPage};
use crate::error::{CaptureError, Result};

/// One page waiting for a worker.
struct Job {
    id: u64,
    image: GrayImage,
    dpi: u32,
    /// Read the right way up ([`OcrEngine::recognise_upright`]) rather than as given.
    upright: bool,
}

/// A finished job: its id and what recognition gave.
pub type OcrResult = (u64, Result<OcrPage>);

/// Recognises pages on several threads, one [`OcrEngine`] each.
///
/// Pages go in with [`submit`](Self::submit), which never blocks: the queue is unbounded,
/// because the producer is a scanner or an officer importing files and stalling it would
/// freeze the desk, while the number of pages in a dossier is small. The cost is memory, about
/// 8.7 MB per queued A4 page at 300 dpi; [`pending`](Self::pending) lets the caller hold back
/// when a very large batch is queued. Results come back in completion order, not submission
/// order, each with its job id; a page that fails gives an error for that id and the worker
/// goes on with the next.
///
/// Dropping the pool abandons the pages still queued, lets each worker finish the page it is
/// on (Tesseract cannot be interrupted mid-page), and joins the threads. To wait for every
/// submitted page instead, use [`finish`](Self::finish).
pub struct OcrPool {
    jobs: Option<Sender<Job>>,
    results: Receiver<OcrResult>,
    workers: Vec<JoinHandle<()>>,
    stop: Arc<AtomicBool>,
    pending: AtomicUsize,
}

impl std::fmt::Debug for OcrPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OcrPool")
            .field("workers", &self.workers.len())
            .field("pending", &self.pending())
            .finish_non_exhaustive()
    }
}

impl OcrPool {
    /// One worker per core.
    pub fn with_default_workers(config: &OcrConfig) -> Result<Self> {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Self::new(config, cores)
    }

    /// `workers` threads (at least one), each with its own engine. The engines are started
    /// here, so a missing language fails now rather than on the first page.
    pub fn new(config: &OcrConfig, workers: usize) -> Result<Self> {
        let engines = (0..workers.max(1))
            .map(|_| OcrEngine::new(config))
            .collect::<Result<Vec<_>>>()?;
        let (job_sender, job_receiver) = crossbeam_channel::unbounded::<Job>();
        let (result_sender, result_receiver) = crossbeam_channel::unbounded();
        let stop = Arc::new(AtomicBool::new(false));
        let mut handles = Vec::with_capacity(engines.len());
        for (index, engine) in engines.into_iter().enumerate() {
            let worker = Worker {
                engine,
                jobs: job_receiver.clone(),
                results: result_sender.clone(),
                stop: Arc::clone(&stop),
            };
            let handle = std::thread::Builder::new()
                .name(format!("ocr-{index}"))
                .spawn(move || worker.run())?;
            handles.push(handle);
        }
        Ok(OcrPool {
            jobs: Some(job_sender),
            results: result_receiver,
            workers: handles,
            stop,
            pending: AtomicUsize::new(0),
        })
    }

    /// The number of worker threads.
    pub fn workers(&self) -> usize {
        self.workers.len()
    }

    /// Queues a page, to be read as given; returns at once. Fails only when every worker has
    /// stopped.
    pub fn submit(&self, job_id: u64, image: GrayImage, dpi: u32) -> Result<()> {
        self.queue(Job {
            id: job_id,
            image,
            dpi,
            upright: false,
        })
    }

    /// Like [`submit`](Self::submit), the page to be read the right way up
    /// ([`OcrEngine::recognise_upright`]): its result's [`OcrPage::turned`] says how it was
    /// turned.
    pub fn submit_upright(&self, job_id: u64, image: GrayImage, dpi: u32) -> Result<()> {
        self.queue(Job {
            id: job_id,
            image,
            dpi,
            upright: true,
        })
    }

    fn queue(&self, job: Job) -> Result<()> {
        // Counted before sending, so a result taken on another thread at once cannot bring
        // the count below zero.
        self.pending.fetch_add(1, Ordering::Relaxed);
        let sent = self
            .jobs
            .as_ref()
            .is_some_and(|jobs| jobs.send(job).is_ok());
        if sent {
            Ok(())
        } else {
            self.pending.fetch_sub(1, Ordering::Relaxed);
            Err(CaptureError::Ocr(
                "the recognition workers have stopped".into(),
            ))
        }
    }

    /// Jobs submitted whose result has not been taken yet.
    pub fn pending(&self) -> usize {
        self.pending.load(Ordering::Relaxed)
    }

    /// Waits for the next result. `None` when no job is pending (nothing to wait for) or every
    /// worker has stopped.
    pub fn recv(&self) -> Option<OcrResult> {
        if self.pending() == 0 {
            return None;
        }
        self.taken(self.results.recv().ok())
    }

    /// The next result if one is ready.
    pub fn try_recv(&self) -> Option<OcrResult> {
        match self.results.try_recv() {
            Ok(result) => self.taken(Some(result)),
            Err(TryRecvError::Empty | TryRecvError::Disconnected) => None,
        }
    }

    /// Waits at most `timeout` for the next result.
    pub fn recv_timeout(&self, timeout: std::time::Duration) -> Option<OcrResult> {
        match self.results.recv_timeout(timeout) {
            Ok(result) => self.taken(Some(result)),
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => None,
        }
    }

    /// Closes the queue and yields the result of every job still pending, in completion
    /// order; the iterator ends when the last worker has finished.
    pub fn finish(mut self) -> impl Iterator<Item = OcrResult> {
        self.jobs = None;
        std::iter::from_fn(move || self.taken(self.results.recv().ok()))
    }

    fn taken(&self, result: Option<OcrResult>) -> Option<OcrResult> {
        if result.is_some() {
            self.pending.fetch_sub(1, Ordering::Relaxed);
        }
        result
    }
}

impl Drop for OcrPool {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        self.jobs = None;
        for handle in self.workers.drain(..) {
            // A worker that panicked has already reported what it could; nothing to add.
            let _ = handle.join();
        }
    }
}

/// What one pool thread owns.
struct Worker {
    engine: OcrEngine,
    jobs: Receiver<Job>,
    results: Sender<OcrResult>,
    stop: Arc<AtomicBool>,
}

impl Worker {
    /// Takes jobs until the queue is closed and empty, the pool is dropped, or nobody listens.
    fn run(self) {
        let Worker {
            mut engine,
            jobs,
            results,
            stop,
        } = self;
        for job in jobs.iter() {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            let outcome = recognise_guarded(&mut engine, &job);
            if results.send((job.id, outcome)).is_err() {
                break;
            }
        }
    }
}

/// Recognises one page; a panic in this crate's code becomes an error for this job only, so
/// one bad page cannot take the worker, and the pages queued behind it, down.
fn recognise_guarded(engine: &mut OcrEngine, job: &Job) -> Result<OcrPage> {
    catch_unwind(AssertUnwindSafe(|| {
        if job.upright {
            engine.recognise_upright(&job.image, job.dpi)
        } else {
            engine.recognise(&job.image, job.dpi)
        }
    }))
    .unwrap_or_else(|_| {
        Err(CaptureError::Ocr(
            "recognition stopped on an internal error".into(),
        ))
    })
}
