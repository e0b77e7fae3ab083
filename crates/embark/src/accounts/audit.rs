//! The audit trail (admins): who changed a role, deactivated someone, created or revoked
//! a token, locked or re-scoped a scorecard, overrode a gate…, newest first, filtered by
//! kind, with the chain checked on request and a CSV export.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use embark_core::{Permission, Role, Timestamp};
use embark_store::audit::{self, ChainedEvent};
use serde::Deserialize;

use crate::error::AppError;
use crate::http::{render, Page, RequestCtx, Viewer};
use crate::i18n::Tr;
use crate::state::AppState;

const PAGE_SIZE: i64 = 50;

/// The kinds an admin filters by: the first word of an action.
const KINDS: &[&str] = &["user", "invitation", "token", "scorecard", "gate", "course", "export"];

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/audit", get(list)).route("/admin/audit.csv", get(csv))
}

#[derive(Deserialize, Default)]
struct AuditQuery {
    #[serde(default)]
    kind: String,
    before: Option<i64>,
    #[serde(default)]
    verify: bool,
}

impl AuditQuery {
    /// The action prefix of the kind chosen, if it is one of ours.
    fn prefix(&self) -> Option<String> {
        KINDS.iter().find(|k| **k == self.kind).map(|k| format!("{k}."))
    }
}

pub struct EventRow {
    pub seq: i64,
    pub when: String,
    pub who: String,
    pub what: String,
    pub link: Option<String>,
    pub detail: String,
}

pub struct KindOption {
    pub value: &'static str,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "accounts/audit.html")]
struct AuditTemplate {
    page: Page,
    kinds: Vec<KindOption>,
    kind: String,
    rows: Vec<EventRow>,
    next: Option<i64>,
    /// After "check the chain": what it found.
    verdict: Option<(bool, String)>,
}

/// An event in the admin's words: the action named, the role translated, where it happened.
fn row(tr: Tr, tz: &str, e: ChainedEvent) -> EventRow {
    let key = format!("audit-action-{}", e.action.replace(['.', '_'], "-"));
    let what = match tr.t(&key) {
        t if t == key => e.action.clone(),
        t => t,
    };
    // A role (a person created, invited or given a new role) reads as its name.
    let detail = e.detail.parse::<Role>().map(|r| tr.role(&r)).unwrap_or_else(|_| e.detail.clone());
    let link = e.subject_id.as_ref().and_then(|s| match e.action.split('.').next() {
        Some("user" | "invitation" | "course") => Some(format!("/users/{s}")),
        Some("scorecard" | "gate") => Some(format!("/engagements/{s}")),
        _ => None,
    });
    EventRow {
        seq: e.seq,
        when: tr.datetime(Timestamp::from_millis(e.at), tz),
        who: e.actor_name.clone().unwrap_or_else(|| tr.t("audit-by-embark")),
        what,
        link,
        detail,
    }
}

/// Where a chain breaks, in the admin's language.
fn broken_text(tr: Tr, broken: &embark_core::audit::Broken) -> String {
    use embark_core::audit::BrokenBecause;
    let seq = broken.seq.to_string();
    match broken.why {
        BrokenBecause::Gap { expected } => {
            tr.t2("audit-broken-gap", "seq", &seq, "before", &(expected - 1).to_string())
        }
        BrokenBecause::PreviousHash => tr.t1("audit-broken-previous", "seq", &seq),
        BrokenBecause::Content => tr.t1("audit-broken-content", "seq", &seq),
    }
}

async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Query(q): Query<AuditQuery>,
) -> Result<Response, AppError> {
    viewer.require(Permission::ManageUsers)?;
    let tr = Tr::new(ctx.locale);
    let ws = viewer.principal.user.workspace_id;
    let tz = viewer.principal.workspace_time_zone.clone();
    let prefix = q.prefix();
    let mut events = audit::page(&mut state.store.db(), ws, prefix.as_deref(), q.before, PAGE_SIZE + 1).await?;
    let next = if events.len() as i64 > PAGE_SIZE {
        events.truncate(PAGE_SIZE as usize);
        events.last().map(|e| e.seq)
    } else {
        None
    };
    let verdict = if q.verify {
        Some(match audit::verify(&mut state.store.db(), ws).await? {
            Ok(n) => (true, tr.t1("audit-chain-intact", "count", &n.to_string())),
            Err(broken) => (false, tr.t1("audit-chain-broken", "where", &broken_text(tr, &broken))),
        })
    } else {
        None
    };
    let kind = prefix.map(|_| q.kind.clone()).unwrap_or_default();
    render(AuditTemplate {
        page: Page::signed_in(&viewer, &ctx, "audit", &tr.t("audit-title"), "/admin/audit"),
        kinds: KINDS
            .iter()
            .map(|k| KindOption { value: k, label: tr.t(&format!("audit-kind-{k}")), selected: *k == kind })
            .collect(),
        kind,
        rows: events.into_iter().map(|e| row(tr, &tz, e)).collect(),
        next,
        verdict,
    })
}

/// Every event of the kind chosen, oldest first, with its hashes: UTF-8 with a BOM.
async fn csv(State(state): State<AppState>, viewer: Viewer, Query(q): Query<AuditQuery>) -> Result<Response, AppError> {
    viewer.require(Permission::ManageUsers)?;
    let ws = viewer.principal.user.workspace_id;
    let prefix = q.prefix();
    let p = &viewer.principal;
    let detail = prefix.clone().unwrap_or_default();
    audit::record_alone(&state.store, ws, Some(p.user.id), "export.audit", &detail, state.now()).await?;
    let mut out = String::from("\u{feff}");
    embark_core::csv::write_row(
        &mut out,
        ',',
        &["seq", "at", "actor_id", "actor", "action", "subject_id", "detail", "prev_hash", "hash"],
    );
    let mut after = 0;
    loop {
        let page = audit::chain_after(&mut state.store.db(), ws, after, 1000).await?;
        let Some(last) = page.last().map(|e| e.seq) else { break };
        for e in page.into_iter().filter(|e| prefix.as_deref().is_none_or(|p| e.action.starts_with(p))) {
            embark_core::csv::write_row(
                &mut out,
                ',',
                &[
                    e.seq.to_string(),
                    Timestamp::from_millis(e.at).to_jiff().to_string(),
                    e.actor_id.unwrap_or_default(),
                    e.actor_name.unwrap_or_default(),
                    e.action,
                    e.subject_id.unwrap_or_default(),
                    e.detail,
                    e.prev_hash,
                    e.hash,
                ],
            );
        }
        after = last;
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"audit-trail.csv\""),
        ],
        out,
    )
        .into_response())
}
