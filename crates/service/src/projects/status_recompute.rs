//! The nightly recomputation of every status light: a milestone passes its date overnight
//! and nothing else changes, yet the colour must. The ledger is walked by id in batches,
//! each batch read with a handful of range queries and written back in one transaction
//! (the month's outcome upserted, only the changed colours updated), so 100,000 projects
//! take seconds and other writers wait at most one batch. The whole run is audited once, as
//! a system job with the number of colours that changed. Running it twice, or on several
//! app servers at once, gives the same result.

use super::status::{assess_with, history_row, previous_of, previous_period};
use crate::audit::Object;
use crate::{Ctx, ServiceError, ServiceResult, Services};
use chrono::{DateTime, Duration, NaiveTime, Utc};
use districtops_domain::audit::FieldChange;
use districtops_domain::projects::Colour;
use districtops_store::{MilestoneRow, PlanRow};
use std::collections::HashMap;

/// Projects per batch (and per transaction).
const BATCH: i64 = 2_000;

/// The minutes after midnight China time at which the daily run starts.
const RUN_AT_MINUTES: i64 = 5;

/// What a recomputation did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Recomputed {
    /// Projects assessed.
    pub projects: u64,
    /// Projects whose cached colour changed.
    pub changed: u64,
}

/// How long after `now` the next daily run is due: 00:05 China time (UTC+8) tomorrow, or
/// today if that is still ahead.
pub fn until_next_run(now: DateTime<Utc>) -> Duration {
    let today = super::local_date(now);
    let run_at =
        NaiveTime::from_hms_opt(0, 0, 0).unwrap_or_default() + Duration::minutes(RUN_AT_MINUTES);
    // 00:05 in China is 16:05 UTC the day before.
    let at = |day: chrono::NaiveDate| (day.and_time(run_at) - Duration::hours(8)).and_utc();
    let next = if at(today) > now {
        at(today)
    } else {
        at(today.succ_opt().unwrap_or(today))
    };
    next - now
}

/// Rows grouped by project id.
fn by_project<T>(rows: Vec<T>, id: impl Fn(&T) -> i64) -> HashMap<i64, Vec<T>> {
    let mut map: HashMap<i64, Vec<T>> = HashMap::new();
    for row in rows {
        map.entry(id(&row)).or_default().push(row);
    }
    map
}

impl Services {
    /// Recomputes the status of every project for today (the command-line operator and the
    /// scheduler only: it crosses every data scope).
    pub async fn recompute_statuses(&self, ctx: &Ctx) -> ServiceResult<Recomputed> {
        if !ctx.is_system() {
            return Err(ServiceError::Forbidden);
        }
        let today = self.today();
        let previous = previous_period(today);
        let thresholds = self.status_thresholds().await?;
        let mut done = Recomputed::default();
        let mut after = 0;
        loop {
            let mut tx = self.store.begin_long().await?;
            let subjects = self.store.status_subjects_in(&mut tx, after, BATCH).await?;
            let (Some(first), Some(last)) = (subjects.first(), subjects.last()) else {
                break;
            };
            let (first, last) = (first.id, last.id);
            let milestones: HashMap<i64, Vec<MilestoneRow>> = by_project(
                self.store
                    .milestones_between_in(&mut tx, first, last)
                    .await?,
                |m| m.project_id,
            );
            let plans: HashMap<i64, Vec<PlanRow>> = by_project(
                self.store.plans_between_in(&mut tx, first, last).await?,
                |p| p.project_id,
            );
            let earlier: HashMap<i64, _> = self
                .store
                .statuses_between_in(&mut tx, &previous, first, last)
                .await?
                .into_iter()
                .filter_map(|row| Some((row.project_id, previous_of(&row)?)))
                .collect();
            let overrides: HashMap<i64, Colour> = self
                .store
                .overrides_between_in(&mut tx, first, last)
                .await?
                .into_iter()
                .filter_map(|o| Some((o.project_id, Colour::parse(&o.colour).ok()?)))
                .collect();
            let now = self.now();
            let mut rows = Vec::with_capacity(subjects.len());
            let mut changed: HashMap<Colour, Vec<i64>> = HashMap::new();
            for subject in &subjects {
                let outcome = assess_with(
                    today,
                    milestones.get(&subject.id).map_or(&[], Vec::as_slice),
                    plans.get(&subject.id).map_or(&[], Vec::as_slice),
                    subject.completed_investment,
                    earlier.get(&subject.id).copied(),
                    &thresholds,
                );
                let shown = overrides
                    .get(&subject.id)
                    .copied()
                    .unwrap_or(outcome.colour);
                if shown.as_str() != subject.status_colour {
                    changed.entry(shown).or_default().push(subject.id);
                }
                rows.push(history_row(subject.id, today, &outcome, now));
            }
            self.store.upsert_statuses(&mut tx, &rows).await?;
            for (colour, ids) in &changed {
                self.store
                    .set_projects_colour(&mut tx, ids, colour.as_str())
                    .await?;
            }
            tx.commit().await?;
            done.projects += subjects.len() as u64;
            done.changed += changed.values().map(|ids| ids.len() as u64).sum::<u64>();
            after = last;
        }
        let mut tx = self.store.begin().await?;
        let changes = vec![
            FieldChange::new("as_of", None::<&str>, Some(today)),
            FieldChange::new("projects", None::<&str>, Some(done.projects)),
            FieldChange::new("changed", None::<&str>, Some(done.changed)),
        ];
        self.record(
            &mut tx,
            ctx,
            "project.status.recompute",
            Object::none(),
            changes,
        )
        .await?;
        tx.commit().await?;
        Ok(done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn the_daily_run_is_five_past_midnight_in_china() {
        // 23:00 in China: an hour and five minutes to go.
        assert_eq!(
            until_next_run(at("2026-11-29T15:00:00Z")),
            Duration::minutes(65)
        );
        // 00:06 in China: the run of today is past, the next is tomorrow's.
        assert_eq!(
            until_next_run(at("2026-11-29T16:06:00Z")),
            Duration::hours(24) - Duration::minutes(1)
        );
        // 00:04 in China on a leap day.
        assert_eq!(
            until_next_run(at("2024-02-28T16:04:00Z")),
            Duration::minutes(1)
        );
    }
}
