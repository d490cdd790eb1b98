//! Writing many projects at once, as an import does: the rows made before they are written
//! are the rows stored, and an import reads the ledger as committed.

use crate::helpers::{on_both_backends, spawn_app};
use chrono::{NaiveDate, TimeZone, Utc};
use districtops_store::{Backend, ProjectFields, Store};

fn fields(code: Option<&str>, name: &str, department_id: i64) -> ProjectFields {
    let day = |d: &str| d.parse::<NaiveDate>().ok();
    ProjectFields {
        code: code.map(str::to_owned),
        name: name.to_owned(),
        kind: "medical".into(),
        stage: "under_construction".into(),
        department_id,
        leader_name: Some("王区长".into()),
        total_investment: 12_345_678_900,
        completed_investment: 987_654_321,
        floor_area_m2: Some(236_834),
        land_area_mu_x100: Some(7_763),
        address: Some("经十路 105 号".into()),
        longitude: Some(116.974_32),
        latitude: Some(36.678_74),
        dates: [
            (day("2020-02-29"), day("2020-03-31")),
            (day("2020-04-02"), None),
            (None, None),
            (day("2024-12-31"), None),
            (None, None),
        ],
        notes: Some("illustrative: 按文章总数拆分".into()),
        illustrative: true,
        status_colour: "yellow".into(),
        ..ProjectFields::default()
    }
}

async fn insert(store: &Store, projects: Vec<ProjectFields>) -> Vec<districtops_store::ProjectRow> {
    // Nanoseconds, which neither database keeps: the rows made must say what is stored.
    let at = Utc.with_ymd_and_hms(2026, 11, 29, 9, 30, 0).unwrap()
        + chrono::Duration::nanoseconds(123_456_789);
    let mut tx = store.begin().await.unwrap();
    let rows = store.insert_projects(&mut tx, projects, at).await.unwrap();
    tx.commit().await.unwrap();
    rows
}

async fn the_rows_made_are_the_rows_stored(backend: Backend) {
    let app = spawn_app(backend).await;
    let store = &app.services.store;
    let bureau = app.departments["投资促进局"];
    let first = insert(
        store,
        vec![
            fields(Some("HY-1"), "树兰医院", bureau),
            fields(None, "齐鲁细胞治疗中心", bureau),
        ],
    )
    .await;
    let second = insert(
        store,
        vec![fields(Some("HY-3"), "国际医学科学中心", bureau)],
    )
    .await;
    let all: Vec<_> = first.iter().chain(&second).collect();
    assert!(all.windows(2).all(|w| w[0].id < w[1].id), "ids rise");
    for row in all {
        assert_eq!(store.project(row.id).await.unwrap().as_ref(), Some(row));
        assert_eq!(row.version, 1);
        assert_eq!(row.created_at.timestamp_subsec_nanos(), 123_456_000);
    }
    assert!(insert(store, Vec::new()).await.is_empty());
}

async fn an_import_reads_the_committed_ledger(backend: Backend) {
    let app = spawn_app(backend).await;
    let store = &app.services.store;
    let bureau = app.departments["投资促进局"];
    let names = ["甲", "乙", "丙"];
    let projects = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            fields(
                (i % 2 == 0).then(|| format!("C-{i}")).as_deref(),
                name,
                bureau,
            )
        })
        .collect();
    let stored = insert(store, projects).await;
    let keys: Vec<(Option<String>, String)> = store
        .project_keys()
        .await
        .unwrap()
        .into_iter()
        .map(|(_, code, name)| (code, name))
        .collect();
    let expected = [(Some("C-0"), "甲"), (None, "乙"), (Some("C-2"), "丙")]
        .map(|(c, n)| (c.map(str::to_owned), n.to_owned()));
    assert_eq!(keys, expected);
    let ids = [stored[2].id, stored[0].id, 9_999];
    let found = store.projects_by_id(&ids).await.unwrap();
    assert_eq!(found, [stored[0].clone(), stored[2].clone()], "in id order");
    // An import matches against the ledger as it stood before it: what an open transaction
    // writes is not seen.
    let mut tx = store.begin().await.unwrap();
    let new = vec![fields(Some("C-9"), "丁", bureau)];
    let new = store
        .insert_projects(&mut tx, new, Utc::now())
        .await
        .unwrap();
    assert_eq!(store.project_keys().await.unwrap().len(), 3);
    assert!(store.projects_by_id(&[new[0].id]).await.unwrap().is_empty());
    drop(tx);
}

/// Rows made one batch after another, before the first batch is written (an import hands its
/// blocks over so), take ids after those already taken, and all are written.
async fn batches_made_before_they_are_written_take_their_own_ids(backend: Backend) {
    let app = spawn_app(backend).await;
    let store = &app.services.store;
    let bureau = app.departments["投资促进局"];
    let at = Utc::now();
    let mut tx = store.begin().await.unwrap();
    let first = vec![
        fields(Some("B-1"), "一", bureau),
        fields(None, "二", bureau),
    ];
    let first = store.new_projects(&mut tx, first, at, None).await.unwrap();
    let last = first.last().map(|r| r.id);
    let second = vec![fields(Some("B-3"), "三", bureau)];
    let second = store.new_projects(&mut tx, second, at, last).await.unwrap();
    assert!(second[0].id > last.unwrap(), "{first:?} {second:?}");
    for rows in [&first, &second] {
        for mut statement in store.prepare_new_projects(rows) {
            store.run(&mut tx, &mut statement).await.unwrap();
        }
    }
    tx.commit().await.unwrap();
    for row in first.iter().chain(&second) {
        assert_eq!(store.project(row.id).await.unwrap().as_ref(), Some(row));
    }
}

on_both_backends!(the_rows_made_are_the_rows_stored);
on_both_backends!(batches_made_before_they_are_written_take_their_own_ids);
on_both_backends!(an_import_reads_the_committed_ledger);
