//! The scorecard over HTTP: sent with a deadline, returned by the client on the portal,
//! co-written with per-field versions, locked by both, then re-scoped as a new search;
//! the questions log; the live stream; and who may do what.

use std::time::Duration;

use axum::http::StatusCode;
use embark_core::Role;
use futures_util::StreamExt;
use serde_json::json;

use crate::engagements::{id_of, item_state, kickoff, Kickoff};
use crate::helpers::{count_rows, link_in, Client, PASSWORD};

/// The anchor of the kick-off fixture, as a local date-time input, shifted by `hours`.
async fn anchor_input(k: &Kickoff, hours: i64) -> String {
    let ms: (i64,) = embark_store::query_as("SELECT anchor_at FROM engagements WHERE id = $1")
        .bind(&k.engagement)
        .fetch_one(&mut k.app.state.store.db())
        .await
        .unwrap();
    let ts = jiff::Timestamp::from_millisecond(ms.0 + hours * 3_600_000).unwrap();
    let tz = k.app.state.config.default_time_zone.clone();
    ts.to_zoned(jiff::tz::TimeZone::get(&tz).unwrap()).strftime("%Y-%m-%dT%H:%M").to_string()
}

async fn scorecard_state(k: &Kickoff) -> String {
    let row: (String,) =
        embark_store::query_as("SELECT state FROM scorecards WHERE engagement_id = $1 ORDER BY number DESC LIMIT 1")
            .bind(&k.engagement)
            .fetch_one(&mut k.app.state.store.db())
            .await
            .unwrap();
    row.0
}

/// Sends the scorecard (48 h before the kick-off) and signs the client in from the email.
async fn send_and_open(k: &mut Kickoff) -> Client {
    let due = anchor_input(k, -48).await;
    let r = k.am.post_form(&format!("/engagements/{}/scorecard/send", k.engagement), &[("due_at", &due)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    k.app.drain_jobs().await;
    let mails = k.app.emails_to("claire@client.test");
    let mail = mails.iter().find(|m| m.kind == "scorecard_request").expect("a scorecard request");
    assert_eq!(mail.subject, "Your scorecard for “Head of Sales — Acme”");
    assert!(mail.text.contains("Tom Account asks you to fill in the scorecard"), "{}", mail.text);
    let mut client = k.app.client();
    let r = client.sign_in_with_link(&link_in(mail, "http")).await;
    assert_eq!(r.location(), format!("/engagements/{}/scorecard", k.engagement), "the link opens the scorecard");
    client
}

fn field(k: &Kickoff, name: &str) -> String {
    format!("/engagements/{}/scorecard/fields/{name}", k.engagement)
}

#[tokio::test]
async fn a_scorecard_is_sent_returned_co_written_and_locked_by_both() {
    let mut k = kickoff().await;
    let page = format!("/engagements/{}/scorecard", k.engagement);
    let r = k.am.get(&page).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Not sent to the client yet."));

    // A deadline less than 24 h before the kick-off is refused with the reason; nothing is sent.
    let late = anchor_input(&k, -12).await;
    let r = k.am.post_form(&format!("{page}/send"), &[("due_at", &late)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("at least 24 hours before the kick-off"), "{}", r.body);
    // The date typed is kept, its reason next to it.
    assert!(r.body.contains(&format!("name=\"due_at\" value=\"{late}\"")), "the date typed is kept: {}", r.body);
    assert!(r.body.contains("<p class=\"field-error\" id=\"due-error\">"), "next to the field: {}", r.body);
    assert_eq!(scorecard_state(&k).await, "draft");
    let r = k.am.post_form(&format!("{page}/send"), &[("due_at", "next tuesday")]).await;
    assert!(r.body.contains("Give the return date as a date and time."));
    k.app.drain_jobs().await;
    assert!(k.app.emails_to("claire@client.test").iter().all(|m| m.kind != "scorecard_request"));

    let mut client = send_and_open(&mut k).await;
    assert_eq!(scorecard_state(&k).await, "sent");
    assert_eq!(item_state(&k, "scorecard-sent").await, "done", "sending closes the gate by itself");

    // The client commits to the date: the client-owned gate closes.
    let r = client.post_form(&format!("{page}/agree"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(item_state(&k, "scorecard-return-agreed").await, "done");

    // Co-writing: the client writes the mission on version 1; the AM, still on version 1,
    // gets a conflict with the client's text, and nothing of the AM's is written.
    let r = client.post_json(&field(&k, "mission"), &json!({"value": "Build the sales team", "based_on": 1})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["version"], 2);
    let r = k.am.post_json(&field(&k, "mission"), &json!({"value": "Grow revenue", "based_on": 1})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let conflict = r.json();
    assert_eq!(conflict["value"], "Build the sales team");
    assert_eq!(conflict["version"], 2);
    assert_eq!(conflict["by"], "Claire Client");
    assert!(conflict["message"].as_str().unwrap().contains("Claire Client changed “Mission”"));
    let r =
        k.am.post_json(&field(&k, "mission"), &json!({"value": "Build and lead the sales team", "based_on": 2})).await;
    assert_eq!(r.status, StatusCode::OK);

    // Bad payloads name the problem and change nothing.
    let r = client.post_json(&field(&k, "mission"), &json!({"value": ["a list"], "based_on": 3})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"][0]["code"], "error-scorecard-field-shape");
    let r = client.post_json(&field(&k, "salary"), &json!({"value": "x", "based_on": 1})).await;
    assert_eq!(r.json()["errors"][0]["code"], "error-scorecard-field-unknown");
    let r = client.post_json(&field(&k, "mission"), &json!({"value": "x"})).await;
    assert_eq!(r.json()["errors"][0]["field"], "based_on");

    // Returning an incomplete scorecard says what is missing.
    let r = client.post_form(&format!("{page}/return"), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Give at least one outcome.") && r.body.contains("Give at least one must-have."));
    let outcomes = json!([{"text": "Hire 5 account executives", "measure": "signed by month 6"}]);
    assert_eq!(
        client.post_json(&field(&k, "outcomes"), &json!({"value": outcomes, "based_on": 1})).await.status,
        StatusCode::OK
    );
    // The form without JavaScript writes the changed fields at the versions it was read at.
    let r = client
        .post_form(
            &page,
            &[
                ("must_haves", "10 years of B2B sales\n\nFluent English"),
                ("v_must_haves", "1"),
                ("location", "Lyon"),
                ("v_location", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = client.post_form(&format!("{page}/return"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(scorecard_state(&k).await, "returned");
    let r = k.am.get(&page).await;
    assert!(r.body.contains("Returned on time"), "returned before the deadline");
    assert!(r.body.contains("Fluent English"));

    // The lock: an edit voids a signature; an open objection blocks signing.
    let r = k.am.post_form(&format!("{page}/sign"), &[]).await;
    assert_eq!(r.location(), format!("{page}?done=signed"));
    assert_eq!(
        client.post_json(&field(&k, "location"), &json!({"value": "Lyon or Paris", "based_on": 2})).await.status,
        StatusCode::OK
    );
    assert_eq!(count_rows(&k.app.state, "SELECT COUNT(*) FROM scorecards WHERE am_signed_by IS NOT NULL").await, 0);
    // The AM's page, reloaded by the live event with its `?done=signed`, no longer says it is recorded.
    let r = k.am.get(&format!("{page}?done=signed")).await;
    assert!(!r.body.contains("Your signature is recorded"), "{}", r.body);
    assert!(r.body.contains("your signature was cancelled. Sign again"), "{}", r.body);
    let r = client
        .post_form(&format!("{page}/objections"), &[("field", "location"), ("body", "Paris only two days a week")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = client.post_form(&format!("{page}/sign"), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("An objection is still open"));
    let objection =
        id_of(&k.app, "SELECT id FROM scorecard_objections WHERE body = $1", "Paris only two days a week").await;
    let r = k.am.post_form(&format!("{page}/objections/{objection}/resolve"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(client.post_form(&format!("{page}/sign"), &[]).await.location(), format!("{page}?done=signed"));
    assert_eq!(k.am.post_form(&format!("{page}/sign"), &[]).await.location(), format!("{page}?done=locked"));
    assert_eq!(scorecard_state(&k).await, "locked");
    // The client's page, which said it waited for the other party, says it is locked.
    let r = client.get(&format!("{page}?done=signed")).await;
    assert!(!r.body.contains("needs the other party") && r.body.contains("locked by both parties"), "{}", r.body);
    assert_eq!(item_state(&k, "scorecard").await, "done", "the lock by both does the co-writing step");
    assert_eq!(item_state(&k, "scorecard.2").await, "todo", "no guessed answer is proved by the lock");
    let (hash, text): (String, String) =
        embark_store::query_as("SELECT content_hash, locked_text FROM scorecards WHERE number = 1")
            .fetch_one(&mut k.app.state.store.db())
            .await
            .unwrap();
    assert_eq!(hash, embark_core::diff::content_hash(&text));
    assert!(text.contains("location: Lyon or Paris"));

    // Locked: no edit from anyone; re-scoping needs the explicit confirmation.
    let r = k.am.post_json(&field(&k, "location"), &json!({"value": "Paris", "based_on": 3})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"][0]["code"], "error-scorecard-locked");
    let r = client.post_form(&format!("{page}/rescope"), &[("confirm", "yes")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "only the firm re-scopes");
    let r = k.am.post_form(&format!("{page}/rescope"), &[]).await;
    assert!(r.body.contains("Tick the box to confirm"));
    let r = k.am.post_form(&format!("{page}/rescope"), &[("confirm", "yes")]).await;
    assert_eq!(r.location(), format!("{page}?done=rescoped"));
    assert_eq!(
        client.post_json(&field(&k, "location"), &json!({"value": "Paris", "based_on": 1})).await.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the client waits for the new version to be sent"
    );
    assert_eq!(
        k.am.post_json(&field(&k, "location"), &json!({"value": "Paris", "based_on": 1})).await.status,
        StatusCode::OK,
        "a new version starts its fields afresh"
    );
    let r = k.am.get(&format!("{page}/versions/2")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("- Location: Lyon or Paris") && r.body.contains("+ Location: Paris"), "{}", r.body);
    assert!(r.body.contains("Must-have: ") && !r.body.contains("must-have:"), "labels in words: {}", r.body);
    assert!(r.body.contains("new search"));
    // In French, French labels and typography.
    k.am.post_form("/locale", &[("locale", "fr"), ("next", "/")]).await;
    let fr = k.am.get(&format!("{page}/versions/2")).await;
    assert!(fr.body.contains("+ Lieu\u{a0}: Paris") && fr.body.contains("Indispensable\u{a0}: "), "{}", fr.body);
    assert!(!fr.body.contains("location:") && !fr.body.contains("must-have:"), "{}", fr.body);
    k.am.post_form("/locale", &[("locale", "en"), ("next", "/")]).await;
    let (hash_after,): (String,) = embark_store::query_as("SELECT content_hash FROM scorecards WHERE number = 1")
        .fetch_one(&mut k.app.state.store.db())
        .await
        .unwrap();
    assert_eq!(hash_after, hash, "the locked version never changes");
    let kinds: Vec<(String,)> =
        embark_store::query_as("SELECT kind FROM engagement_events WHERE engagement_id = $1 ORDER BY at, id")
            .bind(&k.engagement)
            .fetch_all(&mut k.app.state.store.db())
            .await
            .unwrap();
    let kinds: Vec<String> = kinds.into_iter().map(|r| r.0).collect();
    for kind in [
        "scorecard_sent",
        "scorecard_due_agreed",
        "scorecard_returned",
        "objection_raised",
        "scorecard_locked",
        "scorecard_rescoped",
    ] {
        assert!(kinds.iter().any(|k| k == kind), "{kind} in {kinds:?}");
    }
}

#[tokio::test]
async fn a_late_return_is_recorded_as_late() {
    let mut k = kickoff().await;
    let mut client = send_and_open(&mut k).await;
    for (name, value) in [
        ("mission", json!("Lead sales")),
        ("outcomes", json!([{"text": "Grow", "measure": "+20 %"}])),
        ("must_haves", json!(["B2B"])),
    ] {
        assert_eq!(
            client.post_json(&field(&k, name), &json!({"value": value, "based_on": 1})).await.status,
            StatusCode::OK
        );
    }
    // Ten days ahead, due 48 h before: 8 days and 3 hours later it is 3 hours late.
    k.app.state.clock.advance(Duration::from_secs((8 * 24 + 3) * 3600));
    let page = format!("/engagements/{}/scorecard", k.engagement);
    assert_eq!(client.post_form(&format!("{page}/return"), &[]).await.status, StatusCode::SEE_OTHER);
    let r = k.am.get(&page).await;
    assert!(r.body.contains("Returned late") && r.body.contains(", 3 h"), "{}", r.body);
    // Eight days on, the kick-off's reminders are due: not this test's subject.
    k.app.allow_leftover_jobs();
}

#[tokio::test]
async fn only_the_people_of_the_search_reach_its_scorecard() {
    let mut k = kickoff().await;
    let page = format!("/engagements/{}/scorecard", k.engagement);
    let mut client = send_and_open(&mut k).await;

    // Another workspace: 404 everywhere, nothing written.
    k.app.staff("Other", "eve@other.test", "Eve Other", Role::Admin).await;
    let mut eve = k.app.client();
    eve.sign_in("eve@other.test", PASSWORD).await;
    assert_eq!(eve.get(&page).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        eve.post_json(&field(&k, "mission"), &json!({"value": "x", "based_on": 1})).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(eve.post_form(&format!("{page}/sign"), &[]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(eve.open_stream(&format!("/engagements/{}/live", k.engagement)).await.0, StatusCode::NOT_FOUND);
    assert_eq!(eve.get(&format!("/engagements/{}/questions", k.engagement)).await.status, StatusCode::NOT_FOUND);

    // A client contact who is not in this search: 404.
    let mut admin = k.app.client();
    admin.sign_in("admin@acme.test", PASSWORD).await;
    admin
        .post_form(
            "/users/invite",
            &[("name", "Otto Outsider"), ("email", "otto@client.test"), ("role", "client_contact"), ("locale", "en")],
        )
        .await;
    k.app.drain_jobs().await;
    let mut otto = k.app.client();
    otto.sign_in_with_link(&link_in(&k.app.emails_to("otto@client.test")[0], "http")).await;
    assert_eq!(otto.get(&page).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        otto.post_json(&field(&k, "mission"), &json!({"value": "x", "based_on": 1})).await.status,
        StatusCode::NOT_FOUND
    );

    // The client of the search cannot do the firm's part.
    let due = anchor_input(&k, -30).await;
    assert_eq!(client.post_form(&format!("{page}/send"), &[("due_at", &due)]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        client
            .post_form(
                &format!("/engagements/{}/questions", k.engagement),
                &[("source", "talent"), ("body", "Remote?")]
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(count_rows(&k.app.state, "SELECT COUNT(*) FROM questions").await, 0);
    assert_eq!(count_rows(&k.app.state, "SELECT COUNT(*) FROM scorecard_fields WHERE version > 1").await, 0);
}

#[tokio::test]
async fn the_other_party_sees_an_edit_on_the_live_stream() {
    let mut k = kickoff().await;
    let mut client = send_and_open(&mut k).await;
    let (status, body) = client.open_stream(&format!("/engagements/{}/live", k.engagement)).await;
    assert_eq!(status, StatusCode::OK);
    let mut stream = body.into_data_stream();
    let r = k.am.post_json(&field(&k, "location"), &json!({"value": "Lyon", "based_on": 1})).await;
    assert_eq!(r.status, StatusCode::OK);
    let mut seen = String::new();
    while !seen.contains("\n\n") {
        let chunk = tokio::time::timeout(Duration::from_secs(2), stream.next()).await.expect("an event within 2 s");
        seen.push_str(&String::from_utf8_lossy(&chunk.unwrap().unwrap()));
    }
    let data = seen.lines().find_map(|l| l.strip_prefix("data: ")).expect("a data line");
    let event: serde_json::Value = serde_json::from_str(data).unwrap();
    assert_eq!(
        event,
        json!({"kind": "field", "field": "location", "version": 2, "value": "Lyon", "by": "Tom Account"})
    );
    // The browser goes away: the engagement's channel is forgotten.
    assert_eq!(k.app.state.live.watched(), 1);
    drop(stream);
    assert_eq!(k.app.state.live.watched(), 0);
}

#[tokio::test]
async fn a_guessed_answer_leaves_its_question_open() {
    let mut k = kickoff().await;
    let base = format!("/engagements/{}/questions", k.engagement);
    let r = k.am.post_form(&base, &[("source", "talent"), ("body", "Is remote work possible?")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = k.am.post_form(&base, &[("source", "boss"), ("body", "Why?")]).await;
    assert!(r.body.contains("Choose who asked."));
    let q = id_of(&k.app, "SELECT id FROM questions WHERE body = $1", "Is remote work possible?").await;
    let r =
        k.am.post_form(&format!("{base}/{q}"), &[("field", "location"), ("answer", "I think two days a week")]).await;
    assert_eq!(r.location(), format!("{base}?done=guess"));
    let page = k.am.get(&base).await;
    assert!(page.body.contains("1 open question") && page.body.contains("This answer is a guess"));
    let r =
        k.am.post_form(
            &format!("{base}/{q}"),
            &[("field", "location"), ("answer", "Two days a week (scorecard: location)")],
        )
        .await;
    assert_eq!(r.location(), format!("{base}?done=answered"));
    let page = k.am.get(&base).await;
    assert!(page.body.contains("No open question: the need is clear"), "{}", page.body);
}

#[tokio::test]
async fn the_api_reads_and_writes_the_scorecard_and_reads_the_kickoff() {
    let mut k = kickoff().await;
    let token = k.am.create_api_token("script").await;
    let base = format!("/api/v1/engagements/{}", k.engagement);
    let r = k.am.api_get(&format!("{base}/scorecard"), &token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let card = r.json();
    assert_eq!((card["number"].as_i64(), card["state"].as_str()), (Some(1), Some("draft")));
    assert_eq!(card["fields"].as_array().unwrap().len(), 8);
    let put = |v: &str| format!(r#"{{"value": {v}, "based_on": 1}}"#);
    let r = k.am.api_put(&format!("{base}/scorecard/fields/must_haves"), &token, &put(r#"["B2B", "English"]"#)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["version"], 2);
    let r = k.am.api_put(&format!("{base}/scorecard/fields/must_haves"), &token, &put(r#"["German"]"#)).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.json()["version"], 2);
    let r = k.am.api_put(&format!("{base}/scorecard/fields/must_haves"), &token, r#"{"value": ["x"]}"#).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"][0]["field"], "based_on");
    let r = k.am.api_get(&format!("{base}/scorecard"), &token).await;
    let must = r.json()["fields"].as_array().unwrap().iter().find(|f| f["name"] == "must_haves").cloned().unwrap();
    assert_eq!(must, json!({"name": "must_haves", "value": ["B2B", "English"], "version": 2}));

    let r = k.am.api_get(&format!("{base}/kickoff"), &token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let kickoff = r.json();
    assert_eq!(kickoff["readiness"].as_array().unwrap().len(), 4);
    assert_eq!(kickoff["logistics_locked"], false);
    assert_eq!(kickoff["quality"][0], json!({"name": "nps", "level": "pending"}));

    // Another workspace's token: 404, nothing written.
    k.app.staff("Other", "eve@other.test", "Eve Other", Role::Admin).await;
    let mut eve = k.app.client();
    eve.sign_in("eve@other.test", PASSWORD).await;
    let eve_token = eve.create_api_token("eve").await;
    assert_eq!(eve.api_get(&format!("{base}/scorecard"), &eve_token).await.status, StatusCode::NOT_FOUND);
    assert_eq!(eve.api_get(&format!("{base}/kickoff"), &eve_token).await.status, StatusCode::NOT_FOUND);
    let r = eve.api_put(&format!("{base}/scorecard/fields/mission"), &eve_token, &put(r#""x""#)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(count_rows(&k.app.state, "SELECT COUNT(*) FROM scorecard_fields WHERE version > 1").await, 1);
}

/// Found by the API contract run: `based_on` at the top of its range made the server
/// panic (an overflow while answering the conflict), and a whole number written `2.0`,
/// which JSON Schema's `integer` admits, was refused as the wrong type.
#[tokio::test]
async fn the_api_reads_based_on_as_any_json_integer_and_refuses_one_out_of_range() {
    let mut k = kickoff().await;
    let token = k.am.create_api_token("script").await;
    let url = format!("/api/v1/engagements/{}/scorecard/fields/mission", k.engagement);
    let r = k.am.api_put(&url, &token, &format!(r#"{{"value": "x", "based_on": {}}}"#, i64::MAX)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["errors"][0]["field"], "based_on");
    let r = k.am.api_put(&url, &token, r#"{"value": "x", "based_on": -1}"#).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(count_rows(&k.app.state, "SELECT COUNT(*) FROM scorecard_fields WHERE version > 1").await, 0);
    let r = k.am.api_put(&url, &token, r#"{"value": "Lead the finance team", "based_on": 1.0}"#).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["version"], 2);
    let r = k.am.api_put(&url, &token, r#"{"value": "x", "based_on": 1.5}"#).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
}

/// Makes every gate closed by a signal fail to be written, as a crash or a broken
/// disk would between the event and the gates it closes.
async fn break_signal_closing(k: &Kickoff) {
    let pool = &mut k.app.state.store.db();
    match k.app.state.store.engine() {
        embark_store::Engine::Sqlite => {
            embark_store::query(
                "CREATE TRIGGER no_signal BEFORE INSERT ON engagement_events WHEN NEW.kind = 'closed_by_signal' \
                 BEGIN SELECT RAISE(ABORT, 'the second write fails'); END",
            )
            .execute(pool)
            .await
            .unwrap();
        }
        embark_store::Engine::Postgres => {
            embark_store::query(
                "CREATE FUNCTION no_signal() RETURNS trigger AS $$ BEGIN \
                 RAISE EXCEPTION 'the second write fails'; END $$ LANGUAGE plpgsql",
            )
            .execute(pool)
            .await
            .unwrap();
            embark_store::query(
                "CREATE TRIGGER no_signal BEFORE INSERT ON engagement_events FOR EACH ROW \
                 WHEN (NEW.kind = 'closed_by_signal') EXECUTE FUNCTION no_signal()",
            )
            .execute(pool)
            .await
            .unwrap();
        }
    }
}

#[tokio::test]
async fn sending_the_scorecard_and_closing_its_gate_commit_together_or_not_at_all() {
    let mut k = kickoff().await;
    k.app.drain_jobs().await;
    assert_eq!(item_state(&k, "scorecard-sent").await, "todo");
    let counts = |app: &crate::helpers::TestApp| {
        let state = app.state.clone();
        async move {
            (
                count_rows(&state, "SELECT COUNT(*) FROM engagement_events").await,
                count_rows(&state, "SELECT COUNT(*) FROM magic_links").await,
                count_rows(&state, "SELECT COUNT(*) FROM jobs").await,
                count_rows(&state, "SELECT COUNT(*) FROM scorecards WHERE sent_at IS NOT NULL").await,
            )
        }
    };
    let before = counts(&k.app).await;
    break_signal_closing(&k).await;

    let due = anchor_input(&k, -48).await;
    let r = k.am.post_form(&format!("/engagements/{}/scorecard/send", k.engagement), &[("due_at", &due)]).await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", r.body);
    assert!(!r.body.contains("the second write fails"), "the cause is logged, not shown");
    // Nothing of the first write remains: not sent, no link, no email queued, no event.
    assert_eq!(counts(&k.app).await, before);
    assert_eq!(scorecard_state(&k).await, "draft");
    assert_eq!(item_state(&k, "scorecard-sent").await, "todo");
    assert_eq!(k.app.drain_jobs().await, 0);
    assert!(k.app.emails_to("claire@client.test").iter().all(|m| m.kind != "scorecard_request"));
}

#[tokio::test]
async fn an_empty_objection_or_answer_is_refused_and_writes_nothing() {
    let mut k = kickoff().await;
    let mut client = send_and_open(&mut k).await;
    let page = format!("/engagements/{}/scorecard", k.engagement);
    let before = (
        count_rows(&k.app.state, "SELECT COUNT(*) FROM scorecard_objections").await,
        count_rows(&k.app.state, "SELECT COUNT(*) FROM engagement_events").await,
    );
    let r = client.post_form(&format!("{page}/objections"), &[("field", "mission"), ("body", "  ")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let after = (
        count_rows(&k.app.state, "SELECT COUNT(*) FROM scorecard_objections").await,
        count_rows(&k.app.state, "SELECT COUNT(*) FROM engagement_events").await,
    );
    assert_eq!(after, before);

    // A question asked, then an empty answer: the question stays as it was.
    let questions = format!("/engagements/{}/questions", k.engagement);
    let r = k.am.post_form(&questions, &[("source", "talent"), ("body", "Is the role remote-friendly?")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let qid: (String,) =
        embark_store::query_as("SELECT id FROM questions").fetch_one(&mut k.app.state.store.db()).await.unwrap();
    let r = k.am.post_form(&format!("{questions}/{}", qid.0), &[("field", "location"), ("answer", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let answered: (Option<String>,) =
        embark_store::query_as("SELECT answer FROM questions").fetch_one(&mut k.app.state.store.db()).await.unwrap();
    assert!(answered.0.as_deref().unwrap_or("").is_empty(), "{:?}", answered.0);
}

#[tokio::test]
async fn no_question_answered_with_a_guess_cannot_be_ticked_while_a_guess_is_open() {
    let mut k = kickoff().await;
    let base = format!("/engagements/{}/questions", k.engagement);
    k.am.post_form(&base, &[("source", "talent"), ("body", "Is remote work possible?")]).await;
    let q = id_of(&k.app, "SELECT id FROM questions WHERE body = $1", "Is remote work possible?").await;
    k.am.post_form(&format!("{base}/{q}"), &[("field", "location"), ("answer", "I think two days a week")]).await;
    let page = k.am.get(&format!("/engagements/{}", k.engagement)).await;
    assert!(page.body.contains("Can be ticked only while no answer in the questions log is a guess"), "{}", page.body);

    // Refused on the page and in the API, with its reason; nothing written.
    let events = "SELECT COUNT(*) FROM engagement_events";
    let before = count_rows(&k.app.state, events).await;
    let tick = format!("/engagements/{}/items/scorecard.2", k.engagement);
    let r = k.am.post_form(&tick, &[("action", "done")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("cannot be ticked while a question of the questions log is answered with a guess"),
        "{}",
        r.body
    );
    assert!(r.body.contains("id=\"error-scorecard.2\""), "next to the checkpoint: {}", r.body);
    let token = k.am.create_api_token("items").await;
    let api = format!("/api/v1/engagements/{}/items/scorecard.2", k.engagement);
    let r = k.am.api_post(&api, &token, "application/json", r#"{"state":"done"}"#).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(r.json()["errors"][0]["field"], "item", "{}", r.body);
    assert_eq!(item_state(&k, "scorecard.2").await, "todo");
    assert_eq!(count_rows(&k.app.state, events).await, before, "nothing written");

    // Answered from the scorecard, it can be ticked; a new guess reopens it, in the timeline.
    k.am.post_form(&format!("{base}/{q}"), &[("field", "location"), ("answer", "Two days a week (location)")]).await;
    assert_eq!(k.am.post_form(&tick, &[("action", "done")]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(item_state(&k, "scorecard.2").await, "done");
    k.am.post_form(&base, &[("source", "team"), ("body", "A car?")]).await;
    let q2 = id_of(&k.app, "SELECT id FROM questions WHERE body = $1", "A car?").await;
    k.am.post_form(&format!("{base}/{q2}"), &[("field", "location"), ("answer", "Probably, I guess")]).await;
    assert_eq!(item_state(&k, "scorecard.2").await, "todo", "a guess reopens it");
    let page = k.am.get(&format!("/engagements/{}", k.engagement)).await;
    assert!(page.body.contains("reopened: its condition is no longer met"), "{}", page.body);
}

/// The next event on a live stream: `Some(event)`, `None` if none comes within `wait`;
/// panics if the stream ended (see [`stream_ends`]).
async fn next_event(
    stream: &mut (impl futures_util::Stream<Item = Result<axum::body::Bytes, axum::Error>> + Unpin),
    wait: Duration,
) -> Option<serde_json::Value> {
    let mut seen = String::new();
    while !seen.contains("\n\n") {
        match tokio::time::timeout(wait, stream.next()).await {
            Err(_) => return None,
            Ok(None) => panic!("the stream ended"),
            Ok(Some(chunk)) => seen.push_str(&String::from_utf8_lossy(&chunk.unwrap())),
        }
    }
    let data = seen.lines().find_map(|l| l.strip_prefix("data: ")).expect("a data line");
    Some(serde_json::from_str(data).unwrap())
}

#[tokio::test]
async fn a_client_watching_live_is_sent_nothing_of_the_draft_and_nothing_once_deactivated() {
    let mut k = kickoff().await;
    let page = format!("/engagements/{}/scorecard", k.engagement);
    // Claire signs in before the scorecard is sent, and watches her engagement.
    let mut client = k.app.client();
    client.post_form("/login/link", &[("email", "claire@client.test")]).await;
    k.app.drain_jobs().await;
    let mail = k.app.emails_to("claire@client.test").pop().expect("a sign-in link");
    client.sign_in_with_link(&link_in(&mail, "http")).await;
    let (status, body) = client.open_stream(&format!("/engagements/{}/live", k.engagement)).await;
    assert_eq!(status, StatusCode::OK);
    let mut stream = body.into_data_stream();

    // The firm drafts: its words do not reach her.
    let r =
        k.am.post_json(&field(&k, "mission"), &json!({"value": "Draft: replace the current head", "based_on": 1}))
            .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(next_event(&mut stream, Duration::from_millis(600)).await, None, "no draft field on her stream");
    // Nor can she object to, or sign, a draft she cannot see; nothing is written.
    let r = client.post_form(&format!("{page}/objections"), &[("field", "mission"), ("body", "Not replace!")]).await;
    assert!(r.body.contains("has not been sent to you yet"), "{}: {}", r.status, r.body);
    let r = client.post_form(&format!("{page}/sign"), &[]).await;
    assert!(r.body.contains("has not been sent to you yet"), "{}: {}", r.status, r.body);
    assert_eq!(count_rows(&k.app.state, "SELECT COUNT(*) FROM scorecard_objections").await, 0);
    assert_eq!(count_rows(&k.app.state, "SELECT COUNT(*) FROM scorecards WHERE client_signed_by IS NOT NULL").await, 0);

    // Once it is sent, she is told, and follows the edits.
    let due = anchor_input(&k, -48).await;
    let r = k.am.post_form(&format!("{page}/send"), &[("due_at", &due)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(next_event(&mut stream, Duration::from_secs(2)).await.unwrap()["kind"], "state");
    let r = k.am.post_json(&field(&k, "location"), &json!({"value": "Lyon", "based_on": 1})).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(next_event(&mut stream, Duration::from_secs(2)).await.unwrap()["value"], "Lyon");

    // Deactivated, she is sent nothing more: the stream ends at the next event.
    let mut admin = k.app.client();
    admin.sign_in("admin@acme.test", PASSWORD).await;
    let r = admin.post_form(&format!("/users/{}/active", k.client_id), &[("active", "0")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = k.am.post_json(&field(&k, "location"), &json!({"value": "Lyon and Paris", "based_on": 2})).await;
    assert_eq!(r.status, StatusCode::OK);
    let end = tokio::time::timeout(Duration::from_secs(2), stream.next()).await.expect("the stream ends at once");
    assert!(end.is_none(), "nothing after deactivation, the stream is over: {end:?}");
    k.app.allow_leftover_jobs();
}
