//! Time-based one-time passwords (RFC 6238) and recovery codes.

use crate::audit::Object;
use crate::secrets::{random_hex, token_hash};
use crate::{Ctx, ServiceError, ServiceResult, Services};
use districtops_domain::audit::FieldChange;
use districtops_domain::validation::FieldError;
use districtops_store::{Tx, UserRow};
use rand::RngCore;
use rand::rngs::OsRng;
use totp_rs::{Algorithm, Secret, TOTP};

/// Seconds per code.
const STEP: u64 = 30;
/// Codes one step early or late are accepted, for clocks that drift.
const SKEW: i64 = 1;
/// Recovery codes issued at enrolment.
const RECOVERY_CODES: usize = 10;

/// What a user needs to set up their authenticator app.
#[derive(Clone, Debug)]
pub struct Enrolment {
    /// The secret in base32, to type in by hand.
    pub secret: String,
    /// The `otpauth://` URL, for a QR code.
    pub url: String,
}

fn totp(secret_base32: &str, issuer: &str, account: &str) -> ServiceResult<TOTP> {
    let bytes = Secret::Encoded(secret_base32.to_owned())
        .to_bytes()
        .map_err(|e| ServiceError::Internal(format!("stored TOTP secret: {e:?}")))?;
    TOTP::new(
        Algorithm::SHA1,
        6,
        0,
        STEP,
        bytes,
        Some(issuer.replace(':', "")),
        account.to_owned(),
    )
    .map_err(|e| ServiceError::Internal(format!("TOTP: {e}")))
}

/// The time step in which `code` is valid for `secret` at `unix_time`, allowing for skew.
pub fn matching_step(generator: &TOTP, code: &str, unix_time: u64) -> Option<i64> {
    let code = code.trim();
    if code.len() != generator.digits || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now_step = (unix_time / STEP) as i64;
    (now_step - SKEW..=now_step + SKEW)
        .filter(|step| *step >= 0)
        .find(|step| generator.generate(*step as u64 * STEP) == code)
}

impl Services {
    /// Starts enrolment: a new secret, not yet active until a code from it is confirmed.
    pub async fn begin_totp_enrolment(&self, ctx: &Ctx) -> ServiceResult<Enrolment> {
        let actor = ctx.actor()?;
        let mut raw = [0u8; 20];
        OsRng.fill_bytes(&mut raw);
        let secret = Secret::Raw(raw.to_vec()).to_encoded().to_string();
        let generator = totp(&secret, &self.settings.totp_issuer, &actor.username)?;
        let mut tx = self.store.begin().await?;
        let user = self
            .store
            .user_in(&mut tx, actor.id.0)
            .await?
            .ok_or(ServiceError::NotFound)?;
        if user.totp_enabled {
            return Err(ServiceError::Conflict("totp.already_enabled"));
        }
        self.store
            .set_totp(&mut tx, actor.id.0, Some(&secret), false)
            .await?;
        tx.commit().await?;
        Ok(Enrolment {
            url: generator.get_url(),
            secret,
        })
    }

    /// Finishes enrolment with a code from the app; returns the recovery codes, shown once.
    pub async fn confirm_totp_enrolment(
        &self,
        ctx: &Ctx,
        code: &str,
    ) -> ServiceResult<Vec<String>> {
        let actor = ctx.actor()?;
        let mut tx = self.store.begin().await?;
        let user = self
            .store
            .user_in(&mut tx, actor.id.0)
            .await?
            .ok_or(ServiceError::NotFound)?;
        let Some(secret) = user.totp_secret.as_deref().filter(|_| !user.totp_enabled) else {
            return Err(ServiceError::Conflict("totp.not_pending"));
        };
        let generator = totp(secret, &self.settings.totp_issuer, &user.username)?;
        let step = matching_step(&generator, code, self.now().timestamp().max(0) as u64)
            .ok_or(FieldError::new("code", "totp.code_wrong"))?;
        self.store
            .set_totp(&mut tx, user.id, Some(secret), true)
            .await?;
        self.store.advance_totp_step(&mut tx, user.id, step).await?;
        let codes: Vec<String> = (0..RECOVERY_CODES)
            .map(|_| {
                let hex = random_hex(5);
                format!("{}-{}", &hex[..5], &hex[5..])
            })
            .collect();
        let hashes: Vec<String> = codes.iter().map(|c| token_hash(c)).collect();
        self.store
            .replace_recovery_codes(&mut tx, user.id, &hashes)
            .await?;
        let changes = vec![FieldChange::new("totp_enabled", Some(false), Some(true))];
        self.record(
            &mut tx,
            ctx,
            "user.totp.enable",
            Object::user(user.id),
            changes,
        )
        .await?;
        tx.commit().await?;
        Ok(codes)
    }

    /// Accepts a TOTP code (each time step once only) or an unused recovery code.
    pub(crate) async fn accept_second_factor(
        &self,
        tx: &mut Tx,
        user: &UserRow,
        code: &str,
    ) -> ServiceResult<bool> {
        let Some(secret) = user.totp_secret.as_deref().filter(|_| user.totp_enabled) else {
            return Ok(false);
        };
        let code = code.trim();
        if code.contains('-') {
            let hash = token_hash(&code.to_ascii_lowercase());
            return Ok(self
                .store
                .use_recovery_code(tx, user.id, &hash, self.now())
                .await?);
        }
        let generator = totp(secret, &self.settings.totp_issuer, &user.username)?;
        match matching_step(&generator, code, self.now().timestamp().max(0) as u64) {
            Some(step) => Ok(self.store.advance_totp_step(tx, user.id, step).await?),
            None => Ok(false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B: the SHA-1 seed "12345678901234567890", 8 digits.
    fn rfc_generator() -> TOTP {
        TOTP::new(
            Algorithm::SHA1,
            8,
            0,
            30,
            b"12345678901234567890".to_vec(),
            None,
            "t".into(),
        )
        .unwrap()
    }

    #[test]
    fn rfc6238_known_answers() {
        let generator = rfc_generator();
        for (time, code) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(generator.generate(time), code, "T = {time}");
            assert_eq!(
                matching_step(&generator, code, time),
                Some((time / 30) as i64)
            );
        }
    }

    #[test]
    fn codes_one_step_off_are_accepted_and_two_are_not() {
        let generator = rfc_generator();
        let code = generator.generate(1_000_000_000);
        assert!(matching_step(&generator, &code, 1_000_000_000 + 30).is_some());
        assert!(matching_step(&generator, &code, 1_000_000_000 + 90).is_none());
        assert!(matching_step(&generator, "abc", 1_000_000_000).is_none());
        assert!(matching_step(&generator, "", 1_000_000_000).is_none());
    }
}
