//! Signals: the one link between capabilities for events. A capability that sees
//! something happen (the scorecard was sent, a certification recorded) emits the signal
//! with its own transaction; the gates waiting for it close in that transaction, so the
//! event and what it closes commit together or not at all.

use embark_core::engagements::condition::Condition;
use embark_core::engagements::ItemState;
use embark_core::{EngagementId, Signal, Timestamp, UserId, WorkspaceId};
use embark_store::engagements as store;
use embark_store::Db;

use crate::engagements::summary::refresh_summary;
use crate::error::AppError;
use crate::state::AppState;

/// A signal happened in `engagement` (the scorecard was sent, the logistics locked…):
/// closes its open gates that wait for it, in the caller's transaction, so that the
/// event and the gates it closes commit together or not at all. Returns how many closed.
pub async fn emit(
    state: &AppState,
    conn: &mut Db,
    ws: WorkspaceId,
    engagement: EngagementId,
    signal: Signal,
    now: Timestamp,
) -> Result<usize, AppError> {
    let Some(row) = store::get(&mut *conn, ws, engagement).await? else { return Ok(0) };
    let Some(playbook) = state.playbooks.by_id(&mut *conn, ws, row.version_id).await? else { return Ok(0) };
    close(conn, ws, &row, &playbook, &waiting_for(&playbook, signal), "", now).await
}

/// The items a signal closes: the gates waiting for it, the steps it does and the
/// checkpoints it ticks. A step's other checkpoints stay the owner's to tick: what
/// happened does not prove each of them (the scorecard's lock says nothing of a
/// guessed answer still open in the questions log).
fn waiting_for(playbook: &embark_core::playbooks::Playbook, signal: Signal) -> Vec<String> {
    let gates = playbook.gates().filter(|g| g.signal.as_ref() == Some(&signal)).map(|g| g.id.clone());
    let steps = playbook.steps().filter(|s| s.signal.as_ref() == Some(&signal)).map(|s| s.id.clone());
    let checks = playbook.checkpoints().filter(|c| c.signal.as_ref() == Some(&signal)).map(|c| c.id.clone());
    gates.chain(steps).chain(checks).collect()
}

/// Closes the items among `keys` that are still open, records each as closed by its
/// signal (with `detail`, an override's reason), completes a step whose last open
/// checkpoint it ticked, and refreshes the engagement's summary. Returns how many closed.
async fn close(
    conn: &mut Db,
    ws: WorkspaceId,
    row: &store::EngagementRow,
    playbook: &embark_core::playbooks::Playbook,
    keys: &[String],
    detail: &str,
    now: Timestamp,
) -> Result<usize, AppError> {
    let items = store::items(&mut *conn, ws, row.id).await?;
    let is_open = |key: &str| items.iter().any(|i| i.key == key && i.state == ItemState::Todo);
    let mut open: Vec<&str> = keys.iter().map(String::as_str).filter(|k| is_open(k)).collect();
    // A step whose checkpoints are all closed now is done too, as when its last one is ticked by hand.
    for step in playbook.steps() {
        let ticks_one = step.checkpoints.iter().any(|c| open.contains(&c.id.as_str()));
        let all_closed = step.checkpoints.iter().all(|c| open.contains(&c.id.as_str()) || !is_open(&c.id));
        if ticks_one && all_closed && is_open(&step.id) && !open.contains(&step.id.as_str()) {
            open.push(&step.id);
        }
    }
    for key in &open {
        store::set_item_state(&mut *conn, ws, row.id, key, ItemState::Done, None, None, now).await?;
        store::record_event(&mut *conn, ws, row.id, None, "closed_by_signal", Some(key), detail, now).await?;
    }
    if !open.is_empty() {
        let items = store::items(&mut *conn, ws, row.id).await?;
        let after = refresh_summary(conn, ws, row.id, playbook, &items, row.state, now).await?;
        if after != row.state {
            store::record_event(&mut *conn, ws, row.id, None, after.as_str(), None, "", now).await?;
        }
    }
    Ok(open.len())
}

/// A condition of checkpoints stopped holding (a guessed answer was recorded): the
/// checkpoints ticked under it reopen in the caller's transaction, each with a line in
/// the timeline, so that none says what is no longer so. Returns how many reopened.
pub async fn condition_broken(
    state: &AppState,
    conn: &mut Db,
    ws: WorkspaceId,
    engagement: EngagementId,
    condition: Condition,
    now: Timestamp,
) -> Result<usize, AppError> {
    let Some(row) = store::get(&mut *conn, ws, engagement).await? else { return Ok(0) };
    let Some(playbook) = state.playbooks.by_id(&mut *conn, ws, row.version_id).await? else { return Ok(0) };
    let items = store::items(&mut *conn, ws, engagement).await?;
    let mut reopened = 0;
    for c in playbook.checkpoints().filter(|c| c.condition == Some(condition)) {
        if items.iter().any(|i| i.key == c.id && i.state == ItemState::Done) {
            store::set_item_state(&mut *conn, ws, engagement, &c.id, ItemState::Todo, None, None, now).await?;
            store::record_event(&mut *conn, ws, engagement, None, "reopened_by_signal", Some(&c.id), "", now).await?;
            reopened += 1;
        }
    }
    if reopened > 0 {
        let items = store::items(&mut *conn, ws, engagement).await?;
        refresh_summary(conn, ws, engagement, &playbook, &items, row.state, now).await?;
    }
    Ok(reopened)
}

/// Something done elsewhere completes a step or checkpoint of `engagement` (its
/// survey was answered): done by itself, in the caller's transaction. Returns
/// whether it was open.
pub async fn complete(
    state: &AppState,
    conn: &mut Db,
    ws: WorkspaceId,
    engagement: EngagementId,
    key: &str,
    now: Timestamp,
) -> Result<bool, AppError> {
    let Some(row) = store::get(&mut *conn, ws, engagement).await? else { return Ok(false) };
    let Some(playbook) = state.playbooks.by_id(&mut *conn, ws, row.version_id).await? else { return Ok(false) };
    Ok(close(conn, ws, &row, &playbook, &[key.to_string()], "", now).await? == 1)
}

/// A signal about a person (their scorecard certification is valid): closes, in the
/// caller's transaction, the open gates waiting for it that the person owns through
/// their role in each engagement. Returns how many closed.
pub async fn emit_for_person(
    state: &AppState,
    conn: &mut Db,
    ws: WorkspaceId,
    user: UserId,
    signal: Signal,
    now: Timestamp,
) -> Result<usize, AppError> {
    emit_for_person_because(state, conn, ws, user, signal, "", now).await
}

/// [`emit_for_person`] with the reason the timelines record (an admin's override).
pub async fn emit_for_person_because(
    state: &AppState,
    conn: &mut Db,
    ws: WorkspaceId,
    user: UserId,
    signal: Signal,
    reason: &str,
    now: Timestamp,
) -> Result<usize, AppError> {
    // Only the items this person owns close: another owner's certification is theirs to hold.
    let mut owned: Vec<(EngagementId, Vec<String>)> = Vec::new();
    for (engagement_id, key, version) in store::open_items_owned_by(&mut *conn, ws, user).await? {
        let Some(playbook) = state.playbooks.by_id(&mut *conn, ws, version).await? else { continue };
        let waits = playbook.gates().any(|g| g.id == key && g.signal.as_ref() == Some(&signal))
            || playbook.steps().any(|s| s.id == key && s.signal.as_ref() == Some(&signal));
        if !waits {
            continue;
        }
        match owned.iter_mut().find(|(e, _)| *e == engagement_id) {
            Some((_, keys)) => keys.push(key),
            None => owned.push((engagement_id, vec![key])),
        }
    }
    let mut closed = 0;
    for (engagement, keys) in owned {
        let Some(row) = store::get(&mut *conn, ws, engagement).await? else { continue };
        let Some(playbook) = state.playbooks.by_id(&mut *conn, ws, row.version_id).await? else { continue };
        closed += close(conn, ws, &row, &playbook, &keys, reason, now).await?;
    }
    Ok(closed)
}

/// What a signal said is no longer true (the logistics were unlocked): the gates it
/// closed reopen, in the caller's transaction, and the engagement's summary follows.
pub async fn withdraw(
    state: &AppState,
    conn: &mut Db,
    ws: WorkspaceId,
    engagement: EngagementId,
    signal: Signal,
    now: Timestamp,
) -> Result<(), AppError> {
    let Some(row) = store::get(&mut *conn, ws, engagement).await? else { return Ok(()) };
    let Some(playbook) = state.playbooks.by_id(&mut *conn, ws, row.version_id).await? else { return Ok(()) };
    for gate in playbook.gates().filter(|g| g.signal.as_ref() == Some(&signal)) {
        store::set_item_state(&mut *conn, ws, engagement, &gate.id, ItemState::Todo, None, None, now).await?;
    }
    let items = store::items(&mut *conn, ws, engagement).await?;
    refresh_summary(conn, ws, engagement, &playbook, &items, row.state, now).await?;
    Ok(())
}

/// What a signal about a person said is no longer true (their certification expired):
/// the gates it closed, that the person owns in engagements whose anchor is still
/// ahead, reopen in the caller's transaction, each with a line in its timeline.
/// Returns the engagements touched, with their titles.
pub async fn withdraw_for_person(
    state: &AppState,
    conn: &mut Db,
    ws: WorkspaceId,
    user: UserId,
    signal: Signal,
    now: Timestamp,
) -> Result<Vec<(EngagementId, String)>, AppError> {
    let mut touched: Vec<(EngagementId, String)> = Vec::new();
    for (engagement, key, version) in store::closed_gates_owned_before_anchor(&mut *conn, ws, user, now).await? {
        let Some(playbook) = state.playbooks.by_id(&mut *conn, ws, version).await? else { continue };
        if !playbook.gates().any(|g| g.id == key && g.signal.as_ref() == Some(&signal)) {
            continue;
        }
        let Some(row) = store::get(&mut *conn, ws, engagement).await? else { continue };
        store::set_item_state(&mut *conn, ws, engagement, &key, ItemState::Todo, None, None, now).await?;
        store::record_event(&mut *conn, ws, engagement, None, "reopened_by_signal", Some(&key), "", now).await?;
        let items = store::items(&mut *conn, ws, engagement).await?;
        refresh_summary(conn, ws, engagement, &playbook, &items, row.state, now).await?;
        if !touched.iter().any(|(e, _)| *e == engagement) {
            touched.push((engagement, row.title));
        }
    }
    Ok(touched)
}
