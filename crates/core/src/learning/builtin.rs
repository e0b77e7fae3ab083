//! The courses Embark ships with, in French and English.

use crate::playbooks::builtin::Builtin;
use crate::Locale;

pub const COURSES: &[Builtin] = &[
    Builtin { key: "scorecard", language: Locale::En, text: include_str!("../../courses/scorecard.en.md") },
    Builtin { key: "scorecard", language: Locale::Fr, text: include_str!("../../courses/scorecard.fr.md") },
    Builtin { key: "welcome", language: Locale::En, text: include_str!("../../courses/welcome.en.md") },
    Builtin { key: "welcome", language: Locale::Fr, text: include_str!("../../courses/welcome.fr.md") },
];

/// The built-in course `key` in `language`.
pub fn find(key: &str, language: Locale) -> Option<&'static Builtin> {
    COURSES.iter().find(|b| b.key == key && b.language == language)
}
