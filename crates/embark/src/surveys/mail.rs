//! The survey email: the question, whether the answer is anonymous, and the link.

use embark_core::{SurveyFollowUpId, SurveySendId, WorkspaceId};
use embark_store::accounts::{users, workspaces};

use crate::email::deliver::deliver;
use crate::email::Notice;
use crate::i18n::Tr;
use crate::state::AppState;
use crate::surveys::service::mint_link;

/// `Job::SurveyEmail`: mints the link of a send that is still open and emails it.
pub async fn send(state: &AppState, ws: WorkspaceId, send_id: SurveySendId) -> anyhow::Result<()> {
    let Some((send, url)) = mint_link(state, send_id).await? else { return Ok(()) };
    let db = &mut state.store.db();
    let Some(person) = users::get(db, ws, send.user_id).await?.filter(|u| u.active) else { return Ok(()) };
    let Some(survey) = embark_store::surveys::get(db, ws, send.survey_id).await? else { return Ok(()) };
    let Some(engagement) = embark_store::engagements::get(db, ws, send.engagement_id).await? else { return Ok(()) };
    let tz = workspaces::get(db, ws).await?.map(|w| w.time_zone).unwrap_or_else(|| "UTC".into());
    let tr = Tr::new(person.locale);
    let question = super::question(&survey, person.locale);
    let privacy = if survey.anonymous { "survey-email-anonymous" } else { "survey-email-named" };
    let notice = Notice {
        lang: tr.code(),
        greeting: tr.t_args("email-greeting", &[("name", &person.name)]),
        paragraphs: vec![
            tr.t1("survey-email-intro", "engagement", &engagement.title),
            question.to_string(),
            tr.t(privacy),
            tr.t1("survey-email-until", "date", &tr.date(send.expires_at, &tz)),
        ],
        action: tr.t("survey-email-action"),
        url,
        signature: tr.t("email-signature"),
    };
    let subject = super::title(&survey, person.locale).to_string();
    let email = notice.into_email("survey", person.locale, person.email.as_str(), &person.name, subject)?;
    deliver(state, ws, &email).await
}

/// `Job::SurveyReminder`: a week after it went, still unanswered and open: one reminder,
/// which leads to the person's own space (where she signs in) rather than minting a
/// new link that would silently end the first.
pub async fn remind(state: &AppState, ws: WorkspaceId, send_id: SurveySendId) -> anyhow::Result<()> {
    let db = &mut state.store.db();
    let Some(send) = embark_store::surveys::send_by_id(db, ws, send_id).await? else { return Ok(()) };
    if send.answered || send.expires_at <= state.now() {
        return Ok(());
    }
    let Some(person) = users::get(db, ws, send.user_id).await?.filter(|u| u.active) else { return Ok(()) };
    let Some(survey) = embark_store::surveys::get(db, ws, send.survey_id).await? else { return Ok(()) };
    let tz = workspaces::get(db, ws).await?.map(|w| w.time_zone).unwrap_or_else(|| "UTC".into());
    let tr = Tr::new(person.locale);
    let privacy = if survey.anonymous { "survey-email-anonymous" } else { "survey-email-named" };
    let notice = Notice {
        lang: tr.code(),
        greeting: tr.t_args("email-greeting", &[("name", &person.name)]),
        paragraphs: vec![
            tr.t("survey-email-reminder"),
            super::question(&survey, person.locale).to_string(),
            tr.t(privacy),
            tr.t1("survey-email-until", "date", &tr.date(send.expires_at, &tz)),
        ],
        action: tr.t("survey-email-action"),
        url: format!("{}/surveys/sends/{}", state.config.base_url, send.id),
        signature: tr.t("email-signature"),
    };
    let subject = tr.t1("survey-email-reminder-subject", "title", super::title(&survey, person.locale));
    let email = notice.into_email("survey_reminder", person.locale, person.email.as_str(), &person.name, subject)?;
    deliver(state, ws, &email).await
}

/// The owner and the follow-up, if it is still open; `None` otherwise (nothing to send).
async fn open_followup(
    state: &AppState,
    ws: WorkspaceId,
    id: SurveyFollowUpId,
) -> anyhow::Result<Option<(embark_store::surveys::FollowUpRow, users::User, String)>> {
    let db = &mut state.store.db();
    let Some(f) = embark_store::surveys::followup(db, ws, id).await? else { return Ok(None) };
    if f.responded_at.is_some() {
        return Ok(None);
    }
    let Some(owner) = users::get(db, ws, f.owner_id).await?.filter(|u| u.active) else { return Ok(None) };
    let tz = workspaces::get(db, ws).await?.map(|w| w.time_zone).unwrap_or_else(|| "UTC".into());
    Ok(Some((f, owner, tz)))
}

fn followup_notice(state: &AppState, tr: Tr, to: &str, f: &embark_store::surveys::FollowUpRow, body: String) -> Notice {
    let mut paragraphs = vec![body];
    if let Some(c) = &f.comment {
        paragraphs.push(tr.t1("followup-email-comment", "comment", c));
    }
    Notice {
        lang: tr.code(),
        greeting: tr.t_args("email-greeting", &[("name", to)]),
        paragraphs,
        action: tr.t("followup-email-action"),
        url: format!("{}/surveys/followups/{}", state.config.base_url, f.id),
        signature: tr.t("email-signature"),
    }
}

fn followup_args<'a>(f: &'a embark_store::surveys::FollowUpRow, score: &'a str) -> [(&'static str, &'a str); 3] {
    [("person", f.person_name.as_deref().unwrap_or("—")), ("score", score), ("engagement", &f.engagement_title)]
}

/// `Job::FollowUpOpened`: tells the owner an unhappy answer waits for them.
pub async fn followup_opened(state: &AppState, ws: WorkspaceId, id: SurveyFollowUpId) -> anyhow::Result<()> {
    let Some((f, owner, tz)) = open_followup(state, ws, id).await? else { return Ok(()) };
    let tr = Tr::new(owner.locale);
    let score = f.score.map(|s| s.to_string()).unwrap_or_default();
    let mut args = followup_args(&f, &score).to_vec();
    let due = tr.datetime(f.due_at, &tz);
    args.push(("due", &due));
    let notice = followup_notice(state, tr, &owner.name, &f, tr.t_args("followup-email-opened", &args));
    let subject = tr.t_args("followup-email-opened-subject", &followup_args(&f, &score));
    let email = notice.into_email("followup_opened", owner.locale, owner.email.as_str(), &owner.name, subject)?;
    deliver(state, ws, &email).await
}

/// `Job::FollowUpDue`: still unanswered at its target: the owner is reminded once,
/// and the admins will be told a day later.
pub async fn followup_due(state: &AppState, ws: WorkspaceId, id: SurveyFollowUpId) -> anyhow::Result<()> {
    let Some((f, owner, _)) = open_followup(state, ws, id).await? else { return Ok(()) };
    let tr = Tr::new(owner.locale);
    let score = f.score.map(|s| s.to_string()).unwrap_or_default();
    let notice =
        followup_notice(state, tr, &owner.name, &f, tr.t_args("followup-email-late", &followup_args(&f, &score)));
    let subject = tr.t_args("followup-email-late-subject", &followup_args(&f, &score));
    let email = notice.into_email("followup_late", owner.locale, owner.email.as_str(), &owner.name, subject)?;
    deliver(state, ws, &email).await?;
    let now = state.now();
    let job = crate::jobs::queue::Job::FollowUpEscalate { workspace_id: ws, followup_id: id };
    let at = now.plus_millis(crate::surveys::service::ESCALATE_AFTER_MS);
    crate::jobs::queue::enqueue_at(&mut state.store.db(), &job, at, now, Some(&format!("followup-escalate:{id}")))
        .await?;
    Ok(())
}

/// `Job::FollowUpEscalate`: a day after the reminder, still unanswered: the admins are told.
pub async fn followup_escalate(state: &AppState, ws: WorkspaceId, id: SurveyFollowUpId) -> anyhow::Result<()> {
    let Some((f, owner, _)) = open_followup(state, ws, id).await? else { return Ok(()) };
    if !embark_store::surveys::mark_escalated(&mut state.store.db(), ws, id, state.now()).await? {
        return Ok(());
    }
    let score = f.score.map(|s| s.to_string()).unwrap_or_default();
    for admin in users::admins(&mut state.store.db(), ws).await? {
        let tr = Tr::new(admin.locale);
        let mut args = followup_args(&f, &score).to_vec();
        args.push(("owner", &owner.name));
        let notice = followup_notice(state, tr, &admin.name, &f, tr.t_args("followup-email-escalated", &args));
        let subject = tr.t_args("followup-email-escalated-subject", &followup_args(&f, &score));
        let email =
            notice.into_email("followup_escalated", admin.locale, admin.email.as_str(), &admin.name, subject)?;
        deliver(state, ws, &email).await?;
    }
    Ok(())
}
