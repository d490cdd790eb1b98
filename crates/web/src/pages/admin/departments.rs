//! The org tree: shown indented (district, then bureaus and street offices, then sections),
//! with the form to add a department and a page per department to rename or move it.

use super::{
    FieldMessages, Notice, SelectOption, department_options, form_id, form_version, kind_key,
    parse_id, tree_order,
};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::forms::Form;
use crate::i18n::{Lang, Tr};
use crate::pages::Page;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use districtops_domain::DepartmentId;
use districtops_domain::access::Permission;
use districtops_domain::org::{DepartmentKind, DepartmentNode, OrgTree};
use districtops_service::ServiceError;
use districtops_service::departments::NewDepartmentInput;
use districtops_store::DepartmentRow;
use serde::Deserialize;
use std::collections::BTreeSet;

/// The deepest indentation the stylesheet has a class for.
const MAX_DEPTH_CLASS: usize = 6;

/// One department as the tree shows it.
#[derive(Clone, Debug)]
pub struct DepartmentView {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub depth: usize,
    pub parent: String,
}

impl DepartmentView {
    fn new(t: Tr, depth: usize, row: &DepartmentRow, rows: &[DepartmentRow]) -> Self {
        Self {
            id: row.id,
            name: row.name.clone(),
            kind: t.t(kind_key(&row.kind)).to_owned(),
            depth: depth.min(MAX_DEPTH_CLASS),
            parent: name_of(rows, row.parent_id),
        }
    }
}

fn name_of(rows: &[DepartmentRow], id: Option<i64>) -> String {
    id.and_then(|id| rows.iter().find(|d| d.id == id))
        .map(|d| d.name.clone())
        .unwrap_or_default()
}

/// The add form as typed.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct NewDepartmentForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub parent_id: String,
}

/// The rename/move form as typed.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct EditDepartmentForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub parent_id: String,
    #[serde(default)]
    pub version: String,
}

/// An empty parent means none (only the district has none).
fn parent_of(raw: &str) -> Option<i64> {
    if raw.trim().is_empty() {
        None
    } else {
        Some(form_id(raw))
    }
}

fn kind_options(t: Tr, selected: &str) -> Vec<SelectOption> {
    DepartmentKind::ALL
        .into_iter()
        .map(|kind| SelectOption {
            value: kind.as_str().to_owned(),
            label: t.t(kind_key(kind.as_str())).to_owned(),
            selected: kind.as_str() == selected,
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/departments.html")]
pub struct DepartmentsPage {
    page: Page,
    can_manage: bool,
    tree: Vec<DepartmentView>,
    form: NewDepartmentForm,
    errors: FieldMessages,
    kinds: Vec<SelectOption>,
    parents: Vec<SelectOption>,
}

impl DepartmentsPage {
    async fn load(
        state: &AppState,
        user: &CurrentUser,
        page: Page,
        form: NewDepartmentForm,
    ) -> AppResult<Self> {
        let rows = state.services.departments(&user.ctx()).await?;
        let t = page.t;
        Ok(Self {
            can_manage: user.actor.access.has(Permission::ManageDepartments),
            tree: tree_order(&rows)
                .into_iter()
                .map(|(depth, d)| DepartmentView::new(t, depth, d, &rows))
                .collect(),
            kinds: kind_options(t, &form.kind),
            parents: department_options(&rows, &form.parent_id, &BTreeSet::new()),
            errors: FieldMessages::default(),
            form,
            page,
        })
    }
}

fn list_page(state: &AppState, lang: Lang, user: &CurrentUser) -> Page {
    Page::new(state, lang, user, "departments", "/admin/departments")
}

pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Query(notice): Query<Notice>,
) -> AppResult<DepartmentsPage> {
    let page = notice.apply(list_page(&state, lang, &user));
    DepartmentsPage::load(&state, &user, page, NewDepartmentForm::default()).await
}

pub async fn create(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Form(form): Form<NewDepartmentForm>,
) -> AppResult<Response> {
    let input = NewDepartmentInput {
        parent_id: parent_of(&form.parent_id),
        name: form.name.clone(),
        kind: form.kind.clone(),
    };
    match state.services.create_department(&user.ctx(), input).await {
        Ok(_) => Ok(Redirect::to("/admin/departments?ok=department_created").into_response()),
        Err(ServiceError::Invalid(errors)) => {
            let page = list_page(&state, lang, &user);
            let mut view = DepartmentsPage::load(&state, &user, page, form).await?;
            view.errors = FieldMessages::new(lang.tr(), &errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, view).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// What the user typed when someone else had changed the department first.
#[derive(Clone, Debug)]
pub struct ConflictView {
    pub message: &'static str,
    pub name: String,
    pub parent: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/department.html")]
pub struct DepartmentPage {
    page: Page,
    title: String,
    department: DepartmentView,
    form: EditDepartmentForm,
    errors: FieldMessages,
    parents: Vec<SelectOption>,
    conflict: Option<ConflictView>,
    rows: Vec<DepartmentRow>,
}

impl DepartmentPage {
    /// The department as it is now, with its form filled in with `form` or the stored values.
    async fn load(
        state: &AppState,
        user: &CurrentUser,
        id: i64,
        lang: Lang,
        form: Option<EditDepartmentForm>,
    ) -> AppResult<Self> {
        // Only the forms are for the holders; the tree itself is no secret (see `list`).
        if !user.actor.access.has(Permission::ManageDepartments) {
            return Err(AppError::forbidden());
        }
        let rows = state.services.departments(&user.ctx()).await?;
        let (depth, row) = tree_order(&rows)
            .into_iter()
            .find(|(_, d)| d.id == id)
            .ok_or_else(AppError::not_found)?;
        let t = lang.tr();
        let department = DepartmentView::new(t, depth, row, &rows);
        let form = form.unwrap_or_else(|| EditDepartmentForm {
            name: row.name.clone(),
            parent_id: row.parent_id.map(|p| p.to_string()).unwrap_or_default(),
            version: row.version.to_string(),
        });
        // A department cannot move below itself: its own subtree is not offered as a parent.
        let tree = OrgTree::new(rows.iter().map(|d| DepartmentNode {
            id: DepartmentId(d.id),
            parent: d.parent_id.map(DepartmentId),
        }));
        let below: BTreeSet<i64> = tree
            .subtree(DepartmentId(id))
            .into_iter()
            .map(|d| d.0)
            .collect();
        let path = format!("/admin/departments/{id}");
        Ok(Self {
            page: Page::new(state, lang, user, "departments", &path),
            title: t.f("admin.departments.edit_title", &[("name", &row.name)]),
            parents: department_options(&rows, &form.parent_id, &below),
            department,
            form,
            errors: FieldMessages::default(),
            conflict: None,
            rows,
        })
    }
}

pub async fn edit(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<DepartmentPage> {
    DepartmentPage::load(&state, &user, parse_id(&id)?, lang, None).await
}

pub async fn update(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<EditDepartmentForm>,
) -> AppResult<Response> {
    let id = parse_id(&id)?;
    let version = form_version(&form.version);
    let parent_id = parent_of(&form.parent_id);
    let result = state
        .services
        .update_department(&user.ctx(), id, version, &form.name, parent_id)
        .await;
    match result {
        Ok(()) => Ok(Redirect::to("/admin/departments?ok=department_updated").into_response()),
        Err(ServiceError::Invalid(errors)) => {
            let mut view = DepartmentPage::load(&state, &user, id, lang, Some(form)).await?;
            view.errors = FieldMessages::new(lang.tr(), &errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, view).into_response())
        }
        // The form shows the latest values (and their version); what the user typed is shown
        // beside it so nothing is lost.
        Err(ServiceError::Conflict(key)) => {
            let mut view = DepartmentPage::load(&state, &user, id, lang, None).await?;
            view.conflict = Some(ConflictView {
                message: lang.tr().t(key),
                parent: name_of(&view.rows, parent_id),
                name: form.name,
            });
            Ok((StatusCode::CONFLICT, view).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
