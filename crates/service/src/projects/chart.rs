//! The battle chart (作战图): the ledger's filtered projects × a range of months. Each cell
//! holds the milestones of that project planned or reached in that month — the five key
//! moments of the ledger (签约, 开工, 主体完工, 竣工, 投用) and the project's own milestones —
//! marked as a hollow flag (planned), a filled flag (reached: on time or late) or a warning
//! (planned, passed, not reached). The projects are the list's: the same filters, sort and
//! scope, a page at a time; the workbook holds at most [`MAX_XLSX_ROWS`] of them.

use super::ProjectQuery;
use super::list::MAX_PER_PAGE;
use crate::audit::Object;
use crate::excel::chart_export::{ChartLine, write_chart};
use crate::{Ctx, ServiceError, ServiceResult, Services};
use chrono::NaiveDate;
use districtops_domain::audit::FieldChange;
use districtops_domain::projects::{Colour, Period, Stage};
use districtops_domain::validation::FieldError;
use districtops_store::{MilestoneRow, ProjectRow};
use std::collections::HashMap;

/// The most months one chart spans (three years).
pub const MAX_MONTHS: i64 = 36;
/// Projects on one page of the chart on screen.
pub const CHART_PER_PAGE: i64 = 100;
/// The most projects the chart's workbook holds; the title row says when there are more.
pub const MAX_XLSX_ROWS: usize = 2_000;

/// The months a chart spans, first to last, both included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChartRange {
    first: Period,
    last: Period,
}

impl ChartRange {
    /// `first` to `last`: not backwards, at most [`MAX_MONTHS`].
    pub fn new(first: Period, last: Period) -> Result<Self, FieldError> {
        if last < first {
            return Err(FieldError::new("to", "project.chart.range_backwards"));
        }
        if first.months_until(last) >= MAX_MONTHS {
            return Err(FieldError::new("to", "project.chart.range_too_long"));
        }
        Ok(Self { first, last })
    }

    /// January to December of the year of `day`: the default chart.
    pub fn year_of(day: NaiveDate) -> Self {
        let year = Period::containing(day).year();
        let month = |m| Period::new(year, m).unwrap_or(Period::containing(day));
        Self {
            first: month(1),
            last: month(12),
        }
    }

    pub fn first(self) -> Period {
        self.first
    }

    pub fn last(self) -> Period {
        self.last
    }

    pub fn months(self) -> Vec<Period> {
        Period::range(self.first, self.last).collect()
    }
}

/// One of the ledger's key moments, as its planned and actual date columns name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Moment {
    Signing,
    Start,
    Structure,
    Completion,
    Operation,
}

impl Moment {
    pub const ALL: [Moment; 5] = [
        Self::Signing,
        Self::Start,
        Self::Structure,
        Self::Completion,
        Self::Operation,
    ];

    /// The catalog key of its name.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Signing => "project.ledger.moment.signing",
            Self::Start => "project.ledger.moment.start",
            Self::Structure => "project.ledger.moment.structure",
            Self::Completion => "project.ledger.moment.completion",
            Self::Operation => "project.ledger.moment.operation",
        }
    }
}

/// What a flag is called: a key moment, or a milestone by its name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FlagName {
    Moment(Moment),
    Milestone(String),
}

/// Something planned and perhaps reached: a key moment or a milestone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    pub name: FlagName,
    pub planned: Option<NaiveDate>,
    pub actual: Option<NaiveDate>,
}

/// What a mark in a month says about its flag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkKind {
    /// Planned in this month and reached in another one, or not yet due (hollow flag).
    Planned,
    /// Planned in this month, the day passed, not reached (warning).
    Overdue,
    /// Reached in this month, on or before the planned day (filled flag).
    OnTime,
    /// Reached in this month, after the planned day (filled flag, "late").
    Late,
}

impl MarkKind {
    pub const ALL: [MarkKind; 4] = [Self::Planned, Self::OnTime, Self::Late, Self::Overdue];

    /// The shape printed for it: readable without colour.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Planned => "⚐",
            Self::Overdue => "⚠",
            Self::OnTime | Self::Late => "⚑",
        }
    }

    /// A name for CSS classes and tests.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::Overdue => "overdue",
            Self::OnTime => "on_time",
            Self::Late => "late",
        }
    }
}

/// A flag as it shows in one month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    pub name: FlagName,
    pub kind: MarkKind,
    /// The day the mark stands for: planned for a hollow flag or a warning, else reached.
    pub on: NaiveDate,
    /// The planned day, for a reached flag.
    pub planned: Option<NaiveDate>,
}

/// The key moments (with a date) and the milestones of a project, in that order.
pub fn flags_of(row: &ProjectRow, milestones: &[MilestoneRow]) -> Vec<Flag> {
    let dates = row.fields().dates;
    let moments = Moment::ALL
        .into_iter()
        .zip(dates)
        .filter(|(_, (planned, actual))| planned.is_some() || actual.is_some())
        .map(|(moment, (planned, actual))| Flag {
            name: FlagName::Moment(moment),
            planned,
            actual,
        });
    let own = milestones.iter().map(|m| Flag {
        name: FlagName::Milestone(m.name.clone()),
        planned: Some(m.planned),
        actual: m.actual,
    });
    moments.chain(own).collect()
}

/// The cells of one project's row: for each month of `range`, the marks of `flags` in it,
/// judged on `today`. A flag reached in the month it was planned shows once, as reached.
pub fn cells(range: ChartRange, flags: &[Flag], today: NaiveDate) -> Vec<Vec<Mark>> {
    let months = range.months();
    let mut cells: Vec<Vec<Mark>> = months.iter().map(|_| Vec::new()).collect();
    let mut put = |day: NaiveDate, mark: Mark| {
        if let Some(i) = months.iter().position(|m| m.contains(day)) {
            cells[i].push(mark);
        }
    };
    for flag in flags {
        let same_month = match (flag.planned, flag.actual) {
            (Some(p), Some(a)) => Period::containing(p) == Period::containing(a),
            _ => false,
        };
        if let Some(planned) = flag.planned.filter(|_| !same_month) {
            let overdue = flag.actual.is_none() && planned < today;
            put(
                planned,
                Mark {
                    name: flag.name.clone(),
                    kind: if overdue {
                        MarkKind::Overdue
                    } else {
                        MarkKind::Planned
                    },
                    on: planned,
                    planned: None,
                },
            );
        }
        if let Some(actual) = flag.actual {
            let late = flag.planned.is_some_and(|p| actual > p);
            put(
                actual,
                Mark {
                    name: flag.name.clone(),
                    kind: if late {
                        MarkKind::Late
                    } else {
                        MarkKind::OnTime
                    },
                    on: actual,
                    planned: flag.planned,
                },
            );
        }
    }
    cells
}

/// One project's row of the chart.
#[derive(Clone, Debug)]
pub struct ChartRow {
    pub project: ProjectRow,
    /// One list of marks per month of the range.
    pub cells: Vec<Vec<Mark>>,
}

/// A page of the chart.
#[derive(Clone, Debug)]
pub struct Chart {
    pub range: ChartRange,
    pub rows: Vec<ChartRow>,
    /// How many projects the filters match (every page).
    pub total: i64,
    /// The day overdue flags are judged on.
    pub today: NaiveDate,
}

impl Services {
    /// The page of the chart `query` asks for (sort, page and per page as the list's, at most
    /// [`MAX_PER_PAGE`] rows), inside the caller's scope, over `range`.
    pub async fn project_chart(
        &self,
        ctx: &Ctx,
        query: &ProjectQuery,
        range: ChartRange,
    ) -> ServiceResult<Chart> {
        let page = self.list_projects(ctx, query).await?;
        let today = self.today();
        Ok(Chart {
            range,
            rows: self.chart_rows(page.rows, range, today).await?,
            total: page.totals.count,
            today,
        })
    }

    /// The chart of every project `query` matches (at most [`MAX_XLSX_ROWS`]) as an xlsx,
    /// titled with the district, the months and today, audited as `project.chart.export`.
    pub async fn export_project_chart(
        &self,
        ctx: &Ctx,
        query: &ProjectQuery,
        range: ChartRange,
    ) -> ServiceResult<Vec<u8>> {
        let mut query = query.clone();
        query.per_page = MAX_PER_PAGE;
        query.page = 1;
        let mut rows = Vec::new();
        let total = loop {
            let page = self.list_projects(ctx, &query).await?;
            let done = page.rows.len() < MAX_PER_PAGE as usize;
            rows.extend(page.rows);
            if done || rows.len() >= MAX_XLSX_ROWS {
                break page.totals.count;
            }
            query.page += 1;
        };
        rows.truncate(MAX_XLSX_ROWS);
        let today = self.today();
        let district = self
            .root_department()
            .await?
            .map(|d| d.name)
            .unwrap_or_default();
        let mut title = format!(
            "{district}重点项目作战图（{} 至 {}，截至 {today}）",
            range.first, range.last
        );
        if total > rows.len() as i64 {
            title.push_str(&format!(
                "：共 {total} 个项目，仅含前 {} 个，请缩小筛选范围",
                rows.len()
            ));
        }
        let lines: Vec<ChartLine> = self
            .chart_rows(rows, range, today)
            .await?
            .into_iter()
            .map(|r| ChartLine {
                code: r.project.code,
                name: r.project.name,
                stage: Stage::parse(&r.project.stage).ok(),
                colour: Colour::parse(&r.project.status_colour).ok(),
                cells: r.cells,
            })
            .collect();
        let bytes = write_chart(&title, &range.months(), &lines)
            .map_err(|e| ServiceError::Internal(format!("xlsx: {e}")))?;
        let mut tx = self.store.begin().await?;
        self.record(
            &mut tx,
            ctx,
            "project.chart.export",
            Object::new("project", 0),
            vec![FieldChange::new(
                "rows",
                None::<&str>,
                Some(lines.len().to_string()),
            )],
        )
        .await?;
        tx.commit().await?;
        Ok(bytes)
    }

    /// The rows of `projects` over `range`: their milestones in one query per 500 projects.
    async fn chart_rows(
        &self,
        projects: Vec<ProjectRow>,
        range: ChartRange,
        today: NaiveDate,
    ) -> ServiceResult<Vec<ChartRow>> {
        let mut milestones: HashMap<i64, Vec<MilestoneRow>> = HashMap::new();
        let ids: Vec<i64> = projects.iter().map(|p| p.id).collect();
        for chunk in ids.chunks(MAX_PER_PAGE as usize) {
            for m in self.store.milestones_of(chunk).await? {
                milestones.entry(m.project_id).or_default().push(m);
            }
        }
        Ok(projects
            .into_iter()
            .map(|project| {
                let own = milestones.remove(&project.id).unwrap_or_default();
                let cells = cells(range, &flags_of(&project, &own), today);
                ChartRow { project, cells }
            })
            .collect())
    }
}
