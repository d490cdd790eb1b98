//! Exporting the ledger: the filtered projects in the caller's scope as the workbook offices
//! keep, titled with the district's name and today's date, audited as `project.export`. The
//! ledger as of a past date ([`super::as_of`]) is written by the same code.

use super::import_rows::draft_of;
use super::{ProjectQuery, scope_for};
use crate::audit::Object;
use crate::excel::projects_export::{ProjectExportRow, write_projects};
use crate::{Ctx, ServiceError, ServiceResult, Services};
use chrono::NaiveDate;
use districtops_domain::access::Permission;
use districtops_domain::audit::FieldChange;
use districtops_domain::projects::Colour;
use districtops_store::ProjectRow;
use std::collections::HashMap;

/// The names an exported row spells out instead of ids, and the district for the title.
pub(super) struct ExportNames {
    district: String,
    platforms: HashMap<i64, String>,
    departments: HashMap<i64, String>,
}

impl ExportNames {
    /// A project as the export writes it.
    pub(super) fn row(&self, row: &ProjectRow) -> ProjectExportRow {
        let mut out = ProjectExportRow::from(&draft_of(row, &self.platforms, &self.departments));
        out.status = Colour::parse(&row.status_colour).ok();
        out
    }
}

impl Services {
    /// The projects `query` matches inside the caller's scope (every page) as an xlsx, titled
    /// "{district}重点项目台账（截至 YYYY-MM-DD）".
    pub async fn export_projects(&self, ctx: &Ctx, query: &ProjectQuery) -> ServiceResult<Vec<u8>> {
        ctx.require(Permission::ReadBusiness)?;
        let names = self.export_names().await?;
        // Every matching row in one query: paging through a large ledger by OFFSET would
        // rescan the rows before each page.
        let mut filter = query.to_filter(scope_for(ctx)?);
        filter.limit = i64::MAX;
        filter.offset = 0;
        let page = self.store.project_page(&filter).await?;
        let rows: Vec<ProjectExportRow> = page.rows.iter().map(|row| names.row(row)).collect();
        self.write_ledger(ctx, &names, &rows, self.today(), false)
            .await
    }

    pub(super) async fn export_names(&self) -> ServiceResult<ExportNames> {
        let platforms = self
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
        let departments = departments.into_iter().map(|d| (d.id, d.name)).collect();
        Ok(ExportNames {
            district,
            platforms,
            departments,
        })
    }

    /// Writes `rows` as the ledger "as of" `date` and audits the export (with the date when
    /// the ledger is `historical`).
    pub(super) async fn write_ledger(
        &self,
        ctx: &Ctx,
        names: &ExportNames,
        rows: &[ProjectExportRow],
        date: NaiveDate,
        historical: bool,
    ) -> ServiceResult<Vec<u8>> {
        let title = format!(
            "{}重点项目台账（截至 {}）",
            names.district,
            date.format("%Y-%m-%d")
        );
        let bytes = write_projects(&title, rows)
            .map_err(|e| ServiceError::Internal(format!("xlsx: {e}")))?;
        let mut changes = vec![FieldChange::new(
            "rows",
            None::<&str>,
            Some(rows.len().to_string()),
        )];
        if historical {
            changes.push(FieldChange::new(
                "as_of",
                None::<&str>,
                Some(date.to_string()),
            ));
        }
        let mut tx = self.store.begin().await?;
        self.record(
            &mut tx,
            ctx,
            "project.export",
            Object::new("project", 0),
            changes,
        )
        .await?;
        tx.commit().await?;
        Ok(bytes)
    }
}
