//! The audit log and the login log: one page and one export, set up twice.

use super::filter::{Filters, PER_PAGE};
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::i18n::{Lang, Tr};
use crate::pages::Page;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use districtops_store::AuditRow;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// One of the two logs.
pub struct Log {
    /// The navigation item, and `logins` for the login log's columns.
    pub nav: &'static str,
    pub title: &'static str,
    pub intro: &'static str,
    pub path: &'static str,
    pub export: &'static str,
    /// Actions shown, when not all.
    pub prefix: Option<&'static str>,
    /// The export file's name before the date.
    pub file: &'static str,
}

pub const AUDIT: Log = Log {
    nav: "audit",
    title: "audit.title",
    intro: "audit.intro",
    path: "/audit",
    export: "/audit/export.xlsx",
    prefix: None,
    file: "audit",
};

pub const LOGINS: Log = Log {
    nav: "logins",
    title: "audit.logins_title",
    intro: "audit.logins_intro",
    path: "/audit/logins",
    export: "/audit/logins/export.xlsx",
    prefix: Some("auth."),
    file: "logins",
};

/// Object types offered in the filter (any other may be typed).
pub const OBJECT_TYPES: [(&str, &str); 7] = [
    ("user", "audit.object.user"),
    ("department", "audit.object.department"),
    ("api_token", "audit.object.api_token"),
    ("project", "audit.object.project"),
    ("event", "audit.object.event"),
    ("platform", "audit.object.platform"),
    ("kpi_target", "audit.object.kpi_target"),
];

/// A record as the table shows it.
pub struct RowView {
    pub seq: i64,
    pub at: String,
    pub user: String,
    pub ip: String,
    pub action: String,
    /// The action in words, when the catalog has it.
    pub action_label: Option<String>,
    pub object: String,
    pub success: bool,
    /// `field: before → after`, one a line.
    pub changes: Vec<String>,
    /// A failed login's reason, in words when the catalog has it.
    pub reason: Option<String>,
}

/// The message for `key` when the catalog has one.
fn known(tr: Tr, key: &str) -> Option<String> {
    let text = tr.t(key);
    (text != key).then(|| text.to_owned())
}

impl RowView {
    pub fn new(tr: Tr, row: &AuditRow) -> Self {
        let changes = row.changes();
        let reason = changes
            .iter()
            .find(|c| c.field == "reason")
            .and_then(|c| c.after.as_deref())
            .map(|code| {
                known(tr, &format!("audit.reason.{code}")).unwrap_or_else(|| code.to_owned())
            });
        let object = match (&row.object_type, &row.object_id) {
            (Some(kind), id) => {
                let label =
                    known(tr, &format!("audit.object.{kind}")).unwrap_or_else(|| kind.clone());
                id.as_ref()
                    .map_or(label.clone(), |id| format!("{label} #{id}"))
            }
            (None, Some(id)) => format!("#{id}"),
            (None, None) => String::new(),
        };
        Self {
            seq: row.seq,
            at: row.at.format("%Y-%m-%d %H:%M:%S").to_string(),
            user: row.username.clone().unwrap_or_default(),
            ip: row.ip.clone().unwrap_or_default(),
            action_label: known(tr, &format!("audit.action.{}", row.action)),
            action: row.action.clone(),
            object,
            success: row.outcome == "success",
            changes: changes
                .iter()
                .map(|c| {
                    let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "∅".to_owned());
                    format!("{}: {} → {}", c.field, show(&c.before), show(&c.after))
                })
                .collect(),
            reason,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "audit/log.html")]
pub struct LogPage {
    page: Page,
    log: &'static Log,
    logins: bool,
    filters: Filters,
    object_types: &'static [(&'static str, &'static str)],
    rows: Vec<RowView>,
    summary: String,
    export_href: String,
    prev_href: Option<String>,
    next_href: Option<String>,
}

async fn show(
    log: &'static Log,
    state: AppState,
    lang: Lang,
    user: CurrentUser,
    query: Option<String>,
) -> AppResult<LogPage> {
    let filters = Filters::parse(query.as_deref(), log.prefix);
    let (rows, total) = state
        .services
        .audit_page(&user.ctx(), &filters.filter, filters.page, PER_PAGE)
        .await?;
    let tr = lang.tr();
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    let href = |page: i64| format!("{}?{}", log.path, filters.page_query(page));
    let query = filters.query();
    Ok(LogPage {
        page: Page::new(&state, lang, &user, log.nav, log.path),
        log,
        logins: log.prefix.is_some(),
        object_types: &OBJECT_TYPES,
        rows: rows.iter().map(|row| RowView::new(tr, row)).collect(),
        summary: tr.f(
            "audit.summary",
            &[
                ("total", &total),
                ("page", &filters.page),
                ("pages", &pages),
            ],
        ),
        export_href: if query.is_empty() {
            log.export.to_owned()
        } else {
            format!("{}?{query}", log.export)
        },
        prev_href: (filters.page > 1).then(|| href((filters.page - 1).min(pages))),
        next_href: (filters.page < pages).then(|| href(filters.page + 1)),
        filters,
    })
}

async fn export(
    log: &'static Log,
    state: AppState,
    user: CurrentUser,
    query: Option<String>,
) -> AppResult<Response> {
    let filters = Filters::parse(query.as_deref(), log.prefix);
    let bytes = state
        .services
        .export_audit(&user.ctx(), &filters.filter)
        .await?;
    let name = format!(
        "{}-{}.xlsx",
        log.file,
        state.services.now().format("%Y-%m-%d")
    );
    let disposition = format!("attachment; filename=\"{name}\"; filename*=UTF-8''{name}");
    Ok((
        [
            (header::CONTENT_TYPE, XLSX.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

pub async fn audit_log(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    RawQuery(query): RawQuery,
) -> AppResult<LogPage> {
    show(&AUDIT, state, lang, user, query).await
}

pub async fn login_log(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    RawQuery(query): RawQuery,
) -> AppResult<LogPage> {
    show(&LOGINS, state, lang, user, query).await
}

pub async fn audit_export(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(query): RawQuery,
) -> AppResult<Response> {
    export(&AUDIT, state, user, query).await
}

pub async fn login_export(
    State(state): State<AppState>,
    user: CurrentUser,
    RawQuery(query): RawQuery,
) -> AppResult<Response> {
    export(&LOGINS, state, user, query).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use districtops_domain::audit::FieldChange;

    fn row(action: &str, outcome: &str, changes: &[FieldChange]) -> AuditRow {
        AuditRow {
            seq: 7,
            at: chrono::DateTime::from_timestamp(1_795_000_000, 0).unwrap(),
            user_id: Some(1),
            username: Some("zhang".into()),
            ip: Some("10.0.0.1".into()),
            action: action.into(),
            object_type: Some("user".into()),
            object_id: Some("3".into()),
            outcome: outcome.into(),
            changes: serde_json::to_string(changes).unwrap(),
            algorithm: "sm3".into(),
            prev_hash: String::new(),
            hash: String::new(),
        }
    }

    #[test]
    fn rows_show_labels_reasons_and_changes() {
        let tr = Lang::ZhCn.tr();
        let failed = row(
            "auth.login",
            "failure",
            &[FieldChange::new(
                "reason",
                None::<&str>,
                Some("bad_password"),
            )],
        );
        let view = RowView::new(tr, &failed);
        assert_eq!(view.action_label.as_deref(), Some("登录"));
        assert_eq!(view.reason.as_deref(), Some("密码错误"));
        assert_eq!(view.changes, ["reason: ∅ → bad_password"]);
        assert_eq!(view.object, "用户 #3");
        assert_eq!(view.at, "2026-11-18 11:06:40");
        assert!(!view.success);

        let other = row(
            "widget.frob",
            "success",
            &[FieldChange::new("name", Some("a"), Some("b"))],
        );
        let view = RowView::new(Lang::En.tr(), &other);
        assert_eq!(view.action_label, None);
        assert_eq!(view.reason, None);
        assert_eq!(view.changes, ["name: a → b"]);
        assert!(view.success);
    }

    #[test]
    fn every_reason_and_listed_action_is_translated() {
        for lang in Lang::ALL {
            let tr = lang.tr();
            for reason in [
                "unknown_user",
                "bad_password",
                "bad_password_now_locked",
                "locked",
                "disabled",
                "bad_second_factor",
                "second_factor_not_enrolled",
            ] {
                assert!(
                    known(tr, &format!("audit.reason.{reason}")).is_some(),
                    "{reason}"
                );
            }
            for action in [
                "auth.login",
                "auth.logout",
                "user.password.change",
                "audit.export",
                "project.create",
                "project.update",
                "project.stage",
                "project.progress",
                "project.progress.report",
                "project.milestone.add",
                "project.milestone.update",
                "project.plan.set",
                "project.status.override",
                "project.status.override_clear",
                "project.status.recompute",
                "project.import",
                "project.export",
                "project.chart.export",
                "project.generate",
                "event.create",
                "event.update",
                "platform.create",
                "platform.phase.add",
                "platform.phase.update",
                "platform.phase.delete",
                "kpi.create",
                "kpi.update",
                "kpi.delete",
                "settings.status_thresholds",
            ] {
                assert!(
                    known(tr, &format!("audit.action.{action}")).is_some(),
                    "{action}"
                );
            }
        }
    }
}
