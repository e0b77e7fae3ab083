//! Requests and complaints over HTTP: a client raises one from her portal, her account
//! manager is told and answers, the first response is timed, the request is resolved;
//! late ones are reminded once then escalated; staff log those received by phone; the
//! API does the same; refused input writes nothing and sends nothing.

use std::time::Duration;

use axum::http::StatusCode;
use embark_core::Role;
use serde_json::json;

use crate::engagements::{kickoff, Kickoff};
use crate::helpers::{count_rows, link_in, path_of, Client, PASSWORD};

const HOUR: Duration = Duration::from_secs(3600);

/// The kick-off fixture with Claire (the client) signed in from her invitation.
async fn claire_signed_in(k: &Kickoff) -> Client {
    let invitation = k.app.emails_to("claire@client.test");
    let mut claire = k.app.client();
    claire.sign_in_with_link(&path_of(&link_in(&invitation[0], "http"))).await;
    claire
}

async fn requests_written(k: &Kickoff) -> (i64, i64, usize) {
    (
        count_rows(&k.app.state, "SELECT COUNT(*) FROM requests").await,
        count_rows(&k.app.state, "SELECT COUNT(*) FROM request_messages").await,
        k.app.emails().len(),
    )
}

const SUBJECT: &str = "The shortlist is late";
const BODY: &str = "We expected the shortlist on Monday.\n\nCould you tell us when it comes?";

#[tokio::test]
async fn a_client_complains_her_account_manager_answers_and_resolves_and_the_response_is_timed() {
    let mut k = kickoff().await;
    let mut claire = claire_signed_in(&k).await;
    k.app.drain_jobs().await;

    // Her only engagement is what the request is about unless she says otherwise.
    let form = claire.get("/requests/new?kind=complaint").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains(&format!("value=\"{}\" selected", k.engagement)), "{}", form.body);
    assert!(form.body.contains("value=\"complaint\" id=\"kind-complaint\" checked"), "{}", form.body);
    assert!(!form.body.contains("value=\"payroll\""), "a client's categories only");

    // A wrong form: every field named next to it, what she typed kept, nothing written or sent.
    let before = requests_written(&k).await;
    let r = claire
        .post_form(
            "/requests",
            &[("kind", "complaint"), ("category", "payroll"), ("subject", "no"), ("body", BODY), ("engagement", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("id=\"category-error\">Choose what it is about."), "{}", r.body);
    assert!(r.body.contains("id=\"subject-error\">Write a subject of at least 3 characters."), "{}", r.body);
    assert!(r.body.contains("We expected the shortlist on Monday.\n\nCould you tell us"), "typed text kept");
    k.app.drain_jobs().await;
    assert_eq!(requests_written(&k).await, before);

    let r = claire
        .post_form(
            "/requests",
            &[
                ("kind", "complaint"),
                ("category", "candidates"),
                ("subject", SUBJECT),
                ("body", BODY),
                ("engagement", &k.engagement),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page_path = r.location().split('?').next().unwrap().to_string();
    let mine = claire.get(r.location()).await;
    assert!(mine.body.contains("Your request is sent."), "{}", mine.body);
    assert!(mine.body.contains("Waiting for an answer"), "{}", mine.body);

    // Tom, who runs her search, is told at once and sees it first on his home.
    k.app.drain_jobs().await;
    let told = k.app.emails_to("tom@acme.test");
    let told = told.iter().find(|e| e.kind == "request_raised").expect("the owner is told");
    assert_eq!(told.subject, "New request from Claire Client: The shortlist is late");
    assert!(told.text.contains("Claire Client wrote to you (Complaint · Candidates)."), "{}", told.text);
    assert!(told.text.contains("Please answer by"), "{}", told.text);
    assert_eq!(path_of(&link_in(told, "/requests/")), page_path);
    let home = k.am.get("/").await;
    assert!(home.body.contains("Answer Claire Client: “The shortlist is late”"), "{}", home.body);
    let page = k.am.get(&page_path).await;
    assert!(page.body.contains("Waiting for a first answer, due by"), "{}", page.body);

    // The client cannot resolve her own request: refused, nothing changes.
    let before = requests_written(&k).await;
    let r = claire.post_form(&format!("{page_path}/resolve"), &[("resolution", "Never mind")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(requests_written(&k).await, before);

    // Tom answers two hours later: the first response, timed; Claire is told.
    k.app.advance(2 * HOUR);
    let r = k.am.post_form(&format!("{page_path}/messages"), &[("message", "  ")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"message-error\""), "{}", r.body);
    let r = k.am.post_form(&format!("{page_path}/messages"), &[("message", "It leaves tomorrow at noon.")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    k.app.drain_jobs().await;
    let answer = k.app.emails_to("claire@client.test");
    let answer = answer.iter().find(|e| e.kind == "request_replied").expect("the client is told");
    assert!(answer.text.contains("It leaves tomorrow at noon."), "{}", answer.text);
    let times: (i64, i64) = embark_store::query_as("SELECT received_at, first_response_at FROM requests")
        .fetch_one(&mut k.app.state.store.db())
        .await
        .unwrap();
    assert_eq!(times.1 - times.0, 2 * 3_600_000, "answered after two hours");
    assert!(!k.am.get("/").await.body.contains("Answer Claire Client"), "answered: it leaves his home");
    let page = claire.get(&page_path).await;
    assert!(page.body.contains("Answered, not yet resolved"), "{}", page.body);
    assert!(page.body.contains("It leaves tomorrow at noon."));
    assert!(!page.body.contains("id=\"resolve\""), "no resolve button for her");

    // A reply of hers does not count as a response; the resolution is emailed to her.
    let r = claire.post_form(&format!("{page_path}/messages"), &[("message", "Thank you!")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = k.am.post_form(&format!("{page_path}/resolve"), &[("resolution", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"resolution-error\""), "{}", r.body);
    let r =
        k.am.post_form(&format!("{page_path}/resolve"), &[("resolution", "Shortlist of five sent on Tuesday.")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    k.app.drain_jobs().await;
    let mails = k.app.emails_to("claire@client.test");
    let resolved = mails.iter().find(|e| e.kind == "request_resolved").expect("resolution emailed");
    assert!(resolved.text.contains("Shortlist of five sent on Tuesday."), "{}", resolved.text);
    assert_eq!(k.app.emails_to("tom@acme.test").iter().filter(|e| e.kind == "request_replied").count(), 1);

    // Resolved: no more messages, no second resolution; nothing written.
    let before = requests_written(&k).await;
    let r = claire.post_form(&format!("{page_path}/messages"), &[("message", "One more thing")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("This request is resolved already"), "{}", r.body);
    let r = k.am.post_form(&format!("{page_path}/resolve"), &[("resolution", "Again")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(requests_written(&k).await, before);

    // The admin's list carries the figures: answered within target, complaint response time.
    let mut admin = k.app.client();
    admin.sign_in("admin@acme.test", PASSWORD).await;
    let list = admin.get("/requests").await;
    assert!(list.body.contains("1 of 1 over the last 12 months"), "{}", list.body);
    assert!(list.body.contains("<strong class=\"figure-value\">2 h</strong>"), "{}", list.body);
    assert!(list.body.contains(SUBJECT));
}

#[tokio::test]
async fn an_unanswered_request_is_reminded_once_then_escalated_and_the_client_never_reads_late() {
    let mut k = kickoff().await;
    let mut claire = claire_signed_in(&k).await;
    let r = claire
        .post_form(
            "/requests",
            &[
                ("kind", "request"),
                ("category", "billing"),
                ("subject", "Invoice address"),
                ("body", "Please use our Lyon address."),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page_path = r.location().split('?').next().unwrap().to_string();
    k.app.drain_jobs().await;
    let late = |k: &Kickoff, to: &str, kind: &str| k.app.emails_to(to).iter().filter(|e| e.kind == kind).count();

    k.app.advance(47 * HOUR);
    k.app.drain_jobs().await;
    assert_eq!(late(&k, "tom@acme.test", "request_late"), 0, "not before its 48 h target");
    k.app.advance(2 * HOUR);
    k.app.drain_jobs().await;
    assert_eq!(late(&k, "tom@acme.test", "request_late"), 1);
    assert_eq!(late(&k, "admin@acme.test", "request_escalated"), 0);
    let his = k.am.get(&page_path).await;
    assert!(his.body.contains("No answer yet: it was due by"), "{}", his.body);
    let hers = claire.get(&page_path).await;
    assert!(hers.body.contains("Waiting for an answer") && !hers.body.contains("No answer yet"), "{}", hers.body);

    k.app.advance(25 * HOUR);
    k.app.drain_jobs().await;
    assert_eq!(late(&k, "admin@acme.test", "request_escalated"), 1);
    k.app.advance(72 * HOUR);
    k.app.drain_jobs().await;
    assert_eq!((late(&k, "tom@acme.test", "request_late"), late(&k, "admin@acme.test", "request_escalated")), (1, 1));
}

#[tokio::test]
async fn staff_log_a_request_received_by_phone_in_the_persons_name() {
    let mut k = kickoff().await;
    k.app.drain_jobs().await;
    let form = k.am.get("/requests/new").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("id=\"requester\""), "{}", form.body);

    let before = requests_written(&k).await;
    let tomorrow = k.app.day(1);
    let r =
        k.am.post_form(
            "/requests",
            &[
                ("requester", "nobody@client.test"),
                ("channel", "phone"),
                ("received_at", &tomorrow),
                ("kind", "request"),
                ("category", "search"),
                ("subject", "Budget for the role"),
                ("body", "She called about the salary range."),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("id=\"requester-error\""), "{}", r.body);
    assert!(r.body.contains("The request cannot have been received in the future."), "{}", r.body);
    assert!(r.body.contains("value=\"nobody@client.test\""), "typed email kept");
    assert!(r.body.contains("She called about the salary range."));
    k.app.drain_jobs().await;
    assert_eq!(requests_written(&k).await, before);

    // Received 50 hours ago by phone: already past its 48 h target, so it shows late
    // at once and nobody is reminded in the same minute.
    let received = (k.app.now_in_paris() - jiff::Span::new().hours(50)).strftime("%Y-%m-%dT%H:%M").to_string();
    let r =
        k.am.post_form(
            "/requests",
            &[
                ("requester", "Claire@Client.test"),
                ("channel", "phone"),
                ("received_at", &received),
                ("kind", "request"),
                ("category", "search"),
                ("subject", "Budget for the role"),
                ("body", "She called about the salary range."),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = k.am.get(r.location()).await;
    assert!(page.body.contains("logged by Tom Account, received by phone"), "{}", page.body);
    assert!(page.body.contains("No answer yet"), "{}", page.body);
    k.app.drain_jobs().await;
    assert_eq!(k.app.emails_to("tom@acme.test").iter().filter(|e| e.kind == "request_late").count(), 0);
    // Claire sees it among hers.
    let mut claire = claire_signed_in(&k).await;
    assert!(claire.get("/requests").await.body.contains("Budget for the role"));
}

#[tokio::test]
async fn a_request_is_not_found_by_anyone_else_on_pages_and_api() {
    let k = kickoff().await;
    let mut claire = claire_signed_in(&k).await;
    let r = claire
        .post_form(
            "/requests",
            &[("kind", "request"), ("category", "other"), ("subject", "Parking"), ("body", "Where do we park?")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page_path = r.location().split('?').next().unwrap().to_string();
    let id = page_path.trim_start_matches("/requests/").to_string();

    // Another account manager of the same workspace, and an admin of another workspace.
    k.app.staff("Acme", "una@acme.test", "Una Other", Role::AccountManager).await;
    k.app.staff("Globex", "gus@globex.test", "Gus Globex", Role::Admin).await;
    for email in ["una@acme.test", "gus@globex.test"] {
        let mut c = k.app.client();
        c.sign_in(email, PASSWORD).await;
        assert_eq!(c.get(&page_path).await.status, StatusCode::NOT_FOUND, "{email}");
        let r = c.post_form(&format!("{page_path}/messages"), &[("message", "Hi")]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{email}");
        let token = c.create_api_token("t").await;
        assert_eq!(c.api_get(&format!("/api/v1/requests/{id}"), &token).await.status, StatusCode::NOT_FOUND);
        let list = c.api_get("/api/v1/requests", &token).await;
        assert_eq!(list.json()["items"].as_array().map(Vec::len), Some(0), "{email}: {}", list.body);
    }
    assert_eq!(count_rows(&k.app.state, "SELECT COUNT(*) FROM request_messages").await, 0);
    k.app.drain_jobs().await;
    assert_eq!(claire.get("/requests/not-an-id").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_api_logs_answers_and_resolves_a_request_and_refuses_bad_payloads_without_writing() {
    let mut k = kickoff().await;
    k.app.drain_jobs().await;
    let token = k.am.create_api_token("crm").await;
    let before = requests_written(&k).await;
    let bad = json!({"kind": "praise", "category": "search", "subject": "Budget", "body": "", "requester_email": "claire@client.test", "channel": "fax"});
    let r = k.am.api_post("/api/v1/requests", &token, "application/json", &bad.to_string()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let fields: Vec<String> =
        r.json()["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap().to_string()).collect();
    assert_eq!(fields, ["kind", "body", "channel"], "{}", r.body);
    let unknown = json!({"kind": "request", "category": "search", "subject": "Budget", "body": "x", "colour": "red"});
    let r = k.am.api_post("/api/v1/requests", &token, "application/json", &unknown.to_string()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let not_hers = json!({"kind": "request", "category": "search", "subject": "Budget", "body": "x", "requester_email": "claire@client.test", "channel": "email", "engagement_id": "0190a3b2-0000-7000-8000-000000000000"});
    let r = k.am.api_post("/api/v1/requests", &token, "application/json", &not_hers.to_string()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("engagement_id"), "{}", r.body);
    k.app.drain_jobs().await;
    assert_eq!(requests_written(&k).await, before);

    let good = json!({"kind": "complaint", "category": "candidates", "subject": "Wrong profiles", "body": "Two of three were juniors.", "requester_email": "claire@client.test", "channel": "email", "engagement_id": k.engagement});
    let r = k.am.api_post("/api/v1/requests", &token, "application/json", &good.to_string()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_string();
    let one = k.am.api_get(&format!("/api/v1/requests/{id}"), &token).await;
    let v = one.json();
    assert_eq!(
        (v["request"]["status"].as_str(), v["request"]["channel"].as_str(), v["request"]["owner_name"].as_str()),
        (Some("open"), Some("email"), Some("Tom Account"))
    );
    assert_eq!(v["request"]["engagement_id"].as_str(), Some(k.engagement.as_str()));

    let r = k
        .am
        .api_post(&format!("/api/v1/requests/{id}/messages"), &token, "application/json", r#"{"body":"We are on it."}"#)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["messages"][0]["body"].as_str(), Some("We are on it."));
    assert_eq!(r.json()["request"]["status"].as_str(), Some("answered"));
    let r =
        k.am.api_post(
            &format!("/api/v1/requests/{id}/resolve"),
            &token,
            "application/json",
            r#"{"resolution":"New shortlist."}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["status"].as_str(), Some("resolved"));
    let r = k
        .am
        .api_post(&format!("/api/v1/requests/{id}/resolve"), &token, "application/json", r#"{"resolution":"Again."}"#)
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let list = k.am.api_get("/api/v1/requests?open=true", &token).await;
    assert_eq!(list.json()["items"].as_array().map(Vec::len), Some(0), "{}", list.body);
    let list = k.am.api_get("/api/v1/requests", &token).await;
    assert_eq!(list.json()["items"].as_array().map(Vec::len), Some(1), "{}", list.body);
    assert!(list.json()["next"].is_null(), "one page: {}", list.body);
    k.app.drain_jobs().await;
    let told = k.app.emails_to("claire@client.test");
    assert_eq!(
        told.iter().filter(|e| e.kind.starts_with("request_")).map(|e| e.kind).collect::<Vec<_>>(),
        ["request_replied", "request_resolved"],
        "logged in her name: she reads the answer and the resolution"
    );
}

#[tokio::test]
async fn lists_come_a_page_at_a_time_and_a_bad_cursor_or_limit_is_refused() {
    let mut k = kickoff().await;
    k.app.drain_jobs().await;
    let ws = crate::engagements::id_of(&k.app, "SELECT workspace_id FROM users WHERE id = $1", &k.am_id).await;
    // 53 requests a minute apart, the newest last: the page shows 50, then 3.
    let now = k.app.state.now();
    let mut tx = k.app.state.store.begin().await.unwrap();
    for i in 0..53i64 {
        let received_at = now.plus_millis((i - 60) * 60_000);
        embark_store::requests::create(
            &mut tx,
            embark_store::requests::NewRequest {
                workspace_id: ws.parse().unwrap(),
                kind: embark_core::requests::RequestKind::Request,
                category: embark_core::requests::Category::Search,
                channel: embark_core::requests::Channel::Portal,
                requester_id: k.client_id.parse().unwrap(),
                logged_by: None,
                engagement_id: None,
                owner_id: k.am_id.parse().unwrap(),
                subject: &format!("Question number {i:02}"),
                body: "When?",
                received_at,
                due_at: received_at.plus_millis(48 * 3_600_000),
            },
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();

    let first = k.am.get("/requests").await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(first.body.contains("Question number 52") && first.body.contains("Question number 03"), "newest 50");
    assert!(!first.body.contains("Question number 02"), "the 51st is on the next page");
    let older = first.body.split("href=\"/requests?after=").nth(1).and_then(|s| s.split('"').next());
    let older = older.expect("an older page link");
    let second = k.am.get(&format!("/requests?after={older}")).await;
    assert_eq!(second.status, StatusCode::OK);
    for i in 0..3 {
        assert!(second.body.contains(&format!("Question number {i:02}")), "{}", second.body);
    }
    assert!(!second.body.contains("Question number 03"), "nothing twice");
    assert!(!second.body.contains("?after="), "the last page");
    assert!(second.body.contains("href=\"/requests\""), "back to the newest");

    let token = k.am.create_api_token("crm").await;
    let mut seen = Vec::new();
    let mut path = "/api/v1/requests?limit=20".to_string();
    loop {
        let page = k.am.api_get(&path, &token).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let v = page.json();
        let items = v["items"].as_array().unwrap();
        assert!(items.len() <= 20);
        seen.extend(items.iter().map(|r| r["subject"].as_str().unwrap().to_string()));
        match v["next"].as_str() {
            Some(next) => path = format!("/api/v1/requests?limit=20&after={next}"),
            None => break,
        }
    }
    let expected: Vec<String> = (0..53).rev().map(|i| format!("Question number {i:02}")).collect();
    assert_eq!(seen, expected, "every request once, newest first, over three pages");

    for (query, field) in [("limit=0", "limit"), ("limit=201", "limit"), ("after=nope", "after")] {
        let r = k.am.api_get(&format!("/api/v1/requests?{query}"), &token).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {}", r.body);
        assert!(r.body.contains(field), "{query}: {}", r.body);
    }
}
