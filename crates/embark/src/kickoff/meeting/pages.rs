//! The kick-off meeting pages: preparation and readiness, the full-screen runner,
//! the conclusion and report, the single-purpose links emailed to people, and the
//! workspace's view of kick-off quality.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use embark_core::engagements::ItemState;
use embark_core::kickoff::meeting;
use embark_core::kickoff::{ActionPurpose, NextStepKind, NextStepOutcome, Signal};
use embark_core::{EngagementId, NextStepId};
use serde::Deserialize;

use crate::engagements::summary::item_title;
use crate::error::AppError;
use crate::http::{local_input, render, render_status, Form, Page, Path, RequestCtx, Viewer};
use crate::i18n::Tr;
use crate::kickoff::meeting::mail::report_doc;
use crate::kickoff::meeting::service::{self as service, ActionStatus, MeetingView};
use crate::kickoff::report::ReportDoc;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/engagements/{id}/meeting", get(show))
        .route("/engagements/{id}/meeting/logistics", post(logistics))
        .route("/engagements/{id}/meeting/attendee-add", post(add_attendee))
        .route("/engagements/{id}/meeting/attendee-remove", post(remove_attendee))
        .route("/engagements/{id}/meeting/lock", post(lock_logistics))
        .route("/engagements/{id}/meeting/unlock", post(unlock_logistics))
        .route("/engagements/{id}/meeting/invite", post(send_invitation))
        .route("/engagements/{id}/meeting/start", post(start))
        .route("/engagements/{id}/meeting/next", post(next))
        .route("/engagements/{id}/meeting/previous", post(previous))
        .route("/engagements/{id}/meeting/extend", post(extend))
        .route("/engagements/{id}/meeting/end", post(end))
        .route("/engagements/{id}/meeting/conclusion", post(conclusion))
        .route("/engagements/{id}/meeting/next-step", post(add_next_step))
        .route("/engagements/{id}/meeting/decisions", post(decisions))
        .route("/engagements/{id}/meeting/send-report", post(send_report))
        .route("/engagements/{id}/meeting/next-steps/{sid}/{outcome}", post(next_step_outcome))
        .route("/engagements/{id}/runner", get(runner))
        .route("/engagements/{id}/report", get(report_page))
        .route("/a/{token}", get(action_page).post(action_post))
        .route("/kickoffs", get(kickoffs))
}

pub struct AttendeeView {
    pub id: String,
    pub name: String,
    pub role: String,
    pub status: String,
    pub confirmed: bool,
}

pub struct CheckView {
    pub key: &'static str,
    pub ok: bool,
    pub label: String,
    pub todo: String,
}

pub struct StepTime {
    pub title: String,
    pub planned: String,
    pub actual: String,
    pub over: bool,
}

pub struct NextStepView {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub owner: String,
    pub due: String,
    pub outcome: &'static str,
    pub outcome_label: String,
    pub late: bool,
}

pub struct SignalView {
    pub label: String,
    pub signal: &'static str,
    pub value: String,
}

#[derive(Template)]
#[template(path = "kickoff/meeting/meeting.html")]
struct MeetingTemplate {
    page: Page,
    id: String,
    title: String,
    can_manage: bool,
    place: String,
    starts_input: String,
    starts: String,
    duration: i64,
    locked: bool,
    invited: Option<String>,
    attendees: Vec<AttendeeView>,
    candidates: Vec<(String, String)>,
    checks: Vec<CheckView>,
    go: bool,
    no_show_risk: bool,
    started: bool,
    ended: bool,
    timing: Vec<StepTime>,
    finished: Option<String>,
    resources: String,
    market: String,
    next_steps: Vec<NextStepView>,
    kinds: Vec<(&'static str, String)>,
    owners: Vec<(String, String)>,
    due_default: String,
    quality: Vec<SignalView>,
    report_state: Option<String>,
    errors: Vec<String>,
}

fn signal_label(tr: Tr, s: Signal) -> String {
    tr.t(&format!("signal-level-{}", s.as_str()))
}

pub fn quality_views(tr: Tr, v: &MeetingView) -> Vec<SignalView> {
    signal_views(tr, &v.quality(), v.nps().map(|f| f.score), v.open_questions)
}

/// The four signals as the panel and the workspace view show them.
fn signal_views(tr: Tr, q: &embark_core::kickoff::Quality, nps: Option<i64>, open_questions: i64) -> Vec<SignalView> {
    vec![
        SignalView {
            label: tr.t("quality-nps"),
            signal: q.nps.as_str(),
            value: nps.map(|n| format!("{n}/10")).unwrap_or_else(|| signal_label(tr, q.nps)),
        },
        SignalView {
            label: tr.t("quality-clarity"),
            signal: q.clarity.as_str(),
            value: tr.t_count("quality-open-questions", open_questions),
        },
        SignalView {
            label: tr.t("quality-relationship"),
            signal: q.relationship.as_str(),
            value: signal_label(tr, q.relationship),
        },
        SignalView {
            label: tr.t("quality-follow-through"),
            signal: q.follow_through.as_str(),
            value: if q.steps_due > 0 {
                tr.t2("quality-kept", "kept", &q.steps_kept.to_string(), "due", &q.steps_due.to_string())
            } else {
                signal_label(tr, q.follow_through)
            },
        },
    ]
}

fn timing_views(tr: Tr, v: &MeetingView) -> Vec<StepTime> {
    v.steps
        .iter()
        .map(|s| {
            let actual = v.actual_ms(&s.key);
            StepTime {
                title: item_title(&v.playbook, &s.key).unwrap_or_else(|| s.key.clone()),
                planned: tr.minutes(i64::from(s.minutes)),
                actual: actual.map(|ms| tr.minutes((ms + 30_000) / 60_000)).unwrap_or_else(|| "—".into()),
                over: actual.is_some_and(|ms| ms > i64::from(s.minutes) * 60_000 + 30_000),
            }
        })
        .collect()
}

async fn meeting_page(
    state: &AppState,
    viewer: &Viewer,
    ctx: &RequestCtx,
    id: EngagementId,
    notice: Option<&str>,
    errors: Vec<String>,
) -> Result<MeetingTemplate, AppError> {
    let tr = Tr::new(ctx.locale);
    let tz = viewer.principal.workspace_time_zone.clone();
    let v = service::view(state, &viewer.principal, id).await?;
    let checks: Vec<CheckView> = v
        .readiness()
        .iter()
        .map(|c| CheckView {
            key: c.key,
            ok: c.ok,
            label: tr.t(&format!("readiness-{}", c.key.replace('_', "-"))),
            todo: tr.t(&format!("readiness-{}-todo", c.key.replace('_', "-"))),
        })
        .collect();
    let go = checks.iter().all(|c| c.ok);
    let attendees: Vec<AttendeeView> = v
        .attendees
        .iter()
        .map(|a| AttendeeView {
            id: a.user_id.to_string(),
            name: a.name.clone(),
            role: tr.role(&a.role),
            status: match (a.confirmed_at, a.invited_at) {
                (Some(at), _) => tr.t1("meeting-confirmed-at", "date", &tr.datetime(at, &tz)),
                (None, Some(_)) => tr.t("meeting-not-confirmed"),
                (None, None) => tr.t("meeting-not-invited"),
            },
            confirmed: a.confirmed_at.is_some(),
        })
        .collect();
    let staff = state.staff_names.get(&state.store, v.workspace_id).await?;
    let mut candidates: Vec<(String, String)> = v
        .participants
        .iter()
        .map(|p| (p.user_id, p.name.clone()))
        .chain(staff.iter().cloned())
        .filter(|(u, _)| !v.attendees.iter().any(|a| a.user_id == *u))
        .map(|(u, n)| (u.to_string(), n))
        .collect();
    candidates.sort();
    candidates.dedup();
    let owners: Vec<(String, String)> = v
        .participants
        .iter()
        .map(|p| (p.user_id.to_string(), format!("{} ({})", p.name, tr.role_name(&p.role))))
        .collect();
    let now = v.now;
    let next_steps = v
        .next_steps
        .iter()
        .map(|s| NextStepView {
            id: s.id.to_string(),
            kind: tr.t(&format!("next-step-kind-{}", s.kind.as_str().replace('_', "-"))),
            title: s.title.clone(),
            owner: s.owner_name.clone(),
            due: tr.date(s.due_at, &tz),
            outcome: s.outcome.as_str(),
            outcome_label: tr.t(&format!("next-step-outcome-{}", s.outcome.as_str())),
            late: s.outcome == NextStepOutcome::Open && s.due_at < now,
        })
        .collect();
    let report_state = v.report.as_ref().map(|r| match (r.sent_at, r.acknowledged_at) {
        (_, Some(at)) => tr.t1("report-state-acknowledged", "date", &tr.datetime(at, &tz)),
        (Some(at), None) => tr.t1("report-state-sent", "date", &tr.datetime(at, &tz)),
        (None, None) => tr.t("report-state-draft"),
    });
    let finished = v.finished_on_time().map(|ok| {
        let mut s = tr.t(if ok { "meeting-finished-on-time" } else { "meeting-finished-late" });
        if v.meeting.extended_minutes > 0 {
            s.push(' ');
            s.push_str(&tr.t1("report-extended", "minutes", &tr.minutes(v.meeting.extended_minutes)));
        }
        s
    });
    Ok(MeetingTemplate {
        page: Page::signed_in(
            viewer,
            ctx,
            "engagements",
            &tr.t("meeting-title"),
            &format!("/engagements/{id}/meeting"),
        )
        .with_notice(notice),
        id: id.to_string(),
        title: v.engagement.title.clone(),
        can_manage: v.access.can_manage,
        place: v.meeting.place.clone(),
        starts_input: local_input(v.starts_at(), &tz),
        starts: tr.datetime(v.starts_at(), &tz),
        duration: v.meeting.duration_minutes,
        locked: v.meeting.logistics_locked_at.is_some(),
        invited: v.meeting.invitation_sent_at.map(|at| tr.t1("meeting-invited-at", "date", &tr.datetime(at, &tz))),
        attendees,
        candidates,
        no_show_risk: v.no_show_risk(),
        checks,
        go,
        started: v.meeting.started_at.is_some(),
        ended: v.meeting.ended_at.is_some(),
        timing: timing_views(tr, &v),
        finished,
        resources: v.meeting.resources.clone(),
        market: v.meeting.market_notes.clone(),
        next_steps,
        kinds: NextStepKind::ALL
            .iter()
            .map(|k| (k.as_str(), tr.t(&format!("next-step-kind-{}", k.as_str().replace('_', "-")))))
            .collect(),
        owners,
        due_default: local_input(now.plus_millis(7 * 24 * 3_600_000), &tz),
        quality: quality_views(tr, &v),
        report_state,
        errors,
    })
}

#[derive(Deserialize, Default)]
struct ShowQuery {
    done: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<EngagementId>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let notice = q.done.as_deref().map(|d| format!("meeting-done-{}", d.replace('_', "-")));
    let notice = notice.filter(|n| Tr::new(ctx.locale).t(n) != *n);
    render(meeting_page(&state, &viewer, &ctx, id, notice.as_deref(), Vec::new()).await?)
}

#[derive(Deserialize, Default)]
struct MeetingForm {
    #[serde(default)]
    place: String,
    #[serde(default)]
    starts_at: String,
    #[serde(default)]
    duration_minutes: String,
    #[serde(default)]
    user_id: String,
    #[serde(default)]
    minutes: String,
    #[serde(default)]
    resources: String,
    #[serde(default)]
    market_notes: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    owner_id: String,
    #[serde(default)]
    due_at: String,
    #[serde(default)]
    decisions: String,
    /// Where to go back: "runner" or the meeting page.
    #[serde(default)]
    back: String,
    /// The step the runner showed when next/previous was pressed.
    #[serde(default)]
    from: String,
}

async fn logistics(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<EngagementId>,
    Form(f): Form<MeetingForm>,
) -> Result<Response, AppError> {
    let (s, p) = (&state, &viewer.principal);
    let result = service::set_logistics(s, p, id, &f.place, &f.starts_at, &f.duration_minutes).await;
    answer(s, &viewer, &ctx, id, "logistics", Then::Meeting, &f, result).await
}

async fn add_attendee(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<EngagementId>,
    Form(f): Form<MeetingForm>,
) -> Result<Response, AppError> {
    let (s, p) = (&state, &viewer.principal);
    let result = service::set_attendee(s, p, id, &f.user_id, true).await;
    answer(s, &viewer, &ctx, id, "attendee-add", Then::Meeting, &f, result).await
}

async fn remove_attendee(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<EngagementId>,
    Form(f): Form<MeetingForm>,
) -> Result<Response, AppError> {
    let (s, p) = (&state, &viewer.principal);
    let result = service::set_attendee(s, p, id, &f.user_id, false).await;
    answer(s, &viewer, &ctx, id, "attendee-remove", Then::Meeting, &f, result).await
}

async fn lock_logistics(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<EngagementId>,
    Form(f): Form<MeetingForm>,
) -> Result<Response, AppError> {
    let (s, p) = (&state, &viewer.principal);
    let result = service::lock_logistics(s, p, id).await;
    answer(s, &viewer, &ctx, id, "lock", Then::Meeting, &f, result).await
}

async fn unlock_logistics(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<EngagementId>,
    Form(f): Form<MeetingForm>,
) -> Result<Response, AppError> {
    let (s, p) = (&state, &viewer.principal);
    let result = service::unlock_logistics(s, p, id).await;
    answer(s, &viewer, &ctx, id, "unlock", Then::Meeting, &f, result).await
}

async fn send_invitation(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<EngagementId>,
    Form(f): Form<MeetingForm>,
) -> Result<Response, AppError> {
    let (s, p) = (&state, &viewer.principal);
    let result = service::send_invitation(s, p, id).await;
    answer(s, &viewer, &ctx, id, "invite", Then::Meeting, &f, result).await
}

async fn start(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<EngagementId>,
    Form(f): Form<MeetingForm>,
) -> Result<Response, AppError> {
    let (s, p) = (&state, &viewer.principal);
    let result = service::start(s, p, id).await;
    answer(s, &viewer, &ctx, id, "start", Then::Runner, &f, result).await
}

async fn next(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<EngagementId>,
    Form(f): Form<MeetingForm>,
) -> Result<Response, AppError> {
    let (s, p) = (&state, &viewer.principal);
    let result = service::move_step(s, p, id, true, Some(&f.from)).await;
    answer(s, &viewer, &ctx, id, "next", Then::Runner, &f, result).await
}

async fn previous(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<EngagementId>,
    Form(f): Form<MeetingForm>,
) -> Result<Response, AppError> {
    let (s, p) = (&state, &viewer.principal);
    let result = service::move_step(s, p, id, false, Some(&f.from)).await;
    answer(s, &viewer, &ctx, id, "previous", Then::Runner, &f, result).await
}

async fn extend(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<EngagementId>,
    Form(f): Form<MeetingForm>,
) -> Result<Response, AppError> {
    let (s, p) = (&state, &viewer.principal);
    let result = service::extend(s, p, id, &f.minutes).await;
    answer(s, &viewer, &ctx, id, "extend", Then::Runner, &f, result).await
}

async fn end(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<EngagementId>,
    Form(f): Form<MeetingForm>,
) -> Result<Response, AppError> {
    let (s, p) = (&state, &viewer.principal);
    let result = service::end(s, p, id).await;
    answer(s, &viewer, &ctx, id, "end", Then::Report, &f, result).await
}

async fn conclusion(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<EngagementId>,
    Form(f): Form<MeetingForm>,
) -> Result<Response, AppError> {
    let (s, p) = (&state, &viewer.principal);
    let result = service::set_conclusion(s, p, id, &f.resources, &f.market_notes).await;
    answer(s, &viewer, &ctx, id, "conclusion", Then::Meeting, &f, result).await
}

async fn add_next_step(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<EngagementId>,
    Form(f): Form<MeetingForm>,
) -> Result<Response, AppError> {
    let (s, p) = (&state, &viewer.principal);
    let result = service::add_next_step(s, p, id, &f.kind, &f.title, &f.owner_id, &f.due_at).await.map(|_| ());
    answer(s, &viewer, &ctx, id, "next-step", Then::Meeting, &f, result).await
}

async fn decisions(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<EngagementId>,
    Form(f): Form<MeetingForm>,
) -> Result<Response, AppError> {
    let (s, p) = (&state, &viewer.principal);
    let result = service::set_decisions(s, p, id, &f.decisions).await;
    answer(s, &viewer, &ctx, id, "decisions", Then::Report, &f, result).await
}

async fn send_report(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<EngagementId>,
    Form(f): Form<MeetingForm>,
) -> Result<Response, AppError> {
    let (s, p) = (&state, &viewer.principal);
    let result = service::send_report(s, p, id).await;
    answer(s, &viewer, &ctx, id, "send-report", Then::Report, &f, result).await
}

/// Where a meeting action leads once done.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Then {
    /// The meeting page, with a notice (or the runner when the button was on it).
    Meeting,
    /// The runner.
    Runner,
    /// The report page, with a notice.
    Report,
}

/// The answer to a meeting action: on to the next page, or the meeting page again
/// with what went wrong.
#[allow(clippy::too_many_arguments)]
async fn answer(
    state: &AppState,
    viewer: &Viewer,
    ctx: &RequestCtx,
    id: EngagementId,
    action: &str,
    then: Then,
    f: &MeetingForm,
    result: Result<(), AppError>,
) -> Result<Response, AppError> {
    let notice = action.replace('-', "_");
    let next = match then {
        Then::Report => format!("/engagements/{id}/report?done={notice}"),
        Then::Runner => format!("/engagements/{id}/runner"),
        Then::Meeting if f.back == "runner" => format!("/engagements/{id}/runner"),
        Then::Meeting => format!("/engagements/{id}/meeting?done={notice}"),
    };
    let tr = Tr::new(ctx.locale);
    match result {
        Ok(()) => Ok(Redirect::to(&next).into_response()),
        Err(AppError::Invalid(fields)) => {
            let errors = fields.iter().map(|e| tr.t(e.code)).collect();
            render_status(StatusCode::UNPROCESSABLE_ENTITY, meeting_page(state, viewer, ctx, id, None, errors).await?)
        }
        Err(AppError::Blocked(gates)) => {
            let v = service::view(state, &viewer.principal, id).await?;
            let titles: Vec<String> =
                gates.iter().map(|g| item_title(&v.playbook, g).unwrap_or_else(|| g.clone())).collect();
            let errors = vec![tr.t1("engagement-blocked", "gates", &titles.join(" · "))];
            render_status(StatusCode::CONFLICT, meeting_page(state, viewer, ctx, id, None, errors).await?)
        }
        Err(e) => Err(e),
    }
}

async fn next_step_outcome(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, step, outcome)): Path<(EngagementId, NextStepId, String)>,
) -> Result<Response, AppError> {
    if outcome == "delete" {
        service::delete_next_step(&state, &viewer.principal, id, step).await?;
    } else {
        let outcome: NextStepOutcome = outcome.parse().map_err(|_| AppError::NotFound)?;
        service::set_next_step_outcome(&state, &viewer.principal, id, step, outcome).await?;
    }
    Ok(Redirect::to(&format!("/engagements/{id}/meeting?done=next_step#next-steps")).into_response())
}

pub struct AgendaPhase {
    pub title: String,
    pub minutes: String,
    pub steps: Vec<AgendaStep>,
}

pub struct AgendaStep {
    pub key: String,
    pub title: String,
    pub minutes: u32,
    pub current: bool,
    pub done: bool,
}

pub struct RunnerCheck {
    pub key: String,
    pub text: String,
    pub why: String,
    pub ask_client: bool,
    pub done: bool,
}

#[derive(Template)]
#[template(path = "kickoff/meeting/runner.html")]
struct RunnerTemplate {
    page: Page,
    id: String,
    title: String,
    agenda: Vec<AgendaPhase>,
    total: String,
    started: bool,
    ended: bool,
    current: Option<AgendaStep>,
    body: String,
    checks: Vec<RunnerCheck>,
    note: String,
    is_first: bool,
    is_last: bool,
    /// For the clock script, in Unix milliseconds.
    started_at: i64,
    step_started_at: i64,
    /// The server's clock when the page was made: the script counts from it, so a
    /// browser whose clock is off still shows the meeting's true elapsed time.
    server_now: i64,
    planned_minutes: i64,
    extended_minutes: i64,
    /// Minutes of the current step and of each step after it.
    step_minutes: u32,
    remaining_after_minutes: u32,
    warning: &'static str,
    rules: Vec<(String, String)>,
}

async fn runner(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<EngagementId>,
) -> Result<Response, AppError> {
    let tr = Tr::new(ctx.locale);
    let v = service::view(&state, &viewer.principal, id).await?;
    if !v.access.can_manage {
        return Err(AppError::NotFound);
    }
    let current_key = v.meeting.current_step.clone();
    let mut agenda = Vec::new();
    let mut seen_current = false;
    for phase in v.playbook.phases() {
        let steps: Vec<AgendaStep> = phase
            .steps
            .iter()
            .filter(|s| v.steps.iter().any(|t| t.key == s.id))
            .map(|s| {
                let current = current_key.as_deref() == Some(s.id.as_str());
                seen_current |= current;
                AgendaStep {
                    key: s.id.clone(),
                    title: s.title.clone(),
                    minutes: s.timebox.map(|t| t.minutes()).unwrap_or(0),
                    current,
                    done: v.meeting.ended_at.is_some() || (v.meeting.started_at.is_some() && !seen_current),
                }
            })
            .collect();
        if !steps.is_empty() {
            let minutes = phase.timebox.map(|t| t.minutes()).unwrap_or_else(|| steps.iter().map(|s| s.minutes).sum());
            agenda.push(AgendaPhase { title: phase.title.clone(), minutes: tr.minutes(i64::from(minutes)), steps });
        }
    }
    let pos = current_key.as_ref().and_then(|k| v.steps.iter().position(|s| &s.key == k));
    let step = current_key.as_ref().and_then(|k| v.playbook.steps().find(|s| &s.id == k));
    let checks = step
        .map(|s| {
            s.checkpoints
                .iter()
                .map(|c| RunnerCheck {
                    key: c.id.clone(),
                    text: c.text.clone(),
                    why: c.why.clone(),
                    ask_client: c.ask_client,
                    done: v.items.iter().any(|i| i.key == c.id && i.state != ItemState::Todo),
                })
                .collect()
        })
        .unwrap_or_default();
    let note = current_key.as_ref().and_then(|k| v.items.iter().find(|i| &i.key == k)).map(|i| i.note.clone());
    let now = state.now();
    let (warning, step_minutes, remaining_after) = match (pos, v.meeting.started_at, v.meeting.step_started_at) {
        (Some(p), Some(started), Some(since)) => {
            let planned = u32::try_from(v.meeting.duration_minutes + v.meeting.extended_minutes).unwrap_or(0);
            let r = meeting::read(&v.steps, p, started, since, planned, now);
            let w = match r.warning {
                meeting::Warning::None => "none",
                meeting::Warning::StepOverrun => "step",
                meeting::Warning::LateFinish => "late",
            };
            (w, v.steps[p].minutes, v.steps.iter().skip(p + 1).map(|s| s.minutes).sum())
        }
        _ => ("none", 0, 0),
    };
    let rules = v
        .playbook
        .phases()
        .filter(|p| p.stage == Some(embark_core::playbooks::Stage::Throughout))
        .flat_map(|p| p.steps.iter())
        .flat_map(|s| s.checkpoints.iter().map(|c| (c.text.clone(), c.why.clone())))
        .collect();
    render(RunnerTemplate {
        page: Page::signed_in(
            &viewer,
            &ctx,
            "engagements",
            &tr.t("runner-title"),
            &format!("/engagements/{id}/runner"),
        ),
        id: id.to_string(),
        title: v.engagement.title.clone(),
        total: tr.minutes(v.meeting.duration_minutes),
        started: v.meeting.started_at.is_some(),
        ended: v.meeting.ended_at.is_some(),
        current: pos.map(|p| AgendaStep {
            key: v.steps[p].key.clone(),
            title: step.map(|s| s.title.clone()).unwrap_or_default(),
            minutes: v.steps[p].minutes,
            current: true,
            done: false,
        }),
        body: step.map(|s| crate::markdown::to_html(&s.body)).unwrap_or_default(),
        checks,
        note: note.unwrap_or_default(),
        is_first: pos == Some(0),
        is_last: pos.is_some_and(|p| p + 1 == v.steps.len()),
        started_at: v.meeting.started_at.map(|t| t.as_millis()).unwrap_or(0),
        step_started_at: v.meeting.step_started_at.map(|t| t.as_millis()).unwrap_or(0),
        server_now: now.as_millis(),
        planned_minutes: v.meeting.duration_minutes,
        extended_minutes: v.meeting.extended_minutes,
        step_minutes,
        remaining_after_minutes: remaining_after,
        warning,
        rules,
        agenda,
    })
}

#[derive(Template)]
#[template(path = "kickoff/meeting/report.html")]
struct ReportTemplate {
    page: Page,
    id: String,
    r: ReportDoc,
    can_manage: bool,
    decisions: String,
    sent: Option<String>,
    acknowledged: Option<String>,
}

async fn report_page(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<EngagementId>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let tr = Tr::new(ctx.locale);
    let tz = viewer.principal.workspace_time_zone.clone();
    let v = service::view(&state, &viewer.principal, id).await?;
    let Some(report) = v.report.as_ref() else {
        let msg = tr.t("report-not-ready");
        return render_status(
            StatusCode::CONFLICT,
            crate::http::MessageTemplate::new(
                &viewer,
                &ctx,
                &tr.t("report-title"),
                msg,
                format!("/engagements/{id}/meeting"),
            ),
        );
    };
    // The client reads it once it was sent to them.
    if !v.access.can_manage && report.sent_at.is_none() {
        return Err(AppError::NotFound);
    }
    let doc = report_doc(&state, tr, &tz, &v).await?;
    let notice = q.done.as_deref().map(|d| format!("report-done-{}", d.replace('_', "-")));
    let notice = notice.filter(|n| tr.t(n) != *n);
    render(ReportTemplate {
        page: Page::signed_in(
            &viewer,
            &ctx,
            "engagements",
            &tr.t("report-title"),
            &format!("/engagements/{id}/report"),
        )
        .with_notice(notice.as_deref()),
        id: id.to_string(),
        can_manage: v.access.can_manage,
        decisions: report.decisions.clone(),
        sent: report.sent_at.map(|at| tr.t1("report-state-sent", "date", &tr.datetime(at, &tz))),
        acknowledged: report
            .acknowledged_at
            .map(|at| tr.t1("report-state-acknowledged", "date", &tr.datetime(at, &tz))),
        r: doc,
    })
}

#[derive(Template)]
#[template(path = "kickoff/meeting/action.html")]
struct ActionTemplate {
    page: Page,
    token: String,
    /// confirm_attendance, acknowledge_report, answer_nps, answer_relationship, expired, unknown
    kind: &'static str,
    name: String,
    title: String,
    done: Option<String>,
    report: Option<ReportDoc>,
    errors: Vec<String>,
}

async fn action_template(
    state: &AppState,
    ctx: &RequestCtx,
    token: &str,
    errors: Vec<String>,
) -> Result<(StatusCode, ActionTemplate), AppError> {
    let tr = Tr::new(ctx.locale);
    let status = service::action(state, token).await?;
    let (code, kind, a) = match status {
        ActionStatus::Valid(a) => (StatusCode::OK, a.token.purpose.as_str(), Some(a)),
        ActionStatus::Expired => (StatusCode::GONE, "expired", None),
        ActionStatus::Unknown => (StatusCode::NOT_FOUND, "unknown", None),
    };
    let mut done = None;
    let mut report = None;
    let (mut name, mut title) = (String::new(), String::new());
    if let Some(a) = &a {
        name = a.user.name.clone();
        title = a.engagement.title.clone();
        let (ws, id) = (a.token.workspace_id, a.token.engagement_id);
        let tz = embark_store::accounts::workspaces::get(state.store.pool(), ws)
            .await?
            .map(|w| w.time_zone)
            .unwrap_or_default();
        let pool = state.store.pool();
        match a.token.purpose {
            ActionPurpose::ConfirmAttendance => {
                let me = embark_store::kickoff::meetings::attendees(pool, ws, id)
                    .await?
                    .into_iter()
                    .find(|x| x.user_id == a.user.id);
                done =
                    me.and_then(|m| m.confirmed_at).map(|at| tr.t1("action-confirmed", "date", &tr.datetime(at, &tz)));
            }
            ActionPurpose::AcknowledgeReport => {
                let r = embark_store::kickoff::meetings::report(pool, ws, id).await?;
                done = r
                    .and_then(|r| r.acknowledged_at)
                    .map(|at| tr.t1("action-acknowledged", "date", &tr.datetime(at, &tz)));
                if let Some(v) = service::system_view(state, ws, id).await? {
                    report = Some(report_doc(state, tr, &tz, &v).await?);
                }
            }
            ActionPurpose::AnswerNps | ActionPurpose::AnswerRelationship => {
                let question = if a.token.purpose == ActionPurpose::AnswerNps { "nps" } else { "relationship" };
                let answered = embark_store::kickoff::meetings::feedback(pool, ws, id)
                    .await?
                    .into_iter()
                    .any(|f| f.user_id == a.user.id && f.question == question);
                done = answered.then(|| tr.t("action-answered"));
            }
        }
    }
    Ok((
        code,
        ActionTemplate {
            page: Page::anonymous(tr, ctx, &tr.t(&format!("action-{}-title", kind.replace('_', "-")))),
            token: token.to_string(),
            kind,
            name,
            title,
            done,
            report,
            errors,
        },
    ))
}

async fn action_page(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let (code, t) = action_template(&state, &ctx, &token, Vec::new()).await?;
    render_status(code, t)
}

#[derive(Deserialize, Default)]
struct AnswerForm {
    #[serde(default)]
    score: String,
    #[serde(default)]
    comment: String,
}

/// Does what the link is for, then shows the page again with what was recorded.
async fn action_post(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(token): Path<String>,
    Form(form): Form<AnswerForm>,
) -> Result<Response, AppError> {
    let tr = Tr::new(ctx.locale);
    let a = match service::action(&state, &token).await? {
        ActionStatus::Valid(a) => a,
        _ => {
            let (code, t) = action_template(&state, &ctx, &token, Vec::new()).await?;
            return render_status(code, t);
        }
    };
    let result = match a.token.purpose {
        ActionPurpose::ConfirmAttendance => service::confirm_attendance(&state, &a).await,
        ActionPurpose::AcknowledgeReport => service::acknowledge_report(&state, &a).await,
        ActionPurpose::AnswerNps | ActionPurpose::AnswerRelationship => {
            service::answer(&state, &a, &form.score, &form.comment).await.map(|_| ())
        }
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/a/{token}")).into_response()),
        Err(AppError::Invalid(fields)) => {
            let errors = fields.iter().map(|f| tr.t(f.code)).collect();
            let (_, t) = action_template(&state, &ctx, &token, errors).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, t)
        }
        Err(e) => Err(e),
    }
}

pub struct KickoffRow {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub starts: String,
    pub signals: Vec<SignalView>,
}

#[derive(Template)]
#[template(path = "kickoff/quality.html")]
struct KickoffsTemplate {
    page: Page,
    rows: Vec<KickoffRow>,
    headers: Vec<String>,
    next: Option<String>,
    /// The workspace's figures: (label, value, detail).
    figures: Vec<(String, String, String)>,
}

/// The workspace's kick-off figures: NPS with its margin, acknowledgement delay, meetings on time.
fn figures(tr: Tr, t: &embark_store::kickoff::meetings::Totals) -> Vec<(String, String, String)> {
    let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
    let nps = embark_core::surveys::nps::from_counts(count(t.promoters), count(t.passives), count(t.detractors));
    let nps_value = match nps.score {
        Some(score) => format!("{score:+.0}"),
        None => "—".into(),
    };
    let nps_detail = match nps.margin {
        Some(m) => tr.t2("kickoffs-nps-detail", "margin", &format!("{m:.0}"), "answers", &nps.answers.to_string()),
        None => tr.t_count("kickoffs-answers", i64::from(nps.answers)),
    };
    let ack = t.mean_ack_ms.map(|ms| tr.minutes((ms + 30_000) / 60_000)).unwrap_or_else(|| "—".into());
    let on_time = if t.ended > 0 { format!("{} %", t.ended_on_time * 100 / t.ended) } else { "—".into() };
    vec![
        (tr.t("kickoffs-nps"), nps_value, nps_detail),
        (tr.t("kickoffs-ack-delay"), ack, tr.t_count("kickoffs-reports", t.acknowledged)),
        (tr.t("kickoffs-on-time"), on_time, tr.t_count("kickoffs-meetings", t.ended)),
    ]
}

#[derive(Deserialize, Default)]
struct KickoffsQuery {
    after: Option<String>,
}

pub const KICKOFFS_PAGE: i64 = 50;

/// The workspace's kick-offs with their four quality signals, latest first, a page at a time.
async fn kickoffs(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Query(q): Query<KickoffsQuery>,
) -> Result<Response, AppError> {
    let tr = Tr::new(ctx.locale);
    let tz = viewer.principal.workspace_time_zone.clone();
    let after = q.after.as_deref().and_then(|s| {
        let (at, id) = s.split_once('_')?;
        Some((embark_core::Timestamp::from_millis(at.parse().ok()?), id.parse().ok()?))
    });
    let mut board = service::quality_board(&state, &viewer.principal, after, KICKOFFS_PAGE + 1).await?;
    let next = crate::http::paging::next_page(&mut board.rows, KICKOFFS_PAGE, |(r, _)| {
        format!("after={}_{}", r.starts_at.as_millis(), r.engagement_id)
    });
    let rows = board
        .rows
        .iter()
        .map(|(r, quality)| KickoffRow {
            id: r.engagement_id.to_string(),
            title: r.title.clone(),
            owner: r.owner_name.clone(),
            starts: tr.datetime(r.starts_at, &tz),
            signals: signal_views(tr, quality, r.nps, r.open_questions),
        })
        .collect();
    let totals = board.totals;
    render(KickoffsTemplate {
        page: Page::signed_in(&viewer, &ctx, "engagements", &tr.t("kickoffs-title"), "/kickoffs"),
        figures: figures(tr, &totals),
        rows,
        headers: vec![
            tr.t("quality-nps"),
            tr.t("quality-clarity"),
            tr.t("quality-relationship"),
            tr.t("quality-follow-through"),
        ],
        next,
    })
}
