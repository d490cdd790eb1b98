//! An import applied while its file is still being read, a block of rows at a time, does what
//! its preview (the whole file matched at once against the ledger as it was) says, on both
//! backends: rows that match projects an earlier block created or changed are matched as if
//! those blocks had not been written yet.

use crate::helpers::{TestApp, on_both_backends, spawn_app};
use districtops_domain::projects::ProjectKind;
use districtops_service::Ctx;
use districtops_service::audit::ChainReport;
use districtops_service::departments::NewDepartmentInput;
use districtops_service::excel::projects_export::{ProjectExportRow, write_projects};
use districtops_service::projects::import::{ImportAction, ImportProgress, ImportReport};
use districtops_store::{AuditFilter, Backend, ProjectFilter, ProjectScope};

fn row(code: Option<&str>, name: &str) -> ProjectExportRow {
    ProjectExportRow {
        code: code.map(str::to_owned),
        name: name.to_owned(),
        platform: Some("西站片区".into()),
        kind: Some(ProjectKind::Industrial),
        department: Some("区住建局".into()),
        ..ProjectExportRow::default()
    }
}

/// What each row of a report does, by row number.
fn actions(report: &ImportReport) -> Vec<(usize, String)> {
    report
        .rows
        .iter()
        .map(|r| {
            let action = match &r.action {
                ImportAction::Created => "created".to_owned(),
                ImportAction::Updated { .. } => "updated".to_owned(),
                ImportAction::Unchanged => "unchanged".to_owned(),
                ImportAction::Rejected { issues } => format!("rejected {}", issues[0].message_key),
            };
            (r.row, action)
        })
        .collect()
}

/// An app with the platform and the department the rows name.
async fn ledger_app(backend: Backend) -> TestApp {
    let app = spawn_app(backend).await;
    crate::projects::platform(&app, "西站片区").await;
    let input = NewDepartmentInput {
        parent_id: Some(app.departments["测试区"]),
        name: "区住建局".into(),
        kind: "bureau".into(),
    };
    let ctx = Ctx::system();
    app.services.create_department(&ctx, input).await.unwrap();
    app
}

/// Every index of the database, as the statement that would create it.
async fn index_definitions(url: &str) -> Vec<String> {
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await.unwrap();
        let sql = "SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL \
                   ORDER BY name";
        let found = sqlx::query_scalar(sql).fetch_all(&pool).await.unwrap();
        pool.close().await;
        found
    } else {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        let sql = "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname";
        let found = sqlx::query_scalar(sql).fetch_all(&pool).await.unwrap();
        pool.close().await;
        found
    }
}

/// Where each SQLite index starts in the file, by name: a rebuilt index starts elsewhere.
async fn index_roots(url: &str) -> Option<Vec<(String, i64)>> {
    let pool = sqlx::SqlitePool::connect(url.strip_prefix("sqlite:").map(|_| url)?)
        .await
        .unwrap();
    let sql = "SELECT name, rootpage FROM sqlite_master WHERE type = 'index' ORDER BY name";
    let roots = sqlx::query_as(sql).fetch_all(&pool).await.unwrap();
    pool.close().await;
    Some(roots)
}

async fn a_file_applied_a_row_at_a_time_does_what_its_preview_says(backend: Backend) {
    let app = ledger_app(backend).await;
    let ctx = Ctx::system();
    let before = write_projects("台账", &[row(Some("C-1"), "甲")]).unwrap();
    app.services.apply_import(&ctx, &before).await.unwrap();

    // Enough rows first for the header to be found while reading: the rest come one by one.
    let mut rows: Vec<ProjectExportRow> = (1..=40)
        .map(|i| row(None, &format!("填充项目{i}")))
        .collect();
    rows.extend([
        // Renames 甲 to 乙.
        row(Some("C-1"), "乙"),
        // 甲's old name: taken before the import, so refused, not created.
        row(None, "甲"),
        // New; then the same code again, a duplicate.
        row(Some("C-2"), "丙"),
        row(Some("C-2"), "丙二"),
    ]);
    let file = write_projects("台账", &rows).unwrap();
    let preview = app.services.preview_import(&ctx, &file).await.unwrap();
    let steps = std::sync::Mutex::new(Vec::new());
    let record = |step: ImportProgress| steps.lock().unwrap().push(step);
    let applied = app
        .services
        .apply_import_in_blocks(&ctx, &file, 1, &record)
        .await
        .unwrap();
    assert_eq!(actions(&applied), actions(&preview));
    let tail: Vec<String> = actions(&applied)[40..]
        .iter()
        .map(|(_, a)| a.clone())
        .collect();
    assert_eq!(
        tail,
        [
            "updated",
            "rejected project.ledger.name_taken",
            "created",
            "rejected import.row.duplicate"
        ]
    );
    // The rows were read and written in many steps, and all of them in the end.
    let steps = steps.into_inner().unwrap();
    let reads = steps
        .iter()
        .filter(|s| matches!(s, ImportProgress::Read { .. }))
        .count();
    assert!(reads > 5, "{steps:?}");
    let accepted = 40 + 2;
    let done = ImportProgress::Written {
        written: accepted,
        total: accepted,
    };
    assert_eq!(steps.last(), Some(&done));
    // Created rows handed over block after block, an update between them: every record is
    // linked in the order written, and each new project has its own.
    assert!(matches!(
        app.services.verify_audit_chain().await.unwrap(),
        ChainReport::Intact { .. }
    ));
    let filter = AuditFilter {
        action_prefix: Some("project.create".into()),
        ..AuditFilter::default()
    };
    let (_, created) = app.services.store.audit_page(&filter, 0, 1).await.unwrap();
    assert_eq!(created, 1 + 41, "甲 before, then 40 fillers and 丙");

    // A name this file creates twice under two codes: refused by the database, all of it.
    let clash = write_projects(
        "台账",
        &[
            (1..=40).map(|i| row(None, &format!("再填充{i}"))).collect(),
            vec![row(Some("C-8"), "重名"), row(Some("C-9"), "重名")],
        ]
        .concat(),
    )
    .unwrap();
    let before = app.services.preview_import(&ctx, &clash).await.unwrap();
    assert_eq!(before.counts().created, 42);
    let failed = app
        .services
        .apply_import_in_blocks(&ctx, &clash, 1, &|_| {})
        .await;
    assert!(failed.is_err(), "{failed:?}");
    let again = app.services.preview_import(&ctx, &clash).await.unwrap();
    assert_eq!(again.counts().created, 42, "nothing of it was written");
}

/// A long file into a ledger no larger (a district's first import) has the ledger's indexes
/// built once, at the end, on SQLite: afterwards every index is there as before, and a file
/// refused part-way leaves them as they were and writes nothing.
async fn a_first_import_builds_the_indexes_at_the_end(backend: Backend) {
    let app = ledger_app(backend).await;
    let ctx = Ctx::system();
    let indexes = index_definitions(&app.database_url).await;
    assert!(indexes.len() > 10, "{indexes:?}");
    let roots = index_roots(&app.database_url).await;
    let fillers = |prefix: &str| -> Vec<ProjectExportRow> {
        (1..=40)
            .map(|i| row(None, &format!("{prefix}{i}")))
            .collect()
    };
    // Refused by the database after most of its rows are written: a name twice.
    let clash = [
        fillers("先填充"),
        vec![row(Some("D-1"), "重名"), row(Some("D-2"), "重名")],
    ]
    .concat();
    let clash = write_projects("台账", &clash).unwrap();
    let failed = app
        .services
        .apply_import_in_blocks(&ctx, &clash, 20, &|_| {})
        .await;
    assert!(failed.is_err(), "{failed:?}");
    assert_eq!(index_definitions(&app.database_url).await, indexes);
    assert_eq!(index_roots(&app.database_url).await, roots, "rolled back");
    assert_eq!(app.services.store.project_count().await.unwrap(), 0);

    let file = write_projects("台账", &fillers("填充")).unwrap();
    let applied = app
        .services
        .apply_import_in_blocks(&ctx, &file, 20, &|_| {})
        .await
        .unwrap();
    assert_eq!(applied.counts().created, 40);
    assert_eq!(index_definitions(&app.database_url).await, indexes);
    if let (Some(before), Some(after)) = (&roots, index_roots(&app.database_url).await) {
        let moved = |name: &str| {
            let root = |all: &[(String, i64)]| all.iter().find(|(n, _)| n == name).map(|r| r.1);
            root(before) != root(&after)
        };
        assert!(moved("projects_name"), "built again: {before:?} {after:?}");
        assert!(!moved("sqlite_autoindex_projects_1"), "unique ones kept");
    }
    assert_eq!(app.services.store.project_count().await.unwrap(), 40);
    // The unique ones were there all along; the others are back and answer.
    let page = app
        .services
        .store
        .project_page(&ProjectFilter {
            text: Some("填充3".into()),
            ..ProjectFilter::new(ProjectScope::District)
        })
        .await
        .unwrap();
    assert!(page.totals.count >= 1, "{:?}", page.totals);
}

/// Projects typed in the form with full-width letters and brackets (as an input method gives
/// them) are matched by a file that spells them half-width, and the other way round: updated,
/// never created a second time.
async fn rows_match_projects_whatever_the_width_they_were_typed_in(backend: Backend) {
    let app = ledger_app(backend).await;
    let api = crate::projects::Api::new(&app, "office").await;
    for (code, name) in [
        (Some("ＨＹ－００１"), "医学中心（一期）"),
        (None, "影像中心(二期)"),
    ] {
        api.create(serde_json::json!({
            "code": code,
            "name": name,
            "platform": "西站片区",
            "kind": "industrial",
            "department": "区住建局",
        }))
        .await;
    }
    let file = write_projects(
        "台账",
        &[
            row(Some("HY-001"), "医学中心(一期)"),
            row(None, "影像中心（二期）"),
        ],
    )
    .unwrap();
    let ctx = Ctx::system();
    let preview = app.services.preview_import(&ctx, &file).await.unwrap();
    let created = preview.counts().created;
    assert_eq!(created, 0, "{:?}", actions(&preview));
    app.services.apply_import(&ctx, &file).await.unwrap();
    assert_eq!(app.services.store.project_count().await.unwrap(), 2);
}

on_both_backends!(a_file_applied_a_row_at_a_time_does_what_its_preview_says);
on_both_backends!(rows_match_projects_whatever_the_width_they_were_typed_in);
on_both_backends!(a_first_import_builds_the_indexes_at_the_end);
