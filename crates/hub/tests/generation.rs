//! The hub's generation: on every successful authenticated answer, the same across starts, and
//! replaced by the one a restore leaves for the next start.

#[macro_use]
mod common;

use common::*;
use hoso_hub::backup::RENEW_GENERATION_FILE;
use reqwest::blocking::Client;

const HEADER: &str = "Hoso-Hub-Generation";

fn authenticated_answers_carry_the_generation_and_others_do_not(backend: Backend) {
    let hub = start(backend);
    let desk = hub.enroll(UNIT_A);
    let changes = authed(
        Client::new().get(format!("{}/v1/changes?after=0", hub.url)),
        &desk.token,
    )
    .send()
    .unwrap();
    assert_eq!(changes.status().as_u16(), 200);
    let generation = changes.headers()[HEADER].to_str().unwrap().to_owned();
    assert!(uuid::Uuid::parse_str(&generation).is_ok(), "{generation}");
    assert_eq!(
        hub.operator().db.generation(None).unwrap(),
        generation,
        "the one kept, the same on the next start"
    );

    let health = Client::new()
        .get(format!("{}/v1/health", hub.url))
        .send()
        .unwrap();
    assert!(!health.headers().contains_key(HEADER));
    let refused = authed(
        Client::new().get(format!("{}/v1/changes?after=0", hub.url)),
        "not-a-token",
    )
    .send()
    .unwrap();
    assert_eq!(refused.status().as_u16(), 401);
    assert!(!refused.headers().contains_key(HEADER));
}

on_both!(authenticated_answers_carry_the_generation_and_others_do_not);

#[test]
fn a_restore_leaves_a_new_generation_that_the_next_start_takes() {
    let dir = tempfile::tempdir().unwrap();
    let before = hoso_hub::open(dir.path())
        .unwrap()
        .db
        .generation(None)
        .unwrap();
    let renewed = uuid::Uuid::new_v4().to_string();
    std::fs::write(dir.path().join(RENEW_GENERATION_FILE), &renewed).unwrap();
    let hub = hoso_hub::open(dir.path()).unwrap();
    assert_ne!(before, renewed);
    assert_eq!(hub.db.generation(None).unwrap(), renewed);
    assert_eq!(hub.generation.as_ref().unwrap(), renewed.as_str());
    assert!(
        !dir.path().join(RENEW_GENERATION_FILE).exists(),
        "taken once"
    );
    drop(hub);
    assert_eq!(
        hoso_hub::open(dir.path())
            .unwrap()
            .db
            .generation(None)
            .unwrap(),
        renewed
    );
}
