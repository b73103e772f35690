//! The hub's JSON API over real HTTP on loopback, on a real SQLite file and on PostgreSQL:
//! health, enrollment, credentials, refusals as JSON, batches, one unit kept out of another's
//! data, changes and heartbeats, each desk's audit log.

#[macro_use]
mod common;

use std::collections::BTreeSet;

use common::*;
use hoso_model::DossierId;
use hoso_model::account::ChainedEntry;
use hoso_model::sync::{
    AuditHeld, AuditUpload, Batch, BatchAnswer, ChangeBody, Changes, ItemOutcome,
    MAX_AUDIT_ENTRIES, MAX_BATCH_BYTES, MAX_BATCH_ITEMS, RejectReason,
};
use reqwest::blocking::Client;

const DAY_MS: i64 = 24 * 3600 * 1000;

fn health_needs_no_credential_and_every_answer_is_stamped(backend: Backend) {
    let hub = start(backend);
    let health = Client::new()
        .get(format!("{}/v1/health", hub.url))
        .send()
        .unwrap();
    assert_eq!(health.status().as_u16(), 200);
    assert_eq!(health.headers()["Hoso-Protocol"], "1");
    assert!(
        health.headers().contains_key("Date"),
        "desks compare clocks"
    );
    let body: serde_json::Value = health.json().unwrap();
    assert_eq!(body, serde_json::json!({"protocol": "1"}));

    // Even what does not exist answers as the hub, in JSON.
    let nowhere = Client::new()
        .get(format!("{}/v1/nowhere", hub.url))
        .send()
        .unwrap();
    assert_eq!(nowhere.status().as_u16(), 404);
    assert_eq!(nowhere.headers()["Hoso-Protocol"], "1");
    assert_eq!(error_code(nowhere), "not_found");
    let wrong_method = Client::new()
        .delete(format!("{}/v1/batches", hub.url))
        .send()
        .unwrap();
    assert_eq!(wrong_method.status().as_u16(), 405);
    assert_eq!(wrong_method.headers()["Hoso-Protocol"], "1");
    assert_eq!(error_code(wrong_method), "bad_request");
}

fn an_enrollment_code_works_once_and_each_desk_gets_its_own_slot(backend: Backend) {
    let hub = start(backend);
    let a = hub.enroll(UNIT_A);
    let b = hub.enroll(UNIT_A);
    assert_eq!(a.unit.code, UNIT_A);
    assert_eq!(a.unit.name, "Xã Thạch Hà");
    assert_ne!(a.slot, b.slot);
    assert_eq!(a.token.len(), 43, "32 random bytes, base64url");

    let code = hub.code(UNIT_A);
    assert_eq!(
        hub.try_enroll(&code.to_lowercase()).status().as_u16(),
        201,
        "case does not matter"
    );
    let again = hub.try_enroll(&code);
    assert_eq!(again.status().as_u16(), 403);
    assert_eq!(again.headers()["Hoso-Protocol"], "1");
    assert_eq!(error_code(again), "enrollment_code");
    assert_eq!(hub.try_enroll("NOPE-NOPE").status().as_u16(), 403);

    // A code older than 7 days is refused; one of 6 days is not.
    let now = hoso_hub::api::now_ms();
    let old = hub.code_at(UNIT_A, now - 8 * DAY_MS);
    let expired = hub.try_enroll(&old);
    assert_eq!(expired.status().as_u16(), 403);
    assert_eq!(error_code(expired), "enrollment_code");
    let recent = hub.code_at(UNIT_A, now - 6 * DAY_MS);
    assert_eq!(hub.try_enroll(&recent).status().as_u16(), 201);
}

fn a_unit_has_nine_slots_and_a_tenth_desk_is_refused(backend: Backend) {
    let hub = start(backend);
    let slots: BTreeSet<u8> = (0..9).map(|_| hub.enroll(UNIT_B).slot).collect();
    assert_eq!(slots, (1..=9).collect(), "the lowest free slot each time");
    let code = hub.code(UNIT_B);
    let tenth = hub.try_enroll(&code);
    assert_eq!(tenth.status().as_u16(), 403);
    let body: serde_json::Value = tenth.json().unwrap();
    assert_eq!(body["code"], "enrollment_code");
    assert!(
        body["message"].as_str().unwrap().contains("no free slot"),
        "{body}"
    );
    // Another unit's slots are its own.
    assert_eq!(hub.enroll(UNIT_A).slot, 1);
}

fn requests_need_a_known_enabled_credential(backend: Backend) {
    let hub = start(backend);
    let desk = hub.enroll(UNIT_A);
    let changes = |authorization: &str| {
        Client::new()
            .get(format!("{}/v1/changes", hub.url))
            .header("Authorization", authorization)
            .send()
            .unwrap()
    };
    let bearer = format!("Bearer {}", desk.token);
    assert_eq!(changes(&bearer).status().as_u16(), 200);
    assert_eq!(
        changes(&format!("bearer {}", desk.token)).status().as_u16(),
        200,
        "the scheme's case does not matter"
    );
    assert_eq!(changes("Bearer not-a-token").status().as_u16(), 401);
    assert_eq!(
        changes(&format!("Basic {}", desk.token)).status().as_u16(),
        401
    );
    let bare = Client::new()
        .get(format!("{}/v1/changes", hub.url))
        .send()
        .unwrap();
    assert_eq!(bare.status().as_u16(), 401);
    assert_eq!(
        bare.headers()["Hoso-Protocol"],
        "1",
        "errors carry the header too"
    );
    assert_eq!(error_code(bare), "unauthorized");

    assert!(hub.operator().db.disable_device(&desk.device_id).unwrap());
    let disabled = changes(&bearer);
    assert_eq!(disabled.status().as_u16(), 401);
    assert_eq!(error_code(disabled), "unauthorized");
}

fn bodies_that_are_not_what_an_endpoint_takes_are_refused_in_json(backend: Backend) {
    let hub = start(backend);
    let token = hub.enroll(UNIT_A).token;
    let garbage = Client::new()
        .post(format!("{}/v1/enroll", hub.url))
        .header("Content-Type", "application/json")
        .body("{not json")
        .send()
        .unwrap();
    assert_eq!(garbage.status().as_u16(), 400);
    assert_eq!(garbage.headers()["Hoso-Protocol"], "1");
    assert_eq!(error_code(garbage), "bad_request");

    let beat = authed(
        Client::new().post(format!("{}/v1/heartbeat", hub.url)),
        &token,
    )
    .json(&serde_json::json!({"queue": "full"}))
    .send()
    .unwrap();
    assert_eq!(beat.status().as_u16(), 400);
    assert_eq!(error_code(beat), "bad_request");

    let query = authed(
        Client::new().get(format!("{}/v1/changes?after=yesterday", hub.url)),
        &token,
    )
    .send()
    .unwrap();
    assert_eq!(query.status().as_u16(), 400);
    assert_eq!(error_code(query), "bad_request");

    // A batch body over the cap: 413 before it is parsed.
    let huge = authed(
        Client::new().post(format!("{}/v1/batches", hub.url)),
        &token,
    )
    .header("Content-Type", "application/json")
    .body(vec![b' '; MAX_BATCH_BYTES + 1])
    .send()
    .unwrap();
    assert_eq!(huge.status().as_u16(), 413);
    assert_eq!(error_code(huge), "too_large");
    // Too many items.
    let page = bytes(100, 1);
    let many = Batch {
        batch_id: "many".into(),
        items: (0..=MAX_BATCH_ITEMS)
            .map(|n| {
                item(
                    &format!("d-{n}"),
                    &format!("{UNIT_A}-260305-{n:04}"),
                    1,
                    &[&page],
                )
            })
            .collect(),
    };
    let refused = send(&hub.url, &token, &many);
    assert_eq!(refused.status().as_u16(), 413);
    assert_eq!(error_code(refused), "too_large");
}

fn batches_are_answered_per_item_and_a_batch_id_means_one_content(backend: Backend) {
    let hub = start(backend);
    let token = hub.enroll(UNIT_A).token;
    let page = bytes(2000, 6);
    let missing = bytes(3000, 7);
    upload(&hub.url, &token, &page);
    let mut unlisted = item("d-5", "H25.123-260305-1005", 1, &[&page]);
    unlisted.files.clear();
    let mut renamed = item("d-6", "H25.123-260305-1006", 1, &[&page]);
    renamed.dossier_id = DossierId("d-7".into());
    let batch = Batch {
        batch_id: "b-1".into(),
        items: vec![
            item("d-1", "H25.123-260305-1001", 3, &[&page]),
            item("d-2", "H25.123-260305-1002", 1, &[&missing]),
            item("d-3", "H25.999-260305-1003", 1, &[&page]),
            unlisted,
            renamed,
            item("d-4", "H25.123-260305-1004", 1, &[&page]),
        ],
    };
    let first = send(&hub.url, &token, &batch);
    assert_eq!(first.status().as_u16(), 201);
    let answer: BatchAnswer = first.json().unwrap();
    assert_eq!(answer.batch_id, "b-1");
    let outcomes: Vec<ItemOutcome> = answer.results.iter().map(|r| r.outcome.clone()).collect();
    let invalid = ItemOutcome::Rejected {
        reason: RejectReason::Invalid,
    };
    assert_eq!(
        outcomes,
        vec![
            ItemOutcome::Accepted { duplicate: false },
            ItemOutcome::MissingFiles {
                sha256: vec![hex_sha256(&missing)]
            },
            invalid.clone(), // a code of another unit
            invalid.clone(), // a page whose file is not listed
            invalid,         // a record under another dossier's id
            // Bad items before it do not block a good one.
            ItemOutcome::Accepted { duplicate: false },
        ]
    );
    // The same batch again: the same answer, nothing kept twice.
    let again = send(&hub.url, &token, &batch);
    assert_eq!(again.status().as_u16(), 201);
    assert_eq!(again.json::<BatchAnswer>().unwrap(), answer);
    // The same id with other content: 409.
    let mut changed = batch.clone();
    changed.items.pop();
    let conflict = send(&hub.url, &token, &changed);
    assert_eq!(conflict.status().as_u16(), 409);
    assert_eq!(error_code(conflict), "conflict");

    // The missing file arrives; the version is sent again under a new id and kept.
    upload(&hub.url, &token, &missing);
    let retry = Batch {
        batch_id: "b-2".into(),
        items: vec![
            item("d-2", "H25.123-260305-1002", 1, &[&missing]),
            // A retry of d-1's version: a duplicate. The same version with other content: refused.
            item("d-1", "H25.123-260305-1001", 3, &[&page]),
            item("d-1", "H25.123-260305-1001", 3, &[&missing]),
            // An older version arriving late is kept, but the dossier stays at its highest.
            item("d-1", "H25.123-260305-1001", 2, &[&page]),
        ],
    };
    let answer: BatchAnswer = send(&hub.url, &token, &retry).json().unwrap();
    let outcomes: Vec<ItemOutcome> = answer.results.iter().map(|r| r.outcome.clone()).collect();
    assert_eq!(
        outcomes,
        vec![
            ItemOutcome::Accepted { duplicate: false },
            ItemOutcome::Accepted { duplicate: true },
            ItemOutcome::Rejected {
                reason: RejectReason::VersionConflict
            },
            ItemOutcome::Accepted { duplicate: false },
        ]
    );
    let listed = hub.operator().db.dossiers(UNIT_A).unwrap();
    assert_eq!(listed.len(), 3, "each dossier once: {listed:?}");
    let d1 = listed.iter().find(|d| d["id"] == "d-1").unwrap();
    assert_eq!(d1["version"], 3, "the highest version is current");
    assert_eq!(d1["files"], 1);
}

fn one_unit_cannot_read_or_write_anothers_data(backend: Backend) {
    let hub = start(backend);
    let a = hub.enroll(UNIT_A).token;
    let b = hub.enroll(UNIT_B).token;
    let file = bytes(1000, 8);
    let (location, _) = create(&hub.url, &a, &file[..]);
    // B cannot see, write or end A's upload: to B it does not exist.
    assert_eq!(head(&location, &b).status().as_u16(), 404);
    assert_eq!(patch(&location, &b, 0, &file).status().as_u16(), 404);
    let end = tus(Client::new().delete(&location), &b).send().unwrap();
    assert_eq!(end.status().as_u16(), 404);
    assert_eq!(patch(&location, &a, 0, &file).status().as_u16(), 204);
    let hash = hex_sha256(&file);
    assert_eq!(download(&hub.url, &a, &hash).status().as_u16(), 200);
    assert_eq!(
        download(&hub.url, &b, &hash).status().as_u16(),
        404,
        "B does not hold A's file"
    );
    // Naming the hash is not holding the file: B must send the bytes itself.
    let (_, created) = create(&hub.url, &b, &file);
    assert_eq!(offset_of(&created), 0);

    let mine = Batch {
        batch_id: "a-1".into(),
        items: vec![item("d-a", "H25.123-260305-1001", 1, &[&file])],
    };
    let answer: BatchAnswer = send(&hub.url, &a, &mine).json().unwrap();
    assert_eq!(
        answer.results[0].outcome,
        ItemOutcome::Accepted { duplicate: false }
    );
    // B claims A's dossier with a code of its own unit: refused as another unit's.
    let theirs = Batch {
        batch_id: "b-1".into(),
        items: vec![item("d-a", "H25.456-260305-1001", 2, &[])],
    };
    let answer: BatchAnswer = send(&hub.url, &b, &theirs).json().unwrap();
    assert_eq!(
        answer.results[0].outcome,
        ItemOutcome::Rejected {
            reason: RejectReason::OtherUnit
        }
    );
    // A batch id is per unit: B's "a-1" is not A's.
    let answer: BatchAnswer = send(
        &hub.url,
        &b,
        &Batch {
            batch_id: "a-1".into(),
            items: vec![],
        },
    )
    .json()
    .unwrap();
    assert!(answer.results.is_empty());
    // Changes are per unit.
    hub.operator()
        .db
        .add_change(
            Some(UNIT_A),
            &ChangeBody::Unit {
                name: "Xã mới".into(),
            },
            0,
        )
        .unwrap();
    let pull = |token: &str| -> Changes {
        authed(
            Client::new().get(format!("{}/v1/changes?after=0", hub.url)),
            token,
        )
        .send()
        .unwrap()
        .json()
        .unwrap()
    };
    assert_eq!(pull(&a).changes.len(), 1);
    assert_eq!(pull(&b).changes.len(), 0);
}

fn changes_come_in_pages_and_heartbeats_reach_the_operator(backend: Backend) {
    let hub = start(backend);
    let desk = hub.enroll(UNIT_A);
    for n in 0..7 {
        hub.operator()
            .db
            .add_change(
                Some(UNIT_A),
                &ChangeBody::Unit {
                    name: format!("Xã {n}"),
                },
                0,
            )
            .unwrap();
    }
    let page = |query: &str| -> Changes {
        let response = authed(
            Client::new().get(format!("{}/v1/changes{query}", hub.url)),
            &desk.token,
        )
        .send()
        .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        response.json().unwrap()
    };
    let all = page("");
    assert_eq!(
        (all.changes.len(), all.more),
        (7, false),
        "after=0 by default"
    );
    let first = page("?after=0&limit=3");
    assert_eq!((first.changes.len(), first.more), (3, true));
    let second = page(&format!("?after={}&limit=3", first.next));
    assert!(second.changes[0].seq > first.changes[2].seq, "ascending");
    let third = page(&format!("?after={}&limit=3", second.next));
    assert_eq!((third.changes.len(), third.more), (1, false));
    assert_eq!(
        third.changes[0].body,
        ChangeBody::Unit {
            name: "Xã 6".into()
        }
    );
    let empty = page(&format!("?after={}&limit=3", third.next));
    assert_eq!(empty.changes.len(), 0);
    assert_eq!(empty.next, third.next, "the cursor stays");

    let beat = hoso_model::sync::Heartbeat {
        app_version: "0.1.1".into(),
        queue_dossiers: 4,
        queue_files: 9,
        queue_bytes: 123_456,
        oldest_unsent_at: None,
        quarantined: 1,
        sent_at: jiff::Timestamp::now(),
    };
    let sent = authed(
        Client::new().post(format!("{}/v1/heartbeat", hub.url)),
        &desk.token,
    )
    .json(&beat)
    .send()
    .unwrap();
    assert_eq!(sent.status().as_u16(), 202);
    let devices = hub.operator().db.devices().unwrap();
    let me = devices
        .iter()
        .find(|d| d["id"] == desk.device_id.as_str())
        .unwrap();
    assert_eq!(me["heartbeat"]["queue_dossiers"], 4);
    assert_eq!(me["heartbeat"]["quarantined"], 1);
    assert_eq!(me["app_version"], "0.1.1");
    assert!(me["heartbeat_at_ms"].as_i64().is_some());
    assert!(me["last_contact_ms"].as_i64().is_some());
}

/// `n` entries of a desk's audit log from `first`, chained to `prev`.
fn chain(first: u64, n: u64, mut prev: String) -> Vec<ChainedEntry> {
    (first..first + n)
        .map(|seq| {
            let mut entry = ChainedEntry {
                seq,
                at_ms: 1_780_000_000_000 + seq as i64,
                actor: "lan".into(),
                action: "view".into(),
                object: format!("dossier-{seq}"),
                detail: String::new(),
                prev: prev.clone(),
                hash: String::new(),
            };
            entry.hash = entry.computed_hash();
            prev.clone_from(&entry.hash);
            entry
        })
        .collect()
}

fn post_audit(hub: &Running, token: &str, entries: &[ChainedEntry]) -> reqwest::blocking::Response {
    authed(Client::new().post(format!("{}/v1/audit", hub.url)), token)
        .json(&AuditUpload {
            entries: entries.to_vec(),
        })
        .send()
        .unwrap()
}

fn held(response: reqwest::blocking::Response) -> u64 {
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["Hoso-Protocol"], "1");
    response.json::<AuditHeld>().unwrap().held
}

fn audit_logs_are_kept_per_desk_in_order_once_and_a_changed_entry_is_refused(backend: Backend) {
    let hub = start(backend);
    let desk = hub.enroll(UNIT_A);
    let other = hub.enroll(UNIT_A);
    let log = chain(1, 8, String::new());

    assert_eq!(held(post_audit(&hub, &desk.token, &log[..5])), 5);
    // Sent again (the answer was lost on the way) with what follows: recognised, extended.
    assert_eq!(held(post_audit(&hub, &desk.token, &log[3..8])), 8);
    assert_eq!(
        held(post_audit(&hub, &desk.token, &log)),
        8,
        "nothing twice"
    );
    // After a gap the hub takes nothing and says where its copy ends.
    let later = chain(9, 3, log[7].hash.clone());
    assert_eq!(held(post_audit(&hub, &desk.token, &later[1..])), 8);
    assert_eq!(held(post_audit(&hub, &desk.token, &later)), 11);
    // Each desk's log is its own: the other desk starts at 1.
    assert_eq!(held(post_audit(&hub, &other.token, &log[..2])), 2);

    // An entry that differs from the hub's copy, even with its own hash recomputed: a fork.
    let mut changed = log[2].clone();
    changed.object = "dossier-99".into();
    changed.hash = changed.computed_hash();
    let refused = post_audit(&hub, &desk.token, &[changed]);
    assert_eq!(refused.status().as_u16(), 409);
    assert_eq!(error_code(refused), "audit_fork");
    // A next entry whose hash is not its own, or that links to another entry: not a chain.
    let mut forged = chain(12, 1, later[2].hash.clone());
    forged[0].detail = "pages=3".into();
    let refused = post_audit(&hub, &desk.token, &forged);
    assert_eq!(refused.status().as_u16(), 422);
    assert_eq!(error_code(refused), "audit_chain");
    let unlinked = chain(12, 1, log[0].hash.clone());
    assert_eq!(
        post_audit(&hub, &desk.token, &unlinked).status().as_u16(),
        422
    );
    let too_many = chain(12, MAX_AUDIT_ENTRIES as u64 + 1, later[2].hash.clone());
    assert_eq!(
        post_audit(&hub, &desk.token, &too_many).status().as_u16(),
        413
    );
    let no_credential = Client::new()
        .post(format!("{}/v1/audit", hub.url))
        .json(&AuditUpload { entries: vec![] })
        .send()
        .unwrap();
    assert_eq!(no_credential.status().as_u16(), 401);

    // The operator reads the log as the desk chained it and walks it whole.
    let operator = hub.operator();
    let kept = operator.db.audit(&desk.device_id, 0, 100).unwrap();
    assert_eq!(kept.len(), 11);
    assert_eq!(kept[..8], log[..]);
    assert_eq!(
        operator.db.audit(&desk.device_id, 9, 100).unwrap()[0].seq,
        10
    );
    let walks = operator.db.verify_audit(Some(UNIT_A)).unwrap();
    let mine = walks.iter().find(|w| w.device == desk.device_id).unwrap();
    assert_eq!((mine.entries, mine.first_broken), (11, None));
    assert!(operator.db.verify_audit(Some(UNIT_B)).unwrap().is_empty());
    // The hub's copy is append-only.
    let edit = operator.db.write(|tx| {
        tx.execute(
            "UPDATE audit_entry SET object = 'x' WHERE seq = 1",
            hoso_hub::vals![],
        )
    });
    assert!(edit.is_err(), "an audit entry cannot be changed on the hub");
    let removal = operator
        .db
        .write(|tx| tx.execute("DELETE FROM audit_entry", hoso_hub::vals![]));
    assert!(removal.is_err(), "nor removed");
}

on_both![
    audit_logs_are_kept_per_desk_in_order_once_and_a_changed_entry_is_refused,
    health_needs_no_credential_and_every_answer_is_stamped,
    an_enrollment_code_works_once_and_each_desk_gets_its_own_slot,
    a_unit_has_nine_slots_and_a_tenth_desk_is_refused,
    requests_need_a_known_enabled_credential,
    bodies_that_are_not_what_an_endpoint_takes_are_refused_in_json,
    batches_are_answered_per_item_and_a_batch_id_means_one_content,
    one_unit_cannot_read_or_write_anothers_data,
    changes_come_in_pages_and_heartbeats_reach_the_operator,
];
