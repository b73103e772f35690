//! The catalogue: the procedures (`catalogue/procedures.json`) and the working calendar
//! (`catalogue/calendar.json`). The files at the repository root are embedded at build time and
//! seed the store; a newer file imported later (by IT staff now, from the hub later) replaces
//! the stored copy. The desk uses whichever stored copy is newest by its `version`.

use hoso_model::Procedure;
use hoso_model::calendar::CalendarRules;
use hoso_model::procedure::is_national_code;
use serde::Deserialize;

use crate::Error;

const BUILT_IN: &str = include_str!("../../../catalogue/procedures.json");
const CALENDAR: &str = include_str!("../../../catalogue/calendar.json");

/// The built-in working calendar: Labour Code holidays and the yearly notices loaded so far.
pub fn calendar_rules() -> Result<CalendarRules, Error> {
    serde_json::from_str(CALENDAR).map_err(|e| Error::Catalogue(format!("calendar.json: {e}")))
}

#[derive(Deserialize)]
struct File {
    version: String,
    procedures: Vec<Procedure>,
}

/// Which catalogue file a JSON document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Procedures,
    Calendar,
}

impl Kind {
    /// The row it is stored under.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Procedures => "procedures",
            Kind::Calendar => "calendar",
        }
    }

    fn embedded(self) -> &'static str {
        match self {
            Kind::Procedures => BUILT_IN,
            Kind::Calendar => CALENDAR,
        }
    }
}

/// Checks a catalogue file and tells which one it is and its version.
pub fn check(json: &str) -> Result<(Kind, String), Error> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| Error::Catalogue(e.to_string()))?;
    if value.get("procedures").is_some() {
        let file: File = serde_json::from_str(json).map_err(|e| Error::Catalogue(e.to_string()))?;
        parse(json)?;
        Ok((Kind::Procedures, file.version))
    } else if value.get("holidays").is_some() {
        let rules: CalendarRules =
            serde_json::from_str(json).map_err(|e| Error::Catalogue(e.to_string()))?;
        Ok((Kind::Calendar, rules.version))
    } else {
        Err(Error::Catalogue(
            "neither a procedure catalogue nor a calendar".into(),
        ))
    }
}

/// The stored copy of each file, seeded or replaced by the embedded one when that is newer.
/// Runs in the transaction that opens the desk.
pub fn load_or_seed(
    tx: &rusqlite::Transaction<'_>,
) -> Result<(Vec<Procedure>, CalendarRules), Error> {
    let current = |kind: Kind| -> Result<String, Error> {
        let (_, embedded_version) = check(kind.embedded())?;
        match hoso_store::settings::catalogue::get(tx, kind.name())? {
            Some((version, json)) if version >= embedded_version => Ok(json),
            _ => {
                hoso_store::settings::catalogue::put(
                    tx,
                    kind.name(),
                    &embedded_version,
                    kind.embedded(),
                )?;
                Ok(kind.embedded().to_owned())
            }
        }
    };
    let procedures = parse(&current(Kind::Procedures)?)?;
    let calendar = serde_json::from_str(&current(Kind::Calendar)?)
        .map_err(|e| Error::Catalogue(e.to_string()))?;
    Ok((procedures, calendar))
}

/// The built-in catalogue, checked: every code national and unique.
pub fn built_in() -> Result<Vec<Procedure>, Error> {
    parse(BUILT_IN)
}

fn parse(json: &str) -> Result<Vec<Procedure>, Error> {
    let file: File = serde_json::from_str(json).map_err(|e| Error::Catalogue(e.to_string()))?;
    let mut seen = std::collections::HashSet::new();
    for p in &file.procedures {
        if !is_national_code(&p.code) {
            return Err(Error::Catalogue(format!(
                "{} is not a national procedure code",
                p.code
            )));
        }
        if !seen.insert(p.code.as_str()) {
            return Err(Error::Catalogue(format!("{} is listed twice", p.code)));
        }
    }
    Ok(file.procedures)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_catalogue_holds_the_ten_seed_procedures() {
        let procedures = built_in().unwrap();
        assert_eq!(procedures.len(), 10);
        assert!(
            procedures
                .iter()
                .any(|p| p.code == "2.000815" && p.name == "Chứng thực bản sao từ bản chính")
        );
    }

    #[test]
    fn the_built_in_calendar_parses_and_carries_the_2026_notices() {
        let rules = calendar_rules().unwrap();
        assert!(
            rules
                .notices
                .iter()
                .any(|n| n.year == 2026 && n.replaces == ["tet"])
        );
        assert!(rules.holidays.iter().any(|h| h.id == "culture_day"));
    }

    #[test]
    fn every_seed_procedure_has_a_time_limit() {
        for p in built_in().unwrap() {
            assert_ne!(
                p.due.limit,
                hoso_model::calendar::due::TimeLimit::None,
                "{}",
                p.code
            );
        }
    }

    #[test]
    fn a_catalogue_with_a_bad_or_repeated_code_is_refused() {
        let bad = r#"{"procedures":[{"code":"2000815","name":"x","field":"y"}]}"#;
        assert!(matches!(parse(bad), Err(Error::Catalogue(_))));
        let twice = r#"{"procedures":[{"code":"2.000815","name":"x","field":"y"},{"code":"2.000815","name":"z","field":"y"}]}"#;
        assert!(matches!(parse(twice), Err(Error::Catalogue(_))));
    }
}
