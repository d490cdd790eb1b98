//! Many new projects in one statement (an import's created rows): the rows the one-by-one
//! [`Store::insert_project`] would write, `INSERT … VALUES (…), (…), … RETURNING` a few hundred
//! at a time. The roll-up triggers fire per row as for any other write.

use super::{COLUMNS, Cell, FIELD_COLUMNS, ProjectFields, ProjectRow, bind_cell, cells};
use crate::{Result, Store, StoreError, Tx, on_tx};
use chrono::{DateTime, Utc};
use sqlx::QueryBuilder;
use std::collections::{HashMap, VecDeque};

/// Projects per statement: 30 values each, under SQLite's 32,766 bound values.
const PROJECTS_PER_STATEMENT: usize = 500;

/// What tells inserted rows apart: code, name and platform (the table's unique keys).
type Key = (Option<String>, String, Option<i64>);

impl Store {
    /// Inserts `projects` at version 1, created and updated `at`, and returns the rows in the
    /// order given (ids rise in that order, as one insert after another would give them).
    pub async fn insert_projects(
        &self,
        tx: &mut Tx,
        projects: &[ProjectFields],
        at: DateTime<Utc>,
    ) -> Result<Vec<ProjectRow>> {
        let mut rows = Vec::with_capacity(projects.len());
        for chunk in projects.chunks(PROJECTS_PER_STATEMENT) {
            rows.extend(self.insert_projects_chunk(tx, chunk, at).await?);
        }
        Ok(rows)
    }

    async fn insert_projects_chunk(
        &self,
        tx: &mut Tx,
        projects: &[ProjectFields],
        at: DateTime<Utc>,
    ) -> Result<Vec<ProjectRow>> {
        let mut inserted: Vec<ProjectRow> = on_tx!(tx, conn => {
            let mut query = QueryBuilder::new(format!(
                "INSERT INTO projects ({}, created_at, updated_at) ",
                FIELD_COLUMNS.join(", ")
            ));
            query.push_values(projects, |mut row, f| {
                for cell in cells(f) {
                    bind_cell!(row, cell);
                }
                row.push_bind(at).push_bind(at);
            });
            query.push(format!(" RETURNING {COLUMNS}"));
            query.build_query_as().fetch_all(&mut *conn).await
        })?;
        // RETURNING does not promise the order of the VALUES: put each row back in the place
        // of the input with its keys (among equal keys, by rising id).
        inserted.sort_by_key(|r| r.id);
        let mut places: HashMap<Key, VecDeque<usize>> = HashMap::new();
        for (i, f) in projects.iter().enumerate() {
            let key = (f.code.clone(), f.name.clone(), f.platform_id);
            places.entry(key).or_default().push_back(i);
        }
        let mut slots: Vec<Option<ProjectRow>> = vec![None; projects.len()];
        for row in inserted {
            let key = (row.code.clone(), row.name.clone(), row.platform_id);
            let place = places
                .get_mut(&key)
                .and_then(VecDeque::pop_front)
                .ok_or_else(|| {
                    StoreError::Integrity("an inserted project matches no input".into())
                })?;
            slots[place] = Some(row);
        }
        slots
            .into_iter()
            .map(|row| {
                row.ok_or_else(|| StoreError::Integrity("a project was not inserted".into()))
            })
            .collect()
    }
}
