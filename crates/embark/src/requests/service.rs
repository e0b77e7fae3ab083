//! The use cases of requests and complaints, one transaction each: raising one (or
//! logging one received by phone or email), replying, resolving; and who may see what.
//!
//! A request goes to the owner of the engagement it is about (the account manager of
//! a search, the manager of a journey); without one, to the owner of the requester's
//! latest engagement, else to the workspace's first admin. Its first-response target
//! is set when it arrives (a complaint sooner than a request): the owner is told at
//! once, reminded once at the target if nobody answered, and the admins a day later.

use embark_core::engagements::EngagementState;
use embark_core::requests::{self as core, Channel, Draft};
use embark_core::{EngagementId, FieldError, Permission, RequestId, Role, Timestamp, UserId};
use embark_store::accounts::sessions::Principal;
use embark_store::accounts::users;
use embark_store::engagements::{self as engagement_store, BoardFilter};
use embark_store::requests::{self as store, MessageRow, NewRequest, RequestRow, Scope};
use embark_store::{Db, StoreError};

use crate::error::AppError;
use crate::jobs::queue::{self as jobs, Job};
use crate::state::AppState;

/// A day after the reminder, still unanswered: the admins are told.
pub const ESCALATE_AFTER_MS: i64 = 86_400_000;

/// How many requests a page of the list shows (newest first).
pub const PAGE: i64 = 50;

/// A request received by phone or email and logged by staff in the person's name.
#[derive(Clone, Debug)]
pub struct Logged {
    pub requester: UserId,
    pub channel: Channel,
    pub received_at: Timestamp,
}

/// Whether `actor` may log requests in other people's names.
pub fn may_log(actor: &Principal) -> bool {
    actor.user.role.can(Permission::RunEngagements)
}

/// Whether `actor` raises requests in her own name: clients and new hires.
pub fn may_raise(actor: &Principal) -> bool {
    actor.user.role.signs_in_with_link()
}

/// The engagements a person may attach a request to: those she takes part in.
pub async fn engagements_of(
    db: &mut Db,
    actor: &Principal,
    person: UserId,
) -> Result<Vec<engagement_store::EngagementRow>, AppError> {
    let mine = BoardFilter { participant: Some(person), ..BoardFilter::default() };
    Ok(engagement_store::board(db, actor.user.workspace_id, &mine, None, 50).await?)
}

/// Raises a request in the actor's name, or logs one in someone else's (`logged`).
/// Every problem is a field error; nothing is written unless all is right.
pub async fn raise(
    state: &AppState,
    actor: &Principal,
    draft: Draft,
    engagement: Option<EngagementId>,
    logged: Option<Logged>,
) -> Result<RequestId, AppError> {
    let ws = actor.user.workspace_id;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let (requester, channel, received_at, logged_by) = match logged {
        None if may_raise(actor) => (actor.user.id, Channel::Portal, now, None),
        None if may_log(actor) => return Err(FieldError::new("requester", "error-request-requester").into()),
        None => return Err(AppError::Forbidden),
        Some(_) if !may_log(actor) => return Err(AppError::Forbidden),
        Some(l) => {
            let person = users::get(&mut tx, ws, l.requester).await?;
            if !person.is_some_and(|p| p.active && p.role.signs_in_with_link()) {
                return Err(FieldError::new("requester", "error-request-requester").into());
            }
            let received_at = core::check_received_at(l.received_at, now)?;
            (l.requester, l.channel, received_at, Some(actor.user.id))
        }
    };
    let theirs = engagements_of(&mut tx, actor, requester).await?;
    let about = match engagement {
        Some(id) => {
            Some(theirs.iter().find(|e| e.id == id).ok_or(FieldError::new("engagement", "error-request-engagement"))?)
        }
        None => None,
    };
    // Without an engagement named, the one that runs the person's journey now.
    let routed =
        about.or_else(|| theirs.iter().filter(|e| e.state == EngagementState::Active).max_by_key(|e| e.anchor_at));
    let owner = match routed {
        Some(e) => e.owner_id,
        None => first_admin(&mut tx, actor).await?,
    };
    let due_at = received_at.plus_millis(draft.kind.first_response_within_ms());
    let id = store::create(
        &mut tx,
        NewRequest {
            workspace_id: ws,
            kind: draft.kind,
            category: draft.category,
            channel,
            requester_id: requester,
            logged_by,
            engagement_id: about.map(|e| e.id),
            owner_id: owner,
            subject: &draft.subject,
            body: &draft.body,
            received_at,
            due_at,
        },
    )
    .await?;
    jobs::enqueue(&mut tx, &Job::RequestRaised { workspace_id: ws, request_id: id }, now, None).await?;
    // A request logged after its target is late already: it shows as late to its
    // owner, who is told of it now, not reminded in the same minute.
    if due_at > now {
        jobs::enqueue_at(&mut tx, &Job::RequestDue { workspace_id: ws, request_id: id }, due_at, now, None).await?;
    }
    tx.commit().await.map_err(StoreError::from)?;
    Ok(id)
}

async fn first_admin(db: &mut Db, actor: &Principal) -> Result<UserId, AppError> {
    let admins = users::admins(db, actor.user.workspace_id).await?;
    admins
        .iter()
        .find(|a| a.active)
        .or(admins.first())
        .map(|a| a.id)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("a workspace without an admin")))
}

/// Whether `actor` sees this request: who raised it, who owns it, and the admins.
fn sees(actor: &Principal, r: &RequestRow) -> bool {
    r.requester_id == actor.user.id || r.owner_id == actor.user.id || actor.user.role == Role::Admin
}

/// Where a request stands, as this reader is told: the requester learns whether she
/// was answered, not the firm's verdict on its delay (late reads as open to her).
pub fn status_for(reader: &Principal, r: &RequestRow, now: Timestamp) -> core::Status {
    match r.status(now) {
        core::Status::Late if reader.user.id == r.requester_id => core::Status::Open,
        status => status,
    }
}

/// Whether `actor` may resolve it: its owner and the admins.
fn handles(actor: &Principal, r: &RequestRow) -> bool {
    r.owner_id == actor.user.id || actor.user.role == Role::Admin
}

/// A request and its thread, for those who see it (anyone else: not found).
pub async fn get(
    state: &AppState,
    actor: &Principal,
    id: RequestId,
) -> Result<(RequestRow, Vec<MessageRow>), AppError> {
    let ws = actor.user.workspace_id;
    let db = &mut state.store.conn().await?;
    let r = store::get(db, ws, id).await?.filter(|r| sees(actor, r)).ok_or(AppError::NotFound)?;
    let messages = store::messages(db, ws, id).await?;
    Ok((r, messages))
}

/// What a person's list shows: what she raised (clients, new hires), what they own
/// (staff), everything (admins); newest first, `limit` after `after`.
pub async fn list(
    db: &mut Db,
    actor: &Principal,
    open_only: bool,
    after: Option<store::Cursor>,
    limit: i64,
) -> Result<Vec<RequestRow>, AppError> {
    let scope = match actor.user.role {
        Role::Admin => Scope::All,
        role if role.signs_in_with_link() => Scope::RaisedBy(actor.user.id),
        _ => Scope::OwnedBy(actor.user.id),
    };
    Ok(store::list(db, actor.user.workspace_id, scope, open_only, after, limit).await?)
}

/// The position after `r` (`RECEIVED_ID`), as the page's link and the API's `next` carry it.
pub fn cursor_after(r: &RequestRow) -> String {
    format!("{}_{}", r.received_at.as_millis(), r.id)
}

/// A position made like [`cursor_after`]'s (see `http::paging::read_position`).
pub fn read_cursor(s: &str) -> Option<store::Cursor> {
    crate::http::paging::read_position(s).map(|(at, id)| (Timestamp::from_millis(at), id))
}

/// Adds a message to the thread. The first one by someone other than the requester
/// is the request's first response. A resolved request takes no more messages.
pub async fn reply(state: &AppState, actor: &Principal, id: RequestId, text: &str) -> Result<(), AppError> {
    let ws = actor.user.workspace_id;
    let text = core::check_text("message", text)?;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let r = store::get(&mut tx, ws, id).await?.filter(|r| sees(actor, r)).ok_or(AppError::NotFound)?;
    if r.resolved_at.is_some() {
        return Err(FieldError::new("message", "error-request-resolved").into());
    }
    let message = store::add_message(&mut tx, ws, id, actor.user.id, &text, now).await?;
    if actor.user.id != r.requester_id {
        store::mark_first_response(&mut tx, ws, id, now).await?;
    }
    jobs::enqueue(&mut tx, &Job::RequestReplied { workspace_id: ws, request_id: id, message_id: message }, now, None)
        .await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(())
}

/// Resolves a request with what was done, by its owner or an admin. A resolution is
/// also a response: a request resolved before any reply is answered at that time.
pub async fn resolve(state: &AppState, actor: &Principal, id: RequestId, resolution: &str) -> Result<(), AppError> {
    let ws = actor.user.workspace_id;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let r = store::get(&mut tx, ws, id).await?.filter(|r| sees(actor, r)).ok_or(AppError::NotFound)?;
    if !handles(actor, &r) {
        return Err(AppError::Forbidden);
    }
    let resolution = core::check_text("resolution", resolution)?;
    if !store::resolve(&mut tx, ws, id, actor.user.id, &resolution, now).await? {
        return Err(FieldError::new("resolution", "error-request-resolved").into());
    }
    store::mark_first_response(&mut tx, ws, id, now).await?;
    jobs::enqueue(&mut tx, &Job::RequestResolved { workspace_id: ws, request_id: id }, now, None).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(())
}

/// What staff typed about a request they log: who made it (her email), how it came
/// (phone or email), when (`None`: now). Each problem is pushed onto `errors` with its
/// field (`requester`, `channel`, `received_at`); `None` unless all three are right.
pub async fn read_logged(
    state: &AppState,
    actor: &Principal,
    requester: &str,
    channel: &str,
    received_at: Option<&str>,
    errors: &mut Vec<FieldError>,
) -> Result<Option<Logged>, AppError> {
    let requester = requester_by_email(state, actor, requester).await?;
    if requester.is_none() {
        errors.push(FieldError::new("requester", "error-request-requester"));
    }
    let channel = channel.parse::<Channel>().ok().filter(|c| *c != Channel::Portal);
    if channel.is_none() {
        errors.push(FieldError::new("channel", "error-request-channel"));
    }
    let now = state.now();
    let received_at = match received_at {
        None => Some(now),
        Some(at) => embark_core::engagements::parse_anchor(at, &actor.workspace_time_zone)
            .map_err(|e| FieldError::new("received_at", e.code))
            .and_then(|at| core::check_received_at(at, now))
            .map_err(|e| errors.push(e))
            .ok(),
    };
    Ok(requester.zip(channel).zip(received_at).map(|((requester, channel), received_at)| Logged {
        requester,
        channel,
        received_at,
    }))
}

/// The person a staff member names by email when logging a request: an active client
/// contact or new hire of the workspace; `None` for anyone else or a malformed address.
async fn requester_by_email(state: &AppState, actor: &Principal, email: &str) -> Result<Option<UserId>, AppError> {
    let Ok(address) = embark_core::EmailAddress::parse(email) else { return Ok(None) };
    let person = users::find_by_email(&mut state.store.db(), actor.user.workspace_id, &address).await?;
    Ok(person.filter(|p| p.active && p.role.signs_in_with_link()).map(|p| p.id))
}

/// The figures of the requests received in the last twelve months (this one and the
/// eleven before, UTC), all of them and
/// the complaints alone, for whoever reads the indicators.
pub async fn year_totals(
    db: &mut Db,
    actor: &Principal,
    now: Timestamp,
) -> Result<(core::Totals, core::Totals), AppError> {
    crate::access::require(actor, Permission::ViewSurveyResults)?;
    let ws = actor.user.workspace_id;
    let (from, to) = embark_core::surveys::last_twelve_months(now);
    let all = store::totals(db, ws, &from, &to, store::TotalsFilter::default()).await?;
    let complaints = store::totals(
        db,
        ws,
        &from,
        &to,
        store::TotalsFilter { kind: Some(core::RequestKind::Complaint), ..store::TotalsFilter::default() },
    )
    .await?;
    Ok((all, complaints))
}
