//! The runner: the meeting on one screen, step by step, with its clocks and checkpoints.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use embark_core::engagements::ItemState;
use embark_core::kickoff::meeting;
use embark_core::EngagementId;

use crate::error::AppError;
use crate::http::{render, Page, Path, RequestCtx, Viewer};
use crate::i18n::Tr;
use crate::kickoff::meeting::service::{self as service};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/engagements/{id}/runner", get(runner))
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
