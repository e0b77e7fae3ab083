//! The learning space: courses written as documents (Markdown with a little
//! structure, like playbooks), their quizzes, and the certifications a final quiz
//! grants. `docs/course-format.md` describes the format.
//!
//! [`parse`] turns a document into a [`Course`] or every [`Diagnostic`] at once;
//! [`quiz`] draws an attempt's questions and grades its answers. No I/O here.

pub mod builtin;
mod parse;
pub mod quiz;
pub mod report;

use std::fmt;
use std::str::FromStr;

pub use crate::playbooks::Diagnostic;
pub use parse::parse;

use crate::{Locale, Timestamp};

/// The key that pairs a course's languages and that gates name
/// (`signal: certified:scorecard`): `a-z`, `0-9` and `-`, 2 to 64 characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CourseKey(String);

impl CourseKey {
    /// The built-in course on the scorecard, which kick-offs require.
    pub const SCORECARD: &'static str = "scorecard";

    pub fn scorecard() -> CourseKey {
        CourseKey(Self::SCORECARD.to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A string that is not a course key.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a course key is 2 to 64 characters among a-z, 0-9 and -")]
pub struct InvalidCourseKey;

impl FromStr for CourseKey {
    type Err = InvalidCourseKey;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let ok = (2..=64).contains(&s.len())
            && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !s.starts_with('-');
        if ok {
            Ok(CourseKey(s.to_string()))
        } else {
            Err(InvalidCourseKey)
        }
    }
}

impl fmt::Display for CourseKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How long a certification stays valid after the final quiz is passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Validity {
    /// Calendar months in the workspace's time zone (`12 months`).
    Months(u32),
    /// Calendar days in the workspace's time zone (`90 d`, `2 w`).
    Days(u32),
}

impl Validity {
    /// Reads `12 months`, `1 month`, `90 d`, `2 w`: at least a day, at most ten years.
    pub fn parse(s: &str) -> Result<Validity, String> {
        let s = s.trim();
        let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let (n, unit) = (&s[..split], s[split..].trim());
        let wrong = || format!("`{s}` is not a validity: write `12 months`, `90 d` or `2 w`");
        let n: u32 = n.parse().map_err(|_| wrong())?;
        let v = match unit {
            "month" | "months" => Validity::Months(n),
            "d" | "day" | "days" => Validity::Days(n),
            "w" | "week" | "weeks" => Validity::Days(n.saturating_mul(7)),
            _ => return Err(wrong()),
        };
        let days = match v {
            Validity::Months(m) => m.saturating_mul(31),
            Validity::Days(d) => d,
        };
        if n == 0 || days > 3660 {
            return Err(format!("a certification is valid from one day to ten years, not `{s}`"));
        }
        Ok(v)
    }

    /// When a certification granted at `granted` expires, in the time zone `tz`.
    pub fn expires(self, granted: Timestamp, tz: &jiff::tz::TimeZone) -> Timestamp {
        let zoned = granted.to_jiff().to_zoned(tz.clone());
        let span = match self {
            Validity::Months(m) => jiff::Span::new().months(i64::from(m)),
            Validity::Days(d) => jiff::Span::new().days(i64::from(d)),
        };
        zoned.checked_add(span).map(|z| Timestamp::from_jiff(z.timestamp())).unwrap_or(granted)
    }
}

impl fmt::Display for Validity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Validity::Months(1) => write!(f, "1 month"),
            Validity::Months(m) => write!(f, "{m} months"),
            Validity::Days(d) => write!(f, "{d} d"),
        }
    }
}

/// A course: an introduction, modules read in order, and perhaps a final quiz (the
/// exam) whose pass grants the certification.
#[derive(Clone, Debug, PartialEq)]
pub struct Course {
    pub title: String,
    pub summary: Option<String>,
    pub language: Locale,
    pub certification: Option<Validity>,
    pub intro: String,
    pub modules: Vec<Module>,
    pub exam: Option<Quiz>,
}

/// A module: Markdown text, media links, and perhaps its own quiz.
#[derive(Clone, Debug, PartialEq)]
pub struct Module {
    pub id: String,
    pub title: String,
    pub body: String,
    pub media: Vec<String>,
    pub quiz: Option<Quiz>,
}

/// A quiz: a bank of questions, of which `draw` are asked in a random order.
#[derive(Clone, Debug, PartialEq)]
pub struct Quiz {
    pub id: String,
    pub title: String,
    pub intro: String,
    /// The score needed to pass, in percent.
    pub pass_mark: u8,
    /// How many questions an attempt asks (all of them when absent).
    pub draw: Option<usize>,
    /// How many attempts a learner has for one version of the course (no limit when absent).
    pub attempts: Option<u32>,
    pub questions: Vec<Question>,
}

impl Quiz {
    /// How many questions an attempt asks.
    pub fn asked(&self) -> usize {
        self.draw.unwrap_or(self.questions.len()).min(self.questions.len())
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Question {
    pub id: String,
    pub prompt: String,
    /// More text under the prompt (Markdown), often empty.
    pub body: String,
    pub kind: QuestionKind,
    /// Why the answer is the answer, shown once the attempt is submitted.
    pub explanation: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum QuestionKind {
    /// One right option among several.
    Single(Vec<Choice>),
    /// Every right option, and only them.
    Multiple(Vec<Choice>),
    TrueFalse(bool),
    /// A short text answer, right when it matches one accepted answer (case, accents
    /// and surrounding punctuation aside).
    Short(Vec<String>),
}

impl QuestionKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            QuestionKind::Single(_) => "single",
            QuestionKind::Multiple(_) => "multiple",
            QuestionKind::TrueFalse(_) => "true_false",
            QuestionKind::Short(_) => "short",
        }
    }

    pub fn choices(&self) -> &[Choice] {
        match self {
            QuestionKind::Single(c) | QuestionKind::Multiple(c) => c,
            _ => &[],
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    pub text: String,
    pub correct: bool,
}

/// Words read in a minute, for reading times.
const WORDS_PER_MINUTE: usize = 200;

fn words(text: &str) -> usize {
    text.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count()
}

impl Module {
    /// Minutes to read the module (200 words a minute, at least 1).
    pub fn reading_minutes(&self) -> u32 {
        (words(&self.body).div_ceil(WORDS_PER_MINUTE) as u32).max(1)
    }
}

impl Course {
    /// Minutes to read the whole course, introduction included.
    pub fn reading_minutes(&self) -> u32 {
        let total = words(&self.intro) + self.modules.iter().map(|m| words(&m.body)).sum::<usize>();
        (total.div_ceil(WORDS_PER_MINUTE) as u32).max(1)
    }

    pub fn module(&self, id: &str) -> Option<&Module> {
        self.modules.iter().find(|m| m.id == id)
    }

    /// The quiz with this id: a module's or the exam.
    pub fn quiz(&self, id: &str) -> Option<&Quiz> {
        self.modules.iter().filter_map(|m| m.quiz.as_ref()).chain(self.exam.as_ref()).find(|q| q.id == id)
    }

    /// The module after `id`, in reading order.
    pub fn next_module(&self, id: &str) -> Option<&Module> {
        let i = self.modules.iter().position(|m| m.id == id)?;
        self.modules.get(i + 1)
    }
}

/// Where a learner stands in a course, from what the store knows: the modules read to
/// their end, the quizzes passed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub modules_done: Vec<String>,
    pub quizzes_passed: Vec<String>,
}

impl Progress {
    /// A module is done when it was read to its end and, if it has a quiz, the quiz is passed.
    pub fn module_done(&self, module: &Module) -> bool {
        self.modules_done.contains(&module.id)
            && module.quiz.as_ref().is_none_or(|q| self.quizzes_passed.contains(&q.id))
    }

    /// (done, total) over the modules and the exam.
    pub fn counts(&self, course: &Course) -> (usize, usize) {
        let modules = course.modules.iter().filter(|m| self.module_done(m)).count();
        let exam = course.exam.as_ref().map(|e| usize::from(self.quizzes_passed.contains(&e.id)));
        (modules + exam.unwrap_or(0), course.modules.len() + usize::from(course.exam.is_some()))
    }

    /// The course is complete: every module done and the exam, if any, passed.
    pub fn complete(&self, course: &Course) -> bool {
        let (done, total) = self.counts(course);
        done == total
    }

    /// Where to resume: the first module not done yet.
    pub fn resume<'c>(&self, course: &'c Course) -> Option<&'c Module> {
        course.modules.iter().find(|m| !self.module_done(m))
    }

    /// The exam opens once every module is done.
    pub fn exam_open(&self, course: &Course) -> bool {
        course.modules.iter().all(|m| self.module_done(m))
    }
}

#[cfg(test)]
mod tests;
