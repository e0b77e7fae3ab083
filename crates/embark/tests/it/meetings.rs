//! The kick-off meeting over HTTP: logistics and their lock, the invitation with its
//! `.ics`, attendance confirmation and the no-show alert, readiness, the runner, the
//! report with its reminders and acknowledgement, the feedback and the quality panel.

use std::time::Duration;

use axum::http::StatusCode;
use embark_core::Role;

use crate::engagements::{item_state, kickoff, Kickoff};
use crate::helpers::{count_rows, link_in, path_of, PASSWORD};

async fn local(k: &Kickoff, hours_from_now: i64) -> String {
    let tz = k.app.state.config.default_time_zone.clone();
    let at = jiff::Timestamp::from_millisecond(k.app.state.now().as_millis() + hours_from_now * 3_600_000).unwrap();
    at.to_zoned(jiff::tz::TimeZone::get(&tz).unwrap()).strftime("%Y-%m-%dT%H:%M").to_string()
}

fn url(k: &Kickoff, action: &str) -> String {
    format!("/engagements/{}/meeting/{action}", k.engagement)
}

/// Logistics set and locked, the invitation sent and drained.
async fn invited(k: &mut Kickoff) {
    let start = local(k, 100).await;
    let r =
        k.am.post_form(
            &url(k, "logistics"),
            &[("place", "Visio: https://meet.example/acme"), ("starts_at", &start), ("duration_minutes", "60")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = k.am.post_form(&url(k, "lock"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = k.am.post_form(&url(k, "invite"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    k.app.drain_jobs().await;
}

#[tokio::test]
async fn logistics_are_checked_locked_and_the_invitation_carries_a_calendar_event() {
    let mut k = kickoff().await;
    let page = k.am.get(&format!("/engagements/{}/meeting", k.engagement)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Not ready"), "nothing is ready yet");

    // Bad input: every problem named, nothing saved.
    let r =
        k.am.post_form(&url(&k, "logistics"), &[("place", " "), ("starts_at", "soon"), ("duration_minutes", "5")])
            .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for msg in [
        "Give the place or the video link.",
        "Give the start as a date and time.",
        "Give a length between 15 and 480 minutes.",
    ] {
        assert!(r.body.contains(msg), "{msg}");
    }
    assert_eq!(count_rows(&k.app.state, "SELECT COUNT(*) FROM meetings WHERE place <> ''").await, 0);
    // What was typed is kept, each reason next to its field.
    assert!(r.body.contains("name=\"starts_at\" type=\"datetime-local\" value=\"soon\""), "{}", r.body);
    assert!(r.body.contains("max=\"480\" value=\"5\""), "{}", r.body);
    for id in ["place-error", "starts-at-error", "duration-error"] {
        assert!(r.body.contains(&format!("<p class=\"field-error\" id=\"{id}\">")), "{id}: {}", r.body);
    }
    // Locking needs a place first; the invitation needs the lock.
    let r = k.am.post_form(&url(&k, "lock"), &[]).await;
    assert!(r.body.contains("Give the place or the video link."));
    let r = k.am.post_form(&url(&k, "invite"), &[]).await;
    assert!(r.body.contains("Lock the logistics before sending the invitation."));

    invited(&mut k).await;
    assert_eq!(item_state(&k, "logistics-locked").await, "done", "the lock closes the prerequisite");
    let r =
        k.am.post_form(
            &url(&k, "logistics"),
            &[("place", "Paris"), ("starts_at", &local(&k, 90).await), ("duration_minutes", "60")],
        )
        .await;
    assert!(r.body.contains("The logistics are locked"));
    // Unlocking reopens the prerequisite, and the board's progress follows; locking again closes it.
    let closed = || async {
        count_rows(&k.app.state, &format!("SELECT items_closed FROM engagements WHERE id = '{}'", k.engagement)).await
    };
    let locked_closed = closed().await;
    assert_eq!(k.am.post_form(&url(&k, "unlock"), &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(item_state(&k, "logistics-locked").await, "todo");
    assert_eq!(closed().await, locked_closed - 1, "the summary counts the reopened gate");
    assert_eq!(k.am.post_form(&url(&k, "lock"), &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(item_state(&k, "logistics-locked").await, "done");
    assert_eq!(closed().await, locked_closed);

    let mails = k.app.emails_to("claire@client.test");
    let inv = mails.iter().find(|m| m.kind == "meeting_invitation").expect("an invitation");
    let ics = inv.calendar.as_deref().expect("a calendar event");
    assert!(ics.contains("METHOD:REQUEST") && ics.contains("BEGIN:VTIMEZONE"), "{ics}");
    assert!(ics.contains("DTSTART;TZID=") && ics.contains("SEQUENCE:1"), "{ics}");
    assert!(ics.contains("ATTENDEE;CN=Claire Client") && ics.contains("mailto:claire@client.test"), "{ics}");
    assert!(ics.contains("LOCATION:Visio: https://meet.example/acme"), "{ics}");
    assert!(k.app.emails_to("tom@acme.test").iter().any(|m| m.kind == "meeting_invitation"), "the AM is invited too");

    // The client confirms from the email: recorded with its time, once.
    let link = link_in(inv, &format!("{}/a/", k.app.state.config.base_url));
    let mut anon = k.app.client();
    let page = anon.get(&path_of(&link)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("I will attend"));
    // The page says what it is about (when, where) and leads to her own space.
    assert!(
        page.body.contains("<dt>When</dt>") && page.body.contains("Visio: https://meet.example/acme"),
        "{}",
        page.body
    );
    assert!(page.body.contains("id=\"to-portal\""), "{}", page.body);
    let r = anon.post_form(&path_of(&link), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = anon.get(&path_of(&link)).await;
    assert!(page.body.contains("your attendance is confirmed"), "{}", page.body);
    assert_eq!(
        count_rows(&k.app.state, "SELECT COUNT(*) FROM meeting_attendees WHERE confirmed_at IS NOT NULL").await,
        1
    );
    let page = k.am.get(&format!("/engagements/{}/meeting", k.engagement)).await;
    assert!(page.body.contains("confirmed "), "the AM sees the confirmation");
    // Every client contact confirmed: the step and its checkpoint are done by themselves.
    assert_eq!(item_state(&k, "confirmation").await, "done");
    assert_eq!(item_state(&k, "confirmation.1").await, "done");

    // A wrong or expired link says so.
    assert_eq!(anon.get("/a/not-a-token").await.status, StatusCode::NOT_FOUND);
    k.app.state.clock.advance(Duration::from_secs(200 * 3600));
    let r = anon.get(&path_of(&link)).await;
    assert_eq!(r.status, StatusCode::GONE);
    assert!(r.body.contains("This link has expired."));
    // 200 hours on, the kick-off is past and its reminders are due: not this test's subject.
    k.app.allow_leftover_jobs();
}

#[tokio::test]
async fn no_confirmation_48_hours_before_alerts_the_account_manager_once() {
    let mut k = kickoff().await;
    invited(&mut k).await;
    // The meeting is 100 h away: 52 h later the check runs.
    k.app.state.clock.advance(Duration::from_secs(53 * 3600));
    k.app.drain_jobs().await;
    let mails = k.app.emails_to("tom@acme.test");
    let alerts: Vec<_> = mails.iter().filter(|m| m.kind == "no_show_risk").collect();
    assert_eq!(alerts.len(), 1, "one alert");
    assert!(alerts[0].text.contains("No confirmation yet from Claire Client"), "{}", alerts[0].text);
    k.app.drain_jobs().await;
    let again = k.app.emails_to("tom@acme.test").into_iter().filter(|m| m.kind == "no_show_risk").count();
    assert_eq!(again, 1, "sent once");
    let page = k.am.get(&format!("/engagements/{}/meeting", k.engagement)).await;
    assert!(page.body.contains("No-show risk"));
}

#[tokio::test]
async fn a_kickoff_is_run_reported_acknowledged_and_measured() {
    let mut k = kickoff().await;
    invited(&mut k).await;
    // The meeting cannot start while its prerequisites are open.
    let r = k.am.post_form(&url(&k, "start"), &[]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("Client educated on the scorecard"), "{}", r.body);
    for gate in ["scorecard-sent", "scorecard-return-agreed", "scorecard-mastered"] {
        let r = k.am.post_form(&format!("/engagements/{}/items/{gate}", k.engagement), &[("action", "done")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{gate}: {}", r.body);
    }
    // 100 hours ahead of its planned time, starting asks first; nothing starts.
    let r = k.am.post_form(&url(&k, "start"), &[]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("more than 30 minutes from now. Start it now anyway?"), "{}", r.body);
    assert!(r.body.contains("id=\"start-early\""), "{}", r.body);
    assert_eq!(count_rows(&k.app.state, "SELECT COUNT(*) FROM meetings WHERE started_at IS NOT NULL").await, 0);
    // The API asks the same: without `early`, a clear refusal and nothing written.
    let token = k.am.create_api_token("start").await;
    let start = format!("/api/v1/engagements/{}/kickoff/start", k.engagement);
    let r = k.am.api_post(&start, &token, "application/json", "{}").await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("planned more than 30 minutes from now"), "{}", r.body);
    assert_eq!(count_rows(&k.app.state, "SELECT COUNT(*) FROM meetings WHERE started_at IS NOT NULL").await, 0);
    let r = k.am.post_form(&url(&k, "start"), &[("early", "confirmed")]).await;
    assert_eq!(r.location(), format!("/engagements/{}/runner", k.engagement));
    let r = k.am.api_post(&start, &token, "application/json", r#"{"early":true}"#).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "started once: {}", r.body);
    let runner = k.am.get(&format!("/engagements/{}/runner", k.engagement)).await;
    assert!(runner.body.contains("Ice breaker and why the kick-off matters"), "{}", runner.body);
    assert!(runner.body.contains("Ask the client"));

    // Two minutes per step, then the meeting ends: actual times are kept.
    for _ in 0..4 {
        k.app.state.clock.advance(Duration::from_secs(120));
        let r = k.am.post_form(&url(&k, "next"), &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let r = k.am.post_form(&url(&k, "next"), &[]).await;
    assert!(r.body.contains("This is the last step"), "no step after the last");
    let r = k.am.post_form(&url(&k, "extend"), &[("minutes", "0")]).await;
    assert!(r.body.contains("between 1 and 120"));
    assert_eq!(k.am.post_form(&url(&k, "extend"), &[("minutes", "10")]).await.status, StatusCode::SEE_OTHER);
    k.app.state.clock.advance(Duration::from_secs(120));
    let r =
        k.am.post_form(
            &url(&k, "next-step"),
            &[
                ("kind", "weekly_meeting"),
                ("title", "Weekly call"),
                ("owner_id", &k.client_id),
                ("due_at", &local(&k, 24 * 7).await),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = k
        .am
        .post_form(&url(&k, "next-step"), &[("kind", "holiday"), ("title", ""), ("owner_id", "nobody"), ("due_at", "")])
        .await;
    for msg in [
        "Choose the kind of next step.",
        "This field is required.",
        "Choose an owner among the people",
        "Give the due date",
    ] {
        assert!(r.body.contains(msg), "{msg}");
    }
    // A next step's outcome is recorded, an unknown outcome is not a page, a step can be deleted once.
    let extra =
        k.am.post_form(
            &url(&k, "next-step"),
            &[("kind", "sourcing"), ("title", "Long list"), ("owner_id", &k.am_id), ("due_at", &local(&k, 48).await)],
        )
        .await;
    assert_eq!(extra.status, StatusCode::SEE_OTHER, "{}", extra.body);
    let steps: Vec<(String, String)> = embark_store::query_as("SELECT id, title FROM next_steps ORDER BY title")
        .fetch_all(&mut k.app.state.store.db())
        .await
        .unwrap();
    let (long_list, weekly) = (&steps[0].0, &steps[1].0);
    let base = format!("/engagements/{}/meeting/next-steps", k.engagement);
    let outcome = |id: &str| {
        let (state, id) = (k.app.state.clone(), id.to_string());
        async move {
            embark_store::query_scalar::<String>("SELECT outcome FROM next_steps WHERE id = $1")
                .bind(id)
                .fetch_one(&mut state.store.db())
                .await
                .unwrap()
        }
    };
    assert_eq!(k.am.post_form(&format!("{base}/{weekly}/done"), &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(outcome(weekly).await, "done");
    assert_eq!(k.am.post_form(&format!("{base}/{weekly}/open"), &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(outcome(weekly).await, "open", "open again");
    assert_eq!(k.am.post_form(&format!("{base}/{weekly}/someday"), &[]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(outcome(weekly).await, "open");
    assert_eq!(k.am.post_form(&format!("{base}/{long_list}/delete"), &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(count_rows(&k.app.state, "SELECT COUNT(*) FROM next_steps").await, 1);
    assert_eq!(k.am.post_form(&format!("{base}/{long_list}/delete"), &[]).await.status, StatusCode::NOT_FOUND);
    let r = k.am.post_form(&url(&k, "end"), &[]).await;
    assert_eq!(r.location(), format!("/engagements/{}/report?done=end", k.engagement));
    // The report says when it was really held, and for how long, beside the planned time.
    let started = k.app.state.now().plus_millis(-10 * 60_000);
    let tz = jiff::tz::TimeZone::get(&k.app.state.config.default_time_zone).unwrap();
    let day = started.to_jiff().to_zoned(tz.clone());
    let held = format!(
        "Held on {}, from {} to {} (10 min)",
        day.strftime("%Y-%m-%d"),
        day.strftime("%H:%M"),
        k.app.state.now().to_jiff().to_zoned(tz).strftime("%H:%M")
    );
    let page = k.am.get(r.location()).await;
    assert!(page.body.contains(&held) && page.body.contains("Planned for "), "{held}: {}", page.body);
    let state = k.am.api_get(&format!("/api/v1/engagements/{}/kickoff", k.engagement), &token).await.json();
    assert_eq!(state["held_minutes"], 10, "{state}");
    let times: Vec<(String, i64)> =
        embark_store::query_as("SELECT step_key, ended_at - started_at FROM meeting_step_times ORDER BY started_at")
            .fetch_all(&mut k.app.state.store.db())
            .await
            .unwrap();
    assert_eq!(times.len(), 5);
    assert!(times.iter().all(|(_, ms)| *ms == 120_000), "two minutes of the clock per step: {times:?}");
    let events: Vec<(String,)> =
        embark_store::query_as("SELECT kind FROM engagement_events WHERE kind LIKE 'meeting_%' ORDER BY at, id")
            .fetch_all(&mut k.app.state.store.db())
            .await
            .unwrap();
    let events: Vec<&str> = events.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(events, ["meeting_started", "meeting_extended", "meeting_ended_on_time"]);
    assert_eq!(item_state(&k, "keep-structure").await, "done", "the meeting's end does the rule of the meeting");
    assert_eq!(item_state(&k, "report").await, "todo");

    // Not sent within 15 minutes: the AM is reminded, once.
    k.app.state.clock.advance(Duration::from_secs(16 * 60));
    k.app.drain_jobs().await;
    k.app.drain_jobs().await;
    let unsent: Vec<_> = k.app.emails_to("tom@acme.test").into_iter().filter(|m| m.kind == "report_unsent").collect();
    assert_eq!(unsent.len(), 1);

    // Decisions keep their paragraphs and line breaks, as a browser sends them.
    let decisions = "Shortlist of 4 in three weeks.\r\nSourcing starts Monday.\r\n\r\nWeekly call on Fridays.";
    let r = k.am.post_form(&url(&k, "decisions"), &[("decisions", decisions)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = k.am.get(&format!("/engagements/{}/report", k.engagement)).await;
    assert!(
        page.body
            .contains("<p>Shortlist of 4 in three weeks.<br>Sourcing starts Monday.</p><p>Weekly call on Fridays.</p>"),
        "{}",
        page.body
    );
    let r = k.am.post_form(&url(&k, "send-report"), &[]).await;
    assert_eq!(r.location(), format!("/engagements/{}/report?done=send_report", k.engagement));
    assert!(k.am.post_form(&url(&k, "send-report"), &[]).await.body.contains("already been sent"));
    assert_eq!(item_state(&k, "report").await, "done", "sending the report does its step");
    k.app.drain_jobs().await;
    let mails = k.app.emails_to("claire@client.test");
    let report = mails.iter().find(|m| m.kind == "kickoff_report").expect("the report");
    assert!(
        report.text.contains("Shortlist of 4 in three weeks.") && report.text.contains("Weekly call"),
        "{}",
        report.text
    );
    assert!(report.text.contains("Kick-off report — Head of Sales — Acme"));
    assert!(report.text.contains(&held), "{}", report.text);
    assert!(
        report.text.contains("Shortlist of 4 in three weeks.\nSourcing starts Monday.\n\nWeekly call on Fridays.\n"),
        "{}",
        report.text
    );
    assert!(report.html.contains("Shortlist of 4 in three weeks.<br>Sourcing starts Monday.</p>"), "{}", report.html);

    // Unacknowledged after 48 h: the client is reminded and the AM told, once each.
    k.app.state.clock.advance(Duration::from_secs(49 * 3600));
    k.app.drain_jobs().await;
    k.app.drain_jobs().await;
    let reminders: Vec<_> =
        k.app.emails_to("claire@client.test").into_iter().filter(|m| m.kind == "report_ack_reminder").collect();
    assert_eq!(reminders.len(), 1);
    assert_eq!(k.app.emails_to("tom@acme.test").iter().filter(|m| m.kind == "report_ack_late").count(), 1);

    // The client acknowledges from the email: the time is recorded, the survey goes out.
    let mut anon = k.app.client();
    let link = path_of(&link_in(report, "http"));
    let page = anon.get(&link).await;
    assert!(page.body.contains("I acknowledge receipt") && page.body.contains("Shortlist of 4"), "{}", page.body);
    // The report itself comes first; the button to acknowledge it goes under it.
    let (report_at, button_at) =
        (page.body.find("id=\"report-body\"").unwrap(), page.body.find("id=\"acknowledge\"").unwrap());
    assert!(report_at < button_at, "the acknowledge button is under the report");
    assert!(page.body.contains("id=\"to-portal\""), "{}", page.body);
    assert_eq!(anon.post_form(&link, &[]).await.status, StatusCode::SEE_OTHER);
    assert!(anon.get(&link).await.body.contains("Receipt acknowledged on"));
    k.app.drain_jobs().await;
    let nps =
        k.app.emails_to("claire@client.test").into_iter().find(|m| m.kind == "kickoff_nps").expect("the NPS question");
    let nps_link = path_of(&link_in(&nps, "http"));
    let r = anon.post_form(&nps_link, &[("score", "11"), ("comment", "Sharp, but the call started late.")]).await;
    assert!(r.body.contains("Choose a score from 0 to 10."));
    assert!(r.body.contains(">Sharp, but the call started late.</textarea>"), "the comment is kept: {}", r.body);
    assert!(
        r.body.contains("<p class=\"field-error\" id=\"score-error\">Choose a score from 0 to 10.</p>"),
        "next to the scale: {}",
        r.body
    );
    assert!(r.body.contains("<dt>When</dt>") && r.body.contains("id=\"to-portal\""), "{}", r.body);
    assert_eq!(
        anon.post_form(&nps_link, &[("score", "9"), ("comment", "Clear and sharp")]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(anon.post_form(&nps_link, &[("score", "2"), ("comment", "")]).await.status, StatusCode::SEE_OTHER);
    for who in ["claire@client.test", "tom@acme.test"] {
        let m = k
            .app
            .emails_to(who)
            .into_iter()
            .find(|m| m.kind == "kickoff_relationship")
            .expect("the relationship question");
        let l = path_of(&link_in(&m, "http"));
        // Only yes or no answers the relationship question; anything else records nothing.
        let before = count_rows(&k.app.state, "SELECT COUNT(*) FROM meeting_feedback").await;
        let r = anon.post_form(&l, &[("score", "maybe"), ("comment", "")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("Answer yes or no."), "{}", r.body);
        assert_eq!(count_rows(&k.app.state, "SELECT COUNT(*) FROM meeting_feedback").await, before);
        assert_eq!(anon.post_form(&l, &[("score", "yes"), ("comment", "")]).await.status, StatusCode::SEE_OTHER);
    }
    let (score,): (i64,) = embark_store::query_as("SELECT score FROM meeting_feedback WHERE question = 'nps'")
        .fetch_one(&mut k.app.state.store.db())
        .await
        .unwrap();
    assert_eq!(score, 9, "the first answer counts");
    // …and it counts once in the workspace's client NPS, named, with its comment.
    let answers: Vec<(i64, Option<String>, Option<String>)> = embark_store::query_as(
        "SELECT CAST(a.score AS BIGINT), a.comment, a.user_id FROM survey_answers a JOIN surveys s ON s.id = a.survey_id \
         WHERE s.key = 'client-nps'",
    )
    .fetch_all(&mut k.app.state.store.db())
    .await
    .unwrap();
    assert_eq!(answers, vec![(9, Some("Clear and sharp".to_string()), Some(k.client_id.clone()))]);

    let page = k.am.get(&format!("/engagements/{}/meeting", k.engagement)).await;
    assert!(page.body.contains("9/10"), "{}", page.body);
    assert!(page.body.contains(r#"class="signal good"><span>Relationship"#), "{}", page.body);
    let board = k.am.get("/kickoffs").await;
    assert_eq!(board.status, StatusCode::OK);
    assert!(board.body.contains("Head of Sales — Acme") && board.body.contains("9/10"));
    // The workspace's figures: one promoter, one report acknowledged, one meeting on time.
    assert!(board.body.contains(">+100<") && board.body.contains("1 answer"), "{}", board.body);
    assert!(board.body.contains("1 report acknowledged") && board.body.contains("100 %"), "{}", board.body);
}

#[tokio::test]
async fn the_meeting_is_the_firms_to_run_and_nobody_elses_to_see() {
    let mut k = kickoff().await;
    invited(&mut k).await;
    let base = format!("/engagements/{}", k.engagement);
    k.app.staff("Other", "eve@other.test", "Eve Other", Role::Admin).await;
    let mut eve = k.app.client();
    eve.sign_in("eve@other.test", PASSWORD).await;
    for path in ["/meeting", "/runner", "/report"] {
        assert_eq!(eve.get(&format!("{base}{path}")).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    // Every action of the meeting pages, from another workspace: 404, nothing written.
    let actions = [
        "logistics",
        "attendee-add",
        "attendee-remove",
        "lock",
        "unlock",
        "invite",
        "start",
        "next",
        "previous",
        "extend",
        "end",
        "conclusion",
        "next-step",
        "decisions",
        "send-report",
    ];
    for action in actions {
        assert_eq!(eve.post_form(&url(&k, action), &[]).await.status, StatusCode::NOT_FOUND, "{action}");
    }
    let step = format!("{base}/meeting/next-steps/{}/done", embark_core::NextStepId::new());
    assert_eq!(eve.post_form(&step, &[]).await.status, StatusCode::NOT_FOUND);
    for path in [
        "/scorecard/send",
        "/scorecard/agree",
        "/scorecard/return",
        "/scorecard/sign",
        "/scorecard/rescope",
        "/scorecard/objections",
        "/questions",
    ] {
        assert_eq!(eve.post_form(&format!("{base}{path}"), &[]).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert!(!eve.get("/kickoffs").await.body.contains("Head of Sales"), "another workspace's kick-offs stay hidden");

    // The client contact sees the meeting page but runs nothing.
    let mut claire = k.app.client();
    let before = k.app.emails_to("claire@client.test").len();
    let r = claire.post_form("/login/link", &[("email", "claire@client.test")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(k.app.drain_jobs().await, 1, "one sign-in link is sent");
    let mails = k.app.emails_to("claire@client.test");
    assert_eq!(mails.len(), before + 1);
    let sign_in = mails.last().unwrap();
    assert_eq!(sign_in.kind, "sign_in_link");
    claire.sign_in_with_link(&link_in(sign_in, "http")).await;
    let page = claire.get(&format!("{base}/meeting")).await;
    assert_eq!(page.status, StatusCode::OK);
    // She sees the meeting, never the firm's judgement: no readiness (with the account
    // manager's certification), no quality signals, no no-show risk.
    for internal in ["id=\"readiness\"", "id=\"quality\"", "id=\"no-show-risk\"", "certification"] {
        assert!(!page.body.contains(internal), "the client sees {internal}: {}", page.body);
    }
    let am_page = k.am.get(&format!("{base}/meeting")).await;
    assert!(am_page.body.contains("id=\"readiness\"") && am_page.body.contains("id=\"quality\""));
    // Her engagement page names the playbook without a link she may not follow.
    let page = claire.get(&base).await;
    assert!(!page.body.contains("href=\"/playbooks/"), "no link that leads to a refusal: {}", page.body);
    assert!(k.am.get(&base).await.body.contains("href=\"/playbooks/"));
    // The client contact may not run any of the firm's actions.
    for action in actions {
        assert_eq!(claire.post_form(&url(&k, action), &[]).await.status, StatusCode::FORBIDDEN, "{action}");
    }
    assert_eq!(claire.post_form(&step, &[]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(claire.get(&format!("{base}/runner")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        claire.get(&format!("{base}/report")).await.status,
        StatusCode::CONFLICT,
        "no report before the meeting"
    );
    assert_eq!(claire.get("/kickoffs").await.status, StatusCode::NOT_FOUND);
    assert_eq!(count_rows(&k.app.state, "SELECT COUNT(*) FROM meetings WHERE started_at IS NOT NULL").await, 0);
    assert_eq!(count_rows(&k.app.state, "SELECT COUNT(*) FROM next_steps").await, 0);
    assert_eq!(count_rows(&k.app.state, "SELECT COUNT(*) FROM meeting_reports").await, 0);
}

#[tokio::test]
async fn attendees_are_added_and_removed_before_the_lock_and_the_runner_goes_back_a_step() {
    let mut k = kickoff().await;
    let attendees = |k: &Kickoff| {
        let state = k.app.state.clone();
        async move { count_rows(&state, "SELECT COUNT(*) FROM meeting_attendees").await }
    };
    // The meeting page lists the participants as attendees once opened.
    assert_eq!(k.am.get(&format!("/engagements/{}/meeting", k.engagement)).await.status, StatusCode::OK);
    let before = attendees(&k).await;
    let guest = k.app.staff("Acme", "rita@acme.test", "Rita Researcher", Role::Coach).await;
    let guest_id = guest.id.to_string();
    let r = k.am.post_form(&url(&k, "attendee-add"), &[("user_id", &guest_id)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(attendees(&k).await, before + 1);
    let r = k.am.post_form(&url(&k, "attendee-add"), &[("user_id", "someone")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(attendees(&k).await, before + 1, "an unknown person is not added");
    let r = k.am.post_form(&url(&k, "attendee-remove"), &[("user_id", &guest_id)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(attendees(&k).await, before);

    // After the lock, the list is fixed.
    invited(&mut k).await;
    let r = k.am.post_form(&url(&k, "attendee-add"), &[("user_id", &guest_id)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("The logistics are locked"), "{}", r.body);
    assert_eq!(attendees(&k).await, before);

    // The runner goes forward then back; an overlong conclusion is refused whole.
    for gate in ["scorecard-sent", "scorecard-return-agreed", "scorecard-mastered"] {
        let r = k.am.post_form(&format!("/engagements/{}/items/{gate}", k.engagement), &[("action", "done")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{gate}");
    }
    assert_eq!(k.am.post_form(&url(&k, "start"), &[("early", "confirmed")]).await.status, StatusCode::SEE_OTHER);
    let current = || async {
        embark_store::query_scalar::<Option<String>>("SELECT current_step FROM meetings")
            .fetch_one(&mut k.app.state.store.db())
            .await
            .unwrap()
    };
    let first = current().await;
    k.app.advance(Duration::from_secs(60));
    assert_eq!(
        k.am.post_form(&url(&k, "next"), &[("from", first.as_deref().unwrap())]).await.status,
        StatusCode::SEE_OTHER
    );
    let second = current().await;
    assert_ne!(second, first);
    k.app.advance(Duration::from_secs(60));
    let r = k.am.post_form(&url(&k, "previous"), &[("from", second.as_deref().unwrap())]).await;
    assert_eq!(r.location(), format!("/engagements/{}/runner", k.engagement));
    assert_eq!(current().await, first, "back to the first step");
    let long = "x".repeat(5_001);
    let r =
        k.am.post_form(&url(&k, "conclusion"), &[("resources", &long), ("market_notes", "Few CFOs move in Q1")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("This text is too long."));
    // What was typed is kept, the reason next to its field.
    assert!(r.body.contains(">Few CFOs move in Q1</textarea>"), "{}", r.body);
    assert!(
        r.body.contains("<p class=\"field-error\" id=\"resources-error\">This text is too long.</p>"),
        "{}",
        r.body
    );
    // From the runner, the same, in the runner.
    let r =
        k.am.post_form(
            &url(&k, "conclusion"),
            &[("resources", &long), ("market_notes", "Few CFOs move in Q1"), ("back", "runner")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"exit-runner\""), "{}", r.body);
    assert_eq!(count_rows(&k.app.state, "SELECT COUNT(*) FROM meetings WHERE market_notes <> ''").await, 0);
    let r = k
        .am
        .post_form(&url(&k, "conclusion"), &[("resources", "Two researchers"), ("market_notes", "Few CFOs move in Q1")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        count_rows(&k.app.state, "SELECT COUNT(*) FROM meetings WHERE market_notes = 'Few CFOs move in Q1'").await,
        1
    );
}

#[tokio::test]
async fn decisions_before_the_meeting_has_a_report_are_refused_and_write_nothing() {
    let mut k = kickoff().await;
    let r = k.am.post_form(&url(&k, "decisions"), &[("decisions", "Shortlist by Friday")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("The report is generated when the meeting ends."), "{}", r.body);
    assert_eq!(count_rows(&k.app.state, "SELECT COUNT(*) FROM meeting_reports").await, 0);
    let long = "x".repeat(10_001);
    let r = k.am.post_form(&url(&k, "decisions"), &[("decisions", &long)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("This text is too long."), "{}", r.body);
}

/// Signs the fixture's client contact in with a link she asks for.
async fn claire(k: &Kickoff) -> crate::helpers::Client {
    let mut claire = k.app.client();
    let r = claire.post_form("/login/link", &[("email", "claire@client.test")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    k.app.drain_jobs().await;
    let mails = k.app.emails_to("claire@client.test");
    let sign_in = mails.iter().rev().find(|m| m.kind == "sign_in_link").expect("a sign-in link");
    claire.sign_in_with_link(&link_in(sign_in, "http")).await;
    claire
}

async fn progress(k: &Kickoff) -> (i64, i64, String) {
    embark_store::query_as("SELECT items_closed, items_total, state FROM engagements WHERE id = $1")
        .bind(&k.engagement)
        .fetch_one(&mut k.app.state.store.db())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_complete_kickoff_ends_at_twelve_of_twelve_with_the_client_accepting_and_doing_her_next_steps() {
    let mut k = kickoff().await;
    invited(&mut k).await;
    let inv = k.app.emails_to("claire@client.test").into_iter().find(|m| m.kind == "meeting_invitation").unwrap();
    let confirm = path_of(&link_in(&inv, &format!("{}/a/", k.app.state.config.base_url)));
    let mut anon = k.app.client();
    assert_eq!(anon.post_form(&confirm, &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(item_state(&k, "confirmation.1").await, "done", "her confirmation ticks its checkpoint");
    let items = |key: &str| format!("/engagements/{}/items/{key}", k.engagement);
    for key in ["scorecard-sent", "scorecard-return-agreed", "scorecard-mastered"] {
        assert_eq!(k.am.post_form(&items(key), &[("action", "done")]).await.status, StatusCode::SEE_OTHER, "{key}");
    }
    assert_eq!(k.am.post_form(&url(&k, "start"), &[("early", "confirmed")]).await.status, StatusCode::SEE_OTHER);
    for key in ["ice-breaker.1", "structure.1", "scorecard.1", "scorecard.2", "wrap-up.1", "next-steps.1"] {
        let r = k.am.post_form(&items(key), &[("action", "done"), ("back", "runner")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{key}: {}", r.body);
    }
    assert_eq!(item_state(&k, "scorecard").await, "done", "its last checkpoint ticked does the step");
    let (in_two_days, in_a_month) = (local(&k, 48).await, local(&k, 24 * 30).await);
    for (kind, title, owner, due) in [
        ("client_homework", "Brief the sales team", k.client_id.clone(), in_two_days),
        ("weekly_meeting", "Weekly call", k.am_id.clone(), in_a_month),
    ] {
        let r =
            k.am.post_form(
                &url(&k, "next-step"),
                &[("kind", kind), ("title", title), ("owner_id", &owner), ("due_at", &due)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let steps: Vec<(String, String)> = embark_store::query_as("SELECT title, id FROM next_steps ORDER BY title")
        .fetch_all(&mut k.app.state.store.db())
        .await
        .unwrap();
    let (homework, weekly) = (steps[0].1.clone(), steps[1].1.clone());

    // Before the report is sent, the next steps are still the firm's draft: nothing to accept.
    let mut claire = claire(&k).await;
    // A client contact may hold a token (her own integration's); it reaches only what is hers.
    let token = format!("emb_{}", embark::secrets::random_token());
    let new = embark_store::accounts::api_tokens::NewApiToken {
        workspace_id: crate::engagements::id_of(&k.app, "SELECT workspace_id FROM users WHERE id = $1", &k.client_id)
            .await
            .parse()
            .unwrap(),
        user_id: k.client_id.parse().unwrap(),
        name: "client integration",
        token_hash: &embark::secrets::token_hash(&token),
        prefix: &token[..10],
    };
    embark_store::accounts::api_tokens::create(&mut k.app.state.store.db(), new, k.app.state.now()).await.unwrap();
    let api = format!("/api/v1/engagements/{}/next-steps", k.engagement);
    let r = claire.api_post(&format!("{api}/acceptance"), &token, "application/json", "{}").await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("once the report that lists them is sent"), "{}", r.body);
    assert_eq!(count_rows(&k.app.state, "SELECT COUNT(*) FROM next_steps WHERE accepted_at IS NOT NULL").await, 0);
    assert_eq!(claire.api_get(&api, &token).await.json(), serde_json::json!([]), "not hers to read yet");

    assert_eq!(k.am.post_form(&url(&k, "end"), &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(k.am.post_form(&url(&k, "send-report"), &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(item_state(&k, "report.1").await, "done", "the report sent ticks its checkpoint");
    assert_eq!(item_state(&k, "report.2").await, "todo");
    k.app.drain_jobs().await;

    // Her home asks her to accept them, and leads to the report.
    let home = claire.get("/").await;
    assert!(home.body.contains("Accept the next steps of your kick-off"), "{}", home.body);
    assert!(home.body.contains(&format!("/engagements/{}/report#next-steps", k.engagement)));

    // The client accepts one next step from the report page, then the rest through the API.
    let report = claire.get(&format!("/engagements/{}/report", k.engagement)).await;
    assert!(report.body.contains(&format!("id=\"accept-{homework}\"")), "{}", report.body);
    assert!(report.body.contains("id=\"accept-all\""), "{}", report.body);
    assert!(
        report.body.contains("<h2>This report</h2>") && !report.body.contains("Review and send"),
        "not the firm's heading"
    );
    assert!(!k.am.get(&format!("/engagements/{}/report", k.engagement)).await.body.contains("id=\"accept-all\""));
    let r = claire
        .post_form(&format!("/engagements/{}/next-steps/{homework}/accept", k.engagement), &[("back", "report")])
        .await;
    assert_eq!(r.location(), format!("/engagements/{}/report?done=next_step_accepted#next-steps", k.engagement));
    assert_eq!(item_state(&k, "next-steps.2").await, "todo", "one of two accepted");
    let page = claire.get(&format!("/engagements/{}/report?done=next_step_accepted", k.engagement)).await;
    assert!(page.body.contains("Next step accepted.") && page.body.contains("Accepted by Claire Client on"));
    // The firm cannot accept in her name.
    let r = k.am.post_form(&format!("/engagements/{}/next-steps/accept", k.engagement), &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = claire.api_post(&format!("{api}/acceptance"), &token, "application/json", "{}").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["accepted"], 1, "{}", r.body);
    assert!(r.json()["next_steps"].as_array().unwrap().iter().all(|s| s["accepted_at"].is_string()));
    assert_eq!(item_state(&k, "next-steps.2").await, "done", "every next step accepted ticks it by itself");
    assert_eq!(item_state(&k, "next-steps").await, "done");

    // She marks her homework done; the firm's own next step is not hers to close.
    let r = claire.api_post(&format!("{api}/{weekly}/completion"), &token, "application/json", "{}").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert!(claire.get("/").await.body.contains("Your next step: Brief the sales team"), "her homework is on her home");
    let r = claire
        .post_form(&format!("/engagements/{}/next-steps/{homework}/homework-done", k.engagement), &[("back", "report")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(!claire.get("/").await.body.contains("Brief the sales team"), "done, it leaves her home");
    let r = claire.api_post(&format!("{api}/{homework}/completion"), &token, "application/json", "{}").await;
    assert_eq!(r.status, StatusCode::CONFLICT, "done once: {}", r.body);
    let outcomes: Vec<(String, String)> =
        embark_store::query_as("SELECT title, outcome FROM next_steps ORDER BY title")
            .fetch_all(&mut k.app.state.store.db())
            .await
            .unwrap();
    assert_eq!(outcomes, [("Brief the sales team".into(), "done".into()), ("Weekly call".into(), "open".into())]);

    // Her acknowledgement ticks the last checkpoint: the kick-off is complete, 12 of 12.
    let report_mail = k.app.emails_to("claire@client.test").into_iter().find(|m| m.kind == "kickoff_report").unwrap();
    assert_eq!(anon.post_form(&path_of(&link_in(&report_mail, "http")), &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(item_state(&k, "report.2").await, "done");
    assert_eq!(progress(&k).await, (12, 12, "completed".to_string()));
    let page = k.am.get(&format!("/engagements/{}", k.engagement)).await;
    assert!(page.body.contains("“Asked to acknowledge receipt, the client did.” done by itself"), "{}", page.body);
    assert!(page.body.contains("Claire Client accepted next steps"), "{}", page.body);

    // Follow-through reads her acceptances and her homework: kept before its due date.
    k.app.state.clock.advance(Duration::from_secs(50 * 3600));
    let am_token = k.am.create_api_token("quality").await;
    let kickoff = k.am.api_get(&format!("/api/v1/engagements/{}/kickoff", k.engagement), &am_token).await.json();
    let follow = kickoff["quality"].as_array().unwrap().iter().find(|q| q["name"] == "follow_through").unwrap().clone();
    assert_eq!(follow["level"], "good", "{kickoff}");
    k.app.drain_jobs().await;
    k.app.allow_leftover_jobs();
}

#[tokio::test]
async fn next_steps_are_added_changed_and_deleted_until_the_report_is_sent_and_not_after() {
    let mut k = kickoff().await;
    invited(&mut k).await;
    for gate in ["scorecard-sent", "scorecard-return-agreed", "scorecard-mastered"] {
        k.am.post_form(&format!("/engagements/{}/items/{gate}", k.engagement), &[("action", "done")]).await;
    }
    assert_eq!(k.am.post_form(&url(&k, "start"), &[("early", "confirmed")]).await.status, StatusCode::SEE_OTHER);
    for (title, hours) in [("Long list", 48), ("Shortlist", 24 * 14), ("Typo step", 72)] {
        let due = local(&k, hours).await;
        let r =
            k.am.post_form(
                &url(&k, "next-step"),
                &[("kind", "sourcing"), ("title", title), ("owner_id", &k.am_id), ("due_at", &due)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let id_of = |title: &'static str| {
        let state = k.app.state.clone();
        async move {
            embark_store::query_scalar::<String>("SELECT id FROM next_steps WHERE title = $1")
                .bind(title)
                .fetch_one(&mut state.store.db())
                .await
                .unwrap()
        }
    };
    let (long_list, shortlist, typo) = (id_of("Long list").await, id_of("Shortlist").await, id_of("Typo step").await);
    let rows = "SELECT kind || title || owner_id || CAST(due_at AS TEXT) FROM next_steps ORDER BY id";
    let snapshot = |sql: &'static str| {
        let state = k.app.state.clone();
        async move { embark_store::query_scalar::<String>(sql).fetch_all(&mut state.store.db()).await.unwrap() }
    };

    // A bad edit: each problem next to its field, what was typed kept, nothing written.
    let before = snapshot(rows).await;
    let edit = format!("{}/next-steps/{long_list}/edit", url(&k, "").trim_end_matches('/'));
    let r =
        k.am.post_form(
            &edit,
            &[
                ("kind", "shortlist"),
                ("title", "Long list of 40 names"),
                ("owner_id", &k.am_id),
                ("due_at", "yesterday"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains(&format!("id=\"due-{long_list}-error\"")), "{}", r.body);
    assert!(r.body.contains("value=\"Long list of 40 names\""), "the typed title is kept");
    assert!(r.body.contains("value=\"yesterday\""), "the typed date is kept");
    assert_eq!(snapshot(rows).await, before);
    // A good one is saved, and said in the timeline.
    let due = local(&k, 96).await;
    let r =
        k.am.post_form(
            &edit,
            &[("kind", "shortlist"), ("title", "Long list of 40 names"), ("owner_id", &k.am_id), ("due_at", &due)],
        )
        .await;
    assert_eq!(r.location(), format!("/engagements/{}/meeting?done=next_step_edited#next-steps", k.engagement));
    let saved: (String, String) = embark_store::query_as("SELECT kind, title FROM next_steps WHERE id = $1")
        .bind(&long_list)
        .fetch_one(&mut k.app.state.store.db())
        .await
        .unwrap();
    assert_eq!(saved, ("shortlist".into(), "Long list of 40 names".into()));
    assert!(k.am.get(&format!("/engagements/{}", k.engagement)).await.body.contains("Tom Account changed a next step"));
    // The API changes and deletes too.
    let token = k.am.create_api_token("next steps").await;
    let api = format!("/api/v1/engagements/{}/next-steps", k.engagement);
    let body = serde_json::json!({"kind": "shortlist", "title": "Shortlist of 5", "owner_id": k.am_id, "due_at": local(&k, 24 * 15).await});
    let r = k.am.api_put(&format!("{api}/{shortlist}"), &token, &body.to_string()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.json().as_array().unwrap().iter().any(|s| s["title"] == "Shortlist of 5"));
    let delete = |path: String| {
        axum::http::Request::delete(path)
            .header(axum::http::header::AUTHORIZATION, format!("Bearer {token}"))
            .body(axum::body::Body::empty())
            .unwrap()
    };
    assert_eq!(k.am.send(delete(format!("{api}/{typo}"))).await.status, StatusCode::NO_CONTENT);
    assert_eq!(k.am.send(delete(format!("{api}/{typo}"))).await.status, StatusCode::NOT_FOUND, "once");
    // The API adds one: 201 with the list, the new one in it.
    let count = || {
        let state = k.app.state.clone();
        async move { count_rows(&state, "SELECT COUNT(*) FROM next_steps").await }
    };
    let added = serde_json::json!({"kind": "first_checkpoint", "title": "First checkpoint", "owner_id": k.am_id, "due_at": local(&k, 24 * 21).await});
    let r = k.am.api_post(&api, &token, "application/json", &added.to_string()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let step = r.json().as_array().unwrap().iter().find(|s| s["title"] == "First checkpoint").cloned();
    let step = step.unwrap_or_else(|| panic!("the added step is listed: {}", r.body));
    assert_eq!((step["kind"].as_str(), step["owner_id"].as_str()), (Some("first_checkpoint"), Some(k.am_id.as_str())));
    assert_eq!(count().await, 3, "long list, shortlist and the added one");
    // A bad body: each field at fault named, nothing written.
    let bad = serde_json::json!({"kind": "holiday", "title": " ", "owner_id": k.am_id, "due_at": "2000-01-01"});
    let r = k.am.api_post(&api, &token, "application/json", &bad.to_string()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let fields: Vec<_> = r.json()["errors"].as_array().unwrap().iter().map(|e| e["field"].clone()).collect();
    assert_eq!(fields, ["kind", "title", "due_at"], "{}", r.body);
    // Not yours: 404, nothing written.
    k.app.staff("Other", "eve@other.test", "Eve Other", Role::Admin).await;
    let mut eve = k.app.client();
    eve.sign_in("eve@other.test", PASSWORD).await;
    let eve_token = eve.create_api_token("elsewhere").await;
    let r = eve.api_post(&api, &eve_token, "application/json", &added.to_string()).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    assert_eq!(count().await, 3);

    // Once the report is sent, the client holds that version: changes are refused, nothing written.
    assert_eq!(k.am.post_form(&url(&k, "end"), &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(k.am.post_form(&url(&k, "send-report"), &[]).await.status, StatusCode::SEE_OTHER);
    k.app.drain_jobs().await;
    let before = snapshot(rows).await;
    let r =
        k.am.post_form(&edit, &[("kind", "sourcing"), ("title", "Other"), ("owner_id", &k.am_id), ("due_at", &due)])
            .await;
    let refused = "next steps can no longer be added, changed or deleted";
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(refused), "{}", r.body);
    let r = k.am.post_form(&format!("{}/next-steps/{shortlist}/delete", url(&k, "").trim_end_matches('/')), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(refused), "{}", r.body);
    let r = k.am.api_put(&format!("{api}/{shortlist}"), &token, &body.to_string()).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(k.am.send(delete(format!("{api}/{shortlist}"))).await.status, StatusCode::CONFLICT);
    // Adding is refused too, from the page and from the API: the count does not move.
    let steps_before = count().await;
    let late = local(&k, 24 * 30).await;
    let r =
        k.am.post_form(
            &url(&k, "next-step"),
            &[("kind", "weekly_meeting"), ("title", "Added too late"), ("owner_id", &k.am_id), ("due_at", &late)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains(refused), "{}", r.body);
    let r = k.am.api_post(&api, &token, "application/json", &added.to_string()).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains(refused), "{}", r.body);
    assert_eq!(r.json()["errors"][0]["code"], "error-next-steps-report-sent", "{}", r.body);
    assert_eq!(count().await, steps_before);
    assert_eq!(snapshot(rows).await, before);
    let page = k.am.get(&format!("/engagements/{}/meeting", k.engagement)).await;
    assert!(!page.body.contains(&format!("id=\"delete-{shortlist}\"")), "no edit offered once sent");
    k.app.allow_leftover_jobs();
}

/// Issue 12, points 4–5: the runner holds the whole meeting. It is full screen (no
/// application navigation, an exit back to the meeting page); each step brings what the
/// playbook's `runner:` names (the live scorecard editor, the wrap-up's fields and open
/// questions, the next steps); what is done there comes back there, a refusal too.
#[tokio::test]
async fn the_runner_holds_the_whole_meeting_each_step_bringing_what_it_needs() {
    let mut k = kickoff().await;
    invited(&mut k).await;
    let e = k.engagement.clone();
    for key in ["scorecard-sent", "scorecard-return-agreed", "scorecard-mastered"] {
        let r = k.am.post_form(&format!("/engagements/{e}/items/{key}"), &[("action", "done")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{key}");
    }
    // A question answered with a guess before the meeting: it stays open.
    let questions = format!("/engagements/{e}/questions");
    k.am.post_form(&questions, &[("source", "talent"), ("body", "Is remote work possible?")]).await;
    let q =
        crate::engagements::id_of(&k.app, "SELECT id FROM questions WHERE body = $1", "Is remote work possible?").await;
    k.am.post_form(&format!("{questions}/{q}"), &[("field", "location"), ("answer", "I think two days a week")]).await;
    assert_eq!(k.am.post_form(&url(&k, "start"), &[("early", "confirmed")]).await.status, StatusCode::SEE_OTHER);

    let runner = format!("/engagements/{e}/runner");
    let page = k.am.get(&runner).await;
    assert!(!page.body.contains("class=\"topbar\"") && !page.body.contains("mainnav"), "full screen: {}", page.body);
    assert!(page.body.contains(&format!("id=\"exit-runner\" href=\"/engagements/{e}/meeting\"")), "{}", page.body);
    assert!(!page.body.contains("id=\"scorecard-form\""), "the ice breaker brings no scorecard");

    // A saved note says it was saved, in the runner.
    let r =
        k.am.post_form(&format!("{runner}/items/ice-breaker"), &[("action", "note"), ("note", "Slide shown")]).await;
    assert_eq!(r.location(), format!("{runner}?done=note"));
    let page = k.am.get(r.location()).await;
    assert!(page.body.contains("Note saved.") && page.body.contains("Slide shown"), "{}", page.body);

    // The co-writing step brings the live scorecard editor, its script and its lock.
    for _ in 0..2 {
        assert_eq!(k.am.post_form(&url(&k, "next"), &[]).await.status, StatusCode::SEE_OTHER);
    }
    let page = k.am.get(&runner).await;
    assert!(page.body.contains("Co-write and lock the scorecard live"), "{}", page.body);
    for part in ["id=\"scorecard-form\"", "/assets/scorecard.js", "id=\"sign-lock\"", "/scorecard/objections\""] {
        assert!(page.body.contains(part), "{part}: {}", page.body);
    }
    assert!(page.body.contains("name=\"back\" value=\"runner\""), "its forms come back to the runner");
    // A refused tick stays in the runner, its reason next to it; nothing is written.
    let events = "SELECT COUNT(*) FROM engagement_events";
    let before = count_rows(&k.app.state, events).await;
    let r = k.am.post_form(&format!("{runner}/items/scorecard.2"), &[("action", "done")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"exit-runner\""), "still the runner: {}", r.body);
    assert!(r.body.contains("id=\"tick-error-scorecard.2\""), "next to the checkpoint: {}", r.body);
    assert!(r.body.contains("answered with a guess"), "{}", r.body);
    assert_eq!(count_rows(&k.app.state, events).await, before, "nothing written");
    assert_eq!(item_state(&k, "scorecard.2").await, "todo");
    // Signing an incomplete scorecard from the runner is refused there, with the reasons;
    // once written (live, field by field), the signature comes back to the runner, saying so.
    let sign = format!("/engagements/{e}/scorecard/sign");
    let r = k.am.post_form(&sign, &[("back", "runner")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"exit-runner\"") && r.body.contains("Write the mission."), "{}", r.body);
    assert_eq!(count_rows(&k.app.state, "SELECT COUNT(*) FROM scorecards WHERE am_signed_at IS NOT NULL").await, 0);
    for (name, value) in [
        ("mission", serde_json::json!("Build the sales team")),
        ("outcomes", serde_json::json!([{"text": "Hire 5 account executives", "measure": "by month 6"}])),
        ("must_haves", serde_json::json!(["Fluent English"])),
    ] {
        let r =
            k.am.post_json(
                &format!("/engagements/{e}/scorecard/fields/{name}"),
                &serde_json::json!({"value": value, "based_on": 1}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{name}: {}", r.body);
    }
    let r = k.am.post_form(&sign, &[("back", "runner")]).await;
    assert_eq!(r.location(), format!("{runner}?done=scorecard_signed"), "{}", r.body);
    let page = k.am.get(r.location()).await;
    assert!(page.body.contains("Your signature is recorded"), "{}", page.body);
    let objections = "SELECT COUNT(*) FROM scorecard_objections";
    let before = count_rows(&k.app.state, objections).await;
    let r =
        k.am.post_form(
            &format!("/engagements/{e}/scorecard/objections"),
            &[("field", "mission"), ("body", " "), ("back", "runner")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"exit-runner\""), "still the runner: {}", r.body);
    assert_eq!(count_rows(&k.app.state, objections).await, before);

    // The wrap-up brings the dedicated resources, the market dynamics and the open questions.
    assert_eq!(k.am.post_form(&url(&k, "next"), &[]).await.status, StatusCode::SEE_OTHER);
    let page = k.am.get(&runner).await;
    assert!(!page.body.contains("id=\"scorecard-form\""));
    for part in ["id=\"runner-conclusion\"", "id=\"resources\"", "id=\"market_notes\"", "id=\"runner-questions\""] {
        assert!(page.body.contains(part), "{part}: {}", page.body);
    }
    assert!(page.body.contains("Is remote work possible?") && page.body.contains("1 open question"), "{}", page.body);
    let r =
        k.am.post_form(
            &format!("{questions}/{q}"),
            &[("field", "location"), ("answer", "Two days a week (location)"), ("back", "runner")],
        )
        .await;
    assert_eq!(r.location(), format!("{runner}?done=question_answered"));
    let page = k.am.get(r.location()).await;
    assert!(page.body.contains("Answered: the question is closed."), "{}", page.body);
    assert!(page.body.contains("No question is open"), "{}", page.body);
    let r =
        k.am.post_form(
            &url(&k, "conclusion"),
            &[("resources", "Two consultants"), ("market_notes", "A tight market"), ("back", "runner")],
        )
        .await;
    assert_eq!(r.location(), format!("{runner}?done=conclusion"));
    let page = k.am.get(r.location()).await;
    assert!(page.body.contains("Saved.") && page.body.contains("Two consultants"), "{}", page.body);

    // The next steps: added from the runner, a refusal staying there with nothing written.
    assert_eq!(k.am.post_form(&url(&k, "next"), &[]).await.status, StatusCode::SEE_OTHER);
    let page = k.am.get(&runner).await;
    assert!(page.body.contains("id=\"runner-next-steps\"") && page.body.contains("id=\"ns-title\""), "{}", page.body);
    let due = local(&k, 24 * 7).await;
    let add = |title: &'static str| {
        [
            ("kind", "client_homework"),
            ("title", title),
            ("owner_id", k.client_id.as_str()),
            ("due_at", due.as_str()),
            ("back", "runner"),
        ]
    };
    let r = k.am.post_form(&url(&k, "next-step"), &add(" ")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"exit-runner\""), "still the runner: {}", r.body);
    // What was typed is kept, the reason next to its field.
    assert!(
        r.body.contains(&format!("id=\"ns-due\" name=\"due_at\" type=\"datetime-local\" value=\"{due}\"")),
        "{}",
        r.body
    );
    assert!(r.body.contains("<p class=\"field-error\" id=\"ns-title-error\">"), "{}", r.body);
    assert!(r.body.contains(&format!("<option value=\"{}\" selected>", k.client_id)), "the owner kept: {}", r.body);
    assert_eq!(count_rows(&k.app.state, "SELECT COUNT(*) FROM next_steps").await, 0);
    let r = k.am.post_form(&url(&k, "next-step"), &add("Brief the sales team")).await;
    assert_eq!(r.location(), format!("{runner}?done=next_step"));
    let page = k.am.get(r.location()).await;
    assert!(page.body.contains("Next steps updated.") && page.body.contains("Brief the sales team"), "{}", page.body);
    // Changed from the runner until the report is sent: a refusal stays there, as typed.
    let sid =
        crate::engagements::id_of(&k.app, "SELECT id FROM next_steps WHERE title = $1", "Brief the sales team").await;
    assert!(page.body.contains(&format!("id=\"save-{sid}\"")), "its edit form: {}", page.body);
    let edit = format!("/engagements/{e}/meeting/next-steps/{sid}/edit");
    let fields = |title: &'static str, due: &'static str| {
        [
            ("kind", "client_homework"),
            ("title", title),
            ("owner_id", k.client_id.as_str()),
            ("due_at", due),
            ("back", "runner"),
        ]
    };
    let r = k.am.post_form(&edit, &fields("Brief the whole sales team", "someday")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("id=\"exit-runner\"") && r.body.contains("value=\"Brief the whole sales team\""),
        "{}",
        r.body
    );
    assert!(r.body.contains(&format!("id=\"due-{sid}-error\"")), "{}", r.body);
    assert_eq!(
        count_rows(&k.app.state, "SELECT COUNT(*) FROM next_steps WHERE title = 'Brief the sales team'").await,
        1
    );
    let due2 = local(&k, 24 * 8).await;
    let r =
        k.am.post_form(
            &edit,
            &[
                ("kind", "client_homework"),
                ("title", "Brief the whole sales team"),
                ("owner_id", k.client_id.as_str()),
                ("due_at", due2.as_str()),
                ("back", "runner"),
            ],
        )
        .await;
    assert_eq!(r.location(), format!("{runner}?done=next_step_edited"));
    assert!(k.am.get(r.location()).await.body.contains("Brief the whole sales team"));

    // Once the report is sent, the runner shows the client's acceptance.
    assert_eq!(k.am.post_form(&url(&k, "end"), &[]).await.status, StatusCode::SEE_OTHER);
    let r = k.am.post_form(&url(&k, "send-report"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mut claire = claire(&k).await;
    let r = claire.post_form(&format!("/engagements/{e}/next-steps/accept"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = k.am.get(&runner).await;
    assert!(page.body.contains("id=\"runner-next-steps\""), "{}", page.body);
    assert!(page.body.contains("Accepted by Claire"), "{}", page.body);
    assert!(!page.body.contains("id=\"ns-title\""), "nothing more to add once the report is sent");

    // The timeline says what happened in words, no recorded value raw.
    let page = k.am.get(&format!("/engagements/{e}")).await;
    assert!(page.body.contains("— invitation no. 1") && !page.body.contains("— #1"), "{}", page.body);
    assert!(page.body.contains("— Account manager") && !page.body.contains("— account_manager"), "{}", page.body);
    assert!(page.body.contains("— The kick-off, version 1"), "{}", page.body);
}
