//! The ledger's Excel round trip on both backends: preview, apply, re-import (unchanged),
//! export then re-import (unchanged), all-or-nothing apply, scope, and the command line.

use crate::helpers::{AUDIT_KEY, TestApp, on_both_backends, spawn_app};
use crate::projects::platform;
use districtops_domain::projects::ProjectKind;
use districtops_service::departments::NewDepartmentInput;
use districtops_service::excel::projects_export::{ProjectExportRow, write_projects};
use districtops_service::projects::ProjectQuery;
use districtops_service::projects::import::{ImportAction, ImportProgress, ImportReport};
use districtops_service::{Ctx, ServiceError};
use districtops_store::{AuditFilter, Backend};
use std::process::{Command, Output};

const LEDGER: &[u8] = include_bytes!("../../../service/tests/fixtures/ledger.xlsx");
const DATES: &[u8] = include_bytes!("../../../service/tests/fixtures/dates.xlsx");

/// The platforms and departments `ledger.xlsx` names.
async fn ledger_world(app: &TestApp) {
    platform(app, "西部会展片区").await;
    platform(app, "西站片区").await;
    let root = app.departments["测试区"];
    for name in ["区卫健局", "区投资促进局", "区住建局"] {
        let input = NewDepartmentInput {
            parent_id: Some(root),
            name: name.into(),
            kind: "bureau".into(),
        };
        app.services
            .create_department(&Ctx::system(), input)
            .await
            .unwrap();
    }
}

fn count_of(report: &ImportReport) -> (usize, usize, usize, usize) {
    let c = report.counts();
    (c.created, c.updated, c.unchanged, c.rejected)
}

async fn project_count(app: &TestApp) -> i64 {
    app.services
        .list_projects(&Ctx::system(), &ProjectQuery::default())
        .await
        .unwrap()
        .totals
        .count
}

async fn the_ledger_round_trips(backend: Backend) {
    let app = spawn_app(backend).await;
    ledger_world(&app).await;
    let ctx = app.ctx_of("office").await;

    let preview = app.services.preview_import(&ctx, LEDGER).await.unwrap();
    assert_eq!(count_of(&preview), (3, 0, 0, 2));
    let rejected: Vec<String> = preview
        .rejected()
        .flat_map(|(row, issues)| issues.iter().map(move |i| format!("{row} {}", i.cell)))
        .collect();
    assert!(rejected.contains(&"8 L8".to_owned()), "{rejected:?}");
    assert_eq!(project_count(&app).await, 0, "a preview writes nothing");

    let steps = std::sync::Mutex::new(Vec::new());
    let record = |step: ImportProgress| steps.lock().unwrap().push(step);
    let applied = app
        .services
        .apply_import_with(&ctx, LEDGER, &record)
        .await
        .unwrap();
    assert_eq!(count_of(&applied), (3, 0, 0, 2));
    assert_eq!(project_count(&app).await, 3);
    // The command line's bar: the rows read, then the accepted rows written.
    let steps = steps.into_inner().unwrap();
    assert!(
        matches!(steps.first(), Some(ImportProgress::Read { rows }) if *rows >= 5),
        "{steps:?}"
    );
    let done = ImportProgress::Written {
        written: 3,
        total: 3,
    };
    assert_eq!(steps.last(), Some(&done), "{steps:?}");
    let imports = app
        .services
        .store
        .audit_page(
            &AuditFilter {
                action_prefix: Some("project.import".into()),
                ..AuditFilter::default()
            },
            0,
            10,
        )
        .await
        .unwrap()
        .0;
    assert_eq!(imports.len(), 1);

    let again = app.services.apply_import(&ctx, LEDGER).await.unwrap();
    assert_eq!(count_of(&again), (0, 0, 3, 2));

    let exported = app
        .services
        .export_projects(&ctx, &ProjectQuery::default())
        .await
        .unwrap();
    let back = app.services.preview_import(&ctx, &exported).await.unwrap();
    assert_eq!(count_of(&back), (0, 0, 3, 0), "{:?}", back.rows);
}

async fn a_failure_while_applying_writes_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    ledger_world(&app).await;
    let ctx = app.ctx_of("office").await;
    app.services.apply_import(&ctx, LEDGER).await.unwrap();
    let page = app
        .services
        .list_projects(&ctx, &ProjectQuery::default())
        .await
        .unwrap();
    let taken = page.rows[0].name.clone();
    let platforms = app.services.platforms(&ctx).await.unwrap();
    let taken_platform = platforms
        .iter()
        .find(|p| Some(p.id) == page.rows[0].platform_id)
        .map(|p| p.name.clone());
    // A new code with the platform and name of a project already there: rejected up front.
    let clash = ProjectExportRow {
        code: Some("NEW-0".into()),
        name: taken,
        platform: taken_platform,
        kind: Some(ProjectKind::Industrial),
        department: Some("区住建局".into()),
        ..ProjectExportRow::default()
    };
    let file = write_projects("测试", std::slice::from_ref(&clash)).unwrap();
    let preview = app.services.preview_import(&ctx, &file).await.unwrap();
    let issues: Vec<_> = preview.rejected().flat_map(|(_, i)| i.to_vec()).collect();
    assert_eq!(
        issues[0].message_key, "project.ledger.name_taken",
        "{issues:?}"
    );

    // Row 1 is a good new project; rows 2 and 3 are new codes with one name on one platform:
    // each looks new, the second insert fails the unique key, and row 1 must not stay behind.
    let twin = |code: &str| ProjectExportRow {
        code: Some(code.into()),
        name: "重名的新项目".into(),
        platform: Some("西站片区".into()),
        kind: Some(ProjectKind::Industrial),
        department: Some("区住建局".into()),
        ..ProjectExportRow::default()
    };
    let rows = vec![
        ProjectExportRow {
            name: "新建的好项目".into(),
            kind: Some(ProjectKind::Industrial),
            department: Some("区住建局".into()),
            ..ProjectExportRow::default()
        },
        twin("NEW-1"),
        twin("NEW-2"),
    ];
    let file = write_projects("测试", &rows).unwrap();
    let preview = app.services.preview_import(&ctx, &file).await.unwrap();
    assert_eq!(preview.counts().created, 3, "{:?}", preview.rows);
    let before = project_count(&app).await;
    let failed = app.services.apply_import(&ctx, &file).await;
    assert!(
        matches!(failed, Err(ServiceError::Invalid(_))),
        "{failed:?}"
    );
    assert_eq!(project_count(&app).await, before);

    let reader = app.ctx_of("leader").await;
    let refused = app.services.apply_import(&reader, DATES).await;
    assert!(refused.is_err(), "{refused:?}");
    assert_eq!(project_count(&app).await, before);
}

async fn staff_cannot_import_into_another_bureau(backend: Backend) {
    let app = spawn_app(backend).await;
    ledger_world(&app).await;
    let staff = app.ctx_of("staff").await;
    let preview = app.services.preview_import(&staff, LEDGER).await.unwrap();
    let outside = preview
        .rows
        .iter()
        .filter(|r| match &r.action {
            ImportAction::Rejected { issues } => issues
                .iter()
                .any(|i| i.message_key == "import.department.outside_scope"),
            _ => false,
        })
        .count();
    assert_eq!(outside, 3, "{:?}", preview.rows);
    assert_eq!(preview.counts().created, 0);
}

/// A multipart body with `bytes` as the `file` part.
fn multipart(bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "importboundaryQ7x";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; \
         filename=\"ledger.xlsx\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn the_pages_preview_apply_and_export(backend: Backend) {
    let app = spawn_app(backend).await;
    ledger_world(&app).await;
    let (client, csrf) = app.browser("office").await;
    let post = |path: &str, bytes: &[u8], token: Option<&str>| {
        let (content_type, body) = multipart(bytes);
        let mut request = client
            .post(app.url(path))
            .header("content-type", content_type)
            .body(body);
        if let Some(token) = token {
            request = request.header("x-csrf-token", token);
        }
        request.send()
    };
    let form = app.text(&client, "/projects/import").await;
    assert!(
        form.contains("hx-encoding=\"multipart/form-data\""),
        "{form}"
    );

    let no_token = post("/projects/import/preview", LEDGER, None)
        .await
        .unwrap();
    assert_eq!(no_token.status().as_u16(), 403);

    let preview = post("/projects/import/preview", LEDGER, Some(&csrf))
        .await
        .unwrap();
    assert_eq!(preview.status().as_u16(), 200);
    let page = preview.text().await.unwrap();
    assert!(page.contains("L8：日期不存在"), "{page}");
    assert!(page.contains("data-testid=\"import-apply\""));
    assert_eq!(project_count(&app).await, 0);

    // Larger than the application's 1 MiB body limit: refused by the import, not by the server.
    let big = vec![b'x'; 2 * 1024 * 1024];
    let refused = post("/projects/import/preview", &big, Some(&csrf))
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 200);
    assert!(refused.text().await.unwrap().contains("import-refused"));

    let applied = post("/projects/import/apply", LEDGER, Some(&csrf))
        .await
        .unwrap();
    assert_eq!(applied.status().as_u16(), 200);
    assert_eq!(project_count(&app).await, 3);

    let list = app.text(&client, "/projects?stage=signed").await;
    assert!(
        list.contains("/projects/export.xlsx?stage=signed"),
        "{list}"
    );
    let export = client
        .get(app.url("/projects/export.xlsx"))
        .send()
        .await
        .unwrap();
    assert_eq!(export.status().as_u16(), 200);
    let disposition = export.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(disposition.contains("filename*=UTF-8''"), "{disposition}");
    let bytes = export.bytes().await.unwrap();
    let back = app
        .services
        .preview_import(&app.ctx_of("office").await, &bytes)
        .await
        .unwrap();
    assert_eq!(back.counts().unchanged, 3);
}

fn districtops(database_url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_districtops"))
        .args(args)
        .args(["--database", database_url])
        .env("DISTRICTOPS__SECURITY__AUDIT_KEY", AUDIT_KEY)
        .env("RUST_LOG", "warn")
        .current_dir(std::env::temp_dir())
        .output()
        .expect("the binary runs")
}

async fn the_console_imports_and_exports(backend: Backend) {
    let app = spawn_app(backend).await;
    ledger_world(&app).await;
    let url = &app.database_url;
    let dir = tempfile_dir();
    let file = dir.join("ledger.xlsx");
    std::fs::write(&file, LEDGER).unwrap();
    let file = file.to_string_lossy().into_owned();

    let dry = districtops(url, &["import", "projects", &file, "--dry-run"]);
    let text = String::from_utf8_lossy(&dry.stdout).into_owned();
    assert_eq!(dry.status.code(), Some(1), "{text}");
    assert!(text.contains("新建 3 个"), "{text}");
    assert!(
        text.contains("第 8 行 M8：无法识别的日期（原值“明年”）"),
        "{text}"
    );
    assert_eq!(project_count(&app).await, 0);

    let applied = districtops(url, &["import", "projects", &file, "--format", "json"]);
    assert_eq!(applied.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&applied.stdout).unwrap();
    assert_eq!(json["counts"]["created"], 3);
    assert_eq!(project_count(&app).await, 3);

    let out = dir.join("out.xlsx");
    let out = out.to_string_lossy().into_owned();
    let exported = districtops(url, &["export", "projects", "--to", &out]);
    assert!(exported.status.success(), "{exported:?}");
    let again = districtops(url, &["import", "projects", &out, "--dry-run"]);
    assert_eq!(again.status.code(), Some(0), "{again:?}");
    assert!(String::from_utf8_lossy(&again.stdout).contains("未变 3 个"));

    let bad = dir.join("bad.xlsx");
    std::fs::write(&bad, b"not a workbook").unwrap();
    let refused = districtops(url, &["import", "projects", &bad.to_string_lossy()]);
    assert_eq!(refused.status.code(), Some(2));
    std::fs::remove_dir_all(dir).ok();
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "districtops-import-{}-{}",
        std::process::id(),
        rand_suffix()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn rand_suffix() -> u64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64)
}

on_both_backends!(
    the_ledger_round_trips,
    a_failure_while_applying_writes_nothing,
    staff_cannot_import_into_another_bureau,
    the_console_imports_and_exports,
    the_pages_preview_apply_and_export,
);

/// The console's context (district-wide business access) is never built in the web crate.
#[test]
fn no_web_code_builds_the_console_context() {
    fn walk(dir: &std::path::Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            let name = path.display().to_string();
            // Test code (compiled only under `cfg(test)`) may act as the console.
            if name.contains("/tests") || name.ends_with("tests.rs") || name.ends_with("testkit.rs")
            {
                continue;
            }
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs")
                && std::fs::read_to_string(&path)
                    .unwrap_or_default()
                    .contains("Ctx::system(")
            {
                found.push(path.display().to_string());
            }
        }
    }
    let web = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/src");
    let mut found = Vec::new();
    walk(&web, &mut found);
    assert!(
        found.is_empty(),
        "Ctx::system() in the web crate: {found:?}"
    );
}
