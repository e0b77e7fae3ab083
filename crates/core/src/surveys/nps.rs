//! Net Promoter Score of the kick-offs: "how likely are you to recommend us?", 0 to 10.
//!
//! Pure statistics: the category of an answer, the parsing of a submitted score, and
//! the summary of a set of answers with its margin of error. The margin matters as
//! much as the score: with a dozen answers, a 20-point swing is noise, not a trend.

use crate::FieldError;

/// Where an answer falls on the NPS scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Category {
    /// 0 to 6: unhappy, may discourage others.
    Detractor,
    /// 7 or 8: satisfied but unenthusiastic; not counted in the score.
    Passive,
    /// 9 or 10: would recommend.
    Promoter,
}

/// The category of a score. Scores above 10 are not valid answers ([`NpsScore::parse`]
/// refuses them); should one reach this function, it counts as a promoter.
pub fn category(score: u8) -> Category {
    match score {
        0..=6 => Category::Detractor,
        7 | 8 => Category::Passive,
        _ => Category::Promoter,
    }
}

/// An answer to "would you recommend…?": an integer from 0 to 10.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NpsScore(u8);

impl NpsScore {
    /// Parses a submitted score: an integer from 0 to 10, surrounding spaces ignored.
    /// Only digits are accepted (no sign, no decimals).
    pub fn parse(input: &str) -> Result<NpsScore, FieldError> {
        let err = FieldError::new("score", "error-nps-score");
        let s = input.trim();
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err);
        }
        match s.parse::<u8>() {
            Ok(score) if score <= 10 => Ok(NpsScore(score)),
            _ => Err(err),
        }
    }

    pub fn value(self) -> u8 {
        self.0
    }

    pub fn category(self) -> Category {
        category(self.0)
    }
}

/// The NPS of a set of answers, with how far it can be trusted.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub answers: u32,
    pub promoters: u32,
    pub passives: u32,
    pub detractors: u32,
    /// %promoters − %detractors, −100..=100; None without answers.
    pub score: Option<f64>,
    /// Half-width of the 95 % confidence interval of the score, in points; None under 2 answers.
    pub margin: Option<f64>,
}

/// The z-value of a two-sided 95 % confidence interval.
const Z_95: f64 = 1.96;

/// Summarizes a set of answers.
///
/// The margin of error treats each answer as +1 (promoter), 0 (passive) or −1
/// (detractor): the score is the mean of these values (× 100), whose variance is
/// `p_promoters + p_detractors − (p_promoters − p_detractors)²`. The margin is
/// 1.96 standard errors, the usual normal approximation; it is optimistic with very
/// few answers, which is why it is not given under 2.
pub fn summarize(scores: impl IntoIterator<Item = u8>) -> Summary {
    let (mut promoters, mut passives, mut detractors) = (0u32, 0u32, 0u32);
    for score in scores {
        let count = match category(score) {
            Category::Promoter => &mut promoters,
            Category::Passive => &mut passives,
            Category::Detractor => &mut detractors,
        };
        *count = count.saturating_add(1);
    }
    from_counts(promoters, passives, detractors)
}

/// Summarizes answers already counted by category (the database counts them).
pub fn from_counts(promoters: u32, passives: u32, detractors: u32) -> Summary {
    let answers = promoters.saturating_add(passives).saturating_add(detractors);
    let n = f64::from(answers);
    let score = (answers > 0).then(|| (f64::from(promoters) - f64::from(detractors)) * 100.0 / n);
    let margin = (answers >= 2).then(|| {
        let (p, d) = (f64::from(promoters) / n, f64::from(detractors) / n);
        // Never negative mathematically; the clamp only absorbs rounding.
        let variance = (p + d - (p - d).powi(2)).max(0.0);
        Z_95 * (variance / n).sqrt() * 100.0
    });
    Summary { answers, promoters, passives, detractors, score, margin }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(actual: Option<f64>, expected: f64) -> bool {
        actual.is_some_and(|a| (a - expected).abs() < 1e-9)
    }

    #[test]
    fn counts_summarize_like_the_answers_they_count() {
        assert_eq!(from_counts(5, 3, 2), summarize([10, 7, 3, 9, 8, 10, 6, 9, 7, 9]));
        assert_eq!(from_counts(0, 0, 0).score, None);
    }

    #[test]
    fn categories_change_at_6_7_and_8_9() {
        assert_eq!(category(0), Category::Detractor);
        assert_eq!(category(6), Category::Detractor);
        assert_eq!(category(7), Category::Passive);
        assert_eq!(category(8), Category::Passive);
        assert_eq!(category(9), Category::Promoter);
        assert_eq!(category(10), Category::Promoter);
    }

    #[test]
    fn a_known_set_of_answers_gives_its_score_and_margin() {
        // 5 promoters, 3 passives, 2 detractors, in no particular order.
        let summary = summarize([10, 7, 3, 9, 8, 10, 6, 9, 7, 9]);
        assert_eq!((summary.answers, summary.promoters, summary.passives, summary.detractors), (10, 5, 3, 2));
        assert_eq!(summary.score, Some(30.0));
        // p = 0.5, d = 0.2: variance = 0.7 − 0.3² = 0.61; SE = √(0.61 / 10) ≈ 0.246982;
        // margin = 1.96 × 0.246982 × 100 ≈ 48.41 points.
        assert!(close(summary.margin, 48.408_429_018_095_6), "{:?}", summary.margin);
    }

    #[test]
    fn unanimous_answers_have_no_margin_of_error() {
        let summary = summarize([9, 10, 10]);
        assert_eq!(summary.score, Some(100.0));
        assert!(close(summary.margin, 0.0));
        let summary = summarize([0, 6]);
        assert_eq!(summary.score, Some(-100.0));
        assert!(close(summary.margin, 0.0));
    }

    #[test]
    fn without_answers_there_is_no_score_and_with_one_no_margin() {
        let empty = summarize([]);
        assert_eq!(empty, Summary { answers: 0, promoters: 0, passives: 0, detractors: 0, score: None, margin: None });
        let one = summarize([8]);
        assert_eq!(one.score, Some(0.0));
        assert_eq!(one.margin, None);
    }

    #[test]
    fn scores_are_integers_from_0_to_10() {
        assert_eq!(NpsScore::parse("0").map(NpsScore::value), Ok(0));
        assert_eq!(NpsScore::parse(" 10 ").map(NpsScore::value), Ok(10));
        assert_eq!(NpsScore::parse("7").map(NpsScore::category), Ok(Category::Passive));
        for bad in ["11", "-1", "abc", "", "  ", "+5", "7.5", "256"] {
            assert_eq!(NpsScore::parse(bad), Err(FieldError::new("score", "error-nps-score")), "{bad:?}");
        }
    }
}
