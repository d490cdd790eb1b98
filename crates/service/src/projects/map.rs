//! The battle map (挂图作战): the ledger's filters, the caller's scope, the projects with
//! coordinates as points and the totals by status colour.

use super::{ProjectQuery, scope_for};
use crate::{Ctx, ServiceResult, Services};
use districtops_domain::access::Permission;
use districtops_store::{ProjectFilter, ProjectPoints};

/// The most points one map draws (the totals still count every match).
pub const MAX_MAP_POINTS: i64 = 20_000;

impl Services {
    /// The projects `query` matches inside the caller's scope that have coordinates (at most
    /// [`MAX_MAP_POINTS`]), and the count and investment of every match by colour. The
    /// query's sort and page are ignored.
    pub async fn project_map(
        &self,
        ctx: &Ctx,
        query: &ProjectQuery,
    ) -> ServiceResult<ProjectPoints> {
        ctx.require(Permission::ReadBusiness)?;
        let mut filter = ProjectFilter::new(scope_for(ctx)?);
        filter.platform_id = query.platform_id;
        filter.stage = query.stage.map(|s| s.as_str().to_owned());
        filter.kind = query.kind.map(|k| k.as_str().to_owned());
        filter.leader = query.leader.clone().filter(|l| !l.trim().is_empty());
        filter.department_id = query.department_id;
        filter.status_colour = query.colour.map(|c| c.as_str().to_owned());
        filter.text = query.text.clone().filter(|t| !t.trim().is_empty());
        Ok(self.store.project_points(&filter, MAX_MAP_POINTS).await?)
    }
}
