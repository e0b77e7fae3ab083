//! The surveys' use cases: sending a survey when its playbook step falls due,
//! answering it from its single-use link, and reading results.
//!
//! A survey step of a playbook (`survey: enps`) is scheduled with the engagement's
//! reminders (`Job::SurveyDue`). When it falls due, one send per person of the
//! survey's audience role is recorded with `Job::SurveyEmail` in one transaction;
//! that job mints the link and emails it (a retried job mints a new link, so a
//! link that was never delivered never works). The answer, the send marked
//! answered, the monthly counts and the step done by itself commit together.

use embark_core::engagements::{EngagementState, ItemState};
use embark_core::surveys::nps::{self, Summary};
use embark_core::surveys::{self as core, Answer, Template};
use embark_core::{ItemId, Permission, SurveyId, SurveySendId, Timestamp, WorkspaceId};
use embark_store::accounts::sessions::Principal;
use embark_store::engagements as engagement_store;
use embark_store::surveys::{self as store, AnswerRow, NewAnswer, NewSend, SendRow, SurveyRow};
use embark_store::{Db, StoreError};

use crate::access::require;
use crate::engagements::signals;
use crate::error::AppError;
use crate::jobs::queue::{self as jobs, Job};
use crate::secrets::{random_token, token_hash};
use crate::state::AppState;

const DAY: i64 = 86_400_000;

/// How long a survey link stays open.
pub const ANSWER_WITHIN_MS: i64 = 14 * DAY;

/// Under this many answers, an anonymous survey shows counts only: no score, no
/// distribution, no comments (so that nobody can tell who answered what).
pub const MIN_GROUP: i64 = 5;

/// A built-in survey of the workspace, installed on first use (read first: most
/// calls find it, and a read takes no write lock).
async fn ensure(db: &mut Db, ws: WorkspaceId, template: &Template, now: Timestamp) -> Result<SurveyRow, AppError> {
    match store::by_key(db, ws, template.key).await? {
        Some(s) => Ok(s),
        None => Ok(store::install(db, ws, template, now).await?),
    }
}

/// The surveys of the workspace, the built-ins installed on first use.
pub async fn surveys(db: &mut Db, ws: WorkspaceId, now: Timestamp) -> Result<Vec<SurveyRow>, AppError> {
    for t in core::BUILTIN {
        ensure(db, ws, t, now).await?;
    }
    Ok(store::list(db, ws).await?)
}

/// `Job::SurveyDue`: the survey step of an engagement fell due. Records one send per
/// person of the survey's audience (once per step and person) and queues its email.
pub async fn send_due(state: &AppState, ws: WorkspaceId, item_id: ItemId, due_at: Timestamp) -> anyhow::Result<()> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let Some((engagement_id, item)) = engagement_store::item_by_id(&mut tx, ws, item_id).await? else { return Ok(()) };
    // The anchor moved (a new job carries the new date), or the step is already closed.
    if item.state != ItemState::Todo || item.due_at != Some(due_at) {
        return Ok(());
    }
    let Some(row) = engagement_store::get(&mut tx, ws, engagement_id).await? else { return Ok(()) };
    if row.state != EngagementState::Active {
        return Ok(());
    }
    let Some(playbook) = state.playbooks.by_id(&mut tx, ws, row.version_id).await? else { return Ok(()) };
    let Some(template) =
        playbook.steps().find(|s| s.id == item.key).and_then(|s| s.survey.as_deref()).and_then(core::builtin)
    else {
        return Ok(());
    };
    let survey = ensure(&mut tx, ws, template, now).await?;
    let people = engagement_store::participants(&mut tx, ws, engagement_id).await?;
    let mut queued = 0;
    for p in people.iter().filter(|p| p.active && p.role == survey.audience) {
        // Unusable until the email job mints the link: the hash of a secret nobody keeps.
        let placeholder = token_hash(&random_token());
        // One survey a week at most: this one waits if the last went less than a week ago.
        let sent_at = core::next_send_at(store::last_sent_to(&mut tx, ws, p.user_id).await?, now);
        let new = NewSend {
            workspace_id: ws,
            survey_id: survey.id,
            user_id: p.user_id,
            engagement_id,
            item_key: &item.key,
            token_hash: &placeholder,
            expires_at: sent_at.plus_millis(ANSWER_WITHIN_MS),
        };
        if let Some(send_id) = store::create_send(&mut tx, new, sent_at).await? {
            jobs::enqueue_at(&mut tx, &Job::SurveyEmail { workspace_id: ws, send_id }, sent_at, now, None).await?;
            let remind_at = sent_at.plus_millis(core::REMIND_AFTER_DAYS * DAY);
            let reminder = Job::SurveyReminder { workspace_id: ws, send_id };
            jobs::enqueue_at(&mut tx, &reminder, remind_at, now, Some(&format!("survey-reminder:{send_id}"))).await?;
            queued += 1;
        }
    }
    if queued > 0 {
        engagement_store::record_event(&mut tx, ws, engagement_id, None, "survey_sent", Some(&item.key), "", now)
            .await?;
    }
    tx.commit().await?;
    if queued > 0 {
        state.jobs_wakeup.notify_one();
    }
    Ok(())
}

/// A new link for a send that is still open (the previous one, if any, stops working);
/// `None` when it was answered or has expired.
pub async fn mint_link(state: &AppState, send: SurveySendId) -> Result<Option<(SendRow, String)>, AppError> {
    let token = random_token();
    let db = &mut state.store.db();
    if !store::set_token(db, send, &token_hash(&token), state.now()).await? {
        return Ok(None);
    }
    let Some(row) = store::send_by_token(db, &token_hash(&token)).await? else { return Ok(None) };
    Ok(Some((row, format!("{}/s/{token}", state.config.base_url))))
}

/// What a survey link opens.
pub enum LinkStatus {
    /// Open: the survey can be answered.
    Open(Box<OpenSend>),
    /// Answered already (by this link): nothing more to do.
    Answered(Box<OpenSend>),
    Expired,
    Unknown,
}

pub struct OpenSend {
    pub send: SendRow,
    pub survey: SurveyRow,
    pub person: embark_store::accounts::users::User,
    pub engagement_title: String,
}

pub async fn link(state: &AppState, token: &str) -> Result<LinkStatus, AppError> {
    let db = &mut state.store.db();
    let Some(send) = store::send_by_token(db, &token_hash(token)).await? else { return Ok(LinkStatus::Unknown) };
    status_of(state, db, send).await
}

/// A survey sent to the signed-in person, opened from their home; someone else's is unknown.
pub async fn own_send(state: &AppState, actor: &Principal, id: SurveySendId) -> Result<LinkStatus, AppError> {
    let db = &mut state.store.db();
    let send = store::send_by_id(db, actor.user.workspace_id, id).await?.filter(|s| s.user_id == actor.user.id);
    let Some(send) = send else { return Ok(LinkStatus::Unknown) };
    status_of(state, db, send).await
}

async fn status_of(state: &AppState, db: &mut Db, send: SendRow) -> Result<LinkStatus, AppError> {
    let ws = send.workspace_id;
    let (Some(survey), Some(person), Some(engagement)) = (
        store::get(db, ws, send.survey_id).await?,
        embark_store::accounts::users::get(db, ws, send.user_id).await?,
        engagement_store::get(db, ws, send.engagement_id).await?,
    ) else {
        return Ok(LinkStatus::Unknown);
    };
    // Inactive, or a send still waiting for its week (no link exists yet either).
    if !person.active || send.sent_at > state.now() {
        return Ok(LinkStatus::Unknown);
    }
    let open = Box::new(OpenSend { send, survey, person, engagement_title: engagement.title });
    if open.send.answered {
        return Ok(LinkStatus::Answered(open));
    }
    if state.now() >= open.send.expires_at {
        return Ok(LinkStatus::Expired);
    }
    Ok(LinkStatus::Open(open))
}

/// The segment an answer counts in: the month the engagement started (a cohort of
/// new hires, of clients), never a person.
fn segment_of(anchor: Timestamp) -> String {
    core::month_of(anchor)
}

/// Records the answer of an open link; false when it was answered already (a second
/// submission, even concurrent, records nothing). A score off the scale or a comment
/// too long is refused with its field and writes nothing.
pub async fn answer(state: &AppState, open: &OpenSend, score: &str, comment: &str) -> Result<bool, AppError> {
    let answer = Answer::parse(open.survey.kind, score, comment)?;
    let now = state.now();
    let ws = open.send.workspace_id;
    let mut tx = state.store.begin().await?;
    let Some(engagement) = engagement_store::get(&mut tx, ws, open.send.engagement_id).await? else {
        return Err(AppError::NotFound);
    };
    if !store::mark_answered(&mut tx, open.send.id).await? {
        return Ok(false);
    }
    let segment = segment_of(engagement.anchor_at);
    let answer_id = store::insert_answer(
        &mut tx,
        NewAnswer {
            workspace_id: ws,
            survey_id: open.survey.id,
            user_id: Some(open.person.id),
            engagement_id: Some(engagement.id),
            anonymous: open.survey.anonymous,
            segment: &segment,
            score: answer.score,
            comment: answer.comment.as_deref(),
            answered_at: now,
            source: "web",
        },
    )
    .await?;
    open_followup(&mut tx, ws, &open.survey, answer_id, &engagement, answer.score, now).await?;
    // The step that sent the survey is done by the answer.
    signals::complete(state, &mut tx, ws, engagement.id, &open.send.item_key, now).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(true)
}

/// A client's NPS after a kick-off (asked by the kick-off's own link) counted in the
/// workspace's client NPS survey, named, in the caller's transaction.
pub async fn record_kickoff_nps(
    db: &mut Db,
    ws: WorkspaceId,
    engagement: &engagement_store::EngagementRow,
    user: embark_core::UserId,
    score: u8,
    comment: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    let template = core::builtin("client-nps").ok_or(AppError::NotFound)?;
    let survey = ensure(db, ws, template, now).await?;
    let comment = comment.trim();
    let segment = segment_of(engagement.anchor_at);
    let answer_id = store::insert_answer(
        db,
        NewAnswer {
            workspace_id: ws,
            survey_id: survey.id,
            user_id: Some(user),
            engagement_id: Some(engagement.id),
            anonymous: survey.anonymous,
            segment: &segment,
            score,
            comment: (!comment.is_empty()).then_some(comment),
            answered_at: now,
            source: "kickoff",
        },
    )
    .await?;
    open_followup(db, ws, &survey, answer_id, engagement, score, now).await?;
    Ok(())
}

/// Imports past answers (CSV `score,answered_at[,segment][,comment]`) into a survey, so
/// that a firm keeps its history and trend: admins only; all or nothing, every problem
/// with its line and column. Imported answers carry no person. Returns how many.
pub async fn import_answers(state: &AppState, actor: &Principal, id: SurveyId, text: &str) -> Result<usize, AppError> {
    require(actor, Permission::ManageUsers)?;
    let ws = actor.user.workspace_id;
    let survey = store::get(&mut state.store.db(), ws, id).await?.ok_or(AppError::NotFound)?;
    let rows = core::parse_import(survey.kind, text, state.now()).map_err(AppError::InvalidCsv)?;
    let mut counts: std::collections::BTreeMap<(String, String, u8), i64> = Default::default();
    let mut tx = state.store.begin().await?;
    for r in &rows {
        let at = if survey.anonymous { core::anonymous_day(r.answered_at) } else { r.answered_at };
        *counts.entry((core::month_of(at), r.segment.clone(), r.score)).or_default() += 1;
        store::insert_uncounted(
            &mut tx,
            NewAnswer {
                workspace_id: ws,
                survey_id: survey.id,
                user_id: None,
                engagement_id: None,
                anonymous: survey.anonymous,
                segment: &r.segment,
                score: r.score,
                comment: r.comment.as_deref(),
                answered_at: r.answered_at,
                source: "import",
            },
        )
        .await?;
    }
    for ((month, segment, score), n) in &counts {
        store::add_count(&mut tx, ws, survey.id, month, segment, *score, *n).await?;
    }
    tx.commit().await.map_err(StoreError::from)?;
    Ok(rows.len())
}

/// How long the engagement's owner has to respond to an unhappy answer.
pub const FOLLOW_UP_WITHIN_MS: i64 = 48 * 3_600_000;
/// How long after a late follow-up's reminder the admins are told.
pub const ESCALATE_AFTER_MS: i64 = 24 * 3_600_000;

/// An unhappy answer to a named survey (a detractor, a satisfaction of 1 or 2) opens a
/// follow-up for the engagement's owner, in the answer's transaction: the owner is told
/// now, reminded once when it is late, and the admins are told a day later. An
/// anonymous answer opens none: following it up would say who gave it.
async fn open_followup(
    db: &mut Db,
    ws: WorkspaceId,
    survey: &SurveyRow,
    answer: embark_core::SurveyAnswerId,
    engagement: &engagement_store::EngagementRow,
    score: u8,
    now: Timestamp,
) -> Result<(), AppError> {
    if survey.anonymous || !survey.kind.is_unhappy(score) {
        return Ok(());
    }
    let due_at = now.plus_millis(FOLLOW_UP_WITHIN_MS);
    let id = store::create_followup(
        db,
        store::NewFollowUp {
            workspace_id: ws,
            survey_id: survey.id,
            answer_id: answer,
            engagement_id: engagement.id,
            owner_id: engagement.owner_id,
            due_at,
        },
        now,
    )
    .await?;
    jobs::enqueue(db, &Job::FollowUpOpened { workspace_id: ws, followup_id: id }, now, None).await?;
    jobs::enqueue_at(db, &Job::FollowUpDue { workspace_id: ws, followup_id: id }, due_at, now, None).await?;
    Ok(())
}

/// Records the first response to a follow-up (what was done: a call, a meeting…), by
/// its owner or an admin. A second response is refused with its field.
pub async fn respond(
    state: &AppState,
    actor: &Principal,
    id: embark_core::SurveyFollowUpId,
    response: &str,
) -> Result<(), AppError> {
    let ws = actor.user.workspace_id;
    let mut tx = state.store.begin().await?;
    let f = store::followup(&mut tx, ws, id).await?.ok_or(AppError::NotFound)?;
    if f.owner_id != actor.user.id && !actor.user.role.can(Permission::ManageUsers) {
        if actor.user.role.can(Permission::ViewSurveyResults) {
            return Err(AppError::Forbidden);
        }
        return Err(AppError::NotFound);
    }
    let text = response.trim();
    if text.is_empty() {
        return Err(embark_core::FieldError::new("response", "error-followup-response-empty").into());
    }
    if text.chars().count() > core::MAX_COMMENT {
        return Err(embark_core::FieldError::new("response", "error-survey-comment-long").into());
    }
    let now = state.now();
    if !store::respond(&mut tx, ws, id, actor.user.id, text, now).await? {
        return Err(embark_core::FieldError::new("response", "error-followup-answered").into());
    }
    engagement_store::record_event(
        &mut tx,
        ws,
        f.engagement_id,
        Some(actor.user.id),
        "followup_answered",
        None,
        "",
        now,
    )
    .await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(())
}

/// A follow-up, for its owner, an admin, or whoever may read results.
pub async fn followup(
    state: &AppState,
    actor: &Principal,
    id: embark_core::SurveyFollowUpId,
) -> Result<store::FollowUpRow, AppError> {
    let f = store::followup(&mut state.store.db(), actor.user.workspace_id, id).await?.ok_or(AppError::NotFound)?;
    if f.owner_id == actor.user.id || actor.user.role.can(Permission::ViewSurveyResults) {
        Ok(f)
    } else {
        Err(AppError::NotFound)
    }
}

/// The workspace's follow-ups, newest first, for whoever may read results.
pub async fn followups(state: &AppState, actor: &Principal) -> Result<Vec<store::FollowUpRow>, AppError> {
    require(actor, Permission::ViewSurveyResults)?;
    Ok(store::followups(&mut state.store.db(), actor.user.workspace_id, 200).await?)
}

/// One month of a survey's results.
pub struct Month {
    /// `2026-12`.
    pub month: String,
    pub summary: Summary,
}

/// A survey's results over a period.
pub struct Results {
    pub survey: SurveyRow,
    pub from_month: String,
    pub to_month: String,
    /// Over the whole period.
    pub summary: Summary,
    /// How many answered each score, from the lowest of the scale.
    pub distribution: Vec<(u8, i64)>,
    pub months: Vec<Month>,
    /// The last month against the one before, when both have answers.
    pub change: Option<nps::Change>,
    pub sent: i64,
    pub answered: i64,
    /// An anonymous survey (or one segment of it) under [`MIN_GROUP`] answers: only
    /// counts are shown.
    pub suppressed: bool,
    pub comments: Vec<AnswerRow>,
    /// The segment shown, if one was asked for.
    pub segment: Option<String>,
    /// Every segment answered in the period, with its count ("" is none).
    pub segments: Vec<(String, i64)>,
}

pub use core::last_twelve_months;
use core::months_before;

/// The years a period's months may be in (the API's pattern says the same).
pub const MIN_YEAR: i32 = 1970;
pub const MAX_YEAR: i32 = 2999;

/// A month as `YYYY-MM` (1970 to 2999), or an error on the field.
pub fn parse_month(field: &'static str, value: &str) -> Result<String, embark_core::FieldError> {
    let bad = || embark_core::FieldError::new(field, "error-month");
    let v = value.trim();
    let (y, m) = v.split_once('-').ok_or_else(bad)?;
    let ok = y.len() == 4 && m.len() == 2 && y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit());
    let month: u32 = m.parse().map_err(|_| bad())?;
    let year: i32 = y.parse().map_err(|_| bad())?;
    if !ok || !(1..=12).contains(&month) || !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Err(bad());
    }
    Ok(v.to_string())
}

/// The period asked for, `from` and `to` as `YYYY-MM`: a month not given is the
/// default's (the last twelve months up to `now`), and so is one that does not parse,
/// whose error comes back too.
pub fn period(
    from: Option<&str>,
    to: Option<&str>,
    now: Timestamp,
) -> ((String, String), Vec<embark_core::FieldError>) {
    let (mut default_from, default_to) = last_twelve_months(now);
    // Without `from`, the period is the twelve months up to `to`.
    if let Some(Ok(to)) = to.map(|t| parse_month("to", t)) {
        default_from = months_before(&to, 11);
    }
    let mut errors = Vec::new();
    let mut month = |field: &'static str, given: Option<&str>, default: String| match given {
        Some(v) => parse_month(field, v).unwrap_or_else(|e| {
            errors.push(e);
            default
        }),
        None => default,
    };
    let from = month("from", from, default_from);
    let to = month("to", to, default_to);
    ((from, to), errors)
}

pub async fn results(
    state: &AppState,
    actor: &Principal,
    id: SurveyId,
    period: Option<(String, String)>,
    segment: Option<&str>,
) -> Result<Results, AppError> {
    require(actor, Permission::ViewSurveyResults)?;
    let ws = actor.user.workspace_id;
    let db = &mut state.store.conn().await?;
    let survey = store::get(db, ws, id).await?.ok_or(AppError::NotFound)?;
    let (from_month, to_month) = period.unwrap_or_else(|| last_twelve_months(state.now()));
    if from_month > to_month {
        return Err(embark_core::FieldError::new("from", "error-period-order").into());
    }
    let segment = segment.map(str::trim).filter(|s| !s.is_empty());
    let counts = store::monthly_counts(db, ws, id, &from_month, &to_month, segment).await?;
    let segments = store::segments(db, ws, id, &from_month, &to_month).await?;
    let (low, high) = survey.kind.scale();
    let mut distribution: Vec<(u8, i64)> = (low..=high).map(|s| (s, 0)).collect();
    let mut months: Vec<(String, [i64; 3])> = Vec::new();
    for (month, score, n) in &counts {
        if let Some(slot) = distribution.iter_mut().find(|(s, _)| s == score) {
            slot.1 += n;
        }
        if months.last().map(|(m, _)| m != month).unwrap_or(true) {
            months.push((month.clone(), [0; 3]));
        }
        if let Some((_, c)) = months.last_mut() {
            c[slot(survey.kind, *score)] += n;
        }
    }
    let total: i64 = distribution.iter().map(|(_, n)| n).sum();
    let mut all = [0i64; 3];
    for (_, c) in &months {
        for i in 0..3 {
            all[i] += c[i];
        }
    }
    let mut months: Vec<Month> = months.into_iter().map(|(month, c)| Month { month, summary: summary_of(c) }).collect();
    let mut summary = summary_of(all);
    let (sent, answered) = store::send_totals(db, ws, id).await?;
    // Under five answers, an anonymous survey shows counts only. A segment is shown
    // only while every segment of the period has five answers too: otherwise the
    // whole minus the segments shown would tell the small one's answers.
    let small_segment = segments.iter().any(|(_, n)| *n < MIN_GROUP);
    let suppressed = survey.anonymous && (total < MIN_GROUP || (segment.is_some() && small_segment));
    if suppressed {
        summary = summary.withheld();
        distribution.iter_mut().for_each(|d| d.1 = 0);
    }
    if survey.anonymous {
        // A month under five answers shows its count only: one new hire's answer in a
        // quiet month would otherwise be there to read.
        for m in months.iter_mut().filter(|m| suppressed || i64::from(m.summary.answers) < MIN_GROUP) {
            m.summary = m.summary.withheld();
        }
    }
    // Between the last two months, when both have a score to compare.
    let change = match months.as_slice() {
        [.., a, b] => nps::change(&a.summary, &b.summary),
        _ => None,
    };
    // Comments are not kept per segment: shown only for the whole survey.
    let comments =
        if suppressed || segment.is_some() { Vec::new() } else { store::recent_comments(db, ws, id, 20).await? };
    let results = Results {
        summary,
        distribution,
        months,
        change,
        sent,
        answered,
        suppressed,
        comments,
        survey,
        from_month,
        to_month,
        segment: segment.map(str::to_string),
        segments,
    };
    Ok(results)
}

/// Where a score counts: promoters, passives, detractors.
fn slot(kind: core::SurveyKind, score: u8) -> usize {
    match kind.category(score) {
        nps::Category::Promoter => 0,
        nps::Category::Passive => 1,
        nps::Category::Detractor => 2,
    }
}

fn summary_of(c: [i64; 3]) -> Summary {
    let n = |x: i64| u32::try_from(x).unwrap_or(u32::MAX);
    nps::from_counts(n(c[0]), n(c[1]), n(c[2]))
}

/// A survey's score over `[from_month, to_month]` and whether it is withheld (an
/// anonymous survey under the minimum group size): the figure [`results`] heads its
/// page with, without the months, segments and comments, for the indicators.
pub async fn score(
    db: &mut Db,
    ws: WorkspaceId,
    survey: &SurveyRow,
    from_month: &str,
    to_month: &str,
) -> Result<(Summary, bool), AppError> {
    let mut all = [0i64; 3];
    for (_, score, n) in store::monthly_counts(db, ws, survey.id, from_month, to_month, None).await? {
        all[slot(survey.kind, score)] += n;
    }
    let summary = summary_of(all);
    let suppressed = survey.anonymous && all.iter().sum::<i64>() < MIN_GROUP;
    Ok(if suppressed { (summary.withheld(), true) } else { (summary, false) })
}

/// The workspace's surveys for someone who may read results.
pub async fn list(state: &AppState, actor: &Principal) -> Result<Vec<SurveyRow>, AppError> {
    require(actor, Permission::ViewSurveyResults)?;
    let mut db = state.store.conn().await?;
    surveys(&mut db, actor.user.workspace_id, state.now()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_twelve_months_end_with_this_one() {
        // 2026-12-01T21:30:00Z
        assert_eq!(last_twelve_months(Timestamp::from_millis(1_796_160_600_000)), ("2026-01".into(), "2026-12".into()));
        // 2027-01-15
        assert_eq!(last_twelve_months(Timestamp::from_millis(1_800_000_000_000)), ("2026-02".into(), "2027-01".into()));
    }

    /// As documented: without `from`, the twelve months up to `to` (found by the API
    /// contract run: `to` alone in the past was refused, `from` defaulting to a year ago).
    #[test]
    fn a_period_without_its_first_month_is_the_twelve_months_up_to_its_last() {
        let now = Timestamp::from_millis(1_796_160_600_000); // 2026-12-01
        assert_eq!(period(None, Some("2024-03"), now), (("2023-04".into(), "2024-03".into()), vec![]));
        assert_eq!(period(None, Some("1970-01"), now), (("1969-02".into(), "1970-01".into()), vec![]));
        assert_eq!(period(Some("2026-02"), None, now), (("2026-02".into(), "2026-12".into()), vec![]));
        assert_eq!(period(None, None, now), (("2026-01".into(), "2026-12".into()), vec![]));
    }

    #[test]
    fn months_are_year_dash_month() {
        assert_eq!(parse_month("from", " 2026-03 "), Ok("2026-03".into()));
        assert_eq!(parse_month("to", "1970-01"), Ok("1970-01".into()));
        assert_eq!(parse_month("to", "2999-12"), Ok("2999-12".into()));
        for bad in ["2026-13", "2026-00", "26-03", "2026/03", "2026-3", "abcd-ef", "", "0000-01", "1969-12", "3000-01"]
        {
            assert_eq!(parse_month("from", bad), Err(embark_core::FieldError::new("from", "error-month")), "{bad:?}");
        }
    }
}
