//! Batches of dossier versions, judged item by item and remembered by id, and the dossiers the
//! hub keeps: every version as sent, and each dossier at its highest.

use std::collections::BTreeSet;

use hoso_model::sync::{Batch, BatchAnswer, BatchItem, ItemOutcome, ItemResult, RejectReason};

use super::{Db, DbError, Device, is_sha256, sha256_hex};
use crate::sql::Tx;
use crate::vals;

impl Db {
    /// Takes a batch: the stored answer if this id was seen with this content, `None` if it was
    /// seen with another, else each item judged and kept, all in one transaction.
    pub fn batch(
        &self,
        device: &Device,
        batch: &Batch,
        now_ms: i64,
    ) -> Result<Option<BatchAnswer>, DbError> {
        let canonical = serde_json::to_vec(batch).expect("a batch serialises");
        let body_hash = sha256_hex(&canonical);
        self.write(|tx| {
            if let Some(seen) = tx.query_opt(
                "SELECT body_hash, answer FROM batch WHERE unit = ?1 AND batch_id = ?2",
                vals![&device.unit, &batch.batch_id],
            )? {
                return Ok((seen.text(0) == body_hash).then(|| {
                    serde_json::from_str(&seen.text(1)).expect("a stored answer parses")
                }));
            }
            let mut results = Vec::with_capacity(batch.items.len());
            for item in &batch.items {
                let outcome = judge_item(tx, device, item, now_ms)?;
                results.push(ItemResult {
                    dossier_id: item.dossier_id.clone(),
                    version: item.version,
                    outcome,
                });
            }
            let answer = BatchAnswer {
                batch_id: batch.batch_id.clone(),
                results,
            };
            tx.execute(
                "INSERT INTO batch (unit, batch_id, body_hash, answer, device, received_at_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                vals![
                    &device.unit,
                    &batch.batch_id,
                    body_hash,
                    serde_json::to_string(&answer).expect("an answer serialises"),
                    &device.id,
                    now_ms
                ],
            )?;
            Ok(Some(answer))
        })
    }

    /// A dossier by official code or id: `(unit, current version, record JSON)`.
    pub fn dossier(&self, code_or_id: &str) -> Result<Option<(String, u64, String)>, DbError> {
        self.write(|tx| {
            Ok(tx
                .query_opt(
                    "SELECT unit, version, record FROM dossier WHERE id = ?1 OR code = ?1",
                    vals![code_or_id],
                )?
                .map(|r| (r.text(0), r.int(1) as u64, r.text(2))))
        })
    }

    /// A unit's dossiers for the operator: id, code, current version, files, received.
    pub fn dossiers(&self, unit: &str) -> Result<Vec<serde_json::Value>, DbError> {
        let rows = self.write(|tx| {
            tx.query(
                "SELECT id, code, version, record, updated_at_ms FROM dossier
                 WHERE unit = ?1 ORDER BY updated_at_ms, id",
                vals![unit],
            )
        })?;
        Ok(rows
            .iter()
            .map(|r| {
                let record: serde_json::Value =
                    serde_json::from_str(&r.text(3)).unwrap_or_default();
                let files: BTreeSet<&str> = record["pages"]
                    .as_array()
                    .map(|pages| pages.iter().filter_map(|p| p["sha256"].as_str()).collect())
                    .unwrap_or_default();
                serde_json::json!({
                    "id": r.text(0),
                    "code": r.opt_text(1),
                    "version": r.int(2),
                    "files": files.len(),
                    "status": record["status"],
                    "received_at": record["received_at"],
                    "updated_at_ms": r.int(4),
                })
            })
            .collect())
    }
}

/// What becomes of one dossier version: checked, then kept if its files are all here.
fn judge_item(
    tx: &mut dyn Tx,
    device: &Device,
    item: &BatchItem,
    now_ms: i64,
) -> Result<ItemOutcome, DbError> {
    let rejected = |reason| Ok(ItemOutcome::Rejected { reason });
    let record = &item.record;
    let listed: BTreeSet<&str> = item.files.iter().map(|f| f.sha256.as_str()).collect();
    let prefix = format!("{}-", device.unit);
    if record.id != item.dossier_id
        || item.version == 0
        || i64::try_from(item.version).is_err()
        || record
            .code
            .as_ref()
            .is_some_and(|c| !c.starts_with(&prefix))
        || !record
            .pages
            .iter()
            .all(|p| listed.contains(p.sha256.as_str()))
        || !item.files.iter().all(|f| is_sha256(&f.sha256))
    {
        return rejected(RejectReason::Invalid);
    }
    let owner = tx
        .query_opt(
            "SELECT unit FROM dossier WHERE id = ?1",
            vals![&item.dossier_id.0],
        )?
        .map(|r| r.text(0));
    if owner.as_ref().is_some_and(|u| *u != device.unit) {
        return rejected(RejectReason::OtherUnit);
    }
    let record_json = serde_json::to_string(record).expect("a record serialises");
    let content = sha256_hex(
        serde_json::to_string(&(record, &item.files))
            .expect("a record serialises")
            .as_bytes(),
    );
    let held = tx
        .query_opt(
            "SELECT content_hash FROM dossier_version WHERE dossier_id = ?1 AND version = ?2",
            vals![&item.dossier_id.0, item.version],
        )?
        .map(|r| r.text(0));
    match held {
        Some(h) if h == content => return Ok(ItemOutcome::Accepted { duplicate: true }),
        Some(_) => return rejected(RejectReason::VersionConflict),
        None => {}
    }
    let mut missing = Vec::new();
    for file in &item.files {
        let there = tx
            .query_opt(
                "SELECT sha256 FROM unit_file WHERE unit = ?1 AND sha256 = ?2 AND size = ?3",
                vals![&device.unit, &file.sha256, file.size],
            )?
            .is_some();
        if !there {
            missing.push(file.sha256.clone());
        }
    }
    if !missing.is_empty() {
        return Ok(ItemOutcome::MissingFiles { sha256: missing });
    }
    tx.execute(
        "INSERT INTO dossier_version (dossier_id, version, content_hash, record, files, device,
                                      received_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        vals![
            &item.dossier_id.0,
            item.version,
            content,
            &record_json,
            serde_json::to_string(&item.files).expect("files serialise"),
            &device.id,
            now_ms
        ],
    )?;
    tx.execute(
        "INSERT INTO dossier (id, unit, code, version, record, updated_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (id) DO UPDATE SET
             code = excluded.code, version = excluded.version, record = excluded.record,
             updated_at_ms = excluded.updated_at_ms
         WHERE excluded.version > dossier.version",
        vals![
            &item.dossier_id.0,
            &device.unit,
            record.code.as_deref(),
            item.version,
            &record_json,
            now_ms
        ],
    )?;
    Ok(ItemOutcome::Accepted { duplicate: false })
}
