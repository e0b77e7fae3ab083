//! The audit trail: who did what, append-only.

use crate::Db;
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

pub async fn record(
    db: &mut Db,
    workspace: WorkspaceId,
    actor: Option<UserId>,
    action: &str,
    subject: Option<&str>,
    detail: &str,
    now: Timestamp,
) -> Result<()> {
    crate::query(
        "INSERT INTO audit_events (id, workspace_id, actor_id, action, subject_id, detail, at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(embark_core::JobId::new().to_string())
    .bind(workspace.to_string())
    .bind(actor.map(|a| a.to_string()))
    .bind(action)
    .bind(subject)
    .bind(detail)
    .bind(now.as_millis())
    .execute(db)
    .await?;
    Ok(())
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
