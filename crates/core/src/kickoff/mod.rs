//! The kick-off of a recruitment search (seed 000) around its meeting: logistics and
//! the no-show risk, the T-24 h readiness, the report's deadlines, the next steps and
//! the four signals that say whether the kick-off was a good one.
//!
//! Pure rules; the clock is an argument.

pub mod ics;
pub mod meeting;
pub mod scorecard;

use std::fmt;
use std::str::FromStr;

use crate::kickoff::scorecard::ReturnTiming;
use crate::{FieldError, Timestamp};

/// A closed set of values stored as text: `as_str`, `Display`, `FromStr` and `ALL`.
macro_rules! text_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(format!(concat!("unknown ", stringify!($name), " {:?}"), s)),
                }
            }
        }
    };
}

text_enum!(
    /// Where a scorecard version stands: draft → sent → returned → in review → locked.
    ScorecardState {
        Draft = "draft",
        /// Sent to the client with a return deadline.
        Sent = "sent",
        /// Filled in and returned by the client.
        Returned = "returned",
        /// Being co-written live during the kick-off.
        InReview = "in_review",
        /// Locked by both parties: the referee, never edited again.
        Locked = "locked",
    }
);

text_enum!(
    /// What a next step is (seed 000: sourcing, shortlist, first checkpoint, weekly meetings, the client's homework).
    NextStepKind {
        Sourcing = "sourcing",
        Shortlist = "shortlist",
        FirstCheckpoint = "first_checkpoint",
        WeeklyMeeting = "weekly_meeting",
        ClientHomework = "client_homework",
    }
);

text_enum!(
    /// What became of a next step.
    NextStepOutcome {
        Open = "open",
        /// Done (a meeting attended, homework handed in).
        Done = "done",
        /// Not done: a meeting missed, homework not handed in.
        Missed = "missed",
    }
);

text_enum!(
    /// Who asked a question about the role.
    QuestionSource {
        Talent = "talent",
        Team = "team",
        Client = "client",
    }
);

text_enum!(
    /// What a single-purpose emailed link lets its holder do.
    ActionPurpose {
        ConfirmAttendance = "confirm_attendance",
        AcknowledgeReport = "acknowledge_report",
        AnswerNps = "answer_nps",
        AnswerRelationship = "answer_relationship",
    }
);

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;

/// No confirmation this long before the meeting is a no-show risk.
pub const CONFIRMATION_LEAD_MS: i64 = 48 * HOUR;
/// The readiness review (go / no-go) happens this long before the meeting.
pub const READINESS_LEAD_MS: i64 = 24 * HOUR;
/// The report goes out within this time after the end of the meeting.
pub const REPORT_SEND_WITHIN_MS: i64 = 15 * MINUTE;
/// The client acknowledges the report within this time after it is sent.
pub const ACKNOWLEDGE_WITHIN_MS: i64 = 48 * HOUR;

/// The shortest and longest meetings one can plan.
pub const DURATION_MINUTES: std::ops::RangeInclusive<u32> = 15..=480;

/// Reads a meeting length in minutes ("60").
pub fn parse_duration_minutes(input: &str) -> Result<u32, FieldError> {
    match input.trim().parse::<u32>() {
        Ok(m) if DURATION_MINUTES.contains(&m) => Ok(m),
        _ => Err(FieldError::new("duration_minutes", "error-meeting-duration")),
    }
}

/// Reads the place or video link: one line, not empty.
pub fn parse_place(input: &str) -> Result<String, FieldError> {
    let place = input.trim();
    if place.is_empty() {
        Err(FieldError::new("place", "error-meeting-place-missing"))
    } else if place.chars().count() > 500 || place.chars().any(char::is_control) {
        Err(FieldError::new("place", "error-text-too-long"))
    } else {
        Ok(place.to_string())
    }
}

/// The logistics of a meeting as they stand.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Logistics<'a> {
    pub place: &'a str,
    pub starts_at: Timestamp,
    pub duration_minutes: u32,
    /// Invited people, the account manager included.
    pub attendees: usize,
    /// Invited people who are client contacts.
    pub client_attendees: usize,
}

impl Logistics<'_> {
    /// What is missing before the place, time, length and participants can be locked.
    pub fn missing_for_lock(&self, now: Timestamp) -> Vec<FieldError> {
        let mut missing = Vec::new();
        if self.place.trim().is_empty() {
            missing.push(FieldError::new("place", "error-meeting-place-missing"));
        }
        if self.starts_at <= now {
            missing.push(FieldError::new("starts_at", "error-meeting-start-past"));
        }
        if !DURATION_MINUTES.contains(&self.duration_minutes) {
            missing.push(FieldError::new("duration_minutes", "error-meeting-duration"));
        }
        if self.client_attendees == 0 || self.attendees < 2 {
            missing.push(FieldError::new("attendees", "error-meeting-attendees"));
        }
        missing
    }
}

/// Whether the meeting risks a no-show: it is 48 h away or less and someone invited has not confirmed.
pub fn no_show_risk(starts_at: Timestamp, now: Timestamp, unconfirmed: usize) -> bool {
    unconfirmed > 0 && now.as_millis() >= starts_at.as_millis() - CONFIRMATION_LEAD_MS
}

/// One line of the T-24 h go / no-go review.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Check {
    /// scorecard_returned, attendance_confirmed, logistics_locked, am_certified
    pub key: &'static str,
    pub ok: bool,
}

/// What the readiness review looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadinessInput {
    /// When the scorecard came back, against its deadline (`None`: not returned).
    pub scorecard_return: Option<ReturnTiming>,
    pub unconfirmed_attendees: usize,
    pub attendees: usize,
    pub logistics_locked: bool,
    pub am_certified: bool,
}

/// The four checks of the review, each green or red. A late return is still a return.
pub fn readiness(input: ReadinessInput) -> [Check; 4] {
    [
        Check { key: "scorecard_returned", ok: input.scorecard_return.is_some() },
        Check { key: "attendance_confirmed", ok: input.attendees > 0 && input.unconfirmed_attendees == 0 },
        Check { key: "logistics_locked", ok: input.logistics_locked },
        Check { key: "am_certified", ok: input.am_certified },
    ]
}

/// Whether the meeting ended within its planned length (an extension does not make it on time).
pub fn finished_on_time(started_at: Timestamp, ended_at: Timestamp, planned_minutes: u32) -> bool {
    ended_at.as_millis() - started_at.as_millis() <= i64::from(planned_minutes) * MINUTE
}

/// Reads an explicit extension of the meeting, in minutes.
pub fn parse_extension(input: &str) -> Result<u32, FieldError> {
    match input.trim().parse::<u32>() {
        Ok(m) if (1..=120).contains(&m) => Ok(m),
        _ => Err(FieldError::new("minutes", "error-meeting-extension")),
    }
}

/// A green, amber or red signal, or "not measurable yet".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Signal {
    Pending,
    Good,
    Fair,
    Bad,
}

impl Signal {
    pub fn as_str(self) -> &'static str {
        match self {
            Signal::Pending => "pending",
            Signal::Good => "good",
            Signal::Fair => "fair",
            Signal::Bad => "bad",
        }
    }
}

/// A next step as the follow-through sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FollowedStep {
    pub due_at: Timestamp,
    pub outcome: NextStepOutcome,
    pub closed_at: Option<Timestamp>,
    /// A client contact accepted it.
    pub accepted: bool,
}

/// The client answers the next steps (accepts them, marks her homework done) once the
/// report that lists them was sent: before, they are still the firm's draft.
pub fn may_answer_next_steps(report_sent: bool) -> Result<(), crate::FieldError> {
    if report_sent {
        Ok(())
    } else {
        Err(crate::FieldError::new("next_steps", "error-next-steps-not-sent"))
    }
}

/// The firm adds, edits and deletes next steps until the report that lists them is sent: after,
/// the client holds that version (she accepts it, she does her part of it).
pub fn may_edit_next_steps(report_sent: bool) -> Result<(), crate::FieldError> {
    if report_sent {
        Err(crate::FieldError::new("next_steps", "error-next-steps-report-sent"))
    } else {
        Ok(())
    }
}

/// The next steps are accepted when there are some and a client contact accepted
/// each of them: the "accepted" of seed 000's "next steps accepted and followed".
pub fn next_steps_accepted(steps: &[FollowedStep]) -> bool {
    !steps.is_empty() && steps.iter().all(|s| s.accepted)
}

/// What the four criteria of seed 000 are computed from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QualityInput {
    /// The client's answer to "would you recommend us?" (0–10).
    pub nps: Option<u8>,
    pub scorecard_locked: bool,
    pub open_questions: usize,
    /// Each side's answer to "did frank feedback go both ways?" (account manager, client).
    pub relationship: (Option<bool>, Option<bool>),
    pub meeting_ended: bool,
    pub next_steps: Vec<FollowedStep>,
}

/// The four signals of a kick-off, with what they were computed from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quality {
    pub nps: Signal,
    pub clarity: Signal,
    pub relationship: Signal,
    pub follow_through: Signal,
    /// Next steps due so far, and how many of them were kept on time.
    pub steps_due: usize,
    pub steps_kept: usize,
}

pub fn quality(input: &QualityInput, now: Timestamp) -> Quality {
    let nps = match input.nps {
        None => Signal::Pending,
        Some(9..=10) => Signal::Good,
        Some(7..=8) => Signal::Fair,
        Some(_) => Signal::Bad,
    };
    let clarity = if input.open_questions > 0 {
        Signal::Bad
    } else if input.scorecard_locked {
        Signal::Good
    } else {
        Signal::Pending
    };
    let relationship = match input.relationship {
        (Some(false), _) | (_, Some(false)) => Signal::Bad,
        (Some(true), Some(true)) => Signal::Good,
        _ => Signal::Pending,
    };
    let due: Vec<&FollowedStep> = input.next_steps.iter().filter(|s| s.due_at <= now).collect();
    let kept = due
        .iter()
        .filter(|s| s.outcome == NextStepOutcome::Done && s.closed_at.is_some_and(|c| c <= s.due_at.plus_millis(HOUR)))
        .count();
    let follow_through = if !input.meeting_ended {
        Signal::Pending
    } else if !next_steps_accepted(&input.next_steps) {
        Signal::Bad
    } else if due.is_empty() {
        Signal::Pending
    } else if kept == due.len() {
        Signal::Good
    } else if kept * 2 >= due.len() {
        Signal::Fair
    } else {
        Signal::Bad
    };
    Quality { nps, clarity, relationship, follow_through, steps_due: due.len(), steps_kept: kept }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(hours: i64) -> Timestamp {
        Timestamp::from_millis(1_800_000_000_000 + hours * HOUR)
    }

    #[test]
    fn text_enums_round_trip() {
        for k in NextStepKind::ALL {
            assert_eq!(k.as_str().parse::<NextStepKind>().unwrap(), *k);
        }
        for s in ScorecardState::ALL {
            assert_eq!(s.to_string().parse::<ScorecardState>().unwrap(), *s);
        }
        assert!("weekly".parse::<NextStepKind>().is_err());
    }

    #[test]
    fn logistics_need_a_place_a_future_time_a_length_and_the_client() {
        let ok =
            Logistics { place: "Visio", starts_at: h(10), duration_minutes: 60, attendees: 2, client_attendees: 1 };
        assert!(ok.missing_for_lock(h(0)).is_empty());
        let bad = Logistics { place: " ", starts_at: h(0), duration_minutes: 5, attendees: 1, client_attendees: 0 };
        let codes: Vec<_> = bad.missing_for_lock(h(1)).iter().map(|e| e.code).collect();
        assert_eq!(
            codes,
            [
                "error-meeting-place-missing",
                "error-meeting-start-past",
                "error-meeting-duration",
                "error-meeting-attendees"
            ]
        );
        assert_eq!(parse_duration_minutes(" 90 "), Ok(90));
        assert!(parse_duration_minutes("0").is_err() && parse_duration_minutes("1h").is_err());
        assert!(parse_place("").is_err());
    }

    #[test]
    fn no_confirmation_48_hours_before_is_a_no_show_risk() {
        assert!(!no_show_risk(h(100), h(51), 1), "49 h before: not yet");
        assert!(no_show_risk(h(100), h(52), 1), "exactly 48 h before");
        assert!(!no_show_risk(h(100), h(99), 0), "everyone confirmed");
    }

    #[test]
    fn readiness_is_green_only_when_all_four_are() {
        let all = ReadinessInput {
            scorecard_return: Some(ReturnTiming::Late(30)),
            unconfirmed_attendees: 0,
            attendees: 2,
            logistics_locked: true,
            am_certified: true,
        };
        assert!(readiness(all).iter().all(|c| c.ok));
        let red = readiness(ReadinessInput { scorecard_return: None, unconfirmed_attendees: 1, ..all });
        let failing: Vec<_> = red.iter().filter(|c| !c.ok).map(|c| c.key).collect();
        assert_eq!(failing, ["scorecard_returned", "attendance_confirmed"]);
    }

    #[test]
    fn finishing_on_time_ignores_extensions() {
        assert!(finished_on_time(h(0), h(0).plus_millis(60 * MINUTE), 60));
        assert!(!finished_on_time(h(0), h(0).plus_millis(61 * MINUTE), 60));
        assert_eq!(parse_extension("10"), Ok(10));
        assert!(parse_extension("0").is_err() && parse_extension("abc").is_err());
    }

    fn step(due: i64, outcome: NextStepOutcome, closed: Option<i64>) -> FollowedStep {
        FollowedStep { due_at: h(due), outcome, closed_at: closed.map(h), accepted: true }
    }

    #[test]
    fn the_four_signals_of_a_good_kickoff() {
        let mut input = QualityInput {
            nps: Some(9),
            scorecard_locked: true,
            open_questions: 0,
            relationship: (Some(true), Some(true)),
            meeting_ended: true,
            next_steps: vec![step(10, NextStepOutcome::Done, Some(9)), step(200, NextStepOutcome::Open, None)],
        };
        let q = quality(&input, h(20));
        assert_eq!(
            (q.nps, q.clarity, q.relationship, q.follow_through),
            (Signal::Good, Signal::Good, Signal::Good, Signal::Good)
        );
        assert_eq!((q.steps_due, q.steps_kept), (1, 1));

        input.nps = Some(7);
        input.open_questions = 1;
        input.relationship = (Some(true), None);
        input.next_steps.push(step(15, NextStepOutcome::Done, Some(18)));
        let q = quality(&input, h(20));
        assert_eq!((q.nps, q.clarity, q.relationship), (Signal::Fair, Signal::Bad, Signal::Pending));
        assert_eq!((q.follow_through, q.steps_due, q.steps_kept), (Signal::Fair, 2, 1), "one kept, one late");

        input.next_steps[2].accepted = false;
        assert_eq!(quality(&input, h(20)).follow_through, Signal::Bad, "one next step not accepted");
        assert!(!next_steps_accepted(&[]), "no next step is nothing accepted");
        input.meeting_ended = false;
        input.nps = None;
        let q = quality(&input, h(20));
        assert_eq!((q.nps, q.follow_through), (Signal::Pending, Signal::Pending));
    }
}
