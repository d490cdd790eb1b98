//! The org tree: read by everyone signed in, changed by the system administrator.

use crate::audit::Object;
use crate::{Ctx, ServiceError, ServiceResult, Services};
use districtops_domain::DepartmentId;
use districtops_domain::access::Permission;
use districtops_domain::audit::FieldChange;
use districtops_domain::org::{DepartmentKind, DepartmentName};
use districtops_domain::validation::{FieldError, FieldErrors};
use districtops_store::{DepartmentRow, NewDepartment};

/// The answer to a name another department already has.
const NAME_TAKEN: FieldError = FieldError::new("name", "department.name_taken");

/// A new department as typed into the form.
#[derive(Clone, Debug, Default)]
pub struct NewDepartmentInput {
    pub parent_id: Option<i64>,
    pub name: String,
    pub kind: String,
}

impl Services {
    /// Every department (names and tree are not secret to anyone signed in).
    pub async fn departments(&self, ctx: &Ctx) -> ServiceResult<Vec<DepartmentRow>> {
        if !ctx.is_system() {
            ctx.actor()?;
        }
        Ok(self.store.departments().await?)
    }

    /// Adds a department under `parent_id` (the district itself has no parent, and there is
    /// exactly one).
    pub async fn create_department(
        &self,
        ctx: &Ctx,
        input: NewDepartmentInput,
    ) -> ServiceResult<i64> {
        ctx.require(Permission::ManageDepartments)?;
        let mut errors = FieldErrors::default();
        let name = errors.check(DepartmentName::parse(&input.name));
        let kind = errors.check(DepartmentKind::parse(&input.kind));
        let mut tx = self.store.begin().await?;
        match (kind, input.parent_id) {
            (Some(DepartmentKind::District), None) => {
                if !self.store.departments().await?.is_empty() {
                    errors.push(FieldError::new("kind", "department.district_exists"));
                }
            }
            (Some(kind), Some(parent_id)) => {
                match self.store.department_in(&mut tx, parent_id).await? {
                    None => errors.push(FieldError::new("parent_id", "department.not_found")),
                    Some(parent) => {
                        let parent_kind = DepartmentKind::parse(&parent.kind)?;
                        if !kind.may_sit_under(parent_kind) {
                            errors.push(FieldError::new("parent_id", "department.parent_kind"));
                        }
                    }
                }
            }
            (Some(_), None) => errors.push(FieldError::new("parent_id", "validation.required")),
            (None, _) => {}
        }
        errors.into_result()?;
        let (name, kind) = (name.expect("checked"), kind.expect("checked"));
        let new = NewDepartment {
            parent_id: input.parent_id,
            name: name.as_str(),
            kind: kind.as_str(),
            created_at: self.now(),
        };
        let id = self
            .store
            .insert_department(&mut tx, &new)
            .await
            .map_err(ServiceError::taken(NAME_TAKEN))?;
        let changes = vec![
            FieldChange::new("name", None::<&str>, Some(name.as_str())),
            FieldChange::new("kind", None::<&str>, Some(kind.as_str())),
            FieldChange::new("parent_id", None::<&str>, input.parent_id),
        ];
        self.record(
            &mut tx,
            ctx,
            "department.create",
            Object::new("department", id),
            changes,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Renames or moves a department, if nobody changed it since `version`.
    pub async fn update_department(
        &self,
        ctx: &Ctx,
        id: i64,
        version: i64,
        name: &str,
        parent_id: Option<i64>,
    ) -> ServiceResult<()> {
        ctx.require(Permission::ManageDepartments)?;
        let name = DepartmentName::parse(name)?;
        let mut tx = self.store.begin().await?;
        let current = self
            .store
            .department_in(&mut tx, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        let kind = DepartmentKind::parse(&current.kind)?;
        if parent_id != current.parent_id {
            let Some(new_parent) = parent_id else {
                return Err(FieldError::new("parent_id", "validation.required").into());
            };
            let parent = self.store.department_in(&mut tx, new_parent).await?;
            let parent_kind = match parent {
                Some(parent) => DepartmentKind::parse(&parent.kind)?,
                None => return Err(FieldError::new("parent_id", "department.not_found").into()),
            };
            let tree = self.org_tree().await?;
            if !kind.may_sit_under(parent_kind)
                || tree.would_cycle(DepartmentId(id), DepartmentId(new_parent))
            {
                return Err(FieldError::new("parent_id", "department.parent_kind").into());
            }
        }
        let updated = self
            .store
            .update_department(&mut tx, id, version, name.as_str(), parent_id)
            .await
            .map_err(ServiceError::taken(NAME_TAKEN))?;
        if !updated {
            return Err(ServiceError::Conflict("conflict.changed_by_someone"));
        }
        let mut changes = Vec::new();
        if current.name != name.as_str() {
            changes.push(FieldChange::new(
                "name",
                Some(&current.name),
                Some(name.as_str()),
            ));
        }
        if current.parent_id != parent_id {
            changes.push(FieldChange::new("parent_id", current.parent_id, parent_id));
        }
        self.record(
            &mut tx,
            ctx,
            "department.update",
            Object::new("department", id),
            changes,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
