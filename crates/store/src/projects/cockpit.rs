//! The leaders' cockpit (领导驾驶舱): aggregates of the ledger, one query each, every one
//! inside the caller's [`ProjectScope`] so figures never count rows the caller may not see.
//!
//! The figures come from the roll-ups of migration 0005 (`project_rollups`,
//! `progress_rollups`), which triggers keep current in the same transaction as every write,
//! so the cockpit costs the same for 100 projects or 100,000 and a million reports.

use super::children::{MILESTONE, MilestoneRow, PlanRow};
use super::list::{Bind, ProjectFilter, ProjectScope, ProjectTotals};
use super::rollups::{scope_rollup_rows, totals_sql};
use crate::{Result, Store, on_db};

/// How many red projects the cockpit lists by name.
pub const RED_LISTED: i64 = 100;

/// A count per value of one column (a stage, a status colour).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct CountBy {
    pub value: String,
    pub count: i64,
}

/// The figures of one platform (`platform_id` is `None` for projects on no platform).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct CockpitPlatform {
    pub platform_id: Option<i64>,
    pub platform_name: Option<String>,
    pub count: i64,
    pub total_investment: i64,
    pub completed_investment: i64,
    pub floor_area_m2: i64,
}

/// A project whose light is red, with what its reasons are computed from.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct CockpitRed {
    pub id: i64,
    pub name: String,
    pub platform_name: Option<String>,
    pub completed_investment: i64,
}

/// The investment reported for one period (`YYYY-MM`) by the projects in scope.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct CockpitMonth {
    pub period: String,
    pub invested: i64,
}

macro_rules! bind_each {
    ($query:expr, $binds:expr) => {{
        let mut query = $query;
        for bind in $binds {
            query = match bind {
                Bind::Int(value) => query.bind(*value),
                Bind::Text(text) => query.bind(text.clone()),
            };
        }
        query
    }};
}

/// The `WHERE` clause (possibly empty) and values of `scope`.
fn scoped(scope: &ProjectScope) -> (String, Vec<Bind>) {
    ProjectFilter::new(scope.clone()).to_sql()
}

impl Store {
    /// How many projects are in each stage.
    pub async fn cockpit_stages(&self, scope: &ProjectScope) -> Result<Vec<CountBy>> {
        self.cockpit_counts(scope, "stage").await
    }

    /// How many projects have each status colour.
    pub async fn cockpit_colours(&self, scope: &ProjectScope) -> Result<Vec<CountBy>> {
        self.cockpit_counts(scope, "status_colour").await
    }

    /// How many projects have each value of `column` (a roll-up key), values in order.
    async fn cockpit_counts(&self, scope: &ProjectScope, column: &str) -> Result<Vec<CountBy>> {
        let (rows, binds) = scope_rollup_rows(scope);
        let sql = format!(
            "SELECT {column} AS value, CAST(SUM(count) AS BIGINT) AS count FROM ({rows}) r \
             GROUP BY {column} HAVING SUM(count) > 0 ORDER BY {column}"
        );
        Ok(
            on_db!(self, pool => bind_each!(sqlx::query_as(&sql), &binds)
            .fetch_all(pool)
            .await)?,
        )
    }

    /// Count, investment and floor area per platform, by platform id (none last).
    pub async fn cockpit_platforms(&self, scope: &ProjectScope) -> Result<Vec<CockpitPlatform>> {
        let (rows, binds) = scope_rollup_rows(scope);
        let sql = format!(
            "SELECT NULLIF(t.platform_key, 0) AS platform_id, pl.name AS platform_name, t.count, \
             t.total_investment, t.completed_investment, t.floor_area_m2 FROM (\
             SELECT platform_key, CAST(SUM(count) AS BIGINT) AS count, \
             CAST(SUM(total_investment) AS BIGINT) AS total_investment, \
             CAST(SUM(completed_investment) AS BIGINT) AS completed_investment, \
             CAST(SUM(floor_area_m2) AS BIGINT) AS floor_area_m2 \
             FROM ({rows}) r GROUP BY platform_key HAVING SUM(count) > 0) t \
             LEFT JOIN platforms pl ON pl.id = t.platform_key \
             ORDER BY CASE WHEN t.platform_key = 0 THEN 1 ELSE 0 END, t.platform_key"
        );
        Ok(
            on_db!(self, pool => bind_each!(sqlx::query_as(&sql), &binds)
            .fetch_all(pool)
            .await)?,
        )
    }

    /// The count and sums of every project in scope.
    pub async fn cockpit_totals(&self, scope: &ProjectScope) -> Result<ProjectTotals> {
        let (rows, binds) = scope_rollup_rows(scope);
        let sql = totals_sql(&rows);
        Ok(
            on_db!(self, pool => bind_each!(sqlx::query_as(&sql), &binds)
            .fetch_one(pool)
            .await)?,
        )
    }

    /// The first [`RED_LISTED`] red projects in scope, by id (the count of all of them is in
    /// [`Store::cockpit_colours`]): a district with thousands of red projects lists a page of
    /// them, not thousands, each of which the cockpit assesses for its reasons.
    pub async fn cockpit_red(&self, scope: &ProjectScope) -> Result<Vec<CockpitRed>> {
        let mut filter = ProjectFilter::new(scope.clone());
        filter.status_colour = Some("red".to_owned());
        let (clause, binds) = filter.to_sql();
        let sql = format!(
            "SELECT r.id, r.name, pl.name AS platform_name, r.completed_investment FROM (\
             SELECT id, name, platform_id, completed_investment FROM projects{clause} \
             ORDER BY id LIMIT {RED_LISTED}) r \
             LEFT JOIN platforms pl ON pl.id = r.platform_id ORDER BY r.id"
        );
        Ok(
            on_db!(self, pool => bind_each!(sqlx::query_as(&sql), &binds)
            .fetch_all(pool)
            .await)?,
        )
    }

    /// The milestones and plan targets of the projects `ids` (the red ones listed), in two
    /// queries rather than two per project; milestones by planned date, targets by period.
    pub async fn cockpit_red_facts(
        &self,
        ids: &[i64],
    ) -> Result<(Vec<MilestoneRow>, Vec<PlanRow>)> {
        if ids.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        let list = (1..=ids.len())
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let milestones_sql = format!(
            "SELECT {MILESTONE} FROM milestones WHERE project_id IN ({list}) \
             ORDER BY project_id, planned, id"
        );
        let plan_sql = format!(
            "SELECT project_id, period, cumulative_target FROM investment_plan \
             WHERE project_id IN ({list}) ORDER BY project_id, period"
        );
        let milestones = on_db!(self, pool => {
            let mut query = sqlx::query_as(&milestones_sql);
            for id in ids {
                query = query.bind(*id);
            }
            query.fetch_all(pool).await
        })?;
        let plan = on_db!(self, pool => {
            let mut query = sqlx::query_as(&plan_sql);
            for id in ids {
                query = query.bind(*id);
            }
            query.fetch_all(pool).await
        })?;
        Ok((milestones, plan))
    }

    /// The investment reported per period by the projects in scope, oldest first.
    ///
    /// Read from `progress_rollups` (kept per department and period by triggers in the same
    /// transaction as every report), so the cost does not grow with the number of reports:
    /// the district sums every department's roll-up, a limited scope sums its departments'
    /// and adds the reports of the projects the user leads in other departments.
    pub async fn cockpit_months(&self, scope: &ProjectScope) -> Result<Vec<CockpitMonth>> {
        let (rows, binds) = match scope {
            ProjectScope::District => (
                "SELECT period, invested, reports FROM progress_rollups".to_owned(),
                Vec::new(),
            ),
            ProjectScope::Limited {
                departments,
                own_user,
            } => {
                let mut binds: Vec<Bind> = departments.iter().map(|d| Bind::Int(*d)).collect();
                let list = (1..=departments.len())
                    .map(|i| format!("${i}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let mut parts = Vec::new();
                if !departments.is_empty() {
                    parts.push(format!(
                        "SELECT period, invested, reports FROM progress_rollups \
                         WHERE department_id IN ({list})"
                    ));
                }
                if let Some(user) = own_user {
                    binds.push(Bind::Int(*user));
                    let elsewhere = if departments.is_empty() {
                        String::new()
                    } else {
                        format!(" AND p.department_id NOT IN ({list})")
                    };
                    parts.push(format!(
                        "SELECT r.period, r.invested_in_period AS invested, 1 AS reports \
                         FROM progress_reports r JOIN projects p ON p.id = r.project_id \
                         WHERE p.leader_user_id = ${}{elsewhere}",
                        binds.len()
                    ));
                }
                if parts.is_empty() {
                    return Ok(Vec::new());
                }
                (parts.join(" UNION ALL "), binds)
            }
        };
        let sql = format!(
            "SELECT period, CAST(SUM(invested) AS BIGINT) AS invested FROM ({rows}) t \
             GROUP BY period HAVING SUM(reports) > 0 ORDER BY period"
        );
        Ok(
            on_db!(self, pool => bind_each!(sqlx::query_as(&sql), &binds)
            .fetch_all(pool)
            .await)?,
        )
    }

    /// The same figures as [`Store::cockpit_months`], summed from every report in scope: the
    /// baseline the roll-up is checked (and benchmarked) against.
    pub async fn cockpit_months_from_reports(
        &self,
        scope: &ProjectScope,
    ) -> Result<Vec<CockpitMonth>> {
        let (clause, binds) = scoped(scope);
        let sql = format!(
            "SELECT period, CAST(SUM(invested_in_period) AS BIGINT) AS invested \
             FROM progress_reports WHERE project_id IN (SELECT id FROM projects{clause}) \
             GROUP BY period ORDER BY period"
        );
        Ok(
            on_db!(self, pool => bind_each!(sqlx::query_as(&sql), &binds)
            .fetch_all(pool)
            .await)?,
        )
    }
}
