//! Two-step verification: enrolment with an authenticator app, confirmed by a code, after
//! which the recovery codes are shown once.

use super::Errors;

use crate::auth::{CurrentUser, SignedIn};
use crate::error::AppResult;
use crate::forms::Form;
use crate::i18n::Lang;
use crate::pages::Page;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use districtops_service::ServiceError;
use districtops_service::totp::Enrolment;
use serde::Deserialize;

const PATH: &str = "/account/totp";

/// What the user needs to add the account to their app.
pub struct EnrolmentView {
    /// The base32 secret in groups of four, for typing.
    pub secret: String,
    pub url: String,
    /// The URL as an inline SVG QR code (our own markup, safe to embed).
    pub qr_svg: Option<String>,
}

impl From<Enrolment> for EnrolmentView {
    fn from(enrolment: Enrolment) -> Self {
        Self {
            secret: group_secret(&enrolment.secret),
            qr_svg: super::qr::svg(&enrolment.url),
            url: enrolment.url,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "account/totp.html")]
pub struct TotpPage {
    page: Page,
    enabled: bool,
    /// The user was sent here because an administrator must have a second factor.
    must_enrol: bool,
    /// Administrators must use a second factor on this installation.
    required_for_admins: bool,
    /// Enrolment started: show the code form.
    confirming: bool,
    enrolment: Option<EnrolmentView>,
    /// Shown once, right after enrolment.
    recovery_codes: Vec<String>,
    errors: Errors,
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

/// `JBSWY3DPEHPK3PXP` → `JBSW Y3DP EHPK 3PXP`.
pub fn group_secret(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

fn render(state: &AppState, lang: Lang, user: &CurrentUser) -> TotpPage {
    let settings = &state.services.settings;
    let actor = &user.actor;
    TotpPage {
        page: Page::new(state, lang, user, "totp", PATH),
        enabled: actor.totp_enabled,
        must_enrol: settings.require_admin_totp
            && actor.access.is_administrator()
            && !actor.totp_enabled,
        required_for_admins: settings.require_admin_totp,
        confirming: false,
        enrolment: None,
        recovery_codes: Vec::new(),
        errors: Errors::default(),
    }
}

pub async fn show(State(state): State<AppState>, lang: Lang, SignedIn(user): SignedIn) -> TotpPage {
    render(&state, lang, &user)
}

/// A conflict (already on, nothing pending) is shown on the page rather than as an error.
fn conflict(mut page: TotpPage, lang: Lang, key: &'static str) -> Response {
    page.page = page.page.flash_error(lang.tr().t(key));
    (StatusCode::CONFLICT, page).into_response()
}

pub async fn start(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(user): SignedIn,
) -> AppResult<Response> {
    let mut page = render(&state, lang, &user);
    match state.services.begin_totp_enrolment(&user.ctx()).await {
        Ok(enrolment) => {
            page.confirming = true;
            page.enrolment = Some(enrolment.into());
            Ok(page.into_response())
        }
        Err(ServiceError::Conflict(key)) => Ok(conflict(page, lang, key)),
        Err(e) => Err(e.into()),
    }
}

pub async fn confirm(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(user): SignedIn,
    Form(form): Form<CodeForm>,
) -> AppResult<Response> {
    let mut page = render(&state, lang, &user);
    match state
        .services
        .confirm_totp_enrolment(&user.ctx(), &form.code)
        .await
    {
        Ok(codes) => {
            page.enabled = true;
            page.must_enrol = false;
            page.recovery_codes = codes;
            page.page = page.page.flash_ok(lang.tr().t("account.totp.enabled"));
            Ok(page.into_response())
        }
        Err(ServiceError::Invalid(fields)) => {
            // The secret is not shown again: the user already has it in their app, or starts over.
            page.confirming = true;
            page.errors = fields.into();
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(ServiceError::Conflict(key)) => Ok(conflict(page, lang, key)),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::group_secret;

    #[test]
    fn secrets_are_grouped_in_fours() {
        assert_eq!(group_secret("JBSWY3DPEHPK3PXP"), "JBSW Y3DP EHPK 3PXP");
        assert_eq!(group_secret("ABCDEF"), "ABCD EF");
        assert_eq!(group_secret(""), "");
    }
}
