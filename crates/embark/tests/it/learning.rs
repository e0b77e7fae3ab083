//! The learning space over HTTP: reading a course, its quizzes, the exam and the
//! certification that closes a kick-off's prerequisite; bad input that writes nothing.

use std::time::Duration;

use axum::http::StatusCode;
use embark_core::learning::{builtin, parse, Course, QuestionKind};
use embark_core::{Locale, Role};
use serde_json::{json, Value};

use crate::engagements::{item_state, kickoff};
use crate::helpers::{count_rows, Client, TestApp, PASSWORD};

fn scorecard_course() -> Course {
    parse(builtin::find("scorecard", Locale::En).unwrap().text).unwrap()
}

/// The answers to an attempt (as the API returned it): right ones, or all wrong.
fn answers(attempt: &Value, right: bool) -> Value {
    let course = scorecard_course();
    let mut out = serde_json::Map::new();
    for q in attempt["questions"].as_array().unwrap() {
        let id = q["id"].as_str().unwrap();
        let question = course.quiz(attempt["quiz"].as_str().unwrap()).unwrap().question(id).unwrap();
        let answer = match &question.kind {
            QuestionKind::Single(c) | QuestionKind::Multiple(c) => {
                let picked: Vec<usize> =
                    c.iter().enumerate().filter(|(_, o)| o.correct == right).map(|(i, _)| i).collect();
                // A single-choice question takes one option: the first wrong one when wrong.
                if matches!(question.kind, QuestionKind::Single(_)) {
                    json!([picked[0]])
                } else {
                    json!(picked)
                }
            }
            QuestionKind::TrueFalse(b) => json!(if right { *b } else { !*b }),
            QuestionKind::Short(a) => json!(if right { a[0].to_uppercase() } else { "no idea".to_string() }),
        };
        out.insert(id.to_string(), answer);
    }
    json!({ "answers": out })
}

/// Reads every module of the scorecard course through its pages, passing the module quiz.
async fn read_every_module(c: &mut Client) {
    let course = scorecard_course();
    for m in &course.modules {
        let page = c.get(&format!("/learning/scorecard/modules/{}", m.id)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains(&m.title.replace('"', "&#34;")), "{}", page.body);
        let r = c.post_form(&format!("/learning/scorecard/modules/{}", m.id), &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        if let Some(quiz) = &m.quiz {
            // The module ends with its quiz: an attempt opens, answered on its page.
            let attempt = r.location().to_string();
            assert!(attempt.starts_with("/learning/attempts/"), "{attempt}");
            let mut fields = Vec::new();
            for q in &quiz.questions {
                let right = q.kind.choices().iter().position(|o| o.correct).unwrap();
                fields.push((format!("q.{}", q.id), right.to_string()));
            }
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let done = c.post_form(&attempt, &fields).await;
            assert_eq!(done.location(), attempt);
            let result = c.get(&attempt).await;
            assert!(result.body.contains("Passed."), "{}", result.body);
            assert!(result.body.contains("2 right out of 2: 100%."), "{}", result.body);
        }
    }
}

#[tokio::test]
async fn passing_the_scorecard_exam_certifies_the_account_manager_and_closes_the_kickoffs_prerequisite() {
    let mut k = kickoff().await;
    assert_eq!(item_state(&k, "scorecard-mastered").await, "todo");
    let engagement = k.am.get(&format!("/engagements/{}", k.engagement)).await;
    assert!(
        engagement.body.contains("its owner passes the course “The scorecard, in theory and in practice”"),
        "{}",
        engagement.body
    );
    assert!(engagement.body.contains("href=\"/learning/scorecard\""), "the gate leads to the course");
    // The client sees her kick-off, never a link to the firm's course she could not open.
    let invitation = k.app.emails_to("claire@client.test");
    let mut claire = k.app.client();
    claire.sign_in_with_link(&crate::helpers::path_of(&crate::helpers::link_in(&invitation[0], "http"))).await;
    let hers = claire.get(&format!("/engagements/{}", k.engagement)).await;
    assert_eq!(hers.status, StatusCode::OK, "{}", hers.body);
    assert!(!hers.body.contains("/learning/"), "{}", hers.body);
    let token = k.am.create_api_token("learning").await;

    let catalogue = k.am.api_get("/api/v1/courses", &token).await;
    assert_eq!(catalogue.status, StatusCode::OK, "{}", catalogue.body);
    let course = &catalogue.json()[0];
    assert_eq!((course["key"].as_str(), course["certifies"].as_bool()), (Some("scorecard"), Some(true)));
    assert_eq!((course["done"].as_u64(), course["total"].as_u64()), (Some(0), Some(6)));
    assert!(course["certified_until"].is_null());

    // The exam opens once every module is done.
    let early =
        k.am.api_post("/api/v1/courses/scorecard/quizzes/exam/attempts", &token, "application/json", "{}").await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.body);
    assert!(early.body.contains("once every module is done"), "{}", early.body);
    let page = k.am.get("/learning/scorecard").await;
    assert!(page.body.contains("The exam opens once every module is done."), "{}", page.body);

    read_every_module(&mut k.am).await;
    let page = k.am.get("/learning/scorecard").await;
    assert!(page.body.contains("5 of 6 done"), "{}", page.body);
    assert!(page.body.contains("3 attempts left"), "{}", page.body);

    let started =
        k.am.api_post("/api/v1/courses/scorecard/quizzes/exam/attempts", &token, "application/json", "{}").await;
    assert_eq!(started.status, StatusCode::CREATED, "{}", started.body);
    let attempt = started.json();
    assert_eq!(attempt["questions"].as_array().unwrap().len(), 10, "ten questions drawn from the bank of 13");
    let id = attempt["id"].as_str().unwrap().to_string();
    // Starting again resumes the same attempt: the same questions, not a new draw.
    let again =
        k.am.api_post("/api/v1/courses/scorecard/quizzes/exam/attempts", &token, "application/json", "{}").await;
    assert_eq!(again.json()["id"], attempt["id"]);
    assert_eq!(again.json()["questions"], attempt["questions"]);

    // A question left unanswered: refused by name, and nothing is written.
    let mut partial = answers(&attempt, true);
    let first = attempt["questions"][0]["id"].as_str().unwrap().to_string();
    partial["answers"].as_object_mut().unwrap().remove(&first);
    let r =
        k.am.api_post(&format!("/api/v1/attempts/{id}/answers"), &token, "application/json", &partial.to_string())
            .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["errors"][0]["field"], format!("q.{first}"));
    assert_eq!(r.json()["errors"][0]["code"], "error-quiz-unanswered");
    let graded = "SELECT COUNT(*) FROM quiz_attempts WHERE submitted_at IS NOT NULL AND quiz_id = 'exam'";
    assert_eq!(count_rows(&k.app.state, graded).await, 0);
    assert_eq!(count_rows(&k.app.state, "SELECT COUNT(*) FROM certifications").await, 0);
    // An option the question does not have is refused too.
    let mut bad = answers(&attempt, true);
    let choice = attempt["questions"].as_array().unwrap().iter().find(|q| q["kind"] == "single").unwrap();
    bad["answers"][choice["id"].as_str().unwrap()] = json!([99]);
    let r =
        k.am.api_post(&format!("/api/v1/attempts/{id}/answers"), &token, "application/json", &bad.to_string()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(count_rows(&k.app.state, graded).await, 0);

    let r =
        k.am.api_post(
            &format!("/api/v1/attempts/{id}/answers"),
            &token,
            "application/json",
            &answers(&attempt, true).to_string(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let grade = r.json();
    assert_eq!((grade["attempt"]["score"].as_i64(), grade["attempt"]["passed"].as_bool()), (Some(100), Some(true)));
    assert_eq!(grade["gates_closed"], 1);
    let until = grade["certified_until"].as_str().unwrap();
    let in_a_year = (k.app.now_in_paris() + jiff::Span::new().years(1)).timestamp().to_string();
    assert_eq!(until, in_a_year, "valid twelve months, on the calendar");

    assert_eq!(item_state(&k, "scorecard-mastered").await, "done");
    let timeline = k.am.get(&format!("/engagements/{}", k.engagement)).await;
    assert!(
        timeline.body.contains("“Scorecard mastered by the account manager” closed by itself"),
        "{}",
        timeline.body
    );
    let page = k.am.get("/learning/scorecard").await;
    assert!(page.body.contains("Certified until"), "{}", page.body);
    assert!(page.body.contains("Course complete"), "{}", page.body);
    let result = k.am.get(&format!("/learning/attempts/{id}")).await;
    assert!(result.body.contains("10 right out of 10: 100%."), "{}", result.body);
    assert!(result.body.contains("Certified until"), "{}", result.body);

    // Submitted once: a second submission changes nothing.
    let twice =
        k.am.api_post(
            &format!("/api/v1/attempts/{id}/answers"),
            &token,
            "application/json",
            &answers(&attempt, false).to_string(),
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "{}", twice.body);
    assert_eq!(k.am.api_get(&format!("/api/v1/attempts/{id}"), &token).await.json()["score"], 100);
    assert_eq!(count_rows(&k.app.state, "SELECT COUNT(*) FROM certifications").await, 1);

    // The user page shows the certification as earned by the exam.
    let mut admin = k.app.client();
    admin.sign_in("admin@acme.test", PASSWORD).await;
    let user = admin.get(&format!("/users/{}", k.am_id)).await;
    assert!(user.body.contains("(exam passed on"), "{}", user.body);
}

#[tokio::test]
async fn attempts_are_limited_per_version_and_belong_to_their_learner() {
    let app = TestApp::spawn().await;
    app.staff("Acme", "admin@acme.test", "Ada Admin", Role::Admin).await;
    app.staff("Acme", "tom@acme.test", "Tom Account", Role::AccountManager).await;
    app.staff("Acme", "una@acme.test", "Una Other", Role::AccountManager).await;
    let mut tom = app.client();
    tom.sign_in("tom@acme.test", PASSWORD).await;
    let token = tom.create_api_token("t").await;
    read_every_module(&mut tom).await;
    let mut last = String::new();
    for n in 1..=3 {
        let a = tom.api_post("/api/v1/courses/scorecard/quizzes/exam/attempts", &token, "application/json", "{}").await;
        assert_eq!(a.status, StatusCode::CREATED, "attempt {n}: {}", a.body);
        let attempt = a.json();
        last = attempt["id"].as_str().unwrap().to_string();
        let r = tom
            .api_post(
                &format!("/api/v1/attempts/{last}/answers"),
                &token,
                "application/json",
                &answers(&attempt, false).to_string(),
            )
            .await;
        assert_eq!(r.json()["attempt"]["passed"], false);
        assert_eq!(r.json()["attempt"]["score"], 0);
        assert!(r.json()["certified_until"].is_null());
        app.advance(Duration::from_secs(60));
    }
    let fourth =
        tom.api_post("/api/v1/courses/scorecard/quizzes/exam/attempts", &token, "application/json", "{}").await;
    assert_eq!(fourth.status, StatusCode::CONFLICT, "{}", fourth.body);
    assert!(fourth.body.contains("No attempt left"), "{}", fourth.body);
    let page = tom.get("/learning/scorecard").await;
    assert!(page.body.contains("No attempt left for this version of the course."), "{}", page.body);
    assert!(!page.body.contains("id=\"start-exam\""), "no button to start a fourth attempt");
    assert_eq!(count_rows(&app.state, "SELECT COUNT(*) FROM quiz_attempts WHERE quiz_id = 'exam'").await, 3);

    // Someone else's attempt is not found, to read or to answer.
    let mut una = app.client();
    una.sign_in("una@acme.test", PASSWORD).await;
    let una_token = una.create_api_token("u").await;
    assert_eq!(una.api_get(&format!("/api/v1/attempts/{last}"), &una_token).await.status, StatusCode::NOT_FOUND);
    assert_eq!(una.get(&format!("/learning/attempts/{last}")).await.status, StatusCode::NOT_FOUND);
    let r = una
        .api_post(&format!("/api/v1/attempts/{last}/answers"), &una_token, "application/json", r#"{"answers":{}}"#)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Another workspace's admin: not found either.
    app.staff("Beta", "bob@beta.test", "Bob", Role::Admin).await;
    let mut bob = app.client();
    bob.sign_in("bob@beta.test", PASSWORD).await;
    assert_eq!(bob.get(&format!("/learning/attempts/{last}")).await.status, StatusCode::NOT_FOUND);
    // Client contacts take the courses assigned to them, not the catalogue.
    let mut admin = app.client();
    admin.sign_in("admin@acme.test", PASSWORD).await;
    admin
        .post_form(
            "/users/invite",
            &[("name", "Claire"), ("email", "claire@client.test"), ("role", "client_contact"), ("locale", "en")],
        )
        .await;
    let link = app.drain_jobs().await;
    assert!(link > 0);
    let mail = app.emails_to("claire@client.test");
    let mut claire = app.client();
    claire.sign_in_with_link(&crate::helpers::path_of(&crate::helpers::link_in(&mail[0], "http"))).await;
    assert_eq!(claire.get("/").await.status, StatusCode::OK, "signed in");
    // Client contacts take the courses assigned to them: none yet, and the others are not found.
    let catalogue = claire.get("/learning").await;
    assert_eq!(catalogue.status, StatusCode::OK);
    assert!(catalogue.body.contains("No course is assigned to you yet."), "{}", catalogue.body);
    assert_eq!(claire.get("/learning/scorecard").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_malformed_course_is_refused_with_every_problem_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let (_, mut admin) = app.admin_client().await;
    let courses = || count_rows(&app.state, "SELECT COUNT(*) FROM courses");
    let before = courses().await;
    let bad = "---\ntitle: Onboarding basics\nlanguage: de\n---\n\n## Welcome\n\nHello.\n\n## Check {quiz}\n\n### Which?\n- [ ] a\n- [ ] b\n";
    let r = admin.post_form("/learning", &[("source", bad), ("key", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("3:11: unknown language `de` (expected `fr` or `en`)"), "{}", r.body);
    assert!(r.body.contains("13:1: no option is marked right"), "{}", r.body);
    assert!(r.body.contains("Onboarding basics"), "the document typed is kept");
    assert_eq!(courses().await, before);

    let token = admin.create_api_token("t").await;
    let r = admin.api_post("/api/v1/courses", &token, "text/markdown", bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problem = r.json();
    assert_eq!((problem["errors"][0]["line"].as_u64(), problem["errors"][0]["col"].as_u64()), (Some(3), Some(11)));
    assert_eq!(courses().await, before);
    assert_eq!(
        admin.api_post("/api/v1/courses", &token, "application/json", "{}").await.status,
        StatusCode::BAD_REQUEST
    );

    let good = bad.replace("language: de", "language: en").replace("- [ ] a", "- [x] a");
    let r = admin.api_post("/api/v1/courses?key=basics", &token, "text/markdown", &good).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!((r.json()["key"].as_str(), r.json()["version"].as_i64()), (Some("basics"), Some(1)));
    let r = admin.api_post("/api/v1/courses?key=basics", &token, "text/markdown", &good).await;
    assert_eq!((r.status, r.json()["result"].as_str()), (StatusCode::OK, Some("unchanged")));
    let exported = admin.api_get("/api/v1/courses/basics/export", &token).await;
    assert_eq!(exported.body, good, "exported byte for byte");
    let page = admin.get("/learning/basics/export").await;
    assert_eq!(page.body, good);

    // Only admins import; an account manager reads.
    app.staff("Acme", "tom@acme.test", "Tom", Role::AccountManager).await;
    let mut tom = app.client();
    tom.sign_in("tom@acme.test", PASSWORD).await;
    let r = tom.post_form("/learning", &[("source", &good), ("key", "other")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(tom.get("/learning/basics/export").await.status, StatusCode::FORBIDDEN);
    assert!(tom.get("/learning").await.body.contains("Onboarding basics"));
}

#[tokio::test]
async fn a_playbook_gate_naming_an_unknown_course_is_refused() {
    let app = TestApp::spawn().await;
    let (_, mut admin) = app.admin_client().await;
    let doc = "---\ntitle: Ready\nlanguage: en\nkind: journey\nanchor: start_date\nroles: new_hire, manager\n---\n\n\
        ## Prerequisites {prerequisites}\n\n### Trained\nowner: manager\nsignal: certified:nowhere\n\n## Week one\n\n### Hello\nowner: manager\ndue: start_date\n";
    let before = count_rows(&app.state, "SELECT COUNT(*) FROM playbooks").await;
    let r = admin.post_form("/playbooks/import", &[("source", doc), ("key", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("13:9: no course `nowhere` in this workspace"), "{}", r.body);
    assert_eq!(count_rows(&app.state, "SELECT COUNT(*) FROM playbooks").await, before);
    let known = doc.replace("certified:nowhere", "certified:scorecard");
    let r = admin.post_form("/playbooks/import", &[("source", &known), ("key", "")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

#[tokio::test]
async fn an_expired_certification_reopens_the_prerequisite_of_kickoffs_not_started_and_says_so() {
    let k = kickoff().await;
    let mut admin = k.app.client();
    admin.sign_in("admin@acme.test", PASSWORD).await;
    // Valid until the end of the day after tomorrow: the kick-off, ten days ahead, comes after it.
    let until = k.app.day(2);
    let url = format!("/users/{}/certifications", k.am_id);
    let r = admin.post_form(&url, &[("expires_on", &until), ("reason", "Trained in person")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(item_state(&k, "scorecard-mastered").await, "done");
    k.app.drain_jobs().await;
    assert!(k.app.emails_to("tom@acme.test").iter().all(|m| !m.subject.contains("expire")), "no reminder yet");

    k.app.advance(Duration::from_secs(4 * 86_400));
    k.app.drain_jobs().await;
    assert_eq!(item_state(&k, "scorecard-mastered").await, "todo", "reopened: the kick-off has not started");
    let mail = k.app.emails_to("tom@acme.test");
    let expired = mail.iter().find(|m| m.subject.contains("expired")).expect("the holder is told");
    assert_eq!(expired.subject, "Your certification “The scorecard, in theory and in practice” expired");
    assert!(expired.text.contains("Head of Sales — Acme"), "{}", expired.text);
    assert!(expired.text.contains("/learning/scorecard"), "{}", expired.text);
    let mut am = k.app.client();
    am.sign_in("tom@acme.test", PASSWORD).await;
    let page = am.get(&format!("/engagements/{}", k.engagement)).await;
    assert!(page.body.contains("“Scorecard mastered by the account manager” reopened"), "{}", page.body);
}

#[tokio::test]
async fn reminders_go_before_expiry_unless_the_certification_was_renewed() {
    let k = kickoff().await;
    let mut admin = k.app.client();
    admin.sign_in("admin@acme.test", PASSWORD).await;
    let url = format!("/users/{}/certifications", k.am_id);
    let r = admin.post_form(&url, &[("expires_on", &k.app.day(40)), ("reason", "Trained in person")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    k.app.drain_jobs().await;
    let reminders = |app: &TestApp| {
        app.emails_to("tom@acme.test").into_iter().filter(|m| m.subject.contains("expires soon")).count()
    };
    k.app.advance(Duration::from_secs(12 * 86_400));
    k.app.drain_jobs().await;
    assert_eq!(reminders(&k.app), 1, "30 days before");
    let mail = k.app.emails_to("tom@acme.test").into_iter().find(|m| m.subject.contains("expires soon")).unwrap();
    assert!(mail.text.contains("It expires in 30 days."), "{}", mail.text);
    // Renewed: the 7-day reminder and the expiry do nothing.
    let r = admin.post_form(&url, &[("expires_on", &k.app.day(400)), ("reason", "Renewed in person")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    k.app.advance(Duration::from_secs(30 * 86_400));
    k.app.drain_jobs().await;
    assert_eq!(reminders(&k.app), 1, "no reminder for the replaced certification");
    assert!(k.app.emails_to("tom@acme.test").iter().all(|m| !m.subject.contains("expired")));
    let certs = count_rows(&k.app.state, "SELECT COUNT(*) FROM certifications").await;
    assert_eq!(certs, 2, "the history keeps both");
}

#[tokio::test]
async fn the_new_hires_pre_work_is_done_by_completing_the_welcome_course() {
    let app = TestApp::spawn().await;
    app.staff("Acme", "ada@acme.test", "Ada Admin", Role::Admin).await;
    let mut admin = app.client();
    admin.sign_in("ada@acme.test", PASSWORD).await;
    let (_, engagement) = crate::surveys::start_journey(&app, &mut admin, "fr", 14, None).await;
    app.drain_jobs().await;
    let mail = app.emails_to("zoe@acme.test");
    let mut zoe = app.client();
    zoe.sign_in_with_link(&crate::helpers::path_of(&crate::helpers::link_in(&mail[0], "http"))).await;
    let step = || async {
        let row: (String,) = embark_store::query_as("SELECT state FROM engagement_items WHERE item_key = 'pre-work'")
            .fetch_one(&mut app.state.store.db())
            .await
            .unwrap();
        row.0
    };
    assert_eq!(step().await, "todo");
    // Her home leads the step to the course, in her language.
    let home = zoe.get("/").await;
    assert!(home.body.contains("href=\"/learning/welcome\""), "{}", home.body);
    let course = zoe.get("/learning/welcome").await;
    assert!(course.body.contains("Bienvenue à bord"), "{}", course.body);
    let welcome = parse(builtin::find("welcome", Locale::Fr).unwrap().text).unwrap();
    for m in &welcome.modules {
        let r = zoe.post_form(&format!("/learning/welcome/modules/{}", m.id), &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    assert_eq!(step().await, "todo", "reading is not enough: the quiz ends the course");
    let r = zoe.post_form("/learning/welcome/quizzes/check", &[]).await;
    let attempt = r.location().to_string();
    assert!(attempt.starts_with("/learning/attempts/"), "{attempt}");
    let exam = welcome.exam.as_ref().unwrap();
    let mut fields: Vec<(String, String)> = Vec::new();
    for q in &exam.questions {
        let value = match &q.kind {
            QuestionKind::Single(c) => c.iter().position(|o| o.correct).unwrap().to_string(),
            QuestionKind::TrueFalse(b) => b.to_string(),
            QuestionKind::Short(_) => "Verrouillée !".to_string(),
            QuestionKind::Multiple(_) => unreachable!("the welcome quiz has no multiple choice"),
        };
        fields.push((format!("q.{}", q.id), value));
    }
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(zoe.post_form(&attempt, &fields).await.status, StatusCode::SEE_OTHER);
    assert!(zoe.get(&attempt).await.body.contains("5 bonnes réponses sur 5"), "typed answers are read kindly");
    assert_eq!(step().await, "done", "the step is done by the course");
    let page = admin.get(&format!("/engagements/{engagement}")).await;
    assert!(page.body.contains("done by itself"), "{}", page.body);
    // No certification from a course that grants none.
    assert_eq!(count_rows(&app.state, "SELECT COUNT(*) FROM certifications").await, 0);
}

#[tokio::test]
async fn a_courses_report_counts_its_learners_and_exports_them_as_csv() {
    let mut k = kickoff().await;
    let token = k.am.create_api_token("t").await;
    read_every_module(&mut k.am).await;
    for right in [false, true] {
        let a =
            k.am.api_post("/api/v1/courses/scorecard/quizzes/exam/attempts", &token, "application/json", "{}").await;
        let attempt = a.json();
        let id = attempt["id"].as_str().unwrap().to_string();
        k.am.api_post(
            &format!("/api/v1/attempts/{id}/answers"),
            &token,
            "application/json",
            &answers(&attempt, right).to_string(),
        )
        .await;
    }
    let mut admin = k.app.client();
    admin.sign_in("admin@acme.test", PASSWORD).await;
    let page = admin.get("/learning/scorecard/report").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Tom Account"), "{}", page.body);
    assert!(page.body.contains("1 / 1 (100%)"), "one learner took the exam and passed: {}", page.body);
    assert!(page.body.contains("Average best score</dt><dd class=\"figure-value\">100%"), "{}", page.body);
    let csv = admin.get("/learning/scorecard/report.csv").await;
    assert_eq!(csv.content_type(), "text/csv; charset=utf-8");
    assert!(csv.body.starts_with('\u{feff}'), "a byte order mark for spreadsheets");
    let rows = embark_core::csv::parse(&csv.body).unwrap();
    assert_eq!(rows.len(), 2, "a header and Tom");
    let tom: Vec<&str> = rows[1].fields.iter().map(|f| f.value.as_str()).collect();
    assert_eq!(&tom[..4], ["Tom Account", "tom@acme.test", "5", "5"]);
    assert_eq!((tom[5], tom[6], tom[8]), ("2", "100", "true"));
    // Admins only.
    assert_eq!(k.am.get("/learning/scorecard/report").await.status, StatusCode::FORBIDDEN);
    assert_eq!(k.am.get("/learning/scorecard/report.csv").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_home_says_to_continue_a_course_and_to_renew_a_certification_before_it_expires() {
    let mut k = kickoff().await;
    // Started: one module read out of five.
    let r = k.am.post_form("/learning/scorecard/modules/before", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let home = k.am.get("/").await;
    assert!(home.body.contains("Continue the course “The scorecard, in theory and in practice”"), "{}", home.body);
    assert!(home.body.contains("1 of 6 done"), "{}", home.body);

    let mut admin = k.app.client();
    admin.sign_in("admin@acme.test", PASSWORD).await;
    let url = format!("/users/{}/certifications", k.am_id);
    let r = admin.post_form(&url, &[("expires_on", &k.app.day(20)), ("reason", "Trained in person")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let home = k.am.get("/").await;
    assert!(home.body.contains("Renew your certification “The scorecard, in theory and in practice”"), "{}", home.body);
    assert!(!home.body.contains("Continue the course"), "renewing replaces continuing: {}", home.body);
    // The client is no learner: nothing of the learning space on her home.
    let invitation = k.app.emails_to("claire@client.test");
    let mut claire = k.app.client();
    claire.sign_in_with_link(&crate::helpers::path_of(&crate::helpers::link_in(&invitation[0], "http"))).await;
    assert!(!claire.get("/").await.body.contains("/learning/"));
}

#[tokio::test]
async fn an_admin_assigns_a_course_to_a_client_who_takes_it_from_her_home() {
    let k = kickoff().await;
    let mut admin = k.app.client();
    admin.sign_in("admin@acme.test", PASSWORD).await;
    let invitation = k.app.emails_to("claire@client.test");
    let mut claire = k.app.client();
    claire.sign_in_with_link(&crate::helpers::path_of(&crate::helpers::link_in(&invitation[0], "http"))).await;
    assert_eq!(claire.get("/learning/welcome").await.status, StatusCode::NOT_FOUND, "not hers yet");
    assert!(!claire.get("/learning").await.body.contains("Welcome aboard"));

    // Refused, with nothing written: an unknown course, a date past or malformed, kept as typed.
    let url = format!("/users/{}/courses", k.client_id);
    let assignments = || count_rows(&k.app.state, "SELECT COUNT(*) FROM course_assignments");
    let r = admin.post_form(&url, &[("course", "nowhere"), ("due_on", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Choose one of the workspace&#39;s courses.")
            || r.body.contains("Choose one of the workspace's courses."),
        "{}",
        r.body
    );
    let r = admin.post_form(&url, &[("course", "welcome"), ("due_on", "2020-01-01")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"2020-01-01\""), "{}", r.body);
    assert_eq!(
        admin.post_form(&url, &[("course", "welcome"), ("due_on", "soon")]).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(assignments().await, 0);
    // Only admins assign.
    let mut am = k.am;
    assert_eq!(am.post_form(&url, &[("course", "welcome"), ("due_on", "")]).await.status, StatusCode::FORBIDDEN);

    let due = k.app.day(7);
    let r = admin.post_form(&url, &[("course", "welcome"), ("due_on", &due)]).await;
    assert_eq!(r.location(), format!("/users/{}?done=course", k.client_id));
    let page = admin.get(&format!("/users/{}", k.client_id)).await;
    assert!(page.body.contains(&format!("Welcome aboard: 0 of 4 done, to complete by {due}")), "{}", page.body);

    // Her home leads her there, and the course is hers to take.
    let home = claire.get("/").await;
    assert!(home.body.contains("Take the course “Welcome aboard”"), "{}", home.body);
    assert!(claire.get("/learning").await.body.contains("Welcome aboard"));
    assert!(!claire.get("/learning").await.body.contains("The scorecard"), "only what is assigned to her");
    assert_eq!(claire.get("/learning/scorecard").await.status, StatusCode::NOT_FOUND);
    let r = claire.post_form("/learning/welcome/modules/company", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(claire.get("/").await.body.contains("Continue the course “Welcome aboard”"));

    // The API does the same; a second assignment replaces the date.
    let token = admin.create_api_token("t").await;
    let body = json!({ "user_id": k.client_id, "due_on": k.app.day(14) }).to_string();
    let r = admin.api_post("/api/v1/courses/welcome/assignments", &token, "application/json", &body).await;
    assert_eq!((r.status, r.json()["created"].as_bool()), (StatusCode::OK, Some(false)), "{}", r.body);
    assert_eq!(assignments().await, 1);
    let other = json!({ "user_id": uuid::Uuid::new_v4().to_string() }).to_string();
    let r = admin.api_post("/api/v1/courses/welcome/assignments", &token, "application/json", &other).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}
