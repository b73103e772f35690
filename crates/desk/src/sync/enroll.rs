//! Enrollment: a one-time code traded for this desk's identity at the hub, and what the desk
//! trusts the hub's certificate to be from then on ([`HubTrust`]: the computer's store, a
//! pinned fingerprint or a CA, given by the operator and kept beside the hub's address).

use hoso_model::sync::{EnrollRequest, Fingerprint, HubTrust};
use hoso_model::unit::Unit;
use hoso_model::{Field, Problem};
use hoso_store::settings;
use hoso_sync::{Config, GlobalOrTransient};
use serde::Serialize;

use super::{hub_error, keys, problem_error, runtime, take_code_floors};
use crate::{Desk, Error, read_unit};

/// What an enrollment gave this desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Enrollment {
    pub hub_url: String,
    pub device_id: String,
    pub unit_code: String,
    pub unit_name: String,
    pub slot: u8,
    /// The fingerprint of the hub's certificate this desk accepts, if one was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    /// Whether only the CA given at enrollment is trusted.
    pub ca: bool,
}

/// The trust an operator typed: a fingerprint (hex, colons or not) or a CA's PEM text, or
/// neither (the computer's store). Both at once is refused: the desk trusts exactly one thing.
pub fn trust_from(fingerprint: Option<&str>, ca_pem: Option<&str>) -> Result<HubTrust, Error> {
    let fingerprint = fingerprint.map(str::trim).filter(|f| !f.is_empty());
    match (fingerprint, ca_pem) {
        (Some(_), Some(_)) => Err(Error::refused(
            Field::Hub,
            "a fingerprint or a CA file, not both",
        )),
        (Some(text), None) => Fingerprint::parse(text)
            .map(HubTrust::Fingerprint)
            .ok_or_else(|| hub_error(Problem::BadFingerprint, "not a SHA-256 fingerprint")),
        (None, Some(pem)) => {
            hoso_sync::trust::ca_roots(pem)
                .map_err(|_| hub_error(Problem::BadCaFile, "no readable CA certificate"))?;
            Ok(HubTrust::Ca(pem.to_owned()))
        }
        (None, None) => Ok(HubTrust::System),
    }
}

/// The trust kept with the enrollment.
pub(super) fn kept_trust(tx: &rusqlite::Transaction<'_>) -> Result<HubTrust, hoso_store::Error> {
    if let Some(pin) =
        settings::get(tx, keys::HUB_FINGERPRINT)?.and_then(|f| Fingerprint::parse(&f))
    {
        return Ok(HubTrust::Fingerprint(pin));
    }
    Ok(match settings::get(tx, keys::HUB_CA)? {
        Some(pem) => HubTrust::Ca(pem),
        None => HubTrust::System,
    })
}

/// Keeps `trust` in place of whatever an earlier enrollment kept.
fn keep_trust(tx: &rusqlite::Transaction<'_>, trust: &HubTrust) -> Result<(), hoso_store::Error> {
    settings::delete(tx, keys::HUB_FINGERPRINT)?;
    settings::delete(tx, keys::HUB_CA)?;
    match trust {
        HubTrust::System => Ok(()),
        HubTrust::Fingerprint(pin) => settings::set(tx, keys::HUB_FINGERPRINT, &pin.to_string()),
        HubTrust::Ca(pem) => settings::set(tx, keys::HUB_CA, pem),
    }
}

impl Desk {
    /// Enrolls with a hub that the computer's certificate store trusts
    /// ([`Desk::enroll_trusting`]).
    pub fn enroll(
        &self,
        hub_url: &str,
        code: &str,
        device_name: &str,
    ) -> Result<Enrollment, Error> {
        self.enroll_trusting(hub_url, code, device_name, &HubTrust::System)
    }

    /// Trades a one-time enrollment code for this desk's identity at the hub, and takes the
    /// unit's identity and this desk's slot from it. A desk set up for another unit is refused.
    /// The hub's certificate must satisfy `trust`, now and at every later connection; a
    /// certificate refused sends nothing (the code stays unused).
    pub fn enroll_trusting(
        &self,
        hub_url: &str,
        code: &str,
        device_name: &str,
        trust: &HubTrust,
    ) -> Result<Enrollment, Error> {
        self.need(hoso_model::Act::Configure)?;
        let hub_url = hub_url.trim().trim_end_matches('/').to_owned();
        if !(hub_url.starts_with("http://") || hub_url.starts_with("https://")) {
            return Err(Error::refused(
                Field::Hub,
                "the hub's address must start with http:// or https://",
            ));
        }
        if *trust != HubTrust::System && !hub_url.starts_with("https://") {
            return Err(Error::refused(
                Field::Hub,
                "a fingerprint or CA needs an https:// address",
            ));
        }
        let request = EnrollRequest {
            code: code.trim().to_uppercase(),
            device_name: device_name.to_owned(),
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
        };
        let engine = self.sync_engine(Config::default());
        let enrolled = runtime()
            .block_on(engine.enroll(&hub_url, &request, trust))
            .map_err(|e| match e {
                GlobalOrTransient::Global(p) => problem_error(p),
                GlobalOrTransient::Transient => {
                    hub_error(Problem::HubUnreachable, "the hub did not answer")
                }
            })?;
        self.inner.store.write(|tx| {
            let current = read_unit(tx)?;
            if let Some(unit) = &current
                && unit.code != enrolled.unit.code
            {
                return Err(hub_error(Problem::UnitMismatch, "another unit"));
            }
            let unit = match current {
                Some(unit) => Unit {
                    name: enrolled.unit.name.clone(),
                    device_slot: enrolled.slot,
                    ..unit
                },
                None => Unit {
                    code: enrolled.unit.code.clone(),
                    name: enrolled.unit.name.clone(),
                    governing_body: String::new(),
                    device_slot: enrolled.slot,
                    office_hours: Default::default(),
                },
            };
            let json = serde_json::to_string(&unit).expect("a unit serialises");
            settings::set(tx, settings::keys::UNIT, &json)?;
            settings::set(tx, keys::HUB_URL, &hub_url)?;
            keep_trust(tx, trust)?;
            settings::set(tx, keys::DEVICE_ID, &enrolled.device_id)?;
            settings::set(tx, keys::TOKEN, &enrolled.token)?;
            settings::set(tx, keys::CURSOR, "0")?;
            settings::delete(tx, keys::PROBLEM)?;
            if let Some(floors) = &enrolled.code_floors {
                take_code_floors(tx, floors)?;
            }
            self.audit(
                tx,
                hoso_model::account::AuditAction::Settings,
                "hub",
                &enrolled.unit.code,
            )
        })?;
        Ok(Enrollment {
            hub_url,
            device_id: enrolled.device_id,
            unit_code: enrolled.unit.code,
            unit_name: enrolled.unit.name,
            slot: enrolled.slot,
            fingerprint: match trust {
                HubTrust::Fingerprint(pin) => Some(pin.to_string()),
                _ => None,
            },
            ca: matches!(trust, HubTrust::Ca(_)),
        })
    }
}
