//! Workspaces: the tenants.

use crate::Db;
use embark_core::{Timestamp, WorkspaceId, WorkspaceName};

use crate::{Result, StoreError};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Workspace {
    pub id: WorkspaceId,
    pub name: String,
    pub time_zone: String,
    pub created_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct WorkspaceRecord {
    id: String,
    name: String,
    time_zone: String,
    created_at: i64,
}

impl TryFrom<WorkspaceRecord> for Workspace {
    type Error = StoreError;
    fn try_from(r: WorkspaceRecord) -> Result<Self> {
        Ok(Workspace {
            id: r.id.parse().map_err(|_| StoreError::corrupt("workspace id", &r.id))?,
            name: r.name,
            time_zone: r.time_zone,
            created_at: Timestamp::from_millis(r.created_at),
        })
    }
}

/// Creates a workspace. A name already taken (case-insensitive) is a
/// `Conflict` on `workspaces_name_key`.
pub async fn create(db: &mut Db, name: &WorkspaceName, time_zone: &str, now: Timestamp) -> Result<Workspace> {
    let id = WorkspaceId::new();
    crate::query("INSERT INTO workspaces (id, name, time_zone, created_at) VALUES ($1, $2, $3, $4)")
        .bind(id.to_string())
        .bind(name.as_str())
        .bind(time_zone)
        .bind(now.as_millis())
        .execute(db)
        .await?;
    Ok(Workspace { id, name: name.as_str().to_string(), time_zone: time_zone.to_string(), created_at: now })
}

pub async fn find_by_name(db: &mut Db, name: &str) -> Result<Option<Workspace>> {
    let rec: Option<WorkspaceRecord> =
        crate::query_as("SELECT id, name, time_zone, created_at FROM workspaces WHERE lower(name) = lower($1)")
            .bind(name.trim())
            .fetch_optional(db)
            .await?;
    rec.map(Workspace::try_from).transpose()
}

pub async fn get(db: &mut Db, id: WorkspaceId) -> Result<Option<Workspace>> {
    let rec: Option<WorkspaceRecord> =
        crate::query_as("SELECT id, name, time_zone, created_at FROM workspaces WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(db)
            .await?;
    rec.map(Workspace::try_from).transpose()
}

/// Every workspace id (a self-hosted instance has a handful).
pub async fn all_ids(db: &mut Db) -> Result<Vec<String>> {
    Ok(crate::query_scalar("SELECT id FROM workspaces ORDER BY created_at, id LIMIT 10000").fetch_all(db).await?)
}
