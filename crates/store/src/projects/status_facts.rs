//! Everything a project's status light is computed from, read in one statement inside a write.
//!
//! An edit recomputes the light inside its write transaction, and on SQLite every statement
//! there is a round trip to the one writer connection while every other edit waits: the
//! milestones, the investment plan, last month's and this month's outcomes, the current
//! override and the thresholds would be six reads, so they come back as the tagged rows of one
//! `UNION ALL`. This month's outcome tells whether it needs writing again at all.

use crate::{Result, Store, Tx, on_tx};
use chrono::NaiveDate;

/// A milestone's dates, as the status rules read them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MilestoneDates {
    pub name: String,
    pub planned: NaiveDate,
    pub actual: Option<NaiveDate>,
}

/// A month's recorded outcome (of [`StatusHistoryRow`](super::status::StatusHistoryRow),
/// what the rules read and what decides whether it needs writing again).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedOutcome {
    pub colour: String,
    /// The reasons as a JSON array.
    pub reasons: String,
    /// In 元.
    pub shortfall: i64,
    pub held: bool,
    /// The day assessed.
    pub as_of: NaiveDate,
}

/// The facts of one project's status light, as they stand in a write transaction.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StatusFacts {
    /// By planned date, then id.
    pub milestones: Vec<MilestoneDates>,
    /// `(period, cumulative target in 元)`, by period.
    pub plan: Vec<(String, i64)>,
    /// The outcome recorded for the previous period asked for (the month before today's).
    pub previous: Option<RecordedOutcome>,
    /// The outcome recorded for the current period asked for (today's month).
    pub current: Option<RecordedOutcome>,
    /// The colour of the current manual override.
    pub manual: Option<String>,
    /// The `status.*` settings, `(key, value)`.
    pub settings: Vec<(String, String)>,
}

/// One tagged row of the union: which columns hold what depends on `kind`.
#[derive(sqlx::FromRow)]
struct FactRow {
    kind: String,
    name: Option<String>,
    value: Option<String>,
    planned: Option<NaiveDate>,
    actual: Option<NaiveDate>,
    amount: Option<i64>,
    held: Option<bool>,
}

/// The first branch names and types every column (PostgreSQL resolves a union's column types
/// branch by branch, and an untyped NULL in the first two would become text).
const FACTS: &str = "\
    SELECT 'm' AS kind, name, CAST(NULL AS TEXT) AS value, planned, actual, \
           CAST(NULL AS BIGINT) AS amount, CAST(NULL AS BOOLEAN) AS held, id AS ord \
      FROM milestones WHERE project_id = $1 \
    UNION ALL SELECT 'p', period, NULL, NULL, NULL, cumulative_target, NULL, NULL \
      FROM investment_plan WHERE project_id = $1 \
    UNION ALL SELECT 's', colour, reasons, as_of, NULL, shortfall, held, NULL \
      FROM project_status_history WHERE project_id = $1 AND period = $2 \
    UNION ALL SELECT 'c', colour, reasons, as_of, NULL, shortfall, held, NULL \
      FROM project_status_history WHERE project_id = $1 AND period = $3 \
    UNION ALL SELECT 'o', colour, NULL, NULL, NULL, NULL, NULL, NULL \
      FROM project_status_overrides WHERE project_id = $1 AND cleared_at IS NULL \
    UNION ALL SELECT 't', key, value, NULL, NULL, NULL, NULL, NULL \
      FROM settings WHERE key LIKE 'status.%' \
    ORDER BY kind, planned, ord, name";

impl Store {
    /// The facts of project `project_id`'s status light inside `tx`, with the outcomes recorded
    /// for `previous_period` and `current_period` (`YYYY-MM`).
    pub async fn status_facts_in(
        &self,
        tx: &mut Tx,
        project_id: i64,
        previous_period: &str,
        current_period: &str,
    ) -> Result<StatusFacts> {
        let rows: Vec<FactRow> = on_tx!(tx, conn => sqlx::query_as(FACTS)
            .bind(project_id)
            .bind(previous_period)
            .bind(current_period)
            .fetch_all(conn)
            .await)?;
        let mut facts = StatusFacts::default();
        for row in rows {
            let name = row.name.unwrap_or_default();
            match row.kind.as_str() {
                "m" => {
                    if let Some(planned) = row.planned {
                        facts.milestones.push(MilestoneDates {
                            name,
                            planned,
                            actual: row.actual,
                        });
                    }
                }
                "p" => facts.plan.push((name, row.amount.unwrap_or_default())),
                "s" | "c" => {
                    let recorded = row.planned.map(|as_of| RecordedOutcome {
                        colour: name,
                        reasons: row.value.unwrap_or_default(),
                        shortfall: row.amount.unwrap_or_default(),
                        held: row.held.unwrap_or_default(),
                        as_of,
                    });
                    if row.kind == "s" {
                        facts.previous = recorded;
                    } else {
                        facts.current = recorded;
                    }
                }
                "o" => facts.manual = Some(name),
                _ => facts.settings.push((name, row.value.unwrap_or_default())),
            }
        }
        Ok(facts)
    }
}
