//! The scorecard request: a sign-in link that opens the scorecard, minted when it is sent.

use anyhow::Context;
use embark_core::{EngagementId, MagicLinkId};
use embark_store::{accounts::magic_links, accounts::users, accounts::workspaces};

use crate::email::deliver::deliver;
use crate::email::Email;
use crate::i18n::Tr;
use crate::secrets::{random_token, token_hash};
use crate::state::AppState;

/// Mints the sign-in link of a client contact and asks them to fill in the scorecard.
pub async fn send_request(state: &AppState, link_id: MagicLinkId, engagement: EngagementId) -> anyhow::Result<()> {
    let pool = &mut state.store.db();
    let token = random_token();
    let Some(link) = magic_links::arm(pool, link_id, &token_hash(&token)).await? else {
        return Ok(());
    };
    let Some(user) = users::get(pool, link.workspace_id, link.user_id).await?.filter(|u| u.active) else {
        return Ok(());
    };
    let workspace = workspaces::get(pool, link.workspace_id).await?.context("workspace of a magic link")?;
    let Some((row, due)) = crate::kickoff::scorecard::service::request_details(state, link.workspace_id, engagement)
        .await
        .map_err(anyhow::Error::from)?
    else {
        return Ok(());
    };
    let tr = Tr::new(user.locale);
    let due = due.map(|d| tr.datetime(d, &workspace.time_zone)).unwrap_or_default();
    let url = format!("{}/auth/link/{token}", state.config.base_url);
    let email = request_email(tr, &user.name, &user.email, &row.owner_name, &row.title, &due, url)?;
    deliver(state, link.workspace_id, &email).await
}

/// The request's email: who asks, for which search, by when, and why before the meeting.
pub(crate) fn request_email(
    tr: Tr,
    to_name: &str,
    to_email: &str,
    manager: &str,
    engagement: &str,
    due: &str,
    url: String,
) -> anyhow::Result<Email> {
    let notice = crate::email::Notice {
        lang: tr.code(),
        greeting: tr.t_args("email-greeting", &[("name", to_name)]),
        paragraphs: vec![
            tr.t_args(
                "email-scorecard-request-body",
                &[("manager", manager), ("engagement", engagement), ("due", due)],
            ),
            tr.t("email-scorecard-request-why"),
        ],
        action: tr.t("email-scorecard-request-action"),
        url,
        signature: tr.t("email-signature"),
    };
    let subject = tr.t_args("email-scorecard-request-subject", &[("engagement", engagement)]);
    notice.into_email("scorecard_request", tr.locale, to_email, to_name, subject)
}
