//! People management by admins, roles, deactivation, and workspace isolation.

use axum::http::StatusCode;
use embark_core::Role;

use crate::helpers::{count_rows, TestApp, PASSWORD};

#[tokio::test]
async fn admins_invite_people_and_see_them_listed() {
    let app = TestApp::spawn().await;
    let (_, mut admin) = app.admin_client().await;
    let r = admin
        .post_form(
            "/users/invite",
            &[("name", "Claire Client"), ("email", "Claire@Client.test"), ("role", "client_contact"), ("locale", "fr")],
        )
        .await;
    assert_eq!(r.location(), "/users?done=invited");
    let list = admin.get("/users?done=invited").await;
    assert!(list.body.contains("Invitation sent."));
    assert!(list.body.contains("Claire Client"));
    assert!(list.body.contains("claire@client.test"), "emails are stored lower-case");
    assert!(list.body.contains("2 people"));
    // The invitation goes out in French, to the address as stored.
    assert_eq!(app.drain_jobs().await, 1);
    let mail = app.emails_to("claire@client.test").pop().expect("an invitation email");
    assert_eq!(mail.kind, "sign_in_link", "a client is invited with a sign-in link");
    assert!(mail.subject.starts_with("Votre lien de connexion"), "{}", mail.subject);
}

#[tokio::test]
async fn a_bad_invitation_gets_a_message_per_field_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let (_, mut admin) = app.admin_client().await;
    let before = app.user_count().await;
    let r = admin
        .post_form("/users/invite", &[("name", ""), ("email", "not-an-email"), ("role", "pharaoh"), ("locale", "de")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for msg in [
        "Enter a name.",
        "Enter a valid email address",
        "Choose a role from the list.",
        "Choose French (fr) or English (en).",
    ] {
        assert!(r.body.contains(msg), "missing {msg:?}");
    }
    // What was typed is kept.
    assert!(r.body.contains("value=\"not-an-email\""));
    let dup = admin
        .post_form(
            "/users/invite",
            &[("name", "Ada Again"), ("email", "ADMIN@acme.test"), ("role", "admin"), ("locale", "en")],
        )
        .await;
    assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(dup.body.contains("already used"));
    assert_eq!(app.user_count().await, before);
    assert_eq!(app.drain_jobs().await, 0);
    // A form missing fields altogether is the same kind of answer, not a crash.
    let r = admin.post_form("/users/invite", &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn user_id(app: &TestApp, email: &str) -> String {
    let row: (String,) = embark_store::query_as("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(&mut app.state.store.db())
        .await
        .unwrap();
    row.0
}

#[tokio::test]
async fn roles_change_but_the_last_admin_stays() {
    let app = TestApp::spawn().await;
    let (admin, mut c) = app.admin_client().await;
    app.staff("Acme", "tom@acme.test", "Tom", Role::AccountManager).await;
    let tom = user_id(&app, "tom@acme.test").await;
    let r = c.post_form(&format!("/users/{tom}/role"), &[("role", "manager")]).await;
    assert_eq!(r.location(), format!("/users/{tom}?done=role"));
    assert!(c.get(&format!("/users/{tom}?done=role")).await.body.contains("Role changed."));
    assert_eq!(count_rows(&app.state, "SELECT COUNT(*) FROM users WHERE role = 'manager'").await, 1);

    let r = c.post_form(&format!("/users/{}/role", admin.id), &[("role", "coach")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("at least one active administrator"));
    let r = c.post_form(&format!("/users/{tom}/role"), &[("role", "emperor")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count_rows(&app.state, "SELECT COUNT(*) FROM users WHERE role = 'admin'").await, 1);
}

#[tokio::test]
async fn deactivation_signs_out_everywhere_and_blocks_sign_in() {
    let app = TestApp::spawn().await;
    let (admin, mut c) = app.admin_client().await;
    app.staff("Acme", "tom@acme.test", "Tom", Role::AccountManager).await;
    let mut tom = app.client();
    tom.sign_in("tom@acme.test", PASSWORD).await;
    assert_eq!(tom.get("/").await.status, StatusCode::OK);

    let id = user_id(&app, "tom@acme.test").await;
    let r = c.post_form(&format!("/users/{id}/active"), &[("active", "0")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(tom.get("/").await.status, StatusCode::SEE_OTHER, "session revoked");
    let again = tom.post_form("/login", &[("email", "tom@acme.test"), ("password", PASSWORD)]).await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);

    let me = c.post_form(&format!("/users/{}/active", admin.id), &[("active", "0")]).await;
    assert_eq!(me.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(me.body.contains("cannot deactivate your own account"));

    c.post_form(&format!("/users/{id}/active"), &[("active", "1")]).await;
    tom.sign_in("tom@acme.test", PASSWORD).await;
}

#[tokio::test]
async fn other_roles_cannot_manage_people() {
    let app = TestApp::spawn().await;
    app.staff("Acme", "admin@acme.test", "Ada", Role::Admin).await;
    app.staff("Acme", "tom@acme.test", "Tom", Role::AccountManager).await;
    let mut tom = app.client();
    tom.sign_in("tom@acme.test", PASSWORD).await;
    assert_eq!(tom.get("/users").await.status, StatusCode::FORBIDDEN);
    assert_eq!(tom.get("/admin/outbox").await.status, StatusCode::FORBIDDEN);
    let before = app.user_count().await;
    let r = tom
        .post_form("/users/invite", &[("name", "X"), ("email", "x@acme.test"), ("role", "admin"), ("locale", "en")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(app.user_count().await, before);
    let admin = user_id(&app, "admin@acme.test").await;
    assert_eq!(
        tom.post_form(&format!("/users/{admin}/active"), &[("active", "0")]).await.status,
        StatusCode::FORBIDDEN
    );
    // The navigation does not offer what is not allowed.
    let home = tom.get("/").await;
    assert!(!home.body.contains("href=\"/users\""));
}

#[tokio::test]
async fn another_workspace_is_not_found() {
    let app = TestApp::spawn().await;
    let (_, mut a) = app.admin_client().await;
    app.staff("Beta Corp", "bob@beta.test", "Bob Beta", Role::Admin).await;
    app.staff("Beta Corp", "amy@beta.test", "Amy Beta", Role::AccountManager).await;
    let amy = user_id(&app, "amy@beta.test").await;

    assert_eq!(a.get(&format!("/users/{amy}")).await.status, StatusCode::NOT_FOUND);
    let r = a.post_form(&format!("/users/{amy}/role"), &[("role", "admin")]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(a.post_form(&format!("/users/{amy}/active"), &[("active", "0")]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(a.post_form(&format!("/users/{amy}/resend"), &[]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(count_rows(&app.state, "SELECT COUNT(*) FROM users WHERE role = 'admin' AND active = 1").await, 2);
    let list = a.get("/users").await;
    assert!(!list.body.contains("Amy Beta"));
    assert_eq!(a.get("/users/not-an-id").await.status, StatusCode::NOT_FOUND);
    let nf = a.get("/no/such/page").await;
    assert_eq!(nf.status, StatusCode::NOT_FOUND);
    assert!(nf.body.contains("Page not found"));
}

#[tokio::test]
async fn the_people_list_pages_by_name() {
    let app = TestApp::spawn().await;
    let (_, mut c) = app.admin_client().await;
    for i in 0..55 {
        app.staff("Acme", &format!("p{i:02}@acme.test"), &format!("Person {i:02}"), Role::Coach).await;
    }
    let first = c.get("/users").await;
    assert!(first.body.contains("56 people"));
    assert!(first.body.contains("Ada Admin"));
    assert!(first.body.contains("Person 48"));
    assert!(!first.body.contains("Person 49"));
    let start = first.body.find("/users?after=").expect("a next page link");
    let href: String = first.body[start..].chars().take_while(|c| *c != '"').collect();
    let second = c.get(&href).await;
    assert_eq!(second.status, StatusCode::OK);
    assert!(second.body.contains("Person 49") && second.body.contains("Person 54"));
    assert!(!second.body.contains("Person 48"));
    assert!(!second.body.contains("/users?after="));
}

#[tokio::test]
async fn an_invitation_is_sent_again_on_request_and_bad_values_change_nothing() {
    let app = TestApp::spawn().await;
    let (_, mut admin) = app.admin_client().await;
    let r = admin
        .post_form(
            "/users/invite",
            &[("name", "Claire"), ("email", "claire@client.test"), ("role", "client_contact"), ("locale", "en")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(app.drain_jobs().await, 1);
    let id: (String,) = embark_store::query_as("SELECT id FROM users WHERE email = 'claire@client.test'")
        .fetch_one(&mut app.state.store.db())
        .await
        .unwrap();
    let r = admin.post_form(&format!("/users/{}/resend", id.0), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(app.drain_jobs().await, 1);
    let mails = app.emails_to("claire@client.test");
    assert_eq!(mails.len(), 2, "a second link");
    assert_ne!(crate::helpers::link_in(&mails[0], "http"), crate::helpers::link_in(&mails[1], "http"), "a new token");

    // `active` is 0 or 1: anything else is refused and changes nothing.
    let audit = count_rows(&app.state, "SELECT COUNT(*) FROM audit_events").await;
    let r = admin.post_form(&format!("/users/{}/active", id.0), &[("active", "2")]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(count_rows(&app.state, "SELECT COUNT(*) FROM users WHERE active = 1").await, 2);
    assert_eq!(count_rows(&app.state, "SELECT COUNT(*) FROM audit_events").await, audit);

    // A token needs a name.
    let tokens = count_rows(&app.state, "SELECT COUNT(*) FROM api_tokens").await;
    let r = admin.post_form("/account/tokens", &[("name", "   ")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(count_rows(&app.state, "SELECT COUNT(*) FROM api_tokens").await, tokens);
}

#[tokio::test]
async fn the_audit_trail_lists_who_changed_what_checks_its_chain_and_exports_it() {
    let app = TestApp::spawn().await;
    let (_, mut admin) = app.admin_client().await;
    let tom = app.staff("Acme", "tom@acme.test", "Tom", Role::AccountManager).await;
    let r = admin.post_form(&format!("/users/{}/role", tom.id), &[("role", "manager")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let token = admin.create_api_token("crm sync").await;

    let page = admin.get("/admin/audit").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Role changed") && page.body.contains("<td class=\"wrap-anywhere\">Manager</td>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("API token created") && page.body.contains("crm sync (emb_"), "{}", page.body);
    assert!(!page.body.contains(&token), "never the token itself");
    let users_only = admin.get("/admin/audit?kind=user").await;
    assert!(users_only.body.contains("Role changed") && !users_only.body.contains("API token created"));
    let checked = admin.get("/admin/audit?verify=true").await;
    assert!(checked.body.contains("The chain is intact:"), "{}", checked.body);

    // Someone rewrites history in the database: the check names the event.
    let seq: i64 = embark_store::query_scalar("SELECT seq FROM audit_events WHERE action = 'user.role_changed'")
        .fetch_one(&mut app.state.store.db())
        .await
        .unwrap();
    embark_store::query("UPDATE audit_events SET detail = 'admin' WHERE action = 'user.role_changed'")
        .execute(&mut app.state.store.db())
        .await
        .unwrap();
    let checked = admin.get("/admin/audit?verify=true").await;
    assert!(
        checked.body.contains(&format!("The chain is broken: event #{seq} was changed after it was written")),
        "{}",
        checked.body
    );

    let csv = admin.get("/admin/audit.csv?kind=token").await;
    assert!(csv.content_type().starts_with("text/csv"));
    assert!(csv.body.starts_with("\u{feff}seq,at,actor_id,actor,action,subject_id,detail,prev_hash,hash"));
    assert_eq!(csv.body.lines().count(), 2, "the header and the token's event: {}", csv.body);
    // The export itself is in the trail: who took the data out.
    let exports = admin.get("/admin/audit?kind=export").await;
    assert!(
        exports.body.contains("Audit trail exported as CSV") && exports.body.contains("Ada Admin"),
        "{}",
        exports.body
    );

    // French, with its typography; and only admins read it.
    admin.post_form("/locale", &[("locale", "fr"), ("next", "/admin/audit")]).await;
    let fr = admin.get("/admin/audit?verify=true").await;
    let broken = format!("La chaîne est rompue\u{a0}: l&#39;événement nº\u{a0}{seq} a été modifié");
    assert!(fr.body.contains(&broken), "{}", fr.body);
    assert!(fr.body.contains("Rôle modifié"));
    let mut tc = app.client();
    tc.sign_in("tom@acme.test", crate::helpers::PASSWORD).await;
    assert_eq!(tc.get("/admin/audit").await.status, StatusCode::FORBIDDEN);
    assert_eq!(tc.get("/admin/audit.csv").await.status, StatusCode::FORBIDDEN);
}
