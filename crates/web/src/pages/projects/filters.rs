//! The ledger's filter form, shared by the list (`/projects`), the battle map
//! (`/projects/map`) and the battle chart (`/projects/chart`): the same parameters in the
//! URL, the same choices, the same errors.

use super::{Choice, kind_choices, stage_choices};
use crate::api::projects::list::ListParams;
use crate::error::AppResult;
use crate::state::AppState;
use districtops_domain::FieldErrors;
use districtops_domain::projects::Colour;
use districtops_service::Ctx;

/// What `templates/projects/filters.html` shows.
pub struct FilterForm {
    /// The page the form submits to (GET).
    pub action: &'static str,
    /// A field label and a message key for each parameter that did not parse.
    pub errors: Vec<(&'static str, &'static str)>,
    pub platforms: Vec<Choice>,
    pub departments: Vec<Choice>,
    pub stages: Vec<Choice>,
    pub kinds: Vec<Choice>,
    pub colours: Vec<Choice>,
    /// The battle chart's months, first and last (`YYYY-MM`); `None` elsewhere.
    pub months: Option<(String, String)>,
}

impl FilterForm {
    pub async fn load(
        state: &AppState,
        ctx: &Ctx,
        params: &ListParams,
        errors: &FieldErrors,
        action: &'static str,
    ) -> AppResult<Self> {
        // Ids and names only, both lists in one query.
        let (platforms, departments) = state.services.ledger_filter_choices(ctx).await?;
        Ok(Self {
            action,
            errors: errors
                .0
                .iter()
                .map(|e| (super::field_label(e.field), e.message))
                .collect(),
            platforms: platforms
                .into_iter()
                .map(|(id, name)| {
                    Choice::named(id.to_string(), name, params.filters.platform.trim())
                })
                .collect(),
            departments: departments
                .into_iter()
                .map(|(id, name)| {
                    Choice::named(id.to_string(), name, params.filters.department.trim())
                })
                .collect(),
            stages: stage_choices(params.filters.stage.trim()),
            kinds: kind_choices(params.filters.kind.trim()),
            colours: Colour::ALL
                .iter()
                .map(|c| Choice::coded(c.as_str(), c.label_key(), params.filters.status.trim()))
                .collect(),
            months: None,
        })
    }
}
