//! Requests and complaints (seed 004: "the response rate to clients", "the response
//! time to a complaint"): raised by a client or a new hire from their portal, or
//! logged by staff when one arrives by phone or email; answered, then resolved. The
//! first-response time, the resolution time and the share answered within target
//! are the indicators.

use crate::{FieldError, Role, Timestamp};

/// What the person asks: help or information, or a complaint about what was done.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RequestKind {
    Request,
    Complaint,
}

impl RequestKind {
    pub const ALL: [RequestKind; 2] = [RequestKind::Request, RequestKind::Complaint];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Request => "request",
            RequestKind::Complaint => "complaint",
        }
    }

    /// How soon a first response is due: a complaint within a working day, a request
    /// within two days.
    pub fn first_response_within_ms(self) -> i64 {
        match self {
            RequestKind::Complaint => 24 * HOUR_MS,
            RequestKind::Request => 48 * HOUR_MS,
        }
    }
}

impl std::str::FromStr for RequestKind {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        RequestKind::ALL.into_iter().find(|k| k.as_str() == s).ok_or(())
    }
}

const HOUR_MS: i64 = 3_600_000;

/// What a request is about. Each audience picks from its own list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Category {
    /// The search itself: the need, the scorecard, the process.
    Search,
    /// The candidates presented.
    Candidates,
    /// Invoices and fees.
    Billing,
    /// A computer, a phone, a badge.
    Equipment,
    /// Accounts and access to tools.
    Access,
    /// Pay, contract, paperwork.
    Payroll,
    /// Courses and the learning space.
    Training,
    /// Embark itself.
    Platform,
    Other,
}

impl Category {
    pub const ALL: [Category; 9] = [
        Category::Search,
        Category::Candidates,
        Category::Billing,
        Category::Equipment,
        Category::Access,
        Category::Payroll,
        Category::Training,
        Category::Platform,
        Category::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Search => "search",
            Category::Candidates => "candidates",
            Category::Billing => "billing",
            Category::Equipment => "equipment",
            Category::Access => "access",
            Category::Payroll => "payroll",
            Category::Training => "training",
            Category::Platform => "platform",
            Category::Other => "other",
        }
    }

    /// The categories a person with this role may raise a request in: a client about
    /// her search, a new hire about his arrival; staff logging one pick any.
    pub fn for_role(role: Role) -> &'static [Category] {
        match role {
            Role::ClientContact => {
                &[Category::Search, Category::Candidates, Category::Billing, Category::Platform, Category::Other]
            }
            Role::NewHire => &[
                Category::Equipment,
                Category::Access,
                Category::Payroll,
                Category::Training,
                Category::Platform,
                Category::Other,
            ],
            _ => &Category::ALL,
        }
    }
}

impl std::str::FromStr for Category {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Category::ALL.into_iter().find(|c| c.as_str() == s).ok_or(())
    }
}

/// How the request reached the firm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Channel {
    /// Raised by the person in her portal (or through the API in her name).
    Portal,
    /// Received by phone and logged by staff.
    Phone,
    /// Received by email and logged by staff.
    Email,
}

impl Channel {
    pub const LOGGED: [Channel; 2] = [Channel::Phone, Channel::Email];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Portal => "portal",
            Channel::Phone => "phone",
            Channel::Email => "email",
        }
    }
}

impl std::str::FromStr for Channel {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        [Channel::Portal, Channel::Phone, Channel::Email].into_iter().find(|c| c.as_str() == s).ok_or(())
    }
}

pub const SUBJECT_MIN: usize = 3;
pub const SUBJECT_MAX: usize = 160;
pub const BODY_MAX: usize = 5_000;
/// How far back staff may log a request received by phone or email.
pub const LOGGED_WITHIN_MS: i64 = 90 * 24 * HOUR_MS;

/// What a person wrote, checked: every problem at once, each with its field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Draft {
    pub kind: RequestKind,
    pub category: Category,
    pub subject: String,
    pub body: String,
}

impl Draft {
    /// Checks a request as `role` raises it (the categories are the role's).
    pub fn parse(role: Role, kind: &str, category: &str, subject: &str, body: &str) -> Result<Draft, Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = kind.parse::<RequestKind>().map_err(|()| errors.push(FieldError::new("kind", "error-request-kind")));
        let category = category
            .parse::<Category>()
            .ok()
            .filter(|c| Category::for_role(role).contains(c))
            .ok_or_else(|| errors.push(FieldError::new("category", "error-request-category")));
        let subject = subject.trim();
        let subject_len = subject.chars().count();
        if subject_len < SUBJECT_MIN {
            errors.push(FieldError::new("subject", "error-request-subject-short"));
        } else if subject_len > SUBJECT_MAX {
            errors.push(FieldError::new("subject", "error-request-subject-long"));
        }
        let body = body.trim();
        if body.is_empty() {
            errors.push(FieldError::new("body", "error-request-body-empty"));
        } else if body.chars().count() > BODY_MAX {
            errors.push(FieldError::new("body", "error-request-body-long"));
        }
        match (kind, category) {
            (Ok(kind), Ok(category)) if errors.is_empty() => {
                Ok(Draft { kind, category, subject: subject.to_string(), body: body.to_string() })
            }
            _ => Err(errors),
        }
    }
}

/// When staff say a request logged by phone or email was received: not in the
/// future, and not more than [`LOGGED_WITHIN_MS`] ago.
pub fn check_received_at(received_at: Timestamp, now: Timestamp) -> Result<Timestamp, FieldError> {
    if received_at > now {
        return Err(FieldError::new("received_at", "error-request-received-future"));
    }
    if now.as_millis() - received_at.as_millis() > LOGGED_WITHIN_MS {
        return Err(FieldError::new("received_at", "error-request-received-old"));
    }
    Ok(received_at)
}

/// A reply or a resolution: trimmed, not empty, at most [`BODY_MAX`] characters.
pub fn check_text(field: &'static str, text: &str) -> Result<String, FieldError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(FieldError::new(field, "error-request-text-empty"));
    }
    if text.chars().count() > BODY_MAX {
        return Err(FieldError::new(field, "error-request-body-long"));
    }
    Ok(text.to_string())
}

/// Where a request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Waiting for its first response, before its target.
    Open,
    /// Waiting for its first response, past its target.
    Late,
    /// Answered, not yet resolved.
    Answered,
    Resolved,
}

impl Status {
    pub fn of(
        due_at: Timestamp,
        first_response_at: Option<Timestamp>,
        resolved_at: Option<Timestamp>,
        now: Timestamp,
    ) -> Status {
        match (resolved_at, first_response_at) {
            (Some(_), _) => Status::Resolved,
            (None, Some(_)) => Status::Answered,
            (None, None) if now > due_at => Status::Late,
            (None, None) => Status::Open,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Late => "late",
            Status::Answered => "answered",
            Status::Resolved => "resolved",
        }
    }

    /// Whether its owner still has something to do first: answer it.
    pub fn awaits_response(self) -> bool {
        matches!(self, Status::Open | Status::Late)
    }
}

/// The requests of a period, counted by the database.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Received in the period.
    pub received: i64,
    /// Of those, answered for the first time within their target.
    pub answered_on_time: i64,
    /// Of those, answered at all.
    pub answered: i64,
    pub resolved: i64,
    /// Mean first-response time of those answered, in milliseconds.
    pub mean_first_response_ms: Option<i64>,
    /// Mean time from reception to resolution of those resolved, in milliseconds.
    pub mean_resolution_ms: Option<i64>,
}

impl Totals {
    /// The response rate: answered within target over all received, in whole percent
    /// rounded down (so 99.9 % is not shown as 100 %); none when nothing was received.
    pub fn response_rate(&self) -> Option<i64> {
        (self.received > 0).then(|| self.answered_on_time * 100 / self.received)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Timestamp = Timestamp::from_millis(1_800_000_000_000);

    #[test]
    fn a_request_is_checked_whole_with_every_field_in_error() {
        let errors = Draft::parse(Role::ClientContact, "praise", "payroll", " a ", "  ").unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            fields,
            [
                ("kind", "error-request-kind"),
                ("category", "error-request-category"),
                ("subject", "error-request-subject-short"),
                ("body", "error-request-body-empty"),
            ]
        );
        let ok = Draft::parse(Role::ClientContact, "complaint", "candidates", "  Late shortlist ", " Where is it?\n")
            .unwrap();
        assert_eq!(
            ok,
            Draft {
                kind: RequestKind::Complaint,
                category: Category::Candidates,
                subject: "Late shortlist".into(),
                body: "Where is it?".into()
            }
        );
    }

    #[test]
    fn each_audience_has_its_categories_and_staff_have_all() {
        assert!(Draft::parse(Role::NewHire, "request", "equipment", "A laptop", "Which one?").is_ok());
        assert!(Draft::parse(Role::NewHire, "request", "candidates", "A laptop", "Which one?").is_err());
        assert!(Draft::parse(Role::ClientContact, "request", "equipment", "A laptop", "Which one?").is_err());
        assert_eq!(Category::for_role(Role::AccountManager).len(), Category::ALL.len());
        for c in Category::ALL {
            assert_eq!(c.as_str().parse::<Category>(), Ok(c));
        }
    }

    #[test]
    fn lengths_are_counted_in_characters_at_their_bounds() {
        let at = |s: usize, b: usize| Draft::parse(Role::Admin, "request", "other", &"é".repeat(s), &"é".repeat(b));
        assert!(at(SUBJECT_MIN, 1).is_ok());
        assert!(at(SUBJECT_MAX, BODY_MAX).is_ok());
        assert_eq!(at(SUBJECT_MAX + 1, 1).unwrap_err()[0].code, "error-request-subject-long");
        assert_eq!(at(SUBJECT_MIN, BODY_MAX + 1).unwrap_err()[0].code, "error-request-body-long");
        assert_eq!(check_text("message", "  \n").unwrap_err().code, "error-request-text-empty");
        assert_eq!(check_text("message", " ok ").unwrap(), "ok");
    }

    #[test]
    fn a_logged_request_was_received_in_the_last_ninety_days_and_not_later_than_now() {
        assert!(check_received_at(NOW, NOW).is_ok());
        assert_eq!(check_received_at(NOW.plus_millis(1), NOW).unwrap_err().code, "error-request-received-future");
        assert!(check_received_at(NOW.plus_millis(-LOGGED_WITHIN_MS), NOW).is_ok());
        assert_eq!(
            check_received_at(NOW.plus_millis(-LOGGED_WITHIN_MS - 1), NOW).unwrap_err().code,
            "error-request-received-old"
        );
    }

    #[test]
    fn status_follows_the_response_then_the_resolution() {
        let due = NOW;
        assert_eq!(Status::of(due, None, None, NOW), Status::Open);
        assert_eq!(Status::of(due, None, None, NOW.plus_millis(1)), Status::Late);
        assert_eq!(Status::of(due, Some(NOW), None, NOW.plus_millis(1)), Status::Answered);
        assert_eq!(Status::of(due, Some(NOW), Some(NOW), NOW), Status::Resolved);
        assert!(Status::Late.awaits_response() && !Status::Answered.awaits_response());
    }

    #[test]
    fn the_response_rate_rounds_down_and_is_none_without_requests() {
        assert_eq!(Totals::default().response_rate(), None);
        let t = Totals { received: 3, answered_on_time: 2, ..Totals::default() };
        assert_eq!(t.response_rate(), Some(66));
        let t = Totals { received: 1000, answered_on_time: 999, ..Totals::default() };
        assert_eq!(t.response_rate(), Some(99));
    }

    #[test]
    fn a_complaint_is_due_sooner_than_a_request() {
        assert!(RequestKind::Complaint.first_response_within_ms() < RequestKind::Request.first_response_within_ms());
        assert_eq!("complaint".parse::<RequestKind>(), Ok(RequestKind::Complaint));
        assert_eq!("phone".parse::<Channel>(), Ok(Channel::Phone));
    }
}
