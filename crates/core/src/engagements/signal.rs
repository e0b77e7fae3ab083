//! Signals: events elsewhere in Embark that close a playbook's gates by themselves
//! (`signal: scorecard_sent` on a gate). A playbook names them; capabilities emit them.

use std::fmt;
use std::str::FromStr;

/// Something that happened, which a gate may be waiting for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Signal {
    /// The account manager sent the scorecard to the client.
    ScorecardSent,
    /// The client committed to a return date at least 24 h before the kick-off.
    ScorecardDueAgreed,
    /// The client returned the filled-in scorecard.
    ScorecardReturned,
    /// The account manager holds a valid scorecard certification.
    ScorecardCertified,
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
}

impl Signal {
    pub const ALL: [Signal; 10] = [
        Signal::ScorecardSent,
        Signal::ScorecardDueAgreed,
        Signal::ScorecardReturned,
        Signal::ScorecardCertified,
        Signal::LogisticsLocked,
        Signal::AttendanceConfirmed,
        Signal::OfferSigned,
        Signal::ScorecardLocked,
        Signal::MeetingEnded,
        Signal::ReportSent,
    ];

    /// The name a playbook writes (`signal: scorecard_sent`).
    pub fn as_str(self) -> &'static str {
        match self {
            Signal::ScorecardSent => "scorecard_sent",
            Signal::ScorecardDueAgreed => "scorecard_due_agreed",
            Signal::ScorecardReturned => "scorecard_returned",
            Signal::ScorecardCertified => "scorecard_certified",
            Signal::LogisticsLocked => "logistics_locked",
            Signal::AttendanceConfirmed => "attendance_confirmed",
            Signal::OfferSigned => "offer_signed",
            Signal::ScorecardLocked => "scorecard_locked",
            Signal::MeetingEnded => "meeting_ended",
            Signal::ReportSent => "report_sent",
        }
    }

    /// Every name, for messages ("expected one of: …").
    pub fn names() -> impl Iterator<Item = &'static str> {
        Self::ALL.iter().map(|s| s.as_str())
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
        Self::ALL.into_iter().find(|sig| sig.as_str() == s).ok_or_else(|| UnknownSignal(s.to_string()))
    }
}

impl fmt::Display for Signal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_signal_reads_back_from_its_name() {
        for s in Signal::ALL {
            assert_eq!(s.as_str().parse::<Signal>(), Ok(s));
        }
        assert_eq!("scorecard_lost".parse::<Signal>(), Err(UnknownSignal("scorecard_lost".into())));
        assert_eq!("".parse::<Signal>(), Err(UnknownSignal(String::new())));
    }
}
