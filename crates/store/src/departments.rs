//! The org tree.

use crate::{Result, Store, Tx, exec, on_db, on_tx};
use chrono::{DateTime, Utc};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DepartmentRow {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub kind: String,
    pub created_at: DateTime<Utc>,
    pub version: i64,
}

pub struct NewDepartment<'a> {
    pub parent_id: Option<i64>,
    pub name: &'a str,
    pub kind: &'a str,
    pub created_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, parent_id, name, kind, created_at, version";

impl Store {
    /// Every department, parents before children in tree order of ids.
    pub async fn departments(&self) -> Result<Vec<DepartmentRow>> {
        let sql = format!("SELECT {COLUMNS} FROM departments ORDER BY id");
        Ok(on_db!(self, pool => sqlx::query_as(&sql).fetch_all(pool).await)?)
    }

    pub async fn department(&self, id: i64) -> Result<Option<DepartmentRow>> {
        let sql = format!("SELECT {COLUMNS} FROM departments WHERE id = $1");
        Ok(on_db!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)?)
    }

    pub async fn department_in(&self, tx: &mut Tx, id: i64) -> Result<Option<DepartmentRow>> {
        let sql = format!("SELECT {COLUMNS} FROM departments WHERE id = $1");
        Ok(on_tx!(tx, conn => sqlx::query_as(&sql).bind(id).fetch_optional(conn).await)?)
    }

    pub async fn insert_department(&self, tx: &mut Tx, new: &NewDepartment<'_>) -> Result<i64> {
        let sql = "INSERT INTO departments (parent_id, name, kind, created_at) \
                   VALUES ($1, $2, $3, $4) RETURNING id";
        Ok(on_tx!(tx, conn => sqlx::query_scalar(sql)
            .bind(new.parent_id)
            .bind(new.name)
            .bind(new.kind)
            .bind(new.created_at)
            .fetch_one(conn)
            .await)?)
    }

    /// Renames and moves a department if it is still at `version`; false when someone else
    /// changed it first.
    pub async fn update_department(
        &self,
        tx: &mut Tx,
        id: i64,
        version: i64,
        name: &str,
        parent_id: Option<i64>,
    ) -> Result<bool> {
        let sql = "UPDATE departments SET name = $1, parent_id = $2, version = version + 1 \
                   WHERE id = $3 AND version = $4";
        let done = exec!(tx, conn => sqlx::query(sql)
            .bind(name)
            .bind(parent_id)
            .bind(id)
            .bind(version)
            .execute(conn)
            .await)?;
        Ok(done == 1)
    }
}
