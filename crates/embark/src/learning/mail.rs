//! The learning space's emails: a certification about to expire, and one that expired.

use embark_core::{Timestamp, UserId, WorkspaceId};
use embark_store::accounts::{certifications, users, workspaces};

use crate::email::deliver::deliver;
use crate::email::Notice;
use crate::i18n::Tr;
use crate::state::AppState;

/// The course's title in the holder's language (or its other one).
async fn course_title(state: &AppState, ws: WorkspaceId, course: &str, tr: Tr) -> anyhow::Result<String> {
    let row = super::service::find(&mut state.store.db(), ws, course, tr.locale).await?;
    Ok(row.map(|r| r.title).unwrap_or_else(|| course.to_string()))
}

/// `Job::CertificationExpiring`: reminds the holder, unless they renewed it since.
pub async fn expiring(
    state: &AppState,
    ws: WorkspaceId,
    user: UserId,
    course: &str,
    expires_at: Timestamp,
    days: i64,
) -> anyhow::Result<()> {
    let db = &mut state.store.db();
    let Some(person) = users::get(db, ws, user).await?.filter(|u| u.active) else { return Ok(()) };
    // Renewed since: the latest certification expires later, nothing to remind.
    if certifications::valid_until(db, ws, user, course, state.now()).await? != Some(expires_at) {
        return Ok(());
    }
    let tz = workspaces::get(db, ws).await?.map(|w| w.time_zone).unwrap_or_else(|| "UTC".into());
    let tr = Tr::new(person.locale);
    let title = course_title(state, ws, course, tr).await?;
    let date = tr.date(expires_at.plus_millis(-1), &tz);
    let notice = Notice {
        lang: tr.code(),
        greeting: tr.t_args("email-greeting", &[("name", &person.name)]),
        paragraphs: vec![
            tr.t_args("certification-expiring-intro", &[("course", &title), ("date", &date)]),
            tr.t_count("certification-expiring-days", days),
        ],
        action: tr.t("certification-expiring-action"),
        url: format!("{}/learning/{course}", state.config.base_url),
        signature: tr.t("email-signature"),
    };
    let subject = tr.t1("certification-expiring-subject", "course", &title);
    let email = notice.into_email("certification", person.locale, person.email.as_str(), &person.name, subject)?;
    deliver(state, ws, &email).await
}

/// `Job::CertificationExpired`: reopens what it closed and tells the holder which
/// kick-offs now wait for them.
pub async fn expired(
    state: &AppState,
    ws: WorkspaceId,
    user: UserId,
    course: &str,
    expires_at: Timestamp,
) -> anyhow::Result<()> {
    let reopened =
        super::service::expire(state, ws, user, course, expires_at).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    if reopened.is_empty() {
        return Ok(());
    }
    let db = &mut state.store.db();
    let Some(person) = users::get(db, ws, user).await?.filter(|u| u.active) else { return Ok(()) };
    let tr = Tr::new(person.locale);
    let title = course_title(state, ws, course, tr).await?;
    let mut paragraphs = vec![tr.t1("certification-expired-intro", "course", &title)];
    paragraphs.extend(reopened.iter().map(|t| format!("• {t}")));
    paragraphs.push(tr.t("certification-expired-renew"));
    let notice = Notice {
        lang: tr.code(),
        greeting: tr.t_args("email-greeting", &[("name", &person.name)]),
        paragraphs,
        action: tr.t("certification-expiring-action"),
        url: format!("{}/learning/{course}", state.config.base_url),
        signature: tr.t("email-signature"),
    };
    let subject = tr.t1("certification-expired-subject", "course", &title);
    let email = notice.into_email("certification", person.locale, person.email.as_str(), &person.name, subject)?;
    deliver(state, ws, &email).await
}
