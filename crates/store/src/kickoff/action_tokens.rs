//! Single-purpose links sent by email to one person about one engagement (confirm
//! attendance, acknowledge a report, answer the NPS…). The token exists only in the
//! email; the table keeps its hash. A link stays readable until it expires, so the
//! page it opens can show what was done; `used_at` records the first use.

use crate::Db;
use embark_core::kickoff::ActionPurpose;
use embark_core::{ActionTokenId, EngagementId, Timestamp, UserId, WorkspaceId};

use crate::{parse, Result};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionToken {
    pub id: ActionTokenId,
    pub workspace_id: WorkspaceId,
    pub engagement_id: EngagementId,
    pub user_id: UserId,
    pub purpose: ActionPurpose,
    pub expires_at: Timestamp,
    pub used_at: Option<Timestamp>,
}

#[allow(clippy::too_many_arguments)]
pub async fn create(
    db: &mut Db,
    workspace: WorkspaceId,
    engagement: EngagementId,
    user: UserId,
    purpose: ActionPurpose,
    token_hash: &str,
    now: Timestamp,
    expires_at: Timestamp,
) -> Result<ActionTokenId> {
    let id = ActionTokenId::new();
    crate::query(
        "INSERT INTO action_tokens (id, workspace_id, engagement_id, user_id, purpose, token_hash, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id.to_string())
    .bind(workspace.to_string())
    .bind(engagement.to_string())
    .bind(user.to_string())
    .bind(purpose.as_str())
    .bind(token_hash)
    .bind(now.as_millis())
    .bind(expires_at.as_millis())
    .execute(db)
    .await?;
    Ok(id)
}

/// The token with this hash, expired or not (the caller tells the person which).
pub async fn find(db: &mut Db, token_hash: &str) -> Result<Option<ActionToken>> {
    type Rec = (String, String, String, String, String, i64, Option<i64>);
    let row: Option<Rec> = crate::query_as(
        "SELECT id, workspace_id, engagement_id, user_id, purpose, expires_at, used_at FROM action_tokens WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(db)
    .await?;
    row.map(|(id, ws, engagement, user, purpose, expires_at, used_at)| {
        Ok(ActionToken {
            id: parse("action token id", &id)?,
            workspace_id: parse("workspace id", &ws)?,
            engagement_id: parse("engagement id", &engagement)?,
            user_id: parse("user id", &user)?,
            purpose: parse("action purpose", &purpose)?,
            expires_at: Timestamp::from_millis(expires_at),
            used_at: used_at.map(Timestamp::from_millis),
        })
    })
    .transpose()
}

/// Records the first use of a token.
pub async fn mark_used(db: &mut Db, id: ActionTokenId, now: Timestamp) -> Result<()> {
    crate::query("UPDATE action_tokens SET used_at = $2 WHERE id = $1 AND used_at IS NULL")
        .bind(id.to_string())
        .bind(now.as_millis())
        .execute(db)
        .await?;
    Ok(())
}
