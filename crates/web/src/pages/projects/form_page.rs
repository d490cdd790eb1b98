//! `/projects/new` and `/projects/{id}/edit`: the project form, with per-field messages that
//! keep what the user typed, a hidden `version`, and on a conflict the latest values beside
//! the user's.

use super::form::{MOMENTS, ProjectForm};
use super::{Choice, field_label, kind_choices, parse_id, stage_choices};
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::Form;
use crate::i18n::Lang;
use crate::pages::Page;
use crate::pages::admin::FieldMessages;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use districtops_domain::FieldErrors;
use districtops_service::ServiceError;

/// The text inputs of the form: name, label key, input type.
pub const TEXT_FIELDS: [(&str, &str, &str); 11] = [
    ("code", "project.ledger.field.code", "text"),
    ("name", "project.ledger.field.name", "text"),
    ("leader", "project.ledger.field.leader", "text"),
    (
        "total_investment",
        "project.ledger.field.total_investment",
        "text",
    ),
    (
        "completed_investment",
        "project.ledger.field.completed_investment",
        "text",
    ),
    (
        "floor_area_m2",
        "project.ledger.field.floor_area_m2",
        "text",
    ),
    ("land_area", "project.ledger.field.land_area", "text"),
    ("address", "project.ledger.field.address", "text"),
    ("longitude", "project.ledger.field.longitude", "text"),
    ("latitude", "project.ledger.field.latitude", "text"),
    ("notes", "project.ledger.field.notes", "text"),
];

/// One field where the saved project differs from what the user typed.
pub struct ConflictRow {
    pub label: &'static str,
    pub latest: String,
    pub yours: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "projects/form.html")]
pub struct FormPage {
    page: Page,
    title: &'static str,
    action: String,
    editing: bool,
    form: ProjectForm,
    errors: FieldMessages,
    platforms: Vec<Choice>,
    departments: Vec<Choice>,
    kinds: Vec<Choice>,
    stages: Vec<Choice>,
    text_fields: &'static [(&'static str, &'static str, &'static str)],
    moments: &'static [&'static str],
    conflict: Vec<ConflictRow>,
}

impl FormPage {
    /// Which date input: `planned_start`.
    fn date_name(&self, when: &str, moment: &str) -> String {
        format!("{when}_{moment}")
    }

    fn moment_key(&self, moment: &str) -> &'static str {
        match moment {
            "signing" => "project.ledger.moment.signing",
            "start" => "project.ledger.moment.start",
            "structure" => "project.ledger.moment.structure",
            "completion" => "project.ledger.moment.completion",
            _ => "project.ledger.moment.operation",
        }
    }

    async fn load(
        state: &AppState,
        lang: Lang,
        user: &CurrentUser,
        id: Option<i64>,
        form: ProjectForm,
    ) -> AppResult<Self> {
        let (platforms, departments) = state.services.project_form_choices(&user.ctx()).await?;
        let path = id.map_or("/projects/new".to_owned(), |id| {
            format!("/projects/{id}/edit")
        });
        Ok(Self {
            page: Page::new(state, lang, user, "projects", &path),
            title: if id.is_some() {
                "project.ledger.edit"
            } else {
                "project.ledger.new"
            },
            action: id.map_or("/projects".to_owned(), |id| format!("/projects/{id}/edit")),
            editing: id.is_some(),
            platforms: platforms
                .into_iter()
                .map(|p| Choice::named(p.name.clone(), p.name, form.platform.trim()))
                .collect(),
            departments: departments
                .into_iter()
                .map(|d| Choice::named(d.id.to_string(), d.name, form.department.trim()))
                .collect(),
            kinds: kind_choices(form.kind.trim()),
            stages: stage_choices(form.stage.trim()),
            text_fields: &TEXT_FIELDS,
            moments: &MOMENTS,
            errors: FieldMessages::default(),
            conflict: Vec::new(),
            form,
        })
    }

    fn with_errors(mut self, lang: Lang, errors: &FieldErrors) -> Self {
        self.errors = FieldMessages::new(lang.tr(), errors);
        self
    }
}

pub async fn new(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
) -> AppResult<FormPage> {
    let form = ProjectForm {
        department: user.actor.department_id.to_string(),
        stage: "pipeline".into(),
        ..ProjectForm::default()
    };
    FormPage::load(&state, lang, &user, None, form).await
}

pub async fn edit(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<FormPage> {
    let id = parse_id(&id)?;
    let d = state.services.project(&user.ctx(), id).await?;
    let form = ProjectForm::from_row(&d.row, d.platform.as_deref());
    FormPage::load(&state, lang, &user, Some(id), form).await
}

/// The form shown again with the service's refusal.
async fn refused(
    state: &AppState,
    lang: Lang,
    user: &CurrentUser,
    id: Option<i64>,
    form: ProjectForm,
    error: ServiceError,
) -> AppResult<Response> {
    let status = match &error {
        ServiceError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        ServiceError::Forbidden => StatusCode::FORBIDDEN,
        _ => return Err(error.into()),
    };
    let mut view = FormPage::load(state, lang, user, id, form).await?;
    match error {
        ServiceError::Invalid(errors) => view = view.with_errors(lang, &errors),
        _ => {
            let text = lang.tr().t("project.ledger.out_of_scope");
            view.page = view.page.flash_error(text);
        }
    }
    Ok((status, view).into_response())
}

pub async fn create(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Form(form): Form<ProjectForm>,
) -> AppResult<Response> {
    let result = match form.to_draft() {
        Ok(draft) => state.services.create_project(&user.ctx(), &draft).await,
        Err(errors) => Err(ServiceError::Invalid(errors)),
    };
    match result {
        Ok(row) => Ok(Redirect::to(&format!("/projects/{}", row.id)).into_response()),
        Err(e) => refused(&state, lang, &user, None, form, e).await,
    }
}

pub async fn update(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<ProjectForm>,
) -> AppResult<Response> {
    let id = parse_id(&id)?;
    let version = form.version.trim().parse().unwrap_or(-1);
    let ctx = user.ctx();
    let result = match form.to_draft() {
        Ok(draft) => {
            let correction = !form.correction.is_empty();
            state
                .services
                .update_project(&ctx, id, version, &draft, correction)
                .await
        }
        Err(errors) => Err(ServiceError::Invalid(errors)),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/projects/{id}")).into_response()),
        // Someone saved first: keep what the user typed, show the latest values beside it,
        // and take the latest version so a second save is a deliberate overwrite.
        Err(ServiceError::Conflict(key)) => {
            let d = state.services.project(&ctx, id).await?;
            let latest = ProjectForm::from_row(&d.row, d.platform.as_deref());
            let departments = state.services.departments(&ctx).await?;
            let department_name = |raw: &str| {
                departments
                    .iter()
                    .find(|dep| dep.id.to_string() == raw.trim())
                    .map_or_else(|| raw.to_owned(), |dep| dep.name.clone())
            };
            let mut yours = form;
            yours.version = latest.version.clone();
            let mut conflict: Vec<ConflictRow> = TEXT_FIELDS
                .iter()
                .filter(|(name, _, _)| latest.value(name) != yours.value(name))
                .map(|(name, label, _)| ConflictRow {
                    label,
                    latest: latest.value(name).to_owned(),
                    yours: yours.value(name).to_owned(),
                })
                .collect();
            for (name, a, b) in [
                ("platform", &latest.platform, &yours.platform),
                ("department", &latest.department, &yours.department),
                ("kind", &latest.kind, &yours.kind),
                ("stage", &latest.stage, &yours.stage),
            ] {
                if a != b {
                    let (latest, yours) = if name == "department" {
                        (department_name(a), department_name(b))
                    } else {
                        (a.clone(), b.clone())
                    };
                    conflict.push(ConflictRow {
                        label: field_label(name),
                        latest,
                        yours,
                    });
                }
            }
            let mut view = FormPage::load(&state, lang, &user, Some(id), yours).await?;
            view.page = view.page.flash_error(lang.tr().t(key));
            view.conflict = conflict;
            Ok((StatusCode::CONFLICT, view).into_response())
        }
        Err(e) => refused(&state, lang, &user, Some(id), form, e).await,
    }
}
