//! The playbook library over HTTP: built-ins, articles, import, versions, export, rights.

use axum::http::StatusCode;
use embark_core::playbooks::builtin::BUILTINS;
use embark_core::Role;

use crate::helpers::{count_rows, TestApp, PASSWORD};

async fn playbook_id(app: &TestApp, key: &str, language: &str) -> String {
    let row: (String,) = embark_store::query_as("SELECT id FROM playbooks WHERE key = $1 AND language = $2")
        .bind(key)
        .bind(language)
        .fetch_one(&mut app.state.store.db())
        .await
        .unwrap();
    row.0
}

const MINI: &str = "---
title: Welcome week
language: en
kind: journey
anchor: start_date
roles: new_hire, manager
---

A good first week starts before day one.

## Before day one

### Send the welcome pack
owner: manager
due: start_date - 7d

- [ ] The pack is sent.
";

#[tokio::test]
async fn every_workspace_starts_with_the_builtin_playbooks_readable_as_articles() {
    let app = TestApp::spawn().await;
    let (_, mut c) = app.admin_client().await;
    let lib = c.get("/playbooks").await;
    assert_eq!(lib.status, StatusCode::OK);
    for title in ["The kick-off", "Le kick-off", "Onboarding a new employee", "Onboarding a new client"] {
        assert!(lib.body.contains(title), "missing {title}");
    }
    assert_eq!(count_rows(&app.state, "SELECT COUNT(*) FROM playbooks").await, BUILTINS.len() as i64);

    let id = playbook_id(&app, "recruitment-kickoff", "fr").await;
    let article = c.get(&format!("/playbooks/{id}")).await;
    assert_eq!(article.status, StatusCode::OK);
    let body = &article.body;
    assert!(body.contains("<h1>Le kick-off</h1>"));
    assert!(body.contains("minutes read") || body.contains("minute read"), "reading time");
    assert!(body.contains("Did you find your answer?"));
    assert!(body.contains("juge de paix"), "the reasons are part of the article");
    assert!(body.contains("Ask the client"), "ask-the-client checkpoints are marked");
    assert!(body.contains("45 min"));

    let r = c.post_form(&format!("/playbooks/{id}/feedback"), &[("helpful", "yes")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(c.get(&format!("/playbooks/{id}")).await.body.contains("1 yes · 0 no"));
    assert_eq!(
        c.post_form(&format!("/playbooks/{id}/feedback"), &[("helpful", "maybe")]).await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn a_bad_document_is_refused_with_positions_and_nothing_is_imported() {
    let app = TestApp::spawn().await;
    let (_, mut c) = app.admin_client().await;
    let before = count_rows(&app.state, "SELECT COUNT(*) FROM playbook_versions").await;
    let bad = MINI.replace("due: start_date - 7d", "due: start_date - 7 days").replace("owner: manager", "owner: boss");
    let r = c.post_form("/playbooks/import", &[("source", &bad), ("key", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("14:8: unknown owner role `boss`"), "{}", r.body);
    assert!(r.body.contains("15:6: unknown unit"), "{}", r.body);
    assert!(r.body.contains("Nothing was imported"));
    assert_eq!(count_rows(&app.state, "SELECT COUNT(*) FROM playbook_versions").await, before);
    let r = c.post_form("/playbooks/import", &[("source", MINI), ("key", "Not A Key")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count_rows(&app.state, "SELECT COUNT(*) FROM playbook_versions").await, before);
}

#[tokio::test]
async fn importing_then_editing_makes_versions_with_diffs_and_export_gives_the_document_back() {
    let app = TestApp::spawn().await;
    let (_, mut c) = app.admin_client().await;
    // Browsers send CRLF; the stored document is the same text with LF.
    let r = c.post_form("/playbooks/import", &[("source", &MINI.replace('\n', "\r\n")), ("key", "welcome-week")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location().ends_with("?done=created"));
    let id = playbook_id(&app, "welcome-week", "en").await;
    let again = c.post_form("/playbooks/import", &[("source", MINI), ("key", "welcome-week")]).await;
    assert_eq!(again.location(), "/playbooks?done=unchanged");

    let edited = MINI.replace("The pack is sent.", "The pack is sent, with the first day's plan.");
    let r = c.post_form(&format!("/playbooks/{id}/edit"), &[("source", &edited)]).await;
    assert!(r.location().ends_with("?done=new_version"), "{}", r.body);
    let versions_written = || count_rows(&app.state, "SELECT COUNT(*) FROM playbook_versions");
    let before = versions_written().await;
    let bad = c.post_form(&format!("/playbooks/{id}/edit"), &[("source", "---\ntitle: broken\n")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("title: broken"), "what was typed is kept: {}", bad.body);
    let other_language = c
        .post_form(&format!("/playbooks/{id}/edit"), &[("source", &edited.replace("language: en", "language: fr"))])
        .await;
    assert_eq!(other_language.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(versions_written().await, before, "a refused edit writes no version");

    let versions = c.get(&format!("/playbooks/{id}/versions")).await;
    assert!(versions.body.contains("v2") && versions.body.contains("v1"));
    assert!(versions.body.contains("<span class=\"removed\">- - [ ] The pack is sent.</span>"), "{}", versions.body);
    assert!(
        versions.body.contains("<span class=\"added\">+ - [ ] The pack is sent, with the first day&#39;s plan.</span>")
            || versions.body.contains("first day&#x27;s plan"),
        "{}",
        versions.body
    );

    let latest = c.get(&format!("/playbooks/{id}/export")).await;
    assert_eq!(latest.body, edited);
    assert!(latest.content_type().starts_with("text/markdown"));
    assert_eq!(c.get(&format!("/playbooks/{id}/export?version=1")).await.body, MINI);
    assert_eq!(c.get(&format!("/playbooks/{id}/export?version=9")).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn every_builtin_exports_exactly_and_imports_back_unchanged() {
    let app = TestApp::spawn().await;
    let (_, mut c) = app.admin_client().await;
    for b in BUILTINS {
        let id = playbook_id(&app, b.key, b.language.code()).await;
        let exported = c.get(&format!("/playbooks/{id}/export")).await.body;
        assert_eq!(exported, b.text, "{} ({})", b.key, b.language);
        let r = c.post_form("/playbooks/import", &[("source", &exported), ("key", b.key)]).await;
        assert_eq!(r.location(), "/playbooks?done=unchanged", "{} ({})", b.key, b.language);
    }
    assert_eq!(count_rows(&app.state, "SELECT COUNT(*) FROM playbook_versions").await, BUILTINS.len() as i64);
}

#[tokio::test]
async fn reading_editing_and_other_workspaces_are_guarded() {
    let app = TestApp::spawn().await;
    app.staff("Acme", "admin@acme.test", "Ada", Role::Admin).await;
    app.staff("Acme", "coach@acme.test", "Cole", Role::Coach).await;
    app.staff("Beta", "bob@beta.test", "Bob", Role::Admin).await;
    let acme_kickoff: (String,) = embark_store::query_as(
        "SELECT p.id FROM playbooks p JOIN workspaces w ON w.id = p.workspace_id WHERE w.name = 'Acme' AND p.key = 'recruitment-kickoff' AND p.language = 'en'",
    )
    .fetch_one(&mut app.state.store.db())
    .await
    .unwrap();
    let id = acme_kickoff.0;
    let mut coach = app.client();
    coach.sign_in("coach@acme.test", PASSWORD).await;
    assert_eq!(coach.get(&format!("/playbooks/{id}")).await.status, StatusCode::OK);
    assert_eq!(coach.get(&format!("/playbooks/{id}/edit")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(coach.post_form("/playbooks/import", &[("source", MINI)]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        coach.post_form(&format!("/playbooks/{id}/edit"), &[("source", MINI)]).await.status,
        StatusCode::FORBIDDEN
    );

    let mut bob = app.client();
    bob.sign_in("bob@beta.test", PASSWORD).await;
    for path in [
        format!("/playbooks/{id}"),
        format!("/playbooks/{id}/versions"),
        format!("/playbooks/{id}/export"),
        format!("/playbooks/{id}/edit"),
    ] {
        assert_eq!(bob.get(&path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(
        bob.post_form(&format!("/playbooks/{id}/feedback"), &[("helpful", "yes")]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(count_rows(&app.state, "SELECT COUNT(*) FROM article_feedback").await, 0);
}

#[tokio::test]
async fn the_playbook_api_imports_lists_and_exports() {
    let app = TestApp::spawn().await;
    let (_, mut c) = app.admin_client().await;
    let token = c.create_api_token("sync").await;
    let mut api = app.client();
    let list = api.api_get("/api/v1/playbooks", &token).await;
    assert_eq!(list.json().as_array().unwrap().len(), BUILTINS.len());

    let bad = api
        .api_post(
            "/api/v1/playbooks?key=welcome",
            &token,
            "text/markdown",
            &MINI.replace("owner: manager", "owner: boss"),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let err = &bad.json()["errors"][0];
    assert_eq!((err["field"].as_str(), err["line"].as_i64(), err["col"].as_i64()), (Some("source"), Some(14), Some(8)));
    assert!(err["message"].as_str().unwrap().contains("unknown owner role"));

    // Two thousand steps, or twenty thousand: refused with the count or the size, before
    // any page has to show them, and nothing is written.
    let versions = count_rows(&app.state, "SELECT COUNT(*) FROM playbook_versions").await;
    for (steps, says) in [(2_000, "a playbook may hold 500 at most"), (20_000, "a playbook may be 512 KiB at most")] {
        let mut huge = MINI.to_string();
        for n in 0..steps {
            huge.push_str(&format!("\n### Step {n}\nowner: manager\n"));
        }
        let r = api.api_post("/api/v1/playbooks?key=huge", &token, "text/markdown", &huge).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", &r.body[..r.body.len().min(500)]);
        let message = r.json()["errors"][0]["message"].as_str().unwrap().to_string();
        assert!(message.contains(says), "{steps} steps: {message}");
    }
    assert_eq!(count_rows(&app.state, "SELECT COUNT(*) FROM playbook_versions").await, versions, "nothing written");

    let ok = api.api_post("/api/v1/playbooks?key=welcome", &token, "text/markdown", MINI).await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    assert_eq!(ok.json()["outcome"], "created");
    let id = ok.json()["playbook"]["id"].as_str().unwrap().to_string();
    let same = api.api_post("/api/v1/playbooks?key=welcome", &token, "text/markdown", MINI).await;
    assert_eq!((same.status, same.json()["outcome"].as_str()), (StatusCode::OK, Some("unchanged")));
    let detail = api.api_get(&format!("/api/v1/playbooks/{id}"), &token).await;
    assert_eq!(detail.json()["versions"].as_array().unwrap().len(), 1);
    assert_eq!(api.api_get(&format!("/api/v1/playbooks/{id}/export"), &token).await.body, MINI);
    let json_body = api.api_post("/api/v1/playbooks", &token, "application/json", "{}").await;
    assert_eq!(json_body.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn each_success_criterion_says_what_measures_it_and_links_to_it_for_who_reads_results() {
    let app = TestApp::spawn().await;
    let (_, mut admin) = app.admin_client().await;
    let kickoff = playbook_id(&app, "recruitment-kickoff", "en").await;
    let body = admin.get(&format!("/playbooks/{kickoff}")).await.body;
    assert!(body.contains(r#"<a href="/indicators#indicator-client_nps">Measured by: Client NPS</a>"#), "{body}");
    assert!(body.contains(r#"<a href="/kickoffs">Measured by: Clarity</a>"#), "{body}");
    // The dashboard has the card the link points to.
    let dashboard = admin.get("/indicators").await.body;
    assert!(dashboard.contains(r#"id="indicator-client_nps""#), "{dashboard}");
    // Time to productivity is not computed: the article says so rather than promise it.
    let journey = playbook_id(&app, "employee-onboarding", "fr").await;
    let body = admin.get(&format!("/playbooks/{journey}")).await.body;
    assert!(body.contains("Pas encore mesuré par Embark") || body.contains("Not measured by Embark yet"), "{body}");
    assert!(body.contains("/indicators#indicator-enps"), "the eNPS is measured: {body}");

    // A coach reads the playbook but not the results: the figure is named, not linked.
    app.staff("Acme", "coach@example.test", "Cole", Role::Coach).await;
    let mut coach = app.client();
    coach.sign_in("coach@example.test", PASSWORD).await;
    let body = coach.get(&format!("/playbooks/{kickoff}")).await.body;
    assert!(body.contains("Measured by: Client NPS"), "{body}");
    assert!(!body.contains("/indicators#"), "no link to a page the coach may not open");
}
