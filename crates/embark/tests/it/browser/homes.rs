//! Each person's home with the demo, as they see it: what they have to do, most
//! pressing first, and nothing that belongs to someone else.

use thirtyfour::prelude::*;

use super::{click, fill, seen, sign_in, visit, wait_for_text, Chrome};
use crate::helpers::{link_in, TestApp};

/// Signs in by the emailed link, as a client or a new hire does.
pub(super) async fn sign_in_by_link(driver: &WebDriver, base: &str, app: &TestApp, email: &str) {
    driver.goto(format!("{base}/login")).await.unwrap();
    fill(driver, "#link-email", email).await;
    click(driver, "form[action='/login/link'] button[type=submit]").await;
    wait_for_text(driver, email).await;
    seen(driver, "link-sent").await;
    app.drain_jobs().await;
    let mail = app.emails_to(email).pop().expect("a sign-in link");
    driver.goto(link_in(&mail, "http")).await.unwrap();
    click(driver, "#continue").await;
}

async fn actions(driver: &WebDriver) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for li in driver.find_all(By::Css(".next-action")).await.unwrap() {
        let title = li.find(By::Css("a")).await.unwrap().text().await.unwrap();
        out.push((title, li.class_name().await.unwrap().unwrap_or_default()));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_person_of_the_demo_sees_what_they_have_to_do() {
    let app = TestApp::spawn().await;
    embark::demo::seed(&app.state).await.unwrap();
    app.allow_leftover_jobs();
    let base = app.serve();
    let mut chrome = Chrome::start().await;

    // The account manager: the kick-off's prerequisites and the new hire's steps she owns as manager.
    let am = chrome.session(1280, 900).await;
    sign_in(&am, &base, embark::demo::ACCOUNT_MANAGER, embark::demo::PASSWORD).await;
    wait_for_text(&am, "À faire").await;
    visit(&am, &base, "/", "home-account-manager-desktop-fr", 1280, None).await;
    let mine = actions(&am).await;
    assert!(mine.iter().any(|(t, _)| t.starts_with("Client formé à la scorecard")), "{mine:?}");
    assert!(!mine.iter().any(|(t, _)| t.starts_with("Accord du client")), "the client's own gate is hers: {mine:?}");
    assert!(am.find(By::Id("mine-title")).await.is_ok(), "her engagements are listed");

    // The client: her own action on the kick-off, nothing of the firm's.
    let client = chrome.session(390, 844).await;
    sign_in_by_link(&client, &base, &app, embark::demo::CLIENT).await;
    wait_for_text(&client, "À faire").await;
    visit(&client, &base, "/", "home-client-phone-fr", 390, None).await;
    let hers = actions(&client).await;
    assert!(!hers.is_empty(), "the client has something to do");
    // Her action leads to where it is done: agreeing on the return date is on the scorecard.
    client.find(By::Css(".next-action a")).await.unwrap().click().await.unwrap();
    wait_for_text(&client, "Scorecard").await;
    seen(&client, "home-client-action-scorecard-phone-fr").await;
    assert!(
        client.current_url().await.unwrap().path().ends_with("/scorecard"),
        "{}",
        client.current_url().await.unwrap()
    );
    assert!(hers.iter().all(|(t, _)| !t.starts_with("Client formé")), "not the firm's steps: {hers:?}");

    // The new hire: her pre-boarding steps, with her journey's progress.
    let hire = chrome.session(390, 844).await;
    sign_in_by_link(&hire, &base, &app, embark::demo::NEW_HIRE).await;
    wait_for_text(&hire, "Ce à quoi vous participez").await;
    visit(&hire, &base, "/", "home-new-hire-phone-fr", 390, None).await;
    let body = hire.find(By::Tag("main")).await.unwrap().text().await.unwrap();
    assert!(body.contains("Arrivée de Zoé Lambert"), "{body}");
}
