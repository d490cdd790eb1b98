//! The ledger page's rows: only the columns the page shows. Reading all 32 columns of a
//! [`ProjectRow`] and then dropping most of them was most of the page's CPU (each value is
//! copied out of SQLite and decoded); the API list keeps the full row.

use super::ProjectRow;
use super::list::{Bind, ProjectFilter, ProjectPage, ProjectTotals, bind_all};
use crate::{Db, Result, Store, StoreError};

/// One row of the ledger page as read: what the page shows of a project.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ProjectListRow {
    pub id: i64,
    pub code: Option<String>,
    pub name: String,
    pub kind: String,
    pub stage: String,
    pub leader_name: Option<String>,
    pub total_investment: i64,
    pub completed_investment: i64,
    pub floor_area_m2: Option<i64>,
    pub land_area_mu_x100: Option<i64>,
    pub illustrative: bool,
    pub status_colour: String,
}

/// The columns of [`ProjectListRow`], in its order.
pub(super) const LIST_COLUMNS: &str = "id, code, name, kind, stage, leader_name, \
    total_investment, completed_investment, floor_area_m2, land_area_mu_x100, illustrative, \
    status_colour";

/// One page of the ledger as the page shows it, with the count and totals of everything the
/// filter matches.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProjectListPage {
    pub rows: Vec<ProjectListRow>,
    pub totals: ProjectTotals,
}

impl From<&ProjectRow> for ProjectListRow {
    fn from(row: &ProjectRow) -> Self {
        Self {
            id: row.id,
            code: row.code.clone(),
            name: row.name.clone(),
            kind: row.kind.clone(),
            stage: row.stage.clone(),
            leader_name: row.leader_name.clone(),
            total_investment: row.total_investment,
            completed_investment: row.completed_investment,
            floor_area_m2: row.floor_area_m2,
            land_area_mu_x100: row.land_area_mu_x100,
            illustrative: row.illustrative,
            status_colour: row.status_colour.clone(),
        }
    }
}

impl From<&ProjectPage> for ProjectListPage {
    fn from(page: &ProjectPage) -> Self {
        Self {
            rows: page.rows.iter().map(ProjectListRow::from).collect(),
            totals: page.totals,
        }
    }
}

/// A [`ProjectListRow`] as one element of the SQLite page's JSON array, in [`LIST_COLUMNS`]
/// order (`illustrative` is SQLite's 0 or 1).
type JsonRow = (
    i64,
    Option<String>,
    String,
    String,
    String,
    Option<String>,
    i64,
    i64,
    Option<i64>,
    Option<i64>,
    i64,
    String,
);

/// The rows of a SQLite page read as one JSON array (see [`Store::project_list_page`]).
fn decode_json_rows(json: &str) -> Result<Vec<ProjectListRow>> {
    let rows: Vec<JsonRow> = decode_json(json)?;
    Ok(rows
        .into_iter()
        .map(|r| ProjectListRow {
            id: r.0,
            code: r.1,
            name: r.2,
            kind: r.3,
            stage: r.4,
            leader_name: r.5,
            total_investment: r.6,
            completed_investment: r.7,
            floor_area_m2: r.8,
            land_area_mu_x100: r.9,
            illustrative: r.10 != 0,
            status_colour: r.11,
        })
        .collect())
}

/// The page query `page` (which reads [`LIST_COLUMNS`] and `sort_key`) as one row holding a
/// JSON array of its rows, in the page's order (`sort_key`, then `id`, in `direction`).
fn as_json_array(page: &str, direction: &str) -> String {
    format!(
        "SELECT COALESCE(json_group_array(json_array({LIST_COLUMNS}) \
         ORDER BY sort_key {direction}, id {direction}), '[]') FROM ({page}) p"
    )
}

impl Store {
    /// [`Store::project_page`] with only the columns the ledger page shows: the same rows, in
    /// the same order, with the same totals.
    ///
    /// On SQLite the page comes back as one JSON array in one row: sqlx hands every row from
    /// its SQLite worker thread to the request's task and copies each value out on the way,
    /// and for a page of small rows that hand-over, not SQLite, was most of the time.
    /// PostgreSQL's rows arrive on the request's own task, so they are read as rows. (Reading
    /// the totals in the same statement was tried: one query less, but the statement holds
    /// both plans, and SQLite prepares it again on every run because a bound value feeds its
    /// statistics (STAT4); it measured about 10% slower.)
    pub async fn project_list_page(&self, filter: &ProjectFilter) -> Result<ProjectListPage> {
        let key = filter.sort.expression();
        let (totals, sql, binds) = self
            .page_query(filter, &format!("{LIST_COLUMNS}, {key} AS sort_key"))
            .await?;
        let rows = match &self.db {
            Db::Sqlite { read, .. } => {
                let direction = if filter.descending { "DESC" } else { "ASC" };
                let sql = as_json_array(&sql, direction);
                let json: String = bind_all!(sqlx::query_scalar(&sql), &binds)
                    .bind(filter.limit)
                    .bind(filter.offset)
                    .fetch_one(read)
                    .await?;
                decode_json_rows(&json)?
            }
            Db::Postgres(pool) => {
                bind_all!(sqlx::query_as(&sql), &binds)
                    .bind(filter.limit)
                    .bind(filter.offset)
                    .fetch_all(pool)
                    .await?
            }
        };
        Ok(ProjectListPage { rows, totals })
    }
}

/// Ids and names, by id.
pub type Named = Vec<(i64, String)>;

impl Store {
    /// The ledger filters' choices: every platform and every department (id and name, by
    /// id). On SQLite both lists come in one row (as [`Store::project_list_page`]'s rows do).
    pub async fn filter_choices(&self) -> Result<(Named, Named)> {
        match &self.db {
            Db::Sqlite { read, .. } => {
                let sql = "SELECT \
                    (SELECT COALESCE(json_group_array(json_array(id, name) ORDER BY id), '[]') \
                     FROM platforms), \
                    (SELECT COALESCE(json_group_array(json_array(id, name) ORDER BY id), '[]') \
                     FROM departments)";
                let (platforms, departments): (String, String) =
                    sqlx::query_as(sql).fetch_one(read).await?;
                Ok((decode_json(&platforms)?, decode_json(&departments)?))
            }
            Db::Postgres(_) => {
                let platforms = self.platforms().await?;
                let departments = self.departments().await?;
                Ok((
                    platforms.into_iter().map(|p| (p.id, p.name)).collect(),
                    departments.into_iter().map(|d| (d.id, d.name)).collect(),
                ))
            }
        }
    }
}

fn decode_json<T: serde::de::DeserializeOwned>(json: &str) -> Result<T> {
    serde_json::from_str(json).map_err(|e| StoreError::Sql(sqlx::Error::Decode(Box::new(e))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_rows_decode_in_order_with_nulls_and_flags() {
        let json = r#"[[7,"XM-1","医院\"二期\"","medical","signed","王区长",100,5,null,1250,1,"red"],
                      [3,null,"路","road","pipeline",null,0,0,12,null,0,"green"]]"#;
        let rows = decode_json_rows(json).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].id, 7);
        assert_eq!(rows[0].name, "医院\"二期\"");
        assert_eq!(rows[0].leader_name.as_deref(), Some("王区长"));
        assert_eq!(
            (rows[0].floor_area_m2, rows[0].land_area_mu_x100),
            (None, Some(1250))
        );
        assert!(rows[0].illustrative);
        assert_eq!((rows[1].id, rows[1].code.as_deref()), (3, None));
        assert!(!rows[1].illustrative);
        assert_eq!(decode_json_rows("[]").unwrap(), Vec::new());
        assert!(decode_json_rows("[[1]]").is_err());
    }

    #[test]
    fn the_json_page_keeps_the_pages_order() {
        let sql = as_json_array("SELECT x FROM projects", "DESC");
        assert!(sql.contains("ORDER BY sort_key DESC, id DESC), '[]')"));
        assert!(sql.ends_with("FROM (SELECT x FROM projects) p"));
    }
}
