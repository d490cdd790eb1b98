//! `/admin/settings/status`: the thresholds of the status lights (三色预警阈值), for the
//! holders of `ManageSettings`. Saving checks each field (a Chinese message beside it and the
//! form kept, 422), audits the change and recomputes every light; the page then says how
//! many projects changed colour, or that they follow at the nightly run.

use super::FieldMessages;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::Form;
use crate::i18n::Lang;
use crate::pages::Page;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use districtops_service::ServiceError;
use districtops_service::projects::status_settings::{ThresholdsInput, ThresholdsSaved};
use serde::Deserialize;

const PATH: &str = "/admin/settings/status";
/// The form's fields, in the order shown.
const FIELDS: [&str; 3] = ["red_overdue_days", "warning_days", "lag_percent"];

/// The form as typed (every field a string, so nothing typed is refused before the service
/// explains it).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ThresholdsForm {
    #[serde(default)]
    pub red_overdue_days: String,
    #[serde(default)]
    pub warning_days: String,
    #[serde(default)]
    pub lag_percent: String,
}

impl From<&ThresholdsForm> for ThresholdsInput {
    fn from(form: &ThresholdsForm) -> Self {
        Self {
            red_overdue_days: form.red_overdue_days.clone(),
            warning_days: form.warning_days.clone(),
            lag_percent: form.lag_percent.clone(),
        }
    }
}

/// The outcome a save redirects with: `?ok=saved&projects=…&changed=…`, `?ok=unchanged` or
/// `?ok=deferred`. Anything else shows no message.
#[derive(Debug, Default, Deserialize)]
pub struct SavedNotice {
    #[serde(default)]
    ok: String,
    #[serde(default)]
    projects: String,
    #[serde(default)]
    changed: String,
}

impl SavedNotice {
    fn apply(&self, page: Page) -> Page {
        let t = page.t;
        let count = |raw: &str| raw.parse::<u64>().ok();
        let text = match self.ok.as_str() {
            "saved" => match (count(&self.projects), count(&self.changed)) {
                (Some(projects), Some(changed)) => t.f(
                    "settings.status.saved",
                    &[("projects", &projects), ("changed", &changed)],
                ),
                _ => return page,
            },
            "unchanged" => t.t("settings.status.unchanged").to_owned(),
            "deferred" => t.t("settings.status.deferred").to_owned(),
            _ => return page,
        };
        page.flash_ok(text)
    }
}

/// Where a save sends the browser.
fn after_save(saved: ThresholdsSaved) -> String {
    match saved {
        ThresholdsSaved::Unchanged => format!("{PATH}?ok=unchanged"),
        ThresholdsSaved::Deferred => format!("{PATH}?ok=deferred"),
        ThresholdsSaved::Recomputed(done) => format!(
            "{PATH}?ok=saved&projects={}&changed={}",
            done.projects, done.changed
        ),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/status_settings.html")]
pub struct StatusSettingsPage {
    page: Page,
    form: ThresholdsForm,
    errors: FieldMessages,
    fields: [&'static str; 3],
}

impl StatusSettingsPage {
    /// The page with `form`, or the thresholds in force; refused (403) to anyone who may not
    /// change them.
    async fn load(
        state: &AppState,
        user: &CurrentUser,
        page: Page,
        form: Option<ThresholdsForm>,
    ) -> AppResult<Self> {
        let current = state
            .services
            .status_thresholds_to_edit(&user.ctx())
            .await?;
        let form = form.unwrap_or_else(|| {
            let shown = ThresholdsInput::of(&current);
            ThresholdsForm {
                red_overdue_days: shown.red_overdue_days,
                warning_days: shown.warning_days,
                lag_percent: shown.lag_percent,
            }
        });
        Ok(Self {
            page,
            form,
            errors: FieldMessages::default(),
            fields: FIELDS,
        })
    }
}

fn settings_page(state: &AppState, lang: Lang, user: &CurrentUser) -> Page {
    Page::new(state, lang, user, "status_settings", PATH)
}

pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Query(notice): Query<SavedNotice>,
) -> AppResult<StatusSettingsPage> {
    let page = notice.apply(settings_page(&state, lang, &user));
    StatusSettingsPage::load(&state, &user, page, None).await
}

pub async fn save(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Form(form): Form<ThresholdsForm>,
) -> AppResult<Response> {
    let input = ThresholdsInput::from(&form);
    match state
        .services
        .save_status_thresholds(&user.ctx(), &input)
        .await
    {
        Ok(saved) => Ok(Redirect::to(&after_save(saved)).into_response()),
        Err(ServiceError::Invalid(errors)) => {
            let page = settings_page(&state, lang, &user);
            let mut view = StatusSettingsPage::load(&state, &user, page, Some(form)).await?;
            view.errors = FieldMessages::new(lang.tr(), &errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, view).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
