//! Personal API tokens: shown once, stored as a hash.

use crate::Db;
use embark_core::{ApiTokenId, Timestamp, UserId, WorkspaceId};

use crate::accounts::sessions::{principal_sql, Principal, PrincipalRecord};
use crate::{Result, StoreError};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiToken {
    pub id: ApiTokenId,
    pub name: String,
    pub prefix: String,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

#[derive(sqlx::FromRow)]
struct ApiTokenRecord {
    id: String,
    name: String,
    prefix: String,
    created_at: i64,
    last_used_at: Option<i64>,
    revoked_at: Option<i64>,
}

impl TryFrom<ApiTokenRecord> for ApiToken {
    type Error = StoreError;
    fn try_from(r: ApiTokenRecord) -> Result<Self> {
        Ok(ApiToken {
            id: r.id.parse().map_err(|_| StoreError::corrupt("api token id", &r.id))?,
            name: r.name,
            prefix: r.prefix,
            created_at: Timestamp::from_millis(r.created_at),
            last_used_at: r.last_used_at.map(Timestamp::from_millis),
            revoked_at: r.revoked_at.map(Timestamp::from_millis),
        })
    }
}

pub struct NewApiToken<'a> {
    pub workspace_id: WorkspaceId,
    pub user_id: UserId,
    pub name: &'a str,
    pub token_hash: &'a str,
    pub prefix: &'a str,
}

pub async fn create(db: &mut Db, new: NewApiToken<'_>, now: Timestamp) -> Result<ApiToken> {
    let id = ApiTokenId::new();
    crate::query(
        "INSERT INTO api_tokens (id, workspace_id, user_id, name, token_hash, prefix, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id.to_string())
    .bind(new.workspace_id.to_string())
    .bind(new.user_id.to_string())
    .bind(new.name)
    .bind(new.token_hash)
    .bind(new.prefix)
    .bind(now.as_millis())
    .execute(db)
    .await?;
    Ok(ApiToken {
        id,
        name: new.name.to_string(),
        prefix: new.prefix.to_string(),
        created_at: now,
        last_used_at: None,
        revoked_at: None,
    })
}

/// A person's tokens, newest first.
pub async fn list_for_user(db: &mut Db, workspace: WorkspaceId, user: UserId) -> Result<Vec<ApiToken>> {
    let recs: Vec<ApiTokenRecord> = crate::query_as(
        "SELECT id, name, prefix, created_at, last_used_at, revoked_at FROM api_tokens \
         WHERE workspace_id = $1 AND user_id = $2 ORDER BY created_at DESC, id DESC LIMIT 100",
    )
    .bind(workspace.to_string())
    .bind(user.to_string())
    .fetch_all(db)
    .await?;
    recs.into_iter().map(ApiToken::try_from).collect()
}

/// Revokes one of a person's tokens; false if it is not theirs or already revoked.
pub async fn revoke(db: &mut Db, workspace: WorkspaceId, user: UserId, id: ApiTokenId, now: Timestamp) -> Result<bool> {
    let done = crate::query(
        "UPDATE api_tokens SET revoked_at = $4 WHERE workspace_id = $1 AND user_id = $2 AND id = $3 AND revoked_at IS NULL",
    )
    .bind(workspace.to_string())
    .bind(user.to_string())
    .bind(id.to_string())
    .bind(now.as_millis())
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Revokes every live token of a person (their role may no longer use the API).
pub async fn revoke_for_user(db: &mut Db, user: UserId, now: Timestamp) -> Result<u64> {
    let done = crate::query("UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL")
        .bind(user.to_string())
        .bind(now.as_millis())
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}

/// The principal behind a live token of an active user, with when it was last used.
pub async fn principal(db: &mut Db, token_hash: &str) -> Result<Option<(Principal, ApiTokenId, Option<Timestamp>)>> {
    #[derive(sqlx::FromRow)]
    struct Rec {
        #[sqlx(flatten)]
        principal: PrincipalRecord,
        token_id: String,
        last_used_at: Option<i64>,
    }
    let sql = principal_sql(
        "FROM api_tokens t JOIN users u ON u.id = t.user_id JOIN workspaces w ON w.id = u.workspace_id \
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active = 1",
    )
    .replacen("SELECT ", "SELECT t.id AS token_id, t.last_used_at, ", 1);
    let rec: Option<Rec> = crate::query_as(&sql).bind(token_hash).fetch_optional(db).await?;
    rec.map(|r| {
        let id = r.token_id.parse().map_err(|_| StoreError::corrupt("api token id", &r.token_id))?;
        Ok((Principal::try_from(r.principal)?, id, r.last_used_at.map(Timestamp::from_millis)))
    })
    .transpose()
}

pub async fn touch(db: &mut Db, id: ApiTokenId, now: Timestamp) -> Result<()> {
    crate::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1")
        .bind(id.to_string())
        .bind(now.as_millis())
        .execute(db)
        .await?;
    Ok(())
}
