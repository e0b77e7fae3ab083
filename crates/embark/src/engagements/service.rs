//! Engagements: start a playbook for a subject, work through its items, move its
//! anchor, watch the board. Gates, progress and due dates follow the core's rules.

use std::sync::Arc;

use embark_core::engagements::{self as engagement, condition, EngagementState, ItemKind, ItemState};
use embark_core::playbooks::Playbook;
use embark_core::{EngagementId, FieldError, Permission, PlaybookId, Signal, Timestamp, UserId, WorkspaceId};
use embark_store::accounts::sessions::Principal;
use embark_store::engagements::{self as store, BoardFilter, EngagementRow, Event, ItemRow, Participant};
use embark_store::{accounts::users, playbooks, Db, StoreError};

use crate::access::require;
use crate::engagements::reminders;
use crate::engagements::signals::{self, emit_for_person};
use crate::engagements::summary::{refresh_summary, statuses};
use crate::error::AppError;
use crate::state::AppState;

/// What someone fills in to start an engagement.
#[derive(Clone, Debug, Default)]
pub struct NewEngagementInput {
    pub playbook_id: String,
    pub title: String,
    pub subject: String,
    pub anchor: String,
    /// Defaults to the person starting it.
    pub owner_id: Option<String>,
    /// (playbook role, user id) pairs; empty values are ignored.
    pub participants: Vec<(String, String)>,
    /// Records an engagement that already started: its anchor may be in the past, and
    /// no reminder or survey goes out for it.
    pub record_past: bool,
}

fn text_field(value: &str, field: &'static str, max: usize, errors: &mut Vec<FieldError>) -> Option<String> {
    let v = value.trim();
    if v.is_empty() {
        errors.push(FieldError::new(field, "error-field-missing"));
        None
    } else if v.chars().count() > max || v.chars().any(char::is_control) {
        errors.push(FieldError::new(field, "error-text-too-long"));
        None
    } else {
        Some(v.to_string())
    }
}

pub async fn create(state: &AppState, actor: &Principal, input: NewEngagementInput) -> Result<EngagementId, AppError> {
    require(actor, Permission::RunEngagements)?;
    let ws = actor.user.workspace_id;
    let pool = &mut state.store.db();
    let mut errors = Vec::new();
    let playbook_id: Option<PlaybookId> = input.playbook_id.parse().ok();
    let row = match playbook_id {
        Some(id) => playbooks::get(pool, ws, id).await?,
        None => None,
    };
    let Some(row) = row else {
        return Err(FieldError::new("playbook_id", "error-playbook-unknown").into());
    };
    let version =
        playbooks::version_by_number(pool, ws, row.id, row.latest_version).await?.ok_or(AppError::NotFound)?;
    let playbook = state.playbooks.get(&version)?;
    let title = text_field(&input.title, "title", 200, &mut errors);
    let subject = text_field(&input.subject, "subject", 200, &mut errors);
    let now = state.now();
    let anchor = engagement::parse_anchor(&input.anchor, &actor.workspace_time_zone)
        .and_then(|a| {
            if !input.record_past {
                engagement::ensure_ahead("anchor", "error-anchor-past", a, now)?;
            }
            engagement::ensure_near("anchor", a, now).map(|()| a)
        })
        .map_err(|e| errors.push(e))
        .ok();
    let owner = match input.owner_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Some(actor.user.id),
        Some(id) => match staff_member(state, ws, id).await? {
            Some(u) => Some(u),
            None => {
                errors.push(FieldError::new("owner_id", "error-owner-invalid"));
                None
            }
        },
    };
    let mut participants: Vec<(String, UserId)> = Vec::new();
    for (role, user) in input.participants.iter().filter(|(_, u)| !u.trim().is_empty()) {
        if !playbook.roles.iter().any(|r| r == role) {
            errors.push(FieldError::new("participants", "error-participant-role"));
            continue;
        }
        let user = match user.trim().parse::<UserId>() {
            Ok(id) => users::get(pool, ws, id).await?.filter(|u| u.active),
            Err(_) => None,
        };
        match user {
            Some(u) if !embark_core::accounts::role::fits_playbook_role(role, u.role) => {
                errors.push(FieldError::new("participants", "error-participant-wrong-kind"));
            }
            Some(u) => participants.push((role.clone(), u.id)),
            None => errors.push(FieldError::new("participants", "error-participant-unknown")),
        }
    }
    let (Some(title), Some(subject), Some(anchor), Some(owner)) = (title, subject, anchor, owner) else {
        return Err(AppError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let plan = engagement::plan(&playbook, anchor, &actor.workspace_time_zone);
    let mut tx = state.store.begin().await?;
    let id = store::create(
        &mut tx,
        store::NewEngagement {
            workspace_id: ws,
            playbook_id: row.id,
            version_id: version.id,
            title: &title,
            subject: &subject,
            anchor_at: anchor,
            owner_id: owner,
            created_by: Some(actor.user.id),
        },
        &plan,
        now,
    )
    .await?;
    for (role, user) in &participants {
        store::add_participant(&mut tx, ws, id, role, *user).await?;
    }
    let detail = format!("{} v{}", row.title, version.number);
    let kind = if input.record_past { "created_past" } else { "created" };
    store::record_event(&mut tx, ws, id, Some(actor.user.id), kind, None, &detail, now).await?;
    let items = store::items(&mut tx, ws, id).await?;
    if !input.record_past {
        reminders::schedule(&mut tx, ws, &playbook, &items, now).await?;
    }
    refresh_summary(&mut tx, ws, id, &playbook, &items, EngagementState::Active, now).await?;
    // A gate waiting for a certification its owner already holds closes at once.
    let courses: std::collections::BTreeSet<_> = playbook.gates().filter_map(|g| g.signal.as_ref()?.course()).collect();
    for course in courses {
        for (_, user) in &participants {
            let certified =
                embark_store::accounts::certifications::is_valid(&mut tx, ws, *user, course.as_str(), now).await?;
            if certified {
                emit_for_person(state, &mut tx, ws, *user, Signal::Certified(course.clone()), now).await?;
            }
        }
    }
    tx.commit().await.map_err(StoreError::from)?;
    state.jobs_wakeup.notify_one();
    Ok(id)
}

async fn staff_member(state: &AppState, ws: WorkspaceId, id: &str) -> Result<Option<UserId>, AppError> {
    let Ok(id) = id.parse::<UserId>() else { return Ok(None) };
    Ok(users::get(&mut state.store.db(), ws, id).await?.filter(|u| u.active && u.role.is_staff()).map(|u| u.id))
}

/// What the viewer may do on an engagement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Access {
    /// Their roles in this engagement's playbook.
    pub roles: Vec<String>,
    /// May act on every item (else only on items their roles own).
    pub all_items: bool,
    /// Sees every item (else only those their roles own).
    pub sees_all: bool,
    pub can_override: bool,
    pub can_manage: bool,
}

impl Access {
    pub fn may_act_on(&self, item: &ItemRow) -> bool {
        self.all_items || item.owner_role.as_ref().is_some_and(|r| self.roles.contains(r))
    }
    pub fn may_see(&self, item: &ItemRow) -> bool {
        self.sees_all || item.owner_role.as_ref().is_some_and(|r| self.roles.contains(r))
    }
}

fn access(actor: &Principal, participants: &[Participant]) -> Option<Access> {
    let roles: Vec<String> =
        participants.iter().filter(|p| p.user_id == actor.user.id).map(|p| p.role.clone()).collect();
    let role = actor.user.role;
    let sees_all = role.can(Permission::ViewAllEngagements);
    if !sees_all && roles.is_empty() {
        return None;
    }
    Some(Access {
        all_items: role.can(Permission::RunEngagements),
        sees_all,
        can_override: role.can(Permission::OverrideGates),
        can_manage: role.can(Permission::RunEngagements),
        roles,
    })
}

pub use engagement::TEAM_PREPARATION;

/// Whether the viewer is an external person (a client contact, a new hire): she sees
/// only the items the playbook shares, without notes or reasons, and progress counted
/// on what she sees.
pub fn is_external(actor: &Principal) -> bool {
    actor.user.role.signs_in_with_link()
}

/// Whether the viewer sees the item: an external person only what the playbook shares
/// with her (`visibility: shared`), staff as their access says.
pub fn shows(actor: &Principal, access: &Access, playbook: &Playbook, item: &ItemRow) -> bool {
    if is_external(actor) {
        playbook.is_shared(&item.key)
    } else {
        access.may_see(item)
    }
}

/// For an external viewer, the open gates a step waits for as she may read them: the
/// shared ones by key, the team's internal ones as one [`TEAM_PREPARATION`].
pub fn gates_for(actor: &Principal, playbook: &Playbook, gates: Vec<String>) -> Vec<String> {
    if !is_external(actor) {
        return gates;
    }
    let hidden = gates.iter().any(|g| !playbook.is_shared(g));
    let mut out: Vec<String> = gates.into_iter().filter(|g| playbook.is_shared(g)).collect();
    if hidden {
        out.push(TEAM_PREPARATION.to_string());
    }
    out
}

/// An engagement's progress and next due item counted on `items` (what the viewer sees).
fn restate(row: &mut EngagementRow, playbook: &Playbook, items: &[ItemRow]) {
    let st = statuses(items);
    let p = engagement::progress(&st);
    row.items_closed = p.closed;
    row.items_total = p.total;
    row.next_due_at = engagement::next_due(&st);
    row.next_due_title = engagement::next_due_item(&st)
        .and_then(|key| crate::engagements::summary::item_title(playbook, key))
        .unwrap_or_default();
}

/// Board rows as the viewer sees them: for an external person, progress and the next
/// due item are counted on the items shared with her (staff rows are left as stored).
pub async fn as_seen_by(
    state: &AppState,
    db: &mut Db,
    actor: &Principal,
    rows: &mut [EngagementRow],
) -> Result<(), AppError> {
    if !is_external(actor) {
        return Ok(());
    }
    let ws = actor.user.workspace_id;
    for row in rows {
        let Some(playbook) = state.playbooks.by_id(db, ws, row.version_id).await? else { continue };
        let shared = playbook.shared_keys();
        let items: Vec<ItemRow> =
            store::items(db, ws, row.id).await?.into_iter().filter(|i| shared.contains(i.key.as_str())).collect();
        restate(row, &playbook, &items);
    }
    Ok(())
}

pub struct EngagementView {
    /// For an external viewer, its progress and next due item are counted on what she sees.
    pub row: EngagementRow,
    pub playbook: Arc<Playbook>,
    /// The items the viewer may see (for an external viewer: shared ones, notes blanked).
    pub items: Vec<ItemRow>,
    pub participants: Vec<Participant>,
    pub events: Vec<Event>,
    pub access: Access,
    /// The viewer is the client or the new hire: no notes, no reasons, no internal item.
    pub external: bool,
}

impl EngagementView {
    /// The prerequisites a step still waits for (none once overridden).
    pub fn open_gates(&self, step_key: &str, all: &[ItemRow]) -> Vec<String> {
        if all.iter().any(|i| i.key == step_key && i.overridden) {
            return Vec::new();
        }
        engagement::open_gates(&self.playbook, step_key, &statuses(all)).into_iter().map(str::to_string).collect()
    }
}

pub(crate) async fn load(
    state: &AppState,
    actor: &Principal,
    id: EngagementId,
) -> Result<(EngagementRow, Arc<Playbook>, Vec<Participant>, Access), AppError> {
    load_on(state, &mut state.store.db(), actor, id).await
}

/// [`load`] on the caller's connection.
pub(crate) async fn load_on(
    state: &AppState,
    db: &mut Db,
    actor: &Principal,
    id: EngagementId,
) -> Result<(EngagementRow, Arc<Playbook>, Vec<Participant>, Access), AppError> {
    let ws = actor.user.workspace_id;
    let row = store::get(db, ws, id).await?.ok_or(AppError::NotFound)?;
    let participants = store::participants(db, ws, id).await?;
    let access = access(actor, &participants).ok_or(AppError::NotFound)?;
    // A version belongs to the engagement's workspace: `by_id` filters by it on a cache miss,
    // and a cached version was loaded for that same engagement.
    let playbook = state.playbooks.by_id(db, ws, row.version_id).await?.ok_or(AppError::NotFound)?;
    Ok((row, playbook, participants, access))
}

/// The engagement and its playbook, for someone allowed to manage it (else 403; not theirs, 404).
async fn manage(
    state: &AppState,
    actor: &Principal,
    id: EngagementId,
) -> Result<(EngagementRow, Arc<Playbook>), AppError> {
    let (row, playbook, _, access) = load(state, actor, id).await?;
    if !access.can_manage {
        return Err(AppError::Forbidden);
    }
    Ok((row, playbook))
}

pub async fn view(
    state: &AppState,
    actor: &Principal,
    id: EngagementId,
) -> Result<(EngagementView, Vec<ItemRow>), AppError> {
    // One connection for the page's queries (docs/adr/0001).
    let db = &mut state.store.conn().await?;
    let (mut row, playbook, participants, access) = load_on(state, db, actor, id).await?;
    let ws = actor.user.workspace_id;
    let all = store::items(db, ws, id).await?;
    let external = is_external(actor);
    let shared = playbook.shared_keys();
    let mut items: Vec<ItemRow> = all
        .iter()
        .filter(|i| if external { shared.contains(i.key.as_str()) } else { access.may_see(i) })
        .cloned()
        .collect();
    let visible_keys: std::collections::HashSet<&str> = items.iter().map(|i| i.key.as_str()).collect();
    // An external person reads what happened to what she sees, and nobody's notes.
    let events = store::events(db, ws, id, 200)
        .await?
        .into_iter()
        .filter(|e| access.sees_all || e.item_key.as_deref().is_some_and(|k| visible_keys.contains(&k)))
        .filter(|e| !external || e.kind != "note")
        .map(|mut e| {
            // Why the team skipped or overrode something is the team's, like its notes.
            if external && matches!(e.kind.as_str(), "skipped" | "gate_overridden") {
                e.detail.clear();
            }
            e
        })
        .collect();
    if external {
        for i in &mut items {
            i.note.clear();
            i.reason = None;
        }
        restate(&mut row, &playbook, &items);
    }
    Ok((EngagementView { row, playbook, items, participants, events, access, external }, all))
}

/// What someone does to an item.
#[derive(Clone, Debug)]
pub enum ItemAction {
    Done,
    Reopen,
    Skip(String),
    Note(String),
}

pub async fn act(
    state: &AppState,
    actor: &Principal,
    id: EngagementId,
    key: &str,
    action: ItemAction,
) -> Result<(), AppError> {
    let (row, playbook, _, access) = load(state, actor, id).await?;
    let ws = actor.user.workspace_id;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let items = store::items(&mut tx, ws, id).await?;
    let item = items.iter().find(|i| i.key == key).ok_or(AppError::NotFound)?;
    // What the viewer may not see does not exist for her: 404, never 403.
    if !shows(actor, &access, &playbook, item) {
        return Err(AppError::NotFound);
    }
    // Notes are the team's: an external person neither reads nor writes them.
    if !access.may_act_on(item) || (is_external(actor) && matches!(action, ItemAction::Note(_))) {
        return Err(AppError::Forbidden);
    }
    if row.state == EngagementState::Cancelled {
        return Err(FieldError::new("engagement", "error-engagement-cancelled").into());
    }
    let me = Some(actor.user.id);
    match &action {
        ItemAction::Note(text) => {
            if text.chars().count() > 5000 {
                return Err(FieldError::new("note", "error-text-too-long").into());
            }
            store::set_item_note(&mut tx, ws, id, key, text.trim()).await?;
            store::record_event(&mut tx, ws, id, me, "note", Some(key), text.trim(), now).await?;
            tx.commit().await.map_err(StoreError::from)?;
            return Ok(());
        }
        ItemAction::Done | ItemAction::Skip(_) if item.kind != ItemKind::Gate => {
            let step = if item.kind == ItemKind::Checkpoint { engagement::step_of_checkpoint(key) } else { key };
            let overridden = items.iter().any(|i| i.key == step && i.overridden);
            let open = engagement::open_gates(&playbook, step, &statuses(&items));
            if !open.is_empty() && !overridden {
                let open = open.into_iter().map(str::to_string).collect();
                return Err(AppError::Blocked(gates_for(actor, &playbook, open)));
            }
        }
        _ => {}
    }
    // A checkpoint under a condition is ticked only while the condition holds, read in this transaction.
    if matches!(action, ItemAction::Done) && item.kind == ItemKind::Checkpoint {
        let condition = playbook.checkpoints().find(|c| c.id == key).and_then(|c| c.condition);
        if condition.is_some() {
            let facts = store::facts(&mut tx, ws, id).await?;
            condition::may_close(condition, &facts)?;
        }
    }
    let (new_state, reason, event) = match &action {
        ItemAction::Done => (ItemState::Done, None, "done"),
        ItemAction::Reopen => (ItemState::Todo, None, "reopened"),
        ItemAction::Skip(r) => (ItemState::Skipped, Some(engagement::parse_reason(r)?), "skipped"),
        ItemAction::Note(_) => unreachable!("handled above"),
    };
    store::set_item_state(&mut tx, ws, id, key, new_state, me, reason.as_deref(), now).await?;
    store::record_event(&mut tx, ws, id, me, event, Some(key), reason.as_deref().unwrap_or(""), now).await?;
    // Ticking a step's last open checkpoint completes the step.
    if item.kind == ItemKind::Checkpoint && new_state.is_closed() {
        let step = engagement::step_of_checkpoint(key);
        let siblings_closed = items
            .iter()
            .filter(|i| {
                i.kind == ItemKind::Checkpoint && engagement::step_of_checkpoint(&i.key) == step && i.key != key
            })
            .all(|i| i.state.is_closed());
        if siblings_closed && items.iter().any(|i| i.key == step && i.state == ItemState::Todo) {
            store::set_item_state(&mut tx, ws, id, step, ItemState::Done, me, None, now).await?;
            store::record_event(&mut tx, ws, id, me, "done", Some(step), "", now).await?;
        }
    }
    let items = store::items(&mut tx, ws, id).await?;
    let before = row.state;
    let after = refresh_summary(&mut tx, ws, id, &playbook, &items, before, now).await?;
    if before != after {
        store::record_event(&mut tx, ws, id, me, after.as_str(), None, "", now).await?;
    }
    tx.commit().await.map_err(StoreError::from)?;
    Ok(())
}

/// Lets a step start although prerequisites are open: admins only, with a reason kept in the timeline.
pub async fn override_gates(
    state: &AppState,
    actor: &Principal,
    id: EngagementId,
    step_key: &str,
    reason: &str,
) -> Result<(), AppError> {
    let (_, playbook, _, access) = load(state, actor, id).await?;
    if !access.can_override {
        return Err(AppError::Forbidden);
    }
    let reason = engagement::parse_reason(reason)?;
    if !playbook.steps().any(|s| s.id == step_key) {
        return Err(AppError::NotFound);
    }
    let ws = actor.user.workspace_id;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    store::set_item_overridden(&mut tx, ws, id, step_key).await?;
    store::record_event(&mut tx, ws, id, Some(actor.user.id), "gate_overridden", Some(step_key), &reason, now).await?;
    let detail = format!("{step_key}: {reason}");
    embark_store::audit::record(
        &mut tx,
        ws,
        Some(actor.user.id),
        "gate.overridden",
        Some(&id.to_string()),
        &detail,
        now,
    )
    .await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(())
}

/// Cancels an engagement, with the reason kept in the timeline. Nothing can be done on
/// it afterwards, and its reminders find it cancelled when they run and send nothing.
pub async fn cancel(state: &AppState, actor: &Principal, id: EngagementId, reason: &str) -> Result<(), AppError> {
    manage(state, actor, id).await?;
    let reason = engagement::parse_reason(reason)?;
    let ws = actor.user.workspace_id;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    if !store::cancel(&mut tx, ws, id, now).await? {
        return Err(FieldError::new("reason", "error-engagement-not-active").into());
    }
    store::record_event(&mut tx, ws, id, Some(actor.user.id), "cancelled", None, &reason, now).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(())
}

/// Someone who manages the engagement records that the new hire's offer is signed:
/// the event goes into the timeline and the gates waiting for it close, together.
pub async fn record_offer_signed(state: &AppState, actor: &Principal, id: EngagementId) -> Result<(), AppError> {
    let (row, _) = manage(state, actor, id).await?;
    if row.state != EngagementState::Active {
        return Err(FieldError::new("offer", "error-engagement-not-active").into());
    }
    let ws = actor.user.workspace_id;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    store::record_event(&mut tx, ws, id, Some(actor.user.id), "offer_signed", None, "", now).await?;
    if signals::emit(state, &mut tx, ws, id, Signal::OfferSigned, now).await? == 0 {
        return Err(FieldError::new("offer", "error-offer-nothing-waits").into());
    }
    tx.commit().await.map_err(StoreError::from)?;
    Ok(())
}

/// Moves the anchor: due dates follow, reminders are rescheduled.
pub async fn move_anchor(state: &AppState, actor: &Principal, id: EngagementId, anchor: &str) -> Result<(), AppError> {
    let (row, playbook) = manage(state, actor, id).await?;
    let anchor = engagement::parse_anchor(anchor, &actor.workspace_time_zone)?;
    let now = state.now();
    engagement::ensure_ahead("anchor", "error-anchor-past", anchor, now)?;
    engagement::ensure_near("anchor", anchor, now)?;
    let mut tx = state.store.begin().await?;
    move_anchor_in(&mut tx, actor, &row, &playbook, anchor, now).await?;
    tx.commit().await.map_err(StoreError::from)?;
    state.jobs_wakeup.notify_one();
    Ok(())
}

/// Moves the anchor inside the caller's transaction (the kick-off's logistics move it
/// with the meeting's time): due dates follow, reminders are rescheduled from the new
/// dates, and the old reminders find their date changed and send nothing.
pub(crate) async fn move_anchor_in(
    tx: &mut Db,
    actor: &Principal,
    row: &EngagementRow,
    playbook: &Playbook,
    anchor: Timestamp,
    now: Timestamp,
) -> Result<(), AppError> {
    let (ws, id) = (actor.user.workspace_id, row.id);
    let plan = engagement::plan(playbook, anchor, &actor.workspace_time_zone);
    let dues: Vec<(String, Option<Timestamp>)> = plan.into_iter().map(|p| (p.key, p.due_at)).collect();
    store::move_anchor(tx, ws, id, anchor, &dues, now).await?;
    let items = store::items(tx, ws, id).await?;
    reminders::schedule(tx, ws, playbook, &items, now).await?;
    refresh_summary(tx, ws, id, playbook, &items, row.state, now).await?;
    let detail = anchor.to_jiff().to_string();
    store::record_event(tx, ws, id, Some(actor.user.id), "anchor_moved", None, &detail, now).await?;
    Ok(())
}

/// A page of the board the viewer may see.
pub async fn board(
    db: &mut Db,
    actor: &Principal,
    mut filter: BoardFilter,
    after: Option<(i64, EngagementId)>,
    limit: i64,
) -> Result<Vec<EngagementRow>, AppError> {
    if !actor.user.role.can(Permission::ViewAllEngagements) {
        filter.participant = Some(actor.user.id);
    }
    Ok(store::board(db, actor.user.workspace_id, &filter, after, limit).await?)
}
