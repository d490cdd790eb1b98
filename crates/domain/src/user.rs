//! User accounts: validated names.

use crate::validation::{FieldError, clean_text};

/// A login name: 3 to 32 characters of lower-case ASCII letters, digits, `.`, `_` and `-`,
/// starting with a letter. Stored lower-case, so `Admin` and `admin` are one account.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let name = raw.trim().to_ascii_lowercase();
        let valid_chars = name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
        let starts_with_letter = name.starts_with(|c: char| c.is_ascii_lowercase());
        if (3..=32).contains(&name.len()) && valid_chars && starts_with_letter {
            Ok(Self(name))
        } else {
            Err(FieldError::new("username", "user.username.invalid"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Username {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A person's name as shown on pages: 1 to 40 characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        clean_text(raw, "display_name", 40).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn usernames_are_normalised_and_checked() {
        assert_eq!(Username::parse(" Admin ").unwrap().as_str(), "admin");
        assert_eq!(
            Username::parse("zhang.san_2").unwrap().as_str(),
            "zhang.san_2"
        );
        for bad in ["ab", "1abc", "张三", "a b c", "admin'--", "<script>", ""] {
            assert!(Username::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    proptest! {
        #[test]
        fn accepted_usernames_are_safe(raw in any::<String>()) {
            if let Ok(name) = Username::parse(&raw) {
                prop_assert!((3..=32).contains(&name.as_str().len()));
                prop_assert!(name.as_str().bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b)));
            }
        }

        #[test]
        fn display_names_are_bounded(raw in any::<String>()) {
            if let Ok(name) = DisplayName::parse(&raw) {
                prop_assert!(name.as_str().chars().count() <= 40);
            }
        }
    }
}
