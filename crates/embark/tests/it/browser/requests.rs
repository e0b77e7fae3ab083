//! Requests in a real browser: the client complains from her phone, in French, with
//! a long message; her account manager answers and resolves it on a desktop; she
//! reads the answer and the resolution, never the firm's verdict on its delay.

use thirtyfour::prelude::*;

use super::homes::sign_in_by_link;
use super::{choose, click, fill, seen, sign_in, visit, wait_for_text, Chrome};
use crate::helpers::TestApp;

const BODY: &str = "Bonjour, la shortlist promise pour lundi n’est pas arrivée et notre comité se réunit jeudi. \
Pourriez-vous nous dire quand nous la recevrons, et si les deux profils évoqués au kick-off y figurent ? \
Notre visio de suivi reste https://meet.example.com/dubois-sa/suivi-hebdomadaire-directrice-financiere?pwd=8f3kq2";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_complains_from_her_phone_and_her_account_manager_answers_and_resolves() {
    let app = TestApp::spawn().await;
    embark::demo::seed(&app.state).await.unwrap();
    app.allow_leftover_jobs();
    let base = app.serve();
    let mut chrome = Chrome::start().await;

    let phone = chrome.session(390, 844).await;
    sign_in_by_link(&phone, &base, &app, embark::demo::CLIENT).await;
    wait_for_text(&phone, "À faire").await;
    // On a phone the sections fold under one button: the top bar is two rows, not five.
    let bar = phone.find(By::Css(".topbar")).await.unwrap().rect().await.unwrap();
    assert!(bar.height < 130.0, "a compact top bar on a phone: {} px", bar.height);
    assert!(!phone.find(By::Css("nav a[href='/requests']")).await.unwrap().is_displayed().await.unwrap());
    click(&phone, ".nav-toggle").await;
    let account = phone.find(By::Css("nav a[href='/account']")).await.unwrap();
    assert!(account.is_displayed().await.unwrap(), "every section, her account included, once open");
    seen(&phone, "nav-open-client-phone-fr").await;
    click(&phone, "nav a[href='/requests']").await;
    wait_for_text(&phone, "la personne qui suit votre parcours vous répond ici").await;
    visit(&phone, &base, "/requests", "requests-client-phone-fr", 390, None).await;
    let listed = phone.find(By::Id("requests")).await.unwrap().text().await.unwrap();
    assert!(listed.contains("Préparer le kick-off"), "her own requests: {listed}");
    assert!(!listed.contains("Que dois-je apporter"), "not the new hire's: {listed}");
    click(&phone, "a[href='/requests/new?kind=complaint']").await;
    wait_for_text(&phone, "Faire une réclamation").await;
    seen(&phone, "request-new-client-phone-fr").await;

    // Sent without a subject: refused next to the field, her long message kept.
    choose(&phone, "#category", "Les candidats").await;
    fill(&phone, "#body", BODY).await;
    click(&phone, "#send-request").await;
    wait_for_text(&phone, "Écrivez un objet d’au moins 3 caractères.").await;
    let kept = phone.find(By::Css("#body")).await.unwrap().prop("value").await.unwrap();
    assert_eq!(kept.as_deref(), Some(BODY));
    seen(&phone, "request-new-error-client-phone-fr").await;
    fill(&phone, "#subject", "La shortlist annoncée pour lundi n’est pas arrivée").await;
    click(&phone, "#send-request").await;
    wait_for_text(&phone, "Votre demande est envoyée.").await;
    let path = phone.current_url().await.unwrap().path().to_string();
    visit(&phone, &base, &path, "request-client-phone-fr", 390, None).await;
    assert!(phone
        .find(By::Id("request-status"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        .contains("En attente de réponse"));

    // Thomas, her account manager, has it on his home and answers.
    app.drain_jobs().await;
    let desk = chrome.session(1280, 900).await;
    sign_in(&desk, &base, embark::demo::ACCOUNT_MANAGER, embark::demo::PASSWORD).await;
    wait_for_text(&desk, "La shortlist annoncée pour lundi").await;
    let home = desk.find(By::Css(".next-actions")).await.unwrap().text().await.unwrap();
    assert!(home.contains("Répondre à Claire Dubois"), "{home}");
    seen(&desk, "home-request-am-desktop-fr").await;
    desk.find(By::PartialLinkText("La shortlist annoncée")).await.unwrap().click().await.unwrap();
    wait_for_text(&desk, "En attente d’une première réponse").await;
    seen(&desk, "request-am-desktop-fr").await;
    fill(&desk, "#message", "Toutes mes excuses : elle part demain à midi, avec les deux profils évoqués.").await;
    click(&desk, "#send-reply").await;
    wait_for_text(&desk, "Votre réponse est envoyée.").await;
    fill(&desk, "#resolution-text", "Shortlist de cinq profils envoyée mardi ; comité tenu jeudi.").await;
    click(&desk, "#resolve").await;
    wait_for_text(&desk, "La demande est résolue").await;
    seen(&desk, "request-resolved-am-desktop-fr").await;
    click(&desk, "nav a[href='/requests']").await;
    wait_for_text(&desk, "sur les 12 derniers mois").await;
    visit(&desk, &base, "/requests", "requests-am-desktop-fr", 1280, None).await;

    // She reads the answer and the resolution, in her words and his.
    phone.goto(format!("{base}{path}")).await.unwrap();
    wait_for_text(&phone, "elle part demain à midi").await;
    let status = phone.find(By::Id("request-status")).await.unwrap().text().await.unwrap();
    assert_eq!(status, "Résolue");
    assert!(phone.find(By::Id("resolve")).await.is_err(), "no resolve button for her");
    visit(&phone, &base, &path, "request-resolved-client-phone-fr", 390, None).await;
    phone.quit().await.unwrap();
    desk.quit().await.unwrap();
}
