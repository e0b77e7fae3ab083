//! The learning space in a browser, on a phone: an account manager takes the
//! scorecard course, passes its quizzes, and the kick-off's prerequisite closes by itself.

use embark_core::learning::{builtin, parse, QuestionKind};
use embark_core::Locale;
use thirtyfour::prelude::*;

use super::{click, seen, sign_in, visit, wait_for_text, Chrome};
use crate::engagements::kickoff;
use crate::helpers::PASSWORD;

/// Answers every question of the quiz on screen, rightly, as a person would: by
/// clicking the option's label, or typing the short answer.
async fn answer_rightly(d: &WebDriver) {
    let course = parse(builtin::find("scorecard", Locale::En).unwrap().text).unwrap();
    let fieldsets = d.find_all(By::Css("fieldset.question")).await.unwrap();
    assert!(!fieldsets.is_empty(), "a quiz shows its questions");
    let mut answered = 0;
    for f in fieldsets {
        let field = f.id().await.unwrap().expect("a question has an id");
        let qid = field.strip_prefix("q.").unwrap();
        let q = course
            .modules
            .iter()
            .filter_map(|m| m.quiz.as_ref())
            .chain(course.exam.as_ref())
            .find_map(|z| z.question(qid));
        let q = q.unwrap_or_else(|| panic!("question {qid} is in the course"));
        match &q.kind {
            QuestionKind::Single(c) | QuestionKind::Multiple(c) => {
                for (i, _) in c.iter().enumerate().filter(|(_, o)| o.correct) {
                    d.find(By::Css(format!("label[for='{field}-{i}']"))).await.unwrap().click().await.unwrap();
                }
            }
            QuestionKind::TrueFalse(b) => {
                d.find(By::Css(format!("label[for='{field}-{b}']"))).await.unwrap().click().await.unwrap()
            }
            QuestionKind::Short(a) => {
                d.find(By::Id(format!("{field}-text"))).await.unwrap().send_keys(&a[0]).await.unwrap()
            }
        }
        answered += 1;
    }
    assert!(answered >= 2, "{answered} questions answered");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_manager_takes_the_scorecard_course_on_a_phone_and_the_prerequisite_closes() {
    let k = kickoff().await;
    let base = k.app.serve();
    let mut chrome = Chrome::start().await;
    let d = chrome.session(390, 844).await;
    sign_in(&d, &base, "tom@acme.test", PASSWORD).await;

    // Her home leads the open prerequisite to the course that closes it.
    wait_for_text(&d, "Scorecard mastered by the account manager").await;
    d.find(By::LinkText("Scorecard mastered by the account manager")).await.unwrap().click().await.unwrap();
    wait_for_text(&d, "The scorecard, in theory and in practice").await;
    wait_for_text(&d, "0 of 6 done").await;
    visit(&d, &base, "/learning", "learning-catalogue-phone-en", 390, None).await;
    visit(&d, &base, "/learning/scorecard", "learning-course-phone-en", 390, None).await;
    click(&d, ".article-head a.button.primary").await;

    // Module 1 ends with its quiz; the others are read to their end.
    wait_for_text(&d, "Module 1 of 5").await;
    seen(&d, "learning-module-phone-en").await;
    click(&d, "#module-done").await;
    wait_for_text(&d, "Check: what a scorecard is").await;
    // Sent with nothing ticked: each question says it needs an answer, nothing is graded.
    click(&d, "#submit-quiz").await;
    wait_for_text(&d, "2 questions need an answer").await;
    seen(&d, "learning-quiz-errors-phone-en").await;
    answer_rightly(&d).await;
    click(&d, "#submit-quiz").await;
    wait_for_text(&d, "2 right out of 2: 100%.").await;
    seen(&d, "learning-quiz-passed-phone-en").await;
    d.find(By::LinkText("Next module")).await.unwrap().click().await.unwrap();
    for n in 2..=5 {
        wait_for_text(&d, &format!("Module {n} of 5")).await;
        click(&d, "#module-done").await;
    }
    wait_for_text(&d, "5 of 6 done").await;
    click(&d, "#start-exam").await;
    wait_for_text(&d, "Exam: the scorecard").await;
    seen(&d, "learning-exam-phone-en").await;
    answer_rightly(&d).await;
    click(&d, "#submit-quiz").await;
    wait_for_text(&d, "10 right out of 10: 100%.").await;
    wait_for_text(&d, "Certified until").await;
    seen(&d, "learning-exam-passed-phone-en").await;

    // The kick-off's prerequisite closed by itself.
    visit(&d, &base, &format!("/engagements/{}", k.engagement), "learning-engagement-after-phone-en", 390, None).await;
    wait_for_text(&d, "“Scorecard mastered by the account manager” closed by itself").await;
    let state: String = d
        .execute("return document.querySelector('#item-scorecard-mastered').className;", Vec::new())
        .await
        .unwrap()
        .convert()
        .unwrap();
    assert!(state.contains("done"), "the gate shows done: {state}");
    d.quit().await.unwrap();
}
