//! Online backup of SQLite under concurrent writes, and its restore.

use crate::helpers::spawn_app;
use districtops_service::audit::ChainReport;
use districtops_service::departments::NewDepartmentInput;
use districtops_service::{Ctx, Services};
use districtops_store::{AuditFilter, Backend, Store};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_writes_restores_to_a_consistent_copy() {
    let app = spawn_app(Backend::Sqlite).await;
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (services, stop, parent) = (
            app.services.clone(),
            stop.clone(),
            app.departments["投资促进局"],
        );
        tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                let input = NewDepartmentInput {
                    parent_id: Some(parent),
                    name: format!("科室{n}"),
                    kind: "section".into(),
                };
                services
                    .create_department(&Ctx::system(), input)
                    .await
                    .unwrap();
                n += 1;
            }
            n
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let dir = std::env::temp_dir().join(format!(
        "dobackup_{}",
        districtops_service::secrets::random_hex(6)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let target = dir.join("backup.db");
    app.services
        .store
        .backup_to(&target)
        .await
        .expect("backup while writing");
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    stop.store(true, Ordering::Relaxed);
    let written = writer.await.unwrap();
    assert!(written > 0);

    // Restore: open the copy as the database of a new server.
    districtops_store::verify_integrity(&target)
        .await
        .expect("the copy passes integrity_check");
    let restored = Store::open(&format!("sqlite://{}", target.display()))
        .await
        .unwrap();
    let restored = Services::new(
        restored,
        app.services.clock.clone(),
        (*app.services.settings).clone(),
    );
    assert!(matches!(
        restored.verify_audit_chain().await.unwrap(),
        ChainReport::Intact { .. }
    ));

    // The copy is the source as it was at one instant: a prefix of it, nothing torn.
    let copy = restored.store.departments().await.unwrap();
    let source = app.services.store.departments().await.unwrap();
    assert!(copy.len() <= source.len());
    for (a, b) in copy.iter().zip(&source) {
        assert_eq!((a.id, &a.name, a.parent_id), (b.id, &b.name, b.parent_id));
    }
    let filter = AuditFilter::default();
    let (copy_audit, copy_total) = restored
        .store
        .audit_page(&filter, 0, 100_000)
        .await
        .unwrap();
    let (source_audit, _) = app
        .services
        .store
        .audit_page(&filter, 0, 100_000)
        .await
        .unwrap();
    let offset = source_audit.len() - copy_audit.len();
    for (a, b) in copy_audit.iter().zip(&source_audit[offset..]) {
        assert_eq!((a.seq, &a.hash), (b.seq, &b.hash));
    }
    assert!(copy_total > 0);
    // Backing up onto an existing file is refused rather than overwriting it.
    assert!(app.services.store.backup_to(&target).await.is_err());
    let _ = std::fs::remove_dir_all(dir);
}
