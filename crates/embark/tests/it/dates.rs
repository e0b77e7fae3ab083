//! Dates in the past are refused where they make no sense, with the message next to the
//! field and nothing written; recording an engagement that already started is an
//! explicit choice that sends nothing; nobody is emailed because a date was just set.

use axum::http::StatusCode;

use crate::engagements::{id_of, kickoff, Kickoff};
use crate::helpers::count_rows;

/// Everything a refused request must leave as it was.
async fn snapshot(k: &Kickoff) -> (i64, i64, i64, i64, i64) {
    let s = &k.app.state;
    (
        count_rows(s, "SELECT COUNT(*) FROM engagements").await,
        count_rows(s, "SELECT COUNT(*) FROM jobs").await,
        count_rows(s, "SELECT COUNT(*) FROM engagement_events").await,
        count_rows(s, "SELECT CAST(COALESCE(SUM(due_at), 0) AS BIGINT) FROM engagement_items").await,
        count_rows(s, "SELECT COUNT(*) FROM next_steps").await,
    )
}

fn hours_ago(k: &Kickoff, hours: i64) -> String {
    let at = jiff::Timestamp::from_millisecond(k.app.state.now().as_millis() - hours * 3_600_000).unwrap();
    at.to_zoned(jiff::tz::TimeZone::get("Europe/Paris").unwrap()).strftime("%Y-%m-%dT%H:%M").to_string()
}

#[tokio::test]
async fn a_kickoff_moved_a_meeting_set_or_a_next_step_due_in_the_past_is_refused_and_nothing_is_written() {
    let mut k = kickoff().await;
    k.app.allow_leftover_jobs();
    let before = snapshot(&k).await;
    let yesterday = hours_ago(&k, 24);

    let r = k.am.post_form(&format!("/engagements/{}/anchor", k.engagement), &[("anchor", &yesterday)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("This date is in the past."), "{}", r.body);
    assert_eq!(snapshot(&k).await, before);

    let r =
        k.am.post_form(
            &format!("/engagements/{}/meeting/logistics", k.engagement),
            &[("place", "Visio: https://meet.example/acme"), ("starts_at", &yesterday), ("duration_minutes", "60")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("The start is already past"), "{}", r.body);
    assert_eq!(snapshot(&k).await, before);
    let place: Option<String> = embark_store::query_scalar("SELECT place FROM meetings")
        .fetch_optional(&mut k.app.state.store.db())
        .await
        .unwrap()
        .flatten();
    assert!(place.as_deref().unwrap_or("").is_empty(), "no logistics written: {place:?}");

    let r =
        k.am.post_form(
            &format!("/engagements/{}/meeting/next-step", k.engagement),
            &[("kind", "sourcing"), ("title", "Long list"), ("owner_id", &k.am_id), ("due_at", &yesterday)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("This date is in the past: give a date to come."), "{}", r.body);
    assert_eq!(snapshot(&k).await, before);
    assert!(k.app.emails_to("claire@client.test").iter().all(|e| !e.kind.contains("reminder")), "no email");
}

#[tokio::test]
async fn a_past_engagement_is_recorded_only_on_purpose_and_sends_nothing() {
    let mut k = kickoff().await;
    k.app.allow_leftover_jobs();
    k.app.drain_jobs().await;
    let playbook =
        id_of(&k.app, "SELECT id FROM playbooks WHERE key = 'recruitment-kickoff' AND language = $1", "en").await;
    let last_week = hours_ago(&k, 24 * 7);
    let client = format!("client_contact:{}", k.client_id);
    let fields = |past: &'static str| {
        vec![
            ("playbook_id", playbook.clone()),
            ("title", "Head of sales — Acme (held last week)".to_string()),
            ("subject", "Acme".to_string()),
            ("anchor", last_week.clone()),
            ("participant", client.clone()),
            ("record_past", past.to_string()),
        ]
    };
    let before = snapshot(&k).await;
    let form = fields("0");
    let pairs: Vec<(&str, &str)> = form.iter().map(|(a, b)| (*a, b.as_str())).collect();
    let r = k.am.post_form("/engagements", &pairs).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("id=\"anchor-error\""), "the message is next to the date: {}", r.body);
    assert!(r.body.contains("Head of sales — Acme (held last week)"), "what was typed is kept");
    assert_eq!(snapshot(&k).await, before);

    let form = fields("1");
    let pairs: Vec<(&str, &str)> = form.iter().map(|(a, b)| (*a, b.as_str())).collect();
    let r = k.am.post_form("/engagements", &pairs).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let after = snapshot(&k).await;
    assert_eq!(after.0, before.0 + 1, "recorded");
    assert_eq!(after.1, before.1, "no reminder, no survey, no job at all");
    let page = k.am.get(r.location()).await;
    assert!(page.body.contains("recorded the engagement after it started (no reminders)"), "{}", page.body);
    k.app.drain_jobs().await;
    assert!(k.app.emails_to("claire@client.test").iter().all(|e| !e.kind.contains("reminder")));
}

#[tokio::test]
async fn steps_already_due_when_an_engagement_starts_email_nobody_at_once() {
    let mut k = kickoff().await;
    k.app.allow_leftover_jobs();
    k.app.drain_jobs().await;
    let sent = k.app.emails().len();
    // A kick-off in 30 hours: its 72 h and 48 h prerequisites are due already.
    let soon = {
        let at = jiff::Timestamp::from_millisecond(k.app.state.now().as_millis() + 30 * 3_600_000).unwrap();
        at.to_zoned(jiff::tz::TimeZone::get("Europe/Paris").unwrap()).strftime("%Y-%m-%dT%H:%M").to_string()
    };
    let playbook =
        id_of(&k.app, "SELECT id FROM playbooks WHERE key = 'recruitment-kickoff' AND language = $1", "en").await;
    let client = format!("client_contact:{}", k.client_id);
    let r =
        k.am.post_form(
            "/engagements",
            &[
                ("playbook_id", &playbook),
                ("title", "Urgent search"),
                ("subject", "Acme"),
                ("anchor", &soon),
                ("participant", &client),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    k.app.drain_jobs().await;
    let reminders: Vec<_> =
        k.app.emails()[sent..].iter().filter(|e| e.kind.contains("reminder")).map(|e| e.subject.clone()).collect();
    assert!(reminders.is_empty(), "nobody is emailed because of a date just set: {reminders:?}");
    let page = k.am.get(r.location()).await;
    assert!(page.body.contains("is-overdue"), "they show as overdue on the page");
}

#[tokio::test]
async fn a_person_takes_only_a_role_of_their_kind_and_a_refusal_writes_nothing() {
    let mut k = kickoff().await;
    k.app.allow_leftover_jobs();
    let mut ada = k.app.client();
    ada.sign_in("admin@acme.test", crate::helpers::PASSWORD).await;
    let r = ada
        .post_form(
            "/users/invite",
            &[("name", "Nina New"), ("email", "nina@acme.test"), ("role", "new_hire"), ("locale", "en")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let nina = id_of(&k.app, "SELECT id FROM users WHERE email = $1", "nina@acme.test").await;
    let playbook =
        id_of(&k.app, "SELECT id FROM playbooks WHERE key = 'recruitment-kickoff' AND language = $1", "en").await;
    let form = k.am.get(&format!("/engagements/new?playbook={playbook}")).await;
    let am_select = form.body.split("id=\"role-account_manager\"").nth(1).unwrap_or_default();
    let am_select = am_select.split("</select>").next().unwrap_or_default();
    assert!(!am_select.contains(&nina), "a new hire is not offered as account manager");
    let before = snapshot(&k).await;
    let in_a_week = {
        let at = jiff::Timestamp::from_millisecond(k.app.state.now().as_millis() + 7 * 86_400_000).unwrap();
        at.to_zoned(jiff::tz::TimeZone::get("Europe/Paris").unwrap()).strftime("%Y-%m-%dT%H:%M").to_string()
    };
    let wrong = format!("account_manager:{nina}");
    let r =
        k.am.post_form(
            "/engagements",
            &[
                ("playbook_id", &playbook),
                ("title", "Search"),
                ("subject", "Acme"),
                ("anchor", &in_a_week),
                ("participant", &wrong),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("This person cannot take that role"), "{}", r.body);
    assert_eq!(snapshot(&k).await, before);
}

#[tokio::test]
async fn a_date_in_year_9999_or_1970_is_refused_and_a_link_lives_thirty_days_at_most() {
    let mut k = kickoff().await;
    k.app.allow_leftover_jobs();
    let before = snapshot(&k).await;
    // Moving the kick-off, a meeting or a next step to year 9999: refused on its field.
    let r = k.am.post_form(&format!("/engagements/{}/anchor", k.engagement), &[("anchor", "9999-06-30T09:00")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("Give a date within five years from today"), "{}", r.body);
    let r =
        k.am.post_form(
            &format!("/engagements/{}/meeting/next-step", k.engagement),
            &[("kind", "sourcing"), ("title", "Long list"), ("owner_id", &k.am_id), ("due_at", "9999-01-01")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("Give a date within five years from today"), "{}", r.body);
    // Through the API too, named on the field; a past engagement of 1970 no more.
    let token = k.am.create_api_token("crm").await;
    let playbook =
        id_of(&k.app, "SELECT id FROM playbooks WHERE key = 'recruitment-kickoff' AND language = $1", "en").await;
    for (anchor, record_past) in [("9999-06-30T09:00:00Z", false), ("1970-01-02T09:00:00Z", true)] {
        let body = serde_json::json!({
            "playbook_id": playbook, "title": "Far away", "subject": "Acme", "anchor": anchor, "record_past": record_past,
        });
        let r = k.am.api_post("/api/v1/engagements", &token, "application/json", &body.to_string()).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{anchor}: {}", r.body);
        let errors = r.json()["errors"].clone();
        assert_eq!(
            (errors[0]["field"].as_str(), errors[0]["code"].as_str()),
            (Some("anchor"), Some("error-date-too-far"))
        );
    }
    assert_eq!(snapshot(&k).await, before, "nothing written");

    // A kick-off two months ahead: the scorecard's sign-in link still lasts thirty days at most.
    let far = {
        let at = jiff::Timestamp::from_millisecond(k.app.state.now().as_millis() + 60 * 86_400_000).unwrap();
        at.to_zoned(jiff::tz::TimeZone::get("Europe/Paris").unwrap()).strftime("%Y-%m-%dT%H:%M").to_string()
    };
    let r = k.am.post_form(&format!("/engagements/{}/anchor", k.engagement), &[("anchor", &far)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let due = {
        let at = jiff::Timestamp::from_millisecond(k.app.state.now().as_millis() + 50 * 86_400_000).unwrap();
        at.to_zoned(jiff::tz::TimeZone::get("Europe/Paris").unwrap()).strftime("%Y-%m-%dT%H:%M").to_string()
    };
    let r = k.am.post_form(&format!("/engagements/{}/scorecard/send", k.engagement), &[("due_at", &due)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let longest = count_rows(&k.app.state, "SELECT MAX(expires_at - created_at) FROM magic_links").await;
    assert_eq!(longest, 30 * 86_400_000, "thirty days, not the sixty until the kick-off");
}
