//! Login (password, then second factor when the user has one), logout and the language
//! switch.

use super::Page;
use crate::auth::{Auth, Client, PendingSecondFactor, SignedIn};
use crate::cookies;
use crate::error::{AppError, AppResult};
use crate::forms::Form;
use crate::i18n::Lang;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use districtops_service::auth::{NewLogin, SessionStage};
use districtops_service::secrets::random_hex;
use districtops_service::{Ctx, ServiceError};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
pub struct LoginPage {
    page: Page,
    error: Option<String>,
    username: String,
    next: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "login_totp.html")]
pub struct TotpPage {
    page: Page,
    error: Option<String>,
    next: String,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    next: String,
}

/// Only a local path is a place to go after login: never another site.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// The token the login form must carry: the session's when the browser already has one (the
/// CSRF guard then checks against it), else the double-submit cookie's, or a new one.
fn login_csrf(state: &AppState, jar: CookieJar, auth: Option<&Auth>) -> (CookieJar, String) {
    if let Some(Auth::Session { info, .. }) = auth {
        return (jar, info.csrf_token.clone());
    }
    match jar
        .get(state.login_csrf_cookie())
        .map(|c| c.value().to_owned())
    {
        Some(token) if token.len() == 64 => (jar, token),
        _ => {
            let token = random_hex(32);
            (jar.add(cookies::login_csrf(state, token.clone())), token)
        }
    }
}

pub async fn form(
    State(state): State<AppState>,
    lang: Lang,
    jar: CookieJar,
    auth: Option<Extension<Auth>>,
    Query(query): Query<NextQuery>,
) -> impl IntoResponse {
    let (jar, csrf) = login_csrf(&state, jar, auth.as_deref());
    let page = LoginPage {
        page: Page::anonymous(&state, lang, csrf, "/login"),
        error: None,
        username: String::new(),
        next: safe_next(query.next.as_deref()),
    };
    (jar, page)
}

pub async fn submit(
    State(state): State<AppState>,
    lang: Lang,
    jar: CookieJar,
    auth: Option<Extension<Auth>>,
    Client(client): Client,
    Form(form): Form<LoginForm>,
) -> AppResult<Response> {
    let next = safe_next(Some(&form.next));
    let (jar, csrf) = login_csrf(&state, jar, auth.as_deref());
    let refuse = |jar: CookieJar, status: StatusCode, key: &'static str| {
        let page = LoginPage {
            page: Page::anonymous(&state, lang, csrf.clone(), "/login"),
            error: Some(lang.tr().t(key).to_owned()),
            username: form.username.chars().take(64).collect(),
            next: next.clone(),
        };
        (status, jar, page).into_response()
    };
    if let Some(ip) = client.ip.as_deref().and_then(|ip| ip.parse().ok())
        && state.login_limiter.check_key(&ip).is_err()
    {
        metrics::counter!("login_failures_total", "reason" => "rate_limited").increment(1);
        return Ok(refuse(
            jar,
            StatusCode::TOO_MANY_REQUESTS,
            "auth.rate_limited",
        ));
    }
    match state
        .services
        .login(&client, &form.username, &form.password)
        .await
    {
        Ok(login) => {
            // Signing in again (perhaps as someone else) ends the session the browser had.
            if let Some(Extension(Auth::Session { id, info })) = &auth {
                let ctx = Ctx::of(info.actor.clone(), client.ip.clone());
                state.services.logout(&ctx, id).await?;
            }
            Ok(start_session(&state, jar, login, &next))
        }
        Err(ServiceError::LoginFailed) => {
            metrics::counter!("login_failures_total", "reason" => "credentials").increment(1);
            Ok(refuse(jar, StatusCode::UNAUTHORIZED, "auth.login_failed"))
        }
        Err(e) => Err(e.into()),
    }
}

/// Sets the new session's cookie (a new ID at every login) and moves on.
fn start_session(state: &AppState, jar: CookieJar, login: NewLogin, next: &str) -> Response {
    let jar = jar
        .add(cookies::session(state, login.session_id))
        .remove(cookies::removal(state, state.login_csrf_cookie()));
    let target = match login.stage {
        SessionStage::SecondFactor => {
            format!("/login/totp?next={}", crate::middleware::urlencode(next))
        }
        SessionStage::Active => next.to_owned(),
    };
    (jar, Redirect::to(&target)).into_response()
}

pub async fn totp_form(
    State(state): State<AppState>,
    lang: Lang,
    pending: PendingSecondFactor,
    Query(query): Query<NextQuery>,
) -> TotpPage {
    TotpPage {
        page: Page::anonymous(&state, lang, pending.csrf_token, "/login/totp"),
        error: None,
        next: safe_next(query.next.as_deref()),
    }
}

pub async fn totp_submit(
    State(state): State<AppState>,
    lang: Lang,
    jar: CookieJar,
    Client(client): Client,
    pending: PendingSecondFactor,
    Form(form): Form<CodeForm>,
) -> AppResult<Response> {
    let next = safe_next(Some(&form.next));
    match state
        .services
        .complete_second_factor(&client, &pending.session_id, &form.code)
        .await
    {
        Ok(login) => Ok(start_session(&state, jar, login, &next)),
        Err(ServiceError::LoginFailed) => {
            metrics::counter!("login_failures_total", "reason" => "second_factor").increment(1);
            let page = TotpPage {
                page: Page::anonymous(&state, lang, pending.csrf_token, "/login/totp"),
                error: Some(lang.tr().t("auth.totp_wrong").to_owned()),
                next,
            };
            Ok((StatusCode::UNAUTHORIZED, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn logout(
    State(state): State<AppState>,
    jar: CookieJar,
    user: Option<SignedIn>,
) -> AppResult<Response> {
    if let Some(SignedIn(user)) = user
        && let Some((session_id, _)) = &user.session
    {
        state.services.logout(&user.ctx(), session_id).await?;
    }
    let jar = jar.remove(cookies::removal(&state, state.session_cookie()));
    Ok((jar, Redirect::to("/login")).into_response())
}

/// Switches the language and goes back where the user was.
pub async fn switch_language(
    State(state): State<AppState>,
    jar: CookieJar,
    Path(code): Path<String>,
    Query(query): Query<NextQuery>,
) -> AppResult<Response> {
    let lang = Lang::parse(&code).ok_or_else(AppError::not_found)?;
    let jar = jar.add(cookies::lang(&state, lang.code()));
    Ok((jar, Redirect::to(&safe_next(query.next.as_deref()))).into_response())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert_eq!(safe_next(Some("/admin/users")), "/admin/users");
        for bad in ["//evil.example", "https://evil.example", "/\\evil", "evil"] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
