//! The status light of a project, from its milestones, plan and completed investment.
//! Computed (never typed in) and cached in `projects.status_colour` in the same transaction
//! as every change, so the list can filter and sort by it.

use crate::{ServiceResult, Services};
use chrono::NaiveDate;
use districtops_domain::money::Money;
use districtops_domain::projects::{
    MilestoneFact, PlanPeriod, PlanTarget, StatusInput, StatusOutcome, Thresholds, compute_status,
};
use districtops_store::{MilestoneRow, PlanRow, Tx};

/// The status of a project with these facts on `as_of`. Plan rows whose period does not
/// parse are skipped (they cannot be written through the services).
pub fn assess(
    as_of: NaiveDate,
    milestones: &[MilestoneRow],
    plan: &[PlanRow],
    completed: i64,
) -> StatusOutcome {
    let input = StatusInput {
        as_of,
        milestones: milestones
            .iter()
            .map(|m| MilestoneFact {
                name: m.name.clone(),
                planned: m.planned,
                actual: m.actual,
            })
            .collect(),
        plan: plan
            .iter()
            .filter_map(|p| {
                Some(PlanTarget {
                    period: PlanPeriod::parse(&p.period).ok()?,
                    cumulative_target: Money::from_yuan(p.cumulative_target),
                })
            })
            .collect(),
        completed: Money::from_yuan(completed),
        open_blockers: Vec::new(),
        previous: None,
    };
    compute_status(&input, &Thresholds::default())
}

impl Services {
    /// The status of project `id` as it stands in `tx`, with `completed` investment.
    pub(crate) async fn assess_in(
        &self,
        tx: &mut Tx,
        id: i64,
        completed: i64,
    ) -> ServiceResult<StatusOutcome> {
        let milestones = self.store.milestones_in(tx, id).await?;
        let plan = self.store.investment_plan_in(tx, id).await?;
        Ok(assess(self.today(), &milestones, &plan, completed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use districtops_domain::projects::Colour;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn an_overdue_milestone_and_a_lagging_plan_colour_the_light() {
        let milestone = MilestoneRow {
            id: 1,
            project_id: 1,
            name: "主体封顶".into(),
            planned: day("2026-09-01"),
            actual: None,
            owner_name: None,
            version: 1,
        };
        let plan = PlanRow {
            project_id: 1,
            period: "2026-10".into(),
            cumulative_target: 1_000_000,
        };
        let as_of = day("2026-11-29");
        assert_eq!(assess(as_of, &[], &[], 0).colour, Colour::Green);
        assert_eq!(assess(as_of, &[milestone], &[], 0).colour, Colour::Red);
        let lag = assess(as_of, &[], std::slice::from_ref(&plan), 100_000);
        assert_eq!(lag.colour, Colour::Yellow);
        assert_eq!(assess(as_of, &[], &[plan], 1_000_000).colour, Colour::Green);
    }
}
