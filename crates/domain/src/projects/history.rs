//! The dated history of a project's stage: every change is kept, in order, so the ledger can
//! show a project as it stood on any past day.

use super::stage::{Stage, StageError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One dated change of stage, as the ledger records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageChange {
    pub from: Stage,
    pub to: Stage,
    pub on: NaiveDate,
}

impl StageChange {
    /// Checks a project's stage history, oldest first: every change really changes the stage,
    /// starts where the previous one ended, and is dated on or after it (two changes on one
    /// day are fine: a project may be signed and started the same day). Backward changes are
    /// allowed here: they were checked as corrections when they were made.
    pub fn check_history(changes: &[StageChange]) -> Result<(), StageError> {
        for (index, change) in changes.iter().enumerate() {
            if change.from == change.to {
                return Err(StageError::NoChange { index });
            }
            let Some(previous) = index.checked_sub(1).map(|i| changes[i]) else {
                continue;
            };
            if change.from != previous.to {
                return Err(StageError::Broken {
                    index,
                    expected: previous.to,
                    found: change.from,
                });
            }
            if change.on < previous.on {
                return Err(StageError::OutOfOrder {
                    index,
                    on: change.on,
                    previous_on: previous.on,
                });
            }
        }
        Ok(())
    }

    /// The stage on `date` of a project that started at `initial` and then went through the
    /// (checked, oldest first) `changes`: a change takes effect on its own date.
    pub fn stage_on(initial: Stage, changes: &[StageChange], date: NaiveDate) -> Stage {
        changes
            .iter()
            .take_while(|change| change.on <= date)
            .last()
            .map_or(initial, |change| change.to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Stage::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn change(from: Stage, to: Stage, on: NaiveDate) -> StageChange {
        StageChange { from, to, on }
    }

    #[test]
    fn a_history_must_be_chained_and_chronological() {
        let ok = [
            change(Pipeline, Signed, day(2020, 3, 1)),
            change(Signed, UnderConstruction, day(2020, 4, 2)),
            change(UnderConstruction, Signed, day(2020, 4, 2)),
            change(Signed, StructureDone, day(2021, 2, 28)),
        ];
        assert_eq!(StageChange::check_history(&ok), Ok(()));
        assert_eq!(StageChange::check_history(&[]), Ok(()));

        let mut late = ok;
        late[3].on = day(2020, 4, 1);
        let err = StageChange::check_history(&late).unwrap_err();
        assert_eq!(err.key(), "project.stage.history_out_of_order");
        assert!(matches!(err, StageError::OutOfOrder { index: 3, .. }));

        let mut broken = ok;
        broken[1].from = Pipeline;
        assert_eq!(
            StageChange::check_history(&broken),
            Err(StageError::Broken {
                index: 1,
                expected: Signed,
                found: Pipeline
            })
        );

        let same = [change(Signed, Signed, day(2020, 1, 1))];
        assert_eq!(
            StageChange::check_history(&same),
            Err(StageError::NoChange { index: 0 })
        );
    }

    #[test]
    fn the_stage_on_a_date_counts_changes_of_that_day() {
        let history = [
            change(Pipeline, Signed, day(2020, 3, 1)),
            change(Signed, UnderConstruction, day(2020, 4, 2)),
        ];
        assert_eq!(
            StageChange::stage_on(Pipeline, &history, day(2020, 2, 29)),
            Pipeline
        );
        assert_eq!(
            StageChange::stage_on(Pipeline, &history, day(2020, 3, 1)),
            Signed
        );
        assert_eq!(
            StageChange::stage_on(Pipeline, &history, day(2020, 4, 2)),
            UnderConstruction
        );
    }
}
