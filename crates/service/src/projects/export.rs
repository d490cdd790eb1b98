//! Exporting the ledger: the filtered projects in the caller's scope as the workbook offices
//! keep, titled with the district's name and today's date, audited as `project.export`.

use super::ProjectQuery;
use super::import_rows::draft_of;
use super::list::MAX_PER_PAGE;
use crate::audit::Object;
use crate::excel::projects_export::{ProjectExportRow, write_projects};
use crate::{Ctx, ServiceError, ServiceResult, Services};
use districtops_domain::access::Permission;
use districtops_domain::audit::FieldChange;
use districtops_domain::projects::Colour;
use std::collections::HashMap;

impl Services {
    /// The projects `query` matches inside the caller's scope (every page) as an xlsx, titled
    /// "{district}重点项目台账（截至 YYYY-MM-DD）".
    pub async fn export_projects(&self, ctx: &Ctx, query: &ProjectQuery) -> ServiceResult<Vec<u8>> {
        ctx.require(Permission::ReadBusiness)?;
        let platforms: HashMap<i64, String> = self
            .store
            .platforms()
            .await?
            .into_iter()
            .map(|p| (p.id, p.name))
            .collect();
        let departments = self.store.departments().await?;
        let district = departments
            .iter()
            .find(|d| d.parent_id.is_none())
            .map(|d| d.name.clone())
            .unwrap_or_default();
        let departments: HashMap<i64, String> =
            departments.into_iter().map(|d| (d.id, d.name)).collect();
        let mut rows = Vec::new();
        let mut query = query.clone();
        query.per_page = MAX_PER_PAGE;
        query.page = 1;
        loop {
            let page = self.list_projects(ctx, &query).await?;
            let done = page.rows.len() < MAX_PER_PAGE as usize;
            for row in &page.rows {
                let mut out = ProjectExportRow::from(&draft_of(row, &platforms, &departments));
                out.status = Colour::parse(&row.status_colour).ok();
                rows.push(out);
            }
            if done {
                break;
            }
            query.page += 1;
        }
        let title = format!(
            "{district}重点项目台账（截至 {}）",
            self.today().format("%Y-%m-%d")
        );
        let bytes = write_projects(&title, &rows)
            .map_err(|e| ServiceError::Internal(format!("xlsx: {e}")))?;
        let mut tx = self.store.begin().await?;
        self.record(
            &mut tx,
            ctx,
            "project.export",
            Object::new("project", 0),
            vec![FieldChange::new(
                "rows",
                None::<&str>,
                Some(rows.len().to_string()),
            )],
        )
        .await?;
        tx.commit().await?;
        Ok(bytes)
    }
}
