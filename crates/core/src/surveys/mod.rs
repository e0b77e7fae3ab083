//! Surveys: the built-in templates, the answers they accept, and NPS statistics
//! (seed 000 judges a kick-off by the client's NPS; seed 004 asks new hires an eNPS).

pub mod nps;

use crate::{FieldError, Locale};

/// What a survey's question measures, which fixes its scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SurveyKind {
    /// "How likely are you to recommend us?", 0 to 10.
    Nps,
    /// The employee NPS: "would you recommend your new company to your friends?", 0 to 10.
    Enps,
    /// Satisfaction, 1 to 5.
    Csat,
}

impl SurveyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SurveyKind::Nps => "nps",
            SurveyKind::Enps => "enps",
            SurveyKind::Csat => "csat",
        }
    }

    /// The lowest and highest score of the scale.
    pub fn scale(self) -> (u8, u8) {
        match self {
            SurveyKind::Nps | SurveyKind::Enps => (0, 10),
            SurveyKind::Csat => (1, 5),
        }
    }

    /// Whether a score opens a follow-up: a detractor (0–6), or a CSAT of 1 or 2.
    pub fn is_unhappy(self, score: u8) -> bool {
        match self {
            SurveyKind::Nps | SurveyKind::Enps => score <= 6,
            SurveyKind::Csat => score <= 2,
        }
    }

    /// Whether its results are an NPS (promoters − detractors).
    pub fn is_nps(self) -> bool {
        matches!(self, SurveyKind::Nps | SurveyKind::Enps)
    }
}

impl std::str::FromStr for SurveyKind {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "nps" => Ok(SurveyKind::Nps),
            "enps" => Ok(SurveyKind::Enps),
            "csat" => Ok(SurveyKind::Csat),
            _ => Err(()),
        }
    }
}

/// A survey Embark ships, installed in every workspace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Template {
    /// What playbooks name it by (`survey: enps`).
    pub key: &'static str,
    pub kind: SurveyKind,
    /// The playbook role of the people who answer it.
    pub audience: &'static str,
    /// Anonymous: no link to the person is stored with the answer.
    pub anonymous: bool,
    /// (English, French).
    pub title: (&'static str, &'static str),
    pub question: (&'static str, &'static str),
}

impl Template {
    pub fn title(&self, locale: Locale) -> &'static str {
        match locale {
            Locale::En => self.title.0,
            Locale::Fr => self.title.1,
        }
    }

    pub fn question(&self, locale: Locale) -> &'static str {
        match locale {
            Locale::En => self.question.0,
            Locale::Fr => self.question.1,
        }
    }
}

/// The built-in surveys.
pub const BUILTIN: &[Template] = &[
    Template {
        key: "enps",
        kind: SurveyKind::Enps,
        audience: "new_hire",
        anonymous: true,
        title: ("Your first weeks", "Vos premières semaines"),
        question: (
            "Would you recommend your new company to your friends?",
            "Recommanderiez-vous votre nouvelle entreprise à vos amis\u{202f}?",
        ),
    },
    Template {
        key: "client-nps",
        kind: SurveyKind::Nps,
        audience: "client",
        anonymous: false,
        title: ("How are we doing?", "Comment travaillons-nous ensemble\u{202f}?"),
        question: (
            "How likely are you to recommend us to a colleague or a friend?",
            "Quelle est la probabilité que vous nous recommandiez à un collègue ou à un ami\u{202f}?",
        ),
    },
];

/// The built-in survey named `key`.
pub fn builtin(key: &str) -> Option<&'static Template> {
    BUILTIN.iter().find(|t| t.key == key)
}

/// The longest comment kept with an answer, in characters.
pub const MAX_COMMENT: usize = 2_000;

/// A submitted answer, checked against its survey's scale.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub score: u8,
    pub comment: Option<String>,
}

impl Answer {
    /// Parses a submitted score (an integer of the scale, spaces ignored) and an optional
    /// comment (trimmed; empty is none; at most [`MAX_COMMENT`] characters).
    pub fn parse(kind: SurveyKind, score: &str, comment: &str) -> Result<Answer, FieldError> {
        let (low, high) = kind.scale();
        let bad =
            || FieldError::new("score", if kind == SurveyKind::Csat { "error-csat-score" } else { "error-nps-score" });
        let s = score.trim();
        if s.is_empty() || s.len() > 2 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let score: u8 = s.parse().map_err(|_| bad())?;
        if !(low..=high).contains(&score) {
            return Err(bad());
        }
        let comment = comment.trim();
        if comment.chars().count() > MAX_COMMENT {
            return Err(FieldError::new("comment", "error-survey-comment-long"));
        }
        Ok(Answer { score, comment: (!comment.is_empty()).then(|| comment.to_string()) })
    }
}

/// The day an anonymous answer is stored under: its instant rounded down to midnight
/// UTC, so that it cannot be matched to the moment a person's link was used.
pub fn anonymous_day(at: crate::Timestamp) -> crate::Timestamp {
    const DAY: i64 = 86_400_000;
    crate::Timestamp::from_millis(at.as_millis().div_euclid(DAY) * DAY)
}

/// The month an answer counts in (`2026-12`), in UTC.
pub fn month_of(at: crate::Timestamp) -> String {
    let date = jiff::Timestamp::from_millisecond(at.as_millis()).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    date.strftime("%Y-%m").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Timestamp;

    #[test]
    fn scores_must_be_on_the_scale_of_the_survey() {
        assert_eq!(Answer::parse(SurveyKind::Enps, " 10 ", "").unwrap(), Answer { score: 10, comment: None });
        assert_eq!(
            Answer::parse(SurveyKind::Nps, "0", "  Slow start.  ").unwrap().comment.as_deref(),
            Some("Slow start.")
        );
        for bad in ["11", "-1", "", "7.5", "+5", "010", "abc"] {
            assert_eq!(
                Answer::parse(SurveyKind::Nps, bad, ""),
                Err(FieldError::new("score", "error-nps-score")),
                "{bad:?}"
            );
        }
        assert!(Answer::parse(SurveyKind::Csat, "5", "").is_ok());
        for bad in ["0", "6"] {
            assert_eq!(Answer::parse(SurveyKind::Csat, bad, ""), Err(FieldError::new("score", "error-csat-score")));
        }
        let long = "é".repeat(MAX_COMMENT + 1);
        assert_eq!(
            Answer::parse(SurveyKind::Nps, "9", &long),
            Err(FieldError::new("comment", "error-survey-comment-long"))
        );
        assert!(Answer::parse(SurveyKind::Nps, "9", &"é".repeat(MAX_COMMENT)).is_ok());
    }

    #[test]
    fn unhappy_answers_are_detractors_and_low_satisfaction() {
        assert!(SurveyKind::Enps.is_unhappy(6) && !SurveyKind::Enps.is_unhappy(7));
        assert!(SurveyKind::Csat.is_unhappy(2) && !SurveyKind::Csat.is_unhappy(3));
    }

    #[test]
    fn anonymous_answers_keep_only_their_day_and_count_in_their_month() {
        // 2026-12-01T21:30:00Z
        let at = Timestamp::from_millis(1_796_160_600_000);
        assert_eq!(anonymous_day(at), Timestamp::from_millis(1_796_083_200_000));
        assert_eq!(month_of(at), "2026-12");
        assert_eq!(month_of(Timestamp::from_millis(1_796_083_199_999)), "2026-11");
    }

    #[test]
    fn the_built_ins_are_found_by_key_and_enps_is_anonymous() {
        assert!(builtin("enps").is_some_and(|t| t.anonymous && t.kind == SurveyKind::Enps && t.audience == "new_hire"));
        assert!(builtin("client-nps").is_some_and(|t| !t.anonymous));
        assert_eq!(builtin("nope"), None);
        for t in BUILTIN {
            assert!(t.question(Locale::Fr).ends_with("\u{202f}?"), "{}", t.key);
        }
    }
}
