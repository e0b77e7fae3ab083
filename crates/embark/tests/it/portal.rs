//! The home page: each person's next actions, most pressing first, only their own.

use std::time::Duration;

use axum::http::StatusCode;
use embark_core::Role;

use crate::helpers::{link_in, path_of, TestApp, PASSWORD};
use crate::surveys::start_journey;

const DAY: Duration = Duration::from_secs(86_400);

/// The `href`s of the home's action lines, in order.
fn action_links(body: &str) -> Vec<String> {
    body.split("<li class=\"next-action")
        .skip(1)
        .filter_map(|li| li.split("<a href=\"").nth(1).and_then(|s| s.split('"').next()).map(str::to_string))
        .collect()
}

#[tokio::test]
async fn a_home_lists_the_persons_own_open_items_overdue_first_and_is_empty_only_when_nothing_is() {
    let app = TestApp::spawn().await;
    let (_, mut admin) = app.admin_client().await;
    let home = admin.get("/").await;
    assert!(home.body.contains("Nothing to do yet"), "a new workspace: truly nothing: {}", home.body);

    let manager = app.staff("Acme", "max@acme.test", "Max Manager", Role::Manager).await;
    let manager_id = manager.id.to_string();
    let (_, engagement) = start_journey(&app, &mut admin, "en", 20, Some(&manager_id)).await;

    // The manager sees the steps he owns; the new hire's are not his.
    let mut max = app.client();
    max.sign_in("max@acme.test", PASSWORD).await;
    let home = max.get("/").await;
    let links = action_links(&home.body);
    assert!(links.contains(&format!("/engagements/{engagement}#item-equipment")), "{links:?}");
    assert!(!links.iter().any(|l| l.ends_with("#item-pre-work")), "the new hire's pre-work is hers: {links:?}");
    assert!(home.body.contains("What you take part in") && home.body.contains("Zoé joins the Lyon office"));

    // A week later the first steps are overdue: they come first, marked so.
    app.advance(8 * DAY);
    max.sign_in("max@acme.test", PASSWORD).await;
    let home = max.get("/").await;
    let first = home.body.split("<li class=\"next-action").nth(1).unwrap_or_default();
    assert!(first.starts_with(" urgency-overdue"), "{first}");
    assert!(first.contains("overdue since"), "{first}");
    // The admin, who takes part in it, sees what is late across the workspace.
    admin.sign_in("admin@acme.test", PASSWORD).await;
    let admin_home = admin.get("/").await;
    assert!(admin_home.body.contains("Late: “"), "{}", admin_home.body);
    assert!(action_links(&admin_home.body).contains(&format!("/engagements/{engagement}")), "{}", admin_home.body);

    // Closed, it leaves the list: the signed offer closes its gate.
    assert!(action_links(&home.body).iter().any(|l| l.ends_with("#item-offer-signed")));
    let r = admin.post_form(&format!("/engagements/{engagement}/offer-signed"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let home = max.get("/").await;
    assert!(!action_links(&home.body).iter().any(|l| l.ends_with("#item-offer-signed")), "{}", home.body);
}

#[tokio::test]
async fn an_open_survey_is_on_the_persons_home_and_answered_there_only_by_them() {
    let app = TestApp::spawn().await;
    let (_, mut admin) = app.admin_client().await;
    start_journey(&app, &mut admin, "en", 1, None).await;
    app.advance(8 * DAY);
    app.drain_jobs().await;
    app.drain_jobs().await;

    // Zoé signs in by link: her home offers the survey.
    let mut zoe = app.client();
    let r = zoe.post_form("/login/link", &[("email", "zoe@acme.test")]).await;
    assert!(r.status.is_redirection() || r.status == StatusCode::OK, "{}", r.status);
    app.drain_jobs().await;
    let mail = app.emails_to("zoe@acme.test").into_iter().rfind(|e| e.kind != "survey").expect("a sign-in link");
    zoe.sign_in_with_link(&link_in(&mail, "http")).await;
    let home = zoe.get("/").await;
    let survey = action_links(&home.body).into_iter().find(|l| l.starts_with("/surveys/sends/"));
    let survey = survey.unwrap_or_else(|| panic!("the survey is on her home: {}", home.body));
    assert!(home.body.contains("Answer: Your first weeks"), "{}", home.body);

    // Someone else cannot open it; she answers it there, and it leaves her home.
    let (_, mut other) = (app.staff("Acme", "max@acme.test", "Max", Role::Manager).await, app.client());
    other.sign_in("max@acme.test", PASSWORD).await;
    assert_eq!(other.get(&survey).await.status, StatusCode::NOT_FOUND);
    assert_eq!(other.post_form(&survey, &[("score", "0")]).await.status, StatusCode::NOT_FOUND);
    let page = zoe.get(&survey).await;
    assert!(page.body.contains(&format!("action=\"{survey}\"")), "{}", page.body);
    let r = zoe.post_form(&survey, &[("score", "9"), ("comment", "")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(zoe.get(r.location()).await.body.contains("Thank you: your answer is recorded."));
    let home = zoe.get("/").await;
    assert!(!action_links(&home.body).iter().any(|l| l.starts_with("/surveys/sends/")), "answered, it is gone");
    // The emailed link now says it was answered.
    let emailed = app.emails_to("zoe@acme.test").into_iter().find(|e| e.kind == "survey").unwrap();
    let page = app.client().get(&path_of(&link_in(&emailed, "/s/"))).await;
    assert!(page.body.contains("Thank you"), "{}", page.body);
}

#[tokio::test]
async fn the_new_hire_is_told_when_her_step_opens_never_asked_to_close_the_firms_prerequisite() {
    let app = TestApp::spawn().await;
    let (_, mut admin) = app.admin_client().await;
    let (_, engagement) = start_journey(&app, &mut admin, "en", 20, None).await;
    app.drain_jobs().await;

    let mut zoe = app.client();
    zoe.post_form("/login/link", &[("email", "zoe@acme.test")]).await;
    app.drain_jobs().await;
    let mail = app.emails_to("zoe@acme.test").into_iter().last().expect("a sign-in link");
    zoe.sign_in_with_link(&link_in(&mail, "http")).await;

    // Her pre-work waits for the signed offer: said as when it opens, with no override.
    let page = zoe.get(&format!("/engagements/{engagement}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let pre_work = page.body.split("id=\"item-pre-work\"").nth(1).expect("her pre-work step");
    let pre_work = pre_work.split("</li>").next().unwrap_or_default();
    assert!(pre_work.contains("Available after:") && pre_work.contains("Offer signed"), "{pre_work}");
    assert!(!page.body.contains("Waiting for:") && !page.body.contains("Override"), "{}", page.body);

    // Trying it anyway: the same words, nothing written.
    let events = crate::helpers::count_rows(&app.state, "SELECT COUNT(*) FROM engagement_events").await;
    let r = zoe.post_form(&format!("/engagements/{engagement}/items/pre-work"), &[("action", "done")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("This step opens after: Offer signed."), "{}", r.body);
    assert!(!r.body.contains("Close them first"), "{}", r.body);
    assert_eq!(crate::helpers::count_rows(&app.state, "SELECT COUNT(*) FROM engagement_events").await, events);

    // The admin still reads the firm's words, with the override.
    let page = admin.get(&format!("/engagements/{engagement}")).await;
    assert!(page.body.contains("Waiting for:") && page.body.contains("Override"), "{}", page.body);
}

/// What the team keeps to itself in the built-in kick-off (EN): its internal items' titles
/// and checkpoints, and the reasons of checkpoints shared with the client.
const KICKOFF_INTERNAL: &[&str] = &[
    "Scorecard mastered by the account manager",
    "Ice breaker and why the kick-off matters",
    "Announce the structure of the meeting",
    "Co-write and lock the scorecard live",
    "The client has no objection or correction left before the lock.",
    "Keep to the structure of the meeting",
    "Watch the time; refocus or cut short when needed.",
    "Set the next steps and their owners",
];
const KICKOFF_WHY: &[&str] = &[
    "Otherwise there is a risk of a no-show",
    "The report confirms that everything above is locked.",
    "The acknowledgement proves the client read what was locked.",
];
const NOTES: &[&str] = &["Client hesitates on the salary", "Report drafted, Tom to check", "Tom forgot to ask her"];

fn shows_nothing_internal(what: &str, body: &str, hidden: &[&[&str]]) {
    for text in hidden.iter().flat_map(|h| h.iter()) {
        assert!(!body.contains(text), "{what} shows {text:?}: {body}");
    }
}

async fn counts(app: &crate::helpers::TestApp) -> (i64, i64) {
    (
        crate::helpers::count_rows(&app.state, "SELECT COUNT(*) FROM engagement_events").await,
        crate::helpers::count_rows(
            &app.state,
            "SELECT COUNT(*) FROM engagement_items WHERE state <> 'todo' OR note <> '' OR overridden <> 0",
        )
        .await,
    )
}

#[tokio::test]
async fn the_client_sees_only_what_the_kickoff_shares_on_every_page_and_through_the_api() {
    let mut k = crate::engagements::kickoff().await;
    let (app, id) = (&k.app, k.engagement.clone());
    let base = format!("/engagements/{id}/items");
    // The account manager works: closes the firm's prerequisite and the scorecard sent, writes notes.
    for gate in ["scorecard-mastered", "scorecard-sent"] {
        let r = k.am.post_form(&format!("{base}/{gate}"), &[("action", "done")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{gate}: {}", r.body);
    }
    k.am.post_form(&format!("{base}/scorecard"), &[("action", "note"), ("note", NOTES[0])]).await;
    k.am.post_form(&format!("{base}/report"), &[("action", "note"), ("note", NOTES[1])]).await;
    let r = k.am.post_form(&format!("{base}/confirmation"), &[("action", "skip"), ("reason", NOTES[2])]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let staff = k.am.get(&format!("/engagements/{id}")).await;
    for text in KICKOFF_INTERNAL.iter().chain(KICKOFF_WHY).chain(NOTES) {
        assert!(staff.body.contains(text), "the team reads {text:?}");
    }

    k.am.post_form("/login/link", &[("email", "claire@client.test")]).await;
    app.drain_jobs().await;
    let mut claire = app.client();
    claire.sign_in_with_link(&link_in(&app.emails_to("claire@client.test").pop().unwrap(), "http")).await;
    let hidden: &[&[&str]] = &[KICKOFF_INTERNAL, KICKOFF_WHY, NOTES];

    // The engagement page: what is shared with her, her progress counted on it.
    let page = claire.get(&format!("/engagements/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    for shared in [
        "Client educated on the scorecard and scorecard sent",
        "Client agrees to return the scorecard at least 24 h before",
        "Place, time, length and participants locked",
        "Client confirmation received",
        "Report sent to the client",
        "Asked to acknowledge receipt, the client did.",
    ] {
        assert!(page.body.contains(shared), "she sees {shared:?}");
    }
    shows_nothing_internal("the engagement page", &page.body, hidden);
    assert!(page.body.contains("<span>2/5</span>"), "three shared gates and two shared steps, two closed");
    assert!(!page.body.contains("name=\"note\""), "no note to write");
    // Her board and her home.
    for path in ["/engagements", "/"] {
        let r = claire.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        shows_nothing_internal(path, &r.body, hidden);
    }
    assert!(claire.get("/").await.body.contains("2 of 5"), "her home's progress is hers");
    // The kick-off's own pages she reaches (the scorecard and the report are not sent to her yet).
    let meeting = claire.get(&format!("/engagements/{id}/meeting")).await;
    assert_eq!(meeting.status, StatusCode::OK);
    for sub in ["meeting", "report", "scorecard"] {
        let r = claire.get(&format!("/engagements/{id}/{sub}")).await;
        shows_nothing_internal(sub, &r.body, hidden);
    }
    assert!(claire.get("/engagements").await.body.contains("What you take part in"), "her board, in her words");

    // Internal items do not exist for her: 404, whatever she tries, and nothing is written.
    let before = counts(app).await;
    for (key, fields) in [
        ("scorecard-mastered", vec![("action", "reopen")]),
        ("ice-breaker", vec![("action", "done")]),
        ("scorecard.2", vec![("action", "done")]),
        ("keep-structure.1", vec![("action", "done")]),
        ("scorecard", vec![("action", "note"), ("note", "mine")]),
        ("next-steps", vec![("action", "skip"), ("reason", "not needed")]),
    ] {
        let r = claire.post_form(&format!("{base}/{key}"), &fields).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{key}: {}", r.body);
        shows_nothing_internal(key, &r.body, hidden);
    }
    // A shared item's notes are the team's too.
    let r = claire.post_form(&format!("{base}/report"), &[("action", "note"), ("note", "mine")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(counts(app).await, before, "nothing written");

    // The API, with her own token: the same items, the same counts, the same 404s.
    let token = claire.create_api_token("our ATS").await;
    let mut api = app.client();
    let r = api.api_get(&format!("/api/v1/engagements/{id}"), &token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    shows_nothing_internal("the API", &r.body, hidden);
    let json = r.json();
    let keys: Vec<&str> = json["items"].as_array().unwrap().iter().map(|i| i["key"].as_str().unwrap()).collect();
    assert_eq!(
        keys,
        [
            "scorecard-sent",
            "scorecard-return-agreed",
            "logistics-locked",
            "confirmation",
            "confirmation.1",
            "report",
            "report.1",
            "report.2"
        ]
    );
    assert!(json["items"].as_array().unwrap().iter().all(|i| i["note"] == ""), "no notes");
    assert_eq!((json["items_closed"].as_i64(), json["items_total"].as_i64()), (Some(2), Some(5)));
    assert!(json["items"].as_array().unwrap().iter().all(|i| i["reason"].is_null()), "no reasons");
    let list = api.api_get("/api/v1/engagements", &token).await;
    assert_eq!(list.json()["items"][0]["items_total"], 5, "{}", list.body);
    for (key, body) in [
        ("scorecard-mastered", r#"{"state":"todo"}"#),
        ("scorecard.1", r#"{"state":"done"}"#),
        ("wrap-up", r#"{"note":"seen"}"#),
    ] {
        let r = api.api_post(&format!("/api/v1/engagements/{id}/items/{key}"), &token, "application/json", body).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{key}: {}", r.body);
    }
    assert_eq!(counts(app).await, before, "nothing written");
}

/// What the team keeps to itself in the built-in employee journey (EN).
const JOURNEY_INTERNAL: &[&str] = &[
    "Send a welcome message",
    "Run the worst-case welcome workshop",
    "Prepare the equipment and accesses",
    "Computer, accounts, badge and desk are ready and tested.",
    "Get in touch before day one",
    "Check in at the end of the week",
    "Hold the day-90 review",
];
const JOURNEY_WHY: &[&str] =
    &["Their questions, not a slideshow, set the agenda of the session.", "The first hour is remembered for years."];

#[tokio::test]
async fn the_new_hire_sees_only_what_her_journey_shares_and_internal_steps_do_not_exist_for_her() {
    let app = TestApp::spawn().await;
    let (_, mut admin) = app.admin_client().await;
    let (_, id) = start_journey(&app, &mut admin, "en", 20, None).await;
    let base = format!("/engagements/{id}/items");
    // The team works: the offer is signed, the equipment ticked, notes written.
    let r = admin.post_form(&format!("/engagements/{id}/offer-signed"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = admin.post_form(&format!("{base}/equipment.1"), &[("action", "done")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    admin.post_form(&format!("{base}/pre-work"), &[("action", "note"), ("note", NOTES[0])]).await;
    admin.post_form(&format!("{base}/equipment"), &[("action", "note"), ("note", NOTES[1])]).await;
    app.drain_jobs().await;

    let mut zoe = app.client();
    zoe.post_form("/login/link", &[("email", "zoe@acme.test")]).await;
    app.drain_jobs().await;
    zoe.sign_in_with_link(&link_in(&app.emails_to("zoe@acme.test").pop().unwrap(), "http")).await;
    let hidden: &[&[&str]] = &[JOURNEY_INTERNAL, JOURNEY_WHY, &NOTES[..2]];

    let page = zoe.get(&format!("/engagements/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    for shared in ["Offer signed", "Do the pre-work", "Welcome the new hire", "Someone was waiting for them"] {
        assert!(page.body.contains(shared), "she sees {shared:?}");
    }
    shows_nothing_internal("her engagement page", &page.body, hidden);
    // Offer signed, day one, pre-work, learning from peers: one of four closed.
    assert!(page.body.contains("<span>1/4</span>"), "{}", page.body);
    let board = zoe.get("/engagements").await;
    shows_nothing_internal("her board", &board.body, hidden);
    assert!(board.body.contains("Do the pre-work"), "her next step is hers: {}", board.body);
    let home = zoe.get("/").await;
    shows_nothing_internal("her home", &home.body, hidden);
    assert!(home.body.contains("1 of 4"), "{}", home.body);

    let before = counts(&app).await;
    for (key, fields) in [
        ("equipment", vec![("action", "done")]),
        ("equipment.1", vec![("action", "reopen")]),
        ("worst-case-welcome", vec![("action", "note"), ("note", "mine")]),
        ("buddy-intro.2", vec![("action", "done")]),
    ] {
        let r = zoe.post_form(&format!("{base}/{key}"), &fields).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{key}: {}", r.body);
        shows_nothing_internal(key, &r.body, hidden);
    }
    assert_eq!(counts(&app).await, before, "nothing written");

    // The team still reads everything.
    let staff = admin.get(&format!("/engagements/{id}")).await;
    for text in JOURNEY_INTERNAL.iter().chain(JOURNEY_WHY).chain(&NOTES[..2]) {
        assert!(staff.body.contains(text), "the team reads {text:?}");
    }
}

#[tokio::test]
async fn a_shared_step_waiting_for_the_firms_internal_prerequisite_says_it_waits_for_the_team() {
    let mut k = crate::engagements::kickoff().await;
    let playbook = crate::engagements::id_of(
        &k.app,
        "SELECT id FROM playbooks WHERE key = 'client-onboarding' AND language = $1",
        "en",
    )
    .await;
    let client_pair = format!("client_contact:{}", k.client_id);
    let r =
        k.am.post_form(
            "/engagements",
            &[
                ("playbook_id", &playbook),
                ("title", "Onboarding Acme"),
                ("subject", "Acme"),
                ("anchor", &k.app.day(10)),
                ("participant", &client_pair),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = r.location().trim_start_matches("/engagements/").split('?').next().unwrap().to_string();
    k.am.post_form("/login/link", &[("email", "claire@client.test")]).await;
    k.app.drain_jobs().await;
    let mut claire = k.app.client();
    claire.sign_in_with_link(&link_in(&k.app.emails_to("claire@client.test").pop().unwrap(), "http")).await;

    // The welcome call is shared with her; the signed contract it waits for is the firm's.
    let page = claire.get(&format!("/engagements/{id}")).await;
    let call = page.body.split("id=\"item-welcome-call\"").nth(1).expect("the welcome call is hers to see");
    let call = call.split("</li>").next().unwrap_or_default();
    assert!(call.contains("Available after:") && call.contains("the team&#39;s preparation"), "{call}");
    assert!(!page.body.contains("Contract signed and client contact named"), "{}", page.body);
    // The team reads the prerequisite by its name.
    let page = k.am.get(&format!("/engagements/{id}")).await;
    let call = page.body.split("id=\"item-welcome-call\"").nth(1).unwrap().split("</li>").next().unwrap_or_default();
    assert!(call.contains("Contract signed and client contact named"), "{call}");
    k.app.allow_leftover_jobs();
}
