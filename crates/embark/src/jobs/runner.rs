//! Background jobs: typed, enqueued in the business transaction, run by workers
//! that claim them with a compare-and-set (several instances never run one twice).

use std::time::Duration;

use embark_core::jobs as rules;
use embark_store::jobs;

use crate::jobs::queue::Job;
use crate::kickoff::meeting::mail as meeting_mail;
use crate::state::AppState;

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
        let pool = &mut self.state.store.db();
        let now = self.state.now();
        let due = jobs::due(pool, now, 20).await?;
        let mut ran = 0;
        for id in due {
            let now = self.state.now();
            let Some(claimed) = jobs::claim(pool, id, &self.name, now, now.plus_millis(rules::LEASE_MS)).await? else {
                continue; // another worker took it
            };
            ran += 1;
            // The job's logs carry its own id and the id of the request that enqueued it.
            let span = tracing::info_span!(
                "job",
                id = %id,
                kind = claimed.kind,
                attempt = claimed.attempt,
                request = %claimed.request_id.as_deref().unwrap_or("-"),
            );
            let outcome = tracing::Instrument::instrument(
                async {
                    match serde_json::from_str::<Job>(&claimed.payload) {
                        Ok(job) => perform(&self.state, &job).await,
                        Err(e) => Err(anyhow::anyhow!("unreadable payload for {}: {e}", claimed.kind)),
                    }
                },
                span.clone(),
            )
            .await;
            let now = self.state.now();
            match outcome {
                Ok(()) => jobs::complete(pool, id, now).await?,
                Err(e) => {
                    let error = format!("{e:#}");
                    span.in_scope(|| tracing::warn!(error, "job failed"));
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

    /// Runs until `shutdown` resolves (checked between batches of due jobs, so a stop
    /// waits for at most one batch): drains due jobs, then waits for a wake-up
    /// (a job enqueued here) or a poll interval (jobs enqueued by other instances, retries).
    pub async fn run_until_stopped(self, shutdown: impl std::future::Future<Output = ()>) {
        tokio::pin!(shutdown);
        let mut pruned_at: Option<std::time::Instant> = None;
        loop {
            if pruned_at.is_none_or(|at| at.elapsed() > PRUNE_EVERY) {
                pruned_at = Some(std::time::Instant::now());
                let before = self.state.now().plus_millis(-KEEP_DONE_MS);
                match jobs::prune_done(&mut self.state.store.db(), before).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(jobs = n, "pruned done jobs"),
                    Err(e) => tracing::warn!(error = %e, "pruning done jobs"),
                }
            }
            match self.run_once().await {
                // More may be due: take the next batch, unless asked to stop (a busy
                // worker stops between batches, not once the queue is empty).
                Ok(n) if n > 0 => {
                    tokio::select! {
                        biased;
                        _ = &mut shutdown => break,
                        _ = std::future::ready(()) => continue,
                    }
                }
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
        Job::SendLink { link_id } => crate::accounts::mail::send_link(state, *link_id).await,
        Job::ItemReminder { workspace_id, item_id, due_at, kind } => {
            crate::engagements::reminders::send(state, *workspace_id, *item_id, *due_at, *kind).await
        }
        Job::ScorecardRequest { link_id, engagement_id } => {
            crate::kickoff::scorecard::mail::send_request(state, *link_id, *engagement_id).await
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
        Job::SurveyDue { workspace_id, item_id, due_at } => {
            crate::surveys::service::send_due(state, *workspace_id, *item_id, *due_at).await
        }
        Job::SurveyEmail { workspace_id, send_id } => crate::surveys::mail::send(state, *workspace_id, *send_id).await,
        Job::SurveyReminder { workspace_id, send_id } => {
            crate::surveys::mail::remind(state, *workspace_id, *send_id).await
        }
        Job::FollowUpOpened { workspace_id, followup_id } => {
            crate::surveys::mail::followup_opened(state, *workspace_id, *followup_id).await
        }
        Job::FollowUpDue { workspace_id, followup_id } => {
            crate::surveys::mail::followup_due(state, *workspace_id, *followup_id).await
        }
        Job::FollowUpEscalate { workspace_id, followup_id } => {
            crate::surveys::mail::followup_escalate(state, *workspace_id, *followup_id).await
        }
        Job::CertificationExpiring { workspace_id, user_id, course, expires_at, days } => {
            crate::learning::mail::expiring(state, *workspace_id, *user_id, course, *expires_at, *days).await
        }
        Job::CertificationExpired { workspace_id, user_id, course, expires_at } => {
            crate::learning::mail::expired(state, *workspace_id, *user_id, course, *expires_at).await
        }
        Job::RequestRaised { workspace_id, request_id } => {
            crate::requests::mail::raised(state, *workspace_id, *request_id).await
        }
        Job::RequestReplied { workspace_id, request_id, message_id } => {
            crate::requests::mail::replied(state, *workspace_id, *request_id, *message_id).await
        }
        Job::RequestResolved { workspace_id, request_id } => {
            crate::requests::mail::resolved(state, *workspace_id, *request_id).await
        }
        Job::RequestDue { workspace_id, request_id } => {
            crate::requests::mail::due(state, *workspace_id, *request_id).await
        }
        Job::RequestEscalate { workspace_id, request_id } => {
            crate::requests::mail::escalate(state, *workspace_id, *request_id).await
        }
    }
}
