//! Sending what waits: files first (tus, resumed at the byte the hub holds, each checked
//! before it goes), then the dossiers that name them in batches, then the audit log's new
//! entries.

use std::collections::HashSet;
use std::sync::atomic::Ordering;

use hoso_model::sync::{
    AuditHeld, AuditUpload, Batch, BatchItem, FileProgress, FileRef, ItemOutcome,
    MAX_AUDIT_ENTRIES, MAX_BATCH_ITEMS, SentMark,
};
use sha2::{Digest, Sha256};

use super::{Engine, Halt, hex, read_range};
use crate::client::Client;
use crate::local::{Local, LocalError};
use crate::plan::{Rejection, Verdict, backoff, next_chunk, next_chunk_size};

impl<L: Local> Engine<L> {
    pub(super) async fn push(&self, client: &Client) -> Result<(), Halt> {
        let mut batch_size = self.config.batch_size.clamp(1, MAX_BATCH_ITEMS as u32);
        // Files whose upload restarted once because the hub found them damaged.
        let mut restarted = HashSet::new();
        loop {
            if self.local(|l| l.controls()).await?.paused {
                return Err(Halt::Paused);
            }
            let now = self.local.now_ms();
            let waiting = self.local(move |l| l.waiting(now, batch_size)).await?;
            if waiting.is_empty() {
                return Ok(());
            }
            let mut items = Vec::with_capacity(waiting.len());
            for w in waiting {
                let id = w.dossier_id.clone();
                let Some((version, record, files)) =
                    self.local(move |l| l.record(&w.dossier_id)).await?
                else {
                    continue;
                };
                match self.upload_all(client, &files, &mut restarted).await {
                    Ok(()) => items.push(BatchItem {
                        dossier_id: id,
                        version,
                        record,
                        files,
                    }),
                    Err(Halt::Verdict(Verdict::Reject(why))) => {
                        self.local(move |l| l.quarantine(&id, version, why.name()))
                            .await?;
                    }
                    Err(other) => return Err(other),
                }
            }
            if items.is_empty() {
                continue;
            }
            match self.send_batch(client, items).await {
                Err(Halt::Verdict(Verdict::Split)) if batch_size > 1 => {
                    batch_size = (batch_size / 2).max(1);
                }
                Err(Halt::Verdict(Verdict::Split)) => {
                    // One dossier alone is too large for the hub: set it aside.
                    let now = self.local.now_ms();
                    if let Some(w) = self.local(move |l| l.waiting(now, 1)).await?.pop() {
                        self.local(move |l| l.quarantine(&w.dossier_id, w.version, "too_large"))
                            .await?;
                    }
                }
                other => other?,
            }
        }
    }

    /// Sends one batch and records what became of each dossier.
    pub(super) async fn send_batch(
        &self,
        client: &Client,
        items: Vec<BatchItem>,
    ) -> Result<(), Halt> {
        let mut batch = Batch {
            batch_id: uuid::Uuid::new_v4().to_string(),
            items,
        };
        let answer = match client.batch(&batch).await {
            Err(Verdict::NewBatchId) => {
                batch.batch_id = uuid::Uuid::new_v4().to_string();
                client.batch(&batch).await?
            }
            other => other?,
        };
        for result in answer.results {
            let id = result.dossier_id;
            let version = result.version;
            match result.outcome {
                ItemOutcome::Accepted { .. } => {
                    self.local(move |l| l.acknowledge(&id, version)).await?;
                    self.status.send_modify(|s| s.accepted += 1);
                }
                ItemOutcome::MissingFiles { sha256 } => {
                    // The hub lost or never verified them: upload them again, and give this
                    // dossier a rest so a disagreement cannot spin.
                    for hash in sha256 {
                        self.local(move |l| l.set_file_progress(&hash, &FileProgress::default()))
                            .await?;
                    }
                    let attempts = self.local({
                        let id = id.clone();
                        move |l| l.retry_count(&id)
                    });
                    let wait = backoff(attempts.await?, None, fastrand::f64());
                    let at = self.local.now_ms() + wait.as_millis() as i64;
                    self.local(move |l| l.retry_later(&id, at).map(drop))
                        .await?;
                }
                ItemOutcome::Rejected { reason } => {
                    self.local(move |l| l.quarantine(&id, version, reason.name()))
                        .await?;
                }
            }
        }
        Ok(())
    }

    pub(super) async fn upload_all(
        &self,
        client: &Client,
        files: &[FileRef],
        restarted: &mut HashSet<String>,
    ) -> Result<(), Halt> {
        for file in files {
            loop {
                match self.upload(client, file).await {
                    Err(Halt::Verdict(Verdict::Restart { damaged: true })) => {
                        // The hub found the whole file does not hash to its name. If the desk's
                        // own copy is sound, the damage happened on the way: start once more.
                        let sound = self.file_is_sound(file).await;
                        if !sound || !restarted.insert(file.sha256.clone()) {
                            return Err(Verdict::Reject(Rejection::FileDamaged).into());
                        }
                    }
                    other => break other?,
                }
            }
        }
        Ok(())
    }

    pub(super) async fn file_is_sound(&self, file: &FileRef) -> bool {
        let local = self.local.clone();
        let want = file.sha256.clone();
        tokio::task::spawn_blocking(move || {
            use std::io::Read;
            let mut hasher = Sha256::new();
            let Some(mut f) = local.open_file(&want) else {
                return false;
            };
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                match f.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => hasher.update(&buf[..n]),
                    Err(_) => return false,
                }
            }
            hex(&hasher.finalize()) == want
        })
        .await
        .unwrap_or(false)
    }

    /// Gets one file to the hub, resuming where the hub's confirmed offset says.
    pub(super) async fn upload(&self, client: &Client, file: &FileRef) -> Result<(), Halt> {
        let hash = file.sha256.clone();
        let mut progress = {
            let hash = hash.clone();
            self.local(move |l| l.file_progress(&hash)).await?
        };
        if progress.done {
            return Ok(());
        }
        let handle = {
            let local = self.local.clone();
            let hash = hash.clone();
            tokio::task::spawn_blocking(move || local.open_file(&hash))
                .await
                .ok()
                .flatten()
        };
        let Some(handle) = handle else {
            return Err(Verdict::Reject(Rejection::FileDamaged).into());
        };
        let mut handle = Some(handle);
        let size = file.size;
        loop {
            let url = match &progress.upload_url {
                Some(url) => {
                    match client.offset(url).await {
                        Ok(offset) => progress.confirmed = offset,
                        Err(Verdict::Restart { .. }) => {
                            progress = FileProgress::default();
                            self.save(&hash, &progress).await?;
                            continue;
                        }
                        Err(other) => return Err(other.into()),
                    }
                    url.clone()
                }
                None => {
                    let (url, offset) = client.create(&hash, size, &file.media_type).await?;
                    progress = FileProgress {
                        upload_url: Some(url.clone()),
                        confirmed: offset,
                        done: false,
                    };
                    url
                }
            };
            self.save(&hash, &progress).await?;
            let mut chunk_size = self.config.chunk_size;
            while let Some(range) = next_chunk(progress.confirmed, size, chunk_size) {
                let chunk = read_range(&mut handle, range.clone()).await?;
                let started = std::time::Instant::now();
                match client
                    .patch(&url, range.start, chunk, self.throttle.clone())
                    .await
                {
                    Ok(offset) => {
                        chunk_size = next_chunk_size(
                            range.end - range.start,
                            started.elapsed(),
                            self.config.chunk_size,
                            self.config.max_chunk_size,
                            self.config.chunk_seconds,
                        );
                        self.bytes_confirmed
                            .fetch_add(offset.saturating_sub(range.start), Ordering::Relaxed);
                        progress.confirmed = offset;
                        self.save(&hash, &progress).await?;
                    }
                    Err(Verdict::Resync) => match client.offset(&url).await {
                        Ok(offset) => {
                            progress.confirmed = offset;
                            self.save(&hash, &progress).await?;
                        }
                        Err(v) => return Err(v.into()),
                    },
                    Err(Verdict::Restart { damaged: false }) => {
                        progress = FileProgress::default();
                        self.save(&hash, &progress).await?;
                        break;
                    }
                    Err(other) => return Err(other.into()),
                }
            }
            if progress.upload_url.is_some() && progress.confirmed >= size {
                progress.done = true;
                self.save(&hash, &progress).await?;
                self.status.send_modify(|s| s.files += 1);
                return Ok(());
            }
        }
    }

    pub(super) async fn save(&self, hash: &str, progress: &FileProgress) -> Result<(), LocalError> {
        let hash = hash.to_owned();
        let progress = progress.clone();
        self.local(move |l| l.set_file_progress(&hash, &progress))
            .await
    }

    /// Sends the audit log's entries the hub has not confirmed, from the first it lacks. A log
    /// the hub refuses is set aside with the reason (shown to the administrator) and the
    /// dossiers go on; it is tried again when someone asks.
    pub(super) async fn push_audit(&self, client: &Client) -> Result<(), Halt> {
        let mut limit = self.config.audit_batch.clamp(1, MAX_AUDIT_ENTRIES as u32);
        loop {
            let mark = self.local(|l| l.audit_mark()).await?;
            if mark.refused.is_some() {
                return Ok(());
            }
            let after = mark.held;
            let entries = self.local(move |l| l.audit_after(after, limit)).await?;
            let Some(last) = entries.last().map(|e| e.seq) else {
                return Ok(());
            };
            match client.audit(&AuditUpload { entries }).await {
                Ok(AuditHeld { held }) => {
                    let held = held.min(last);
                    self.local(move |l| {
                        l.set_audit_mark(&SentMark {
                            held,
                            refused: None,
                        })
                    })
                    .await?;
                    self.status
                        .send_modify(|s| s.audit += held.saturating_sub(after));
                    // The hub took none of what followed its copy: do not spin on it. (Its copy
                    // ending before `after`, it lost entries: they go again from there.)
                    if held == after {
                        return Ok(());
                    }
                }
                Err(Verdict::Split) if limit > 1 => limit = (limit / 2).max(1),
                Err(Verdict::Reject(why)) => {
                    let refused = Some(why.name().to_owned());
                    self.local(move |l| {
                        l.set_audit_mark(&SentMark {
                            held: after,
                            refused,
                        })
                    })
                    .await?;
                    return Ok(());
                }
                Err(Verdict::Split) => {
                    self.local(move |l| {
                        l.set_audit_mark(&SentMark {
                            held: after,
                            refused: Some("too_large".into()),
                        })
                    })
                    .await?;
                    return Ok(());
                }
                Err(other) => return Err(other.into()),
            }
        }
    }
}
