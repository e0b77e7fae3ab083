//! The runner: the meeting on one screen, step by step, with its clocks and checkpoints.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use embark_core::engagements::ItemState;
use embark_core::kickoff::{meeting, NextStepKind};
use embark_core::playbooks::RunnerTool;
use embark_core::EngagementId;
use serde::Deserialize;

use crate::engagements::service::{self as engagements, ItemAction};
use crate::engagements::summary::item_title;
use crate::error::AppError;
use crate::http::{render_status, Action, FormErrors, Page, Path, RequestCtx, Viewer};
use crate::i18n::Tr;
use crate::kickoff::meeting::service::{self as service};
use crate::kickoff::meeting::views::{next_step_views, FailedEdit, NewStepForm, NextStepView};
use crate::kickoff::scorecard::service as scorecards;
use crate::kickoff::scorecard::views::{
    editor, field_choices, question_views, settled_notice, QuestionView, ScorecardEditor,
};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/engagements/{id}/runner", get(runner))
        .route("/engagements/{id}/runner/items/{key}", post(act))
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
    /// Why ticking it was just refused (its condition), shown next to it.
    pub error: Option<String>,
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
    errors: Vec<String>,
    /// What the current step brings on screen (the playbook's `runner:` attribute).
    sc: Option<ScorecardEditor>,
    conclusion: bool,
    resources: String,
    market: String,
    /// The open questions of the log, answered from here.
    questions: Option<Vec<QuestionView>>,
    can_manage: bool,
    report_sent: bool,
    field_choices: Vec<(&'static str, String)>,
    next_steps: Option<Vec<NextStepView>>,
    kinds: Vec<(&'static str, String)>,
    owners: Vec<(String, String)>,
    add_form: NewStepForm,
    /// The conclusion's fields' messages (the conclusion form is shared with the meeting page).
    field_errors: FormErrors,
}

#[derive(Deserialize, Default)]
struct RunnerQuery {
    done: Option<String>,
}

/// The notice of an action done from the runner (`?done=…`): the key of the page the
/// action belongs to (the scorecard's, the questions log's, the meeting's).
fn notice_key(done: &str) -> Option<String> {
    let key = if let Some(d) = done.strip_prefix("scorecard_") {
        format!("scorecard-done-{d}")
    } else if let Some(d) = done.strip_prefix("question_") {
        format!("questions-done-{d}")
    } else if done == "note" || done == "item" {
        format!("runner-done-{done}")
    } else {
        format!("meeting-done-{}", done.replace('_', "-"))
    };
    Some(key)
}

async fn runner(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<EngagementId>,
    Query(q): Query<RunnerQuery>,
) -> Result<Response, AppError> {
    let notice = q.done.as_deref().and_then(notice_key).filter(|k| Tr::new(ctx.locale).t(k) != *k);
    page(&state, &viewer, &ctx, id, notice.as_deref(), Vec::new(), None).await
}

#[derive(Deserialize)]
struct ActForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    note: String,
}

/// A checkpoint ticked or a note saved from the runner: back to the runner, which says
/// the note was saved; a refused tick stays in the runner, its reason next to it.
async fn act(a: Action<(EngagementId, String), ActForm>) -> Result<Response, AppError> {
    let (id, key) = a.id.clone();
    let (action, done) = match a.form.action.as_str() {
        "done" => (ItemAction::Done, "item"),
        "reopen" => (ItemAction::Reopen, "item"),
        "note" => (ItemAction::Note(a.form.note.clone()), "note"),
        _ => return Err(AppError::BadRequest("unknown action".into())),
    };
    let tr = Tr::new(a.ctx.locale);
    match engagements::act(&a.state, &a.viewer.principal, id, &key, action).await {
        Ok(()) => Ok(Redirect::to(&format!("/engagements/{id}/runner?done={done}")).into_response()),
        Err(AppError::Invalid(fields)) => {
            let messages: Vec<String> = fields.iter().map(|f| tr.t(f.code)).collect();
            let at = fields.iter().find(|f| f.field == "item").map(|f| (key.as_str(), tr.t(f.code)));
            page(&a.state, &a.viewer, &a.ctx, id, None, messages, at).await
        }
        Err(AppError::Blocked(gates)) => {
            let v = service::view(&a.state, &a.viewer.principal, id).await?;
            let titles: Vec<String> =
                gates.iter().map(|g| item_title(&v.playbook, g).unwrap_or_else(|| g.clone())).collect();
            let message = tr.t1("engagement-blocked", "gates", &titles.join(" · "));
            page(&a.state, &a.viewer, &a.ctx, id, None, vec![message.clone()], Some((&key, message))).await
        }
        Err(e) => Err(e),
    }
}

/// The runner, with a notice or what went wrong (422 then: nothing was written), and
/// the message of a refused checkpoint next to it.
pub(crate) async fn page(
    state: &AppState,
    viewer: &Viewer,
    ctx: &RequestCtx,
    id: EngagementId,
    notice: Option<&str>,
    errors: Vec<String>,
    refused: Option<(&str, String)>,
) -> Result<Response, AppError> {
    page_with(state, viewer, ctx, id, notice, errors, refused, Forms::default()).await
}

/// The runner's forms as they were typed when refused: a next step to add, one edited.
#[derive(Default)]
pub(crate) struct Forms<'a> {
    pub add: Option<NewStepForm>,
    pub edit: Option<&'a FailedEdit>,
    /// The conclusion's resources and market dynamics as typed, with each field's message.
    pub conclusion: Option<(String, String, FormErrors)>,
}

/// The runner, with the add-a-next-step form as it was typed when it was refused.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn page_with(
    state: &AppState,
    viewer: &Viewer,
    ctx: &RequestCtx,
    id: EngagementId,
    notice: Option<&str>,
    errors: Vec<String>,
    refused: Option<(&str, String)>,
    forms: Forms<'_>,
) -> Result<Response, AppError> {
    let tr = Tr::new(ctx.locale);
    let tz = viewer.principal.workspace_time_zone.clone();
    let v = service::view(state, &viewer.principal, id).await?;
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
                    error: refused.as_ref().filter(|(k, _)| *k == c.id).map(|(_, m)| m.clone()),
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
    // What the step brings: only while the meeting runs.
    // Once it ended, the next steps stay (with the client's acceptances once the report is sent).
    let ended = v.meeting.ended_at.is_some();
    let tools: Vec<RunnerTool> = match (step, v.meeting.started_at.is_some() && !ended) {
        (Some(s), true) => s.runner.clone(),
        _ if ended && v.playbook.steps().any(|s| s.runner.contains(&RunnerTool::NextSteps)) => {
            vec![RunnerTool::NextSteps]
        }
        _ => Vec::new(),
    };
    let report_sent = v.report.as_ref().is_some_and(|r| r.sent_at.is_some());
    let sc = if tools.contains(&RunnerTool::Scorecard) {
        match scorecards::view(state, &viewer.principal, id).await {
            Ok(card) => Some(editor(tr, viewer, &card, true)),
            Err(AppError::Invalid(_)) => None,
            Err(e) => return Err(e),
        }
    } else {
        None
    };
    let notice = match &sc {
        Some(e) => settled_notice(notice, e.locked, e.signed_by_me),
        None => notice,
    };
    let questions = if tools.contains(&RunnerTool::Questions) {
        let (_, _, list) = scorecards::questions(state, &viewer.principal, id).await?;
        let open: Vec<_> = list.into_iter().filter(|q| q.open).collect();
        Some(question_views(tr, &tz, &open))
    } else {
        None
    };
    let next_steps = tools
        .contains(&RunnerTool::NextSteps)
        .then(|| next_step_views(tr, &tz, &v, viewer.principal.user.id, forms.edit));
    let owners: Vec<(String, String)> = v
        .participants
        .iter()
        .map(|p| (p.user_id.to_string(), format!("{} ({})", p.name, tr.role_name(&p.role))))
        .collect();
    // Something refused (a message on top, a form as it was typed): nothing was written.
    let refused_form = forms.add.is_some() || forms.edit.is_some() || forms.conclusion.is_some();
    let (resources, market, field_errors) = match forms.conclusion {
        Some(typed) => typed,
        None => (v.meeting.resources.clone(), v.meeting.market_notes.clone(), FormErrors::default()),
    };
    let status = if errors.is_empty() && !refused_form { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    render_status(
        status,
        RunnerTemplate {
            page: Page::signed_in(
                viewer,
                ctx,
                "engagements",
                &tr.t("runner-title"),
                &format!("/engagements/{id}/runner"),
            )
            .with_notice(notice),
            errors,
            conclusion: tools.contains(&RunnerTool::Conclusion),
            resources,
            market,
            can_manage: v.access.can_manage,
            report_sent,
            field_choices: field_choices(tr),
            questions,
            next_steps,
            kinds: NextStepKind::ALL
                .iter()
                .map(|k| (k.as_str(), tr.t(&format!("next-step-kind-{}", k.as_str().replace('_', "-")))))
                .collect(),
            owners,
            add_form: forms.add.unwrap_or_else(|| NewStepForm::empty(&v, &tz)),
            field_errors,
            sc,
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
        },
    )
}
