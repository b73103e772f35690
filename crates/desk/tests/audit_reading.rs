//! The audit log as an auditor reads it: searching as one types is one entry, not one a
//! keystroke; a dossier is named by its code.

use std::sync::{Arc, Mutex};

use hoso_desk::{Clock, Desk};
use hoso_model::NewDossier;
use hoso_model::account::{AuditEntry, AuditFilter};
use jiff::{SignedDuration, Timestamp};

/// A clock the test moves on by hand.
#[derive(Clone)]
struct HandClock(Arc<Mutex<Timestamp>>);

impl HandClock {
    fn new() -> Self {
        HandClock(Arc::new(Mutex::new(
            "2026-03-05T02:00:00Z".parse().unwrap(),
        )))
    }

    fn advance(&self, seconds: i64) {
        let mut now = self.0.lock().unwrap();
        *now = now.checked_add(SignedDuration::from_secs(seconds)).unwrap();
    }
}

impl Clock for HandClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().unwrap()
    }
}

fn desk(clock: &HandClock) -> Desk {
    let store = hoso_store::Store::open_in_memory().unwrap();
    let desk = Desk::with_store(store, clock.clone()).unwrap();
    desk.set_unit(hoso_model::unit::Unit {
        code: "000.00.25.H25".into(),
        name: "Trung tâm Phục vụ hành chính công xã Thạch Hà".into(),
        governing_body: "UBND xã Thạch Hà".into(),
        device_slot: 0,
        office_hours: Default::default(),
    })
    .unwrap();
    desk
}

fn entries(desk: &Desk, action: &str) -> Vec<AuditEntry> {
    desk.audit_log(&AuditFilter {
        action: Some(action.into()),
        ..Default::default()
    })
    .unwrap()
}

#[test]
fn a_name_typed_letter_by_letter_is_one_search_in_the_audit_log() {
    let clock = HandClock::new();
    let desk = desk(&clock);
    for typed in ["n", "ng", "ngu", "nguy", "nguyen"] {
        desk.search(typed).unwrap();
        clock.advance(1);
    }
    assert_eq!(
        entries(&desk, "search").len(),
        1,
        "five keystrokes within a minute are one search"
    );

    clock.advance(60);
    desk.search("tran").unwrap();
    assert_eq!(
        entries(&desk, "search").len(),
        2,
        "a search a minute after the last one logged is a new one"
    );

    let found = desk
        .register(&NewDossier {
            procedure_code: "2.000815".into(),
            applicant_name: "Trần Văn Bình".into(),
            ..Default::default()
        })
        .unwrap();
    desk.detail(&found.id.0).unwrap();
    clock.advance(1);
    desk.search("tran").unwrap();
    assert_eq!(
        entries(&desk, "search").len(),
        3,
        "a search after something else was done is logged again at once"
    );
}

#[test]
fn an_entry_about_a_dossier_is_labelled_with_its_code_and_keeps_its_id() {
    let clock = HandClock::new();
    let desk = desk(&clock);
    let dossier = desk
        .register(&NewDossier {
            procedure_code: "2.000815".into(),
            applicant_name: "Trần Văn Bình".into(),
            ..Default::default()
        })
        .unwrap();
    desk.detail(&dossier.id.0).unwrap();
    let viewed = entries(&desk, "view");
    let entry = viewed
        .iter()
        .find(|e| e.object == dossier.id.0)
        .expect("the view is logged under the dossier's id");
    assert_eq!(
        entry.label, dossier.code,
        "the reader sees the code the citizen's receipt carries"
    );
    assert!(
        entries(&desk, "settings").iter().all(|e| e.label.is_none()),
        "what is not a dossier keeps its own name"
    );
}
