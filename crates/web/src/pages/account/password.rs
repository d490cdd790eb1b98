//! Changing one's own password; also where a user who must change it is sent.

use super::Errors;
use crate::auth::{CurrentUser, SignedIn};
use crate::error::AppResult;
use crate::forms::Form;
use crate::i18n::{Lang, Tr};
use crate::pages::Page;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use districtops_domain::FieldError;
use districtops_domain::password::{MAX_PASSWORD_CHARS, PasswordPolicy, PolicyMode};
use districtops_service::ServiceError;
use serde::Deserialize;

const PATH: &str = "/account/password";

#[derive(Template, WebTemplate)]
#[template(path = "account/password.html")]
pub struct PasswordPage {
    page: Page,
    /// The user was sent here because they must change their password.
    must_change: bool,
    /// For password managers, which file the new password under this name.
    username: String,
    rules: Vec<String>,
    errors: Errors,
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    repeat_password: String,
}

/// The rules of the policy in force, in words.
pub fn policy_rules(tr: Tr, policy: &PasswordPolicy) -> Vec<String> {
    let mut rules = match policy.mode {
        PolicyMode::Dengbao => vec![
            tr.t("account.password.rule_min_8").to_owned(),
            tr.t("account.password.rule_classes").to_owned(),
            tr.f(
                "account.password.rule_rotation",
                &[("days", &policy.max_age_days)],
            ),
        ],
        PolicyMode::Asvs => vec![
            tr.t("account.password.rule_min_12").to_owned(),
            tr.t("account.password.rule_no_rotation").to_owned(),
        ],
    };
    rules.push(tr.t("account.password.rule_not_common").to_owned());
    rules.push(tr.f("account.password.rule_max", &[("max", &MAX_PASSWORD_CHARS)]));
    rules.push(tr.t("account.password.rule_same").to_owned());
    rules
}

fn render(state: &AppState, lang: Lang, user: &CurrentUser, errors: Errors) -> PasswordPage {
    PasswordPage {
        page: Page::new(state, lang, user, "password", PATH),
        must_change: user.actor.must_change_password,
        username: user.actor.username.clone(),
        rules: policy_rules(lang.tr(), &state.services.settings.password_policy),
        errors,
    }
}

pub async fn form(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(user): SignedIn,
) -> PasswordPage {
    render(&state, lang, &user, Errors::default())
}

pub async fn submit(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(user): SignedIn,
    Form(form): Form<PasswordForm>,
) -> AppResult<Response> {
    let refuse = |errors: Errors| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&state, lang, &user, errors),
        )
            .into_response()
    };
    if form.new_password != form.repeat_password {
        return Ok(refuse(
            FieldError::new("repeat_password", "account.password.mismatch").into(),
        ));
    }
    let session = user.session.as_ref().map(|(id, _)| id.as_str());
    let changed = state
        .services
        .change_own_password(
            &user.ctx(),
            session,
            &form.current_password,
            &form.new_password,
        )
        .await;
    match changed {
        Ok(()) => Ok(Redirect::to("/?ok=password_changed").into_response()),
        Err(ServiceError::Invalid(fields)) => Ok(refuse(fields.into())),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rules_follow_the_policy_mode() {
        let tr = Lang::ZhCn.tr();
        let dengbao = policy_rules(tr, &PasswordPolicy::default());
        assert!(dengbao.iter().any(|r| r.contains('8')));
        assert!(dengbao.iter().any(|r| r.contains("90")), "{dengbao:?}");
        let asvs = PasswordPolicy {
            mode: PolicyMode::Asvs,
            ..PasswordPolicy::default()
        };
        let asvs = policy_rules(tr, &asvs);
        assert!(asvs.iter().any(|r| r.contains("12")));
        assert!(!asvs.iter().any(|r| r.contains("90")), "{asvs:?}");
        assert!(
            dengbao
                .iter()
                .chain(&asvs)
                .all(|r| !r.starts_with("account."))
        );
    }
}
