//! Requests and complaints, their threads, and the figures that measure how they are
//! answered (counted by the database over an indexed period, never row by row).

use embark_core::requests::{Category, Channel, RequestKind, Totals};
use embark_core::{EngagementId, RequestId, RequestMessageId, Timestamp, UserId, WorkspaceId};

use embark_core::surveys::month_of;

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

impl TryFrom<RequestRecord> for RequestRow {
    type Error = crate::StoreError;
    fn try_from(r: RequestRecord) -> Result<Self> {
        Ok(RequestRow {
            id: parse("request id", &r.id)?,
            kind: parse("request kind", &r.kind)?,
            category: parse("request category", &r.category)?,
            channel: parse("request channel", &r.channel)?,
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
    // The requester's role as she is now: the figures keep it.
    let role: String = crate::query_scalar(
        "INSERT INTO requests (id, workspace_id, kind, category, channel, requester_id, logged_by, engagement_id, \
           owner_id, subject, body, received_at, due_at, requester_role) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, (SELECT u.role FROM users u WHERE u.id = $6)) \
         RETURNING requester_role",
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
    .fetch_one(db)
    .await?;
    let bucket = Bucket {
        workspace_id: new.workspace_id.to_string(),
        received_at: new.received_at.as_millis(),
        kind: new.kind.as_str().to_owned(),
        requester_role: role,
        owner_id: new.owner_id.to_string(),
    };
    tally(db, &bucket, Tally { received: 1, ..Tally::default() }).await?;
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

/// Where a page of a list starts: after this request (its reception, its id), newest first.
pub type Cursor = (Timestamp, RequestId);

/// Requests newest first, at most `limit`, after `after` when given; `open_only`
/// leaves out the resolved ones.
pub async fn list(
    db: &mut Db,
    ws: WorkspaceId,
    scope: Scope,
    open_only: bool,
    after: Option<Cursor>,
    limit: i64,
) -> Result<Vec<RequestRow>> {
    let mut sql = format!("{SELECT} WHERE r.workspace_id = $1");
    // Each `?` of a clause becomes the next numbered parameter ($1 and $2 are taken).
    let mut n = 2;
    let mut param = |sql: &mut String, clause: &str| {
        for (i, part) in clause.split('?').enumerate() {
            if i > 0 {
                n += 1;
                sql.push_str(&format!("${n}"));
            }
            sql.push_str(part);
        }
    };
    let who = match scope {
        Scope::RaisedBy(u) => {
            param(&mut sql, " AND r.requester_id = ?");
            Some(u)
        }
        Scope::OwnedBy(u) => {
            param(&mut sql, " AND r.owner_id = ?");
            Some(u)
        }
        Scope::All => None,
    };
    if open_only {
        sql.push_str(" AND r.resolved_at IS NULL");
    }
    if after.is_some() {
        param(&mut sql, " AND (r.received_at < ? OR (r.received_at = ? AND r.id < ?))");
    }
    sql.push_str(" ORDER BY r.received_at DESC, r.id DESC LIMIT $2");
    let mut q = crate::query_as::<RequestRecord>(&sql).bind(ws.to_string()).bind(limit);
    if let Some(u) = who {
        q = q.bind(u.to_string());
    }
    if let Some((at, id)) = after {
        q = q.bind(at.as_millis()).bind(at.as_millis()).bind(id.to_string());
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

/// What identifies a request's row of `request_months`, as `RETURNING` gives it.
#[derive(sqlx::FromRow)]
struct Bucket {
    workspace_id: String,
    received_at: i64,
    kind: String,
    requester_role: String,
    owner_id: String,
}

/// What an event adds to its month's figures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Tally {
    received: i64,
    answered: i64,
    answered_on_time: i64,
    resolved: i64,
    first_response_ms: i64,
    resolution_ms: i64,
}

const BUCKET: &str = "workspace_id, received_at, kind, requester_role, owner_id";

/// Adds an event to the figures of its request's month, in the event's transaction.
async fn tally(db: &mut Db, b: &Bucket, t: Tally) -> Result<()> {
    crate::query(
        "INSERT INTO request_months (workspace_id, month, kind, requester_role, owner_id, received, answered, \
           answered_on_time, resolved, first_response_ms, resolution_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         ON CONFLICT (workspace_id, month, kind, requester_role, owner_id) DO UPDATE SET \
           received = request_months.received + excluded.received, \
           answered = request_months.answered + excluded.answered, \
           answered_on_time = request_months.answered_on_time + excluded.answered_on_time, \
           resolved = request_months.resolved + excluded.resolved, \
           first_response_ms = request_months.first_response_ms + excluded.first_response_ms, \
           resolution_ms = request_months.resolution_ms + excluded.resolution_ms",
    )
    .bind(&b.workspace_id)
    .bind(month_of(Timestamp::from_millis(b.received_at)))
    .bind(&b.kind)
    .bind(&b.requester_role)
    .bind(&b.owner_id)
    .bind(t.received)
    .bind(t.answered)
    .bind(t.answered_on_time)
    .bind(t.resolved)
    .bind(t.first_response_ms)
    .bind(t.resolution_ms)
    .execute(db)
    .await?;
    Ok(())
}

/// Records the first response; false when there was one already (a later reply
/// changes nothing to the measure).
pub async fn mark_first_response(db: &mut Db, ws: WorkspaceId, id: RequestId, now: Timestamp) -> Result<bool> {
    let sql = format!(
        "UPDATE requests SET first_response_at = $3 \
         WHERE workspace_id = $1 AND id = $2 AND first_response_at IS NULL RETURNING {BUCKET}, due_at"
    );
    let row: Option<BucketDue> = crate::query_as(&sql)
        .bind(ws.to_string())
        .bind(id.to_string())
        .bind(now.as_millis())
        .fetch_optional(db)
        .await?;
    let Some(row) = row else { return Ok(false) };
    let on_time = i64::from(now.as_millis() <= row.due_at);
    let t = Tally {
        answered: 1,
        answered_on_time: on_time,
        first_response_ms: now.as_millis() - row.bucket.received_at,
        ..Tally::default()
    };
    tally(db, &row.bucket, t).await?;
    Ok(true)
}

#[derive(sqlx::FromRow)]
struct BucketDue {
    #[sqlx(flatten)]
    bucket: Bucket,
    due_at: i64,
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
    let sql = format!(
        "UPDATE requests SET resolved_at = $3, resolved_by = $4, resolution = $5 \
         WHERE workspace_id = $1 AND id = $2 AND resolved_at IS NULL RETURNING {BUCKET}"
    );
    let row: Option<Bucket> = crate::query_as(&sql)
        .bind(ws.to_string())
        .bind(id.to_string())
        .bind(now.as_millis())
        .bind(by.to_string())
        .bind(resolution)
        .fetch_optional(db)
        .await?;
    let Some(bucket) = row else { return Ok(false) };
    let t = Tally { resolved: 1, resolution_ms: now.as_millis() - bucket.received_at, ..Tally::default() };
    tally(db, &bucket, t).await?;
    Ok(true)
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

/// The figures of the requests received from the first day of `from_month` to the
/// last of `to_month` (`YYYY-MM`, UTC, inclusive), read from the monthly figures.
pub async fn totals(db: &mut Db, ws: WorkspaceId, from_month: &str, to_month: &str, f: TotalsFilter) -> Result<Totals> {
    let mut sql = String::from(
        "SELECT CAST(COALESCE(SUM(received), 0) AS BIGINT), CAST(COALESCE(SUM(answered_on_time), 0) AS BIGINT), \
           CAST(COALESCE(SUM(answered), 0) AS BIGINT), CAST(COALESCE(SUM(resolved), 0) AS BIGINT), \
           CAST(COALESCE(SUM(first_response_ms), 0) AS BIGINT), CAST(COALESCE(SUM(resolution_ms), 0) AS BIGINT) \
         FROM request_months WHERE workspace_id = $1 AND month >= $2 AND month <= $3",
    );
    let mut n = 3;
    let mut next = |sql: &mut String, clause: &str| {
        n += 1;
        sql.push_str(&clause.replace('?', &format!("${n}")));
    };
    if f.kind.is_some() {
        next(&mut sql, " AND kind = ?");
    }
    if f.requester_role.is_some() {
        next(&mut sql, " AND requester_role = ?");
    }
    if f.owner.is_some() {
        next(&mut sql, " AND owner_id = ?");
    }
    let mut q =
        crate::query_as::<(i64, i64, i64, i64, i64, i64)>(&sql).bind(ws.to_string()).bind(from_month).bind(to_month);
    if let Some(k) = f.kind {
        q = q.bind(k.as_str());
    }
    if let Some(r) = f.requester_role {
        q = q.bind(r.as_str());
    }
    if let Some(o) = f.owner {
        q = q.bind(o.to_string());
    }
    let (received, answered_on_time, answered, resolved, first_ms, resolution_ms) = q.fetch_one(db).await?;
    Ok(Totals {
        received,
        answered_on_time,
        answered,
        resolved,
        mean_first_response_ms: mean(first_ms, answered),
        mean_resolution_ms: mean(resolution_ms, resolved),
    })
}

/// A sum of milliseconds over `n`, rounded to the nearest; none over nothing.
fn mean(sum: i64, n: i64) -> Option<i64> {
    (n > 0).then(|| (sum as f64 / n as f64).round() as i64)
}

/// Rebuilds the monthly figures from the requests when they do not count the same
/// requests (a database from before the figures were kept): at start-up, in one
/// transaction. Returns whether it rebuilt them.
pub async fn rebuild_months_if_stale(db: &mut Db) -> Result<bool> {
    let (requests, counted): (i64, i64) = crate::query_as(
        "SELECT CAST((SELECT COUNT(*) FROM requests) AS BIGINT), \
           CAST((SELECT COALESCE(SUM(received), 0) FROM request_months) AS BIGINT)",
    )
    .fetch_one(db)
    .await?;
    if requests == counted {
        return Ok(false);
    }
    type Rec = (String, i64, String, String, String, i64, Option<i64>, Option<i64>);
    let rows: Vec<Rec> = crate::query_as(
        "SELECT workspace_id, received_at, kind, COALESCE(requester_role, ''), owner_id, due_at, first_response_at, \
           resolved_at FROM requests",
    )
    .fetch_all(db)
    .await?;
    crate::query("DELETE FROM request_months").execute(db).await?;
    for (workspace_id, received_at, kind, requester_role, owner_id, due_at, first, resolved) in rows {
        let t = Tally {
            received: 1,
            answered: i64::from(first.is_some()),
            answered_on_time: i64::from(first.is_some_and(|f| f <= due_at)),
            resolved: i64::from(resolved.is_some()),
            first_response_ms: first.map_or(0, |f| f - received_at),
            resolution_ms: resolved.map_or(0, |r| r - received_at),
        };
        let b = Bucket { workspace_id, received_at, kind, requester_role, owner_id };
        tally(db, &b, t).await?;
    }
    Ok(true)
}
