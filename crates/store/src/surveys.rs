//! Surveys, what was sent to whom, the answers, and the per-month counts that
//! results are read from (never every answer).
//!
//! Anonymity is kept here: an anonymous answer is stored without user or
//! engagement, with a random id and its day only, and a send records *that* its
//! person answered, never when or what.

use embark_core::surveys::{anonymous_day, month_of, SurveyKind, Template};
use embark_core::{
    EngagementId, SurveyAnswerId, SurveyFollowUpId, SurveyId, SurveySendId, Timestamp, UserId, WorkspaceId,
};

use crate::{flag, parse, Db, Result};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SurveyRow {
    pub id: SurveyId,
    pub key: String,
    pub kind: SurveyKind,
    /// The playbook role of the people who answer it.
    pub audience: String,
    pub anonymous: bool,
    pub title_en: String,
    pub title_fr: String,
    pub question_en: String,
    pub question_fr: String,
}

#[derive(sqlx::FromRow)]
struct SurveyRecord {
    id: String,
    key: String,
    kind: String,
    audience: String,
    anonymous: i16,
    title_en: String,
    title_fr: String,
    question_en: String,
    question_fr: String,
}

const SURVEY_COLUMNS: &str = "id, key, kind, audience, anonymous, title_en, title_fr, question_en, question_fr";

impl TryFrom<SurveyRecord> for SurveyRow {
    type Error = crate::StoreError;
    fn try_from(r: SurveyRecord) -> Result<Self> {
        Ok(SurveyRow {
            id: parse("survey id", &r.id)?,
            kind: parse("survey kind", &r.kind)?,
            key: r.key,
            audience: r.audience,
            anonymous: r.anonymous != 0,
            title_en: r.title_en,
            title_fr: r.title_fr,
            question_en: r.question_en,
            question_fr: r.question_fr,
        })
    }
}

/// Installs a built-in survey in a workspace, once; returns it either way.
pub async fn install(db: &mut Db, ws: WorkspaceId, t: &Template, now: Timestamp) -> Result<SurveyRow> {
    crate::query(
        "INSERT INTO surveys (id, workspace_id, key, kind, audience, anonymous, title_en, title_fr, question_en, question_fr, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (workspace_id, key) DO NOTHING",
    )
    .bind(SurveyId::new().to_string())
    .bind(ws.to_string())
    .bind(t.key)
    .bind(t.kind.as_str())
    .bind(t.audience)
    .bind(flag(t.anonymous))
    .bind(t.title.0)
    .bind(t.title.1)
    .bind(t.question.0)
    .bind(t.question.1)
    .bind(now.as_millis())
    .execute(db)
    .await?;
    by_key(db, ws, t.key).await?.ok_or_else(|| crate::StoreError::corrupt("survey", t.key))
}

pub async fn by_key(db: &mut Db, ws: WorkspaceId, key: &str) -> Result<Option<SurveyRow>> {
    let sql = format!("SELECT {SURVEY_COLUMNS} FROM surveys WHERE workspace_id = $1 AND key = $2");
    let rec: Option<SurveyRecord> = crate::query_as(&sql).bind(ws.to_string()).bind(key).fetch_optional(db).await?;
    rec.map(SurveyRow::try_from).transpose()
}

/// A survey of the workspace; `None` when the id belongs to another workspace.
pub async fn get(db: &mut Db, ws: WorkspaceId, id: SurveyId) -> Result<Option<SurveyRow>> {
    let sql = format!("SELECT {SURVEY_COLUMNS} FROM surveys WHERE workspace_id = $1 AND id = $2");
    let rec: Option<SurveyRecord> =
        crate::query_as(&sql).bind(ws.to_string()).bind(id.to_string()).fetch_optional(db).await?;
    rec.map(SurveyRow::try_from).transpose()
}

/// The workspace's surveys, by key.
pub async fn list(db: &mut Db, ws: WorkspaceId) -> Result<Vec<SurveyRow>> {
    let sql = format!("SELECT {SURVEY_COLUMNS} FROM surveys WHERE workspace_id = $1 ORDER BY key LIMIT 200");
    let recs: Vec<SurveyRecord> = crate::query_as(&sql).bind(ws.to_string()).fetch_all(db).await?;
    recs.into_iter().map(SurveyRow::try_from).collect()
}

pub struct NewSend<'a> {
    pub workspace_id: WorkspaceId,
    pub survey_id: SurveyId,
    pub user_id: UserId,
    pub engagement_id: EngagementId,
    pub item_key: &'a str,
    pub token_hash: &'a str,
    pub expires_at: Timestamp,
}

/// Records a send going out at `sent_at` (now, or later when the person had a survey
/// less than a week ago); `None` when this person already got this survey for this step.
pub async fn create_send(db: &mut Db, new: NewSend<'_>, sent_at: Timestamp) -> Result<Option<SurveySendId>> {
    let id = SurveySendId::new();
    let done = crate::query(
        "INSERT INTO survey_sends (id, workspace_id, survey_id, user_id, engagement_id, item_key, token_hash, sent_at, expires_at, answered) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0) \
         ON CONFLICT (survey_id, user_id, engagement_id, item_key) DO NOTHING",
    )
    .bind(id.to_string())
    .bind(new.workspace_id.to_string())
    .bind(new.survey_id.to_string())
    .bind(new.user_id.to_string())
    .bind(new.engagement_id.to_string())
    .bind(new.item_key)
    .bind(new.token_hash)
    .bind(sent_at.as_millis())
    .bind(new.expires_at.as_millis())
    .execute(db)
    .await?;
    Ok((done.rows_affected() == 1).then_some(id))
}

/// Gives a send a new link (its hash), while it is unanswered and open; false otherwise.
pub async fn set_token(db: &mut Db, id: SurveySendId, token_hash: &str, now: Timestamp) -> Result<bool> {
    let done =
        crate::query("UPDATE survey_sends SET token_hash = $2 WHERE id = $1 AND answered = 0 AND expires_at > $3")
            .bind(id.to_string())
            .bind(token_hash)
            .bind(now.as_millis())
            .execute(db)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// A send, as its link opens it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SendRow {
    pub id: SurveySendId,
    pub workspace_id: WorkspaceId,
    pub survey_id: SurveyId,
    pub user_id: UserId,
    pub engagement_id: EngagementId,
    pub item_key: String,
    pub sent_at: Timestamp,
    pub expires_at: Timestamp,
    pub answered: bool,
}

#[derive(sqlx::FromRow)]
struct SendRecord {
    id: String,
    workspace_id: String,
    survey_id: String,
    user_id: String,
    engagement_id: String,
    item_key: String,
    sent_at: i64,
    expires_at: i64,
    answered: i16,
}

impl TryFrom<SendRecord> for SendRow {
    type Error = crate::StoreError;
    fn try_from(r: SendRecord) -> Result<Self> {
        Ok(SendRow {
            id: parse("survey send id", &r.id)?,
            workspace_id: parse("workspace id", &r.workspace_id)?,
            survey_id: parse("survey id", &r.survey_id)?,
            user_id: parse("user id", &r.user_id)?,
            engagement_id: parse("engagement id", &r.engagement_id)?,
            item_key: r.item_key,
            sent_at: Timestamp::from_millis(r.sent_at),
            expires_at: Timestamp::from_millis(r.expires_at),
            answered: r.answered != 0,
        })
    }
}

const SEND_COLUMNS: &str =
    "id, workspace_id, survey_id, user_id, engagement_id, item_key, sent_at, expires_at, answered";

/// The send whose link has this hash, expired or answered or not (the caller says which).
pub async fn send_by_token(db: &mut Db, token_hash: &str) -> Result<Option<SendRow>> {
    let sql = format!("SELECT {SEND_COLUMNS} FROM survey_sends WHERE token_hash = $1");
    let rec: Option<SendRecord> = crate::query_as(&sql).bind(token_hash).fetch_optional(db).await?;
    rec.map(SendRow::try_from).transpose()
}

/// A send of the workspace by id.
pub async fn send_by_id(db: &mut Db, ws: WorkspaceId, id: SurveySendId) -> Result<Option<SendRow>> {
    let sql = format!("SELECT {SEND_COLUMNS} FROM survey_sends WHERE workspace_id = $1 AND id = $2");
    let rec: Option<SendRecord> =
        crate::query_as(&sql).bind(ws.to_string()).bind(id.to_string()).fetch_optional(db).await?;
    rec.map(SendRow::try_from).transpose()
}

/// The surveys sent to a person and not answered yet, sent by `now` and still open,
/// newest first.
pub async fn open_sends_of(db: &mut Db, ws: WorkspaceId, user: UserId, now: Timestamp) -> Result<Vec<SendRow>> {
    let sql = format!(
        "SELECT {SEND_COLUMNS} FROM survey_sends WHERE workspace_id = $1 AND user_id = $2 AND answered = 0 \
         AND expires_at > $3 AND sent_at <= $3 ORDER BY sent_at DESC LIMIT 20"
    );
    let recs: Vec<SendRecord> =
        crate::query_as(&sql).bind(ws.to_string()).bind(user.to_string()).bind(now.as_millis()).fetch_all(db).await?;
    recs.into_iter().map(SendRow::try_from).collect()
}

/// When the person's latest survey of the workspace went, or is to go (a send may wait).
pub async fn last_sent_to(db: &mut Db, ws: WorkspaceId, user: UserId) -> Result<Option<Timestamp>> {
    let last: Option<i64> =
        crate::query_scalar("SELECT MAX(sent_at) FROM survey_sends WHERE workspace_id = $1 AND user_id = $2")
            .bind(ws.to_string())
            .bind(user.to_string())
            .fetch_one(db)
            .await?;
    Ok(last.map(Timestamp::from_millis))
}

/// Marks a send answered. Only the first caller gets true: a second submission of the
/// same link, even concurrent, records nothing.
pub async fn mark_answered(db: &mut Db, id: SurveySendId) -> Result<bool> {
    let done = crate::query("UPDATE survey_sends SET answered = 1 WHERE id = $1 AND answered = 0")
        .bind(id.to_string())
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub struct NewAnswer<'a> {
    pub workspace_id: WorkspaceId,
    pub survey_id: SurveyId,
    /// Who answered and about what; both ignored when `anonymous`.
    pub user_id: Option<UserId>,
    pub engagement_id: Option<EngagementId>,
    pub anonymous: bool,
    /// A group the answer counts in (a cohort's start month…), never a person; "" for none.
    pub segment: &'a str,
    pub score: u8,
    pub comment: Option<&'a str>,
    pub answered_at: Timestamp,
    /// `web` or `import`.
    pub source: &'a str,
}

/// Stores an answer and counts it in its month, in the caller's transaction.
pub async fn insert_answer(db: &mut Db, new: NewAnswer<'_>) -> Result<SurveyAnswerId> {
    let (ws, survey, segment, score) = (new.workspace_id, new.survey_id, new.segment, new.score);
    let at = if new.anonymous { anonymous_day(new.answered_at) } else { new.answered_at };
    let id = insert_uncounted(db, new).await?;
    add_count(db, ws, survey, &month_of(at), segment, score, 1).await?;
    Ok(id)
}

/// Adds `n` answers of `score` to a month's count (an import adds each group once).
pub async fn add_count(
    db: &mut Db,
    ws: WorkspaceId,
    survey: SurveyId,
    month: &str,
    segment: &str,
    score: u8,
    n: i64,
) -> Result<()> {
    crate::query(
        "INSERT INTO survey_counts (workspace_id, survey_id, month, segment, score, answers) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (survey_id, month, segment, score) DO UPDATE SET answers = survey_counts.answers + $6",
    )
    .bind(ws.to_string())
    .bind(survey.to_string())
    .bind(month)
    .bind(segment)
    .bind(i16::from(score))
    .bind(n)
    .execute(db)
    .await?;
    Ok(())
}

/// Stores an answer without counting it: the caller counts ([`add_count`]) in the
/// same transaction.
pub async fn insert_uncounted(db: &mut Db, new: NewAnswer<'_>) -> Result<SurveyAnswerId> {
    let (id, user, engagement, at) = if new.anonymous {
        (SurveyAnswerId::random(), None, None, anonymous_day(new.answered_at))
    } else {
        (SurveyAnswerId::new(), new.user_id, new.engagement_id, new.answered_at)
    };
    crate::query(
        "INSERT INTO survey_answers (id, workspace_id, survey_id, user_id, engagement_id, segment, score, comment, answered_at, source) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(id.to_string())
    .bind(new.workspace_id.to_string())
    .bind(new.survey_id.to_string())
    .bind(user.map(|u| u.to_string()))
    .bind(engagement.map(|e| e.to_string()))
    .bind(new.segment)
    .bind(i16::from(new.score))
    .bind(new.comment)
    .bind(at.as_millis())
    .bind(new.source)
    .execute(db)
    .await?;
    Ok(id)
}

/// How many answered each score in each month (`YYYY-MM`, UTC), all segments together,
/// from `from_month` to `to_month` included; months in order.
pub async fn monthly_counts(
    db: &mut Db,
    ws: WorkspaceId,
    survey: SurveyId,
    from_month: &str,
    to_month: &str,
    segment: Option<&str>,
) -> Result<Vec<(String, u8, i64)>> {
    const ALL: &str = "SELECT month, score, CAST(SUM(answers) AS BIGINT) FROM survey_counts \
         WHERE workspace_id = $1 AND survey_id = $2 AND month >= $3 AND month <= $4 \
         GROUP BY month, score ORDER BY month, score";
    const ONE: &str = "SELECT month, score, CAST(SUM(answers) AS BIGINT) FROM survey_counts \
         WHERE workspace_id = $1 AND survey_id = $2 AND month >= $3 AND month <= $4 AND segment = $5 \
         GROUP BY month, score ORDER BY month, score";
    let q = crate::query_as(if segment.is_some() { ONE } else { ALL })
        .bind(ws.to_string())
        .bind(survey.to_string())
        .bind(from_month)
        .bind(to_month);
    let q = match segment {
        Some(s) => q.bind(s),
        None => q,
    };
    let rows: Vec<(String, i16, i64)> = q.fetch_all(db).await?;
    rows.into_iter()
        .map(|(m, s, n)| Ok((m, u8::try_from(s).map_err(|_| crate::StoreError::corrupt("survey score", s))?, n)))
        .collect()
}

/// The segments answered in a period, with how many answers each ("" is no segment).
pub async fn segments(
    db: &mut Db,
    ws: WorkspaceId,
    survey: SurveyId,
    from_month: &str,
    to_month: &str,
) -> Result<Vec<(String, i64)>> {
    Ok(crate::query_as(
        "SELECT segment, CAST(SUM(answers) AS BIGINT) FROM survey_counts \
         WHERE workspace_id = $1 AND survey_id = $2 AND month >= $3 AND month <= $4 \
         GROUP BY segment ORDER BY segment LIMIT 200",
    )
    .bind(ws.to_string())
    .bind(survey.to_string())
    .bind(from_month)
    .bind(to_month)
    .fetch_all(db)
    .await?)
}

/// How many were sent and how many answered, for the response rate.
pub async fn send_totals(db: &mut Db, ws: WorkspaceId, survey: SurveyId) -> Result<(i64, i64)> {
    Ok(crate::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(answered), 0) AS BIGINT) FROM survey_sends \
         WHERE workspace_id = $1 AND survey_id = $2",
    )
    .bind(ws.to_string())
    .bind(survey.to_string())
    .fetch_one(db)
    .await?)
}

/// An answer as the results page lists it: identity only for a survey that is not anonymous.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnswerRow {
    pub score: Option<u8>,
    pub comment: Option<String>,
    pub answered_at: Timestamp,
    pub user_name: Option<String>,
}

/// The latest answers with a comment.
pub async fn recent_comments(db: &mut Db, ws: WorkspaceId, survey: SurveyId, limit: i64) -> Result<Vec<AnswerRow>> {
    type Rec = (Option<i16>, Option<String>, i64, Option<String>);
    let rows: Vec<Rec> = crate::query_as(
        "SELECT a.score, a.comment, a.answered_at, u.name FROM survey_answers a \
         LEFT JOIN users u ON u.id = a.user_id AND u.workspace_id = a.workspace_id \
         WHERE a.workspace_id = $1 AND a.survey_id = $2 AND a.comment IS NOT NULL \
         ORDER BY a.answered_at DESC, a.id DESC LIMIT $3",
    )
    .bind(ws.to_string())
    .bind(survey.to_string())
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(score, comment, at, name)| AnswerRow {
            score: score.and_then(|s| u8::try_from(s).ok()),
            comment,
            answered_at: Timestamp::from_millis(at),
            user_name: name,
        })
        .collect())
}

/// A follow-up of an unhappy answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowUpRow {
    pub id: SurveyFollowUpId,
    pub survey_id: SurveyId,
    pub engagement_id: EngagementId,
    pub engagement_title: String,
    pub owner_id: UserId,
    pub owner_name: String,
    /// Who answered (a follow-up exists only for named answers).
    pub person_name: Option<String>,
    pub score: Option<u8>,
    pub comment: Option<String>,
    pub opened_at: Timestamp,
    pub due_at: Timestamp,
    pub responded_at: Option<Timestamp>,
    pub responded_by_name: Option<String>,
    pub response: Option<String>,
    pub escalated_at: Option<Timestamp>,
}

#[derive(sqlx::FromRow)]
struct FollowUpRecord {
    id: String,
    survey_id: String,
    engagement_id: String,
    engagement_title: String,
    owner_id: String,
    owner_name: String,
    person_name: Option<String>,
    score: Option<i16>,
    comment: Option<String>,
    opened_at: i64,
    due_at: i64,
    responded_at: Option<i64>,
    responded_by_name: Option<String>,
    response: Option<String>,
    escalated_at: Option<i64>,
}

impl TryFrom<FollowUpRecord> for FollowUpRow {
    type Error = crate::StoreError;
    fn try_from(r: FollowUpRecord) -> Result<Self> {
        Ok(FollowUpRow {
            id: parse("follow-up id", &r.id)?,
            survey_id: parse("survey id", &r.survey_id)?,
            engagement_id: parse("engagement id", &r.engagement_id)?,
            owner_id: parse("user id", &r.owner_id)?,
            engagement_title: r.engagement_title,
            owner_name: r.owner_name,
            person_name: r.person_name,
            score: r.score.and_then(|s| u8::try_from(s).ok()),
            comment: r.comment,
            opened_at: Timestamp::from_millis(r.opened_at),
            due_at: Timestamp::from_millis(r.due_at),
            responded_at: r.responded_at.map(Timestamp::from_millis),
            responded_by_name: r.responded_by_name,
            response: r.response,
            escalated_at: r.escalated_at.map(Timestamp::from_millis),
        })
    }
}

const FOLLOW_UP_SELECT: &str = "SELECT f.id, f.survey_id, f.engagement_id, e.title AS engagement_title, f.owner_id, \
     o.name AS owner_name, p.name AS person_name, a.score, a.comment, f.opened_at, f.due_at, f.responded_at, \
     r.name AS responded_by_name, f.response, f.escalated_at \
     FROM survey_followups f \
     JOIN engagements e ON e.id = f.engagement_id \
     JOIN users o ON o.id = f.owner_id \
     JOIN survey_answers a ON a.id = f.answer_id \
     LEFT JOIN users p ON p.id = a.user_id \
     LEFT JOIN users r ON r.id = f.responded_by";

pub struct NewFollowUp {
    pub workspace_id: WorkspaceId,
    pub survey_id: SurveyId,
    pub answer_id: SurveyAnswerId,
    pub engagement_id: EngagementId,
    pub owner_id: UserId,
    pub due_at: Timestamp,
}

pub async fn create_followup(db: &mut Db, new: NewFollowUp, now: Timestamp) -> Result<SurveyFollowUpId> {
    let id = SurveyFollowUpId::new();
    crate::query(
        "INSERT INTO survey_followups (id, workspace_id, survey_id, answer_id, engagement_id, owner_id, opened_at, due_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id.to_string())
    .bind(new.workspace_id.to_string())
    .bind(new.survey_id.to_string())
    .bind(new.answer_id.to_string())
    .bind(new.engagement_id.to_string())
    .bind(new.owner_id.to_string())
    .bind(now.as_millis())
    .bind(new.due_at.as_millis())
    .execute(db)
    .await?;
    Ok(id)
}

/// A follow-up of the workspace; `None` when the id belongs to another workspace.
pub async fn followup(db: &mut Db, ws: WorkspaceId, id: SurveyFollowUpId) -> Result<Option<FollowUpRow>> {
    let sql = format!("{FOLLOW_UP_SELECT} WHERE f.workspace_id = $1 AND f.id = $2");
    let rec: Option<FollowUpRecord> =
        crate::query_as(&sql).bind(ws.to_string()).bind(id.to_string()).fetch_optional(db).await?;
    rec.map(FollowUpRow::try_from).transpose()
}

/// The open follow-ups a person owns, earliest due first.
pub async fn open_followups_of(db: &mut Db, ws: WorkspaceId, owner: UserId, limit: i64) -> Result<Vec<FollowUpRow>> {
    let sql = format!(
        "{FOLLOW_UP_SELECT} WHERE f.workspace_id = $1 AND f.owner_id = $2 AND f.responded_at IS NULL \
         ORDER BY f.due_at, f.id LIMIT $3"
    );
    let recs: Vec<FollowUpRecord> =
        crate::query_as(&sql).bind(ws.to_string()).bind(owner.to_string()).bind(limit).fetch_all(db).await?;
    recs.into_iter().map(FollowUpRow::try_from).collect()
}

/// The workspace's follow-ups, newest first.
pub async fn followups(db: &mut Db, ws: WorkspaceId, limit: i64) -> Result<Vec<FollowUpRow>> {
    let sql = format!("{FOLLOW_UP_SELECT} WHERE f.workspace_id = $1 ORDER BY f.opened_at DESC, f.id DESC LIMIT $2");
    let recs: Vec<FollowUpRecord> = crate::query_as(&sql).bind(ws.to_string()).bind(limit).fetch_all(db).await?;
    recs.into_iter().map(FollowUpRow::try_from).collect()
}

/// Records the first response; false when one was recorded already.
pub async fn respond(
    db: &mut Db,
    ws: WorkspaceId,
    id: SurveyFollowUpId,
    by: UserId,
    response: &str,
    now: Timestamp,
) -> Result<bool> {
    let done = crate::query(
        "UPDATE survey_followups SET responded_at = $3, responded_by = $4, response = $5 \
         WHERE workspace_id = $1 AND id = $2 AND responded_at IS NULL",
    )
    .bind(ws.to_string())
    .bind(id.to_string())
    .bind(now.as_millis())
    .bind(by.to_string())
    .bind(response)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks a follow-up escalated; false when it was answered or escalated already.
pub async fn mark_escalated(db: &mut Db, ws: WorkspaceId, id: SurveyFollowUpId, now: Timestamp) -> Result<bool> {
    let done = crate::query(
        "UPDATE survey_followups SET escalated_at = $3 \
         WHERE workspace_id = $1 AND id = $2 AND responded_at IS NULL AND escalated_at IS NULL",
    )
    .bind(ws.to_string())
    .bind(id.to_string())
    .bind(now.as_millis())
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The first-response figures of the workspace's follow-ups opened since `since`:
/// (opened, answered, answered within target, mean first-response time in ms).
pub async fn followup_totals(db: &mut Db, ws: WorkspaceId, since: Timestamp) -> Result<(i64, i64, i64, Option<i64>)> {
    let (opened, answered, on_time, mean): (i64, i64, i64, Option<f64>) = crate::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT), \
           CAST(COALESCE(SUM(CASE WHEN responded_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT), \
           CAST(COALESCE(SUM(CASE WHEN responded_at IS NOT NULL AND responded_at <= due_at THEN 1 ELSE 0 END), 0) AS BIGINT), \
           CAST(AVG(CASE WHEN responded_at IS NOT NULL THEN responded_at - opened_at END) AS DOUBLE PRECISION) \
         FROM survey_followups WHERE workspace_id = $1 AND opened_at >= $2",
    )
    .bind(ws.to_string())
    .bind(since.as_millis())
    .fetch_one(db)
    .await?;
    Ok((opened, answered, on_time, mean.map(|m| m.round() as i64)))
}
