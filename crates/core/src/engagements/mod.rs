//! Engagements: a playbook version running for a subject. Pure rules: the plan of
//! items with their due dates, what a gate blocks, progress and what is overdue.

pub mod condition;
pub mod signal;

use std::fmt;
use std::str::FromStr;

use crate::playbooks::{Kind, Playbook, Stage};
use crate::Timestamp;

/// What an item of an engagement is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ItemKind {
    Gate,
    Step,
    Checkpoint,
}

impl ItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Gate => "gate",
            ItemKind::Step => "step",
            ItemKind::Checkpoint => "checkpoint",
        }
    }
}

impl FromStr for ItemKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "gate" => Ok(ItemKind::Gate),
            "step" => Ok(ItemKind::Step),
            "checkpoint" => Ok(ItemKind::Checkpoint),
            _ => Err(format!("unknown item kind {s:?}")),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ItemState {
    Todo,
    Done,
    Skipped,
}

impl ItemState {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemState::Todo => "todo",
            ItemState::Done => "done",
            ItemState::Skipped => "skipped",
        }
    }
    pub fn is_closed(self) -> bool {
        self != ItemState::Todo
    }
}

impl fmt::Display for ItemState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ItemState {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "todo" => Ok(ItemState::Todo),
            "done" => Ok(ItemState::Done),
            "skipped" => Ok(ItemState::Skipped),
            _ => Err(format!("unknown item state {s:?} (expected todo, done or skipped)")),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EngagementState {
    Active,
    Completed,
    Cancelled,
}

impl EngagementState {
    pub fn as_str(self) -> &'static str {
        match self {
            EngagementState::Active => "active",
            EngagementState::Completed => "completed",
            EngagementState::Cancelled => "cancelled",
        }
    }
}

impl FromStr for EngagementState {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "active" => Ok(EngagementState::Active),
            "completed" => Ok(EngagementState::Completed),
            "cancelled" => Ok(EngagementState::Cancelled),
            _ => Err(format!("unknown engagement state {s:?}")),
        }
    }
}

/// One item of the plan: a gate, a step or a checkpoint, in document order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedItem {
    pub key: String,
    pub kind: ItemKind,
    pub position: i64,
    pub owner_role: Option<String>,
    pub due_at: Option<Timestamp>,
}

/// A sort key for "nothing due": after every real instant (keyset pagination on
/// a NOT NULL column behaves the same on both engines).
pub const NOTHING_DUE: i64 = 9_000_000_000_000_000;

/// The items an engagement tracks, with due dates from the anchor in `time_zone`.
/// Checkpoints inherit their step's owner and due date.
pub fn plan(playbook: &Playbook, anchor: Timestamp, time_zone: &str) -> Vec<PlannedItem> {
    let tz = jiff::tz::TimeZone::get(time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let anchor = anchor.to_jiff().to_zoned(tz);
    let due = |d: &Option<crate::playbooks::RelativeDue>| {
        d.as_ref().map(|d| Timestamp::from_jiff(d.resolve(&anchor).timestamp()))
    };
    let mut items = Vec::new();
    let mut push = |key: &str, kind, owner: &Option<String>, due_at| {
        let position = items.len() as i64;
        items.push(PlannedItem { key: key.to_string(), kind, position, owner_role: owner.clone(), due_at });
    };
    for gate in playbook.gates() {
        push(&gate.id, ItemKind::Gate, &gate.owner, due(&gate.due));
    }
    for step in playbook.steps() {
        let step_due = due(&step.due);
        push(&step.id, ItemKind::Step, &step.owner, step_due);
        for c in &step.checkpoints {
            push(&c.id, ItemKind::Checkpoint, &step.owner, step_due);
        }
    }
    items
}

/// The state of an item as the rules need it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemStatus<'a> {
    pub key: &'a str,
    pub kind: ItemKind,
    pub state: ItemState,
    pub due_at: Option<Timestamp>,
}

/// The gates a step requires that are still open.
pub fn open_gates<'a>(playbook: &'a Playbook, step_key: &str, items: &[ItemStatus<'_>]) -> Vec<&'a str> {
    let Some(step) = playbook.steps().find(|s| s.id == step_key) else {
        return Vec::new();
    };
    step.requires
        .iter()
        .filter(|g| items.iter().any(|i| i.kind == ItemKind::Gate && i.key == g.as_str() && i.state == ItemState::Todo))
        .map(String::as_str)
        .collect()
}

/// What an external person (the client, the new hire) is told a step waits for when
/// what it waits for is internal to the team: never the firm's prerequisites by name.
/// Not an item id (ids are `a-z`, `0-9` and `-`).
pub const TEAM_PREPARATION: &str = "(team)";

/// The step a checkpoint belongs to (`step.N` → `step`).
pub fn step_of_checkpoint(key: &str) -> &str {
    key.rsplit_once('.').map(|(s, _)| s).unwrap_or(key)
}

/// Progress counts gates and steps (checkpoints are the detail of a step).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub closed: i64,
    pub total: i64,
}

impl Progress {
    pub fn percent(self) -> i64 {
        if self.total == 0 {
            100
        } else {
            self.closed * 100 / self.total
        }
    }
}

pub fn progress(items: &[ItemStatus<'_>]) -> Progress {
    let counted = items.iter().filter(|i| i.kind != ItemKind::Checkpoint);
    let (closed, total) = counted.fold((0, 0), |(c, t), i| (c + i64::from(i.state.is_closed()), t + 1));
    Progress { closed, total }
}

/// The earliest due date of an open gate or step; [`NOTHING_DUE`] when none.
pub fn next_due(items: &[ItemStatus<'_>]) -> i64 {
    items
        .iter()
        .filter(|i| i.kind != ItemKind::Checkpoint && i.state == ItemState::Todo)
        .filter_map(|i| i.due_at.map(Timestamp::as_millis))
        .min()
        .unwrap_or(NOTHING_DUE)
}

/// The open gate or step due first, if any has a due date.
pub fn next_due_item<'a>(items: &[ItemStatus<'a>]) -> Option<&'a str> {
    items
        .iter()
        .filter(|i| i.kind != ItemKind::Checkpoint && i.state == ItemState::Todo)
        .filter_map(|i| i.due_at.map(|d| (d, i.key)))
        .min()
        .map(|(_, key)| key)
}

/// An open gate or step whose due date has passed.
pub fn is_overdue(item: &ItemStatus<'_>, now: Timestamp) -> bool {
    item.kind != ItemKind::Checkpoint && item.state == ItemState::Todo && item.due_at.is_some_and(|d| d < now)
}

/// When reminders about an item go out: a day before it is due (if that is still
/// ahead), and when it becomes overdue. An item whose date is already past when it is
/// set (a playbook step due before the engagement was started) gets none: it shows as
/// overdue where it is listed, and nobody is emailed because of a date just set.
pub fn reminder_times(due_at: Timestamp, now: Timestamp) -> Vec<(ReminderKind, Timestamp)> {
    let mut out = Vec::new();
    if due_at <= now {
        return out;
    }
    let soon = due_at.plus_millis(-24 * 3_600_000);
    if soon > now {
        out.push((ReminderKind::DueSoon, soon));
    }
    out.push((ReminderKind::Overdue, due_at));
    out
}

/// How far in the past a date typed as "now" may be (the time to fill in a form).
pub const PAST_GRACE_MS: i64 = 5 * 60_000;

/// Refuses a date in the past where one makes no sense (a kick-off, a due date):
/// `code` on `field`.
pub fn ensure_ahead(
    field: &'static str,
    code: &'static str,
    at: Timestamp,
    now: Timestamp,
) -> Result<(), crate::FieldError> {
    if at.as_millis() < now.as_millis() - PAST_GRACE_MS {
        Err(crate::FieldError::new(field, code))
    } else {
        Ok(())
    }
}

/// How far ahead an anchor or a meeting may be set: five years (365.25 days each).
pub const MAX_AHEAD_MS: i64 = 5 * 36_525 * 86_400_000 / 100;
/// How far back a past engagement may be recorded: ten years.
pub const MAX_BEHIND_MS: i64 = 2 * MAX_AHEAD_MS;

/// Refuses a date too far from today to be a real one (year 9999, 1970): `field` gets
/// `error-date-too-far`. Every anchor, meeting time and due date goes through it, so no
/// reminder, link or figure is computed from a date nobody meant.
pub fn ensure_near(field: &'static str, at: Timestamp, now: Timestamp) -> Result<(), crate::FieldError> {
    let (at, now) = (at.as_millis(), now.as_millis());
    if at > now.saturating_add(MAX_AHEAD_MS) || at < now.saturating_sub(MAX_BEHIND_MS) {
        Err(crate::FieldError::new(field, "error-date-too-far"))
    } else {
        Ok(())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderKind {
    DueSoon,
    Overdue,
}

impl ReminderKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReminderKind::DueSoon => "due_soon",
            ReminderKind::Overdue => "overdue",
        }
    }
}

/// A reason given for skipping an item or overriding a gate: 3 to 500 characters.
pub fn parse_reason(input: &str) -> Result<String, crate::FieldError> {
    let r = input.trim();
    let n = r.chars().count();
    if n < 3 {
        return Err(crate::FieldError::new("reason", "error-reason-required"));
    }
    if n > 500 {
        return Err(crate::FieldError::new("reason", "error-reason-too-long"));
    }
    Ok(r.to_string())
}

/// Whether the phase holding `step_key` is the meeting itself (for meeting playbooks).
pub fn stage_of(playbook: &Playbook, step_key: &str) -> Option<Stage> {
    if playbook.kind != Kind::Meeting {
        return None;
    }
    playbook.phases().find(|p| p.steps.iter().any(|s| s.id == step_key)).map(|p| p.stage.unwrap_or(Stage::Meeting))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playbooks::{builtin, parse};
    use crate::Locale;

    fn kickoff() -> Playbook {
        parse(builtin::find("recruitment-kickoff", Locale::Fr).unwrap().text).unwrap()
    }

    fn at(s: &str) -> Timestamp {
        Timestamp::from_jiff(s.parse::<jiff::Timestamp>().unwrap())
    }

    #[test]
    fn the_plan_lists_gates_steps_and_checkpoints_with_due_dates_from_the_anchor() {
        let pb = kickoff();
        // Kick-off on Tuesday 2026-12-01 at 10:00 in Paris (09:00 UTC).
        let items = plan(&pb, at("2026-12-01T09:00:00Z"), "Europe/Paris");
        assert_eq!(items[0].key, "scorecard-sent");
        assert_eq!(items[0].kind, ItemKind::Gate);
        assert_eq!(items[0].due_at, Some(at("2026-11-28T09:00:00Z")), "kickoff - 72h");
        let report = items.iter().find(|i| i.key == "report").unwrap();
        assert_eq!(report.due_at, Some(at("2026-12-01T10:15:00Z")), "kickoff + 75min");
        let check = items.iter().find(|i| i.key == "report.2").unwrap();
        assert_eq!((check.kind, check.due_at), (ItemKind::Checkpoint, report.due_at));
        assert_eq!(check.owner_role.as_deref(), Some("account_manager"));
        let positions: Vec<i64> = items.iter().map(|i| i.position).collect();
        assert!(positions.windows(2).all(|w| w[0] + 1 == w[1]));
    }

    #[test]
    fn journeys_schedule_in_calendar_days() {
        let text = include_str!("../../../../docs/playbook-format.md");
        let start = text.find("```markdown\n").unwrap() + 12;
        let end = start + text[start..].find("\n```").unwrap() + 1;
        let pb = parse(&text[start..end]).unwrap();
        // Start date 2026-11-02 09:00 Paris; seven days before crosses the end of summer time? No: 2026-10-26 is after it.
        let items = plan(&pb, at("2026-11-02T08:00:00Z"), "Europe/Paris");
        let pack = items.iter().find(|i| i.key == "send-the-welcome-pack").unwrap();
        assert_eq!(pack.due_at, Some(at("2026-10-26T08:00:00Z")));
        let items = plan(&pb, at("2026-10-30T08:00:00Z"), "Europe/Paris");
        let pack = items.iter().find(|i| i.key == "send-the-welcome-pack").unwrap();
        assert_eq!(pack.due_at, Some(at("2026-10-23T07:00:00Z")), "09:00 local both sides of the DST change");
    }

    fn status<'a>(items: &'a [PlannedItem], closed: &[&str]) -> Vec<ItemStatus<'a>> {
        items
            .iter()
            .map(|i| ItemStatus {
                key: &i.key,
                kind: i.kind,
                state: if closed.contains(&i.key.as_str()) { ItemState::Done } else { ItemState::Todo },
                due_at: i.due_at,
            })
            .collect()
    }

    #[test]
    fn an_open_gate_blocks_the_steps_that_require_it() {
        let pb = kickoff();
        let items = plan(&pb, at("2026-12-01T09:00:00Z"), "Europe/Paris");
        let none = status(&items, &[]);
        assert_eq!(open_gates(&pb, "ice-breaker", &none).len(), 4);
        assert!(open_gates(&pb, "confirmation", &none).is_empty());
        let some = status(&items, &["scorecard-sent", "scorecard-return-agreed", "scorecard-mastered"]);
        assert_eq!(open_gates(&pb, "ice-breaker", &some), vec!["logistics-locked"]);
        assert_eq!(step_of_checkpoint("ice-breaker.1"), "ice-breaker");
    }

    #[test]
    fn progress_next_due_and_overdue() {
        let pb = kickoff();
        let items = plan(&pb, at("2026-12-01T09:00:00Z"), "Europe/Paris");
        let st = status(&items, &["scorecard-sent", "confirmation", "confirmation.1"]);
        let p = progress(&st);
        assert_eq!(p.total, 4 + 8, "four gates and eight steps");
        assert_eq!(p.closed, 2);
        assert_eq!(p.percent(), 16);
        assert_eq!(next_due(&st), at("2026-11-28T09:00:00Z").as_millis(), "the return agreement, kickoff - 72h");
        assert_eq!(next_due_item(&st), Some("scorecard-return-agreed"));
        let now = at("2026-11-29T00:00:00Z");
        let overdue: Vec<_> = st.iter().filter(|i| is_overdue(i, now)).map(|i| i.key).collect();
        assert_eq!(overdue, vec!["scorecard-return-agreed"]);
        let all_closed: Vec<&str> = items.iter().map(|i| i.key.as_str()).collect();
        assert_eq!(next_due(&status(&items, &all_closed)), NOTHING_DUE);
    }

    #[test]
    fn reminders_go_a_day_before_and_when_overdue() {
        let due = at("2026-12-01T09:00:00Z");
        let r = reminder_times(due, at("2026-11-20T00:00:00Z"));
        assert_eq!(r, vec![(ReminderKind::DueSoon, at("2026-11-30T09:00:00Z")), (ReminderKind::Overdue, due)]);
        let late = at("2026-12-02T00:00:00Z");
        assert_eq!(reminder_times(due, late), vec![], "already overdue when set: nobody is emailed at once");
        let tomorrow_morning = at("2026-11-30T20:00:00Z");
        assert_eq!(
            reminder_times(due, tomorrow_morning),
            vec![(ReminderKind::Overdue, due)],
            "too late for 'due soon'"
        );
        let now = at("2026-12-01T12:00:00Z");
        assert!(
            ensure_ahead("anchor", "error-anchor-past", at("2026-12-01T11:56:00Z"), now).is_ok(),
            "a form's minutes"
        );
        assert_eq!(
            ensure_ahead("anchor", "error-anchor-past", at("2026-12-01T11:54:00Z"), now),
            Err(crate::FieldError::new("anchor", "error-anchor-past"))
        );
    }

    #[test]
    fn a_date_years_away_is_refused_on_its_field() {
        let now = at("2026-12-01T12:00:00Z");
        assert_eq!(ensure_near("anchor", at("2031-11-30T12:00:00Z"), now), Ok(()), "just under five years");
        assert_eq!(
            ensure_near("anchor", at("9999-06-30T09:00:00Z"), now),
            Err(crate::FieldError::new("anchor", "error-date-too-far"))
        );
        assert_eq!(ensure_near("due_at", at("2016-12-02T12:00:00Z"), now), Ok(()), "a past engagement");
        assert_eq!(
            ensure_near("due_at", at("1970-01-02T00:00:00Z"), now),
            Err(crate::FieldError::new("due_at", "error-date-too-far"))
        );
    }

    #[test]
    fn reasons_are_required() {
        assert!(parse_reason("  ").is_err());
        assert_eq!(parse_reason(" not needed here ").unwrap(), "not needed here");
        assert!(parse_reason(&"x".repeat(501)).is_err());
    }
}

/// Reads an anchor typed by a person or sent by a script, in the workspace's time
/// zone: `2026-12-01T10:00` (local), `2026-12-01` (09:00 local), or an RFC 3339
/// instant with its offset (`2026-12-01T09:00:00Z`).
pub fn parse_anchor(input: &str, time_zone: &str) -> Result<Timestamp, crate::FieldError> {
    let err = crate::FieldError::new("anchor", "error-anchor-invalid");
    let s = input.trim();
    if s.is_empty() {
        return Err(crate::FieldError::new("anchor", "error-anchor-required"));
    }
    if let Ok(ts) = s.parse::<jiff::Timestamp>() {
        return Ok(Timestamp::from_jiff(ts));
    }
    let tz = jiff::tz::TimeZone::get(time_zone).map_err(|_| err)?;
    let civil = if s.contains(['T', 't', ' ']) {
        s.parse::<jiff::civil::DateTime>().map_err(|_| err)?
    } else {
        s.parse::<jiff::civil::Date>().map_err(|_| err)?.at(9, 0, 0, 0)
    };
    let zoned = civil.to_zoned(tz).map_err(|_| err)?;
    Ok(Timestamp::from_jiff(zoned.timestamp()))
}

#[cfg(test)]
mod anchor_tests {
    use super::*;

    #[test]
    fn anchors_are_read_in_the_workspace_time_zone() {
        let utc = |s: &str| Timestamp::from_jiff(s.parse::<jiff::Timestamp>().unwrap());
        assert_eq!(parse_anchor("2026-12-01T10:00", "Europe/Paris").unwrap(), utc("2026-12-01T09:00:00Z"));
        assert_eq!(parse_anchor("2026-07-01", "Europe/Paris").unwrap(), utc("2026-07-01T07:00:00Z"));
        assert_eq!(parse_anchor("2026-12-01T09:00:00Z", "Europe/Paris").unwrap(), utc("2026-12-01T09:00:00Z"));
        assert_eq!(parse_anchor("", "Europe/Paris").unwrap_err().code, "error-anchor-required");
        assert_eq!(parse_anchor("tomorrow", "Europe/Paris").unwrap_err().code, "error-anchor-invalid");
        assert_eq!(parse_anchor("2026-02-30", "Europe/Paris").unwrap_err().code, "error-anchor-invalid");
    }
}
