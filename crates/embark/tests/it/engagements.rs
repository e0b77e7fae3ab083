//! Engagements over HTTP: starting one, gates, checkpoints, participants, reminders, the board.

use std::time::Duration;

use axum::http::StatusCode;
use embark_core::Role;

use crate::helpers::{count_rows, Client, TestApp, PASSWORD};

pub(crate) struct Kickoff {
    pub app: TestApp,
    pub am: Client,
    pub am_id: String,
    pub client_id: String,
    pub engagement: String,
}

pub(crate) async fn id_of(app: &TestApp, sql: &str, arg: &str) -> String {
    let row: (String,) = embark_store::query_as(sql).bind(arg).fetch_one(&mut app.state.store.db()).await.unwrap();
    row.0
}

/// An account manager starts a kick-off for a client contact, ten days ahead.
/// The state of one item (gate, step, checkpoint) of the fixture's engagement.
pub(crate) async fn item_state(k: &Kickoff, key: &str) -> String {
    let row: (String,) =
        embark_store::query_as("SELECT state FROM engagement_items WHERE engagement_id = $1 AND item_key = $2")
            .bind(&k.engagement)
            .bind(key)
            .fetch_one(&mut k.app.state.store.db())
            .await
            .unwrap();
    row.0
}

pub(crate) async fn kickoff() -> Kickoff {
    let app = TestApp::spawn().await;
    app.staff("Acme", "admin@acme.test", "Ada Admin", Role::Admin).await;
    let am = app.staff("Acme", "tom@acme.test", "Tom Account", Role::AccountManager).await;
    let mut admin = app.client();
    admin.sign_in("admin@acme.test", PASSWORD).await;
    admin
        .post_form(
            "/users/invite",
            &[("name", "Claire Client"), ("email", "claire@client.test"), ("role", "client_contact"), ("locale", "en")],
        )
        .await;
    app.drain_jobs().await;
    let client_id = id_of(&app, "SELECT id FROM users WHERE email = $1", "claire@client.test").await;
    let playbook =
        id_of(&app, "SELECT id FROM playbooks WHERE key = 'recruitment-kickoff' AND language = $1", "en").await;
    let mut c = app.client();
    c.sign_in("tom@acme.test", PASSWORD).await;
    // Ten days from now to the minute, so that reminder times are known exactly.
    let anchor = (app.now_in_paris() + jiff::Span::new().hours(240)).strftime("%Y-%m-%dT%H:%M").to_string();
    let am_pair = format!("account_manager:{}", am.id);
    let client_pair = format!("client_contact:{client_id}");
    let r = c
        .post_form(
            "/engagements",
            &[
                ("playbook_id", &playbook),
                ("title", "Head of Sales — Acme"),
                ("subject", "Acme"),
                ("anchor", &anchor),
                ("owner_id", ""),
                ("participant", &am_pair),
                ("participant", &client_pair),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let engagement = r.location().trim_start_matches("/engagements/").split('?').next().unwrap().to_string();
    Kickoff { app, am: c, am_id: am.id.to_string(), client_id, engagement }
}

#[tokio::test]
async fn an_account_manager_starts_a_kickoff_and_works_through_it() {
    let mut k = kickoff().await;
    let page = k.am.get(&format!("/engagements/{}?done=created", k.engagement)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Head of Sales — Acme"));
    assert!(page.body.contains("The kick-off</a> v1"));
    assert!(page.body.contains("Client agrees to return the scorecard at least 24 h before"));
    assert!(page.body.contains("Waiting for:"), "the first meeting step shows the open gates");
    assert_eq!(count_rows(&k.app.state, "SELECT COUNT(*) FROM engagement_items").await, 4 + 8 + 12);

    // A gate blocks: ticking a checkpoint of the first meeting step is refused and changes nothing.
    let base = format!("/engagements/{}/items", k.engagement);
    let r = k.am.post_form(&format!("{base}/ice-breaker.1"), &[("action", "done")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("cannot start while these prerequisites are open"), "{}", r.body);
    assert!(r.body.contains("Place, time, length and participants locked"));
    assert_eq!(count_rows(&k.app.state, "SELECT COUNT(*) FROM engagement_items WHERE state <> 'todo'").await, 0);

    // The AM closes the gates they own; the client's own gate is theirs, but staff who run engagements may close it too.
    for gate in ["scorecard-sent", "scorecard-return-agreed", "scorecard-mastered", "logistics-locked"] {
        let r = k.am.post_form(&format!("{base}/{gate}"), &[("action", "done")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{gate}: {}", r.body);
    }
    let r = k.am.post_form(&format!("{base}/ice-breaker.1"), &[("action", "done")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // The step's only checkpoint is ticked: the step is done too.
    let state: (String,) = embark_store::query_as("SELECT state FROM engagement_items WHERE item_key = 'ice-breaker'")
        .fetch_one(&mut k.app.state.store.db())
        .await
        .unwrap();
    assert_eq!(state.0, "done");

    // Skipping needs a reason; notes are kept.
    let r = k.am.post_form(&format!("{base}/structure"), &[("action", "skip"), ("reason", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Give a reason"));
    let r = k
        .am
        .post_form(&format!("{base}/structure"), &[("action", "skip"), ("reason", "announced by email beforehand")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    k.am.post_form(&format!("{base}/scorecard"), &[("action", "note"), ("note", "Salary range still open")]).await;
    let page = k.am.get(&format!("/engagements/{}", k.engagement)).await;
    assert!(page.body.contains("Salary range still open"));
    assert!(
        page.body.contains("skipped “Announce the structure of the meeting” — announced by email beforehand"),
        "{}",
        page.body
    );
    assert!(page.body.contains("6/12"), "4 gates + 2 steps closed of 12");

    // The board shows the progress.
    let board = k.am.get("/engagements").await;
    assert!(board.body.contains("Head of Sales — Acme"));
    assert!(board.body.contains("value=\"50\""), "{}", board.body);
    assert!(board.body.contains("Client confirmation received"), "the next due item is named: {}", board.body);
    assert_eq!(k.am.post_form(&format!("{base}/nope"), &[("action", "done")]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        k.am.post_form(&format!("{base}/structure"), &[("action", "explode")]).await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn only_an_admin_overrides_a_gate_and_the_reason_stays_in_the_timeline() {
    let mut k = kickoff().await;
    let base = format!("/engagements/{}", k.engagement);
    let r =
        k.am.post_form(&format!("{base}/override"), &[("step", "ice-breaker"), ("reason", "client in a hurry")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut admin = k.app.client();
    admin.sign_in("admin@acme.test", PASSWORD).await;
    let r = admin.post_form(&format!("{base}/override"), &[("step", "ice-breaker"), ("reason", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r =
        admin.post_form(&format!("{base}/override"), &[("step", "ice-breaker"), ("reason", "client in a hurry")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = k.am.post_form(&format!("{base}/items/ice-breaker.1"), &[("action", "done")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "the overridden step may start");
    let page = k.am.get(&base).await;
    assert!(page.body.contains("despite open prerequisites — client in a hurry"), "{}", page.body);
}

#[tokio::test]
async fn an_override_lets_one_step_start_and_the_others_behind_the_same_prerequisite_still_wait() {
    let app = TestApp::spawn().await;
    let (_, mut admin) = app.admin_client().await;
    let doc =
        "---\ntitle: First week\nlanguage: en\nkind: journey\nanchor: start_date\nroles: new_hire, manager\n---\n\n\
        ## Prerequisites {prerequisites}\n\n### Laptop ready\nowner: manager\n\n## Week one\n\n\
        ### Day one\nowner: manager\ndue: start_date\nrequires: laptop-ready\n\n\
        ### Day two\nowner: manager\ndue: start_date + 1d\nrequires: laptop-ready\n";
    let r = admin.post_form("/playbooks/import", &[("source", doc), ("key", "first-week")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let playbook = id_of(&app, "SELECT id FROM playbooks WHERE key = $1", "first-week").await;
    let r = admin
        .post_form(
            "/engagements",
            &[("playbook_id", &playbook), ("title", "Zoé's first week"), ("subject", "Zoé"), ("anchor", &app.day(7))],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let base = r.location().split('?').next().unwrap().to_string();
    let state = |key: &'static str| {
        let id = base.trim_start_matches("/engagements/").to_string();
        let app = &app;
        async move {
            let row: (String,) =
                embark_store::query_as("SELECT state FROM engagement_items WHERE engagement_id = $1 AND item_key = $2")
                    .bind(id)
                    .bind(key)
                    .fetch_one(&mut app.state.store.db())
                    .await
                    .unwrap();
            row.0
        }
    };
    let r = admin.post_form(&format!("{base}/override"), &[("step", "day-one"), ("reason", "laptop lent by IT")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = admin.post_form(&format!("{base}/items/day-one"), &[("action", "done")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "the overridden step may start: {}", r.body);
    assert_eq!(state("day-one").await, "done");
    // The other step behind the same open prerequisite still waits, and says for what.
    let r = admin.post_form(&format!("{base}/items/day-two"), &[("action", "done")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("Laptop ready"), "{}", r.body);
    assert_eq!(state("day-two").await, "todo", "nothing written");
    assert_eq!(state("laptop-ready").await, "todo", "the override closes no prerequisite");
}

#[tokio::test]
async fn a_client_sees_only_their_engagement_and_their_own_items() {
    let mut k = kickoff().await;
    // Another engagement the client is not part of.
    let playbook =
        id_of(&k.app, "SELECT id FROM playbooks WHERE key = 'client-onboarding' AND language = $1", "en").await;
    let r =
        k.am.post_form(
            "/engagements",
            &[
                ("playbook_id", &playbook),
                ("title", "Onboarding Beta"),
                ("subject", "Beta"),
                ("anchor", &k.app.day(34)),
            ],
        )
        .await;
    let other = r.location().trim_start_matches("/engagements/").split('?').next().unwrap().to_string();

    k.am.post_form("/login/link", &[("email", "claire@client.test")]).await;
    k.app.drain_jobs().await;
    let mail = k.app.emails_to("claire@client.test").pop().unwrap();
    let link = crate::helpers::path_of(&crate::helpers::link_in(&mail, "http"));
    let mut client = k.app.client();
    client.post_form(&link, &[]).await;

    let board = client.get("/engagements").await;
    assert!(board.body.contains("Head of Sales — Acme"));
    assert!(!board.body.contains("Onboarding Beta"));
    assert_eq!(client.get(&format!("/engagements/{other}")).await.status, StatusCode::NOT_FOUND);

    let page = client.get(&format!("/engagements/{}", k.engagement)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Client agrees to return the scorecard"), "their own gate");
    assert!(!page.body.contains("Scorecard mastered by the account manager"), "not the AM's items");
    assert!(!page.body.contains("Co-write and lock the scorecard"));

    let base = format!("/engagements/{}/items", k.engagement);
    assert_eq!(
        client.post_form(&format!("{base}/scorecard-return-agreed"), &[("action", "done")]).await.status,
        StatusCode::SEE_OTHER
    );
    // The scorecard sent is shared with her, but the firm's to close; its own prerequisite does not exist for her.
    assert_eq!(
        client.post_form(&format!("{base}/scorecard-sent"), &[("action", "done")]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        client.post_form(&format!("{base}/scorecard-mastered"), &[("action", "done")]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        client.post_form(&format!("/engagements/{}/anchor", k.engagement), &[("anchor", "2030-01-01")]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(client.get("/playbooks").await.status, StatusCode::FORBIDDEN);
    let _ = (&k.client_id, &k.am_id);
}

#[tokio::test]
async fn another_workspace_gets_not_found_everywhere() {
    let k = kickoff().await;
    k.app.staff("Beta", "bob@beta.test", "Bob", Role::Admin).await;
    let mut bob = k.app.client();
    bob.sign_in("bob@beta.test", PASSWORD).await;
    let base = format!("/engagements/{}", k.engagement);
    assert_eq!(bob.get(&base).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        bob.post_form(&format!("{base}/items/scorecard-sent"), &[("action", "done")]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        bob.post_form(&format!("{base}/override"), &[("step", "ice-breaker"), ("reason", "because")]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        bob.post_form(&format!("{base}/anchor"), &[("anchor", "2030-01-01")]).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(!bob.get("/engagements").await.body.contains("Head of Sales"));
    assert_eq!(count_rows(&k.app.state, "SELECT COUNT(*) FROM engagement_items WHERE state <> 'todo'").await, 0);
    let token = bob.create_api_token("x").await;
    let mut api = k.app.client();
    assert_eq!(
        api.api_get(&format!("/api/v1/engagements/{}", k.engagement), &token).await.status,
        StatusCode::NOT_FOUND
    );
    let r = api
        .api_post(
            &format!("/api/v1/engagements/{}/items/scorecard-sent", k.engagement),
            &token,
            "application/json",
            r#"{"state":"done"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_engagement_forms_name_their_fields_and_write_nothing() {
    let mut k = kickoff().await;
    let before = count_rows(&k.app.state, "SELECT COUNT(*) FROM engagements").await;
    let playbook =
        id_of(&k.app, "SELECT id FROM playbooks WHERE key = 'recruitment-kickoff' AND language = $1", "fr").await;
    let r =
        k.am.post_form(
            "/engagements",
            &[("playbook_id", &playbook), ("title", ""), ("subject", "Acme"), ("anchor", "next tuesday")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("This field is required.") && r.body.contains("Enter a date like"), "{}", r.body);
    let r =
        k.am.post_form(
            "/engagements",
            &[
                ("playbook_id", &playbook),
                ("title", "T"),
                ("subject", "S"),
                ("anchor", &k.app.day(34)),
                ("participant", "pharaoh:xyz"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r =
        k.am.post_form(
            "/engagements",
            &[("playbook_id", "nope"), ("title", "T"), ("subject", "S"), ("anchor", &k.app.day(34))],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count_rows(&k.app.state, "SELECT COUNT(*) FROM engagements").await, before);
    let mut coach_app = k.app.client();
    k.app.staff("Acme", "cole@acme.test", "Cole", Role::Coach).await;
    coach_app.sign_in("cole@acme.test", PASSWORD).await;
    let r = coach_app
        .post_form(
            "/engagements",
            &[("playbook_id", &playbook), ("title", "T"), ("subject", "S"), ("anchor", &k.app.day(34))],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        coach_app.get(&format!("/engagements/{}", k.engagement)).await.status,
        StatusCode::OK,
        "coaches watch every engagement"
    );
}

#[tokio::test]
async fn an_engagement_keeps_its_playbook_version_when_the_playbook_is_edited() {
    let mut k = kickoff().await;
    let mut admin = k.app.client();
    admin.sign_in("admin@acme.test", PASSWORD).await;
    let playbook =
        id_of(&k.app, "SELECT id FROM playbooks WHERE key = 'recruitment-kickoff' AND language = $1", "en").await;
    let source = admin.get(&format!("/playbooks/{playbook}/export")).await.body;
    let edited = source.replace("### Wrap up\n", "### Wrap up the meeting\nid: wrap-up\n");
    let r = admin.post_form(&format!("/playbooks/{playbook}/edit"), &[("source", &edited)]).await;
    assert!(r.location().ends_with("done=new_version"), "{}", r.body);
    let page = k.am.get(&format!("/engagements/{}", k.engagement)).await;
    assert!(page.body.contains("The kick-off</a> v1"));
    assert!(page.body.contains(">Wrap up <span"), "the pinned version's titles");
    assert!(!page.body.contains("Wrap up the meeting"));
}

#[tokio::test]
async fn due_items_remind_their_owners_once_and_moving_the_anchor_reschedules() {
    let mut k = kickoff().await;
    k.app.drain_jobs().await;
    let sent = k.app.emails().len();
    // Six days on: the gates due at kickoff - 72h are due within a day, nothing is overdue yet.
    k.app.state.clock.advance(Duration::from_secs(6 * 86_400 + 3600));
    let (a, b) = (embark::jobs::Worker::new(k.app.state.clone()), embark::jobs::Worker::new(k.app.state.clone()));
    let (ra, rb) = tokio::join!(a.run_once(), b.run_once());
    assert!(ra.unwrap() + rb.unwrap() > 0);
    k.app.drain_jobs().await;
    let soon: Vec<_> = k.app.emails().into_iter().skip(sent).collect();
    let to_client: Vec<_> = soon.iter().filter(|e| e.to == "claire@client.test").collect();
    assert_eq!(
        to_client.len(),
        1,
        "one reminder for the client's gate: {:?}",
        soon.iter().map(|e| (&e.to, &e.subject)).collect::<Vec<_>>()
    );
    assert!(
        to_client[0].subject.starts_with("Due tomorrow: Client agrees to return the scorecard"),
        "{}",
        to_client[0].subject
    );
    assert!(to_client[0].text.contains(&format!("/engagements/{}", k.engagement)));
    let tom: Vec<_> = soon.iter().filter(|e| e.to == "tom@acme.test").map(|e| e.subject.clone()).collect();
    assert!(tom.iter().any(|s| s.contains("Client educated on the scorecard")), "{tom:?}");
    // Draining again sends nothing more.
    k.app.drain_jobs().await;
    assert_eq!(k.app.emails().len(), sent + soon.len());

    // The AM moves the kick-off a month later: the overdue reminders of the old dates send nothing.
    let later = k.app.day_at(40, "10:00");
    let r = k.am.post_form(&format!("/engagements/{}/anchor", k.engagement), &[("anchor", &later)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    k.app.state.clock.advance(Duration::from_secs(2 * 86_400));
    k.app.drain_jobs().await;
    let after: Vec<_> =
        k.app.emails().into_iter().skip(sent + soon.len()).filter(|e| e.subject.starts_with("Overdue")).collect();
    assert!(after.is_empty(), "{:?}", after.iter().map(|e| &e.subject).collect::<Vec<_>>());
    let page = k.am.get(&format!("/engagements/{}", k.engagement)).await;
    assert!(!page.body.contains("is-overdue"));

    // Past the new dates, the overdue reminders of the new dates are sent, once each.
    let before = k.app.emails().len();
    k.app.advance(Duration::from_secs(40 * 86_400));
    k.app.drain_jobs().await;
    let overdue: Vec<_> =
        k.app.emails().into_iter().skip(before).filter(|e| e.subject.starts_with("Overdue")).collect();
    assert!(
        overdue
            .iter()
            .any(|e| e.to == "claire@client.test" && e.subject.contains("Client agrees to return the scorecard")),
        "{:?}",
        overdue.iter().map(|e| (&e.to, &e.subject)).collect::<Vec<_>>()
    );
    // Forty days on, the session has expired: sign in again.
    k.am.sign_in("tom@acme.test", PASSWORD).await;
    let page = k.am.get(&format!("/engagements/{}", k.engagement)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("is-overdue"), "the late items are shown as late");
    let sent = k.app.emails().len();
    k.app.drain_jobs().await;
    assert_eq!(k.app.emails().len(), sent, "each reminder goes out once");
}

#[tokio::test]
async fn the_engagement_api_starts_lists_and_updates() {
    let mut k = kickoff().await;
    let token = k.am.create_api_token("crm").await;
    let mut api = k.app.client();
    let list = api.api_get("/api/v1/engagements", &token).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.json()["items"][0]["title"], "Head of Sales — Acme");
    assert_eq!(list.json()["items"][0]["items_total"], 12);

    let playbook =
        id_of(&k.app, "SELECT id FROM playbooks WHERE key = 'employee-onboarding' AND language = $1", "fr").await;
    let bad = api
        .api_post(
            "/api/v1/engagements",
            &token,
            "application/json",
            &format!(r#"{{"playbook_id":"{playbook}","title":"Zoé","subject":"Zoé","anchor":"soon"}}"#),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["errors"][0]["field"], "anchor");
    let missing = api.api_post("/api/v1/engagements", &token, "application/json", r#"{"title":"x"}"#).await;
    assert_eq!(missing.json()["errors"][0]["field"], "playbook_id");
    // A date alone means 09:00 on that day in the workspace's time zone.
    let start = k.app.day(90);
    let nine_in_paris: jiff::civil::DateTime = format!("{start}T09:00").parse().unwrap();
    let expected = nine_in_paris.to_zoned(jiff::tz::TimeZone::get("Europe/Paris").unwrap()).unwrap().timestamp();
    let ok = api
        .api_post(
            "/api/v1/engagements",
            &token,
            "application/json",
            &format!(r#"{{"playbook_id":"{playbook}","title":"Arrivée de Zoé","subject":"Zoé","anchor":"{start}"}}"#),
        )
        .await;
    assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
    let id = ok.json()["id"].as_str().unwrap().to_string();
    assert_eq!(ok.json()["anchor_at"], expected.to_string(), "09:00 in Paris");

    let blocked = api
        .api_post(
            &format!("/api/v1/engagements/{id}/items/welcome-message"),
            &token,
            "application/json",
            r#"{"state":"done"}"#,
        )
        .await;
    assert_eq!(blocked.status, StatusCode::CONFLICT, "{}", blocked.body);
    assert!(blocked.json()["detail"].as_str().unwrap().contains("offer-signed"));
    let r = api
        .api_post(
            &format!("/api/v1/engagements/{id}/items/offer-signed"),
            &token,
            "application/json",
            r#"{"state":"done"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = api
        .api_post(
            &format!("/api/v1/engagements/{id}/items/welcome-message"),
            &token,
            "application/json",
            r#"{"state":"skipped"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "skipping needs a reason");
    let r = api
        .api_post(
            &format!("/api/v1/engagements/{id}/items/welcome-message"),
            &token,
            "application/json",
            r#"{"state":"finished"}"#,
        )
        .await;
    assert_eq!(r.json()["errors"][0]["field"], "state");
    let r = api
        .api_post(
            &format!("/api/v1/engagements/{id}/items/welcome-message"),
            &token,
            "application/json",
            r#"{"state":"done","note":"sent on Friday"}"#,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let detail = api.api_get(&format!("/api/v1/engagements/{id}"), &token).await.json();
    let item = detail["items"].as_array().unwrap().iter().find(|i| i["key"] == "welcome-message").unwrap().clone();
    assert_eq!((item["state"].as_str(), item["note"].as_str()), (Some("done"), Some("sent on Friday")));
    assert_eq!(detail["items_closed"], 2);
}

#[tokio::test]
async fn recording_the_account_managers_certification_closes_the_gate_that_waits_for_it() {
    let mut k = kickoff().await;
    let mut admin = k.app.client();
    admin.sign_in("admin@acme.test", PASSWORD).await;
    let gate_state = |app: &TestApp| {
        let mut db = app.state.store.db();
        async move {
            let row: (String,) =
                embark_store::query_as("SELECT state FROM engagement_items WHERE item_key = 'scorecard-mastered'")
                    .fetch_one(&mut db)
                    .await
                    .unwrap();
            row.0
        }
    };
    assert_eq!(gate_state(&k.app).await, "todo");

    // A date in the past, or no date, is refused and records nothing.
    let url = format!("/users/{}/certifications", k.am_id);
    let reason = ("reason", "Certified on paper in 2025");
    let r = admin.post_form(&url, &[("expires_on", "2020-01-01"), reason]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Give a date in the future"), "{}", r.body);
    assert!(r.body.contains("value=\"2020-01-01\""), "what was typed is kept: {}", r.body);
    assert_eq!(admin.post_form(&url, &[("expires_on", "soon"), reason]).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    // An override says why: without a reason, nothing is recorded, and the date typed stays.
    let r = admin.post_form(&url, &[("expires_on", "2099-12-31"), ("reason", "  ")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Say why the certification is recorded by hand"), "{}", r.body);
    assert!(r.body.contains("value=\"2099-12-31\""), "{}", r.body);
    assert_eq!(count_rows(&k.app.state, "SELECT COUNT(*) FROM certifications").await, 0);
    // Only admins record them; a client contact cannot hold one.
    assert_eq!(k.am.post_form(&url, &[("expires_on", "2099-01-01"), reason]).await.status, StatusCode::FORBIDDEN);
    let client = admin
        .post_form(&format!("/users/{}/certifications", k.client_id), &[("expires_on", "2099-01-01"), reason])
        .await;
    assert_eq!(client.status, StatusCode::UNPROCESSABLE_ENTITY);

    let r = admin.post_form(&url, &[("expires_on", "2099-12-31"), reason]).await;
    assert_eq!(r.location(), format!("/users/{}?done=certified", k.am_id));
    assert_eq!(gate_state(&k.app).await, "done");
    let page = k.am.get(&format!("/engagements/{}", k.engagement)).await;
    assert!(page.body.contains("“Scorecard mastered by the account manager” closed by itself"), "{}", page.body);
    assert!(
        page.body.contains("Certified on paper in 2025"),
        "the override's reason is in the timeline: {}",
        page.body
    );
    let user_page = admin.get(&format!("/users/{}?done=certified", k.am_id)).await;
    assert!(user_page.body.contains("valid until 2099-12-31"), "{}", user_page.body);
    assert!(user_page.body.contains("Certified on paper in 2025"), "{}", user_page.body);

    // A new kick-off run by a certified account manager starts with that gate closed.
    let playbook: (String,) =
        embark_store::query_as("SELECT id FROM playbooks WHERE key = 'recruitment-kickoff' AND language = 'fr'")
            .fetch_one(&mut k.app.state.store.db())
            .await
            .unwrap();
    let pair = format!("account_manager:{}", k.am_id);
    let r =
        k.am.post_form(
            "/engagements",
            &[
                ("playbook_id", &playbook.0),
                ("title", "Second"),
                ("subject", "Acme"),
                ("anchor", &k.app.day_at(180, "10:00")),
                ("participant", &pair),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        count_rows(
            &k.app.state,
            "SELECT COUNT(*) FROM engagement_items WHERE item_key = 'scorecard-mastered' AND state = 'done'"
        )
        .await,
        2
    );
}

#[tokio::test]
async fn certifications_of_another_workspace_are_not_found() {
    let k = kickoff().await;
    k.app.staff("Beta", "bob@beta.test", "Bob", Role::Admin).await;
    let mut bob = k.app.client();
    bob.sign_in("bob@beta.test", PASSWORD).await;
    let r = bob
        .post_form(&format!("/users/{}/certifications", k.am_id), &[("expires_on", "2099-01-01"), ("reason", "x")])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(count_rows(&k.app.state, "SELECT COUNT(*) FROM certifications").await, 0);
}

#[tokio::test]
async fn an_engagement_is_cancelled_with_its_reason_and_its_reminders_stop() {
    let mut k = kickoff().await;
    k.app.drain_jobs().await;
    let url = format!("/engagements/{}/cancel", k.engagement);
    let events = || count_rows(&k.app.state, "SELECT COUNT(*) FROM engagement_events");
    let before = events().await;

    // A reason is required; nothing changes without one.
    let r = k.am.post_form(&url, &[("reason", " ")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Give a reason"), "{}", r.body);
    assert_eq!(events().await, before);
    assert_eq!(count_rows(&k.app.state, "SELECT COUNT(*) FROM engagements WHERE state = 'active'").await, 1);

    // The client may not cancel the firm's engagement.
    let mut client = k.app.client();
    let mails = k.app.emails_to("claire@client.test");
    client.sign_in_with_link(&crate::helpers::link_in(mails.last().unwrap(), "http")).await;
    let r = client.post_form(&url, &[("reason", "I changed my mind")]).await;
    assert!(matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{}", r.status);
    assert_eq!(events().await, before);

    let r = k.am.post_form(&url, &[("reason", "The client hired internally")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("/engagements/{}?done=cancelled", k.engagement));
    let page = k.am.get(r.location()).await;
    assert!(page.body.contains("Engagement cancelled; its reminders are stopped."));
    assert!(page.body.contains("Tom Account cancelled the engagement — The client hired internally"), "{}", page.body);
    assert!(!page.body.contains("id=\"cancel-form\""), "no second cancellation offered");
    // Nothing can be ticked any more, and a second cancellation is refused.
    let r = k.am.post_form(&format!("/engagements/{}/items/scorecard-sent", k.engagement), &[("action", "done")]).await;
    assert!(r.status.is_client_error(), "{}", r.status);
    assert_eq!(item_state(&k, "scorecard-sent").await, "todo");
    let r = k.am.post_form(&url, &[("reason", "Again")]).await;
    assert!(r.body.contains("already completed or cancelled"), "{}", r.body);

    // Its reminders find it cancelled and send nothing, even once everything is overdue.
    let sent = k.app.emails().len();
    k.app.advance(Duration::from_secs(12 * 86_400));
    assert!(k.app.drain_jobs().await > 0, "the reminders ran");
    assert_eq!(k.app.emails().len(), sent, "and sent nothing");

    // The API cancels too, and says what is wrong.
    let mut tom = k.app.client();
    tom.sign_in("tom@acme.test", PASSWORD).await;
    let token = tom.create_api_token("crm").await;
    let playbook =
        id_of(&k.app, "SELECT id FROM playbooks WHERE key = 'client-onboarding' AND language = $1", "en").await;
    let created = tom
        .api_post(
            "/api/v1/engagements",
            &token,
            "application/json",
            &format!(r#"{{"playbook_id":"{playbook}","title":"Beta","subject":"Beta","anchor":"{}"}}"#, k.app.day(40)),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["id"].as_str().unwrap().to_string();
    let cancel = format!("/api/v1/engagements/{id}/cancel");
    let r = tom.api_post(&cancel, &token, "application/json", r#"{"reason":"no"}"#).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"][0]["field"], "reason");
    let r = tom.api_post(&cancel, &token, "application/json", r#"{"reason":"Budget frozen"}"#).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let r = tom.api_get(&format!("/api/v1/engagements/{id}"), &token).await;
    assert_eq!(r.json()["state"], "cancelled", "{}", r.body);
    let r =
        tom.api_post("/api/v1/engagements/not-an-id/cancel", &token, "application/json", r#"{"reason":"x y z"}"#).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn recording_the_signed_offer_closes_the_gate_the_pre_boarding_waits_for() {
    let app = TestApp::spawn().await;
    app.staff("Acme", "ada@acme.test", "Ada Admin", Role::Admin).await;
    let manager = app.staff("Acme", "max@acme.test", "Max Manager", Role::Manager).await;
    let mut ada = app.client();
    ada.sign_in("ada@acme.test", PASSWORD).await;
    let playbook =
        id_of(&app, "SELECT id FROM playbooks WHERE key = 'employee-onboarding' AND language = $1", "en").await;
    let pair = format!("manager:{}", manager.id);
    let r = ada
        .post_form(
            "/engagements",
            &[
                ("playbook_id", &playbook),
                ("title", "Zoe joins"),
                ("subject", "Zoe"),
                ("anchor", &app.day(30)),
                ("participant", &pair),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = r.location().trim_start_matches("/engagements/").split('?').next().unwrap().to_string();
    let k = Kickoff { app, am: ada, am_id: String::new(), client_id: String::new(), engagement: id.clone() };
    let mut ada = k.am.clone();

    // The pre-boarding waits for the offer; the page offers to record it.
    let page = ada.get(&format!("/engagements/{id}")).await;
    assert!(page.body.contains("id=\"offer-signed\""), "{}", page.body);
    let r = ada.post_form(&format!("/engagements/{id}/items/welcome-message"), &[("action", "done")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "blocked by the offer");

    let r = ada.post_form(&format!("/engagements/{id}/offer-signed"), &[]).await;
    assert_eq!(r.location(), format!("/engagements/{id}?done=offer_signed"));
    assert_eq!(item_state(&k, "offer-signed").await, "done");
    let page = ada.get(r.location()).await;
    assert!(page.body.contains("Signed offer recorded"));
    assert!(page.body.contains("Ada Admin recorded the signed offer"), "{}", page.body);
    assert!(page.body.contains("closed by itself"), "{}", page.body);
    assert!(!page.body.contains("id=\"offer-signed\""), "nothing left to record");
    let r = ada.post_form(&format!("/engagements/{id}/items/welcome-message"), &[("action", "done")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "the pre-boarding can start: {}", r.body);

    // Recording it again changes nothing and says why.
    let events = count_rows(&k.app.state, "SELECT COUNT(*) FROM engagement_events").await;
    let r = ada.post_form(&format!("/engagements/{id}/offer-signed"), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Nothing in this engagement waits for the signed offer"), "{}", r.body);
    assert_eq!(count_rows(&k.app.state, "SELECT COUNT(*) FROM engagement_events").await, events);
    // Through the API as well: the problem names the reason.
    let token = ada.create_api_token("hris").await;
    let r = ada.api_post(&format!("/api/v1/engagements/{id}/offer-signed"), &token, "application/json", "").await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(r.json()["errors"][0]["field"], "offer");
}

#[tokio::test]
async fn a_closed_item_reopens_and_a_bad_anchor_changes_nothing() {
    let mut k = kickoff().await;
    let closed = || {
        let (state, id) = (k.app.state.clone(), k.engagement.clone());
        async move { count_rows(&state, &format!("SELECT items_closed FROM engagements WHERE id = '{id}'")).await }
    };
    let base = format!("/engagements/{}/items", k.engagement);
    assert_eq!(
        k.am.post_form(&format!("{base}/scorecard-sent"), &[("action", "done")]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(closed().await, 1);
    let r = k.am.post_form(&format!("{base}/scorecard-sent"), &[("action", "reopen")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(item_state(&k, "scorecard-sent").await, "todo");
    assert_eq!(closed().await, 0, "the board's progress follows");
    let page = k.am.get(&format!("/engagements/{}", k.engagement)).await;
    assert!(page.body.contains("Tom Account reopened “Client educated on the scorecard"), "{}", page.body);
    let r = k.am.post_form(&format!("{base}/scorecard-sent"), &[("action", "fly")]).await;
    assert!(r.status.is_client_error(), "an unknown action: {}", r.status);
    assert_eq!(item_state(&k, "scorecard-sent").await, "todo");

    // An anchor that is not a date keeps every due date where it was.
    let dues = || async {
        embark_store::query_as::<(String, Option<i64>)>(
            "SELECT item_key, due_at FROM engagement_items ORDER BY item_key",
        )
        .fetch_all(&mut k.app.state.store.db())
        .await
        .unwrap()
    };
    let before = dues().await;
    let jobs = count_rows(&k.app.state, "SELECT COUNT(*) FROM jobs").await;
    let r = k.am.post_form(&format!("/engagements/{}/anchor", k.engagement), &[("anchor", "next tuesday")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Enter a date like"), "{}", r.body);
    assert_eq!(dues().await, before);
    assert_eq!(count_rows(&k.app.state, "SELECT COUNT(*) FROM jobs").await, jobs, "no reminder scheduled");
    k.app.drain_jobs().await;
}

/// The titles on a board page, top to bottom, and its "next page" query.
pub(crate) fn board_titles(body: &str) -> (Vec<String>, Option<String>) {
    let titles = body
        .split("class=\"board-title\"")
        .skip(1)
        .map(|s| s.split_once('>').unwrap().1.split_once('<').unwrap().0.to_string())
        .collect();
    let next = body
        .split_once("class=\"pager\"><a class=\"button\" href=\"/engagements?")
        .map(|(_, rest)| rest.split_once('"').unwrap().0.replace("&amp;", "&"));
    (titles, next)
}

#[tokio::test]
async fn the_board_pages_through_every_engagement_once_with_its_filters_on_the_page_and_the_api() {
    let mut k = kickoff().await;
    let token = k.am.create_api_token("board").await;
    let onboarding =
        id_of(&k.app, "SELECT id FROM playbooks WHERE key = 'client-onboarding' AND language = $1", "en").await;
    let kickoff_playbook =
        id_of(&k.app, "SELECT id FROM playbooks WHERE key = 'recruitment-kickoff' AND language = $1", "en").await;
    // 59 more engagements: 60 in all, 30 of each playbook, with different next due dates.
    for i in 0..59 {
        let playbook = if i % 2 == 0 { &onboarding } else { &kickoff_playbook };
        let body = format!(
            r#"{{"playbook_id":"{playbook}","title":"E{i:02}","subject":"S","anchor":"{}"}}"#,
            k.app.day_at(20 + i, "10:00")
        );
        let r = k.am.api_post("/api/v1/engagements", &token, "application/json", &body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    k.app.drain_jobs().await;

    // The page: 50, then the other 10, each once.
    let first = k.am.get("/engagements").await;
    let (mut seen, next) = board_titles(&first.body);
    assert_eq!(seen.len(), 50);
    let next = next.expect("a next page");
    let second = k.am.get(&format!("/engagements?{next}")).await;
    let (rest, last) = board_titles(&second.body);
    assert_eq!(rest.len(), 10);
    assert!(last.is_none(), "no page after the last");
    seen.extend(rest);
    let unique: std::collections::BTreeSet<_> = seen.iter().collect();
    assert_eq!(unique.len(), 60, "every engagement once");

    // A filter keeps to its playbook and is kept by the next link.
    let (filtered, next) = board_titles(&k.am.get(&format!("/engagements?playbook={onboarding}")).await.body);
    assert_eq!(filtered.len(), 30);
    assert!(filtered.iter().all(|t| t.starts_with('E') && t[1..].parse::<u32>().unwrap() % 2 == 0), "{filtered:?}");
    assert!(next.is_none());
    let r = k.am.get("/engagements?playbook=not-an-id").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "a filter that does not parse");

    // The API: pages of 7 through all 60, once each, and its filters.
    let mut ids = std::collections::BTreeSet::new();
    let mut after: Option<String> = None;
    let mut pages = 0;
    loop {
        let url = match &after {
            Some(a) => format!("/api/v1/engagements?limit=7&after={a}"),
            None => "/api/v1/engagements?limit=7".to_string(),
        };
        let page = k.am.api_get(&url, &token).await.json();
        pages += 1;
        for item in page["items"].as_array().unwrap() {
            assert!(ids.insert(item["id"].as_str().unwrap().to_string()), "seen twice: {item}");
        }
        match page["next"].as_str() {
            Some(n) => after = Some(n.to_string()),
            None => break,
        }
    }
    assert_eq!((ids.len(), pages), (60, 9));
    let only = k.am.api_get(&format!("/api/v1/engagements?playbook={kickoff_playbook}&limit=200"), &token).await.json();
    assert_eq!(only["items"].as_array().unwrap().len(), 30);
    for bad in ["limit=0", "limit=201", "after=%%%", "state=asleep"] {
        let r = k.am.api_get(&format!("/api/v1/engagements?{bad}"), &token).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {}", r.body);
    }
}
