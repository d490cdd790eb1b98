//! A project as typed into a form, sent to the API or read from a spreadsheet row, before it
//! is checked: every field optional, so that one type carries a whole row and the checks can
//! report every field at fault at once.

use crate::money::Money;
use crate::projects::{ProjectKind, Stage};
use crate::validation::{FieldError, FieldErrors, clean_text};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Land area in hundredths of a 亩 (mu), exact: "12.5亩" is 1250.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct LandArea(pub i64);

/// The planned and actual dates of one of a project's key moments.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dates {
    pub planned: Option<NaiveDate>,
    pub actual: Option<NaiveDate>,
}

/// The key moments of a project, in the order they happen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyDates {
    pub signing: Dates,
    pub start: Dates,
    pub structure: Dates,
    pub completion: Dates,
    pub operation: Dates,
}

/// The fields of a project (PRODUCT.md §2). Names of the platform, department and leader are
/// resolved to ids by the service, which knows the district's lists.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProjectDraft {
    /// The district's own project code, if it keeps one (matches imports to projects).
    pub code: Option<String>,
    pub name: Option<String>,
    pub platform: Option<String>,
    pub kind: Option<ProjectKind>,
    pub stage: Option<Stage>,
    pub department: Option<String>,
    pub leader: Option<String>,
    pub total_investment: Option<Money>,
    pub completed_investment: Option<Money>,
    /// Floor area in m².
    pub floor_area_m2: Option<i64>,
    pub land_area: Option<LandArea>,
    pub address: Option<String>,
    /// WGS-84 or GCJ-02 degrees, as the district's map uses.
    pub longitude: Option<f64>,
    pub latitude: Option<f64>,
    pub dates: KeyDates,
    pub notes: Option<String>,
    /// Invented to make a total add up (demo data), not a fact.
    pub illustrative: bool,
}

impl ProjectDraft {
    /// Checks the fields that do not need the database: lengths, ranges, coordinates and that
    /// completed investment does not exceed the total. Returns every fault at once.
    pub fn check(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        match &self.name {
            Some(name) => {
                errors.check(clean_text(name, "name", 100));
            }
            None => errors.push(FieldError::new("name", "validation.required")),
        }
        if let Some(code) = &self.code {
            errors.check(clean_text(code, "code", 40));
        }
        for (field, text, max) in [
            ("address", &self.address, 200),
            ("notes", &self.notes, 2000),
            ("platform", &self.platform, 60),
            ("department", &self.department, 60),
            ("leader", &self.leader, 40),
        ] {
            if let Some(text) = text {
                errors.check(clean_text(text, field, max));
            }
        }
        for (field, amount) in [
            ("total_investment", self.total_investment),
            ("completed_investment", self.completed_investment),
        ] {
            if amount.is_some_and(Money::is_negative) {
                errors.push(FieldError::new(field, "money.negative"));
            }
        }
        if let (Some(total), Some(done)) = (self.total_investment, self.completed_investment)
            && done > total
        {
            errors.push(FieldError::new(
                "completed_investment",
                "project.completed_exceeds_total",
            ));
        }
        if self.floor_area_m2.is_some_and(|a| a < 0) {
            errors.push(FieldError::new("floor_area_m2", "project.area_negative"));
        }
        if self.land_area.is_some_and(|a| a.0 < 0) {
            errors.push(FieldError::new("land_area", "project.area_negative"));
        }
        if self
            .longitude
            .is_some_and(|v| !(-180.0..=180.0).contains(&v) || v.is_nan())
        {
            errors.push(FieldError::new("longitude", "project.coordinate_invalid"));
        }
        if self
            .latitude
            .is_some_and(|v| !(-90.0..=90.0).contains(&v) || v.is_nan())
        {
            errors.push(FieldError::new("latitude", "project.coordinate_invalid"));
        }
        errors.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn named(name: &str) -> ProjectDraft {
        ProjectDraft {
            name: Some(name.into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_name_is_required_and_bounded() {
        assert!(named("树兰（济南）医院").check().is_ok());
        assert!(ProjectDraft::default().check().is_err());
        assert!(named(&"项".repeat(101)).check().is_err());
    }

    #[test]
    fn completed_cannot_exceed_total() {
        let mut draft = named("x");
        draft.total_investment = Some(Money::from_yuan(100));
        draft.completed_investment = Some(Money::from_yuan(101));
        let errors = draft.check().unwrap_err();
        assert_eq!(errors.0[0].message, "project.completed_exceeds_total");
        draft.completed_investment = Some(Money::from_yuan(100));
        assert!(draft.check().is_ok());
    }

    #[test]
    fn every_fault_is_reported_at_once() {
        let draft = ProjectDraft {
            longitude: Some(200.0),
            latitude: Some(f64::NAN),
            floor_area_m2: Some(-1),
            ..Default::default()
        };
        assert_eq!(draft.check().unwrap_err().0.len(), 4);
    }

    proptest! {
        #[test]
        fn accepted_drafts_have_sane_coordinates(lng in -400.0f64..400.0, lat in -200.0f64..200.0) {
            let mut draft = named("x");
            draft.longitude = Some(lng);
            draft.latitude = Some(lat);
            if draft.check().is_ok() {
                prop_assert!((-180.0..=180.0).contains(&lng) && (-90.0..=90.0).contains(&lat));
            }
        }
    }
}
