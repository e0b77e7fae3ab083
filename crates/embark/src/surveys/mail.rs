//! The survey email: the question, whether the answer is anonymous, and the link.

use embark_core::{SurveySendId, WorkspaceId};
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
