//! Signals: events elsewhere in Embark that close a playbook's gates by themselves
//! (`signal: scorecard_sent` on a gate). A playbook names them; capabilities emit them.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use crate::learning::CourseKey;

/// Something that happened, which a gate may be waiting for.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Signal {
    /// The account manager sent the scorecard to the client.
    ScorecardSent,
    /// The client committed to a return date at least 24 h before the kick-off.
    ScorecardDueAgreed,
    /// The client returned the filled-in scorecard.
    ScorecardReturned,
    /// The gate's owner holds a valid certification of a course (`certified:scorecard`),
    /// granted by passing the course's final quiz.
    Certified(CourseKey),
    /// The owner completed a course: every module read and its exam, if any, passed
    /// (`completed:welcome`).
    Completed(CourseKey),
    /// The meeting's place, time, length and participants are locked.
    LogisticsLocked,
    /// Every client contact confirmed they will attend.
    AttendanceConfirmed,
    /// The new hire's offer is signed.
    OfferSigned,
    /// Both parties signed the same scorecard content: it is locked.
    ScorecardLocked,
    /// The kick-off meeting ended (on time or not).
    MeetingEnded,
    /// The kick-off's report was sent to the client.
    ReportSent,
    /// A client contact acknowledged receipt of the kick-off's report.
    ReportAcknowledged,
    /// The client accepted every next step of the kick-off (each, or all at once).
    NextStepsAccepted,
}

impl Signal {
    /// The signals that name no course.
    pub const EVENTS: [Signal; 11] = [
        Signal::ScorecardSent,
        Signal::ScorecardDueAgreed,
        Signal::ScorecardReturned,
        Signal::LogisticsLocked,
        Signal::AttendanceConfirmed,
        Signal::OfferSigned,
        Signal::ScorecardLocked,
        Signal::MeetingEnded,
        Signal::ReportSent,
        Signal::ReportAcknowledged,
        Signal::NextStepsAccepted,
    ];

    /// The prefix of a certification signal: `certified:<course-key>`.
    pub const CERTIFIED: &'static str = "certified:";
    /// The prefix of a course's completion: `completed:<course-key>`.
    pub const COMPLETED: &'static str = "completed:";

    /// The name a playbook writes (`signal: scorecard_sent`, `signal: certified:scorecard`).
    pub fn name(&self) -> Cow<'static, str> {
        match self {
            Signal::Certified(course) => Cow::Owned(format!("{}{course}", Self::CERTIFIED)),
            Signal::Completed(course) => Cow::Owned(format!("{}{course}", Self::COMPLETED)),
            other => Cow::Borrowed(other.event_name()),
        }
    }

    /// The key of the text that says what the signal means (`signal-scorecard_sent`,
    /// `signal-certified` with the course as a variable).
    pub fn message_key(&self) -> &'static str {
        match self {
            Signal::Certified(_) => "signal-certified",
            Signal::Completed(_) => "signal-completed",
            Signal::ScorecardSent => "signal-scorecard_sent",
            Signal::ScorecardDueAgreed => "signal-scorecard_due_agreed",
            Signal::ScorecardReturned => "signal-scorecard_returned",
            Signal::LogisticsLocked => "signal-logistics_locked",
            Signal::AttendanceConfirmed => "signal-attendance_confirmed",
            Signal::OfferSigned => "signal-offer_signed",
            Signal::ScorecardLocked => "signal-scorecard_locked",
            Signal::MeetingEnded => "signal-meeting_ended",
            Signal::ReportSent => "signal-report_sent",
            Signal::ReportAcknowledged => "signal-report_acknowledged",
            Signal::NextStepsAccepted => "signal-next_steps_accepted",
        }
    }

    /// The course a certification or completion signal names.
    pub fn course(&self) -> Option<&CourseKey> {
        match self {
            Signal::Certified(c) | Signal::Completed(c) => Some(c),
            _ => None,
        }
    }

    fn event_name(&self) -> &'static str {
        match self {
            Signal::Certified(_) => "certified",
            Signal::Completed(_) => "completed",
            Signal::ScorecardSent => "scorecard_sent",
            Signal::ScorecardDueAgreed => "scorecard_due_agreed",
            Signal::ScorecardReturned => "scorecard_returned",
            Signal::LogisticsLocked => "logistics_locked",
            Signal::AttendanceConfirmed => "attendance_confirmed",
            Signal::OfferSigned => "offer_signed",
            Signal::ScorecardLocked => "scorecard_locked",
            Signal::MeetingEnded => "meeting_ended",
            Signal::ReportSent => "report_sent",
            Signal::ReportAcknowledged => "report_acknowledged",
            Signal::NextStepsAccepted => "next_steps_accepted",
        }
    }

    /// Every name, for messages ("expected one of: …").
    pub fn names() -> impl Iterator<Item = &'static str> {
        Self::EVENTS.iter().map(|s| s.event_name()).chain(["certified:<course-key>", "completed:<course-key>"])
    }
}

/// A name that is not a signal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownSignal(pub String);

impl fmt::Display for UnknownSignal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown signal `{}`", self.0)
    }
}

impl FromStr for Signal {
    type Err = UnknownSignal;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(course) = s.strip_prefix(Self::CERTIFIED) {
            return course.parse().map(Signal::Certified).map_err(|_| UnknownSignal(s.to_string()));
        }
        if let Some(course) = s.strip_prefix(Self::COMPLETED) {
            return course.parse().map(Signal::Completed).map_err(|_| UnknownSignal(s.to_string()));
        }
        // The name playbooks used before certifications came from courses.
        if s == "scorecard_certified" {
            return Ok(Signal::Certified(CourseKey::scorecard()));
        }
        Self::EVENTS.into_iter().find(|sig| sig.event_name() == s).ok_or_else(|| UnknownSignal(s.to_string()))
    }
}

impl fmt::Display for Signal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_signal_reads_back_from_its_name() {
        for s in Signal::EVENTS {
            assert_eq!(s.name().parse::<Signal>(), Ok(s));
        }
        let certified = Signal::Certified("scorecard".parse().unwrap());
        assert_eq!(certified.name(), "certified:scorecard");
        assert_eq!("certified:scorecard".parse::<Signal>(), Ok(certified.clone()));
        assert_eq!("scorecard_certified".parse::<Signal>(), Ok(certified), "the older name still reads");
        assert!("certified:".parse::<Signal>().is_err());
        let completed = Signal::Completed("welcome".parse().unwrap());
        assert_eq!("completed:welcome".parse::<Signal>(), Ok(completed.clone()));
        assert_eq!(completed.name(), "completed:welcome");
        assert!("certified:Not A Key".parse::<Signal>().is_err());
        assert_eq!("scorecard_lost".parse::<Signal>(), Err(UnknownSignal("scorecard_lost".into())));
        assert_eq!("".parse::<Signal>(), Err(UnknownSignal(String::new())));
    }
}
