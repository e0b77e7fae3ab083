//! The JSON API: tokens, problem details, validation, pagination, isolation.

use axum::http::StatusCode;
use embark_core::Role;

use crate::helpers::{TestApp, PASSWORD};

#[tokio::test]
async fn personal_tokens_authenticate_api_calls() {
    let app = TestApp::spawn().await;
    let (admin, mut c) = app.admin_client().await;
    let token = c.create_api_token("reporting").await;
    assert!(token.starts_with("emb_"));
    // Shown once: the account page lists it by prefix only.
    let page = c.get("/account").await;
    assert!(page.body.contains("reporting"));
    assert!(!page.body.contains(&token));
    let stored: (String,) =
        embark_store::query_as("SELECT token_hash FROM api_tokens").fetch_one(&mut app.state.store.db()).await.unwrap();
    assert_ne!(stored.0, token);

    let mut api = app.client();
    let me = api.api_get("/api/v1/me", &token).await;
    assert_eq!(me.status, StatusCode::OK);
    let body = me.json();
    assert_eq!(body["id"], admin.id.to_string());
    assert_eq!(body["role"], "admin");
    assert_eq!(body["email"], "admin@acme.test");

    let bad = api.api_get("/api/v1/me", "emb_nope").await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    assert_eq!(bad.content_type(), "application/problem+json");
    assert_eq!(bad.json()["type"], "https://embark.dev/problems/unauthenticated");
    let none = api.get("/api/v1/me").await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);

    // Revoked tokens stop working.
    let id: (String,) =
        embark_store::query_as("SELECT id FROM api_tokens").fetch_one(&mut app.state.store.db()).await.unwrap();
    let r = c.post_form(&format!("/account/tokens/{}/revoke", id.0), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(api.api_get("/api/v1/me", &token).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_users_api_pages_and_stays_in_its_workspace() {
    let app = TestApp::spawn().await;
    let (_, mut c) = app.admin_client().await;
    for i in 0..7 {
        app.staff("Acme", &format!("p{i}@acme.test"), &format!("Person {i}"), Role::Coach).await;
    }
    app.staff("Beta", "bob@beta.test", "Bob Beta", Role::Admin).await;
    let token = c.create_api_token("sync").await;
    let mut api = app.client();
    let mut seen = Vec::new();
    let mut path = "/api/v1/users?limit=3".to_string();
    loop {
        let r = api.api_get(&path, &token).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let page = r.json();
        for u in page["items"].as_array().unwrap() {
            seen.push(u["email"].as_str().unwrap().to_string());
        }
        match page["next"].as_str() {
            Some(next) => path = format!("/api/v1/users?limit=3&after={next}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 8);
    assert!(!seen.contains(&"bob@beta.test".to_string()));
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), 8, "no duplicates across pages");

    let r = api.api_get("/api/v1/users?limit=0", &token).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"][0]["field"], "limit");
    let r = api.api_get("/api/v1/users?after=garbage", &token).await;
    assert_eq!(r.json()["errors"][0]["field"], "after");
    assert_eq!(api.api_get("/api/v1/nothing-here", &token).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_payloads_get_problems_that_name_the_field() {
    let app = TestApp::spawn().await;
    let (_, mut c) = app.admin_client().await;
    let token = c.create_api_token("script").await;
    let mut api = app.client();
    let before = app.user_count().await;

    let r = api.api_post("/api/v1/users", &token, "application/json", "{\"email\": ").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.content_type(), "application/problem+json");
    assert!(r.json()["detail"].as_str().unwrap().contains("malformed JSON"));

    let r = api.api_post("/api/v1/users", &token, "application/json", r#"{"name":"Zoe","role":"admin"}"#).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"][0]["field"], "email");
    assert_eq!(r.json()["errors"][0]["code"], "error-field-missing");

    let r = api
        .api_post(
            "/api/v1/users",
            &token,
            "application/json",
            r#"{"email":"z@acme.test","name":"Zoe","role":"admin","colour":"red"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"][0]["field"], "colour");

    let r = api
        .api_post("/api/v1/users", &token, "application/json", r#"{"email":"nope","name":"Zoe","role":"wizard"}"#)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> =
        r.json()["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap().to_string()).collect();
    assert_eq!(fields, vec!["email", "role"]);

    let r = api.api_post("/api/v1/users", &token, "text/plain", "hello").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.user_count().await, before);

    let r = api
        .api_post(
            "/api/v1/users",
            &token,
            "application/json",
            r#"{"email":"zoe@acme.test","name":"Zoe","role":"new_hire","locale":"fr"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["role"], "new_hire");
    assert_eq!(app.drain_jobs().await, 1);
    assert_eq!(app.emails_to("zoe@acme.test").len(), 1);
}

#[tokio::test]
async fn roles_are_checked_on_the_api() {
    let app = TestApp::spawn().await;
    app.staff("Acme", "admin@acme.test", "Ada", Role::Admin).await;
    app.staff("Acme", "tom@acme.test", "Tom", Role::AccountManager).await;
    let mut tom = app.client();
    tom.sign_in("tom@acme.test", PASSWORD).await;
    let token = tom.create_api_token("mine").await;
    let mut api = app.client();
    assert_eq!(api.api_get("/api/v1/users", &token).await.status, StatusCode::OK);
    let r = api
        .api_post("/api/v1/users", &token, "application/json", r#"{"email":"x@acme.test","name":"X","role":"admin"}"#)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["type"], "https://embark.dev/problems/forbidden");
}

#[tokio::test]
async fn the_openapi_document_describes_the_api() {
    let app = TestApp::spawn().await;
    let mut c = app.client();
    let r = c.get("/api/v1/openapi.json").await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = r.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in ["/api/v1/me", "/api/v1/users"] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
    assert!(doc["paths"]["/api/v1/users"]["post"].is_object());
    assert!(doc["components"]["schemas"]["Problem"].is_object());
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}

/// A refusal by the state of things, not by the request's form, is a 409 with the field
/// and code named: here an address that already has an account. Found by the API
/// contract run, which counts a 422 for a request its schema allows as a failure.
#[tokio::test]
async fn a_refusal_by_state_is_a_conflict_that_names_its_field() {
    let app = TestApp::spawn().await;
    let (_, mut c) = app.admin_client().await;
    let token = c.create_api_token("script").await;
    let mut api = app.client();
    let body = r#"{"email":"zoe@acme.test","name":"Zoe","role":"coach"}"#;
    assert_eq!(api.api_post("/api/v1/users", &token, "application/json", body).await.status, StatusCode::CREATED);
    assert_eq!(app.drain_jobs().await, 1, "the invitation");
    let before = app.user_count().await;
    let r = api.api_post("/api/v1/users", &token, "application/json", body).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(r.json()["type"], "https://embark.dev/problems/conflict");
    assert_eq!(r.json()["errors"][0]["field"], "email");
    assert_eq!(r.json()["errors"][0]["code"], "error-email-taken");
    assert_eq!(app.user_count().await, before);
    // An empty language is not one of the documented two.
    let r = api
        .api_post(
            "/api/v1/users",
            &token,
            "application/json",
            r#"{"email":"x@acme.test","name":"X","role":"coach","locale":""}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["errors"][0]["field"], "locale");
    assert_eq!(app.user_count().await, before);
}

/// Every string of the documented cursor form is a position in the order by name, so a
/// client may start anywhere; anything else is refused.
#[tokio::test]
async fn a_users_cursor_is_a_position_in_the_order_by_name() {
    let app = TestApp::spawn().await;
    let (_, mut c) = app.admin_client().await;
    for name in ["Alice", "Bruno", "Chloé"] {
        app.staff("Acme", &format!("{}@acme.test", name.to_lowercase()), name, Role::Coach).await;
    }
    let token = c.create_api_token("sync").await;
    let mut api = app.client();
    // Just before "b": Bruno, Chloé and whoever sorts after them.
    let at_b = format!("00000000-0000-0000-0000-000000000000{}", hex("b"));
    let r = api.api_get(&format!("/api/v1/users?after={at_b}"), &token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let names: Vec<String> =
        r.json()["items"].as_array().unwrap().iter().map(|u| u["name"].as_str().unwrap().to_string()).collect();
    assert!(!names.contains(&"Alice".to_string()), "{names:?}");
    assert!(names.contains(&"Bruno".to_string()) && names.contains(&"Chloé".to_string()), "{names:?}");
    for bad in ["", "0000", "00000000-0000-0000-0000-000000000000f", "00000000-0000-0000-0000-00000000000G"] {
        let r = api.api_get(&format!("/api/v1/users?after={bad}"), &token).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {}", r.body);
    }
}

fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

/// The document's example bodies are requests the API accepts: a playbook, a course and
/// answers to import (the contract run's examples phase sends them too).
#[tokio::test]
async fn the_documents_example_bodies_are_accepted() {
    let app = TestApp::spawn().await;
    let (_, mut c) = app.admin_client().await;
    let token = c.create_api_token("examples").await;
    let mut api = app.client();
    let doc = api.get("/api/v1/openapi.json").await.json();
    let example = |path: &str, media: &str| {
        doc["paths"][path]["post"]["requestBody"]["content"][media]["example"].as_str().unwrap().to_string()
    };
    let r = api
        .api_post("/api/v1/playbooks", &token, "text/markdown", &example("/api/v1/playbooks", "text/markdown"))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // A key is read as given: one outside its documented pattern is refused, even empty.
    for (path, bad) in
        [("/api/v1/playbooks", ""), ("/api/v1/playbooks", "Wel"), ("/api/v1/courses", ""), ("/api/v1/courses", "-x")]
    {
        let r =
            api.api_post(&format!("{path}?key={bad}"), &token, "text/markdown", &example(path, "text/markdown")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{path} {bad:?}: {}", r.body);
        assert_eq!(r.json()["errors"][0]["field"], "key");
    }
    let r =
        api.api_post("/api/v1/courses", &token, "text/markdown", &example("/api/v1/courses", "text/markdown")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let surveys = api.api_get("/api/v1/surveys", &token).await.json();
    let survey = surveys[0]["id"].as_str().expect("a workspace has its surveys").to_string();
    let csv = example("/api/v1/surveys/{id}/answers/import", "text/csv");
    let r = api.api_post(&format!("/api/v1/surveys/{survey}/answers/import"), &token, "text/csv", &csv).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["imported"], 2);
}
