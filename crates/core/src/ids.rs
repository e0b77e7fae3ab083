//! Typed identifiers. Every id is a UUIDv7 (sortable by creation time), stored as TEXT.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! typed_id {
    ($($(#[$doc:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh, time-ordered id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0.as_hyphenated(), f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }

        impl FromStr for $name {
            type Err = InvalidId;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self).map_err(|_| InvalidId)
            }
        }
    )+};
}

/// A string that is not a well-formed id. Web handlers turn it into a 404.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a valid identifier")]
pub struct InvalidId;

typed_id!(
    /// A tenant: one firm. Nobody sees another workspace's data.
    WorkspaceId,
    /// A person with an account in a workspace.
    UserId,
    /// A queued background job.
    JobId,
    /// An email handed to the outbox or SMTP.
    EmailId,
    /// A personal API token.
    ApiTokenId,
    /// A single-use sign-in or invitation link.
    MagicLinkId,
    /// A playbook of a workspace's library (all its versions).
    PlaybookId,
    /// One immutable version of a playbook.
    PlaybookVersionId,
    /// A playbook running for a subject.
    EngagementId,
    /// A gate, step or checkpoint of an engagement.
    ItemId,
    /// An entry of an engagement's timeline.
    EventId,
    /// One version of the scorecard of a search.
    ScorecardId,
    /// An objection or correction raised on a scorecard before its lock.
    ObjectionId,
    /// A question about the role, in a search's questions log.
    QuestionId,
    /// A next step set at the conclusion of a kick-off.
    NextStepId,
    /// A single-purpose link sent to one person (confirm attendance, acknowledge a report…).
    ActionTokenId,
    /// A survey of a workspace (the eNPS, the client NPS…).
    SurveyId,
    /// One survey sent to one person.
    SurveySendId,
    /// One answer to a survey.
    SurveyAnswerId,
    /// The follow-up of an unhappy answer.
    SurveyFollowUpId,
    /// A course of a workspace's learning space (all its versions, in one language).
    CourseId,
    /// One immutable version of a course.
    CourseVersionId,
    /// One attempt at a quiz by one learner.
    AttemptId,
    /// A request or a complaint raised by a client or a new hire.
    RequestId,
    /// One message of a request's thread.
    RequestMessageId,
);

impl SurveyAnswerId {
    /// An id that carries no time: for an anonymous answer, whose order of arrival
    /// must not match it to the person whose link was used.
    pub fn random() -> Self {
        Self(Uuid::new_v4())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_text() {
        let id = UserId::new();
        let parsed: UserId = id.to_string().parse().unwrap();
        assert_eq!(id, parsed);
        assert!("not-an-id".parse::<UserId>().is_err());
    }

    #[test]
    fn ids_are_time_ordered() {
        let a = JobId::new();
        let b = JobId::new();
        assert!(a.to_string() < b.to_string() || a == b);
    }
}
