//! The demo district's milestones, investment plans and monthly progress reports
//! (`demo/huaiyin-progress.toml`, illustrative), loaded through the services users call and
//! replayed month by month on the replay's clock: each month's milestones are recorded done
//! and its reports filed at the month's end, then every status light is recomputed, so the
//! reports carry their 2020 dates and each project's page shows its colour per month.

use anyhow::{Context, Result, bail};
use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use districtops_domain::money::Money;
use districtops_domain::projects::Period;
use districtops_service::projects::ProjectQuery;
use districtops_service::projects::progress::{MilestoneInput, ProgressInput};
use districtops_service::{Ctx, ManualClock, Services};
use serde::Deserialize;
use std::collections::HashMap;

pub const PROGRESS: &str = include_str!("../../demo/huaiyin-progress.toml");

#[derive(Deserialize)]
pub struct DemoProgress {
    /// The months replayed, `YYYY-MM`.
    pub first_month: String,
    pub last_month: String,
    pub project: Vec<ProjectProgress>,
}

#[derive(Deserialize)]
pub struct ProjectProgress {
    pub code: String,
    #[serde(default)]
    pub milestone: Vec<DemoMilestone>,
    #[serde(default)]
    pub plan: Vec<DemoTarget>,
    #[serde(default)]
    pub report: Vec<DemoReport>,
}

#[derive(Deserialize)]
pub struct DemoMilestone {
    pub name: String,
    pub planned: NaiveDate,
    pub actual: Option<NaiveDate>,
    pub owner: Option<String>,
}

#[derive(Deserialize)]
pub struct DemoTarget {
    /// `YYYY-MM` or `YYYY-Qn`.
    pub period: String,
    pub target_wan: i64,
}

#[derive(Deserialize)]
pub struct DemoReport {
    /// `YYYY-MM`.
    pub period: String,
    pub invested_wan: i64,
    pub percent: i64,
    pub narrative: Option<String>,
}

impl ProjectProgress {
    /// The sum of the project's reports, which the ledger's baseline does not include.
    pub fn reported(&self) -> Result<Money> {
        let amounts = self
            .report
            .iter()
            .map(|r| wan(r.invested_wan))
            .collect::<Result<Vec<_>>>()?;
        Money::try_sum(amounts)
            .with_context(|| format!("{}: the reports add up to too much", self.code))
    }
}

fn wan(amount: i64) -> Result<Money> {
    Money::from_wan(amount).with_context(|| format!("{amount} 万元 is out of range"))
}

/// A month of the file (`YYYY-MM`).
fn month(raw: &str) -> Result<Period> {
    Period::parse(raw).map_err(|_| anyhow::anyhow!("huaiyin-progress.toml: {raw:?} is not a month"))
}

pub fn parse() -> Result<DemoProgress> {
    toml::from_str(PROGRESS).context("reading demo/huaiyin-progress.toml")
}

/// The instant the replay stands at on `day`: noon in China.
fn noon(day: NaiveDate) -> chrono::DateTime<Utc> {
    let noon = NaiveTime::from_hms_opt(4, 0, 0).unwrap_or_default();
    Utc.from_utc_datetime(&day.and_time(noon))
}

/// The last day of the recorded history (the end of the file's last month): the demo's
/// business date, so its lights and this year's targets read as they did then.
pub fn history_end() -> Result<NaiveDate> {
    Ok(month(&parse()?.last_month)?.last_day())
}

/// A clock at noon (China) on the first day of the file's first month, the start of the
/// replay.
pub fn replay_clock() -> Result<ManualClock> {
    let first = month(&parse()?.first_month)?;
    Ok(ManualClock::new(noon(first.first_day())))
}

/// Adds the milestones and plan targets, then replays the months: at each month's end its
/// milestones are recorded done, its reports filed and every status light recomputed.
/// `replay` runs on `clock`, which stands at the first month when called.
pub async fn seed_progress(replay: &Services, clock: &ManualClock) -> Result<()> {
    let ctx = Ctx::system();
    let demo = parse()?;
    let query = ProjectQuery {
        per_page: 500,
        ..ProjectQuery::default()
    };
    let codes: HashMap<String, i64> = replay
        .list_projects(&ctx, &query)
        .await?
        .rows
        .into_iter()
        .filter_map(|p| Some((p.code?, p.id)))
        .collect();
    // (project, milestone id, milestone) of every milestone done during the replay.
    let mut to_finish = Vec::new();
    for project in &demo.project {
        let Some(&id) = codes.get(&project.code) else {
            bail!(
                "huaiyin-progress.toml: no project {} in the ledger",
                project.code
            );
        };
        for m in &project.milestone {
            let started = replay.today();
            let input = MilestoneInput {
                name: m.name.clone(),
                planned: Some(m.planned),
                actual: m.actual.filter(|actual| *actual < started),
                owner_name: m.owner.clone(),
            };
            let milestone = replay
                .add_milestone(&ctx, id, &input)
                .await
                .with_context(|| format!("{}: milestone {}", project.code, m.name))?;
            if let Some(actual) = m.actual.filter(|actual| *actual >= started) {
                to_finish.push((id, milestone, actual, input));
            }
        }
        for target in &project.plan {
            replay
                .set_plan_target(&ctx, id, &target.period, wan(target.target_wan)?)
                .await
                .with_context(|| format!("{}: plan {}", project.code, target.period))?;
        }
    }
    let (first, last) = (month(&demo.first_month)?, month(&demo.last_month)?);
    for month in Period::range(first, last) {
        let month_end = noon(month.last_day());
        clock.advance(month_end - clock_now(clock));
        for (project_id, milestone_id, actual, input) in &to_finish {
            if month.contains(*actual) {
                let done = MilestoneInput {
                    actual: Some(*actual),
                    ..input.clone()
                };
                replay
                    .update_milestone(&ctx, *project_id, *milestone_id, 1, &done)
                    .await
                    .with_context(|| format!("recording {} done", input.name))?;
            }
        }
        for project in &demo.project {
            for report in project
                .report
                .iter()
                .filter(|r| r.period == month.to_string())
            {
                let input = ProgressInput {
                    period: report.period.clone(),
                    invested_in_period: wan(report.invested_wan)?,
                    percent: report.percent,
                    narrative: report.narrative.clone(),
                };
                replay
                    .report_progress(&ctx, codes[&project.code], &input)
                    .await
                    .with_context(|| format!("{}: report {}", project.code, report.period))?;
            }
        }
        replay
            .recompute_statuses(&ctx)
            .await
            .with_context(|| format!("recomputing the statuses of {month}"))?;
    }
    Ok(())
}

fn clock_now(clock: &ManualClock) -> chrono::DateTime<Utc> {
    districtops_service::Clock::now(clock)
}
