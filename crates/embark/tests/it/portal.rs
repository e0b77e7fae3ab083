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
