//! The audit log: what is recorded, that nobody can change it, and that tampering is found.

use crate::database::raw_execute;
use crate::helpers::{TestApp, on_both_backends, spawn_app};
use districtops_service::Ctx;
use districtops_service::audit::ChainReport;
use districtops_service::departments::NewDepartmentInput;
use districtops_store::{AuditFilter, AuditRow, Backend};

/// The first thousand audit records.
async fn records(app: &TestApp) -> Vec<AuditRow> {
    let (rows, _) = app
        .services
        .store
        .audit_page(&AuditFilter::default(), 0, 1000)
        .await
        .unwrap();
    rows
}

async fn actions(app: &TestApp) -> Vec<(String, String, Option<String>)> {
    records(app)
        .await
        .into_iter()
        .map(|r| (r.action, r.outcome, r.username))
        .collect()
}

async fn logins_changes_and_failures_are_recorded(backend: Backend) {
    let app = spawn_app(backend).await;
    app.post_login(&app.client(), "staff", "Wrong#Pass1").await;
    let (client, csrf) = app.browser("staff").await;
    client
        .post(app.url("/logout"))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    let all = actions(&app).await;
    let has = |action: &str, outcome: &str| {
        all.iter()
            .any(|(a, o, u)| a == action && o == outcome && u.as_deref() == Some("staff"))
    };
    assert!(has("auth.login", "failure"));
    assert!(has("auth.login", "success"));
    assert!(has("auth.logout", "success"));
    assert!(
        all.iter()
            .any(|(a, _, u)| a == "user.create" && u.as_deref() == Some("system"))
    );

    let rows = records(&app).await;
    let create = rows
        .iter()
        .find(|r| r.action == "department.create")
        .unwrap();
    let changes = create.changes();
    assert!(
        changes
            .iter()
            .any(|c| c.field == "name" && c.before.is_none() && c.after.is_some())
    );
    // An absent value is left out of the stored text, and reads back as absent.
    assert!(!create.changes.contains("null"), "{}", create.changes);
    assert!(rows.iter().all(|r| r.hash.len() == 64));
}

async fn the_database_refuses_to_change_or_remove_audit_records(backend: Backend) {
    let app = spawn_app(backend).await;
    let url = &app.database_url;
    let update = raw_execute(url, "UPDATE audit_log SET action = 'nothing' WHERE seq = 1").await;
    assert!(update.is_err(), "UPDATE is refused");
    let delete = raw_execute(url, "DELETE FROM audit_log WHERE seq = 1").await;
    assert!(delete.is_err(), "DELETE is refused");
    if backend == Backend::Postgres {
        assert!(
            raw_execute(url, "TRUNCATE audit_log").await.is_err(),
            "TRUNCATE is refused"
        );
    }
    assert_eq!(
        app.services.verify_audit_chain().await.unwrap(),
        ChainReport::Intact {
            records: actions(&app).await.len() as u64
        }
    );
}

async fn a_tampered_record_is_found(backend: Backend) {
    let app = spawn_app(backend).await;
    let ctx = Ctx::system();
    for name in ["甲科", "乙科", "丙科"] {
        let input = NewDepartmentInput {
            parent_id: Some(app.departments["投资促进局"]),
            name: name.into(),
            kind: "section".into(),
        };
        app.services.create_department(&ctx, input).await.unwrap();
    }
    let ChainReport::Intact { records } = app.services.verify_audit_chain().await.unwrap() else {
        panic!("an untouched chain is intact");
    };
    assert!(records > 10);
    // Someone with database access drops the guard and edits record 5.
    let url = &app.database_url;
    let drop_trigger = match backend {
        Backend::Sqlite => "DROP TRIGGER audit_log_no_update",
        Backend::Postgres => "DROP TRIGGER audit_log_no_update ON audit_log",
    };
    raw_execute(url, drop_trigger).await.unwrap();
    raw_execute(
        url,
        "UPDATE audit_log SET username = 'someone_else' WHERE seq = 5",
    )
    .await
    .unwrap();
    assert_eq!(
        app.services.verify_audit_chain().await.unwrap(),
        ChainReport::Broken(districtops_domain::audit::ChainBreak::Altered { seq: 5 })
    );
}

async fn the_auditor_reads_but_cannot_change_anything(backend: Backend) {
    let app = spawn_app(backend).await;
    let ctx = app.ctx_of("auditor").await;
    assert!(
        app.services
            .audit_page(&ctx, &AuditFilter::default(), 1, 50)
            .await
            .is_ok()
    );
    let input = NewDepartmentInput {
        parent_id: Some(app.departments["测试区"]),
        name: "新局".into(),
        kind: "bureau".into(),
    };
    assert!(matches!(
        app.services.create_department(&ctx, input).await,
        Err(districtops_service::ServiceError::Forbidden)
    ));
    assert!(
        app.services
            .set_user_disabled(&ctx, app.user_id("staff"), true)
            .await
            .is_err()
    );
    assert!(
        app.services
            .set_user_roles(&ctx, app.user_id("staff"), &[])
            .await
            .is_err()
    );

    // And through the pages: the auditor's posts are refused.
    let (client, csrf) = app.browser("auditor").await;
    let response = client
        .post(app.url("/admin/departments"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("name", "新局"),
            ("kind", "bureau"),
            ("parent_id", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    assert_eq!(app.status(&client, "/audit").await, 200);
    let export = client
        .get(app.url("/audit/export.xlsx"))
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), 200);
    assert_eq!(
        &export.bytes().await.unwrap()[..2],
        b"PK",
        "an xlsx file is a zip"
    );
}

on_both_backends!(
    logins_changes_and_failures_are_recorded,
    the_database_refuses_to_change_or_remove_audit_records,
    a_tampered_record_is_found,
    the_auditor_reads_but_cannot_change_anything,
);
