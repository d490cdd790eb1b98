//! The key-project ledger (重点项目台账): one row per project, written with optimistic
//! concurrency, each change kept as a revision so the ledger can be rebuilt as of a date.
//!
//! - [`list`]: the filtered, sorted, paged list with its totals, inside the caller's scope;
//!   [`list_row`]: the same page with only the columns the ledger page shows.
//! - [`cockpit`]: the leaders' cockpit figures, inside the caller's scope.
//! - [`children`]: platforms, stage history, milestones, progress reports, investment plan.
//! - [`bulk`]: whole projects with their children, many rows per statement (`districtops gen`).
//! - [`as_of`]: the ledger as it stood at an instant, rebuilt from the revisions.
//! - [`revisions`]: writing the revisions of projects and milestones.
//! - [`chart`]: the battle chart's milestones for a page of projects.
//! - [`status`]: the status light per month and its manual overrides; [`status_facts`]: what
//!   the light is computed from, in one read inside a write.
//! - [`goals`]: platform roadmaps and annual targets, with each target's actual from the ledger.

pub mod as_of;
pub mod batch;
pub mod bulk;
pub mod chart;
pub mod children;
pub mod cockpit;
pub mod goals;
pub mod list;
pub mod list_row;
pub mod map;
pub mod revisions;
mod rollups;
pub mod status;
pub mod status_facts;
pub(crate) mod totals_cache;
mod update;

use crate::{Result, Store, Tx, exec, on_db, on_tx};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A project as stored. Money is whole 元; the land area is hundredths of a 亩. Its JSON is
/// the revision snapshot the ledger "as of a date" is rebuilt from: a field added later needs
/// `#[serde(default)]`, so older snapshots still read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct ProjectRow {
    pub id: i64,
    pub code: Option<String>,
    pub name: String,
    pub platform_id: Option<i64>,
    pub kind: String,
    pub stage: String,
    pub department_id: i64,
    pub leader_user_id: Option<i64>,
    pub leader_name: Option<String>,
    pub total_investment: i64,
    pub completed_investment: i64,
    pub floor_area_m2: Option<i64>,
    pub land_area_mu_x100: Option<i64>,
    pub address: Option<String>,
    pub longitude: Option<f64>,
    pub latitude: Option<f64>,
    pub planned_signing: Option<NaiveDate>,
    pub actual_signing: Option<NaiveDate>,
    pub planned_start: Option<NaiveDate>,
    pub actual_start: Option<NaiveDate>,
    pub planned_structure: Option<NaiveDate>,
    pub actual_structure: Option<NaiveDate>,
    pub planned_completion: Option<NaiveDate>,
    pub actual_completion: Option<NaiveDate>,
    pub planned_operation: Option<NaiveDate>,
    pub actual_operation: Option<NaiveDate>,
    pub notes: Option<String>,
    pub illustrative: bool,
    pub status_colour: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

/// The writable fields of a project (everything but id, timestamps and version).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProjectFields {
    pub code: Option<String>,
    pub name: String,
    pub platform_id: Option<i64>,
    pub kind: String,
    pub stage: String,
    pub department_id: i64,
    pub leader_user_id: Option<i64>,
    pub leader_name: Option<String>,
    pub total_investment: i64,
    pub completed_investment: i64,
    pub floor_area_m2: Option<i64>,
    pub land_area_mu_x100: Option<i64>,
    pub address: Option<String>,
    pub longitude: Option<f64>,
    pub latitude: Option<f64>,
    /// Planned and actual dates of signing, start, structure, completion, operation.
    pub dates: [(Option<NaiveDate>, Option<NaiveDate>); 5],
    pub notes: Option<String>,
    pub illustrative: bool,
    pub status_colour: String,
}

impl ProjectRow {
    /// The writable fields as they are now (to edit a copy).
    pub fn fields(&self) -> ProjectFields {
        ProjectFields {
            code: self.code.clone(),
            name: self.name.clone(),
            platform_id: self.platform_id,
            kind: self.kind.clone(),
            stage: self.stage.clone(),
            department_id: self.department_id,
            leader_user_id: self.leader_user_id,
            leader_name: self.leader_name.clone(),
            total_investment: self.total_investment,
            completed_investment: self.completed_investment,
            floor_area_m2: self.floor_area_m2,
            land_area_mu_x100: self.land_area_mu_x100,
            address: self.address.clone(),
            longitude: self.longitude,
            latitude: self.latitude,
            dates: [
                (self.planned_signing, self.actual_signing),
                (self.planned_start, self.actual_start),
                (self.planned_structure, self.actual_structure),
                (self.planned_completion, self.actual_completion),
                (self.planned_operation, self.actual_operation),
            ],
            notes: self.notes.clone(),
            illustrative: self.illustrative,
            status_colour: self.status_colour.clone(),
        }
    }
}

pub(crate) const COLUMNS: &str = "id, code, name, platform_id, kind, stage, department_id, \
    leader_user_id, leader_name, total_investment, completed_investment, floor_area_m2, \
    land_area_mu_x100, address, longitude, latitude, planned_signing, actual_signing, \
    planned_start, actual_start, planned_structure, actual_structure, planned_completion, \
    actual_completion, planned_operation, actual_operation, notes, illustrative, status_colour, \
    created_at, updated_at, version";

/// The writable columns, in the order [`cells`] gives their values.
const FIELD_COLUMNS: [&str; 28] = [
    "code",
    "name",
    "platform_id",
    "kind",
    "stage",
    "department_id",
    "leader_user_id",
    "leader_name",
    "total_investment",
    "completed_investment",
    "floor_area_m2",
    "land_area_mu_x100",
    "address",
    "longitude",
    "latitude",
    "planned_signing",
    "actual_signing",
    "planned_start",
    "actual_start",
    "planned_structure",
    "actual_structure",
    "planned_completion",
    "actual_completion",
    "planned_operation",
    "actual_operation",
    "notes",
    "illustrative",
    "status_colour",
];

/// A writable column's value, as an `INSERT` or `UPDATE` binds it (and as an update compares
/// it with the stored one).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Cell<'a> {
    Text(Option<&'a str>),
    Int(Option<i64>),
    Real(Option<f64>),
    Day(Option<NaiveDate>),
    Flag(bool),
}

/// The values of `$f` (a [`ProjectFields`] or a [`ProjectRow`]) in [`FIELD_COLUMNS`] order,
/// with its ten dates (planned and actual signing, start, structure, completion, operation)
/// given in that order.
macro_rules! cells_of {
    ($f:expr, [$($day:expr),* $(,)?]) => {{
        use Cell::{Day, Flag, Int, Real, Text};
        let [ps, as_, pst, ast, psu, asu, pc, ac, po, ao] = [$($day),*];
        [
            Text($f.code.as_deref()),
            Text(Some(&$f.name)),
            Int($f.platform_id),
            Text(Some(&$f.kind)),
            Text(Some(&$f.stage)),
            Int(Some($f.department_id)),
            Int($f.leader_user_id),
            Text($f.leader_name.as_deref()),
            Int(Some($f.total_investment)),
            Int(Some($f.completed_investment)),
            Int($f.floor_area_m2),
            Int($f.land_area_mu_x100),
            Text($f.address.as_deref()),
            Real($f.longitude),
            Real($f.latitude),
            Day(ps),
            Day(as_),
            Day(pst),
            Day(ast),
            Day(psu),
            Day(asu),
            Day(pc),
            Day(ac),
            Day(po),
            Day(ao),
            Text($f.notes.as_deref()),
            Flag($f.illustrative),
            Text(Some(&$f.status_colour)),
        ]
    }};
}

/// `f`'s values in [`FIELD_COLUMNS`] order.
fn cells(f: &ProjectFields) -> [Cell<'_>; 28] {
    let [s, st, su, c, o] = f.dates;
    cells_of!(f, [s.0, s.1, st.0, st.1, su.0, su.1, c.0, c.1, o.0, o.1])
}

/// A stored row's values in [`FIELD_COLUMNS`] order.
fn row_cells(r: &ProjectRow) -> [Cell<'_>; 28] {
    cells_of!(
        r,
        [
            r.planned_signing,
            r.actual_signing,
            r.planned_start,
            r.actual_start,
            r.planned_structure,
            r.actual_structure,
            r.planned_completion,
            r.actual_completion,
            r.planned_operation,
            r.actual_operation,
        ]
    )
}

/// Binds a [`Cell`] on a `QueryBuilder` (or a row of its `push_values`), whichever backend it
/// is for.
macro_rules! bind_cell {
    ($query:expr, $cell:expr) => {
        match $cell {
            Cell::Text(v) => $query.push_bind(v),
            Cell::Int(v) => $query.push_bind(v),
            Cell::Real(v) => $query.push_bind(v),
            Cell::Day(v) => $query.push_bind(v),
            Cell::Flag(v) => $query.push_bind(v),
        }
    };
}
use bind_cell;

/// [`bind_cell!`] with the value copied, so the statement does not borrow the row.
macro_rules! bind_cell_owned {
    ($query:expr, $cell:expr) => {
        match $cell {
            Cell::Text(v) => $query.push_bind(v.map(str::to_owned)),
            Cell::Int(v) => $query.push_bind(v),
            Cell::Real(v) => $query.push_bind(v),
            Cell::Day(v) => $query.push_bind(v),
            Cell::Flag(v) => $query.push_bind(v),
        }
    };
}
use bind_cell_owned;

impl Store {
    pub async fn project(&self, id: i64) -> Result<Option<ProjectRow>> {
        let sql = format!("SELECT {COLUMNS} FROM projects WHERE id = $1");
        Ok(on_db!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)?)
    }

    /// The project, read inside a write transaction (to decide on the freshest state).
    pub async fn project_in(&self, tx: &mut Tx, id: i64) -> Result<Option<ProjectRow>> {
        let sql = format!("SELECT {COLUMNS} FROM projects WHERE id = $1");
        Ok(on_tx!(tx, conn => sqlx::query_as(&sql).bind(id).fetch_optional(conn).await)?)
    }

    /// Inserts a project at version 1 and returns it.
    pub async fn insert_project(
        &self,
        tx: &mut Tx,
        fields: ProjectFields,
        at: DateTime<Utc>,
    ) -> Result<ProjectRow> {
        let mut rows = self.insert_projects(tx, vec![fields], at).await?;
        rows.pop()
            .ok_or_else(|| crate::StoreError::Integrity("a project was not inserted".into()))
    }

    /// Caches the computed status colour (not a new version: the colour is derived).
    pub async fn set_project_colour(&self, tx: &mut Tx, id: i64, colour: &str) -> Result<()> {
        exec!(tx, conn => sqlx::query("UPDATE projects SET status_colour = $1 WHERE id = $2")
            .bind(colour)
            .bind(id)
            .execute(conn)
            .await)?;
        Ok(())
    }

    /// Every committed project's id, code and name, in id order: an import matches its rows
    /// on them, normalised (which SQL cannot compare), then reads the few it matched
    /// ([`Store::projects_by_id`]). Read outside any write transaction: while an import writes,
    /// this is still the ledger as it stood before it.
    pub async fn project_keys(&self) -> Result<Vec<(i64, Option<String>, String)>> {
        let sql = "SELECT id, code, name FROM projects ORDER BY id";
        Ok(on_db!(self, pool => sqlx::query_as(sql).fetch_all(pool).await)?)
    }

    /// The committed projects with these ids, in id order, asked 400 ids at a time.
    pub async fn projects_by_id(&self, ids: &[i64]) -> Result<Vec<ProjectRow>> {
        const BATCH: usize = 400;
        let mut found: Vec<ProjectRow> = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(BATCH) {
            let placeholders: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT {COLUMNS} FROM projects WHERE id IN ({})",
                placeholders.join(", ")
            );
            let rows: Vec<ProjectRow> = on_db!(self, pool => {
                let mut query = sqlx::query_as(&sql);
                for id in chunk {
                    query = query.bind(id);
                }
                query.fetch_all(pool).await
            })?;
            found.extend(rows);
        }
        found.sort_by_key(|r| r.id);
        found.dedup_by_key(|r| r.id);
        Ok(found)
    }

    /// How many projects the ledger holds, as committed.
    pub async fn project_count(&self) -> Result<i64> {
        let sql = "SELECT COUNT(*) FROM projects";
        Ok(on_db!(self, pool => sqlx::query_scalar(sql).fetch_one(pool).await)?)
    }

    /// How many revisions a project has (for tests and the history view).
    pub async fn count_project_revisions(&self, project_id: i64) -> Result<i64> {
        let sql = "SELECT COUNT(*) FROM project_revisions WHERE project_id = $1";
        Ok(on_db!(self, pool => sqlx::query_scalar(sql).bind(project_id).fetch_one(pool).await)?)
    }
}
