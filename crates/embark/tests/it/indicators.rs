//! The indicators dashboard over HTTP: the figures of a period on the page, in the CSV
//! and in the API agree with what happened; a bad period is refused next to its field;
//! only those who read results see it.

use std::time::Duration;

use axum::http::StatusCode;

use crate::engagements::kickoff;
use crate::helpers::{link_in, path_of, PASSWORD};

const HOUR: Duration = Duration::from_secs(3600);

#[tokio::test]
async fn the_dashboard_shows_a_periods_figures_on_the_page_in_the_csv_and_in_the_api() {
    let mut k = kickoff().await;
    let invitation = k.app.emails_to("claire@client.test");
    let mut claire = k.app.client();
    claire.sign_in_with_link(&path_of(&link_in(&invitation[0], "http"))).await;
    // Two complaints: one answered in 3 h (on time), one in 30 h (late).
    for (subject, after) in [("First", 3), ("Second", 30)] {
        let r = claire
            .post_form(
                "/requests",
                &[
                    ("kind", "complaint"),
                    ("category", "search"),
                    ("subject", subject),
                    ("body", "Something went wrong."),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let path = r.location().split('?').next().unwrap().to_string();
        k.app.advance(after * HOUR);
        let r = k.am.post_form(&format!("{path}/messages"), &[("message", "On it.")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    k.app.drain_jobs().await;

    let token = k.am.create_api_token("bi").await;
    let r = k.am.api_get("/api/v1/indicators", &token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = r.json();
    let row = |key: &str| v["indicators"].as_array().unwrap().iter().find(|r| r["key"] == key).unwrap().clone();
    let rate = row("response_rate_to_clients");
    assert_eq!(
        (rate["value"].as_f64(), rate["unit"].as_str(), rate["base"].as_i64()),
        (Some(50.0), Some("percent"), Some(2))
    );
    let first = row("complaint_first_response");
    assert_eq!((first["value"].as_f64(), first["base"].as_i64()), (Some(16.5), Some(2)), "(3 h + 30 h) / 2");
    let progress = row("onboarding_progress");
    assert_eq!((progress["value"].as_f64(), progress["base"].as_i64()), (Some(0.0), Some(1)), "one kick-off running");
    let nps = row("client_nps");
    assert!(nps["value"].is_null() && nps["base"] == 0, "no answer yet: {nps}");

    let page = k.am.get("/indicators").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("<strong class=\"figure-value\">50%</strong>"), "{}", page.body);
    assert!(page.body.contains("<strong class=\"figure-value\">16 h 30 min</strong>"), "{}", page.body);
    assert!(page.body.contains("of 2 requests and complaints from clients"), "{}", page.body);

    let csv =
        k.am.get(&format!("/indicators.csv?from={}&to={}", v["from"].as_str().unwrap(), v["to"].as_str().unwrap()))
            .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.content_type().starts_with("text/csv"));
    let line = csv.body.lines().find(|l| l.starts_with("complaint_first_response,")).expect("the row");
    assert!(line.ends_with(",16.5,hours,,,2,false"), "{line}");

    // A period long before: nothing in it.
    let old = k.am.api_get("/api/v1/indicators?from=2020-01&to=2020-12", &token).await;
    let rows = old.json()["indicators"].as_array().unwrap().clone();
    let rate = rows.iter().find(|r| r["key"] == "response_rate_to_clients").unwrap();
    assert!(rate["value"].is_null() && rate["base"] == 0, "{rate}");

    // A bad month or an upside-down period: named next to its field, typed value kept.
    let bad = k.am.get("/indicators?from=2026-13&to=2026-12").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"from-error\">Give a month as year-month"), "{}", bad.body);
    assert!(bad.body.contains("value=\"2026-13\""), "{}", bad.body);
    let upside = k.am.api_get("/api/v1/indicators?from=2026-12&to=2026-01", &token).await;
    assert_eq!(upside.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", upside.body);
    assert!(upside.body.contains("error-period-order"), "{}", upside.body);

    // A client does not read the firm's indicators.
    assert_eq!(claire.get("/indicators").await.status, StatusCode::FORBIDDEN);
    assert_eq!(claire.get("/indicators.csv").await.status, StatusCode::FORBIDDEN);
    let mut admin = k.app.client();
    admin.sign_in("admin@acme.test", PASSWORD).await;
    assert_eq!(admin.get("/indicators").await.status, StatusCode::OK);
}
