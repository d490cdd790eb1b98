//! The battle chart's (作战图) milestones: those of one page of projects, in one query.

use super::children::{MILESTONE, MilestoneRow};
use crate::{Result, Store, on_db};

impl Store {
    /// The milestones of the projects `ids` (one page of the chart, at most a few hundred),
    /// by project, then planned date. The caller has already scoped the ids.
    pub async fn milestones_of(&self, ids: &[i64]) -> Result<Vec<MilestoneRow>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT {MILESTONE} FROM milestones WHERE project_id IN ({}) \
             ORDER BY project_id, planned, id",
            placeholders.join(", ")
        );
        Ok(on_db!(self, pool => {
            let mut query = sqlx::query_as(&sql);
            for id in ids {
                query = query.bind(*id);
            }
            query.fetch_all(pool).await
        })?)
    }
}
