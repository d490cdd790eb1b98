//! Random tokens, password hashes and token hashes.

use crate::{ServiceError, ServiceResult};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::RngCore;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};

/// `n` random bytes from the operating system, hex-encoded.
pub fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// SHA-256 of a high-entropy secret (session IDs, API tokens, recovery codes), hex-encoded.
/// A fast hash is right here: these secrets cannot be guessed, only stolen, and a stolen
/// table of hashes opens nothing.
pub fn token_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

fn argon2() -> Argon2<'static> {
    // Argon2id with OWASP's recommended parameters (19 MiB, 2 passes, 1 lane).
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default())
}

/// Hashes a password with Argon2id, off the async threads.
pub async fn hash_password(password: String) -> ServiceResult<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|e| ServiceError::Internal(format!("hashing a password: {e}")))
    })
    .await
    .map_err(|e| ServiceError::Internal(format!("hashing task: {e}")))?
}

/// Checks a password against a stored hash, off the async threads. A malformed stored hash
/// counts as a mismatch.
pub async fn verify_password(password: String, stored: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&stored)
            .is_ok_and(|hash| argon2().verify_password(password.as_bytes(), &hash).is_ok())
    })
    .await
    .unwrap_or(false)
}

/// A hash of a password nobody knows, verified against when the user name does not exist, so
/// an unknown user takes as long to refuse as a wrong password.
pub async fn decoy_hash() -> ServiceResult<String> {
    static DECOY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DECOY
        .get_or_try_init(|| hash_password(random_hex(16)))
        .await
        .cloned()
}

/// A readable one-time password for a new or reset account: 12 characters from four classes.
pub fn temporary_password() -> String {
    const LOWER: &[u8] = b"abcdefghijkmnpqrstuvwxyz";
    const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    const DIGIT: &[u8] = b"23456789";
    const OTHER: &[u8] = b"#%+=@";
    let mut rng = OsRng;
    let mut pick = |set: &[u8]| set[(rng.next_u32() as usize) % set.len()] as char;
    let mut out = String::with_capacity(12);
    for set in [
        UPPER, LOWER, LOWER, LOWER, DIGIT, OTHER, UPPER, LOWER, LOWER, DIGIT, DIGIT, LOWER,
    ] {
        out.push(pick(set));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use districtops_domain::password::PasswordPolicy;

    #[tokio::test]
    async fn passwords_hash_and_verify() {
        let hash = hash_password("Huaiyin#2026".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("Huaiyin#2026".into(), hash.clone()).await);
        assert!(!verify_password("huaiyin#2026".into(), hash).await);
        assert!(!verify_password("x".into(), "not a hash".into()).await);
        assert!(!verify_password("x".into(), decoy_hash().await.unwrap()).await);
    }

    #[test]
    fn temporary_passwords_meet_the_policy() {
        for _ in 0..100 {
            assert!(
                PasswordPolicy::default()
                    .check(&temporary_password(), "someone")
                    .is_ok()
            );
        }
    }
}
