//! Surveys in a real browser: the new hire answers the eNPS from its email on a phone,
//! and the account manager reads a year of results on a desktop.

use std::time::Duration;

use thirtyfour::prelude::*;

use super::{click, fill, seen, sign_in, visit, wait_for_text, Chrome};
use crate::helpers::{link_in, TestApp};

const DAY: Duration = Duration::from_secs(86_400);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_new_hire_answers_the_enps_on_her_phone_and_the_results_show_a_year() {
    let app = TestApp::spawn().await;
    embark::demo::seed(&app.state).await.unwrap();
    app.allow_leftover_jobs();
    let base = app.serve();
    let mut chrome = Chrome::start().await;

    // Day 30 of Zoé's journey (she starts in 16 days): the eNPS goes out.
    app.advance((embark::demo::START_IN_DAYS as u32 + 31) * DAY);
    app.drain_jobs().await;
    app.drain_jobs().await;
    let mail = app
        .emails_to(embark::demo::NEW_HIRE)
        .into_iter()
        .find(|e| e.kind == "survey")
        .expect("the eNPS was emailed to the new hire");
    let url = link_in(&mail, "/s/");

    let phone = chrome.session(390, 844).await;
    visit(&phone, &base, url.trim_start_matches(base.as_str()), "survey-answer-phone-fr", 390, None).await;
    wait_for_text(&phone, "Recommanderiez-vous votre nouvelle entreprise à vos amis").await;
    // A comment without a score: refused next to the scale, the comment kept.
    let comment = "Accueil chaleureux ; mon ordinateur est arrivé au bout de trois jours, le reste était parfait.";
    fill(&phone, "#comment", comment).await;
    click(&phone, "#send-answer").await;
    wait_for_text(&phone, "Choisissez une note de 0 à 10.").await;
    let kept = phone.find(By::Css("#comment")).await.unwrap().prop("value").await.unwrap();
    assert_eq!(kept.as_deref(), Some(comment));
    seen(&phone, "survey-answer-error-phone-fr").await;
    let score = phone.find(By::Css("input[name=score][value='8']")).await.unwrap();
    // The radio is visually replaced by its label: click the label, as a person would.
    phone.find(By::XPath("//input[@name='score'][@value='8']/..")).await.unwrap().click().await.unwrap();
    assert!(score.is_selected().await.unwrap(), "the label selects the score");
    click(&phone, "#send-answer").await;
    wait_for_text(&phone, "votre réponse est enregistrée").await;
    visit(&phone, &base, phone.current_url().await.unwrap().path(), "survey-thanks-phone-fr", 390, None).await;

    // The account manager reads the eNPS: a year of answers, with the interval.
    let desk = chrome.session(1280, 900).await;
    sign_in(&desk, &base, embark::demo::ACCOUNT_MANAGER, embark::demo::PASSWORD).await;
    wait_for_text(&desk, "Enquêtes").await;
    click(&desk, "nav a[href='/surveys']").await;
    wait_for_text(&desk, "Vos premières semaines").await;
    visit(&desk, &base, "/surveys", "surveys-list-desktop-fr", 1280, None).await;
    desk.find(By::LinkText("Vos premières semaines")).await.unwrap().click().await.unwrap();
    wait_for_text(&desk, "intervalle à 95").await;
    let path = desk.current_url().await.unwrap().path().to_string();
    visit(&desk, &base, &path, "survey-results-desktop-fr", 1280, None).await;
    let detail = desk.find(By::Id("survey-detail")).await.unwrap().text().await.unwrap();
    // The twelve months up to now: the history still in the window, and hers.
    let (from, _) = embark::surveys::service::last_twelve_months(app.state.now());
    let (in_window,): (i64,) = embark_store::query_as(
        "SELECT CAST(SUM(c.answers) AS BIGINT) FROM survey_counts c JOIN surveys s ON s.id = c.survey_id \
         WHERE s.key = 'enps' AND c.month >= $1",
    )
    .bind(from.as_str())
    .fetch_one(&mut app.state.store.db())
    .await
    .unwrap();
    assert!(in_window > 20, "a year of history: {in_window}");
    assert!(detail.contains(&format!("{in_window} réponses")), "{in_window} answers in the window: {detail}");
    let (months,): (i64,) = embark_store::query_as(
        "SELECT CAST(COUNT(DISTINCT c.month) AS BIGINT) FROM survey_counts c JOIN surveys s ON s.id = c.survey_id \
         WHERE s.key = 'enps' AND c.month >= $1",
    )
    .bind(from.as_str())
    .fetch_one(&mut app.state.store.db())
    .await
    .unwrap();
    let rows = desk.find_all(By::Css("table.compact tbody tr")).await.unwrap();
    assert_eq!(rows.len() as i64, 1 + months, "the distribution's row and one per month with answers");
    let phone_results = chrome.session(390, 844).await;
    sign_in(&phone_results, &base, embark::demo::ACCOUNT_MANAGER, embark::demo::PASSWORD).await;
    // On a phone the sections are under the Menu button.
    click(&phone_results, ".nav-toggle").await;
    wait_for_text(&phone_results, "Enquêtes").await;
    visit(&phone_results, &base, &path, "survey-results-phone-fr", 390, None).await;
}
