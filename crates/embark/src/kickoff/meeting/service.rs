//! The kick-off meeting (seed 000): logistics locked beforehand, the invitation with
//! its `.ics` and the attendance confirmation, the T-24 h readiness review, the live
//! runner (clock per step, finish on time or extend explicitly), the conclusion with
//! next steps, the report sent and acknowledged, and the feedback that tells whether
//! it was a good kick-off.

use std::sync::Arc;

use embark_core::engagements::{self as engagement, EngagementState, ItemStatus};
use embark_core::kickoff::meeting::{self, TimedStep};
use embark_core::kickoff::scorecard::{self, ReturnTiming};
use embark_core::kickoff::{
    self, ActionPurpose, Check, FollowedStep, Logistics, NextStepKind, NextStepOutcome, Quality, QualityInput,
    ReadinessInput,
};
use embark_core::playbooks::{Kind, Playbook};
use embark_core::{EngagementId, FieldError, NextStepId, Role, Signal, Timestamp, UserId, WorkspaceId};
use embark_store::accounts::sessions::Principal;
use embark_store::engagements::{self as engagement_store, EngagementRow, ItemRow, Participant};
use embark_store::kickoff::meetings::{self as store, Attendee, Feedback, MeetingRow, NextStep, Report};
use embark_store::kickoff::scorecards::{self as scorecard_store, ScorecardRow};
use embark_store::{accounts::certifications, kickoff::action_tokens, Db, StoreError};

use crate::engagements::service::{load, Access};
use crate::engagements::signals::{emit, withdraw};
use crate::error::AppError;
use crate::jobs::queue::{self as jobs, Job};
use crate::kickoff::scorecard::service::{assemble, CLIENT_ROLE};
use crate::live::LiveEvent;
use crate::secrets::{random_token, token_hash};
use crate::state::AppState;

/// The refusal of a start more than 30 minutes early, until confirmed.
pub const EARLY_START: &str = "error-meeting-early";

/// Everything the meeting pages show.
pub struct MeetingView {
    pub workspace_id: WorkspaceId,
    pub engagement: EngagementRow,
    pub playbook: Arc<Playbook>,
    pub access: Access,
    pub meeting: MeetingRow,
    pub attendees: Vec<Attendee>,
    pub participants: Vec<Participant>,
    pub items: Vec<ItemRow>,
    pub scorecard: Option<ScorecardRow>,
    pub am_certified: bool,
    pub steps: Vec<TimedStep>,
    pub step_times: Vec<(String, i64)>,
    pub next_steps: Vec<NextStep>,
    pub report: Option<Report>,
    pub feedback: Vec<Feedback>,
    pub open_questions: i64,
    pub now: Timestamp,
}

impl MeetingView {
    pub fn starts_at(&self) -> Timestamp {
        self.engagement.anchor_at
    }
    pub fn unconfirmed(&self) -> usize {
        self.attendees.iter().filter(|a| a.confirmed_at.is_none() && a.role == Role::ClientContact).count()
    }
    pub fn no_show_risk(&self) -> bool {
        self.meeting.started_at.is_none()
            && self.meeting.invitation_sent_at.is_some()
            && kickoff::no_show_risk(self.starts_at(), self.now, self.unconfirmed())
    }
    pub fn return_timing(&self) -> Option<ReturnTiming> {
        let s = self.scorecard.as_ref()?;
        Some(scorecard::return_timing(s.returned_at?, s.due_at?))
    }
    pub fn readiness(&self) -> [Check; 4] {
        kickoff::readiness(ReadinessInput {
            scorecard_return: self.return_timing(),
            unconfirmed_attendees: self.unconfirmed(),
            attendees: self.attendees.iter().filter(|a| a.role == Role::ClientContact).count(),
            logistics_locked: self.meeting.logistics_locked_at.is_some(),
            am_certified: self.am_certified,
        })
    }
    /// Seconds each meeting step took (summed over visits), in agenda order.
    pub fn actual_ms(&self, step: &str) -> Option<i64> {
        self.step_times.iter().find(|(k, _)| k == step).map(|(_, ms)| *ms)
    }
    pub fn finished_on_time(&self) -> Option<bool> {
        let (start, end) = (self.meeting.started_at?, self.meeting.ended_at?);
        Some(kickoff::finished_on_time(start, end, u32::try_from(self.meeting.duration_minutes).unwrap_or(0)))
    }
    pub fn nps(&self) -> Option<&Feedback> {
        self.feedback.iter().find(|f| f.question == "nps")
    }
    pub fn quality(&self) -> Quality {
        let side = |client: bool| {
            self.feedback
                .iter()
                .filter(|f| f.question == "relationship")
                .find(|f| {
                    let is_client = self.participants.iter().any(|p| p.user_id == f.user_id && p.role == CLIENT_ROLE);
                    is_client == client
                })
                .map(|f| f.score != 0)
        };
        kickoff::quality(
            &QualityInput {
                nps: self.nps().and_then(|f| u8::try_from(f.score).ok()),
                scorecard_locked: self.scorecard.as_ref().is_some_and(|s| s.locked_at.is_some()),
                open_questions: usize::try_from(self.open_questions).unwrap_or(0),
                relationship: (side(false), side(true)),
                meeting_ended: self.meeting.ended_at.is_some(),
                next_steps: self
                    .next_steps
                    .iter()
                    .map(|s| FollowedStep {
                        due_at: s.due_at,
                        outcome: s.outcome,
                        closed_at: s.closed_at,
                        accepted: s.accepted_at.is_some(),
                    })
                    .collect(),
            },
            self.now,
        )
    }
}

/// A page of the workspace's kick-offs with their four signals, and the workspace's totals.
pub struct QualityBoard {
    pub rows: Vec<(store::QualityRow, Quality)>,
    pub totals: store::Totals,
}

/// The kick-off quality view: staff who see every engagement only (others get 404).
pub async fn quality_board(
    state: &AppState,
    actor: &Principal,
    after: Option<(Timestamp, EngagementId)>,
    limit: i64,
) -> Result<QualityBoard, AppError> {
    let role = actor.user.role;
    if !role.can(embark_core::Permission::ViewAllEngagements) || role == Role::ClientContact {
        return Err(AppError::NotFound);
    }
    let ws = actor.user.workspace_id;
    let pool = &mut state.store.db();
    let page = store::quality_page(pool, ws, after, limit).await?;
    let now = state.now();
    let rows = page
        .into_iter()
        .map(|r| {
            let side = |client: bool| r.relationship.iter().find(|(_, c)| *c == client).map(|(s, _)| *s != 0);
            let input = QualityInput {
                nps: r.nps.and_then(|n| u8::try_from(n).ok()),
                scorecard_locked: r.locked,
                open_questions: usize::try_from(r.open_questions).unwrap_or(0),
                relationship: (side(false), side(true)),
                meeting_ended: r.ended,
                next_steps: r
                    .next_steps
                    .iter()
                    .map(|&(due_at, outcome, closed_at, accepted)| FollowedStep {
                        due_at,
                        outcome,
                        closed_at,
                        accepted,
                    })
                    .collect(),
            };
            let q = kickoff::quality(&input, now);
            (r, q)
        })
        .collect();
    let all_time = (Timestamp::from_millis(0), Timestamp::from_millis(i64::MAX));
    Ok(QualityBoard { rows, totals: store::totals(pool, ws, all_time.0, all_time.1).await? })
}

/// Creates the meeting row (and its attendees, from the engagement's participants) the first time.
async fn ensure(
    state: &AppState,
    ws: WorkspaceId,
    id: EngagementId,
    playbook: &Playbook,
    participants: &[Participant],
) -> Result<(), AppError> {
    let pool = &mut state.store.db();
    if store::get(pool, ws, id).await?.is_some() {
        return Ok(());
    }
    let minutes = playbook.duration.map(|d| i64::from(d.minutes())).unwrap_or(60);
    let mut tx = state.store.begin().await?;
    store::ensure(&mut tx, ws, id, minutes, state.now()).await?;
    for p in participants.iter().filter(|p| p.active) {
        store::add_attendee(&mut tx, ws, id, p.user_id).await?;
    }
    tx.commit().await.map_err(StoreError::from)?;
    Ok(())
}

pub async fn view(state: &AppState, actor: &Principal, id: EngagementId) -> Result<MeetingView, AppError> {
    let (engagement, playbook, participants, access) = load(state, actor, id).await?;
    if playbook.kind != Kind::Meeting {
        return Err(AppError::NotFound);
    }
    let ws = actor.user.workspace_id;
    ensure(state, ws, id, &playbook, &participants).await?;
    gather(state, ws, engagement, playbook, participants, access).await?.ok_or(AppError::NotFound)
}

/// Reads everything a meeting view shows, once the engagement is known to be the viewer's.
async fn gather(
    state: &AppState,
    ws: WorkspaceId,
    engagement: EngagementRow,
    playbook: Arc<Playbook>,
    participants: Vec<Participant>,
    access: Access,
) -> Result<Option<MeetingView>, AppError> {
    let pool = &mut state.store.db();
    let id = engagement.id;
    let Some(meeting) = store::get(pool, ws, id).await? else { return Ok(None) };
    let now = state.now();
    let am_certified = certifications::is_valid(pool, ws, engagement.owner_id, certifications::SCORECARD, now).await?;
    Ok(Some(MeetingView {
        attendees: store::attendees(pool, ws, id).await?,
        items: engagement_store::items(pool, ws, id).await?,
        scorecard: scorecard_store::current(pool, ws, id).await?,
        steps: meeting::timed_steps(&playbook),
        step_times: store::step_times(pool, ws, id).await?,
        next_steps: store::next_steps(pool, ws, id).await?,
        report: store::report(pool, ws, id).await?,
        feedback: store::feedback(pool, ws, id).await?,
        open_questions: scorecard_store::open_questions(pool, ws, id).await?,
        am_certified,
        workspace_id: ws,
        engagement,
        playbook,
        access,
        meeting,
        participants,
        now,
    }))
}

/// Loads for a change by the firm's side: only those who run engagements.
async fn manage(state: &AppState, actor: &Principal, id: EngagementId) -> Result<MeetingView, AppError> {
    let v = view(state, actor, id).await?;
    if !v.access.can_manage {
        return Err(AppError::Forbidden);
    }
    if v.engagement.state == EngagementState::Cancelled {
        return Err(FieldError::new("engagement", "error-engagement-cancelled").into());
    }
    Ok(v)
}

async fn event(
    conn: &mut Db,
    ws: WorkspaceId,
    id: EngagementId,
    actor: Option<&Principal>,
    kind: &str,
    detail: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    engagement_store::record_event(conn, ws, id, actor.map(|a| a.user.id), kind, None, detail, now).await?;
    Ok(())
}

/// Place (or video link), start and length. The start is the engagement's anchor:
/// changing it reschedules every due date.
pub async fn set_logistics(
    state: &AppState,
    actor: &Principal,
    id: EngagementId,
    place: &str,
    starts_at: &str,
    duration: &str,
) -> Result<(), AppError> {
    let v = manage(state, actor, id).await?;
    if v.meeting.logistics_locked_at.is_some() {
        return Err(FieldError::new("place", "error-meeting-logistics-locked").into());
    }
    let mut errors = Vec::new();
    let place = kickoff::parse_place(place).map_err(|e| errors.push(e)).ok();
    let start = engagement::parse_anchor(starts_at, &actor.workspace_time_zone).map_err(|_| {
        errors.push(FieldError::new("starts_at", "error-meeting-start-invalid"));
    });
    let minutes = kickoff::parse_duration_minutes(duration).map_err(|e| errors.push(e)).ok();
    let now = state.now();
    let start = start.and_then(|s| {
        engagement::ensure_ahead("starts_at", "error-meeting-start-past", s, now)
            .and_then(|()| engagement::ensure_near("starts_at", s, now))
            .map(|()| s)
            .map_err(|e| errors.push(e))
    });
    let (Some(place), Ok(start), Some(minutes)) = (place, start, minutes) else {
        return Err(AppError::Invalid(errors));
    };
    let ws = actor.user.workspace_id;
    // One transaction: the logistics and the move of the kick-off (its due dates and reminders).
    let mut tx = state.store.begin().await?;
    if !store::set_logistics(&mut tx, ws, id, &place, i64::from(minutes), now).await? {
        return Err(FieldError::new("place", "error-meeting-logistics-locked").into());
    }
    event(&mut tx, ws, id, Some(actor), "logistics_set", &place, now).await?;
    if start != v.engagement.anchor_at {
        crate::engagements::service::move_anchor_in(&mut tx, actor, &v.engagement, &v.playbook, start, now).await?;
    }
    tx.commit().await.map_err(StoreError::from)?;
    state.jobs_wakeup.notify_one();
    Ok(())
}

/// Adds or removes someone invited to the meeting (before the logistics are locked).
pub async fn set_attendee(
    state: &AppState,
    actor: &Principal,
    id: EngagementId,
    user: &str,
    present: bool,
) -> Result<(), AppError> {
    let v = manage(state, actor, id).await?;
    if v.meeting.logistics_locked_at.is_some() {
        return Err(FieldError::new("attendees", "error-meeting-logistics-locked").into());
    }
    let ws = actor.user.workspace_id;
    let user: UserId = user.parse().map_err(|_| FieldError::new("user_id", "error-participant-unknown"))?;
    let person = embark_store::accounts::users::get(&mut state.store.db(), ws, user)
        .await?
        .filter(|u| u.active)
        .ok_or(FieldError::new("user_id", "error-participant-unknown"))?;
    if present {
        store::add_attendee(&mut state.store.db(), ws, id, person.id).await?;
    } else {
        store::remove_attendee(&mut state.store.db(), ws, id, person.id).await?;
    }
    Ok(())
}

/// Locks place, time, length and participants: the prerequisite the playbook waits for.
pub async fn lock_logistics(state: &AppState, actor: &Principal, id: EngagementId) -> Result<(), AppError> {
    let v = manage(state, actor, id).await?;
    let clients = v.attendees.iter().filter(|a| a.role == Role::ClientContact).count();
    let now = state.now();
    let missing = Logistics {
        place: &v.meeting.place,
        starts_at: v.starts_at(),
        duration_minutes: u32::try_from(v.meeting.duration_minutes).unwrap_or(0),
        attendees: v.attendees.len(),
        client_attendees: clients,
    }
    .missing_for_lock(now);
    if !missing.is_empty() {
        return Err(AppError::Invalid(missing));
    }
    let ws = actor.user.workspace_id;
    let mut tx = state.store.begin().await?;
    if !store::set_logistics_lock(&mut tx, ws, id, Some(actor.user.id), now).await? {
        return Err(FieldError::new("place", "error-meeting-logistics-locked").into());
    }
    event(&mut tx, ws, id, Some(actor), "logistics_locked", "", now).await?;
    emit(state, &mut tx, ws, id, Signal::LogisticsLocked, now).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(())
}

/// Unlocks the logistics to change them (before the meeting starts); the gate reopens.
pub async fn unlock_logistics(state: &AppState, actor: &Principal, id: EngagementId) -> Result<(), AppError> {
    manage(state, actor, id).await?;
    let ws = actor.user.workspace_id;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    if !store::set_logistics_lock(&mut tx, ws, id, None, now).await? {
        return Err(FieldError::new("place", "error-meeting-started").into());
    }
    withdraw(state, &mut tx, ws, id, Signal::LogisticsLocked, now).await?;
    event(&mut tx, ws, id, Some(actor), "logistics_unlocked", "", now).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(())
}

/// Emails everyone invited an invitation with the `.ics` and a link to confirm, and
/// schedules the no-show check 48 h before.
pub async fn send_invitation(state: &AppState, actor: &Principal, id: EngagementId) -> Result<(), AppError> {
    let v = manage(state, actor, id).await?;
    if v.meeting.logistics_locked_at.is_none() {
        return Err(FieldError::new("place", "error-meeting-lock-first").into());
    }
    let ws = actor.user.workspace_id;
    let now = state.now();
    let starts = v.starts_at();
    let mut tx = state.store.begin().await?;
    let sequence = store::invitation_sent(&mut tx, ws, id, now).await?;
    store::mark_invited(&mut tx, ws, id, now).await?;
    for a in v.attendees.iter().filter(|a| a.active) {
        let job = Job::MeetingInvitation { workspace_id: ws, engagement_id: id, user_id: a.user_id, sequence };
        let key = format!("invitation:{id}:{}:{sequence}", a.user_id);
        jobs::enqueue(&mut tx, &job, now, Some(&key)).await?;
    }
    let check_at = Timestamp::from_millis((starts.as_millis() - kickoff::CONFIRMATION_LEAD_MS).max(now.as_millis()));
    let job = Job::NoShowCheck { workspace_id: ws, engagement_id: id, starts_at: starts };
    jobs::enqueue_at(&mut tx, &job, check_at, now, Some(&format!("no-show:{id}:{}", starts.as_millis()))).await?;
    event(&mut tx, ws, id, Some(actor), "invitation_sent", &format!("#{sequence}"), now).await?;
    tx.commit().await.map_err(StoreError::from)?;
    state.jobs_wakeup.notify_one();
    Ok(())
}

/// Mints a single-purpose link for one person about one engagement.
pub async fn mint_action(
    state: &AppState,
    ws: WorkspaceId,
    id: EngagementId,
    user: UserId,
    purpose: ActionPurpose,
    expires_at: Timestamp,
) -> Result<String, AppError> {
    let token = random_token();
    action_tokens::create(&mut state.store.db(), ws, id, user, purpose, &token_hash(&token), state.now(), expires_at)
        .await?;
    Ok(format!("{}/a/{token}", state.config.base_url))
}

/// Starts the meeting on its first step. Its prerequisites must be closed (or overridden).
/// Starts the meeting's clock. More than 30 minutes before the planned time, it starts
/// only once `early_confirmed` (else `error-meeting-early`, nothing written).
pub async fn start(
    state: &AppState,
    actor: &Principal,
    id: EngagementId,
    early_confirmed: bool,
) -> Result<(), AppError> {
    let v = manage(state, actor, id).await?;
    let first = v.steps.first().map(|s| s.key.clone()).ok_or(AppError::NotFound)?;
    let statuses: Vec<ItemStatus> =
        v.items.iter().map(|i| ItemStatus { key: &i.key, kind: i.kind, state: i.state, due_at: i.due_at }).collect();
    let overridden = v.items.iter().any(|i| i.key == first && i.overridden);
    let open = engagement::open_gates(&v.playbook, &first, &statuses);
    if !open.is_empty() && !overridden {
        return Err(AppError::Blocked(open.into_iter().map(str::to_string).collect()));
    }
    let now = state.now();
    if meeting::starts_early(v.starts_at(), now) && !early_confirmed && v.meeting.started_at.is_none() {
        return Err(FieldError::new("meeting", EARLY_START).into());
    }
    let ws = actor.user.workspace_id;
    let mut tx = state.store.begin().await?;
    if !store::start(&mut tx, ws, id, &first, now).await? {
        return Err(FieldError::new("meeting", "error-meeting-started").into());
    }
    if let Some(s) = &v.scorecard {
        if s.locked_at.is_none() && s.state != embark_core::kickoff::ScorecardState::Draft {
            scorecard_store::set_state(&mut tx, ws, s.id, embark_core::kickoff::ScorecardState::InReview, now).await?;
        }
    }
    event(&mut tx, ws, id, Some(actor), "meeting_started", "", now).await?;
    tx.commit().await.map_err(StoreError::from)?;
    state.live.publish(&state.store, id, LiveEvent::new("runner")).await;
    Ok(())
}

/// Moves the runner to the next (`forward`) or previous step, recording the time spent.
/// `from` is the step the person saw: if the runner already left it (a double click,
/// a colleague's click), nothing moves.
pub async fn move_step(
    state: &AppState,
    actor: &Principal,
    id: EngagementId,
    forward: bool,
    from: Option<&str>,
) -> Result<(), AppError> {
    let v = manage(state, actor, id).await?;
    let (Some(current), Some(since)) = (v.meeting.current_step.clone(), v.meeting.step_started_at) else {
        return Err(FieldError::new("meeting", "error-meeting-not-running").into());
    };
    if from.is_some_and(|f| !f.is_empty() && f != current) {
        return Ok(());
    }
    let pos = v.steps.iter().position(|s| s.key == current).unwrap_or(0);
    let target = if forward { v.steps.get(pos + 1) } else { pos.checked_sub(1).and_then(|p| v.steps.get(p)) };
    let Some(target) = target else {
        return Err(FieldError::new(
            "meeting",
            if forward { "error-meeting-last-step" } else { "error-meeting-first-step" },
        )
        .into());
    };
    let ws = actor.user.workspace_id;
    let mut conn = state.store.conn().await?;
    // A double click moves once: the move applies only from where the runner was seen.
    store::move_step(&mut conn, ws, id, (&current, since), Some(&target.key), state.now()).await?;
    drop(conn);
    state.live.publish(&state.store, id, LiveEvent::new("runner")).await;
    Ok(())
}

/// Extends the meeting: an explicit, recorded decision (offering to extend is a sign of failure).
pub async fn extend(state: &AppState, actor: &Principal, id: EngagementId, minutes: &str) -> Result<(), AppError> {
    let v = manage(state, actor, id).await?;
    let minutes = kickoff::parse_extension(minutes)?;
    if v.meeting.started_at.is_none() || v.meeting.ended_at.is_some() {
        return Err(FieldError::new("minutes", "error-meeting-not-running").into());
    }
    let ws = actor.user.workspace_id;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    store::extend(&mut tx, ws, id, i64::from(minutes), now).await?;
    event(&mut tx, ws, id, Some(actor), "meeting_extended", &format!("{minutes} min"), now).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(())
}

/// Ends the meeting: records the last step's time and whether it finished on time,
/// generates the report and schedules the reminder if it is not sent within 15 minutes.
pub async fn end(state: &AppState, actor: &Principal, id: EngagementId) -> Result<(), AppError> {
    let v = manage(state, actor, id).await?;
    let (Some(current), Some(since)) = (v.meeting.current_step.clone(), v.meeting.step_started_at) else {
        return Err(FieldError::new("meeting", "error-meeting-not-running").into());
    };
    let ws = actor.user.workspace_id;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    if !store::move_step(&mut tx, ws, id, (&current, since), None, now).await?
        || !store::end(&mut tx, ws, id, now).await?
    {
        return Err(FieldError::new("meeting", "error-meeting-not-running").into());
    }
    let started = v.meeting.started_at.unwrap_or(now);
    let on_time = kickoff::finished_on_time(started, now, u32::try_from(v.meeting.duration_minutes).unwrap_or(0));
    event(&mut tx, ws, id, Some(actor), if on_time { "meeting_ended_on_time" } else { "meeting_ended_late" }, "", now)
        .await?;
    emit(state, &mut tx, ws, id, Signal::MeetingEnded, now).await?;
    store::create_report(&mut tx, ws, id, "", now).await?;
    let remind_at = now.plus_millis(kickoff::REPORT_SEND_WITHIN_MS);
    jobs::enqueue_at(
        &mut tx,
        &Job::ReportNotSent { workspace_id: ws, engagement_id: id },
        remind_at,
        now,
        Some(&format!("report-unsent:{id}")),
    )
    .await?;
    tx.commit().await.map_err(StoreError::from)?;
    state.jobs_wakeup.notify_one();
    state.live.publish(&state.store, id, LiveEvent::new("runner")).await;
    Ok(())
}

/// Dedicated resources and market dynamics, as told to the client at the conclusion.
pub async fn set_conclusion(
    state: &AppState,
    actor: &Principal,
    id: EngagementId,
    resources: &str,
    market: &str,
) -> Result<(), AppError> {
    manage(state, actor, id).await?;
    for (text, field) in [(resources, "resources"), (market, "market_notes")] {
        if text.chars().count() > 5_000 {
            return Err(FieldError::new(field, "error-text-too-long").into());
        }
    }
    store::set_conclusion(
        &mut state.store.db(),
        actor.user.workspace_id,
        id,
        resources.trim(),
        market.trim(),
        state.now(),
    )
    .await?;
    Ok(())
}

/// A next step as typed: kind, what, who (a person of the search), by when (ahead).
/// Every field's problem at once.
fn parse_next_step<'a>(
    v: &MeetingView,
    actor: &Principal,
    kind: &str,
    title: &'a str,
    owner: &str,
    due: &str,
    now: Timestamp,
) -> Result<store::NewNextStep<'a>, AppError> {
    let mut errors = Vec::new();
    let kind =
        kind.parse::<NextStepKind>().map_err(|_| errors.push(FieldError::new("kind", "error-next-step-kind"))).ok();
    let title = title.trim();
    if title.is_empty() {
        errors.push(FieldError::new("title", "error-field-missing"));
    } else if title.chars().count() > 300 || title.chars().any(char::is_control) {
        errors.push(FieldError::new("title", "error-text-too-long"));
    }
    let owner = owner
        .parse::<UserId>()
        .ok()
        .filter(|u| v.participants.iter().any(|p| p.user_id == *u) || v.attendees.iter().any(|a| a.user_id == *u))
        .or_else(|| {
            errors.push(FieldError::new("owner_id", "error-next-step-owner"));
            None
        });
    let due = engagement::parse_anchor(due, &actor.workspace_time_zone)
        .map_err(|_| FieldError::new("due_at", "error-next-step-due"))
        .and_then(|d| engagement::ensure_ahead("due_at", "error-next-step-due-past", d, now).map(|()| d))
        .and_then(|d| engagement::ensure_near("due_at", d, now).map(|()| d))
        .map_err(|e| errors.push(e))
        .ok();
    match (kind, owner, due) {
        (Some(kind), Some(owner_id), Some(due_at)) if errors.is_empty() => {
            Ok(store::NewNextStep { kind, title, owner_id, due_at })
        }
        _ => Err(AppError::Invalid(errors)),
    }
}

fn report_sent(v: &MeetingView) -> bool {
    v.report.as_ref().is_some_and(|r| r.sent_at.is_some())
}

/// A next step: kind, what, who (a person of the search), by when; until the report is
/// sent (refused after, nothing written: the client holds the list she was sent).
pub async fn add_next_step(
    state: &AppState,
    actor: &Principal,
    id: EngagementId,
    kind: &str,
    title: &str,
    owner: &str,
    due: &str,
) -> Result<NextStepId, AppError> {
    let v = manage(state, actor, id).await?;
    kickoff::may_edit_next_steps(report_sent(&v))?;
    let now = state.now();
    let step = parse_next_step(&v, actor, kind, title, owner, due, now)?;
    // The store's guard reads the report in the statement: a report sent meanwhile wins.
    store::add_next_step_before_report(&mut state.store.db(), actor.user.workspace_id, id, step, actor.user.id, now)
        .await?
        .ok_or_else(|| AppError::from(FieldError::new("next_steps", "error-next-steps-report-sent")))
}

/// Changes a next step (kind, what, who, by when) until the report is sent; after, it
/// is refused with its reason and nothing is written.
#[allow(clippy::too_many_arguments)]
pub async fn edit_next_step(
    state: &AppState,
    actor: &Principal,
    id: EngagementId,
    step: NextStepId,
    kind: &str,
    title: &str,
    owner: &str,
    due: &str,
) -> Result<(), AppError> {
    let v = manage(state, actor, id).await?;
    let Some(before) = v.next_steps.iter().find(|n| n.id == step) else { return Err(AppError::NotFound) };
    kickoff::may_edit_next_steps(report_sent(&v))?;
    let now = state.now();
    let new = parse_next_step(&v, actor, kind, title, owner, due, now)?;
    let ws = actor.user.workspace_id;
    let mut tx = state.store.begin().await?;
    // The store's guard reads the report in this transaction: a report sent meanwhile wins.
    if !store::update_next_step_before_report(&mut tx, ws, id, step, &new).await? {
        return Err(FieldError::new("next_steps", "error-next-steps-report-sent").into());
    }
    let detail =
        if before.title == new.title { new.title.to_string() } else { format!("{} → {}", before.title, new.title) };
    event(&mut tx, ws, id, Some(actor), "next_step_edited", &detail, now).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(())
}

/// Records what became of a next step (done, missed, or open again).
pub async fn set_next_step_outcome(
    state: &AppState,
    actor: &Principal,
    id: EngagementId,
    step: NextStepId,
    outcome: NextStepOutcome,
) -> Result<(), AppError> {
    manage(state, actor, id).await?;
    if !store::set_next_step_outcome(&mut state.store.db(), actor.user.workspace_id, id, step, outcome, state.now())
        .await?
    {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Deletes a next step until the report is sent (refused after, nothing written).
pub async fn delete_next_step(
    state: &AppState,
    actor: &Principal,
    id: EngagementId,
    step: NextStepId,
) -> Result<(), AppError> {
    let v = manage(state, actor, id).await?;
    let Some(before) = v.next_steps.iter().find(|n| n.id == step) else { return Err(AppError::NotFound) };
    kickoff::may_edit_next_steps(report_sent(&v))?;
    let ws = actor.user.workspace_id;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    if !store::delete_next_step_before_report(&mut tx, ws, id, step).await? {
        return Err(FieldError::new("next_steps", "error-next-steps-report-sent").into());
    }
    event(&mut tx, ws, id, Some(actor), "next_step_deleted", &before.title, now).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(())
}

/// The client's side of next steps: a client contact of the search, once the report
/// that lists them was sent.
async fn client_of(state: &AppState, actor: &Principal, id: EngagementId) -> Result<MeetingView, AppError> {
    let v = view(state, actor, id).await?;
    if !v.access.roles.iter().any(|r| r == CLIENT_ROLE) {
        return Err(AppError::Forbidden);
    }
    if v.engagement.state == EngagementState::Cancelled {
        return Err(FieldError::new("engagement", "error-engagement-cancelled").into());
    }
    kickoff::may_answer_next_steps(v.report.as_ref().is_some_and(|r| r.sent_at.is_some()))?;
    Ok(v)
}

/// A client contact accepts one next step (`only`) or all those not accepted yet, in one
/// transaction; when every next step is accepted, `next_steps_accepted` ticks what waits
/// for it. Accepting again changes nothing. Returns how many were accepted now.
pub async fn accept_next_steps(
    state: &AppState,
    actor: &Principal,
    id: EngagementId,
    only: Option<NextStepId>,
) -> Result<u64, AppError> {
    let v = client_of(state, actor, id).await?;
    if only.is_some_and(|s| !v.next_steps.iter().any(|n| n.id == s)) {
        return Err(AppError::NotFound);
    }
    let ws = actor.user.workspace_id;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let accepted = store::accept_next_steps(&mut tx, ws, id, only, actor.user.id, now).await?;
    if accepted > 0 {
        let titles: Vec<String> = store::next_steps(&mut tx, ws, id)
            .await?
            .into_iter()
            .filter(|n| n.accepted_at == Some(now) && only.is_none_or(|s| s == n.id))
            .map(|n| n.title)
            .collect();
        event(&mut tx, ws, id, Some(actor), "next_steps_accepted", &titles.join(" · "), now).await?;
        let all = store::next_steps(&mut tx, ws, id).await?;
        if all.iter().all(|n| n.accepted_at.is_some()) {
            emit(state, &mut tx, ws, id, Signal::NextStepsAccepted, now).await?;
        }
    }
    tx.commit().await.map_err(StoreError::from)?;
    Ok(accepted)
}

/// The client marks a next step she owns (her homework) done. Another person's next
/// step is not hers to close; one already closed stays as it is.
pub async fn complete_homework(
    state: &AppState,
    actor: &Principal,
    id: EngagementId,
    step: NextStepId,
) -> Result<(), AppError> {
    let v = client_of(state, actor, id).await?;
    let Some(n) = v.next_steps.iter().find(|n| n.id == step) else { return Err(AppError::NotFound) };
    if n.owner_id != actor.user.id {
        return Err(AppError::Forbidden);
    }
    let ws = actor.user.workspace_id;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    if !store::complete_own_next_step(&mut tx, ws, id, step, actor.user.id, now).await? {
        return Err(FieldError::new("next_steps", "error-next-step-closed").into());
    }
    event(&mut tx, ws, id, Some(actor), "homework_done", &n.title, now).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(())
}

/// The decisions written in the report before it is sent.
pub async fn set_decisions(state: &AppState, actor: &Principal, id: EngagementId, text: &str) -> Result<(), AppError> {
    let v = manage(state, actor, id).await?;
    if text.chars().count() > 10_000 {
        return Err(FieldError::new("decisions", "error-text-too-long").into());
    }
    if v.report.is_none() {
        return Err(FieldError::new("decisions", "error-report-not-ready").into());
    }
    if !store::set_decisions(&mut state.store.db(), actor.user.workspace_id, id, text.trim()).await? {
        return Err(FieldError::new("decisions", "error-report-sent").into());
    }
    Ok(())
}

/// Sends the report to the client contacts, each with a link to acknowledge receipt;
/// schedules the reminder if it is not acknowledged within 48 h.
pub async fn send_report(state: &AppState, actor: &Principal, id: EngagementId) -> Result<(), AppError> {
    let v = manage(state, actor, id).await?;
    if v.report.is_none() {
        return Err(FieldError::new("report", "error-report-not-ready").into());
    }
    let clients: Vec<&Participant> = v.participants.iter().filter(|p| p.role == CLIENT_ROLE && p.active).collect();
    if clients.is_empty() {
        return Err(FieldError::new("report", "error-scorecard-no-client").into());
    }
    let ws = actor.user.workspace_id;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    if !store::report_sent(&mut tx, ws, id, actor.user.id, now).await? {
        return Err(FieldError::new("report", "error-report-sent").into());
    }
    emit(state, &mut tx, ws, id, Signal::ReportSent, now).await?;
    for c in clients {
        let job = Job::SendReport { workspace_id: ws, engagement_id: id, user_id: c.user_id };
        jobs::enqueue(&mut tx, &job, now, Some(&format!("report:{id}:{}", c.user_id))).await?;
    }
    let at = now.plus_millis(kickoff::ACKNOWLEDGE_WITHIN_MS);
    jobs::enqueue_at(
        &mut tx,
        &Job::ReportNotAcknowledged { workspace_id: ws, engagement_id: id },
        at,
        now,
        Some(&format!("report-unack:{id}")),
    )
    .await?;
    event(&mut tx, ws, id, Some(actor), "report_sent", "", now).await?;
    tx.commit().await.map_err(StoreError::from)?;
    state.jobs_wakeup.notify_one();
    Ok(())
}

/// What a single-purpose link leads to, checked.
pub struct Action {
    pub token: action_tokens::ActionToken,
    pub engagement: EngagementRow,
    pub user: embark_store::accounts::users::User,
}

pub enum ActionStatus {
    Valid(Box<Action>),
    Expired,
    Unknown,
}

pub async fn action(state: &AppState, token: &str) -> Result<ActionStatus, AppError> {
    let pool = &mut state.store.db();
    let Some(t) = action_tokens::find(pool, &token_hash(token)).await? else { return Ok(ActionStatus::Unknown) };
    if t.expires_at <= state.now() {
        return Ok(ActionStatus::Expired);
    }
    let Some(engagement) = engagement_store::get(pool, t.workspace_id, t.engagement_id).await? else {
        return Ok(ActionStatus::Unknown);
    };
    let Some(user) = embark_store::accounts::users::get(pool, t.workspace_id, t.user_id).await?.filter(|u| u.active)
    else {
        return Ok(ActionStatus::Unknown);
    };
    Ok(ActionStatus::Valid(Box::new(Action { token: t, engagement, user })))
}

/// The person confirms they will attend. The first confirmation counts.
pub async fn confirm_attendance(state: &AppState, a: &Action) -> Result<(), AppError> {
    let (ws, id) = (a.token.workspace_id, a.token.engagement_id);
    let now = state.now();
    let mut tx = state.store.begin().await?;
    if store::confirm(&mut tx, ws, id, a.user.id, now).await? {
        engagement_store::record_event(&mut tx, ws, id, Some(a.user.id), "attendance_confirmed", None, "", now).await?;
    }
    action_tokens::mark_used(&mut tx, a.token.id, now).await?;
    let attendees = store::attendees(&mut tx, ws, id).await?;
    if attendees.iter().filter(|x| x.role == Role::ClientContact).all(|x| x.confirmed_at.is_some()) {
        emit(state, &mut tx, ws, id, Signal::AttendanceConfirmed, now).await?;
    }
    tx.commit().await.map_err(StoreError::from)?;
    Ok(())
}

/// The client acknowledges receipt of the report; the NPS and the relationship
/// question go out then.
pub async fn acknowledge_report(state: &AppState, a: &Action) -> Result<(), AppError> {
    let (ws, id) = (a.token.workspace_id, a.token.engagement_id);
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let first = store::acknowledge(&mut tx, ws, id, a.user.id, now).await?;
    action_tokens::mark_used(&mut tx, a.token.id, now).await?;
    if first {
        engagement_store::record_event(&mut tx, ws, id, Some(a.user.id), "report_acknowledged", None, "", now).await?;
        emit(state, &mut tx, ws, id, Signal::ReportAcknowledged, now).await?;
        jobs::enqueue(
            &mut tx,
            &Job::KickoffSurvey { workspace_id: ws, engagement_id: id },
            now,
            Some(&format!("survey:{id}")),
        )
        .await?;
    }
    tx.commit().await.map_err(StoreError::from)?;
    state.jobs_wakeup.notify_one();
    Ok(())
}

/// Records the answer of a survey link (NPS 0–10 with a comment, or the relationship yes/no).
pub async fn answer(state: &AppState, a: &Action, score: &str, comment: &str) -> Result<bool, AppError> {
    let (question, score) = match a.token.purpose {
        ActionPurpose::AnswerNps => ("nps", i64::from(embark_core::surveys::nps::NpsScore::parse(score)?.value())),
        ActionPurpose::AnswerRelationship => match score.trim() {
            "yes" => ("relationship", 1),
            "no" => ("relationship", 0),
            _ => return Err(FieldError::new("score", "error-relationship-answer").into()),
        },
        _ => return Err(AppError::NotFound),
    };
    if comment.chars().count() > 2_000 {
        return Err(FieldError::new("comment", "error-text-too-long").into());
    }
    let (ws, id) = (a.token.workspace_id, a.token.engagement_id);
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let first = store::answer_feedback(&mut tx, ws, id, a.user.id, question, score, comment.trim(), now).await?;
    if first && question == "nps" {
        // The workspace's client NPS counts every kick-off's answer, in the same transaction.
        let score = u8::try_from(score).unwrap_or(0);
        crate::surveys::service::record_kickoff_nps(&mut tx, ws, &a.engagement, a.user.id, score, comment, now).await?;
    }
    action_tokens::mark_used(&mut tx, a.token.id, now).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(first)
}

/// The locked (or current) scorecard of a search, as the report shows it.
pub async fn report_scorecard(
    state: &AppState,
    ws: WorkspaceId,
    id: EngagementId,
) -> Result<Option<(ScorecardRow, scorecard::Scorecard)>, AppError> {
    let pool = &mut state.store.db();
    let Some(row) = scorecard_store::current(pool, ws, id).await? else { return Ok(None) };
    let card = assemble(&scorecard_store::fields(pool, ws, row.id).await?)?;
    Ok(Some((row, card)))
}

/// The view of a meeting for jobs (no viewer): loads as the system.
pub async fn system_view(state: &AppState, ws: WorkspaceId, id: EngagementId) -> Result<Option<MeetingView>, AppError> {
    let pool = &mut state.store.db();
    let Some(engagement) = engagement_store::get(pool, ws, id).await? else { return Ok(None) };
    let Some(playbook) = state.playbooks.by_id(pool, ws, engagement.version_id).await? else { return Ok(None) };
    let participants = engagement_store::participants(pool, ws, id).await?;
    let access = Access { roles: Vec::new(), all_items: false, sees_all: true, can_override: false, can_manage: false };
    gather(state, ws, engagement, playbook, participants, access).await
}
