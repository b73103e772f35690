//! The official forms of a dossier and of the office: the receipt (mẫu 01), the notices to
//! supplement or of refusal (mẫu 02, 03) and the tracking book (mẫu 07), as PDF bytes or saved
//! in the data directory's `forms/` folder. Drawing is `hoso-forms`' work; this gathers what
//! they print and records each print in the audit log.

use hoso_model::account::AuditAction;
use hoso_model::lifecycle::{Event, EventKind};
use hoso_model::time::from_local;
use hoso_model::{Act, Field};
use hoso_store::{accounts, dossiers, events};

use crate::dossiers::find;
use crate::settings::read_unit;
use crate::{Desk, Error};

impl Desk {
    /// Mẫu 01: the receipt and appointment slip of a dossier, as PDF bytes. Needs the unit's
    /// identity, which the form prints, and names the officer who received the dossier (the
    /// one signed in, when the log does not say who did).
    pub fn receipt(&self, code_or_id: &str) -> Result<Vec<u8>, Error> {
        let me = self.need(Act::Work)?;
        let (dossier, unit, receiver) = self.inner.store.read(|tx| {
            let dossier = find(tx, code_or_id)?;
            let received_by = events::list(tx, &dossier.id)?
                .into_iter()
                .find(|e| e.kind == EventKind::Receive)
                .and_then(|e| e.actor);
            let receiver = match received_by {
                Some(name) => accounts::get(tx, &name)?.map(|a| a.full_name),
                None => None,
            };
            Ok::<_, Error>((dossier, read_unit(tx)?, receiver))
        })?;
        let unit = unit.ok_or(Error::NoUnit)?;
        let procedure = self.procedure(&dossier.procedure_code)?;
        let pdf = hoso_forms::receipt(&hoso_forms::ReceiptData {
            unit: &unit,
            dossier: &dossier,
            procedure,
            officer: receiver.as_deref().unwrap_or(&me.full_name),
        })
        .map_err(|e| Error::Form(e.to_string()))?;
        self.audit_now(AuditAction::Print, &dossier.id.0, "form 01")?;
        Ok(pdf)
    }

    /// Saves one of a dossier's forms as `forms/CODE-NN.pdf` in the data directory, ready to
    /// open and print; returns where.
    pub fn save_form(
        &self,
        code_or_id: &str,
        kind: hoso_model::ipc::FormKind,
    ) -> Result<std::path::PathBuf, Error> {
        use hoso_model::ipc::FormKind;
        let pdf = match kind {
            FormKind::Receipt => self.receipt(code_or_id)?,
            FormKind::Supplement => {
                self.notice_form(code_or_id, hoso_forms::NoticeKind::Supplement)?
            }
            FormKind::Refusal => self.notice_form(code_or_id, hoso_forms::NoticeKind::Refusal)?,
        };
        let key = self
            .inner
            .store
            .read(|tx| find(tx, code_or_id))?
            .code
            .unwrap_or_else(|| code_or_id.to_owned());
        let name = format!("{}-{}.pdf", key.replace(['/', '\\'], "_"), kind.number());
        self.save_in_forms(&name, &pdf)
    }

    /// Saves the tracking book of a period as `forms/so-theo-doi-FROM-TO.pdf` in the data
    /// directory; returns where.
    pub fn save_tracking_book(
        &self,
        from: jiff::civil::Date,
        to: jiff::civil::Date,
    ) -> Result<std::path::PathBuf, Error> {
        let pdf = self.tracking_book(from, to)?;
        self.save_in_forms(&format!("so-theo-doi-{from}-{to}.pdf"), &pdf)
    }

    /// Writes a form whole into the data directory's `forms/` folder; returns where.
    fn save_in_forms(&self, name: &str, pdf: &[u8]) -> Result<std::path::PathBuf, Error> {
        self.save_in("forms", name, pdf)
    }

    /// Mẫu 02 or 03: the request to supplement or the refusal of a dossier, with the words the
    /// officer wrote when recording it.
    pub fn notice_form(
        &self,
        code_or_id: &str,
        kind: hoso_forms::NoticeKind,
    ) -> Result<Vec<u8>, Error> {
        let event_kind = match kind {
            hoso_forms::NoticeKind::Supplement => EventKind::SupplementRequest,
            hoso_forms::NoticeKind::Refusal => EventKind::Refuse,
        };
        self.need(Act::Work)?;
        let (dossier, unit, log) = self.inner.store.read(|tx| {
            let dossier = find(tx, code_or_id)?;
            let log = events::list(tx, &dossier.id)?;
            Ok::<_, Error>((dossier, read_unit(tx)?, log))
        })?;
        let unit = unit.ok_or(Error::NoUnit)?;
        let event = log
            .iter()
            .rev()
            .find(|e| e.kind == event_kind)
            .ok_or_else(|| {
                Error::refused(Field::Event, "the dossier has no such request or refusal")
            })?;
        let procedure = self.procedure(&dossier.procedure_code)?;
        let pdf = hoso_forms::notice(&hoso_forms::NoticeData {
            unit: &unit,
            dossier: &dossier,
            procedure,
            kind,
            reason: event.reason.as_deref().unwrap_or(""),
            at: event.at,
        })
        .map_err(|e| Error::Form(e.to_string()))?;
        let form = match kind {
            hoso_forms::NoticeKind::Supplement => "form 02",
            hoso_forms::NoticeKind::Refusal => "form 03",
        };
        self.audit_now(AuditAction::Print, &dossier.id.0, form)?;
        Ok(pdf)
    }

    /// Mẫu 07: the tracking book of the dossiers received from `from` to `to` (inclusive,
    /// Vietnamese civil dates).
    pub fn tracking_book(
        &self,
        from: jiff::civil::Date,
        to: jiff::civil::Date,
    ) -> Result<Vec<u8>, Error> {
        self.need(Act::Export)?;
        if to < from {
            return Err(Error::Period);
        }
        let start =
            from_local(from.to_datetime(jiff::civil::Time::midnight())).ok_or(Error::Period)?;
        let end = to
            .tomorrow()
            .ok()
            .and_then(|d| from_local(d.to_datetime(jiff::civil::Time::midnight())))
            .ok_or(Error::Period)?;
        let (unit, entries) = self.inner.store.read(|tx| {
            let mut entries = Vec::new();
            for dossier in dossiers::received_between(tx, start, end)? {
                let log = events::list(tx, &dossier.id)?;
                entries.push((dossier, log));
            }
            Ok::<_, Error>((read_unit(tx)?, entries))
        })?;
        let unit = unit.ok_or(Error::NoUnit)?;
        let first = |log: &[Event], kinds: &[EventKind]| {
            log.iter().find(|e| kinds.contains(&e.kind)).map(|e| e.at)
        };
        let rows = entries
            .iter()
            .map(|(dossier, log)| hoso_forms::BookRow {
                dossier,
                procedure_name: self
                    .procedure(&dossier.procedure_code)
                    .map_or("", |p| p.name.as_str()),
                transferred_at: first(log, &[EventKind::Transfer]),
                resolved_at: first(log, &[EventKind::Back, EventKind::Resolve]),
                returned_at: first(log, &[EventKind::Return]),
            })
            .collect();
        let pdf = hoso_forms::tracking_book(&hoso_forms::BookData {
            unit: &unit,
            from,
            to,
            rows,
        })
        .map_err(|e| Error::Form(e.to_string()))?;
        self.audit_now(
            AuditAction::Print,
            "tracking-book",
            &format!("form 07 {from} {to}"),
        )?;
        Ok(pdf)
    }
}
