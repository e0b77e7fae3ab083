//! Engagements: start a playbook for a subject, work through its items, move its
//! anchor, watch the board. Gates, progress and due dates follow the core's rules.

use std::sync::Arc;

use embark_core::engagement::{self, EngagementState, ItemKind, ItemState, ItemStatus, ReminderKind};
use embark_core::playbook::Playbook;
use embark_core::{EngagementId, FieldError, ItemId, Permission, PlaybookId, Signal, Timestamp, UserId, WorkspaceId};
use embark_store::engagements::{self as store, BoardFilter, EngagementRow, Event, ItemRow, Participant};
use embark_store::sessions::Principal;
use embark_store::{playbooks, users, AnyConnection, StoreError};

use crate::error::AppError;
use crate::jobs::{self, Job};
use crate::services::accounts::require;
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
    let pool = state.store.pool();
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
    let anchor = engagement::parse_anchor(&input.anchor, &actor.workspace_time_zone).map_err(|e| errors.push(e)).ok();
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
    let now = state.now();
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
        store::add_participant(&mut *tx, ws, id, role, *user).await?;
    }
    let detail = format!("{} v{}", row.title, version.number);
    store::record_event(&mut *tx, ws, id, Some(actor.user.id), "created", None, &detail, now).await?;
    let items = store::items(&mut *tx, ws, id).await?;
    schedule_reminders(&mut tx, ws, &items, now).await?;
    refresh_summary(&mut tx, ws, id, &playbook, &items, EngagementState::Active, now).await?;
    for (_, user) in &participants {
        let certified =
            embark_store::certifications::is_valid(&mut *tx, ws, *user, embark_store::certifications::SCORECARD, now)
                .await?;
        if certified {
            emit_for_person(state, &mut tx, ws, *user, Signal::ScorecardCertified, now).await?;
        }
    }
    tx.commit().await.map_err(StoreError::from)?;
    state.jobs_wakeup.notify_one();
    Ok(id)
}

async fn staff_member(state: &AppState, ws: WorkspaceId, id: &str) -> Result<Option<UserId>, AppError> {
    let Ok(id) = id.parse::<UserId>() else { return Ok(None) };
    Ok(users::get(state.store.pool(), ws, id).await?.filter(|u| u.active && u.role.is_staff()).map(|u| u.id))
}

/// Enqueues "due soon" and "overdue" reminders for open gates and steps with a due date.
/// The idempotency key holds the due date: moving the anchor schedules new ones, and
/// the old ones find the date changed and send nothing.
async fn schedule_reminders(
    conn: &mut AnyConnection,
    ws: WorkspaceId,
    items: &[ItemRow],
    now: Timestamp,
) -> Result<(), AppError> {
    for item in items.iter().filter(|i| i.kind != ItemKind::Checkpoint && i.state == ItemState::Todo) {
        let Some(due) = item.due_at else { continue };
        for (kind, at) in engagement::reminder_times(due, now) {
            let job = Job::ItemReminder { workspace_id: ws, item_id: item.id, due_at: due, kind };
            let key = format!("reminder:{}:{}:{}", item.id, kind.as_str(), due.as_millis());
            jobs::enqueue_at(conn, &job, at, now, Some(&key)).await?;
        }
    }
    Ok(())
}

fn statuses(items: &[ItemRow]) -> Vec<ItemStatus<'_>> {
    items.iter().map(|i| ItemStatus { key: &i.key, kind: i.kind, state: i.state, due_at: i.due_at }).collect()
}

async fn refresh_summary(
    conn: &mut AnyConnection,
    ws: WorkspaceId,
    id: EngagementId,
    playbook: &Playbook,
    items: &[ItemRow],
    current: EngagementState,
    now: Timestamp,
) -> Result<EngagementState, AppError> {
    let st = statuses(items);
    let p = engagement::progress(&st);
    let state = match current {
        EngagementState::Cancelled => EngagementState::Cancelled,
        _ if p.total > 0 && p.closed == p.total => EngagementState::Completed,
        _ => EngagementState::Active,
    };
    let next_due_title = engagement::next_due_item(&st).and_then(|key| item_title(playbook, key)).unwrap_or_default();
    let summary = store::Summary {
        closed: p.closed,
        total: p.total,
        next_due_at: engagement::next_due(&st),
        next_due_title,
        state,
    };
    store::update_summary(&mut *conn, ws, id, summary, now).await?;
    Ok(state)
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

pub struct EngagementView {
    pub row: EngagementRow,
    pub playbook: Arc<Playbook>,
    /// The items the viewer may see.
    pub items: Vec<ItemRow>,
    pub participants: Vec<Participant>,
    pub events: Vec<Event>,
    pub access: Access,
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
    let ws = actor.user.workspace_id;
    let pool = state.store.pool();
    let row = store::get(pool, ws, id).await?.ok_or(AppError::NotFound)?;
    let participants = store::participants(pool, ws, id).await?;
    let access = access(actor, &participants).ok_or(AppError::NotFound)?;
    // A version belongs to the engagement's workspace: `by_id` filters by it on a cache miss,
    // and a cached version was loaded for that same engagement.
    let playbook = state.playbooks.by_id(&state.store, ws, row.version_id).await?.ok_or(AppError::NotFound)?;
    Ok((row, playbook, participants, access))
}

pub async fn view(
    state: &AppState,
    actor: &Principal,
    id: EngagementId,
) -> Result<(EngagementView, Vec<ItemRow>), AppError> {
    let (row, playbook, participants, access) = load(state, actor, id).await?;
    let ws = actor.user.workspace_id;
    let all = store::items(state.store.pool(), ws, id).await?;
    let visible_keys: Vec<&str> = all.iter().filter(|i| access.may_see(i)).map(|i| i.key.as_str()).collect();
    let events = store::events(state.store.pool(), ws, id, 200)
        .await?
        .into_iter()
        .filter(|e| access.sees_all || e.item_key.as_deref().is_some_and(|k| visible_keys.contains(&k)))
        .collect();
    let items = all.iter().filter(|i| access.may_see(i)).cloned().collect();
    Ok((EngagementView { row, playbook, items, participants, events, access }, all))
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
    let items = store::items(&mut *tx, ws, id).await?;
    let item = items.iter().find(|i| i.key == key).ok_or(AppError::NotFound)?;
    if !access.may_see(item) {
        return Err(AppError::NotFound);
    }
    if !access.may_act_on(item) {
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
            store::set_item_note(&mut *tx, ws, id, key, text.trim()).await?;
            store::record_event(&mut *tx, ws, id, me, "note", Some(key), text.trim(), now).await?;
            tx.commit().await.map_err(StoreError::from)?;
            return Ok(());
        }
        ItemAction::Done | ItemAction::Skip(_) if item.kind != ItemKind::Gate => {
            let step = if item.kind == ItemKind::Checkpoint { engagement::step_of_checkpoint(key) } else { key };
            let overridden = items.iter().any(|i| i.key == step && i.overridden);
            let open = engagement::open_gates(&playbook, step, &statuses(&items));
            if !open.is_empty() && !overridden {
                return Err(AppError::Blocked(open.into_iter().map(str::to_string).collect()));
            }
        }
        _ => {}
    }
    let (new_state, reason, event) = match &action {
        ItemAction::Done => (ItemState::Done, None, "done"),
        ItemAction::Reopen => (ItemState::Todo, None, "reopened"),
        ItemAction::Skip(r) => (ItemState::Skipped, Some(engagement::parse_reason(r)?), "skipped"),
        ItemAction::Note(_) => unreachable!("handled above"),
    };
    store::set_item_state(&mut *tx, ws, id, key, new_state, me, reason.as_deref(), now).await?;
    store::record_event(&mut *tx, ws, id, me, event, Some(key), reason.as_deref().unwrap_or(""), now).await?;
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
            store::set_item_state(&mut *tx, ws, id, step, ItemState::Done, me, None, now).await?;
            store::record_event(&mut *tx, ws, id, me, "done", Some(step), "", now).await?;
        }
    }
    let items = store::items(&mut *tx, ws, id).await?;
    let before = row.state;
    let after = refresh_summary(&mut tx, ws, id, &playbook, &items, before, now).await?;
    if before != after {
        store::record_event(&mut *tx, ws, id, me, after.as_str(), None, "", now).await?;
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
    store::set_item_overridden(&mut *tx, ws, id, step_key).await?;
    store::record_event(&mut *tx, ws, id, Some(actor.user.id), "gate_overridden", Some(step_key), &reason, now).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(())
}

/// Moves the anchor: due dates follow, reminders are rescheduled.
pub async fn move_anchor(state: &AppState, actor: &Principal, id: EngagementId, anchor: &str) -> Result<(), AppError> {
    let (row, playbook, _, access) = load(state, actor, id).await?;
    if !access.can_manage {
        return Err(AppError::Forbidden);
    }
    let anchor = engagement::parse_anchor(anchor, &actor.workspace_time_zone)?;
    let ws = actor.user.workspace_id;
    let now = state.now();
    let plan = engagement::plan(&playbook, anchor, &actor.workspace_time_zone);
    let dues: Vec<(String, Option<Timestamp>)> = plan.into_iter().map(|p| (p.key, p.due_at)).collect();
    let mut tx = state.store.begin().await?;
    store::move_anchor(&mut tx, ws, id, anchor, &dues, now).await?;
    let items = store::items(&mut *tx, ws, id).await?;
    schedule_reminders(&mut tx, ws, &items, now).await?;
    refresh_summary(&mut tx, ws, id, &playbook, &items, row.state, now).await?;
    let detail = anchor.to_jiff().to_string();
    store::record_event(&mut *tx, ws, id, Some(actor.user.id), "anchor_moved", None, &detail, now).await?;
    tx.commit().await.map_err(StoreError::from)?;
    state.jobs_wakeup.notify_one();
    Ok(())
}

/// A page of the board the viewer may see.
pub async fn board(
    state: &AppState,
    actor: &Principal,
    mut filter: BoardFilter,
    after: Option<(i64, EngagementId)>,
    limit: i64,
) -> Result<Vec<EngagementRow>, AppError> {
    if !actor.user.role.can(Permission::ViewAllEngagements) {
        filter.participant = Some(actor.user.id);
    }
    Ok(store::board(state.store.pool(), actor.user.workspace_id, &filter, after, limit).await?)
}

/// Sends a reminder about an item, if it is still open and still due then.
pub async fn send_reminder(
    state: &AppState,
    ws: WorkspaceId,
    item_id: ItemId,
    due_at: Timestamp,
    kind: ReminderKind,
) -> anyhow::Result<()> {
    let pool = state.store.pool();
    let Some((engagement_id, item)) = store::item_by_id(pool, ws, item_id).await? else { return Ok(()) };
    if item.state != ItemState::Todo || item.due_at != Some(due_at) {
        return Ok(());
    }
    let Some(row) = store::get(pool, ws, engagement_id).await? else { return Ok(()) };
    if row.state != EngagementState::Active {
        return Ok(());
    }
    let version = playbooks::version(pool, ws, row.version_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("version of an engagement"))?;
    let playbook = state.playbooks.get(&version).map_err(|e| anyhow::anyhow!("{e}"))?;
    let title = item_title(&playbook, &item.key).unwrap_or_else(|| item.key.clone());
    let participants = store::participants(pool, ws, engagement_id).await?;
    let mut recipients: Vec<&Participant> =
        participants.iter().filter(|p| p.active && item.owner_role.as_ref().is_some_and(|r| *r == p.role)).collect();
    let owner;
    if recipients.is_empty() {
        owner = users::get(pool, ws, row.owner_id).await?;
        if let Some(u) = owner.as_ref().filter(|u| u.active) {
            let email = crate::email::render_reminder(
                crate::i18n::Tr::new(u.locale),
                kind,
                &u.email,
                &u.name,
                &title,
                &row.title,
                due_at,
                &version_tz(state, ws).await?,
                format!("{}/engagements/{}", state.config.base_url, row.id),
            )?;
            return jobs::deliver(state, ws, &email).await;
        }
        return Ok(());
    }
    recipients.dedup_by_key(|p| p.user_id);
    let tz = version_tz(state, ws).await?;
    for p in recipients {
        let email = crate::email::render_reminder(
            crate::i18n::Tr::new(p.locale),
            kind,
            &p.email,
            &p.name,
            &title,
            &row.title,
            due_at,
            &tz,
            format!("{}/engagements/{}", state.config.base_url, row.id),
        )?;
        jobs::deliver(state, ws, &email).await?;
    }
    Ok(())
}

async fn version_tz(state: &AppState, ws: WorkspaceId) -> anyhow::Result<String> {
    Ok(embark_store::workspaces::get(state.store.pool(), ws)
        .await?
        .map(|w| w.time_zone)
        .unwrap_or_else(|| "UTC".into()))
}

/// The title of a gate, step or checkpoint of a playbook.
pub fn item_title(playbook: &Playbook, key: &str) -> Option<String> {
    if let Some(g) = playbook.gates().find(|g| g.id == key) {
        return Some(g.title.clone());
    }
    for s in playbook.steps() {
        if s.id == key {
            return Some(s.title.clone());
        }
        if let Some(c) = s.checkpoints.iter().find(|c| c.id == key) {
            return Some(c.text.clone());
        }
    }
    None
}

/// A signal happened in `engagement` (the scorecard was sent, the logistics locked…):
/// closes its open gates that wait for it, in the caller's transaction, so that the
/// event and the gates it closes commit together or not at all. Returns how many closed.
pub async fn emit(
    state: &AppState,
    conn: &mut AnyConnection,
    ws: WorkspaceId,
    engagement: EngagementId,
    signal: Signal,
    now: Timestamp,
) -> Result<usize, AppError> {
    let Some(row) = store::get(&mut *conn, ws, engagement).await? else { return Ok(0) };
    let Some(playbook) = state.playbooks.by_id(&state.store, ws, row.version_id).await? else { return Ok(0) };
    let items = store::items(&mut *conn, ws, engagement).await?;
    let open: Vec<&str> = playbook
        .gates()
        .filter(|g| g.signal == Some(signal))
        .filter(|g| items.iter().any(|i| i.key == g.id && i.state == ItemState::Todo))
        .map(|g| g.id.as_str())
        .collect();
    for key in &open {
        store::set_item_state(&mut *conn, ws, engagement, key, ItemState::Done, None, None, now).await?;
        store::record_event(&mut *conn, ws, engagement, None, "closed_by_signal", Some(key), "", now).await?;
    }
    if !open.is_empty() {
        let items = store::items(&mut *conn, ws, engagement).await?;
        refresh_summary(conn, ws, engagement, &playbook, &items, row.state, now).await?;
    }
    Ok(open.len())
}

/// A signal about a person (their scorecard certification is valid): closes, in the
/// caller's transaction, the open gates waiting for it that the person owns through
/// their role in each engagement. Returns how many closed.
pub async fn emit_for_person(
    state: &AppState,
    conn: &mut AnyConnection,
    ws: WorkspaceId,
    user: UserId,
    signal: Signal,
    now: Timestamp,
) -> Result<usize, AppError> {
    let mut engagements: Vec<EngagementId> = Vec::new();
    for (engagement_id, key, version) in store::open_gates_owned_by(&mut *conn, ws, user).await? {
        let Some(playbook) = state.playbooks.by_id(&state.store, ws, version).await? else { continue };
        if playbook.gates().any(|g| g.id == key && g.signal == Some(signal)) && !engagements.contains(&engagement_id) {
            engagements.push(engagement_id);
        }
    }
    let mut closed = 0;
    for engagement in engagements {
        closed += emit(state, conn, ws, engagement, signal, now).await?;
    }
    Ok(closed)
}

/// What a signal said is no longer true (the logistics were unlocked): the gates it
/// closed reopen, in the caller's transaction, and the engagement's summary follows.
pub async fn withdraw(
    state: &AppState,
    conn: &mut AnyConnection,
    ws: WorkspaceId,
    engagement: EngagementId,
    signal: Signal,
    now: Timestamp,
) -> Result<(), AppError> {
    let Some(row) = store::get(&mut *conn, ws, engagement).await? else { return Ok(()) };
    let Some(playbook) = state.playbooks.by_id(&state.store, ws, row.version_id).await? else { return Ok(()) };
    for gate in playbook.gates().filter(|g| g.signal == Some(signal)) {
        store::set_item_state(&mut *conn, ws, engagement, &gate.id, ItemState::Todo, None, None, now).await?;
    }
    let items = store::items(&mut *conn, ws, engagement).await?;
    refresh_summary(conn, ws, engagement, &playbook, &items, row.state, now).await?;
    Ok(())
}
