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
