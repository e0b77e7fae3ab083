//! Surveys end to end over HTTP: the eNPS step of a new hire's journey falls due, the
//! survey is emailed with a single-use link, answered once (anonymously), the step is
//! done by itself, and the results say what they can and hide what they must.

use std::time::Duration;

use axum::http::StatusCode;
use embark_core::Role;

use crate::engagements::id_of;
use crate::helpers::{count_rows, link_in, path_of, Client, TestApp, PASSWORD};

const DAY: Duration = Duration::from_secs(86_400);

struct Journey {
    app: TestApp,
    admin: Client,
    engagement: String,
    hire_email: String,
}

/// An admin invites Zoé (a new hire, in `locale`) and starts the built-in employee
/// onboarding (English) for her, starting in `days`, with `manager` (a user id) if any.
/// Returns her id and the engagement's.
pub(crate) async fn start_journey(
    app: &TestApp,
    admin: &mut Client,
    locale: &str,
    days: i64,
    manager: Option<&str>,
) -> (String, String) {
    let r = admin
        .post_form(
            "/users/invite",
            &[("name", "Zoé Lambert"), ("email", "zoe@acme.test"), ("role", "new_hire"), ("locale", locale)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let hire = id_of(app, "SELECT id FROM users WHERE email = $1", "zoe@acme.test").await;
    let playbook =
        id_of(app, "SELECT id FROM playbooks WHERE key = 'employee-onboarding' AND language = $1", "en").await;
    let hire_pair = format!("new_hire:{hire}");
    let manager_pair = manager.map(|m| format!("manager:{m}"));
    let anchor = app.day(days);
    let mut fields = vec![
        ("playbook_id", playbook.as_str()),
        ("title", "Zoé joins the Lyon office"),
        ("subject", "Zoé Lambert"),
        ("anchor", anchor.as_str()),
        ("participant", hire_pair.as_str()),
    ];
    if let Some(pair) = &manager_pair {
        fields.push(("participant", pair.as_str()));
    }
    let r = admin.post_form("/engagements", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let engagement = r.location().trim_start_matches("/engagements/").split('?').next().unwrap().to_string();
    app.allow_leftover_jobs();
    (hire, engagement)
}

/// Zoé's journey, started tomorrow by Ada with Max as her manager.
async fn journey(hire_locale: &str) -> Journey {
    let app = TestApp::spawn().await;
    app.staff("Acme", "ada@acme.test", "Ada Admin", Role::Admin).await;
    let manager = app.staff("Acme", "max@acme.test", "Max Manager", Role::Manager).await;
    let mut admin = app.client();
    admin.sign_in("ada@acme.test", PASSWORD).await;
    let manager_id = manager.id.to_string();
    let (_, engagement) = start_journey(&app, &mut admin, hire_locale, 1, Some(&manager_id)).await;
    Journey { app, admin, engagement, hire_email: "zoe@acme.test".to_string() }
}

async fn step_state(app: &TestApp, engagement: &str, key: &str) -> String {
    let row: (String,) =
        embark_store::query_as("SELECT state FROM engagement_items WHERE engagement_id = $1 AND item_key = $2")
            .bind(engagement)
            .bind(key)
            .fetch_one(&mut app.state.store.db())
            .await
            .unwrap();
    row.0
}

#[tokio::test]
async fn the_enps_is_sent_when_its_step_falls_due_and_answered_once_anonymously() {
    let mut j = journey("fr").await;
    let app = &j.app;
    app.drain_jobs().await;
    assert!(!app.emails_to(&j.hire_email).iter().any(|e| e.kind == "survey"), "nothing is asked before day 7");
    assert_eq!(count_rows(&app.state, "SELECT COUNT(*) FROM survey_sends").await, 0);

    // Day 8: the day-7 step fell due; the survey goes to the new hire (in her language), once.
    app.advance(8 * DAY);
    app.drain_jobs().await;
    app.drain_jobs().await;
    let mails: Vec<_> = app.emails_to(&j.hire_email).into_iter().filter(|e| e.kind == "survey").collect();
    assert_eq!(mails.len(), 1, "one survey email: {:?}", mails.iter().map(|m| &m.subject).collect::<Vec<_>>());
    let mail = &mails[0];
    assert_eq!(mail.subject, "Vos premières semaines");
    assert!(mail.text.contains("Recommanderiez-vous votre nouvelle entreprise à vos amis\u{202f}?"), "{}", mail.text);
    assert!(mail.text.contains("Votre réponse est anonyme"), "{}", mail.text);
    assert!(!app.emails_to("max@acme.test").iter().any(|e| e.kind == "survey"), "the manager is not asked");
    let url = link_in(mail, "/s/");
    let path = path_of(&url);

    // The page asks the question in her language, without signing in.
    let mut zoe = app.client();
    let page = zoe.get(&path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Zoé joins the Lyon office"), "{}", page.body);
    assert!(page.body.contains("name=\"score\" value=\"10\""));

    // A score off the scale is refused next to the field, keeps the comment, records nothing.
    let comment = "Accueil chaleureux, mais mon ordinateur est arrivé au bout de trois jours.";
    let r = zoe.post_form(&path, &[("score", "11"), ("comment", comment)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("id=\"score-error\""), "{}", r.body);
    assert!(r.body.contains("Choisissez une note de 0 à 10."), "{}", r.body);
    assert!(r.body.contains(comment), "what she typed is kept");
    assert_eq!(count_rows(&app.state, "SELECT COUNT(*) FROM survey_answers").await, 0);

    // Her answer: recorded without her name, the step done by itself.
    let r = zoe.post_form(&path, &[("score", "6"), ("comment", comment)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let thanks = zoe.get(r.location()).await;
    assert!(thanks.body.contains("Merci\u{a0}: votre réponse est enregistrée."), "{}", thanks.body);
    assert!(thanks.body.contains("href=\"/\""), "a way back to her space");
    let stored: (Option<String>, Option<String>, i64) =
        embark_store::query_as("SELECT user_id, engagement_id, answered_at % 86400000 FROM survey_answers")
            .fetch_one(&mut app.state.store.db())
            .await
            .unwrap();
    assert_eq!(stored, (None, None, 0), "anonymous: no person, no engagement, the day only");
    assert_eq!(step_state(app, &j.engagement, "enps-day-7").await, "done");
    assert_eq!(step_state(app, &j.engagement, "enps-day-30").await, "todo");

    // A second submission says so and records nothing.
    let r = zoe.post_form(&path, &[("score", "10"), ("comment", "")]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("déjà reçu une réponse"), "{}", r.body);
    assert_eq!(count_rows(&app.state, "SELECT COUNT(*) FROM survey_answers").await, 1);
    assert_eq!(count_rows(&app.state, "SELECT CAST(SUM(answers) AS BIGINT) FROM survey_counts").await, 1);

    // The timeline says the step was done by itself (a week later, the admin signs in again).
    j.admin.sign_in("ada@acme.test", PASSWORD).await;
    let page = j.admin.get(&format!("/engagements/{}", j.engagement)).await;
    assert!(page.body.contains("done by itself"), "{}", page.body);

    // Results: one anonymous answer is counted but not shown.
    let list = j.admin.get("/surveys").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Your first weeks") && list.body.contains("1 of 1 answered (100%)"), "{}", list.body);
    let id = id_of(app, "SELECT id FROM surveys WHERE key = $1", "enps").await;
    let results = j.admin.get(&format!("/surveys/{id}")).await;
    assert_eq!(results.status, StatusCode::OK, "{}", results.body);
    assert!(results.body.contains("results are shown from 5 answers"), "{}", results.body);
    assert!(!results.body.contains("mon ordinateur"), "an anonymous comment under 5 answers is not shown");
    let token = j.admin.create_api_token("bi").await;
    let r = j.admin.api_get(&format!("/api/v1/surveys/{id}/results"), &token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let body = r.json();
    assert_eq!((body["answers"].as_u64(), body["suppressed"].as_bool()), (Some(1), Some(true)), "{body}");
    assert!(body["nps"].is_null() && body["ci95"].is_null(), "{body}");
}

#[tokio::test]
async fn an_expired_or_unknown_link_changes_nothing_and_results_are_staff_only() {
    let mut j = journey("en").await;
    let app = &j.app;
    app.advance(31 * DAY);
    app.drain_jobs().await;
    app.drain_jobs().await;
    let mail = app.emails_to(&j.hire_email).into_iter().find(|e| e.kind == "survey").expect("survey email");
    assert!(mail.text.contains("Would you recommend your new company to your friends?"), "{}", mail.text);
    let path = path_of(&link_in(&mail, "/s/"));

    let mut zoe = app.client();
    let r = zoe.get("/s/not-a-real-token").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("Link not found"), "{}", r.body);

    // Fifteen days later the link has expired: answering records nothing.
    app.advance(15 * DAY);
    let r = zoe.post_form(&path, &[("score", "9")]).await;
    assert_eq!(r.status, StatusCode::GONE, "{}", r.body);
    assert!(r.body.contains("This link has expired"), "{}", r.body);
    assert_eq!(count_rows(&app.state, "SELECT COUNT(*) FROM survey_answers").await, 0);
    assert_eq!(step_state(app, &j.engagement, "enps-day-30").await, "todo");

    // A coach may not read results; another workspace's admin finds nothing.
    let id = id_of(app, "SELECT id FROM surveys WHERE key = $1", "enps").await;
    app.staff("Acme", "cora@acme.test", "Cora Coach", Role::Coach).await;
    let mut cora = app.client();
    cora.sign_in("cora@acme.test", PASSWORD).await;
    assert_eq!(cora.get(&format!("/surveys/{id}")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(cora.get("/surveys").await.status, StatusCode::FORBIDDEN);
    assert!(!cora.get("/").await.body.contains("href=\"/surveys\""), "no menu entry that leads to a refusal");
    let (_, mut other) = {
        let u = app.staff("Globex", "gus@globex.test", "Gus Admin", Role::Admin).await;
        let mut c = app.client();
        c.sign_in("gus@globex.test", PASSWORD).await;
        (u, c)
    };
    assert_eq!(other.get(&format!("/surveys/{id}")).await.status, StatusCode::NOT_FOUND);
    j.admin.sign_in("ada@acme.test", PASSWORD).await;
    let r = j.admin.get(&format!("/surveys/{id}?from=2026-13&to=2026-12")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"from-error\"") && r.body.contains("value=\"2026-13\""), "{}", r.body);
    let token = j.admin.create_api_token("bi").await;
    let r = j.admin.api_get(&format!("/api/v1/surveys/{id}/results?from=2026-13"), &token).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["errors"][0]["field"], "from");
}

const CLIENT_JOURNEY: &str = "---
title: Client onboarding, short
language: en
kind: journey
anchor: start_date
roles: account_manager, client
---

## First month

### Ask how it goes
owner: account_manager
due: start_date + 30d
survey: client-nps

- [ ] The client answered.
";

#[tokio::test]
async fn a_detractor_opens_a_follow_up_that_is_reminded_once_then_escalated_and_its_response_timed() {
    let app = TestApp::spawn().await;
    let (_, mut admin) = app.admin_client().await;
    app.staff("Acme", "tom@acme.test", "Tom Manager", Role::AccountManager).await;
    let mut tom = app.client();
    tom.sign_in("tom@acme.test", PASSWORD).await;
    let r = admin.post_form("/playbooks/import", &[("source", CLIENT_JOURNEY), ("key", "client-short")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = admin
        .post_form(
            "/users/invite",
            &[("name", "Claire Dubois"), ("email", "claire@client.test"), ("role", "client_contact"), ("locale", "fr")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let client = id_of(&app, "SELECT id FROM users WHERE email = $1", "claire@client.test").await;
    let playbook = id_of(&app, "SELECT id FROM playbooks WHERE key = $1", "client-short").await;
    let pair = format!("client:{client}");
    let r = tom
        .post_form(
            "/engagements",
            &[
                ("playbook_id", &playbook),
                ("title", "Dubois SA starts"),
                ("subject", "Dubois SA"),
                ("anchor", &app.day(1)),
                ("participant", &pair),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    app.allow_leftover_jobs();
    app.advance(31 * DAY);
    app.drain_jobs().await;
    app.drain_jobs().await;
    let mail = app.emails_to("claire@client.test").into_iter().find(|e| e.kind == "survey").expect("the NPS");
    let text = mail.text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("Votre réponse et votre nom parviennent"), "a named survey says so: {text}");
    let path = path_of(&link_in(&mail, "/s/"));
    let mut claire = app.client();
    let r = claire
        .post_form(&path, &[("score", "4"), ("comment", "Les candidats ne correspondaient pas au profil.")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // The owner is told at once, with the score and the comment.
    app.drain_jobs().await;
    let told = app.emails_to("tom@acme.test").into_iter().find(|e| e.kind == "followup_opened").expect("told");
    assert!(told.subject.contains("Claire Dubois gave 4/10"), "{}", told.subject);
    let text = told.text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("Les candidats ne correspondaient pas au profil."), "{text}");
    let followup = path_of(&link_in(&told, "/surveys/followups/"));
    tom.sign_in("tom@acme.test", PASSWORD).await;
    let home = tom.get("/").await;
    assert!(home.body.contains("Follow up: Claire Dubois gave 4"), "{}", home.body);

    // 48 h later it is late: one reminder; a day later the admin is told; no more after.
    app.advance(Duration::from_secs(49 * 3600));
    app.drain_jobs().await;
    assert_eq!(app.emails_to("tom@acme.test").iter().filter(|e| e.kind == "followup_late").count(), 1);
    assert!(app.emails_to("admin@acme.test").iter().all(|e| e.kind != "followup_escalated"));
    app.advance(Duration::from_secs(25 * 3600));
    app.drain_jobs().await;
    assert_eq!(app.emails_to("admin@acme.test").iter().filter(|e| e.kind == "followup_escalated").count(), 1);
    app.advance(3 * DAY);
    app.drain_jobs().await;
    assert_eq!(app.emails_to("tom@acme.test").iter().filter(|e| e.kind == "followup_late").count(), 1, "once");

    // An empty response is refused next to the field; the real one is recorded with its delay.
    tom.sign_in("tom@acme.test", PASSWORD).await;
    let r = tom.post_form(&followup, &[("response", "   ")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("id=\"response-error\""), "{}", r.body);
    let r = tom.post_form(&followup, &[("response", "Called Claire; new shortlist on Friday.")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = tom.get(&followup).await;
    assert!(page.body.contains("answered by Tom Manager after"), "{}", page.body);
    assert!(page.body.contains("Called Claire; new shortlist on Friday."));
    let r = tom.post_form(&followup, &[("response", "again")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a second response is refused");
    assert!(!tom.get("/").await.body.contains("Follow up: Claire"), "done, it leaves the home");
    admin.sign_in("admin@acme.test", PASSWORD).await;
    let list = admin.get("/surveys/followups").await;
    assert!(list.body.contains("0 of 1 over the last 12 months"), "answered late: {}", list.body);

    // An anonymous survey never opens one: following it up would say who answered.
    assert_eq!(count_rows(&app.state, "SELECT COUNT(*) FROM survey_followups").await, 1);
}

#[tokio::test]
async fn past_answers_are_imported_all_or_nothing_and_count_in_the_results() {
    let app = TestApp::spawn().await;
    let (_, mut admin) = app.admin_client().await;
    let token = admin.create_api_token("history").await;
    let r = admin.api_get("/api/v1/surveys", &token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let id = r.json().as_array().unwrap().iter().find(|s| s["key"] == "client-nps").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let import = format!("/api/v1/surveys/{id}/answers/import");

    // A file with problems: each with its line and column, nothing imported.
    let bad = "score,answered_at,comment\n9,2026-01-05,fine\n12,2026-02-01,\n8,next week,\n";
    let r = admin.api_post(&import, &token, "text/csv", bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let errors = r.json()["errors"].as_array().unwrap().clone();
    let at: Vec<(u64, u64)> =
        errors.iter().map(|e| (e["line"].as_u64().unwrap(), e["col"].as_u64().unwrap())).collect();
    assert_eq!(at, vec![(3, 1), (4, 3)], "{errors:?}");
    assert_eq!(count_rows(&app.state, "SELECT COUNT(*) FROM survey_answers").await, 0);
    let r = admin.api_post(&import, &token, "application/json", "{}").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);

    // A good one, with a BOM and semicolons as a spreadsheet writes it.
    let good = "\u{feff}score;answered_at;segment\r\n10;2026-10-03;Lyon\r\n9;2026-10-20;Lyon\r\n3;2026-11-02;Paris\r\n7;2026-11-15T08:00:00Z;\r\n";
    let r = admin.api_post(&import, &token, "text/csv", good).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["imported"], 4);
    let r = admin.api_get(&format!("/api/v1/surveys/{id}/results?from=2026-10&to=2026-11"), &token).await;
    let body = r.json();
    assert_eq!(
        (body["answers"].as_u64(), body["promoters"].as_u64(), body["detractors"].as_u64()),
        (Some(4), Some(2), Some(1)),
        "{body}"
    );
    assert_eq!(body["nps"], 25.0, "{body}");
    assert_eq!(body["months"].as_array().unwrap().len(), 2);
    // Imported answers carry no person and open no follow-up.
    assert_eq!(count_rows(&app.state, "SELECT COUNT(*) FROM survey_answers WHERE user_id IS NOT NULL").await, 0);
    assert_eq!(count_rows(&app.state, "SELECT COUNT(*) FROM survey_followups").await, 0);

    // Only admins import.
    app.staff("Acme", "tom@acme.test", "Tom", Role::AccountManager).await;
    let mut tom = app.client();
    tom.sign_in("tom@acme.test", PASSWORD).await;
    let t = tom.create_api_token("t").await;
    assert_eq!(tom.api_post(&import, &t, "text/csv", good).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_segment_of_an_anonymous_survey_under_five_answers_shows_counts_only() {
    let app = TestApp::spawn().await;
    let (_, mut admin) = app.admin_client().await;
    let token = admin.create_api_token("history").await;
    let r = admin.api_get("/api/v1/surveys", &token).await;
    let id =
        r.json().as_array().unwrap().iter().find(|s| s["key"] == "enps").unwrap()["id"].as_str().unwrap().to_string();
    let mut csv = String::from("score,answered_at,segment\n");
    for (i, score) in [9, 10, 9, 8, 10, 3].iter().enumerate() {
        csv.push_str(&format!("{score},2026-11-0{},Lyon\n", i + 1));
    }
    csv.push_str("2,2026-11-10,Paris\n6,2026-11-11,Paris\n");
    let r = admin.api_post(&format!("/api/v1/surveys/{id}/answers/import"), &token, "text/csv", &csv).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let results = |segment: &str| format!("/api/v1/surveys/{id}/results?from=2026-11&to=2026-11{segment}");

    let all = admin.api_get(&results(""), &token).await.json();
    assert_eq!((all["answers"].as_u64(), all["suppressed"].as_bool()), (Some(8), Some(false)), "{all}");
    // A quiet month with one answer shows its count, never that one person's score.
    let r = admin
        .api_post(
            &format!("/api/v1/surveys/{id}/answers/import"),
            &token,
            "text/csv",
            "score,answered_at\n2,2026-10-15\n",
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let two = admin.api_get(&format!("/api/v1/surveys/{id}/results?from=2026-10&to=2026-11"), &token).await.json();
    let months = two["months"].as_array().unwrap();
    assert_eq!((months[0]["month"].as_str(), months[0]["answers"].as_u64()), (Some("2026-10"), Some(1)));
    assert!(months[0]["nps"].is_null() && months[0]["ci95"].is_null(), "{two}");
    assert!(months[1]["nps"].is_number(), "November has eight: {two}");
    // Lyon has six answers, but showing it would give Paris away (all minus Lyon).
    let lyon = admin.api_get(&results("&segment=Lyon"), &token).await.json();
    assert_eq!((lyon["answers"].as_u64(), lyon["suppressed"].as_bool()), (Some(6), Some(true)), "{lyon}");
    assert!(lyon["nps"].is_null(), "{lyon}");
    let paris = admin.api_get(&results("&segment=Paris"), &token).await.json();
    assert_eq!((paris["answers"].as_u64(), paris["suppressed"].as_bool()), (Some(2), Some(true)), "{paris}");
    assert!(paris["nps"].is_null() && paris["promoters"] == 0 && paris["detractors"] == 0, "counts only: {paris}");

    // Three more from Paris: every segment has five, and each can be shown.
    let more = "score,answered_at,segment\n9,2026-11-12,Paris\n9,2026-11-13,Paris\n7,2026-11-14,Paris\n";
    let r = admin.api_post(&format!("/api/v1/surveys/{id}/answers/import"), &token, "text/csv", more).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let lyon = admin.api_get(&results("&segment=Lyon"), &token).await.json();
    assert_eq!(lyon["suppressed"], false, "{lyon}");
    assert_eq!(lyon["nps"], 50.0, "4 promoters, 1 passive, 1 detractor out of 6: {lyon}");
    let paris = admin.api_get(&results("&segment=Paris"), &token).await.json();
    assert_eq!((paris["answers"].as_u64(), paris["nps"].as_f64()), (Some(5), Some(0.0)), "2 − 2 out of 5: {paris}");

    // The page offers the segments with their counts.
    let r = admin
        .api_post(
            &format!("/api/v1/surveys/{id}/answers/import"),
            &token,
            "text/csv",
            "score,answered_at,segment\n9,2026-11-20,Nice\n",
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let page = admin.get(&format!("/surveys/{id}?from=2026-11&to=2026-11&segment=Paris")).await;
    assert!(page.body.contains("<option value=\"Lyon\" >Lyon (6 answers)</option>"), "{}", page.body);
    assert!(page.body.contains("results are shown from 5 answers"), "{}", page.body);
}

const TWO_SURVEYS: &str = "---
title: Two questions close together
language: en
kind: journey
anchor: start_date
roles: new_hire, manager
---

## First weeks

### How is your first week
owner: manager
due: start_date + 7d
survey: enps

- [ ] Asked.

### And now
owner: manager
due: start_date + 9d
survey: enps

- [ ] Asked again.
";

#[tokio::test]
async fn nobody_gets_two_surveys_in_a_week_and_an_unanswered_one_is_reminded_once() {
    let app = TestApp::spawn().await;
    let (_, mut admin) = app.admin_client().await;
    let r = admin.post_form("/playbooks/import", &[("source", TWO_SURVEYS), ("key", "two-surveys")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = admin
        .post_form(
            "/users/invite",
            &[("name", "Zoé Lambert"), ("email", "zoe@acme.test"), ("role", "new_hire"), ("locale", "en")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let hire = id_of(&app, "SELECT id FROM users WHERE email = $1", "zoe@acme.test").await;
    let playbook = id_of(&app, "SELECT id FROM playbooks WHERE key = $1", "two-surveys").await;
    let pair = format!("new_hire:{hire}");
    let anchor = app.day(1);
    let r = admin
        .post_form(
            "/engagements",
            &[
                ("playbook_id", &playbook),
                ("title", "Zoé arrives"),
                ("subject", "Zoé"),
                ("anchor", &anchor),
                ("participant", &pair),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let surveys_to =
        |app: &TestApp, kind: &str| app.emails_to("zoe@acme.test").iter().filter(|e| e.kind == kind).count();

    // Day 8: the first goes. Day 10: the second falls due, and waits for the week to pass.
    app.advance(8 * DAY);
    app.drain_jobs().await;
    assert_eq!(surveys_to(&app, "survey"), 1);
    app.advance(2 * DAY);
    app.drain_jobs().await;
    assert_eq!(count_rows(&app.state, "SELECT COUNT(*) FROM survey_sends").await, 2, "both recorded");
    assert_eq!(surveys_to(&app, "survey"), 1, "the second waits");
    // Her invitation has expired by now: she asks for a sign-in link.
    let mut zoe = app.client();
    zoe.post_form("/login/link", &[("email", "zoe@acme.test")]).await;
    app.drain_jobs().await;
    let link = app.emails_to("zoe@acme.test").into_iter().rfind(|e| e.kind == "sign_in_link").expect("a link");
    zoe.sign_in_with_link(&path_of(&link_in(&link, "http"))).await;
    let home = zoe.get("/").await;
    assert_eq!(home.body.matches("/surveys/sends/").count(), 1, "only the one sent: {}", home.body);
    let waiting: (String,) = embark_store::query_as("SELECT id FROM survey_sends ORDER BY sent_at DESC")
        .fetch_one(&mut app.state.store.db())
        .await
        .unwrap();
    assert_eq!(zoe.get(&format!("/surveys/sends/{}", waiting.0)).await.status, StatusCode::NOT_FOUND, "not yet sent");

    // A week after the first: the second goes, and the first, unanswered, is reminded.
    app.advance(5 * DAY);
    app.drain_jobs().await;
    assert_eq!(surveys_to(&app, "survey"), 2);
    let reminders: Vec<_> =
        app.emails_to("zoe@acme.test").into_iter().filter(|e| e.kind == "survey_reminder").collect();
    assert_eq!(reminders.len(), 1, "the first is reminded");
    assert!(reminders[0].subject.starts_with("Reminder: "), "{}", reminders[0].subject);
    let own = path_of(&link_in(&reminders[0], "/surveys/sends/"));
    let r = zoe.post_form(&own, &[("score", "9"), ("comment", "")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "the reminder's page takes the answer: {}", r.body);

    // Answered: no reminder for it again; the second is reminded once, a week after it went.
    app.advance(8 * DAY);
    app.drain_jobs().await;
    assert_eq!(surveys_to(&app, "survey_reminder"), 2, "one per send, never twice");
    app.advance(8 * DAY);
    app.drain_jobs().await;
    assert_eq!(surveys_to(&app, "survey_reminder"), 2);
}
