//! The scorecard page: send it, fill it in, co-write it live, sign the lock, re-scope;
//! the version diff; the questions log; and the live stream of an engagement.

use std::convert::Infallible;
use std::time::Duration;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use embark_core::diff::DiffLine;
use embark_core::kickoff::scorecard::{FieldValue, Outcome, ReturnTiming, FIELDS};
use embark_core::kickoff::{QuestionSource, ScorecardState};
use embark_core::{EngagementId, ObjectionId, QuestionId};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast::error::RecvError;

use crate::engagements::service::load;
use crate::error::AppError;
use crate::http::{notice, render, render_status, Action, Form, Page, Path, RequestCtx, Viewer};
use crate::i18n::Tr;
use crate::kickoff::scorecard::service::{self as service, EditOutcome, Party, ScorecardView};
use crate::kickoff::scorecard::views::{
    editor, kind_of, question_views, settled_notice, QuestionView, ScorecardEditor,
};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/engagements/{id}/scorecard", get(show).post(save))
        .route("/engagements/{id}/scorecard/fields/{field}", post(edit_field))
        .route("/engagements/{id}/scorecard/send", post(send))
        .route("/engagements/{id}/scorecard/agree", post(agree_due))
        .route("/engagements/{id}/scorecard/return", post(return_scorecard))
        .route("/engagements/{id}/scorecard/sign", post(sign))
        .route("/engagements/{id}/scorecard/objections", post(raise_objection))
        .route("/engagements/{id}/scorecard/rescope", post(rescope))
        .route("/engagements/{id}/scorecard/objections/{oid}/resolve", post(resolve_objection))
        .route("/engagements/{id}/scorecard/versions/{number}", get(version_diff))
        .route("/engagements/{id}/questions", get(questions).post(ask))
        .route("/engagements/{id}/questions/{qid}", post(answer))
        .route("/engagements/{id}/live", get(live))
}

#[derive(Template)]
#[template(path = "kickoff/scorecard/scorecard.html")]
struct ScorecardTemplate {
    page: Page,
    id: String,
    title: String,
    subject: String,
    kickoff: String,
    number: i64,
    state_label: String,
    rescoping: bool,
    errors: Vec<String>,
    sc: ScorecardEditor,
}

fn template(
    viewer: &Viewer,
    ctx: &RequestCtx,
    v: ScorecardView,
    notice: Option<&str>,
    errors: Vec<String>,
) -> ScorecardTemplate {
    let tr = Tr::new(ctx.locale);
    let tz = viewer.principal.workspace_time_zone.clone();
    let sc = editor(tr, viewer, &v, false);
    let notice = settled_notice(notice, sc.locked, sc.signed_by_me);
    let row = &v.row;
    let state_label = match (row.state, v.timing) {
        (ScorecardState::Returned, Some(ReturnTiming::Late(_))) => tr.t("scorecard-state-returned-late"),
        (ScorecardState::Returned, _) => tr.t("scorecard-state-returned-on-time"),
        (s, _) => tr.t(&format!("scorecard-state-{}", s.as_str().replace('_', "-"))),
    };
    let id = v.engagement.id.to_string();
    ScorecardTemplate {
        page: Page::signed_in(
            viewer,
            ctx,
            "engagements",
            &tr.t("scorecard-title"),
            &format!("/engagements/{id}/scorecard"),
        )
        .with_notice(notice),
        title: v.engagement.title.clone(),
        subject: v.engagement.subject.clone(),
        kickoff: tr.datetime(v.engagement.anchor_at, &tz),
        number: row.number,
        state_label,
        rescoping: row.rescoping,
        errors,
        sc,
        id,
    }
}

#[derive(Deserialize, Default)]
struct ShowQuery {
    done: Option<String>,
}

const NOTICES: &[&str] = &["sent", "agreed", "returned", "saved", "signed", "locked", "objection", "rescoped"];

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<EngagementId>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let notice =
        q.done.as_deref().and_then(|d| NOTICES.iter().find(|n| **n == d)).map(|n| format!("scorecard-done-{n}"));
    match service::view(&state, &viewer.principal, id).await {
        Ok(v) => render(template(&viewer, &ctx, v, notice.as_deref(), Vec::new())),
        Err(AppError::Invalid(fields)) => not_visible(&viewer, &ctx, id, &fields),
        Err(e) => Err(e),
    }
}

/// A client before the scorecard was sent to them: say so rather than a bare error.
fn not_visible(
    viewer: &Viewer,
    ctx: &RequestCtx,
    id: EngagementId,
    fields: &[embark_core::FieldError],
) -> Result<Response, AppError> {
    let tr = Tr::new(ctx.locale);
    let msg = fields.iter().map(|f| tr.t(f.code)).collect::<Vec<_>>().join(" ");
    render_status(
        StatusCode::CONFLICT,
        crate::http::MessageTemplate::new(viewer, ctx, &tr.t("scorecard-title"), msg, format!("/engagements/{id}")),
    )
}

/// After an action: on to the page with a notice, or the page again with what went wrong
/// (the runner's, when the button was in the runner: the meeting is held from there).
async fn after(
    state: &AppState,
    viewer: &Viewer,
    ctx: &RequestCtx,
    id: EngagementId,
    back: &str,
    result: Result<&'static str, AppError>,
) -> Result<Response, AppError> {
    let tr = Tr::new(ctx.locale);
    let runner = back == "runner";
    match result {
        Ok(done) if runner => {
            Ok(Redirect::to(&format!("/engagements/{id}/runner?done=scorecard_{done}")).into_response())
        }
        Ok(done) => Ok(Redirect::to(&format!("/engagements/{id}/scorecard?done={done}")).into_response()),
        Err(AppError::Invalid(fields)) => {
            let errors = fields.iter().map(|f| tr.t(f.code)).collect();
            if runner {
                return crate::kickoff::meeting::runner::page(state, viewer, ctx, id, None, errors, None).await;
            }
            let v = match service::view(state, &viewer.principal, id).await {
                Ok(v) => v,
                Err(AppError::Invalid(_)) => return not_visible(viewer, ctx, id, &fields),
                Err(e) => return Err(e),
            };
            render_status(StatusCode::UNPROCESSABLE_ENTITY, template(viewer, ctx, v, None, errors))
        }
        Err(e) => Err(e),
    }
}

/// The whole form, without JavaScript: each field whose text changed is written at
/// the version the form was loaded with; a field someone changed meanwhile is a conflict.
async fn save(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<EngagementId>,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_bytes(&body).map_err(|_| AppError::BadRequest("unreadable form".into()))?;
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let current = service::view(&state, &viewer.principal, id).await?;
    let tr = Tr::new(ctx.locale);
    let mut errors = Vec::new();
    for f in FIELDS {
        let value = if *f == "outcomes" {
            let texts = pairs.iter().filter(|(k, _)| k == "outcome_text").map(|(_, v)| v.clone());
            let measures: Vec<String> =
                pairs.iter().filter(|(k, _)| k == "outcome_measure").map(|(_, v)| v.clone()).collect();
            if !pairs.iter().any(|(k, _)| k == "outcome_text") {
                continue;
            }
            FieldValue::Outcomes(
                texts
                    .enumerate()
                    .map(|(i, text)| Outcome { text, measure: measures.get(i).cloned().unwrap_or_default() })
                    .collect(),
            )
        } else {
            let Some(raw) = get(f) else { continue };
            match kind_of(f) {
                "list" => FieldValue::List(raw.lines().map(str::to_string).collect()),
                _ => FieldValue::Text(raw.to_string()),
            }
        };
        let mut probe = current.card.clone();
        if probe.set(f, value.clone()).is_ok() && probe.get(f) == current.card.get(f) {
            continue; // unchanged
        }
        let based_on = get(&format!("v_{f}")).and_then(|v| v.parse().ok()).unwrap_or(0);
        match service::edit(&state, &viewer.principal, id, f, value, based_on).await {
            Ok(EditOutcome::Applied { .. }) => {}
            Ok(EditOutcome::Conflict { by, .. }) => errors.push(tr.t2(
                "scorecard-conflict",
                "field",
                &tr.t(&format!("scorecard-field-{}", f.replace('_', "-"))),
                "name",
                by.as_deref().unwrap_or("—"),
            )),
            Err(AppError::Invalid(fe)) => errors.extend(fe.iter().map(|e| tr.t(e.code))),
            Err(e) => return Err(e),
        }
    }
    let runner = get("back") == Some("runner");
    if errors.is_empty() {
        let to = if runner { "runner?done=scorecard_saved" } else { "scorecard?done=saved" };
        return Ok(Redirect::to(&format!("/engagements/{id}/{to}")).into_response());
    }
    if runner {
        return crate::kickoff::meeting::runner::page(&state, &viewer, &ctx, id, None, errors, None).await;
    }
    let v = service::view(&state, &viewer.principal, id).await?;
    render_status(StatusCode::CONFLICT, template(&viewer, &ctx, v, None, errors))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EditBody {
    value: FieldValue,
    based_on: i64,
}

#[derive(Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
enum EditAnswer {
    Applied { version: i64 },
    Conflict { version: i64, value: FieldValue, by: Option<String>, message: String },
}

/// One field, from the live page's script: 200 with the new version, or 409 with what
/// the other writer saved (nothing of ours was written).
async fn edit_field(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path((id, field)): Path<(EngagementId, String)>,
    body: axum::body::Bytes,
) -> Result<Response, crate::error::ScriptError> {
    let de = &mut serde_json::Deserializer::from_slice(&body);
    let body: EditBody = serde_path_to_error::deserialize(de).map_err(|e| crate::http::api::json_error(&e))?;
    let tr = Tr::new(ctx.locale);
    Ok(match service::edit(&state, &viewer.principal, id, &field, body.value, body.based_on).await? {
        EditOutcome::Applied { version } => Json(EditAnswer::Applied { version }).into_response(),
        EditOutcome::Conflict { version, value, by } => {
            let message = tr.t2(
                "scorecard-conflict",
                "field",
                &tr.t(&format!("scorecard-field-{}", field.replace('_', "-"))),
                "name",
                by.as_deref().unwrap_or("—"),
            );
            (StatusCode::CONFLICT, Json(EditAnswer::Conflict { version, value, by, message })).into_response()
        }
    })
}

/// What the scorecard's buttons send (each action reads its own fields).
#[derive(Deserialize, Default)]
struct ActionForm {
    #[serde(default)]
    due_at: String,
    #[serde(default)]
    field: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    confirm: String,
    /// "runner" when the button was in the meeting runner: the answer goes back there.
    #[serde(default)]
    back: String,
}

async fn send(a: Action<EngagementId, ActionForm>) -> Result<Response, AppError> {
    let r = service::send(&a.state, &a.viewer.principal, a.id, &a.form.due_at).await.map(|_| "sent");
    // A refused date comes back as typed, its reason next to it (and on top).
    if let Err(AppError::Invalid(fields)) = &r {
        if a.form.back != "runner" {
            let tr = Tr::new(a.ctx.locale);
            let errors: Vec<String> = fields.iter().map(|f| tr.t(f.code)).collect();
            let v = service::view(&a.state, &a.viewer.principal, a.id).await?;
            let mut t = template(&a.viewer, &a.ctx, v, None, errors);
            t.sc.due_default = a.form.due_at.clone();
            t.sc.due_error = fields.iter().find(|f| f.field == "due_at").map(|f| tr.t(f.code));
            return render_status(StatusCode::UNPROCESSABLE_ENTITY, t);
        }
    }
    after(&a.state, &a.viewer, &a.ctx, a.id, &a.form.back, r).await
}

async fn agree_due(a: Action<EngagementId, ActionForm>) -> Result<Response, AppError> {
    let (s, p, id) = (&a.state, &a.viewer.principal, a.id);
    let r = service::agree_due(s, p, id).await.map(|_| "agreed");
    after(s, &a.viewer, &a.ctx, id, &a.form.back, r).await
}

async fn return_scorecard(a: Action<EngagementId, ActionForm>) -> Result<Response, AppError> {
    let (s, p, id) = (&a.state, &a.viewer.principal, a.id);
    let r = service::return_scorecard(s, p, id).await.map(|_| "returned");
    after(s, &a.viewer, &a.ctx, id, &a.form.back, r).await
}

async fn sign(a: Action<EngagementId, ActionForm>) -> Result<Response, AppError> {
    let (s, p, id) = (&a.state, &a.viewer.principal, a.id);
    let r = service::sign(s, p, id).await.map(|locked| if locked { "locked" } else { "signed" });
    after(s, &a.viewer, &a.ctx, id, &a.form.back, r).await
}

async fn raise_objection(a: Action<EngagementId, ActionForm>) -> Result<Response, AppError> {
    let r = service::raise_objection(&a.state, &a.viewer.principal, a.id, &a.form.field, &a.form.body)
        .await
        .map(|_| "objection");
    after(&a.state, &a.viewer, &a.ctx, a.id, &a.form.back, r).await
}

async fn rescope(a: Action<EngagementId, ActionForm>) -> Result<Response, AppError> {
    let r = service::rescope(&a.state, &a.viewer.principal, a.id, a.form.confirm == "yes").await.map(|_| "rescoped");
    after(&a.state, &a.viewer, &a.ctx, a.id, &a.form.back, r).await
}

async fn resolve_objection(a: Action<(EngagementId, ObjectionId), ActionForm>) -> Result<Response, AppError> {
    let (id, objection) = a.id;
    let r = service::resolve_objection(&a.state, &a.viewer.principal, id, objection).await.map(|_| "objection");
    after(&a.state, &a.viewer, &a.ctx, id, &a.form.back, r).await
}

/// A line of the scorecard's canonical text (`must-have: Fluent English`) in the
/// reader's language: its label translated, the colon as the language writes it.
fn diff_text(tr: Tr, line: &str) -> String {
    let colon = tr.t("punct-colon");
    let Some((label, rest)) = line.split_once(": ") else { return line.to_string() };
    let label = match label {
        "mission" => tr.t("scorecard-field-mission"),
        "competency" => tr.t("scorecard-diff-competency"),
        "must-have" => tr.t("scorecard-diff-must-have"),
        "nice-to-have" => tr.t("scorecard-diff-nice-to-have"),
        "location" => tr.t("scorecard-field-location"),
        "salary range" => tr.t("scorecard-field-salary-range"),
        "start date" => tr.t("scorecard-field-start-date"),
        other => match other.strip_prefix("outcome ") {
            // `outcome 1: Grow | measure: +20 %`
            Some(n) => {
                let (text, measure) = rest.split_once(" | measure: ").unwrap_or((rest, ""));
                return format!(
                    "{} {n}{colon} {text} | {}{colon} {measure}",
                    tr.t("scorecard-outcome"),
                    tr.t("scorecard-measure")
                );
            }
            None => return line.to_string(),
        },
    };
    format!("{label}{colon} {rest}")
}

#[derive(Template)]
#[template(path = "kickoff/scorecard/diff.html")]
struct DiffTemplate {
    page: Page,
    id: String,
    title: String,
    before: i64,
    after: i64,
    rescoping: bool,
    before_hash: String,
    lines: Vec<(&'static str, String)>,
}

async fn version_diff(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path((id, number)): Path<(EngagementId, i64)>,
) -> Result<Response, AppError> {
    let tr = Tr::new(ctx.locale);
    let (engagement, d) = service::diff(&state, &viewer.principal, id, number).await?;
    let lines = d
        .lines()
        .into_iter()
        .map(|l| match l {
            DiffLine::Same(t) => ("same", diff_text(tr, t)),
            DiffLine::Added(t) => ("added", diff_text(tr, t)),
            DiffLine::Removed(t) => ("removed", diff_text(tr, t)),
        })
        .collect();
    render(DiffTemplate {
        page: Page::signed_in(
            &viewer,
            &ctx,
            "engagements",
            &tr.t("scorecard-diff-title"),
            &format!("/engagements/{id}/scorecard/versions/{number}"),
        ),
        id: id.to_string(),
        title: engagement.title,
        before: d.before.number,
        after: d.after.number,
        rescoping: d.after.rescoping,
        before_hash: d.before.content_hash.clone().unwrap_or_default(),
        lines,
    })
}

#[derive(Template)]
#[template(path = "kickoff/scorecard/questions.html")]
struct QuestionsTemplate {
    page: Page,
    id: String,
    title: String,
    can_manage: bool,
    open: usize,
    questions: Vec<QuestionView>,
    sources: Vec<(&'static str, String)>,
    field_choices: Vec<(&'static str, String)>,
    errors: Vec<String>,
}

async fn questions_page(
    state: &AppState,
    viewer: &Viewer,
    ctx: &RequestCtx,
    id: EngagementId,
    notice: Option<&str>,
    errors: Vec<String>,
) -> Result<QuestionsTemplate, AppError> {
    let tr = Tr::new(ctx.locale);
    let tz = viewer.principal.workspace_time_zone.clone();
    let (engagement, party, list) = service::questions(state, &viewer.principal, id).await?;
    let questions = question_views(tr, &tz, &list);
    Ok(QuestionsTemplate {
        page: Page::signed_in(
            viewer,
            ctx,
            "engagements",
            &tr.t("questions-title"),
            &format!("/engagements/{id}/questions"),
        )
        .with_notice(notice),
        id: id.to_string(),
        title: engagement.title,
        can_manage: party == Party::AccountManager,
        open: questions.iter().filter(|q| q.open).count(),
        questions,
        sources: QuestionSource::ALL
            .iter()
            .map(|s| (s.as_str(), tr.t(&format!("question-source-{}", s.as_str()))))
            .collect(),
        field_choices: FIELDS.iter().map(|f| (*f, tr.t(&format!("scorecard-field-{}", f.replace('_', "-"))))).collect(),
        errors,
    })
}

async fn questions(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<EngagementId>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let notice = notice(
        q.done.as_deref(),
        &[
            ("asked", "questions-done-asked"),
            ("answered", "questions-done-answered"),
            ("guess", "questions-done-guess"),
        ],
    );
    render(questions_page(&state, &viewer, &ctx, id, notice, Vec::new()).await?)
}

async fn questions_after(
    state: &AppState,
    viewer: &Viewer,
    ctx: &RequestCtx,
    id: EngagementId,
    back: &str,
    result: Result<&'static str, AppError>,
) -> Result<Response, AppError> {
    let tr = Tr::new(ctx.locale);
    let runner = back == "runner";
    match result {
        Ok(done) if runner => {
            Ok(Redirect::to(&format!("/engagements/{id}/runner?done=question_{done}")).into_response())
        }
        Ok(done) => Ok(Redirect::to(&format!("/engagements/{id}/questions?done={done}")).into_response()),
        Err(AppError::Invalid(fields)) => {
            let errors: Vec<String> = fields.iter().map(|f| tr.t(f.code)).collect();
            if runner {
                return crate::kickoff::meeting::runner::page(state, viewer, ctx, id, None, errors, None).await;
            }
            render_status(StatusCode::UNPROCESSABLE_ENTITY, questions_page(state, viewer, ctx, id, None, errors).await?)
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
struct AskForm {
    #[serde(default)]
    source: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    back: String,
}

async fn ask(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<EngagementId>,
    Form(form): Form<AskForm>,
) -> Result<Response, AppError> {
    let r = service::ask(&state, &viewer.principal, id, &form.source, &form.body).await.map(|_| "asked");
    questions_after(&state, &viewer, &ctx, id, &form.back, r).await
}

#[derive(Deserialize)]
struct AnswerForm {
    #[serde(default)]
    field: String,
    #[serde(default)]
    answer: String,
    #[serde(default)]
    back: String,
}

async fn answer(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path((id, question)): Path<(EngagementId, QuestionId)>,
    Form(form): Form<AnswerForm>,
) -> Result<Response, AppError> {
    let r = service::answer(&state, &viewer.principal, id, question, &form.field, &form.answer).await.map(|closed| {
        if closed {
            "answered"
        } else {
            "guess"
        }
    });
    questions_after(&state, &viewer, &ctx, id, &form.back, r).await
}

/// Server-Sent Events for one engagement: what changed, as JSON, for whoever may see it
/// now. Access is checked again at every event and every few seconds: a stream ends when
/// its session does (signed out, deactivated) or the engagement stops being the viewer's,
/// and a client is never sent the scorecard's events while it is the firm's draft.
async fn live(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<EngagementId>,
) -> Result<Response, AppError> {
    load(&state, &viewer.principal, id).await?;
    // The receiver first, the release second: fields drop in order, so the release
    // sees the receiver gone.
    struct Watch {
        rx: tokio::sync::broadcast::Receiver<std::sync::Arc<str>>,
        state: AppState,
        session_hash: String,
        recheck: tokio::time::Interval,
        _release: Release,
    }
    struct Release(AppState, EngagementId);
    impl Drop for Release {
        fn drop(&mut self) {
            self.0.live.release(self.1);
        }
    }
    let mut recheck = tokio::time::interval(LIVE_RECHECK);
    recheck.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    recheck.reset();
    let watch = Watch {
        rx: state.live.subscribe(id),
        session_hash: crate::secrets::token_hash(&viewer.session_token),
        state: state.clone(),
        recheck,
        _release: Release(state.clone(), id),
    };
    let stream = futures_util::stream::unfold(watch, move |mut w| async move {
        loop {
            let data = tokio::select! {
                received = w.rx.recv() => match received {
                    Ok(json) => json.to_string(),
                    // Too slow to follow: tell the page to reload what it shows.
                    Err(RecvError::Lagged(_)) => r#"{"kind":"reload","reload":true}"#.to_string(),
                    Err(RecvError::Closed) => return None,
                },
                _ = w.recheck.tick() => {
                    match service::live_access(&w.state, &w.session_hash, id).await {
                        Ok(Some(_)) => continue,
                        _ => return None,
                    }
                }
            };
            let sees_scorecard = match service::live_access(&w.state, &w.session_hash, id).await {
                Ok(Some(sees)) => sees,
                Ok(None) => return None,
                Err(e) => {
                    tracing::warn!(error = %e, "live access check");
                    return None;
                }
            };
            if !sees_scorecard && is_scorecard_event(&data) {
                continue;
            }
            return Some((Ok::<_, Infallible>(Event::default().data(data)), w));
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))).into_response())
}

/// How often an idle live stream checks that its viewer may still watch.
const LIVE_RECHECK: Duration = Duration::from_secs(5);

/// Whether an event tells something of the scorecard (its fields, objections, signatures).
fn is_scorecard_event(json: &str) -> bool {
    #[derive(Deserialize)]
    struct Kind<'a> {
        kind: &'a str,
    }
    serde_json::from_str::<Kind>(json)
        .map_or(true, |k| matches!(k.kind, "field" | "objection" | "signature" | "locked" | "reload"))
}
