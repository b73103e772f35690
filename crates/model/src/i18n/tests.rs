//! The texts' own checks.

use super::*;
use crate::error::{ApiError, Field};

#[test]
fn language_tags_round_trip_and_unknown_tags_are_refused() {
    for lang in Language::ALL {
        assert_eq!(Language::from_tag(lang.tag()), Some(lang));
    }
    assert_eq!(
        Language::from_tag(" EN "),
        Some(Language::En),
        "tags are matched loosely"
    );
    assert_eq!(Language::from_tag("fr"), None);
    assert_eq!(Language::default(), Language::Vi, "Vietnamese comes first");
}

#[test]
fn every_validation_field_has_its_own_message() {
    let fields = [
        Field::Procedure,
        Field::ApplicantName,
        Field::IdNumber,
        Field::Phone,
        Field::Address,
        Field::Email,
        Field::Language,
        Field::UnitCode,
        Field::UnitName,
        Field::DeviceSlot,
        Field::OfficeHours,
        Field::Event,
        Field::Reason,
        Field::Date,
        Field::Catalogue,
    ];
    for lang in Language::ALL {
        let texts: std::collections::HashSet<_> = fields
            .iter()
            .map(|f| error_text(lang, &ApiError::validation(*f, "x")))
            .collect();
        assert_eq!(
            texts.len(),
            fields.len(),
            "{lang:?}: a field shares a message with another"
        );
    }
}

#[test]
fn every_sync_reason_and_problem_has_its_own_words_in_both_languages() {
    let reasons = [
        "other_unit",
        "version_conflict",
        "invalid",
        "too_large",
        "file_damaged",
        "forbidden",
        "audit_fork",
        "audit_chain",
        "audit_unsupported",
    ];
    let problems = [
        "not_enrolled",
        "credential",
        "enrollment_code",
        "clock",
        "disk_full",
        "protocol",
        "certificate_pin",
        "certificate_ca",
    ];
    for lang in Language::ALL {
        let texts: std::collections::HashSet<_> =
            reasons.iter().map(|r| sync_reason(lang, r)).collect();
        assert_eq!(texts.len(), reasons.len(), "{lang:?}");
        assert!(!texts.contains(sync_reason(lang, "something new")));
        let texts: std::collections::HashSet<_> =
            problems.iter().map(|p| sync_problem(lang, p)).collect();
        assert_eq!(texts.len(), problems.len(), "{lang:?}");
    }
    assert_ne!(
        sync_reason(Language::Vi, "invalid"),
        sync_reason(Language::En, "invalid")
    );
}

#[test]
fn every_audit_action_has_its_own_words_and_an_unknown_one_shows_as_it_is() {
    use crate::account::AuditAction;
    for lang in Language::ALL {
        let labels: std::collections::HashSet<_> = AuditAction::ALL
            .iter()
            .map(|a| audit_action_label(lang, a.name()))
            .collect();
        assert_eq!(labels.len(), AuditAction::ALL.len(), "{lang:?}");
        assert!(!labels.contains("change"), "{lang:?}: names are translated");
        assert_eq!(
            audit_action_label(lang, "from-a-later-version"),
            "from-a-later-version"
        );
    }
}

#[test]
fn sizes_are_written_as_people_read_them() {
    assert_eq!(size(Language::En, 0), "0 B");
    assert_eq!(size(Language::En, 999), "999 B");
    assert_eq!(size(Language::En, 12_345), "12 kB");
    assert_eq!(size(Language::Vi, 3_400_000), "3,4 MB");
    assert_eq!(size(Language::En, 3_400_000), "3.4 MB");
    assert_eq!(size(Language::En, 2_147_483_648), "2.1 GB");
}

#[test]
fn english_counts_agree_in_number() {
    assert_eq!(dossier_count(Language::En, 1), "1 dossier on this desk");
    assert_eq!(dossier_count(Language::En, 3), "3 dossiers on this desk");
    assert_eq!(dossier_count(Language::Vi, 3), "3 hồ sơ trên máy");
}
