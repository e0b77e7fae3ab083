//! Health, readiness, metrics, security headers.

use axum::http::StatusCode;

use crate::helpers::TestApp;

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = TestApp::spawn().await;
    let mut c = app.client();
    let h = c.get("/healthz").await;
    assert_eq!((h.status, h.body.as_str()), (StatusCode::OK, "ok"));
    let r = c.get("/readyz").await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "ready"));
    // A closed database is not ready.
    app.state.store.close().await;
    assert_eq!(c.get("/readyz").await.status, StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_status() {
    let app = TestApp::spawn().await;
    let mut c = app.client();
    c.get("/login").await;
    c.get("/login").await;
    c.get("/users/whatever").await;
    let m = c.get("/metrics").await;
    assert_eq!(m.status, StatusCode::OK);
    assert!(
        m.body.contains("embark_http_requests_total{method=\"GET\",route=\"/login\",status=\"200\"} 2"),
        "{}",
        m.body
    );
    assert!(m.body.contains("route=\"/users/{id}\",status=\"303\""), "{}", m.body);
    assert!(m.body.contains(
        "embark_http_request_duration_seconds_bucket{method=\"GET\",route=\"/login\",status=\"200\",le=\"+Inf\"} 2"
    ));
    assert!(m.body.contains("embark_jobs{state=\"pending\"} 0"));
}

#[tokio::test]
async fn invented_methods_count_as_one_series_and_the_metrics_stay_small() {
    let app = TestApp::spawn().await;
    let mut c = app.client();
    for i in 0..50 {
        let method = format!("X{}{i}", "Y".repeat(2000));
        let req = axum::http::Request::builder()
            .method(method.as_str())
            .uri("/login")
            .body(axum::body::Body::empty())
            .unwrap();
        c.send(req).await;
    }
    let m = c.get("/metrics").await;
    assert!(!m.body.contains("YYYY"), "no invented method is a label");
    assert!(m.body.contains("embark_http_requests_total{method=\"other\",route=\"/login\""), "{}", m.body);
    assert!(m.body.len() < 20_000, "fifty invented methods grew the metrics to {} bytes", m.body.len());
}

#[tokio::test]
async fn with_a_metrics_token_only_its_bearer_reads_the_metrics() {
    let token = "5f0c1e2d3a4b5c6d7e8f9a0b";
    let app = TestApp::builder().setting("EMBARK_METRICS_TOKEN", token).spawn().await;
    let mut c = app.client();
    assert_eq!(c.get("/metrics").await.status, StatusCode::UNAUTHORIZED);
    let wrong = c.get_with("/metrics", &[("authorization", "Bearer 5f0c1e2d3a4b5c6d7e8f9a0c")]).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(!wrong.body.contains("embark_http"));
    let right = c.get_with("/metrics", &[("authorization", &format!("Bearer {token}"))]).await;
    assert_eq!(right.status, StatusCode::OK);
    assert!(right.body.contains("embark_http_requests_total"), "{}", right.body);
    // Health and readiness stay open for the orchestrator.
    assert_eq!(c.get("/healthz").await.status, StatusCode::OK);
}

#[tokio::test]
async fn pages_carry_security_headers() {
    let app = TestApp::spawn().await;
    let mut c = app.client();
    let r = c.get("/login").await;
    let csp = r.headers.get("content-security-policy").unwrap().to_str().unwrap();
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'") && !csp.contains("unsafe-inline")
    );
    assert_eq!(r.headers.get("x-content-type-options").unwrap(), "nosniff");
    assert!(!r.body.contains("<script>"), "no inline script");
    let css = c.get("/assets/app.css").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.content_type().starts_with("text/css"));
}

#[tokio::test]
async fn ping_answers_a_signed_in_person_and_sends_others_to_sign_in() {
    let app = TestApp::spawn().await;
    let mut anonymous = app.client();
    let r = anonymous.get("/ping").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/login"), "{}", r.location());
    let (_, mut admin) = app.admin_client().await;
    let r = admin.get("/ping").await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "ok\n"));
}

#[tokio::test]
async fn a_malformed_id_or_form_gets_our_answer_not_the_frameworks() {
    let app = TestApp::spawn().await;
    let (_, mut admin) = app.admin_client().await;
    // A page whose id does not parse: our 404 page, like an id that exists nowhere.
    let r = admin.get("/engagements/not-an-id").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.content_type().starts_with("text/html"), "{}", r.content_type());
    assert!(r.body.contains("<main") && r.body.contains("Page not found"), "{}", r.body);
    let r = admin.get("/engagements/0193a000-0000-7000-8000-000000000000/scorecard/versions/one").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("Page not found"));
    // The API answers with a problem.
    let token = admin.create_api_token("script").await;
    let r = admin.api_get("/api/v1/engagements/not-an-id", &token).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.content_type(), "application/problem+json");
    assert_eq!(r.json()["status"], 404);
    // A form body that is not a form: our "bad request" page, nothing written.
    let csrf = admin.jar.get("embark_csrf").cloned().unwrap();
    let before = crate::helpers::count_rows(&app.state, "SELECT COUNT(*) FROM users").await;
    let req = axum::http::Request::post("/users/invite")
        .header(
            axum::http::header::COOKIE,
            format!("embark_session={}; embark_csrf={csrf}", admin.jar["embark_session"]),
        )
        .header(axum::http::header::CONTENT_TYPE, "text/plain")
        .header("x-csrf-token", &csrf)
        .body(axum::body::Body::from("name=Eve&email=eve@acme.test&role=admin&locale=en"))
        .unwrap();
    let r = admin.send(req).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.content_type().starts_with("text/html"), "{}", r.content_type());
    assert!(r.body.contains("The request could not be read."), "{}", r.body);
    assert_eq!(crate::helpers::count_rows(&app.state, "SELECT COUNT(*) FROM users").await, before);
}

/// Log lines written while the test runs on this thread.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn every_request_has_an_id_in_its_answer_its_logs_and_the_jobs_it_enqueues() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let app = TestApp::spawn().await;
    let (_, mut admin) = app.admin_client().await;
    // A well-formed id sent by the caller is kept; anything else is replaced by a fresh one.
    let r = admin.get_with("/users", &[("x-request-id", "crm-sync-42")]).await;
    assert_eq!(r.headers["x-request-id"], "crm-sync-42");
    let r = admin.get_with("/users", &[("x-request-id", "two words")]).await;
    let fresh = r.headers["x-request-id"].to_str().unwrap().to_string();
    assert_eq!(fresh.len(), 32, "{fresh}");
    assert_ne!(admin.get("/users").await.headers["x-request-id"].to_str().unwrap(), fresh, "one id per request");

    // The invitation's email job remembers the request that enqueued it.
    let csrf = admin.jar["embark_csrf"].clone();
    let body = serde_urlencoded::to_string([
        ("name", "Claire"),
        ("email", "claire@client.test"),
        ("role", "client_contact"),
        ("locale", "fr"),
        ("_csrf", &csrf),
    ])
    .unwrap();
    let req = axum::http::Request::post("/users/invite")
        .header(
            axum::http::header::COOKIE,
            format!("embark_session={}; embark_csrf={csrf}", admin.jar["embark_session"]),
        )
        .header(axum::http::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("x-request-id", "invite-7")
        .body(axum::body::Body::from(body))
        .unwrap();
    assert_eq!(admin.send(req).await.status, StatusCode::SEE_OTHER);
    let row: (Option<String>,) = embark_store::query_as("SELECT request_id FROM jobs WHERE kind = 'send_link'")
        .fetch_one(&mut app.state.store.db())
        .await
        .unwrap();
    assert_eq!(row.0.as_deref(), Some("invite-7"));
    assert_eq!(app.drain_jobs().await, 1);

    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(text.lines().any(|l| l.contains("request{id=crm-sync-42") && l.contains("answered")), "{text}");
    assert!(
        text.lines().any(|l| l.contains("job{") && l.contains("request=invite-7") && l.contains("email sent")),
        "the job's log line names the request: {text}"
    );
}
