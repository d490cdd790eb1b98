//! The ledger list: filters as typed values, the scope added by the service.

use super::scope_for;
use crate::{Ctx, ServiceResult, Services};
use districtops_domain::access::Permission;
use districtops_domain::projects::{Colour, ProjectKind, Stage};
use districtops_store::{
    DepartmentRow, PlatformRow, ProjectFilter, ProjectListPage, ProjectPage, ProjectScope,
    ProjectSort,
};

/// The most rows one page may hold.
pub const MAX_PER_PAGE: i64 = 500;

/// What the caller asks of the list; the data scope is not theirs to choose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectQuery {
    pub platform_id: Option<i64>,
    pub stage: Option<Stage>,
    pub kind: Option<ProjectKind>,
    pub leader: Option<String>,
    pub department_id: Option<i64>,
    pub colour: Option<Colour>,
    pub text: Option<String>,
    pub sort: ProjectSort,
    pub descending: bool,
    /// From 1.
    pub page: i64,
    /// 1 to [`MAX_PER_PAGE`].
    pub per_page: i64,
}

impl Default for ProjectQuery {
    fn default() -> Self {
        Self {
            platform_id: None,
            stage: None,
            kind: None,
            leader: None,
            department_id: None,
            colour: None,
            text: None,
            sort: ProjectSort::Id,
            descending: false,
            page: 1,
            per_page: 50,
        }
    }
}

impl ProjectQuery {
    /// The store's filter for this query inside `scope`, the page clamped to
    /// 1..=[`MAX_PER_PAGE`] rows.
    pub(super) fn to_filter(&self, scope: ProjectScope) -> ProjectFilter {
        let per_page = self.per_page.clamp(1, MAX_PER_PAGE);
        let page = self.page.clamp(1, 10_000_000);
        ProjectFilter {
            scope,
            platform_id: self.platform_id,
            stage: self.stage.map(|s| s.as_str().to_owned()),
            kind: self.kind.map(|k| k.as_str().to_owned()),
            leader: self.leader.clone().filter(|l| !l.trim().is_empty()),
            department_id: self.department_id,
            status_colour: self.colour.map(|c| c.as_str().to_owned()),
            text: self.text.clone().filter(|t| !t.trim().is_empty()),
            sort: self.sort,
            descending: self.descending,
            limit: per_page,
            offset: (page - 1).saturating_mul(per_page),
        }
    }
}

impl Services {
    /// One page of the ledger inside the caller's scope, with the count and totals of every
    /// project the filters match.
    pub async fn list_projects(
        &self,
        ctx: &Ctx,
        query: &ProjectQuery,
    ) -> ServiceResult<ProjectPage> {
        ctx.require(Permission::ReadBusiness)?;
        let filter = query.to_filter(scope_for(ctx)?);
        Ok(self.store.project_page(&filter).await?)
    }

    /// [`Services::list_projects`] with only what the ledger page shows of each row: the same
    /// rows in the same order, the same count and totals, the same scope.
    pub async fn list_projects_brief(
        &self,
        ctx: &Ctx,
        query: &ProjectQuery,
    ) -> ServiceResult<ProjectListPage> {
        ctx.require(Permission::ReadBusiness)?;
        let filter = query.to_filter(scope_for(ctx)?);
        Ok(self.store.project_list_page(&filter).await?)
    }

    /// The ledger filters' choices: every platform and every department, as (id, name).
    pub async fn ledger_filter_choices(
        &self,
        ctx: &Ctx,
    ) -> ServiceResult<(Vec<(i64, String)>, Vec<(i64, String)>)> {
        ctx.require(Permission::ReadBusiness)?;
        Ok(self.store.filter_choices().await?)
    }

    /// What the project form offers: platforms and departments (writers only).
    pub async fn project_form_choices(
        &self,
        ctx: &Ctx,
    ) -> ServiceResult<(Vec<PlatformRow>, Vec<DepartmentRow>)> {
        ctx.require(Permission::WriteBusiness)?;
        Ok((
            self.store.platforms().await?,
            self.store.departments().await?,
        ))
    }

    /// The platforms (names are not secret to anyone who reads business data).
    pub async fn platforms(&self, ctx: &Ctx) -> ServiceResult<Vec<PlatformRow>> {
        ctx.require(Permission::ReadBusiness)?;
        Ok(self.store.platforms().await?)
    }
}
