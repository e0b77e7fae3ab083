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

/// An email's text as an admin may read it: every link that carries a token (a
/// sign-in link, an acknowledgement, a survey) is replaced by `hidden`, so that nobody
/// can act in the recipient's name from the outbox. Links without a token stay.
pub fn redact_links(text: &str, hidden: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("http://").into_iter().chain(rest.find("https://")).min() {
        out.push_str(&rest[..start]);
        let end = rest[start..].find(|c: char| c.is_whitespace() || c == '<' || c == '>' || c == '"');
        let candidate = &rest[start..start + end.unwrap_or(rest.len() - start)];
        // A sentence's punctuation after a link is not part of it.
        let url = candidate.trim_end_matches(['.', ',', ';', ':', ')', '!', '?']);
        let url_len = url.len();
        if url.split(['/', '?', '=', '&']).any(is_token) {
            out.push_str(hidden);
        } else {
            out.push_str(url);
        }
        rest = &rest[start + url_len..];
    }
    out.push_str(rest);
    out
}

/// A secret as Embark mints them: 32 characters or more of base64url, not an id.
fn is_token(segment: &str) -> bool {
    segment.len() >= 32
        && segment.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && segment.parse::<uuid::Uuid>().is_err()
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
            .and_then(|eml| crate::email::text_part(&eml))
            .map(|text| redact_links(&text, &tr.t("outbox-link-hidden"))),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_with_a_token_are_hidden_and_the_others_kept() {
        let text = "Sign in:\nhttp://h:1/auth/link/jcNhBrFoDZ5-kTHh4DzLLm_mzLAbiOR9wMcM_P-pcqY\n\
            Answer: https://e.test/s/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-ab.\n\
            Open https://e.test/engagements/01a23562-9c53-74db-ab50-e7829721c3bd or https://e.test/learning/scorecard";
        let shown = redact_links(text, "[hidden]");
        assert_eq!(
            shown,
            "Sign in:\n[hidden]\nAnswer: [hidden].\n\
             Open https://e.test/engagements/01a23562-9c53-74db-ab50-e7829721c3bd or https://e.test/learning/scorecard"
        );
        assert!(!shown.contains("jcNh"));
        assert_eq!(redact_links("no link here", "[hidden]"), "no link here");
    }
}
