//! Sending an email and recording it in the workspace's outbox list.

use embark_core::WorkspaceId;
use embark_store::emails;

use crate::email::Email;
use crate::state::AppState;

/// Sends an email and records it in the workspace's outbox list.
#[tracing::instrument(skip_all, fields(email = %email.id, kind = email.kind))]
pub async fn deliver(state: &AppState, workspace: WorkspaceId, email: &Email) -> anyhow::Result<()> {
    let file = state.transport.send(&state.from, email).await?;
    emails::record(
        &mut state.store.db(),
        workspace,
        &emails::SentEmail {
            id: email.id,
            to_addr: email.to.clone(),
            subject: email.subject.clone(),
            kind: email.kind.to_string(),
            locale: email.locale,
            transport: state.transport.name().to_string(),
            outbox_file: file,
            sent_at: state.now(),
        },
    )
    .await?;
    tracing::info!(email = %email.id, kind = email.kind, "email sent");
    Ok(())
}
