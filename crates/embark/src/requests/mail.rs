//! The emails of requests: to the owner when one arrives (and once when it is late),
//! to the other side of each reply, to the requester when it is resolved, to the
//! admins when nobody answered a day after the reminder. Each links to the request.

use embark_core::{RequestId, RequestMessageId, WorkspaceId};
use embark_store::accounts::users::{self, User};
use embark_store::requests::{self as store, RequestRow};

use crate::email::deliver::deliver;
use crate::email::Notice;
use crate::i18n::Tr;
use crate::state::AppState;

use super::what;

async fn send(
    state: &AppState,
    ws: WorkspaceId,
    kind: &'static str,
    to: &User,
    r: &RequestRow,
    subject_key: &str,
    paragraphs: impl FnOnce(Tr) -> Vec<String>,
) -> anyhow::Result<()> {
    let tr = Tr::new(to.locale);
    let notice = Notice {
        lang: tr.code(),
        greeting: tr.t_args("email-greeting", &[("name", &to.name)]),
        paragraphs: paragraphs(tr),
        action: tr.t("request-email-action"),
        url: format!("{}/requests/{}", state.config.base_url, r.id),
        signature: tr.t("email-signature"),
    };
    let subject = tr.t2(subject_key, "subject", &r.subject, "person", &r.requester_name);
    let email = notice.into_email(kind, to.locale, to.email.as_str(), &to.name, subject)?;
    deliver(state, ws, &email).await
}

async fn load(state: &AppState, ws: WorkspaceId, id: RequestId) -> anyhow::Result<Option<(RequestRow, String)>> {
    let db = &mut state.store.db();
    let Some(r) = store::get(db, ws, id).await? else { return Ok(None) };
    let tz =
        embark_store::accounts::workspaces::get(db, ws).await?.map(|w| w.time_zone).unwrap_or_else(|| "UTC".into());
    Ok(Some((r, tz)))
}

async fn active(state: &AppState, ws: WorkspaceId, id: embark_core::UserId) -> anyhow::Result<Option<User>> {
    Ok(users::get(&mut state.store.db(), ws, id).await?.filter(|u| u.active))
}

/// `Job::RequestRaised`: the owner learns what arrived and by when to answer.
pub async fn raised(state: &AppState, ws: WorkspaceId, id: RequestId) -> anyhow::Result<()> {
    let Some((r, tz)) = load(state, ws, id).await? else { return Ok(()) };
    let Some(owner) = active(state, ws, r.owner_id).await? else { return Ok(()) };
    send(state, ws, "request_raised", &owner, &r, "request-email-raised-subject", |tr| {
        vec![
            tr.t2("request-email-raised", "person", &r.requester_name, "what", &what(tr, &r)),
            r.body.clone(),
            tr.t1("request-email-answer-by", "date", &tr.datetime(r.due_at, &tz)),
        ]
    })
    .await
}

/// `Job::RequestReplied`: the requester reads the answer; the owner reads her reply.
pub async fn replied(
    state: &AppState,
    ws: WorkspaceId,
    id: RequestId,
    message: RequestMessageId,
) -> anyhow::Result<()> {
    let Some((r, _)) = load(state, ws, id).await? else { return Ok(()) };
    let messages = store::messages(&mut state.store.db(), ws, id).await?;
    let Some(m) = messages.iter().find(|m| m.id == message) else { return Ok(()) };
    let to = if m.author_id == r.requester_id { r.owner_id } else { r.requester_id };
    let Some(to) = active(state, ws, to).await? else { return Ok(()) };
    send(state, ws, "request_replied", &to, &r, "request-email-replied-subject", |tr| {
        vec![tr.t2("request-email-replied", "person", &m.author_name, "subject", &r.subject), m.body.clone()]
    })
    .await
}

/// `Job::RequestResolved`: the requester reads how it was resolved.
pub async fn resolved(state: &AppState, ws: WorkspaceId, id: RequestId) -> anyhow::Result<()> {
    let Some((r, _)) = load(state, ws, id).await? else { return Ok(()) };
    let Some(resolution) = r.resolution.clone() else { return Ok(()) };
    let Some(requester) = active(state, ws, r.requester_id).await? else { return Ok(()) };
    send(state, ws, "request_resolved", &requester, &r, "request-email-resolved-subject", |tr| {
        vec![tr.t1("request-email-resolved", "subject", &r.subject), resolution]
    })
    .await
}

/// `Job::RequestDue`: at its target and still unanswered, the owner is reminded once,
/// and the admins will be told a day later.
pub async fn due(state: &AppState, ws: WorkspaceId, id: RequestId) -> anyhow::Result<()> {
    let Some((r, _)) = load(state, ws, id).await? else { return Ok(()) };
    if r.first_response_at.is_some() || r.resolved_at.is_some() {
        return Ok(());
    }
    if let Some(owner) = active(state, ws, r.owner_id).await? {
        send(state, ws, "request_late", &owner, &r, "request-email-late-subject", |tr| {
            vec![tr.t2("request-email-late", "person", &r.requester_name, "what", &what(tr, &r)), r.body.clone()]
        })
        .await?;
    }
    let now = state.now();
    let job = crate::jobs::queue::Job::RequestEscalate { workspace_id: ws, request_id: id };
    let at = now.plus_millis(super::service::ESCALATE_AFTER_MS);
    crate::jobs::queue::enqueue_at(&mut state.store.db(), &job, at, now, Some(&format!("request-escalate:{id}")))
        .await?;
    Ok(())
}

/// `Job::RequestEscalate`: a day after the reminder, still unanswered: every admin is told.
pub async fn escalate(state: &AppState, ws: WorkspaceId, id: RequestId) -> anyhow::Result<()> {
    let Some((r, _)) = load(state, ws, id).await? else { return Ok(()) };
    if !store::mark_escalated(&mut state.store.db(), ws, id, state.now()).await? {
        return Ok(());
    }
    for admin in users::admins(&mut state.store.db(), ws).await?.into_iter().filter(|a| a.active) {
        send(state, ws, "request_escalated", &admin, &r, "request-email-escalated-subject", |tr| {
            vec![
                tr.t_args(
                    "request-email-escalated",
                    &[("person", &r.requester_name), ("what", &what(tr, &r)), ("owner", &r.owner_name)],
                ),
                r.body.clone(),
            ]
        })
        .await?;
    }
    Ok(())
}
