//! The store contract: courses and versions, modules read, quiz attempts.

use super::*;
use embark_store::learning::{self, Header, NewAttempt, ATTEMPT_OPEN, KEY_TAKEN};

const HEADER: Header<'static> =
    Header { title: "The scorecard", summary: "What it holds", reading_minutes: 9, certifies: true };

async fn course(store: &Store, ws: WorkspaceId) -> (embark_core::CourseId, learning::VersionRow) {
    let id = learning::create(&mut store.db(), ws, "scorecard", Locale::En, &HEADER, true, at(0)).await.unwrap();
    let v =
        learning::add_version(&mut store.db(), ws, id, "---\ntitle: v1\n", "h1", &HEADER, None, at(0)).await.unwrap();
    (id, v)
}

#[test]
fn a_course_keeps_every_version_and_its_key_once_per_language() {
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        let (id, v1) = course(&store, ws.id).await;
        assert_eq!(v1.number, 1);
        let renamed = Header { title: "The scorecard, again", ..HEADER };
        let v2 =
            learning::add_version(&mut store.db(), ws.id, id, "v2 text", "h2", &renamed, None, at(HOUR)).await.unwrap();
        assert_eq!(v2.number, 2);
        let row = learning::get(&mut store.db(), ws.id, id).await.unwrap().unwrap();
        assert_eq!(
            (row.latest_version, row.title.as_str(), row.certifies, row.builtin),
            (2, "The scorecard, again", true, true)
        );
        let first = learning::version_by_number(&mut store.db(), ws.id, id, 1).await.unwrap().unwrap();
        assert_eq!(first.source, "---\ntitle: v1\n", "an old version is kept as it was");
        assert_eq!(learning::version(&mut store.db(), ws.id, v2.id).await.unwrap(), Some(v2));
        let again = learning::create(&mut store.db(), ws.id, "scorecard", Locale::En, &HEADER, false, at(0)).await;
        assert_conflict(again, KEY_TAKEN);
        learning::create(&mut store.db(), ws.id, "scorecard", Locale::Fr, &HEADER, false, at(0)).await.unwrap();
        assert_eq!(learning::languages_of(&mut store.db(), ws.id, "scorecard").await.unwrap().len(), 2);
        assert_eq!(learning::list(&mut store.db(), ws.id).await.unwrap().len(), 2);

        let other = workspace(&store, "Globex").await;
        assert_eq!(learning::get(&mut store.db(), other.id, id).await.unwrap(), None, "not yours");
        assert!(learning::languages_of(&mut store.db(), other.id, "scorecard").await.unwrap().is_empty());
        assert_eq!(learning::find_by_key(&mut store.db(), other.id, "scorecard", Locale::En).await.unwrap(), None);
    });
}

#[test]
fn a_module_is_read_once_and_a_passed_quiz_counts_in_progress() {
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        let am = user(&store, ws.id, "am@acme.test", "Anne", Role::AccountManager).await;
        let (_, v) = course(&store, ws.id).await;
        assert!(learning::mark_read(&mut store.db(), ws.id, am.id, "scorecard", "what", at(0)).await.unwrap());
        assert!(!learning::mark_read(&mut store.db(), ws.id, am.id, "scorecard", "what", at(HOUR)).await.unwrap());
        let new = NewAttempt {
            workspace: ws.id,
            user: am.id,
            course_key: "scorecard",
            version: v.id,
            quiz_id: "what-check",
            drawn: "q1 1 0\n",
        };
        let a = learning::start(&mut store.db(), new, at(0)).await.unwrap();
        assert!(learning::submit(&mut store.db(), ws.id, a, am.id, "{}", 100, true, at(MINUTE)).await.unwrap());
        let p = learning::progress(&mut store.db(), ws.id, am.id, "scorecard").await.unwrap();
        assert_eq!((p.modules_done, p.quizzes_passed), (vec!["what".to_string()], vec!["what-check".to_string()]));
        assert!(learning::progress(&mut store.db(), ws.id, am.id, "welcome").await.unwrap().modules_done.is_empty());
    });
}

#[test]
fn one_attempt_in_progress_per_quiz_submitted_once_by_its_learner() {
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        let am = user(&store, ws.id, "am@acme.test", "Anne", Role::AccountManager).await;
        let other = user(&store, ws.id, "bob@acme.test", "Bob", Role::AccountManager).await;
        let (_, v) = course(&store, ws.id).await;
        let new = |user| NewAttempt {
            workspace: ws.id,
            user,
            course_key: "scorecard",
            version: v.id,
            quiz_id: "exam",
            drawn: "q1 1 0\nq2\n",
        };
        let a = learning::start(&mut store.db(), new(am.id), at(0)).await.unwrap();
        assert_conflict(learning::start(&mut store.db(), new(am.id), at(1)).await, ATTEMPT_OPEN);
        learning::start(&mut store.db(), new(other.id), at(1)).await.expect("another learner has their own");
        let open = learning::open_attempt(&mut store.db(), ws.id, am.id, "scorecard", "exam").await.unwrap().unwrap();
        assert_eq!((open.id, open.drawn.as_str(), open.submitted_at), (a, "q1 1 0\nq2\n", None));

        assert!(
            !learning::submit(&mut store.db(), ws.id, a, other.id, "{}", 100, true, at(MINUTE)).await.unwrap(),
            "not theirs"
        );
        assert!(learning::submit(&mut store.db(), ws.id, a, am.id, "{\"q1\":[1]}", 50, false, at(MINUTE))
            .await
            .unwrap());
        assert!(
            !learning::submit(&mut store.db(), ws.id, a, am.id, "{}", 100, true, at(2 * MINUTE)).await.unwrap(),
            "once"
        );
        let done = learning::attempt(&mut store.db(), ws.id, a).await.unwrap().unwrap();
        assert_eq!((done.score, done.passed, done.submitted_at), (Some(50), Some(false), Some(at(MINUTE))));
        assert_eq!(done.answers.as_deref(), Some("{\"q1\":[1]}"));
        assert_eq!(learning::submitted_count(&mut store.db(), ws.id, am.id, v.id, "exam").await.unwrap(), 1);
        assert_eq!(learning::open_attempt(&mut store.db(), ws.id, am.id, "scorecard", "exam").await.unwrap(), None);
        // Once submitted, a new attempt can start.
        let b = learning::start(&mut store.db(), new(am.id), at(3 * MINUTE)).await.unwrap();
        let history = learning::attempts_of(&mut store.db(), ws.id, am.id, "scorecard", "exam").await.unwrap();
        assert_eq!(history.iter().map(|h| h.id).collect::<Vec<_>>(), vec![b, a]);
        assert!(learning::progress(&mut store.db(), ws.id, am.id, "scorecard")
            .await
            .unwrap()
            .quizzes_passed
            .is_empty());

        let globex = workspace(&store, "Globex").await;
        assert_eq!(learning::attempt(&mut store.db(), globex.id, a).await.unwrap(), None, "not yours");
    });
}
