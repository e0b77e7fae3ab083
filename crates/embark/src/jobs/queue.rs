//! The job queue: typed jobs enqueued in the caller's transaction. It depends on nothing
//! above it (the core's ids and the store); the runner dispatches each kind to its capability.

use embark_core::engagements::ReminderKind;
use embark_core::{
    EngagementId, ItemId, MagicLinkId, RequestId, RequestMessageId, SurveyFollowUpId, SurveySendId, Timestamp, UserId,
    WorkspaceId,
};
use embark_store::{jobs, Db};
use serde::{Deserialize, Serialize};

/// Every kind of job, with its payload.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "job", rename_all = "snake_case")]
pub enum Job {
    /// Mint the token of a magic link and email it.
    SendLink { link_id: MagicLinkId },
    /// Remind the owners of an engagement item that it is due soon or overdue.
    ItemReminder { workspace_id: WorkspaceId, item_id: ItemId, due_at: Timestamp, kind: ReminderKind },
    /// Ask a client contact to fill in the scorecard, with a sign-in link that opens it.
    ScorecardRequest { link_id: MagicLinkId, engagement_id: EngagementId },
    /// Invite one person to the meeting (calendar event and a link to confirm).
    MeetingInvitation { workspace_id: WorkspaceId, engagement_id: EngagementId, user_id: UserId, sequence: i64 },
    /// 48 h before the meeting: tell the account manager who has not confirmed.
    NoShowCheck { workspace_id: WorkspaceId, engagement_id: EngagementId, starts_at: Timestamp },
    /// 15 minutes after the meeting: remind the account manager if the report is not sent.
    ReportNotSent { workspace_id: WorkspaceId, engagement_id: EngagementId },
    /// Send the report to one client contact with a link to acknowledge receipt.
    SendReport { workspace_id: WorkspaceId, engagement_id: EngagementId, user_id: UserId },
    /// 48 h after sending: remind the client and tell the account manager if not acknowledged.
    ReportNotAcknowledged { workspace_id: WorkspaceId, engagement_id: EngagementId },
    /// After the acknowledgement: the NPS to the client, the relationship question to each side.
    KickoffSurvey { workspace_id: WorkspaceId, engagement_id: EngagementId },
    /// A survey step of an engagement fell due: record the sends to its audience.
    SurveyDue { workspace_id: WorkspaceId, item_id: ItemId, due_at: Timestamp },
    /// Mint the link of one survey send and email it.
    SurveyEmail { workspace_id: WorkspaceId, send_id: SurveySendId },
    /// A week after sending, still unanswered: remind the person once.
    SurveyReminder { workspace_id: WorkspaceId, send_id: SurveySendId },
    /// An unhappy answer opened a follow-up: tell its owner.
    FollowUpOpened { workspace_id: WorkspaceId, followup_id: SurveyFollowUpId },
    /// The follow-up's response time is up: remind its owner once if unanswered.
    FollowUpDue { workspace_id: WorkspaceId, followup_id: SurveyFollowUpId },
    /// A day after the reminder, still unanswered: tell the admins.
    FollowUpEscalate { workspace_id: WorkspaceId, followup_id: SurveyFollowUpId },
    /// `days` before a certification expires: remind its holder to pass the exam again.
    CertificationExpiring {
        workspace_id: WorkspaceId,
        user_id: UserId,
        course: String,
        expires_at: Timestamp,
        days: i64,
    },
    /// A certification expired: the prerequisites it closed reopen for kick-offs not yet
    /// started, and its holder is told which.
    CertificationExpired { workspace_id: WorkspaceId, user_id: UserId, course: String, expires_at: Timestamp },
    /// A request or a complaint arrived: tell its owner.
    RequestRaised { workspace_id: WorkspaceId, request_id: RequestId },
    /// A message was added to a request's thread: tell the other side.
    RequestReplied { workspace_id: WorkspaceId, request_id: RequestId, message_id: RequestMessageId },
    /// A request was resolved: tell who raised it.
    RequestResolved { workspace_id: WorkspaceId, request_id: RequestId },
    /// A request's first-response target is up: remind its owner once if unanswered.
    RequestDue { workspace_id: WorkspaceId, request_id: RequestId },
    /// A day after the reminder, still unanswered: tell the admins.
    RequestEscalate { workspace_id: WorkspaceId, request_id: RequestId },
}

impl Job {
    pub fn kind(&self) -> &'static str {
        match self {
            Job::SendLink { .. } => "send_link",
            Job::ItemReminder { .. } => "item_reminder",
            Job::ScorecardRequest { .. } => "scorecard_request",
            Job::MeetingInvitation { .. } => "meeting_invitation",
            Job::NoShowCheck { .. } => "no_show_check",
            Job::ReportNotSent { .. } => "report_not_sent",
            Job::SendReport { .. } => "send_report",
            Job::ReportNotAcknowledged { .. } => "report_not_acknowledged",
            Job::KickoffSurvey { .. } => "kickoff_survey",
            Job::SurveyDue { .. } => "survey_due",
            Job::SurveyEmail { .. } => "survey_email",
            Job::SurveyReminder { .. } => "survey_reminder",
            Job::FollowUpOpened { .. } => "followup_opened",
            Job::FollowUpDue { .. } => "followup_due",
            Job::FollowUpEscalate { .. } => "followup_escalate",
            Job::CertificationExpiring { .. } => "certification_expiring",
            Job::CertificationExpired { .. } => "certification_expired",
            Job::RequestRaised { .. } => "request_raised",
            Job::RequestReplied { .. } => "request_replied",
            Job::RequestResolved { .. } => "request_resolved",
            Job::RequestDue { .. } => "request_due",
            Job::RequestEscalate { .. } => "request_escalate",
        }
    }
}

/// Enqueues `job` on `conn` (pass the business transaction). With an
/// idempotency key, a second enqueue of the same key does nothing.
pub async fn enqueue(conn: &mut Db, job: &Job, now: Timestamp, key: Option<&str>) -> anyhow::Result<bool> {
    enqueue_at(conn, job, now, now, key).await
}

/// Enqueues `job` to run at `run_at`.
pub async fn enqueue_at(
    conn: &mut Db,
    job: &Job,
    run_at: Timestamp,
    now: Timestamp,
    key: Option<&str>,
) -> anyhow::Result<bool> {
    let payload = serde_json::to_string(job)?;
    Ok(jobs::enqueue(
        &mut *conn,
        jobs::NewJob {
            kind: job.kind(),
            payload: &payload,
            run_at,
            idempotency_key: key,
            request_id: crate::request_id::current().as_deref(),
        },
        now,
    )
    .await?)
}
