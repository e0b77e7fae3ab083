//! People with an account in a workspace.

use crate::Db;
use embark_core::{DisplayName, EmailAddress, Locale, Role, Timestamp, UserId, WorkspaceId};

use crate::{flag, Result, StoreError};

pub const EMAIL_TAKEN: &str = "users_workspace_email_key";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub workspace_id: WorkspaceId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub locale: Locale,
    pub active: bool,
    pub has_password: bool,
    pub created_at: Timestamp,
}

#[derive(sqlx::FromRow)]
pub(crate) struct UserRecord {
    pub id: String,
    pub workspace_id: String,
    pub email: String,
    pub name: String,
    pub role: String,
    pub locale: String,
    pub active: i64,
    pub has_password: i64,
    pub created_at: i64,
}

/// The columns of [`UserRecord`], for queries that join users to something else.
pub(crate) const USER_COLUMNS: &str = "u.id, u.workspace_id, u.email, u.name, u.role, u.locale, \
     CAST(u.active AS BIGINT) AS active, \
     CAST(CASE WHEN u.password_hash IS NULL THEN 0 ELSE 1 END AS BIGINT) AS has_password, u.created_at";

impl TryFrom<UserRecord> for User {
    type Error = StoreError;
    fn try_from(r: UserRecord) -> Result<Self> {
        Ok(User {
            id: r.id.parse().map_err(|_| StoreError::corrupt("user id", &r.id))?,
            workspace_id: r.workspace_id.parse().map_err(|_| StoreError::corrupt("workspace id", &r.workspace_id))?,
            role: r.role.parse().map_err(|_| StoreError::corrupt("role", &r.role))?,
            locale: r.locale.parse().map_err(|_| StoreError::corrupt("locale", &r.locale))?,
            email: r.email,
            name: r.name,
            active: r.active != 0,
            has_password: r.has_password != 0,
            created_at: Timestamp::from_millis(r.created_at),
        })
    }
}

pub struct NewUser<'a> {
    pub workspace_id: WorkspaceId,
    pub email: &'a EmailAddress,
    pub name: &'a DisplayName,
    pub role: Role,
    pub locale: Locale,
    pub password_hash: Option<&'a str>,
}

/// Inserts a person. An email already used in the workspace is a `Conflict` on [`EMAIL_TAKEN`].
pub async fn create(db: &mut Db, new: NewUser<'_>, now: Timestamp) -> Result<User> {
    let id = UserId::new();
    crate::query(
        "INSERT INTO users (id, workspace_id, email, name, name_key, role, locale, password_hash, active, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9)",
    )
    .bind(id.to_string())
    .bind(new.workspace_id.to_string())
    .bind(new.email.as_str())
    .bind(new.name.as_str())
    .bind(new.name.as_str().to_lowercase())
    .bind(new.role.as_str())
    .bind(new.locale.code())
    .bind(new.password_hash)
    .bind(now.as_millis())
    .execute(db)
    .await?;
    Ok(User {
        id,
        workspace_id: new.workspace_id,
        email: new.email.as_str().to_string(),
        name: new.name.as_str().to_string(),
        role: new.role,
        locale: new.locale,
        active: true,
        has_password: new.password_hash.is_some(),
        created_at: now,
    })
}

/// One person of a workspace; `None` when the id belongs to another workspace.
pub async fn get(db: &mut Db, workspace: WorkspaceId, id: UserId) -> Result<Option<User>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.workspace_id = $1 AND u.id = $2");
    let rec: Option<UserRecord> =
        crate::query_as(&sql).bind(workspace.to_string()).bind(id.to_string()).fetch_optional(db).await?;
    rec.map(User::try_from).transpose()
}

pub async fn find_by_email(db: &mut Db, workspace: WorkspaceId, email: &EmailAddress) -> Result<Option<User>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.workspace_id = $1 AND u.email = $2");
    let rec: Option<UserRecord> =
        crate::query_as(&sql).bind(workspace.to_string()).bind(email.as_str()).fetch_optional(db).await?;
    rec.map(User::try_from).transpose()
}

/// A candidate for password sign-in: an active account with that email, in any workspace.
pub struct Credentials {
    pub user: User,
    pub password_hash: Option<String>,
    /// The name of the account's workspace, for a sign-in that names it.
    pub workspace_name: String,
}

/// The active accounts with this email, oldest workspace first (at most 10).
pub async fn credentials_by_email(db: &mut Db, email: &EmailAddress) -> Result<Vec<Credentials>> {
    let sql = format!(
        "SELECT {USER_COLUMNS}, u.password_hash, w.name AS workspace_name FROM users u \
         JOIN workspaces w ON w.id = u.workspace_id \
         WHERE u.email = $1 AND u.active = 1 ORDER BY w.created_at, u.id LIMIT 10"
    );
    let recs: Vec<UserRecordWithHash> = crate::query_as(&sql).bind(email.as_str()).fetch_all(db).await?;
    recs.into_iter()
        .map(|r| {
            Ok(Credentials {
                password_hash: r.password_hash,
                workspace_name: r.workspace_name,
                user: User::try_from(r.user)?,
            })
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct UserRecordWithHash {
    #[sqlx(flatten)]
    user: UserRecord,
    password_hash: Option<String>,
    workspace_name: String,
}

/// Where a page of the people list starts: after this (name, id).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserCursor {
    pub name_key: String,
    pub id: UserId,
}

impl UserCursor {
    pub fn after(user: &User) -> Self {
        UserCursor { name_key: user.name.to_lowercase(), id: user.id }
    }
}

/// A page of the people of a workspace, sorted by name, by keyset on
/// `users_workspace_name_idx`. Returns at most `limit` people.
pub async fn list(db: &mut Db, workspace: WorkspaceId, after: Option<&UserCursor>, limit: i64) -> Result<Vec<User>> {
    let recs: Vec<UserRecord> = match after {
        None => {
            let sql = format!(
                "SELECT {USER_COLUMNS} FROM users u WHERE u.workspace_id = $1 ORDER BY u.name_key, u.id LIMIT $2"
            );
            crate::query_as(&sql).bind(workspace.to_string()).bind(limit).fetch_all(db).await?
        }
        Some(c) => {
            let sql = format!(
                "SELECT {USER_COLUMNS} FROM users u WHERE u.workspace_id = $1 AND (u.name_key, u.id) > ($2, $3) \
                 ORDER BY u.name_key, u.id LIMIT $4"
            );
            crate::query_as(&sql)
                .bind(workspace.to_string())
                .bind(&c.name_key)
                .bind(c.id.to_string())
                .bind(limit)
                .fetch_all(db)
                .await?
        }
    };
    recs.into_iter().map(User::try_from).collect()
}

/// Staff of a workspace (id and name only), by name: the choices of owner filters and selects.
pub async fn staff_names(db: &mut Db, workspace: WorkspaceId, limit: i64) -> Result<Vec<(UserId, String)>> {
    let rows: Vec<(String, String)> = crate::query_as(
        "SELECT id, name FROM users WHERE workspace_id = $1 AND active = 1 \
         AND role IN ('admin', 'account_manager', 'manager', 'coach') ORDER BY name_key, id LIMIT $2",
    )
    .bind(workspace.to_string())
    .bind(limit)
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|(id, name)| Ok((id.parse().map_err(|_| StoreError::corrupt("user id", &id))?, name)))
        .collect()
}

/// How many people a workspace has, counting at most `limit`: an exact count of
/// a large workspace walks its whole index on every page view.
pub async fn count_up_to(db: &mut Db, workspace: WorkspaceId, limit: i64) -> Result<i64> {
    Ok(crate::query_scalar("SELECT COUNT(*) FROM (SELECT 1 FROM users WHERE workspace_id = $1 LIMIT $2) AS capped")
        .bind(workspace.to_string())
        .bind(limit)
        .fetch_one(db)
        .await?)
}

/// Changes a person's role; false when no such person in the workspace.
pub async fn set_role(db: &mut Db, workspace: WorkspaceId, id: UserId, role: Role, now: Timestamp) -> Result<bool> {
    let done = crate::query("UPDATE users SET role = $3, updated_at = $4 WHERE workspace_id = $1 AND id = $2")
        .bind(workspace.to_string())
        .bind(id.to_string())
        .bind(role.as_str())
        .bind(now.as_millis())
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_active(db: &mut Db, workspace: WorkspaceId, id: UserId, active: bool, now: Timestamp) -> Result<bool> {
    let done = crate::query("UPDATE users SET active = $3, updated_at = $4 WHERE workspace_id = $1 AND id = $2")
        .bind(workspace.to_string())
        .bind(id.to_string())
        .bind(flag(active))
        .bind(now.as_millis())
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_locale(
    db: &mut Db,
    workspace: WorkspaceId,
    id: UserId,
    locale: Locale,
    now: Timestamp,
) -> Result<bool> {
    let done = crate::query("UPDATE users SET locale = $3, updated_at = $4 WHERE workspace_id = $1 AND id = $2")
        .bind(workspace.to_string())
        .bind(id.to_string())
        .bind(locale.code())
        .bind(now.as_millis())
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_password_hash(
    db: &mut Db,
    workspace: WorkspaceId,
    id: UserId,
    hash: &str,
    now: Timestamp,
) -> Result<bool> {
    let done = crate::query("UPDATE users SET password_hash = $3, updated_at = $4 WHERE workspace_id = $1 AND id = $2")
        .bind(workspace.to_string())
        .bind(id.to_string())
        .bind(hash)
        .bind(now.as_millis())
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// How many active admins a workspace has (the last one may not be demoted or deactivated).
pub async fn active_admins(db: &mut Db, workspace: WorkspaceId) -> Result<i64> {
    Ok(crate::query_scalar("SELECT COUNT(*) FROM users WHERE workspace_id = $1 AND role = 'admin' AND active = 1")
        .bind(workspace.to_string())
        .fetch_one(db)
        .await?)
}

/// The active admins of a workspace (whom escalations go to), by name.
pub async fn admins(db: &mut Db, workspace: WorkspaceId) -> Result<Vec<User>> {
    let sql = format!(
        "SELECT {USER_COLUMNS} FROM users u WHERE u.workspace_id = $1 AND u.role = 'admin' AND u.active = 1 \
         ORDER BY u.name_key, u.id LIMIT 50"
    );
    let recs: Vec<UserRecord> = crate::query_as(&sql).bind(workspace.to_string()).fetch_all(db).await?;
    recs.into_iter().map(User::try_from).collect()
}
