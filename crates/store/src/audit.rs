//! The audit trail: who did what, append-only.

use crate::Db;
use embark_core::audit as chain;
use embark_core::{Timestamp, UserId, WorkspaceId};

use crate::Result;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEvent {
    pub actor_id: Option<String>,
    pub action: String,
    pub subject_id: Option<String>,
    pub detail: String,
    pub at: Timestamp,
}

/// Appends an event to the workspace's chain, in the caller's transaction: numbered
/// after the last one and hashed over it (`embark_core::audit`).
pub async fn record(
    db: &mut Db,
    workspace: WorkspaceId,
    actor: Option<UserId>,
    action: &str,
    subject: Option<&str>,
    detail: &str,
    now: Timestamp,
) -> Result<()> {
    let ws = workspace.to_string();
    let (seq, prev) = take_head(db, &ws).await?;
    let actor = actor.map(|a| a.to_string());
    let link = chain::Link { workspace: &ws, seq: seq + 1, actor: actor.as_deref(), action, subject, detail, at: now };
    let hash = chain::hash(&prev, &link);
    crate::query(
        "INSERT INTO audit_events (id, workspace_id, actor_id, action, subject_id, detail, at, seq, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(embark_core::JobId::new().to_string())
    .bind(&ws)
    .bind(actor.as_deref())
    .bind(action)
    .bind(subject)
    .bind(detail)
    .bind(now.as_millis())
    .bind(seq + 1)
    .bind(&prev)
    .bind(&hash)
    .execute(&mut *db)
    .await?;
    move_head(db, &ws, seq + 1, &hash).await?;
    Ok(())
}

/// [`record`] in a transaction of its own: for an event that changes nothing else (an export).
pub async fn record_alone(
    store: &crate::Store,
    workspace: WorkspaceId,
    actor: Option<UserId>,
    action: &str,
    detail: &str,
    now: Timestamp,
) -> Result<()> {
    let mut tx = store.begin().await?;
    record(&mut tx, workspace, actor, action, None, detail, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Where the workspace's chain ends (`(0, GENESIS)` before its first event), its row
/// taken: a no-op update holds the head's row lock on PostgreSQL, so appenders queue here.
async fn take_head(db: &mut Db, ws: &str) -> Result<(i64, String)> {
    crate::query(
        "INSERT INTO audit_heads (workspace_id, seq, hash) VALUES ($1, 0, '') ON CONFLICT (workspace_id) DO NOTHING",
    )
    .bind(ws)
    .execute(&mut *db)
    .await?;
    Ok(crate::query_as("UPDATE audit_heads SET seq = seq WHERE workspace_id = $1 RETURNING seq, hash")
        .bind(ws)
        .fetch_one(&mut *db)
        .await?)
}

/// Moves the workspace's chain end to the event just appended.
async fn move_head(db: &mut Db, ws: &str, seq: i64, hash: &str) -> Result<()> {
    crate::query("UPDATE audit_heads SET seq = $2, hash = $3 WHERE workspace_id = $1")
        .bind(ws)
        .bind(seq)
        .bind(hash)
        .execute(db)
        .await?;
    Ok(())
}

/// One event as stored, with its place in the chain.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ChainedEvent {
    pub seq: i64,
    pub actor_id: Option<String>,
    /// The actor's name, when the actor is a person of the workspace.
    pub actor_name: Option<String>,
    pub action: String,
    pub subject_id: Option<String>,
    pub detail: String,
    pub at: i64,
    pub prev_hash: String,
    pub hash: String,
}

/// A page of a workspace's events in chain order, after `after_seq`.
pub async fn chain_after(db: &mut Db, workspace: WorkspaceId, after_seq: i64, limit: i64) -> Result<Vec<ChainedEvent>> {
    Ok(crate::query_as(
        "SELECT a.seq, a.actor_id, u.name AS actor_name, a.action, a.subject_id, a.detail, a.at, \
           COALESCE(a.prev_hash, '') AS prev_hash, COALESCE(a.hash, '') AS hash \
         FROM audit_events a LEFT JOIN users u ON u.id = a.actor_id \
         WHERE a.workspace_id = $1 AND a.seq > $2 ORDER BY a.seq LIMIT $3",
    )
    .bind(workspace.to_string())
    .bind(after_seq)
    .bind(limit)
    .fetch_all(db)
    .await?)
}

/// Checks a workspace's chain from its first event to its head: `Ok(n)` with the number
/// of events when it holds, else where it breaks first. A last event removed shows as the
/// head naming an event that is not there.
pub async fn verify(db: &mut Db, workspace: WorkspaceId) -> Result<std::result::Result<i64, chain::Broken>> {
    let ws = workspace.to_string();
    let mut at = (0, chain::GENESIS.to_string());
    loop {
        let page = chain_after(&mut *db, workspace, at.0, 1000).await?;
        if page.is_empty() {
            break;
        }
        let links = page.iter().map(|e| {
            let link = chain::Link {
                workspace: &ws,
                seq: e.seq,
                actor: e.actor_id.as_deref(),
                action: &e.action,
                subject: e.subject_id.as_deref(),
                detail: &e.detail,
                at: Timestamp::from_millis(e.at),
            };
            (link, e.prev_hash.as_str(), e.hash.as_str())
        });
        match chain::follow(at.clone(), links) {
            Ok(next) => at = next,
            Err(broken) => return Ok(Err(broken)),
        }
    }
    let head: Option<(i64, String)> = crate::query_as("SELECT seq, hash FROM audit_heads WHERE workspace_id = $1")
        .bind(&ws)
        .fetch_optional(&mut *db)
        .await?;
    match head {
        Some((seq, hash)) if seq != at.0 || hash != at.1 => {
            Ok(Err(chain::Broken { seq, why: chain::BrokenBecause::Gap { expected: at.0 + 1 } }))
        }
        _ => Ok(Ok(at.0)),
    }
}

/// A page of a workspace's events, newest first, before `before_seq` (none: from the
/// newest), optionally only actions starting with `action_prefix` (`user.`, `scorecard.`).
pub async fn page(
    db: &mut Db,
    workspace: WorkspaceId,
    action_prefix: Option<&str>,
    before_seq: Option<i64>,
    limit: i64,
) -> Result<Vec<ChainedEvent>> {
    Ok(crate::query_as(
        "SELECT a.seq, a.actor_id, u.name AS actor_name, a.action, a.subject_id, a.detail, a.at, \
           COALESCE(a.prev_hash, '') AS prev_hash, COALESCE(a.hash, '') AS hash \
         FROM audit_events a LEFT JOIN users u ON u.id = a.actor_id \
         WHERE a.workspace_id = $1 AND a.seq < $2 AND ($3 = '' OR substr(a.action, 1, length($3)) = $3) \
         ORDER BY a.seq DESC LIMIT $4",
    )
    .bind(workspace.to_string())
    .bind(before_seq.unwrap_or(i64::MAX))
    .bind(action_prefix.unwrap_or(""))
    .bind(limit)
    .fetch_all(db)
    .await?)
}

/// Chains the events written before the chain existed (no `seq`), per workspace in the
/// order they were written, after whatever chain the workspace has. Run at start-up.
pub async fn chain_unchained(db: &mut Db) -> Result<u64> {
    type Rec = (String, String, Option<String>, String, Option<String>, String, i64);
    let rows: Vec<Rec> = crate::query_as(
        "SELECT id, workspace_id, actor_id, action, subject_id, detail, at FROM audit_events \
         WHERE seq IS NULL ORDER BY workspace_id, at, id",
    )
    .fetch_all(&mut *db)
    .await?;
    let mut done = 0;
    for (id, ws, actor, action, subject, detail, at) in rows {
        let (seq, prev) = take_head(db, &ws).await?;
        let link = chain::Link {
            workspace: &ws,
            seq: seq + 1,
            actor: actor.as_deref(),
            action: &action,
            subject: subject.as_deref(),
            detail: &detail,
            at: Timestamp::from_millis(at),
        };
        let hash = chain::hash(&prev, &link);
        crate::query("UPDATE audit_events SET seq = $2, prev_hash = $3, hash = $4 WHERE id = $1")
            .bind(&id)
            .bind(seq + 1)
            .bind(&prev)
            .bind(&hash)
            .execute(&mut *db)
            .await?;
        move_head(db, &ws, seq + 1, &hash).await?;
        done += 1;
    }
    Ok(done)
}

/// The latest events of a workspace, newest first.
pub async fn latest(db: &mut Db, workspace: WorkspaceId, limit: i64) -> Result<Vec<AuditEvent>> {
    #[derive(sqlx::FromRow)]
    struct Rec {
        actor_id: Option<String>,
        action: String,
        subject_id: Option<String>,
        detail: String,
        at: i64,
    }
    let rows: Vec<Rec> = crate::query_as(
        "SELECT actor_id, action, subject_id, detail, at FROM audit_events WHERE workspace_id = $1 ORDER BY at DESC, id DESC LIMIT $2",
    )
    .bind(workspace.to_string())
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| AuditEvent {
            actor_id: r.actor_id,
            action: r.action,
            subject_id: r.subject_id,
            detail: r.detail,
            at: Timestamp::from_millis(r.at),
        })
        .collect())
}
