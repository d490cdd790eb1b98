//! Cookies the application sets: HttpOnly, SameSite=Lax, and `Secure` with the `__Host-`
//! prefix when served over TLS.

use crate::state::AppState;
use axum_extra::extract::cookie::{Cookie, SameSite};

pub fn session(state: &AppState, value: String) -> Cookie<'static> {
    base(state, state.session_cookie(), value)
}

pub fn login_csrf(state: &AppState, value: String) -> Cookie<'static> {
    base(state, state.login_csrf_cookie(), value)
}

/// A cookie that removes the one of that name.
pub fn removal(state: &AppState, name: &'static str) -> Cookie<'static> {
    let mut cookie = base(state, name, String::new());
    cookie.make_removal();
    cookie
}

/// The language preference (readable by nothing but the server, like the others).
pub fn lang(state: &AppState, code: &'static str) -> Cookie<'static> {
    let mut cookie = base(state, "lang", code.to_owned());
    cookie.set_max_age(time_years(1));
    cookie
}

fn time_years(years: i64) -> time::Duration {
    time::Duration::days(365 * years)
}

fn base(state: &AppState, name: &'static str, value: String) -> Cookie<'static> {
    Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.config.tls)
        .build()
}
