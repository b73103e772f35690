//! The procedure catalogue shipped with the desk: `catalogue/procedures.json` at the repository
//! root, embedded at build time. Later versions replace it with updates pulled from the hub.

use hoso_model::Procedure;
use hoso_model::procedure::is_national_code;
use serde::Deserialize;

use crate::Error;

const BUILT_IN: &str = include_str!("../../../catalogue/procedures.json");

#[derive(Deserialize)]
struct File {
    procedures: Vec<Procedure>,
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
    fn a_catalogue_with_a_bad_or_repeated_code_is_refused() {
        let bad = r#"{"procedures":[{"code":"2000815","name":"x","field":"y"}]}"#;
        assert!(matches!(parse(bad), Err(Error::Catalogue(_))));
        let twice = r#"{"procedures":[{"code":"2.000815","name":"x","field":"y"},{"code":"2.000815","name":"z","field":"y"}]}"#;
        assert!(matches!(parse(twice), Err(Error::Catalogue(_))));
    }
}
