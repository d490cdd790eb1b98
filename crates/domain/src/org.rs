//! The org tree: the district at the root, then bureaus, committees and street offices, then
//! their sections.

use crate::ids::DepartmentId;
use crate::validation::{FieldError, clean_text};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

/// What kind of unit a department is; it fixes where in the tree it may stand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DepartmentKind {
    /// The district itself (区): the root of the tree, exactly one.
    District,
    /// A bureau, committee or office of the district (局/委/办).
    Bureau,
    /// A street office (街道办事处).
    Street,
    /// A section inside a bureau or street office (科室).
    Section,
}

impl DepartmentKind {
    pub const ALL: [DepartmentKind; 4] =
        [Self::District, Self::Bureau, Self::Street, Self::Section];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::District => "district",
            Self::Bureau => "bureau",
            Self::Street => "street",
            Self::Section => "section",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == raw)
            .ok_or(FieldError::new("kind", "department.kind.invalid"))
    }

    /// Whether a department of this kind may be placed under a parent of kind `parent`.
    pub fn may_sit_under(self, parent: DepartmentKind) -> bool {
        match self {
            Self::District => false,
            Self::Bureau | Self::Street => parent == Self::District,
            Self::Section => matches!(parent, Self::Bureau | Self::Street | Self::Section),
        }
    }
}

/// A department's name: 1 to 60 characters, trimmed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DepartmentName(String);

impl DepartmentName {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        clean_text(raw, "name", 60).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// One node of the tree as the rules need it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DepartmentNode {
    pub id: DepartmentId,
    pub parent: Option<DepartmentId>,
}

/// The org tree, built from its nodes, answering "which departments are under this one".
#[derive(Clone, Debug, Default)]
pub struct OrgTree {
    children: HashMap<DepartmentId, Vec<DepartmentId>>,
}

impl OrgTree {
    pub fn new(nodes: impl IntoIterator<Item = DepartmentNode>) -> Self {
        let mut children: HashMap<DepartmentId, Vec<DepartmentId>> = HashMap::new();
        for node in nodes {
            if let Some(parent) = node.parent {
                children.entry(parent).or_default().push(node.id);
            }
        }
        Self { children }
    }

    /// `root` and every department below it. Safe on a malformed tree with a cycle.
    pub fn subtree(&self, root: DepartmentId) -> BTreeSet<DepartmentId> {
        let mut seen = BTreeSet::from([root]);
        let mut stack = vec![root];
        while let Some(id) = stack.pop() {
            for &child in self.children.get(&id).into_iter().flatten() {
                if seen.insert(child) {
                    stack.push(child);
                }
            }
        }
        seen
    }

    /// Whether moving `id` under `new_parent` would put it below itself.
    pub fn would_cycle(&self, id: DepartmentId, new_parent: DepartmentId) -> bool {
        self.subtree(id).contains(&new_parent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn node(id: i64, parent: Option<i64>) -> DepartmentNode {
        DepartmentNode {
            id: DepartmentId(id),
            parent: parent.map(DepartmentId),
        }
    }

    #[test]
    fn subtree_holds_the_root_and_everything_below() {
        let tree = OrgTree::new([
            node(1, None),
            node(2, Some(1)),
            node(3, Some(2)),
            node(4, Some(1)),
        ]);
        let ids: Vec<i64> = tree
            .subtree(DepartmentId(2))
            .into_iter()
            .map(|d| d.0)
            .collect();
        assert_eq!(ids, [2, 3]);
        assert_eq!(tree.subtree(DepartmentId(1)).len(), 4);
        assert!(tree.would_cycle(DepartmentId(2), DepartmentId(3)));
        assert!(!tree.would_cycle(DepartmentId(4), DepartmentId(2)));
    }

    #[test]
    fn subtree_survives_a_cycle() {
        let tree = OrgTree::new([node(1, Some(2)), node(2, Some(1))]);
        assert_eq!(tree.subtree(DepartmentId(1)).len(), 2);
    }

    #[test]
    fn kinds_nest_as_an_org_chart_does() {
        use DepartmentKind::*;
        assert!(Bureau.may_sit_under(District));
        assert!(Street.may_sit_under(District));
        assert!(Section.may_sit_under(Street));
        assert!(!Bureau.may_sit_under(Bureau));
        assert!(!District.may_sit_under(District));
        for kind in DepartmentKind::ALL {
            assert_eq!(DepartmentKind::parse(kind.as_str()), Ok(kind));
        }
        assert!(DepartmentKind::parse("committee").is_err());
    }

    proptest! {
        #[test]
        fn department_names_are_bounded(raw in any::<String>()) {
            if let Ok(name) = DepartmentName::parse(&raw) {
                prop_assert!(name.as_str().chars().count() <= 60);
                prop_assert_eq!(name.as_str().trim(), name.as_str());
            }
        }
    }
}
