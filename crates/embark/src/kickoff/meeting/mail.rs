//! The kick-off's emails, sent by jobs: the invitation with its `.ics`, the no-show
//! alert, the report and its reminders, and the questions asked once it is acknowledged.
//! Each job checks the situation still calls for it (the invitation was not superseded,
//! the report is still unsent…) so that a late or repeated job sends nothing wrong.

use embark_core::kickoff::{ActionPurpose, ACKNOWLEDGE_WITHIN_MS};
use embark_core::{kickoff::ics, EngagementId, Role, Timestamp, UserId, WorkspaceId};
use embark_store::{accounts::users, accounts::workspaces};

use crate::email::deliver::deliver;
use crate::email::{Email, Notice};
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

/// Who an email goes to.
#[derive(Clone, Copy)]
pub(crate) struct To<'a> {
    pub name: &'a str,
    pub email: &'a str,
}

impl To<'_> {
    fn compose(self, tr: Tr, n: Notice, kind: &'static str, subject: String) -> anyhow::Result<Email> {
        n.into_email(kind, tr.locale, self.email, self.name, subject)
    }
}

/// The invitation's text (the job attaches the calendar event).
#[allow(clippy::too_many_arguments)]
pub(crate) fn invitation_email(
    tr: Tr,
    to: To,
    manager: &str,
    title: &str,
    when: &str,
    length: &str,
    place: &str,
    url: String,
) -> anyhow::Result<Email> {
    let paragraphs = vec![
        tr.t_args(
            "email-meeting-invitation-body",
            &[("manager", manager), ("title", title), ("date", when), ("length", length), ("place", place)],
        ),
        tr.t("email-meeting-invitation-confirm"),
    ];
    let subject = tr.t2("email-meeting-invitation-subject", "title", title, "date", when);
    to.compose(
        tr,
        notice(tr, to.name, paragraphs, "email-meeting-invitation-action", url),
        "meeting_invitation",
        subject,
    )
}

/// To the account manager: these client contacts have not confirmed.
pub(crate) fn no_show_email(
    tr: Tr,
    to: To,
    names: &[&str],
    title: &str,
    when: &str,
    url: String,
) -> anyhow::Result<Email> {
    let paragraphs =
        vec![tr.t_args("email-no-show-body", &[("names", &names.join(", ")), ("title", title), ("date", when)])];
    let subject = tr.t1("email-no-show-subject", "title", title);
    to.compose(tr, notice(tr, to.name, paragraphs, "email-open-meeting", url), "no_show_risk", subject)
}

/// To the account manager: the meeting ended and its report is not out.
pub(crate) fn report_unsent_email(tr: Tr, to: To, title: &str, url: String) -> anyhow::Result<Email> {
    let paragraphs = vec![tr.t1("email-report-unsent-body", "title", title)];
    let subject = tr.t1("email-report-unsent-subject", "title", title);
    to.compose(tr, notice(tr, to.name, paragraphs, "email-open-report", url), "report_unsent", subject)
}

/// To a client contact: the report waits for an acknowledgement.
pub(crate) fn ack_reminder_email(tr: Tr, to: To, title: &str, url: String) -> anyhow::Result<Email> {
    let paragraphs = vec![tr.t1("email-ack-reminder-body", "title", title)];
    let subject = tr.t1("email-ack-reminder-subject", "title", title);
    to.compose(tr, notice(tr, to.name, paragraphs, "email-report-action", url), "report_ack_reminder", subject)
}

/// To the account manager: the client has not acknowledged the report in time.
pub(crate) fn ack_late_email(tr: Tr, to: To, title: &str, hours: i64, url: String) -> anyhow::Result<Email> {
    let paragraphs = vec![tr.t2("email-ack-late-body", "title", title, "hours", &hours.to_string())];
    let subject = tr.t1("email-ack-late-subject", "title", title);
    to.compose(tr, notice(tr, to.name, paragraphs, "email-open-report", url), "report_ack_late", subject)
}

/// To a client contact, once the report is acknowledged: would she recommend us?
pub(crate) fn nps_email(tr: Tr, to: To, title: &str, url: String) -> anyhow::Result<Email> {
    let paragraphs = vec![tr.t1("email-nps-body", "title", title)];
    let subject = tr.t1("email-nps-subject", "title", title);
    to.compose(tr, notice(tr, to.name, paragraphs, "email-nps-action", url), "kickoff_nps", subject)
}

/// To each side, once the report is acknowledged: did frank feedback go both ways?
pub(crate) fn relationship_email(tr: Tr, to: To, title: &str, url: String) -> anyhow::Result<Email> {
    let paragraphs = vec![tr.t1("email-relationship-body", "title", title)];
    let subject = tr.t1("email-relationship-subject", "title", title);
    to.compose(tr, notice(tr, to.name, paragraphs, "email-relationship-action", url), "kickoff_relationship", subject)
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
    let to = To { name: &person.name, email: &person.email };
    let mut email = invitation_email(tr, to, &owner.name, &v.engagement.title, &when, &length, &v.meeting.place, url)?;
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
    let url = format!("{}/engagements/{id}/meeting", state.config.base_url);
    let to = To { name: &owner.name, email: owner.email.as_str() };
    let email = no_show_email(tr, to, &missing, &v.engagement.title, &tr.datetime(starts_at, &tz), url)?;
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
    let url = format!("{}/engagements/{id}/report", state.config.base_url);
    let email =
        report_unsent_email(tr, To { name: &owner.name, email: owner.email.as_str() }, &v.engagement.title, url)?;
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
        let email = ack_reminder_email(tr, To { name: &p.name, email: &p.email }, &v.engagement.title, url)?;
        deliver(state, ws, &email).await?;
    }
    if let Some(owner) = users::get(&mut state.store.db(), ws, v.engagement.owner_id).await?.filter(|u| u.active) {
        let tr = Tr::new(owner.locale);
        let url = format!("{}/engagements/{id}/report", state.config.base_url);
        let to = To { name: &owner.name, email: owner.email.as_str() };
        let email = ack_late_email(tr, to, &v.engagement.title, ACKNOWLEDGE_WITHIN_MS / 3_600_000, url)?;
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
            let email = nps_email(tr, To { name: &name, email: &address }, &v.engagement.title, url)?;
            deliver(state, ws, &email).await?;
        }
        let url = mint_action(state, ws, id, user, ActionPurpose::AnswerRelationship, expires).await.map_err(err)?;
        let email = relationship_email(tr, To { name: &name, email: &address }, &v.engagement.title, url)?;
        deliver(state, ws, &email).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::email::{punctuation_faults, readable_parts, render_link_email, render_reminder};
    use crate::kickoff::report::{render_email, tests::sample_card, tests::sample_input, ReportDoc, ReportInput};
    use embark_core::engagements::ReminderKind;
    use embark_core::Locale;

    const PEOPLE: [&str; 4] = ["Claire Dubois", "Paul Durand", "Alice Martin", "Thomas Bernard"];

    /// Every email the accounts and the kick-off send, composed as their jobs compose
    /// them, with sample values that are themselves well typed (no punctuation in them).
    fn every_email(tr: Tr) -> Vec<Email> {
        let client = To { name: "Claire Dubois", email: "claire.dubois@dubois-sa.example" };
        let am = To { name: "Alice Martin", email: "alice.martin@cabinet-martin.example" };
        let title = "Directrice financière — Dubois SA";
        let when = tr.datetime(Timestamp::from_millis(1_803_200_400_000), "Europe/Paris");
        let url = || "https://embark.example/a/TOKEN".to_string();
        let card = sample_card();
        let input = ReportInput {
            place: "Visio",
            decisions: "Shortlist de 4 noms le 15 mars.\n\nPoint hebdomadaire le lundi à 9:00.",
            resources: "Deux chargés de recherche",
            market: "Peu de mouvements au premier trimestre",
            open_questions: vec!["Le poste est-il ouvert au télétravail".into()],
            ..sample_input(&card)
        };
        let doc = ReportDoc::build(tr, &input);
        let mut emails = Vec::new();
        for kind in ["sign_in_link", "invitation"] {
            emails.push(render_link_email(tr, kind, client.email, client.name, "Cabinet Martin", url(), 72).unwrap());
        }
        for kind in [ReminderKind::DueSoon, ReminderKind::Overdue] {
            let due = Timestamp::from_millis(1_796_115_600_000);
            let item = "Retour de la scorecard";
            emails.push(render_reminder(tr, kind, am.email, am.name, item, title, due, "Europe/Paris", url()).unwrap());
        }
        emails.extend([
            crate::kickoff::scorecard::mail::request_email(tr, client.name, client.email, am.name, title, &when, url())
                .unwrap(),
            invitation_email(tr, client, am.name, title, &when, &tr.minutes(60), "Visio", url()).unwrap(),
            no_show_email(tr, am, &["Claire Dubois", "Paul Durand"], title, &when, url()).unwrap(),
            no_show_email(tr, am, &["Claire Dubois"], title, &when, url()).unwrap(),
            report_unsent_email(tr, am, title, url()).unwrap(),
            render_email(tr, client.email, client.name, &doc, url()).unwrap(),
            ack_reminder_email(tr, client, title, url()).unwrap(),
            ack_late_email(tr, am, title, 48, url()).unwrap(),
            nps_email(tr, client, title, url()).unwrap(),
            relationship_email(tr, client, title, url()).unwrap(),
            relationship_email(tr, am, title, url()).unwrap(),
        ]);
        emails
    }

    /// Where a person (named, or the reader) is given a form that agrees with a gender or
    /// a number Embark does not know: a name as the subject of a conjugated verb
    /// ("Claire Dubois s’est engagé", "Claire Dubois, Paul Durand n’a pas confirmé"), or
    /// "vous êtes" / "je serai" followed by a participle or an adjective ("invité·e", "présent").
    fn agreement_faults(text: &str) -> Vec<String> {
        const VERBS: [&str; 10] = ["s’est", "s'est", "est", "était", "sera", "a", "n’a", "n'a", "sont", "ont"];
        const ENDINGS: [&str; 8] = ["é", "ée", "é·e", "és", "ées", "ent", "ente", "e·s"];
        let mut faults = Vec::new();
        let after = |i: usize| text[i..].split_whitespace().next().unwrap_or("").to_string();
        for name in PEOPLE {
            for (i, _) in text.match_indices(name) {
                let next = after(i + name.len());
                if VERBS.contains(&next.as_str()) {
                    faults.push(format!("{name} {next}"));
                }
            }
        }
        let lower = text.to_lowercase();
        for subject in ["vous êtes ", "je serai ", "je suis "] {
            for (i, _) in lower.match_indices(subject) {
                let next = lower[i + subject.len()..].split_whitespace().next().unwrap_or("").to_string();
                let word = next.trim_end_matches(|c: char| !c.is_alphabetic());
                if ENDINGS.iter().any(|e| word.ends_with(e)) {
                    faults.push(format!("{subject}{next}"));
                }
            }
        }
        faults
    }

    /// Issue 12, point 14: no French email leaves a `:` `;` `!` `?` without its no-break
    /// space (it would start a line), nor gives anyone a gender or a number; no English
    /// one puts a space before them.
    #[test]
    fn every_email_of_the_accounts_and_the_kickoff_is_typed_as_its_language_writes() {
        let mut faults = Vec::new();
        for locale in Locale::ALL {
            let tr = Tr::new(locale);
            let emails = every_email(tr);
            let kinds: std::collections::BTreeSet<_> = emails.iter().map(|e| e.kind).collect();
            let expected = [
                "sign_in_link",
                "invitation",
                "reminder_due_soon",
                "reminder_overdue",
                "scorecard_request",
                "meeting_invitation",
                "no_show_risk",
                "report_unsent",
                "kickoff_report",
                "report_ack_reminder",
                "report_ack_late",
                "kickoff_nps",
                "kickoff_relationship",
            ];
            assert_eq!(kinds, expected.into_iter().collect(), "every kind of email");
            let calendar = [tr.t1("ics-summary", "title", "Dubois SA"), tr.t1("ics-description", "title", "Dubois SA")];
            let texts = emails
                .iter()
                .flat_map(|e| readable_parts(e).map(|part| (e.kind, part)))
                .chain(calendar.into_iter().map(|t| ("meeting_invitation (ics)", t)));
            for (kind, text) in texts {
                assert!(!text.contains("email-"), "{kind}: a message is missing: {text}");
                for fault in punctuation_faults(locale, &text) {
                    faults.push(format!("{locale} {kind}: {fault}"));
                }
                if locale == Locale::Fr {
                    for fault in agreement_faults(&text) {
                        faults.push(format!("fr {kind}: agreement: {fault}"));
                    }
                }
            }
        }
        assert!(faults.is_empty(), "{} faults:\n{}", faults.len(), faults.join("\n"));
    }

    /// The checker itself: it sees what it is meant to see, and only that.
    #[test]
    fn the_typography_checker_sees_missing_and_ordinary_spaces_but_not_links_or_times() {
        let fr = |t: &str| punctuation_faults(Locale::Fr, t).len();
        assert_eq!(fr("Lieu : Lyon"), 1, "an ordinary space");
        assert_eq!(fr("Lieu: Lyon ; Paris! Vraiment?"), 4, "no space");
        assert_eq!(fr("Lieu\u{a0}: Lyon\u{202f}; Paris\u{202f}! Vraiment\u{202f}?"), 0);
        assert_eq!(fr("Lieu\u{202f}: Lyon"), 1, "a narrow space before a colon");
        assert_eq!(fr("à 10:30, https://x.example/a?b=c;d mailto:a@b.c"), 0);
        let en = |t: &str| punctuation_faults(Locale::En, t).len();
        assert_eq!((en("Place: Lyon; Paris? Yes!"), en("Place : Lyon"), en("Place\u{a0}: Lyon")), (0, 1, 1));
        assert_eq!(agreement_faults("Claire Dubois s’est engagé sur une date"), ["Claire Dubois s’est"]);
        assert_eq!(agreement_faults("Claire Dubois, Paul Durand n’a pas confirmé").len(), 1);
        assert_eq!(agreement_faults("Vous êtes invité·e. Je serai présent.").len(), 2);
        assert!(agreement_faults("Engagement pris par Claire Dubois. Je confirme ma présence.").is_empty());
    }
}
