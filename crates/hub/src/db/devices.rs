//! Units, their one-time enrollment codes (kept as hashes), and the devices enrolled with them:
//! slots, credentials (hashes too), last contact and heartbeats.

use hoso_model::sync::{Heartbeat, UnitInfo};

use super::{Db, DbError};
use crate::vals;

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

impl Db {
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
}
