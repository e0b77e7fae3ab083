use std::collections::HashMap;

use super::quiz::{self, Drawn, Response};
use super::*;

const MINIMAL: &str = "---\ntitle: Welcome\nlanguage: en\n---\n\nHello.\n\n## First module\n\nRead me.\n";

fn errors(text: &str) -> Vec<String> {
    parse(text).unwrap_err().into_iter().map(|d| d.to_string()).collect()
}

#[test]
fn a_minimal_course_has_one_module_and_no_exam() {
    let c = parse(MINIMAL).unwrap();
    assert_eq!(c.title, "Welcome");
    assert_eq!(c.intro, "Hello.");
    assert_eq!(c.modules.len(), 1);
    assert_eq!(c.modules[0].id, "first-module");
    assert_eq!(c.modules[0].body, "Read me.");
    assert_eq!(c.exam, None);
    assert_eq!(c.certification, None);
    assert_eq!(c.reading_minutes(), 1);
}

#[test]
fn every_builtin_course_parses_and_the_scorecard_certifies_with_ten_questions_or_more() {
    for b in builtin::COURSES {
        let c = parse(b.text).unwrap_or_else(|e| panic!("{} ({}): {e:?}", b.key, b.language));
        assert_eq!(c.language, b.language);
        assert!(c.exam.is_some(), "{}: completion is real, an exam ends it", b.key);
    }
    for b in builtin::COURSES.iter().filter(|b| b.key == "scorecard") {
        let c = parse(b.text).unwrap_or_else(|e| panic!("{} ({}): {e:?}", b.key, b.language));
        assert_eq!(c.language, b.language);
        let exam = c.exam.as_ref().expect("an exam");
        assert!(exam.questions.len() >= 10, "{}: {} questions", b.language, exam.questions.len());
        assert_eq!(c.certification, Some(Validity::Months(12)));
        assert!(c.modules.len() >= 4);
    }
    // The two languages are the same course: same modules, quizzes and questions.
    for key in ["scorecard", "welcome"] {
        let en = parse(builtin::find(key, Locale::En).unwrap().text).unwrap();
        let fr = parse(builtin::find(key, Locale::Fr).unwrap().text).unwrap();
        let shape = |c: &Course| {
            c.modules
                .iter()
                .map(|m| {
                    (
                        m.id.clone(),
                        m.quiz.as_ref().map(|q| q.questions.iter().map(|q| q.kind.as_str()).collect::<Vec<_>>()),
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(shape(&en), shape(&fr));
        let kinds = |c: &Course| c.exam.as_ref().unwrap().questions.iter().map(|q| q.kind.as_str()).collect::<Vec<_>>();
        assert_eq!(kinds(&en), kinds(&fr));
        assert_eq!(en.certification, fr.certification);
    }
}

#[test]
fn question_kinds_are_read_from_their_options_or_answer() {
    let text = "---\ntitle: T\nlanguage: en\ncertification: 90 d\n---\n\n## M\n\nText.\n\n## Final {exam}\npass_mark: 50 %\n\n\
        ### One?\n- [x] a\n- [ ] b\n> Because.\n\n### Several?\n- [x] a\n- [x] b\n- [ ] c\n\n### True?\nanswer: true\n\n\
        ### Word?\nanswer: Mission | la mission\n";
    let c = parse(text).unwrap();
    let exam = c.exam.unwrap();
    assert_eq!(exam.pass_mark, 50);
    let kinds: Vec<_> = exam.questions.iter().map(|q| q.kind.as_str()).collect();
    assert_eq!(kinds, ["single", "multiple", "true_false", "short"]);
    assert_eq!(exam.questions[0].explanation, "Because.");
    assert_eq!(exam.questions[3].kind, QuestionKind::Short(vec!["Mission".into(), "la mission".into()]));
    assert_eq!(c.certification, Some(Validity::Days(90)));
}

#[test]
fn every_problem_is_reported_with_its_line_and_column() {
    let text = "---\ntitle: T\nlanguage: de\ncertification: forever\ncolour: red\n---\n\n# Big\n\n## {quiz}\n\n### Q?\n- [ ] a\n- [ ] b\n\n\
        ## M\nmedia: ftp://x\nwhen: now\n\nText.\n\n## M\n\nAgain.\n\n## Final {exam}\ndraw: 5\n\n### Q2?\nkind: essay\n\n## After\n\nToo late.\n";
    let e = errors(text);
    let expected = [
        "3:11: unknown language `de` (expected `fr` or `en`)",
        "4:16: `forever` is not a validity: write `12 months`, `90 d` or `2 w`",
        "5:1: unknown front matter key `colour` (expected one of: title, summary, language, certification)",
        "8:1: only `##` (a module, a quiz, the exam) and `###` (a question) headings: the title is the front matter's `title:`",
        "10:1: a `{quiz}` checks the module above it: write a module first",
        "10:4: empty heading",
        "13:1: no option is marked right: mark it `- [x]`",
        "17:8: `ftp://x` is not a media link: write a `https://` address",
        "18:1: unknown attribute `when` for a module (expected one of: id, media; leave a blank line under the heading before text)",
        "22:1: the id `m` is already used on line 16: give this one an `id:`",
        "27:7: `draw: 5` asks more questions than the quiz's 1",
        "30:7: unknown question kind `essay` (expected one of: single, multiple, true_false, short)",
        "32:1: the exam (line 26) is the course's last section",
    ];
    assert_eq!(e, expected);
}

#[test]
fn a_certifying_course_needs_an_exam_and_a_question_needs_an_answer() {
    let e = errors("---\ntitle: T\nlanguage: fr\ncertification: 12 months\n---\n\n## M\n\nText.\n\n## Q {quiz}\n\n### Why?\n\nNo options.\n");
    assert_eq!(
        e,
        [
            "4:1: a course that certifies needs an exam: a `## Title {exam}` section at the end",
            "13:1: a question needs options (`- [x] right`, `- [ ] wrong`) or an `answer:`",
        ]
    );
    let e = errors("---\ntitle: T\nlanguage: fr\n---\n\n## M\n\nText.\n\n## Q {exam}\n\n### Pick one\nkind: single\n- [x] a\n- [x] b\n> Why.\nMore text.\n");
    assert_eq!(
        e,
        [
            "12:1: a single-choice question has exactly one `- [x]` option",
            "17:1: text after a question's options: put it above them, or in a `>` explanation"
        ]
    );
    assert_eq!(
        errors("no front matter")[0],
        "1:1: a course starts with a front matter: a line `---`, `key: value` lines, then `---`"
    );
}

#[test]
fn validity_reads_months_days_and_weeks_and_expires_on_the_calendar() {
    assert_eq!(Validity::parse("12 months"), Ok(Validity::Months(12)));
    assert_eq!(Validity::parse("1 month"), Ok(Validity::Months(1)));
    assert_eq!(Validity::parse("2 w"), Ok(Validity::Days(14)));
    assert!(Validity::parse("0 d").is_err());
    assert!(Validity::parse("200 months").is_err());
    let tz = jiff::tz::TimeZone::get("Europe/Paris").unwrap();
    let granted = Timestamp::from_jiff("2026-03-15T09:00:00Z".parse().unwrap());
    // Across the change to summer time, a year later is the same wall-clock time.
    assert_eq!(Validity::Months(12).expires(granted, &tz).to_jiff().to_string(), "2027-03-15T09:00:00Z");
    assert_eq!(Validity::Days(30).expires(granted, &tz).to_jiff().to_string(), "2026-04-14T08:00:00Z");
}

fn exam() -> Quiz {
    parse(builtin::find("scorecard", Locale::En).unwrap().text).unwrap().exam.unwrap()
}

/// The right answer to a question, as a learner would give it.
fn right(q: &Question) -> Response {
    match &q.kind {
        QuestionKind::Single(c) | QuestionKind::Multiple(c) => {
            Response::Choices(c.iter().enumerate().filter(|(_, c)| c.correct).map(|(i, _)| i).collect())
        }
        QuestionKind::TrueFalse(b) => Response::Bool(*b),
        QuestionKind::Short(a) => Response::Text(format!("  {}!", a[0].to_uppercase())),
    }
}

#[test]
fn a_draw_asks_the_number_of_questions_wanted_in_an_order_set_by_its_seed() {
    let exam = exam();
    let a = quiz::draw(&exam, 1);
    assert_eq!(a.0.len(), 10);
    let mut ids: Vec<_> = a.0.iter().map(|(id, _)| id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 10, "no question twice");
    assert_eq!(quiz::draw(&exam, 1), a, "the same seed draws the same attempt");
    assert!((2..20).any(|s| quiz::draw(&exam, s) != a), "other seeds draw other attempts");
    assert_eq!(Drawn::decode(&a.encode()), Some(a.clone()));
    assert_eq!(Drawn::decode("q x"), None);
    for (id, order) in &a.0 {
        let mut o = order.clone();
        o.sort();
        assert_eq!(o, (0..exam.question(id).unwrap().kind.choices().len()).collect::<Vec<_>>());
    }
}

#[test]
fn grading_counts_right_answers_and_passes_at_the_mark() {
    let exam = exam();
    let drawn = quiz::draw(&exam, 7);
    let mut answers: HashMap<String, Response> =
        drawn.0.iter().map(|(id, _)| (id.clone(), right(exam.question(id).unwrap()))).collect();
    let g = quiz::grade(&exam, &drawn, &answers);
    assert_eq!((g.right, g.asked, g.score, g.passed), (10, 10, 100, true));
    // Two wrong out of ten is 80 %: the mark, so a pass; three wrong is not.
    let ids: Vec<String> = drawn.0.iter().map(|(id, _)| id.clone()).collect();
    answers.insert(ids[0].clone(), Response::Choices(vec![]));
    answers.remove(&ids[1]);
    let g = quiz::grade(&exam, &drawn, &answers);
    assert_eq!((g.right, g.score, g.passed), (8, 80, true));
    assert!(!g.marked[1].answered);
    answers.insert(ids[2].clone(), Response::Text("nonsense".into()));
    let g = quiz::grade(&exam, &drawn, &answers);
    assert_eq!((g.right, g.score, g.passed), (7, 70, false));
    // An answer to a question that was not asked counts for nothing.
    let not_asked = exam.questions.iter().find(|q| !ids.contains(&q.id)).unwrap();
    answers.insert(not_asked.id.clone(), right(not_asked));
    assert_eq!(quiz::grade(&exam, &drawn, &answers).right, 7);
}

#[test]
fn multiple_choice_needs_exactly_the_right_options() {
    let exam = exam();
    let q = exam.questions.iter().find(|q| q.kind.as_str() == "multiple").unwrap();
    let drawn = Drawn(vec![(q.id.clone(), vec![])]);
    let with = |v: Vec<usize>| quiz::grade(&exam, &drawn, &HashMap::from([(q.id.clone(), Response::Choices(v))])).right;
    assert_eq!(with(vec![0, 1, 2]), 1);
    assert_eq!(with(vec![2, 1, 0, 0]), 1, "order and repeats do not matter");
    assert_eq!(with(vec![0, 1]), 0, "one missing");
    assert_eq!(with(vec![0, 1, 2, 3]), 0, "one too many");
}

#[test]
fn short_answers_ignore_case_accents_spaces_and_punctuation() {
    assert_eq!(quiz::normalize("  « La  Mission ! »  "), "la mission");
    assert_eq!(quiz::normalize("Verrouillée."), "verrouillee");
    assert_eq!(quiz::normalize("l\u{2019}équipe"), "l'equipe");
    assert_eq!(quiz::normalize("?!"), "");
}

#[test]
fn progress_opens_the_exam_once_every_module_is_done() {
    let course = parse(builtin::find("scorecard", Locale::Fr).unwrap().text).unwrap();
    let mut p = Progress::default();
    assert_eq!(p.resume(&course).map(|m| m.id.as_str()), Some("what"));
    assert_eq!(p.counts(&course), (0, 6));
    p.modules_done.push("what".into());
    // Read to its end, but its quiz is not passed: the module is not done.
    assert!(!p.module_done(&course.modules[0]));
    p.quizzes_passed.push("what-check".into());
    assert!(p.module_done(&course.modules[0]));
    assert!(!p.exam_open(&course));
    for m in &course.modules {
        p.modules_done.push(m.id.clone());
    }
    assert!(p.exam_open(&course));
    assert!(!p.complete(&course));
    p.quizzes_passed.push("exam".into());
    assert!(p.complete(&course));
    assert_eq!(p.counts(&course), (6, 6));
}

proptest::proptest! {
    /// The parser never panics, whatever it reads.
    #[test]
    fn the_parser_never_panics(text in "(---\n|## |### |- \\[x\\] |- \\[ \\] |> |[a-z_]+: |\\{quiz\\}|\\{exam\\}|[a-zé ?]{0,12}|\n){0,40}") {
        let _ = parse(&text);
    }
}
