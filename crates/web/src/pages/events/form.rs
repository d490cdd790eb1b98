//! `/events/new` and `/events/{id}/edit`: the form of a mass groundbreaking or signing, with
//! its projects picked from the ledger as a list of checkboxes filtered by a search. The
//! search is a second submit button of the same form, so it works without script and keeps
//! whatever was typed; ticked projects stay listed whatever the search.

use super::kind_label;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::Form;
use crate::i18n::Lang;
use crate::pages::Page;
use crate::pages::admin::FieldMessages;
use crate::pages::projects::{Choice, best};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use districtops_domain::validation::{FieldError, FieldErrors};
use districtops_service::ServiceError;
use districtops_service::events::{EventKind, NewEventInput};
use districtops_store::{EventRow, ProjectRow};
use serde::Deserialize;

/// How many projects of a search the form lists.
const SHOWN: i64 = 50;

/// The event as typed. Read from the form's pairs, since `project_ids` repeats.
#[derive(Clone, Debug, Default)]
pub struct EventForm {
    pub kind: String,
    pub name: String,
    pub held_on: String,
    pub place: String,
    pub department_id: String,
    pub notes: String,
    pub illustrative: bool,
    pub project_ids: Vec<i64>,
    /// The search of the project list.
    pub q: String,
    pub version: String,
    /// The search button was pressed: list again, save nothing.
    pub searching: bool,
}

impl EventForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut form = Self::default();
        for (key, value) in pairs {
            match key.as_str() {
                "kind" => form.kind = value,
                "name" => form.name = value,
                "held_on" => form.held_on = value,
                "place" => form.place = value,
                "department_id" => form.department_id = value,
                "notes" => form.notes = value,
                "illustrative" => form.illustrative = !value.is_empty(),
                "q" => form.q = value,
                "version" => form.version = value,
                "search" => form.searching = true,
                "project_ids" => form.project_ids.extend(value.trim().parse::<i64>().ok()),
                _ => {}
            }
        }
        form.project_ids.sort_unstable();
        form.project_ids.dedup();
        form
    }

    fn from_row(row: &EventRow, project_ids: Vec<i64>) -> Self {
        Self {
            kind: row.kind.clone(),
            name: row.name.clone(),
            held_on: row.held_on.to_string(),
            place: row.place.clone().unwrap_or_default(),
            department_id: row.department_id.to_string(),
            notes: row.notes.clone().unwrap_or_default(),
            illustrative: row.illustrative,
            project_ids,
            version: row.version.to_string(),
            ..Self::default()
        }
    }

    /// The input, or the fields that do not parse (the service checks the rest).
    fn to_input(&self) -> Result<NewEventInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let kind = EventKind::parse(&self.kind);
        if kind.is_none() {
            errors.push(FieldError::new("kind", "event.kind_invalid"));
        }
        let held_on = match self.held_on.trim() {
            "" => Err("validation.required"),
            raw => NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .map_err(|_| "project.ledger.date_invalid"),
        }
        .map_err(|key| errors.push(FieldError::new("held_on", key)))
        .ok();
        let department_id = self.department_id.trim().parse::<i64>().ok();
        if department_id.is_none() {
            errors.push(FieldError::new(
                "department_id",
                "project.department.unknown",
            ));
        }
        errors.into_result()?;
        Ok(NewEventInput {
            kind: kind.unwrap_or(EventKind::Groundbreaking),
            name: self.name.clone(),
            held_on: held_on.unwrap_or_default(),
            place: Some(self.place.clone()),
            department_id: department_id.unwrap_or_default(),
            notes: Some(self.notes.clone()),
            illustrative: self.illustrative,
            project_ids: self.project_ids.clone(),
        })
    }
}

/// One checkbox of the project list.
pub struct Pick {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub total: String,
    pub ticked: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "events/form.html")]
pub struct FormPage {
    page: Page,
    title: &'static str,
    action: String,
    form: EventForm,
    errors: FieldMessages,
    kinds: Vec<Choice>,
    departments: Vec<Choice>,
    picks: Vec<Pick>,
    /// Said when more projects match the search than are listed.
    cut: Option<String>,
}

fn pick(row: &ProjectRow, ticked: bool) -> Pick {
    Pick {
        id: row.id,
        code: row.code.clone().unwrap_or_default(),
        name: row.name.clone(),
        total: best(row.total_investment),
        ticked,
    }
}

impl FormPage {
    async fn load(
        state: &AppState,
        lang: Lang,
        user: &CurrentUser,
        id: Option<i64>,
        form: EventForm,
    ) -> AppResult<Self> {
        let choices = state
            .services
            .event_form_choices(&user.ctx(), &form.q, SHOWN, &form.project_ids)
            .await?;
        // The ticked projects first, then the search's others.
        let mut picks: Vec<Pick> = choices.ticked.iter().map(|row| pick(row, true)).collect();
        picks.extend(
            choices
                .matches
                .iter()
                .filter(|row| !form.project_ids.contains(&row.id))
                .map(|row| pick(row, false)),
        );
        let path = id.map_or("/events/new".to_owned(), |id| format!("/events/{id}/edit"));
        Ok(Self {
            page: Page::new(state, lang, user, "events", &path),
            title: if id.is_some() {
                "event.edit.edit"
            } else {
                "event.edit.new"
            },
            action: id.map_or("/events".to_owned(), |id| format!("/events/{id}/edit")),
            errors: FieldMessages::default(),
            kinds: EventKind::ALL
                .iter()
                .map(|k| Choice::coded(k.as_str(), kind_label(k.as_str()), form.kind.trim()))
                .collect(),
            departments: choices
                .departments
                .iter()
                .map(|d| Choice::named(d.id.to_string(), d.name.clone(), form.department_id.trim()))
                .collect(),
            picks,
            cut: (choices.matched > SHOWN)
                .then(|| lang.tr().f("event.edit.more", &[("shown", &SHOWN)])),
            form,
        })
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Search {
    pub q: String,
}

pub async fn new(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Query(search): Query<Search>,
) -> AppResult<FormPage> {
    let form = EventForm {
        kind: EventKind::Groundbreaking.as_str().to_owned(),
        department_id: user.actor.department_id.to_string(),
        q: search.q,
        ..EventForm::default()
    };
    FormPage::load(&state, lang, &user, None, form).await
}

pub async fn edit(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<FormPage> {
    let id = super::parse_id(&id)?;
    let d = state.services.event(&user.ctx(), id).await?;
    let form = EventForm::from_row(&d.row, d.projects.iter().map(|p| p.id).collect());
    FormPage::load(&state, lang, &user, Some(id), form).await
}

/// Saves the form (`id` none: a new event), or lists the search's projects again.
async fn save(
    state: AppState,
    lang: Lang,
    user: CurrentUser,
    id: Option<i64>,
    form: EventForm,
) -> AppResult<Response> {
    if form.searching {
        return Ok(FormPage::load(&state, lang, &user, id, form)
            .await?
            .into_response());
    }
    let ctx = user.ctx();
    let result = match (form.to_input(), id) {
        (Err(errors), _) => Err(ServiceError::Invalid(errors)),
        (Ok(input), None) => state.services.create_event(&ctx, &input).await,
        (Ok(input), Some(id)) => {
            let version = form.version.trim().parse().unwrap_or(-1);
            state
                .services
                .update_event(&ctx, id, version, &input)
                .await
                .map(|()| id)
        }
    };
    match (result, id) {
        (Ok(saved), _) => Ok(Redirect::to(&format!("/events/{saved}")).into_response()),
        (Err(ServiceError::Invalid(errors)), _) => {
            let mut view = FormPage::load(&state, lang, &user, id, form).await?;
            view.errors = FieldMessages::new(lang.tr(), &errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, view).into_response())
        }
        (Err(ServiceError::Conflict(key)), Some(id)) => {
            // Keep what was typed; take the latest version so a second save is deliberate.
            let latest = state.services.event(&ctx, id).await?;
            let mut form = form;
            form.version = latest.row.version.to_string();
            let mut view = FormPage::load(&state, lang, &user, Some(id), form).await?;
            view.page = view.page.flash_error(lang.tr().t(key));
            Ok((StatusCode::CONFLICT, view).into_response())
        }
        (Err(e), _) => Err(e.into()),
    }
}

/// `POST /events`.
pub async fn create(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    save(state, lang, user, None, EventForm::from_pairs(pairs)).await
}

/// `POST /events/{id}/edit`.
pub async fn update(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let id = super::parse_id(&id)?;
    save(state, lang, user, Some(id), EventForm::from_pairs(pairs)).await
}
