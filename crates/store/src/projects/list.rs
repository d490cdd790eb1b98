//! The ledger list: server-side filters, a whitelisted sort with a stable tiebreak on id,
//! limit/offset paging, the total count and a totals row of the filtered set. The caller's
//! data scope is one of the filters, so rows outside it never leave the database.

use super::rollups::{rollup_rows, totals_sql};
use super::{COLUMNS, ProjectRow};
use crate::{Backend, Db, Result, Store, on_db};

/// The rows a caller may see, as the service computed it from their access.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProjectScope {
    /// Every project of the district.
    District,
    /// Projects of these departments, and projects the user leads.
    Limited {
        departments: Vec<i64>,
        own_user: Option<i64>,
    },
}

/// The columns the list may be sorted by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ProjectSort {
    #[default]
    Id,
    Name,
    Code,
    Stage,
    Kind,
    TotalInvestment,
    CompletedInvestment,
    FloorArea,
    LandArea,
    PlannedStart,
    Status,
    UpdatedAt,
}

impl ProjectSort {
    pub const ALL: [ProjectSort; 12] = [
        Self::Id,
        Self::Name,
        Self::Code,
        Self::Stage,
        Self::Kind,
        Self::TotalInvestment,
        Self::CompletedInvestment,
        Self::FloorArea,
        Self::LandArea,
        Self::PlannedStart,
        Self::Status,
        Self::UpdatedAt,
    ];

    /// The name used in URLs and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::Name => "name",
            Self::Code => "code",
            Self::Stage => "stage",
            Self::Kind => "kind",
            Self::TotalInvestment => "total_investment",
            Self::CompletedInvestment => "completed_investment",
            Self::FloorArea => "floor_area",
            Self::LandArea => "land_area",
            Self::PlannedStart => "planned_start",
            Self::Status => "status",
            Self::UpdatedAt => "updated_at",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|sort| sort.as_str() == raw)
    }

    /// The SQL expression sorted on: a fixed text, never the caller's input. Stages and
    /// colours sort in their own order, not alphabetically.
    pub(super) fn expression(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::Name => "name",
            Self::Code => "code",
            Self::Stage => {
                "CASE stage WHEN 'pipeline' THEN 0 WHEN 'signed' THEN 1 \
                 WHEN 'under_construction' THEN 2 WHEN 'structure_done' THEN 3 \
                 WHEN 'completed' THEN 4 ELSE 5 END"
            }
            Self::Kind => "kind",
            Self::TotalInvestment => "total_investment",
            Self::CompletedInvestment => "completed_investment",
            Self::FloorArea => "floor_area_m2",
            Self::LandArea => "land_area_mu_x100",
            Self::PlannedStart => "planned_start",
            Self::Status => "CASE status_colour WHEN 'red' THEN 2 WHEN 'yellow' THEN 1 ELSE 0 END",
            Self::UpdatedAt => "updated_at",
        }
    }
}

/// Which projects to list, in which order, which page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectFilter {
    pub scope: ProjectScope,
    pub platform_id: Option<i64>,
    pub stage: Option<String>,
    pub kind: Option<String>,
    /// The leader's name as the ledger writes it.
    pub leader: Option<String>,
    pub department_id: Option<i64>,
    pub status_colour: Option<String>,
    /// Part of the name, code or address (wildcards in it are taken literally).
    pub text: Option<String>,
    pub sort: ProjectSort,
    pub descending: bool,
    pub limit: i64,
    pub offset: i64,
}

impl ProjectFilter {
    /// Everything the scope allows, by id, first page of 50.
    pub fn new(scope: ProjectScope) -> Self {
        Self {
            scope,
            platform_id: None,
            stage: None,
            kind: None,
            leader: None,
            department_id: None,
            status_colour: None,
            text: None,
            sort: ProjectSort::Id,
            descending: false,
            limit: 50,
            offset: 0,
        }
    }
}

/// The sums of the filtered set (not only of the page).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct ProjectTotals {
    pub count: i64,
    pub total_investment: i64,
    pub completed_investment: i64,
    pub floor_area_m2: i64,
    pub land_area_mu_x100: i64,
}

/// One page of the list with the count and totals of everything the filter matches.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProjectPage {
    pub rows: Vec<ProjectRow>,
    pub totals: ProjectTotals,
}

#[derive(Debug)]
pub(super) enum Bind {
    Int(i64),
    Text(String),
}

/// `text` with `\`, `%` and `_` escaped for `LIKE … ESCAPE '\'`.
pub fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Whether the filter's equality terms may be answered from their indexes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FilterIndexes {
    Use,
    /// Written as `+column = …`, which SQLite documents as taking a term out of index use:
    /// the planner then walks the sort column's index and stops after one page.
    Skip,
}

/// From how many matching rows on, SQLite walks the sort column's index rather than the
/// filter's. Walking the sort index reads about `page × table ÷ matches` rows and sorts
/// nothing; the filter's index reads every match and sorts them all. Above a few thousand
/// matches the walk wins by far (at 100,000 projects, 40,000 matches: ~1 ms against ~50 ms);
/// below, the filter's index does.
const WALK_SORT_INDEX_FROM: i64 = 2_000;

impl ProjectSort {
    /// Whether a plain index serves this order (see the migrations: `projects_name`,
    /// `projects_total`, `projects_updated` are `(column, id)`; `id` is the key).
    fn has_index(self) -> bool {
        matches!(
            self,
            Self::Id | Self::Name | Self::TotalInvestment | Self::UpdatedAt
        )
    }
}

impl ProjectFilter {
    /// The WHERE clause and its values, placeholders numbered from `$1`.
    pub(super) fn to_sql(&self) -> (String, Vec<Bind>) {
        self.to_sql_with(FilterIndexes::Use)
    }

    fn to_sql_with(&self, indexes: FilterIndexes) -> (String, Vec<Bind>) {
        let plus = match indexes {
            FilterIndexes::Use => "",
            FilterIndexes::Skip => "+",
        };
        let mut clauses: Vec<String> = Vec::new();
        let mut binds: Vec<Bind> = Vec::new();
        let next = |bind: Bind, binds: &mut Vec<Bind>| {
            binds.push(bind);
            format!("${}", binds.len())
        };
        match &self.scope {
            ProjectScope::District => {}
            ProjectScope::Limited {
                departments,
                own_user,
            } => {
                let mut any = Vec::new();
                if !departments.is_empty() {
                    let list: Vec<String> = departments
                        .iter()
                        .map(|d| next(Bind::Int(*d), &mut binds))
                        .collect();
                    any.push(format!("{plus}department_id IN ({})", list.join(", ")));
                }
                if let Some(user) = own_user {
                    any.push(format!(
                        "leader_user_id = {}",
                        next(Bind::Int(*user), &mut binds)
                    ));
                }
                if any.is_empty() {
                    clauses.push("1 = 0".to_owned());
                } else {
                    clauses.push(format!("({})", any.join(" OR ")));
                }
            }
        }
        let equal = [
            ("platform_id", self.platform_id.map(Bind::Int)),
            ("stage", self.stage.clone().map(Bind::Text)),
            ("kind", self.kind.clone().map(Bind::Text)),
            ("leader_name", self.leader.clone().map(Bind::Text)),
            ("department_id", self.department_id.map(Bind::Int)),
            ("status_colour", self.status_colour.clone().map(Bind::Text)),
        ];
        for (column, bind) in equal {
            if let Some(bind) = bind {
                clauses.push(format!("{plus}{column} = {}", next(bind, &mut binds)));
            }
        }
        if let Some(text) = self.text.as_deref().filter(|t| !t.is_empty()) {
            let p = next(Bind::Text(format!("%{}%", escape_like(text))), &mut binds);
            clauses.push(format!(
                "(name LIKE {p} ESCAPE '\\' OR code LIKE {p} ESCAPE '\\' \
                 OR address LIKE {p} ESCAPE '\\')"
            ));
        }
        let sql = if clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", clauses.join(" AND "))
        };
        (sql, binds)
    }
}

macro_rules! bind_all {
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
pub(super) use bind_all;

impl Store {
    /// One page of the ledger and the count and totals of the whole filtered set.
    pub async fn project_page(&self, filter: &ProjectFilter) -> Result<ProjectPage> {
        let (totals, sql, binds) = self.page_query(filter, COLUMNS).await?;
        let rows = on_db!(self, pool => bind_all!(sqlx::query_as(&sql), &binds)
            .bind(filter.limit)
            .bind(filter.offset)
            .fetch_all(pool)
            .await)?;
        Ok(ProjectPage { rows, totals })
    }

    /// The totals of `filter`, and the page's query reading `columns` with its values (the
    /// limit and offset are bound after them).
    pub(super) async fn page_query(
        &self,
        filter: &ProjectFilter,
        columns: &str,
    ) -> Result<(ProjectTotals, String, Vec<Bind>)> {
        let totals = self.project_totals(filter).await?;
        // SQLite plans the page from estimates; the totals give the exact number of matches,
        // so the choice between the filter's index and the sort's is made here (PostgreSQL's
        // planner has column statistics of its own and is left to it).
        let indexes = if self.backend() == Backend::Sqlite
            && filter.sort.has_index()
            && totals.count >= WALK_SORT_INDEX_FROM
        {
            FilterIndexes::Skip
        } else {
            FilterIndexes::Use
        };
        let (clause, binds) = filter.to_sql_with(indexes);
        let direction = if filter.descending { "DESC" } else { "ASC" };
        // Equal sort keys are ordered by id, so pages never overlap or skip a row.
        let order = match filter.sort {
            ProjectSort::Id => format!("id {direction}"),
            sort => format!("{} {direction}, id {direction}", sort.expression()),
        };
        let n = binds.len();
        let sql = format!(
            "SELECT {columns} FROM projects{clause} ORDER BY {order} LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        );
        Ok((totals, sql, binds))
    }

    /// The count and sums of everything `filter` matches: from the roll-ups (a few thousand
    /// rows at most) when the filter allows, else from every matching project; on SQLite kept
    /// until the ledger changes ([`totals_cache`](super::totals_cache)).
    async fn project_totals(&self, filter: &ProjectFilter) -> Result<ProjectTotals> {
        let (clause, binds) = filter.to_sql();
        let (totals_sql, totals_binds) = match rollup_rows(filter) {
            Some((rollups, rollup_binds)) => (totals_sql(&rollups), rollup_binds),
            None => (
                format!(
                    "SELECT COUNT(*) AS count, \
                     CAST(COALESCE(SUM(total_investment), 0) AS BIGINT) AS total_investment, \
                     CAST(COALESCE(SUM(completed_investment), 0) AS BIGINT) \
                     AS completed_investment, \
                     CAST(COALESCE(SUM(floor_area_m2), 0) AS BIGINT) AS floor_area_m2, \
                     CAST(COALESCE(SUM(land_area_mu_x100), 0) AS BIGINT) AS land_area_mu_x100 \
                     FROM projects{clause}"
                ),
                binds,
            ),
        };
        let Db::Sqlite { read, .. } = &self.db else {
            return self.sum_totals(&totals_sql, &totals_binds).await;
        };
        let stamp: i64 = sqlx::query_scalar("SELECT n FROM ledger_stamp WHERE id = 1")
            .fetch_one(read)
            .await?;
        let key = format!("{totals_sql}\u{0}{totals_binds:?}");
        if let Some(kept) = self.totals.get(&key, stamp) {
            return Ok(kept);
        }
        let totals = self.sum_totals(&totals_sql, &totals_binds).await?;
        self.totals.put(key, stamp, totals);
        Ok(totals)
    }

    async fn sum_totals(&self, sql: &str, binds: &[Bind]) -> Result<ProjectTotals> {
        Ok(on_db!(self, pool => bind_all!(sqlx::query_as(sql), binds)
            .fetch_one(pool)
            .await)?)
    }
}

#[cfg(test)]
#[path = "list_tests.rs"]
mod tests;
