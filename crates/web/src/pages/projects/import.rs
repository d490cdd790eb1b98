//! `/projects/import`: the ledger from an Excel file. The upload form posts (htmx,
//! multipart, CSRF token in the `X-CSRF-Token` header from `<body hx-headers>`) to
//! `/projects/import/preview`, which shows what each row would do; the confirm form posts the
//! same file again to `/projects/import/apply`, which re-validates it and applies every
//! accepted row in one transaction. Nothing the client sends is trusted between the steps:
//! the server keeps no upload, and apply runs the whole preview again.
//!
//! `/projects/export.xlsx` downloads the ledger with the list's filters (and its `as_of` day,
//! for the ledger as it stood then).

use super::field_label;
use crate::api::projects::list::ListParams;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::i18n::{Lang, Tr};
use crate::pages::Page;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use districtops_domain::FieldErrors;
use districtops_service::ServiceError;
use districtops_service::projects::import::{ImportAction, ImportReport};

/// The largest upload the import routes accept (the service checks the workbook itself).
pub const MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;

/// One row of the report as shown.
pub struct RowView {
    pub row: usize,
    pub name: String,
    /// Catalog key of 新建 / 更新 / 未变 / 拒绝.
    pub action: &'static str,
    pub class: &'static str,
    pub details: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "projects/import.html")]
pub struct ImportPage {
    page: Page,
    /// What the report shows: `None` before an upload.
    report: Option<(&'static str, [usize; 4])>,
    rows: Vec<RowView>,
    /// The file was refused as a whole (catalog key).
    refused: Option<&'static str>,
    /// The preview had something to apply.
    can_apply: bool,
}

pub async fn form(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
) -> AppResult<ImportPage> {
    state.services.may_import(&user.ctx())?;
    Ok(page(&state, lang, &user, None, Ok(None)))
}

pub async fn preview(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    multipart: Multipart,
) -> AppResult<ImportPage> {
    let bytes = upload(multipart).await?;
    let result = state.services.preview_import(&user.ctx(), &bytes).await;
    Ok(page(
        &state,
        lang,
        &user,
        Some("project.import.previewed"),
        refusal(result)?,
    ))
}

pub async fn apply(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    multipart: Multipart,
) -> AppResult<ImportPage> {
    let bytes = upload(multipart).await?;
    let result = state.services.apply_import(&user.ctx(), &bytes).await;
    Ok(page(
        &state,
        lang,
        &user,
        Some("project.import.applied"),
        refusal(result)?,
    ))
}

/// A file refused as a whole is shown on the page; other errors are errors.
fn refusal(
    result: Result<ImportReport, districtops_service::ServiceError>,
) -> AppResult<Result<Option<ImportReport>, &'static str>> {
    match result {
        Ok(report) => Ok(Ok(Some(report))),
        Err(districtops_service::ServiceError::Invalid(fields))
            if fields.0.len() == 1 && fields.0[0].field == "file" =>
        {
            Ok(Err(fields.0[0].message))
        }
        Err(other) => Err(other.into()),
    }
}

/// The bytes of the `file` field.
async fn upload(mut multipart: Multipart) -> AppResult<Vec<u8>> {
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::bad_request("error.bad_form"))?
    {
        if field.name() == Some("file") {
            let bytes = field
                .bytes()
                .await
                .map_err(|_| AppError::bad_request("import.file.too_large"))?;
            return Ok(bytes.to_vec());
        }
    }
    Err(AppError::bad_request("error.bad_form"))
}

fn page(
    state: &AppState,
    lang: Lang,
    user: &CurrentUser,
    title: Option<&'static str>,
    result: Result<Option<ImportReport>, &'static str>,
) -> ImportPage {
    let tr = lang.tr();
    let (report, rows, refused, can_apply) = match result {
        Err(key) => (None, Vec::new(), Some(key), false),
        Ok(None) => (None, Vec::new(), None, false),
        Ok(Some(report)) => {
            let c = report.counts();
            let counts = [c.created, c.updated, c.unchanged, c.rejected];
            let rows = report.rows.iter().map(|r| row_view(tr, r)).collect();
            (
                title.map(|t| (t, counts)),
                rows,
                None,
                c.created + c.updated > 0,
            )
        }
    };
    ImportPage {
        page: Page::new(state, lang, user, "projects", "/projects/import"),
        report,
        rows,
        refused,
        can_apply,
    }
}

fn row_view(tr: Tr, row: &districtops_service::projects::import::ImportRow) -> RowView {
    let (action, class, details) = match &row.action {
        ImportAction::Created => ("project.import.created", "tag-ok", Vec::new()),
        ImportAction::Unchanged => ("project.import.unchanged", "", Vec::new()),
        ImportAction::Updated { changed } => (
            "project.import.updated",
            "tag-warn",
            changed
                .iter()
                .map(|(field, before, after)| {
                    let none = tr.t("project.ledger.none");
                    format!(
                        "{}：{} → {}",
                        tr.t(field_label(field)),
                        before.as_deref().unwrap_or(none),
                        after.as_deref().unwrap_or(none)
                    )
                })
                .collect(),
        ),
        ImportAction::Rejected { issues } => (
            "project.import.rejected",
            "tag-bad",
            issues.iter().map(|i| tr.issue(i)).collect(),
        ),
    };
    RowView {
        row: row.row,
        name: row.name.clone(),
        action,
        class,
        details,
    }
}

/// `/projects/export.xlsx?<the list's filters>`: the filtered ledger as a workbook.
pub async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(query): RawQuery,
) -> AppResult<Response> {
    let params = ListParams::from_query(query.as_deref()).unwrap_or_default();
    let (q, _) = params.to_query(super::list::PER_PAGE);
    let mut refused = FieldErrors::default();
    let as_of = params.as_of(&mut refused);
    if !refused.is_empty() {
        return Err(super::history::refused(ServiceError::Invalid(refused)));
    }
    let ctx = user.ctx();
    let (bytes, day) = match as_of {
        Some(day) => (
            state
                .services
                .export_projects_as_of(&ctx, &q, day)
                .await
                .map_err(super::history::refused)?,
            day,
        ),
        None => (
            state.services.export_projects(&ctx, &q).await?,
            state.services.today(),
        ),
    };
    let name = format!("重点项目台账-{day}.xlsx");
    let disposition = format!(
        "attachment; filename=\"projects-{day}.xlsx\"; filename*=UTF-8''{}",
        rfc5987(&name)
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

/// `text` percent-encoded for `filename*=UTF-8''…` (RFC 5987: attr-char stays as is).
pub(super) fn rfc5987(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod unit {
    #[test]
    fn chinese_file_names_are_percent_encoded() {
        assert_eq!(super::rfc5987("台账 1.xlsx"), "%E5%8F%B0%E8%B4%A6%201.xlsx");
    }
}
