//! Hoàn tác xoá trang: deleting a page can be undone. A deleted page is set aside (the store's
//! `pages::set_aside`): gone from its dossier at once, everywhere, but kept whole with its file
//! for [`UNDO_GRACE`], and its dossier's new version waits on the desk as long. Brought back
//! ([`Desk::restore_page`]) it returns to its place; after the grace period the desk deletes it
//! for good with its file ([`Desk::release_deleted_pages`], at opening and in the background).
//!
//! Files are removed only after the transaction that removed their rows commits, named in the
//! store meanwhile, and under the writer's lock so the same bytes kept again at that moment
//! keep their file: a crash leaves neither a row without its file nor a file without a name.

use hoso_model::account::AuditAction;
use hoso_model::error::Problem;
use hoso_model::page::{PageInfo, Target};
use hoso_model::{Act, DossierId, Field};
use hoso_store::pages::{self, RestoreRefusal};
use jiff::SignedDuration;

use super::{no_such_page, page_info};
use crate::{Desk, Error};

/// How long a deleted page can be brought back before it is deleted for good: ten minutes.
pub const UNDO_GRACE: SignedDuration = SignedDuration::from_millis(pages::UNDO_GRACE_MS);

/// How many released files are removed per transaction.
const FILES_PER_PASS: u32 = 100;

/// What a release deleted for good.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Released {
    /// Pages deleted longer ago than [`UNDO_GRACE`].
    pub pages: u32,
    /// Kept files removed from the disk (no page named them any more).
    pub files: u32,
}

impl Desk {
    /// Deletes a page from its dossier: it is gone from every view, count, export and search
    /// at once, and can be brought back with [`restore_page`](Self::restore_page) for
    /// [`UNDO_GRACE`]. Audited.
    pub fn delete_page(&self, page_id: &str) -> Result<(), Error> {
        self.need(Act::Work)?;
        let now = self.inner.clock.now().as_millisecond();
        self.inner.store.write(|tx| {
            let row = pages::set_aside(tx, page_id, now)?.ok_or_else(no_such_page)?;
            let id = DossierId(row.dossier_id.clone());
            if matches!(row.target, Target::Component { .. }) {
                hoso_store::supervision::reopen_review(tx, &id)?;
            }
            let dossier = hoso_store::dossiers::get(tx, &id)?.ok_or_else(no_such_page)?;
            self.refresh_progress(tx, &dossier)?;
            self.audit(tx, AuditAction::Delete, &row.dossier_id, "page")
        })
    }

    /// Hoàn tác: brings a deleted page back to its dossier, at the place it had, with its
    /// target, turn and text. Refused with [`Problem::PageGone`] once it was deleted for good
    /// (or if there never was such a page), and [`Problem::PageNotDeleted`] for a page in its
    /// dossier. Audited.
    pub fn restore_page(&self, page_id: &str) -> Result<PageInfo, Error> {
        self.need(Act::Work)?;
        let (info, dossier) = self.inner.store.write(|tx| {
            let dossier_id = pages::restore(tx, page_id)?.map_err(restore_refusal)?;
            let id = DossierId(dossier_id);
            let dossier = hoso_store::dossiers::get(tx, &id)?.ok_or_else(no_such_page)?;
            let info = page_info(self, tx, page_id)?;
            if matches!(info.target, Target::Component { .. }) {
                hoso_store::supervision::reopen_review(tx, &id)?;
            }
            self.refresh_progress(tx, &dossier)?;
            self.audit(tx, AuditAction::Restore, &id.0, "page")?;
            Ok::<_, Error>((info, dossier.id))
        })?;
        self.emit(hoso_model::ipc::DeskEvent::PagesKept {
            dossier,
            pages: vec![page_id.to_owned()],
        });
        Ok(info)
    }

    /// Deletes for good the pages deleted longer ago than [`UNDO_GRACE`], and removes the kept
    /// files no page names any more (those of this pass and any a crash left behind). The
    /// desk's own housekeeping: it runs at opening and in the background, signed in or not.
    pub fn release_deleted_pages(&self) -> Result<Released, Error> {
        let before = self.inner.clock.now().as_millisecond() - pages::UNDO_GRACE_MS;
        let pages = self.inner.store.write(|tx| {
            let released = pages::release_expired(tx, before)?;
            if released.pages > 0 {
                self.audit(
                    tx,
                    AuditAction::Purge,
                    "pages",
                    &format!(
                        "{} deleted pages, {} files",
                        released.pages,
                        released.files.len()
                    ),
                )?;
            }
            Ok::<_, Error>(released.pages)
        })?;
        let mut files = 0;
        loop {
            let names = self
                .inner
                .store
                .read(|tx| pages::released(tx, FILES_PER_PASS))?;
            if names.is_empty() {
                break;
            }
            for hash in names {
                files += self.inner.store.write(|tx| {
                    // Kept again meanwhile, the bytes have their row back: the file stays.
                    let removed = if pages::blob_media_type(tx, &hash)?.is_none() {
                        self.inner.blobs.remove(&hash)?;
                        1
                    } else {
                        0
                    };
                    pages::forget_released(tx, &hash)?;
                    Ok::<_, Error>(removed)
                })?;
            }
        }
        Ok(Released { pages, files })
    }
}

fn restore_refusal(refusal: RestoreRefusal) -> Error {
    match refusal {
        RestoreRefusal::Gone => Error::problem(
            Field::Page,
            Problem::PageGone,
            "the page was deleted for good",
        ),
        RestoreRefusal::NotDeleted => Error::problem(
            Field::Page,
            Problem::PageNotDeleted,
            "the page is in its dossier",
        ),
    }
}
