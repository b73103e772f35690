//! The hub's records: units, enrollment codes, devices, uploads, the files each unit holds,
//! batches with their answers, dossier versions, and the changes each unit pulls — in an embedded
//! SQLite file (`hub.sqlite3` in the data directory) by default, or in PostgreSQL.
//!
//! Every function is one transaction, written once in SQL both databases run (`sql`). Every
//! answer the hub gives is committed first (SQLite: WAL with `synchronous = FULL`). Personal data
//! lives only in the dossier records; nothing here logs it.

use std::path::Path;
use std::sync::Mutex;

use hoso_model::account::ChainedEntry;
use hoso_model::sync::{
    Batch, BatchAnswer, Change, ChangeBody, Changes, Heartbeat, ItemOutcome, ItemResult,
    RejectReason, UnitInfo,
};
use rusqlite_migration::{M, Migrations};
use sha2::{Digest, Sha256};

use crate::sql::{Database, Row, Tx};
use crate::vals;

const SQLITE_SCHEMA: &str = include_str!("schema.sql");
const POSTGRES_SCHEMA: &str = include_str!("schema_pg.sql");
/// Each later version of the schema, in order; PostgreSQL's own copies record their number in
/// `hub_schema`.
const SQLITE_UPGRADES: [&str; 1] = [include_str!("schema_2_audit.sql")];
const POSTGRES_UPGRADES: [&str; 1] = [include_str!("schema_pg_2_audit.sql")];

/// The file inside the data directory.
pub const DATABASE_FILE: &str = "hub.sqlite3";

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("database: {}", postgres_text(.0))]
    Postgres(#[from] postgres::Error),
    #[error("database schema: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    /// The request cannot be taken as it is (answered 400).
    #[error("{0}")]
    Refused(&'static str),
    /// The disk (or the file store) failed (answered 507).
    #[error("{0}")]
    Storage(&'static str),
}

/// A PostgreSQL error for the log: its SQLSTATE only when the server reported one (the server's
/// detail may quote a row's values), else the client's own text (connection failures).
fn postgres_text(err: &postgres::Error) -> String {
    match err.code() {
        Some(state) => format!("PostgreSQL error {}", state.code()),
        None => err.to_string(),
    }
}

/// What an enrollment code was worth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Enrollment {
    /// The device is enrolled, with its slot.
    Enrolled { unit: UnitInfo, slot: u8 },
    /// The code is unknown, used or expired.
    BadCode,
    /// Every slot of the unit is taken; the code was not used up.
    UnitFull,
}

pub struct Db {
    database: Database,
}

/// A device as authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub id: String,
    pub unit: String,
}

/// A desk being enrolled.
#[derive(Debug, Clone, Copy)]
pub struct NewDevice<'a> {
    pub id: &'a str,
    /// SHA-256 of its credential.
    pub token_hash: &'a str,
    pub name: &'a str,
    pub app_version: &'a str,
}

/// What the hub made of a device's audit entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditOutcome {
    /// The device's log is held up to this entry, every entry chained to the one before.
    Held(u64),
    /// This entry differs from the one the hub holds under its number.
    Fork(u64),
    /// This entry does not chain: its hash is not its own, or it links to another entry.
    Chain(u64),
}

/// A device's log as the hub holds it, walked: how many entries, and the first out of place.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditWalk {
    pub device: String,
    pub entries: u64,
    pub first_broken: Option<u64>,
}

const AUDIT_COLUMNS: &str = "seq, at_ms, actor, action, object, detail, prev, hash";

fn chained_of(r: &Row) -> ChainedEntry {
    ChainedEntry {
        seq: r.int(0) as u64,
        at_ms: r.int(1),
        actor: r.text(2),
        action: r.text(3),
        object: r.text(4),
        detail: r.text(5),
        prev: r.text(6),
        hash: r.text(7),
    }
}

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

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
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
    /// The embedded SQLite store in `data_dir`.
    pub fn open(data_dir: &Path) -> Result<Db, DbError> {
        std::fs::create_dir_all(data_dir)
            .map_err(|_| DbError::Refused("cannot create the data directory"))?;
        let mut conn = rusqlite::Connection::open(data_dir.join(DATABASE_FILE))?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let steps = std::iter::once(SQLITE_SCHEMA).chain(SQLITE_UPGRADES);
        Migrations::new(steps.map(M::up).collect()).to_latest(&mut conn)?;
        Ok(Db {
            database: Database::Sqlite(Mutex::new(conn)),
        })
    }

    /// A PostgreSQL database (`postgres://user@host:port/db`), its schema created if missing.
    pub fn open_postgres(url: &str) -> Result<Db, DbError> {
        let mut client = postgres::Client::connect(url, postgres::NoTls)?;
        let mut tx = client.transaction()?;
        // One writer creates the schema; others wait for it.
        tx.batch_execute("SELECT pg_advisory_xact_lock(7401)")?;
        let exists = tx
            .query_one("SELECT to_regclass('hub_schema') IS NOT NULL", &[])?
            .get::<_, bool>(0);
        if !exists {
            tx.batch_execute(POSTGRES_SCHEMA)?;
        }
        let version = tx
            .query_one("SELECT max(version) FROM hub_schema", &[])?
            .get::<_, i64>(0);
        for upgrade in POSTGRES_UPGRADES.iter().skip(version as usize - 1) {
            tx.batch_execute(upgrade)?;
        }
        tx.commit()?;
        Ok(Db {
            database: Database::Postgres(Mutex::new(client)),
        })
    }

    pub fn write<T>(
        &self,
        f: impl FnOnce(&mut dyn Tx) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        self.database.write(f)
    }

    pub fn add_unit(&self, code: &str, name: &str, now_ms: i64) -> Result<(), DbError> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO unit (code, name, created_at_ms) VALUES (?1, ?2, ?3)
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name",
                vals![code, name, now_ms],
            )?;
            Ok(())
        })
    }

    pub fn unit(&self, code: &str) -> Result<Option<UnitInfo>, DbError> {
        self.write(|tx| {
            Ok(tx
                .query_opt("SELECT code, name FROM unit WHERE code = ?1", vals![code])?
                .map(|r| UnitInfo {
                    code: r.text(0),
                    name: r.text(1),
                }))
        })
    }

    /// Records a one-time enrollment code (by its hash) for a unit.
    pub fn add_enrollment_code(
        &self,
        unit: &str,
        code_hash: &str,
        now_ms: i64,
    ) -> Result<(), DbError> {
        self.write(|tx| {
            if tx
                .query_opt("SELECT code FROM unit WHERE code = ?1", vals![unit])?
                .is_none()
            {
                return Err(DbError::Refused("no such unit"));
            }
            tx.execute(
                "INSERT INTO enrollment_code (code_hash, unit, created_at_ms) VALUES (?1, ?2, ?3)",
                vals![code_hash, unit, now_ms],
            )?;
            Ok(())
        })
    }

    /// Uses an enrollment code made at `oldest_ms` or later: the new device gets the unit's
    /// lowest free slot. Slots are never given twice, not even a disabled device's: the desks
    /// number dossiers by slot (`UNIT-YYMMDD-sNNN`), and a slot given again could issue a code
    /// the hub already holds.
    pub fn enroll(
        &self,
        code_hash: &str,
        oldest_ms: i64,
        device: &NewDevice<'_>,
        now_ms: i64,
    ) -> Result<Enrollment, DbError> {
        self.write(|tx| {
            let Some(unit) = tx
                .query_opt(
                    "SELECT unit FROM enrollment_code
                     WHERE code_hash = ?1 AND used_at_ms IS NULL AND created_at_ms >= ?2",
                    vals![code_hash, oldest_ms],
                )?
                .map(|r| r.text(0))
            else {
                return Ok(Enrollment::BadCode);
            };
            let taken: Vec<u8> = tx
                .query("SELECT slot FROM device WHERE unit = ?1", vals![&unit])?
                .iter()
                .map(|r| r.int(0) as u8)
                .collect();
            let Some(slot) = (1..=9u8).find(|s| !taken.contains(s)) else {
                return Ok(Enrollment::UnitFull);
            };
            tx.execute(
                "UPDATE enrollment_code SET used_at_ms = ?2 WHERE code_hash = ?1",
                vals![code_hash, now_ms],
            )?;
            tx.execute(
                "INSERT INTO device (id, unit, slot, name, app_version, token_hash, enrolled_at_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                vals![
                    device.id,
                    &unit,
                    slot,
                    device.name,
                    device.app_version,
                    device.token_hash,
                    now_ms
                ],
            )?;
            let info = tx.query_one("SELECT code, name FROM unit WHERE code = ?1", vals![&unit])?;
            Ok(Enrollment::Enrolled {
                unit: UnitInfo {
                    code: info.text(0),
                    name: info.text(1),
                },
                slot,
            })
        })
    }

    /// The enabled device holding this credential; records the contact.
    pub fn authenticate(&self, token_hash: &str, now_ms: i64) -> Result<Option<Device>, DbError> {
        self.write(|tx| {
            Ok(tx
                .query_opt(
                    "UPDATE device SET last_contact_ms = ?2
                     WHERE token_hash = ?1 AND disabled = 0 RETURNING id, unit",
                    vals![token_hash, now_ms],
                )?
                .map(|r| Device {
                    id: r.text(0),
                    unit: r.text(1),
                }))
        })
    }

    pub fn disable_device(&self, id: &str) -> Result<bool, DbError> {
        self.write(|tx| {
            Ok(tx.execute("UPDATE device SET disabled = 1 WHERE id = ?1", vals![id])? > 0)
        })
    }

    pub fn heartbeat(&self, device: &Device, beat: &Heartbeat, now_ms: i64) -> Result<(), DbError> {
        let json = serde_json::to_string(beat).expect("a heartbeat serialises");
        self.write(|tx| {
            tx.execute(
                "UPDATE device SET heartbeat = ?2, heartbeat_at_ms = ?3, app_version = ?4
                 WHERE id = ?1",
                vals![&device.id, json, now_ms, &beat.app_version],
            )?;
            Ok(())
        })
    }

    /// Every device, for the operator.
    pub fn devices(&self) -> Result<Vec<serde_json::Value>, DbError> {
        self.write(|tx| {
            Ok(tx
                .query(
                    "SELECT id, unit, slot, name, app_version, enrolled_at_ms, last_contact_ms,
                            disabled, heartbeat, heartbeat_at_ms
                     FROM device ORDER BY unit, slot",
                    vals![],
                )?
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.text(0),
                        "unit": r.text(1),
                        "slot": r.int(2),
                        "name": r.text(3),
                        "app_version": r.text(4),
                        "enrolled_at_ms": r.int(5),
                        "last_contact_ms": r.opt_int(6),
                        "disabled": r.flag(7),
                        "heartbeat": r.opt_text(8)
                            .and_then(|h| serde_json::from_str::<serde_json::Value>(&h).ok()),
                        "heartbeat_at_ms": r.opt_int(9),
                    })
                })
                .collect())
        })
    }

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

    pub fn changes(&self, unit: &str, after: u64, limit: u32) -> Result<Changes, DbError> {
        let rows = self.write(|tx| {
            tx.query(
                "SELECT seq, body FROM change WHERE unit = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
                vals![unit, after, i64::from(limit) + 1],
            )
        })?;
        let more = rows.len() > limit as usize;
        let changes: Vec<Change> = rows
            .iter()
            .take(limit as usize)
            .map(|r| Change {
                seq: r.int(0) as u64,
                body: serde_json::from_str(&r.text(1)).expect("a stored change parses"),
            })
            .collect();
        let next = changes.last().map(|c| c.seq).unwrap_or(after);
        Ok(Changes {
            changes,
            next,
            more,
        })
    }

    /// Records a change for one unit, or for every unit with `unit = None`; how many.
    pub fn add_change(
        &self,
        unit: Option<&str>,
        body: &ChangeBody,
        now_ms: i64,
    ) -> Result<usize, DbError> {
        let json = serde_json::to_string(body).expect("a change serialises");
        self.write(|tx| {
            let units: Vec<String> = match unit {
                Some(u) => vec![u.to_owned()],
                None => tx
                    .query("SELECT code FROM unit ORDER BY code", vals![])?
                    .iter()
                    .map(|r| r.text(0))
                    .collect(),
            };
            for unit in &units {
                tx.execute(
                    "INSERT INTO change (unit, body, at_ms) VALUES (?1, ?2, ?3)",
                    vals![unit, &json, now_ms],
                )?;
            }
            Ok(units.len())
        })
    }

    /// Takes a device's audit entries, in order, in one transaction: one the hub holds already
    /// must be the same (the desk sends again what the hub could not confirm); the next must
    /// chain to the last held. Entries after a gap are not taken: the answer says where the
    /// hub's copy ends, and the desk goes on from there.
    pub fn add_audit(
        &self,
        device: &Device,
        entries: &[ChainedEntry],
        now_ms: i64,
    ) -> Result<AuditOutcome, DbError> {
        self.write(|tx| {
            let (mut held, mut last_hash) = tx
                .query_opt(
                    "SELECT seq, hash FROM audit_entry WHERE device = ?1
                     ORDER BY seq DESC LIMIT 1",
                    vals![&device.id],
                )?
                .map(|r| (r.int(0) as u64, r.text(1)))
                .unwrap_or_default();
            for entry in entries {
                if entry.seq == 0 || entry.seq > i64::MAX as u64 {
                    return Ok(AuditOutcome::Chain(entry.seq));
                }
                if entry.seq <= held {
                    let same = tx
                        .query_opt(
                            "SELECT hash FROM audit_entry WHERE device = ?1 AND seq = ?2",
                            vals![&device.id, entry.seq],
                        )?
                        .is_some_and(|r| r.text(0) == entry.hash);
                    if !same {
                        return Ok(AuditOutcome::Fork(entry.seq));
                    }
                    continue;
                }
                if entry.seq > held + 1 {
                    break;
                }
                if !entry.follows(&last_hash) {
                    return Ok(AuditOutcome::Chain(entry.seq));
                }
                tx.execute(
                    &format!(
                        "INSERT INTO audit_entry (device, {AUDIT_COLUMNS}, received_at_ms)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
                    ),
                    vals![
                        &device.id,
                        entry.seq,
                        entry.at_ms,
                        &entry.actor,
                        &entry.action,
                        &entry.object,
                        &entry.detail,
                        &entry.prev,
                        &entry.hash,
                        now_ms
                    ],
                )?;
                held = entry.seq;
                last_hash.clone_from(&entry.hash);
            }
            Ok(AuditOutcome::Held(held))
        })
    }

    /// A device's audit entries after `after`, oldest first, at most `limit`.
    pub fn audit(
        &self,
        device: &str,
        after: u64,
        limit: u32,
    ) -> Result<Vec<ChainedEntry>, DbError> {
        let rows = self.write(|tx| {
            tx.query(
                &format!(
                    "SELECT {AUDIT_COLUMNS} FROM audit_entry WHERE device = ?1 AND seq > ?2
                     ORDER BY seq LIMIT ?3"
                ),
                vals![device, after, i64::from(limit)],
            )
        })?;
        Ok(rows.iter().map(chained_of).collect())
    }

    /// Walks the audit log the hub holds of each device of `unit` (every unit with `None`).
    pub fn verify_audit(&self, unit: Option<&str>) -> Result<Vec<AuditWalk>, DbError> {
        let devices: Vec<String> = self.write(|tx| {
            Ok(tx
                .query(
                    "SELECT id FROM device WHERE CAST(?1 AS TEXT) IS NULL OR unit = ?1
                     ORDER BY unit, slot",
                    vals![unit],
                )?
                .iter()
                .map(|r| r.text(0))
                .collect())
        })?;
        let mut walks = Vec::with_capacity(devices.len());
        for device in devices {
            let mut walk = AuditWalk {
                device,
                entries: 0,
                first_broken: None,
            };
            let mut prev = String::new();
            'pages: loop {
                let page = self.audit(&walk.device, walk.entries, 1000)?;
                if page.is_empty() {
                    break;
                }
                for entry in page {
                    let expected = walk.entries + 1;
                    if entry.seq != expected || !entry.follows(&prev) {
                        walk.first_broken = Some(expected);
                        break 'pages;
                    }
                    walk.entries = expected;
                    prev = entry.hash;
                }
            }
            walks.push(walk);
        }
        Ok(walks)
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
                let files: std::collections::BTreeSet<&str> = record["pages"]
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
    item: &hoso_model::sync::BatchItem,
    now_ms: i64,
) -> Result<ItemOutcome, DbError> {
    let rejected = |reason| Ok(ItemOutcome::Rejected { reason });
    let record = &item.record;
    let listed: std::collections::BTreeSet<&str> =
        item.files.iter().map(|f| f.sha256.as_str()).collect();
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

/// Whether `text` is a lower-case hex SHA-256.
pub fn is_sha256(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}
