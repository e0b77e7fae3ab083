//! The demo workspace looks the same whatever the hour it is created at: nothing late on
//! its first minute, the same reminders queued, the board in the same order. Seeded at
//! every hour of a day, on both days Paris changes its clocks, and just before New Year.

use axum::http::StatusCode;
use embark_core::Timestamp;

use crate::helpers::TestApp;

/// What the demo is, read back from the database and the board just after seeding.
#[derive(Debug, PartialEq)]
struct DemoShape {
    /// Every job waiting in the queue, as "kind item reminder", sorted.
    queued: Vec<String>,
    /// The board's engagement titles, top to bottom.
    board: Vec<String>,
}

fn instant(text: &str) -> Timestamp {
    Timestamp::from_jiff(text.parse().unwrap())
}

/// The UTC instants of `date` at every hour past the half, starting at 00:30 Paris time
/// and stepping by exact hours (so a day of 23 or 25 hours is covered as it is lived).
fn every_hour_of(date: &str) -> Vec<Timestamp> {
    let midnight: jiff::civil::DateTime = format!("{date}T00:30").parse().unwrap();
    let start = midnight.to_zoned(jiff::tz::TimeZone::get("Europe/Paris").unwrap()).unwrap().timestamp();
    (0..24).map(|h| Timestamp::from_jiff(start + jiff::SignedDuration::from_hours(h))).collect()
}

async fn seed_at(at: Timestamp) -> DemoShape {
    let app = TestApp::builder().at(at).spawn().await;
    embark::demo::seed(&app.state).await.unwrap();
    let pool = &mut app.state.store.db();
    let now = at.as_millis();

    let overdue: Vec<(String,)> = embark_store::query_as(
        "SELECT item_key FROM engagement_items WHERE state = 'todo' AND due_at IS NOT NULL AND due_at <= $1",
    )
    .bind(now)
    .fetch_all(pool)
    .await
    .unwrap();
    assert!(overdue.is_empty(), "seeded at {at}: due already: {overdue:?}");

    let jobs: Vec<(String, String, i64)> =
        embark_store::query_as("SELECT kind, payload, run_at FROM jobs WHERE done_at IS NULL AND failed_at IS NULL")
            .fetch_all(pool)
            .await
            .unwrap();
    let items: Vec<(String, String)> =
        embark_store::query_as("SELECT id, item_key FROM engagement_items").fetch_all(pool).await.unwrap();
    let mut queued = Vec::new();
    for (kind, payload, run_at) in jobs {
        assert!(run_at > now, "seeded at {at}: job {kind} {payload} runs at once, at {run_at}");
        let payload: serde_json::Value = serde_json::from_str(&payload).unwrap();
        let item = payload["item_id"]
            .as_str()
            .map(|id| items.iter().find(|(i, _)| i == id).expect("a reminder's item exists").1.clone())
            .unwrap_or_default();
        let reminder = payload["kind"].as_str().unwrap_or_default();
        queued.push(format!("{kind} {item} {reminder}").trim_end().to_string());
    }
    queued.sort();
    // Nothing is waiting to be sent by a worker started now.
    assert_eq!(app.drain_jobs().await, 0, "seeded at {at}: jobs ran at once");
    assert!(app.emails().is_empty(), "seeded at {at}: emails sent at once");

    let mut am = app.client();
    am.sign_in(embark::demo::ACCOUNT_MANAGER, embark::demo::PASSWORD).await;
    let page = am.get("/engagements").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("badge late"), "seeded at {at}: the board shows a late engagement");
    let (board, _) = crate::engagements::board_titles(&page.body);
    DemoShape { queued, board }
}

async fn same_shape_at(instants: &[Timestamp]) {
    let first = seed_at(instants[0]).await;
    assert_eq!(first.board.len(), 2, "the kick-off and the new hire's journey: {:?}", first.board);
    // What the demo means to send: the new hire's first step reminded the day before and
    // when due, and the kick-off's gates likewise, all in the future.
    for expected in ["item_reminder welcome-message due_soon", "item_reminder welcome-message overdue"] {
        assert!(first.queued.iter().any(|q| q == expected), "{expected:?} not in {:?}", first.queued);
    }
    assert!(first.queued.iter().any(|q| q.starts_with("item_reminder scorecard-return-agreed")), "{:?}", first.queued);
    for &at in &instants[1..] {
        let shape = seed_at(at).await;
        assert_eq!(shape, first, "the demo seeded at {at} differs from the one seeded at {}", instants[0]);
    }
}

#[tokio::test]
async fn the_demo_is_the_same_at_every_hour_of_the_spring_change() {
    // Paris moves from 02:00 to 03:00 on Sunday 28 March 2027.
    same_shape_at(&every_hour_of("2027-03-28")).await;
}

#[tokio::test]
async fn the_demo_is_the_same_at_every_hour_of_the_autumn_change() {
    // Paris moves from 03:00 back to 02:00 on Sunday 25 October 2026.
    same_shape_at(&every_hour_of("2026-10-25")).await;
}

#[tokio::test]
async fn the_demo_is_the_same_on_new_years_eve_and_a_working_day() {
    same_shape_at(&[
        instant("2026-12-31T22:30:00Z"), // 23:30 in Paris on 31 December
        instant("2026-12-01T06:15:00Z"),
        instant("2026-12-01T21:30:00Z"),
        crate::helpers::test_now(),
    ])
    .await;
}
