//! The project form as typed: every field text, so what the user typed is shown again on an
//! error. Money is typed in 万元 and parsed exactly (never through a float).

use super::mu;
use chrono::NaiveDate;
use districtops_domain::money::{Money, MoneyUnit};
use districtops_domain::projects::{Dates, KeyDates, LandArea, ProjectDraft, ProjectKind, Stage};
use districtops_domain::validation::{FieldError, FieldErrors};
use districtops_store::ProjectRow;
use serde::Deserialize;

/// The key moments' stems, in order.
pub const MOMENTS: [&str; 5] = ["signing", "start", "structure", "completion", "operation"];

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ProjectForm {
    pub code: String,
    pub name: String,
    pub platform: String,
    pub kind: String,
    pub stage: String,
    pub department: String,
    pub leader: String,
    pub total_investment: String,
    pub completed_investment: String,
    pub floor_area_m2: String,
    pub land_area: String,
    pub address: String,
    pub longitude: String,
    pub latitude: String,
    pub planned_signing: String,
    pub actual_signing: String,
    pub planned_start: String,
    pub actual_start: String,
    pub planned_structure: String,
    pub actual_structure: String,
    pub planned_completion: String,
    pub actual_completion: String,
    pub planned_operation: String,
    pub actual_operation: String,
    pub notes: String,
    pub illustrative: String,
    pub correction: String,
    pub version: String,
}

fn opt(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

fn date(field: &'static str, raw: &str, errors: &mut FieldErrors) -> Option<NaiveDate> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        Ok(day) => Some(day),
        Err(_) => {
            errors.push(FieldError::new(field, "project.ledger.date_invalid"));
            None
        }
    }
}

/// "12.5" 亩 as 1250 hundredths.
fn land(raw: &str) -> Result<Option<LandArea>, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let invalid = FieldError::new("land_area", "project.ledger.number_invalid");
    // Hundredths of a 亩 are read as 元 of an amount in 万 shifted by two places: reuse the
    // exact decimal parser with the 元 unit on the text ×100.
    let (whole, frac) = raw.split_once('.').unwrap_or((raw, ""));
    if whole.is_empty()
        || frac.len() > 2
        || !whole
            .bytes()
            .chain(frac.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return Err(invalid);
    }
    let frac = format!("{frac:0<2}");
    let value = whole
        .parse::<i64>()
        .ok()
        .and_then(|w| w.checked_mul(100))
        .and_then(|w| w.checked_add(frac.parse::<i64>().unwrap_or(0)))
        .ok_or(invalid)?;
    Ok(Some(LandArea(value)))
}

impl ProjectForm {
    /// The form filled with a project as stored.
    /// The department is its id (names may repeat under different parents).
    pub fn from_row(row: &ProjectRow, platform: Option<&str>) -> Self {
        let d = |v: Option<NaiveDate>| v.map(|d| d.to_string()).unwrap_or_default();
        let money = |yuan: i64| Money::from_yuan(yuan).to_decimal_text(MoneyUnit::Wan);
        Self {
            code: row.code.clone().unwrap_or_default(),
            name: row.name.clone(),
            platform: platform.unwrap_or_default().to_owned(),
            kind: row.kind.clone(),
            stage: row.stage.clone(),
            department: row.department_id.to_string(),
            leader: row.leader_name.clone().unwrap_or_default(),
            total_investment: money(row.total_investment),
            completed_investment: money(row.completed_investment),
            floor_area_m2: row.floor_area_m2.map(|a| a.to_string()).unwrap_or_default(),
            land_area: row.land_area_mu_x100.map(mu).unwrap_or_default(),
            address: row.address.clone().unwrap_or_default(),
            longitude: row.longitude.map(|v| v.to_string()).unwrap_or_default(),
            latitude: row.latitude.map(|v| v.to_string()).unwrap_or_default(),
            planned_signing: d(row.planned_signing),
            actual_signing: d(row.actual_signing),
            planned_start: d(row.planned_start),
            actual_start: d(row.actual_start),
            planned_structure: d(row.planned_structure),
            actual_structure: d(row.actual_structure),
            planned_completion: d(row.planned_completion),
            actual_completion: d(row.actual_completion),
            planned_operation: d(row.planned_operation),
            actual_operation: d(row.actual_operation),
            notes: row.notes.clone().unwrap_or_default(),
            illustrative: if row.illustrative {
                "on".into()
            } else {
                String::new()
            },
            correction: String::new(),
            version: row.version.to_string(),
        }
    }

    /// The typed value of a text field by name (for the template's loops).
    pub fn value(&self, field: &str) -> &str {
        match field {
            "code" => &self.code,
            "name" => &self.name,
            "leader" => &self.leader,
            "total_investment" => &self.total_investment,
            "completed_investment" => &self.completed_investment,
            "floor_area_m2" => &self.floor_area_m2,
            "land_area" => &self.land_area,
            "address" => &self.address,
            "longitude" => &self.longitude,
            "latitude" => &self.latitude,
            "planned_signing" => &self.planned_signing,
            "actual_signing" => &self.actual_signing,
            "planned_start" => &self.planned_start,
            "actual_start" => &self.actual_start,
            "planned_structure" => &self.planned_structure,
            "actual_structure" => &self.actual_structure,
            "planned_completion" => &self.planned_completion,
            "actual_completion" => &self.actual_completion,
            "planned_operation" => &self.planned_operation,
            "actual_operation" => &self.actual_operation,
            "notes" => &self.notes,
            _ => "",
        }
    }

    /// The draft, or every field that does not parse.
    pub fn to_draft(&self) -> Result<ProjectDraft, FieldErrors> {
        let mut errors = FieldErrors::default();
        let money = |field: &'static str, raw: &str, errors: &mut FieldErrors| {
            let raw = raw.trim().replace(['，', ' '], "");
            if raw.is_empty() {
                return None;
            }
            match Money::parse_decimal(&raw, MoneyUnit::Wan) {
                Ok(money) => Some(money),
                Err(e) => {
                    errors.push(FieldError::new(field, e.message_key()));
                    None
                }
            }
        };
        let number = |field: &'static str, raw: &str, errors: &mut FieldErrors| -> Option<f64> {
            let raw = raw.trim();
            if raw.is_empty() {
                return None;
            }
            let value = raw.parse::<f64>().ok().filter(|v| v.is_finite());
            if value.is_none() {
                errors.push(FieldError::new(field, "project.ledger.number_invalid"));
            }
            value
        };
        let kind = opt(&self.kind).and_then(|k| errors.check(ProjectKind::parse(&k)));
        let stage = opt(&self.stage).and_then(|s| errors.check(Stage::parse(&s)));
        let total_investment = money("total_investment", &self.total_investment, &mut errors);
        let completed_investment = money(
            "completed_investment",
            &self.completed_investment,
            &mut errors,
        );
        let floor_area_m2 = opt(&self.floor_area_m2).and_then(|raw| {
            let value = raw.parse::<i64>().ok();
            if value.is_none() {
                errors.push(FieldError::new(
                    "floor_area_m2",
                    "project.ledger.number_invalid",
                ));
            }
            value
        });
        let land_area = errors.check(land(&self.land_area)).flatten();
        let longitude = number("longitude", &self.longitude, &mut errors);
        let latitude = number("latitude", &self.latitude, &mut errors);
        let pair = |planned: &str, actual: &str, errors: &mut FieldErrors| Dates {
            planned: date("dates", planned, errors),
            actual: date("dates", actual, errors),
        };
        let dates = KeyDates {
            signing: pair(&self.planned_signing, &self.actual_signing, &mut errors),
            start: pair(&self.planned_start, &self.actual_start, &mut errors),
            structure: pair(&self.planned_structure, &self.actual_structure, &mut errors),
            completion: pair(
                &self.planned_completion,
                &self.actual_completion,
                &mut errors,
            ),
            operation: pair(&self.planned_operation, &self.actual_operation, &mut errors),
        };
        errors.into_result()?;
        Ok(ProjectDraft {
            code: opt(&self.code),
            name: Some(self.name.clone()),
            platform: opt(&self.platform),
            kind,
            stage,
            department: opt(&self.department),
            leader: opt(&self.leader),
            total_investment,
            completed_investment,
            floor_area_m2,
            land_area,
            address: opt(&self.address),
            longitude,
            latitude,
            dates,
            notes: opt(&self.notes),
            illustrative: !self.illustrative.is_empty(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_parses_exactly_and_reports_every_field() {
        let form = ProjectForm {
            name: "树兰医院".into(),
            kind: "medical".into(),
            total_investment: "1,234.5678".into(),
            land_area: "12.5".into(),
            planned_start: "2020-04-02".into(),
            ..ProjectForm::default()
        };
        let draft = form.to_draft().unwrap();
        assert_eq!(draft.total_investment, Some(Money::from_yuan(12_345_678)));
        assert_eq!(draft.land_area, Some(LandArea(1250)));
        assert_eq!(draft.dates.start.planned.unwrap().to_string(), "2020-04-02");

        let bad = ProjectForm {
            total_investment: "-5".into(),
            land_area: "1.234".into(),
            planned_start: "2020-13-01".into(),
            longitude: "east".into(),
            kind: "castle".into(),
            ..ProjectForm::default()
        };
        let fields: Vec<_> = bad
            .to_draft()
            .unwrap_err()
            .0
            .iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            [
                "kind",
                "total_investment",
                "land_area",
                "longitude",
                "dates"
            ]
        );
    }
}
