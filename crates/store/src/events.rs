//! Events (集中开工 mass groundbreaking, 集中签约 mass signing): a dated ceremony and the
//! projects it groups. Totals are not stored: the service sums the linked projects the caller
//! may see.

use crate::projects::COLUMNS;
use crate::{ProjectRow, ProjectScope, Result, Store, Tx, exec, on_db, on_tx};
use chrono::{DateTime, NaiveDate, Utc};

/// An event as stored.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct EventRow {
    pub id: i64,
    /// `groundbreaking` or `signing`.
    pub kind: String,
    pub name: String,
    pub held_on: NaiveDate,
    pub place: Option<String>,
    pub department_id: i64,
    pub notes: Option<String>,
    pub illustrative: bool,
    pub created_at: DateTime<Utc>,
    pub version: i64,
}

/// A new event's fields.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NewEvent {
    pub kind: String,
    pub name: String,
    pub held_on: NaiveDate,
    pub place: Option<String>,
    pub department_id: i64,
    pub notes: Option<String>,
    pub illustrative: bool,
}

const EVENT_COLUMNS: &str =
    "id, kind, name, held_on, place, department_id, notes, illustrative, created_at, version";

/// The scope as a WHERE clause on `department_id` (and, for projects, `leader_user_id`),
/// with its values, placeholders numbered after `first` bound values.
fn scope_sql(scope: &ProjectScope, first: usize, with_leader: bool) -> (String, Vec<i64>) {
    match scope {
        ProjectScope::District => ("1 = 1".to_owned(), Vec::new()),
        ProjectScope::Limited {
            departments,
            own_user,
        } => {
            let mut values: Vec<i64> = departments.clone();
            let mut any = Vec::new();
            if !departments.is_empty() {
                let list: Vec<String> = (0..departments.len())
                    .map(|i| format!("${}", first + i + 1))
                    .collect();
                any.push(format!("department_id IN ({})", list.join(", ")));
            }
            if let (true, Some(user)) = (with_leader, own_user) {
                values.push(*user);
                any.push(format!("leader_user_id = ${}", first + values.len()));
            }
            if any.is_empty() {
                ("1 = 0".to_owned(), Vec::new())
            } else {
                (format!("({})", any.join(" OR ")), values)
            }
        }
    }
}

impl Store {
    /// Inserts an event at version 1 and returns it.
    pub async fn insert_event(
        &self,
        tx: &mut Tx,
        event: &NewEvent,
        at: DateTime<Utc>,
    ) -> Result<EventRow> {
        let sql = format!(
            "INSERT INTO events (kind, name, held_on, place, department_id, notes, illustrative, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {EVENT_COLUMNS}"
        );
        Ok(on_tx!(tx, conn => sqlx::query_as(&sql)
            .bind(&event.kind)
            .bind(&event.name)
            .bind(event.held_on)
            .bind(&event.place)
            .bind(event.department_id)
            .bind(&event.notes)
            .bind(event.illustrative)
            .bind(at)
            .fetch_one(conn)
            .await)?)
    }

    /// Links a project to an event (linking twice is one link).
    pub async fn link_event_project(
        &self,
        tx: &mut Tx,
        event_id: i64,
        project_id: i64,
    ) -> Result<()> {
        let sql = "INSERT INTO event_projects (event_id, project_id) VALUES ($1, $2) \
                   ON CONFLICT (event_id, project_id) DO NOTHING";
        exec!(tx, conn => sqlx::query(sql)
            .bind(event_id)
            .bind(project_id)
            .execute(conn)
            .await)?;
        Ok(())
    }

    /// Changes an event if it is still at `version`; `None` when someone changed it first.
    pub async fn update_event(
        &self,
        tx: &mut Tx,
        id: i64,
        version: i64,
        event: &NewEvent,
    ) -> Result<Option<EventRow>> {
        let sql = format!(
            "UPDATE events SET kind = $1, name = $2, held_on = $3, place = $4, \
             department_id = $5, notes = $6, illustrative = $7, version = version + 1 \
             WHERE id = $8 AND version = $9 RETURNING {EVENT_COLUMNS}"
        );
        Ok(on_tx!(tx, conn => sqlx::query_as(&sql)
            .bind(&event.kind)
            .bind(&event.name)
            .bind(event.held_on)
            .bind(&event.place)
            .bind(event.department_id)
            .bind(&event.notes)
            .bind(event.illustrative)
            .bind(id)
            .bind(version)
            .fetch_optional(conn)
            .await)?)
    }

    /// Removes the link between an event and a project.
    pub async fn unlink_event_project(
        &self,
        tx: &mut Tx,
        event_id: i64,
        project_id: i64,
    ) -> Result<()> {
        let sql = "DELETE FROM event_projects WHERE event_id = $1 AND project_id = $2";
        exec!(tx, conn => sqlx::query(sql)
            .bind(event_id)
            .bind(project_id)
            .execute(conn)
            .await)?;
        Ok(())
    }

    /// An event read in the write transaction.
    pub async fn event_in(&self, tx: &mut Tx, id: i64) -> Result<Option<EventRow>> {
        let sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE id = $1");
        Ok(on_tx!(tx, conn => sqlx::query_as(&sql).bind(id).fetch_optional(conn).await)?)
    }

    /// Every project linked to an event, whoever may see it, by id (for a change of links).
    pub async fn event_project_ids_in(&self, tx: &mut Tx, event_id: i64) -> Result<Vec<i64>> {
        let sql = "SELECT project_id FROM event_projects WHERE event_id = $1 ORDER BY project_id";
        Ok(on_tx!(tx, conn => sqlx::query_scalar(sql).bind(event_id).fetch_all(conn).await)?)
    }

    pub async fn event(&self, id: i64) -> Result<Option<EventRow>> {
        let sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE id = $1");
        Ok(on_db!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)?)
    }

    /// The events whose department is inside `scope`, latest first.
    pub async fn events(&self, scope: &ProjectScope) -> Result<Vec<EventRow>> {
        let (clause, values) = scope_sql(scope, 0, false);
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE {clause} ORDER BY held_on DESC, id DESC"
        );
        Ok(on_db!(self, pool => {
            let mut query = sqlx::query_as(&sql);
            for value in &values {
                query = query.bind(*value);
            }
            query.fetch_all(pool).await
        })?)
    }

    /// The projects linked to event `event_id` that are inside `scope`, by id.
    pub async fn event_projects(
        &self,
        event_id: i64,
        scope: &ProjectScope,
    ) -> Result<Vec<ProjectRow>> {
        let (clause, values) = scope_sql(scope, 1, true);
        let sql = format!(
            "SELECT {COLUMNS} FROM projects WHERE id IN \
             (SELECT project_id FROM event_projects WHERE event_id = $1) AND {clause} ORDER BY id"
        );
        Ok(on_db!(self, pool => {
            let mut query = sqlx::query_as(&sql).bind(event_id);
            for value in &values {
                query = query.bind(*value);
            }
            query.fetch_all(pool).await
        })?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scope_numbers_its_placeholders_after_the_first() {
        let scope = ProjectScope::Limited {
            departments: vec![3, 4],
            own_user: Some(9),
        };
        assert_eq!(
            scope_sql(&scope, 1, true),
            (
                "(department_id IN ($2, $3) OR leader_user_id = $4)".to_owned(),
                vec![3, 4, 9]
            )
        );
        assert_eq!(scope_sql(&scope, 0, false).0, "(department_id IN ($1, $2))");
        let nothing = ProjectScope::Limited {
            departments: vec![],
            own_user: Some(9),
        };
        assert_eq!(scope_sql(&nothing, 0, false).0, "1 = 0");
    }
}
