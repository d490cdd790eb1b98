//! `/kpis/new` and `/kpis/{id}`: the form of an annual target of the district or of a
//! platform, to set, change or remove one. The target is typed in its metric's unit.

use super::forms::{VersionForm, refusal, require_planner, version_of};
use super::parse_id;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::Form;
use crate::i18n::Lang;
use crate::pages::Page;
use crate::pages::admin::FieldMessages;
use crate::pages::projects::Choice;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use districtops_domain::projects::KpiMetric;
use districtops_service::ServiceError;
use districtops_service::projects::goals::KpiTargetInput;
use districtops_store::KpiTargetRow;
use serde::Deserialize;

/// A target as typed; `platform` is a platform id, or empty for the whole district.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct KpiForm {
    pub platform: String,
    pub year: String,
    pub name: String,
    pub metric: String,
    pub target: String,
    pub notes: String,
    pub illustrative: String,
    pub version: String,
}

impl KpiForm {
    fn from_row(k: &KpiTargetRow) -> Self {
        let target = KpiMetric::parse(&k.metric)
            .map(|m| m.unit().format_exact(k.target).replace(',', ""))
            .unwrap_or_else(|_| k.target.to_string());
        Self {
            platform: k.platform_id.map(|p| p.to_string()).unwrap_or_default(),
            year: k.year.to_string(),
            name: k.name.clone(),
            metric: k.metric.clone(),
            target,
            notes: k.notes.clone().unwrap_or_default(),
            illustrative: if k.illustrative { "on" } else { "" }.to_owned(),
            version: k.version.to_string(),
        }
    }

    /// The input, or the field error of a platform that is not an id.
    fn input(&self) -> Result<KpiTargetInput, ServiceError> {
        let platform_id = match self.platform.trim() {
            "" => None,
            raw => Some(raw.parse().map_err(|_| {
                districtops_domain::FieldError::new("platform", "goal.kpi.platform_unknown")
            })?),
        };
        Ok(KpiTargetInput {
            platform_id,
            year: self.year.clone(),
            name: self.name.clone(),
            metric: self.metric.clone(),
            target: self.target.clone(),
            notes: self.notes.clone(),
            illustrative: !self.illustrative.is_empty(),
        })
    }

    /// Where the form returns to: the target's platform, or the platform list.
    fn back(&self) -> String {
        match self.platform.trim().parse::<i64>() {
            Ok(id) => format!("/platforms/{id}"),
            Err(_) => "/platforms".to_owned(),
        }
    }
}

/// A metric of the select, with its unit.
pub struct MetricChoice {
    pub value: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    pub selected: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "platforms/kpi_form.html")]
pub struct KpiPage {
    page: Page,
    kpi_id: Option<i64>,
    back: String,
    form: KpiForm,
    platforms: Vec<Choice>,
    metrics: Vec<MetricChoice>,
    errors: FieldMessages,
}

async fn kpi_page(
    state: &AppState,
    lang: Lang,
    user: &CurrentUser,
    kpi_id: Option<i64>,
    form: KpiForm,
) -> AppResult<KpiPage> {
    let platforms = state.services.platforms(&user.ctx()).await?;
    let path = kpi_id.map_or("/kpis/new".to_owned(), |id| format!("/kpis/{id}"));
    let chosen = form.metric.trim().to_owned();
    Ok(KpiPage {
        page: Page::new(state, lang, user, "platforms", &path),
        kpi_id,
        back: form.back(),
        platforms: platforms
            .into_iter()
            .map(|p| Choice::named(p.id.to_string(), p.name, form.platform.trim()))
            .collect(),
        metrics: KpiMetric::ALL
            .iter()
            .map(|m| MetricChoice {
                value: m.as_str(),
                label: m.label_key(),
                unit: m.unit().label_key(),
                selected: m.as_str() == chosen,
            })
            .collect(),
        form,
        errors: FieldMessages::default(),
    })
}

pub async fn new(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    RawQuery(query): RawQuery,
) -> AppResult<KpiPage> {
    require_planner(&state, &user)?;
    let platform = query
        .unwrap_or_default()
        .split('&')
        .find_map(|pair| pair.strip_prefix("platform=").map(str::to_owned))
        .filter(|p| p.parse::<i64>().is_ok())
        .unwrap_or_default();
    let form = KpiForm {
        platform,
        year: state.services.today().year().to_string(),
        ..KpiForm::default()
    };
    kpi_page(&state, lang, &user, None, form).await
}

pub async fn edit(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<KpiPage> {
    let id = parse_id(&id)?;
    require_planner(&state, &user)?;
    let row = state.services.kpi_target(&user.ctx(), id).await?;
    kpi_page(&state, lang, &user, Some(id), KpiForm::from_row(&row)).await
}

pub async fn create(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Form(form): Form<KpiForm>,
) -> AppResult<Response> {
    let ctx = user.ctx();
    let result = match form.input() {
        Ok(input) => state.services.add_kpi_target(&ctx, &input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&form.back()).into_response()),
        Err(e) => {
            let mut view = kpi_page(&state, lang, &user, None, form).await?;
            let status = refusal(lang, e, &mut view.page, &mut view.errors)?;
            Ok((status, view).into_response())
        }
    }
}

pub async fn update(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<KpiForm>,
) -> AppResult<Response> {
    let id = parse_id(&id)?;
    let ctx = user.ctx();
    let version = version_of(&form.version);
    let result = match form.input() {
        Ok(input) => {
            state
                .services
                .update_kpi_target(&ctx, id, version, &input)
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&form.back()).into_response()),
        Err(e) => {
            let mut form = form;
            if let ServiceError::Conflict(_) = e {
                form.version = state
                    .services
                    .kpi_target(&ctx, id)
                    .await?
                    .version
                    .to_string();
            }
            let mut view = kpi_page(&state, lang, &user, Some(id), form).await?;
            let status = refusal(lang, e, &mut view.page, &mut view.errors)?;
            Ok((status, view).into_response())
        }
    }
}

pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<VersionForm>,
) -> AppResult<Response> {
    let id = parse_id(&id)?;
    let ctx = user.ctx();
    let back = match state.services.kpi_target(&ctx, id).await?.platform_id {
        Some(platform) => format!("/platforms/{platform}"),
        None => "/platforms".to_owned(),
    };
    let version = version_of(&form.version);
    state.services.delete_kpi_target(&ctx, id, version).await?;
    Ok(Redirect::to(&back).into_response())
}
