//! The store contract: the kick-off: scorecards, meetings, action tokens.

use super::playbooks_engagements::{engagement, playbook};
use super::*;
use embark_core::{EngagementId, NextStepId};
use embark_store::engagements;

use embark_core::kickoff::{ActionPurpose, NextStepKind, NextStepOutcome, QuestionSource, ScorecardState};
use embark_store::{kickoff::action_tokens, kickoff::meetings, kickoff::scorecards};

async fn search(store: &Store) -> (WorkspaceId, User, User, EngagementId) {
    let ws = workspace(store, "Acme").await;
    let am = user(store, ws.id, "am@acme.test", "Ann Manager", Role::AccountManager).await;
    let client = user(store, ws.id, "cli@client.test", "Carl Client", Role::ClientContact).await;
    let (pid, v) = playbook(store, ws.id, "kickoff", "k").await;
    let id = engagement(store, ws.id, am.id, pid, &v, "Search").await;
    (ws.id, am, client, id)
}

async fn new_scorecard(store: &Store, ws: WorkspaceId, id: EngagementId, number: i64) -> embark_core::ScorecardId {
    let mut conn = store.conn().await.unwrap();
    let fields = [("mission", "\"\"".to_string()), ("location", "\"\"".to_string())];
    scorecards::create(
        &mut conn,
        scorecards::NewScorecard {
            workspace_id: ws,
            engagement_id: id,
            number,
            rescoping: number > 1,
            fields: &fields,
            created_by: None,
        },
        at(0),
    )
    .await
    .expect("create scorecard")
}

#[test]
fn scorecard_fields_are_written_only_at_the_version_they_were_read() {
    for_each_engine(|store| async move {
        let (ws, am, client, id) = search(&store).await;
        let sc = new_scorecard(&store, ws, id, 1).await;
        assert_conflict(
            {
                let mut conn = store.conn().await.unwrap();
                let f = [("mission", "\"\"".to_string())];
                let new = scorecards::NewScorecard {
                    workspace_id: ws,
                    engagement_id: id,
                    number: 1,
                    rescoping: false,
                    fields: &f,
                    created_by: None,
                };
                scorecards::create(&mut conn, new, at(0)).await
            },
            "scorecards_number_key",
        );
        let p = &mut store.db();
        assert_eq!(scorecards::write_field(p, ws, sc, "mission", "\"A\"", 1, client.id, at(1)).await.unwrap(), Some(2));
        assert_eq!(
            scorecards::write_field(p, ws, sc, "mission", "\"B\"", 1, am.id, at(2)).await.unwrap(),
            None,
            "stale"
        );
        let fields = scorecards::fields(p, ws, sc).await.unwrap();
        let mission = fields.iter().find(|f| f.field == "mission").unwrap();
        assert_eq!((mission.value.as_str(), mission.version), ("\"A\"", 2));
        assert_eq!(mission.updated_by_name.as_deref(), Some("Carl Client"));
        // Another workspace cannot write it, even at the right version.
        let other = workspace(&store, "Other").await;
        assert_eq!(scorecards::write_field(p, other.id, sc, "mission", "\"C\"", 2, am.id, at(3)).await.unwrap(), None);
        assert_eq!(scorecards::current(p, other.id, id).await.unwrap(), None);
    });
}

#[test]
fn a_scorecard_locks_only_on_two_signatures_of_the_same_content_and_then_never_changes() {
    for_each_engine(|store| async move {
        let (ws, am, client, id) = search(&store).await;
        let sc = new_scorecard(&store, ws, id, 1).await;
        let p = &mut store.db();
        assert!(scorecards::mark_sent(p, ws, sc, at(HOUR), am.id, at(1)).await.unwrap());
        assert!(scorecards::agree_due(p, ws, sc, at(2)).await.unwrap());
        assert!(!scorecards::agree_due(p, ws, sc, at(3)).await.unwrap(), "agreed once");
        assert!(scorecards::mark_returned(p, ws, sc, client.id, at(4)).await.unwrap());
        assert!(!scorecards::mark_returned(p, ws, sc, client.id, at(5)).await.unwrap(), "returned once");
        scorecards::sign(p, ws, sc, scorecards::Side::AccountManager, am.id, "h1", at(6)).await.unwrap();
        scorecards::sign(p, ws, sc, scorecards::Side::Client, client.id, "h2", at(7)).await.unwrap();
        assert!(!scorecards::lock(p, ws, sc, "text", "h2", at(8)).await.unwrap(), "signatures differ");
        scorecards::clear_signatures(p, ws, sc).await.unwrap();
        let row = scorecards::current(p, ws, id).await.unwrap().unwrap();
        assert!(row.account_manager.is_none() && row.client.is_none());
        scorecards::sign(p, ws, sc, scorecards::Side::AccountManager, am.id, "h2", at(9)).await.unwrap();
        scorecards::sign(p, ws, sc, scorecards::Side::Client, client.id, "h2", at(10)).await.unwrap();
        assert!(scorecards::lock(p, ws, sc, "text", "h2", at(11)).await.unwrap());
        let row = scorecards::current(p, ws, id).await.unwrap().unwrap();
        assert_eq!(row.state, ScorecardState::Locked);
        assert_eq!(
            (row.locked_at, row.content_hash.as_deref(), row.locked_text.as_deref()),
            (Some(at(11)), Some("h2"), Some("text"))
        );
        assert_eq!(row.client.as_ref().map(|s| s.name.as_str()), Some("Carl Client"));
        // Locked: every write is refused.
        assert!(!scorecards::hold_unlocked(p, ws, sc, at(12)).await.unwrap());
        assert_eq!(scorecards::write_field(p, ws, sc, "mission", "\"X\"", 1, am.id, at(12)).await.unwrap(), None);
        assert!(!scorecards::mark_sent(p, ws, sc, at(HOUR), am.id, at(12)).await.unwrap());
        scorecards::clear_signatures(p, ws, sc).await.unwrap();
        scorecards::set_state(p, ws, sc, ScorecardState::Draft, at(12)).await.unwrap();
        let again = scorecards::current(p, ws, id).await.unwrap().unwrap();
        assert_eq!(again, row, "nothing changed");
        // A re-scoping version is the new current one; the versions keep their order.
        new_scorecard(&store, ws, id, 2).await;
        let versions = scorecards::versions(p, ws, id).await.unwrap();
        assert_eq!(versions.iter().map(|v| (v.number, v.rescoping)).collect::<Vec<_>>(), [(1, false), (2, true)]);
        assert_eq!(scorecards::current(p, ws, id).await.unwrap().unwrap().number, 2);
    });
}

#[test]
fn objections_and_questions_are_kept_with_who_and_when() {
    for_each_engine(|store| async move {
        let (ws, am, client, id) = search(&store).await;
        let sc = new_scorecard(&store, ws, id, 1).await;
        let p = &mut store.db();
        let o = scorecards::raise_objection(p, ws, sc, "location", "Too far", client.id, at(1)).await.unwrap();
        assert!(scorecards::resolve_objection(p, ws, sc, o, am.id, at(2)).await.unwrap());
        assert!(!scorecards::resolve_objection(p, ws, sc, o, am.id, at(3)).await.unwrap(), "resolved once");
        let list = scorecards::objections(p, ws, sc).await.unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!((list[0].raised_by_name.as_deref(), list[0].resolved_at), (Some("Carl Client"), Some(at(2))));

        let q = scorecards::ask(p, ws, id, QuestionSource::Talent, "Remote?", am.id, at(1)).await.unwrap();
        assert_eq!(scorecards::open_questions(p, ws, id).await.unwrap(), 1);
        assert!(scorecards::answer(p, ws, id, q, "location", "I think so", true, am.id, at(2)).await.unwrap());
        assert_eq!(scorecards::open_questions(p, ws, id).await.unwrap(), 1, "a guess leaves it open");
        assert!(scorecards::answer(p, ws, id, q, "location", "Two days", false, am.id, at(3)).await.unwrap());
        assert_eq!(scorecards::open_questions(p, ws, id).await.unwrap(), 0);
        let other = workspace(&store, "Other").await;
        assert!(!scorecards::answer(p, other.id, id, q, "location", "x", false, am.id, at(4)).await.unwrap());
        let qs = scorecards::questions(p, ws, id).await.unwrap();
        assert_eq!(
            (qs[0].answer.as_str(), qs[0].guess, qs[0].open, qs[0].source),
            ("Two days", false, false, QuestionSource::Talent)
        );
    });
}

#[test]
fn a_meeting_records_its_logistics_attendance_and_the_time_of_each_step() {
    for_each_engine(|store| async move {
        let (ws, am, client, id) = search(&store).await;
        let p = &mut store.db();
        meetings::ensure(p, ws, id, 60, at(0)).await.unwrap();
        meetings::ensure(p, ws, id, 90, at(0)).await.unwrap();
        let m = meetings::get(p, ws, id).await.unwrap().unwrap();
        assert_eq!((m.duration_minutes, m.place.as_str(), m.invitation_sequence), (60, "", 0), "created once");
        assert!(meetings::set_logistics(p, ws, id, "Visio", 45, at(1)).await.unwrap());
        assert!(meetings::set_logistics_lock(p, ws, id, Some(am.id), at(2)).await.unwrap());
        assert!(
            !meetings::set_logistics(p, ws, id, "Paris", 45, at(3)).await.unwrap(),
            "locked logistics do not change"
        );
        assert_eq!(meetings::invitation_sent(p, ws, id, at(3)).await.unwrap(), 1);
        assert_eq!(meetings::invitation_sent(p, ws, id, at(4)).await.unwrap(), 2);

        meetings::add_attendee(p, ws, id, am.id).await.unwrap();
        meetings::add_attendee(p, ws, id, client.id).await.unwrap();
        meetings::add_attendee(p, ws, id, client.id).await.unwrap();
        meetings::mark_invited(p, ws, id, at(4)).await.unwrap();
        assert!(meetings::confirm(p, ws, id, client.id, at(5)).await.unwrap());
        assert!(!meetings::confirm(p, ws, id, client.id, at(6)).await.unwrap(), "the first confirmation counts");
        let people = meetings::attendees(p, ws, id).await.unwrap();
        assert_eq!(people.len(), 2);
        let carl = people.iter().find(|a| a.user_id == client.id).unwrap();
        assert_eq!((carl.invited_at, carl.confirmed_at, carl.role), (Some(at(4)), Some(at(5)), Role::ClientContact));
        let other = workspace(&store, "Globex").await;
        assert!(!meetings::remove_attendee(p, other.id, id, am.id).await.unwrap(), "not in another workspace");
        assert!(meetings::remove_attendee(p, ws, id, am.id).await.unwrap());
        assert!(!meetings::remove_attendee(p, ws, id, am.id).await.unwrap(), "once");
        let left: Vec<_> = meetings::attendees(p, ws, id).await.unwrap().into_iter().map(|a| a.user_id).collect();
        assert_eq!(left, [client.id]);
        assert!(meetings::set_conclusion(p, ws, id, "Two recruiters", "A tight market", at(6)).await.unwrap());
        assert!(!meetings::set_conclusion(p, other.id, id, "Theirs", "Theirs", at(6)).await.unwrap());
        let m = meetings::get(p, ws, id).await.unwrap().unwrap();
        assert_eq!((m.resources.as_str(), m.market_notes.as_str()), ("Two recruiters", "A tight market"));

        assert!(meetings::start(p, ws, id, "intro", at(10)).await.unwrap());
        assert!(!meetings::start(p, ws, id, "intro", at(11)).await.unwrap());
        let mut conn = store.conn().await.unwrap();
        assert!(meetings::move_step(&mut conn, ws, id, ("intro", at(10)), Some("dev"), at(10 + 3 * MINUTE))
            .await
            .unwrap());
        assert!(
            !meetings::move_step(&mut conn, ws, id, ("intro", at(10)), Some("dev"), at(10 + 4 * MINUTE)).await.unwrap(),
            "a second click counts nothing"
        );
        assert!(meetings::move_step(
            &mut conn,
            ws,
            id,
            ("dev", at(10 + 3 * MINUTE)),
            Some("intro"),
            at(10 + 5 * MINUTE)
        )
        .await
        .unwrap());
        assert!(meetings::move_step(&mut conn, ws, id, ("intro", at(10 + 5 * MINUTE)), None, at(10 + 6 * MINUTE))
            .await
            .unwrap());
        drop(conn);
        assert!(meetings::extend(p, ws, id, 10, at(10 + 6 * MINUTE)).await.unwrap());
        assert!(meetings::end(p, ws, id, at(10 + 7 * MINUTE)).await.unwrap());
        assert!(
            !meetings::extend(p, ws, id, 10, at(10 + 8 * MINUTE)).await.unwrap(),
            "an ended meeting is not extended"
        );
        let mut times = meetings::step_times(p, ws, id).await.unwrap();
        times.sort();
        assert_eq!(times, [("dev".to_string(), 2 * MINUTE), ("intro".to_string(), 4 * MINUTE)]);
        let m = meetings::get(p, ws, id).await.unwrap().unwrap();
        assert_eq!((m.extended_minutes, m.ended_at, m.current_step), (10, Some(at(10 + 7 * MINUTE)), None));
    });
}

#[test]
fn next_steps_reports_feedback_and_action_tokens_keep_their_first_answer() {
    for_each_engine(|store| async move {
        let (ws, am, client, id) = search(&store).await;
        let p = &mut store.db();
        let step = meetings::NewNextStep {
            kind: NextStepKind::ClientHomework,
            title: "Call back talents",
            owner_id: client.id,
            due_at: at(HOUR),
        };
        let s = meetings::add_next_step_before_report(p, ws, id, step, am.id, at(1)).await.unwrap().unwrap();
        assert!(meetings::set_next_step_outcome(p, ws, id, s, NextStepOutcome::Done, at(2)).await.unwrap());
        let steps = meetings::next_steps(p, ws, id).await.unwrap();
        assert_eq!(
            (steps[0].owner_name.as_str(), steps[0].outcome, steps[0].closed_at),
            ("Carl Client", NextStepOutcome::Done, Some(at(2)))
        );

        let dropped = meetings::NewNextStep {
            kind: NextStepKind::ClientHomework,
            title: "Send the org chart",
            owner_id: client.id,
            due_at: at(2 * HOUR),
        };
        let dropped = meetings::add_next_step_before_report(p, ws, id, dropped, am.id, at(1)).await.unwrap().unwrap();
        let kept = meetings::NewNextStep {
            kind: NextStepKind::ClientHomework,
            title: "Share the budget",
            owner_id: client.id,
            due_at: at(3 * HOUR),
        };
        let kept = meetings::add_next_step_before_report(p, ws, id, kept, am.id, at(1)).await.unwrap().unwrap();
        assert!(meetings::delete_next_step_before_report(p, ws, id, dropped).await.unwrap(), "before the report");
        assert!(!meetings::delete_next_step_before_report(p, ws, id, dropped).await.unwrap(), "once");

        meetings::create_report(p, ws, id, "Decisions", at(3)).await.unwrap();
        meetings::create_report(p, ws, id, "Other", at(4)).await.unwrap();
        assert!(!meetings::acknowledge(p, ws, id, client.id, at(5)).await.unwrap(), "not sent yet");
        assert!(meetings::set_decisions(p, ws, id, "Decided").await.unwrap());
        assert!(meetings::report_sent(p, ws, id, am.id, at(6)).await.unwrap());
        assert!(!meetings::report_sent(p, ws, id, am.id, at(7)).await.unwrap());
        assert!(!meetings::set_decisions(p, ws, id, "Changed after sending").await.unwrap());
        assert!(!meetings::delete_next_step_before_report(p, ws, id, kept).await.unwrap(), "not once it is sent");
        let late = meetings::NewNextStep {
            kind: NextStepKind::Sourcing,
            title: "Added after sending",
            owner_id: am.id,
            due_at: at(4 * HOUR),
        };
        assert_eq!(
            meetings::add_next_step_before_report(p, ws, id, late, am.id, at(7)).await.unwrap(),
            None,
            "not added once the report is sent"
        );
        let titles: Vec<_> = meetings::next_steps(p, ws, id).await.unwrap().into_iter().map(|n| n.title).collect();
        assert_eq!(titles, ["Call back talents", "Share the budget"]);
        assert!(meetings::acknowledge(p, ws, id, client.id, at(8)).await.unwrap());
        assert!(!meetings::acknowledge(p, ws, id, client.id, at(9)).await.unwrap());
        let r = meetings::report(p, ws, id).await.unwrap().unwrap();
        assert_eq!((r.decisions.as_str(), r.sent_at, r.acknowledged_at), ("Decided", Some(at(6)), Some(at(8))));
        assert_eq!(r.acknowledged_by_name.as_deref(), Some("Carl Client"));

        assert!(meetings::answer_feedback(p, ws, id, client.id, "nps", 9, "Great", at(10)).await.unwrap());
        assert!(!meetings::answer_feedback(p, ws, id, client.id, "nps", 2, "", at(11)).await.unwrap());
        let fb = meetings::feedback(p, ws, id).await.unwrap();
        assert_eq!((fb.len(), fb[0].score, fb[0].comment.as_str()), (1, 9, "Great"));

        let t =
            action_tokens::create(p, ws, id, client.id, ActionPurpose::AcknowledgeReport, "hash-1", at(0), at(HOUR))
                .await
                .unwrap();
        assert_conflict(
            action_tokens::create(p, ws, id, client.id, ActionPurpose::AnswerNps, "hash-1", at(0), at(HOUR)).await,
            "action_tokens_hash_key",
        );
        action_tokens::mark_used(p, t, at(5)).await.unwrap();
        action_tokens::mark_used(p, t, at(6)).await.unwrap();
        let found = action_tokens::find(p, "hash-1").await.unwrap().unwrap();
        assert_eq!(
            (found.purpose, found.used_at, found.engagement_id),
            (ActionPurpose::AcknowledgeReport, Some(at(5)), id)
        );
        assert_eq!(action_tokens::find(p, "nope").await.unwrap(), None);
    });
}

#[test]
fn the_quality_page_gathers_each_kickoffs_signals_a_page_at_a_time() {
    for_each_engine(|store| async move {
        let (ws, am, client, first) = search(&store).await;
        let p = &mut store.db();
        let (pid, v) = playbook(&store, ws, "kickoff-2", "k2").await;
        let second = engagement(&store, ws, am.id, pid, &v, "Second").await;
        engagements::move_anchor(&mut store.conn().await.unwrap(), ws, second, at(HOUR), &[], at(0)).await.unwrap();
        for id in [first, second] {
            meetings::ensure(p, ws, id, 60, at(0)).await.unwrap();
            engagements::add_participant(p, ws, id, "client_contact", client.id).await.unwrap();
        }
        meetings::answer_feedback(p, ws, first, client.id, "nps", 8, "", at(1)).await.unwrap();
        meetings::answer_feedback(p, ws, first, client.id, "relationship", 1, "", at(1)).await.unwrap();
        meetings::answer_feedback(p, ws, first, am.id, "relationship", 0, "", at(1)).await.unwrap();
        scorecards::ask(p, ws, first, QuestionSource::Team, "Why?", am.id, at(1)).await.unwrap();
        let step =
            meetings::NewNextStep { kind: NextStepKind::Sourcing, title: "Source", owner_id: am.id, due_at: at(HOUR) };
        meetings::add_next_step_before_report(p, ws, second, step, am.id, at(1)).await.unwrap().unwrap();
        let sc = new_scorecard(&store, ws, second, 1).await;
        scorecards::sign(p, ws, sc, scorecards::Side::AccountManager, am.id, "h", at(2)).await.unwrap();
        scorecards::sign(p, ws, sc, scorecards::Side::Client, client.id, "h", at(2)).await.unwrap();
        assert!(scorecards::lock(p, ws, sc, "t", "h", at(3)).await.unwrap());

        let page = meetings::quality_page(p, ws, None, 1).await.unwrap();
        assert_eq!(page.len(), 1);
        let latest = &page[0];
        assert_eq!((latest.engagement_id, latest.locked, latest.nps), (second, true, None), "the later kick-off first");
        assert_eq!(latest.next_steps, [(at(HOUR), NextStepOutcome::Open, None, false)]);
        // The client accepts it (once: a second acceptance changes nothing), then it shows accepted.
        assert_eq!(meetings::accept_next_steps(p, ws, second, None, client.id, at(4)).await.unwrap(), 1);
        assert_eq!(meetings::accept_next_steps(p, ws, second, None, client.id, at(5)).await.unwrap(), 0);
        let page = meetings::quality_page(p, ws, None, 1).await.unwrap();
        assert_eq!(page[0].next_steps, [(at(HOUR), NextStepOutcome::Open, None, true)]);
        let rest = meetings::quality_page(p, ws, Some((latest.starts_at, latest.engagement_id)), 10).await.unwrap();
        assert_eq!(rest.len(), 1);
        let older = &rest[0];
        assert_eq!((older.engagement_id, older.nps, older.open_questions, older.locked), (first, Some(8), 1, false));
        let mut rel = older.relationship.clone();
        rel.sort();
        assert_eq!(rel, [(0, false), (1, true)], "each answer with its side");
        let other = workspace(&store, "Other").await;
        assert!(meetings::quality_page(p, other.id, None, 10).await.unwrap().is_empty());
    });
}

#[test]
fn done_jobs_are_pruned_after_a_while_and_the_others_stay() {
    for_each_engine(|store| async move {
        let p = &mut store.db();
        let old_done = job(&store, "a", at(0)).await;
        let recent_done = job(&store, "b", at(0)).await;
        let failed = job(&store, "c", at(0)).await;
        let pending = job(&store, "d", at(0)).await;
        jobs::complete(p, old_done, at(HOUR)).await.unwrap();
        jobs::complete(p, recent_done, at(3 * HOUR)).await.unwrap();
        jobs::fail(p, failed, at(HOUR), "boom").await.unwrap();
        assert_eq!(jobs::prune_done(p, at(2 * HOUR)).await.unwrap(), 1);
        let left: Vec<(String,)> =
            embark_store::query_as("SELECT id FROM jobs ORDER BY id").fetch_all(p).await.unwrap();
        let mut expected = vec![recent_done.to_string(), failed.to_string(), pending.to_string()];
        expected.sort();
        assert_eq!(left.into_iter().map(|r| r.0).collect::<Vec<_>>(), expected);
    });
}

#[test]
fn workspace_totals_count_nps_categories_acknowledgements_and_meetings_on_time() {
    for_each_engine(|store| async move {
        let (ws, am, client, id) = search(&store).await;
        let p = &mut store.db();
        assert_eq!(meetings::totals(p, ws, at(0), at(24 * HOUR)).await.unwrap(), meetings::Totals::default());
        meetings::ensure(p, ws, id, 60, at(0)).await.unwrap();
        meetings::start(p, ws, id, "intro", at(0)).await.unwrap();
        meetings::end(p, ws, id, at(50 * MINUTE)).await.unwrap();
        meetings::create_report(p, ws, id, "", at(50 * MINUTE)).await.unwrap();
        meetings::report_sent(p, ws, id, am.id, at(HOUR)).await.unwrap();
        meetings::acknowledge(p, ws, id, client.id, at(3 * HOUR)).await.unwrap();
        meetings::answer_feedback(p, ws, id, client.id, "nps", 10, "", at(3 * HOUR)).await.unwrap();
        meetings::answer_feedback(p, ws, id, am.id, "nps", 4, "", at(3 * HOUR)).await.unwrap();
        meetings::answer_feedback(p, ws, id, am.id, "relationship", 1, "", at(3 * HOUR)).await.unwrap();
        let t = meetings::totals(p, ws, at(0), at(24 * HOUR)).await.unwrap();
        let expected = meetings::Totals {
            promoters: 1,
            passives: 0,
            detractors: 1,
            acknowledged: 1,
            mean_ack_ms: Some(2 * HOUR),
            ended: 1,
            ended_on_time: 1,
        };
        assert_eq!(t, expected);
        // A period counts what happened in it: the meeting ended at 50 min, the report
        // went at 1 h, the answers came at 3 h.
        let before_answers = meetings::totals(p, ws, at(0), at(3 * HOUR)).await.unwrap();
        assert_eq!(
            before_answers,
            meetings::Totals { promoters: 0, detractors: 0, ..expected.clone() },
            "the answers are after the period"
        );
        let after_meeting = meetings::totals(p, ws, at(HOUR), at(24 * HOUR)).await.unwrap();
        assert_eq!((after_meeting.ended, after_meeting.acknowledged, after_meeting.promoters), (0, 1, 1));
        let other = workspace(&store, "Other").await;
        assert_eq!(meetings::totals(p, other.id, at(0), at(24 * HOUR)).await.unwrap(), meetings::Totals::default());
    });
}

#[test]
fn next_steps_are_accepted_one_or_all_and_only_their_owner_completes_them() {
    for_each_engine(|store| async move {
        let (ws, am, client, id) = search(&store).await;
        let p = &mut store.db();
        let new = |title, owner_id| meetings::NewNextStep {
            kind: NextStepKind::ClientHomework,
            title,
            owner_id,
            due_at: at(HOUR),
        };
        let hers = meetings::add_next_step_before_report(p, ws, id, new("Brief the team", client.id), am.id, at(1))
            .await
            .unwrap()
            .unwrap();
        let his = meetings::add_next_step_before_report(p, ws, id, new("Source", am.id), am.id, at(1))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(meetings::accept_next_steps(p, ws, id, Some(hers), client.id, at(2)).await.unwrap(), 1);
        assert_eq!(meetings::accept_next_steps(p, ws, id, Some(hers), client.id, at(3)).await.unwrap(), 0, "once");
        let steps = meetings::next_steps(p, ws, id).await.unwrap();
        let step = |s: NextStepId| steps.iter().find(|x| x.id == s).unwrap().clone();
        assert_eq!(step(hers).accepted_at, Some(at(2)));
        assert_eq!(step(hers).accepted_by_name.as_deref(), Some(client.name.as_str()));
        assert_eq!(step(his).accepted_at, None);
        assert_eq!(meetings::accept_next_steps(p, ws, id, None, client.id, at(4)).await.unwrap(), 1, "the rest");
        let other = workspace(&store, "Other").await;
        assert_eq!(meetings::accept_next_steps(p, other.id, id, None, client.id, at(4)).await.unwrap(), 0);

        assert!(!meetings::complete_own_next_step(p, ws, id, his, client.id, at(5)).await.unwrap(), "not hers");
        assert!(meetings::complete_own_next_step(p, ws, id, hers, client.id, at(5)).await.unwrap());
        assert!(!meetings::complete_own_next_step(p, ws, id, hers, client.id, at(6)).await.unwrap(), "done once");
        let steps = meetings::next_steps(p, ws, id).await.unwrap();
        let done = steps.iter().find(|x| x.id == hers).unwrap();
        assert_eq!((done.outcome, done.closed_at), (NextStepOutcome::Done, Some(at(5))));
    });
}
