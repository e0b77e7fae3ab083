//! The job queue under several workers.

use embark::jobs::Worker;
use embark_core::Role;

use crate::helpers::{sqlx_count, TestApp};

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
    assert_eq!(sqlx_count(&app.state, "SELECT COUNT(*) FROM jobs WHERE done_at IS NOT NULL").await, 6);
    assert_eq!(sqlx_count(&app.state, "SELECT COUNT(*) FROM emails").await, 6, "each email is in the outbox list once");
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
    let id: (String,) = sqlx::query_as("SELECT id FROM users WHERE email = 'gone@client.test'")
        .fetch_one(app.state.store.pool())
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
