//! Accounts' emails: sign-in links and invitations, minted when they are sent.

use anyhow::Context;
use embark_core::MagicLinkId;
use embark_store::{accounts::magic_links, accounts::users, accounts::workspaces};

use crate::email::deliver::deliver;
use crate::email::render_link_email;
use crate::i18n::Tr;
use crate::secrets::{random_token, token_hash};
use crate::state::AppState;

/// Mints a fresh token for the link (so a token exists only in the email) and sends it.
pub async fn send_link(state: &AppState, link_id: MagicLinkId) -> anyhow::Result<()> {
    let pool = &mut state.store.db();
    let token = random_token();
    let Some(link) = magic_links::arm(pool, link_id, &token_hash(&token)).await? else {
        return Ok(()); // used or revoked meanwhile: nothing to send
    };
    let Some(user) = users::get(pool, link.workspace_id, link.user_id).await? else {
        return Ok(());
    };
    if !user.active {
        return Ok(());
    }
    let workspace = workspaces::get(pool, link.workspace_id).await?.context("workspace of a magic link")?;
    let (path, kind) = match link.purpose {
        magic_links::Purpose::SignIn => ("/auth/link/", "sign_in_link"),
        magic_links::Purpose::Invitation => ("/auth/invitation/", "invitation"),
    };
    let url = format!("{}{path}{token}", state.config.base_url);
    let hours = ((link.expires_at.as_millis() - state.now().as_millis()) as f64 / 3_600_000.0).round().max(1.0) as i64;
    let email = render_link_email(Tr::new(user.locale), kind, &user.email, &user.name, &workspace.name, url, hours)?;
    deliver(state, link.workspace_id, &email).await
}
