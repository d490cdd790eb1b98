//! Updating a project with optimistic concurrency, writing only the columns that change.

use super::{COLUMNS, Cell, FIELD_COLUMNS, ProjectFields, ProjectRow, bind_cell, cells, row_cells};
use crate::{Result, Store, Tx, on_tx};
use chrono::{DateTime, Utc};
use sqlx::QueryBuilder;

/// The `UPDATE … RETURNING` of the `changed` columns, for whichever backend `$conn` is of.
macro_rules! update_query {
    ($changed:expr, $id:expr, $version:expr, $at:expr) => {{
        let mut query =
            QueryBuilder::new("UPDATE projects SET version = version + 1, updated_at = ");
        query.push_bind($at);
        for (column, cell) in $changed {
            query.push(", ").push(column).push(" = ");
            bind_cell!(query, *cell);
        }
        query
            .push(" WHERE id = ")
            .push_bind($id)
            .push(" AND version = ")
            .push_bind($version)
            .push(" RETURNING ")
            .push(COLUMNS);
        query
    }};
}

impl Store {
    /// Writes `fields` over `current` (the project as read in this transaction) if it is
    /// still at `version`, moving it to the next version; `None` when someone else changed it
    /// first. Only the columns that change are written: SQLite rewrites the index entries of
    /// every column an `UPDATE` names, and with the ledger's ten indexes that was most of an
    /// edit's time in the writer.
    pub async fn update_project(
        &self,
        tx: &mut Tx,
        current: &ProjectRow,
        version: i64,
        fields: &ProjectFields,
        at: DateTime<Utc>,
    ) -> Result<Option<ProjectRow>> {
        let changed: Vec<(&str, Cell<'_>)> = FIELD_COLUMNS
            .into_iter()
            .zip(row_cells(current).into_iter().zip(cells(fields)))
            .filter(|(_, (was, is))| was != is)
            .map(|(column, (_, is))| (column, is))
            .collect();
        Ok(
            on_tx!(tx, conn => update_query!(&changed, current.id, version, at)
            .build_query_as()
            .fetch_optional(conn)
            .await)?,
        )
    }
}
