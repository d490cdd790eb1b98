//! Password hashing with Argon2id (OWASP parameters: 19 MiB, 2 passes, 1 lane), off the
//! async threads and in bounded memory.
//!
//! Each hash needs 19 MiB of working memory. Allocated afresh per hash, those blocks stay
//! cached in the allocator's per-thread arenas after they are freed, and a handful of logins
//! served by different blocking threads would keep well over 100 MiB resident. So hashes run
//! in a fixed pool of [`SLOTS`] working buffers that live as long as the process: at most
//! `SLOTS` hashes at a time, and at most `SLOTS × 19 MiB` ever held for them.

use crate::{ServiceError, ServiceResult};
use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand::rngs::OsRng;
use std::sync::{LazyLock, Mutex};
use tokio::sync::Semaphore;

/// Hashes that may run at once (one per core of the reference two-core machine).
pub const SLOTS: usize = 2;

struct Pool {
    buffers: Mutex<Vec<Vec<Block>>>,
    permits: Semaphore,
}

static POOL: LazyLock<Pool> = LazyLock::new(|| Pool {
    buffers: Mutex::new(Vec::new()),
    permits: Semaphore::new(SLOTS),
});

/// Runs `work` on a blocking thread with a working buffer from the pool.
async fn with_memory<T: Send + 'static>(
    work: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static,
) -> ServiceResult<T> {
    let _permit = POOL
        .permits
        .acquire()
        .await
        .map_err(|e| ServiceError::Internal(format!("hashing pool: {e}")))?;
    tokio::task::spawn_blocking(move || {
        let take = || POOL.buffers.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let mut buffer = take().unwrap_or_default();
        let result = work(&mut buffer);
        POOL.buffers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(buffer);
        result
    })
    .await
    .map_err(|e| ServiceError::Internal(format!("hashing task: {e}")))
}

/// Grows the buffer to the blocks `params` need (only the first hash, or stored hashes with
/// larger parameters, allocate).
fn blocks_for<'a>(buffer: &'a mut Vec<Block>, params: &Params) -> &'a mut [Block] {
    if buffer.len() < params.block_count() {
        buffer.resize(params.block_count(), Block::default());
    }
    &mut buffer[..params.block_count()]
}

fn internal(context: &str, e: impl std::fmt::Display) -> ServiceError {
    ServiceError::Internal(format!("{context}: {e}"))
}

/// Hashes a password as a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`).
pub async fn hash_password(password: String) -> ServiceResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    with_memory(move |buffer| {
        let params = Params::default();
        let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
        let mut salt_bytes = [0u8; 64];
        let salt_bytes = salt
            .as_salt()
            .decode_b64(&mut salt_bytes)
            .map_err(|e| internal("salt", e))?;
        let memory = blocks_for(buffer, &params);
        let output = Output::init_with(Params::DEFAULT_OUTPUT_LEN, |out| {
            argon2
                .hash_password_into_with_memory(password.as_bytes(), salt_bytes, out, &mut *memory)
                .map_err(|_| argon2::password_hash::Error::Crypto)
        })
        .map_err(|e| internal("hashing a password", e))?;
        let hash = PasswordHash {
            algorithm: Algorithm::Argon2id.ident(),
            version: Some(Version::V0x13.into()),
            params: ParamsString::try_from(&params).map_err(|e| internal("params", e))?,
            salt: Some(salt.as_salt()),
            hash: Some(output),
        };
        Ok(hash.to_string())
    })
    .await?
}

/// Checks a password against a stored PHC string, with the parameters stored in it. A
/// malformed stored hash counts as a mismatch.
pub async fn verify_password(password: String, stored: String) -> bool {
    with_memory(move |buffer| matches(&password, &stored, buffer))
        .await
        .unwrap_or(false)
}

fn matches(password: &str, stored: &str, buffer: &mut Vec<Block>) -> bool {
    let Ok(hash) = PasswordHash::new(stored) else {
        return false;
    };
    let (Ok(algorithm), Ok(params)) =
        (Algorithm::try_from(hash.algorithm), Params::try_from(&hash))
    else {
        return false;
    };
    let version = match hash.version.map(Version::try_from) {
        None => Version::V0x13,
        Some(Ok(version)) => version,
        Some(Err(_)) => return false,
    };
    let (Some(salt), Some(expected)) = (hash.salt, hash.hash) else {
        return false;
    };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt_bytes) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let argon2 = Argon2::new(algorithm, version, params.clone());
    let mut out = vec![0u8; expected.len()];
    let memory = blocks_for(buffer, &params);
    argon2.hash_password_into_with_memory(password.as_bytes(), salt_bytes, &mut out, memory).is_ok()
        // `Output` compares in constant time.
        && Output::new(&out).is_ok_and(|computed| computed == expected)
}

/// A hash of a password nobody knows, verified against when the user name does not exist, so
/// an unknown user takes as long to refuse as a wrong password.
pub async fn decoy_hash() -> ServiceResult<String> {
    static DECOY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DECOY
        .get_or_try_init(|| hash_password(crate::secrets::random_hex(16)))
        .await
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::PasswordVerifier;

    #[tokio::test]
    async fn passwords_hash_and_verify() {
        let hash = hash_password("Huaiyin#2026".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_password("Huaiyin#2026".into(), hash.clone()).await);
        assert!(!verify_password("huaiyin#2026".into(), hash).await);
        assert!(!verify_password("x".into(), "not a hash".into()).await);
        assert!(!verify_password("x".into(), decoy_hash().await.unwrap()).await);
    }

    #[tokio::test]
    async fn hashes_agree_with_the_reference_implementation() {
        // Ours verifies with the crate's own verifier, and the crate's hash verifies with ours,
        // including one made with other parameters.
        let ours = hash_password("槐荫区#2026".into()).await.unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(
            Argon2::default()
                .verify_password("槐荫区#2026".as_bytes(), &parsed)
                .is_ok()
        );

        use argon2::password_hash::PasswordHasher;
        let params = Params::new(8 * 1024, 3, 1, None).unwrap();
        let theirs = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password(b"Quancheng!2027", &SaltString::generate(&mut OsRng))
            .unwrap()
            .to_string();
        assert!(verify_password("Quancheng!2027".into(), theirs.clone()).await);
        assert!(!verify_password("Quancheng!2028".into(), theirs).await);
    }
}
