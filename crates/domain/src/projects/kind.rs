//! What a key project is: the kind the ledger files it under.

use crate::validation::FieldError;
use serde::{Deserialize, Serialize};

/// The kind of a key project (项目类型).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectKind {
    /// Hospitals, clinics, medical research (医疗卫生).
    Medical,
    /// Corporate headquarters, regional HQs (总部经济).
    Headquarters,
    /// Factories, industrial parks (产业项目).
    Industrial,
    /// Laboratories, innovation and research platforms (科研平台).
    ResearchPlatform,
    /// Roads, utilities, public works (基础设施).
    Infrastructure,
    /// Schools and universities (教育).
    Education,
    /// Anything else (其他).
    Other,
}

impl ProjectKind {
    pub const ALL: [ProjectKind; 7] = [
        Self::Medical,
        Self::Headquarters,
        Self::Industrial,
        Self::ResearchPlatform,
        Self::Infrastructure,
        Self::Education,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Medical => "medical",
            Self::Headquarters => "headquarters",
            Self::Industrial => "industrial",
            Self::ResearchPlatform => "research_platform",
            Self::Infrastructure => "infrastructure",
            Self::Education => "education",
            Self::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == raw)
            .ok_or(FieldError::new("kind", "project.kind.invalid"))
    }

    /// The catalog key of the kind's name, for example `project.kind.medical`.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Medical => "project.kind.medical",
            Self::Headquarters => "project.kind.headquarters",
            Self::Industrial => "project.kind.industrial",
            Self::ResearchPlatform => "project.kind.research_platform",
            Self::Infrastructure => "project.kind.infrastructure",
            Self::Education => "project.kind.education",
            Self::Other => "project.kind.other",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_have_their_own_label() {
        for kind in ProjectKind::ALL {
            assert_eq!(ProjectKind::parse(kind.as_str()), Ok(kind));
            assert_eq!(kind.label_key(), format!("project.kind.{}", kind.as_str()));
        }
    }

    #[test]
    fn unknown_kinds_are_refused() {
        for raw in ["", "Medical", " medical", "hospital"] {
            assert_eq!(
                ProjectKind::parse(raw).unwrap_err().message,
                "project.kind.invalid"
            );
        }
    }
}
