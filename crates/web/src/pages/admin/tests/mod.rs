//! The admin pages: end to end in [`crate::testkit`]'s world (`departments`, `users`), and
//! the names and tree order they show.

mod departments;
mod status_settings;
mod users;

use super::{kind_key, permission_key, role_key, scope_key, tree_order};
use crate::i18n::{self, Lang};
use districtops_domain::access::{DataScope, Permission, Role};
use districtops_domain::org::DepartmentKind;
use districtops_store::DepartmentRow;

#[test]
fn every_role_permission_scope_and_kind_has_a_name_in_both_languages() {
    let mut keys: Vec<&str> = Role::ALL.into_iter().map(role_key).collect();
    keys.extend(Permission::ALL.into_iter().map(permission_key));
    let scopes = [
        DataScope::None,
        DataScope::Own,
        DataScope::Department,
        DataScope::DepartmentTree,
        DataScope::District,
    ];
    keys.extend(scopes.into_iter().map(scope_key));
    keys.extend(
        DepartmentKind::ALL
            .into_iter()
            .map(|k| kind_key(k.as_str())),
    );
    for lang in Lang::ALL {
        let known = i18n::keys(lang);
        for key in &keys {
            assert!(known.contains(key), "{key} missing in {}", lang.code());
        }
    }
}

#[test]
fn the_tree_lists_parents_before_children_and_survives_a_cycle() {
    let row = |id, parent_id, kind: &str| DepartmentRow {
        id,
        parent_id,
        name: format!("d{id}"),
        kind: kind.to_owned(),
        created_at: chrono::DateTime::UNIX_EPOCH,
        version: 1,
    };
    let rows = vec![
        row(5, Some(3), "section"),
        row(2, Some(1), "street"),
        row(3, Some(1), "bureau"),
        row(1, None, "district"),
        row(8, Some(9), "section"),
        row(9, Some(8), "section"),
    ];
    let order: Vec<(usize, i64)> = tree_order(&rows)
        .into_iter()
        .map(|(depth, d)| (depth, d.id))
        .collect();
    assert_eq!(order, [(0, 1), (1, 3), (2, 5), (1, 2), (0, 8), (1, 9)]);
}
