//! Single-use links sent by email: sign-in for external people, invitations for staff.

use std::fmt;
use std::str::FromStr;

use crate::Db;
use embark_core::{MagicLinkId, Timestamp, UserId, WorkspaceId};

use crate::{Result, StoreError};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Signs in an external person (client contact, new hire).
    SignIn,
    /// Lets an invited staff member choose a password.
    Invitation,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::SignIn => "sign_in",
            Purpose::Invitation => "invitation",
        }
    }
}

impl fmt::Display for Purpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Purpose {
    type Err = StoreError;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "sign_in" => Ok(Purpose::SignIn),
            "invitation" => Ok(Purpose::Invitation),
            _ => Err(StoreError::corrupt("magic link purpose", s)),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MagicLink {
    pub id: MagicLinkId,
    pub workspace_id: WorkspaceId,
    pub user_id: UserId,
    pub purpose: Purpose,
    pub expires_at: Timestamp,
    pub used_at: Option<Timestamp>,
    /// Where the person lands once signed in (a page of the workspace), if not the home page.
    pub next_path: Option<String>,
}

#[derive(sqlx::FromRow)]
struct MagicLinkRecord {
    id: String,
    workspace_id: String,
    user_id: String,
    purpose: String,
    expires_at: i64,
    used_at: Option<i64>,
    next_path: Option<String>,
}

impl TryFrom<MagicLinkRecord> for MagicLink {
    type Error = StoreError;
    fn try_from(r: MagicLinkRecord) -> Result<Self> {
        Ok(MagicLink {
            id: r.id.parse().map_err(|_| StoreError::corrupt("magic link id", &r.id))?,
            workspace_id: r.workspace_id.parse().map_err(|_| StoreError::corrupt("workspace id", &r.workspace_id))?,
            user_id: r.user_id.parse().map_err(|_| StoreError::corrupt("user id", &r.user_id))?,
            purpose: r.purpose.parse()?,
            expires_at: Timestamp::from_millis(r.expires_at),
            used_at: r.used_at.map(Timestamp::from_millis),
            next_path: r.next_path,
        })
    }
}

const COLUMNS: &str = "id, workspace_id, user_id, purpose, expires_at, used_at, next_path";

/// Records a link to be sent; its token is minted when the email goes out ([`arm`]).
pub async fn create(
    db: &mut Db,
    workspace: WorkspaceId,
    user: UserId,
    purpose: Purpose,
    now: Timestamp,
    expires_at: Timestamp,
) -> Result<MagicLinkId> {
    let id = MagicLinkId::new();
    let expires_at = embark_core::accounts::link_expiry(now, expires_at);
    crate::query(
        "INSERT INTO magic_links (id, workspace_id, user_id, purpose, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id.to_string())
    .bind(workspace.to_string())
    .bind(user.to_string())
    .bind(purpose.as_str())
    .bind(now.as_millis())
    .bind(expires_at.as_millis())
    .execute(db)
    .await?;
    Ok(id)
}

/// Sets where a sign-in link leads once used.
pub async fn set_next_path(db: &mut Db, id: MagicLinkId, path: &str) -> Result<()> {
    crate::query("UPDATE magic_links SET next_path = $2 WHERE id = $1")
        .bind(id.to_string())
        .bind(path)
        .execute(db)
        .await?;
    Ok(())
}

/// Stores the hash of a freshly minted token for an unused link (replacing an
/// earlier one if the email is sent again). Returns the link, or `None` if it was used.
pub async fn arm(db: &mut Db, id: MagicLinkId, token_hash: &str) -> Result<Option<MagicLink>> {
    let sql = format!("UPDATE magic_links SET token_hash = $2 WHERE id = $1 AND used_at IS NULL RETURNING {COLUMNS}");
    let rec: Option<MagicLinkRecord> =
        crate::query_as(&sql).bind(id.to_string()).bind(token_hash).fetch_optional(db).await?;
    rec.map(MagicLink::try_from).transpose()
}

/// The link a token belongs to, used or not.
pub async fn find_by_token(db: &mut Db, token_hash: &str) -> Result<Option<MagicLink>> {
    let sql = format!("SELECT {COLUMNS} FROM magic_links WHERE token_hash = $1");
    let rec: Option<MagicLinkRecord> = crate::query_as(&sql).bind(token_hash).fetch_optional(db).await?;
    rec.map(MagicLink::try_from).transpose()
}

/// Marks the link used, once: only one caller ever gets `Some`, and only before expiry.
pub async fn consume(db: &mut Db, token_hash: &str, now: Timestamp) -> Result<Option<MagicLink>> {
    let sql = format!(
        "UPDATE magic_links SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING {COLUMNS}"
    );
    let rec: Option<MagicLinkRecord> =
        crate::query_as(&sql).bind(token_hash).bind(now.as_millis()).fetch_optional(db).await?;
    rec.map(MagicLink::try_from).transpose()
}

/// Invalidates a person's unused links (when they are deactivated).
pub async fn revoke_for_user(db: &mut Db, user: UserId, now: Timestamp) -> Result<u64> {
    Ok(crate::query("UPDATE magic_links SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL")
        .bind(user.to_string())
        .bind(now.as_millis())
        .execute(db)
        .await?
        .rows_affected())
}
