//! Enrollment and credentials.
//!
//! A desk trades a one-time enrollment code (`XXXX-XXXX`, made by `hoso-hub enroll-code`, valid
//! 7 days) for a device id, a bearer token, a slot (1–9) in its unit and the slot's code floors. The hub keeps only the
//! SHA-256 of codes and tokens. Every other request (but health and tus `OPTIONS`) names its
//! device by `Authorization: Bearer <token>`; extracting a [`Device`] checks it and records the
//! device's last contact. A disabled device is refused like an unknown one (401).

use axum::Json;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hoso_model::sync::{EnrollRequest, Enrolled, HubErrorCode};

use super::{ENROLLMENT_LIFETIME_MS, JsonBody, Refusal, Shared, blocking, now_ms, refuse};
use crate::db::{Device, Enrollment, FLOOR_WINDOW_MS, NewDevice, sha256_hex};

/// The longest credential looked at.
const MAX_TOKEN_CHARS: usize = 200;

impl FromRequestParts<Shared> for Device {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, hub: &Shared) -> Result<Device, Refusal> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim())
            .filter(|t| !t.is_empty() && t.len() <= MAX_TOKEN_CHARS)
            .ok_or(refuse(401, HubErrorCode::Unauthorized, "no credential"))?;
        let hash = sha256_hex(token.as_bytes());
        blocking(hub, move |hub| hub.db.authenticate(&hash, now_ms()))
            .await?
            .ok_or(refuse(
                401,
                HubErrorCode::Unauthorized,
                "unknown or disabled credential",
            ))
    }
}

/// The enrollment code as typed, folded: upper case, no spaces.
pub fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

/// `POST /v1/enroll`.
pub(super) async fn enroll(
    State(hub): State<Shared>,
    JsonBody(request): JsonBody<EnrollRequest>,
) -> Result<Response, Refusal> {
    let code_hash = sha256_hex(normalise_code(&request.code).as_bytes());
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret)
        .map_err(|_| refuse(500, HubErrorCode::Internal, "no randomness"))?;
    let token = URL_SAFE_NO_PAD.encode(secret);
    let token_hash = sha256_hex(token.as_bytes());
    let device_id = uuid::Uuid::new_v4().to_string();
    let id = device_id.clone();
    let name: String = request.device_name.trim().chars().take(100).collect();
    let version: String = request.app_version.trim().chars().take(40).collect();
    let outcome = blocking(&hub, move |hub| {
        let now = now_ms();
        let outcome = hub.db.enroll(
            &code_hash,
            now - ENROLLMENT_LIFETIME_MS,
            &NewDevice {
                id: &id,
                token_hash: &token_hash,
                name: &name,
                app_version: &version,
            },
            now,
        )?;
        // What the slot's earlier desks issued, if any: the new desk numbers on from there.
        let floors = match &outcome {
            Enrollment::Enrolled { unit, .. } => {
                let device = Device {
                    id: id.clone(),
                    unit: unit.code.clone(),
                };
                Some(hub.db.code_floors(&device, now - FLOOR_WINDOW_MS)?)
            }
            _ => None,
        };
        Ok((outcome, floors))
    })
    .await?;
    match outcome {
        (Enrollment::Enrolled { unit, slot }, code_floors) => {
            eprintln!(
                "hoso-hub: device {device_id} enrolled in unit {} slot {slot}",
                unit.code
            );
            let answer = Enrolled {
                device_id,
                token,
                unit,
                slot,
                code_floors,
            };
            Ok((StatusCode::CREATED, Json(answer)).into_response())
        }
        (Enrollment::BadCode, _) => Err(refuse(
            403,
            HubErrorCode::EnrollmentCode,
            "the enrollment code is unknown, used or expired",
        )),
        // The code is not used up. Slots are never given twice (see `Db::enroll`).
        (Enrollment::UnitFull, _) => Err(refuse(
            403,
            HubErrorCode::EnrollmentCode,
            "the unit has no free slot: nine desks are enrolled (a disabled desk keeps its slot)",
        )),
    }
}
