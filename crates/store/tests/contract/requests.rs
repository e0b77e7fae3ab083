//! The store contract: requests and complaints, their threads, and their figures.

use super::playbooks_engagements::{engagement, playbook};
use super::*;
use embark_core::requests::{Category, Channel, RequestKind, Status, Totals};
use embark_store::requests::{self, NewRequest, Scope, TotalsFilter};

const HOUR: i64 = 3_600_000;

struct Setup {
    ws: WorkspaceId,
    client: User,
    am: User,
    eng: embark_core::EngagementId,
}

async fn setup(store: &Store) -> Setup {
    let ws = workspace(store, "Acme").await;
    let client = user(store, ws.id, "claire@client.test", "Claire Dubois", Role::ClientContact).await;
    let am = user(store, ws.id, "ines@acme.test", "Inès Moreau", Role::AccountManager).await;
    let (pid, v) = playbook(store, ws.id, "kickoff", "k").await;
    let eng = engagement(store, ws.id, am.id, pid, &v, "Directrice financière").await;
    Setup { ws: ws.id, client, am, eng }
}

fn new<'a>(s: &Setup, kind: RequestKind, received: i64, subject: &'a str) -> NewRequest<'a> {
    NewRequest {
        workspace_id: s.ws,
        kind,
        category: Category::Candidates,
        channel: Channel::Portal,
        requester_id: s.client.id,
        logged_by: None,
        engagement_id: Some(s.eng),
        owner_id: s.am.id,
        subject,
        body: "Where is the shortlist?\n\nWe expected it on Monday.",
        received_at: at(received),
        due_at: at(received + kind.first_response_within_ms()),
    }
}

#[test]
fn a_request_is_read_back_whole_and_only_in_its_workspace() {
    for_each_engine(|store| async move {
        let s = setup(&store).await;
        let id = requests::create(&mut store.db(), new(&s, RequestKind::Complaint, 0, "Late shortlist")).await.unwrap();
        let r = requests::get(&mut store.db(), s.ws, id).await.unwrap().expect("found");
        assert_eq!(
            (r.kind, r.category, r.channel, r.requester_id, r.owner_id, r.engagement_id),
            (RequestKind::Complaint, Category::Candidates, Channel::Portal, s.client.id, s.am.id, Some(s.eng))
        );
        assert_eq!((r.requester_name.as_str(), r.owner_name.as_str()), ("Claire Dubois", "Inès Moreau"));
        assert_eq!(r.engagement_title.as_deref(), Some("Directrice financière"));
        assert_eq!(r.body, "Where is the shortlist?\n\nWe expected it on Monday.", "paragraphs kept");
        assert_eq!((r.received_at, r.due_at), (at(0), at(24 * HOUR)));
        assert_eq!(r.status(at(24 * HOUR)), Status::Open);
        assert_eq!(r.status(at(24 * HOUR + 1)), Status::Late);
        let other = workspace(&store, "Globex").await;
        assert_eq!(requests::get(&mut store.db(), other.id, id).await.unwrap(), None, "not yours");
    });
}

#[test]
fn lists_follow_their_scope_newest_first() {
    for_each_engine(|store| async move {
        let s = setup(&store).await;
        let first = requests::create(&mut store.db(), new(&s, RequestKind::Request, 0, "A")).await.unwrap();
        let second = requests::create(&mut store.db(), new(&s, RequestKind::Request, HOUR, "B")).await.unwrap();
        let ids = |rows: Vec<requests::RequestRow>| rows.into_iter().map(|r| r.id).collect::<Vec<_>>();
        let db = &mut store.db();
        assert_eq!(
            ids(requests::list(db, s.ws, Scope::RaisedBy(s.client.id), false, None, 10).await.unwrap()),
            [second, first]
        );
        assert_eq!(
            ids(requests::list(db, s.ws, Scope::OwnedBy(s.am.id), false, None, 10).await.unwrap()),
            [second, first]
        );
        assert_eq!(ids(requests::list(db, s.ws, Scope::All, false, None, 1).await.unwrap()), [second], "limited");
        assert!(requests::list(db, s.ws, Scope::RaisedBy(s.am.id), false, None, 10).await.unwrap().is_empty());
        assert!(requests::list(db, s.ws, Scope::OwnedBy(s.client.id), false, None, 10).await.unwrap().is_empty());

        assert!(requests::resolve(db, s.ws, first, s.am.id, "Sent on Tuesday.", at(2 * HOUR)).await.unwrap());
        assert_eq!(ids(requests::list(db, s.ws, Scope::All, true, None, 10).await.unwrap()), [second], "open only");
        assert_eq!(
            ids(requests::awaiting_response_of(db, s.ws, s.am.id, 10).await.unwrap()),
            [second],
            "a resolved one awaits nothing"
        );
    });
}

#[test]
fn lists_page_after_a_cursor_without_skipping_a_tie() {
    for_each_engine(|store| async move {
        let s = setup(&store).await;
        let db = &mut store.db();
        // Five requests, three of them received at the same instant.
        let mut made = Vec::new();
        for (i, received) in [0, HOUR, HOUR, HOUR, 2 * HOUR].into_iter().enumerate() {
            let subject = format!("Request {i}");
            made.push((
                received,
                requests::create(db, new(&s, RequestKind::Request, received, &subject)).await.unwrap(),
            ));
        }
        for scope in [Scope::All, Scope::OwnedBy(s.am.id), Scope::RaisedBy(s.client.id)] {
            let mut seen = Vec::new();
            let mut after = None;
            loop {
                let page = requests::list(db, s.ws, scope, false, after, 2).await.unwrap();
                assert!(page.len() <= 2);
                let Some(last) = page.last() else { break };
                after = Some((last.received_at, last.id));
                seen.extend(page.iter().map(|r| r.id));
            }
            let whole = requests::list(db, s.ws, scope, false, None, 10).await.unwrap();
            let received: Vec<_> = whole.iter().map(|r| r.received_at).collect();
            assert!(received.windows(2).all(|w| w[0] >= w[1]), "newest first");
            let whole: Vec<_> = whole.iter().map(|r| r.id).collect();
            assert_eq!(whole.len(), made.len());
            assert_eq!(seen, whole, "every request once, in the same order, page after page ({scope:?})");
        }
    });
}

#[test]
fn the_first_response_and_the_resolution_are_recorded_once() {
    for_each_engine(|store| async move {
        let s = setup(&store).await;
        let id = requests::create(&mut store.db(), new(&s, RequestKind::Complaint, 0, "Late")).await.unwrap();
        let db = &mut store.db();
        requests::add_message(db, s.ws, id, s.client.id, "Any news?", at(HOUR)).await.unwrap();
        requests::add_message(db, s.ws, id, s.am.id, "Tomorrow.", at(2 * HOUR)).await.unwrap();
        assert!(requests::mark_first_response(db, s.ws, id, at(2 * HOUR)).await.unwrap());
        assert!(!requests::mark_first_response(db, s.ws, id, at(3 * HOUR)).await.unwrap(), "the first stays");
        let thread = requests::messages(db, s.ws, id).await.unwrap();
        assert_eq!(
            thread.iter().map(|m| (m.author_name.as_str(), m.body.as_str())).collect::<Vec<_>>(),
            [("Claire Dubois", "Any news?"), ("Inès Moreau", "Tomorrow.")]
        );
        assert!(!requests::mark_escalated(db, s.ws, id, at(30 * HOUR)).await.unwrap(), "answered: no escalation");
        assert!(requests::resolve(db, s.ws, id, s.am.id, "Shortlist sent.", at(5 * HOUR)).await.unwrap());
        assert!(!requests::resolve(db, s.ws, id, s.am.id, "Again", at(6 * HOUR)).await.unwrap());
        let r = requests::get(db, s.ws, id).await.unwrap().unwrap();
        assert_eq!((r.first_response_at, r.resolved_at), (Some(at(2 * HOUR)), Some(at(5 * HOUR))));
        assert_eq!(
            (r.resolution.as_deref(), r.resolved_by_name.as_deref()),
            (Some("Shortlist sent."), Some("Inès Moreau"))
        );
        let other = workspace(&store, "Globex").await;
        assert!(requests::messages(&mut store.db(), other.id, id).await.unwrap().is_empty(), "not yours");
    });
}

#[test]
fn an_unanswered_request_is_escalated_once() {
    for_each_engine(|store| async move {
        let s = setup(&store).await;
        let id = requests::create(&mut store.db(), new(&s, RequestKind::Request, 0, "Invoice")).await.unwrap();
        assert!(requests::mark_escalated(&mut store.db(), s.ws, id, at(72 * HOUR)).await.unwrap());
        assert!(!requests::mark_escalated(&mut store.db(), s.ws, id, at(73 * HOUR)).await.unwrap());
        let r = requests::get(&mut store.db(), s.ws, id).await.unwrap().unwrap();
        assert_eq!(r.escalated_at, Some(at(72 * HOUR)));
    });
}

#[test]
fn totals_count_a_period_by_kind_role_and_owner() {
    for_each_engine(|store| async move {
        let s = setup(&store).await;
        let hire = user(&store, s.ws, "zoe@acme.test", "Zoé Lambert", Role::NewHire).await;
        let db = &mut store.db();
        // A complaint answered in 2 h (on time), a request answered in 50 h (late),
        // one unanswered, a new hire's request, and one before the period.
        let c = requests::create(db, new(&s, RequestKind::Complaint, 10 * HOUR, "C")).await.unwrap();
        requests::mark_first_response(db, s.ws, c, at(12 * HOUR)).await.unwrap();
        requests::resolve(db, s.ws, c, s.am.id, "Done", at(20 * HOUR)).await.unwrap();
        let r = requests::create(db, new(&s, RequestKind::Request, 10 * HOUR, "R")).await.unwrap();
        requests::mark_first_response(db, s.ws, r, at(60 * HOUR)).await.unwrap();
        requests::create(db, new(&s, RequestKind::Request, 11 * HOUR, "U")).await.unwrap();
        let mut theirs = new(&s, RequestKind::Request, 11 * HOUR, "H");
        theirs.requester_id = hire.id;
        let h = requests::create(db, theirs).await.unwrap();
        requests::mark_first_response(db, s.ws, h, at(12 * HOUR)).await.unwrap();
        requests::create(db, new(&s, RequestKind::Complaint, -HOUR, "Before")).await.unwrap();

        let all = requests::totals(db, s.ws, "2026-01", "2026-01", TotalsFilter::default()).await.unwrap();
        assert_eq!(
            all,
            Totals {
                received: 4,
                answered_on_time: 2,
                answered: 3,
                resolved: 1,
                // (2 h + 50 h + 1 h) / 3
                mean_first_response_ms: Some(53 * HOUR / 3),
                mean_resolution_ms: Some(10 * HOUR),
            }
        );
        assert_eq!(all.response_rate(), Some(50));
        let db = &mut store.db();
        let clients = requests::totals(
            db,
            s.ws,
            "2026-01",
            "2026-01",
            TotalsFilter { requester_role: Some(Role::ClientContact), ..TotalsFilter::default() },
        )
        .await
        .unwrap();
        assert_eq!((clients.received, clients.answered_on_time), (3, 1));
        let complaints = requests::totals(
            db,
            s.ws,
            "2026-01",
            "2026-01",
            TotalsFilter { kind: Some(RequestKind::Complaint), owner: Some(s.am.id), ..TotalsFilter::default() },
        )
        .await
        .unwrap();
        assert_eq!((complaints.received, complaints.mean_first_response_ms), (1, Some(2 * HOUR)));
        let none = requests::totals(db, s.ws, "2026-02", "2026-06", TotalsFilter::default()).await.unwrap();
        assert_eq!((none, none.response_rate()), (Totals::default(), None));
        let before = requests::totals(db, s.ws, "2025-01", "2025-12", TotalsFilter::default()).await.unwrap();
        assert_eq!(before.received, 1, "the one before, in its own month");

        // Who was a client when she wrote stays counted as one.
        embark_store::query("UPDATE users SET role = 'new_hire' WHERE id = $1")
            .bind(s.client.id.to_string())
            .execute(db)
            .await
            .unwrap();
        let role = TotalsFilter { requester_role: Some(Role::ClientContact), ..TotalsFilter::default() };
        let still = requests::totals(db, s.ws, "2026-01", "2026-01", role).await.unwrap();
        assert_eq!(still, clients, "the role she had when it arrived");

        // Rebuilt from the requests (a database from before the figures were kept),
        // the figures are the same; kept ones are left alone.
        assert!(!requests::rebuild_months_if_stale(db).await.unwrap(), "in step: nothing to rebuild");
        embark_store::query("DELETE FROM request_months").execute(db).await.unwrap();
        assert!(requests::rebuild_months_if_stale(db).await.unwrap());
        let rebuilt = requests::totals(db, s.ws, "2026-01", "2026-01", TotalsFilter::default()).await.unwrap();
        assert_eq!(rebuilt, all);
        assert_eq!(requests::totals(db, s.ws, "2026-01", "2026-01", role).await.unwrap(), clients);
    });
}
