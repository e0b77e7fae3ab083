//! The kick-off's emails, sent by jobs: the invitation with its `.ics`, the no-show
//! alert, the report and its reminders, and the questions asked once it is acknowledged.
//! Each job checks the situation still calls for it (the invitation was not superseded,
//! the report is still unsent…) so that a late or repeated job sends nothing wrong.

use embark_core::kickoff::{ActionPurpose, ACKNOWLEDGE_WITHIN_MS};
use embark_core::{kickoff::ics, EngagementId, Role, Timestamp, UserId, WorkspaceId};
use embark_store::{accounts::users, accounts::workspaces};

use crate::email::deliver::deliver;
use crate::email::Notice;
use crate::engagements::summary::item_title;
use crate::i18n::Tr;
use crate::kickoff::meeting::service::{mint_action, report_scorecard, system_view, MeetingView};
use crate::kickoff::report::{ReportDoc, ReportInput};
use crate::kickoff::scorecard::service::CLIENT_ROLE;
use crate::state::AppState;

const DAY: i64 = 24 * 3_600_000;

fn err(e: crate::error::AppError) -> anyhow::Error {
    anyhow::Error::from(e)
}

async fn time_zone(state: &AppState, ws: WorkspaceId) -> anyhow::Result<String> {
    Ok(workspaces::get(&mut state.store.db(), ws).await?.map(|w| w.time_zone).unwrap_or_else(|| "UTC".into()))
}

fn notice(tr: Tr, name: &str, paragraphs: Vec<String>, action: &str, url: String) -> Notice {
    Notice {
        lang: tr.code(),
        greeting: tr.t_args("email-greeting", &[("name", name)]),
        paragraphs,
        action: tr.t(action),
        url,
        signature: tr.t("email-signature"),
    }
}

/// The invitation of one attendee: the calendar event and a link to confirm.
pub async fn invitation(
    state: &AppState,
    ws: WorkspaceId,
    id: EngagementId,
    user: UserId,
    sequence: i64,
) -> anyhow::Result<()> {
    let Some(v) = system_view(state, ws, id).await.map_err(err)? else { return Ok(()) };
    if v.meeting.invitation_sequence != sequence || v.meeting.started_at.is_some() {
        return Ok(()); // a newer invitation went out, or it is too late
    }
    let Some(person) = v.attendees.iter().find(|a| a.user_id == user && a.active) else { return Ok(()) };
    let pool = &mut state.store.db();
    let owner = users::get(pool, ws, v.engagement.owner_id).await?.ok_or_else(|| anyhow::anyhow!("owner"))?;
    let tz = time_zone(state, ws).await?;
    let starts = v.starts_at();
    let expires = starts.plus_millis(3_600_000).max(state.now().plus_millis(3_600_000));
    let url = mint_action(state, ws, id, user, ActionPurpose::ConfirmAttendance, expires).await.map_err(err)?;
    let tr = Tr::new(person.locale);
    let when = tr.datetime(starts, &tz);
    let length = tr.minutes(v.meeting.duration_minutes);
    let attendees: Vec<(&str, &str)> = v.attendees.iter().map(|a| (a.name.as_str(), a.email.as_str())).collect();
    let host = state.config.base_url.split("://").nth(1).unwrap_or("embark").split('/').next().unwrap_or("embark");
    let description = tr.t1("ics-description", "title", &v.engagement.title);
    let ics = ics::request(&ics::Invitation {
        uid: &format!("kickoff-{id}@{host}"),
        sequence: u32::try_from(sequence).unwrap_or(0),
        starts_at: starts,
        duration_minutes: u32::try_from(v.meeting.duration_minutes).unwrap_or(60),
        time_zone: &tz,
        summary: &tr.t1("ics-summary", "title", &v.engagement.title),
        description: &description,
        location: &v.meeting.place,
        url: Some(&format!("{}/engagements/{id}/meeting", state.config.base_url)),
        organizer_name: &owner.name,
        organizer_email: owner.email.as_str(),
        attendees: &attendees,
        stamp: state.now(),
    })?;
    let paragraphs = vec![
        tr.t_args(
            "email-meeting-invitation-body",
            &[
                ("manager", &owner.name),
                ("title", &v.engagement.title),
                ("date", &when),
                ("length", &length),
                ("place", &v.meeting.place),
            ],
        ),
        tr.t("email-meeting-invitation-confirm"),
    ];
    let subject = tr.t2("email-meeting-invitation-subject", "title", &v.engagement.title, "date", &when);
    let mut email = notice(tr, &person.name, paragraphs, "email-meeting-invitation-action", url).into_email(
        "meeting_invitation",
        person.locale,
        &person.email,
        &person.name,
        subject,
    )?;
    email.calendar = Some(ics);
    deliver(state, ws, &email).await
}

/// 48 h before: if a client contact has not confirmed, the account manager is told.
pub async fn no_show_check(
    state: &AppState,
    ws: WorkspaceId,
    id: EngagementId,
    starts_at: Timestamp,
) -> anyhow::Result<()> {
    let Some(v) = system_view(state, ws, id).await.map_err(err)? else { return Ok(()) };
    if v.starts_at() != starts_at || v.meeting.started_at.is_some() {
        return Ok(());
    }
    let missing: Vec<&str> = v
        .attendees
        .iter()
        .filter(|a| a.role == Role::ClientContact && a.confirmed_at.is_none())
        .map(|a| a.name.as_str())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let Some(owner) = users::get(&mut state.store.db(), ws, v.engagement.owner_id).await?.filter(|u| u.active) else {
        return Ok(());
    };
    let tr = Tr::new(owner.locale);
    let tz = time_zone(state, ws).await?;
    let paragraphs = vec![tr.t_args(
        "email-no-show-body",
        &[("names", &missing.join(", ")), ("title", &v.engagement.title), ("date", &tr.datetime(starts_at, &tz))],
    )];
    let subject = tr.t1("email-no-show-subject", "title", &v.engagement.title);
    let url = format!("{}/engagements/{id}/meeting", state.config.base_url);
    let email = notice(tr, &owner.name, paragraphs, "email-open-meeting", url).into_email(
        "no_show_risk",
        owner.locale,
        owner.email.as_str(),
        &owner.name,
        subject,
    )?;
    deliver(state, ws, &email).await
}

/// 15 minutes after the end: the report should be out; if not, the account manager is reminded.
pub async fn report_not_sent(state: &AppState, ws: WorkspaceId, id: EngagementId) -> anyhow::Result<()> {
    let Some(v) = system_view(state, ws, id).await.map_err(err)? else { return Ok(()) };
    if v.report.as_ref().is_none_or(|r| r.sent_at.is_some()) {
        return Ok(());
    }
    let Some(owner) = users::get(&mut state.store.db(), ws, v.engagement.owner_id).await?.filter(|u| u.active) else {
        return Ok(());
    };
    let tr = Tr::new(owner.locale);
    let paragraphs = vec![tr.t1("email-report-unsent-body", "title", &v.engagement.title)];
    let subject = tr.t1("email-report-unsent-subject", "title", &v.engagement.title);
    let url = format!("{}/engagements/{id}/report", state.config.base_url);
    let email = notice(tr, &owner.name, paragraphs, "email-open-report", url).into_email(
        "report_unsent",
        owner.locale,
        owner.email.as_str(),
        &owner.name,
        subject,
    )?;
    deliver(state, ws, &email).await
}

/// The report as a document in `tr`'s language.
pub async fn report_doc(
    state: &AppState,
    tr: Tr,
    tz: &str,
    v: &MeetingView,
) -> Result<ReportDoc, crate::error::AppError> {
    let ws = v.workspace_id;
    let id = v.engagement.id;
    let card = report_scorecard(state, ws, id).await?;
    let questions = embark_store::kickoff::scorecards::questions(&mut state.store.db(), ws, id).await?;
    let input = ReportInput {
        title: &v.engagement.title,
        subject: &v.engagement.subject,
        starts_at: v.starts_at(),
        time_zone: tz,
        place: &v.meeting.place,
        participants: v.participants.iter().map(|p| (p.name.clone(), tr.role_name(&p.role))).collect(),
        steps: v
            .steps
            .iter()
            .map(|s| (item_title(&v.playbook, &s.key).unwrap_or_else(|| s.key.clone()), s.minutes, v.actual_ms(&s.key)))
            .collect(),
        planned_minutes: v.meeting.duration_minutes,
        started_at: v.meeting.started_at,
        ended_at: v.meeting.ended_at,
        extended_minutes: v.meeting.extended_minutes,
        scorecard: card.as_ref().map(|(_, c)| c),
        locked: card.as_ref().and_then(|(row, _)| Some((row.locked_at?, row.content_hash.clone()?))),
        decisions: v.report.as_ref().map(|r| r.decisions.as_str()).unwrap_or(""),
        open_questions: questions.iter().filter(|q| q.open).map(|q| q.body.clone()).collect(),
        next_steps: v.next_steps.iter().map(|s| (s.kind, s.title.clone(), s.owner_name.clone(), s.due_at)).collect(),
        resources: &v.meeting.resources,
        market: &v.meeting.market_notes,
    };
    Ok(ReportDoc::build(tr, &input))
}

/// The report to one client contact, with a link to acknowledge receipt.
pub async fn send_report(state: &AppState, ws: WorkspaceId, id: EngagementId, user: UserId) -> anyhow::Result<()> {
    let Some(v) = system_view(state, ws, id).await.map_err(err)? else { return Ok(()) };
    let Some(person) = v.participants.iter().find(|p| p.user_id == user && p.active) else { return Ok(()) };
    let tr = Tr::new(person.locale);
    let tz = time_zone(state, ws).await?;
    let doc = report_doc(state, tr, &tz, &v).await.map_err(err)?;
    let expires = state.now().plus_millis(30 * DAY);
    let url = mint_action(state, ws, id, user, ActionPurpose::AcknowledgeReport, expires).await.map_err(err)?;
    let email = crate::kickoff::report::render_email(tr, &person.email, &person.name, &doc, url)?;
    deliver(state, ws, &email).await
}

/// 48 h after sending: not acknowledged yet, the client is reminded and the account manager told.
pub async fn report_not_acknowledged(state: &AppState, ws: WorkspaceId, id: EngagementId) -> anyhow::Result<()> {
    let Some(v) = system_view(state, ws, id).await.map_err(err)? else { return Ok(()) };
    let Some(report) = v.report.as_ref() else { return Ok(()) };
    if report.acknowledged_at.is_some() || report.sent_at.is_none() {
        return Ok(());
    }
    for p in v.participants.iter().filter(|p| p.role == CLIENT_ROLE && p.active) {
        let tr = Tr::new(p.locale);
        let url =
            mint_action(state, ws, id, p.user_id, ActionPurpose::AcknowledgeReport, state.now().plus_millis(30 * DAY))
                .await
                .map_err(err)?;
        let paragraphs = vec![tr.t1("email-ack-reminder-body", "title", &v.engagement.title)];
        let subject = tr.t1("email-ack-reminder-subject", "title", &v.engagement.title);
        let email = notice(tr, &p.name, paragraphs, "email-report-action", url).into_email(
            "report_ack_reminder",
            p.locale,
            &p.email,
            &p.name,
            subject,
        )?;
        deliver(state, ws, &email).await?;
    }
    if let Some(owner) = users::get(&mut state.store.db(), ws, v.engagement.owner_id).await?.filter(|u| u.active) {
        let tr = Tr::new(owner.locale);
        let hours = (ACKNOWLEDGE_WITHIN_MS / 3_600_000).to_string();
        let paragraphs = vec![tr.t2("email-ack-late-body", "title", &v.engagement.title, "hours", &hours)];
        let subject = tr.t1("email-ack-late-subject", "title", &v.engagement.title);
        let url = format!("{}/engagements/{id}/report", state.config.base_url);
        let email = notice(tr, &owner.name, paragraphs, "email-open-report", url).into_email(
            "report_ack_late",
            owner.locale,
            owner.email.as_str(),
            &owner.name,
            subject,
        )?;
        deliver(state, ws, &email).await?;
    }
    Ok(())
}

/// Once the report is acknowledged: the NPS to the client, and the relationship
/// question to each side.
pub async fn survey(state: &AppState, ws: WorkspaceId, id: EngagementId) -> anyhow::Result<()> {
    let Some(v) = system_view(state, ws, id).await.map_err(err)? else { return Ok(()) };
    let expires = state.now().plus_millis(30 * DAY);
    let mut people: Vec<(UserId, String, String, embark_core::Locale, bool)> = v
        .participants
        .iter()
        .filter(|p| p.role == CLIENT_ROLE && p.active)
        .map(|p| (p.user_id, p.name.clone(), p.email.clone(), p.locale, true))
        .collect();
    if let Some(owner) = users::get(&mut state.store.db(), ws, v.engagement.owner_id).await?.filter(|u| u.active) {
        people.push((owner.id, owner.name.clone(), owner.email.as_str().to_string(), owner.locale, false));
    }
    for (user, name, address, locale, is_client) in people {
        let tr = Tr::new(locale);
        if is_client {
            let url = mint_action(state, ws, id, user, ActionPurpose::AnswerNps, expires).await.map_err(err)?;
            let paragraphs = vec![tr.t1("email-nps-body", "title", &v.engagement.title)];
            let subject = tr.t1("email-nps-subject", "title", &v.engagement.title);
            let email = notice(tr, &name, paragraphs, "email-nps-action", url).into_email(
                "kickoff_nps",
                locale,
                &address,
                &name,
                subject,
            )?;
            deliver(state, ws, &email).await?;
        }
        let url = mint_action(state, ws, id, user, ActionPurpose::AnswerRelationship, expires).await.map_err(err)?;
        let paragraphs = vec![tr.t1("email-relationship-body", "title", &v.engagement.title)];
        let subject = tr.t1("email-relationship-subject", "title", &v.engagement.title);
        let email = notice(tr, &name, paragraphs, "email-relationship-action", url).into_email(
            "kickoff_relationship",
            locale,
            &address,
            &name,
            subject,
        )?;
        deliver(state, ws, &email).await?;
    }
    Ok(())
}
