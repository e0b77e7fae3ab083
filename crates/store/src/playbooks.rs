//! The playbook library: playbooks and their append-only versions.

use crate::Db;
use embark_core::{Locale, PlaybookId, PlaybookVersionId, Timestamp, UserId, WorkspaceId};

use crate::{flag, Result, StoreError};

pub const KEY_TAKEN: &str = "playbooks_key_language_key";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlaybookRow {
    pub id: PlaybookId,
    pub key: String,
    pub language: Locale,
    pub title: String,
    pub kind: String,
    pub builtin: bool,
    pub latest_version: i64,
    pub updated_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct PlaybookRecord {
    id: String,
    key: String,
    language: String,
    title: String,
    kind: String,
    builtin: i64,
    latest_version: i64,
    updated_at: i64,
}

impl TryFrom<PlaybookRecord> for PlaybookRow {
    type Error = StoreError;
    fn try_from(r: PlaybookRecord) -> Result<Self> {
        Ok(PlaybookRow {
            id: r.id.parse().map_err(|_| StoreError::corrupt("playbook id", &r.id))?,
            language: r.language.parse().map_err(|_| StoreError::corrupt("language", &r.language))?,
            key: r.key,
            title: r.title,
            kind: r.kind,
            builtin: r.builtin != 0,
            latest_version: r.latest_version,
            updated_at: Timestamp::from_millis(r.updated_at),
        })
    }
}

const COLUMNS: &str = "id, key, language, title, kind, CAST(builtin AS BIGINT) AS builtin, latest_version, updated_at";

pub struct NewPlaybook<'a> {
    pub workspace_id: WorkspaceId,
    pub key: &'a str,
    pub language: Locale,
    pub title: &'a str,
    pub kind: &'a str,
    pub builtin: bool,
}

/// Creates an empty playbook (version 0); add its first version with [`add_version`].
/// A key already used in that language is a `Conflict` on [`KEY_TAKEN`].
pub async fn create(db: &mut Db, new: NewPlaybook<'_>, now: Timestamp) -> Result<PlaybookId> {
    let id = PlaybookId::new();
    crate::query(
        "INSERT INTO playbooks (id, workspace_id, key, language, title, kind, builtin, latest_version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $8)",
    )
    .bind(id.to_string())
    .bind(new.workspace_id.to_string())
    .bind(new.key)
    .bind(new.language.code())
    .bind(new.title)
    .bind(new.kind)
    .bind(flag(new.builtin))
    .bind(now.as_millis())
    .execute(db)
    .await?;
    Ok(id)
}

pub async fn get(db: &mut Db, workspace: WorkspaceId, id: PlaybookId) -> Result<Option<PlaybookRow>> {
    let sql = format!("SELECT {COLUMNS} FROM playbooks WHERE workspace_id = $1 AND id = $2");
    let rec: Option<PlaybookRecord> =
        crate::query_as(&sql).bind(workspace.to_string()).bind(id.to_string()).fetch_optional(db).await?;
    rec.map(PlaybookRow::try_from).transpose()
}

pub async fn find_by_key(
    db: &mut Db,
    workspace: WorkspaceId,
    key: &str,
    language: Locale,
) -> Result<Option<PlaybookRow>> {
    let sql = format!("SELECT {COLUMNS} FROM playbooks WHERE workspace_id = $1 AND key = $2 AND language = $3");
    let rec: Option<PlaybookRecord> =
        crate::query_as(&sql).bind(workspace.to_string()).bind(key).bind(language.code()).fetch_optional(db).await?;
    rec.map(PlaybookRow::try_from).transpose()
}

/// The library of a workspace, by title (a library holds tens of playbooks, not thousands).
pub async fn list(db: &mut Db, workspace: WorkspaceId) -> Result<Vec<PlaybookRow>> {
    let sql =
        format!("SELECT {COLUMNS} FROM playbooks WHERE workspace_id = $1 ORDER BY title, language, id LIMIT 1000");
    let recs: Vec<PlaybookRecord> = crate::query_as(&sql).bind(workspace.to_string()).fetch_all(db).await?;
    recs.into_iter().map(PlaybookRow::try_from).collect()
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionRow {
    pub id: PlaybookVersionId,
    pub playbook_id: PlaybookId,
    pub number: i64,
    pub source: String,
    pub content_hash: String,
    pub created_by: Option<String>,
    pub created_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct VersionRecord {
    id: String,
    playbook_id: String,
    number: i64,
    source: String,
    content_hash: String,
    created_by: Option<String>,
    created_at: i64,
}

impl TryFrom<VersionRecord> for VersionRow {
    type Error = StoreError;
    fn try_from(r: VersionRecord) -> Result<Self> {
        Ok(VersionRow {
            id: r.id.parse().map_err(|_| StoreError::corrupt("version id", &r.id))?,
            playbook_id: r.playbook_id.parse().map_err(|_| StoreError::corrupt("playbook id", &r.playbook_id))?,
            number: r.number,
            source: r.source,
            content_hash: r.content_hash,
            created_by: r.created_by,
            created_at: Timestamp::from_millis(r.created_at),
        })
    }
}

const VERSION_COLUMNS: &str = "id, playbook_id, number, source, content_hash, created_by, created_at";

pub struct NewVersion<'a> {
    pub workspace_id: WorkspaceId,
    pub playbook_id: PlaybookId,
    pub source: &'a str,
    pub content_hash: &'a str,
    pub title: &'a str,
    pub kind: &'a str,
    pub created_by: Option<UserId>,
}

/// Appends the next version of a playbook and makes it the latest. Two concurrent
/// editors cannot both get the same number: the unique index refuses the second.
pub async fn add_version(conn: &mut Db, new: NewVersion<'_>, now: Timestamp) -> Result<VersionRow> {
    let number: i64 = crate::query_scalar("SELECT latest_version FROM playbooks WHERE workspace_id = $1 AND id = $2")
        .bind(new.workspace_id.to_string())
        .bind(new.playbook_id.to_string())
        .fetch_one(&mut *conn)
        .await?;
    let number = number + 1;
    let id = PlaybookVersionId::new();
    crate::query(
        "INSERT INTO playbook_versions (id, workspace_id, playbook_id, number, source, content_hash, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id.to_string())
    .bind(new.workspace_id.to_string())
    .bind(new.playbook_id.to_string())
    .bind(number)
    .bind(new.source)
    .bind(new.content_hash)
    .bind(new.created_by.map(|u| u.to_string()))
    .bind(now.as_millis())
    .execute(&mut *conn)
    .await?;
    crate::query("UPDATE playbooks SET latest_version = $3, title = $4, kind = $5, updated_at = $6 WHERE workspace_id = $1 AND id = $2")
        .bind(new.workspace_id.to_string())
        .bind(new.playbook_id.to_string())
        .bind(number)
        .bind(new.title)
        .bind(new.kind)
        .bind(now.as_millis())
        .execute(&mut *conn)
        .await?;
    Ok(VersionRow {
        id,
        playbook_id: new.playbook_id,
        number,
        source: new.source.to_string(),
        content_hash: new.content_hash.to_string(),
        created_by: new.created_by.map(|u| u.to_string()),
        created_at: now,
    })
}

/// Every version of a playbook, newest first.
pub async fn versions(db: &mut Db, workspace: WorkspaceId, playbook: PlaybookId) -> Result<Vec<VersionRow>> {
    let sql = format!("SELECT {VERSION_COLUMNS} FROM playbook_versions WHERE workspace_id = $1 AND playbook_id = $2 ORDER BY number DESC LIMIT 500");
    let recs: Vec<VersionRecord> =
        crate::query_as(&sql).bind(workspace.to_string()).bind(playbook.to_string()).fetch_all(db).await?;
    recs.into_iter().map(VersionRow::try_from).collect()
}

pub async fn version(db: &mut Db, workspace: WorkspaceId, id: PlaybookVersionId) -> Result<Option<VersionRow>> {
    let sql = format!("SELECT {VERSION_COLUMNS} FROM playbook_versions WHERE workspace_id = $1 AND id = $2");
    let rec: Option<VersionRecord> =
        crate::query_as(&sql).bind(workspace.to_string()).bind(id.to_string()).fetch_optional(db).await?;
    rec.map(VersionRow::try_from).transpose()
}

pub async fn version_by_number(
    db: &mut Db,
    workspace: WorkspaceId,
    playbook: PlaybookId,
    number: i64,
) -> Result<Option<VersionRow>> {
    let sql = format!(
        "SELECT {VERSION_COLUMNS} FROM playbook_versions WHERE workspace_id = $1 AND playbook_id = $2 AND number = $3"
    );
    let rec: Option<VersionRecord> = crate::query_as(&sql)
        .bind(workspace.to_string())
        .bind(playbook.to_string())
        .bind(number)
        .fetch_optional(db)
        .await?;
    rec.map(VersionRow::try_from).transpose()
}

/// Records a reader's answer to "did you find your answer?" (their latest answer counts).
pub async fn set_feedback(
    db: &mut Db,
    workspace: WorkspaceId,
    playbook: PlaybookId,
    user: UserId,
    helpful: bool,
    now: Timestamp,
) -> Result<()> {
    crate::query(
        "INSERT INTO article_feedback (playbook_id, user_id, workspace_id, helpful, at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (playbook_id, user_id) DO UPDATE SET helpful = excluded.helpful, at = excluded.at",
    )
    .bind(playbook.to_string())
    .bind(user.to_string())
    .bind(workspace.to_string())
    .bind(flag(helpful))
    .bind(now.as_millis())
    .execute(db)
    .await?;
    Ok(())
}

/// (helpful, not helpful) answers for a playbook.
pub async fn feedback_counts(db: &mut Db, workspace: WorkspaceId, playbook: PlaybookId) -> Result<(i64, i64)> {
    Ok(crate::query_as(
        "SELECT CAST(COALESCE(SUM(CASE WHEN helpful = 1 THEN 1 ELSE 0 END), 0) AS BIGINT), \
                CAST(COALESCE(SUM(CASE WHEN helpful = 0 THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM article_feedback WHERE workspace_id = $1 AND playbook_id = $2",
    )
    .bind(workspace.to_string())
    .bind(playbook.to_string())
    .fetch_one(db)
    .await?)
}

/// A reader's own answer, if any.
pub async fn feedback_of(
    db: &mut Db,
    workspace: WorkspaceId,
    playbook: PlaybookId,
    user: UserId,
) -> Result<Option<bool>> {
    let v: Option<i64> = crate::query_scalar(
        "SELECT CAST(helpful AS BIGINT) FROM article_feedback WHERE workspace_id = $1 AND playbook_id = $2 AND user_id = $3",
    )
    .bind(workspace.to_string())
    .bind(playbook.to_string())
    .bind(user.to_string())
    .fetch_optional(db)
    .await?;
    Ok(v.map(|v| v != 0))
}

/// The workspace a playbook belongs to (for the command line, which acts as the operator).
pub async fn workspace_of(db: &mut Db, id: PlaybookId) -> Result<Option<WorkspaceId>> {
    let ws: Option<String> = crate::query_scalar("SELECT workspace_id FROM playbooks WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(db)
        .await?;
    ws.map(|w| w.parse().map_err(|_| StoreError::corrupt("workspace id", &w))).transpose()
}
