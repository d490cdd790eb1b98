//! The password policy: 等保 mode (GB/T 22239-2019: length, character classes, rotation) or
//! ASVS mode (OWASP ASVS L2: length only, no forced rotation).

use crate::validation::FieldError;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Which rule set applies.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyMode {
    /// ≥ 8 characters, 3 of 4 character classes, common passwords refused, change every 90 days.
    #[default]
    Dengbao,
    /// ≥ 12 characters, common passwords refused, no forced rotation.
    Asvs,
}

impl PolicyMode {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "dengbao" => Some(Self::Dengbao),
            "asvs" => Some(Self::Asvs),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Dengbao => "dengbao",
            Self::Asvs => "asvs",
        }
    }
}

/// The longest password accepted: Argon2 hashes any length, but a megabyte of "password" is
/// a denial-of-service attempt, not a password.
pub const MAX_PASSWORD_CHARS: usize = 128;

/// The most common passwords, refused in both modes (a short list of the worst; lower-case).
const COMMON_PASSWORDS: &[&str] = &[
    "password",
    "password1",
    "password123",
    "passw0rd",
    "p@ssw0rd",
    "p@ssword",
    "12345678",
    "123456789",
    "1234567890",
    "12345678910",
    "qwerty123",
    "qwertyuiop",
    "1q2w3e4r",
    "1qaz2wsx",
    "1qaz@wsx",
    "qwe123!@#",
    "abc12345",
    "abcd1234",
    "abc@1234",
    "admin123",
    "admin@123",
    "admin1234",
    "administrator",
    "root1234",
    "iloveyou",
    "11111111",
    "00000000",
    "88888888",
    "66666666",
    "a1234567",
    "aa123456",
    "woaini1314",
    "5201314520",
    "zxcvbnm123",
    "asdfghjkl",
    "letmein1",
    "welcome1",
    "welcome@123",
    "changeme",
    "changeme1",
    "test1234",
    "huaiyin123",
    "jinan123",
    "p@ssw0rd1",
    "password@123",
    "qaz123456",
    "123qwe!@#",
    "a123456789",
];

/// The password policy in force.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordPolicy {
    pub mode: PolicyMode,
    /// Days after which a password must be changed (等保 mode only).
    pub max_age_days: i64,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self {
            mode: PolicyMode::Dengbao,
            max_age_days: 90,
        }
    }
}

impl PasswordPolicy {
    pub fn min_chars(&self) -> usize {
        match self.mode {
            PolicyMode::Dengbao => 8,
            PolicyMode::Asvs => 12,
        }
    }

    /// Checks a new password for the account `username`. The error's message key names the
    /// first rule broken.
    pub fn check(&self, password: &str, username: &str) -> Result<(), FieldError> {
        let err = |key| Err(FieldError::new("password", key));
        let chars = password.chars().count();
        if chars < self.min_chars() {
            return err(match self.mode {
                PolicyMode::Dengbao => "password.too_short_8",
                PolicyMode::Asvs => "password.too_short_12",
            });
        }
        if chars > MAX_PASSWORD_CHARS {
            return err("password.too_long");
        }
        let lower = password.to_lowercase();
        if COMMON_PASSWORDS.contains(&lower.as_str()) {
            return err("password.too_common");
        }
        if !username.is_empty() && lower.contains(&username.to_lowercase()) {
            return err("password.contains_username");
        }
        if self.mode == PolicyMode::Dengbao && character_classes(password) < 3 {
            return err("password.classes");
        }
        Ok(())
    }

    /// Whether a password set at `changed_at` must be changed at `now`.
    pub fn is_expired(&self, changed_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        self.mode == PolicyMode::Dengbao && now - changed_at > Duration::days(self.max_age_days)
    }
}

/// How many of the four classes (lower, upper, digit, other) a password uses.
fn character_classes(password: &str) -> usize {
    let has = |f: fn(char) -> bool| password.chars().any(f) as usize;
    has(|c| c.is_lowercase())
        + has(|c| c.is_uppercase())
        + has(|c| c.is_ascii_digit())
        + has(|c| !c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn dengbao() -> PasswordPolicy {
        PasswordPolicy::default()
    }

    #[test]
    fn dengbao_mode_wants_length_and_three_classes() {
        let p = dengbao();
        assert_eq!(
            p.check("Ab1!", "u").unwrap_err().message,
            "password.too_short_8"
        );
        assert_eq!(
            p.check("abcdefgh", "u").unwrap_err().message,
            "password.classes"
        );
        assert_eq!(
            p.check("abcdefg1", "u").unwrap_err().message,
            "password.classes"
        );
        assert!(p.check("Abcdefg1", "u").is_ok());
        assert!(p.check("abcdef1!", "u").is_ok());
        assert!(p.check("槐荫区Ab1xy", "u").is_ok());
    }

    #[test]
    fn common_passwords_and_the_username_are_refused() {
        let p = dengbao();
        assert_eq!(
            p.check("P@ssw0rd", "u").unwrap_err().message,
            "password.too_common"
        );
        assert_eq!(
            p.check("Admin@123", "u").unwrap_err().message,
            "password.too_common"
        );
        assert_eq!(
            p.check("Zhangsan#2026", "zhangsan").unwrap_err().message,
            "password.contains_username"
        );
    }

    #[test]
    fn asvs_mode_wants_length_only() {
        let p = PasswordPolicy {
            mode: PolicyMode::Asvs,
            max_age_days: 90,
        };
        assert!(p.check("correct horse battery", "u").is_ok());
        assert_eq!(
            p.check("Abcdefg1!", "u").unwrap_err().message,
            "password.too_short_12"
        );
        let start = DateTime::<Utc>::from_timestamp(0, 0).unwrap();
        assert!(!p.is_expired(start, start + Duration::days(1000)));
    }

    #[test]
    fn dengbao_passwords_expire_after_90_days() {
        let p = dengbao();
        let start = DateTime::<Utc>::from_timestamp(1_600_000_000, 0).unwrap();
        assert!(!p.is_expired(start, start + Duration::days(90)));
        assert!(p.is_expired(start, start + Duration::days(90) + Duration::seconds(1)));
    }

    proptest! {
        #[test]
        fn accepted_passwords_meet_every_rule(pw in any::<String>(), asvs in any::<bool>()) {
            let p = PasswordPolicy { mode: if asvs { PolicyMode::Asvs } else { PolicyMode::Dengbao }, max_age_days: 90 };
            if p.check(&pw, "someone").is_ok() {
                let n = pw.chars().count();
                prop_assert!(n >= p.min_chars() && n <= MAX_PASSWORD_CHARS);
                prop_assert!(asvs || character_classes(&pw) >= 3);
            }
        }
    }
}
