//! The outbox (admins): the emails Embark sent for this workspace, and their content
//! when they were written to the outbox directory.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use embark_core::{EmailId, Permission, Timestamp};
use embark_store::emails;
use serde::Deserialize;

use crate::error::AppError;
use crate::http::paging::next_page;
use crate::http::{render, Page, Path, RequestCtx, Viewer};
use crate::i18n::Tr;
use crate::state::AppState;

const PAGE_SIZE: i64 = 50;

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/outbox", get(list)).route("/admin/outbox/{id}", get(show))
}

pub struct EmailRow {
    pub id: String,
    pub to: String,
    pub subject: String,
    pub sent: String,
    pub transport: String,
}

#[derive(Template)]
#[template(path = "email/outbox.html")]
struct OutboxTemplate {
    page: Page,
    rows: Vec<EmailRow>,
    next: Option<String>,
}

#[derive(Deserialize, Default)]
struct ListQuery {
    before: Option<String>,
}

fn parse_before(s: &str) -> Option<(Timestamp, EmailId)> {
    let (at, id) = s.split_once('_')?;
    Some((Timestamp::from_millis(at.parse().ok()?), id.parse().ok()?))
}

async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    viewer.require(Permission::ReadOutbox)?;
    let tr = Tr::new(ctx.locale);
    let tz = &viewer.principal.workspace_time_zone;
    let before = q.before.as_deref().and_then(parse_before);
    let mut sent =
        emails::list(&mut state.store.db(), viewer.principal.user.workspace_id, before, PAGE_SIZE + 1).await?;
    let next = next_page(&mut sent, PAGE_SIZE, |e| format!("{}_{}", e.sent_at.as_millis(), e.id));
    render(OutboxTemplate {
        page: Page::signed_in(&viewer, &ctx, "outbox", &tr.t("outbox-title"), "/admin/outbox"),
        rows: sent
            .into_iter()
            .map(|e| EmailRow {
                id: e.id.to_string(),
                to: e.to_addr,
                subject: e.subject,
                sent: tr.datetime(e.sent_at, tz),
                transport: e.transport,
            })
            .collect(),
        next,
    })
}

#[derive(Template)]
#[template(path = "email/outbox_email.html")]
struct EmailTemplate {
    page: Page,
    email: EmailRow,
    body: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<EmailId>,
) -> Result<Response, AppError> {
    viewer.require(Permission::ReadOutbox)?;
    let tr = Tr::new(ctx.locale);
    let email =
        emails::get(&mut state.store.db(), viewer.principal.user.workspace_id, id).await?.ok_or(AppError::NotFound)?;
    // The file name comes from our own table and is checked again so that it can only name a file in the outbox.
    let body = match email
        .outbox_file
        .as_deref()
        .filter(|f| f.ends_with(".eml") && !f.contains(['/', '\\']) && !f.starts_with('.'))
    {
        Some(file) => tokio::fs::read_to_string(state.config.outbox_dir().join(file))
            .await
            .ok()
            .and_then(|eml| crate::email::text_part(&eml)),
        None => None,
    };
    render(EmailTemplate {
        page: Page::signed_in(&viewer, &ctx, "outbox", &email.subject, &format!("/admin/outbox/{id}")),
        email: EmailRow {
            id: email.id.to_string(),
            to: email.to_addr,
            subject: email.subject,
            sent: tr.datetime(email.sent_at, &viewer.principal.workspace_time_zone),
            transport: email.transport,
        },
        body,
    })
}
