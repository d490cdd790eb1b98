//! Personal API tokens: list, create (the secret is shown once) and revoke.

use super::{Errors, minute};
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::forms::Form;
use crate::i18n::Lang;
use crate::pages::Page;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use districtops_service::ServiceError;
use districtops_service::tokens::TOKEN_PREFIX;
use districtops_store::TokenRow;
use serde::Deserialize;
use std::collections::HashMap;

const PATH: &str = "/account/tokens";

pub struct TokenView {
    pub id: i64,
    pub name: String,
    pub created: String,
    pub last_used: Option<String>,
    pub revoked: Option<String>,
}

impl From<TokenRow> for TokenView {
    fn from(row: TokenRow) -> Self {
        Self {
            id: row.id,
            name: row.name,
            created: minute(row.created_at),
            last_used: row.last_used_at.map(minute),
            revoked: row.revoked_at.map(minute),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "account/tokens.html")]
pub struct TokensPage {
    page: Page,
    tokens: Vec<TokenView>,
    /// The name typed into the create form (kept when it is refused).
    name: String,
    errors: Errors,
    /// A token just created: its secret, shown this once.
    new_secret: Option<String>,
    prefix: &'static str,
}

#[derive(Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    name: String,
}

async fn render(state: &AppState, lang: Lang, user: &CurrentUser) -> AppResult<TokensPage> {
    let tokens = state.services.my_tokens(&user.ctx()).await?;
    Ok(TokensPage {
        page: Page::new(state, lang, user, "tokens", PATH),
        tokens: tokens.into_iter().map(TokenView::from).collect(),
        name: String::new(),
        errors: Errors::default(),
        new_secret: None,
        prefix: TOKEN_PREFIX,
    })
}

pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Query(query): Query<HashMap<String, String>>,
) -> AppResult<TokensPage> {
    let mut page = render(&state, lang, &user).await?;
    if query.get("ok").is_some_and(|ok| ok == "revoked") {
        page.page = page.page.flash_ok(lang.tr().t("account.tokens.revoked_ok"));
    }
    Ok(page)
}

pub async fn create(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Form(form): Form<CreateForm>,
) -> AppResult<Response> {
    let created = state.services.create_token(&user.ctx(), &form.name).await;
    let mut page = render(&state, lang, &user).await?;
    match created {
        Ok((_, secret)) => {
            page.new_secret = Some(secret);
            page.page = page.page.flash_ok(lang.tr().t("account.tokens.created"));
            Ok(page.into_response())
        }
        Err(ServiceError::Invalid(fields)) => {
            page.name = form.name.chars().take(200).collect();
            page.errors = fields.into();
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn revoke(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let id: i64 = id.parse().map_err(|_| AppError::not_found())?;
    state.services.revoke_token(&user.ctx(), id).await?;
    Ok(Redirect::to("/account/tokens?ok=revoked").into_response())
}
