//! The learning space's pages: the catalogue (`/learning`), a course, its modules,
//! and the attempts at its quizzes.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use embark_core::learning::quiz::Response as Answer;
use embark_core::learning::{Course, QuestionKind};
use embark_core::{AttemptId, Permission};
use serde::Deserialize;

use crate::error::AppError;
use crate::http::{render, render_status, Form, Page, Path, RequestCtx, Viewer};
use crate::i18n::Tr;
use crate::learning::service::{self, AttemptView, QuizAccess};
use crate::markdown::to_html;
use crate::playbooks::service::{ImportError, Imported};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/learning", get(catalogue).post(import))
        .route("/learning/{key}", get(course_page))
        .route("/learning/{key}/export", get(export))
        .route("/learning/{key}/report", get(report_page))
        .route("/learning/{key}/report.csv", get(report_csv))
        .route("/learning/{key}/modules/{module}", get(module_page).post(module_read))
        .route("/learning/{key}/quizzes/{quiz}", post(quiz_start))
        .route("/learning/attempts/{id}", get(attempt_page).post(attempt_submit))
}

struct CatalogueRow {
    key: String,
    title: String,
    summary: String,
    reading: String,
    percent: i64,
    progress: String,
    certification: Option<String>,
}

#[derive(Template)]
#[template(path = "learning/catalogue.html")]
struct CatalogueTemplate {
    page: Page,
    rows: Vec<CatalogueRow>,
    /// The reader learns every course (not only those assigned to them).
    every: bool,
    can_edit: bool,
    source: String,
    key: String,
    diagnostics: Vec<String>,
    key_error: bool,
}

/// "3 of 6 done".
fn progress_text(tr: Tr, done: usize, total: usize) -> (i64, String) {
    let percent = (done * 100).checked_div(total).unwrap_or(0) as i64;
    (percent, tr.t_nums("learning-progress", &[("done", done as i64), ("total", total as i64)]))
}

async fn catalogue_template(
    state: &AppState,
    viewer: &Viewer,
    ctx: &RequestCtx,
    typed: (&str, &str),
    diagnostics: Vec<String>,
    key_error: bool,
) -> Result<CatalogueTemplate, AppError> {
    let tr = Tr::new(ctx.locale);
    let p = &viewer.principal;
    let lines = service::catalogue(state, p, ctx.locale).await?;
    let rows = lines
        .into_iter()
        .map(|l| {
            let (percent, progress) = progress_text(tr, l.done, l.total);
            CatalogueRow {
                reading: tr.t_count("playbook-reading", l.row.reading_minutes),
                certification: match (l.row.certifies, l.certified_until) {
                    (_, Some(until)) => {
                        Some(tr.t1("learning-certified-until", "date", &tr.date(until, &p.workspace_time_zone)))
                    }
                    (true, None) => Some(tr.t("learning-certifies")),
                    (false, None) => None,
                },
                key: l.row.key,
                title: l.row.title,
                summary: l.row.summary,
                percent,
                progress,
            }
        })
        .collect();
    Ok(CatalogueTemplate {
        page: Page::signed_in(viewer, ctx, "learning", &tr.t("learning-title"), "/learning"),
        rows,
        every: p.user.role.can(Permission::Learn),
        can_edit: p.user.role.can(Permission::EditCourses),
        source: typed.0.to_string(),
        key: typed.1.to_string(),
        diagnostics,
        key_error,
    })
}

async fn catalogue(State(state): State<AppState>, viewer: Viewer, ctx: RequestCtx) -> Result<Response, AppError> {
    render(catalogue_template(&state, &viewer, &ctx, ("", ""), Vec::new(), false).await?)
}

#[derive(Deserialize, Default)]
struct ImportForm {
    #[serde(default)]
    source: String,
    #[serde(default)]
    key: String,
}

async fn import(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Form(form): Form<ImportForm>,
) -> Result<Response, AppError> {
    let key = Some(form.key.as_str()).filter(|k| !k.trim().is_empty());
    let (diagnostics, key_error) = match service::import_as(&state, &viewer.principal, key, &form.source).await {
        Ok(o) => {
            let done = if o.what == Imported::Unchanged { "unchanged" } else { "imported" };
            return Ok(Redirect::to(&format!("/learning/{}?done={done}", o.course.key)).into_response());
        }
        Err(ImportError::Invalid(d)) => (d.iter().map(ToString::to_string).collect(), false),
        Err(ImportError::BadKey) => (Vec::new(), true),
        Err(ImportError::Other(e)) => return Err(e),
    };
    let t = catalogue_template(&state, &viewer, &ctx, (&form.source, &form.key), diagnostics, key_error).await?;
    render_status(StatusCode::UNPROCESSABLE_ENTITY, t)
}

struct ModuleRow {
    id: String,
    title: String,
    reading: String,
    done: bool,
    has_quiz: bool,
}

/// One past attempt, as the course page lists it.
struct AttemptLine {
    id: String,
    when: String,
    result: String,
    passed: bool,
}

#[derive(Template)]
#[template(path = "learning/course.html")]
struct CourseTemplate {
    page: Page,
    key: String,
    title: String,
    summary: String,
    intro_html: String,
    reading: String,
    modules: Vec<ModuleRow>,
    percent: i64,
    progress: String,
    resume: Option<String>,
    complete: bool,
    certification: Option<String>,
    exam: Option<ExamView>,
    attempts: Vec<AttemptLine>,
    can_edit: bool,
}

struct ExamView {
    id: String,
    title: String,
    rules: String,
    /// Why it cannot start, when it cannot.
    closed: Option<String>,
    in_progress: bool,
}

#[derive(Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

async fn course_page(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(key): Path<String>,
    axum::extract::Query(q): axum::extract::Query<DoneQuery>,
) -> Result<Response, AppError> {
    let tr = Tr::new(ctx.locale);
    let p = &viewer.principal;
    let tz = &p.workspace_time_zone;
    let loaded = service::load(&state, p, &key, ctx.locale).await?;
    let standing = service::standing(&state, p, &loaded.row.key).await?;
    let course: &Course = &loaded.course;
    let progress = &standing.progress;
    let (done, total) = progress.counts(course);
    let (percent, progress_line) = progress_text(tr, done, total);
    let modules = course
        .modules
        .iter()
        .map(|m| ModuleRow {
            id: m.id.clone(),
            title: m.title.clone(),
            reading: tr.t_count("playbook-reading", i64::from(m.reading_minutes())),
            done: progress.module_done(m),
            has_quiz: m.quiz.is_some(),
        })
        .collect();
    let db = &mut state.store.conn().await?;
    let (exam, attempts) = match &course.exam {
        Some(e) => {
            let access = service::quiz_access(db, p, &loaded, e, progress).await?;
            let open = embark_store::learning::open_attempt(db, p.user.workspace_id, p.user.id, &loaded.row.key, &e.id)
                .await?;
            let mut rules = vec![
                tr.t_count("learning-questions", e.asked() as i64),
                tr.t1("learning-pass-mark", "mark", &e.pass_mark.to_string()),
            ];
            let closed = match access {
                QuizAccess::Open { attempts_left: Some(n) } => {
                    rules.push(tr.t_count("learning-attempts-left", i64::from(n)));
                    None
                }
                QuizAccess::Open { attempts_left: None } => None,
                QuizAccess::ModulesFirst => Some(tr.t("learning-exam-closed")),
                QuizAccess::NoAttemptLeft => Some(tr.t("learning-no-attempt-left")),
            };
            let history =
                embark_store::learning::attempts_of(db, p.user.workspace_id, p.user.id, &loaded.row.key, &e.id).await?;
            let attempts = history
                .into_iter()
                .filter(|a| a.submitted_at.is_some())
                .map(|a| AttemptLine {
                    id: a.id.to_string(),
                    when: tr.datetime(a.submitted_at.unwrap_or(a.started_at), tz),
                    result: tr.t1("learning-score", "score", &a.score.unwrap_or(0).to_string()),
                    passed: a.passed == Some(true),
                })
                .collect();
            let exam = ExamView {
                id: e.id.clone(),
                title: e.title.clone(),
                rules: rules.join(" · "),
                closed: if open.is_some() { None } else { closed },
                in_progress: open.is_some(),
            };
            (Some(exam), attempts)
        }
        None => (None, Vec::new()),
    };
    let notice = match q.done.as_deref() {
        Some("imported") => Some("learning-imported"),
        Some("unchanged") => Some("learning-unchanged"),
        _ => None,
    };
    render(CourseTemplate {
        page: Page::signed_in(&viewer, &ctx, "learning", &course.title, &format!("/learning/{}", loaded.row.key))
            .with_notice(notice),
        key: loaded.row.key.clone(),
        title: course.title.clone(),
        summary: course.summary.clone().unwrap_or_default(),
        intro_html: to_html(&course.intro),
        reading: tr.t_count("playbook-reading", i64::from(course.reading_minutes())),
        modules,
        percent,
        progress: progress_line,
        resume: progress.resume(course).map(|m| m.id.clone()),
        complete: progress.complete(course),
        certification: match (course.certification, standing.certified_until) {
            (_, Some(until)) => Some(tr.t1("learning-certified-until", "date", &tr.date(until, tz))),
            (Some(_), None) => Some(tr.t("learning-certifies")),
            (None, None) => None,
        },
        exam,
        attempts,
        can_edit: p.user.role.can(Permission::EditCourses),
    })
}

async fn export(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(key): Path<String>,
) -> Result<Response, AppError> {
    viewer.require(Permission::EditCourses)?;
    let loaded = service::load(&state, &viewer.principal, &key, ctx.locale).await?;
    let name = format!("attachment; filename=\"{}.{}.md\"", loaded.row.key, loaded.row.language.code());
    Ok((
        [(header::CONTENT_TYPE, "text/markdown; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, name)],
        loaded.version.source,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "learning/module.html")]
struct ModuleTemplate {
    page: Page,
    key: String,
    course_title: String,
    id: String,
    title: String,
    position: String,
    reading: String,
    body_html: String,
    media: Vec<String>,
    /// The quiz the module ends with.
    quiz: Option<(String, String)>,
    /// Already read (its quiz may still be due).
    read: bool,
}

async fn module_page(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path((key, module)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let tr = Tr::new(ctx.locale);
    let loaded = service::load(&state, &viewer.principal, &key, ctx.locale).await?;
    let course = &loaded.course;
    let index = course.modules.iter().position(|m| m.id == module).ok_or(AppError::NotFound)?;
    let m = &course.modules[index];
    let standing = service::standing(&state, &viewer.principal, &loaded.row.key).await?;
    render(ModuleTemplate {
        page: Page::signed_in(
            &viewer,
            &ctx,
            "learning",
            &m.title,
            &format!("/learning/{}/modules/{}", loaded.row.key, m.id),
        ),
        key: loaded.row.key.clone(),
        course_title: course.title.clone(),
        id: m.id.clone(),
        title: m.title.clone(),
        position: tr
            .t_nums("learning-module-position", &[("n", index as i64 + 1), ("total", course.modules.len() as i64)]),
        reading: tr.t_count("playbook-reading", i64::from(m.reading_minutes())),
        body_html: to_html(&m.body),
        media: m.media.clone(),
        quiz: m.quiz.as_ref().map(|q| (q.id.clone(), q.title.clone())),
        read: standing.progress.modules_done.contains(&m.id),
    })
}

/// The learner reached the module's end: it is read. Then the module's quiz, or the
/// next module, or the course page.
async fn module_read(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path((key, module)): Path<(String, String)>,
    Form(_): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let p = &viewer.principal;
    let next = service::read_module(&state, p, &key, &module, ctx.locale).await?;
    let loaded = service::load(&state, p, &key, ctx.locale).await?;
    let key = &loaded.row.key;
    if let Some(quiz) = loaded.course.module(&module).and_then(|m| m.quiz.as_ref()) {
        let standing = service::standing(&state, p, key).await?;
        if !standing.progress.quizzes_passed.contains(&quiz.id) {
            let id = service::start_attempt(&state, p, key, &quiz.id, ctx.locale).await?;
            return Ok(Redirect::to(&format!("/learning/attempts/{id}")).into_response());
        }
    }
    let to = match next {
        Some(n) => format!("/learning/{key}/modules/{n}"),
        None => format!("/learning/{key}"),
    };
    Ok(Redirect::to(&to).into_response())
}

async fn quiz_start(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path((key, quiz)): Path<(String, String)>,
    Form(_): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    match service::start_attempt(&state, &viewer.principal, &key, &quiz, ctx.locale).await {
        Ok(id) => Ok(Redirect::to(&format!("/learning/attempts/{id}")).into_response()),
        // The course page says why (modules first, no attempt left).
        Err(AppError::Conflict(_)) => Ok(Redirect::to(&format!("/learning/{key}")).into_response()),
        Err(e) => Err(e),
    }
}

/// One option of a question, in the order drawn.
struct OptionView {
    value: String,
    text: String,
    checked: bool,
    /// After submission: whether it is a right option.
    right: bool,
}

struct QuestionView {
    field: String,
    n: usize,
    prompt: String,
    body_html: String,
    /// single, multiple, true_false, short
    kind: &'static str,
    options: Vec<OptionView>,
    text: String,
    error: Option<String>,
    /// After submission.
    result: Option<bool>,
    explanation: String,
}

#[derive(Template)]
#[template(path = "learning/attempt.html")]
struct AttemptTemplate {
    page: Page,
    id: String,
    key: String,
    course_title: String,
    quiz_title: String,
    intro_html: String,
    rules: String,
    questions: Vec<QuestionView>,
    submitted: bool,
    /// "8 right out of 10: 80 %".
    score: String,
    passed: bool,
    certified: Option<String>,
    next: Option<(String, String)>,
    error_count: usize,
    /// Whether the right options are shown after submission: for a module's quiz, not
    /// for the exam, whose bank serves the next attempts.
    reveal: bool,
}

fn attempt_template(
    tr: Tr,
    viewer: &Viewer,
    ctx: &RequestCtx,
    view: &AttemptView,
    typed: &HashMap<String, Vec<String>>,
    errors: &[embark_core::FieldError],
    certified_until: Option<embark_core::Timestamp>,
) -> Result<AttemptTemplate, AppError> {
    let quiz = view.quiz().ok_or(AppError::NotFound)?;
    let graded = view.graded.as_ref();
    let tz = &viewer.principal.workspace_time_zone;
    let mut questions = Vec::new();
    for (n, (qid, order)) in view.drawn.0.iter().enumerate() {
        let Some(q) = quiz.question(qid) else { continue };
        let given = graded.and_then(|(_, a)| a.get(qid));
        let typed_values = typed.get(qid).cloned().unwrap_or_default();
        let is_checked = |i: usize| match given {
            Some(Answer::Choices(c)) => c.contains(&i),
            _ => typed_values.iter().any(|v| v == &i.to_string()),
        };
        let options = match &q.kind {
            QuestionKind::Single(c) | QuestionKind::Multiple(c) => order
                .iter()
                .filter_map(|i| c.get(*i).map(|choice| (i, choice)))
                .map(|(i, choice)| OptionView {
                    value: i.to_string(),
                    text: choice.text.clone(),
                    checked: is_checked(*i),
                    right: choice.correct,
                })
                .collect(),
            QuestionKind::TrueFalse(truth) => [true, false]
                .into_iter()
                .map(|b| OptionView {
                    value: b.to_string(),
                    text: tr.t(if b { "learning-true" } else { "learning-false" }),
                    checked: match given {
                        Some(Answer::Bool(g)) => *g == b,
                        _ => typed_values.iter().any(|v| v == &b.to_string()),
                    },
                    right: *truth == b,
                })
                .collect(),
            QuestionKind::Short(_) => Vec::new(),
        };
        let field = format!("q.{qid}");
        questions.push(QuestionView {
            error: errors.iter().find(|e| e.field == field).map(|e| tr.t(e.code)),
            field,
            n: n + 1,
            prompt: q.prompt.clone(),
            body_html: if q.body.is_empty() { String::new() } else { to_html(&q.body) },
            kind: q.kind.as_str(),
            options,
            text: match given {
                Some(Answer::Text(t)) => t.clone(),
                _ => typed_values.first().cloned().unwrap_or_default(),
            },
            result: graded.and_then(|(g, _)| g.marked.iter().find(|m| m.question == *qid).map(|m| m.right)),
            explanation: q.explanation.clone(),
        });
    }
    let (score, passed) = match graded {
        Some((g, _)) => (
            tr.t_nums(
                "learning-result",
                &[("right", g.right as i64), ("asked", g.asked as i64), ("score", i64::from(g.score))],
            ),
            g.passed,
        ),
        None => (String::new(), false),
    };
    let certified = certified_until.map(|until| tr.t1("learning-certified-until", "date", &tr.date(until, tz)));
    let next = if view.attempt.submitted_at.is_some() && !view.is_exam() {
        let module = view.course.modules.iter().position(|m| m.quiz.as_ref().is_some_and(|q| q.id == quiz.id));
        match module.and_then(|i| view.course.modules.get(i + 1)) {
            Some(n) if passed => {
                Some((format!("/learning/{}/modules/{}", view.row.key, n.id), tr.t("learning-next-module")))
            }
            _ => None,
        }
    } else {
        None
    };
    Ok(AttemptTemplate {
        page: Page::signed_in(viewer, ctx, "learning", &quiz.title, &format!("/learning/attempts/{}", view.attempt.id)),
        id: view.attempt.id.to_string(),
        key: view.row.key.clone(),
        course_title: view.course.title.clone(),
        quiz_title: quiz.title.clone(),
        intro_html: to_html(&quiz.intro),
        rules: [
            tr.t_count("learning-questions", quiz.asked() as i64),
            tr.t1("learning-pass-mark", "mark", &quiz.pass_mark.to_string()),
        ]
        .join(" · "),
        questions,
        submitted: view.attempt.submitted_at.is_some(),
        score,
        passed,
        certified,
        next,
        error_count: errors.len(),
        reveal: !view.is_exam(),
    })
}

async fn attempt_page(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<AttemptId>,
) -> Result<Response, AppError> {
    let view = service::attempt(&state, &viewer.principal, id).await?;
    // A passed exam of a certifying course: the certification it granted.
    let certified_until = if view.is_exam() && view.attempt.passed == Some(true) && view.course.certification.is_some()
    {
        service::standing(&state, &viewer.principal, &view.row.key).await?.certified_until
    } else {
        None
    };
    render(attempt_template(Tr::new(ctx.locale), &viewer, &ctx, &view, &HashMap::new(), &[], certified_until)?)
}

async fn attempt_submit(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(id): Path<AttemptId>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let mut given: HashMap<String, Vec<String>> = HashMap::new();
    for (name, value) in pairs {
        if let Some(q) = name.strip_prefix("q.") {
            given.entry(q.to_string()).or_default().push(value);
        }
    }
    match service::submit(&state, &viewer.principal, id, &given).await {
        Ok(_) | Err(AppError::Conflict(_)) => Ok(Redirect::to(&format!("/learning/attempts/{id}")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let view = service::attempt(&state, &viewer.principal, id).await?;
            let t = attempt_template(Tr::new(ctx.locale), &viewer, &ctx, &view, &given, &errors, None)?;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, t)
        }
        Err(e) => Err(e),
    }
}

struct LearnerRow {
    name: String,
    email: String,
    modules: String,
    attempts: u32,
    best: String,
    passed: String,
    completed: bool,
}

#[derive(Template)]
#[template(path = "learning/report.html")]
struct ReportTemplate {
    page: Page,
    key: String,
    title: String,
    /// (label, value) figures.
    figures: Vec<(String, String)>,
    learners: Vec<LearnerRow>,
    has_exam: bool,
}

fn percent(tr: Tr, v: Option<f64>) -> String {
    v.map(|v| tr.t1("learning-percent", "value", &format!("{v:.0}"))).unwrap_or_else(|| "—".into())
}

/// A course's report (admins): the figures, and one line per learner.
async fn report_page(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(key): Path<String>,
) -> Result<Response, AppError> {
    let tr = Tr::new(ctx.locale);
    let tz = &viewer.principal.workspace_time_zone;
    let r = service::report(&state, &viewer.principal, &key, ctx.locale).await?;
    let course = &r.loaded.course;
    let modules = course.modules.len();
    let has_exam = course.exam.is_some();
    let s = &r.summary;
    let mut figures = vec![
        (tr.t("learning-report-learners"), s.learners.to_string()),
        (tr.t("learning-report-completed"), format!("{} ({})", s.completed, percent(tr, s.completion_rate()))),
    ];
    if has_exam {
        figures.push((
            tr.t("learning-report-pass-rate"),
            format!("{} / {} ({})", s.passed, s.attempted, percent(tr, s.pass_rate())),
        ));
        figures.push((tr.t("learning-report-average"), percent(tr, s.average_best_score)));
        let days = s.median_days_to_complete.map(|d| tr.t_count("learning-report-days", d.round() as i64));
        figures.push((tr.t("learning-report-median"), days.unwrap_or_else(|| "—".into())));
    }
    let learners = r
        .learners
        .iter()
        .map(|l| LearnerRow {
            name: l.name.clone(),
            email: l.email.clone(),
            modules: tr.t_nums(
                "learning-progress",
                &[("done", l.stats.modules_read.min(modules) as i64), ("total", modules as i64)],
            ),
            attempts: l.stats.attempts,
            best: l
                .stats
                .best_score
                .map(|b| tr.t1("learning-score", "score", &b.to_string()))
                .unwrap_or_else(|| "—".into()),
            passed: l.stats.passed_at.map(|at| tr.date(at, tz)).unwrap_or_else(|| "—".into()),
            completed: l.stats.completed(modules, has_exam),
        })
        .collect();
    render(ReportTemplate {
        page: Page::signed_in(
            &viewer,
            &ctx,
            "learning",
            &tr.t1("learning-report-title", "course", &course.title),
            &format!("/learning/{}/report", r.loaded.row.key),
        ),
        key: r.loaded.row.key.clone(),
        title: course.title.clone(),
        figures,
        learners,
        has_exam,
    })
}

/// The report's learners as CSV (UTF-8 with a byte order mark, for spreadsheets).
async fn report_csv(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Path(key): Path<String>,
) -> Result<Response, AppError> {
    use embark_core::csv::{write_row, BOM};
    let r = service::report(&state, &viewer.principal, &key, ctx.locale).await?;
    let modules = r.loaded.course.modules.len();
    let has_exam = r.loaded.course.exam.is_some();
    let iso = |t: Option<embark_core::Timestamp>| t.map(|t| t.to_jiff().to_string()).unwrap_or_default();
    let mut out = String::from(BOM);
    write_row(
        &mut out,
        ',',
        &[
            "name",
            "email",
            "modules_read",
            "modules",
            "first_read_at",
            "exam_attempts",
            "best_score",
            "passed_at",
            "completed",
        ],
    );
    for l in &r.learners {
        let s = &l.stats;
        write_row(
            &mut out,
            ',',
            &[
                l.name.clone(),
                l.email.clone(),
                s.modules_read.to_string(),
                modules.to_string(),
                iso(s.first_read_at),
                s.attempts.to_string(),
                s.best_score.map(|b| b.to_string()).unwrap_or_default(),
                iso(s.passed_at),
                s.completed(modules, has_exam).to_string(),
            ],
        );
    }
    let name = format!("attachment; filename=\"{}-report.csv\"", r.loaded.row.key);
    // The learners' names and emails leave Embark: the trail says who took them.
    let p = &viewer.principal;
    let detail = r.loaded.row.key.to_string();
    embark_store::audit::record_alone(
        &state.store,
        p.user.workspace_id,
        Some(p.user.id),
        "export.course_report",
        &detail,
        state.now(),
    )
    .await?;
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, name)], out)
        .into_response())
}
