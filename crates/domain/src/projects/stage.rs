//! The stage of a key project and the rule for changing it.
//!
//! A project moves 储备 → 签约 → 开工 → 主体完工 → 竣工 → 投用. Moving forward is always allowed,
//! also over stages (a project signed and started the same week); a skip is reported so the UI
//! can ask for confirmation. Moving backwards is refused unless the caller says it is a
//! correction of a mistaken entry: a stage change never skips backwards silently. The dated
//! history of changes is in [`history`](super::history).

use crate::validation::FieldError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The stage of a key project (项目阶段), in the order a project passes through them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 储备: in the pipeline, not yet signed.
    Pipeline,
    /// 签约: the contract is signed.
    Signed,
    /// 开工: construction has started.
    UnderConstruction,
    /// 主体完工: the main structure is finished (封顶).
    StructureDone,
    /// 竣工: construction is completed and accepted.
    Completed,
    /// 投用: in operation.
    InOperation,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Self::Pipeline,
        Self::Signed,
        Self::UnderConstruction,
        Self::StructureDone,
        Self::Completed,
        Self::InOperation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pipeline => "pipeline",
            Self::Signed => "signed",
            Self::UnderConstruction => "under_construction",
            Self::StructureDone => "structure_done",
            Self::Completed => "completed",
            Self::InOperation => "in_operation",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|stage| stage.as_str() == raw)
            .ok_or(FieldError::new("stage", "project.stage.invalid"))
    }

    /// The catalog key of the stage's name, for example `project.stage.signed`.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Pipeline => "project.stage.pipeline",
            Self::Signed => "project.stage.signed",
            Self::UnderConstruction => "project.stage.under_construction",
            Self::StructureDone => "project.stage.structure_done",
            Self::Completed => "project.stage.completed",
            Self::InOperation => "project.stage.in_operation",
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    /// The stage after this one; `None` for 投用.
    pub fn next(self) -> Option<Stage> {
        Self::ALL.get(self.index() + 1).copied()
    }

    /// Checks a change of stage from `from` to `to`.
    ///
    /// - the same stage: [`Transition::Unchanged`];
    /// - one step forward: [`Transition::Forward`];
    /// - more than one step forward: [`Transition::Skipped`] with the stages passed over;
    /// - backwards: [`StageError::Backwards`], unless `allow_correction`, then
    ///   [`Transition::Correction`] with the stages whose entry is undone.
    pub fn check_transition(
        from: Stage,
        to: Stage,
        allow_correction: bool,
    ) -> Result<Transition, StageError> {
        let (f, t) = (from.index(), to.index());
        if t == f {
            Ok(Transition::Unchanged)
        } else if t == f + 1 {
            Ok(Transition::Forward)
        } else if t > f {
            Ok(Transition::Skipped {
                over: Self::ALL[f + 1..t].to_vec(),
            })
        } else if allow_correction {
            Ok(Transition::Correction {
                undone: Self::ALL[t + 1..=f].to_vec(),
            })
        } else {
            Err(StageError::Backwards { from, to })
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a stage change amounts to, as [`Stage::check_transition`] finds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Transition {
    /// The stage stays as it is: nothing to record.
    Unchanged,
    /// One step forward.
    Forward,
    /// Forward over the stages in `over` (in order): allowed, but the UI asks to confirm.
    Skipped { over: Vec<Stage> },
    /// Backwards, as a correction: the stages in `undone` (in order) are no longer reached.
    /// The UI asks to confirm and the audit record says so.
    Correction { undone: Vec<Stage> },
}

impl Transition {
    /// Whether the user should confirm the change before it is saved.
    pub fn needs_confirmation(&self) -> bool {
        matches!(self, Self::Skipped { .. } | Self::Correction { .. })
    }
}

/// Why a stage change or a stage history was refused. [`StageError::key`] is the catalog key.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StageError {
    /// A backward change that was not marked as a correction.
    #[error("project.stage.backwards: {from} -> {to}")]
    Backwards { from: Stage, to: Stage },
    /// Change number `index` (from 0) is dated before the change before it.
    #[error("project.stage.history_out_of_order: change {index} on {on} after {previous_on}")]
    OutOfOrder {
        index: usize,
        on: NaiveDate,
        previous_on: NaiveDate,
    },
    /// Change number `index` starts from another stage than the one the previous change reached.
    #[error("project.stage.history_broken: change {index} from {found}, expected {expected}")]
    Broken {
        index: usize,
        expected: Stage,
        found: Stage,
    },
    /// Change number `index` goes from a stage to the same stage.
    #[error("project.stage.history_no_change: change {index}")]
    NoChange { index: usize },
}

impl StageError {
    /// The catalog key of the message.
    pub fn key(&self) -> &'static str {
        match self {
            Self::Backwards { .. } => "project.stage.backwards",
            Self::OutOfOrder { .. } => "project.stage.history_out_of_order",
            Self::Broken { .. } => "project.stage.history_broken",
            Self::NoChange { .. } => "project.stage.history_no_change",
        }
    }

    /// The error as a field error of the `stage` field, for forms.
    pub fn to_field_error(&self) -> FieldError {
        FieldError::new("stage", self.key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Stage::*;
    use proptest::prelude::*;

    #[test]
    fn stages_round_trip_and_are_ordered() {
        for stage in Stage::ALL {
            assert_eq!(Stage::parse(stage.as_str()), Ok(stage));
            assert_eq!(
                stage.label_key(),
                format!("project.stage.{}", stage.as_str())
            );
        }
        assert!(Stage::ALL.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(
            Stage::parse("开工").unwrap_err().message,
            "project.stage.invalid"
        );
        assert_eq!(Signed.next(), Some(UnderConstruction));
        assert_eq!(InOperation.next(), None);
    }

    #[test]
    fn forward_moves_are_allowed_and_skips_are_reported() {
        assert_eq!(
            Stage::check_transition(Signed, Signed, false),
            Ok(Transition::Unchanged)
        );
        assert_eq!(
            Stage::check_transition(Pipeline, Signed, false),
            Ok(Transition::Forward)
        );
        let skip = Stage::check_transition(Pipeline, UnderConstruction, false).unwrap();
        assert_eq!(skip, Transition::Skipped { over: vec![Signed] });
        assert!(skip.needs_confirmation());
        assert_eq!(
            Stage::check_transition(Signed, InOperation, false),
            Ok(Transition::Skipped {
                over: vec![UnderConstruction, StructureDone, Completed]
            })
        );
        assert!(!Transition::Forward.needs_confirmation());
    }

    #[test]
    fn backward_moves_need_to_be_a_correction() {
        let err = Stage::check_transition(Completed, UnderConstruction, false).unwrap_err();
        assert_eq!(
            err,
            StageError::Backwards {
                from: Completed,
                to: UnderConstruction
            }
        );
        assert_eq!(err.key(), "project.stage.backwards");
        assert_eq!(err.to_field_error().field, "stage");
        assert_eq!(
            Stage::check_transition(Completed, UnderConstruction, true),
            Ok(Transition::Correction {
                undone: vec![StructureDone, Completed]
            })
        );
        assert_eq!(
            Stage::check_transition(Signed, Pipeline, true),
            Ok(Transition::Correction {
                undone: vec![Signed]
            })
        );
    }

    fn any_stage() -> impl Strategy<Value = Stage> {
        proptest::sample::select(Stage::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn forward_is_never_refused_and_backward_never_passes_silently(
            from in any_stage(), to in any_stage(), correction in any::<bool>()
        ) {
            match Stage::check_transition(from, to, correction) {
                Ok(Transition::Unchanged) => prop_assert_eq!(from, to),
                Ok(Transition::Forward) => prop_assert_eq!(from.next(), Some(to)),
                Ok(Transition::Skipped { over }) => {
                    prop_assert!(from < to && !over.is_empty());
                    prop_assert!(over.iter().all(|s| from < *s && *s < to));
                }
                Ok(Transition::Correction { undone }) => {
                    prop_assert!(correction && to < from);
                    prop_assert_eq!(undone.last(), Some(&from));
                }
                Err(_) => prop_assert!(!correction && to < from),
            }
        }
    }
}
