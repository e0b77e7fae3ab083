//! Background jobs: typed, enqueued in the business transaction, run by workers
//! that claim them with a compare-and-set (several instances never run one twice).

use std::time::Duration;

use anyhow::Context;
use embark_core::engagement::ReminderKind;
use embark_core::{jobs as rules, EngagementId, ItemId, MagicLinkId, Timestamp, UserId, WorkspaceId};
use embark_store::{emails, jobs, magic_links, users, workspaces, AnyConnection};
use serde::{Deserialize, Serialize};

use crate::email::{render_link_email, Email};
use crate::i18n::Tr;
use crate::secrets::{random_token, token_hash};
use crate::services::meeting_mail;
use crate::state::AppState;

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
        }
    }
}

/// Enqueues `job` on `conn` (pass the business transaction). With an
/// idempotency key, a second enqueue of the same key does nothing.
pub async fn enqueue(conn: &mut AnyConnection, job: &Job, now: Timestamp, key: Option<&str>) -> anyhow::Result<bool> {
    enqueue_at(conn, job, now, now, key).await
}

/// Enqueues `job` to run at `run_at`.
pub async fn enqueue_at(
    conn: &mut AnyConnection,
    job: &Job,
    run_at: Timestamp,
    now: Timestamp,
    key: Option<&str>,
) -> anyhow::Result<bool> {
    let payload = serde_json::to_string(job)?;
    Ok(jobs::enqueue(
        &mut *conn,
        jobs::NewJob { kind: job.kind(), payload: &payload, run_at, idempotency_key: key },
        now,
    )
    .await?)
}

/// Done jobs are kept this long (a month: their idempotency keys must outlive any
/// reason to enqueue the same job again), then deleted.
const KEEP_DONE_MS: i64 = 30 * 24 * 3_600_000;
/// How often a worker prunes.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);

/// Runs jobs. One per `embark worker`, one inside each `embark serve`.
pub struct Worker {
    state: AppState,
    name: String,
}

impl Worker {
    pub fn new(state: AppState) -> Self {
        Worker { state, name: format!("worker-{}", uuid::Uuid::new_v4()) }
    }

    /// Claims and runs the jobs due now. Returns how many it ran.
    pub async fn run_once(&self) -> anyhow::Result<usize> {
        let pool = self.state.store.pool();
        let now = self.state.now();
        let due = jobs::due(pool, now, 20).await?;
        let mut ran = 0;
        for id in due {
            let now = self.state.now();
            let Some(claimed) = jobs::claim(pool, id, &self.name, now, now.plus_millis(rules::LEASE_MS)).await? else {
                continue; // another worker took it
            };
            ran += 1;
            let outcome = match serde_json::from_str::<Job>(&claimed.payload) {
                Ok(job) => perform(&self.state, &job).await,
                Err(e) => Err(anyhow::anyhow!("unreadable payload for {}: {e}", claimed.kind)),
            };
            let now = self.state.now();
            match outcome {
                Ok(()) => jobs::complete(pool, id, now).await?,
                Err(e) => {
                    let error = format!("{e:#}");
                    tracing::warn!(job = %id, kind = claimed.kind, attempt = claimed.attempt, error, "job failed");
                    let attempt = i32::try_from(claimed.attempt).unwrap_or(i32::MAX);
                    if rules::exhausted(attempt) {
                        jobs::fail(pool, id, now, &error).await?;
                    } else {
                        jobs::retry(pool, id, rules::retry_at(now, attempt), &error).await?;
                    }
                }
            }
        }
        Ok(ran)
    }

    /// Runs until `shutdown` resolves: drains due jobs, then waits for a wake-up
    /// (a job enqueued here) or a poll interval (jobs enqueued by other instances, retries).
    pub async fn run_until_stopped(self, shutdown: impl std::future::Future<Output = ()>) {
        tokio::pin!(shutdown);
        let mut pruned_at: Option<std::time::Instant> = None;
        loop {
            if pruned_at.is_none_or(|at| at.elapsed() > PRUNE_EVERY) {
                pruned_at = Some(std::time::Instant::now());
                let before = self.state.now().plus_millis(-KEEP_DONE_MS);
                match jobs::prune_done(self.state.store.pool(), before).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(jobs = n, "pruned done jobs"),
                    Err(e) => tracing::warn!(error = %e, "pruning done jobs"),
                }
            }
            match self.run_once().await {
                Ok(n) if n > 0 => continue,
                Ok(_) => {}
                Err(e) => tracing::error!(error = format!("{e:#}"), "job worker"),
            }
            tokio::select! {
                _ = &mut shutdown => break,
                _ = self.state.jobs_wakeup.notified() => {}
                _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            }
        }
    }
}

async fn perform(state: &AppState, job: &Job) -> anyhow::Result<()> {
    match job {
        Job::SendLink { link_id } => send_link(state, *link_id).await,
        Job::ItemReminder { workspace_id, item_id, due_at, kind } => {
            crate::services::engagements::send_reminder(state, *workspace_id, *item_id, *due_at, *kind).await
        }
        Job::ScorecardRequest { link_id, engagement_id } => {
            send_scorecard_request(state, *link_id, *engagement_id).await
        }
        Job::MeetingInvitation { workspace_id, engagement_id, user_id, sequence } => {
            meeting_mail::invitation(state, *workspace_id, *engagement_id, *user_id, *sequence).await
        }
        Job::NoShowCheck { workspace_id, engagement_id, starts_at } => {
            meeting_mail::no_show_check(state, *workspace_id, *engagement_id, *starts_at).await
        }
        Job::ReportNotSent { workspace_id, engagement_id } => {
            meeting_mail::report_not_sent(state, *workspace_id, *engagement_id).await
        }
        Job::SendReport { workspace_id, engagement_id, user_id } => {
            meeting_mail::send_report(state, *workspace_id, *engagement_id, *user_id).await
        }
        Job::ReportNotAcknowledged { workspace_id, engagement_id } => {
            meeting_mail::report_not_acknowledged(state, *workspace_id, *engagement_id).await
        }
        Job::KickoffSurvey { workspace_id, engagement_id } => {
            meeting_mail::survey(state, *workspace_id, *engagement_id).await
        }
    }
}

/// Mints the sign-in link of a client contact and asks them to fill in the scorecard.
async fn send_scorecard_request(
    state: &AppState,
    link_id: MagicLinkId,
    engagement: EngagementId,
) -> anyhow::Result<()> {
    let pool = state.store.pool();
    let token = random_token();
    let Some(link) = magic_links::arm(pool, link_id, &token_hash(&token)).await? else {
        return Ok(());
    };
    let Some(user) = users::get(pool, link.workspace_id, link.user_id).await?.filter(|u| u.active) else {
        return Ok(());
    };
    let workspace = workspaces::get(pool, link.workspace_id).await?.context("workspace of a magic link")?;
    let Some((row, due)) = crate::services::scorecards::request_details(state, link.workspace_id, engagement)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
    else {
        return Ok(());
    };
    let tr = Tr::new(user.locale);
    let due = due.map(|d| tr.datetime(d, &workspace.time_zone)).unwrap_or_default();
    let notice = crate::email::Notice {
        lang: tr.code(),
        greeting: tr.t_args("email-greeting", &[("name", &user.name)]),
        paragraphs: vec![
            tr.t_args(
                "email-scorecard-request-body",
                &[("manager", &row.owner_name), ("engagement", &row.title), ("due", &due)],
            ),
            tr.t("email-scorecard-request-why"),
        ],
        action: tr.t("email-scorecard-request-action"),
        url: format!("{}/auth/link/{token}", state.config.base_url),
        signature: tr.t("email-signature"),
    };
    let subject = tr.t_args("email-scorecard-request-subject", &[("engagement", &row.title)]);
    let email = notice.into_email("scorecard_request", user.locale, &user.email, &user.name, subject)?;
    deliver(state, link.workspace_id, &email).await
}

/// Mints a fresh token for the link (so a token exists only in the email) and sends it.
async fn send_link(state: &AppState, link_id: MagicLinkId) -> anyhow::Result<()> {
    let pool = state.store.pool();
    let token = random_token();
    let Some(link) = magic_links::arm(pool, link_id, &token_hash(&token)).await? else {
        return Ok(()); // used or revoked meanwhile: nothing to send
    };
    let Some(user) = users::get(pool, link.workspace_id, link.user_id).await? else {
        return Ok(());
    };
    if !user.active {
        return Ok(());
    }
    let workspace = workspaces::get(pool, link.workspace_id).await?.context("workspace of a magic link")?;
    let (path, kind) = match link.purpose {
        magic_links::Purpose::SignIn => ("/auth/link/", "sign_in_link"),
        magic_links::Purpose::Invitation => ("/auth/invitation/", "invitation"),
    };
    let url = format!("{}{path}{token}", state.config.base_url);
    let hours = ((link.expires_at.as_millis() - state.now().as_millis()) as f64 / 3_600_000.0).round().max(1.0) as i64;
    let email = render_link_email(Tr::new(user.locale), kind, &user.email, &user.name, &workspace.name, url, hours)?;
    deliver(state, link.workspace_id, &email).await
}

/// Sends an email and records it in the workspace's outbox list.
pub async fn deliver(state: &AppState, workspace: WorkspaceId, email: &Email) -> anyhow::Result<()> {
    let file = state.transport.send(&state.from, email).await?;
    emails::record(
        state.store.pool(),
        workspace,
        &emails::SentEmail {
            id: email.id,
            to_addr: email.to.clone(),
            subject: email.subject.clone(),
            kind: email.kind.to_string(),
            locale: email.locale,
            transport: state.transport.name().to_string(),
            outbox_file: file,
            sent_at: state.now(),
        },
    )
    .await?;
    tracing::info!(email = %email.id, kind = email.kind, "email sent");
    Ok(())
}
