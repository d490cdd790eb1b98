//! The thresholds of the status rules, kept in the settings table (`status.red_overdue_days`,
//! `status.warning_days`, `status.lag_percent`); a missing or unreadable value is the
//! default of [`Thresholds`]. Changed by the holders of `ManageSettings` (the system
//! administrator) from the settings page or the API; a change is audited and every light is
//! recomputed with the new values at once (else at the nightly run, which the answer says).

use super::status_recompute::Recomputed;
use crate::audit::Object;
use crate::{Ctx, ServiceResult, Services};
use districtops_domain::access::Permission;
use districtops_domain::audit::FieldChange;
use districtops_domain::cells::normalize_text;
use districtops_domain::projects::Thresholds;
use districtops_domain::validation::{FieldError, FieldErrors};

// Edits read the settings under `status.` with the rest of a light's facts
// (`Store::status_facts_in`).
const RED_OVERDUE_DAYS: &str = "status.red_overdue_days";
const WARNING_DAYS: &str = "status.warning_days";
const LAG_PERCENT: &str = "status.lag_percent";

/// The longest day count taken (ten years), as [`Thresholds::check`] has it.
pub const MAX_DAYS: i64 = 3650;

/// The thresholds as typed into the settings form or sent to the API, not yet checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ThresholdsInput {
    pub red_overdue_days: String,
    pub warning_days: String,
    pub lag_percent: String,
}

impl ThresholdsInput {
    /// The input that shows `thresholds` as they are.
    pub fn of(thresholds: &Thresholds) -> Self {
        Self {
            red_overdue_days: thresholds.red_overdue_days.to_string(),
            warning_days: thresholds.warning_days.to_string(),
            lag_percent: thresholds.lag_percent.to_string(),
        }
    }

    /// The thresholds, or a message per field: empty is `validation.required`; anything but
    /// a whole number in range (letters, decimals, signs, 10 digits) is
    /// `settings.status.days_invalid` or `settings.status.percent_invalid`. Full-width digits
    /// and spaces typed with a Chinese input method are taken, and so is a trailing 天 or %.
    pub fn parse(&self) -> Result<Thresholds, FieldErrors> {
        let mut errors = FieldErrors::default();
        let red = whole(&self.red_overdue_days, "red_overdue_days", "天", MAX_DAYS);
        let warning = whole(&self.warning_days, "warning_days", "天", MAX_DAYS);
        let lag = whole(&self.lag_percent, "lag_percent", "%", 100);
        let red = errors.check(red);
        let warning = errors.check(warning);
        let lag = errors.check(lag);
        match (red, warning, lag) {
            (Some(red), Some(warning), Some(lag)) if errors.is_empty() => {
                let thresholds = Thresholds {
                    red_overdue_days: red,
                    warning_days: warning,
                    lag_percent: u32::try_from(lag).unwrap_or(u32::MAX),
                };
                thresholds.check()?;
                Ok(thresholds)
            }
            _ => Err(errors),
        }
    }
}

/// A whole number 0..=`max` typed into `field`, with an optional `unit` after it.
fn whole(raw: &str, field: &'static str, unit: &str, max: i64) -> Result<i64, FieldError> {
    let text = normalize_text(raw);
    let text = text.strip_suffix(unit).unwrap_or(&text).trim_end();
    if text.is_empty() {
        return Err(FieldError::new(field, "validation.required"));
    }
    let invalid = if max == 100 {
        "settings.status.percent_invalid"
    } else {
        "settings.status.days_invalid"
    };
    // Digits only (no sign, point or exponent), and few enough that the parse cannot overflow.
    if text.len() > 6 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(FieldError::new(field, invalid));
    }
    match text.parse::<i64>() {
        Ok(value) if value <= max => Ok(value),
        _ => Err(FieldError::new(field, invalid)),
    }
}

/// What saving the thresholds did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThresholdsSaved {
    /// The values were those in force: nothing written, nothing recomputed.
    Unchanged,
    /// Saved, audited, and every light recomputed with the new values.
    Recomputed(Recomputed),
    /// Saved and audited; the recomputation failed (and was logged), so the lights follow at
    /// the nightly run (00:05 China time) or the next change of each project.
    Deferred,
}

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

    /// The thresholds in force, for a caller who administers settings or reads the ledger
    /// (whose lights they explain).
    pub async fn status_thresholds_for(&self, ctx: &Ctx) -> ServiceResult<Thresholds> {
        if ctx.require(Permission::ManageSettings).is_err() {
            ctx.require(Permission::ReadBusiness)?;
        }
        self.status_thresholds().await
    }

    /// The thresholds in force, for the settings form (administrators of settings only).
    pub async fn status_thresholds_to_edit(&self, ctx: &Ctx) -> ServiceResult<Thresholds> {
        ctx.require(Permission::ManageSettings)?;
        self.status_thresholds().await
    }

    /// Checks the thresholds as typed (a message per field, nothing written on any error)
    /// and saves them as [`Services::set_status_thresholds`] does.
    pub async fn save_status_thresholds(
        &self,
        ctx: &Ctx,
        input: &ThresholdsInput,
    ) -> ServiceResult<ThresholdsSaved> {
        ctx.require(Permission::ManageSettings)?;
        let thresholds = input.parse()?;
        self.set_status_thresholds(ctx, thresholds).await
    }

    /// Changes the thresholds (administrators of settings only), audited before → after in
    /// the same transaction, then recomputes every light with them (audited as the system
    /// job). Values equal to those in force change nothing.
    pub async fn set_status_thresholds(
        &self,
        ctx: &Ctx,
        thresholds: Thresholds,
    ) -> ServiceResult<ThresholdsSaved> {
        ctx.require(Permission::ManageSettings)?;
        thresholds.check()?;
        let before = self.status_thresholds().await?;
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
        let changed: Vec<_> = pairs
            .into_iter()
            .filter(|(_, old, new)| old != new)
            .collect();
        if changed.is_empty() {
            return Ok(ThresholdsSaved::Unchanged);
        }
        let mut tx = self.store.begin().await?;
        let mut changes = Vec::new();
        for (key, old, new) in changed {
            self.store
                .put_setting(&mut tx, key, &new.to_string())
                .await?;
            changes.push(FieldChange::new(key, Some(old), Some(new)));
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
        // The change is committed whatever happens next; a failed recomputation is caught
        // up by the nightly run, and the caller is told so.
        match self.recompute_statuses(&Ctx::system()).await {
            Ok(done) => Ok(ThresholdsSaved::Recomputed(done)),
            Err(error) => {
                tracing::error!(%error, "recomputing the status lights after new thresholds");
                Ok(ThresholdsSaved::Deferred)
            }
        }
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
    fn the_keys_are_those_the_status_facts_read() {
        for key in [RED_OVERDUE_DAYS, WARNING_DAYS, LAG_PERCENT] {
            assert!(key.starts_with("status."), "{key}");
        }
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

    fn input(red: &str, warning: &str, lag: &str) -> ThresholdsInput {
        ThresholdsInput {
            red_overdue_days: red.into(),
            warning_days: warning.into(),
            lag_percent: lag.into(),
        }
    }

    fn refused(input: &ThresholdsInput) -> Vec<(&'static str, &'static str)> {
        let errors = input.parse().expect_err("refused");
        errors.0.iter().map(|e| (e.field, e.message)).collect()
    }

    #[test]
    fn typed_thresholds_parse_as_people_type_them() {
        let parsed = input(" 45 ", "０７", "12%").parse().unwrap();
        assert_eq!(
            parsed,
            Thresholds {
                red_overdue_days: 45,
                warning_days: 7,
                lag_percent: 12,
            }
        );
        let edges = input("3650天", "0", "１００％").parse().unwrap();
        assert_eq!(
            (
                edges.red_overdue_days,
                edges.warning_days,
                edges.lag_percent
            ),
            (3650, 0, 100)
        );
        let shown = ThresholdsInput::of(&Thresholds::default());
        assert_eq!(shown.parse().unwrap(), Thresholds::default());
    }

    #[test]
    fn non_numbers_negatives_and_absurd_values_are_refused_field_by_field() {
        const DAYS: &str = "settings.status.days_invalid";
        const PERCENT: &str = "settings.status.percent_invalid";
        assert_eq!(
            refused(&input("三十", "-1", "10.5")),
            [
                ("red_overdue_days", DAYS),
                ("warning_days", DAYS),
                ("lag_percent", PERCENT)
            ]
        );
        assert_eq!(
            refused(&input("99999999999999999999999", "1e3", "101")),
            [
                ("red_overdue_days", DAYS),
                ("warning_days", DAYS),
                ("lag_percent", PERCENT)
            ]
        );
        assert_eq!(
            refused(&input("3651", "+5", "-0")),
            [
                ("red_overdue_days", DAYS),
                ("warning_days", DAYS),
                ("lag_percent", PERCENT)
            ]
        );
        assert_eq!(
            refused(&input("", "  ", "30")),
            [
                ("red_overdue_days", "validation.required"),
                ("warning_days", "validation.required")
            ]
        );
        // One bad field refuses the whole form.
        assert_eq!(
            refused(&input("30", "15", "\u{0}")),
            [("lag_percent", PERCENT)]
        );
    }

    proptest::proptest! {
        /// Whatever is typed, parsing never panics, and what it takes is in range.
        #[test]
        fn any_typed_text_parses_in_range_or_is_refused(
            red in ".{0,12}", warning in "[0-9０-９天%-]{0,8}", lag in ".{0,6}",
        ) {
            if let Ok(t) = input(&red, &warning, &lag).parse() {
                proptest::prop_assert!(t.check().is_ok());
            }
        }
    }
}
