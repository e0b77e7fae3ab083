//! The store contract: surveys, sends, anonymous and named answers, monthly counts.

use super::playbooks_engagements::{engagement, playbook};
use super::*;
use embark_core::surveys::{builtin, month_of};
use embark_store::surveys::{self, NewAnswer, NewSend};

const DAY: i64 = 86_400_000;

async fn setup(store: &Store) -> (WorkspaceId, User, embark_core::EngagementId) {
    let ws = workspace(store, "Acme").await;
    let hire = user(store, ws.id, "zoe@acme.test", "Zoé Lambert", Role::NewHire).await;
    let (pid, v) = playbook(store, ws.id, "onboarding", "o").await;
    let id = engagement(store, ws.id, hire.id, pid, &v, "Zoé's onboarding").await;
    (ws.id, hire, id)
}

#[test]
fn a_built_in_survey_is_installed_once_per_workspace() {
    for_each_engine(|store| async move {
        let (ws, _, _) = setup(&store).await;
        let enps = builtin("enps").unwrap();
        let first = surveys::install(&mut store.db(), ws, enps, at(0)).await.unwrap();
        let again = surveys::install(&mut store.db(), ws, enps, at(DAY)).await.unwrap();
        assert_eq!(first, again);
        assert!(first.anonymous && first.audience == "new_hire");
        assert_eq!(surveys::list(&mut store.db(), ws).await.unwrap(), vec![first.clone()]);
        let other = workspace(&store, "Globex").await;
        assert_eq!(surveys::get(&mut store.db(), other.id, first.id).await.unwrap(), None, "not yours");
        assert_eq!(surveys::get(&mut store.db(), ws, first.id).await.unwrap(), Some(first));
    });
}

#[test]
fn a_send_is_made_once_per_person_and_step_and_answered_once() {
    for_each_engine(|store| async move {
        let (ws, hire, eng) = setup(&store).await;
        let s = surveys::install(&mut store.db(), ws, builtin("enps").unwrap(), at(0)).await.unwrap();
        let new = |hash: &'static str| NewSend {
            workspace_id: ws,
            survey_id: s.id,
            user_id: hire.id,
            engagement_id: eng,
            item_key: "enps-day-30",
            token_hash: hash,
            expires_at: at(14 * DAY),
        };
        assert_eq!(surveys::last_sent_to(&mut store.db(), ws, hire.id).await.unwrap(), None);
        let id = surveys::create_send(&mut store.db(), new("h1"), at(0)).await.unwrap().expect("first send");
        assert_eq!(surveys::last_sent_to(&mut store.db(), ws, hire.id).await.unwrap(), Some(at(0)));
        assert_eq!(surveys::create_send(&mut store.db(), new("h2"), at(1)).await.unwrap(), None, "once per step");
        let found = surveys::send_by_token(&mut store.db(), "h1").await.unwrap().unwrap();
        assert_eq!((found.id, found.user_id, found.answered), (id, hire.id, false));
        assert_eq!(surveys::send_by_token(&mut store.db(), "h2").await.unwrap(), None);
        assert_eq!(surveys::open_sends_of(&mut store.db(), ws, hire.id, at(DAY)).await.unwrap().len(), 1);
        assert!(
            surveys::open_sends_of(&mut store.db(), ws, hire.id, at(14 * DAY)).await.unwrap().is_empty(),
            "expired"
        );

        assert!(surveys::mark_answered(&mut store.db(), id).await.unwrap());
        assert!(!surveys::mark_answered(&mut store.db(), id).await.unwrap(), "the second answer records nothing");
        assert!(surveys::open_sends_of(&mut store.db(), ws, hire.id, at(DAY)).await.unwrap().is_empty());
        assert_eq!(surveys::send_totals(&mut store.db(), ws, s.id).await.unwrap(), (1, 1));
    });
}

#[test]
fn an_anonymous_answer_keeps_no_identity_and_only_its_day() {
    for_each_engine(|store| async move {
        let (ws, hire, eng) = setup(&store).await;
        let s = surveys::install(&mut store.db(), ws, builtin("enps").unwrap(), at(0)).await.unwrap();
        let answered_at = at(3 * DAY + 5 * HOUR + 17 * MINUTE);
        let answer = |score: u8, anonymous: bool| NewAnswer {
            workspace_id: ws,
            survey_id: s.id,
            user_id: Some(hire.id),
            engagement_id: Some(eng),
            anonymous,
            segment: "2026-12",
            score,
            comment: Some("Warm welcome."),
            answered_at,
            source: "web",
        };
        let mut tx = store.begin().await.unwrap();
        surveys::insert_answer(&mut tx, answer(9, true)).await.unwrap();
        tx.commit().await.unwrap();
        let row: (Option<String>, Option<String>, i64, String) =
            embark_store::query_as("SELECT user_id, engagement_id, answered_at, id FROM survey_answers")
                .fetch_one(&mut store.db())
                .await
                .unwrap();
        assert_eq!((row.0, row.1), (None, None), "no link to the person");
        assert_eq!(row.2, at(3 * DAY).as_millis(), "the day only");
        assert_eq!(&row.3[14..15], "4", "a random (v4) id, not a time-ordered one: {}", row.3);

        surveys::insert_answer(&mut store.db(), answer(3, false)).await.unwrap();
        let named: Vec<(Option<String>, i64)> =
            embark_store::query_as("SELECT user_id, answered_at FROM survey_answers WHERE user_id IS NOT NULL")
                .fetch_all(&mut store.db())
                .await
                .unwrap();
        assert_eq!(named, vec![(Some(hire.id.to_string()), answered_at.as_millis())]);
        let comments = surveys::recent_comments(&mut store.db(), ws, s.id, 10).await.unwrap();
        assert_eq!(comments.len(), 2);
        assert_eq!(comments.iter().filter(|c| c.user_name.as_deref() == Some("Zoé Lambert")).count(), 1);
    });
}

#[test]
fn answers_are_counted_per_month_and_score_in_their_transaction() {
    for_each_engine(|store| async move {
        let (ws, _, _) = setup(&store).await;
        let s = surveys::install(&mut store.db(), ws, builtin("client-nps").unwrap(), at(0)).await.unwrap();
        let months = [at(0), at(40 * DAY)];
        for (i, score) in [10u8, 10, 6, 8].into_iter().enumerate() {
            let new = NewAnswer {
                workspace_id: ws,
                survey_id: s.id,
                user_id: None,
                engagement_id: None,
                anonymous: false,
                segment: if i % 2 == 0 { "a" } else { "b" },
                score,
                comment: None,
                answered_at: months[i / 2],
                source: "import",
            };
            surveys::insert_answer(&mut store.db(), new).await.unwrap();
        }
        // A rolled-back answer is not counted.
        let mut tx = store.begin().await.unwrap();
        let new = NewAnswer {
            workspace_id: ws,
            survey_id: s.id,
            user_id: None,
            engagement_id: None,
            anonymous: false,
            segment: "",
            score: 0,
            comment: None,
            answered_at: at(0),
            source: "web",
        };
        surveys::insert_answer(&mut tx, new).await.unwrap();
        drop(tx);
        let (m0, m1) = (month_of(months[0]), month_of(months[1]));
        let counts = surveys::monthly_counts(&mut store.db(), ws, s.id, &m0, &m1, None).await.unwrap();
        assert_eq!(counts, vec![(m0.clone(), 10, 2), (m1.clone(), 6, 1), (m1.clone(), 8, 1)]);
        assert_eq!(surveys::monthly_counts(&mut store.db(), ws, s.id, &m1, &m1, None).await.unwrap().len(), 2);
        // By segment: "a" had the two 10s, "b" the 6 and the 8.
        let a = surveys::monthly_counts(&mut store.db(), ws, s.id, &m0, &m1, Some("a")).await.unwrap();
        assert_eq!(a, vec![(m0.clone(), 10, 1), (m1.clone(), 6, 1)]);
        let segments = surveys::segments(&mut store.db(), ws, s.id, &m0, &m1).await.unwrap();
        assert_eq!(segments, vec![("a".to_string(), 2), ("b".to_string(), 2)]);
        let other = workspace(&store, "Globex").await;
        assert!(surveys::monthly_counts(&mut store.db(), other.id, s.id, &m0, &m1, None).await.unwrap().is_empty());
    });
}
