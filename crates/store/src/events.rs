//! The `dossier_event` table: each dossier's append-only log (triggers refuse updates and
//! deletes).

use hoso_model::DossierId;
use hoso_model::lifecycle::{Event, EventKind};
use rusqlite::{Transaction, params};

use crate::Error;
use crate::dossiers::timestamp;

/// Appends an event at the end of the dossier's log.
pub fn append(tx: &Transaction<'_>, dossier: &DossierId, event: &Event) -> Result<(), Error> {
    tx.execute(
        "INSERT INTO dossier_event (dossier_id, seq, kind, at_ms, reason, giver, taker, actor)
         VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM dossier_event WHERE dossier_id = ?1), ?2, ?3, ?4, ?5, ?6, ?7)",
        params![dossier.0, event.kind.name(), event.at.as_millisecond(), event.reason, event.giver, event.taker, event.actor],
    )?;
    Ok(())
}

/// The dossier's log, oldest first.
pub fn list(tx: &Transaction<'_>, dossier: &DossierId) -> Result<Vec<Event>, Error> {
    let mut stmt = tx.prepare_cached(
        "SELECT kind, at_ms, reason, giver, taker, actor FROM dossier_event WHERE dossier_id = ?1 ORDER BY seq",
    )?;
    let rows = stmt.query_map([&dossier.0], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, i64>(1)?,
            row.get::<_, Option<String>>(2)?,
            row.get::<_, Option<String>>(3)?,
            row.get::<_, Option<String>>(4)?,
            row.get::<_, Option<String>>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (kind, at, reason, giver, taker, actor) = row?;
        let kind = EventKind::from_name(&kind)
            .ok_or_else(|| Error::Corrupt(format!("event kind {kind:?}")))?;
        out.push(Event {
            kind,
            at: timestamp(at)?,
            reason,
            giver,
            taker,
            actor,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Store, dossiers};
    use hoso_model::Dossier;
    use hoso_model::lifecycle::Status;

    #[test]
    fn the_log_keeps_events_in_order_and_refuses_to_be_rewritten() {
        let store = Store::open_in_memory().unwrap();
        let id = DossierId("d1".into());
        let at = "2026-03-02T02:00:00Z".parse().unwrap();
        let dossier = Dossier {
            id: id.clone(),
            procedure_code: "2.000815".into(),
            applicant_name: "Lê Văn A".into(),
            received_at: at,
            code: None,
            status: Status::Received,
            due_at: None,
            id_number: None,
            phone: None,
            address: None,
            email: None,
            channel: hoso_model::Channel::Direct,
        };
        let receive = Event::new(EventKind::Receive, at);
        let transfer = Event {
            actor: Some("lan".into()),
            giver: Some("Nguyễn Thị Mai (bộ phận một cửa)".into()),
            taker: Some("Lê Văn Hùng (công chức tư pháp)".into()),
            ..Event::new(EventKind::Transfer, at)
        };
        let refuse = Event {
            reason: Some("thiếu giấy tờ".into()),
            ..Event::new(EventKind::Refuse, at)
        };
        store
            .write(|tx| {
                dossiers::insert(tx, &dossier)?;
                append(tx, &id, &receive)?;
                append(tx, &id, &transfer)?;
                append(tx, &id, &refuse)
            })
            .unwrap();
        assert_eq!(
            store.read(|tx| list(tx, &id)).unwrap(),
            vec![receive, transfer, refuse],
            "kind, time, reason and the hand-over's giver and taker all come back"
        );

        for sql in [
            "UPDATE dossier_event SET kind = 'return'",
            "DELETE FROM dossier_event",
        ] {
            let err = store
                .write(|tx| Ok::<_, Error>(tx.execute(sql, [])?))
                .unwrap_err();
            assert!(err.to_string().contains("append-only"), "{sql}: {err}");
        }
        assert_eq!(store.read(|tx| list(tx, &id)).unwrap().len(), 3);
    }
}
