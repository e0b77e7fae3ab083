//! The scorecard of a recruitment search (seed 000): the written definition of the
//! role, returned by the client before the kick-off, co-written live, then locked by
//! both sides. Once locked it is the referee: changing a criterion is a new search.
//!
//! Pure rules: the content and its hash, the return deadline (at least 24 h before the
//! kick-off), the lock by both parties, per-field versions for live co-writing, and
//! the detection of guessed answers in the questions log.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::diff::content_hash;
use crate::{FieldError, Timestamp, UserId};

/// An outcome the hire must reach, with how it is measured. Outcomes are ranked by position.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Outcome {
    pub text: String,
    pub measure: String,
}

/// What the role is: a structured document, not a free text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scorecard {
    pub mission: String,
    pub outcomes: Vec<Outcome>,
    pub competencies: Vec<String>,
    pub must_haves: Vec<String>,
    pub nice_to_haves: Vec<String>,
    pub location: String,
    pub salary_range: String,
    pub start_date: String,
}

/// The fields that can be edited one by one (each has its own version while co-writing).
pub const FIELDS: &[&str] =
    &["mission", "outcomes", "competencies", "must_haves", "nice_to_haves", "location", "salary_range", "start_date"];

impl Scorecard {
    /// The canonical text of the scorecard: what is hashed at the lock and diffed between versions.
    pub fn canonical_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "mission: {}", one_line(&self.mission));
        for (i, o) in self.outcomes.iter().enumerate() {
            let _ = writeln!(out, "outcome {}: {} | measure: {}", i + 1, one_line(&o.text), one_line(&o.measure));
        }
        for (label, items) in
            [("competency", &self.competencies), ("must-have", &self.must_haves), ("nice-to-have", &self.nice_to_haves)]
        {
            for item in items {
                let _ = writeln!(out, "{label}: {}", one_line(item));
            }
        }
        let _ = writeln!(out, "location: {}", one_line(&self.location));
        let _ = writeln!(out, "salary range: {}", one_line(&self.salary_range));
        let _ = writeln!(out, "start date: {}", one_line(&self.start_date));
        out
    }

    /// SHA-256 of the canonical text: recorded with the lock, it proves the content did not change.
    pub fn hash(&self) -> String {
        content_hash(&self.canonical_text())
    }

    /// What must be filled in before the scorecard can be locked.
    pub fn missing_for_lock(&self) -> Vec<FieldError> {
        let mut missing = Vec::new();
        if self.mission.trim().is_empty() {
            missing.push(FieldError::new("mission", "error-scorecard-mission"));
        }
        if self.outcomes.iter().all(|o| o.text.trim().is_empty()) {
            missing.push(FieldError::new("outcomes", "error-scorecard-outcomes"));
        }
        if self.outcomes.iter().any(|o| !o.text.trim().is_empty() && o.measure.trim().is_empty()) {
            missing.push(FieldError::new("outcomes", "error-scorecard-outcome-measure"));
        }
        if self.must_haves.iter().all(|m| m.trim().is_empty()) {
            missing.push(FieldError::new("must_haves", "error-scorecard-must-haves"));
        }
        missing
    }
}

/// The value of one field, as co-written and stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FieldValue {
    Text(String),
    List(Vec<String>),
    Outcomes(Vec<Outcome>),
}

/// The longest text of one line, and the most items in a list.
const MAX_TEXT: usize = 2_000;
const MAX_ITEMS: usize = 30;

impl Scorecard {
    /// The current value of `field`, or `None` for a field that does not exist.
    pub fn get(&self, field: &str) -> Option<FieldValue> {
        Some(match field {
            "mission" => FieldValue::Text(self.mission.clone()),
            "outcomes" => FieldValue::Outcomes(self.outcomes.clone()),
            "competencies" => FieldValue::List(self.competencies.clone()),
            "must_haves" => FieldValue::List(self.must_haves.clone()),
            "nice_to_haves" => FieldValue::List(self.nice_to_haves.clone()),
            "location" => FieldValue::Text(self.location.clone()),
            "salary_range" => FieldValue::Text(self.salary_range.clone()),
            "start_date" => FieldValue::Text(self.start_date.clone()),
            _ => return None,
        })
    }

    /// Sets `field` after checking the value has the field's shape and sane sizes.
    /// Blank list items are dropped and text is trimmed, so what is stored is what is shown.
    pub fn set(&mut self, field: &str, value: FieldValue) -> Result<(), FieldError> {
        let name = field_name(field).ok_or(FieldError::new("field", "error-scorecard-field-unknown"))?;
        let too_long = FieldError::new(name, "error-text-too-long");
        let text_ok = |t: &str| t.chars().count() <= MAX_TEXT && !t.chars().any(|c| c.is_control() && c != '\n');
        let list = |items: Vec<String>| -> Result<Vec<String>, FieldError> {
            let items: Vec<String> = items.iter().map(|i| i.trim().to_string()).filter(|i| !i.is_empty()).collect();
            if items.len() > MAX_ITEMS || !items.iter().all(|i| text_ok(i)) {
                return Err(too_long);
            }
            Ok(items)
        };
        match (name, value) {
            ("mission" | "location" | "salary_range" | "start_date", FieldValue::Text(t)) => {
                let t = t.trim().to_string();
                if !text_ok(&t) {
                    return Err(too_long);
                }
                match name {
                    "mission" => self.mission = t,
                    "location" => self.location = t,
                    "salary_range" => self.salary_range = t,
                    _ => self.start_date = t,
                }
            }
            ("competencies", FieldValue::List(l)) => self.competencies = list(l)?,
            ("must_haves", FieldValue::List(l)) => self.must_haves = list(l)?,
            ("nice_to_haves", FieldValue::List(l)) => self.nice_to_haves = list(l)?,
            ("outcomes", FieldValue::Outcomes(o)) => {
                let o: Vec<Outcome> = o
                    .into_iter()
                    .map(|o| Outcome { text: o.text.trim().to_string(), measure: o.measure.trim().to_string() })
                    .filter(|o| !o.text.is_empty() || !o.measure.is_empty())
                    .collect();
                if o.len() > MAX_ITEMS || !o.iter().all(|o| text_ok(&o.text) && text_ok(&o.measure)) {
                    return Err(too_long);
                }
                self.outcomes = o;
            }
            // An empty list arrives as an empty list whatever the field: accept it as "cleared".
            (_, FieldValue::List(l)) if l.iter().all(|i| i.trim().is_empty()) && name == "outcomes" => {
                self.outcomes.clear();
            }
            _ => return Err(FieldError::new(name, "error-scorecard-field-shape")),
        }
        Ok(())
    }
}

/// The static name of a field (for error messages), if it is one.
pub fn field_name(field: &str) -> Option<&'static str> {
    FIELDS.iter().copied().find(|f| *f == field)
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The minimum time between the scorecard's return deadline and the kick-off.
pub const RETURN_LEAD_MS: i64 = 24 * 3_600_000;

/// Checks a return deadline: at least 24 h before the kick-off, and not in the past.
pub fn check_return_due(due_at: Timestamp, kickoff_at: Timestamp, now: Timestamp) -> Result<(), FieldError> {
    if due_at.as_millis() > kickoff_at.as_millis() - RETURN_LEAD_MS {
        return Err(FieldError::new("due_at", "error-scorecard-due-too-late"));
    }
    if due_at < now {
        return Err(FieldError::new("due_at", "error-scorecard-due-past"));
    }
    Ok(())
}

/// Whether the client returned the scorecard by its deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReturnTiming {
    OnTime,
    /// Late by this many minutes.
    Late(i64),
}

pub fn return_timing(returned_at: Timestamp, due_at: Timestamp) -> ReturnTiming {
    let late_ms = returned_at.as_millis() - due_at.as_millis();
    if late_ms <= 0 {
        ReturnTiming::OnTime
    } else {
        ReturnTiming::Late((late_ms + 59_999) / 60_000)
    }
}

/// Who has signed the lock so far. The scorecard is locked when both have, on the same content.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LockSignatures {
    pub account_manager: Option<(UserId, Timestamp, String)>,
    pub client: Option<(UserId, Timestamp, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Signer {
    AccountManager,
    Client,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LockError {
    #[error("the scorecard is incomplete")]
    Incomplete(Vec<FieldError>),
    #[error("the content changed since the other party signed")]
    ContentChanged,
    #[error("already locked")]
    AlreadyLocked,
}

impl LockSignatures {
    pub fn is_locked(&self) -> bool {
        matches!((&self.account_manager, &self.client), (Some((_, _, a)), Some((_, _, c))) if a == c)
    }

    /// Records a signature on `scorecard` as it is now. A signature on content that
    /// changed since the other party signed is refused: both lock the same text.
    pub fn sign(
        &mut self,
        who: Signer,
        user: UserId,
        scorecard: &Scorecard,
        now: Timestamp,
    ) -> Result<bool, LockError> {
        if self.is_locked() {
            return Err(LockError::AlreadyLocked);
        }
        let missing = scorecard.missing_for_lock();
        if !missing.is_empty() {
            return Err(LockError::Incomplete(missing));
        }
        let hash = scorecard.hash();
        let other = match who {
            Signer::AccountManager => &self.client,
            Signer::Client => &self.account_manager,
        };
        if let Some((_, _, h)) = other {
            if *h != hash {
                return Err(LockError::ContentChanged);
            }
        }
        let slot = match who {
            Signer::AccountManager => &mut self.account_manager,
            Signer::Client => &mut self.client,
        };
        *slot = Some((user, now, hash));
        Ok(self.is_locked())
    }

    /// An edit after one party signed voids that signature (they signed other content).
    pub fn void_on_edit(&mut self) {
        if !self.is_locked() {
            self.account_manager = None;
            self.client = None;
        }
    }
}

/// Live co-writing: each field carries a version; an edit names the version it was
/// made on, and an edit on a stale version is a conflict shown to its writer, never
/// a silent overwrite.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditOutcome {
    Applied { version: i64 },
    Conflict { current_version: i64 },
}

pub fn apply_edit(current_version: i64, based_on: i64) -> EditOutcome {
    if based_on == current_version {
        EditOutcome::Applied { version: current_version + 1 }
    } else {
        EditOutcome::Conflict { current_version }
    }
}

/// Words that make an answer a guess ("je pense que…", "I think…"): such an answer
/// leaves its question open, since every answer must come from the locked scorecard.
const GUESSES: &[&str] = &[
    "je pense que",
    "je pense qu'",
    "je crois que",
    "je crois qu'",
    "il me semble",
    "probablement",
    "peut-être",
    "sans doute",
    "i think",
    "i believe",
    "i guess",
    "probably",
    "maybe",
    "perhaps",
    "not sure",
];

pub fn is_guess(answer: &str) -> bool {
    let lower = answer.to_lowercase().replace('’', "'");
    GUESSES.iter().any(|g| lower.contains(g))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(h: i64) -> Timestamp {
        Timestamp::from_millis(1_800_000_000_000 + h * 3_600_000)
    }

    fn filled() -> Scorecard {
        Scorecard {
            mission: "Build the sales team in France".into(),
            outcomes: vec![Outcome {
                text: "Hire 5 account executives".into(),
                measure: "signed contracts by month 6".into(),
            }],
            competencies: vec!["Coaching".into()],
            must_haves: vec!["10 years of B2B sales".into()],
            nice_to_haves: vec!["German".into()],
            location: "Lyon".into(),
            salary_range: "90–110 k€".into(),
            start_date: "2027-03-01".into(),
        }
    }

    #[test]
    fn the_return_deadline_is_at_least_24_hours_before_the_kickoff() {
        let kickoff = ms(100);
        assert!(check_return_due(ms(76), kickoff, ms(0)).is_ok(), "exactly 24 h before");
        assert_eq!(check_return_due(ms(77), kickoff, ms(0)).unwrap_err().code, "error-scorecard-due-too-late");
        assert_eq!(check_return_due(ms(10), kickoff, ms(20)).unwrap_err().code, "error-scorecard-due-past");
        assert_eq!(return_timing(ms(75), ms(76)), ReturnTiming::OnTime);
        assert_eq!(return_timing(ms(78), ms(76)), ReturnTiming::Late(120));
    }

    #[test]
    fn the_hash_follows_the_content_not_its_spacing() {
        let a = filled();
        let mut b = filled();
        b.mission = "  Build the sales   team in France ".into();
        assert_eq!(a.hash(), b.hash());
        b.must_haves[0] = "8 years of B2B sales".into();
        assert_ne!(a.hash(), b.hash());
        assert!(a.canonical_text().contains("must-have: 10 years of B2B sales"));
    }

    #[test]
    fn both_parties_lock_the_same_content() {
        let (am, client) = (UserId::new(), UserId::new());
        let mut sig = LockSignatures::default();
        let mut card = filled();
        assert!(!sig.sign(Signer::AccountManager, am, &card, ms(1)).unwrap());
        card.location = "Paris".into();
        assert_eq!(sig.sign(Signer::Client, client, &card, ms(2)), Err(LockError::ContentChanged));
        sig.void_on_edit();
        assert!(!sig.sign(Signer::Client, client, &card, ms(3)).unwrap());
        assert!(sig.sign(Signer::AccountManager, am, &card, ms(4)).unwrap());
        assert!(sig.is_locked());
        assert_eq!(sig.sign(Signer::Client, client, &card, ms(5)), Err(LockError::AlreadyLocked));
        sig.void_on_edit();
        assert!(sig.is_locked(), "a lock is never undone by an edit");
    }

    #[test]
    fn an_incomplete_scorecard_cannot_be_locked() {
        let mut card = filled();
        card.outcomes[0].measure.clear();
        card.must_haves.clear();
        match LockSignatures::default().sign(Signer::AccountManager, UserId::new(), &card, ms(1)) {
            Err(LockError::Incomplete(fields)) => {
                let codes: Vec<_> = fields.iter().map(|f| f.code).collect();
                assert_eq!(codes, ["error-scorecard-outcome-measure", "error-scorecard-must-haves"]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn fields_are_set_with_their_shape_and_read_back() {
        let mut card = Scorecard::default();
        card.set("mission", FieldValue::Text("  Lead sales  ".into())).unwrap();
        card.set("must_haves", FieldValue::List(vec!["B2B".into(), "  ".into(), " German ".into()])).unwrap();
        card.set(
            "outcomes",
            FieldValue::Outcomes(vec![
                Outcome { text: "Grow".into(), measure: "+20 %".into() },
                Outcome { text: " ".into(), measure: "".into() },
            ]),
        )
        .unwrap();
        assert_eq!(card.get("mission"), Some(FieldValue::Text("Lead sales".into())));
        assert_eq!(card.get("must_haves"), Some(FieldValue::List(vec!["B2B".into(), "German".into()])));
        assert_eq!(card.outcomes.len(), 1);
        assert_eq!(card.set("mission", FieldValue::List(vec![])).unwrap_err().code, "error-scorecard-field-shape");
        assert_eq!(card.set("salary", FieldValue::Text("x".into())).unwrap_err().code, "error-scorecard-field-unknown");
        assert_eq!(card.set("location", FieldValue::Text("x".repeat(2001))).unwrap_err().code, "error-text-too-long");
        assert_eq!(card.get("nope"), None);
        for f in FIELDS {
            let v = card.get(f).unwrap();
            card.clone().set(f, v).unwrap();
        }
    }

    #[test]
    fn a_stale_edit_is_a_conflict() {
        assert_eq!(apply_edit(3, 3), EditOutcome::Applied { version: 4 });
        assert_eq!(apply_edit(4, 3), EditOutcome::Conflict { current_version: 4 });
    }

    #[test]
    fn guessed_answers_are_recognised_in_both_languages() {
        for guess in [
            "Je pense que le poste est basé à Lyon",
            "I think it's remote",
            "Probablement 2 jours de télétravail",
            "Il me semble que oui",
            "Je pense qu’il faut l’anglais",
        ] {
            assert!(is_guess(guess), "{guess}");
        }
        for answer in ["Le poste est basé à Lyon (scorecard, localisation)", "Fully remote is excluded: see must-haves"]
        {
            assert!(!is_guess(answer), "{answer}");
        }
    }
}
