//! Scorecards: versions, their fields (each with its own version for live
//! co-writing), the two signatures and the lock, objections, and the questions log.
//!
//! A locked version never changes: every write below is guarded by `locked_at IS NULL`.
//! Writes that decide on the lock start by updating the scorecard row, so that on
//! PostgreSQL they queue on its row lock and on SQLite they hold the write lock
//! before reading anything.

use crate::Db;
use embark_core::kickoff::{QuestionSource, ScorecardState};
use embark_core::{EngagementId, ObjectionId, QuestionId, ScorecardId, Timestamp, UserId, WorkspaceId};

use crate::{flag, parse, parse_opt, Result};

/// A signature of the lock: who, when, on which content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    pub user_id: UserId,
    pub name: String,
    pub at: Timestamp,
    pub hash: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScorecardRow {
    pub id: ScorecardId,
    pub engagement_id: EngagementId,
    pub number: i64,
    /// Created by changing a locked version: a new search, with the cancellation fee.
    pub rescoping: bool,
    pub cancellation_fee: bool,
    pub state: ScorecardState,
    pub due_at: Option<Timestamp>,
    pub sent_at: Option<Timestamp>,
    pub due_agreed_at: Option<Timestamp>,
    pub returned_at: Option<Timestamp>,
    pub account_manager: Option<Signature>,
    pub client: Option<Signature>,
    pub locked_at: Option<Timestamp>,
    pub locked_text: Option<String>,
    pub content_hash: Option<String>,
    pub created_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct ScorecardRecord {
    id: String,
    engagement_id: String,
    number: i64,
    rescoping: i64,
    cancellation_fee: i64,
    state: String,
    due_at: Option<i64>,
    sent_at: Option<i64>,
    due_agreed_at: Option<i64>,
    returned_at: Option<i64>,
    am_signed_by: Option<String>,
    am_name: Option<String>,
    am_signed_at: Option<i64>,
    am_signed_hash: Option<String>,
    client_signed_by: Option<String>,
    client_name: Option<String>,
    client_signed_at: Option<i64>,
    client_signed_hash: Option<String>,
    locked_at: Option<i64>,
    locked_text: Option<String>,
    content_hash: Option<String>,
    created_at: i64,
}

fn signature(
    by: Option<String>,
    name: Option<String>,
    at: Option<i64>,
    hash: Option<String>,
) -> Result<Option<Signature>> {
    Ok(match (by, at, hash) {
        (Some(by), Some(at), Some(hash)) => Some(Signature {
            user_id: parse("user id", &by)?,
            name: name.unwrap_or_default(),
            at: Timestamp::from_millis(at),
            hash,
        }),
        _ => None,
    })
}

impl TryFrom<ScorecardRecord> for ScorecardRow {
    type Error = crate::StoreError;
    fn try_from(r: ScorecardRecord) -> Result<Self> {
        Ok(ScorecardRow {
            id: parse("scorecard id", &r.id)?,
            engagement_id: parse("engagement id", &r.engagement_id)?,
            number: r.number,
            rescoping: r.rescoping != 0,
            cancellation_fee: r.cancellation_fee != 0,
            state: parse("scorecard state", &r.state)?,
            due_at: r.due_at.map(Timestamp::from_millis),
            sent_at: r.sent_at.map(Timestamp::from_millis),
            due_agreed_at: r.due_agreed_at.map(Timestamp::from_millis),
            returned_at: r.returned_at.map(Timestamp::from_millis),
            account_manager: signature(r.am_signed_by, r.am_name, r.am_signed_at, r.am_signed_hash)?,
            client: signature(r.client_signed_by, r.client_name, r.client_signed_at, r.client_signed_hash)?,
            locked_at: r.locked_at.map(Timestamp::from_millis),
            locked_text: r.locked_text,
            content_hash: r.content_hash,
            created_at: Timestamp::from_millis(r.created_at),
        })
    }
}

const SELECT: &str = "SELECT s.id, s.engagement_id, s.number, CAST(s.rescoping AS BIGINT) AS rescoping, \
     CAST(s.cancellation_fee AS BIGINT) AS cancellation_fee, s.state, s.due_at, s.sent_at, s.due_agreed_at, s.returned_at, \
     s.am_signed_by, am.name AS am_name, s.am_signed_at, s.am_signed_hash, \
     s.client_signed_by, cl.name AS client_name, s.client_signed_at, s.client_signed_hash, \
     s.locked_at, s.locked_text, s.content_hash, s.created_at \
     FROM scorecards s LEFT JOIN users am ON am.id = s.am_signed_by LEFT JOIN users cl ON cl.id = s.client_signed_by";

/// A new version with its fields (field name, JSON value), each at version 1.
pub struct NewScorecard<'a> {
    pub workspace_id: WorkspaceId,
    pub engagement_id: EngagementId,
    pub number: i64,
    pub rescoping: bool,
    pub fields: &'a [(&'a str, String)],
    pub created_by: Option<UserId>,
}

/// Creates a version. Two creations of the same number: the second is a conflict on
/// `scorecards_number_key` (callers that only want "the first one" ignore it).
pub async fn create(conn: &mut Db, new: NewScorecard<'_>, now: Timestamp) -> Result<ScorecardId> {
    let id = ScorecardId::new();
    crate::query(
        "INSERT INTO scorecards (id, workspace_id, engagement_id, number, rescoping, cancellation_fee, state, created_by, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8, $8)",
    )
    .bind(id.to_string())
    .bind(new.workspace_id.to_string())
    .bind(new.engagement_id.to_string())
    .bind(new.number)
    .bind(flag(new.rescoping))
    .bind(ScorecardState::Draft.as_str())
    .bind(new.created_by.map(|u| u.to_string()))
    .bind(now.as_millis())
    .execute(&mut *conn)
    .await?;
    for (field, value) in new.fields {
        crate::query(
            "INSERT INTO scorecard_fields (scorecard_id, field, workspace_id, value, version, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, 1, $5, $6)",
        )
        .bind(id.to_string())
        .bind(*field)
        .bind(new.workspace_id.to_string())
        .bind(value)
        .bind(new.created_by.map(|u| u.to_string()))
        .bind(now.as_millis())
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}

/// The latest version of an engagement's scorecard.
pub async fn current(db: &mut Db, workspace: WorkspaceId, engagement: EngagementId) -> Result<Option<ScorecardRow>> {
    let sql = format!("{SELECT} WHERE s.workspace_id = $1 AND s.engagement_id = $2 ORDER BY s.number DESC LIMIT 1");
    let rec: Option<ScorecardRecord> =
        crate::query_as(&sql).bind(workspace.to_string()).bind(engagement.to_string()).fetch_optional(db).await?;
    rec.map(ScorecardRow::try_from).transpose()
}

/// Every version, oldest first.
pub async fn versions(db: &mut Db, workspace: WorkspaceId, engagement: EngagementId) -> Result<Vec<ScorecardRow>> {
    let sql = format!("{SELECT} WHERE s.workspace_id = $1 AND s.engagement_id = $2 ORDER BY s.number");
    let recs: Vec<ScorecardRecord> =
        crate::query_as(&sql).bind(workspace.to_string()).bind(engagement.to_string()).fetch_all(db).await?;
    recs.into_iter().map(ScorecardRow::try_from).collect()
}

/// The current value of each field: (field, JSON value, version).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldRow {
    pub field: String,
    pub value: String,
    pub version: i64,
    pub updated_by_name: Option<String>,
    pub updated_at: Timestamp,
}

pub async fn fields(db: &mut Db, workspace: WorkspaceId, scorecard: ScorecardId) -> Result<Vec<FieldRow>> {
    let rows: Vec<(String, String, i64, Option<String>, i64)> = crate::query_as(
        "SELECT f.field, f.value, f.version, u.name, f.updated_at FROM scorecard_fields f \
         LEFT JOIN users u ON u.id = f.updated_by WHERE f.workspace_id = $1 AND f.scorecard_id = $2 ORDER BY f.field",
    )
    .bind(workspace.to_string())
    .bind(scorecard.to_string())
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(field, value, version, updated_by_name, at)| FieldRow {
            field,
            value,
            version,
            updated_by_name,
            updated_at: Timestamp::from_millis(at),
        })
        .collect())
}

/// Takes the scorecard's row for a decision about the lock: returns `false` when it is
/// locked (or unknown). Run it first in the transaction.
pub async fn hold_unlocked(db: &mut Db, workspace: WorkspaceId, id: ScorecardId, now: Timestamp) -> Result<bool> {
    let n =
        crate::query("UPDATE scorecards SET updated_at = $3 WHERE workspace_id = $1 AND id = $2 AND locked_at IS NULL")
            .bind(workspace.to_string())
            .bind(id.to_string())
            .bind(now.as_millis())
            .execute(db)
            .await?
            .rows_affected();
    Ok(n == 1)
}

/// Writes a field if it is still at `based_on`: returns the new version, or `None` if
/// someone else wrote it first (a conflict for this writer) or the scorecard is locked.
#[allow(clippy::too_many_arguments)]
pub async fn write_field(
    db: &mut Db,
    workspace: WorkspaceId,
    id: ScorecardId,
    field: &str,
    value: &str,
    based_on: i64,
    by: UserId,
    now: Timestamp,
) -> Result<Option<i64>> {
    let n = crate::query(
        "UPDATE scorecard_fields SET value = $4, version = version + 1, updated_by = $5, updated_at = $6 \
         WHERE workspace_id = $1 AND scorecard_id = $2 AND field = $3 AND version = $7 \
         AND EXISTS (SELECT 1 FROM scorecards s WHERE s.id = $2 AND s.locked_at IS NULL)",
    )
    .bind(workspace.to_string())
    .bind(id.to_string())
    .bind(field)
    .bind(value)
    .bind(by.to_string())
    .bind(now.as_millis())
    .bind(based_on)
    .execute(db)
    .await?
    .rows_affected();
    Ok((n == 1).then_some(based_on + 1))
}

/// Moves the scorecard to `state` (never out of `locked`).
pub async fn set_state(
    db: &mut Db,
    workspace: WorkspaceId,
    id: ScorecardId,
    state: ScorecardState,
    now: Timestamp,
) -> Result<()> {
    crate::query(
        "UPDATE scorecards SET state = $3, updated_at = $4 WHERE workspace_id = $1 AND id = $2 AND locked_at IS NULL",
    )
    .bind(workspace.to_string())
    .bind(id.to_string())
    .bind(state.as_str())
    .bind(now.as_millis())
    .execute(db)
    .await?;
    Ok(())
}

/// Records that it was sent to the client, with the return deadline (a new send replaces
/// the deadline and asks for agreement again).
pub async fn mark_sent(
    db: &mut Db,
    workspace: WorkspaceId,
    id: ScorecardId,
    due_at: Timestamp,
    by: UserId,
    now: Timestamp,
) -> Result<bool> {
    let n = crate::query(
        "UPDATE scorecards SET state = 'sent', due_at = $3, sent_at = $4, sent_by = $5, due_agreed_at = NULL, \
         returned_at = NULL, returned_by = NULL, updated_at = $4 \
         WHERE workspace_id = $1 AND id = $2 AND locked_at IS NULL",
    )
    .bind(workspace.to_string())
    .bind(id.to_string())
    .bind(due_at.as_millis())
    .bind(now.as_millis())
    .bind(by.to_string())
    .execute(db)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// The client agrees to return it by its deadline. Returns false if already agreed or not sent.
pub async fn agree_due(db: &mut Db, workspace: WorkspaceId, id: ScorecardId, now: Timestamp) -> Result<bool> {
    let n = crate::query(
        "UPDATE scorecards SET due_agreed_at = $3, updated_at = $3 \
         WHERE workspace_id = $1 AND id = $2 AND sent_at IS NOT NULL AND due_agreed_at IS NULL AND locked_at IS NULL",
    )
    .bind(workspace.to_string())
    .bind(id.to_string())
    .bind(now.as_millis())
    .execute(db)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// The client returns it. Returns false if it was not sent or already returned.
pub async fn mark_returned(
    db: &mut Db,
    workspace: WorkspaceId,
    id: ScorecardId,
    by: UserId,
    now: Timestamp,
) -> Result<bool> {
    let n = crate::query(
        "UPDATE scorecards SET state = 'returned', returned_at = $3, returned_by = $4, updated_at = $3 \
         WHERE workspace_id = $1 AND id = $2 AND state = 'sent' AND locked_at IS NULL",
    )
    .bind(workspace.to_string())
    .bind(id.to_string())
    .bind(now.as_millis())
    .bind(by.to_string())
    .execute(db)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Which side signs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    AccountManager,
    Client,
}

/// Records a signature on content of hash `hash`.
pub async fn sign(
    db: &mut Db,
    workspace: WorkspaceId,
    id: ScorecardId,
    side: Side,
    by: UserId,
    hash: &str,
    now: Timestamp,
) -> Result<()> {
    let sql = match side {
        Side::AccountManager => {
            "UPDATE scorecards SET am_signed_by = $3, am_signed_at = $4, am_signed_hash = $5, updated_at = $4 \
             WHERE workspace_id = $1 AND id = $2 AND locked_at IS NULL"
        }
        Side::Client => {
            "UPDATE scorecards SET client_signed_by = $3, client_signed_at = $4, client_signed_hash = $5, updated_at = $4 \
             WHERE workspace_id = $1 AND id = $2 AND locked_at IS NULL"
        }
    };
    crate::query(sql)
        .bind(workspace.to_string())
        .bind(id.to_string())
        .bind(by.to_string())
        .bind(now.as_millis())
        .bind(hash)
        .execute(db)
        .await?;
    Ok(())
}

/// Voids both signatures: the content changed since they were given.
pub async fn clear_signatures(db: &mut Db, workspace: WorkspaceId, id: ScorecardId) -> Result<()> {
    crate::query(
        "UPDATE scorecards SET am_signed_by = NULL, am_signed_at = NULL, am_signed_hash = NULL, client_signed_by = NULL, \
         client_signed_at = NULL, client_signed_hash = NULL WHERE workspace_id = $1 AND id = $2 AND locked_at IS NULL",
    )
    .bind(workspace.to_string())
    .bind(id.to_string())
    .execute(db)
    .await?;
    Ok(())
}

/// Locks the version if both signatures are on `hash`, keeping its canonical text.
/// Returns false if it is already locked or the signatures differ.
pub async fn lock(
    db: &mut Db,
    workspace: WorkspaceId,
    id: ScorecardId,
    text: &str,
    hash: &str,
    now: Timestamp,
) -> Result<bool> {
    let n = crate::query(
        "UPDATE scorecards SET state = 'locked', locked_at = $3, locked_text = $4, content_hash = $5, updated_at = $3 \
         WHERE workspace_id = $1 AND id = $2 AND locked_at IS NULL AND am_signed_hash = $5 AND client_signed_hash = $5",
    )
    .bind(workspace.to_string())
    .bind(id.to_string())
    .bind(now.as_millis())
    .bind(text)
    .bind(hash)
    .execute(db)
    .await?
    .rows_affected();
    Ok(n == 1)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Objection {
    pub id: ObjectionId,
    pub field: String,
    pub body: String,
    pub raised_by_name: Option<String>,
    pub raised_at: Timestamp,
    pub resolved_by_name: Option<String>,
    pub resolved_at: Option<Timestamp>,
}

pub async fn raise_objection(
    db: &mut Db,
    workspace: WorkspaceId,
    scorecard: ScorecardId,
    field: &str,
    body: &str,
    by: UserId,
    now: Timestamp,
) -> Result<ObjectionId> {
    let id = ObjectionId::new();
    crate::query(
        "INSERT INTO scorecard_objections (id, workspace_id, scorecard_id, field, body, raised_by, raised_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id.to_string())
    .bind(workspace.to_string())
    .bind(scorecard.to_string())
    .bind(field)
    .bind(body)
    .bind(by.to_string())
    .bind(now.as_millis())
    .execute(db)
    .await?;
    Ok(id)
}

/// Marks an objection resolved. Returns false if unknown here or already resolved.
pub async fn resolve_objection(
    db: &mut Db,
    workspace: WorkspaceId,
    scorecard: ScorecardId,
    id: ObjectionId,
    by: UserId,
    now: Timestamp,
) -> Result<bool> {
    let n = crate::query(
        "UPDATE scorecard_objections SET resolved_by = $4, resolved_at = $5 \
         WHERE workspace_id = $1 AND scorecard_id = $2 AND id = $3 AND resolved_at IS NULL",
    )
    .bind(workspace.to_string())
    .bind(scorecard.to_string())
    .bind(id.to_string())
    .bind(by.to_string())
    .bind(now.as_millis())
    .execute(db)
    .await?
    .rows_affected();
    Ok(n == 1)
}

pub async fn objections(db: &mut Db, workspace: WorkspaceId, scorecard: ScorecardId) -> Result<Vec<Objection>> {
    type Rec = (String, String, String, Option<String>, i64, Option<String>, Option<i64>);
    let rows: Vec<Rec> = crate::query_as(
        "SELECT o.id, o.field, o.body, r.name, o.raised_at, v.name, o.resolved_at FROM scorecard_objections o \
         LEFT JOIN users r ON r.id = o.raised_by LEFT JOIN users v ON v.id = o.resolved_by \
         WHERE o.workspace_id = $1 AND o.scorecard_id = $2 ORDER BY o.raised_at, o.id",
    )
    .bind(workspace.to_string())
    .bind(scorecard.to_string())
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|(id, field, body, raised_by_name, raised_at, resolved_by_name, resolved_at)| {
            Ok(Objection {
                id: parse("objection id", &id)?,
                field,
                body,
                raised_by_name,
                raised_at: Timestamp::from_millis(raised_at),
                resolved_by_name,
                resolved_at: resolved_at.map(Timestamp::from_millis),
            })
        })
        .collect()
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    pub id: QuestionId,
    pub source: QuestionSource,
    pub body: String,
    pub field: String,
    pub answer: String,
    pub guess: bool,
    pub open: bool,
    pub asked_by_name: Option<String>,
    pub asked_at: Timestamp,
    pub answered_by: Option<UserId>,
    pub answered_at: Option<Timestamp>,
}

pub async fn ask(
    db: &mut Db,
    workspace: WorkspaceId,
    engagement: EngagementId,
    source: QuestionSource,
    body: &str,
    by: UserId,
    now: Timestamp,
) -> Result<QuestionId> {
    let id = QuestionId::new();
    crate::query(
        "INSERT INTO questions (id, workspace_id, engagement_id, source, body, field, answer, guess, open, asked_by, asked_at) \
         VALUES ($1, $2, $3, $4, $5, '', '', 0, 1, $6, $7)",
    )
    .bind(id.to_string())
    .bind(workspace.to_string())
    .bind(engagement.to_string())
    .bind(source.as_str())
    .bind(body)
    .bind(by.to_string())
    .bind(now.as_millis())
    .execute(db)
    .await?;
    Ok(id)
}

/// Records an answer; `open` stays true for a guess. Returns false for a question not of this engagement.
#[allow(clippy::too_many_arguments)]
pub async fn answer(
    db: &mut Db,
    workspace: WorkspaceId,
    engagement: EngagementId,
    id: QuestionId,
    field: &str,
    answer: &str,
    guess: bool,
    by: UserId,
    now: Timestamp,
) -> Result<bool> {
    let n = crate::query(
        "UPDATE questions SET field = $4, answer = $5, guess = $6, open = $7, answered_by = $8, answered_at = $9 \
         WHERE workspace_id = $1 AND engagement_id = $2 AND id = $3",
    )
    .bind(workspace.to_string())
    .bind(engagement.to_string())
    .bind(id.to_string())
    .bind(field)
    .bind(answer)
    .bind(flag(guess))
    .bind(flag(guess || answer.trim().is_empty()))
    .bind(by.to_string())
    .bind(now.as_millis())
    .execute(db)
    .await?
    .rows_affected();
    Ok(n == 1)
}

pub async fn questions(db: &mut Db, workspace: WorkspaceId, engagement: EngagementId) -> Result<Vec<Question>> {
    #[derive(sqlx::FromRow)]
    struct Rec {
        id: String,
        source: String,
        body: String,
        field: String,
        answer: String,
        guess: i64,
        open: i64,
        asked_by_name: Option<String>,
        asked_at: i64,
        answered_by: Option<String>,
        answered_at: Option<i64>,
    }
    let recs: Vec<Rec> = crate::query_as(
        "SELECT q.id, q.source, q.body, q.field, q.answer, CAST(q.guess AS BIGINT) AS guess, \
         CAST(q.open AS BIGINT) AS open, u.name AS asked_by_name, q.asked_at, q.answered_by, q.answered_at \
         FROM questions q LEFT JOIN users u ON u.id = q.asked_by \
         WHERE q.workspace_id = $1 AND q.engagement_id = $2 ORDER BY q.asked_at, q.id",
    )
    .bind(workspace.to_string())
    .bind(engagement.to_string())
    .fetch_all(db)
    .await?;
    recs.into_iter()
        .map(|r| {
            Ok(Question {
                id: parse("question id", &r.id)?,
                source: parse("question source", &r.source)?,
                body: r.body,
                field: r.field,
                answer: r.answer,
                guess: r.guess != 0,
                open: r.open != 0,
                asked_by_name: r.asked_by_name,
                asked_at: Timestamp::from_millis(r.asked_at),
                answered_by: parse_opt("user id", r.answered_by.as_deref())?,
                answered_at: r.answered_at.map(Timestamp::from_millis),
            })
        })
        .collect()
}

/// Open questions of an engagement: the clarity criterion.
pub async fn open_questions(db: &mut Db, workspace: WorkspaceId, engagement: EngagementId) -> Result<i64> {
    Ok(crate::query_scalar(
        "SELECT COUNT(*) FROM questions WHERE workspace_id = $1 AND engagement_id = $2 AND open = 1",
    )
    .bind(workspace.to_string())
    .bind(engagement.to_string())
    .fetch_one(db)
    .await?)
}
