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

    /// Where a score falls: promoter, passive or detractor on the NPS scales; for a
    /// CSAT, 4–5, 3 and 1–2 are counted the same way.
    pub fn category(self, score: u8) -> nps::Category {
        match self {
            SurveyKind::Nps | SurveyKind::Enps => nps::category(score),
            SurveyKind::Csat => match score {
                4.. => nps::Category::Promoter,
                3 => nps::Category::Passive,
                _ => nps::Category::Detractor,
            },
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

/// The twelve months up to `now`'s month, as `(first, last)`.
pub fn last_twelve_months(now: crate::Timestamp) -> (String, String) {
    let to = month_of(now);
    (months_before(&to, 11), to)
}

/// The month `n` months before `month` (`YYYY-MM`).
pub fn months_before(month: &str, n: i32) -> String {
    let (y, m) = (month[..4].parse::<i32>().unwrap_or(1970), month[5..7].parse::<i32>().unwrap_or(1));
    let index = y * 12 + (m - 1) - n;
    format!("{:04}-{:02}", index.div_euclid(12), index.rem_euclid(12) + 1)
}

/// Nobody is asked more than one survey in this many days in a workspace: a send that
/// falls due sooner waits until then.
pub const DAYS_BETWEEN_SURVEYS: i64 = 7;
/// A survey still unanswered this many days after it was sent is reminded, once.
pub const REMIND_AFTER_DAYS: i64 = 7;

/// When a survey falling due at `now` goes to a person whose last survey went (or is
/// to go) at `last`: now, or [`DAYS_BETWEEN_SURVEYS`] after the last one.
pub fn next_send_at(last: Option<crate::Timestamp>, now: crate::Timestamp) -> crate::Timestamp {
    match last {
        Some(last) => now.max(last.plus_millis(DAYS_BETWEEN_SURVEYS * 86_400_000)),
        None => now,
    }
}

/// The instants a span of months covers, `[first instant of from, first instant of the
/// month after to)`, in UTC like [`month_of`]; `None` for a month that is not `YYYY-MM`.
pub fn months_span(from: &str, to: &str) -> Option<(crate::Timestamp, crate::Timestamp)> {
    let start = |month: &str| -> Option<jiff::civil::Date> {
        let (y, m) = month.split_once('-')?;
        jiff::civil::Date::new(y.parse().ok()?, m.parse().ok()?, 1).ok()
    };
    let at = |d: jiff::civil::Date| -> Option<crate::Timestamp> {
        let ts = d.to_zoned(jiff::tz::TimeZone::UTC).ok()?.timestamp();
        Some(crate::Timestamp::from_millis(ts.as_millisecond()))
    };
    let end = start(to)?.checked_add(jiff::Span::new().months(1)).ok()?;
    Some((at(start(from)?)?, at(end)?))
}

/// One past answer read from a CSV import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Imported {
    pub score: u8,
    pub answered_at: crate::Timestamp,
    /// "" for none.
    pub segment: String,
    pub comment: Option<String>,
}

/// The most rows one import takes.
pub const MAX_IMPORT_ROWS: usize = 100_000;
/// The most problems reported for one import (the rest are alike).
const MAX_PROBLEMS: usize = 50;
const MAX_SEGMENT: usize = 64;

/// Reads past answers: a header `score,answered_at[,segment][,comment]` (or with `;`),
/// then one answer per line. All or nothing: every problem comes back with its line
/// and column, and no answer is kept unless there is none.
pub fn parse_import(
    kind: SurveyKind,
    text: &str,
    now: crate::Timestamp,
) -> Result<Vec<Imported>, Vec<crate::playbooks::Diagnostic>> {
    use crate::playbooks::Diagnostic;
    let problem = |line, col, message: String| Diagnostic { line, col, message };
    let rows = crate::csv::parse(text).map_err(|d| vec![d])?;
    let Some((header, data)) = rows.split_first() else {
        return Err(vec![problem(
            1,
            1,
            "the file is empty: expected a header `score,answered_at[,segment][,comment]`".into(),
        )]);
    };
    let names: Vec<&str> = header.fields.iter().map(|f| f.value.trim()).collect();
    let allowed: [&[&str]; 4] = [
        &["score", "answered_at"],
        &["score", "answered_at", "segment"],
        &["score", "answered_at", "comment"],
        &["score", "answered_at", "segment", "comment"],
    ];
    if !allowed.contains(&names.as_slice()) {
        return Err(vec![problem(
            header.line,
            1,
            format!("the header is `{}`: expected `score,answered_at[,segment][,comment]`", names.join(",")),
        )]);
    }
    if data.len() > MAX_IMPORT_ROWS {
        return Err(vec![problem(
            data[MAX_IMPORT_ROWS].line,
            1,
            format!("at most {MAX_IMPORT_ROWS} answers per import"),
        )]);
    }
    let column = |name: &str| names.iter().position(|n| *n == name);
    let (segment_at, comment_at) = (column("segment"), column("comment"));
    let (low, high) = kind.scale();
    let mut out = Vec::with_capacity(data.len());
    let mut problems = Vec::new();
    for row in data {
        if problems.len() >= MAX_PROBLEMS {
            break;
        }
        if row.fields.len() != names.len() {
            let col = row.fields.last().map(|f| f.col).unwrap_or(1);
            problems.push(problem(
                row.line,
                col,
                format!("{} fields where the header has {}", row.fields.len(), names.len()),
            ));
            continue;
        }
        let f = &row.fields;
        let score = f[0].value.trim();
        let score = match score.parse::<u8>() {
            Ok(s) if (low..=high).contains(&s) && score.bytes().all(|b| b.is_ascii_digit()) => Some(s),
            _ => {
                problems.push(problem(f[0].line, f[0].col, format!("`{score}` is not a score from {low} to {high}")));
                None
            }
        };
        let at = f[1].value.trim();
        let answered_at = match parse_instant(at) {
            Some(t) if t > now => {
                problems.push(problem(f[1].line, f[1].col, format!("`{at}` is in the future")));
                None
            }
            Some(t) => Some(t),
            None => {
                problems.push(problem(
                    f[1].line,
                    f[1].col,
                    format!("`{at}` is not a date (2026-03-14) or an instant (2026-03-14T09:30:00Z)"),
                ));
                None
            }
        };
        let segment = segment_at.map(|i| f[i].value.trim().to_string()).unwrap_or_default();
        if let Some(i) = segment_at.filter(|_| segment.chars().count() > MAX_SEGMENT) {
            problems.push(problem(f[i].line, f[i].col, format!("a segment has at most {MAX_SEGMENT} characters")));
        }
        let comment = comment_at.map(|i| f[i].value.trim().to_string()).filter(|c| !c.is_empty());
        if let Some(i) = comment_at.filter(|_| comment.as_ref().is_some_and(|c| c.chars().count() > MAX_COMMENT)) {
            problems.push(problem(f[i].line, f[i].col, format!("a comment has at most {MAX_COMMENT} characters")));
        }
        if let (Some(score), Some(answered_at)) = (score, answered_at) {
            out.push(Imported { score, answered_at, segment, comment });
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// An RFC 3339 instant, or a calendar date taken as midnight UTC.
fn parse_instant(s: &str) -> Option<crate::Timestamp> {
    if let Ok(t) = s.parse::<jiff::Timestamp>() {
        return Some(crate::Timestamp::from_millis(t.as_millisecond()));
    }
    let date: jiff::civil::Date = s.parse().ok()?;
    let t = date.to_zoned(jiff::tz::TimeZone::UTC).ok()?.timestamp();
    Some(crate::Timestamp::from_millis(t.as_millisecond()))
}

#[cfg(test)]
mod span_tests {
    use super::*;

    #[test]
    fn a_survey_waits_a_week_after_the_last_one() {
        let now = crate::Timestamp::from_millis(1_800_000_000_000);
        let week = DAYS_BETWEEN_SURVEYS * 86_400_000;
        assert_eq!(next_send_at(None, now), now);
        assert_eq!(next_send_at(Some(now.plus_millis(-week)), now), now, "a week ago: now");
        assert_eq!(next_send_at(Some(now.plus_millis(-week + 1)), now), now.plus_millis(1));
        assert_eq!(next_send_at(Some(now.plus_millis(3 * 86_400_000)), now), now.plus_millis(3 * 86_400_000 + week));
    }

    #[test]
    fn a_span_of_months_runs_from_the_first_instant_to_the_first_of_the_next_month() {
        let (from, to) = months_span("2025-12", "2026-02").unwrap();
        assert_eq!(month_of(from), "2025-12");
        assert_eq!(month_of(to), "2026-03");
        assert_eq!(month_of(to.plus_millis(-1)), "2026-02");
        assert_eq!(to.as_millis() - from.as_millis(), (31 + 31 + 28) * 86_400_000);
        assert_eq!(months_span("2026-13", "2026-12"), None);
        assert_eq!(months_span("nope", "2026-12"), None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Timestamp;

    #[test]
    fn past_answers_import_all_or_nothing_with_their_positions() {
        let now = Timestamp::from_millis(1_796_160_600_000); // 2026-12-01T21:30Z
        let good = "score,answered_at,segment,comment\n9,2026-01-05,Lyon,\"Clear, sharp\"\n3,2026-02-10T08:00:00Z,,\n";
        let rows = parse_import(SurveyKind::Nps, good, now).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[0],
            Imported {
                score: 9,
                answered_at: Timestamp::from_millis(1_767_571_200_000),
                segment: "Lyon".into(),
                comment: Some("Clear, sharp".into())
            }
        );
        assert_eq!((rows[1].segment.as_str(), rows[1].comment.as_deref()), ("", None));

        let bad = "score;answered_at\n11;2026-01-05\n8;yesterday\n7;2027-06-01\n8\n";
        let problems = parse_import(SurveyKind::Nps, bad, now).unwrap_err();
        let at: Vec<(usize, usize)> = problems.iter().map(|d| (d.line, d.col)).collect();
        assert_eq!(at, vec![(2, 1), (3, 3), (4, 3), (5, 1)], "{problems:?}");
        assert!(problems[0].message.contains("not a score from 0 to 10"));
        assert!(problems[2].message.contains("in the future"));
        assert!(problems[3].message.contains("1 fields where the header has 2"));

        let wrong = parse_import(SurveyKind::Nps, "note,date\n9,2026-01-05\n", now).unwrap_err();
        assert!(wrong[0].message.contains("expected `score,answered_at[,segment][,comment]`"), "{wrong:?}");
        assert!(parse_import(SurveyKind::Csat, "score,answered_at\n6,2026-01-05\n", now).is_err());
        assert!(parse_import(SurveyKind::Nps, "", now).is_err());
    }

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
    fn a_csat_is_counted_in_the_same_three_categories() {
        use nps::Category::*;
        assert_eq!(
            [1, 2, 3, 4, 5].map(|s| SurveyKind::Csat.category(s)),
            [Detractor, Detractor, Passive, Promoter, Promoter]
        );
        assert_eq!(SurveyKind::Enps.category(8), Passive);
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
