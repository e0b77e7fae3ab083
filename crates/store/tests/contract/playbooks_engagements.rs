//! The store contract: playbooks and engagements.

use super::*;

use embark_core::engagements::{EngagementState, ItemKind, ItemState, PlannedItem};
use embark_core::{EngagementId, PlaybookId};
use embark_store::engagements::{self, BoardFilter};
use embark_store::playbooks::{self, NewPlaybook, NewVersion, VersionRow};

pub(crate) async fn playbook(store: &Store, ws: WorkspaceId, key: &str, source: &str) -> (PlaybookId, VersionRow) {
    let id = playbooks::create(
        &mut store.db(),
        NewPlaybook { workspace_id: ws, key, language: Locale::En, title: key, kind: "journey", builtin: false },
        at(0),
    )
    .await
    .expect("create playbook");
    let v = version(store, ws, id, source).await;
    (id, v)
}

async fn version(store: &Store, ws: WorkspaceId, id: PlaybookId, source: &str) -> VersionRow {
    let mut conn = store.conn().await.unwrap();
    let hash = format!("hash-of-{source}");
    let new = NewVersion {
        workspace_id: ws,
        playbook_id: id,
        source,
        content_hash: &hash,
        title: "Title",
        kind: "journey",
        created_by: None,
    };
    playbooks::add_version(&mut conn, new, at(MINUTE)).await.expect("add version")
}

#[test]
fn playbook_versions_are_numbered_and_listed_newest_first() {
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        let (id, v1) = playbook(&store, ws.id, "welcome", "one").await;
        assert_eq!(v1.number, 1);
        let v2 = version(&store, ws.id, id, "two").await;
        assert_eq!(v2.number, 2);
        let row = playbooks::get(&mut store.db(), ws.id, id).await.unwrap().unwrap();
        assert_eq!((row.latest_version, row.title.as_str()), (2, "Title"));
        let all = playbooks::versions(&mut store.db(), ws.id, id).await.unwrap();
        assert_eq!(all.iter().map(|v| v.number).collect::<Vec<_>>(), vec![2, 1]);
        assert_eq!(all[1].source, "one", "an old version is never rewritten");
        let found = playbooks::version_by_number(&mut store.db(), ws.id, id, 1).await.unwrap().unwrap();
        assert_eq!(found.id, v1.id);
        assert_eq!(playbooks::version(&mut store.db(), ws.id, v2.id).await.unwrap().unwrap().source, "two");
        let by_key = playbooks::find_by_key(&mut store.db(), ws.id, "welcome", Locale::En).await.unwrap().unwrap();
        assert_eq!(by_key.id, id);
        assert!(playbooks::find_by_key(&mut store.db(), ws.id, "welcome", Locale::Fr).await.unwrap().is_none());
        assert_eq!(playbooks::workspace_of(&mut store.db(), id).await.unwrap(), Some(ws.id));
    });
}

#[test]
fn a_playbook_key_is_unique_per_language_and_invisible_to_other_workspaces() {
    for_each_engine(|store| async move {
        let a = workspace(&store, "Acme").await;
        let b = workspace(&store, "Beta").await;
        let (id, v) = playbook(&store, a.id, "welcome", "one").await;
        let again = playbooks::create(
            &mut store.db(),
            NewPlaybook {
                workspace_id: a.id,
                key: "welcome",
                language: Locale::En,
                title: "x",
                kind: "journey",
                builtin: false,
            },
            at(0),
        )
        .await;
        assert_conflict(again, playbooks::KEY_TAKEN);
        // Another workspace may use the same key, and sees nothing of Acme's.
        playbook(&store, b.id, "welcome", "other").await;
        assert!(playbooks::get(&mut store.db(), b.id, id).await.unwrap().is_none());
        assert!(playbooks::version(&mut store.db(), b.id, v.id).await.unwrap().is_none());
        assert!(playbooks::versions(&mut store.db(), b.id, id).await.unwrap().is_empty());
        assert_eq!(playbooks::list(&mut store.db(), b.id).await.unwrap().len(), 1);
    });
}

#[test]
fn article_feedback_keeps_one_answer_per_reader() {
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        let ada = user(&store, ws.id, "ada@acme.test", "Ada", Role::Admin).await;
        let bob = user(&store, ws.id, "bob@acme.test", "Bob", Role::Coach).await;
        let (id, _) = playbook(&store, ws.id, "welcome", "one").await;
        playbooks::set_feedback(&mut store.db(), ws.id, id, ada.id, true, at(0)).await.unwrap();
        playbooks::set_feedback(&mut store.db(), ws.id, id, ada.id, false, at(MINUTE)).await.unwrap();
        playbooks::set_feedback(&mut store.db(), ws.id, id, bob.id, true, at(MINUTE)).await.unwrap();
        assert_eq!(playbooks::feedback_counts(&mut store.db(), ws.id, id).await.unwrap(), (1, 1));
        assert_eq!(playbooks::feedback_of(&mut store.db(), ws.id, id, ada.id).await.unwrap(), Some(false));
    });
}

fn planned(key: &str, kind: ItemKind, position: i64, due: Option<i64>) -> PlannedItem {
    PlannedItem { key: key.into(), kind, position, owner_role: Some("host".into()), due_at: due.map(at) }
}

pub(crate) async fn engagement(
    store: &Store,
    ws: WorkspaceId,
    owner: UserId,
    playbook: PlaybookId,
    version: &VersionRow,
    title: &str,
) -> EngagementId {
    let items = [
        planned("gate", ItemKind::Gate, 0, Some(HOUR)),
        planned("step", ItemKind::Step, 1, Some(2 * HOUR)),
        planned("step.1", ItemKind::Checkpoint, 2, Some(2 * HOUR)),
    ];
    let mut conn = store.conn().await.unwrap();
    let new = engagements::NewEngagement {
        workspace_id: ws,
        playbook_id: playbook,
        version_id: version.id,
        title,
        subject: "Subject",
        anchor_at: at(0),
        owner_id: owner,
        created_by: Some(owner),
    };
    engagements::create(&mut conn, new, &items, at(0)).await.expect("create engagement")
}

#[test]
fn an_engagement_keeps_its_items_in_order_and_records_their_changes() {
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        let ada = user(&store, ws.id, "ada@acme.test", "Ada", Role::AccountManager).await;
        let (pid, v) = playbook(&store, ws.id, "welcome", "one").await;
        let id = engagement(&store, ws.id, ada.id, pid, &v, "Search").await;
        let row = engagements::get(&mut store.db(), ws.id, id).await.unwrap().unwrap();
        assert_eq!((row.version_id, row.version_number, row.state), (v.id, 1, EngagementState::Active));
        assert_eq!(row.owner_name, "Ada");
        let items = engagements::items(&mut store.db(), ws.id, id).await.unwrap();
        assert_eq!(items.iter().map(|i| i.key.as_str()).collect::<Vec<_>>(), ["gate", "step", "step.1"]);
        assert!(items.iter().all(|i| i.state == ItemState::Todo && i.note.is_empty() && !i.overridden));

        assert!(engagements::set_item_state(
            &mut store.db(),
            ws.id,
            id,
            "gate",
            ItemState::Done,
            Some(ada.id),
            None,
            at(MINUTE)
        )
        .await
        .unwrap());
        assert!(engagements::set_item_state(
            &mut store.db(),
            ws.id,
            id,
            "step",
            ItemState::Skipped,
            Some(ada.id),
            Some("not needed"),
            at(MINUTE)
        )
        .await
        .unwrap());
        assert!(!engagements::set_item_state(
            &mut store.db(),
            ws.id,
            id,
            "nope",
            ItemState::Done,
            None,
            None,
            at(MINUTE)
        )
        .await
        .unwrap());
        assert!(engagements::set_item_note(&mut store.db(), ws.id, id, "step", "called them").await.unwrap());
        assert!(engagements::set_item_overridden(&mut store.db(), ws.id, id, "step").await.unwrap());
        let items = engagements::items(&mut store.db(), ws.id, id).await.unwrap();
        assert_eq!(items[0].state, ItemState::Done);
        assert_eq!(items[0].done_by.as_deref(), Some(ada.id.to_string().as_str()));
        assert_eq!(items[0].done_at, Some(at(MINUTE)));
        assert_eq!((items[1].state, items[1].reason.as_deref()), (ItemState::Skipped, Some("not needed")));
        assert_eq!(items[1].note, "called them");
        assert!(items[1].overridden);
        // Reopening clears who closed it.
        engagements::set_item_state(
            &mut store.db(),
            ws.id,
            id,
            "gate",
            ItemState::Todo,
            Some(ada.id),
            None,
            at(2 * MINUTE),
        )
        .await
        .unwrap();
        let gate = engagements::items(&mut store.db(), ws.id, id).await.unwrap().remove(0);
        assert_eq!((gate.state, gate.done_by, gate.done_at), (ItemState::Todo, None, None));

        let (eid, item) = engagements::item_by_id(&mut store.db(), ws.id, gate.id).await.unwrap().unwrap();
        assert_eq!((eid, item.key.as_str()), (id, "gate"));

        engagements::record_event(&mut store.db(), ws.id, id, Some(ada.id), "created", None, "", at(0)).await.unwrap();
        engagements::record_event(&mut store.db(), ws.id, id, Some(ada.id), "done", Some("gate"), "", at(MINUTE))
            .await
            .unwrap();
        let events = engagements::events(&mut store.db(), ws.id, id, 10).await.unwrap();
        assert_eq!(events.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(), ["done", "created"]);
        assert_eq!(events[0].actor_name.as_deref(), Some("Ada"));

        let mut conn = store.conn().await.unwrap();
        let dues = vec![("gate".to_string(), Some(at(5 * HOUR))), ("step".to_string(), None)];
        engagements::move_anchor(&mut conn, ws.id, id, at(4 * HOUR), &dues, at(3 * MINUTE)).await.unwrap();
        drop(conn);
        let items = engagements::items(&mut store.db(), ws.id, id).await.unwrap();
        assert_eq!((items[0].due_at, items[1].due_at, items[2].due_at), (Some(at(5 * HOUR)), None, Some(at(2 * HOUR))));
        assert_eq!(engagements::get(&mut store.db(), ws.id, id).await.unwrap().unwrap().anchor_at, at(4 * HOUR));
    });
}

#[test]
fn participants_are_listed_with_their_people() {
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        let ada = user(&store, ws.id, "ada@acme.test", "Ada", Role::AccountManager).await;
        let cli = user(&store, ws.id, "cli@client.test", "Claire", Role::ClientContact).await;
        let (pid, v) = playbook(&store, ws.id, "welcome", "one").await;
        let id = engagement(&store, ws.id, ada.id, pid, &v, "Search").await;
        engagements::add_participant(&mut store.db(), ws.id, id, "host", ada.id).await.unwrap();
        engagements::add_participant(&mut store.db(), ws.id, id, "guest", cli.id).await.unwrap();
        engagements::add_participant(&mut store.db(), ws.id, id, "guest", cli.id).await.unwrap();
        let people = engagements::participants(&mut store.db(), ws.id, id).await.unwrap();
        assert_eq!(
            people.iter().map(|p| (p.role.as_str(), p.name.as_str())).collect::<Vec<_>>(),
            [("guest", "Claire"), ("host", "Ada")]
        );
    });
}

#[test]
fn the_board_pages_by_next_due_date_with_filters_and_stays_in_its_workspace() {
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        let other = workspace(&store, "Beta").await;
        let ada = user(&store, ws.id, "ada@acme.test", "Ada", Role::AccountManager).await;
        let bob = user(&store, ws.id, "bob@acme.test", "Bob", Role::AccountManager).await;
        let cli = user(&store, ws.id, "cli@client.test", "Claire", Role::ClientContact).await;
        let (p1, v1) = playbook(&store, ws.id, "kickoff", "one").await;
        let (p2, v2) = playbook(&store, ws.id, "journey", "two").await;
        let mut ids = Vec::new();
        for i in 0..12i64 {
            let (owner, (pid, v)) = if i % 3 == 0 { (bob.id, (p2, &v2)) } else { (ada.id, (p1, &v1)) };
            let id = engagement(&store, ws.id, owner, pid, v, &format!("E{i:02}")).await;
            // Due dates out of creation order, with a tie, and one with nothing due.
            let due = if i == 5 { embark_core::engagements::NOTHING_DUE } else { T0 + ((i * 7) % 5) * HOUR };
            let state = if i == 11 { EngagementState::Completed } else { EngagementState::Active };
            let summary = engagements::Summary {
                closed: i % 2,
                total: 2,
                next_due_at: due,
                next_due_title: format!("Step {i}"),
                state,
            };
            engagements::update_summary(&mut store.db(), ws.id, id, summary, at(0)).await.unwrap();
            ids.push((due, id));
        }
        engagements::add_participant(&mut store.db(), ws.id, ids[4].1, "guest", cli.id).await.unwrap();
        ids.sort_by_key(|a| (a.0, a.1.to_string()));

        let mut seen = Vec::new();
        let mut after = None;
        loop {
            let page = engagements::board(&mut store.db(), ws.id, &BoardFilter::default(), after, 5).await.unwrap();
            if page.is_empty() {
                break;
            }
            after = page.last().map(|r| (r.next_due_at, r.id));
            seen.extend(page.into_iter().map(|r| (r.next_due_at, r.id)));
        }
        assert_eq!(seen, ids, "every engagement once, by next due date then id");
        let first = engagements::get(&mut store.db(), ws.id, ids[0].1).await.unwrap().unwrap();
        assert!(first.next_due_title.starts_with("Step "), "the summary keeps the next item's title");

        let bobs = BoardFilter { owner: Some(bob.id), ..Default::default() };
        assert_eq!(engagements::board(&mut store.db(), ws.id, &bobs, None, 50).await.unwrap().len(), 4);
        let journeys = BoardFilter { playbook: Some(p2), ..Default::default() };
        assert!(engagements::board(&mut store.db(), ws.id, &journeys, None, 50)
            .await
            .unwrap()
            .iter()
            .all(|r| r.playbook_id == p2));
        let done = BoardFilter { state: Some(EngagementState::Completed), ..Default::default() };
        assert_eq!(engagements::board(&mut store.db(), ws.id, &done, None, 50).await.unwrap().len(), 1);
        let claire = BoardFilter { participant: Some(cli.id), ..Default::default() };
        let hers = engagements::board(&mut store.db(), ws.id, &claire, None, 50).await.unwrap();
        assert_eq!(hers.iter().map(|r| r.title.as_str()).collect::<Vec<_>>(), ["E04"]);
        let both = BoardFilter {
            owner: Some(ada.id),
            playbook: Some(p1),
            state: Some(EngagementState::Active),
            participant: None,
        };
        assert_eq!(engagements::board(&mut store.db(), ws.id, &both, None, 50).await.unwrap().len(), 7);

        assert!(engagements::board(&mut store.db(), other.id, &BoardFilter::default(), None, 50)
            .await
            .unwrap()
            .is_empty());
        assert!(engagements::get(&mut store.db(), other.id, ids[0].1).await.unwrap().is_none());
        assert!(engagements::items(&mut store.db(), other.id, ids[0].1).await.unwrap().is_empty());
        assert!(!engagements::set_item_state(
            &mut store.db(),
            other.id,
            ids[0].1,
            "gate",
            ItemState::Done,
            None,
            None,
            at(0)
        )
        .await
        .unwrap());
        assert_eq!(engagements::count(&mut store.db(), ws.id).await.unwrap(), 12);
    });
}

#[test]
fn certifications_are_valid_between_grant_and_expiry_in_their_workspace() {
    use embark_store::accounts::certifications::{self, Grant, Source, SCORECARD};
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        let other = workspace(&store, "Beta").await;
        let am = user(&store, ws.id, "am@acme.test", "Anne", Role::AccountManager).await;
        let admin = user(&store, ws.id, "ad@acme.test", "Ada", Role::Admin).await;
        assert!(!certifications::is_valid(&mut store.db(), ws.id, am.id, SCORECARD, at(0)).await.unwrap());
        let grant = |granted_at, expires_at| Grant {
            workspace: ws.id,
            user: am.id,
            kind: SCORECARD,
            source: Source::Override,
            granted_by: Some(admin.id),
            reason: Some("Certified on paper before Embark"),
            attempt: None,
            granted_at,
            expires_at,
        };
        certifications::record(&mut store.db(), grant(at(HOUR), at(10 * HOUR))).await.unwrap();
        assert!(
            !certifications::is_valid(&mut store.db(), ws.id, am.id, SCORECARD, at(0)).await.unwrap(),
            "not before its grant"
        );
        assert!(certifications::is_valid(&mut store.db(), ws.id, am.id, SCORECARD, at(2 * HOUR)).await.unwrap());
        assert!(
            !certifications::is_valid(&mut store.db(), ws.id, am.id, SCORECARD, at(10 * HOUR)).await.unwrap(),
            "expired"
        );
        assert!(!certifications::is_valid(&mut store.db(), other.id, am.id, SCORECARD, at(2 * HOUR)).await.unwrap());
        assert!(!certifications::is_valid(&mut store.db(), ws.id, am.id, "other", at(2 * HOUR)).await.unwrap());
        // At its boundary: valid the millisecond before its expiry, not at it.
        let until = certifications::valid_until(&mut store.db(), ws.id, am.id, SCORECARD, at(10 * HOUR - 1)).await;
        assert_eq!(until.unwrap(), Some(at(10 * HOUR)));
        let until = certifications::valid_until(&mut store.db(), ws.id, am.id, SCORECARD, at(10 * HOUR)).await;
        assert_eq!(until.unwrap(), None);
        // A renewal is a new row: the history keeps both, latest first.
        certifications::record(&mut store.db(), grant(at(9 * HOUR), at(30 * HOUR))).await.unwrap();
        let until = certifications::valid_until(&mut store.db(), ws.id, am.id, SCORECARD, at(9 * HOUR)).await;
        assert_eq!(until.unwrap(), Some(at(30 * HOUR)), "the latest expiry counts");
        let by_kind = certifications::valid_until_by_kind(&mut store.db(), ws.id, am.id, at(9 * HOUR)).await;
        assert_eq!(by_kind.unwrap(), vec![(SCORECARD.to_string(), at(30 * HOUR))], "every kind in one query");
        let none = certifications::valid_until_by_kind(&mut store.db(), ws.id, am.id, at(30 * HOUR)).await;
        assert!(none.unwrap().is_empty());
        let list = certifications::of_user(&mut store.db(), ws.id, am.id).await.unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list[1].granted_by_name.as_deref(), Some("Ada"));
        assert_eq!((list[0].expires_at, list[1].expires_at), (at(30 * HOUR), at(10 * HOUR)));
        assert_eq!(list[0].source, Source::Override);
        assert_eq!(list[0].reason.as_deref(), Some("Certified on paper before Embark"));
        assert!(certifications::of_user(&mut store.db(), other.id, am.id).await.unwrap().is_empty());
    });
}

#[test]
fn open_gates_and_steps_owned_by_a_person_are_found_through_their_role() {
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        let ada = user(&store, ws.id, "ada@acme.test", "Ada", Role::AccountManager).await;
        let bob = user(&store, ws.id, "bob@acme.test", "Bob", Role::AccountManager).await;
        let (pid, v) = playbook(&store, ws.id, "welcome", "one").await;
        let id = engagement(&store, ws.id, ada.id, pid, &v, "Search").await;
        // The fixture's items are owned by the role "host".
        engagements::add_participant(&mut store.db(), ws.id, id, "host", ada.id).await.unwrap();
        engagements::add_participant(&mut store.db(), ws.id, id, "guest", bob.id).await.unwrap();
        let items = engagements::open_items_owned_by(&mut store.db(), ws.id, ada.id).await.unwrap();
        assert_eq!(items, vec![(id, "gate".to_string(), v.id), (id, "step".to_string(), v.id)], "not checkpoints");
        assert!(engagements::open_items_owned_by(&mut store.db(), ws.id, bob.id).await.unwrap().is_empty());
        for key in ["gate", "step"] {
            engagements::set_item_state(&mut store.db(), ws.id, id, key, ItemState::Done, None, None, at(0))
                .await
                .unwrap();
        }
        assert!(engagements::open_items_owned_by(&mut store.db(), ws.id, ada.id).await.unwrap().is_empty());
        // Closed gates, while the engagement's anchor is still ahead (its anchor is at 0).
        let closed = engagements::closed_gates_owned_before_anchor(&mut store.db(), ws.id, ada.id, at(-1)).await;
        assert_eq!(closed.unwrap(), vec![(id, "gate".to_string(), v.id)], "gates only");
        let started = engagements::closed_gates_owned_before_anchor(&mut store.db(), ws.id, ada.id, at(0)).await;
        assert!(started.unwrap().is_empty(), "the anchor has come: nothing to reopen");
        let bobs = engagements::closed_gates_owned_before_anchor(&mut store.db(), ws.id, bob.id, at(-1)).await;
        assert!(bobs.unwrap().is_empty());
    });
}

#[test]
fn an_active_engagement_is_cancelled_once_and_only_in_its_workspace() {
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        let other = workspace(&store, "Other").await;
        let ada = user(&store, ws.id, "ada@acme.test", "Ada", Role::AccountManager).await;
        let (pid, v) = playbook(&store, ws.id, "welcome", "one").await;
        let id = engagement(&store, ws.id, ada.id, pid, &v, "Beta").await;
        let db = &mut store.db();
        assert!(!engagements::cancel(db, other.id, id, at(1)).await.unwrap(), "not from another workspace");
        assert!(engagements::cancel(db, ws.id, id, at(1)).await.unwrap());
        assert!(!engagements::cancel(db, ws.id, id, at(2)).await.unwrap(), "once");
        let row = engagements::get(db, ws.id, id).await.unwrap().unwrap();
        assert_eq!(row.state, EngagementState::Cancelled);
        assert_eq!(row.next_due_at, embark_core::engagements::NOTHING_DUE, "it leaves the board's due dates");
    });
}

#[test]
fn progress_totals_count_active_engagements_their_items_and_the_late_ones() {
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        let owner = user(&store, ws.id, "ines@acme.test", "Inès", Role::AccountManager).await;
        let (pid, v) = playbook(&store, ws.id, "onboarding", "o").await;
        let db = &mut store.db();
        assert_eq!(engagements::progress_totals(db, ws.id, at(0)).await.unwrap(), Default::default());
        let first = engagement(&store, ws.id, owner.id, pid, &v, "First").await;
        let second = engagement(&store, ws.id, owner.id, pid, &v, "Second").await;
        let db = &mut store.db();
        for (id, closed) in [(first, 1), (second, 0)] {
            let summary = engagements::Summary {
                closed,
                total: 3,
                next_due_at: at(HOUR).as_millis(),
                next_due_title: "Gate".into(),
                state: embark_core::engagements::EngagementState::Active,
            };
            engagements::update_summary(db, ws.id, id, summary, at(0)).await.unwrap();
        }
        let t = engagements::progress_totals(db, ws.id, at(0)).await.unwrap();
        assert_eq!((t.active, t.items_closed, t.items_total, t.late), (2, 1, 6, 0));
        // Their first item is due at one hour: past it, both are late.
        assert_eq!(engagements::progress_totals(db, ws.id, at(HOUR + 1)).await.unwrap().late, 2);
        assert!(engagements::cancel(db, ws.id, second, at(1)).await.unwrap());
        let t = engagements::progress_totals(db, ws.id, at(HOUR + 1)).await.unwrap();
        assert_eq!((t.active, t.items_closed, t.items_total, t.late), (1, 1, 3, 1), "cancelled: not counted");
        assert!(!engagements::cancel(db, ws.id, second, at(2)).await.unwrap(), "once");
        // The same summary again changes nothing; a completed one leaves the figures.
        let again = engagements::Summary {
            closed: 1,
            total: 3,
            next_due_at: at(HOUR).as_millis(),
            next_due_title: "Gate".into(),
            state: embark_core::engagements::EngagementState::Active,
        };
        engagements::update_summary(db, ws.id, first, again.clone(), at(3)).await.unwrap();
        assert_eq!(engagements::progress_totals(db, ws.id, at(0)).await.unwrap().items_closed, 1);
        let done = engagements::Summary {
            closed: 3,
            next_due_at: embark_core::engagements::NOTHING_DUE,
            state: embark_core::engagements::EngagementState::Completed,
            ..again
        };
        engagements::update_summary(db, ws.id, first, done, at(4)).await.unwrap();
        assert_eq!(engagements::progress_totals(db, ws.id, at(HOUR + 1)).await.unwrap(), Default::default());
        // The kept figures are those the rows give.
        let third = engagement(&store, ws.id, owner.id, pid, &v, "Third").await;
        let db = &mut store.db();
        let kept = engagements::progress_totals(db, ws.id, at(0)).await.unwrap();
        let rows: (i64, i64, i64) = embark_store::query_as(
            "SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(items_closed), 0) AS BIGINT), \
               CAST(COALESCE(SUM(items_total), 0) AS BIGINT) FROM engagements WHERE workspace_id = $1 AND state = 'active'",
        )
        .bind(ws.id.to_string())
        .fetch_one(&mut *db)
        .await
        .unwrap();
        assert_eq!((kept.active, kept.items_closed, kept.items_total), rows, "{third}");
        let other = workspace(&store, "Globex").await;
        assert_eq!(engagements::progress_totals(db, other.id, at(0)).await.unwrap(), Default::default());
    });
}
