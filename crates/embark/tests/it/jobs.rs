//! The job queue under several workers.

use embark::jobs::Worker;
use embark_core::Role;

use crate::helpers::{count_rows, TestApp};

#[tokio::test]
async fn two_workers_on_one_database_send_each_email_once() {
    let app = TestApp::spawn().await;
    let (_, mut admin) = app.admin_client().await;
    for i in 0..6 {
        let email = format!("c{i}@client.test");
        let r = admin
            .post_form(
                "/users/invite",
                &[("name", "Client"), ("email", &email), ("role", "client_contact"), ("locale", "en")],
            )
            .await;
        assert_eq!(r.status, axum::http::StatusCode::SEE_OTHER);
    }
    let a = Worker::new(app.state.clone());
    let b = Worker::new(app.state.clone());
    let (ra, rb) = tokio::join!(a.run_once(), b.run_once());
    let ran = ra.unwrap() + rb.unwrap();
    assert_eq!(ran + app.drain_jobs().await, 6);
    assert_eq!(app.emails().len(), 6);
    for i in 0..6 {
        assert_eq!(app.emails_to(&format!("c{i}@client.test")).len(), 1);
    }
    assert_eq!(count_rows(&app.state, "SELECT COUNT(*) FROM jobs WHERE done_at IS NOT NULL").await, 6);
    assert_eq!(count_rows(&app.state, "SELECT COUNT(*) FROM emails").await, 6, "each email is in the outbox list once");
}

#[tokio::test]
async fn a_link_for_a_deactivated_person_is_not_sent() {
    let app = TestApp::spawn().await;
    let (_, mut admin) = app.admin_client().await;
    admin
        .post_form(
            "/users/invite",
            &[("name", "Gone"), ("email", "gone@client.test"), ("role", "client_contact"), ("locale", "en")],
        )
        .await;
    let id: (String,) = embark_store::query_as("SELECT id FROM users WHERE email = 'gone@client.test'")
        .fetch_one(&mut app.state.store.db())
        .await
        .unwrap();
    admin.post_form(&format!("/users/{}/active", id.0), &[("active", "0")]).await;
    assert_eq!(app.drain_jobs().await, 1);
    assert!(app.emails().is_empty());
}

#[tokio::test]
async fn the_outbox_page_lists_what_was_sent_to_this_workspace_only() {
    let app = TestApp::spawn().await;
    let (_, mut admin) = app.admin_client().await;
    admin
        .post_form(
            "/users/invite",
            &[("name", "Claire"), ("email", "claire@client.test"), ("role", "client_contact"), ("locale", "fr")],
        )
        .await;
    app.drain_jobs().await;
    let page = admin.get("/admin/outbox").await;
    assert!(page.body.contains("claire@client.test"));
    assert!(page.body.contains("Votre lien de connexion"));
    let start = page.body.find("/admin/outbox/").unwrap();
    let href: String = page.body[start..].chars().take_while(|c| *c != '"').collect();
    assert_eq!(admin.get(&href).await.status, axum::http::StatusCode::OK);

    app.staff("Beta", "bob@beta.test", "Bob", Role::Admin).await;
    let mut bob = app.client();
    bob.sign_in("bob@beta.test", crate::helpers::PASSWORD).await;
    assert!(!bob.get("/admin/outbox").await.body.contains("claire@client.test"));
    assert_eq!(bob.get(&href).await.status, axum::http::StatusCode::NOT_FOUND);
}

/// A job row written straight into the queue (what another version of Embark, or a
/// corrupted row, could leave there).
async fn raw_job(app: &TestApp, kind: &str, payload: &str, run_at: i64, done_at: Option<i64>) -> String {
    let id = embark_core::JobId::new().to_string();
    embark_store::query(
        "INSERT INTO jobs (id, kind, payload, run_at, attempts, created_at, done_at) VALUES ($1, $2, $3, $4, 0, $4, $5)",
    )
    .bind(&id)
    .bind(kind)
    .bind(payload)
    .bind(run_at)
    .bind(done_at)
    .execute(&mut app.state.store.db())
    .await
    .unwrap();
    id
}

#[tokio::test]
async fn a_busy_worker_asked_to_stop_finishes_its_batch_and_leaves_the_rest_queued() {
    let app = TestApp::spawn().await;
    let now = app.state.now().as_millis();
    // More than two batches of due jobs; each fails once and is retried later, so a
    // worker that ignored the stop would take all of them now.
    for _ in 0..45 {
        raw_job(&app, "send_link", "{not json", now, None).await;
    }
    let stop_now = std::future::ready(());
    tokio::time::timeout(
        std::time::Duration::from_secs(30),
        Worker::new(app.state.clone()).run_until_stopped(stop_now),
    )
    .await
    .expect("the worker stops after its batch");
    let tried: Vec<(i64, i64)> = embark_store::query_as(
        "SELECT attempts, COUNT(*) FROM jobs WHERE kind = 'send_link' GROUP BY attempts ORDER BY attempts",
    )
    .fetch_all(&mut app.state.store.db())
    .await
    .unwrap();
    assert_eq!(tried, [(0, 25), (1, 20)], "one batch of 20 run, 25 left for the next worker");
    app.allow_leftover_jobs();
}

#[tokio::test]
async fn a_job_that_keeps_failing_is_retried_later_each_time_then_marked_failed_with_its_error() {
    let app = TestApp::spawn().await;
    let id = raw_job(&app, "send_link", "{not json", app.state.now().as_millis(), None).await;
    let worker = Worker::new(app.state.clone());
    let row = || async {
        embark_store::query_as::<(i64, i64, Option<String>, Option<i64>)>(
            "SELECT attempts, run_at, last_error, failed_at FROM jobs WHERE id = $1",
        )
        .bind(&id)
        .fetch_one(&mut app.state.store.db())
        .await
        .unwrap()
    };
    let mut last_run_at = 0;
    for attempt in 1..=embark_core::jobs::MAX_ATTEMPTS {
        assert_eq!(worker.run_once().await.unwrap(), 1, "attempt {attempt} runs");
        let (attempts, run_at, error, failed_at) = row().await;
        assert_eq!(attempts, i64::from(attempt));
        assert!(error.as_deref().is_some_and(|e| e.contains("unreadable payload for send_link")), "{error:?}");
        if attempt < embark_core::jobs::MAX_ATTEMPTS {
            assert_eq!(failed_at, None, "attempt {attempt} is retried");
            assert!(run_at > app.state.now().as_millis(), "later, not at once");
            assert!(run_at - app.state.now().as_millis() >= last_run_at, "each wait at least as long as the last");
            last_run_at = run_at - app.state.now().as_millis();
            assert_eq!(worker.run_once().await.unwrap(), 0, "not before its time");
            app.state.clock.set(embark_core::Timestamp::from_millis(run_at));
        } else {
            assert!(failed_at.is_some(), "after {attempt} attempts the job is failed");
        }
    }
    app.advance(std::time::Duration::from_secs(86_400));
    assert_eq!(worker.run_once().await.unwrap(), 0, "a failed job never runs again");
    assert!(app.emails().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_running_until_stopped_prunes_old_done_jobs_and_sends_what_is_enqueued() {
    let app = TestApp::spawn().await;
    let now = app.state.now().as_millis();
    let month = 31 * 86_400_000;
    let old = raw_job(&app, "send_link", "{}", now - month, Some(now - month)).await;
    let recent = raw_job(&app, "send_link", "{}", now - 1000, Some(now - 1000)).await;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let worker = tokio::spawn(Worker::new(app.state.clone()).run_until_stopped(async {
        let _ = stopped.await;
    }));

    // An invitation made while it runs is sent without anyone draining the queue.
    let (_, mut admin) = app.admin_client().await;
    let r = admin
        .post_form(
            "/users/invite",
            &[("name", "Claire"), ("email", "claire@client.test"), ("role", "client_contact"), ("locale", "en")],
        )
        .await;
    assert_eq!(r.status, axum::http::StatusCode::SEE_OTHER);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while app.emails_to("claire@client.test").is_empty() {
        assert!(std::time::Instant::now() < deadline, "the running worker never sent the invitation");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let exists = |id: String| {
        let state = app.state.clone();
        async move {
            embark_store::query_scalar::<i64>("SELECT COUNT(*) FROM jobs WHERE id = $1")
                .bind(id)
                .fetch_one(&mut state.store.db())
                .await
                .unwrap()
        }
    };
    // The worker prunes on its own cycle, which may come after the invitation went.
    while exists(old.clone()).await != 0 {
        assert!(std::time::Instant::now() < deadline, "a job done more than 30 days ago is pruned");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(exists(recent).await, 1, "a recent one is kept (its idempotency key still counts)");

    stop.send(()).unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(10), worker).await.expect("the worker stops").unwrap();
}

#[tokio::test]
async fn a_fresh_install_writes_email_to_the_outbox_folder_and_the_admin_reads_it_there() {
    let app = TestApp::builder().with_file_outbox().spawn().await;
    let (_, mut admin) = app.admin_client().await;
    let r = admin
        .post_form(
            "/users/invite",
            &[("name", "Claire"), ("email", "claire@client.test"), ("role", "client_contact"), ("locale", "fr")],
        )
        .await;
    assert_eq!(r.status, axum::http::StatusCode::SEE_OTHER);
    assert_eq!(app.drain_jobs().await, 1);
    let dir = app.state.config.outbox_dir();
    let files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].extension().is_some_and(|e| e == "eml"));
    let eml = std::fs::read_to_string(&files[0]).unwrap();
    assert!(eml.contains("To: Claire <claire@client.test>"), "{eml}");
    assert!(eml.contains("multipart/alternative"), "text and HTML parts");
    let text = embark::email::text_part(&eml).expect("a readable text part");
    assert!(text.contains("/auth/link/"), "the sign-in link is in the file: {text}");

    // The admin's outbox lists it and shows it, read from the file.
    let list = admin.get("/admin/outbox").await;
    assert!(list.body.contains("claire@client.test"), "{}", list.body);
    let id: (String,) =
        embark_store::query_as("SELECT id FROM emails").fetch_one(&mut app.state.store.db()).await.unwrap();
    let page = admin.get(&format!("/admin/outbox/{}", id.0)).await;
    assert_eq!(page.status, axum::http::StatusCode::OK);
    assert!(page.body.contains("Votre lien de connexion"), "{}", page.body);
    // The link itself is not shown: an admin cannot sign in as the client from here.
    assert!(!page.body.contains("/auth/link/"), "{}", page.body);
    assert!(page.body.contains("(link hidden: it works once"), "in the reader's language: {}", page.body);
}
