//! A course's report for its admins: who started it, who completed it, how the exam
//! went and how long completing took. Pure: the store gives one line per learner.

use crate::Timestamp;

/// What one learner did in a course.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LearnerStats {
    /// Modules read to their end.
    pub modules_read: usize,
    pub first_read_at: Option<Timestamp>,
    /// Exam attempts submitted.
    pub attempts: u32,
    pub best_score: Option<u8>,
    /// When they first passed the exam.
    pub passed_at: Option<Timestamp>,
}

impl LearnerStats {
    /// Every module read and, when the course has an exam, the exam passed.
    pub fn completed(&self, modules: usize, has_exam: bool) -> bool {
        self.modules_read >= modules && (!has_exam || self.passed_at.is_some())
    }

    /// Days from the first module read to the exam passed (or, without an exam, unknown).
    pub fn days_to_complete(&self) -> Option<f64> {
        let (start, end) = (self.first_read_at?, self.passed_at?);
        Some((end.as_millis() - start.as_millis()).max(0) as f64 / 86_400_000.0)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    /// Learners who read a module or took the exam.
    pub learners: usize,
    pub completed: usize,
    /// Learners who submitted the exam at least once, and those who passed it.
    pub attempted: usize,
    pub passed: usize,
    /// The mean of each learner's best exam score, in percent.
    pub average_best_score: Option<f64>,
    /// The median, over learners who passed, of the days from their first read to their pass.
    pub median_days_to_complete: Option<f64>,
}

impl Summary {
    /// Completed learners out of those who started, in percent.
    pub fn completion_rate(&self) -> Option<f64> {
        (self.learners > 0).then(|| 100.0 * self.completed as f64 / self.learners as f64)
    }

    /// Learners who passed out of those who took the exam, in percent.
    pub fn pass_rate(&self) -> Option<f64> {
        (self.attempted > 0).then(|| 100.0 * self.passed as f64 / self.attempted as f64)
    }
}

pub fn summarize(rows: &[LearnerStats], modules: usize, has_exam: bool) -> Summary {
    let best: Vec<f64> = rows.iter().filter_map(|r| r.best_score).map(f64::from).collect();
    let mut days: Vec<f64> = rows.iter().filter_map(LearnerStats::days_to_complete).collect();
    days.sort_by(f64::total_cmp);
    let median = match days.len() {
        0 => None,
        n if n % 2 == 1 => Some(days[n / 2]),
        n => Some((days[n / 2 - 1] + days[n / 2]) / 2.0),
    };
    Summary {
        learners: rows.len(),
        completed: rows.iter().filter(|r| r.completed(modules, has_exam)).count(),
        attempted: rows.iter().filter(|r| r.attempts > 0).count(),
        passed: rows.iter().filter(|r| r.passed_at.is_some()).count(),
        average_best_score: (!best.is_empty()).then(|| best.iter().sum::<f64>() / best.len() as f64),
        median_days_to_complete: median,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400_000;

    fn learner(read: usize, attempts: u32, best: Option<u8>, days: Option<i64>) -> LearnerStats {
        LearnerStats {
            modules_read: read,
            first_read_at: Some(Timestamp::from_millis(0)),
            attempts,
            best_score: best,
            passed_at: days.map(|d| Timestamp::from_millis(d * DAY)),
        }
    }

    #[test]
    fn a_report_counts_completions_passes_scores_and_the_median_time() {
        let rows = [
            learner(5, 1, Some(100), Some(2)),
            learner(5, 3, Some(90), Some(10)),
            learner(5, 2, Some(40), None),
            learner(2, 0, None, None),
            learner(5, 1, Some(80), Some(4)),
        ];
        let s = summarize(&rows, 5, true);
        assert_eq!((s.learners, s.completed, s.attempted, s.passed), (5, 3, 4, 3));
        assert_eq!(s.average_best_score, Some(77.5));
        assert_eq!(s.median_days_to_complete, Some(4.0));
        assert_eq!(s.completion_rate(), Some(60.0));
        assert_eq!(s.pass_rate(), Some(75.0));
        // Even count: the mean of the two middle values.
        let s = summarize(&rows[..2], 5, true);
        assert_eq!(s.median_days_to_complete, Some(6.0));
        // Without an exam, reading every module completes the course.
        assert_eq!(summarize(&rows, 5, false).completed, 4);
        let empty = summarize(&[], 5, true);
        assert_eq!((empty.completion_rate(), empty.pass_rate(), empty.average_best_score), (None, None, None));
    }
}
