//! The small makings of the desk's own tests: a fixed clock, a form, the command line, a unit.

use hoso_desk::FixedClock;
use hoso_model::NewDossier;

/// A clock stopped at `s` (RFC 3339).
pub fn at(s: &str) -> FixedClock {
    FixedClock(s.parse().unwrap())
}

/// A form with a procedure and a name, nothing else.
pub fn form(code: &str, name: &str) -> NewDossier {
    NewDossier {
        procedure_code: code.into(),
        applicant_name: name.into(),
        ..Default::default()
    }
}

/// `hoso ARGS` on the desk in `data_dir`, signed in as the test administrator.
pub fn hoso(data_dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    super::hoso_command(data_dir).args(args).output().unwrap()
}

/// The test unit, with this desk in `slot`.
pub fn unit(slot: u8) -> hoso_model::unit::Unit {
    hoso_model::unit::Unit {
        code: "000.00.25.H25".into(),
        name: "Trung tâm Phục vụ hành chính công xã Thạch Hà".into(),
        governing_body: "UBND xã Thạch Hà".into(),
        device_slot: slot,
        office_hours: Default::default(),
    }
}
