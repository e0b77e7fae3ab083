//! Signing in and out: passwords, magic links, invitations, CSRF, rate limits, language.

use std::time::Duration;

use axum::http::StatusCode;
use embark_core::Role;

use crate::helpers::{count_rows, link_in, path_of, TestApp, PASSWORD};

#[tokio::test]
async fn staff_sign_in_with_a_password_and_see_their_workspace() {
    let app = TestApp::spawn().await;
    app.staff("Acme Search", "ada@acme.test", "Ada Lovelace", Role::Admin).await;
    let mut c = app.client();
    let r = c.get("/").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/login"), "{}", r.location());

    let r = c.sign_in("Ada@Acme.test", PASSWORD).await;
    assert_eq!(r.location(), "/");
    let cookie = r
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with("embark_session="))
        .unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");

    let home = c.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("Hello Ada"), "{}", home.body);
    assert!(home.body.contains("Acme Search"));
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_answer() {
    let app = TestApp::spawn().await;
    app.staff("Acme", "ada@acme.test", "Ada", Role::Admin).await;
    let mut c = app.client();
    let wrong = c.post_form("/login", &[("email", "ada@acme.test"), ("password", "not the password")]).await;
    let unknown = c.post_form("/login", &[("email", "nobody@acme.test"), ("password", "not the password")]).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("Email or password is incorrect."));
    // Same page apart from the email echoed back into the field.
    assert_eq!(wrong.body.replace("ada@acme.test", "X"), unknown.body.replace("nobody@acme.test", "X"));
    assert!(!c.jar.contains_key("embark_session"));
}

#[tokio::test]
async fn ten_failures_in_a_minute_are_rate_limited() {
    let app = TestApp::spawn().await;
    app.staff("Acme", "ada@acme.test", "Ada", Role::Admin).await;
    let mut c = app.client();
    for _ in 0..10 {
        let r = c.post_form("/login", &[("email", "ada@acme.test"), ("password", "wrong password!")]).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    // Even the right password is refused now.
    let r = c.post_form("/login", &[("email", "ada@acme.test"), ("password", PASSWORD)]).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("Too many failed attempts"));
    assert_eq!(r.headers.get("retry-after").unwrap(), "60", "the first failure expires in a minute");
    app.advance(std::time::Duration::from_secs(45));
    let r = c.post_form("/login", &[("email", "ada@acme.test"), ("password", PASSWORD)]).await;
    assert_eq!(r.headers.get("retry-after").unwrap(), "15");
    app.advance(std::time::Duration::from_secs(15));
    assert!(!c.jar.contains_key("embark_session"));
    // A minute later by the application's clock, the right password works again.
    c.sign_in("ada@acme.test", PASSWORD).await;
    assert!(c.jar.contains_key("embark_session"));
}

#[tokio::test]
async fn a_form_without_a_valid_csrf_token_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let (_, mut admin) = app.admin_client().await;
    let before = app.user_count().await;
    let fields = [("name", "Eve"), ("email", "eve@acme.test"), ("role", "admin"), ("locale", "en")];
    let r = admin.post_raw_form("/users/invite", &fields).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("Form expired"), "{}", r.body);
    let mut forged = fields.to_vec();
    forged.push(("_csrf", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
    let r = admin.post_raw_form("/users/invite", &forged).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(app.user_count().await, before);
    assert_eq!(app.drain_jobs().await, 0);
}

#[tokio::test]
async fn signing_out_ends_the_session() {
    let app = TestApp::spawn().await;
    let (_, mut c) = app.admin_client().await;
    let session = c.jar.get("embark_session").cloned().unwrap();
    let r = c.post_form("/logout", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(!c.jar.contains_key("embark_session"));
    // The old cookie no longer signs anyone in.
    c.jar.insert("embark_session".into(), session);
    assert_eq!(c.get("/").await.status, StatusCode::SEE_OTHER);
}

async fn invite_client(app: &TestApp) -> (crate::helpers::Client, String) {
    let (_, mut admin) = app.admin_client().await;
    let r = admin
        .post_form(
            "/users/invite",
            &[("name", "Claire Client"), ("email", "claire@client.test"), ("role", "client_contact"), ("locale", "fr")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(app.drain_jobs().await, 1);
    let mails = app.emails_to("claire@client.test");
    assert_eq!(mails.len(), 1);
    (admin, path_of(&link_in(&mails[0], "http")))
}

#[tokio::test]
async fn a_client_signs_in_once_with_the_emailed_link() {
    let app = TestApp::spawn().await;
    let (_, link) = invite_client(&app).await;
    let mail = &app.emails_to("claire@client.test")[0];
    assert_eq!(mail.locale, embark_core::Locale::Fr);
    assert!(mail.subject.contains("Acme"), "{}", mail.subject);
    assert!(mail.html.contains(&link));
    assert!(link.starts_with("/auth/link/"));

    let mut client = app.client();
    let page = client.get(&link).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Claire Client"));
    // Opening the link signs no one in: a click does (mail scanners open links).
    assert!(!client.jar.contains_key("embark_session"));
    let r = client.post_form(&link, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let home = client.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("Claire"));

    // Used once: a second browser gets a clear page and no session.
    let mut other = app.client();
    let again = other.get(&link).await;
    assert_eq!(again.status, StatusCode::GONE);
    assert!(again.body.contains("already used"), "{}", again.body);
    let again = other.post_form(&link, &[]).await;
    assert_eq!(again.status, StatusCode::GONE);
    assert!(!other.jar.contains_key("embark_session"));
}

#[tokio::test]
async fn an_expired_or_unknown_link_signs_no_one_in() {
    let app = TestApp::spawn().await;
    let (_, link) = invite_client(&app).await;
    app.state.clock.advance(Duration::from_secs(25 * 3600));
    let mut c = app.client();
    let r = c.get(&link).await;
    assert_eq!(r.status, StatusCode::GONE);
    assert!(r.body.contains("expired"), "{}", r.body);
    let r = c.post_form(&link, &[]).await;
    assert_eq!(r.status, StatusCode::GONE);
    assert!(!c.jar.contains_key("embark_session"));

    let r = c.get("/auth/link/not-a-real-token").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("not valid"));
}

#[tokio::test]
async fn asking_for_a_link_tells_nothing_about_who_has_an_account() {
    let app = TestApp::spawn().await;
    let (_, _) = invite_client(&app).await;
    let sent_before = app.emails().len();
    let mut c = app.client();
    let known = c.post_form("/login/link", &[("email", "claire@client.test")]).await;
    let unknown = c.post_form("/login/link", &[("email", "nobody@client.test")]).await;
    assert_eq!(known.status, StatusCode::OK);
    assert_eq!(unknown.status, StatusCode::OK);
    assert_eq!(known.body.replace("claire@client.test", "X"), unknown.body.replace("nobody@client.test", "X"));
    assert_eq!(app.drain_jobs().await, 1);
    assert_eq!(app.emails().len(), sent_before + 1);
    // Staff do not get links: they have a password.
    c.post_form("/login/link", &[("email", "admin@acme.test")]).await;
    assert_eq!(app.drain_jobs().await, 0);

    let bad = c.post_form("/login/link", &[("email", "not an email")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("valid email address"));
}

#[tokio::test]
async fn link_requests_are_rate_limited() {
    let app = TestApp::spawn().await;
    let mut c = app.client();
    for _ in 0..5 {
        assert_eq!(c.post_form("/login/link", &[("email", "x@client.test")]).await.status, StatusCode::OK);
    }
    let refused = c.post_form("/login/link", &[("email", "x@client.test")]).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.headers.get("retry-after").unwrap(), "60");
    app.advance(std::time::Duration::from_secs(60));
    assert_eq!(
        c.post_form("/login/link", &[("email", "x@client.test")]).await.status,
        StatusCode::OK,
        "a minute later"
    );
}

#[tokio::test]
async fn invited_staff_choose_a_password_then_sign_in_with_it() {
    let app = TestApp::spawn().await;
    let (_, mut admin) = app.admin_client().await;
    let r = admin
        .post_form(
            "/users/invite",
            &[("name", "Tom Manager"), ("email", "tom@acme.test"), ("role", "account_manager"), ("locale", "en")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    app.drain_jobs().await;
    let mail = &app.emails_to("tom@acme.test")[0];
    assert_eq!(mail.kind, "invitation");
    let link = path_of(&link_in(mail, "http"));
    assert!(link.starts_with("/auth/invitation/"), "{link}");

    let mut tom = app.client();
    assert_eq!(tom.get(&link).await.status, StatusCode::OK);
    let mismatch =
        tom.post_form(&link, &[("password", "a long enough one"), ("password_confirmation", "something else")]).await;
    assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(mismatch.body.contains("The two passwords differ."));
    let short = tom.post_form(&link, &[("password", "short"), ("password_confirmation", "short")]).await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count_rows(&app.state, "SELECT COUNT(*) FROM users WHERE password_hash IS NOT NULL").await, 1);

    let ok = tom
        .post_form(&link, &[("password", "a long enough one"), ("password_confirmation", "a long enough one")])
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(tom.get("/").await.status, StatusCode::OK);
    let mut again = app.client();
    again.sign_in("tom@acme.test", "a long enough one").await;
    assert_eq!(again.get(&link).await.status, StatusCode::GONE);
}

#[tokio::test]
async fn the_language_switch_is_remembered_on_the_account() {
    let app = TestApp::spawn().await;
    let (_, mut c) = app.admin_client().await;
    assert!(c.get("/").await.body.contains("<html lang=\"en\">"));
    let r = c.post_form("/locale", &[("locale", "fr"), ("next", "/account")]).await;
    assert_eq!(r.location(), "/account");
    let page = c.get("/account").await;
    assert!(page.body.contains("<html lang=\"fr\">"));
    assert!(page.body.contains("Mon compte"));
    // A new browser of the same person gets French from the account.
    let mut other = app.client();
    other.get_with("/login", &[("accept-language", "en")]).await;
    other.sign_in("admin@acme.test", PASSWORD).await;
    assert!(other.get("/").await.body.contains("Bonjour Ada"));
    // Anonymous visitors get their browser's language.
    let mut anon = app.client();
    assert!(anon.get_with("/login", &[("accept-language", "fr-FR,fr;q=0.9")]).await.body.contains("Connexion"));
    // An open redirect is not followed.
    let r = c.post_form("/locale", &[("locale", "en"), ("next", "https://evil.test/")]).await;
    assert_eq!(r.location(), "/");
    let bad = c.post_form("/locale", &[("locale", "de")]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_hundred_parallel_wrong_passwords_are_counted_before_they_are_checked() {
    let app = TestApp::spawn().await;
    app.staff("Acme", "ada@acme.test", "Ada", Role::Admin).await;
    let mut c = app.client();
    c.get("/login").await;
    let mut attempts = tokio::task::JoinSet::new();
    for _ in 0..100 {
        let mut c = c.fork();
        attempts.spawn(async move {
            c.post_form("/login", &[("email", "ada@acme.test"), ("password", "wrong password!")]).await.status
        });
    }
    let statuses = attempts.join_all().await;
    let checked = statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
    let refused = statuses.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!((checked, refused), (10, 90), "a limit of ten failures a minute");
}

#[tokio::test]
async fn an_email_in_two_workspaces_signs_in_to_the_one_named_or_else_the_oldest() {
    let app = TestApp::spawn().await;
    app.staff("Acme Search", "sam@both.test", "Sam", Role::AccountManager).await;
    embark::accounts::service::create_user_with_password(
        &app.state,
        "Borealis Talent",
        "sam@both.test",
        "Sam B",
        Role::AccountManager,
        "another long password",
        embark_core::Locale::En,
    )
    .await
    .unwrap();
    // Without a workspace, the oldest one's password is the one checked.
    let mut c = app.client();
    let r = c.post_form("/login", &[("email", "sam@both.test"), ("password", "another long password")]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.body.contains("Your email belongs to several workspaces?"), "the page offers the choice");
    c.sign_in("sam@both.test", PASSWORD).await;
    assert!(c.get("/").await.body.contains("Acme Search"));
    // Naming the other workspace (any case) signs in there.
    let mut b = app.client();
    let r = b
        .post_form(
            "/login",
            &[("email", "sam@both.test"), ("password", "another long password"), ("workspace", " borealis TALENT ")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(b.get("/").await.body.contains("Borealis Talent"));
    // A wrong workspace name keeps what was typed and says nothing more than a wrong password.
    let r = b
        .post_form("/login", &[("email", "sam@both.test"), ("password", PASSWORD), ("workspace", "Nowhere Ltd")])
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.body.contains("Email or password is incorrect.") && r.body.contains("value=\"Nowhere Ltd\""));
}

#[tokio::test]
async fn a_person_whose_role_signs_in_by_link_cannot_use_an_old_password() {
    let app = TestApp::spawn().await;
    let (_, mut admin) = app.admin_client().await;
    let tom = app.staff("Acme", "tom@acme.test", "Tom", Role::AccountManager).await;
    let mut t = app.client();
    t.sign_in("tom@acme.test", PASSWORD).await;
    let token = t.create_api_token("crm").await;
    assert_eq!(t.api_get("/api/v1/engagements", &token).await.status, StatusCode::OK);

    let r = admin.post_form(&format!("/users/{}/role", tom.id), &[("role", "client_contact")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // His session ended with the old role, his token no longer opens the API, and his
    // password is no way in for a role that signs in by emailed link.
    assert_eq!(t.get("/").await.status, StatusCode::SEE_OTHER);
    assert_eq!(t.api_get("/api/v1/engagements", &token).await.status, StatusCode::UNAUTHORIZED);
    let r = app.client().post_form("/login", &[("email", "tom@acme.test"), ("password", PASSWORD)]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        count_rows(
            &app.state,
            &format!("SELECT COUNT(*) FROM api_tokens WHERE user_id = '{}' AND revoked_at IS NULL", tom.id)
        )
        .await,
        0
    );
}

#[tokio::test]
async fn after_sign_in_only_a_local_path_is_followed_and_a_newline_is_no_error() {
    let app = TestApp::spawn().await;
    app.staff("Acme", "ada@acme.test", "Ada", Role::Admin).await;
    for next in ["/\t/evil.example/x", "/users\r\nSet-Cookie: x=y", "/\\evil.example"] {
        let mut c = app.client();
        let r = c.post_form("/login", &[("email", "ada@acme.test"), ("password", PASSWORD), ("next", next)]).await;
        assert_eq!((r.status, r.location()), (StatusCode::SEE_OTHER, "/"), "next = {next:?}");
    }
    let mut c = app.client();
    let r = c.post_form("/login", &[("email", "ada@acme.test"), ("password", PASSWORD), ("next", "/users?x=1")]).await;
    assert_eq!(r.location(), "/users?x=1");
}

#[tokio::test]
async fn behind_a_proxy_a_client_cannot_dodge_the_limit_by_writing_its_own_forwarded_address() {
    let app = TestApp::builder().setting("EMBARK_TRUST_PROXY", "true").spawn().await;
    app.staff("Acme", "ada@acme.test", "Ada", Role::Admin).await;
    let mut c = app.client();
    c.get("/login").await;
    let csrf = c.jar.get("embark_csrf").cloned().unwrap();
    let mut statuses = Vec::new();
    for i in 0..12 {
        let body = serde_urlencoded::to_string([
            ("email", "ada@acme.test"),
            ("password", "wrong password!"),
            ("_csrf", csrf.as_str()),
        ])
        .unwrap();
        let req = axum::http::Request::post("/login")
            .header("cookie", format!("embark_csrf={csrf}"))
            .header("content-type", "application/x-www-form-urlencoded")
            // The client writes the first entry; the proxy appends the address it saw.
            .header("x-forwarded-for", format!("10.9.{i}.1, 198.51.100.20"))
            .body(axum::body::Body::from(body))
            .unwrap();
        statuses.push(c.send(req).await.status);
    }
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count(), 10);
    assert_eq!(&statuses[10..], &[StatusCode::TOO_MANY_REQUESTS, StatusCode::TOO_MANY_REQUESTS]);
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_session_of_the_person_and_no_one_elses() {
    let app = TestApp::spawn().await;
    let (_, mut admin) = app.admin_client().await;
    app.staff("Acme", "tom@acme.test", "Tom", Role::AccountManager).await;
    let mut laptop = app.client();
    laptop.sign_in("tom@acme.test", PASSWORD).await;
    let mut phone = app.client();
    phone.sign_in("tom@acme.test", PASSWORD).await;
    let token = laptop.create_api_token("crm").await;
    assert!(phone.get("/account").await.body.contains("Sign out everywhere"));
    let r = phone.post_form("/logout/everywhere", &[]).await;
    assert_eq!((r.status, r.location()), (StatusCode::SEE_OTHER, "/login"));
    // Both of his browsers are signed out; his token and the admin's session stay.
    assert_eq!(laptop.get("/").await.status, StatusCode::SEE_OTHER);
    assert_eq!(phone.get("/").await.status, StatusCode::SEE_OTHER);
    assert_eq!(laptop.api_get("/api/v1/engagements", &token).await.status, StatusCode::OK);
    assert_eq!(admin.get("/").await.status, StatusCode::OK);
    assert!(admin.get("/admin/audit").await.body.contains("Signed out everywhere (sessions ended)"));
    // Without a session there is nothing to end: to the sign-in page, nothing written.
    let events = count_rows(&app.state, "SELECT COUNT(*) FROM audit_events").await;
    let r = app.client().post_form("/logout/everywhere", &[]).await;
    assert!(r.location().starts_with("/login"), "{}", r.location());
    assert_eq!(count_rows(&app.state, "SELECT COUNT(*) FROM audit_events").await, events);
}
