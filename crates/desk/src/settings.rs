//! The desk's settings: the unit and this desk's slot, the interface language, and the
//! catalogue and working calendar (shipped in `catalogue/`, replaced by a newer file).

use hoso_model::account::AuditAction;
use hoso_model::calendar::DayOff;
use hoso_model::scan::ScanPreferences;
use hoso_model::unit::{Unit, UnitError};
use hoso_model::{Act, Field, Language, Settings};
use hoso_store::settings;
use rusqlite::Transaction;

use crate::{Desk, Error, catalogue};

impl Desk {
    /// The unit this desk belongs to, once set up.
    pub fn unit(&self) -> Result<Option<Unit>, Error> {
        self.inner.store.read(read_unit)
    }

    /// Sets up (or changes) the unit and this desk's slot.
    pub fn set_unit(&self, unit: Unit) -> Result<Unit, Error> {
        self.need(Act::Configure)?;
        let unit = Unit {
            code: unit.code.trim().to_owned(),
            name: unit.name.trim().to_owned(),
            ..unit
        };
        unit.validate().map_err(|e| {
            let (field, message) = match e {
                UnitError::Code => (Field::UnitCode, "malformed unit code"),
                UnitError::Name => (Field::UnitName, "unit name is empty or too long"),
                UnitError::Slot => (Field::DeviceSlot, "device slot out of range"),
            };
            Error::refused(field, message)
        })?;
        let json = serde_json::to_string(&unit).expect("a unit serialises");
        self.inner.store.write(|tx| {
            settings::set(tx, settings::keys::UNIT, &json)?;
            self.audit(tx, AuditAction::Settings, "unit", &unit.code)
        })?;
        Ok(unit)
    }

    /// Replaces the stored procedure catalogue or working calendar with a newer file (what the
    /// hub will send). The file is checked whole first; an older version than the one in use is
    /// refused. It takes effect the next time the desk opens. Returns which file and its version.
    pub fn import_catalogue(&self, json: &str) -> Result<(catalogue::Kind, String), Error> {
        self.need(Act::Configure)?;
        self.inner.store.write(|tx| {
            let (kind, version) = put_document(tx, json)?;
            self.audit(tx, AuditAction::Settings, kind.name(), &version)?;
            Ok((kind, version))
        })
    }

    /// The working calendar's rules (holidays, notices).
    pub fn calendar_rules(&self) -> &hoso_model::calendar::CalendarRules {
        self.inner.calendar.rules()
    }

    /// The holidays and substitute days of a year.
    pub fn days_off(&self, year: i16) -> Vec<DayOff> {
        self.inner.calendar.days_off(year)
    }

    /// The officer's preferences; defaults where nothing was chosen yet.
    pub fn settings(&self) -> Result<Settings, Error> {
        let language = self
            .inner
            .store
            .read(|tx| settings::get(tx, settings::keys::LANGUAGE))?;
        Ok(Settings {
            // A value this version does not know (written by a newer one) falls back to the default.
            language: language
                .as_deref()
                .and_then(Language::from_tag)
                .unwrap_or_default(),
        })
    }

    /// The signed-in officer's scan station settings, as last chosen; defaults at first.
    pub fn scan_preferences(&self) -> Result<ScanPreferences, Error> {
        let user = self.need(Act::Work)?;
        let key = format!("{}{}", settings::keys::SCAN_PREFERENCES, user.name);
        let stored = self.inner.store.read(|tx| settings::get(tx, &key))?;
        // Unreadable (written by a newer version): the defaults, chosen again at the next scan.
        Ok(stored
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default())
    }

    /// Remembers the signed-in officer's scan station settings for the next time.
    pub fn set_scan_preferences(&self, preferences: &ScanPreferences) -> Result<(), Error> {
        let user = self.need(Act::Work)?;
        let key = format!("{}{}", settings::keys::SCAN_PREFERENCES, user.name);
        let json = serde_json::to_string(preferences)
            .map_err(|_| Error::refused(Field::Scanner, "the settings cannot be written"))?;
        self.inner
            .store
            .write(|tx| settings::set(tx, &key, &json))?;
        Ok(())
    }

    /// Chooses the interface language; remembered across restarts.
    pub fn set_language(&self, language: Language) -> Result<Settings, Error> {
        self.need(Act::Work)?;
        self.inner
            .store
            .write(|tx| settings::set(tx, settings::keys::LANGUAGE, language.tag()))?;
        self.settings()
    }
}

/// Checks a catalogue or calendar file whole and stores it unless an older version than the
/// one in use, in the caller's transaction.
pub(crate) fn put_document(
    tx: &Transaction<'_>,
    json: &str,
) -> Result<(catalogue::Kind, String), Error> {
    let (kind, version) = catalogue::check(json)
        .map_err(|_| Error::refused(Field::Catalogue, "not a valid catalogue file"))?;
    if let Some((current, _)) = settings::catalogue::get(tx, kind.name())?
        && current > version
    {
        return Err(Error::refused(
            Field::Catalogue,
            "older than the catalogue in use",
        ));
    }
    settings::catalogue::put(tx, kind.name(), &version, json)?;
    Ok((kind, version))
}

/// The unit this desk belongs to, in the caller's transaction.
pub(crate) fn read_unit(tx: &Transaction<'_>) -> Result<Option<Unit>, Error> {
    match settings::get(tx, settings::keys::UNIT)? {
        None => Ok(None),
        Some(json) => serde_json::from_str(&json)
            .map(Some)
            .map_err(|e| hoso_store::Error::Corrupt(format!("unit settings: {e}")).into()),
    }
}
