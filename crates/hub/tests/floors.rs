//! Code floors: with enrollment and the last page of changes, each desk learns the highest count
//! the hub holds per day for its own slot, read back from the codes of its unit's dossiers —
//! on SQLite and on PostgreSQL.

#[macro_use]
mod common;

use common::*;
use hoso_model::sync::{Batch, ChangeBody, Changes, CodeFloor};
use hoso_model::unit::RESTORED_FROM;
use reqwest::blocking::Client;

fn pull(hub: &Running, token: &str, query: &str) -> Changes {
    let response = authed(
        Client::new().get(format!("{}/v1/changes{query}", hub.url)),
        token,
    )
    .send()
    .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    response.json().unwrap()
}

fn floor(day: &str, issued: u32) -> CodeFloor {
    CodeFloor {
        day: day.into(),
        issued,
    }
}

fn each_desk_learns_its_own_slots_highest_count_per_day(backend: Backend) {
    let hub = start(backend);
    let one = hub.enroll(UNIT_A);
    let two = hub.enroll(UNIT_A);
    let other_unit = hub.enroll(UNIT_B);
    assert_eq!((one.slot, two.slot), (1, 2));
    assert_eq!(
        one.code_floors,
        Some(vec![]),
        "a fresh slot starts with nothing held, and says so"
    );
    let unit = |day: &str, seq: &str| format!("{UNIT_A}-{day}-{seq}");
    let codes = [
        unit("260305", "1001"),
        unit("260305", "1003"),
        unit("260305", "2001"),
        unit("260305", "11002"),
        unit("260306", "81001"),
        unit("260306", "0004"),
    ];
    let items = codes
        .iter()
        .enumerate()
        .map(|(i, code)| item(&format!("d-{i}"), code, 1, &[]))
        .collect();
    let answer = send(
        &hub.url,
        &one.token,
        &Batch {
            batch_id: "floors-1".into(),
            items,
        },
    );
    assert_eq!(answer.status().as_u16(), 201);

    assert_eq!(
        pull(&hub, &one.token, "").code_floors,
        Some(vec![floor("260305", 1001), floor("260306", RESTORED_FROM)]),
        "slot 1: its second block that day, and a restored desk's reserved range"
    );
    assert_eq!(
        pull(&hub, &two.token, "").code_floors,
        Some(vec![floor("260305", 1)]),
        "slot 2 counts only its own codes, whoever sent them"
    );
    assert_eq!(pull(&hub, &other_unit.token, "").code_floors, Some(vec![]));

    // A later desk in a slot of its own learns nothing of the others' numbers.
    let three = hub.enroll(UNIT_A);
    assert_eq!((three.slot, three.code_floors), (3, Some(vec![])));

    // A dossier the hub last heard of long ago is beyond the window.
    let operator = hub.operator();
    operator
        .db
        .write(|tx| {
            tx.execute(
                "UPDATE dossier SET updated_at_ms = 0 WHERE id = ?1",
                hoso_hub::vals!["d-4"],
            )
        })
        .unwrap();
    assert_eq!(
        pull(&hub, &one.token, "").code_floors,
        Some(vec![floor("260305", 1001)])
    );
}

fn floors_come_with_the_last_page_of_changes_only(backend: Backend) {
    let hub = start(backend);
    let desk = hub.enroll(UNIT_A);
    for n in 0..3 {
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
    let first = pull(&hub, &desk.token, "?after=0&limit=2");
    assert_eq!((first.more, first.code_floors), (true, None));
    let last = pull(&hub, &desk.token, &format!("?after={}&limit=2", first.next));
    assert_eq!((last.more, last.code_floors), (false, Some(vec![])));
}

on_both![
    each_desk_learns_its_own_slots_highest_count_per_day,
    floors_come_with_the_last_page_of_changes_only,
];
