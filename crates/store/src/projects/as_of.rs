//! The ledger as it stood at an instant, rebuilt from `project_revisions`: every create and
//! update keeps the whole row as a JSON snapshot, so the latest revision of each project
//! valid before the instant is the project as the ledger then said.
//!
//! One query finds those revisions: for each project in the caller's scope, the revision
//! with the largest number before the instant, both looked up on the primary key, a batch of
//! projects at a time in id order so at most one batch of JSON is held at once. The scope is
//! the one the caller has *now* (who may see a project's history is decided by who owns it
//! today, as for its page). The other filters, the sort and the page apply in Rust to the
//! decoded snapshots, because the snapshot is one JSON text and the two backends read JSON
//! with different functions: the cost grows with the number of projects in scope (every
//! snapshot is read and decoded), not with the page.

use super::list::{ProjectFilter, ProjectPage, ProjectSort, ProjectTotals, bind_all};
use super::{ProjectRow, list::Bind};
use crate::{Result, Store, StoreError, on_db};
use chrono::{DateTime, Utc};
use std::cmp::Ordering;

/// Projects whose snapshots are read and decoded per query.
const AS_OF_BATCH: i64 = 5_000;

fn decode(snapshot: &str) -> Result<ProjectRow> {
    serde_json::from_str(snapshot).map_err(|e| StoreError::Sql(sqlx::Error::Decode(Box::new(e))))
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

    /// [`Store::project_page`] over the ledger as it stood before `before`: the same filters,
    /// sort, paging and totals, applied to each project's latest revision by then. Projects
    /// created later are absent.
    pub async fn project_page_as_of(
        &self,
        filter: &ProjectFilter,
        before: DateTime<Utc>,
    ) -> Result<ProjectPage> {
        let (scope, binds) = ProjectFilter::new(filter.scope.clone()).to_sql();
        // The scope's clause (on `projects`' own columns) joins the batch's id range.
        let scope = scope
            .strip_prefix(" WHERE ")
            .map(|clause| format!(" AND {clause}"))
            .unwrap_or_default();
        let n = binds.len();
        // The latest revision before the instant of each project in scope, a batch of
        // projects at a time in id order, so no more than one batch of JSON is held at once.
        let sql = format!(
            "SELECT r.project_id, r.snapshot FROM projects p \
             JOIN project_revisions r ON r.project_id = p.id AND r.revision = (\
                 SELECT MAX(l.revision) FROM project_revisions l \
                 WHERE l.project_id = p.id AND l.valid_from < ${}\
             ) \
             WHERE p.id > ${}{scope} ORDER BY p.id LIMIT ${}",
            n + 1,
            n + 2,
            n + 3
        );
        let mut rows = Vec::new();
        let mut after = 0_i64;
        loop {
            let batch: Vec<(i64, String)> = on_db!(self, pool => bind_all!(sqlx::query_as(&sql), &binds)
                .bind(before)
                .bind(after)
                .bind(AS_OF_BATCH)
                .fetch_all(pool)
                .await)?;
            for (_, snapshot) in &batch {
                let row = decode(snapshot)?;
                if filter.matches(&row) {
                    rows.push(row);
                }
            }
            match batch.last() {
                Some((last, _)) if batch.len() as i64 == AS_OF_BATCH => after = *last,
                _ => break,
            }
        }
        let totals = totals(&rows);
        rows.sort_by(|a, b| filter.compare(a, b));
        let offset = usize::try_from(filter.offset).unwrap_or(usize::MAX);
        let limit = usize::try_from(filter.limit).unwrap_or(0);
        let rows = rows.into_iter().skip(offset).take(limit).collect();
        Ok(ProjectPage { rows, totals })
    }
}

/// The sums of `rows` (saturating: the ledger's amounts are far from `i64::MAX`).
fn totals(rows: &[ProjectRow]) -> ProjectTotals {
    rows.iter().fold(
        ProjectTotals {
            count: rows.len() as i64,
            ..ProjectTotals::default()
        },
        |t, r| ProjectTotals {
            count: t.count,
            total_investment: t.total_investment.saturating_add(r.total_investment),
            completed_investment: t
                .completed_investment
                .saturating_add(r.completed_investment),
            floor_area_m2: t.floor_area_m2.saturating_add(r.floor_area_m2.unwrap_or(0)),
            land_area_mu_x100: t
                .land_area_mu_x100
                .saturating_add(r.land_area_mu_x100.unwrap_or(0)),
        },
    )
}

/// The place of a stage or a colour in its own order, as [`ProjectSort`] sorts in SQL.
fn rank(code: &str, order: &[&str]) -> usize {
    order.iter().position(|c| *c == code).unwrap_or(order.len())
}

impl ProjectFilter {
    /// Whether a row passes the filters other than the scope (the SQL `WHERE` in Rust;
    /// the text is matched case-insensitively, as SQLite's `LIKE` does).
    pub(super) fn matches(&self, row: &ProjectRow) -> bool {
        fn same<T: PartialEq>(wanted: &Option<T>, value: T) -> bool {
            wanted.as_ref().is_none_or(|w| *w == value)
        }
        let text = self
            .text
            .as_deref()
            .filter(|t| !t.is_empty())
            .map(str::to_lowercase);
        let has_text = |field: Option<&str>, needle: &str| {
            field.is_some_and(|f| f.to_lowercase().contains(needle))
        };
        same(&self.platform_id.map(Some), row.platform_id)
            && same(&self.stage.as_deref(), row.stage.as_str())
            && same(&self.kind.as_deref(), row.kind.as_str())
            && same(
                &self.leader.as_deref().map(Some),
                row.leader_name.as_deref(),
            )
            && same(&self.department_id, row.department_id)
            && same(&self.status_colour.as_deref(), row.status_colour.as_str())
            && text.is_none_or(|t| {
                has_text(Some(&row.name), &t)
                    || has_text(row.code.as_deref(), &t)
                    || has_text(row.address.as_deref(), &t)
            })
    }

    /// The list's order: the sort key, then id, both in the chosen direction.
    pub(super) fn compare(&self, a: &ProjectRow, b: &ProjectRow) -> Ordering {
        const STAGES: [&str; 5] = [
            "pipeline",
            "signed",
            "under_construction",
            "structure_done",
            "completed",
        ];
        // Unknown colours sort with green, as the SQL's `ELSE 0`.
        const COLOURS: [&str; 3] = ["green", "yellow", "red"];
        let colour = |code: &str| rank(code, &COLOURS) % COLOURS.len();
        let key = match self.sort {
            ProjectSort::Id => Ordering::Equal,
            ProjectSort::Name => a.name.cmp(&b.name),
            ProjectSort::Code => a.code.cmp(&b.code),
            ProjectSort::Stage => rank(&a.stage, &STAGES).cmp(&rank(&b.stage, &STAGES)),
            ProjectSort::Kind => a.kind.cmp(&b.kind),
            ProjectSort::TotalInvestment => a.total_investment.cmp(&b.total_investment),
            ProjectSort::CompletedInvestment => a.completed_investment.cmp(&b.completed_investment),
            ProjectSort::FloorArea => a.floor_area_m2.cmp(&b.floor_area_m2),
            ProjectSort::LandArea => a.land_area_mu_x100.cmp(&b.land_area_mu_x100),
            ProjectSort::PlannedStart => a.planned_start.cmp(&b.planned_start),
            ProjectSort::Status => colour(&a.status_colour).cmp(&colour(&b.status_colour)),
            ProjectSort::UpdatedAt => a.updated_at.cmp(&b.updated_at),
        };
        let order = key.then(a.id.cmp(&b.id));
        if self.descending {
            order.reverse()
        } else {
            order
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ProjectScope;

    fn row(id: i64, name: &str, stage: &str, total: i64) -> ProjectRow {
        let at = "2020-03-01T00:00:00Z".parse().unwrap();
        ProjectRow {
            id,
            code: None,
            name: name.into(),
            platform_id: None,
            kind: "medical".into(),
            stage: stage.into(),
            department_id: 1,
            leader_user_id: None,
            leader_name: None,
            total_investment: total,
            completed_investment: 0,
            floor_area_m2: Some(10),
            land_area_mu_x100: None,
            address: Some("Jingshi Road".into()),
            longitude: None,
            latitude: None,
            planned_signing: None,
            actual_signing: None,
            planned_start: None,
            actual_start: None,
            planned_structure: None,
            actual_structure: None,
            planned_completion: None,
            actual_completion: None,
            planned_operation: None,
            actual_operation: None,
            notes: None,
            illustrative: false,
            status_colour: "green".into(),
            created_at: at,
            updated_at: at,
            version: 1,
        }
    }

    #[test]
    fn snapshots_filter_and_sort_as_the_sql_does() {
        let rows = [
            row(1, "树兰医院", "signed", 30),
            row(2, "齐鲁制药", "pipeline", 20),
            row(3, "树兰二期", "completed", 20),
        ];
        let mut filter = ProjectFilter::new(ProjectScope::District);
        filter.text = Some("JINGSHI".into());
        assert!(rows.iter().all(|r| filter.matches(r)));
        filter.text = Some("树兰".into());
        filter.stage = Some("signed".into());
        let kept: Vec<i64> = rows
            .iter()
            .filter(|r| filter.matches(r))
            .map(|r| r.id)
            .collect();
        assert_eq!(kept, [1]);

        let mut filter = ProjectFilter::new(ProjectScope::District);
        filter.sort = ProjectSort::TotalInvestment;
        filter.descending = true;
        let mut sorted = rows.to_vec();
        sorted.sort_by(|a, b| filter.compare(a, b));
        let ids: Vec<i64> = sorted.iter().map(|r| r.id).collect();
        assert_eq!(ids, [1, 3, 2], "equal keys fall back to id, also reversed");
        filter.sort = ProjectSort::Stage;
        filter.descending = false;
        sorted.sort_by(|a, b| filter.compare(a, b));
        let ids: Vec<i64> = sorted.iter().map(|r| r.id).collect();
        assert_eq!(ids, [2, 1, 3]);
    }

    #[test]
    fn totals_sum_the_whole_filtered_set() {
        let t = totals(&[row(1, "a", "signed", 30), row(2, "b", "signed", 12)]);
        assert_eq!((t.count, t.total_investment, t.floor_area_m2), (2, 42, 20));
    }
}
