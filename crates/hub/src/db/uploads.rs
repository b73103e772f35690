//! Uploads (tus resources, named by content hash within a unit) and the files each unit holds.

use super::{Db, DbError};
use crate::sql::Row;
use crate::vals;

/// An upload resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    pub id: String,
    pub unit: String,
    /// The content hash it was created under, if any.
    pub sha256: Option<String>,
    pub length: u64,
    pub offset: u64,
    pub complete: bool,
    pub updated_at_ms: i64,
    /// The tus `Upload-Metadata` as sent.
    pub metadata: String,
}

const UPLOAD_COLUMNS: &str =
    "id, unit, sha256, length, received, complete, updated_at_ms, metadata";

fn upload_of(r: &Row) -> Upload {
    Upload {
        id: r.text(0),
        unit: r.text(1),
        sha256: r.opt_text(2),
        length: r.int(3) as u64,
        offset: r.int(4) as u64,
        complete: r.flag(5),
        updated_at_ms: r.int(6),
        metadata: r.text(7),
    }
}

impl Db {
    pub fn upload(&self, unit: &str, id: &str) -> Result<Option<Upload>, DbError> {
        self.write(|tx| {
            Ok(tx
                .query_opt(
                    &format!("SELECT {UPLOAD_COLUMNS} FROM upload WHERE unit = ?1 AND id = ?2"),
                    vals![unit, id],
                )?
                .map(|r| upload_of(&r)))
        })
    }

    /// Creates an upload, or returns the one already there under the same name: complete at
    /// once if the unit holds the file; an incomplete one untouched since `stale_before_ms`
    /// (expired, not yet swept) starts again from byte 0.
    #[allow(clippy::too_many_arguments)]
    pub fn create_upload(
        &self,
        unit: &str,
        id: &str,
        sha256: Option<&str>,
        length: u64,
        metadata: &str,
        now_ms: i64,
        stale_before_ms: i64,
    ) -> Result<Upload, DbError> {
        self.write(|tx| {
            // The unit already holds these bytes: the upload is complete at once.
            let held = match sha256 {
                Some(hash) => tx
                    .query_opt(
                        "SELECT sha256 FROM unit_file WHERE unit = ?1 AND sha256 = ?2",
                        vals![unit, hash],
                    )?
                    .is_some(),
                None => false,
            };
            tx.execute(
                "INSERT INTO upload (id, unit, sha256, length, received, complete, metadata,
                                     created_at_ms, updated_at_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)
                 ON CONFLICT (unit, id) DO UPDATE SET
                     complete = CASE WHEN excluded.complete = 1 THEN 1 ELSE upload.complete END,
                     received = CASE
                         WHEN excluded.complete = 1 THEN excluded.received
                         WHEN upload.complete = 0 AND upload.updated_at_ms < ?9 THEN 0
                         ELSE upload.received END,
                     updated_at_ms = CASE
                         WHEN upload.complete = 0 AND upload.updated_at_ms < ?9
                         THEN excluded.updated_at_ms
                         ELSE upload.updated_at_ms END",
                vals![
                    id,
                    unit,
                    sha256,
                    length,
                    if held { length } else { 0 },
                    held,
                    metadata,
                    now_ms,
                    stale_before_ms
                ],
            )?;
            let upload = upload_of(&tx.query_one(
                &format!("SELECT {UPLOAD_COLUMNS} FROM upload WHERE unit = ?1 AND id = ?2"),
                vals![unit, id],
            )?);
            if upload.length != length {
                return Err(DbError::Refused("length differs from the upload's"));
            }
            Ok(upload)
        })
    }

    /// Records the bytes of an incomplete upload that are on disk, flushed.
    pub fn set_offset(
        &self,
        unit: &str,
        id: &str,
        offset: u64,
        now_ms: i64,
    ) -> Result<(), DbError> {
        self.write(|tx| {
            tx.execute(
                "UPDATE upload SET received = ?3, updated_at_ms = ?4 WHERE unit = ?1 AND id = ?2",
                vals![unit, id, offset, now_ms],
            )?;
            Ok(())
        })
    }

    /// The upload is complete and its bytes, named `sha256`, are in the file store.
    pub fn complete_upload(
        &self,
        unit: &str,
        id: &str,
        sha256: &str,
        length: u64,
        media_type: Option<&str>,
        now_ms: i64,
    ) -> Result<(), DbError> {
        self.write(|tx| {
            tx.execute(
                "UPDATE upload SET received = length, complete = 1, sha256 = ?3, updated_at_ms = ?4
                 WHERE unit = ?1 AND id = ?2",
                vals![unit, id, sha256, now_ms],
            )?;
            tx.execute(
                "INSERT INTO unit_file (unit, sha256, size, media_type, received_at_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
                vals![unit, sha256, length, media_type, now_ms],
            )?;
            Ok(())
        })
    }

    pub fn delete_upload(&self, unit: &str, id: &str) -> Result<bool, DbError> {
        self.write(|tx| {
            Ok(tx.execute(
                "DELETE FROM upload WHERE unit = ?1 AND id = ?2",
                vals![unit, id],
            )? > 0)
        })
    }

    /// Removes an incomplete upload's record if it is still untouched since `before_ms`.
    pub fn delete_stale_upload(
        &self,
        unit: &str,
        id: &str,
        before_ms: i64,
    ) -> Result<bool, DbError> {
        self.write(|tx| {
            Ok(tx.execute(
                "DELETE FROM upload
                 WHERE unit = ?1 AND id = ?2 AND complete = 0 AND updated_at_ms < ?3",
                vals![unit, id, before_ms],
            )? > 0)
        })
    }

    /// Incomplete uploads untouched since `before_ms`: `(unit, id)`.
    pub fn stale_uploads(&self, before_ms: i64) -> Result<Vec<(String, String)>, DbError> {
        self.write(|tx| {
            Ok(tx
                .query(
                    "SELECT unit, id FROM upload WHERE complete = 0 AND updated_at_ms < ?1",
                    vals![before_ms],
                )?
                .iter()
                .map(|r| (r.text(0), r.text(1)))
                .collect())
        })
    }

    pub fn unit_holds(&self, unit: &str, sha256: &str) -> Result<bool, DbError> {
        self.write(|tx| {
            Ok(tx
                .query_opt(
                    "SELECT sha256 FROM unit_file WHERE unit = ?1 AND sha256 = ?2",
                    vals![unit, sha256],
                )?
                .is_some())
        })
    }
}
