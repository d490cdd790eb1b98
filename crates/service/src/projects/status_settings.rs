//! The thresholds of the status rules, kept in the settings table (`status.red_overdue_days`,
//! `status.warning_days`, `status.lag_percent`); a missing or unreadable value is the
//! default of [`Thresholds`].

use crate::audit::Object;
use crate::{Ctx, ServiceResult, Services};
use districtops_domain::access::Permission;
use districtops_domain::audit::FieldChange;
use districtops_domain::projects::Thresholds;

const RED_OVERDUE_DAYS: &str = "status.red_overdue_days";
const WARNING_DAYS: &str = "status.warning_days";
const LAG_PERCENT: &str = "status.lag_percent";

/// The thresholds the settings give, the defaults filling in what they lack.
pub fn thresholds_of(settings: &[(String, String)]) -> Thresholds {
    let value = |key: &str| {
        settings
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| v.trim().parse::<i64>().ok())
    };
    let defaults = Thresholds::default();
    let read = Thresholds {
        red_overdue_days: value(RED_OVERDUE_DAYS).unwrap_or(defaults.red_overdue_days),
        warning_days: value(WARNING_DAYS).unwrap_or(defaults.warning_days),
        lag_percent: value(LAG_PERCENT)
            .and_then(|v| u32::try_from(v).ok())
            .unwrap_or(defaults.lag_percent),
    };
    // A value out of range (written around the services) counts as unset.
    if read.check().is_ok() { read } else { defaults }
}

impl Services {
    /// The thresholds of the status rules now in force.
    pub async fn status_thresholds(&self) -> ServiceResult<Thresholds> {
        Ok(thresholds_of(&self.store.settings().await?))
    }

    /// Changes the thresholds (administrators of settings only); the colours follow at the
    /// next recomputation.
    pub async fn set_status_thresholds(
        &self,
        ctx: &Ctx,
        thresholds: Thresholds,
    ) -> ServiceResult<()> {
        ctx.require(Permission::ManageSettings)?;
        thresholds.check()?;
        let before = self.status_thresholds().await?;
        let mut tx = self.store.begin().await?;
        let pairs = [
            (
                RED_OVERDUE_DAYS,
                before.red_overdue_days,
                thresholds.red_overdue_days,
            ),
            (WARNING_DAYS, before.warning_days, thresholds.warning_days),
            (
                LAG_PERCENT,
                i64::from(before.lag_percent),
                i64::from(thresholds.lag_percent),
            ),
        ];
        let mut changes = Vec::new();
        for (key, old, new) in pairs {
            self.store
                .put_setting(&mut tx, key, &new.to_string())
                .await?;
            if old != new {
                changes.push(FieldChange::new(key, Some(old), Some(new)));
            }
        }
        self.record(
            &mut tx,
            ctx,
            "settings.status_thresholds",
            Object::none(),
            changes,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn missing_settings_are_the_defaults() {
        assert_eq!(thresholds_of(&[]), Thresholds::default());
        let read = thresholds_of(&pairs(&[(RED_OVERDUE_DAYS, "7"), ("other", "x")]));
        assert_eq!(read.red_overdue_days, 7);
        assert_eq!(read.warning_days, Thresholds::default().warning_days);
    }

    #[test]
    fn unreadable_or_out_of_range_settings_are_the_defaults() {
        assert_eq!(
            thresholds_of(&pairs(&[(LAG_PERCENT, "ten")])),
            Thresholds::default()
        );
        assert_eq!(
            thresholds_of(&pairs(&[(LAG_PERCENT, "101")])),
            Thresholds::default()
        );
        assert_eq!(
            thresholds_of(&pairs(&[(WARNING_DAYS, "-1")])),
            Thresholds::default()
        );
    }
}
