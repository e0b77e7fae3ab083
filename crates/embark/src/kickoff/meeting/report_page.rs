//! The report page: what the meeting decided, sent to the client with an acknowledgement link.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use embark_core::EngagementId;
use serde::Deserialize;

use crate::error::AppError;
use crate::http::{render, render_status, Page, Path, RequestCtx, Viewer};
use crate::i18n::Tr;
use crate::kickoff::meeting::mail::report_doc;
use crate::kickoff::meeting::service::{self as service};
use crate::kickoff::meeting::views::{next_step_views, NextStepView};
use crate::kickoff::report::ReportDoc;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/engagements/{id}/report", get(report_page))
}

#[derive(Deserialize)]
struct ShowQuery {
    done: Option<String>,
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
    next_steps: Vec<NextStepView>,
    to_accept: bool,
    accept_all: bool,
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
    let next_steps = next_step_views(tr, &tz, &v, viewer.principal.user.id, None);
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
        to_accept: next_steps.iter().any(|s| s.can_accept),
        accept_all: next_steps.iter().filter(|s| s.can_accept).count() > 1,
        next_steps,
        r: doc,
    })
}
