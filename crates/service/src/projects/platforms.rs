//! Functional platforms (功能平台): read by everyone who reads business data, created by
//! those who write business data district-wide (leaders and the leading-group office).

use crate::audit::Object;
use crate::{Ctx, ServiceError, ServiceResult, Services};
use districtops_domain::access::{Permission, Visibility};
use districtops_domain::audit::FieldChange;
use districtops_domain::validation::{FieldError, FieldErrors, clean_text};

/// A new platform as typed.
#[derive(Clone, Debug, Default)]
pub struct NewPlatformInput {
    pub name: String,
    pub positioning: Option<String>,
    /// Planned area in hundredths of a km² (45 km² is 4500).
    pub planned_area_km2_x100: Option<i64>,
}

impl Services {
    pub async fn create_platform(&self, ctx: &Ctx, input: &NewPlatformInput) -> ServiceResult<i64> {
        ctx.require(Permission::WriteBusiness)?;
        // The command-line operator's scope is the whole district (`districtops demo` loads
        // the demo platforms as `system`).
        if !ctx.is_system() && ctx.actor()?.access.visibility != Visibility::District {
            return Err(ServiceError::Forbidden);
        }
        let mut errors = FieldErrors::default();
        let name = errors.check(clean_text(&input.name, "name", 60));
        let positioning = match input.positioning.as_deref().map(str::trim) {
            Some(text) if !text.is_empty() => errors.check(clean_text(text, "positioning", 500)),
            _ => None,
        };
        if input.planned_area_km2_x100.is_some_and(|a| a < 0) {
            errors.push(FieldError::new(
                "planned_area_km2_x100",
                "project.area_negative",
            ));
        }
        errors.into_result()?;
        let name = name.unwrap_or_default();
        let mut tx = self.store.begin().await?;
        let id = self
            .store
            .insert_platform(
                &mut tx,
                &name,
                positioning.as_deref(),
                input.planned_area_km2_x100,
                self.now(),
            )
            .await
            .map_err(ServiceError::taken(FieldError::new(
                "name",
                "project.platform.name_taken",
            )))?;
        let changes = vec![
            FieldChange::new("name", None::<&str>, Some(&name)),
            FieldChange::new("positioning", None::<&str>, positioning.as_deref()),
            FieldChange::new(
                "planned_area_km2_x100",
                None::<&str>,
                input.planned_area_km2_x100,
            ),
        ];
        self.record(
            &mut tx,
            ctx,
            "platform.create",
            Object::new("platform", id),
            changes,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }
}
