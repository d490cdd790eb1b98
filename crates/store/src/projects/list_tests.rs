//! Unit tests of the ledger list's SQL building.
use super::*;

#[test]
fn wildcards_are_taken_literally() {
    assert_eq!(escape_like("50%_a\\b"), "50\\%\\_a\\\\b");
}

#[test]
fn scope_is_always_a_clause_and_values_are_bound() {
    let mut filter = ProjectFilter::new(ProjectScope::Limited {
        departments: vec![2, 3],
        own_user: Some(9),
    });
    filter.text = Some("医院'; DROP".into());
    filter.stage = Some("signed".into());
    let (sql, binds) = filter.to_sql();
    assert_eq!(
        sql,
        " WHERE (department_id IN ($1, $2) OR leader_user_id = $3) AND stage = $4 AND \
         (name LIKE $5 ESCAPE '\\' OR code LIKE $5 ESCAPE '\\' OR address LIKE $5 ESCAPE '\\')"
    );
    assert_eq!(binds.len(), 5);
    assert!(!sql.contains("DROP"));

    let nothing = ProjectFilter::new(ProjectScope::Limited {
        departments: vec![],
        own_user: None,
    });
    assert_eq!(nothing.to_sql().0, " WHERE 1 = 0");
    assert_eq!(ProjectFilter::new(ProjectScope::District).to_sql().0, "");
}

#[test]
fn skipping_filter_indexes_changes_only_the_terms() {
    let mut filter = ProjectFilter::new(ProjectScope::Limited {
        departments: vec![2],
        own_user: None,
    });
    filter.stage = Some("signed".into());
    filter.text = Some("医院".into());
    let (used, _) = filter.to_sql_with(FilterIndexes::Use);
    let (skipped, binds) = filter.to_sql_with(FilterIndexes::Skip);
    assert_eq!(
        used.replace("department_id", "+department_id")
            .replace("stage", "+stage"),
        skipped
    );
    assert_eq!(binds.len(), 3);
}

#[test]
fn sort_names_round_trip() {
    for sort in ProjectSort::ALL {
        assert_eq!(ProjectSort::parse(sort.as_str()), Some(sort));
    }
    assert_eq!(ProjectSort::parse("name; DROP TABLE projects"), None);
}
