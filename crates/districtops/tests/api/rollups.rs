//! The figures read from the roll-ups (the cockpit's monthly trend from `progress_rollups`,
//! the ledger's totals row and the cockpit's counts and sums from `project_rollups`) equal the
//! same figures added up from the rows, on both backends, in every kind of scope, after
//! inserts, replacements, changes of colour and stage, and a project's move to another
//! department.

use crate::helpers::{on_both_backends, spawn_app};
use districtops_store::{
    Backend, BulkProject, ProjectFields, ProjectFilter, ProjectRow, ProjectScope, ProjectTotals,
    Store,
};

fn project(code: &str, department_id: i64, leader_user_id: Option<i64>) -> BulkProject {
    BulkProject {
        fields: ProjectFields {
            code: Some(code.to_owned()),
            name: format!("{code}项目"),
            kind: "medical".into(),
            stage: "under_construction".into(),
            department_id,
            leader_user_id,
            total_investment: 10_000_000_000,
            status_colour: "green".into(),
            ..ProjectFields::default()
        },
        milestones: Vec::new(),
        reports: Vec::new(),
        plan: Vec::new(),
    }
}

async fn report(store: &Store, project_id: i64, period: &str, yuan: i64) {
    let mut tx = store.begin().await.unwrap();
    store
        .upsert_progress_report(
            &mut tx,
            project_id,
            period,
            yuan,
            10,
            None,
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// The count and sums of `rows`, added up here.
fn summed(rows: &[ProjectRow]) -> ProjectTotals {
    ProjectTotals {
        count: rows.len() as i64,
        total_investment: rows.iter().map(|r| r.total_investment).sum(),
        completed_investment: rows.iter().map(|r| r.completed_investment).sum(),
        floor_area_m2: rows.iter().filter_map(|r| r.floor_area_m2).sum(),
        land_area_mu_x100: rows.iter().filter_map(|r| r.land_area_mu_x100).sum(),
    }
}

/// Every figure read from a roll-up equals the same figure added up from the rows.
async fn assert_rollups_match(store: &Store, scopes: &[ProjectScope]) {
    for scope in scopes {
        assert_eq!(
            store.cockpit_months(scope).await.unwrap(),
            store.cockpit_months_from_reports(scope).await.unwrap(),
            "{scope:?}"
        );
        let mut filter = ProjectFilter::new(scope.clone());
        filter.limit = 1000;
        let page = store.project_page(&filter).await.unwrap();
        assert_eq!(page.totals, summed(&page.rows), "{scope:?}");
        assert_eq!(store.cockpit_totals(scope).await.unwrap(), page.totals);
        let red = page
            .rows
            .iter()
            .filter(|r| r.status_colour == "red")
            .count();
        let colours = store.cockpit_colours(scope).await.unwrap();
        let counted = colours
            .iter()
            .find(|c| c.value == "red")
            .map_or(0, |c| c.count);
        assert_eq!(counted as usize, red, "{scope:?}");
        assert!(colours.iter().all(|c| c.count > 0));
        filter.stage = Some("signed".into());
        let signed = store.project_page(&filter).await.unwrap();
        assert_eq!(signed.totals, summed(&signed.rows), "{scope:?}");
        // Totals kept from an earlier call (SQLite) are summed again once a project changed,
        // its colour alone included.
        filter.stage = None;
        filter.status_colour = Some("red".into());
        let red = store.project_page(&filter).await.unwrap();
        assert_eq!(red.totals, summed(&red.rows), "{scope:?}");
    }
}

async fn the_rollups_equal_the_sums_of_the_rows(backend: Backend) {
    let app = spawn_app(backend).await;
    let store = &app.services.store;
    let bureau = app.departments["投资促进局"];
    let section = app.departments["招商科"];
    let street = app.departments["振兴街街道"];
    let staff = app.users["staff"];
    let mut tx = store.begin().await.unwrap();
    let projects = [
        project("A", bureau, None),
        project("B", street, None),
        project("C", street, Some(staff)),
    ];
    let rows = store
        .insert_projects_bulk(&mut tx, &projects, chrono::Utc::now(), None)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let [a, b, c] = [rows[0].id, rows[1].id, rows[2].id];
    assert_eq!(rows[2].code.as_deref(), Some("C"));
    let scopes = [
        ProjectScope::District,
        ProjectScope::Limited {
            departments: vec![bureau, section],
            own_user: Some(staff),
        },
        ProjectScope::Limited {
            departments: vec![street],
            own_user: Some(staff),
        },
        ProjectScope::Limited {
            departments: vec![],
            own_user: Some(staff),
        },
        ProjectScope::Limited {
            departments: vec![section],
            own_user: None,
        },
        ProjectScope::Limited {
            departments: vec![],
            own_user: None,
        },
    ];
    assert_rollups_match(store, &scopes).await;

    for (project, period, yuan) in [
        (a, "2026-09", 30_000_000),
        (a, "2026-10", 20_000_000),
        (b, "2026-10", 50_000_000),
        (c, "2026-10", 7_000_000),
        (c, "2026-11", 0),
    ] {
        report(store, project, period, yuan).await;
    }
    assert_rollups_match(store, &scopes).await;
    let district = store.cockpit_months(&ProjectScope::District).await.unwrap();
    let sums: Vec<(&str, i64)> = district
        .iter()
        .map(|m| (m.period.as_str(), m.invested))
        .collect();
    // A month whose only report is 0 still appears, as in the naive GROUP BY.
    assert_eq!(
        sums,
        [
            ("2026-09", 30_000_000),
            ("2026-10", 77_000_000),
            ("2026-11", 0)
        ]
    );

    // A replaced report replaces its amount in the roll-up.
    report(store, a, "2026-10", 5_000_000).await;
    report(store, b, "2026-10", 0).await;
    assert_rollups_match(store, &scopes).await;
    let october = store.cockpit_months(&ProjectScope::District).await.unwrap()[1].invested;
    assert_eq!(october, 12_000_000);

    // A project that moves to another department takes its reports with it.
    let mut tx = store.begin().await.unwrap();
    let moved = store.project_in(&mut tx, c).await.unwrap().unwrap();
    let mut fields = moved.fields();
    fields.department_id = section;
    store
        .update_project(&mut tx, &moved, moved.version, &fields, chrono::Utc::now())
        .await
        .unwrap()
        .expect("not stale");
    // A project that turns red and moves on to the next stage moves between roll-up rows.
    store.set_project_colour(&mut tx, a, "red").await.unwrap();
    tx.commit().await.unwrap();
    assert_rollups_match(store, &scopes).await;
    let mut tx = store.begin().await.unwrap();
    let current = store.project_in(&mut tx, a).await.unwrap().unwrap();
    let mut fields = current.fields();
    fields.stage = "signed".into();
    fields.total_investment += 1;
    fields.floor_area_m2 = Some(1200);
    let updated = store
        .update_project(
            &mut tx,
            &current,
            current.version,
            &fields,
            chrono::Utc::now(),
        )
        .await
        .unwrap()
        .expect("not stale");
    // Only the changed columns are written; the row is the fields, whole.
    assert_eq!(updated.fields(), fields);
    assert_eq!(updated.version, current.version + 1);
    tx.commit().await.unwrap();
    assert_rollups_match(store, &scopes).await;
    let section_only = ProjectScope::Limited {
        departments: vec![section],
        own_user: None,
    };
    let months = store.cockpit_months(&section_only).await.unwrap();
    assert_eq!(months.len(), 2);
    assert_eq!(months[0].invested, 7_000_000);
}

on_both_backends!(the_rollups_equal_the_sums_of_the_rows);
