//! The sync outbox: raised by triggers in the transaction of every change, so nothing committed
//! can be missed, and an edit made while a version is on its way gives a newer version.

use hoso_model::lifecycle::{Event, EventKind, Status};
use hoso_model::page::{OcrState, Target};
use hoso_model::sync::{FileProgress, Waiting};
use hoso_model::{Channel, Dossier, DossierId};
use hoso_store::sync::{self as outbox, DossierSync};
use hoso_store::{Store, dossiers, events, pages};
use rusqlite::Transaction;

fn dossier(n: u32) -> Dossier {
    Dossier {
        id: DossierId(format!("id-{n}")),
        procedure_code: "2.000815".into(),
        applicant_name: format!("Người nộp {n}"),
        received_at: jiff::Timestamp::from_second(1_772_672_400 + i64::from(n)).unwrap(),
        code: Some(format!("H25.123-260305-{n:04}")),
        status: Status::Received,
        due_at: None,
        id_number: None,
        phone: None,
        address: None,
        email: None,
        channel: Channel::Direct,
    }
}

fn register(tx: &Transaction<'_>, n: u32) -> Result<(), hoso_store::Error> {
    let d = dossier(n);
    dossiers::insert(tx, &d)?;
    events::append(tx, &d.id, &Event::new(EventKind::Receive, d.received_at))
}

fn add_page(tx: &Transaction<'_>, n: u32, page: &str, hash: &str, size: u64) {
    pages::insert_blob(tx, hash, size, "image/jpeg", 0).unwrap();
    pages::insert(
        tx,
        &pages::NewPage {
            id: page,
            dossier_id: &format!("id-{n}"),
            target: &Target::Component { n: 1 },
            blob_hash: hash,
            pdf_page: None,
            width: 2480,
            height: 3508,
            dpi: Some(300),
            skew: 0.0,
            ink: 0.1,
            blank: false,
            colour: false,
            qr: None,
            phash: 7,
            source: "scan",
            source_name: "test",
            thumbnail: b"jpeg",
            ocr_state: OcrState::Pending,
            created_at_ms: 0,
        },
    )
    .unwrap();
}

fn waiting(store: &Store) -> Vec<Waiting> {
    store.read(|tx| outbox::waiting(tx, i64::MAX, 100)).unwrap()
}

fn id(n: u32) -> DossierId {
    DossierId(format!("id-{n}"))
}

#[test]
fn every_change_raises_the_version_and_only_the_version_sent_is_acknowledged() {
    let store = Store::open_in_memory().unwrap();
    store.write(|tx| register(tx, 1)).unwrap();
    let first = waiting(&store);
    assert_eq!(first.len(), 1);
    let sent = first[0].version;

    // While that version is on its way, the officer scans a page.
    store
        .write(|tx| {
            add_page(tx, 1, "p1", &"a".repeat(64), 1000);
            Ok::<_, hoso_store::Error>(())
        })
        .unwrap();
    let newer = waiting(&store)[0].version;
    assert!(newer > sent, "{newer} > {sent}");

    // The hub accepts what was sent: the newer version still waits.
    store
        .write(|tx| outbox::acknowledge(tx, &id(1), sent))
        .unwrap();
    assert_eq!(
        waiting(&store),
        vec![Waiting {
            dossier_id: id(1),
            version: newer
        }]
    );
    assert_eq!(
        store.read(|tx| outbox::state_of(tx, &id(1))).unwrap(),
        Some(DossierSync::Waiting)
    );

    store
        .write(|tx| outbox::acknowledge(tx, &id(1), newer))
        .unwrap();
    assert!(waiting(&store).is_empty());
    assert_eq!(
        store.read(|tx| outbox::state_of(tx, &id(1))).unwrap(),
        Some(DossierSync::Synced)
    );

    // Recognised text stays on the desk: no new version. A turn of the page is sent.
    store
        .write(|tx| pages::set_text(tx, "p1", Some(("chữ", "[]", 0.9))))
        .unwrap();
    assert!(waiting(&store).is_empty(), "OCR text is not sent");
    store
        .write(|tx| pages::set_rotation(tx, "p1", 90, b"jpeg").map(drop))
        .unwrap();
    assert_eq!(waiting(&store).len(), 1, "a rotation is sent");
}

#[test]
fn a_record_carries_the_dossier_its_log_its_pages_and_each_file_once() {
    let store = Store::open_in_memory().unwrap();
    let hash = "b".repeat(64);
    store
        .write(|tx| {
            register(tx, 2)?;
            add_page(tx, 2, "p1", &hash, 5000);
            add_page(tx, 2, "p2", &hash, 5000);
            pages::set_component(tx, "id-2", 1, true, Some(2))
        })
        .unwrap();
    let (version, record, files) = store
        .read(|tx| outbox::record(tx, &id(2)))
        .unwrap()
        .unwrap();
    assert_eq!(version, waiting(&store)[0].version);
    assert_eq!(record.code.as_deref(), Some("H25.123-260305-0002"));
    assert_eq!(record.events.len(), 1);
    assert_eq!(record.pages.len(), 2);
    assert_eq!(record.pages[1].position, 2);
    assert_eq!(record.components.len(), 1);
    assert_eq!(files.len(), 1, "the same file is named once");
    assert_eq!(files[0].size, 5000);

    let summary = store.read(outbox::summary).unwrap();
    assert_eq!(
        (summary.dossiers, summary.files, summary.bytes),
        (1, 1, 5000)
    );
    store
        .write(|tx| {
            outbox::set_file_progress(
                tx,
                &hash,
                &FileProgress {
                    upload_url: Some("http://hub/v1/files/x".into()),
                    confirmed: 1200,
                    done: false,
                },
            )
        })
        .unwrap();
    assert_eq!(store.read(outbox::summary).unwrap().bytes, 3800);
}

#[test]
fn a_refused_version_is_set_aside_and_the_next_change_is_tried_again() {
    let store = Store::open_in_memory().unwrap();
    store
        .write(|tx| {
            register(tx, 3)?;
            register(tx, 4)
        })
        .unwrap();
    let v3 = waiting(&store)
        .into_iter()
        .find(|w| w.dossier_id == id(3))
        .unwrap()
        .version;
    store
        .write(|tx| outbox::quarantine(tx, &id(3), v3, "version_conflict"))
        .unwrap();
    assert_eq!(waiting(&store).len(), 1, "the other dossier goes on");
    let summary = store.read(outbox::summary).unwrap();
    assert_eq!((summary.dossiers, summary.quarantined), (2, 1));
    let set_aside = store.read(outbox::quarantined).unwrap();
    assert_eq!(set_aside[0].reason, "version_conflict");

    // The officer corrects the dossier: the new version is tried.
    store
        .write(|tx| {
            events::append(
                tx,
                &id(3),
                &Event::new(EventKind::Resolve, jiff::Timestamp::now()),
            )
        })
        .unwrap();
    assert_eq!(waiting(&store).len(), 2);

    // Backing off: not offered before its time, offered after.
    store
        .write(|tx| outbox::retry_later(tx, &id(4), 5_000).map(drop))
        .unwrap();
    let now_waiting = store.read(|tx| outbox::waiting(tx, 4_999, 100)).unwrap();
    assert_eq!(now_waiting.len(), 1);
    assert_eq!(store.read(|tx| outbox::next_try(tx, 0)).unwrap(), None);
    store
        .write(|tx| outbox::retry_later(tx, &id(3), 7_000).map(drop))
        .unwrap();
    assert_eq!(
        store.read(|tx| outbox::next_try(tx, 0)).unwrap(),
        Some(5_000)
    );
    assert_eq!(
        store
            .read(|tx| outbox::waiting(tx, 7_000, 100))
            .unwrap()
            .len(),
        2
    );
}
