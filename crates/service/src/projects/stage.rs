//! Dated stage changes: forward at any time (also over stages), backwards only as a
//! correction; each kept in the project's stage history and audited.

use crate::{Ctx, ServiceResult, Services};
use chrono::NaiveDate;
use districtops_domain::access::Permission;
use districtops_domain::projects::Stage;
use districtops_domain::validation::FieldError;
use districtops_store::ProjectRow;

impl Services {
    /// Moves project `id` (at `version`) to `to` on `on_date` (today when absent). A date in
    /// the future is refused: a stage change records what happened.
    pub async fn change_project_stage(
        &self,
        ctx: &Ctx,
        id: i64,
        version: i64,
        to: Stage,
        on_date: Option<NaiveDate>,
        correction: bool,
    ) -> ServiceResult<ProjectRow> {
        let on = on_date.unwrap_or_else(|| self.today());
        if on > self.today() {
            return Err(FieldError::new("on_date", "project.ledger.date_in_future").into());
        }
        let mut tx = self.store.begin().await?;
        let current = self
            .reachable_project_in(&mut tx, ctx, id, Permission::WriteBusiness)
            .await?;
        // The history stays in date order: a change is dated on or after the one before it.
        let history = self.store.stage_changes(id).await?;
        if history.last().is_some_and(|last| on < last.on_date) {
            return Err(FieldError::new("on_date", "project.stage.history_out_of_order").into());
        }
        let mut fields = current.fields();
        fields.stage = to.as_str().to_owned();
        let row = self
            .save(
                &mut tx,
                ctx,
                &current,
                version,
                fields,
                correction,
                "project.stage",
            )
            .await?;
        if on != self.today() {
            self.store.redate_last_stage_change(&mut tx, id, on).await?;
        }
        tx.commit().await?;
        Ok(row)
    }
}
