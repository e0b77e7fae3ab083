//! An attempt at a quiz: which questions it asks, in which order, and its grade.
//! The draw is a pure function of a seed, so an attempt is stored as its seed's
//! outcome ([`Drawn`]) and graded the same way however often it is read.

use std::collections::HashMap;

use super::{Question, QuestionKind, Quiz};

/// The questions of one attempt, in the order asked, each with its options' order
/// (indices into the question's choices).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Drawn(pub Vec<(String, Vec<usize>)>);

/// A small, seedable generator (SplitMix64): enough to shuffle a quiz.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// Draws an attempt: `quiz.asked()` questions of the bank in a random order, each
/// with its options shuffled.
pub fn draw(quiz: &Quiz, seed: u64) -> Drawn {
    let mut rng = Rng(seed);
    let mut order: Vec<&Question> = quiz.questions.iter().collect();
    rng.shuffle(&mut order);
    order.truncate(quiz.asked());
    Drawn(
        order
            .into_iter()
            .map(|q| {
                let mut options: Vec<usize> = (0..q.kind.choices().len()).collect();
                rng.shuffle(&mut options);
                (q.id.clone(), options)
            })
            .collect(),
    )
}

impl Drawn {
    /// One line per question: `id 2 0 1` (the id, then the options' order).
    pub fn encode(&self) -> String {
        let mut out = String::new();
        for (id, options) in &self.0 {
            out.push_str(id);
            for o in options {
                out.push(' ');
                out.push_str(&o.to_string());
            }
            out.push('\n');
        }
        out
    }

    /// Reads [`Drawn::encode`]'s form back; None if it is not that form.
    pub fn decode(text: &str) -> Option<Drawn> {
        let mut out = Vec::new();
        for line in text.lines().filter(|l| !l.is_empty()) {
            let mut parts = line.split(' ');
            let id = parts.next()?.to_string();
            let options = parts.map(|p| p.parse().ok()).collect::<Option<Vec<usize>>>()?;
            out.push((id, options));
        }
        Some(Drawn(out))
    }
}

/// A learner's answer to one question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Response {
    /// The options ticked, as indices into the question's choices.
    Choices(Vec<usize>),
    Bool(bool),
    Text(String),
}

/// One question's result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Marked {
    pub question: String,
    pub right: bool,
    pub answered: bool,
}

/// An attempt's grade.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grade {
    pub right: usize,
    pub asked: usize,
    /// Right answers in percent, rounded down (79.9 % does not pass an 80 % mark).
    pub score: u8,
    pub passed: bool,
    pub marked: Vec<Marked>,
}

/// Grades the answers to the drawn questions. A question left unanswered is wrong; an
/// answer to a question that was not asked is ignored.
pub fn grade(quiz: &Quiz, drawn: &Drawn, answers: &HashMap<String, Response>) -> Grade {
    let mut marked = Vec::new();
    for (id, _) in &drawn.0 {
        let Some(q) = quiz.question(id) else { continue };
        let answer = answers.get(id);
        marked.push(Marked {
            question: id.clone(),
            right: answer.is_some_and(|a| is_right(q, a)),
            answered: answer.is_some(),
        });
    }
    let asked = marked.len();
    let right = marked.iter().filter(|m| m.right).count();
    let score = (right * 100).checked_div(asked).unwrap_or(0) as u8;
    Grade { right, asked, score, passed: asked > 0 && score >= quiz.pass_mark, marked }
}

fn is_right(q: &Question, answer: &Response) -> bool {
    match (&q.kind, answer) {
        (QuestionKind::Single(choices), Response::Choices(ticked)) => {
            ticked.len() == 1 && choices.get(ticked[0]).is_some_and(|c| c.correct)
        }
        (QuestionKind::Multiple(choices), Response::Choices(ticked)) => {
            let mut ticked = ticked.clone();
            ticked.sort_unstable();
            ticked.dedup();
            let right: Vec<usize> = choices.iter().enumerate().filter(|(_, c)| c.correct).map(|(i, _)| i).collect();
            ticked == right
        }
        (QuestionKind::TrueFalse(truth), Response::Bool(b)) => truth == b,
        (QuestionKind::Short(accepted), Response::Text(t)) => {
            let t = normalize(t);
            !t.is_empty() && accepted.iter().any(|a| normalize(a) == t)
        }
        _ => false,
    }
}

/// Lower case, without accents, inner spaces collapsed, surrounding punctuation off:
/// « La mission ! » and "la  mission" are the same answer.
pub fn normalize(s: &str) -> String {
    let folded: String = s
        .chars()
        .map(|c| match c {
            'à' | 'â' | 'ä' | 'á' | 'À' | 'Â' | 'Ä' | 'Á' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
            'î' | 'ï' | 'í' | 'Î' | 'Ï' => 'i',
            'ô' | 'ö' | 'ó' | 'Ô' | 'Ö' => 'o',
            'ù' | 'û' | 'ü' | 'ú' | 'Ù' | 'Û' | 'Ü' => 'u',
            'ç' | 'Ç' => 'c',
            '\u{2019}' => '\'',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect();
    let trimmed = folded.trim_matches(|c: char| !c.is_alphanumeric());
    trimmed.split_whitespace().collect::<Vec<_>>().join(" ")
}
