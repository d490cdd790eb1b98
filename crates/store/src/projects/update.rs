//! Updating a project with optimistic concurrency, writing only the columns that change.

use super::{COLUMNS, FIELD_COLUMNS, ProjectFields, ProjectRow};
use crate::{Result, Store, Tx, on_tx};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::QueryBuilder;

/// A writable column's value, compared with the stored one and bound when it differs.
#[derive(Clone, Copy, PartialEq)]
enum Cell<'a> {
    Text(Option<&'a str>),
    Int(Option<i64>),
    Real(Option<f64>),
    Day(Option<NaiveDate>),
    Flag(bool),
}

/// The columns [`cells`] gives, in its order.
fn columns() -> impl Iterator<Item = &'static str> {
    FIELD_COLUMNS.into_iter().chain(["status_colour"])
}

/// `f`'s values in [`FIELD_COLUMNS`] order, then the status colour.
fn cells(f: &ProjectFields) -> [Cell<'_>; 28] {
    use Cell::{Day, Flag, Int, Real, Text};
    let [s, st, su, c, o] = f.dates;
    [
        Text(f.code.as_deref()),
        Text(Some(&f.name)),
        Int(f.platform_id),
        Text(Some(&f.kind)),
        Text(Some(&f.stage)),
        Int(Some(f.department_id)),
        Int(f.leader_user_id),
        Text(f.leader_name.as_deref()),
        Int(Some(f.total_investment)),
        Int(Some(f.completed_investment)),
        Int(f.floor_area_m2),
        Int(f.land_area_mu_x100),
        Text(f.address.as_deref()),
        Real(f.longitude),
        Real(f.latitude),
        Day(s.0),
        Day(s.1),
        Day(st.0),
        Day(st.1),
        Day(su.0),
        Day(su.1),
        Day(c.0),
        Day(c.1),
        Day(o.0),
        Day(o.1),
        Text(f.notes.as_deref()),
        Flag(f.illustrative),
        Text(Some(&f.status_colour)),
    ]
}

/// The `UPDATE … RETURNING` of the `changed` columns, for whichever backend `$conn` is of.
macro_rules! update_query {
    ($changed:expr, $id:expr, $version:expr, $at:expr) => {{
        let mut query =
            QueryBuilder::new("UPDATE projects SET version = version + 1, updated_at = ");
        query.push_bind($at);
        for (column, cell) in $changed {
            query.push(", ").push(column).push(" = ");
            match *cell {
                Cell::Text(v) => query.push_bind(v),
                Cell::Int(v) => query.push_bind(v),
                Cell::Real(v) => query.push_bind(v),
                Cell::Day(v) => query.push_bind(v),
                Cell::Flag(v) => query.push_bind(v),
            };
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
        let before = current.fields();
        let changed: Vec<(&str, Cell<'_>)> = columns()
            .zip(cells(&before).into_iter().zip(cells(fields)))
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
