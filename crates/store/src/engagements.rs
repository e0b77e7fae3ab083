//! Engagements: their items (gates, steps, checkpoints), participants and timeline.

use crate::Db;
use embark_core::engagements::condition::Facts;
use embark_core::engagements::{EngagementState, ItemKind, ItemState, PlannedItem};
use embark_core::{EngagementId, EventId, ItemId, PlaybookId, PlaybookVersionId, Timestamp, UserId, WorkspaceId};

use crate::{parse, Result, StoreError};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EngagementRow {
    pub id: EngagementId,
    pub playbook_id: PlaybookId,
    pub version_id: PlaybookVersionId,
    pub version_number: i64,
    pub playbook_title: String,
    pub title: String,
    pub subject: String,
    pub anchor_at: Timestamp,
    pub state: EngagementState,
    pub owner_id: UserId,
    pub owner_name: String,
    pub items_total: i64,
    pub items_closed: i64,
    pub next_due_at: i64,
    pub next_due_title: String,
    pub created_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct EngagementRecord {
    id: String,
    playbook_id: String,
    version_id: String,
    version_number: i64,
    playbook_title: String,
    title: String,
    subject: String,
    anchor_at: i64,
    state: String,
    owner_id: String,
    owner_name: String,
    items_total: i64,
    items_closed: i64,
    next_due_at: i64,
    next_due_title: String,
    created_at: i64,
}

impl TryFrom<EngagementRecord> for EngagementRow {
    type Error = StoreError;
    fn try_from(r: EngagementRecord) -> Result<Self> {
        Ok(EngagementRow {
            id: r.id.parse().map_err(|_| StoreError::corrupt("engagement id", &r.id))?,
            playbook_id: r.playbook_id.parse().map_err(|_| StoreError::corrupt("playbook id", &r.playbook_id))?,
            version_id: r.version_id.parse().map_err(|_| StoreError::corrupt("version id", &r.version_id))?,
            state: r.state.parse().map_err(|_: String| StoreError::corrupt("engagement state", &r.state))?,
            owner_id: r.owner_id.parse().map_err(|_| StoreError::corrupt("user id", &r.owner_id))?,
            version_number: r.version_number,
            playbook_title: r.playbook_title,
            title: r.title,
            subject: r.subject,
            anchor_at: Timestamp::from_millis(r.anchor_at),
            owner_name: r.owner_name,
            items_total: r.items_total,
            items_closed: r.items_closed,
            next_due_at: r.next_due_at,
            next_due_title: r.next_due_title,
            created_at: Timestamp::from_millis(r.created_at),
        })
    }
}

const SELECT: &str = "SELECT e.id, e.playbook_id, e.version_id, v.number AS version_number, p.title AS playbook_title, e.title, \
     e.subject, e.anchor_at, e.state, e.owner_id, u.name AS owner_name, e.items_total, e.items_closed, e.next_due_at, e.next_due_title, e.created_at \
     FROM engagements e JOIN playbook_versions v ON v.id = e.version_id JOIN playbooks p ON p.id = e.playbook_id \
     JOIN users u ON u.id = e.owner_id";

pub struct NewEngagement<'a> {
    pub workspace_id: WorkspaceId,
    pub playbook_id: PlaybookId,
    pub version_id: PlaybookVersionId,
    pub title: &'a str,
    pub subject: &'a str,
    pub anchor_at: Timestamp,
    pub owner_id: UserId,
    pub created_by: Option<UserId>,
}

/// Creates an engagement with its items, all open.
pub async fn create(
    conn: &mut Db,
    new: NewEngagement<'_>,
    items: &[PlannedItem],
    now: Timestamp,
) -> Result<EngagementId> {
    let id = EngagementId::new();
    crate::query(
        "INSERT INTO engagements (id, workspace_id, playbook_id, version_id, title, subject, anchor_at, state, owner_id, \
         items_total, items_closed, next_due_at, next_due_title, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8, 0, 0, $9, '', $10, $11, $11)",
    )
    .bind(id.to_string())
    .bind(new.workspace_id.to_string())
    .bind(new.playbook_id.to_string())
    .bind(new.version_id.to_string())
    .bind(new.title)
    .bind(new.subject)
    .bind(new.anchor_at.as_millis())
    .bind(new.owner_id.to_string())
    .bind(embark_core::engagements::NOTHING_DUE)
    .bind(new.created_by.map(|u| u.to_string()))
    .bind(now.as_millis())
    .execute(&mut *conn)
    .await?;
    add_progress(conn, new.workspace_id, Progress { active: 1, ..Progress::default() }).await?;
    for item in items {
        crate::query(
            "INSERT INTO engagement_items (id, workspace_id, engagement_id, item_key, kind, position, owner_role, due_at, state, note, overridden) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'todo', '', 0)",
        )
        .bind(ItemId::new().to_string())
        .bind(new.workspace_id.to_string())
        .bind(id.to_string())
        .bind(&item.key)
        .bind(item.kind.as_str())
        .bind(item.position)
        .bind(item.owner_role.as_deref())
        .bind(item.due_at.map(Timestamp::as_millis))
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}

pub async fn get(db: &mut Db, workspace: WorkspaceId, id: EngagementId) -> Result<Option<EngagementRow>> {
    let sql = format!("{SELECT} WHERE e.workspace_id = $1 AND e.id = $2");
    let rec: Option<EngagementRecord> =
        crate::query_as(&sql).bind(workspace.to_string()).bind(id.to_string()).fetch_optional(db).await?;
    rec.map(EngagementRow::try_from).transpose()
}

/// Which engagements a board shows.
#[derive(Clone, Debug, Default)]
pub struct BoardFilter {
    pub playbook: Option<PlaybookId>,
    pub owner: Option<UserId>,
    pub state: Option<EngagementState>,
    /// Only those where this person takes part (external people see nothing else).
    pub participant: Option<UserId>,
}

/// A page of the board, by next due date then id (keyset on `engagements_board_idx`
/// and its owner and playbook variants), after `after` = (next_due_at, id).
pub async fn board(
    db: &mut Db,
    workspace: WorkspaceId,
    filter: &BoardFilter,
    after: Option<(i64, EngagementId)>,
    limit: i64,
) -> Result<Vec<EngagementRow>> {
    // Fixed fragments, values always bound: no user text reaches the SQL.
    let mut n = 1;
    let mut next = || {
        n += 1;
        n
    };
    let playbook = filter.playbook.map(|p| (next(), p.to_string()));
    let owner = filter.owner.map(|o| (next(), o.to_string()));
    let state = filter.state.map(|s| (next(), s.as_str().to_string()));
    let participant = filter.participant.map(|u| (next(), u.to_string()));
    // A person's own engagements are found from the participants' index, then sorted:
    // walking the board's index and testing each engagement would read the whole
    // workspace for someone who takes part in few (or none).
    let mut sql = match &participant {
        Some((i, _)) => format!(
            "{SELECT} JOIN (SELECT DISTINCT engagement_id FROM engagement_participants WHERE user_id = ${i}) mine \
             ON mine.engagement_id = e.id WHERE e.workspace_id = $1"
        ),
        None => format!("{SELECT} WHERE e.workspace_id = $1"),
    };
    let cursor = after.map(|(due, id)| (next(), due, next(), id.to_string()));
    let limit_n = next();
    if let Some((i, _)) = &playbook {
        sql.push_str(&format!(" AND e.playbook_id = ${i}"));
    }
    if let Some((i, _)) = &owner {
        sql.push_str(&format!(" AND e.owner_id = ${i}"));
    }
    if let Some((i, _)) = &state {
        sql.push_str(&format!(" AND e.state = ${i}"));
    }
    if let Some((i, _, j, _)) = &cursor {
        sql.push_str(&format!(" AND (e.next_due_at, e.id) > (${i}, ${j})"));
    }
    sql.push_str(&format!(" ORDER BY e.next_due_at, e.id LIMIT ${limit_n}"));
    let mut q = crate::query_as::<EngagementRecord>(&sql).bind(workspace.to_string());
    for v in [playbook, owner, state, participant].into_iter().flatten() {
        q = q.bind(v.1);
    }
    if let Some((_, due, _, id)) = cursor {
        q = q.bind(due).bind(id);
    }
    let recs = q.bind(limit).fetch_all(db).await?;
    recs.into_iter().map(EngagementRow::try_from).collect()
}

pub async fn count(db: &mut Db, workspace: WorkspaceId) -> Result<i64> {
    Ok(crate::query_scalar("SELECT COUNT(*) FROM engagements WHERE workspace_id = $1")
        .bind(workspace.to_string())
        .fetch_one(db)
        .await?)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemRow {
    pub id: ItemId,
    pub key: String,
    pub kind: ItemKind,
    pub position: i64,
    pub owner_role: Option<String>,
    pub due_at: Option<Timestamp>,
    pub state: ItemState,
    pub done_by: Option<String>,
    /// The name of who closed it, when they still exist.
    pub done_by_name: Option<String>,
    pub done_at: Option<Timestamp>,
    pub reason: Option<String>,
    pub note: String,
    pub overridden: bool,
}

#[derive(sqlx::FromRow)]
struct ItemRecord {
    id: String,
    item_key: String,
    kind: String,
    position: i64,
    owner_role: Option<String>,
    due_at: Option<i64>,
    state: String,
    done_by: Option<String>,
    done_by_name: Option<String>,
    done_at: Option<i64>,
    reason: Option<String>,
    note: String,
    overridden: i64,
}

impl TryFrom<ItemRecord> for ItemRow {
    type Error = StoreError;
    fn try_from(r: ItemRecord) -> Result<Self> {
        Ok(ItemRow {
            id: r.id.parse().map_err(|_| StoreError::corrupt("item id", &r.id))?,
            kind: r.kind.parse().map_err(|_: String| StoreError::corrupt("item kind", &r.kind))?,
            state: r.state.parse().map_err(|_: String| StoreError::corrupt("item state", &r.state))?,
            key: r.item_key,
            position: r.position,
            owner_role: r.owner_role,
            due_at: r.due_at.map(Timestamp::from_millis),
            done_by: r.done_by,
            done_by_name: r.done_by_name,
            done_at: r.done_at.map(Timestamp::from_millis),
            reason: r.reason,
            note: r.note,
            overridden: r.overridden != 0,
        })
    }
}

const ITEM_COLUMNS: &str = "i.id, i.item_key, i.kind, i.position, i.owner_role, i.due_at, i.state, i.done_by, \
     u.name AS done_by_name, i.done_at, i.reason, i.note, CAST(i.overridden AS BIGINT) AS overridden";

/// Items joined to the name of who closed them.
const ITEM_FROM: &str = "FROM engagement_items i LEFT JOIN users u ON u.id = i.done_by";

/// All items of an engagement, in document order.
pub async fn items(db: &mut Db, workspace: WorkspaceId, engagement: EngagementId) -> Result<Vec<ItemRow>> {
    let sql = format!(
        "SELECT {ITEM_COLUMNS} {ITEM_FROM} WHERE i.workspace_id = $1 AND i.engagement_id = $2 ORDER BY i.position"
    );
    let recs: Vec<ItemRecord> =
        crate::query_as(&sql).bind(workspace.to_string()).bind(engagement.to_string()).fetch_all(db).await?;
    recs.into_iter().map(ItemRow::try_from).collect()
}

/// An item by id, with its engagement, for jobs (which carry ids, not keys).
pub async fn item_by_id(db: &mut Db, workspace: WorkspaceId, id: ItemId) -> Result<Option<(EngagementId, ItemRow)>> {
    #[derive(sqlx::FromRow)]
    struct Rec {
        engagement_id: String,
        #[sqlx(flatten)]
        item: ItemRecord,
    }
    let sql = format!("SELECT i.engagement_id, {ITEM_COLUMNS} {ITEM_FROM} WHERE i.workspace_id = $1 AND i.id = $2");
    let rec: Option<Rec> =
        crate::query_as(&sql).bind(workspace.to_string()).bind(id.to_string()).fetch_optional(db).await?;
    rec.map(|r| {
        let e = r.engagement_id.parse().map_err(|_| StoreError::corrupt("engagement id", &r.engagement_id))?;
        Ok((e, ItemRow::try_from(r.item)?))
    })
    .transpose()
}

/// Changes an item's state; false if the item does not exist in this engagement.
#[allow(clippy::too_many_arguments)]
pub async fn set_item_state(
    db: &mut Db,
    workspace: WorkspaceId,
    engagement: EngagementId,
    key: &str,
    state: ItemState,
    by: Option<UserId>,
    reason: Option<&str>,
    now: Timestamp,
) -> Result<bool> {
    let closed = state.is_closed();
    let done = crate::query(
        "UPDATE engagement_items SET state = $4, done_by = $5, done_at = $6, reason = $7 \
         WHERE workspace_id = $1 AND engagement_id = $2 AND item_key = $3",
    )
    .bind(workspace.to_string())
    .bind(engagement.to_string())
    .bind(key)
    .bind(state.as_str())
    .bind(if closed { by.map(|u| u.to_string()) } else { None })
    .bind(if closed { Some(now.as_millis()) } else { None })
    .bind(reason)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_item_note(
    db: &mut Db,
    workspace: WorkspaceId,
    engagement: EngagementId,
    key: &str,
    note: &str,
) -> Result<bool> {
    let done = crate::query(
        "UPDATE engagement_items SET note = $4 WHERE workspace_id = $1 AND engagement_id = $2 AND item_key = $3",
    )
    .bind(workspace.to_string())
    .bind(engagement.to_string())
    .bind(key)
    .bind(note)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks a step as started despite an open gate (an admin's decision, with its reason in the timeline).
pub async fn set_item_overridden(
    db: &mut Db,
    workspace: WorkspaceId,
    engagement: EngagementId,
    key: &str,
) -> Result<bool> {
    let done = crate::query(
        "UPDATE engagement_items SET overridden = 1 WHERE workspace_id = $1 AND engagement_id = $2 AND item_key = $3",
    )
    .bind(workspace.to_string())
    .bind(engagement.to_string())
    .bind(key)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Moves the anchor and the due dates computed from it.
pub async fn move_anchor(
    conn: &mut Db,
    workspace: WorkspaceId,
    engagement: EngagementId,
    anchor_at: Timestamp,
    due_dates: &[(String, Option<Timestamp>)],
    now: Timestamp,
) -> Result<()> {
    crate::query("UPDATE engagements SET anchor_at = $3, updated_at = $4 WHERE workspace_id = $1 AND id = $2")
        .bind(workspace.to_string())
        .bind(engagement.to_string())
        .bind(anchor_at.as_millis())
        .bind(now.as_millis())
        .execute(&mut *conn)
        .await?;
    for (key, due) in due_dates {
        crate::query(
            "UPDATE engagement_items SET due_at = $4 WHERE workspace_id = $1 AND engagement_id = $2 AND item_key = $3",
        )
        .bind(workspace.to_string())
        .bind(engagement.to_string())
        .bind(key)
        .bind(due.map(Timestamp::as_millis))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// What the board shows of an engagement, kept on its row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub closed: i64,
    pub total: i64,
    pub next_due_at: i64,
    pub next_due_title: String,
    pub state: EngagementState,
}

/// Cancels an active engagement: it leaves the board's due dates. False if it is not
/// active (completed or cancelled already) or not in the workspace.
pub async fn cancel(db: &mut Db, workspace: WorkspaceId, engagement: EngagementId, now: Timestamp) -> Result<bool> {
    let left: Option<(i64, i64)> = crate::query_as(
        "UPDATE engagements SET state = 'cancelled', next_due_at = $4, next_due_title = '', updated_at = $3 \
         WHERE workspace_id = $1 AND id = $2 AND state = 'active' RETURNING items_closed, items_total",
    )
    .bind(workspace.to_string())
    .bind(engagement.to_string())
    .bind(now.as_millis())
    .bind(embark_core::engagements::NOTHING_DUE)
    .fetch_optional(&mut *db)
    .await?;
    let Some((closed, total)) = left else { return Ok(false) };
    add_progress(db, workspace, Progress { active: -1, items_closed: -closed, items_total: -total }).await?;
    Ok(true)
}

/// Stores what the board shows: progress, next due date, state; and moves the
/// workspace's progress by the difference, in the caller's transaction.
pub async fn update_summary(
    db: &mut Db,
    workspace: WorkspaceId,
    engagement: EngagementId,
    summary: Summary,
    now: Timestamp,
) -> Result<()> {
    // Reads the summary it replaces through a write, which waits for a concurrent
    // writer of the same engagement: the difference is taken from the latest one.
    let before: Option<(String, i64, i64)> = crate::query_as(
        "UPDATE engagements SET updated_at = updated_at WHERE workspace_id = $1 AND id = $2 \
         RETURNING state, items_closed, items_total",
    )
    .bind(workspace.to_string())
    .bind(engagement.to_string())
    .fetch_optional(&mut *db)
    .await?;
    let Some((old_state, old_closed, old_total)) = before else { return Ok(()) };
    let Summary { closed, total, next_due_at, next_due_title, state } = summary;
    crate::query(
        "UPDATE engagements SET items_closed = $3, items_total = $4, next_due_at = $5, next_due_title = $6, state = $7, updated_at = $8 \
         WHERE workspace_id = $1 AND id = $2",
    )
    .bind(workspace.to_string())
    .bind(engagement.to_string())
    .bind(closed)
    .bind(total)
    .bind(next_due_at)
    .bind(next_due_title)
    .bind(state.as_str())
    .bind(now.as_millis())
    .execute(&mut *db)
    .await?;
    let counted = |active: bool, c: i64, t: i64| {
        if active {
            Progress { active: 1, items_closed: c, items_total: t }
        } else {
            Progress::default()
        }
    };
    let old = counted(old_state == EngagementState::Active.as_str(), old_closed, old_total);
    let new = counted(state == EngagementState::Active, closed, total);
    let delta = Progress {
        active: new.active - old.active,
        items_closed: new.items_closed - old.items_closed,
        items_total: new.items_total - old.items_total,
    };
    if delta != Progress::default() {
        add_progress(db, workspace, delta).await?;
    }
    Ok(())
}

/// What a change adds to the workspace's running engagements and their items.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Progress {
    active: i64,
    items_closed: i64,
    items_total: i64,
}

async fn add_progress(db: &mut Db, workspace: WorkspaceId, d: Progress) -> Result<()> {
    crate::query(
        "INSERT INTO engagement_progress (workspace_id, active, items_closed, items_total) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (workspace_id) DO UPDATE SET active = engagement_progress.active + excluded.active, \
           items_closed = engagement_progress.items_closed + excluded.items_closed, \
           items_total = engagement_progress.items_total + excluded.items_total",
    )
    .bind(workspace.to_string())
    .bind(d.active)
    .bind(d.items_closed)
    .bind(d.items_total)
    .execute(db)
    .await?;
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Participant {
    pub role: String,
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    pub locale: embark_core::Locale,
    pub active: bool,
}

pub async fn add_participant(
    db: &mut Db,
    workspace: WorkspaceId,
    engagement: EngagementId,
    role: &str,
    user: UserId,
) -> Result<()> {
    crate::query(
        "INSERT INTO engagement_participants (engagement_id, role, user_id, workspace_id) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (engagement_id, role, user_id) DO NOTHING",
    )
    .bind(engagement.to_string())
    .bind(role)
    .bind(user.to_string())
    .bind(workspace.to_string())
    .execute(db)
    .await?;
    Ok(())
}

pub async fn participants(db: &mut Db, workspace: WorkspaceId, engagement: EngagementId) -> Result<Vec<Participant>> {
    let rows: Vec<(String, String, String, String, String, i64)> = crate::query_as(
        "SELECT ep.role, u.id, u.name, u.email, u.locale, CAST(u.active AS BIGINT) FROM engagement_participants ep \
         JOIN users u ON u.id = ep.user_id WHERE ep.workspace_id = $1 AND ep.engagement_id = $2 ORDER BY ep.role, u.name",
    )
    .bind(workspace.to_string())
    .bind(engagement.to_string())
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|(role, id, name, email, locale, active)| {
            Ok(Participant {
                role,
                user_id: id.parse().map_err(|_| StoreError::corrupt("user id", &id))?,
                locale: locale.parse().map_err(|_| StoreError::corrupt("locale", &locale))?,
                name,
                email,
                active: active != 0,
            })
        })
        .collect()
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub actor_name: Option<String>,
    pub kind: String,
    pub item_key: Option<String>,
    pub detail: String,
    pub at: Timestamp,
}

#[allow(clippy::too_many_arguments)]
pub async fn record_event(
    db: &mut Db,
    workspace: WorkspaceId,
    engagement: EngagementId,
    actor: Option<UserId>,
    kind: &str,
    item_key: Option<&str>,
    detail: &str,
    now: Timestamp,
) -> Result<()> {
    crate::query(
        "INSERT INTO engagement_events (id, workspace_id, engagement_id, actor_id, kind, item_key, detail, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(EventId::new().to_string())
    .bind(workspace.to_string())
    .bind(engagement.to_string())
    .bind(actor.map(|a| a.to_string()))
    .bind(kind)
    .bind(item_key)
    .bind(detail)
    .bind(now.as_millis())
    .execute(db)
    .await?;
    Ok(())
}

/// The timeline, newest first.
pub async fn events(db: &mut Db, workspace: WorkspaceId, engagement: EngagementId, limit: i64) -> Result<Vec<Event>> {
    #[derive(sqlx::FromRow)]
    struct Rec {
        name: Option<String>,
        kind: String,
        item_key: Option<String>,
        detail: String,
        at: i64,
    }
    let rows: Vec<Rec> = crate::query_as(
        "SELECT u.name, ev.kind, ev.item_key, ev.detail, ev.at FROM engagement_events ev LEFT JOIN users u ON u.id = ev.actor_id \
         WHERE ev.workspace_id = $1 AND ev.engagement_id = $2 ORDER BY ev.at DESC, ev.id DESC LIMIT $3",
    )
    .bind(workspace.to_string())
    .bind(engagement.to_string())
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Event {
            actor_name: r.name,
            kind: r.kind,
            item_key: r.item_key,
            detail: r.detail,
            at: Timestamp::from_millis(r.at),
        })
        .collect())
}

/// What the engagement's other records say, for the conditions of its checkpoints
/// (`condition: no_guessed_answer`): read in the caller's transaction.
pub async fn facts(db: &mut Db, workspace: WorkspaceId, engagement: EngagementId) -> Result<Facts> {
    let open_guesses: i64 = crate::query_scalar(
        "SELECT COUNT(*) FROM questions WHERE workspace_id = $1 AND engagement_id = $2 AND guess = 1 AND open = 1",
    )
    .bind(workspace.to_string())
    .bind(engagement.to_string())
    .fetch_one(db)
    .await?;
    Ok(Facts { open_guesses: usize::try_from(open_guesses).unwrap_or(0) })
}

/// Open gates and steps of active engagements that `user` owns through their role
/// there: (engagement, item key, playbook version), for closing those whose signal
/// about this person happened (a certification, a course completed).
pub async fn open_items_owned_by(
    db: &mut Db,
    workspace: WorkspaceId,
    user: UserId,
) -> Result<Vec<(EngagementId, String, PlaybookVersionId)>> {
    gates_owned_by(db, workspace, user, "i.kind IN ('gate', 'step') AND i.state = 'todo'", None).await
}

/// Closed gates that `user` owns in active engagements whose anchor (the kick-off) is
/// still ahead at `now`: what a withdrawn signal (an expired certification) reopens.
pub async fn closed_gates_owned_before_anchor(
    db: &mut Db,
    workspace: WorkspaceId,
    user: UserId,
    now: Timestamp,
) -> Result<Vec<(EngagementId, String, PlaybookVersionId)>> {
    gates_owned_by(db, workspace, user, "i.kind = 'gate' AND i.state = 'done' AND e.anchor_at > $3", Some(now)).await
}

async fn gates_owned_by(
    db: &mut Db,
    workspace: WorkspaceId,
    user: UserId,
    condition: &str,
    now: Option<Timestamp>,
) -> Result<Vec<(EngagementId, String, PlaybookVersionId)>> {
    let sql = format!(
        "SELECT i.engagement_id, i.item_key, e.version_id FROM engagement_items i \
         JOIN engagement_participants p ON p.engagement_id = i.engagement_id AND p.role = i.owner_role \
         JOIN engagements e ON e.id = i.engagement_id \
         WHERE i.workspace_id = $1 AND p.user_id = $2 AND e.state = 'active' AND {condition} \
         ORDER BY i.engagement_id, i.position LIMIT 10000"
    );
    let mut q = crate::query_as(&sql).bind(workspace.to_string()).bind(user.to_string());
    if let Some(now) = now {
        q = q.bind(now.as_millis());
    }
    let rows: Vec<(String, String, String)> = q.fetch_all(db).await?;
    rows.into_iter().map(|(e, key, v)| Ok((parse("engagement id", &e)?, key, parse("version id", &v)?))).collect()
}

/// An open step or gate that a person owns through their role in an active engagement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenItem {
    pub engagement_id: EngagementId,
    pub engagement_title: String,
    pub version_id: PlaybookVersionId,
    pub key: String,
    pub kind: ItemKind,
    pub due_at: Option<Timestamp>,
    /// The person's role in the engagement that makes the item theirs.
    pub role: String,
}

/// A person's open steps and gates across their active engagements, earliest due first
/// (undated last); checkpoints are left out (they belong to their step).
pub async fn open_items_of(db: &mut Db, workspace: WorkspaceId, user: UserId, limit: i64) -> Result<Vec<OpenItem>> {
    type Rec = (String, String, String, String, String, Option<i64>, String);
    let rows: Vec<Rec> = crate::query_as(
        "SELECT i.engagement_id, e.title, e.version_id, i.item_key, i.kind, i.due_at, p.role \
         FROM engagement_participants p \
         JOIN engagements e ON e.id = p.engagement_id \
         JOIN engagement_items i ON i.engagement_id = p.engagement_id AND i.owner_role = p.role \
         WHERE p.user_id = $2 AND e.workspace_id = $1 AND e.state = 'active' \
         AND i.state = 'todo' AND i.kind <> 'checkpoint' \
         ORDER BY CASE WHEN i.due_at IS NULL THEN 1 ELSE 0 END, i.due_at, i.position, i.id \
         LIMIT $3",
    )
    .bind(workspace.to_string())
    .bind(user.to_string())
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|(e, title, v, key, kind, due, role)| {
            Ok(OpenItem {
                engagement_id: parse("engagement id", &e)?,
                engagement_title: title,
                version_id: parse("version id", &v)?,
                kind: parse("item kind", &kind)?,
                due_at: due.map(Timestamp::from_millis),
                key,
                role,
            })
        })
        .collect()
}

/// How far the workspace's active engagements are, counted by the database: how many
/// there are, their items closed and in all, and how many have an item overdue.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProgressTotals {
    pub active: i64,
    pub items_closed: i64,
    pub items_total: i64,
    pub late: i64,
}

pub async fn progress_totals(db: &mut Db, workspace: WorkspaceId, now: Timestamp) -> Result<ProgressTotals> {
    let kept: Option<(i64, i64, i64)> =
        crate::query_as("SELECT active, items_closed, items_total FROM engagement_progress WHERE workspace_id = $1")
            .bind(workspace.to_string())
            .fetch_optional(&mut *db)
            .await?;
    let (active, items_closed, items_total) = kept.unwrap_or_default();
    let late: i64 = crate::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM engagements WHERE workspace_id = $1 AND state = $2 AND next_due_at < $3",
    )
    .bind(workspace.to_string())
    .bind(EngagementState::Active.as_str())
    .bind(now.as_millis())
    .fetch_one(db)
    .await?;
    Ok(ProgressTotals { active, items_closed, items_total, late })
}
