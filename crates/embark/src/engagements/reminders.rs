//! Reminders about an engagement's items: "due tomorrow" and "overdue" emails, scheduled
//! as jobs in the transaction that sets the due dates and checked again when they run.

use embark_core::engagements::{self as engagement, EngagementState, ItemKind, ItemState, ReminderKind};
use embark_core::playbooks::Playbook;
use embark_core::{ItemId, Timestamp, WorkspaceId};
use embark_store::engagements::{self as store, ItemRow, Participant};
use embark_store::{accounts::users, playbooks, Db};

use crate::email::deliver::deliver;
use crate::engagements::summary::item_title;
use crate::error::AppError;
use crate::jobs::queue::{self as jobs, Job};
use crate::state::AppState;

/// Enqueues "due soon" and "overdue" reminders for open gates and steps with a due date.
/// The idempotency key holds the due date: moving the anchor schedules new ones, and
/// the old ones find the date changed and send nothing.
///
/// A step that names a survey (`survey: enps`) also gets a `SurveyDue` job at its due
/// date, keyed the same way, which sends the survey to the step's audience.
pub(crate) async fn schedule(
    conn: &mut Db,
    ws: WorkspaceId,
    playbook: &Playbook,
    items: &[ItemRow],
    now: Timestamp,
) -> Result<(), AppError> {
    for item in items.iter().filter(|i| i.kind != ItemKind::Checkpoint && i.state == ItemState::Todo) {
        let Some(due) = item.due_at else { continue };
        if playbook.steps().any(|s| s.id == item.key && s.survey.is_some()) {
            let job = Job::SurveyDue { workspace_id: ws, item_id: item.id, due_at: due };
            let key = format!("survey:{}:{}", item.id, due.as_millis());
            jobs::enqueue_at(conn, &job, due.max(now), now, Some(&key)).await?;
        }
        for (kind, at) in engagement::reminder_times(due, now) {
            let job = Job::ItemReminder { workspace_id: ws, item_id: item.id, due_at: due, kind };
            let key = format!("reminder:{}:{}:{}", item.id, kind.as_str(), due.as_millis());
            jobs::enqueue_at(conn, &job, at, now, Some(&key)).await?;
        }
    }
    Ok(())
}

/// Sends a reminder about an item, if it is still open and still due then.
pub async fn send(
    state: &AppState,
    ws: WorkspaceId,
    item_id: ItemId,
    due_at: Timestamp,
    kind: ReminderKind,
) -> anyhow::Result<()> {
    let pool = &mut state.store.db();
    let Some((engagement_id, item)) = store::item_by_id(pool, ws, item_id).await? else { return Ok(()) };
    if item.state != ItemState::Todo || item.due_at != Some(due_at) {
        return Ok(());
    }
    let Some(row) = store::get(pool, ws, engagement_id).await? else { return Ok(()) };
    if row.state != EngagementState::Active {
        return Ok(());
    }
    let version = playbooks::version(pool, ws, row.version_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("version of an engagement"))?;
    let playbook = state.playbooks.get(&version).map_err(anyhow::Error::from)?;
    let title = item_title(&playbook, &item.key).unwrap_or_else(|| item.key.clone());
    let participants = store::participants(pool, ws, engagement_id).await?;
    let mut recipients: Vec<&Participant> =
        participants.iter().filter(|p| p.active && item.owner_role.as_ref().is_some_and(|r| *r == p.role)).collect();
    let owner;
    if recipients.is_empty() {
        owner = users::get(pool, ws, row.owner_id).await?;
        if let Some(u) = owner.as_ref().filter(|u| u.active) {
            let email = crate::email::render_reminder(
                crate::i18n::Tr::new(u.locale),
                kind,
                &u.email,
                &u.name,
                &title,
                &row.title,
                due_at,
                &version_tz(state, ws).await?,
                format!("{}/engagements/{}", state.config.base_url, row.id),
            )?;
            return deliver(state, ws, &email).await;
        }
        return Ok(());
    }
    recipients.dedup_by_key(|p| p.user_id);
    let tz = version_tz(state, ws).await?;
    for p in recipients {
        let email = crate::email::render_reminder(
            crate::i18n::Tr::new(p.locale),
            kind,
            &p.email,
            &p.name,
            &title,
            &row.title,
            due_at,
            &tz,
            format!("{}/engagements/{}", state.config.base_url, row.id),
        )?;
        deliver(state, ws, &email).await?;
    }
    Ok(())
}

async fn version_tz(state: &AppState, ws: WorkspaceId) -> anyhow::Result<String> {
    Ok(embark_store::accounts::workspaces::get(&mut state.store.db(), ws)
        .await?
        .map(|w| w.time_zone)
        .unwrap_or_else(|| "UTC".into()))
}
