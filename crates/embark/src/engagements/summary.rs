//! An engagement's denormalised summary (progress, next due item) that the board sorts on,
//! and the titles of a playbook's items.

use embark_core::engagements::{self as engagement, EngagementState, ItemStatus};
use embark_core::playbooks::Playbook;
use embark_core::{EngagementId, Timestamp, WorkspaceId};
use embark_store::engagements::{self as store, ItemRow};
use embark_store::Db;

use crate::error::AppError;

pub(crate) fn statuses(items: &[ItemRow]) -> Vec<ItemStatus<'_>> {
    items.iter().map(|i| ItemStatus { key: &i.key, kind: i.kind, state: i.state, due_at: i.due_at }).collect()
}

pub(crate) async fn refresh_summary(
    conn: &mut Db,
    ws: WorkspaceId,
    id: EngagementId,
    playbook: &Playbook,
    items: &[ItemRow],
    current: EngagementState,
    now: Timestamp,
) -> Result<EngagementState, AppError> {
    let st = statuses(items);
    let p = engagement::progress(&st);
    let state = match current {
        EngagementState::Cancelled => EngagementState::Cancelled,
        _ if p.total > 0 && p.closed == p.total => EngagementState::Completed,
        _ => EngagementState::Active,
    };
    let next_due_title = engagement::next_due_item(&st).and_then(|key| item_title(playbook, key)).unwrap_or_default();
    let summary = store::Summary {
        closed: p.closed,
        total: p.total,
        next_due_at: engagement::next_due(&st),
        next_due_title,
        state,
    };
    store::update_summary(&mut *conn, ws, id, summary, now).await?;
    Ok(state)
}

/// The title of a gate, step or checkpoint of a playbook.
pub fn item_title(playbook: &Playbook, key: &str) -> Option<String> {
    if let Some(g) = playbook.gates().find(|g| g.id == key) {
        return Some(g.title.clone());
    }
    for s in playbook.steps() {
        if s.id == key {
            return Some(s.title.clone());
        }
        if let Some(c) = s.checkpoints.iter().find(|c| c.id == key) {
            return Some(c.text.clone());
        }
    }
    None
}
