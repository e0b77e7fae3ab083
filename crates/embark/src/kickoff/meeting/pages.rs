//! The kick-off meeting pages: preparation and readiness, the full-screen runner,
//! the conclusion and report, the single-purpose links emailed to people, and the
//! workspace's view of kick-off quality.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use embark_core::kickoff::{NextStepKind, NextStepOutcome};
use embark_core::{EngagementId, NextStepId};
use serde::Deserialize;

use crate::engagements::summary::item_title;
use crate::error::AppError;
use crate::http::{local_input, render, render_status, Action, Form, FormErrors, Page, Path, RequestCtx, Viewer};
use crate::i18n::Tr;
use crate::kickoff::meeting::runner;
use crate::kickoff::meeting::service::{self as service, MeetingView};
use crate::kickoff::meeting::views::{next_step_views, EditForm, FailedEdit, NewStepForm, NextStepView};
use crate::kickoff::quality::{quality_views, SignalView};
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
        .route("/engagements/{id}/meeting/next-steps/{sid}/edit", post(edit_next_step))
        .route("/engagements/{id}/meeting/next-steps/{sid}/{outcome}", post(next_step_outcome))
        .route("/engagements/{id}/next-steps/accept", post(accept_all_next_steps))
        .route("/engagements/{id}/next-steps/{sid}/accept", post(accept_next_step))
        .route("/engagements/{id}/next-steps/{sid}/homework-done", post(homework_done))
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
    /// The length as the form shows it (as typed when refused).
    duration_input: String,
    /// Each refused field's message, next to it (logistics, conclusion).
    field_errors: FormErrors,
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
    /// More than one next step to accept: one button accepts them all.
    accept_all: bool,
    kinds: Vec<(&'static str, String)>,
    owners: Vec<(String, String)>,
    add_form: NewStepForm,
    quality: Vec<SignalView>,
    report_state: Option<String>,
    /// The firm's own view (readiness, the quality signals, the no-show risk): staff
    /// only. A client sees the meeting, never the firm's judgement of her.
    internal: bool,
    errors: Vec<String>,
    /// Starting now is early: the question, with the planned time.
    confirm_early: Option<String>,
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
    failed: Option<&FailedEdit>,
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
    let staff = state.staff_names.get(&mut state.store.db(), v.workspace_id).await?;
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
    let next_steps = next_step_views(tr, &tz, &v, viewer.principal.user.id, failed);
    let accept_all = next_steps.iter().filter(|s| s.can_accept).count() > 1;
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
        duration_input: v.meeting.duration_minutes.to_string(),
        field_errors: FormErrors::default(),
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
        accept_all,
        kinds: NextStepKind::ALL
            .iter()
            .map(|k| (k.as_str(), tr.t(&format!("next-step-kind-{}", k.as_str().replace('_', "-")))))
            .collect(),
        owners,
        add_form: NewStepForm::empty(&v, &tz),
        quality: quality_views(tr, &v),
        report_state,
        internal: viewer.principal.user.role.is_staff(),
        errors,
        confirm_early: None,
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
    render(meeting_page(&state, &viewer, &ctx, id, notice.as_deref(), Vec::new(), None).await?)
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
    /// "confirmed" when the person confirmed starting more than 30 minutes early.
    #[serde(default)]
    early: String,
}

async fn logistics(a: MeetingAction) -> Result<Response, AppError> {
    let result = service::set_logistics(
        &a.state,
        &a.viewer.principal,
        a.id,
        &a.form.place,
        &a.form.starts_at,
        &a.form.duration_minutes,
    )
    .await;
    a.answer("logistics", Then::Meeting, result).await
}

async fn add_attendee(a: MeetingAction) -> Result<Response, AppError> {
    let result = service::set_attendee(&a.state, &a.viewer.principal, a.id, &a.form.user_id, true).await;
    a.answer("attendee-add", Then::Meeting, result).await
}

async fn remove_attendee(a: MeetingAction) -> Result<Response, AppError> {
    let result = service::set_attendee(&a.state, &a.viewer.principal, a.id, &a.form.user_id, false).await;
    a.answer("attendee-remove", Then::Meeting, result).await
}

async fn lock_logistics(a: MeetingAction) -> Result<Response, AppError> {
    let result = service::lock_logistics(&a.state, &a.viewer.principal, a.id).await;
    a.answer("lock", Then::Meeting, result).await
}

async fn unlock_logistics(a: MeetingAction) -> Result<Response, AppError> {
    let result = service::unlock_logistics(&a.state, &a.viewer.principal, a.id).await;
    a.answer("unlock", Then::Meeting, result).await
}

async fn send_invitation(a: MeetingAction) -> Result<Response, AppError> {
    let result = service::send_invitation(&a.state, &a.viewer.principal, a.id).await;
    a.answer("invite", Then::Meeting, result).await
}

async fn start(a: MeetingAction) -> Result<Response, AppError> {
    let result = service::start(&a.state, &a.viewer.principal, a.id, a.form.early == "confirmed").await;
    if matches!(&result, Err(AppError::Invalid(f)) if f.iter().any(|e| e.code == service::EARLY_START)) {
        // Ask, with the planned time: the same button again starts it.
        let tr = Tr::new(a.ctx.locale);
        let mut page = meeting_page(&a.state, &a.viewer, &a.ctx, a.id, None, Vec::new(), None).await?;
        page.confirm_early = Some(tr.t1("meeting-early-confirm", "when", &page.starts));
        return render_status(StatusCode::CONFLICT, page);
    }
    a.answer("start", Then::Runner, result).await
}

async fn next(a: MeetingAction) -> Result<Response, AppError> {
    let result = service::move_step(&a.state, &a.viewer.principal, a.id, true, Some(&a.form.from)).await;
    a.answer("next", Then::Runner, result).await
}

async fn previous(a: MeetingAction) -> Result<Response, AppError> {
    let result = service::move_step(&a.state, &a.viewer.principal, a.id, false, Some(&a.form.from)).await;
    a.answer("previous", Then::Runner, result).await
}

async fn extend(a: MeetingAction) -> Result<Response, AppError> {
    let result = service::extend(&a.state, &a.viewer.principal, a.id, &a.form.minutes).await;
    a.answer("extend", Then::Runner, result).await
}

async fn end(a: MeetingAction) -> Result<Response, AppError> {
    let result = service::end(&a.state, &a.viewer.principal, a.id).await;
    a.answer("end", Then::Report, result).await
}

async fn conclusion(a: MeetingAction) -> Result<Response, AppError> {
    let result =
        service::set_conclusion(&a.state, &a.viewer.principal, a.id, &a.form.resources, &a.form.market_notes).await;
    a.answer("conclusion", Then::Meeting, result).await
}

async fn add_next_step(a: MeetingAction) -> Result<Response, AppError> {
    let result = service::add_next_step(
        &a.state,
        &a.viewer.principal,
        a.id,
        &a.form.kind,
        &a.form.title,
        &a.form.owner_id,
        &a.form.due_at,
    )
    .await
    .map(|_| ());
    a.answer("next-step", Then::Meeting, result).await
}

async fn decisions(a: MeetingAction) -> Result<Response, AppError> {
    let result = service::set_decisions(&a.state, &a.viewer.principal, a.id, &a.form.decisions).await;
    a.answer("decisions", Then::Report, result).await
}

async fn send_report(a: MeetingAction) -> Result<Response, AppError> {
    let result = service::send_report(&a.state, &a.viewer.principal, a.id).await;
    a.answer("send-report", Then::Report, result).await
}

/// A meeting action: the engagement and the meeting form.
type MeetingAction = Action<EngagementId, MeetingForm>;

impl MeetingAction {
    async fn answer(self, action: &str, then: Then, result: Result<(), AppError>) -> Result<Response, AppError> {
        answer(&self.state, &self.viewer, &self.ctx, self.id, action, then, &self.form, result).await
    }
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
        Then::Meeting if f.back == "runner" => format!("/engagements/{id}/runner?done={notice}"),
        Then::Meeting => format!("/engagements/{id}/meeting?done={notice}"),
    };
    let tr = Tr::new(ctx.locale);
    // From the runner, a refusal stays in the runner: the meeting is held from there.
    let in_runner = f.back == "runner" || (then == Then::Runner && action != "start");
    match result {
        Ok(()) => Ok(Redirect::to(&next).into_response()),
        Err(AppError::Invalid(fields)) => {
            let errors = fields.iter().map(|e| tr.t(e.code)).collect();
            // A refused next step keeps what was typed, each reason next to its field.
            let add = (action == "next-step")
                .then(|| NewStepForm::typed(tr, [&f.kind, &f.title, &f.owner_id, &f.due_at], &fields));
            if in_runner {
                let conclusion = (action == "conclusion")
                    .then(|| (f.resources.clone(), f.market_notes.clone(), FormErrors::from_fields(tr, &fields)));
                let forms = runner::Forms { add, edit: None, conclusion };
                return runner::page_with(state, viewer, ctx, id, None, errors, None, forms).await;
            }
            let mut page = meeting_page(state, viewer, ctx, id, None, errors, None).await?;
            if let Some(add) = add {
                page.add_form = add;
            }
            // Logistics and the conclusion come back as typed, each reason next to its field.
            if action == "logistics" {
                page.place = f.place.clone();
                page.starts_input = f.starts_at.clone();
                page.duration_input = f.duration_minutes.clone();
            }
            if action == "conclusion" {
                page.resources = f.resources.clone();
                page.market = f.market_notes.clone();
            }
            page.field_errors = FormErrors::from_fields(tr, &fields);
            render_status(StatusCode::UNPROCESSABLE_ENTITY, page)
        }
        Err(AppError::Blocked(gates)) => {
            let v = service::view(state, &viewer.principal, id).await?;
            let titles: Vec<String> =
                gates.iter().map(|g| item_title(&v.playbook, g).unwrap_or_else(|| g.clone())).collect();
            let errors = vec![tr.t1("engagement-blocked", "gates", &titles.join(" · "))];
            render_status(StatusCode::CONFLICT, meeting_page(state, viewer, ctx, id, None, errors, None).await?)
        }
        Err(e) => Err(e),
    }
}

async fn next_step_outcome(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path((id, step, outcome)): Path<(EngagementId, NextStepId, String)>,
    Form(form): Form<BackForm>,
) -> Result<Response, AppError> {
    let in_runner = form.back == "runner";
    let result = if outcome == "delete" {
        service::delete_next_step(&state, &viewer.principal, id, step).await
    } else {
        let outcome: NextStepOutcome = outcome.parse().map_err(|_| AppError::NotFound)?;
        service::set_next_step_outcome(&state, &viewer.principal, id, step, outcome).await
    };
    match result {
        Ok(()) if in_runner => Ok(Redirect::to(&format!("/engagements/{id}/runner?done=next_step")).into_response()),
        Ok(()) => Ok(Redirect::to(&format!("/engagements/{id}/meeting?done=next_step#next-steps")).into_response()),
        Err(AppError::Invalid(fields)) => {
            let tr = Tr::new(ctx.locale);
            let errors = fields.iter().map(|e| tr.t(e.code)).collect();
            if in_runner {
                return runner::page(&state, &viewer, &ctx, id, None, errors, None).await;
            }
            let page = meeting_page(&state, &viewer, &ctx, id, None, errors, None).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, page)
        }
        Err(e) => Err(e),
    }
}

/// Changes a next step until the report is sent; a refused edit comes back with what
/// was typed and each field's message next to it.
async fn edit_next_step(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path((id, step)): Path<(EngagementId, NextStepId)>,
    Form(form): Form<EditForm>,
) -> Result<Response, AppError> {
    let result = service::edit_next_step(
        &state,
        &viewer.principal,
        id,
        step,
        &form.kind,
        &form.title,
        &form.owner_id,
        &form.due_at,
    )
    .await;
    let in_runner = form.back == "runner";
    match result {
        Ok(()) if in_runner => {
            Ok(Redirect::to(&format!("/engagements/{id}/runner?done=next_step_edited")).into_response())
        }
        Ok(()) => {
            Ok(Redirect::to(&format!("/engagements/{id}/meeting?done=next_step_edited#next-steps")).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let tr = Tr::new(ctx.locale);
            // A refusal of the whole list (the report is sent) goes on top; a field's next to it.
            let top: Vec<String> = errors.iter().filter(|e| e.field == "next_steps").map(|e| tr.t(e.code)).collect();
            let failed = FailedEdit { step, form, errors };
            if in_runner {
                let forms = runner::Forms { add: None, edit: Some(&failed), conclusion: None };
                return runner::page_with(&state, &viewer, &ctx, id, None, top, None, forms).await;
            }
            let page = meeting_page(&state, &viewer, &ctx, id, None, top, Some(&failed)).await?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, page)
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
struct BackForm {
    /// "report" when answered from the report page: go back there.
    #[serde(default)]
    back: String,
}

fn back_to(id: EngagementId, form: &BackForm, done: &str) -> Response {
    let page = if form.back == "report" { "report" } else { "meeting" };
    Redirect::to(&format!("/engagements/{id}/{page}?done={done}#next-steps")).into_response()
}

async fn accept_all_next_steps(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<EngagementId>,
    Form(form): Form<BackForm>,
) -> Result<Response, AppError> {
    service::accept_next_steps(&state, &viewer.principal, id, None).await?;
    Ok(back_to(id, &form, "next_steps_accepted"))
}

async fn accept_next_step(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, step)): Path<(EngagementId, NextStepId)>,
    Form(form): Form<BackForm>,
) -> Result<Response, AppError> {
    service::accept_next_steps(&state, &viewer.principal, id, Some(step)).await?;
    Ok(back_to(id, &form, "next_step_accepted"))
}

async fn homework_done(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, step)): Path<(EngagementId, NextStepId)>,
    Form(form): Form<BackForm>,
) -> Result<Response, AppError> {
    service::complete_homework(&state, &viewer.principal, id, step).await?;
    Ok(back_to(id, &form, "homework_done"))
}
