//! Many new projects at once (an import's created rows): their ids taken first, so the rows
//! as they will be stored are known before they are written ([`Store::new_projects`]), then
//! written `INSERT … VALUES (…), (…), …` a thousand at a time
//! ([`Store::prepare_new_projects`], [`Store::run`]). The roll-up triggers fire per row as for
//! any other write.
//!
//! Knowing the rows first lets a caller prepare what follows them (revision snapshots, audit
//! records) while the database writes the rows, and spares reading back what was just written.

use super::{Cell, FIELD_COLUMNS, ProjectFields, ProjectRow, bind_cell_owned, row_cells};
use crate::prepared::{Prepared, prepare};
use crate::{Result, Store, StoreError, Tx, on_tx};
use chrono::{DateTime, SubsecRound, Utc};

/// Projects per statement: 31 values each, under SQLite's 32,766 bound values (each statement
/// journals every page it changes once, so fewer, larger statements copy fewer pages).
const PROJECTS_PER_STATEMENT: usize = 1_000;

impl Store {
    /// Inserts `projects` at version 1, created and updated `at`, and returns the rows in the
    /// order given (ids rise in that order).
    pub async fn insert_projects(
        &self,
        tx: &mut Tx,
        projects: Vec<ProjectFields>,
        at: DateTime<Utc>,
    ) -> Result<Vec<ProjectRow>> {
        let rows = self.new_projects(tx, projects, at, None).await?;
        for (mut statement, chunk) in self
            .prepare_new_projects(&rows)
            .into_iter()
            .zip(rows.chunks(PROJECTS_PER_STATEMENT))
        {
            if self.run(tx, &mut statement).await? != chunk.len() as u64 {
                return Err(StoreError::Integrity("a project was not inserted".into()));
            }
        }
        Ok(rows)
    }

    /// The rows `projects` become at version 1, created and updated `at` (to the microsecond,
    /// as both databases keep it), with ids taken in the order given, above `after` (the last
    /// id taken in `tx` for rows not written yet). Nothing is written: the
    /// [`Store::prepare_new_projects`] statements must write them in `tx`, before any project is
    /// inserted there otherwise (on SQLite the ids are the next ones free, which the
    /// transaction's write lock keeps free; on PostgreSQL they are drawn from the sequence).
    pub async fn new_projects(
        &self,
        tx: &mut Tx,
        projects: Vec<ProjectFields>,
        at: DateTime<Utc>,
        after: Option<i64>,
    ) -> Result<Vec<ProjectRow>> {
        let ids = self.next_project_ids(tx, projects.len(), after).await?;
        let at = at.trunc_subsecs(6);
        Ok(ids
            .into_iter()
            .zip(projects)
            .map(|(id, f)| new_row(id, f, at))
            .collect())
    }

    /// The statements that insert rows made by [`Store::new_projects`], to [run](Store::run)
    /// in order (they hold copies of the values, so they can be made on another thread).
    pub fn prepare_new_projects(&self, rows: &[ProjectRow]) -> Vec<Prepared<'static>> {
        let sql = format!(
            "INSERT INTO projects (id, {}, created_at, updated_at) ",
            FIELD_COLUMNS.join(", ")
        );
        rows.chunks(PROJECTS_PER_STATEMENT)
            .map(|chunk| {
                prepare!(self.backend(), sql.clone(), |query| {
                    query.push_values(chunk, |mut values, row| {
                        values.push_bind(row.id);
                        for cell in row_cells(row) {
                            bind_cell_owned!(values, cell);
                        }
                        values.push_bind(row.created_at).push_bind(row.updated_at);
                    });
                })
            })
            .collect()
    }

    /// `n` ids no project has yet, rising, above `after`.
    async fn next_project_ids(
        &self,
        tx: &mut Tx,
        n: usize,
        after: Option<i64>,
    ) -> Result<Vec<i64>> {
        if n == 0 {
            return Ok(Vec::new());
        }
        let count = i64::try_from(n).map_err(|_| StoreError::Integrity("too many ids".into()))?;
        let mut ids: Vec<i64> = match tx {
            // AUTOINCREMENT gives max(the highest id ever given, the highest id now) + 1.
            Tx::Sqlite(writer) => {
                let last: i64 = sqlx::query_scalar(
                    "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence \
                     WHERE name = 'projects'), 0), COALESCE((SELECT MAX(id) FROM projects), 0))",
                )
                .fetch_one(&mut **writer)
                .await?;
                let last = last.max(after.unwrap_or(0));
                (last + 1..=last + count).collect()
            }
            Tx::Postgres(_) => on_tx!(tx, conn => sqlx::query_scalar(
                "SELECT nextval(pg_get_serial_sequence('projects', 'id')) \
                 FROM generate_series(1, $1)",
            )
            .bind(count)
            .fetch_all(conn)
            .await)?,
        };
        ids.sort_unstable();
        Ok(ids)
    }
}

/// Project `id` as `f` makes it, new at `at`.
fn new_row(id: i64, f: ProjectFields, at: DateTime<Utc>) -> ProjectRow {
    let [signing, start, structure, completion, operation] = f.dates;
    ProjectRow {
        id,
        code: f.code,
        name: f.name,
        platform_id: f.platform_id,
        kind: f.kind,
        stage: f.stage,
        department_id: f.department_id,
        leader_user_id: f.leader_user_id,
        leader_name: f.leader_name,
        total_investment: f.total_investment,
        completed_investment: f.completed_investment,
        floor_area_m2: f.floor_area_m2,
        land_area_mu_x100: f.land_area_mu_x100,
        address: f.address,
        longitude: f.longitude,
        latitude: f.latitude,
        planned_signing: signing.0,
        actual_signing: signing.1,
        planned_start: start.0,
        actual_start: start.1,
        planned_structure: structure.0,
        actual_structure: structure.1,
        planned_completion: completion.0,
        actual_completion: completion.1,
        planned_operation: operation.0,
        actual_operation: operation.1,
        notes: f.notes,
        illustrative: f.illustrative,
        status_colour: f.status_colour,
        created_at: at,
        updated_at: at,
        version: 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::projects::cells;

    #[test]
    fn a_new_row_holds_its_fields_and_binds_them_as_the_fields_would() {
        let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2020, 4, d);
        let fields = ProjectFields {
            code: Some("HY-1".into()),
            name: "树兰医院".into(),
            platform_id: Some(2),
            kind: "medical".into(),
            stage: "signed".into(),
            department_id: 3,
            leader_user_id: Some(9),
            leader_name: Some("王区长".into()),
            total_investment: 2_136_280_000,
            completed_investment: 1,
            floor_area_m2: Some(236_834),
            land_area_mu_x100: Some(7_763),
            address: Some("经十路".into()),
            longitude: Some(116.97),
            latitude: Some(36.67),
            // Ten different dates, so a date bound in another's place shows.
            dates: [
                (day(1), day(2)),
                (day(3), day(4)),
                (day(5), day(6)),
                (day(7), day(8)),
                (day(9), day(10)),
            ],
            notes: Some("备注".into()),
            illustrative: true,
            status_colour: "red".into(),
        };
        let row = new_row(7, fields.clone(), DateTime::UNIX_EPOCH);
        assert_eq!((row.id, row.version), (7, 1));
        assert_eq!(row.fields(), fields);
        assert_eq!(row_cells(&row), cells(&fields));
    }
}
