//! The intake form's state, kept by the desk's state rather than the page: what is typed
//! survives a change of screen and the lock.

use hoso_model::ipc::FormSaved;
use hoso_model::{ApiError, Dossier, NewDossier};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Intake {
    /// What the form holds now.
    pub draft: NewDossier,
    /// The dossier saved last, whose receipt the page offers.
    pub saved: Option<Dossier>,
    /// Its receipt is being printed.
    pub printing: bool,
    /// Its receipt was printed (where it was saved), or could not be.
    pub printed: Option<Result<FormSaved, ApiError>>,
}

impl Intake {
    /// After `dossier` was saved: the next citizen often files the same procedure, so the
    /// draft keeps it and nothing else.
    pub fn saved(&self, dossier: Dossier) -> Intake {
        Intake {
            draft: NewDossier {
                procedure_code: self.draft.procedure_code.clone(),
                ..Default::default()
            },
            saved: Some(dossier),
            printing: false,
            printed: None,
        }
    }
}
