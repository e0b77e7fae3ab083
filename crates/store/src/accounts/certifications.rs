//! Certifications held by people (append-only: a renewal is a new row).

use crate::Db;
use embark_core::{AttemptId, EventId, Timestamp, UserId, WorkspaceId};

use crate::Result;

/// The kind of the account manager's scorecard certification.
pub const SCORECARD: &str = "scorecard";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Certification {
    pub kind: String,
    pub granted_by_name: Option<String>,
    pub granted_at: Timestamp,
    pub expires_at: Timestamp,
    /// How it was granted: by passing the course's exam, or by an admin's override.
    pub source: Source,
    /// The admin's reason, for an override.
    pub reason: Option<String>,
}

/// How a certification was granted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The learner passed the course's exam.
    Course,
    /// An admin recorded it by hand, with a reason.
    Override,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Course => "course",
            Source::Override => "override",
        }
    }
}

/// A certification to record.
pub struct Grant<'a> {
    pub workspace: WorkspaceId,
    pub user: UserId,
    /// The course's key (`scorecard`).
    pub kind: &'a str,
    pub source: Source,
    pub granted_by: Option<UserId>,
    pub reason: Option<&'a str>,
    pub attempt: Option<AttemptId>,
    pub granted_at: Timestamp,
    pub expires_at: Timestamp,
}

/// Records a certification. Renewals are new rows: the history is never overwritten.
pub async fn record(db: &mut Db, g: Grant<'_>) -> Result<()> {
    crate::query(
        "INSERT INTO certifications (id, workspace_id, user_id, kind, granted_by, granted_at, expires_at, source, \
         reason, attempt_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(EventId::new().to_string())
    .bind(g.workspace.to_string())
    .bind(g.user.to_string())
    .bind(g.kind)
    .bind(g.granted_by.map(|u| u.to_string()))
    .bind(g.granted_at.as_millis())
    .bind(g.expires_at.as_millis())
    .bind(g.source.as_str())
    .bind(g.reason)
    .bind(g.attempt.map(|a| a.to_string()))
    .execute(db)
    .await?;
    Ok(())
}

/// The latest expiry of `user`'s valid `kind` certifications at `now`, if any.
pub async fn valid_until(
    db: &mut Db,
    workspace: WorkspaceId,
    user: UserId,
    kind: &str,
    now: Timestamp,
) -> Result<Option<Timestamp>> {
    let at: Option<i64> = crate::query_scalar(
        "SELECT MAX(expires_at) FROM certifications WHERE workspace_id = $1 AND user_id = $2 AND kind = $3 \
         AND granted_at <= $4 AND expires_at > $4",
    )
    .bind(workspace.to_string())
    .bind(user.to_string())
    .bind(kind)
    .bind(now.as_millis())
    .fetch_one(db)
    .await?;
    Ok(at.map(Timestamp::from_millis))
}

/// [`valid_until`] for every kind at once: (kind, latest expiry) of `user`'s
/// certifications valid at `now`.
pub async fn valid_until_by_kind(
    db: &mut Db,
    workspace: WorkspaceId,
    user: UserId,
    now: Timestamp,
) -> Result<Vec<(String, Timestamp)>> {
    let rows: Vec<(String, i64)> = crate::query_as(
        "SELECT kind, MAX(expires_at) FROM certifications WHERE workspace_id = $1 AND user_id = $2 \
         AND granted_at <= $3 AND expires_at > $3 GROUP BY kind",
    )
    .bind(workspace.to_string())
    .bind(user.to_string())
    .bind(now.as_millis())
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(k, at)| (k, Timestamp::from_millis(at))).collect())
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
        source: String,
        reason: Option<String>,
    }
    let rows: Vec<Rec> = crate::query_as(
        "SELECT c.kind, g.name AS granted_by_name, c.granted_at, c.expires_at, c.source, c.reason FROM certifications c \
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
            source: if r.source == "course" { Source::Course } else { Source::Override },
            reason: r.reason,
        })
        .collect())
}
