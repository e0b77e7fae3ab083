//! The demo workspace (`embark serve --demo`): an admin, an account manager and
//! a client contact, created once.

use embark_core::{DisplayName, EmailAddress, Locale, Role};
use embark_store::{users, workspaces};

use crate::services::accounts;
use crate::state::AppState;

pub const WORKSPACE: &str = "Demo";
/// A well-known password: this is a demo, its credentials are printed on start-up.
pub const PASSWORD: &str = "embark-demo-2026";
pub const ADMIN: &str = "admin@demo.embark.test";
pub const ACCOUNT_MANAGER: &str = "am@demo.embark.test";
pub const CLIENT: &str = "client@demo.embark.test";

/// Creates the demo workspace if it does not exist. Returns the lines to print.
pub async fn seed(state: &AppState) -> anyhow::Result<Vec<String>> {
    let pool = state.store.pool();
    if workspaces::find_by_name(pool, WORKSPACE).await?.is_none() {
        accounts::create_user_with_password(state, WORKSPACE, ADMIN, "Alice Martin", Role::Admin, PASSWORD, Locale::Fr)
            .await?;
        let am = accounts::create_user_with_password(
            state,
            WORKSPACE,
            ACCOUNT_MANAGER,
            "Thomas Bernard",
            Role::AccountManager,
            PASSWORD,
            Locale::Fr,
        )
        .await?;
        let name = DisplayName::parse("Claire Dubois").map_err(|e| anyhow::anyhow!("{e}"))?;
        let email = EmailAddress::parse(CLIENT).map_err(|e| anyhow::anyhow!("{e}"))?;
        users::create(
            pool,
            users::NewUser {
                workspace_id: am.workspace_id,
                email: &email,
                name: &name,
                role: Role::ClientContact,
                locale: Locale::Fr,
                password_hash: None,
            },
            state.now(),
        )
        .await?;
    }
    Ok(vec![
        format!("demo workspace {WORKSPACE:?}:"),
        format!("  admin            {ADMIN} / {PASSWORD}"),
        format!("  account manager  {ACCOUNT_MANAGER} / {PASSWORD}"),
        format!("  client contact   {CLIENT} (ask for a sign-in link on the sign-in page; it lands in the outbox)"),
    ])
}
