//! The log of emails Embark sent, per workspace (the admin's outbox page).

use crate::Db;
use embark_core::{EmailId, Locale, Timestamp, WorkspaceId};

use crate::{Result, StoreError};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentEmail {
    pub id: EmailId,
    pub to_addr: String,
    pub subject: String,
    pub kind: String,
    pub locale: Locale,
    pub transport: String,
    pub outbox_file: Option<String>,
    pub sent_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct SentEmailRecord {
    id: String,
    to_addr: String,
    subject: String,
    kind: String,
    locale: String,
    transport: String,
    outbox_file: Option<String>,
    sent_at: i64,
}

impl TryFrom<SentEmailRecord> for SentEmail {
    type Error = StoreError;
    fn try_from(r: SentEmailRecord) -> Result<Self> {
        Ok(SentEmail {
            id: r.id.parse().map_err(|_| StoreError::corrupt("email id", &r.id))?,
            locale: r.locale.parse().map_err(|_| StoreError::corrupt("locale", &r.locale))?,
            to_addr: r.to_addr,
            subject: r.subject,
            kind: r.kind,
            transport: r.transport,
            outbox_file: r.outbox_file,
            sent_at: Timestamp::from_millis(r.sent_at),
        })
    }
}

const COLUMNS: &str = "id, to_addr, subject, kind, locale, transport, outbox_file, sent_at";

pub async fn record(db: &mut Db, workspace: WorkspaceId, email: &SentEmail) -> Result<()> {
    crate::query(
        "INSERT INTO emails (id, workspace_id, to_addr, subject, kind, locale, transport, outbox_file, sent_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(email.id.to_string())
    .bind(workspace.to_string())
    .bind(&email.to_addr)
    .bind(&email.subject)
    .bind(&email.kind)
    .bind(email.locale.code())
    .bind(&email.transport)
    .bind(email.outbox_file.as_deref())
    .bind(email.sent_at.as_millis())
    .execute(db)
    .await?;
    Ok(())
}

/// A page of a workspace's sent emails, newest first, starting before `before` (sent_at, id).
pub async fn list(
    db: &mut Db,
    workspace: WorkspaceId,
    before: Option<(Timestamp, EmailId)>,
    limit: i64,
) -> Result<Vec<SentEmail>> {
    let recs: Vec<SentEmailRecord> = match before {
        None => {
            let sql =
                format!("SELECT {COLUMNS} FROM emails WHERE workspace_id = $1 ORDER BY sent_at DESC, id DESC LIMIT $2");
            crate::query_as(&sql).bind(workspace.to_string()).bind(limit).fetch_all(db).await?
        }
        Some((at, id)) => {
            let sql = format!(
                "SELECT {COLUMNS} FROM emails WHERE workspace_id = $1 AND (sent_at, id) < ($2, $3) \
                 ORDER BY sent_at DESC, id DESC LIMIT $4"
            );
            crate::query_as(&sql)
                .bind(workspace.to_string())
                .bind(at.as_millis())
                .bind(id.to_string())
                .bind(limit)
                .fetch_all(db)
                .await?
        }
    };
    recs.into_iter().map(SentEmail::try_from).collect()
}

pub async fn get(db: &mut Db, workspace: WorkspaceId, id: EmailId) -> Result<Option<SentEmail>> {
    let sql = format!("SELECT {COLUMNS} FROM emails WHERE workspace_id = $1 AND id = $2");
    let rec: Option<SentEmailRecord> =
        crate::query_as(&sql).bind(workspace.to_string()).bind(id.to_string()).fetch_optional(db).await?;
    rec.map(SentEmail::try_from).transpose()
}
