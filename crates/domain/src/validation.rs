//! Field-level validation errors.
//!
//! Validators return message *keys* (for example `user.username.invalid`), never sentences:
//! the web layer and the CLI turn them into the user's language from the message catalogs.

use serde::Serialize;
use std::fmt;

/// One field that failed validation, with the catalog key of the message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: &'static str,
    pub message: &'static str,
}

impl FieldError {
    pub const fn new(field: &'static str, message: &'static str) -> Self {
        Self { field, message }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// All the fields of one form that failed validation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn push(&mut self, error: FieldError) {
        self.0.push(error);
    }

    /// Records the error of a parse, returning the value when it parsed.
    pub fn check<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.push(error);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when nothing failed, else the errors.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl From<FieldError> for FieldErrors {
    fn from(error: FieldError) -> Self {
        Self(vec![error])
    }
}

impl fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&parts.join("; "))
    }
}

impl std::error::Error for FieldErrors {}

/// Trims a text field and checks its length in characters (not bytes: Chinese text counts
/// one per character) and that it holds no control characters.
pub fn clean_text(raw: &str, field: &'static str, max_chars: usize) -> Result<String, FieldError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(FieldError::new(field, "validation.required"));
    }
    if text.chars().count() > max_chars {
        return Err(FieldError::new(field, "validation.too_long"));
    }
    if text.chars().any(char::is_control) {
        return Err(FieldError::new(field, "validation.control_chars"));
    }
    // U+FFFD is what a decoder leaves of bytes that were not UTF-8: the text arrived broken.
    if text.contains(char::REPLACEMENT_CHARACTER) {
        return Err(FieldError::new(field, "validation.encoding"));
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn clean_text_trims_and_counts_characters() {
        assert_eq!(clean_text("  槐荫区  ", "name", 3).unwrap(), "槐荫区");
        assert_eq!(
            clean_text("槐荫区人民政府", "name", 3).unwrap_err().message,
            "validation.too_long"
        );
        assert_eq!(
            clean_text("   ", "name", 3).unwrap_err().message,
            "validation.required"
        );
        assert_eq!(
            clean_text("a\u{0}b", "name", 3).unwrap_err().message,
            "validation.control_chars"
        );
    }

    proptest! {
        #[test]
        fn clean_text_output_is_trimmed_bounded_and_printable(raw in any::<String>()) {
            if let Ok(text) = clean_text(&raw, "f", 20) {
                prop_assert_eq!(text.trim(), text.as_str());
                prop_assert!(!text.is_empty());
                prop_assert!(text.chars().count() <= 20);
                prop_assert!(!text.chars().any(char::is_control));
                prop_assert!(!text.contains(char::REPLACEMENT_CHARACTER));
            }
        }
    }
}
