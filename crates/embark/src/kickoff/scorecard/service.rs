//! The scorecard of a search (seed 000): sent to the client with a return deadline
//! at least 24 h before the kick-off, filled in on the portal, co-written live,
//! locked by both sides, then the referee. Changing a locked criterion is a new
//! search (re-scoping, cancellation fee). Also the questions log that measures clarity.

use std::collections::HashMap;

use embark_core::diff::{diff_lines, DiffLine};
use embark_core::engagements::condition::Condition;
use embark_core::engagements::{self as engagement, EngagementState};
use embark_core::kickoff::scorecard::{self, FieldValue, ReturnTiming, Scorecard, FIELDS};
use embark_core::kickoff::{QuestionSource, ScorecardState};
use embark_core::{EngagementId, FieldError, ObjectionId, QuestionId, Signal, Timestamp, WorkspaceId};
use embark_store::accounts::sessions::Principal;
use embark_store::engagements::{self as engagement_store, EngagementRow, Participant};
use embark_store::kickoff::scorecards::{self as store, FieldRow, Objection, Question, ScorecardRow, Side};
use embark_store::{accounts::magic_links, Db, StoreError};

use crate::engagements::service::{load, Access};
use crate::engagements::signals::{condition_broken, emit};
use crate::error::AppError;
use crate::jobs::queue::{self as jobs, Job};
use crate::live::LiveEvent;
use crate::state::AppState;

/// The playbook role of the client's people.
pub const CLIENT_ROLE: &str = "client_contact";

/// Who the viewer is for the scorecard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Party {
    /// Staff running the search: edits, sends, signs for the firm.
    AccountManager,
    /// A client contact of this search: fills in, returns, signs for the client.
    Client,
    /// Sees it, changes nothing.
    Reader,
}

fn party(access: &Access) -> Party {
    if access.can_manage {
        Party::AccountManager
    } else if access.roles.iter().any(|r| r == CLIENT_ROLE) {
        Party::Client
    } else {
        Party::Reader
    }
}

pub struct ScorecardView {
    pub engagement: EngagementRow,
    pub party: Party,
    pub row: ScorecardRow,
    pub card: Scorecard,
    /// Per field: its version and who wrote it last.
    pub fields: HashMap<String, FieldRow>,
    pub objections: Vec<Objection>,
    pub timing: Option<ReturnTiming>,
    /// Every version, oldest first (the current one last).
    pub versions: Vec<ScorecardRow>,
    pub participants: Vec<Participant>,
}

impl ScorecardView {
    pub fn version_of(&self, field: &str) -> i64 {
        self.fields.get(field).map(|f| f.version).unwrap_or(1)
    }
    pub fn open_objections(&self) -> usize {
        self.objections.iter().filter(|o| o.resolved_at.is_none()).count()
    }
    /// Whether the viewer may change fields now.
    pub fn editable(&self) -> bool {
        may_edit(self.party, &self.row)
    }
}

fn may_edit(party: Party, row: &ScorecardRow) -> bool {
    match party {
        Party::AccountManager => row.locked_at.is_none(),
        Party::Client => {
            matches!(row.state, ScorecardState::Sent | ScorecardState::Returned | ScorecardState::InReview)
        }
        Party::Reader => false,
    }
}

/// Whether this party may see the scorecard version at all: a client sees the firm's
/// first version once it was sent to her, never its draft.
fn visible_to(party: Party, row: &ScorecardRow) -> bool {
    !(party == Party::Client && row.state == ScorecardState::Draft && row.number == 1)
}

/// What a live watcher of an engagement may be sent now. `None`: nothing any more (the
/// session ended, the person was deactivated, or the engagement is no longer theirs),
/// and the stream ends. `Some(false)`: the engagement's events but not the scorecard's.
pub async fn live_access(state: &AppState, session_hash: &str, id: EngagementId) -> Result<Option<bool>, AppError> {
    let Some(principal) =
        embark_store::accounts::sessions::principal(&mut state.store.db(), session_hash, state.now()).await?
    else {
        return Ok(None);
    };
    let access = match load(state, &principal, id).await {
        Ok((_, _, _, access)) => access,
        Err(AppError::NotFound | AppError::Forbidden) => return Ok(None),
        Err(e) => return Err(e),
    };
    let party = party(&access);
    if party != Party::Client {
        return Ok(Some(true));
    }
    let row = store::current(&mut state.store.db(), principal.user.workspace_id, id).await?;
    Ok(Some(row.is_some_and(|row| visible_to(party, &row))))
}

fn field_json(value: &FieldValue) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "\"\"".into())
}

/// The scorecard as its stored fields say.
pub fn assemble(fields: &[FieldRow]) -> Result<Scorecard, AppError> {
    let mut card = Scorecard::default();
    for f in fields {
        let value: FieldValue = serde_json::from_str(&f.value)
            .map_err(|e| anyhow::anyhow!("unreadable scorecard field {}: {e}", f.field))?;
        card.set(&f.field, value).map_err(|e| anyhow::anyhow!("stored scorecard field {}: {e}", f.field))?;
    }
    Ok(card)
}

/// The current version, created empty the first time anyone opens it.
async fn current_or_new(state: &AppState, ws: WorkspaceId, engagement: EngagementId) -> Result<ScorecardRow, AppError> {
    let pool = &mut state.store.db();
    if let Some(row) = store::current(pool, ws, engagement).await? {
        return Ok(row);
    }
    let empty = Scorecard::default();
    let fields: Vec<(&str, String)> =
        FIELDS.iter().map(|f| (*f, field_json(&empty.get(f).unwrap_or(FieldValue::Text(String::new()))))).collect();
    let mut tx = state.store.begin().await?;
    let created = store::create(
        &mut tx,
        store::NewScorecard {
            workspace_id: ws,
            engagement_id: engagement,
            number: 1,
            rescoping: false,
            fields: &fields,
            created_by: None,
        },
        state.now(),
    )
    .await;
    match created {
        Ok(_) => tx.commit().await.map_err(StoreError::from)?,
        // Someone opened it at the same moment: theirs stands.
        Err(e) if e.is_conflict_on("scorecards_number_key") => drop(tx),
        Err(e) => return Err(e.into()),
    }
    store::current(pool, ws, engagement).await?.ok_or(AppError::NotFound)
}

pub async fn view(state: &AppState, actor: &Principal, id: EngagementId) -> Result<ScorecardView, AppError> {
    let (engagement, _playbook, participants, access) = load(state, actor, id).await?;
    let ws = actor.user.workspace_id;
    let party = party(&access);
    let row = current_or_new(state, ws, id).await?;
    // A client sees the scorecard once it was sent to them, not the firm's draft.
    if !visible_to(party, &row) {
        return Err(FieldError::new("scorecard", "error-scorecard-not-sent").into());
    }
    let pool = &mut state.store.db();
    let fields = store::fields(pool, ws, row.id).await?;
    let card = assemble(&fields)?;
    let objections = store::objections(pool, ws, row.id).await?;
    let versions = store::versions(pool, ws, id).await?;
    let timing = match (row.returned_at, row.due_at) {
        (Some(r), Some(d)) => Some(scorecard::return_timing(r, d)),
        _ => None,
    };
    Ok(ScorecardView {
        engagement,
        party,
        fields: fields.into_iter().map(|f| (f.field.clone(), f)).collect(),
        card,
        objections,
        timing,
        versions,
        row,
        participants,
    })
}

async fn context(
    state: &AppState,
    actor: &Principal,
    id: EngagementId,
) -> Result<(EngagementRow, Vec<Participant>, Party, ScorecardRow), AppError> {
    let (engagement, _, participants, access) = load(state, actor, id).await?;
    if engagement.state == EngagementState::Cancelled {
        return Err(FieldError::new("engagement", "error-engagement-cancelled").into());
    }
    let row = current_or_new(state, actor.user.workspace_id, id).await?;
    Ok((engagement, participants, party(&access), row))
}

async fn event(
    conn: &mut Db,
    ws: WorkspaceId,
    id: EngagementId,
    actor: &Principal,
    kind: &str,
    detail: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    engagement_store::record_event(conn, ws, id, Some(actor.user.id), kind, None, detail, now).await?;
    Ok(())
}

/// The account manager sends the scorecard to the client contacts, with the date it
/// must come back by (at least 24 h before the kick-off, which is the engagement's anchor).
pub async fn send(state: &AppState, actor: &Principal, id: EngagementId, due: &str) -> Result<Timestamp, AppError> {
    let (engagement, participants, party, row) = context(state, actor, id).await?;
    if party != Party::AccountManager {
        return Err(AppError::Forbidden);
    }
    if row.locked_at.is_some() {
        return Err(FieldError::new("scorecard", "error-scorecard-locked").into());
    }
    let due_at = engagement::parse_anchor(due, &actor.workspace_time_zone)
        .map_err(|_| AppError::from(FieldError::new("due_at", "error-scorecard-due-invalid")))?;
    let now = state.now();
    scorecard::check_return_due(due_at, engagement.anchor_at, now)?;
    let clients: Vec<&Participant> = participants.iter().filter(|p| p.role == CLIENT_ROLE && p.active).collect();
    if clients.is_empty() {
        return Err(FieldError::new("scorecard", "error-scorecard-no-client").into());
    }
    let ws = actor.user.workspace_id;
    let mut tx = state.store.begin().await?;
    if !store::mark_sent(&mut tx, ws, row.id, due_at, actor.user.id, now).await? {
        return Err(FieldError::new("scorecard", "error-scorecard-locked").into());
    }
    let path = format!("/engagements/{id}/scorecard");
    for client in clients {
        let link = magic_links::create(
            &mut tx,
            ws,
            client.user_id,
            magic_links::Purpose::SignIn,
            now,
            // The link works until the kick-off (thirty days at most): the client may open it late.
            Timestamp::from_millis(engagement.anchor_at.as_millis().max(now.as_millis() + 24 * 3_600_000)),
        )
        .await?;
        magic_links::set_next_path(&mut tx, link, &path).await?;
        jobs::enqueue(&mut tx, &Job::ScorecardRequest { link_id: link, engagement_id: id }, now, None).await?;
    }
    event(&mut tx, ws, id, actor, "scorecard_sent", &due_at.to_jiff().to_string(), now).await?;
    emit(state, &mut tx, ws, id, Signal::ScorecardSent, now).await?;
    tx.commit().await.map_err(StoreError::from)?;
    state.jobs_wakeup.notify_one();
    state.live.publish(&state.store, id, LiveEvent::new("state")).await;
    Ok(due_at)
}

/// The client commits to return the scorecard by its deadline.
pub async fn agree_due(state: &AppState, actor: &Principal, id: EngagementId) -> Result<(), AppError> {
    let (_, _, party, row) = context(state, actor, id).await?;
    if party != Party::Client {
        return Err(AppError::Forbidden);
    }
    let ws = actor.user.workspace_id;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    if !store::agree_due(&mut tx, ws, row.id, now).await? {
        return Err(FieldError::new("scorecard", "error-scorecard-not-sent").into());
    }
    event(&mut tx, ws, id, actor, "scorecard_due_agreed", "", now).await?;
    emit(state, &mut tx, ws, id, Signal::ScorecardDueAgreed, now).await?;
    tx.commit().await.map_err(StoreError::from)?;
    state.live.publish(&state.store, id, LiveEvent::new("state")).await;
    Ok(())
}

/// The client returns the filled-in scorecard: on time or late, as recorded.
pub async fn return_scorecard(state: &AppState, actor: &Principal, id: EngagementId) -> Result<ReturnTiming, AppError> {
    let (_, _, party, row) = context(state, actor, id).await?;
    if party != Party::Client {
        return Err(AppError::Forbidden);
    }
    let ws = actor.user.workspace_id;
    let card = assemble(&store::fields(&mut state.store.db(), ws, row.id).await?)?;
    let missing = card.missing_for_lock();
    if !missing.is_empty() {
        return Err(AppError::Invalid(missing));
    }
    let now = state.now();
    let mut tx = state.store.begin().await?;
    if !store::mark_returned(&mut tx, ws, row.id, actor.user.id, now).await? {
        return Err(FieldError::new("scorecard", "error-scorecard-not-sent").into());
    }
    let timing = scorecard::return_timing(now, row.due_at.unwrap_or(now));
    let detail = match timing {
        ReturnTiming::OnTime => "on_time".to_string(),
        ReturnTiming::Late(min) => format!("late {min} min"),
    };
    event(&mut tx, ws, id, actor, "scorecard_returned", &detail, now).await?;
    emit(state, &mut tx, ws, id, Signal::ScorecardReturned, now).await?;
    tx.commit().await.map_err(StoreError::from)?;
    state.live.publish(&state.store, id, LiveEvent::new("state")).await;
    Ok(timing)
}

/// The result of a field edit.
#[derive(Clone, Debug, PartialEq)]
pub enum EditOutcome {
    Applied {
        version: i64,
    },
    /// Someone else wrote the field first: nothing was written; here is what they wrote.
    Conflict {
        version: i64,
        value: FieldValue,
        by: Option<String>,
    },
}

/// The highest `based_on` read: a field's version counts up from 1 and never reaches it
/// (past it, the next version would not be a number).
pub const MAX_VERSION: i64 = i64::MAX - 1;

/// Writes one field if it is still at the version the writer started from.
pub async fn edit(
    state: &AppState,
    actor: &Principal,
    id: EngagementId,
    field: &str,
    value: FieldValue,
    based_on: i64,
) -> Result<EditOutcome, AppError> {
    if !(0..=MAX_VERSION).contains(&based_on) {
        return Err(AppError::BadField { field: "based_on".into(), code: "error-field-type" });
    }
    let (_, _, party, row) = context(state, actor, id).await?;
    if party == Party::Reader {
        return Err(AppError::Forbidden);
    }
    if row.locked_at.is_some() {
        return Err(FieldError::new("scorecard", "error-scorecard-locked").into());
    }
    if !may_edit(party, &row) {
        return Err(FieldError::new("scorecard", "error-scorecard-not-sent").into());
    }
    // Normalise through the core's rules: the stored value is what everyone sees.
    let mut card = Scorecard::default();
    card.set(field, value)?;
    let name = scorecard::field_name(field).ok_or(FieldError::new("field", "error-scorecard-field-unknown"))?;
    let value = card.get(name).unwrap_or(FieldValue::Text(String::new()));
    let json = field_json(&value);
    let ws = actor.user.workspace_id;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    if !store::hold_unlocked(&mut tx, ws, row.id, now).await? {
        return Err(FieldError::new("scorecard", "error-scorecard-locked").into());
    }
    match store::write_field(&mut tx, ws, row.id, name, &json, based_on, actor.user.id, now).await? {
        Some(version) => {
            // Signatures were given on other content.
            store::clear_signatures(&mut tx, ws, row.id).await?;
            tx.commit().await.map_err(StoreError::from)?;
            let mut ev = LiveEvent::new("field");
            ev.field = Some(name.to_string());
            ev.version = Some(version);
            ev.value = serde_json::to_value(&value).ok();
            ev.by = Some(actor.user.name.clone());
            state.live.publish(&state.store, id, ev).await;
            if row.account_manager.is_some() || row.client.is_some() {
                state.live.publish(&state.store, id, LiveEvent::new("signature")).await;
            }
            Ok(EditOutcome::Applied { version })
        }
        None => {
            drop(tx);
            let fields = store::fields(&mut state.store.db(), ws, row.id).await?;
            let current = fields.iter().find(|f| f.field == name).ok_or(AppError::NotFound)?;
            let value: FieldValue =
                serde_json::from_str(&current.value).map_err(|e| anyhow::anyhow!("stored field {name}: {e}"))?;
            Ok(EditOutcome::Conflict { version: current.version, value, by: current.updated_by_name.clone() })
        }
    }
}

/// Signs the lock for the viewer's side. Returns true when this signature locked it.
pub async fn sign(state: &AppState, actor: &Principal, id: EngagementId) -> Result<bool, AppError> {
    let (_, _, party, row) = context(state, actor, id).await?;
    let side = match party {
        Party::AccountManager => Side::AccountManager,
        Party::Client => Side::Client,
        Party::Reader => return Err(AppError::Forbidden),
    };
    if !visible_to(party, &row) {
        return Err(FieldError::new("scorecard", "error-scorecard-not-sent").into());
    }
    if row.locked_at.is_some() {
        return Err(FieldError::new("scorecard", "error-scorecard-locked").into());
    }
    let ws = actor.user.workspace_id;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    if !store::hold_unlocked(&mut tx, ws, row.id, now).await? {
        return Err(FieldError::new("scorecard", "error-scorecard-locked").into());
    }
    // Read inside the transaction, after taking the row: what is signed is what is stored.
    let card = assemble(&store::fields(&mut tx, ws, row.id).await?)?;
    let missing = card.missing_for_lock();
    if !missing.is_empty() {
        return Err(AppError::Invalid(missing));
    }
    let open = store::objections(&mut tx, ws, row.id).await?.iter().filter(|o| o.resolved_at.is_none()).count();
    if open > 0 {
        return Err(FieldError::new("objections", "error-scorecard-objections-open").into());
    }
    let hash = card.hash();
    store::sign(&mut tx, ws, row.id, side, actor.user.id, &hash, now).await?;
    let locked = store::lock(&mut tx, ws, row.id, &card.canonical_text(), &hash, now).await?;
    let side_name = if side == Side::AccountManager { "account_manager" } else { "client" };
    event(&mut tx, ws, id, actor, "scorecard_signed", side_name, now).await?;
    if locked {
        event(&mut tx, ws, id, actor, "scorecard_locked", &hash, now).await?;
        embark_store::audit::record(
            &mut tx,
            ws,
            Some(actor.user.id),
            "scorecard.locked",
            Some(&id.to_string()),
            &hash,
            now,
        )
        .await?;
        emit(state, &mut tx, ws, id, Signal::ScorecardLocked, now).await?;
    }
    tx.commit().await.map_err(StoreError::from)?;
    state.live.publish(&state.store, id, LiveEvent::new(if locked { "locked" } else { "signature" })).await;
    Ok(locked)
}

fn parse_text(input: &str, field: &'static str, max: usize) -> Result<String, AppError> {
    let t = input.trim();
    if t.is_empty() {
        return Err(FieldError::new(field, "error-field-missing").into());
    }
    if t.chars().count() > max || t.chars().any(|c| c.is_control() && c != '\n' && c != '\r') {
        return Err(FieldError::new(field, "error-text-too-long").into());
    }
    Ok(t.to_string())
}

/// Records an objection or correction from the client (or noted by the AM) before the lock.
pub async fn raise_objection(
    state: &AppState,
    actor: &Principal,
    id: EngagementId,
    field: &str,
    body: &str,
) -> Result<ObjectionId, AppError> {
    let (_, _, party, row) = context(state, actor, id).await?;
    if party == Party::Reader {
        return Err(AppError::Forbidden);
    }
    // Nobody objects to a draft she cannot see.
    if !visible_to(party, &row) {
        return Err(FieldError::new("scorecard", "error-scorecard-not-sent").into());
    }
    if row.locked_at.is_some() {
        return Err(FieldError::new("scorecard", "error-scorecard-locked").into());
    }
    let field = scorecard::field_name(field).ok_or(FieldError::new("field", "error-scorecard-field-unknown"))?;
    let body = parse_text(body, "body", 2_000)?;
    let ws = actor.user.workspace_id;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    if !store::hold_unlocked(&mut tx, ws, row.id, now).await? {
        return Err(FieldError::new("scorecard", "error-scorecard-locked").into());
    }
    let oid = store::raise_objection(&mut tx, ws, row.id, field, &body, actor.user.id, now).await?;
    // An objection voids signatures: the content is disputed.
    store::clear_signatures(&mut tx, ws, row.id).await?;
    event(&mut tx, ws, id, actor, "objection_raised", &body, now).await?;
    tx.commit().await.map_err(StoreError::from)?;
    state.live.publish(&state.store, id, LiveEvent::new("objection")).await;
    Ok(oid)
}

pub async fn resolve_objection(
    state: &AppState,
    actor: &Principal,
    id: EngagementId,
    objection: ObjectionId,
) -> Result<(), AppError> {
    let (_, _, party, row) = context(state, actor, id).await?;
    if party == Party::Reader {
        return Err(AppError::Forbidden);
    }
    let ws = actor.user.workspace_id;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    if !store::hold_unlocked(&mut tx, ws, row.id, now).await? {
        return Err(FieldError::new("scorecard", "error-scorecard-locked").into());
    }
    if !store::resolve_objection(&mut tx, ws, row.id, objection, actor.user.id, now).await? {
        return Err(AppError::NotFound);
    }
    event(&mut tx, ws, id, actor, "objection_resolved", "", now).await?;
    tx.commit().await.map_err(StoreError::from)?;
    state.live.publish(&state.store, id, LiveEvent::new("objection")).await;
    Ok(())
}

/// Changing a criterion of a locked scorecard: a new version, explicitly a new search
/// with the cancellation fee flagged. The locked version stays as it was.
pub async fn rescope(state: &AppState, actor: &Principal, id: EngagementId, confirmed: bool) -> Result<i64, AppError> {
    let (_, _, party, row) = context(state, actor, id).await?;
    if party != Party::AccountManager {
        return Err(AppError::Forbidden);
    }
    if row.locked_at.is_none() {
        return Err(FieldError::new("scorecard", "error-scorecard-not-locked").into());
    }
    if !confirmed {
        return Err(FieldError::new("confirm", "error-rescoping-confirm").into());
    }
    let ws = actor.user.workspace_id;
    let fields = store::fields(&mut state.store.db(), ws, row.id).await?;
    let copy: Vec<(&str, String)> = fields.iter().map(|f| (f.field.as_str(), f.value.clone())).collect();
    let now = state.now();
    let number = row.number + 1;
    let mut tx = state.store.begin().await?;
    let created = store::create(
        &mut tx,
        store::NewScorecard {
            workspace_id: ws,
            engagement_id: id,
            number,
            rescoping: true,
            fields: &copy,
            created_by: Some(actor.user.id),
        },
        now,
    )
    .await;
    match created {
        Ok(_) => {}
        Err(e) if e.is_conflict_on("scorecards_number_key") => {
            return Err(FieldError::new("scorecard", "error-scorecard-already-rescoped").into())
        }
        Err(e) => return Err(e.into()),
    }
    event(&mut tx, ws, id, actor, "scorecard_rescoped", &format!("v{number}"), now).await?;
    let detail = format!("v{number}");
    embark_store::audit::record(
        &mut tx,
        ws,
        Some(actor.user.id),
        "scorecard.rescoped",
        Some(&id.to_string()),
        &detail,
        now,
    )
    .await?;
    tx.commit().await.map_err(StoreError::from)?;
    state.live.publish(&state.store, id, LiveEvent::new("state")).await;
    Ok(number)
}

/// A version against the one before it (the locked one it re-scopes).
pub struct VersionDiff {
    pub before: ScorecardRow,
    pub after: ScorecardRow,
    old_text: String,
    new_text: String,
}

impl VersionDiff {
    pub fn lines(&self) -> Vec<DiffLine<'_>> {
        diff_lines(&self.old_text, &self.new_text)
    }
}

pub async fn diff(
    state: &AppState,
    actor: &Principal,
    id: EngagementId,
    number: i64,
) -> Result<(EngagementRow, VersionDiff), AppError> {
    let (engagement, _, _, access) = load(state, actor, id).await?;
    if party(&access) == Party::Reader {
        return Err(AppError::NotFound);
    }
    let ws = actor.user.workspace_id;
    let pool = &mut state.store.db();
    let versions = store::versions(pool, ws, id).await?;
    let after = versions.iter().find(|v| v.number == number).cloned().ok_or(AppError::NotFound)?;
    let before = versions.iter().rev().find(|v| v.number < number).cloned().ok_or(AppError::NotFound)?;
    let (old_text, new_text) = (version_text(state, ws, &before).await?, version_text(state, ws, &after).await?);
    Ok((engagement, VersionDiff { before, after, old_text, new_text }))
}

/// The canonical text of a version: as locked, or as it stands.
async fn version_text(state: &AppState, ws: WorkspaceId, row: &ScorecardRow) -> Result<String, AppError> {
    match &row.locked_text {
        Some(t) => Ok(t.clone()),
        None => Ok(assemble(&store::fields(&mut state.store.db(), ws, row.id).await?)?.canonical_text()),
    }
}

/// The questions log of a search.
pub async fn questions(
    state: &AppState,
    actor: &Principal,
    id: EngagementId,
) -> Result<(EngagementRow, Party, Vec<Question>), AppError> {
    let (engagement, _, _, access) = load(state, actor, id).await?;
    let party = party(&access);
    if party == Party::Reader && !access.sees_all {
        return Err(AppError::NotFound);
    }
    let list = store::questions(&mut state.store.db(), actor.user.workspace_id, id).await?;
    Ok((engagement, party, list))
}

pub async fn ask(
    state: &AppState,
    actor: &Principal,
    id: EngagementId,
    source: &str,
    body: &str,
) -> Result<QuestionId, AppError> {
    let (_, _, party, _) = context(state, actor, id).await?;
    if party != Party::AccountManager {
        return Err(AppError::Forbidden);
    }
    let source: QuestionSource = source.parse().map_err(|_| FieldError::new("source", "error-question-source"))?;
    let body = parse_text(body, "body", 2_000)?;
    let ws = actor.user.workspace_id;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let qid = store::ask(&mut tx, ws, id, source, &body, actor.user.id, now).await?;
    event(&mut tx, ws, id, actor, "question_asked", &body, now).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(qid)
}

/// Answers a question from a field of the scorecard. A guess ("je pense que…") is
/// recorded but leaves the question open.
pub async fn answer(
    state: &AppState,
    actor: &Principal,
    id: EngagementId,
    question: QuestionId,
    field: &str,
    answer: &str,
) -> Result<bool, AppError> {
    let (_, _, party, _) = context(state, actor, id).await?;
    if party != Party::AccountManager {
        return Err(AppError::Forbidden);
    }
    let field = scorecard::field_name(field).ok_or(FieldError::new("field", "error-scorecard-field-unknown"))?;
    let answer = parse_text(answer, "answer", 2_000)?;
    let guess = scorecard::is_guess(&answer);
    let ws = actor.user.workspace_id;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    if !store::answer(&mut tx, ws, id, question, field, &answer, guess, actor.user.id, now).await? {
        return Err(AppError::NotFound);
    }
    event(&mut tx, ws, id, actor, if guess { "question_guessed" } else { "question_answered" }, &answer, now).await?;
    if guess {
        // "No question answered with a guess" is no longer so: it reopens with the guess.
        condition_broken(state, &mut tx, ws, id, Condition::NoGuessedAnswer, now).await?;
    }
    tx.commit().await.map_err(StoreError::from)?;
    Ok(!guess)
}

/// For the job that emails the client: the search's title and the return deadline.
pub async fn request_details(
    state: &AppState,
    ws: WorkspaceId,
    id: EngagementId,
) -> Result<Option<(EngagementRow, Option<Timestamp>)>, AppError> {
    let pool = &mut state.store.db();
    let Some(row) = engagement_store::get(pool, ws, id).await? else { return Ok(None) };
    let due = store::current(pool, ws, id).await?.and_then(|s| s.due_at);
    Ok(Some((row, due)))
}
