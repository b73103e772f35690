//! The engine's decisions, as pure functions: what an answer from the hub means, how long to wait
//! before trying again, and whether the two clocks agree. No I/O here, so every case is a row in
//! a table test.

use std::time::Duration;

use hoso_model::sync::HubErrorCode;

/// What the engine was doing when an answer came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Health,
    Enroll,
    /// tus creation (POST).
    Create,
    /// tus offset (HEAD).
    Head,
    /// tus upload (PATCH).
    Patch,
    Batch,
    Changes,
    Heartbeat,
    /// `POST /v1/audit`.
    Audit,
}

impl Op {
    /// The one status that means success. Anything else — a `200` where `201` is due
    /// included, which is what captive portals answer — is not.
    pub fn success(self) -> u16 {
        match self {
            Op::Health | Op::Head | Op::Changes | Op::Audit => 200,
            Op::Enroll | Op::Create | Op::Batch => 201,
            Op::Patch => 204,
            Op::Heartbeat => 202,
        }
    }
}

/// What to do about an answer (or its absence).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// It worked.
    Success,
    /// The network or the hub is having a bad moment: try again later, after at least
    /// `retry_after` if the hub said so.
    Transient { retry_after: Option<Duration> },
    /// The upload's offset is not what the desk believed: ask the hub (HEAD) and go on from
    /// there.
    Resync,
    /// The upload is gone (expired, removed) or its bytes did not hash to its name: start it
    /// again from byte 0.
    Restart { damaged: bool },
    /// The batch id was used with another content: send the items under a new id.
    NewBatchId,
    /// The batch is too large for the hub: send fewer dossiers at once.
    Split,
    /// This file or dossier can never be accepted as it is: set it aside with a reason and go
    /// on with the rest.
    Reject(Rejection),
    /// Nothing can go until a person acts: stop and say so.
    Global(GlobalProblem),
}

/// Why one dossier was set aside by the desk itself (the hub's own reasons come per item).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    /// A file is larger than the hub accepts.
    TooLarge,
    /// The hub says the file belongs to another unit.
    Forbidden,
    /// The desk's own copy of a file is missing or does not match its hash.
    FileDamaged,
    /// The hub holds another entry under a number of this desk's audit log.
    AuditFork,
    /// The desk's audit entries do not chain.
    AuditChain,
    /// The hub is older than this desk and takes no audit log: dossiers go on without it.
    AuditUnsupported,
}

impl Rejection {
    /// The reason kept in the outbox, shown localised to the officer.
    pub fn name(self) -> &'static str {
        match self {
            Rejection::TooLarge => "too_large",
            Rejection::Forbidden => "forbidden",
            Rejection::FileDamaged => "file_damaged",
            Rejection::AuditFork => "audit_fork",
            Rejection::AuditChain => "audit_chain",
            Rejection::AuditUnsupported => "audit_unsupported",
        }
    }
}

/// Why everything stops until someone acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GlobalProblem {
    /// This desk is not enrolled with a hub.
    NotEnrolled,
    /// The hub does not accept this desk's credential (disabled, or another hub).
    Credential,
    /// The enrollment code was refused.
    EnrollmentCode,
    /// The desk's clock is far from the hub's: due dates and logs would be wrong.
    Clock,
    /// The desk's disk is full.
    DiskFull,
    /// The hub does not understand this desk (a newer protocol, or not a hub at that address).
    Protocol,
    /// The hub's certificate is not the one whose fingerprint was given at enrollment.
    CertificatePin,
    /// The hub's certificate was not issued by the CA given at enrollment (or is not valid for
    /// the hub's address or today).
    CertificateCa,
}

impl GlobalProblem {
    pub fn name(self) -> &'static str {
        match self {
            GlobalProblem::NotEnrolled => "not_enrolled",
            GlobalProblem::Credential => "credential",
            GlobalProblem::EnrollmentCode => "enrollment_code",
            GlobalProblem::Clock => "clock",
            GlobalProblem::DiskFull => "disk_full",
            GlobalProblem::Protocol => "protocol",
            GlobalProblem::CertificatePin => "certificate_pin",
            GlobalProblem::CertificateCa => "certificate_ca",
        }
    }
}

/// What an answer means. `from_hub` says whether it carried the protocol header (an answer
/// without it came from something else on the path: a captive portal, a proxy's error page);
/// `code` is the hub's error code when it sent one.
pub fn judge(
    op: Op,
    status: u16,
    from_hub: bool,
    code: Option<HubErrorCode>,
    retry_after: Option<Duration>,
) -> Verdict {
    if !from_hub {
        // Whatever it says, it is not the hub's word: nothing was done, nothing is proven.
        return Verdict::Transient { retry_after };
    }
    if status == op.success() {
        return Verdict::Success;
    }
    match (op, status) {
        // A success other than the one promised (a middlebox's rewrite): not proof that the
        // hub did the work. Asking again is harmless: every request can be repeated.
        (_, 200..=299) => Verdict::Transient { retry_after },
        (_, 408 | 423 | 425 | 429 | 500..=599) => Verdict::Transient { retry_after },
        (Op::Enroll, 401 | 403 | 404) => Verdict::Global(GlobalProblem::EnrollmentCode),
        (_, 401) => Verdict::Global(GlobalProblem::Credential),
        (Op::Head | Op::Patch, 403) => Verdict::Reject(Rejection::Forbidden),
        (Op::Head | Op::Patch, 404 | 410) => Verdict::Restart { damaged: false },
        (Op::Patch, 409) => Verdict::Resync,
        (Op::Patch, 460) if code == Some(HubErrorCode::HashMismatch) => {
            Verdict::Restart { damaged: true }
        }
        // A chunk damaged on the way: the hub dropped it; send it again.
        (Op::Patch, 460) => Verdict::Transient { retry_after },
        (Op::Create | Op::Patch, 413) => Verdict::Reject(Rejection::TooLarge),
        (Op::Batch, 409) => Verdict::NewBatchId,
        (Op::Batch | Op::Audit, 413) => Verdict::Split,
        (Op::Audit, 409) => Verdict::Reject(Rejection::AuditFork),
        (Op::Audit, 422) => Verdict::Reject(Rejection::AuditChain),
        (Op::Audit, 404 | 405) => Verdict::Reject(Rejection::AuditUnsupported),
        // A refusal the protocol does not foresee: this desk and this hub do not speak the same
        // protocol.
        _ => Verdict::Global(GlobalProblem::Protocol),
    }
}

/// The longest wait between two tries.
pub const MAX_BACKOFF: Duration = Duration::from_secs(300);
/// The longest `Retry-After` honoured; a hub asking for more is asked again after this.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);
/// The first wait.
pub const FIRST_BACKOFF: Duration = Duration::from_secs(1);

/// How long to wait before try number `attempt + 1` after `attempt` failures in a row:
/// exponential from one second, capped at five minutes, spread by `jitter` (0–1, drawn by the
/// caller) over the upper half so that a commune's desks do not all come back at once, and
/// never sooner than the hub's `Retry-After`.
pub fn backoff(attempt: u32, retry_after: Option<Duration>, jitter: f64) -> Duration {
    let exp = FIRST_BACKOFF.saturating_mul(1u32 << attempt.min(16));
    let capped = exp.min(MAX_BACKOFF);
    let spread = capped.mul_f64(0.5 + 0.5 * jitter.clamp(0.0, 1.0));
    match retry_after {
        Some(asked) => spread.max(asked.min(MAX_RETRY_AFTER)),
        None => spread,
    }
}

/// How far the desk's clock may be from the hub's before sync stops and says so.
pub const MAX_CLOCK_SKEW: Duration = Duration::from_secs(600);

/// Whether two clocks (Unix seconds) disagree by more than [`MAX_CLOCK_SKEW`].
pub fn clock_off(desk_s: i64, hub_s: i64) -> bool {
    desk_s.abs_diff(hub_s) > MAX_CLOCK_SKEW.as_secs()
}

/// The next chunk to send of a file of `size` bytes of which the hub holds `offset`: its range,
/// or `None` when the hub holds it all.
pub fn next_chunk(offset: u64, size: u64, chunk: u64) -> Option<std::ops::Range<u64>> {
    (offset < size).then(|| offset..(offset + chunk.max(1)).min(size))
}

/// The size of the next chunk after `sent` bytes took `took`: about `seconds` of that rate,
/// between `min` and `max` (a slow link gets few round trips; a cut costs at most one chunk).
pub fn next_chunk_size(sent: u64, took: Duration, min: u64, max: u64, seconds: f64) -> u64 {
    let max = max.max(min);
    let rate = sent as f64 / took.as_secs_f64().max(0.001);
    ((rate * seconds) as u64).clamp(min, max)
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Option<Duration> = None;

    /// Operation, status, from the hub, the hub's code, Retry-After, the verdict.
    type Case = (
        Op,
        u16,
        bool,
        Option<HubErrorCode>,
        Option<Duration>,
        Verdict,
    );

    #[test]
    fn answers_are_judged_by_operation_status_and_origin() {
        use GlobalProblem as G;
        use Verdict::*;
        let ra = Some(Duration::from_secs(7));
        #[rustfmt::skip]
        let table: &[Case] = &[
            (Op::Batch, 201, true, None, S, Success),
            (Op::Patch, 204, true, None, S, Success),
            (Op::Head, 200, true, None, S, Success),
            (Op::Heartbeat, 202, true, None, S, Success),
            (Op::Enroll, 201, true, None, S, Success),
            // A captive portal: 200 with a login page, no protocol header.
            (Op::Batch, 200, false, None, S, Transient { retry_after: S }),
            (Op::Patch, 204, false, None, S, Transient { retry_after: S }),
            // A 200 where 201 is due: not success, asked again.
            (Op::Batch, 200, true, None, S, Transient { retry_after: S }),
            (Op::Create, 200, true, None, S, Transient { retry_after: S }),
            (Op::Patch, 200, true, None, S, Transient { retry_after: S }),
            (Op::Batch, 503, true, None, ra, Transient { retry_after: ra }),
            (Op::Patch, 502, true, None, S, Transient { retry_after: S }),
            (Op::Batch, 429, true, None, ra, Transient { retry_after: ra }),
            (Op::Patch, 423, true, None, S, Transient { retry_after: S }),
            (Op::Head, 408, true, None, S, Transient { retry_after: S }),
            (Op::Batch, 507, true, None, S, Transient { retry_after: S }),
            (Op::Patch, 460, true, Some(HubErrorCode::ChecksumMismatch), S, Transient { retry_after: S }),
            (Op::Patch, 460, true, Some(HubErrorCode::HashMismatch), S, Restart { damaged: true }),
            (Op::Patch, 409, true, Some(HubErrorCode::Conflict), S, Resync),
            (Op::Head, 404, true, None, S, Restart { damaged: false }),
            (Op::Patch, 410, true, None, S, Restart { damaged: false }),
            (Op::Create, 413, true, None, S, Reject(Rejection::TooLarge)),
            (Op::Patch, 413, true, None, S, Reject(Rejection::TooLarge)),
            (Op::Head, 403, true, None, S, Reject(Rejection::Forbidden)),
            (Op::Batch, 409, true, Some(HubErrorCode::Conflict), S, NewBatchId),
            (Op::Batch, 413, true, None, S, Split),
            (Op::Audit, 200, true, None, S, Success),
            (Op::Audit, 200, false, None, S, Transient { retry_after: S }),
            (Op::Audit, 409, true, Some(HubErrorCode::AuditFork), S, Reject(Rejection::AuditFork)),
            (Op::Audit, 422, true, Some(HubErrorCode::AuditChain), S, Reject(Rejection::AuditChain)),
            (Op::Audit, 413, true, None, S, Split),
            (Op::Audit, 404, true, Some(HubErrorCode::NotFound), S, Reject(Rejection::AuditUnsupported)),
            (Op::Audit, 400, true, None, S, Global(G::Protocol)),
            (Op::Batch, 401, true, None, S, Global(G::Credential)),
            (Op::Patch, 401, true, None, S, Global(G::Credential)),
            (Op::Enroll, 403, true, Some(HubErrorCode::EnrollmentCode), S, Global(G::EnrollmentCode)),
            (Op::Batch, 400, true, None, S, Global(G::Protocol)),
            (Op::Changes, 404, true, None, S, Global(G::Protocol)),
            (Op::Patch, 415, true, None, S, Global(G::Protocol)),
        ];
        for (op, status, from_hub, code, retry_after, want) in table {
            assert_eq!(
                judge(*op, *status, *from_hub, *code, *retry_after),
                *want,
                "{op:?} {status} from_hub={from_hub}"
            );
        }
    }

    #[test]
    fn backoff_grows_is_capped_jittered_and_honours_retry_after() {
        let s = Duration::from_secs;
        #[rustfmt::skip]
        let table: &[(u32, Option<Duration>, f64, Duration)] = &[
            (0, None, 1.0, s(1)),
            (0, None, 0.0, Duration::from_millis(500)),
            (1, None, 1.0, s(2)),
            (3, None, 1.0, s(8)),
            (8, None, 1.0, s(256)),
            (9, None, 1.0, MAX_BACKOFF),
            (40, None, 1.0, MAX_BACKOFF),
            (40, None, 0.0, s(150)),
            (0, Some(s(30)), 1.0, s(30)),
            (9, Some(s(30)), 1.0, MAX_BACKOFF),
            (0, Some(s(86_400)), 0.5, MAX_RETRY_AFTER),
            (2, None, 7.0, s(4)),
        ];
        for (attempt, retry_after, jitter, want) in table {
            assert_eq!(
                backoff(*attempt, *retry_after, *jitter),
                *want,
                "attempt {attempt}, retry-after {retry_after:?}, jitter {jitter}"
            );
        }
    }

    #[test]
    fn clocks_ten_minutes_apart_are_tolerated_and_more_is_not() {
        for (desk, hub, off) in [
            (1_000_000, 1_000_000, false),
            (1_000_000, 1_000_600, false),
            (1_000_601, 1_000_000, true),
            (0, 1_000_000, true),
        ] {
            assert_eq!(clock_off(desk, hub), off, "{desk} vs {hub}");
        }
    }

    #[test]
    fn chunks_grow_to_seconds_of_the_measured_rate_within_bounds() {
        let ms = Duration::from_millis;
        const K: u64 = 1024;
        #[rustfmt::skip]
        let table: &[(u64, Duration, u64, u64, f64, u64)] = &[
            // 2 Mbit/s: 512 KiB in 2.1 s → 8 s of it, about 2 MB.
            (512 * K, ms(2097), 512 * K, 8192 * K, 8.0, 2_000_144),
            // Loopback: capped.
            (512 * K, ms(5), 512 * K, 8192 * K, 8.0, 8192 * K),
            // A crawling link: never below the first size.
            (512 * K, ms(60_000), 512 * K, 8192 * K, 8.0, 512 * K),
            // A fixed size when min = max.
            (128 * K, ms(1), 128 * K, 128 * K, 8.0, 128 * K),
            // A max below min is read as min.
            (128 * K, ms(1), 256 * K, 64 * K, 8.0, 256 * K),
            (1000, Duration::ZERO, 1000, 1_000_000, 8.0, 1_000_000),
        ];
        for (sent, took, min, max, seconds, want) in table {
            assert_eq!(
                next_chunk_size(*sent, *took, *min, *max, *seconds),
                *want,
                "{sent} bytes in {took:?}"
            );
        }
    }

    #[test]
    fn chunks_cover_the_file_from_the_confirmed_offset() {
        for (offset, size, chunk, want) in [
            (0, 10, 4, Some(0..4)),
            (8, 10, 4, Some(8..10)),
            (10, 10, 4, None),
            (0, 0, 4, None),
            (3, 10, 0, Some(3..4)),
        ] {
            assert_eq!(next_chunk(offset, size, chunk), want, "{offset}/{size}");
        }
    }
}
