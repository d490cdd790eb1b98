//! Who is calling: the `authenticate` middleware reads the session cookie or the bearer token
//! once per request; the extractors below hand the result to handlers.

use crate::error::AppError;
use crate::i18n::Lang;
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use districtops_service::auth::{ClientInfo, SessionInfo, SessionStage};
use districtops_service::{Actor, Ctx};
use std::net::{IpAddr, SocketAddr};

/// How the caller proved who they are.
#[derive(Clone, Debug)]
pub enum Auth {
    /// A browser session: its ID (from the cookie) and what it holds.
    Session { id: String, info: Box<SessionInfo> },
    /// A personal API token.
    Token { actor: Box<Actor> },
}

/// The client's address, as far as it can be known.
#[derive(Clone, Copy, Debug)]
pub struct ClientIp(pub Option<IpAddr>);

/// Finds the caller and the language for every request.
pub async fn authenticate(
    State(state): State<AppState>,
    jar: CookieJar,
    mut request: Request,
    next: Next,
) -> Response {
    let ip = client_ip(&state, &request);
    request.extensions_mut().insert(ClientIp(ip));
    let lang = jar
        .get("lang")
        .and_then(|c| Lang::parse(c.value()))
        .unwrap_or_default();
    request.extensions_mut().insert(lang);

    let auth = match bearer_token(request.headers()) {
        Some(Ok(token)) => match state.services.user_for_token(token).await {
            Ok(Some(user)) => match state.services.actor(&user).await {
                Ok(actor) => Some(Auth::Token {
                    actor: Box::new(actor),
                }),
                Err(e) => return AppError::from(e).into_response(),
            },
            Ok(None) => {
                return AppError::new(StatusCode::UNAUTHORIZED, "auth.token_invalid")
                    .into_response();
            }
            Err(e) => return AppError::from(e).into_response(),
        },
        Some(Err(())) => {
            return AppError::new(StatusCode::UNAUTHORIZED, "auth.token_invalid").into_response();
        }
        None => match jar.get(state.session_cookie()) {
            Some(cookie) if is_session_id(cookie.value()) => {
                let id = cookie.value().to_owned();
                match state.services.session(&id).await {
                    Ok(Some(info)) => Some(Auth::Session {
                        id,
                        info: Box::new(info),
                    }),
                    Ok(None) => None,
                    Err(e) => return AppError::from(e).into_response(),
                }
            }
            _ => None,
        },
    };
    if let Some(auth) = auth {
        request.extensions_mut().insert(auth);
    }
    next.run(request).await
}

/// A session ID as issued: 64 hex digits. Anything else is not looked up.
fn is_session_id(value: &str) -> bool {
    value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit())
}

/// `Some(Ok(token))` for a well-formed `Authorization: Bearer` header, `Some(Err)` for a
/// malformed one, `None` without one.
fn bearer_token(headers: &HeaderMap) -> Option<Result<&str, ()>> {
    let value = headers.get(header::AUTHORIZATION)?;
    let text = value.to_str().map_err(|_| ());
    Some(text.and_then(|t| t.strip_prefix("Bearer ").map(str::trim).ok_or(())))
}

fn client_ip(state: &AppState, request: &Request) -> Option<IpAddr> {
    if state.config.trust_proxy {
        let forwarded = request
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse().ok());
        if forwarded.is_some() {
            return forwarded;
        }
    }
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip())
}

/// A fully signed-in user: past the second factor, with no password change or second-factor
/// enrolment owed. Pages and API routes of the product take this.
#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub actor: Actor,
    pub ip: Option<IpAddr>,
    /// The session ID and CSRF token, for a browser session.
    pub session: Option<(String, String)>,
}

impl CurrentUser {
    /// The service context of this request.
    pub fn ctx(&self) -> Ctx {
        Ctx::of(self.actor.clone(), self.ip.map(|ip| ip.to_string()))
    }

    pub fn csrf_token(&self) -> &str {
        self.session.as_ref().map_or("", |(_, csrf)| csrf.as_str())
    }
}

/// A signed-in user who may still owe a password change or a second-factor enrolment: only
/// the pages that settle those take this.
#[derive(Clone, Debug)]
pub struct SignedIn(pub CurrentUser);

fn signed_in(parts: &Parts) -> Result<CurrentUser, AppError> {
    let ip = parts.extensions.get::<ClientIp>().and_then(|c| c.0);
    match parts.extensions.get::<Auth>() {
        Some(Auth::Session { id, info }) if info.stage == SessionStage::Active => Ok(CurrentUser {
            actor: info.actor.clone(),
            ip,
            session: Some((id.clone(), info.csrf_token.clone())),
        }),
        Some(Auth::Token { actor }) => Ok(CurrentUser {
            actor: (**actor).clone(),
            ip,
            session: None,
        }),
        _ => Err(AppError::unauthenticated()),
    }
}

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        signed_in(parts).map(SignedIn)
    }
}

impl<S: Send + Sync> axum::extract::OptionalFromRequestParts<S> for SignedIn {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Option<Self>, Self::Rejection> {
        Ok(signed_in(parts).ok().map(SignedIn))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        let user = signed_in(parts)?;
        if user.actor.must_change_password {
            return Err(AppError::new(
                StatusCode::FORBIDDEN,
                "auth.must_change_password",
            ));
        }
        if let Some(Auth::Session { info, .. }) = parts.extensions.get::<Auth>()
            && info.needs_totp_enrolment
        {
            return Err(AppError::new(StatusCode::FORBIDDEN, "auth.must_enrol_totp"));
        }
        Ok(user)
    }
}

/// The session waiting for its second factor.
#[derive(Clone, Debug)]
pub struct PendingSecondFactor {
    pub session_id: String,
    pub csrf_token: String,
}

impl<S: Send + Sync> FromRequestParts<S> for PendingSecondFactor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        match parts.extensions.get::<Auth>() {
            Some(Auth::Session { id, info }) if info.stage == SessionStage::SecondFactor => {
                Ok(Self {
                    session_id: id.clone(),
                    csrf_token: info.csrf_token.clone(),
                })
            }
            _ => Err(AppError::unauthenticated()),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<Lang>().copied().unwrap_or_default())
    }
}

/// Where a request came from, for login records.
pub struct Client(pub ClientInfo);

impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ip = parts.extensions.get::<ClientIp>().and_then(|c| c.0);
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Ok(Client(ClientInfo {
            ip: ip.map(|ip| ip.to_string()),
            user_agent,
        }))
    }
}
