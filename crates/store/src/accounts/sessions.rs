//! Signed-in sessions. The cookie holds a random token; the table holds its hash.

use crate::Db;
use embark_core::{Timestamp, UserId, WorkspaceId};

use crate::accounts::users::{User, UserRecord, USER_COLUMNS};
use crate::{Result, StoreError};

pub async fn create(
    db: &mut Db,
    id_hash: &str,
    user: UserId,
    workspace: WorkspaceId,
    now: Timestamp,
    expires_at: Timestamp,
) -> Result<()> {
    crate::query(
        "INSERT INTO sessions (id_hash, user_id, workspace_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id_hash)
    .bind(user.to_string())
    .bind(workspace.to_string())
    .bind(now.as_millis())
    .bind(expires_at.as_millis())
    .execute(db)
    .await?;
    Ok(())
}

/// Who is signed in, with the workspace they act in: what every request needs,
/// read in one indexed query.
#[derive(Clone, Debug)]
pub struct Principal {
    pub user: User,
    pub workspace_name: String,
    pub workspace_time_zone: String,
}

#[derive(sqlx::FromRow)]
pub(crate) struct PrincipalRecord {
    #[sqlx(flatten)]
    pub user: UserRecord,
    pub workspace_name: String,
    pub workspace_time_zone: String,
}

impl TryFrom<PrincipalRecord> for Principal {
    type Error = StoreError;
    fn try_from(r: PrincipalRecord) -> Result<Self> {
        Ok(Principal {
            user: User::try_from(r.user)?,
            workspace_name: r.workspace_name,
            workspace_time_zone: r.workspace_time_zone,
        })
    }
}

pub(crate) fn principal_sql(from_and_where: &str) -> String {
    format!(
        "SELECT {USER_COLUMNS}, w.name AS workspace_name, w.time_zone AS workspace_time_zone \
         {from_and_where}"
    )
}

/// The principal of a live session of an active user; `None` for an unknown,
/// expired or deactivated one.
pub async fn principal(db: &mut Db, id_hash: &str, now: Timestamp) -> Result<Option<Principal>> {
    let sql = principal_sql(
        "FROM sessions s JOIN users u ON u.id = s.user_id JOIN workspaces w ON w.id = u.workspace_id \
         WHERE s.id_hash = $1 AND s.expires_at > $2 AND u.active = 1",
    );
    let rec: Option<PrincipalRecord> =
        crate::query_as(&sql).bind(id_hash).bind(now.as_millis()).fetch_optional(db).await?;
    rec.map(Principal::try_from).transpose()
}

pub async fn delete(db: &mut Db, id_hash: &str) -> Result<()> {
    crate::query("DELETE FROM sessions WHERE id_hash = $1").bind(id_hash).execute(db).await?;
    Ok(())
}

/// Signs a person out everywhere (deactivation, password change).
pub async fn delete_for_user(db: &mut Db, user: UserId) -> Result<u64> {
    Ok(crate::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user.to_string())
        .execute(db)
        .await?
        .rows_affected())
}

pub async fn delete_expired(db: &mut Db, now: Timestamp) -> Result<u64> {
    Ok(crate::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now.as_millis())
        .execute(db)
        .await?
        .rows_affected())
}
