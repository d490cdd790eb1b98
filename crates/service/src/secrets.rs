//! Random secrets and their hashes: session IDs, API tokens, recovery codes, first passwords.

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
