//! `GET` and `PUT /api/v1/settings/status-thresholds`: the thresholds of the status lights
//! (三色预警阈值). Anyone who reads the ledger or administers settings reads them; only the
//! holders of `manage_settings` (the system administrator) change them, which is audited and
//! recomputes every light at once.

use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::Json;
use crate::state::AppState;
use axum::extract::State;
use districtops_domain::projects::Thresholds;
use districtops_service::projects::status_settings::{ThresholdsInput, ThresholdsSaved};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

/// The thresholds of the status rules.
#[derive(Debug, Serialize, ToSchema)]
pub struct ThresholdsJson {
    /// A milestone overdue by more than this many days turns the project red (0–3650).
    #[schema(example = 30)]
    pub red_overdue_days: i64,
    /// A milestone not done and due within this many days is at risk: yellow (0–3650).
    #[schema(example = 15)]
    pub warning_days: i64,
    /// Completed investment below the cumulative plan by more than this percentage of it is
    /// a lag: yellow (0–100).
    #[schema(example = 10)]
    pub lag_percent: u32,
}

impl From<Thresholds> for ThresholdsJson {
    fn from(t: Thresholds) -> Self {
        Self {
            red_overdue_days: t.red_overdue_days,
            warning_days: t.warning_days,
            lag_percent: t.lag_percent,
        }
    }
}

/// New thresholds: all three, whole numbers. A value of the wrong type or out of range is a
/// field error (422), and nothing changes.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ThresholdsBody {
    /// 0–3650.
    #[schema(value_type = i64, example = 30)]
    pub red_overdue_days: Option<Value>,
    /// 0–3650.
    #[schema(value_type = i64, example = 15)]
    pub warning_days: Option<Value>,
    /// 0–100.
    #[schema(value_type = u32, example = 10)]
    pub lag_percent: Option<Value>,
}

/// A JSON value as the text the settings form would have held: absent is empty (required),
/// a number or a string is its text, anything else is text no parse takes.
fn typed(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(_) => "?".to_owned(),
    }
}

impl From<&ThresholdsBody> for ThresholdsInput {
    fn from(body: &ThresholdsBody) -> Self {
        Self {
            red_overdue_days: typed(body.red_overdue_days.as_ref()),
            warning_days: typed(body.warning_days.as_ref()),
            lag_percent: typed(body.lag_percent.as_ref()),
        }
    }
}

/// The thresholds now in force and what saving them did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ThresholdsSavedJson {
    pub thresholds: ThresholdsJson,
    /// `recomputed` (every light follows the new values now), `unchanged` (they were the
    /// values in force) or `deferred` (saved; the lights follow at 00:05 China time).
    #[schema(example = "recomputed")]
    pub applied: &'static str,
    /// Projects recomputed (with `recomputed`).
    pub projects: Option<u64>,
    /// Projects whose colour changed (with `recomputed`).
    pub changed: Option<u64>,
}

/// The thresholds of the status lights now in force.
#[utoipa::path(
    get,
    path = "/api/v1/settings/status-thresholds",
    tag = "settings",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The thresholds in force", body = ThresholdsJson),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "The caller neither reads business data nor administers settings"),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
) -> AppResult<axum::Json<ThresholdsJson>> {
    let thresholds = state.services.status_thresholds_for(&user.ctx()).await?;
    Ok(axum::Json(thresholds.into()))
}

/// Changes the thresholds (system administrators); audited, and every light is recomputed.
#[utoipa::path(
    put,
    path = "/api/v1/settings/status-thresholds",
    tag = "settings",
    request_body = ThresholdsBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Saved (or unchanged) and applied", body = ThresholdsSavedJson),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "The caller may not change settings"),
        (status = 422, description = "Field errors: a value missing, not a whole number or out of range; nothing changed"),
    )
)]
pub async fn put(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(body): Json<ThresholdsBody>,
) -> AppResult<axum::Json<ThresholdsSavedJson>> {
    let ctx = user.ctx();
    let saved = state
        .services
        .save_status_thresholds(&ctx, &ThresholdsInput::from(&body))
        .await?;
    let thresholds = state.services.status_thresholds_for(&ctx).await?;
    let (applied, projects, changed) = match saved {
        ThresholdsSaved::Unchanged => ("unchanged", None, None),
        ThresholdsSaved::Deferred => ("deferred", None, None),
        ThresholdsSaved::Recomputed(done) => {
            ("recomputed", Some(done.projects), Some(done.changed))
        }
    };
    Ok(axum::Json(ThresholdsSavedJson {
        thresholds: thresholds.into(),
        applied,
        projects,
        changed,
    }))
}
