//! The store contract: the job queue.

use super::*;

#[test]
fn job_with_the_same_idempotency_key_is_enqueued_once() {
    for_each_engine(|store| async move {
        let db = &mut store.db();
        let keyed = |payload: &'static str| NewJob {
            kind: "email",
            payload,
            run_at: at(0),
            idempotency_key: Some("welcome:anne"),
            request_id: Some("req-1"),
        };
        assert!(jobs::enqueue(db, keyed("first"), at(0)).await.unwrap());
        assert!(!jobs::enqueue(db, keyed("second"), at(1)).await.unwrap(), "same key");
        // Jobs without a key are never deduplicated.
        for _ in 0..2 {
            let unkeyed =
                NewJob { kind: "email", payload: "{}", run_at: at(0), idempotency_key: None, request_id: None };
            assert!(jobs::enqueue(db, unkeyed, at(0)).await.unwrap());
        }
        assert_eq!(jobs::counts(db).await.unwrap(), QueueCounts { pending: 3, done: 0, failed: 0 });

        let due = jobs::due(db, at(0), 10).await.unwrap();
        let mut payloads = Vec::new();
        let mut request_ids = Vec::new();
        for id in due {
            let claimed = jobs::claim(db, id, "w", at(0), at(MINUTE)).await.unwrap().unwrap();
            payloads.push(claimed.payload);
            request_ids.push(claimed.request_id);
        }
        assert_eq!(payloads.iter().filter(|p| *p == "first").count(), 1);
        // The request that enqueued a job comes back with it.
        let first = payloads.iter().position(|p| p == "first").unwrap();
        assert_eq!(request_ids[first].as_deref(), Some("req-1"));
        assert_eq!(request_ids.iter().filter(|r| r.is_none()).count(), 2);
        assert!(!payloads.iter().any(|p| p == "second"), "the second enqueue was dropped");
    });
}

#[test]
fn due_jobs_come_oldest_first_and_future_jobs_wait() {
    for_each_engine(|store| async move {
        let c = job(&store, "c", at(3000)).await;
        let a = job(&store, "a", at(1000)).await;
        let later = job(&store, "later", at(HOUR)).await;
        let b = job(&store, "b", at(2000)).await;
        let db = &mut store.db();

        assert_eq!(jobs::due(db, at(10_000), 10).await.unwrap(), vec![a, b, c]);
        assert_eq!(jobs::due(db, at(10_000), 2).await.unwrap(), vec![a, b], "limit");
        assert_eq!(jobs::due(db, at(2000), 10).await.unwrap(), vec![a, b], "run_at <= now is due");
        assert!(jobs::due(db, at(999), 10).await.unwrap().is_empty());
        assert!(jobs::claim(db, later, "w", at(10_000), at(20_000)).await.unwrap().is_none(), "not due yet");
        assert_eq!(jobs::due(db, at(HOUR), 10).await.unwrap(), vec![a, b, c, later]);
    });
}

#[test]
fn concurrent_claims_of_a_job_have_exactly_one_winner() {
    for_each_engine(|store| async move {
        let mut ids = Vec::new();
        for i in 0..50 {
            ids.push(job(&store, &format!("job{i}"), at(i)).await);
        }
        // Open every connection of the pool first, so that the claims below reach
        // the database at the same time instead of waiting for a new connection.
        let mut held = Vec::new();
        for _ in 0..POOL_SIZE {
            held.push(store.conn().await.unwrap());
        }
        drop(held);

        let claim = |id: JobId, worker: &'static str| {
            let mut db = store.db();
            async move { jobs::claim(&mut db, id, worker, at(100), at(100 + MINUTE)).await }
        };
        for id in ids {
            let (one, two, three, four) =
                tokio::join!(claim(id, "w1"), claim(id, "w2"), claim(id, "w3"), claim(id, "w4"));
            let winners: Vec<_> =
                [one.unwrap(), two.unwrap(), three.unwrap(), four.unwrap()].into_iter().flatten().collect();
            assert_eq!(winners.len(), 1, "exactly one of four concurrent claims wins job {id:?}");
            assert_eq!((winners[0].id, winners[0].attempt), (id, 1));
        }
        assert!(jobs::due(&mut store.db(), at(200), 100).await.unwrap().is_empty(), "all leased");
    });
}

#[test]
fn claimed_job_is_held_until_its_lease_expires() {
    for_each_engine(|store| async move {
        let id = job(&store, "email", at(0)).await;
        let db = &mut store.db();
        let lease_end = 5 * MINUTE;

        let first = jobs::claim(db, id, "w1", at(10), at(lease_end)).await.unwrap().expect("claimed");
        assert_eq!((first.kind.as_str(), first.payload.as_str(), first.attempt), ("email", "{}", 1));
        assert!(jobs::due(db, at(20), 10).await.unwrap().is_empty(), "leased jobs are not due");
        assert!(jobs::claim(db, id, "w2", at(20), at(lease_end + 20)).await.unwrap().is_none());
        assert!(jobs::due(db, at(lease_end), 10).await.unwrap().is_empty(), "held up to the lease end");

        // The worker died: once the lease has expired, another worker takes over.
        assert_eq!(jobs::due(db, at(lease_end + 1), 10).await.unwrap(), vec![id]);
        let second =
            jobs::claim(db, id, "w2", at(lease_end + 1), at(2 * lease_end)).await.unwrap().expect("re-claimed");
        assert_eq!(second.attempt, 2);
        assert_eq!(jobs::counts(db).await.unwrap(), QueueCounts { pending: 1, done: 0, failed: 0 });
    });
}

#[test]
fn retried_job_runs_again_at_its_new_time() {
    for_each_engine(|store| async move {
        let id = job(&store, "webhook", at(0)).await;
        let db = &mut store.db();
        // The worker fails fast, long before its lease would have ended.
        jobs::claim(db, id, "w", at(0), at(HOUR)).await.unwrap().unwrap();

        jobs::retry(db, id, at(10 * MINUTE), "connection refused").await.unwrap();
        assert!(jobs::due(db, at(10 * MINUTE - 1), 10).await.unwrap().is_empty(), "waits for its new run_at");
        assert!(jobs::claim(db, id, "w", at(2 * MINUTE), at(3 * MINUTE)).await.unwrap().is_none());
        assert_eq!(jobs::due(db, at(10 * MINUTE), 10).await.unwrap(), vec![id]);
        let again = jobs::claim(db, id, "w", at(10 * MINUTE), at(11 * MINUTE)).await.unwrap().unwrap();
        assert_eq!(again.attempt, 2);

        let errors = jobs::recent_errors(db, 10).await.unwrap();
        assert_eq!(errors, vec![("webhook".to_string(), "connection refused".to_string())]);
        assert_eq!(jobs::counts(db).await.unwrap(), QueueCounts { pending: 1, done: 0, failed: 0 });
    });
}

#[test]
fn completed_and_failed_jobs_leave_the_queue_and_are_counted() {
    for_each_engine(|store| async move {
        let db = &mut store.db();
        assert_eq!(jobs::counts(db).await.unwrap(), QueueCounts::default(), "empty queue");
        let done = job(&store, "ok", at(0)).await;
        let failed = job(&store, "broken", at(0)).await;
        let waiting = job(&store, "waiting", at(0)).await;
        for id in [done, failed] {
            jobs::claim(db, id, "w", at(1), at(MINUTE)).await.unwrap().unwrap();
        }
        jobs::complete(db, done, at(2)).await.unwrap();
        jobs::fail(db, failed, at(3), "gave up").await.unwrap();

        assert_eq!(jobs::counts(db).await.unwrap(), QueueCounts { pending: 1, done: 1, failed: 1 });
        assert_eq!(jobs::due(db, at(HOUR), 10).await.unwrap(), vec![waiting], "finished jobs are never due");
        assert!(jobs::claim(db, done, "w", at(HOUR), at(2 * HOUR)).await.unwrap().is_none());
        assert!(jobs::claim(db, failed, "w", at(HOUR), at(2 * HOUR)).await.unwrap().is_none());
        let errors = jobs::recent_errors(db, 10).await.unwrap();
        assert_eq!(errors, vec![("broken".to_string(), "gave up".to_string())]);
    });
}
