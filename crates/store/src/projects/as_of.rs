//! The ledger as it stood at an instant, rebuilt from `project_revisions`: every create and
//! update keeps the whole row as a JSON snapshot, so the latest revision of each project
//! valid before the instant is the project as the ledger then said.
//!
//! The list is answered in SQL, like today's: each revision also keeps the columns the list
//! filters, sorts and sums on, and `valid_to`, the earliest `valid_from` of a later revision
//! (migration 0007), so the revisions in force at the instant are those with `valid_from`
//! before it and `valid_to` not before it: one pass over the revisions' columns (on SQLite
//! over one covering index, never the JSON), no lookup per project. The scope is the one the
//! caller has *now* (who may see a project's history is decided by who owns it today, as for
//! its page), applied on `projects`. Only the page's snapshots are read and decoded.

use super::ProjectRow;
use super::children::MilestoneRow;
use super::list::{
    Bind, ProjectFilter, ProjectPage, ProjectScope, ProjectSort, ProjectTotals, bind_all,
};
use crate::{Backend, Result, Store, StoreError, on_db};
use chrono::{DateTime, Utc};

fn decode(snapshot: &str) -> Result<ProjectRow> {
    serde_json::from_str(snapshot).map_err(|e| StoreError::Sql(sqlx::Error::Decode(Box::new(e))))
}

/// `clause` with each placeholder `$n` renumbered `$(n + by)`.
fn renumber(clause: &str, by: usize) -> String {
    let mut out = String::with_capacity(clause.len() + 8);
    let mut chars = clause.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '$' {
            let mut digits = String::new();
            while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                digits.push(*d);
                chars.next();
            }
            match digits.parse::<usize>() {
                Ok(n) => out.push_str(&(n + by).to_string()),
                Err(_) => out.push_str(&digits),
            }
        }
    }
    out
}

/// The sort's expression over `project_revisions`' columns: the list's, with the id and the
/// time of the change under their names there.
fn expression(sort: ProjectSort) -> &'static str {
    match sort {
        ProjectSort::Id => "project_id",
        ProjectSort::UpdatedAt => "valid_from",
        sort => sort.expression(),
    }
}

/// The `WHERE` clause selecting the revisions in force before `$1` that `filter` keeps
/// (its scope on today's `projects`), and its values after `$1`.
fn as_of_where(filter: &ProjectFilter) -> (String, Vec<Bind>) {
    let mut sql = String::from(" WHERE valid_from < $1 AND (valid_to IS NULL OR valid_to >= $1)");
    let (scope, mut binds) = ProjectFilter::new(filter.scope.clone()).to_sql();
    if let Some(scope) = scope.strip_prefix(" WHERE ") {
        sql.push_str(" AND project_id IN (SELECT id FROM projects WHERE ");
        sql.push_str(&renumber(scope, 1));
        sql.push(')');
    }
    let mut rest = filter.clone();
    rest.scope = ProjectScope::District;
    let (clause, rest_binds) = rest.to_sql();
    if let Some(clause) = clause.strip_prefix(" WHERE ") {
        sql.push_str(" AND ");
        sql.push_str(&renumber(clause, 1 + binds.len()));
    }
    binds.extend(rest_binds);
    (sql, binds)
}

impl Store {
    /// One project as its latest revision valid before `before`; `None` when it did not exist
    /// yet. The caller checks the scope.
    pub async fn project_as_of(
        &self,
        id: i64,
        before: DateTime<Utc>,
    ) -> Result<Option<ProjectRow>> {
        let sql = "SELECT snapshot FROM project_revisions WHERE project_id = $1 \
                   AND valid_from < $2 ORDER BY revision DESC LIMIT 1";
        let snapshot: Option<String> = on_db!(self, pool => sqlx::query_scalar(sql)
            .bind(id)
            .bind(before)
            .fetch_optional(pool)
            .await)?;
        snapshot.as_deref().map(decode).transpose()
    }

    /// A project's milestones as they stood before `before` (each milestone's latest revision
    /// by then; those added later are absent), by planned date. The caller checks the scope.
    pub async fn milestones_as_of(
        &self,
        project_id: i64,
        before: DateTime<Utc>,
    ) -> Result<Vec<MilestoneRow>> {
        let sql = "SELECT milestone_id AS id, project_id, name, planned, actual, owner_name, \
                   version FROM milestone_revisions r WHERE project_id = $1 AND valid_from < $2 \
                   AND NOT EXISTS (SELECT 1 FROM milestone_revisions n \
                   WHERE n.milestone_id = r.milestone_id AND n.version > r.version \
                   AND n.valid_from < $2) ORDER BY planned, milestone_id";
        Ok(on_db!(self, pool => sqlx::query_as(sql)
            .bind(project_id)
            .bind(before)
            .fetch_all(pool)
            .await)?)
    }

    /// [`Store::project_page`] over the ledger as it stood before `before`: the same filters,
    /// sort, paging and totals, applied to each project's latest revision by then. Projects
    /// created later are absent.
    pub async fn project_page_as_of(
        &self,
        filter: &ProjectFilter,
        before: DateTime<Utc>,
    ) -> Result<ProjectPage> {
        let (clause, binds) = as_of_where(filter);
        // SQLite's planner weighs an index by its declared columns, not their bytes, so it
        // would scan the table (mostly JSON) rather than the index holding every column
        // read here: five times the pages. The index is named on SQLite; PostgreSQL plans
        // with real sizes.
        let revisions = match self.backend() {
            Backend::Sqlite => "project_revisions INDEXED BY project_revisions_as_of",
            Backend::Postgres => "project_revisions",
        };
        let totals_sql = format!(
            "SELECT COUNT(*) AS count, \
             CAST(COALESCE(SUM(total_investment), 0) AS BIGINT) AS total_investment, \
             CAST(COALESCE(SUM(completed_investment), 0) AS BIGINT) AS completed_investment, \
             CAST(COALESCE(SUM(floor_area_m2), 0) AS BIGINT) AS floor_area_m2, \
             CAST(COALESCE(SUM(land_area_mu_x100), 0) AS BIGINT) AS land_area_mu_x100 \
             FROM {revisions}{clause}"
        );
        let totals: ProjectTotals = on_db!(self, pool => bind_all!(sqlx::query_as(&totals_sql).bind(before), &binds)
                .fetch_one(pool)
                .await)?;
        let direction = if filter.descending { "DESC" } else { "ASC" };
        let key = expression(filter.sort);
        // The page's keys are chosen on the columns; only their snapshots are read. Equal
        // sort keys are ordered by id, so pages never overlap or skip a row.
        let n = binds.len() + 1;
        let sql = format!(
            "SELECT r.snapshot FROM (SELECT project_id, revision, {key} AS sort_key \
             FROM {revisions}{clause} \
             ORDER BY {key} {direction}, project_id {direction} LIMIT ${} OFFSET ${}) k \
             JOIN project_revisions r ON r.project_id = k.project_id AND r.revision = k.revision \
             ORDER BY k.sort_key {direction}, k.project_id {direction}",
            n + 1,
            n + 2
        );
        let snapshots: Vec<String> = on_db!(self, pool => bind_all!(sqlx::query_scalar(&sql).bind(before), &binds)
                .bind(filter.limit)
                .bind(filter.offset)
                .fetch_all(pool)
                .await)?;
        let rows = snapshots
            .iter()
            .map(|s| decode(s))
            .collect::<Result<Vec<_>>>()?;
        Ok(ProjectPage { rows, totals })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_renumbered() {
        assert_eq!(
            renumber("a = $1 AND (b LIKE $12 ESCAPE '\\') AND $", 3),
            "a = $4 AND (b LIKE $15 ESCAPE '\\') AND $"
        );
    }

    #[test]
    fn the_scope_applies_to_todays_projects_and_the_filters_to_the_revision() {
        let mut filter = ProjectFilter::new(ProjectScope::Limited {
            departments: vec![2, 3],
            own_user: Some(9),
        });
        filter.stage = Some("signed".into());
        filter.department_id = Some(3);
        let (sql, binds) = as_of_where(&filter);
        assert_eq!(
            sql,
            " WHERE valid_from < $1 AND (valid_to IS NULL OR valid_to >= $1) AND project_id IN \
             (SELECT id FROM projects WHERE (department_id IN ($2, $3) OR leader_user_id = $4)) \
             AND stage = $5 AND department_id = $6"
        );
        assert_eq!(binds.len(), 5);
        let (sql, binds) = as_of_where(&ProjectFilter::new(ProjectScope::District));
        assert_eq!(
            sql,
            " WHERE valid_from < $1 AND (valid_to IS NULL OR valid_to >= $1)"
        );
        assert!(binds.is_empty());
        assert_eq!(expression(ProjectSort::Name), "name");
        assert_eq!(expression(ProjectSort::UpdatedAt), "valid_from");
    }
}
