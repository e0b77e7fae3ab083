//! The workspace's kick-offs (`/kickoffs`): every kick-off with its quality signals,
//! fifty a page, the next page after the last one shown.

use axum::http::StatusCode;
use serde_json::json;

use crate::engagements::{id_of, kickoff};

#[tokio::test]
async fn the_kickoffs_come_fifty_a_page_each_once_and_the_last_page_has_no_next() {
    let mut k = kickoff().await;
    let token = k.am.create_api_token("crm").await;
    let playbook =
        id_of(&k.app, "SELECT id FROM playbooks WHERE key = 'recruitment-kickoff' AND language = $1", "en").await;
    let ws = id_of(&k.app, "SELECT workspace_id FROM users WHERE id = $1", &k.am_id).await;
    // 52 kick-offs with a meeting, one a day from tomorrow: the fixture's and 51 more.
    for day in 1..=51 {
        let anchor = (k.app.now_in_paris() + jiff::Span::new().hours(24 * day)).strftime("%Y-%m-%dT%H:%M").to_string();
        let body = json!({"playbook_id": playbook, "title": format!("Search number {day:02}"), "subject": "Acme", "anchor": anchor});
        let r = k.am.api_post("/api/v1/engagements", &token, "application/json", &body.to_string()).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let id = r.json()["id"].as_str().unwrap().parse().unwrap();
        embark_store::kickoff::meetings::ensure(
            &mut k.app.state.store.db(),
            ws.parse().unwrap(),
            id,
            90,
            k.app.state.now(),
        )
        .await
        .unwrap();
    }
    embark_store::kickoff::meetings::ensure(
        &mut k.app.state.store.db(),
        ws.parse().unwrap(),
        k.engagement.parse().unwrap(),
        90,
        k.app.state.now(),
    )
    .await
    .unwrap();
    let titles = |body: &str| -> Vec<String> {
        let mut out: Vec<String> =
            (1..=51).map(|d| format!("Search number {d:02}")).filter(|t| body.contains(t.as_str())).collect();
        if body.contains("Head of Sales — Acme") {
            out.push("Head of Sales — Acme".into());
        }
        out
    };
    let first = k.am.get("/kickoffs").await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let on_first = titles(&first.body);
    assert_eq!(on_first.len(), 50, "{on_first:?}");
    assert!(on_first.contains(&"Search number 51".to_string()), "the latest first");
    let next =
        first.body.split("href=\"/kickoffs?").nth(1).and_then(|s| s.split('"').next()).expect("a next page link");
    let second = k.am.get(&format!("/kickoffs?{}", next.replace("&amp;", "&"))).await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.body);
    let on_second = titles(&second.body);
    assert_eq!(on_second.len(), 2, "{on_second:?}");
    assert!(on_second.iter().all(|t| !on_first.contains(t)), "nothing twice: {on_second:?}");
    assert!(on_second.contains(&"Search number 01".to_string()), "{on_second:?}");
    assert!(!second.body.contains("href=\"/kickoffs?after="), "the last page has no next");
    // A cursor that does not read starts over rather than failing.
    let again = k.am.get("/kickoffs?after=nonsense").await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(titles(&again.body).len(), 50);
}
