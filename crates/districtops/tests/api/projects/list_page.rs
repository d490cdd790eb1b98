//! The ledger page's rows (`Store::project_list_page`: only the columns the page shows, on
//! SQLite read as one JSON array) are the full list's rows, in the same order, with the same
//! count and totals, for every sort, both directions, every kind of scope and filter, and on
//! both sides of the SQLite plan switch (2,000 matches), on both backends.

use crate::helpers::on_both_backends;
use crate::synthetic::generated;
use districtops_store::{
    Backend, BulkProject, ProjectFields, ProjectFilter, ProjectListPage, ProjectScope, ProjectSort,
    Store,
};

/// A project whose text needs escaping in JSON, with empty optional columns.
fn awkward(department_id: i64) -> BulkProject {
    BulkProject {
        fields: ProjectFields {
            code: None,
            name: "引号\"反斜杠\\换行\n制表\t😀 项目".into(),
            kind: "medical".into(),
            stage: "under_construction".into(),
            department_id,
            leader_name: Some("</td><script>".into()),
            // 2^53 + 1: exact only if no step goes through a double.
            total_investment: 9_007_199_254_740_993,
            completed_investment: 0,
            illustrative: true,
            status_colour: "red".into(),
            ..ProjectFields::default()
        },
        milestones: Vec::new(),
        reports: Vec::new(),
        plan: Vec::new(),
    }
}

async fn assert_same(store: &Store, filter: &ProjectFilter) -> usize {
    let full = store.project_page(filter).await.unwrap();
    let brief = store.project_list_page(filter).await.unwrap();
    assert_eq!(brief, ProjectListPage::from(&full), "{filter:?}");
    brief.rows.len()
}

async fn the_list_page_has_the_rows_order_and_totals_of_the_full_list(backend: Backend) {
    let (services, _, _database) = generated(backend, 2_100, 3).await;
    let store = &services.store;
    let mut all = ProjectFilter::new(ProjectScope::District);
    all.limit = 5;
    let first = store.project_page(&all).await.unwrap().rows;
    let department = first[0].department_id;
    let leader = first.iter().find_map(|r| r.leader_user_id);
    let mut tx = store.begin().await.unwrap();
    let odd = store
        .insert_projects_bulk(&mut tx, &[awkward(department)], chrono::Utc::now(), None)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let scopes = [
        ProjectScope::District,
        ProjectScope::Limited {
            departments: vec![department],
            own_user: leader,
        },
        ProjectScope::Limited {
            departments: vec![],
            own_user: None,
        },
    ];
    let mut seen = 0;
    for scope in &scopes {
        for sort in ProjectSort::ALL {
            for descending in [false, true] {
                let mut filter = ProjectFilter::new(scope.clone());
                filter.sort = sort;
                filter.descending = descending;
                seen += assert_same(store, &filter).await;
                filter.stage = Some("under_construction".into());
                filter.offset = 50;
                seen += assert_same(store, &filter).await;
            }
        }
        let mut filter = ProjectFilter::new(scope.clone());
        filter.text = Some("\"反斜杠\\".into());
        filter.limit = 500;
        assert_same(store, &filter).await;
        filter.text = None;
        filter.offset = 1_000_000;
        assert_eq!(assert_same(store, &filter).await, 0);
    }
    assert!(seen > 2_000, "the pages were not empty: {seen}");

    // The awkward project comes back as written, at the top of the investment order.
    let mut filter = ProjectFilter::new(ProjectScope::District);
    filter.sort = ProjectSort::TotalInvestment;
    filter.descending = true;
    let page = store.project_list_page(&filter).await.unwrap();
    assert_eq!(page.totals.count, 2_101);
    let top = &page.rows[0];
    assert_eq!(top.id, odd[0].id);
    assert_eq!(top.name, "引号\"反斜杠\\换行\n制表\t😀 项目");
    assert_eq!(top.leader_name.as_deref(), Some("</td><script>"));
    assert_eq!((top.code.as_deref(), top.floor_area_m2), (None, None));
    assert!(top.illustrative);
    assert_eq!(top.total_investment, 9_007_199_254_740_993);

    // The filters' choices are every platform and department, by id.
    let (platforms, departments) = store.filter_choices().await.unwrap();
    let expected_platforms: Vec<(i64, String)> = store
        .platforms()
        .await
        .unwrap()
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let expected_departments: Vec<(i64, String)> = store
        .departments()
        .await
        .unwrap()
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    assert_eq!(platforms, expected_platforms);
    assert_eq!(departments, expected_departments);
    assert!(platforms.len() >= 3 && departments.len() >= 12);
}

on_both_backends!(the_list_page_has_the_rows_order_and_totals_of_the_full_list);
