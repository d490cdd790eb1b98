//! `/api/v1/projects`: the key-project ledger as JSON. One file per action below; the shapes
//! shared by them are here. Money is always an integer count of 元 in a field named
//! `…_yuan`, never a float.

pub mod children;
pub mod list;
pub mod map;
pub mod milestones;
pub mod one;
pub mod plan;
pub mod stage;
pub mod status;

use chrono::{DateTime, NaiveDate, Utc};
use districtops_domain::money::Money;
use districtops_domain::projects::{Dates, KeyDates, LandArea, ProjectDraft, ProjectKind, Stage};
use districtops_domain::validation::{FieldError, FieldErrors};
use districtops_store::ProjectRow;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Planned and actual date of one key moment.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, ToSchema)]
pub struct DatePair {
    pub planned: Option<NaiveDate>,
    pub actual: Option<NaiveDate>,
}

/// The key dates of a project.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, ToSchema)]
pub struct KeyDatesJson {
    #[serde(default)]
    pub signing: DatePair,
    #[serde(default)]
    pub start: DatePair,
    #[serde(default)]
    pub structure: DatePair,
    #[serde(default)]
    pub completion: DatePair,
    #[serde(default)]
    pub operation: DatePair,
}

/// A project to create, or the new state of one to update (`PUT` replaces every field;
/// absent kind, stage and department keep their value).
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
pub struct ProjectInput {
    pub code: Option<String>,
    #[schema(example = "树兰（济南）医院")]
    pub name: Option<String>,
    /// The platform's name.
    pub platform: Option<String>,
    /// `medical`, `headquarters`, `industrial`, `research_platform`, `infrastructure`,
    /// `education` or `other`.
    pub kind: Option<String>,
    /// `pipeline`, `signed`, `under_construction`, `structure_done`, `completed`,
    /// `in_operation`.
    pub stage: Option<String>,
    /// The owning department's id or name (default: the caller's).
    pub department: Option<String>,
    /// The responsible leader's name.
    pub leader: Option<String>,
    /// Whole 元.
    pub total_investment_yuan: Option<i64>,
    /// Whole 元.
    pub completed_investment_yuan: Option<i64>,
    pub floor_area_m2: Option<i64>,
    /// Hundredths of a 亩 (12.5 亩 is 1250).
    pub land_area_mu_x100: Option<i64>,
    pub address: Option<String>,
    pub longitude: Option<f64>,
    pub latitude: Option<f64>,
    #[serde(default)]
    pub dates: KeyDatesJson,
    pub notes: Option<String>,
    #[serde(default)]
    pub illustrative: bool,
    /// Required for an update: the version the change was made from.
    pub version: Option<i64>,
    /// A backward stage change that corrects a mistaken entry.
    #[serde(default)]
    pub correction: bool,
}

impl ProjectInput {
    /// The draft the services check; kind and stage that do not parse are field errors.
    pub fn to_draft(&self) -> Result<ProjectDraft, FieldErrors> {
        let mut errors = FieldErrors::default();
        let kind = self
            .kind
            .as_deref()
            .and_then(|k| errors.check(ProjectKind::parse(k.trim())));
        let stage = self
            .stage
            .as_deref()
            .and_then(|s| errors.check(Stage::parse(s.trim())));
        errors.into_result()?;
        let pair = |p: DatePair| Dates {
            planned: p.planned,
            actual: p.actual,
        };
        let d = self.dates;
        Ok(ProjectDraft {
            code: self.code.clone(),
            name: self.name.clone(),
            platform: self.platform.clone(),
            kind,
            stage,
            department: self.department.clone(),
            leader: self.leader.clone(),
            total_investment: self.total_investment_yuan.map(Money::from_yuan),
            completed_investment: self.completed_investment_yuan.map(Money::from_yuan),
            floor_area_m2: self.floor_area_m2,
            land_area: self.land_area_mu_x100.map(LandArea),
            address: self.address.clone(),
            longitude: self.longitude,
            latitude: self.latitude,
            dates: KeyDates {
                signing: pair(d.signing),
                start: pair(d.start),
                structure: pair(d.structure),
                completion: pair(d.completion),
                operation: pair(d.operation),
            },
            notes: self.notes.clone(),
            illustrative: self.illustrative,
        })
    }

    /// The version of an update; its absence is a field error.
    pub fn version(&self) -> Result<i64, FieldError> {
        self.version
            .ok_or(FieldError::new("version", "validation.required"))
    }
}

/// A project as the API shows it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ProjectJson {
    pub id: i64,
    pub code: Option<String>,
    pub name: String,
    pub platform_id: Option<i64>,
    pub kind: String,
    pub stage: String,
    pub department_id: i64,
    pub leader_user_id: Option<i64>,
    pub leader_name: Option<String>,
    pub total_investment_yuan: i64,
    pub completed_investment_yuan: i64,
    pub floor_area_m2: Option<i64>,
    pub land_area_mu_x100: Option<i64>,
    pub address: Option<String>,
    pub longitude: Option<f64>,
    pub latitude: Option<f64>,
    pub dates: KeyDatesJson,
    pub notes: Option<String>,
    pub illustrative: bool,
    /// `green`, `yellow` or `red`, computed.
    pub status_colour: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

impl From<&ProjectRow> for ProjectJson {
    fn from(r: &ProjectRow) -> Self {
        let pair = |planned, actual| DatePair { planned, actual };
        Self {
            id: r.id,
            code: r.code.clone(),
            name: r.name.clone(),
            platform_id: r.platform_id,
            kind: r.kind.clone(),
            stage: r.stage.clone(),
            department_id: r.department_id,
            leader_user_id: r.leader_user_id,
            leader_name: r.leader_name.clone(),
            total_investment_yuan: r.total_investment,
            completed_investment_yuan: r.completed_investment,
            floor_area_m2: r.floor_area_m2,
            land_area_mu_x100: r.land_area_mu_x100,
            address: r.address.clone(),
            longitude: r.longitude,
            latitude: r.latitude,
            dates: KeyDatesJson {
                signing: pair(r.planned_signing, r.actual_signing),
                start: pair(r.planned_start, r.actual_start),
                structure: pair(r.planned_structure, r.actual_structure),
                completion: pair(r.planned_completion, r.actual_completion),
                operation: pair(r.planned_operation, r.actual_operation),
            },
            notes: r.notes.clone(),
            illustrative: r.illustrative,
            status_colour: r.status_colour.clone(),
            created_at: r.created_at,
            updated_at: r.updated_at,
            version: r.version,
        }
    }
}
