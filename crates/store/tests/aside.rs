//! A deleted page set aside: gone from its dossier at once, back in its place when the deletion
//! is undone, deleted for good (with its file) after the grace period.

use hoso_model::lifecycle::{Event, EventKind, Status};
use hoso_model::page::{OcrState, Target};
use hoso_model::{Channel, Dossier, DossierId};
use hoso_store::pages::{self, RestoreRefusal, UNDO_GRACE_MS};
use hoso_store::sync as outbox;
use hoso_store::{Store, dossiers, events, supervision};
use rusqlite::Transaction;

const DOSSIER: &str = "id-1";
const T0: i64 = 1_772_672_400_000;

fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in(dir.path()).unwrap().store;
    store
        .write(|tx| {
            let d = Dossier {
                id: DossierId(DOSSIER.into()),
                procedure_code: "2.000815".into(),
                applicant_name: "Người nộp".into(),
                received_at: jiff::Timestamp::from_millisecond(T0).unwrap(),
                code: Some("H25.123-260305-0001".into()),
                status: Status::Received,
                due_at: None,
                id_number: None,
                phone: None,
                address: None,
                email: None,
                channel: Channel::Direct,
            };
            dossiers::insert(tx, &d)?;
            events::append(tx, &d.id, &Event::new(EventKind::Receive, d.received_at))
        })
        .unwrap();
    (dir, store)
}

fn add(tx: &Transaction<'_>, page: &str, hash: &str, target: &Target) {
    pages::insert_blob(tx, hash, 1000, "image/jpeg", T0).unwrap();
    pages::insert(
        tx,
        &pages::NewPage {
            id: page,
            dossier_id: DOSSIER,
            target,
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
            created_at_ms: T0,
        },
    )
    .unwrap();
}

/// Three pages of component 1 (`a`, `b`, `c`, each its own file) and one result page `r`.
fn three_pages(store: &Store) {
    store
        .write(|tx| {
            let one = Target::Component { n: 1 };
            add(tx, "a", "hash-a", &one);
            add(tx, "b", "hash-b", &one);
            add(tx, "c", "hash-c", &one);
            add(tx, "r", "hash-r", &Target::Result { code: None });
            Ok::<_, hoso_store::Error>(())
        })
        .unwrap();
}

fn order(store: &Store) -> Vec<(String, Target, u32, Option<String>)> {
    store
        .read(|tx| pages::list(tx, DOSSIER))
        .unwrap()
        .into_iter()
        .map(|p| (p.id, p.target, p.position, p.note_of))
        .collect()
}

#[test]
fn a_page_set_aside_comes_back_to_its_place_with_its_turn_and_text() {
    let (_dir, store) = open();
    three_pages(&store);
    store
        .write(|tx| {
            pages::set_rotation(tx, "b", 90, b"turned")?;
            pages::set_text(tx, "b", Some(("Giấy khai sinh", "[]", 90.0)))
        })
        .unwrap();
    let before = order(&store);
    let row_before = store.read(|tx| pages::get(tx, "b")).unwrap().unwrap();

    let set = store.write(|tx| pages::set_aside(tx, "b", T0)).unwrap();
    assert_eq!(set.map(|p| p.id).as_deref(), Some("b"));
    assert_eq!(
        order(&store)
            .iter()
            .map(|(id, _, at, _)| (id.as_str(), *at))
            .collect::<Vec<_>>(),
        [("a", 1), ("c", 2), ("r", 1)],
        "the gap closes at once"
    );
    let found = store
        .read(|tx| pages::search_text(tx, "khai*", 10))
        .unwrap();
    assert!(
        found.is_empty(),
        "a page set aside is not found by its text"
    );

    let back = store.write(|tx| pages::restore(tx, "b")).unwrap();
    assert_eq!(back, Ok(DOSSIER.to_owned()));
    assert_eq!(order(&store), before, "the same pages in the same order");
    let row_after = store.read(|tx| pages::get(tx, "b")).unwrap().unwrap();
    assert_eq!(row_after, row_before, "target, turn and all else as before");
    assert_eq!(
        store.read(|tx| pages::text(tx, "b")).unwrap().as_deref(),
        Some("Giấy khai sinh")
    );
    let found = store
        .read(|tx| pages::search_text(tx, "khai*", 10))
        .unwrap();
    assert_eq!(found, [DOSSIER], "its text is searchable again");
}

#[test]
fn a_page_set_aside_is_not_counted_read_or_sent_until_the_grace_period_is_over() {
    let (_dir, store) = open();
    three_pages(&store);
    store.write(|tx| pages::set_aside(tx, "a", T0)).unwrap();
    let id = DossierId(DOSSIER.into());

    let (components, results) = store.read(|tx| supervision::page_counts(tx, &id)).unwrap();
    assert_eq!(components, [(1, 2, 0)], "two pages left in component 1");
    assert_eq!(results, 1);
    let jobs = store
        .read(|tx| pages::waiting_for_text(tx, 10, &[]))
        .unwrap();
    assert!(
        jobs.iter().all(|j| j.page_id != "a"),
        "a page set aside is not read"
    );

    let waiting = |now| store.read(|tx| outbox::waiting(tx, now, 10)).unwrap();
    assert!(
        waiting(T0 + 1000).is_empty(),
        "a deletion that may still be undone stays on the desk"
    );
    assert_eq!(
        store.read(|tx| outbox::next_try(tx, T0 + 1000)).unwrap(),
        Some(T0 + UNDO_GRACE_MS),
        "the engine is told when the dossier may go"
    );
    let after = waiting(T0 + UNDO_GRACE_MS);
    assert_eq!(after.len(), 1, "after the grace period the deletion goes");
    let (_, record, files) = store.read(|tx| outbox::record(tx, &id)).unwrap().unwrap();
    assert!(record.pages.iter().all(|p| p.id != "a"));
    assert_eq!(record.pages.len(), 3);
    assert!(
        files.iter().all(|f| f.sha256 != "hash-a"),
        "its file is not uploaded"
    );
    let summary = store.read(outbox::summary).unwrap();
    assert_eq!(summary.files, 3, "its file is not counted as waiting");
}

#[test]
fn a_deletion_undone_raises_the_version_and_the_dossier_goes_at_once() {
    let (_dir, store) = open();
    three_pages(&store);
    let id = DossierId(DOSSIER.into());
    let version = |store: &Store| store.read(|tx| outbox::version(tx, &id)).unwrap().unwrap();
    let v0 = version(&store);
    store.write(|tx| pages::set_aside(tx, "c", T0)).unwrap();
    store.write(|tx| pages::restore(tx, "c")).unwrap().unwrap();
    assert!(version(&store) > v0, "a change the hub may not have seen");
    let waiting = store.read(|tx| outbox::waiting(tx, T0 + 1, 10)).unwrap();
    assert_eq!(waiting.len(), 1, "nothing is held once the page is back");
    let (_, record, files) = store.read(|tx| outbox::record(tx, &id)).unwrap().unwrap();
    assert!(record.pages.iter().any(|p| p.id == "c" && p.position == 3));
    assert!(files.iter().any(|f| f.sha256 == "hash-c"));
}

#[test]
fn the_release_deletes_for_good_only_after_the_grace_period_and_names_unused_files() {
    let (_dir, store) = open();
    three_pages(&store);
    // Page `d` shares `a`'s file: that file stays while `d` names it.
    store
        .write(|tx| {
            add(tx, "d", "hash-a", &Target::Component { n: 2 });
            Ok::<_, hoso_store::Error>(())
        })
        .unwrap();
    store.write(|tx| pages::set_aside(tx, "a", T0)).unwrap();
    store.write(|tx| pages::set_aside(tx, "b", T0)).unwrap();

    let early = store
        .write(|tx| pages::release_expired(tx, T0 - 1))
        .unwrap();
    assert_eq!(early, pages::Released::default(), "nothing before its time");
    assert_eq!(
        store.write(|tx| pages::restore(tx, "b")).unwrap(),
        Ok(DOSSIER.into())
    );
    store.write(|tx| pages::set_aside(tx, "b", T0)).unwrap();

    let released = store.write(|tx| pages::release_expired(tx, T0)).unwrap();
    assert_eq!(released.pages, 2);
    assert_eq!(
        released.files,
        ["hash-b"],
        "a file another page names stays"
    );
    assert_eq!(
        store.read(|tx| pages::released(tx, 10)).unwrap(),
        ["hash-b"],
        "the file is named for removal in the same transaction"
    );
    assert!(
        store
            .read(|tx| pages::blob_media_type(tx, "hash-b"))
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .read(|tx| pages::blob_media_type(tx, "hash-a"))
            .unwrap()
            .is_some()
    );
    store
        .write(|tx| pages::forget_released(tx, "hash-b"))
        .unwrap();
    assert!(store.read(|tx| pages::released(tx, 10)).unwrap().is_empty());

    assert_eq!(
        store.write(|tx| pages::restore(tx, "b")).unwrap(),
        Err(RestoreRefusal::Gone),
        "deleted for good"
    );
    assert_eq!(
        store.write(|tx| pages::restore(tx, "c")).unwrap(),
        Err(RestoreRefusal::NotDeleted),
        "a page in its dossier was never deleted"
    );
}

#[test]
fn a_page_and_its_second_image_are_paired_again_when_the_deletion_is_undone() {
    let (_dir, store) = open();
    three_pages(&store);
    // `b` becomes the second image of `a`.
    store
        .write(|tx| pages::join_note(tx, "b"))
        .unwrap()
        .unwrap();
    let before = order(&store);

    store.write(|tx| pages::set_aside(tx, "a", T0)).unwrap();
    let left = order(&store);
    assert_eq!(
        (left[0].0.as_str(), left[0].2, left[0].3.as_deref()),
        ("b", 1, None),
        "the second image stays, as a page of its own"
    );
    store.write(|tx| pages::restore(tx, "a")).unwrap().unwrap();
    assert_eq!(order(&store), before);

    store.write(|tx| pages::set_aside(tx, "b", T0)).unwrap();
    store.write(|tx| pages::restore(tx, "b")).unwrap().unwrap();
    assert_eq!(
        order(&store),
        before,
        "a second image goes back to its page"
    );
}

#[test]
fn a_retention_purge_takes_pages_set_aside_with_their_dossier() {
    let (_dir, store) = open();
    three_pages(&store);
    store.write(|tx| pages::set_aside(tx, "a", T0)).unwrap();
    let unused = store
        .write(|tx| hoso_store::retention::purge(tx, &DossierId(DOSSIER.into())))
        .unwrap();
    let mut unused = unused;
    unused.sort();
    assert_eq!(unused, ["hash-a", "hash-b", "hash-c", "hash-r"]);
    assert_eq!(
        store.write(|tx| pages::restore(tx, "a")).unwrap(),
        Err(RestoreRefusal::Gone)
    );
}
