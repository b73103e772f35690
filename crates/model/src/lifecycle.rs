//! Trạng thái hồ sơ: a dossier's business state, as the national status codes, and the events
//! that move it. The state is never stored on its own: it is the fold of the dossier's
//! append-only event log ([`Lifecycle::apply`]), so the log and the state cannot disagree.
//! "Overdue" is not a state: it is derived from the due date and the clock.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// The national status codes (1–10) synced upstream, plus a local draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Not yet received (a form being filled; never synced).
    Draft,
    /// 1 — Mới đăng ký: submitted online, not yet received at the centre.
    SubmittedOnline,
    /// 2 — Đã tiếp nhận.
    Received,
    /// 3 — Từ chối tiếp nhận / không giải quyết.
    Refused,
    /// 4 — Đang xử lý (with the resolving unit).
    Processing,
    /// 5 — Yêu cầu bổ sung.
    SupplementRequested,
    /// 6 — Yêu cầu thực hiện nghĩa vụ tài chính.
    PaymentRequested,
    /// 7 — Công dân rút hồ sơ.
    Withdrawn,
    /// 8 — Dừng xử lý.
    Stopped,
    /// 9 — Đã xử lý xong (the result is back at the centre).
    Resolved,
    /// 10 — Đã trả kết quả.
    Returned,
}

impl Status {
    /// The national code, `None` for a local draft.
    pub fn national_code(self) -> Option<u8> {
        use Status::*;
        Some(match self {
            Draft => return None,
            SubmittedOnline => 1,
            Received => 2,
            Refused => 3,
            Processing => 4,
            SupplementRequested => 5,
            PaymentRequested => 6,
            Withdrawn => 7,
            Stopped => 8,
            Resolved => 9,
            Returned => 10,
        })
    }

    /// The stored and command-line name (`supplement_requested`…), as serde writes it.
    pub fn name(self) -> &'static str {
        use Status::*;
        match self {
            Draft => "draft",
            SubmittedOnline => "submitted_online",
            Received => "received",
            Refused => "refused",
            Processing => "processing",
            SupplementRequested => "supplement_requested",
            PaymentRequested => "payment_requested",
            Withdrawn => "withdrawn",
            Stopped => "stopped",
            Resolved => "resolved",
            Returned => "returned",
        }
    }

    pub fn from_name(name: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.name() == name.trim())
    }

    pub fn from_national_code(code: u8) -> Option<Status> {
        Status::ALL
            .into_iter()
            .find(|s| s.national_code() == Some(code))
    }

    pub const ALL: [Status; 11] = [
        Status::Draft,
        Status::SubmittedOnline,
        Status::Received,
        Status::Refused,
        Status::Processing,
        Status::SupplementRequested,
        Status::PaymentRequested,
        Status::Withdrawn,
        Status::Stopped,
        Status::Resolved,
        Status::Returned,
    ];

    /// Whether the dossier is finished (no further event but none).
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Status::Refused | Status::Withdrawn | Status::Stopped | Status::Returned
        )
    }
}

/// What can happen to a dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    Receive,
    /// Hand-over from the centre to the resolving unit.
    Transfer,
    /// The result comes back from the resolving unit to the centre.
    Back,
    SupplementRequest,
    SupplementReceived,
    Refuse,
    Withdraw,
    Stop,
    /// Resolved at the centre itself, with no transfer.
    Resolve,
    /// The result is handed to the citizen.
    Return,
}

impl EventKind {
    pub const ALL: [EventKind; 10] = [
        EventKind::Receive,
        EventKind::Transfer,
        EventKind::Back,
        EventKind::SupplementRequest,
        EventKind::SupplementReceived,
        EventKind::Refuse,
        EventKind::Withdraw,
        EventKind::Stop,
        EventKind::Resolve,
        EventKind::Return,
    ];

    /// The name used on the command line and in the log (`supplement-request`…).
    pub fn name(self) -> &'static str {
        use EventKind::*;
        match self {
            Receive => "receive",
            Transfer => "transfer",
            Back => "back",
            SupplementRequest => "supplement-request",
            SupplementReceived => "supplement-received",
            Refuse => "refuse",
            Withdraw => "withdraw",
            Stop => "stop",
            Resolve => "resolve",
            Return => "return",
        }
    }

    pub fn from_name(name: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|e| e.name() == name)
    }

    /// Whether the event needs written words: what to supplement (form 02), why it is refused
    /// (form 03) or stopped (form 05).
    pub fn needs_reason(self) -> bool {
        matches!(
            self,
            EventKind::SupplementRequest | EventKind::Refuse | EventKind::Stop
        )
    }
}

/// One entry of a dossier's event log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub kind: EventKind,
    pub at: Timestamp,
    /// What to supplement, or why it was refused or stopped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Người giao: who handed the dossier over (for a transfer or a result coming back).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub giver: Option<String>,
    /// Người nhận: who took it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taker: Option<String>,
    /// The account that recorded it on the desk (none for steps pulled from the hub and those
    /// recorded before accounts existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
}

impl Event {
    /// An event with no reason and no hand-over parties.
    pub fn new(kind: EventKind, at: Timestamp) -> Event {
        Event {
            kind,
            at,
            reason: None,
            giver: None,
            taker: None,
            actor: None,
        }
    }
}

/// The state folded from a dossier's events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lifecycle {
    pub status: Status,
    /// How many times supplementation was requested; more than one makes the dossier late.
    pub supplement_requests: u32,
    /// Whether the dossier went to the resolving unit (a supplement then returns it there).
    pub transferred: bool,
    /// The clock's pauses: (requested, received) of each supplementation round.
    pub pauses: Vec<(Timestamp, Option<Timestamp>)>,
    /// When it was finished (resolved, refused, withdrawn or stopped), for on-time counting.
    pub finished_at: Option<Timestamp>,
}

/// Why an event cannot happen now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionRefused {
    pub from: Status,
    pub event: EventKind,
}

impl Lifecycle {
    pub fn new(status: Status) -> Self {
        Lifecycle {
            status,
            supplement_requests: 0,
            transferred: false,
            pauses: Vec::new(),
            finished_at: None,
        }
    }

    /// The events allowed in the current state.
    pub fn allowed(&self) -> Vec<EventKind> {
        EventKind::ALL
            .into_iter()
            .filter(|e| self.target(*e).is_some())
            .collect()
    }

    fn target(&self, event: EventKind) -> Option<Status> {
        use EventKind as E;
        use Status as S;
        Some(match (self.status, event) {
            (S::Draft | S::SubmittedOnline, E::Receive) => S::Received,
            (S::Draft | S::SubmittedOnline, E::Refuse) => S::Refused,
            (S::Received, E::Transfer) => S::Processing,
            (S::Processing, E::Back) => S::Resolved,
            (S::Received, E::Resolve) => S::Resolved,
            (S::Received | S::Processing, E::SupplementRequest) => S::SupplementRequested,
            (S::SupplementRequested, E::SupplementReceived) => {
                if self.transferred {
                    S::Processing
                } else {
                    S::Received
                }
            }
            (S::Received | S::Processing | S::SupplementRequested, E::Refuse) => S::Refused,
            (
                S::Received | S::Processing | S::SupplementRequested | S::PaymentRequested,
                E::Withdraw,
            ) => S::Withdrawn,
            (S::Received | S::Processing | S::SupplementRequested, E::Stop) => S::Stopped,
            (S::Resolved, E::Return) => S::Returned,
            _ => return None,
        })
    }

    /// Applies one event, or says why it cannot happen now (nothing changes then).
    pub fn apply(&mut self, event: &Event) -> Result<(), TransitionRefused> {
        let to = self.target(event.kind).ok_or(TransitionRefused {
            from: self.status,
            event: event.kind,
        })?;
        match event.kind {
            EventKind::Transfer => self.transferred = true,
            EventKind::SupplementRequest => {
                self.supplement_requests += 1;
                self.pauses.push((event.at, None));
            }
            EventKind::SupplementReceived => {
                if let Some(last) = self.pauses.last_mut() {
                    last.1 = Some(event.at);
                }
            }
            _ => {}
        }
        if matches!(
            to,
            Status::Resolved | Status::Refused | Status::Withdrawn | Status::Stopped
        ) {
            self.finished_at = Some(event.at);
        }
        self.status = to;
        Ok(())
    }

    /// Folds a whole log from a starting state.
    pub fn replay(start: Status, events: &[Event]) -> Result<Lifecycle, TransitionRefused> {
        let mut state = Lifecycle::new(start);
        for event in events {
            state.apply(event)?;
        }
        Ok(state)
    }

    /// More than one supplementation request counts as late whatever the dates.
    pub fn late_by_rule(&self) -> bool {
        self.supplement_requests > 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(kind: EventKind, at: &str) -> Event {
        Event::new(kind, at.parse().unwrap())
    }

    #[test]
    fn status_names_are_the_serde_names() {
        for status in Status::ALL {
            assert_eq!(serde_json::to_value(status).unwrap(), status.name());
            assert_eq!(Status::from_name(status.name()), Some(status));
        }
    }

    #[test]
    fn national_codes_round_trip_and_a_draft_has_none() {
        for status in Status::ALL {
            if let Some(code) = status.national_code() {
                assert_eq!(Status::from_national_code(code), Some(status));
            }
        }
        assert_eq!(Status::Draft.national_code(), None);
        assert_eq!(Status::Returned.national_code(), Some(10));
    }

    #[test]
    fn a_dossier_goes_out_to_the_resolving_unit_back_and_to_the_citizen() {
        use EventKind::*;
        let log = [
            ev(Receive, "2026-03-02T02:00:00Z"),
            ev(Transfer, "2026-03-02T03:00:00Z"),
            ev(Back, "2026-03-03T03:00:00Z"),
            ev(Return, "2026-03-04T03:00:00Z"),
        ];
        let state = Lifecycle::replay(Status::Draft, &log).unwrap();
        assert_eq!(state.status, Status::Returned);
        assert!(state.transferred);
        assert_eq!(
            state.finished_at,
            Some("2026-03-03T03:00:00Z".parse().unwrap()),
            "finished when resolved"
        );
    }

    #[test]
    fn a_supplement_pauses_the_clock_and_returns_the_dossier_where_it_was() {
        use EventKind::*;
        let mut state = Lifecycle::replay(
            Status::Draft,
            &[
                ev(Receive, "2026-03-02T02:00:00Z"),
                ev(Transfer, "2026-03-02T03:00:00Z"),
            ],
        )
        .unwrap();
        state
            .apply(&ev(SupplementRequest, "2026-03-02T04:00:00Z"))
            .unwrap();
        assert_eq!(state.status, Status::SupplementRequested);
        state
            .apply(&ev(SupplementReceived, "2026-03-03T04:00:00Z"))
            .unwrap();
        assert_eq!(
            state.status,
            Status::Processing,
            "back with the resolving unit"
        );
        assert_eq!(
            state.pauses,
            vec![(
                "2026-03-02T04:00:00Z".parse().unwrap(),
                Some("2026-03-03T04:00:00Z".parse().unwrap())
            )]
        );
        assert!(!state.late_by_rule());
        state
            .apply(&ev(SupplementRequest, "2026-03-04T04:00:00Z"))
            .unwrap();
        assert!(
            state.late_by_rule(),
            "a second supplementation request counts as late"
        );
    }

    #[test]
    fn an_event_not_allowed_now_is_refused_and_changes_nothing() {
        use EventKind::*;
        let mut state =
            Lifecycle::replay(Status::Draft, &[ev(Receive, "2026-03-02T02:00:00Z")]).unwrap();
        let before = state.clone();
        for kind in [Return, Back, SupplementReceived, Receive] {
            let err = state.apply(&ev(kind, "2026-03-02T05:00:00Z")).unwrap_err();
            assert_eq!(
                err,
                TransitionRefused {
                    from: Status::Received,
                    event: kind
                }
            );
        }
        assert_eq!(state, before);
        assert_eq!(
            state.allowed(),
            vec![Transfer, SupplementRequest, Refuse, Withdraw, Stop, Resolve]
        );
    }

    #[test]
    fn finished_dossiers_allow_nothing_more() {
        use EventKind::*;
        for last in [Refuse, Withdraw, Stop] {
            let state = Lifecycle::replay(
                Status::Draft,
                &[
                    ev(Receive, "2026-03-02T02:00:00Z"),
                    ev(last, "2026-03-02T03:00:00Z"),
                ],
            )
            .unwrap();
            assert!(state.status.is_final());
            assert!(state.allowed().is_empty(), "{last:?} ends the dossier");
        }
    }

    #[test]
    fn event_names_are_those_of_the_command_line() {
        for kind in EventKind::ALL {
            assert_eq!(EventKind::from_name(kind.name()), Some(kind));
        }
        assert_eq!(
            EventKind::from_name("supplement-request"),
            Some(EventKind::SupplementRequest)
        );
        assert_eq!(EventKind::from_name("resolved"), None);
    }
}
