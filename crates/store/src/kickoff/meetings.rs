//! The meeting of an engagement: logistics and attendees, the runner's clock and
//! step times, the conclusion, next steps, the report and the feedback about it.

use crate::Db;
use embark_core::kickoff::{NextStepKind, NextStepOutcome};
use embark_core::{EngagementId, Locale, NextStepId, Timestamp, UserId, WorkspaceId};

use crate::{parse, parse_opt, Result};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MeetingRow {
    pub engagement_id: EngagementId,
    pub place: String,
    pub duration_minutes: i64,
    pub logistics_locked_at: Option<Timestamp>,
    pub invitation_sequence: i64,
    pub invitation_sent_at: Option<Timestamp>,
    pub started_at: Option<Timestamp>,
    pub current_step: Option<String>,
    pub step_started_at: Option<Timestamp>,
    pub extended_minutes: i64,
    pub ended_at: Option<Timestamp>,
    pub resources: String,
    pub market_notes: String,
}

#[derive(sqlx::FromRow)]
struct MeetingRecord {
    engagement_id: String,
    place: String,
    duration_minutes: i64,
    logistics_locked_at: Option<i64>,
    invitation_sequence: i64,
    invitation_sent_at: Option<i64>,
    started_at: Option<i64>,
    current_step: Option<String>,
    step_started_at: Option<i64>,
    extended_minutes: i64,
    ended_at: Option<i64>,
    resources: String,
    market_notes: String,
}

const COLUMNS: &str = "engagement_id, place, duration_minutes, logistics_locked_at, invitation_sequence, \
     invitation_sent_at, started_at, current_step, step_started_at, extended_minutes, ended_at, resources, market_notes";

fn ts(v: Option<i64>) -> Option<Timestamp> {
    v.map(Timestamp::from_millis)
}

impl TryFrom<MeetingRecord> for MeetingRow {
    type Error = crate::StoreError;
    fn try_from(r: MeetingRecord) -> Result<Self> {
        Ok(MeetingRow {
            engagement_id: parse("engagement id", &r.engagement_id)?,
            place: r.place,
            duration_minutes: r.duration_minutes,
            logistics_locked_at: ts(r.logistics_locked_at),
            invitation_sequence: r.invitation_sequence,
            invitation_sent_at: ts(r.invitation_sent_at),
            started_at: ts(r.started_at),
            current_step: r.current_step,
            step_started_at: ts(r.step_started_at),
            extended_minutes: r.extended_minutes,
            ended_at: ts(r.ended_at),
            resources: r.resources,
            market_notes: r.market_notes,
        })
    }
}

/// Creates the meeting row of an engagement if it has none yet.
pub async fn ensure(
    db: &mut Db,
    workspace: WorkspaceId,
    engagement: EngagementId,
    duration_minutes: i64,
    now: Timestamp,
) -> Result<()> {
    crate::query(
        "INSERT INTO meetings (engagement_id, workspace_id, place, duration_minutes, invitation_sequence, \
         extended_minutes, resources, market_notes, updated_at) VALUES ($1, $2, '', $3, 0, 0, '', '', $4) \
         ON CONFLICT (engagement_id) DO NOTHING",
    )
    .bind(engagement.to_string())
    .bind(workspace.to_string())
    .bind(duration_minutes)
    .bind(now.as_millis())
    .execute(db)
    .await?;
    Ok(())
}

pub async fn get(db: &mut Db, workspace: WorkspaceId, engagement: EngagementId) -> Result<Option<MeetingRow>> {
    let sql = format!("SELECT {COLUMNS} FROM meetings WHERE workspace_id = $1 AND engagement_id = $2");
    let rec: Option<MeetingRecord> =
        crate::query_as(&sql).bind(workspace.to_string()).bind(engagement.to_string()).fetch_optional(db).await?;
    rec.map(MeetingRow::try_from).transpose()
}

/// Figures over all the workspace's kick-offs, counted by the database.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub promoters: i64,
    pub passives: i64,
    pub detractors: i64,
    /// Reports acknowledged, and the mean time from sending to acknowledgement.
    pub acknowledged: i64,
    pub mean_ack_ms: Option<i64>,
    /// Meetings ended, and how many of them on time.
    pub ended: i64,
    pub ended_on_time: i64,
}

/// The kick-offs' figures over everything (the kick-off view) or a period: NPS answers
/// given, reports sent, and meetings ended in `[from, to)`.
pub async fn totals(db: &mut Db, workspace: WorkspaceId, from: Timestamp, to: Timestamp) -> Result<Totals> {
    type Rec = (i64, i64, i64, i64, Option<i64>, i64, i64);
    let r: Rec = crate::query_as(
        "SELECT \
         CAST((SELECT COUNT(*) FROM meeting_feedback WHERE workspace_id = $1 AND question = 'nps' AND score >= 9 \
               AND answered_at >= $2 AND answered_at < $3) AS BIGINT), \
         CAST((SELECT COUNT(*) FROM meeting_feedback WHERE workspace_id = $1 AND question = 'nps' AND score BETWEEN 7 AND 8 \
               AND answered_at >= $2 AND answered_at < $3) AS BIGINT), \
         CAST((SELECT COUNT(*) FROM meeting_feedback WHERE workspace_id = $1 AND question = 'nps' AND score <= 6 \
               AND answered_at >= $2 AND answered_at < $3) AS BIGINT), \
         CAST((SELECT COUNT(*) FROM meeting_reports WHERE workspace_id = $1 AND acknowledged_at IS NOT NULL \
               AND sent_at >= $2 AND sent_at < $3) AS BIGINT), \
         CAST((SELECT AVG(acknowledged_at - sent_at) FROM meeting_reports WHERE workspace_id = $1 AND acknowledged_at IS NOT NULL \
               AND sent_at >= $2 AND sent_at < $3) AS BIGINT), \
         CAST((SELECT COUNT(*) FROM meetings WHERE workspace_id = $1 AND ended_at IS NOT NULL \
               AND ended_at >= $2 AND ended_at < $3) AS BIGINT), \
         CAST((SELECT COUNT(*) FROM meetings WHERE workspace_id = $1 AND ended_at IS NOT NULL \
               AND ended_at >= $2 AND ended_at < $3 AND ended_at - started_at <= duration_minutes * 60000) AS BIGINT)",
    )
    .bind(workspace.to_string())
    .bind(from.as_millis())
    .bind(to.as_millis())
    .fetch_one(db)
    .await?;
    Ok(Totals {
        promoters: r.0,
        passives: r.1,
        detractors: r.2,
        acknowledged: r.3,
        mean_ack_ms: r.4,
        ended: r.5,
        ended_on_time: r.6,
    })
}

/// One kick-off of the workspace view, with what its quality is computed from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QualityRow {
    pub engagement_id: EngagementId,
    pub title: String,
    pub owner_name: String,
    pub starts_at: Timestamp,
    pub ended: bool,
    pub nps: Option<i64>,
    /// (score, given by a client contact)
    pub relationship: Vec<(i64, bool)>,
    pub open_questions: i64,
    pub locked: bool,
    /// (due, outcome, closed, accepted by a client contact)
    pub next_steps: Vec<(Timestamp, NextStepOutcome, Option<Timestamp>, bool)>,
}

/// `$from, $from+1, …` for an `IN (…)` of `n` values.
fn placeholders(from: usize, n: usize) -> String {
    (from..from + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// A page of the workspace's kick-offs, latest first (keyset on the start, then the id),
/// with their quality inputs: six queries for the page, whatever its size.
pub async fn quality_page(
    pool: &mut Db,
    workspace: WorkspaceId,
    after: Option<(Timestamp, EngagementId)>,
    limit: i64,
) -> Result<Vec<QualityRow>> {
    type Base = (String, String, String, i64, Option<i64>);
    let ws = workspace.to_string();
    let base: Vec<Base> = match after {
        None => {
            crate::query_as(
                "SELECT e.id, e.title, u.name, e.anchor_at, m.ended_at FROM meetings m \
                 JOIN engagements e ON e.id = m.engagement_id JOIN users u ON u.id = e.owner_id \
                 WHERE m.workspace_id = $1 ORDER BY e.anchor_at DESC, e.id DESC LIMIT $2",
            )
            .bind(&ws)
            .bind(limit)
            .fetch_all(pool)
            .await?
        }
        Some((at, id)) => {
            crate::query_as(
                "SELECT e.id, e.title, u.name, e.anchor_at, m.ended_at FROM meetings m \
                 JOIN engagements e ON e.id = m.engagement_id JOIN users u ON u.id = e.owner_id \
                 WHERE m.workspace_id = $1 AND (e.anchor_at < $3 OR (e.anchor_at = $3 AND e.id < $4)) \
                 ORDER BY e.anchor_at DESC, e.id DESC LIMIT $2",
            )
            .bind(&ws)
            .bind(limit)
            .bind(at.as_millis())
            .bind(id.to_string())
            .fetch_all(pool)
            .await?
        }
    };
    let mut rows: Vec<QualityRow> = base
        .into_iter()
        .map(|(id, title, owner_name, anchor, ended)| {
            Ok(QualityRow {
                engagement_id: parse("engagement id", &id)?,
                title,
                owner_name,
                starts_at: Timestamp::from_millis(anchor),
                ended: ended.is_some(),
                nps: None,
                relationship: Vec::new(),
                open_questions: 0,
                locked: false,
                next_steps: Vec::new(),
            })
        })
        .collect::<Result<_>>()?;
    if rows.is_empty() {
        return Ok(rows);
    }
    let ids: Vec<String> = rows.iter().map(|r| r.engagement_id.to_string()).collect();
    let list = placeholders(2, ids.len());
    let row_of = |rows: &mut Vec<QualityRow>, id: &str| -> Option<usize> {
        rows.iter().position(|r| r.engagement_id.to_string() == id)
    };
    macro_rules! fetch {
        ($ty:ty, $sql:expr) => {{
            let sql = $sql;
            let mut q = crate::query_as::<$ty>(&sql).bind(&ws);
            for id in &ids {
                q = q.bind(id);
            }
            q.fetch_all(pool).await?
        }};
    }
    // The first NPS answer of each kick-off.
    let nps: Vec<(String, i64)> = fetch!(
        (String, i64),
        format!(
            "SELECT engagement_id, score FROM meeting_feedback WHERE workspace_id = $1 AND question = 'nps' \
             AND engagement_id IN ({list}) ORDER BY answered_at DESC"
        )
    );
    for (id, score) in nps {
        if let Some(i) = row_of(&mut rows, &id) {
            rows[i].nps = Some(score);
        }
    }
    let relationship: Vec<(String, i64, i64)> = fetch!(
        (String, i64, i64),
        format!(
            "SELECT f.engagement_id, f.score, CAST((SELECT COUNT(*) FROM engagement_participants p \
             WHERE p.engagement_id = f.engagement_id AND p.user_id = f.user_id AND p.role = 'client_contact') AS BIGINT) \
             FROM meeting_feedback f WHERE f.workspace_id = $1 AND f.question = 'relationship' AND f.engagement_id IN ({list})"
        )
    );
    for (id, score, client) in relationship {
        if let Some(i) = row_of(&mut rows, &id) {
            rows[i].relationship.push((score, client > 0));
        }
    }
    let open: Vec<(String, i64)> = fetch!(
        (String, i64),
        format!(
            "SELECT engagement_id, COUNT(*) FROM questions WHERE workspace_id = $1 AND open = 1 \
             AND engagement_id IN ({list}) GROUP BY engagement_id"
        )
    );
    for (id, n) in open {
        if let Some(i) = row_of(&mut rows, &id) {
            rows[i].open_questions = n;
        }
    }
    let locked: Vec<(String,)> = fetch!(
        (String,),
        format!(
            "SELECT s.engagement_id FROM scorecards s WHERE s.workspace_id = $1 AND s.engagement_id IN ({list}) \
             AND s.locked_at IS NOT NULL \
             AND s.number = (SELECT MAX(s2.number) FROM scorecards s2 WHERE s2.engagement_id = s.engagement_id)"
        )
    );
    for (id,) in locked {
        if let Some(i) = row_of(&mut rows, &id) {
            rows[i].locked = true;
        }
    }
    // (engagement, due, outcome, closed, accepted)
    type StepRec = (String, i64, String, Option<i64>, Option<i64>);
    let steps: Vec<StepRec> = fetch!(
        StepRec,
        format!(
            "SELECT engagement_id, due_at, outcome, closed_at, accepted_at FROM next_steps WHERE workspace_id = $1 \
             AND engagement_id IN ({list})"
        )
    );
    for (id, due, outcome, closed, accepted) in steps {
        if let Some(i) = row_of(&mut rows, &id) {
            let outcome = parse("next step outcome", &outcome)?;
            rows[i].next_steps.push((Timestamp::from_millis(due), outcome, ts(closed), accepted.is_some()));
        }
    }
    Ok(rows)
}

/// Runs one guarded UPDATE on the meeting row; returns whether it applied.
async fn update(
    db: &mut Db,
    workspace: WorkspaceId,
    engagement: EngagementId,
    set_and_where: &str,
    binds: &[Bind<'_>],
) -> Result<bool> {
    let sql = format!("UPDATE meetings SET {set_and_where}");
    let mut q = crate::query(&sql).bind(workspace.to_string()).bind(engagement.to_string());
    for b in binds {
        q = match b {
            Bind::Int(v) => q.bind(*v),
            Bind::Text(v) => q.bind(*v),
            Bind::OptText(v) => q.bind(*v),
        };
    }
    Ok(q.execute(db).await?.rows_affected() == 1)
}

enum Bind<'a> {
    Int(i64),
    Text(&'a str),
    OptText(Option<&'a str>),
}

/// Sets place and length while the logistics are not locked.
pub async fn set_logistics(
    db: &mut Db,
    workspace: WorkspaceId,
    engagement: EngagementId,
    place: &str,
    duration_minutes: i64,
    now: Timestamp,
) -> Result<bool> {
    update(
        db,
        workspace,
        engagement,
        "place = $3, duration_minutes = $4, updated_at = $5 \
         WHERE workspace_id = $1 AND engagement_id = $2 AND logistics_locked_at IS NULL",
        &[Bind::Text(place), Bind::Int(duration_minutes), Bind::Int(now.as_millis())],
    )
    .await
}

/// Locks (by someone) or unlocks (`None`) the logistics. Returns false if nothing changed.
pub async fn set_logistics_lock(
    db: &mut Db,
    workspace: WorkspaceId,
    engagement: EngagementId,
    by: Option<UserId>,
    now: Timestamp,
) -> Result<bool> {
    let by_text = by.map(|u| u.to_string());
    match by_text.as_deref() {
        Some(user) => {
            update(
                db,
                workspace,
                engagement,
                "logistics_locked_at = $3, logistics_locked_by = $4, updated_at = $3 \
                 WHERE workspace_id = $1 AND engagement_id = $2 AND logistics_locked_at IS NULL",
                &[Bind::Int(now.as_millis()), Bind::Text(user)],
            )
            .await
        }
        None => {
            update(
                db,
                workspace,
                engagement,
                "logistics_locked_at = NULL, logistics_locked_by = NULL, updated_at = $3 \
                 WHERE workspace_id = $1 AND engagement_id = $2 AND logistics_locked_at IS NOT NULL AND started_at IS NULL",
                &[Bind::Int(now.as_millis())],
            )
            .await
        }
    }
}

/// Records an invitation sent: returns the new sequence number of the calendar event.
pub async fn invitation_sent(
    db: &mut Db,
    workspace: WorkspaceId,
    engagement: EngagementId,
    now: Timestamp,
) -> Result<i64> {
    Ok(crate::query_scalar(
        "UPDATE meetings SET invitation_sequence = invitation_sequence + 1, invitation_sent_at = $3, updated_at = $3 \
         WHERE workspace_id = $1 AND engagement_id = $2 RETURNING invitation_sequence",
    )
    .bind(workspace.to_string())
    .bind(engagement.to_string())
    .bind(now.as_millis())
    .fetch_one(db)
    .await?)
}

/// Starts the meeting on its first step. Returns false if it already started.
pub async fn start(
    db: &mut Db,
    workspace: WorkspaceId,
    engagement: EngagementId,
    first_step: &str,
    now: Timestamp,
) -> Result<bool> {
    update(
        db,
        workspace,
        engagement,
        "started_at = $3, current_step = $4, step_started_at = $3, updated_at = $3 \
         WHERE workspace_id = $1 AND engagement_id = $2 AND started_at IS NULL",
        &[Bind::Int(now.as_millis()), Bind::Text(first_step)],
    )
    .await
}

/// Moves the runner from the step on screen since `since` to `next` (or to none at the
/// end), recording the time spent on the step left. The move applies only if the
/// runner is still where the caller saw it, so two clicks never count a step twice.
pub async fn move_step(
    conn: &mut Db,
    workspace: WorkspaceId,
    engagement: EngagementId,
    from: (&str, Timestamp),
    next: Option<&str>,
    now: Timestamp,
) -> Result<bool> {
    let moved = update(
        &mut *conn,
        workspace,
        engagement,
        "current_step = $3, step_started_at = $4, updated_at = $4 \
         WHERE workspace_id = $1 AND engagement_id = $2 AND current_step = $5 AND step_started_at = $6 AND ended_at IS NULL",
        &[Bind::OptText(next), Bind::Int(now.as_millis()), Bind::Text(from.0), Bind::Int(from.1.as_millis())],
    )
    .await?;
    if moved {
        crate::query(
            "INSERT INTO meeting_step_times (engagement_id, workspace_id, step_key, started_at, ended_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (engagement_id, step_key, started_at) DO NOTHING",
        )
        .bind(engagement.to_string())
        .bind(workspace.to_string())
        .bind(from.0)
        .bind(from.1.as_millis())
        .bind(now.as_millis())
        .execute(&mut *conn)
        .await?;
    }
    Ok(moved)
}

/// Adds minutes to the meeting: an explicit, recorded extension.
pub async fn extend(
    db: &mut Db,
    workspace: WorkspaceId,
    engagement: EngagementId,
    minutes: i64,
    now: Timestamp,
) -> Result<bool> {
    update(
        db,
        workspace,
        engagement,
        "extended_minutes = extended_minutes + $3, updated_at = $4 \
         WHERE workspace_id = $1 AND engagement_id = $2 AND started_at IS NOT NULL AND ended_at IS NULL",
        &[Bind::Int(minutes), Bind::Int(now.as_millis())],
    )
    .await
}

/// Ends the meeting. Returns false if it had not started or already ended.
pub async fn end(db: &mut Db, workspace: WorkspaceId, engagement: EngagementId, now: Timestamp) -> Result<bool> {
    update(
        db,
        workspace,
        engagement,
        "ended_at = $3, current_step = NULL, step_started_at = NULL, updated_at = $3 \
         WHERE workspace_id = $1 AND engagement_id = $2 AND started_at IS NOT NULL AND ended_at IS NULL",
        &[Bind::Int(now.as_millis())],
    )
    .await
}

/// Time spent on each step, summed over visits: (step key, milliseconds).
pub async fn step_times(db: &mut Db, workspace: WorkspaceId, engagement: EngagementId) -> Result<Vec<(String, i64)>> {
    Ok(crate::query_as(
        "SELECT step_key, CAST(SUM(ended_at - started_at) AS BIGINT) FROM meeting_step_times \
         WHERE workspace_id = $1 AND engagement_id = $2 GROUP BY step_key",
    )
    .bind(workspace.to_string())
    .bind(engagement.to_string())
    .fetch_all(db)
    .await?)
}

pub async fn set_conclusion(
    db: &mut Db,
    workspace: WorkspaceId,
    engagement: EngagementId,
    resources: &str,
    market_notes: &str,
    now: Timestamp,
) -> Result<bool> {
    update(
        db,
        workspace,
        engagement,
        "resources = $3, market_notes = $4, updated_at = $5 WHERE workspace_id = $1 AND engagement_id = $2",
        &[Bind::Text(resources), Bind::Text(market_notes), Bind::Int(now.as_millis())],
    )
    .await
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attendee {
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    pub locale: Locale,
    pub role: embark_core::Role,
    pub active: bool,
    pub invited_at: Option<Timestamp>,
    pub confirmed_at: Option<Timestamp>,
}

pub async fn add_attendee(db: &mut Db, workspace: WorkspaceId, engagement: EngagementId, user: UserId) -> Result<()> {
    crate::query(
        "INSERT INTO meeting_attendees (engagement_id, user_id, workspace_id) VALUES ($1, $2, $3) \
         ON CONFLICT (engagement_id, user_id) DO NOTHING",
    )
    .bind(engagement.to_string())
    .bind(user.to_string())
    .bind(workspace.to_string())
    .execute(db)
    .await?;
    Ok(())
}

pub async fn remove_attendee(
    db: &mut Db,
    workspace: WorkspaceId,
    engagement: EngagementId,
    user: UserId,
) -> Result<bool> {
    let n =
        crate::query("DELETE FROM meeting_attendees WHERE workspace_id = $1 AND engagement_id = $2 AND user_id = $3")
            .bind(workspace.to_string())
            .bind(engagement.to_string())
            .bind(user.to_string())
            .execute(db)
            .await?
            .rows_affected();
    Ok(n == 1)
}

pub async fn attendees(db: &mut Db, workspace: WorkspaceId, engagement: EngagementId) -> Result<Vec<Attendee>> {
    type Rec = (String, String, String, String, String, i64, Option<i64>, Option<i64>);
    let rows: Vec<Rec> = crate::query_as(
        "SELECT u.id, u.name, u.email, u.locale, u.role, CAST(u.active AS BIGINT), a.invited_at, a.confirmed_at \
         FROM meeting_attendees a JOIN users u ON u.id = a.user_id \
         WHERE a.workspace_id = $1 AND a.engagement_id = $2 ORDER BY u.name, u.id",
    )
    .bind(workspace.to_string())
    .bind(engagement.to_string())
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|(id, name, email, locale, role, active, invited_at, confirmed_at)| {
            Ok(Attendee {
                user_id: parse("user id", &id)?,
                locale: parse("locale", &locale)?,
                role: parse("role", &role)?,
                name,
                email,
                active: active != 0,
                invited_at: ts(invited_at),
                confirmed_at: ts(confirmed_at),
            })
        })
        .collect()
}

/// Records that everyone on the list was invited now (confirmations stand: they confirmed the person, not the email).
pub async fn mark_invited(db: &mut Db, workspace: WorkspaceId, engagement: EngagementId, now: Timestamp) -> Result<()> {
    crate::query("UPDATE meeting_attendees SET invited_at = $3 WHERE workspace_id = $1 AND engagement_id = $2")
        .bind(workspace.to_string())
        .bind(engagement.to_string())
        .bind(now.as_millis())
        .execute(db)
        .await?;
    Ok(())
}

/// Records an attendance confirmation (the first one counts). Returns false if not invited or already confirmed.
pub async fn confirm(
    db: &mut Db,
    workspace: WorkspaceId,
    engagement: EngagementId,
    user: UserId,
    now: Timestamp,
) -> Result<bool> {
    let n = crate::query(
        "UPDATE meeting_attendees SET confirmed_at = $4 \
         WHERE workspace_id = $1 AND engagement_id = $2 AND user_id = $3 AND confirmed_at IS NULL",
    )
    .bind(workspace.to_string())
    .bind(engagement.to_string())
    .bind(user.to_string())
    .bind(now.as_millis())
    .execute(db)
    .await?
    .rows_affected();
    Ok(n == 1)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NextStep {
    pub id: NextStepId,
    pub kind: NextStepKind,
    pub title: String,
    pub owner_id: UserId,
    pub owner_name: String,
    pub due_at: Timestamp,
    pub outcome: NextStepOutcome,
    pub closed_at: Option<Timestamp>,
    /// When a client contact accepted it, and who.
    pub accepted_at: Option<Timestamp>,
    pub accepted_by_name: Option<String>,
}

pub struct NewNextStep<'a> {
    pub kind: NextStepKind,
    pub title: &'a str,
    pub owner_id: UserId,
    pub due_at: Timestamp,
}

/// Adds a next step while its meeting's report is not sent (the guard is read in the
/// statement, so a report sent meanwhile wins). Returns None when the report was sent.
pub async fn add_next_step_before_report(
    db: &mut Db,
    workspace: WorkspaceId,
    engagement: EngagementId,
    step: NewNextStep<'_>,
    by: UserId,
    now: Timestamp,
) -> Result<Option<NextStepId>> {
    let id = NextStepId::new();
    let n = crate::query(
        "INSERT INTO next_steps (id, workspace_id, engagement_id, kind, title, owner_id, due_at, outcome, created_by, created_at) \
         SELECT $1, $2, $3, $4, $5, $6, $7, 'open', $8, $9 \
         WHERE NOT EXISTS (SELECT 1 FROM meeting_reports r WHERE r.engagement_id = $3 AND r.sent_at IS NOT NULL)",
    )
    .bind(id.to_string())
    .bind(workspace.to_string())
    .bind(engagement.to_string())
    .bind(step.kind.as_str())
    .bind(step.title)
    .bind(step.owner_id.to_string())
    .bind(step.due_at.as_millis())
    .bind(by.to_string())
    .bind(now.as_millis())
    .execute(db)
    .await?
    .rows_affected();
    Ok((n == 1).then_some(id))
}

pub async fn next_steps(db: &mut Db, workspace: WorkspaceId, engagement: EngagementId) -> Result<Vec<NextStep>> {
    type Rec = (String, String, String, String, String, i64, String, Option<i64>, Option<i64>, Option<String>);
    let rows: Vec<Rec> = crate::query_as(
        "SELECT n.id, n.kind, n.title, n.owner_id, u.name, n.due_at, n.outcome, n.closed_at, n.accepted_at, a.name \
         FROM next_steps n JOIN users u ON u.id = n.owner_id LEFT JOIN users a ON a.id = n.accepted_by \
         WHERE n.workspace_id = $1 AND n.engagement_id = $2 ORDER BY n.due_at, n.id",
    )
    .bind(workspace.to_string())
    .bind(engagement.to_string())
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|(id, kind, title, owner_id, owner_name, due_at, outcome, closed_at, accepted_at, accepted_by_name)| {
            Ok(NextStep {
                id: parse("next step id", &id)?,
                kind: parse("next step kind", &kind)?,
                owner_id: parse("user id", &owner_id)?,
                outcome: parse("next step outcome", &outcome)?,
                title,
                owner_name,
                due_at: Timestamp::from_millis(due_at),
                closed_at: ts(closed_at),
                accepted_at: ts(accepted_at),
                accepted_by_name,
            })
        })
        .collect()
}

/// A client contact accepts next steps: `only` one, or every one not accepted yet.
/// Returns how many were accepted now (those already accepted keep their first acceptance).
pub async fn accept_next_steps(
    db: &mut Db,
    workspace: WorkspaceId,
    engagement: EngagementId,
    only: Option<NextStepId>,
    by: UserId,
    now: Timestamp,
) -> Result<u64> {
    Ok(crate::query(
        "UPDATE next_steps SET accepted_at = $4, accepted_by = $5 \
         WHERE workspace_id = $1 AND engagement_id = $2 AND ($3 = '' OR id = $3) AND accepted_at IS NULL",
    )
    .bind(workspace.to_string())
    .bind(engagement.to_string())
    .bind(only.map(|s| s.to_string()).unwrap_or_default())
    .bind(now.as_millis())
    .bind(by.to_string())
    .execute(db)
    .await?
    .rows_affected())
}

/// Its owner marks an open next step done (her homework). Returns false if it is not
/// hers, or not open any more.
pub async fn complete_own_next_step(
    db: &mut Db,
    workspace: WorkspaceId,
    engagement: EngagementId,
    id: NextStepId,
    owner: UserId,
    now: Timestamp,
) -> Result<bool> {
    let n = crate::query(
        "UPDATE next_steps SET outcome = 'done', closed_at = $5, closed_by = $4 \
         WHERE workspace_id = $1 AND engagement_id = $2 AND id = $3 AND owner_id = $4 AND outcome = 'open'",
    )
    .bind(workspace.to_string())
    .bind(engagement.to_string())
    .bind(id.to_string())
    .bind(owner.to_string())
    .bind(now.as_millis())
    .execute(db)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// What a client contact has to answer of her kick-offs' next steps, once their report
/// was sent: those nobody accepted yet, and her own homework still open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NextStepToAnswer {
    pub engagement_id: EngagementId,
    pub engagement_title: String,
    pub title: String,
    pub due_at: Timestamp,
    /// Not accepted yet (else: her homework, accepted and open).
    pub to_accept: bool,
}

pub async fn next_steps_to_answer(db: &mut Db, workspace: WorkspaceId, user: UserId) -> Result<Vec<NextStepToAnswer>> {
    type Rec = (String, String, String, i64, Option<i64>);
    let rows: Vec<Rec> = crate::query_as(
        "SELECT n.engagement_id, e.title, n.title, n.due_at, n.accepted_at FROM next_steps n \
         JOIN engagements e ON e.id = n.engagement_id \
         JOIN meeting_reports r ON r.engagement_id = n.engagement_id \
         JOIN engagement_participants p ON p.engagement_id = n.engagement_id AND p.user_id = $2 AND p.role = 'client_contact' \
         WHERE n.workspace_id = $1 AND r.sent_at IS NOT NULL AND e.state <> 'cancelled' \
         AND (n.accepted_at IS NULL OR (n.owner_id = $2 AND n.outcome = 'open')) \
         ORDER BY n.due_at, n.id LIMIT 50",
    )
    .bind(workspace.to_string())
    .bind(user.to_string())
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|(id, engagement_title, title, due_at, accepted_at)| {
            Ok(NextStepToAnswer {
                engagement_id: parse("engagement id", &id)?,
                engagement_title,
                title,
                due_at: Timestamp::from_millis(due_at),
                to_accept: accepted_at.is_none(),
            })
        })
        .collect()
}

/// Records what became of a next step (`Open` reopens it). Returns false if unknown here.
pub async fn set_next_step_outcome(
    db: &mut Db,
    workspace: WorkspaceId,
    engagement: EngagementId,
    id: NextStepId,
    outcome: NextStepOutcome,
    now: Timestamp,
) -> Result<bool> {
    let closed = (outcome != NextStepOutcome::Open).then_some(now.as_millis());
    let n = crate::query(
        "UPDATE next_steps SET outcome = $4, closed_at = $5 WHERE workspace_id = $1 AND engagement_id = $2 AND id = $3",
    )
    .bind(workspace.to_string())
    .bind(engagement.to_string())
    .bind(id.to_string())
    .bind(outcome.as_str())
    .bind(closed)
    .execute(db)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// The guard of edits: the report of the meeting is not sent (read in the statement).
const REPORT_NOT_SENT: &str =
    "NOT EXISTS (SELECT 1 FROM meeting_reports r WHERE r.engagement_id = next_steps.engagement_id \
     AND r.sent_at IS NOT NULL)";

/// Changes a next step while its meeting's report is not sent. Returns false when it
/// is unknown here or the report was sent.
pub async fn update_next_step_before_report(
    db: &mut Db,
    workspace: WorkspaceId,
    engagement: EngagementId,
    id: NextStepId,
    step: &NewNextStep<'_>,
) -> Result<bool> {
    let sql = format!(
        "UPDATE next_steps SET kind = $4, title = $5, owner_id = $6, due_at = $7 \
         WHERE workspace_id = $1 AND engagement_id = $2 AND id = $3 AND {REPORT_NOT_SENT}"
    );
    let n = crate::query(&sql)
        .bind(workspace.to_string())
        .bind(engagement.to_string())
        .bind(id.to_string())
        .bind(step.kind.as_str())
        .bind(step.title)
        .bind(step.owner_id.to_string())
        .bind(step.due_at.as_millis())
        .execute(db)
        .await?
        .rows_affected();
    Ok(n == 1)
}

/// Deletes a next step while its meeting's report is not sent. Returns false when it
/// is unknown here or the report was sent.
pub async fn delete_next_step_before_report(
    db: &mut Db,
    workspace: WorkspaceId,
    engagement: EngagementId,
    id: NextStepId,
) -> Result<bool> {
    let sql = format!(
        "DELETE FROM next_steps WHERE workspace_id = $1 AND engagement_id = $2 AND id = $3 AND {REPORT_NOT_SENT}"
    );
    let n = crate::query(&sql)
        .bind(workspace.to_string())
        .bind(engagement.to_string())
        .bind(id.to_string())
        .execute(db)
        .await?
        .rows_affected();
    Ok(n == 1)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub decisions: String,
    pub generated_at: Timestamp,
    pub sent_at: Option<Timestamp>,
    pub sent_by: Option<UserId>,
    pub acknowledged_at: Option<Timestamp>,
    pub acknowledged_by_name: Option<String>,
}

/// Creates the report of a meeting when it ends (once).
pub async fn create_report(
    db: &mut Db,
    workspace: WorkspaceId,
    engagement: EngagementId,
    decisions: &str,
    now: Timestamp,
) -> Result<()> {
    crate::query(
        "INSERT INTO meeting_reports (engagement_id, workspace_id, decisions, generated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (engagement_id) DO NOTHING",
    )
    .bind(engagement.to_string())
    .bind(workspace.to_string())
    .bind(decisions)
    .bind(now.as_millis())
    .execute(db)
    .await?;
    Ok(())
}

pub async fn report(db: &mut Db, workspace: WorkspaceId, engagement: EngagementId) -> Result<Option<Report>> {
    type Rec = (String, i64, Option<i64>, Option<String>, Option<i64>, Option<String>);
    let row: Option<Rec> = crate::query_as(
        "SELECT r.decisions, r.generated_at, r.sent_at, r.sent_by, r.acknowledged_at, u.name FROM meeting_reports r \
         LEFT JOIN users u ON u.id = r.acknowledged_by WHERE r.workspace_id = $1 AND r.engagement_id = $2",
    )
    .bind(workspace.to_string())
    .bind(engagement.to_string())
    .fetch_optional(db)
    .await?;
    row.map(|(decisions, generated_at, sent_at, sent_by, acknowledged_at, acknowledged_by_name)| {
        Ok(Report {
            decisions,
            generated_at: Timestamp::from_millis(generated_at),
            sent_at: ts(sent_at),
            sent_by: parse_opt("user id", sent_by.as_deref())?,
            acknowledged_at: ts(acknowledged_at),
            acknowledged_by_name,
        })
    })
    .transpose()
}

/// Edits the decisions of a report not sent yet.
pub async fn set_decisions(
    db: &mut Db,
    workspace: WorkspaceId,
    engagement: EngagementId,
    decisions: &str,
) -> Result<bool> {
    let n = crate::query(
        "UPDATE meeting_reports SET decisions = $3 WHERE workspace_id = $1 AND engagement_id = $2 AND sent_at IS NULL",
    )
    .bind(workspace.to_string())
    .bind(engagement.to_string())
    .bind(decisions)
    .execute(db)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Marks the report sent (once). Returns false if it was already sent.
pub async fn report_sent(
    db: &mut Db,
    workspace: WorkspaceId,
    engagement: EngagementId,
    by: UserId,
    now: Timestamp,
) -> Result<bool> {
    let n = crate::query(
        "UPDATE meeting_reports SET sent_at = $3, sent_by = $4 WHERE workspace_id = $1 AND engagement_id = $2 AND sent_at IS NULL",
    )
    .bind(workspace.to_string())
    .bind(engagement.to_string())
    .bind(now.as_millis())
    .bind(by.to_string())
    .execute(db)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// Records the acknowledgement of receipt (the first one counts).
pub async fn acknowledge(
    db: &mut Db,
    workspace: WorkspaceId,
    engagement: EngagementId,
    by: UserId,
    now: Timestamp,
) -> Result<bool> {
    let n = crate::query(
        "UPDATE meeting_reports SET acknowledged_at = $3, acknowledged_by = $4 \
         WHERE workspace_id = $1 AND engagement_id = $2 AND sent_at IS NOT NULL AND acknowledged_at IS NULL",
    )
    .bind(workspace.to_string())
    .bind(engagement.to_string())
    .bind(now.as_millis())
    .bind(by.to_string())
    .execute(db)
    .await?
    .rows_affected();
    Ok(n == 1)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Feedback {
    pub user_id: UserId,
    pub name: String,
    pub question: String,
    pub score: i64,
    pub comment: String,
    pub answered_at: Timestamp,
}

/// Records an answer. Returns false if this person already answered this question.
#[allow(clippy::too_many_arguments)]
pub async fn answer_feedback(
    db: &mut Db,
    workspace: WorkspaceId,
    engagement: EngagementId,
    user: UserId,
    question: &str,
    score: i64,
    comment: &str,
    now: Timestamp,
) -> Result<bool> {
    let n = crate::query(
        "INSERT INTO meeting_feedback (engagement_id, user_id, workspace_id, question, score, comment, answered_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (engagement_id, user_id, question) DO NOTHING",
    )
    .bind(engagement.to_string())
    .bind(user.to_string())
    .bind(workspace.to_string())
    .bind(question)
    .bind(score)
    .bind(comment)
    .bind(now.as_millis())
    .execute(db)
    .await?
    .rows_affected();
    Ok(n == 1)
}

pub async fn feedback(db: &mut Db, workspace: WorkspaceId, engagement: EngagementId) -> Result<Vec<Feedback>> {
    type Rec = (String, String, String, i64, String, i64);
    let rows: Vec<Rec> = crate::query_as(
        "SELECT f.user_id, u.name, f.question, f.score, f.comment, f.answered_at FROM meeting_feedback f \
         JOIN users u ON u.id = f.user_id WHERE f.workspace_id = $1 AND f.engagement_id = $2 ORDER BY f.answered_at",
    )
    .bind(workspace.to_string())
    .bind(engagement.to_string())
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|(user_id, name, question, score, comment, at)| {
            Ok(Feedback {
                user_id: parse("user id", &user_id)?,
                name,
                question,
                score,
                comment,
                answered_at: Timestamp::from_millis(at),
            })
        })
        .collect()
}
