//! The ledger as it stood at the end of a past day (China time), rebuilt from the revision
//! every create and update keeps: the list (same filters, sort, paging and totals), one
//! project's page and the export.
//!
//! What is historical and what is not: a project's own fields (facts, stage, key dates,
//! investment, status colour) are exactly what the ledger said, and so are its milestones
//! (each one's latest revision by then, those added later absent; a reached date after the
//! day is left out). Stage changes and progress reports are the ones recorded by then; the
//! status reasons are recomputed for the day. Who may see a project's history is decided by
//! who owns it today, as for its page.

use super::export::ExportNames;
use super::read::ProjectDetail;
use super::{ProjectQuery, owner_of, plan::plan_table, scope_for, status::assess};
use crate::{Ctx, ServiceError, ServiceResult, Services};
use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use districtops_domain::access::Permission;
use districtops_domain::projects::Colour;
use districtops_domain::validation::FieldError;
use districtops_store::ProjectPage;

/// A day as the as-of parameter writes it: `YYYY-MM-DD`, surrounding blanks ignored.
pub fn parse_day(raw: &str) -> Result<NaiveDate, FieldError> {
    let raw = raw.trim();
    let well_formed = raw.len() == 10
        && raw.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    well_formed
        .then(|| NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok())
        .flatten()
        .ok_or(FieldError::new("as_of", "project.as_of.invalid"))
}

/// The first instant after day `date` in China (UTC+8): revisions from before it count.
pub fn end_of_day(date: NaiveDate) -> DateTime<Utc> {
    let next = date.checked_add_days(Days::new(1)).unwrap_or(date);
    let midnight = next.and_hms_opt(0, 0, 0).unwrap_or_default();
    Utc.from_utc_datetime(&midnight) - chrono::Duration::hours(8)
}

impl Services {
    /// `date` if it is today or earlier in China; a later day is refused.
    fn past_day(&self, date: NaiveDate) -> ServiceResult<NaiveDate> {
        if date > self.today() {
            return Err(FieldError::new("as_of", "project.as_of.future").into());
        }
        Ok(date)
    }

    /// The ledger list as it stood at the end of `date`, inside the caller's scope.
    pub async fn list_projects_as_of(
        &self,
        ctx: &Ctx,
        query: &ProjectQuery,
        date: NaiveDate,
    ) -> ServiceResult<ProjectPage> {
        ctx.require(Permission::ReadBusiness)?;
        let date = self.past_day(date)?;
        let filter = query.to_filter(scope_for(ctx)?);
        Ok(self
            .store
            .project_page_as_of(&filter, end_of_day(date))
            .await?)
    }

    /// A project as it stood at the end of `date` (see the module's note on what is
    /// historical); `NotFound` outside the caller's scope, refused when it did not exist yet.
    pub async fn project_as_of(
        &self,
        ctx: &Ctx,
        id: i64,
        date: NaiveDate,
    ) -> ServiceResult<ProjectDetail> {
        ctx.require(Permission::ReadBusiness)?;
        let date = self.past_day(date)?;
        let current = self
            .store
            .project(id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        ctx.require_reach(owner_of(&current))?;
        let before = end_of_day(date);
        let row = self
            .store
            .project_as_of(id, before)
            .await?
            .ok_or(FieldError::new("as_of", "project.as_of.not_yet"))?;
        let mut milestones = self.store.milestones_as_of(id, before).await?;
        for m in &mut milestones {
            m.actual = m.actual.filter(|actual| *actual <= date);
        }
        let mut progress = self.store.progress_reports(id).await?;
        progress.retain(|p| p.recorded_at < before);
        let mut stage_changes = self.store.stage_changes(id).await?;
        stage_changes.retain(|c| c.recorded_at < before);
        let plan = self.store.investment_plan(id).await?;
        let (platform, department) = self.names_of(&row).await?;
        // The reasons are recomputed for the day; the colour is the one the ledger showed.
        let mut status = assess(date, &milestones, &plan, row.completed_investment);
        status.colour = Colour::parse(&row.status_colour).unwrap_or(status.colour);
        Ok(ProjectDetail {
            status,
            plan: plan_table(&plan, &progress, row.completed_investment, date)?,
            platform,
            department,
            milestones,
            progress,
            stage_changes,
            row,
        })
    }

    /// The export of the ledger as it stood at the end of `date`, titled
    /// "{district}重点项目台账（截至 {date}）", audited as `project.export` with the date.
    pub async fn export_projects_as_of(
        &self,
        ctx: &Ctx,
        query: &ProjectQuery,
        date: NaiveDate,
    ) -> ServiceResult<Vec<u8>> {
        ctx.require(Permission::ReadBusiness)?;
        let date = self.past_day(date)?;
        let names: ExportNames = self.export_names().await?;
        let mut filter = query.to_filter(scope_for(ctx)?);
        filter.offset = 0;
        filter.limit = i64::MAX;
        let page = self
            .store
            .project_page_as_of(&filter, end_of_day(date))
            .await?;
        let rows: Vec<_> = page.rows.iter().map(|row| names.row(row)).collect();
        self.write_ledger(ctx, &names, &rows, date, true).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::projects::local_date;

    #[test]
    fn a_day_ends_at_midnight_in_china() {
        let day: NaiveDate = "2020-03-31".parse().unwrap();
        let end = end_of_day(day);
        assert_eq!(end.to_rfc3339(), "2020-03-31T16:00:00+00:00");
        assert_eq!(local_date(end - chrono::Duration::seconds(1)), day);
        assert_eq!(local_date(end), day.succ_opt().unwrap());
    }

    #[test]
    fn only_a_real_day_parses() {
        assert_eq!(parse_day(" 2020-02-29 ").unwrap().to_string(), "2020-02-29");
        for bad in [
            "2019-02-29",
            "2020-3-31",
            "2020/03/31",
            "yesterday",
            "",
            "２０２０-03-31",
        ] {
            assert_eq!(
                parse_day(bad).unwrap_err().message,
                "project.as_of.invalid",
                "{bad}"
            );
        }
    }
}
