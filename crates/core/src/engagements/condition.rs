//! Conditions: what must hold for a checkpoint to be ticked (`condition: no_guessed_answer`
//! under a checkpoint). A playbook names them; the engagement checks them against facts
//! gathered in the ticking transaction, so a checkpoint never says what is not so.

use std::fmt;
use std::str::FromStr;

use crate::FieldError;

/// Something that must be true of the engagement for a checkpoint to be ticked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Condition {
    /// No answer in the questions log is open as a guess ("I think that…").
    NoGuessedAnswer,
}

/// What the engagement's other records say, as the conditions need it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    /// Answers of the questions log that are guesses and still open.
    pub open_guesses: usize,
}

impl Condition {
    pub const ALL: [Condition; 1] = [Condition::NoGuessedAnswer];

    /// The name a playbook writes.
    pub fn name(self) -> &'static str {
        match self {
            Condition::NoGuessedAnswer => "no_guessed_answer",
        }
    }

    pub fn holds(self, facts: &Facts) -> bool {
        match self {
            Condition::NoGuessedAnswer => facts.open_guesses == 0,
        }
    }

    /// The key of the message that refuses a tick while the condition does not hold.
    pub fn refusal_key(self) -> &'static str {
        match self {
            Condition::NoGuessedAnswer => "error-checkpoint-guess-open",
        }
    }

    /// The key of the text that says what the condition means.
    pub fn message_key(self) -> &'static str {
        match self {
            Condition::NoGuessedAnswer => "condition-no_guessed_answer",
        }
    }

    /// Every name, for messages ("expected one of: …").
    pub fn names() -> impl Iterator<Item = &'static str> {
        Self::ALL.iter().map(|c| c.name())
    }
}

/// A checkpoint with `condition` may be closed only while the condition holds; the
/// refusal names the field `item` (the checkpoint ticked).
pub fn may_close(condition: Option<Condition>, facts: &Facts) -> Result<(), FieldError> {
    match condition {
        Some(c) if !c.holds(facts) => Err(FieldError::new("item", c.refusal_key())),
        _ => Ok(()),
    }
}

/// A name that is not a condition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownCondition(pub String);

impl fmt::Display for UnknownCondition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown condition `{}`", self.0)
    }
}

impl FromStr for Condition {
    type Err = UnknownCondition;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|c| c.name() == s).ok_or_else(|| UnknownCondition(s.to_string()))
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_guessed_answer_open_refuses_the_checkpoint_and_nothing_else() {
        let open = Facts { open_guesses: 1 };
        let clear = Facts::default();
        let refused = may_close(Some(Condition::NoGuessedAnswer), &open).unwrap_err();
        assert_eq!((refused.field, refused.code), ("item", "error-checkpoint-guess-open"));
        assert_eq!(may_close(Some(Condition::NoGuessedAnswer), &clear), Ok(()));
        assert_eq!(may_close(None, &open), Ok(()), "a checkpoint without a condition is free to tick");
    }

    #[test]
    fn every_condition_reads_back_from_its_name() {
        for c in Condition::ALL {
            assert_eq!(c.name().parse::<Condition>(), Ok(c));
        }
        assert_eq!("no_guess".parse::<Condition>(), Err(UnknownCondition("no_guess".into())));
    }
}
