//! One-click actions from emails (`/a/{token}`): confirm attendance, acknowledge the
//! report, answer the NPS and the relationship question, without signing in.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use embark_core::kickoff::ActionPurpose;
use serde::Deserialize;

use crate::error::AppError;
use crate::http::{render_status, Form, FormErrors, Page, Path, RequestCtx};
use crate::i18n::Tr;
use crate::kickoff::meeting::mail::report_doc;
use crate::kickoff::meeting::service::{self as service, ActionStatus};
use crate::kickoff::report::ReportDoc;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/a/{token}", get(action_page).post(action_post))
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
    /// What the link is about: the kick-off's date and time, and its place.
    when: String,
    place: String,
    errors: Vec<String>,
    /// Each refused field's message, shown next to it.
    field_errors: FormErrors,
    /// What the person typed, kept when the answer is refused.
    score: String,
    comment: String,
}

async fn action_template(
    state: &AppState,
    ctx: &RequestCtx,
    token: &str,
    errors: Vec<String>,
    fields: &[embark_core::FieldError],
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
    let (mut name, mut title, mut when, mut place) = (String::new(), String::new(), String::new(), String::new());
    if let Some(a) = &a {
        name = a.user.name.clone();
        title = a.engagement.title.clone();
        let (ws, id) = (a.token.workspace_id, a.token.engagement_id);
        let tz = embark_store::accounts::workspaces::get(&mut state.store.db(), ws)
            .await?
            .map(|w| w.time_zone)
            .unwrap_or_default();
        let meeting = service::system_view(state, ws, id).await?;
        if let Some(v) = &meeting {
            // The day the meeting was held, once it was; its planned time before.
            when = tr.datetime(v.meeting.started_at.unwrap_or(v.starts_at()), &tz);
            place = v.meeting.place.clone();
        }
        let pool = &mut state.store.db();
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
                if let Some(v) = &meeting {
                    report = Some(report_doc(state, tr, &tz, v).await?);
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
            when,
            place,
            errors,
            field_errors: FormErrors::from_fields(tr, fields),
            score: String::new(),
            comment: String::new(),
        },
    ))
}

async fn action_page(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let (code, t) = action_template(&state, &ctx, &token, Vec::new(), &[]).await?;
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
            let (code, t) = action_template(&state, &ctx, &token, Vec::new(), &[]).await?;
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
            let (_, mut t) = action_template(&state, &ctx, &token, errors, &fields).await?;
            t.score = form.score.trim().to_string();
            t.comment = form.comment.clone();
            render_status(StatusCode::UNPROCESSABLE_ENTITY, t)
        }
        Err(e) => Err(e),
    }
}
