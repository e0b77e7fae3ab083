//! Signals: the one link between capabilities for events. A capability that sees
//! something happen (the scorecard was sent, a certification recorded) emits the signal
//! with its own transaction; the gates waiting for it close in that transaction, so the
//! event and what it closes commit together or not at all.

use embark_core::engagements::ItemState;
use embark_core::{EngagementId, Signal, Timestamp, UserId, WorkspaceId};
use embark_store::engagements as store;
use embark_store::AnyConnection;

use crate::engagements::summary::refresh_summary;
use crate::error::AppError;
use crate::state::AppState;

/// A signal happened in `engagement` (the scorecard was sent, the logistics locked…):
/// closes its open gates that wait for it, in the caller's transaction, so that the
/// event and the gates it closes commit together or not at all. Returns how many closed.
pub async fn emit(
    state: &AppState,
    conn: &mut AnyConnection,
    ws: WorkspaceId,
    engagement: EngagementId,
    signal: Signal,
    now: Timestamp,
) -> Result<usize, AppError> {
    let Some(row) = store::get(&mut *conn, ws, engagement).await? else { return Ok(0) };
    let Some(playbook) = state.playbooks.by_id(&state.store, ws, row.version_id).await? else { return Ok(0) };
    let items = store::items(&mut *conn, ws, engagement).await?;
    let open: Vec<&str> = playbook
        .gates()
        .filter(|g| g.signal == Some(signal))
        .filter(|g| items.iter().any(|i| i.key == g.id && i.state == ItemState::Todo))
        .map(|g| g.id.as_str())
        .collect();
    for key in &open {
        store::set_item_state(&mut *conn, ws, engagement, key, ItemState::Done, None, None, now).await?;
        store::record_event(&mut *conn, ws, engagement, None, "closed_by_signal", Some(key), "", now).await?;
    }
    if !open.is_empty() {
        let items = store::items(&mut *conn, ws, engagement).await?;
        refresh_summary(conn, ws, engagement, &playbook, &items, row.state, now).await?;
    }
    Ok(open.len())
}

/// A signal about a person (their scorecard certification is valid): closes, in the
/// caller's transaction, the open gates waiting for it that the person owns through
/// their role in each engagement. Returns how many closed.
pub async fn emit_for_person(
    state: &AppState,
    conn: &mut AnyConnection,
    ws: WorkspaceId,
    user: UserId,
    signal: Signal,
    now: Timestamp,
) -> Result<usize, AppError> {
    let mut engagements: Vec<EngagementId> = Vec::new();
    for (engagement_id, key, version) in store::open_gates_owned_by(&mut *conn, ws, user).await? {
        let Some(playbook) = state.playbooks.by_id(&state.store, ws, version).await? else { continue };
        if playbook.gates().any(|g| g.id == key && g.signal == Some(signal)) && !engagements.contains(&engagement_id) {
            engagements.push(engagement_id);
        }
    }
    let mut closed = 0;
    for engagement in engagements {
        closed += emit(state, conn, ws, engagement, signal, now).await?;
    }
    Ok(closed)
}

/// What a signal said is no longer true (the logistics were unlocked): the gates it
/// closed reopen, in the caller's transaction, and the engagement's summary follows.
pub async fn withdraw(
    state: &AppState,
    conn: &mut AnyConnection,
    ws: WorkspaceId,
    engagement: EngagementId,
    signal: Signal,
    now: Timestamp,
) -> Result<(), AppError> {
    let Some(row) = store::get(&mut *conn, ws, engagement).await? else { return Ok(()) };
    let Some(playbook) = state.playbooks.by_id(&state.store, ws, row.version_id).await? else { return Ok(()) };
    for gate in playbook.gates().filter(|g| g.signal == Some(signal)) {
        store::set_item_state(&mut *conn, ws, engagement, &gate.id, ItemState::Todo, None, None, now).await?;
    }
    let items = store::items(&mut *conn, ws, engagement).await?;
    refresh_summary(conn, ws, engagement, &playbook, &items, row.state, now).await?;
    Ok(())
}
