//! The ledger's sums from `project_rollups` (migration 0005): the count and sums of the
//! projects per department, platform, stage, kind and status colour, which triggers keep in
//! the same transaction as every write of a project.
//!
//! A filter on those columns only is answered by adding up roll-up rows, a few thousand at
//! most whatever the size of the ledger. The caller's scope stays exact: a limited scope takes
//! its departments' roll-ups and adds, project by project, the projects the user leads in
//! other departments. A filter on the leader's name or a text search has no roll-up and is
//! summed from the projects themselves.

use super::list::{Bind, ProjectFilter, ProjectScope};

/// The columns of [`ProjectFilter`] a roll-up row is keyed by, with the roll-up's column.
fn dimensions(filter: &ProjectFilter) -> [(&'static str, &'static str, Option<Bind>); 5] {
    [
        (
            "platform_key",
            "COALESCE(platform_id, 0)",
            filter.platform_id.map(Bind::Int),
        ),
        ("stage", "stage", filter.stage.clone().map(Bind::Text)),
        ("kind", "kind", filter.kind.clone().map(Bind::Text)),
        (
            "department_id",
            "department_id",
            filter.department_id.map(Bind::Int),
        ),
        (
            "status_colour",
            "status_colour",
            filter.status_colour.clone().map(Bind::Text),
        ),
    ]
}

/// A query whose rows add up to the count and sums of the projects `filter` matches, with the
/// columns `department_id, platform_key, stage, kind, status_colour, count,
/// total_investment, completed_investment, floor_area_m2, land_area_mu_x100`; `None` when
/// the filter has no roll-up (a leader's name or a text search). Paging and sorting are
/// ignored.
pub(super) fn rollup_rows(filter: &ProjectFilter) -> Option<(String, Vec<Bind>)> {
    if filter.leader.is_some() || filter.text.as_deref().is_some_and(|t| !t.is_empty()) {
        return None;
    }
    Some(rows_of(filter))
}

/// As [`rollup_rows`], for every project of `scope`.
pub(super) fn scope_rollup_rows(scope: &ProjectScope) -> (String, Vec<Bind>) {
    rows_of(&ProjectFilter::new(scope.clone()))
}

/// The roll-up query of a filter whose leader and text are not set.
fn rows_of(filter: &ProjectFilter) -> (String, Vec<Bind>) {
    let mut binds = Vec::new();
    let mut next = |bind: Bind| {
        binds.push(bind);
        format!("${}", binds.len())
    };
    let mut rollup_where = Vec::new();
    let mut project_where = Vec::new();
    for (rollup_column, project_column, bind) in dimensions(filter) {
        if let Some(bind) = bind {
            let placeholder = next(bind);
            rollup_where.push(format!("{rollup_column} = {placeholder}"));
            project_where.push(format!("{project_column} = {placeholder}"));
        }
    }
    const ROLLUP: &str = "SELECT department_id, platform_key, stage, kind, status_colour, count, \
        total_investment, completed_investment, floor_area_m2, land_area_mu_x100 \
        FROM project_rollups";
    let rows = match &filter.scope {
        ProjectScope::District => with_where(ROLLUP.to_owned(), &rollup_where),
        ProjectScope::Limited {
            departments,
            own_user,
        } => {
            let list: Vec<String> = departments.iter().map(|d| next(Bind::Int(*d))).collect();
            let mut parts = Vec::new();
            if !list.is_empty() {
                let mut clauses = rollup_where.clone();
                clauses.push(format!("department_id IN ({})", list.join(", ")));
                parts.push(with_where(ROLLUP.to_owned(), &clauses));
            }
            if let Some(user) = own_user {
                let mut clauses = project_where.clone();
                clauses.push(format!("leader_user_id = {}", next(Bind::Int(*user))));
                if !list.is_empty() {
                    clauses.push(format!("department_id NOT IN ({})", list.join(", ")));
                }
                parts.push(with_where(
                    "SELECT department_id, COALESCE(platform_id, 0) AS platform_key, stage, \
                     kind, status_colour, 1 AS count, total_investment, completed_investment, \
                     COALESCE(floor_area_m2, 0) AS floor_area_m2, \
                     COALESCE(land_area_mu_x100, 0) AS land_area_mu_x100 FROM projects"
                        .to_owned(),
                    &clauses,
                ));
            }
            if parts.is_empty() {
                // Sees nothing: a query with the right columns, no rows and no values.
                return (format!("{ROLLUP} WHERE 1 = 0"), Vec::new());
            } else {
                parts.join(" UNION ALL ")
            }
        }
    };
    (rows, binds)
}

fn with_where(select: String, clauses: &[String]) -> String {
    if clauses.is_empty() {
        select
    } else {
        format!("{select} WHERE {}", clauses.join(" AND "))
    }
}

/// The totals row (count and sums) of `rows`, a [`rollup_rows`] query.
pub(super) fn totals_sql(rows: &str) -> String {
    format!(
        "SELECT CAST(COALESCE(SUM(count), 0) AS BIGINT) AS count, \
         CAST(COALESCE(SUM(total_investment), 0) AS BIGINT) AS total_investment, \
         CAST(COALESCE(SUM(completed_investment), 0) AS BIGINT) AS completed_investment, \
         CAST(COALESCE(SUM(floor_area_m2), 0) AS BIGINT) AS floor_area_m2, \
         CAST(COALESCE(SUM(land_area_mu_x100), 0) AS BIGINT) AS land_area_mu_x100 \
         FROM ({rows}) r"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_leader_filters_have_no_rollup() {
        let mut filter = ProjectFilter::new(ProjectScope::District);
        filter.text = Some("医院".into());
        assert!(rollup_rows(&filter).is_none());
        filter.text = None;
        filter.leader = Some("王区长".into());
        assert!(rollup_rows(&filter).is_none());
    }

    #[test]
    fn a_limited_scope_adds_the_users_own_projects_elsewhere() {
        let mut filter = ProjectFilter::new(ProjectScope::Limited {
            departments: vec![2, 3],
            own_user: Some(9),
        });
        filter.stage = Some("signed".into());
        let (sql, binds) = rollup_rows(&filter).unwrap();
        assert_eq!(binds.len(), 4);
        assert!(
            sql.contains("FROM project_rollups WHERE stage = $1 AND department_id IN ($2, $3)")
        );
        assert!(sql.contains(
            "FROM projects WHERE stage = $1 AND leader_user_id = $4 AND department_id NOT IN ($2, $3)"
        ));
        let nobody = ProjectFilter::new(ProjectScope::Limited {
            departments: vec![],
            own_user: None,
        });
        assert!(rollup_rows(&nobody).unwrap().0.ends_with("WHERE 1 = 0"));
    }
}
