//! Certifications held by people (append-only: a renewal is a new row).

use crate::Db;
use embark_core::{EventId, Timestamp, UserId, WorkspaceId};

use crate::Result;

/// The kind of the account manager's scorecard certification.
pub const SCORECARD: &str = "scorecard";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Certification {
    pub kind: String,
    pub granted_by_name: Option<String>,
    pub granted_at: Timestamp,
    pub expires_at: Timestamp,
}

pub async fn record(
    db: &mut Db,
    workspace: WorkspaceId,
    user: UserId,
    kind: &str,
    granted_by: Option<UserId>,
    granted_at: Timestamp,
    expires_at: Timestamp,
) -> Result<()> {
    crate::query(
        "INSERT INTO certifications (id, workspace_id, user_id, kind, granted_by, granted_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(EventId::new().to_string())
    .bind(workspace.to_string())
    .bind(user.to_string())
    .bind(kind)
    .bind(granted_by.map(|u| u.to_string()))
    .bind(granted_at.as_millis())
    .bind(expires_at.as_millis())
    .execute(db)
    .await?;
    Ok(())
}

/// Whether `user` holds a `kind` certification valid at `now`.
pub async fn is_valid(db: &mut Db, workspace: WorkspaceId, user: UserId, kind: &str, now: Timestamp) -> Result<bool> {
    let n: i64 = crate::query_scalar(
        "SELECT COUNT(*) FROM certifications WHERE workspace_id = $1 AND user_id = $2 AND kind = $3 \
         AND granted_at <= $4 AND expires_at > $4",
    )
    .bind(workspace.to_string())
    .bind(user.to_string())
    .bind(kind)
    .bind(now.as_millis())
    .fetch_one(db)
    .await?;
    Ok(n > 0)
}

/// A person's certifications, latest first.
pub async fn of_user(db: &mut Db, workspace: WorkspaceId, user: UserId) -> Result<Vec<Certification>> {
    #[derive(sqlx::FromRow)]
    struct Rec {
        kind: String,
        granted_by_name: Option<String>,
        granted_at: i64,
        expires_at: i64,
    }
    let rows: Vec<Rec> = crate::query_as(
        "SELECT c.kind, g.name AS granted_by_name, c.granted_at, c.expires_at FROM certifications c \
         LEFT JOIN users g ON g.id = c.granted_by WHERE c.workspace_id = $1 AND c.user_id = $2 \
         ORDER BY c.granted_at DESC, c.id DESC LIMIT 50",
    )
    .bind(workspace.to_string())
    .bind(user.to_string())
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Certification {
            kind: r.kind,
            granted_by_name: r.granted_by_name,
            granted_at: Timestamp::from_millis(r.granted_at),
            expires_at: Timestamp::from_millis(r.expires_at),
        })
        .collect())
}
