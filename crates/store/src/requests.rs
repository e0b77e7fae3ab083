//! Requests and complaints, their threads, and the figures that measure how they are
//! answered (counted by the database over an indexed period, never row by row).

use embark_core::requests::{Category, Channel, RequestKind, Totals};
use embark_core::{EngagementId, RequestId, RequestMessageId, Timestamp, UserId, WorkspaceId};

use crate::{parse, parse_opt, Db, Result};

/// A request, with the names a page shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestRow {
    pub id: RequestId,
    pub kind: RequestKind,
    pub category: Category,
    pub channel: Channel,
    pub requester_id: UserId,
    pub requester_name: String,
    pub logged_by_name: Option<String>,
    pub engagement_id: Option<EngagementId>,
    pub engagement_title: Option<String>,
    pub owner_id: UserId,
    pub owner_name: String,
    pub subject: String,
    pub body: String,
    pub received_at: Timestamp,
    pub due_at: Timestamp,
    pub first_response_at: Option<Timestamp>,
    pub resolved_at: Option<Timestamp>,
    pub resolved_by_name: Option<String>,
    pub resolution: Option<String>,
    pub escalated_at: Option<Timestamp>,
}

impl RequestRow {
    pub fn status(&self, now: Timestamp) -> embark_core::requests::Status {
        embark_core::requests::Status::of(self.due_at, self.first_response_at, self.resolved_at, now)
    }
}

#[derive(sqlx::FromRow)]
struct RequestRecord {
    id: String,
    kind: String,
    category: String,
    channel: String,
    requester_id: String,
    requester_name: String,
    logged_by_name: Option<String>,
    engagement_id: Option<String>,
    engagement_title: Option<String>,
    owner_id: String,
    owner_name: String,
    subject: String,
    body: String,
    received_at: i64,
    due_at: i64,
    first_response_at: Option<i64>,
    resolved_at: Option<i64>,
    resolved_by_name: Option<String>,
    resolution: Option<String>,
    escalated_at: Option<i64>,
}

fn known<T: std::str::FromStr>(what: &'static str, value: &str) -> Result<T> {
    value.parse().map_err(|_| crate::StoreError::corrupt(what, value))
}

impl TryFrom<RequestRecord> for RequestRow {
    type Error = crate::StoreError;
    fn try_from(r: RequestRecord) -> Result<Self> {
        Ok(RequestRow {
            id: parse("request id", &r.id)?,
            kind: known("request kind", &r.kind)?,
            category: known("request category", &r.category)?,
            channel: known("request channel", &r.channel)?,
            requester_id: parse("user id", &r.requester_id)?,
            requester_name: r.requester_name,
            logged_by_name: r.logged_by_name,
            engagement_id: parse_opt("engagement id", r.engagement_id.as_deref())?,
            engagement_title: r.engagement_title,
            owner_id: parse("user id", &r.owner_id)?,
            owner_name: r.owner_name,
            subject: r.subject,
            body: r.body,
            received_at: Timestamp::from_millis(r.received_at),
            due_at: Timestamp::from_millis(r.due_at),
            first_response_at: r.first_response_at.map(Timestamp::from_millis),
            resolved_at: r.resolved_at.map(Timestamp::from_millis),
            resolved_by_name: r.resolved_by_name,
            resolution: r.resolution,
            escalated_at: r.escalated_at.map(Timestamp::from_millis),
        })
    }
}

const SELECT: &str = "SELECT r.id, r.kind, r.category, r.channel, r.requester_id, q.name AS requester_name, \
     l.name AS logged_by_name, r.engagement_id, e.title AS engagement_title, r.owner_id, o.name AS owner_name, \
     r.subject, r.body, r.received_at, r.due_at, r.first_response_at, r.resolved_at, s.name AS resolved_by_name, \
     r.resolution, r.escalated_at \
     FROM requests r \
     JOIN users q ON q.id = r.requester_id \
     JOIN users o ON o.id = r.owner_id \
     LEFT JOIN users l ON l.id = r.logged_by \
     LEFT JOIN users s ON s.id = r.resolved_by \
     LEFT JOIN engagements e ON e.id = r.engagement_id";

pub struct NewRequest<'a> {
    pub workspace_id: WorkspaceId,
    pub kind: RequestKind,
    pub category: Category,
    pub channel: Channel,
    pub requester_id: UserId,
    pub logged_by: Option<UserId>,
    pub engagement_id: Option<EngagementId>,
    pub owner_id: UserId,
    pub subject: &'a str,
    pub body: &'a str,
    pub received_at: Timestamp,
    pub due_at: Timestamp,
}

pub async fn create(db: &mut Db, new: NewRequest<'_>) -> Result<RequestId> {
    let id = RequestId::new();
    crate::query(
        "INSERT INTO requests (id, workspace_id, kind, category, channel, requester_id, logged_by, engagement_id, \
           owner_id, subject, body, received_at, due_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(id.to_string())
    .bind(new.workspace_id.to_string())
    .bind(new.kind.as_str())
    .bind(new.category.as_str())
    .bind(new.channel.as_str())
    .bind(new.requester_id.to_string())
    .bind(new.logged_by.map(|u| u.to_string()))
    .bind(new.engagement_id.map(|e| e.to_string()))
    .bind(new.owner_id.to_string())
    .bind(new.subject)
    .bind(new.body)
    .bind(new.received_at.as_millis())
    .bind(new.due_at.as_millis())
    .execute(db)
    .await?;
    Ok(id)
}

/// A request of the workspace; `None` when the id belongs to another workspace.
pub async fn get(db: &mut Db, ws: WorkspaceId, id: RequestId) -> Result<Option<RequestRow>> {
    let sql = format!("{SELECT} WHERE r.workspace_id = $1 AND r.id = $2");
    let rec: Option<RequestRecord> =
        crate::query_as(&sql).bind(ws.to_string()).bind(id.to_string()).fetch_optional(db).await?;
    rec.map(RequestRow::try_from).transpose()
}

/// Whose requests a list shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// What this person raised (or was logged in her name).
    RaisedBy(UserId),
    /// What this person owns.
    OwnedBy(UserId),
    /// The whole workspace.
    All,
}

/// Requests newest first, at most `limit`; `open_only` leaves out the resolved ones.
pub async fn list(db: &mut Db, ws: WorkspaceId, scope: Scope, open_only: bool, limit: i64) -> Result<Vec<RequestRow>> {
    let open = if open_only { " AND r.resolved_at IS NULL" } else { "" };
    let (filter, who) = match scope {
        Scope::RaisedBy(u) => (" AND r.requester_id = $3", Some(u)),
        Scope::OwnedBy(u) => (" AND r.owner_id = $3", Some(u)),
        Scope::All => ("", None),
    };
    let sql =
        format!("{SELECT} WHERE r.workspace_id = $1{filter}{open} ORDER BY r.received_at DESC, r.id DESC LIMIT $2");
    let mut q = crate::query_as::<RequestRecord>(&sql).bind(ws.to_string()).bind(limit);
    if let Some(u) = who {
        q = q.bind(u.to_string());
    }
    let recs = q.fetch_all(db).await?;
    recs.into_iter().map(RequestRow::try_from).collect()
}

/// The requests a person owns that wait for their first response, earliest due first.
pub async fn awaiting_response_of(db: &mut Db, ws: WorkspaceId, owner: UserId, limit: i64) -> Result<Vec<RequestRow>> {
    let sql = format!(
        "{SELECT} WHERE r.workspace_id = $1 AND r.owner_id = $2 AND r.first_response_at IS NULL \
         AND r.resolved_at IS NULL ORDER BY r.due_at, r.id LIMIT $3"
    );
    let recs: Vec<RequestRecord> =
        crate::query_as(&sql).bind(ws.to_string()).bind(owner.to_string()).bind(limit).fetch_all(db).await?;
    recs.into_iter().map(RequestRow::try_from).collect()
}

/// A message of a thread.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageRow {
    pub id: RequestMessageId,
    pub author_id: UserId,
    pub author_name: String,
    pub body: String,
    pub created_at: Timestamp,
}

pub async fn add_message(
    db: &mut Db,
    ws: WorkspaceId,
    request: RequestId,
    author: UserId,
    body: &str,
    now: Timestamp,
) -> Result<RequestMessageId> {
    let id = RequestMessageId::new();
    crate::query(
        "INSERT INTO request_messages (id, workspace_id, request_id, author_id, body, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id.to_string())
    .bind(ws.to_string())
    .bind(request.to_string())
    .bind(author.to_string())
    .bind(body)
    .bind(now.as_millis())
    .execute(db)
    .await?;
    Ok(id)
}

/// A request's thread, oldest first.
pub async fn messages(db: &mut Db, ws: WorkspaceId, request: RequestId) -> Result<Vec<MessageRow>> {
    let rows: Vec<(String, String, String, String, i64)> = crate::query_as(
        "SELECT m.id, m.author_id, u.name, m.body, m.created_at FROM request_messages m \
         JOIN users u ON u.id = m.author_id \
         WHERE m.workspace_id = $1 AND m.request_id = $2 ORDER BY m.created_at, m.id",
    )
    .bind(ws.to_string())
    .bind(request.to_string())
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|(id, author, name, body, at)| {
            Ok(MessageRow {
                id: parse("request message id", &id)?,
                author_id: parse("user id", &author)?,
                author_name: name,
                body,
                created_at: Timestamp::from_millis(at),
            })
        })
        .collect()
}

/// Records the first response; false when there was one already (a later reply
/// changes nothing to the measure).
pub async fn mark_first_response(db: &mut Db, ws: WorkspaceId, id: RequestId, now: Timestamp) -> Result<bool> {
    let done = crate::query(
        "UPDATE requests SET first_response_at = $3 \
         WHERE workspace_id = $1 AND id = $2 AND first_response_at IS NULL",
    )
    .bind(ws.to_string())
    .bind(id.to_string())
    .bind(now.as_millis())
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Resolves a request; false when it was resolved already.
pub async fn resolve(
    db: &mut Db,
    ws: WorkspaceId,
    id: RequestId,
    by: UserId,
    resolution: &str,
    now: Timestamp,
) -> Result<bool> {
    let done = crate::query(
        "UPDATE requests SET resolved_at = $3, resolved_by = $4, resolution = $5 \
         WHERE workspace_id = $1 AND id = $2 AND resolved_at IS NULL",
    )
    .bind(ws.to_string())
    .bind(id.to_string())
    .bind(now.as_millis())
    .bind(by.to_string())
    .bind(resolution)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks a request escalated; false when it was answered or escalated already.
pub async fn mark_escalated(db: &mut Db, ws: WorkspaceId, id: RequestId, now: Timestamp) -> Result<bool> {
    let done = crate::query(
        "UPDATE requests SET escalated_at = $3 \
         WHERE workspace_id = $1 AND id = $2 AND first_response_at IS NULL AND resolved_at IS NULL \
         AND escalated_at IS NULL",
    )
    .bind(ws.to_string())
    .bind(id.to_string())
    .bind(now.as_millis())
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Which requests a figure counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TotalsFilter {
    pub kind: Option<RequestKind>,
    /// Only those raised by people of this account role (`client_contact` for the
    /// response rate to clients).
    pub requester_role: Option<embark_core::Role>,
    pub owner: Option<UserId>,
}

/// The figures of the requests received in `[from, to)`.
pub async fn totals(db: &mut Db, ws: WorkspaceId, from: Timestamp, to: Timestamp, f: TotalsFilter) -> Result<Totals> {
    let mut sql = String::from(
        "SELECT CAST(COUNT(*) AS BIGINT), \
           CAST(COALESCE(SUM(CASE WHEN r.first_response_at IS NOT NULL AND r.first_response_at <= r.due_at THEN 1 ELSE 0 END), 0) AS BIGINT), \
           CAST(COALESCE(SUM(CASE WHEN r.first_response_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT), \
           CAST(COALESCE(SUM(CASE WHEN r.resolved_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT), \
           CAST(AVG(r.first_response_at - r.received_at) AS DOUBLE PRECISION), \
           CAST(AVG(r.resolved_at - r.received_at) AS DOUBLE PRECISION) \
         FROM requests r",
    );
    if f.requester_role.is_some() {
        sql.push_str(" JOIN users q ON q.id = r.requester_id");
    }
    sql.push_str(" WHERE r.workspace_id = $1 AND r.received_at >= $2 AND r.received_at < $3");
    let mut n = 3;
    let mut next = |sql: &mut String, clause: &str| {
        n += 1;
        sql.push_str(&clause.replace('?', &format!("${n}")));
    };
    if f.kind.is_some() {
        next(&mut sql, " AND r.kind = ?");
    }
    if f.requester_role.is_some() {
        next(&mut sql, " AND q.role = ?");
    }
    if f.owner.is_some() {
        next(&mut sql, " AND r.owner_id = ?");
    }
    let mut q = crate::query_as::<(i64, i64, i64, i64, Option<f64>, Option<f64>)>(&sql)
        .bind(ws.to_string())
        .bind(from.as_millis())
        .bind(to.as_millis());
    if let Some(k) = f.kind {
        q = q.bind(k.as_str());
    }
    if let Some(r) = f.requester_role {
        q = q.bind(r.as_str());
    }
    if let Some(o) = f.owner {
        q = q.bind(o.to_string());
    }
    let (received, answered_on_time, answered, resolved, first, resolution) = q.fetch_one(db).await?;
    Ok(Totals {
        received,
        answered_on_time,
        answered,
        resolved,
        mean_first_response_ms: first.map(|m| m.round() as i64),
        mean_resolution_ms: resolution.map(|m| m.round() as i64),
    })
}
