//! The status-light thresholds page: shown to the system administrator only, every field
//! checked with its own message and the form kept, a saved change audited and every light
//! recomputed at once.

use crate::testkit::{Browser, World, world};
use axum::http::StatusCode;
use chrono::Duration;
use districtops_domain::projects::{ProjectDraft, ProjectKind, Thresholds};
use districtops_service::Ctx;
use districtops_service::projects::progress::MilestoneInput;
use districtops_store::AuditFilter;

const PAGE: &str = "/admin/settings/status";

async fn save(
    w: &World,
    who: &Browser,
    red: &str,
    warning: &str,
    lag: &str,
) -> crate::testkit::Reply {
    let fields = [
        ("red_overdue_days", red),
        ("warning_days", warning),
        ("lag_percent", lag),
    ];
    w.post(who, PAGE, &fields).await
}

async fn thresholds(w: &World) -> Thresholds {
    w.services().status_thresholds().await.unwrap()
}

/// A project whose only milestone is 20 days overdue: yellow under the default 30 days.
async fn late_project(w: &World) -> i64 {
    let system = Ctx::system();
    let draft = ProjectDraft {
        name: Some("逾期项目".into()),
        kind: Some(ProjectKind::Medical),
        department: Some("发改局".into()),
        ..ProjectDraft::default()
    };
    let services = w.services();
    let id = services.create_project(&system, &draft).await.unwrap().id;
    let milestone = MilestoneInput {
        name: "主体封顶".into(),
        planned: Some(services.today() - Duration::days(20)),
        ..MilestoneInput::default()
    };
    services
        .add_milestone(&system, id, &milestone)
        .await
        .unwrap();
    id
}

async fn colour(w: &World, id: i64) -> String {
    w.services()
        .store
        .project(id)
        .await
        .unwrap()
        .unwrap()
        .status_colour
}

#[tokio::test]
async fn only_the_system_administrator_sees_and_changes_the_thresholds() {
    let w = world().await;
    let admin = w.sign_in("sysadmin").await;
    let page = w.get(&admin, PAGE).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = page.text();
    assert!(
        body.contains("data-testid=\"status-thresholds-form\""),
        "{body}"
    );
    assert!(body.contains("三色预警阈值") && body.contains("href=\"/admin/settings/status\""));
    assert!(
        body.contains("name=\"red_overdue_days\" value=\"30\""),
        "{body}"
    );
    assert!(body.contains("name=\"lag_percent\" value=\"10\""), "{body}");

    for name in ["staff", "secadmin", "auditor"] {
        let other = w.sign_in(name).await;
        assert_eq!(
            w.get(&other, PAGE).await.status,
            StatusCode::FORBIDDEN,
            "{name}"
        );
        let reply = save(&w, &other, "1", "1", "1").await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{name}");
        assert!(!w.get(&other, "/").await.text().contains(PAGE), "{name}");
    }
    assert_eq!(thresholds(&w).await, Thresholds::default());
}

#[tokio::test]
async fn bad_values_keep_the_form_with_a_chinese_message_per_field() {
    let w = world().await;
    let admin = w.sign_in("sysadmin").await;
    let cases: [(&str, &str, &str, &[&str]); 4] = [
        (
            "三十",
            "-1",
            "101",
            &["red_overdue_days", "warning_days", "lag_percent"],
        ),
        (
            "99999999999999999999",
            "1e3",
            "10.5",
            &["red_overdue_days", "warning_days", "lag_percent"],
        ),
        ("", "15", "<script>", &["red_overdue_days", "lag_percent"]),
        ("3651", "0", "0", &["red_overdue_days"]),
    ];
    for (red, warning, lag, refused) in cases {
        let reply = save(&w, &admin, red, warning, lag).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{red} {warning} {lag}"
        );
        let body = reply.text();
        for field in ["red_overdue_days", "warning_days", "lag_percent"] {
            let marked = body.contains(&format!("data-testid=\"error-{field}\""));
            assert_eq!(marked, refused.contains(&field), "{field} in {body}");
        }
        assert!(body.contains("data-testid=\"form-error\""));
        assert!(
            body.contains(&format!("value=\"{red}\"")),
            "{red} kept in {body}"
        );
    }
    let body = save(&w, &admin, "三十", "", "101").await.text();
    assert!(body.contains("请填写 0 到 3650 之间的整数天数。"), "{body}");
    assert!(body.contains("必填。") && body.contains("请填写 0 到 100 之间的整数百分比。"));
    // A form with none of the fields, or one that is not a form at all.
    let reply = w.post(&admin, PAGE, &[]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(thresholds(&w).await, Thresholds::default());
    let audit = AuditFilter {
        action_prefix: Some("settings.".into()),
        ..AuditFilter::default()
    };
    let (_, total) = w.services().store.audit_page(&audit, 0, 10).await.unwrap();
    assert_eq!(total, 0, "nothing refused is recorded as a change");
}

#[tokio::test]
async fn a_saved_change_is_audited_and_recolours_the_ledger_at_once() {
    let w = world().await;
    let id = late_project(&w).await;
    assert_eq!(colour(&w, id).await, "yellow");
    let admin = w.sign_in("sysadmin").await;

    let reply = save(&w, &admin, "７天", " 15 ", "10%").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let location = reply.location().unwrap().to_owned();
    assert_eq!(
        location,
        "/admin/settings/status?ok=saved&projects=1&changed=1"
    );
    assert_eq!(colour(&w, id).await, "red");
    let strict = Thresholds {
        red_overdue_days: 7,
        ..Thresholds::default()
    };
    assert_eq!(thresholds(&w).await, strict);
    let body = w.get(&admin, &location).await.text();
    assert!(
        body.contains("重新计算 1 个项目，其中 1 个颜色有变化"),
        "{body}"
    );
    assert!(
        body.contains("name=\"red_overdue_days\" value=\"7\""),
        "{body}"
    );

    let audit = AuditFilter {
        action_prefix: Some("settings.status_thresholds".into()),
        ..AuditFilter::default()
    };
    let (records, total) = w.services().store.audit_page(&audit, 0, 10).await.unwrap();
    assert_eq!(total, 1);
    let changes = records[0].changes();
    assert_eq!(changes.len(), 1, "only the changed value: {changes:?}");
    assert_eq!(changes[0].field, "status.red_overdue_days");
    assert_eq!(
        (changes[0].before.as_deref(), changes[0].after.as_deref()),
        (Some("30"), Some("7"))
    );

    // The same values again change nothing and say so.
    let reply = save(&w, &admin, "7", "15", "10").await;
    assert_eq!(
        reply.location(),
        Some("/admin/settings/status?ok=unchanged")
    );
    let body = w
        .get(&admin, "/admin/settings/status?ok=unchanged")
        .await
        .text();
    assert!(body.contains("阈值与当前设置相同"), "{body}");
    let (_, total) = w.services().store.audit_page(&audit, 0, 10).await.unwrap();
    assert_eq!(total, 1);
    // A made-up notice shows nothing.
    let body = w
        .get(
            &admin,
            "/admin/settings/status?ok=saved&projects=%3Cb%3E&changed=1",
        )
        .await
        .text();
    assert!(
        !body.contains("个项目，其中") && !body.contains("<b>"),
        "{body}"
    );
}
