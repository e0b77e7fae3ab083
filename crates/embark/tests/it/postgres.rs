//! Several instances on one PostgreSQL serve the same data.
//!
//! Needs `EMBARK_TEST_POSTGRES_URL` (a superuser URL); `./scripts/test` starts a
//! throwaway cluster and sets it.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use embark::config::{Config, Overrides};
use embark::email::Transport;
use embark::state::{AppState, Clock};
use embark_core::{Locale, Role};

use crate::helpers::{Client, FreshDb, PASSWORD};

async fn instance(url: &str) -> AppState {
    let mut env = BTreeMap::new();
    env.insert("EMBARK_DATABASE_URL".to_string(), url.to_string());
    env.insert("EMBARK_DATA_DIR".to_string(), std::env::temp_dir().join("embark-pg-it").display().to_string());
    let config =
        Config::from_sources(&env, None, &Overrides::default(), |p| std::fs::read_to_string(p)).unwrap().config;
    let store = embark::app::open_store(&config).await.unwrap();
    AppState::with_clock(store, config, Transport::Memory(Default::default()), Clock::fixed(crate::helpers::test_now()))
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_postgres_serve_the_same_data() {
    let db = FreshDb::create().await;
    let url = db.url.clone();
    let result = tokio::spawn(async move {
        // Both instances migrate at start-up, at the same time.
        let (a, b) = tokio::join!(instance(&url), instance(&url));
        assert_eq!(a.store.engine(), embark_store::Engine::Postgres);
        embark::accounts::service::create_user_with_password(
            &a,
            "Acme",
            "ada@acme.test",
            "Ada",
            Role::Admin,
            PASSWORD,
            Locale::En,
        )
        .await
        .unwrap();

        // Signed in on instance A, the same cookie works on instance B.
        let mut on_a = Client::new(embark::app::router(a.clone()));
        on_a.sign_in("ada@acme.test", PASSWORD).await;
        let mut on_b = Client::new(embark::app::router(b.clone()));
        on_b.jar = on_a.jar.clone();
        let home = on_b.get("/").await;
        assert_eq!(home.status, StatusCode::OK);
        assert!(home.body.contains("Hello Ada"));

        // An invitation made on B is listed on A, and its email is sent once by whichever worker claims it.
        let r = on_b
            .post_form(
                "/users/invite",
                &[("name", "Claire"), ("email", "claire@client.test"), ("role", "client_contact"), ("locale", "fr")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert!(on_a.get("/users").await.body.contains("claire@client.test"));
        let (wa, wb) = (embark::jobs::Worker::new(a.clone()), embark::jobs::Worker::new(b.clone()));
        let (ra, rb) = tokio::join!(wa.run_once(), wb.run_once());
        assert_eq!(ra.unwrap() + rb.unwrap(), 1);
        let sent: (i64,) =
            embark_store::query_as("SELECT COUNT(*) FROM emails").fetch_one(&mut a.store.db()).await.unwrap();
        assert_eq!(sent.0, 1);
        a.store.close().await;
        b.store.close().await;
    })
    .await;
    drop(db);
    if let Err(e) = result {
        std::panic::resume_unwind(e.into_panic());
    }
}

/// A live event published on one instance reaches the watchers on every instance
/// (PostgreSQL NOTIFY, each instance LISTENing), the publisher's own included.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_events_cross_instances_through_listen_notify() {
    let db = FreshDb::create().await;
    let url = db.url.clone();
    let result = tokio::spawn(async move {
        let (a, b) = tokio::join!(instance(&url), instance(&url));
        for s in [a.clone(), b.clone()] {
            tokio::spawn(async move { s.live.run_listener(&s.store, std::future::pending()).await });
        }
        let engagement = embark_core::EngagementId::new();
        let mut on_b = b.live.subscribe(engagement);
        let mut on_a = a.live.subscribe(engagement);
        let mut other = b.live.subscribe(embark_core::EngagementId::new());
        let mut event = embark::live::LiveEvent::new("field");
        event.field = Some("mission".into());
        event.version = Some(7);
        event.value = Some(serde_json::json!("Lead sales"));
        // The listeners connect in the background, each in its own time: publish until
        // both instances have heard it (an event sent before a listener is up is lost to it).
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let (mut heard_b, mut heard_a) = (None, None);
        while heard_a.is_none() || heard_b.is_none() {
            assert!(std::time::Instant::now() < deadline, "not heard on both: A {heard_a:?}, B {heard_b:?}");
            a.live.publish(&a.store, engagement, event.clone()).await;
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            while let Ok(json) = on_b.try_recv() {
                heard_b = Some(json);
            }
            while let Ok(json) = on_a.try_recv() {
                heard_a = Some(json);
            }
        }
        for json in [heard_b.unwrap(), heard_a.unwrap()] {
            assert_eq!(serde_json::from_str::<embark::live::LiveEvent>(&json).unwrap(), event);
        }
        assert!(other.try_recv().is_err(), "another engagement's watchers hear nothing");
        // A value too large for one notification still arrives, as "reload".
        event.value = Some(serde_json::json!("x".repeat(10_000)));
        a.live.publish(&a.store, engagement, event.clone()).await;
        let big = loop {
            let json = tokio::time::timeout(std::time::Duration::from_secs(5), on_b.recv()).await.unwrap().unwrap();
            let e: embark::live::LiveEvent = serde_json::from_str(&json).unwrap();
            if e.reload {
                break e;
            }
        };
        assert_eq!((big.value, big.field.as_deref()), (None, Some("mission")));
    })
    .await;
    drop(db);
    result.unwrap();
}
