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
    /// Respondents who answered the question (a skipped question is not counted).
    pub answers: u32,
    pub promoters: u32,
    pub passives: u32,
    pub detractors: u32,
    /// 100 · (promoters − detractors) / answers, −100..=100; None without answers.
    pub score: Option<f64>,
    /// The score's 95 % confidence interval; None without answers.
    pub ci95: Option<Interval>,
}

/// A 95 % confidence interval, in NPS points.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

impl Category {
    /// promoter, passive or detractor.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Promoter => "promoter",
            Category::Passive => "passive",
            Category::Detractor => "detractor",
        }
    }
}

impl Interval {
    pub fn contains(&self, x: f64) -> bool {
        self.low <= x && x <= self.high
    }

    pub fn width(&self) -> f64 {
        self.high - self.low
    }
}

/// Under this many answers a score is shown with a "too few answers" note.
pub const FEW_ANSWERS: u32 = 5;

impl Summary {
    /// What may be shown of answers too few to stay anonymous: how many answered,
    /// nothing that could tell one person's answer (score, interval, categories).
    pub fn withheld(&self) -> Summary {
        Summary { answers: self.answers, promoters: 0, passives: 0, detractors: 0, score: None, ci95: None }
    }

    /// Whether there are too few answers to read much into the score.
    pub fn too_few(&self) -> bool {
        self.answers < FEW_ANSWERS
    }

    /// The adjusted estimate and its variance (see [`from_counts`]); None without answers.
    fn adjusted(&self) -> Option<(f64, f64)> {
        (self.answers > 0).then(|| adjusted(self.promoters, self.detractors, self.answers))
    }
}

/// The z-value of a two-sided 95 % confidence interval.
const Z_95: f64 = 1.96;

/// Summarizes a set of answers.
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

/// The adjusted Wald estimate of the NPS (as a fraction, −1..=1) and its variance:
/// three pseudo-answers are added, ¾ of a promoter, ¾ of a detractor and 1½ passive,
/// which keeps the interval honest with few or unanimous answers (the plain Wald
/// interval says ±0 for ten promoters out of ten).
fn adjusted(promoters: u32, detractors: u32, answers: u32) -> (f64, f64) {
    let n = f64::from(answers) + 3.0;
    let p = (f64::from(promoters) + 0.75) / n;
    let d = (f64::from(detractors) + 0.75) / n;
    let estimate = p - d;
    // Never negative mathematically; the clamp only absorbs rounding.
    let variance = ((p + d - estimate * estimate) / n).max(0.0);
    (estimate, variance)
}

/// Summarizes answers already counted by category (the database counts them).
///
/// The score is the plain NPS over the answers; its 95 % interval is the adjusted
/// Wald interval (n + 3, promoters + ¾, detractors + ¾) around the adjusted
/// estimate, clipped to −100..=100.
pub fn from_counts(promoters: u32, passives: u32, detractors: u32) -> Summary {
    let answers = promoters.saturating_add(passives).saturating_add(detractors);
    let n = f64::from(answers);
    let score = (answers > 0).then(|| (f64::from(promoters) - f64::from(detractors)) * 100.0 / n);
    let ci95 = (answers > 0).then(|| {
        let (estimate, variance) = adjusted(promoters, detractors, answers);
        let half = Z_95 * variance.sqrt();
        Interval { low: ((estimate - half) * 100.0).max(-100.0), high: ((estimate + half) * 100.0).min(100.0) }
    });
    Summary { answers, promoters, passives, detractors, score, ci95 }
}

/// How the score moved from one period to the next, and whether that is more than noise.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Change {
    /// `later.score − earlier.score`, in points.
    pub delta: f64,
    /// The 95 % interval of the difference of the two adjusted estimates, in points.
    pub ci95: Interval,
    /// True only when that interval excludes 0.
    pub significant: bool,
}

/// The change between two periods; None when either has no answers.
pub fn change(earlier: &Summary, later: &Summary) -> Option<Change> {
    let (a, va) = earlier.adjusted()?;
    let (b, vb) = later.adjusted()?;
    let delta = later.score? - earlier.score?;
    let half = Z_95 * (va + vb).sqrt();
    let diff = b - a;
    let ci95 = Interval { low: ((diff - half) * 100.0).max(-200.0), high: ((diff + half) * 100.0).min(200.0) };
    Some(Change { delta, ci95, significant: ci95.low > 0.0 || ci95.high < 0.0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn near(actual: f64, expected: f64) -> bool {
        (actual - expected).abs() < 1e-9
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
    fn a_known_set_of_answers_gives_its_score_and_interval() {
        // 5 promoters, 3 passives, 2 detractors, in no particular order.
        let summary = summarize([10, 7, 3, 9, 8, 10, 6, 9, 7, 9]);
        assert_eq!((summary.answers, summary.promoters, summary.passives, summary.detractors), (10, 5, 3, 2));
        assert_eq!(summary.score, Some(30.0));
        // By hand: n' = 13, p' = 5.75 / 13, d' = 2.75 / 13, e = p' − d' = 3 / 13 ≈ 0.230769;
        // variance = (p' + d' − e²) / 13 ≈ 0.0461994; half-width = 1.96 · √0.0461994 ≈ 0.421283.
        let ci = summary.ci95.unwrap();
        assert!(near(ci.low, -19.051_389_493_993_25), "{ci:?}");
        assert!(near(ci.high, 65.205_235_647_839_4), "{ci:?}");
        assert!(!summary.too_few());
    }

    #[test]
    fn ten_promoters_out_of_ten_are_not_a_certain_100() {
        let summary = summarize([10; 10]);
        assert_eq!(summary.score, Some(100.0));
        let ci = summary.ci95.unwrap();
        // e = 10 / 13, variance = (10.75/13 + 0.75/13 − (10/13)²) / 13; 100 is the clip.
        assert!(near(ci.low, 47.503_010_944_173_94), "{ci:?}");
        assert_eq!(ci.high, 100.0);
        let mirrored = summarize([0; 10]).ci95.unwrap();
        assert!(near(mirrored.low, -100.0) && near(mirrored.high, -ci.low), "{mirrored:?}");
    }

    #[test]
    fn a_withheld_summary_keeps_only_its_count() {
        let w = from_counts(2, 1, 1).withheld();
        assert_eq!(w, Summary { answers: 4, promoters: 0, passives: 0, detractors: 0, score: None, ci95: None });
    }

    #[test]
    fn without_answers_there_is_no_score_and_under_five_a_note() {
        let empty = summarize([]);
        assert_eq!(empty, Summary { answers: 0, promoters: 0, passives: 0, detractors: 0, score: None, ci95: None });
        let one = summarize([8]);
        assert_eq!(one.score, Some(0.0));
        assert!(one.too_few());
        assert!(!summarize([9, 9, 9, 9, 9]).too_few());
    }

    #[test]
    fn a_change_is_significant_only_when_its_interval_excludes_zero() {
        // 10 / 10 / 30 then 30 / 10 / 10: from −40 to +40, clearly a rise.
        let (before, after) = (from_counts(10, 10, 30), from_counts(30, 10, 10));
        let up = change(&before, &after).unwrap();
        assert!(near(up.delta, 80.0));
        assert!(near(up.ci95.low, 44.997_436_587_426_67), "{up:?}");
        assert!(up.significant);
        // 4 / 3 / 3 then 6 / 2 / 2: from +10 to +40 on ten answers each is noise.
        let small = change(&from_counts(4, 3, 3), &from_counts(6, 2, 2)).unwrap();
        assert!(near(small.delta, 30.0));
        assert!(small.ci95.contains(0.0) && !small.significant, "{small:?}");
        assert_eq!(change(&from_counts(0, 0, 0), &after), None);
    }

    proptest::proptest! {
        #[test]
        fn the_interval_holds_the_score_from_five_answers(p in 0u32..300, pa in 0u32..300, d in 0u32..300) {
            let s = from_counts(p, pa, d);
            proptest::prop_assume!(s.answers >= FEW_ANSWERS);
            let ci = s.ci95.unwrap();
            proptest::prop_assert!(ci.contains(s.score.unwrap()), "{s:?}");
            proptest::prop_assert!(-100.0 <= ci.low && ci.high <= 100.0);
        }

        #[test]
        fn the_interval_narrows_as_answers_grow(p in 0u32..50, pa in 0u32..50, d in 0u32..50, k in 2u32..20) {
            proptest::prop_assume!(p + pa + d > 0);
            let one = from_counts(p, pa, d).ci95.unwrap();
            let more = from_counts(p * k, pa * k, d * k).ci95.unwrap();
            proptest::prop_assert!(more.width() <= one.width() + 1e-9, "{one:?} then {more:?}");
        }

        #[test]
        fn swapping_promoters_and_detractors_mirrors_everything(p in 0u32..200, pa in 0u32..200, d in 0u32..200) {
            proptest::prop_assume!(p + pa + d > 0);
            let (a, b) = (from_counts(p, pa, d), from_counts(d, pa, p));
            proptest::prop_assert!((a.score.unwrap() + b.score.unwrap()).abs() < 1e-9);
            let (ca, cb) = (a.ci95.unwrap(), b.ci95.unwrap());
            proptest::prop_assert!((ca.low + cb.high).abs() < 1e-9 && (ca.high + cb.low).abs() < 1e-9);
        }
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
