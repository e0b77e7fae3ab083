//! `/api/v1/courses` and `/api/v1/attempts`: the learning space over the same service
//! as its pages — the catalogue, import and export, a learner's progress, attempts at
//! quizzes and the certifications they grant. The 400, 401 and 403 answers every
//! operation can give are documented once, in `openapi.rs`.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use embark_core::learning::QuestionKind;
use embark_core::{AttemptId, Locale};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, AppError};
use crate::http::api::{ApiCaller, ApiQuery};
use crate::http::Path;
use crate::learning::service::{self, AttemptView};
use crate::playbooks::service::ImportError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/courses", get(list_courses).post(import_course))
        .route("/api/v1/courses/{key}", get(get_course))
        .route("/api/v1/courses/{key}/export", get(export_course))
        .route("/api/v1/courses/{key}/quizzes/{quiz}/attempts", post(start_attempt))
        .route("/api/v1/courses/{key}/assignments", post(assign_course))
        .route("/api/v1/attempts/{id}", get(get_attempt))
        .route("/api/v1/attempts/{id}/answers", post(submit_attempt))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LanguageParam {
    /// `fr` or `en`; default: the caller's language (a course in one language only is
    /// given in that one).
    #[param(pattern = "^(fr|en)$")]
    pub language: Option<String>,
}

fn language(p: &LanguageParam, default: Locale) -> Result<Locale, AppError> {
    match p.language.as_deref() {
        None => Ok(default),
        Some(l) => {
            l.parse().map_err(|_| AppError::Invalid(vec![embark_core::FieldError::new("language", "error-language")]))
        }
    }
}

/// A course of the catalogue, with the caller's progress.
#[derive(Serialize, ToSchema)]
pub struct CourseView {
    /// Pairs its languages; gates name it: `certified:<key>`.
    pub key: String,
    /// `fr` or `en`.
    pub language: String,
    pub title: String,
    pub summary: String,
    pub reading_minutes: i64,
    /// Its exam grants a certification.
    pub certifies: bool,
    pub version: i64,
    /// Modules done and the exam passed, out of `total`.
    pub done: usize,
    pub total: usize,
    /// Until when the caller's certification of this course is valid (RFC 3339), if it is.
    pub certified_until: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/courses", tag = "learning", params(LanguageParam),
    responses((status = 200, body = [CourseView]),
              (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn list_courses(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
    ApiQuery(q): ApiQuery<LanguageParam>,
) -> Result<Json<Vec<CourseView>>, ApiError> {
    let locale = language(&q, p.user.locale)?;
    let lines = service::catalogue(&state, &p, locale).await?;
    Ok(Json(
        lines
            .into_iter()
            .map(|l| CourseView {
                key: l.row.key,
                language: l.row.language.code().to_string(),
                title: l.row.title,
                summary: l.row.summary,
                reading_minutes: l.row.reading_minutes,
                certifies: l.row.certifies,
                version: l.row.latest_version,
                done: l.done,
                total: l.total,
                certified_until: l.certified_until.map(|t| t.to_jiff().to_string()),
            })
            .collect(),
    ))
}

/// A module of a course, as the caller stands in it.
#[derive(Serialize, ToSchema)]
pub struct ModuleView {
    pub id: String,
    pub title: String,
    /// Markdown.
    pub body: String,
    pub media: Vec<String>,
    pub reading_minutes: u32,
    /// The quiz the module ends with, if any.
    pub quiz: Option<String>,
    /// Read to its end and, if it has a quiz, the quiz passed.
    pub done: bool,
}

/// A quiz's rules (not its questions: an attempt draws them).
#[derive(Serialize, ToSchema)]
pub struct QuizRules {
    pub id: String,
    pub title: String,
    /// Questions an attempt asks.
    pub questions: usize,
    /// Percent needed to pass.
    pub pass_mark: u8,
    /// Attempts allowed per version of the course; null: no limit.
    pub attempts: Option<u32>,
}

/// A course with its modules and the caller's progress.
#[derive(Serialize, ToSchema)]
pub struct CourseDetail {
    pub key: String,
    pub language: String,
    pub version: i64,
    pub title: String,
    pub summary: String,
    /// Markdown.
    pub intro: String,
    pub reading_minutes: u32,
    pub modules: Vec<ModuleView>,
    pub exam: Option<QuizRules>,
    pub done: usize,
    pub total: usize,
    pub complete: bool,
    pub certified_until: Option<String>,
}

fn rules(q: &embark_core::learning::Quiz) -> QuizRules {
    QuizRules {
        id: q.id.clone(),
        title: q.title.clone(),
        questions: q.asked(),
        pass_mark: q.pass_mark,
        attempts: q.attempts,
    }
}

#[utoipa::path(get, path = "/api/v1/courses/{key}", tag = "learning", params(("key" = String, Path), LanguageParam),
    responses((status = 200, body = CourseDetail),
              (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn get_course(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<LanguageParam>,
) -> Result<Json<CourseDetail>, ApiError> {
    let locale = language(&q, p.user.locale)?;
    let loaded = service::load(&state, &p, &key, locale).await?;
    let standing = service::standing(&state, &p, &loaded.row.key).await?;
    let c = &loaded.course;
    let (done, total) = standing.progress.counts(c);
    Ok(Json(CourseDetail {
        key: loaded.row.key.clone(),
        language: loaded.row.language.code().to_string(),
        version: loaded.version.number,
        title: c.title.clone(),
        summary: c.summary.clone().unwrap_or_default(),
        intro: c.intro.clone(),
        reading_minutes: c.reading_minutes(),
        modules: c
            .modules
            .iter()
            .map(|m| ModuleView {
                id: m.id.clone(),
                title: m.title.clone(),
                body: m.body.clone(),
                media: m.media.clone(),
                reading_minutes: m.reading_minutes(),
                quiz: m.quiz.as_ref().map(|q| q.id.clone()),
                done: standing.progress.module_done(m),
            })
            .collect(),
        exam: c.exam.as_ref().map(rules),
        done,
        total,
        complete: standing.progress.complete(c),
        certified_until: standing.certified_until.map(|t| t.to_jiff().to_string()),
    }))
}

/// The document of a course's latest version, byte for byte as imported.
#[utoipa::path(get, path = "/api/v1/courses/{key}/export", tag = "learning", params(("key" = String, Path), LanguageParam),
    responses((status = 200, body = String, content_type = "text/markdown"),
              (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn export_course(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
    Path(key): Path<String>,
    ApiQuery(q): ApiQuery<LanguageParam>,
) -> Result<impl IntoResponse, ApiError> {
    crate::access::require(&p, embark_core::Permission::EditCourses)?;
    let locale = language(&q, p.user.locale)?;
    let loaded = service::load(&state, &p, &key, locale).await?;
    Ok(([(header::CONTENT_TYPE, "text/markdown; charset=utf-8")], loaded.version.source))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct KeyParam {
    /// The course's key; default: its title turned into an id.
    #[param(pattern = "^[a-z0-9][a-z0-9-]{1,63}$")]
    pub key: Option<String>,
}

/// What an import did.
#[derive(Serialize, ToSchema)]
pub struct CourseImported {
    pub key: String,
    pub language: String,
    pub version: i64,
    /// created, new_version or unchanged.
    pub result: String,
}

/// Imports a course document (`text/markdown`), all or nothing: a document with
/// problems gets every one back with its line and column, and nothing is written.
#[utoipa::path(post, path = "/api/v1/courses", tag = "learning", params(KeyParam),
    request_body(content = String, content_type = "text/markdown"),
    responses((status = 201, body = CourseImported), (status = 200, body = CourseImported, description = "unchanged"),
              (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn import_course(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
    ApiQuery(q): ApiQuery<KeyParam>,
    headers: axum::http::HeaderMap,
    body: String,
) -> Result<(StatusCode, Json<CourseImported>), ApiError> {
    crate::http::api::require_content_type(
        &headers,
        &["text/markdown", "text/plain"],
        "send the course document as the body, with Content-Type: text/markdown",
    )?;
    // The pages read an empty key as "from the title"; the API reads the key as given.
    if q.key.as_deref().is_some_and(|k| k.parse::<embark_core::learning::CourseKey>().is_err()) {
        return Err(AppError::Invalid(vec![embark_core::FieldError::new("key", "error-playbook-key")]).into());
    }
    match service::import_as(&state, &p, q.key.as_deref(), &body).await {
        Ok(o) => {
            let status = if o.what == crate::playbooks::service::Imported::Unchanged {
                StatusCode::OK
            } else {
                StatusCode::CREATED
            };
            Ok((
                status,
                Json(CourseImported {
                    key: o.course.key,
                    language: o.course.language.code().to_string(),
                    version: o.version.number,
                    result: o.what.as_str().to_string(),
                }),
            ))
        }
        Err(ImportError::Invalid(d)) => Err(AppError::InvalidDocument(d).into()),
        Err(ImportError::BadKey) => {
            Err(AppError::Invalid(vec![embark_core::FieldError::new("key", "error-playbook-key")]).into())
        }
        Err(ImportError::Other(e)) => Err(e.into()),
    }
}

/// One option of a question, in the order the attempt shows it.
#[derive(Serialize, ToSchema)]
pub struct OptionView {
    /// What to send back to choose it.
    pub value: usize,
    pub text: String,
}

/// A question of an attempt.
#[derive(Serialize, ToSchema)]
pub struct QuestionView {
    pub id: String,
    pub prompt: String,
    /// single, multiple, true_false or short.
    pub kind: String,
    /// For single and multiple: the options, in the attempt's order.
    pub options: Vec<OptionView>,
    /// Once submitted: whether the answer was right, and why.
    pub right: Option<bool>,
    pub explanation: Option<String>,
}

/// An attempt at a quiz: the questions drawn for it, and its grade once submitted.
#[derive(Serialize, ToSchema)]
pub struct AttemptState {
    pub id: String,
    pub course: String,
    pub quiz: String,
    pub started_at: String,
    pub submitted_at: Option<String>,
    pub questions: Vec<QuestionView>,
    /// Percent right, once submitted.
    pub score: Option<i64>,
    pub passed: Option<bool>,
    pub pass_mark: u8,
}

fn attempt_state(view: &AttemptView) -> AttemptState {
    let quiz = view.quiz();
    let marked = view.graded.as_ref().map(|(g, _)| &g.marked);
    let questions = view
        .drawn
        .0
        .iter()
        .filter_map(|(qid, order)| {
            let q = quiz?.question(qid)?;
            let right = marked.and_then(|m| m.iter().find(|m| m.question == *qid)).map(|m| m.right);
            Some(QuestionView {
                id: q.id.clone(),
                prompt: q.prompt.clone(),
                kind: q.kind.as_str().to_string(),
                options: match &q.kind {
                    QuestionKind::Single(c) | QuestionKind::Multiple(c) => order
                        .iter()
                        .filter_map(|i| c.get(*i).map(|o| OptionView { value: *i, text: o.text.clone() }))
                        .collect(),
                    _ => Vec::new(),
                },
                explanation: right.map(|_| q.explanation.clone()),
                right,
            })
        })
        .collect();
    AttemptState {
        id: view.attempt.id.to_string(),
        course: view.row.key.clone(),
        quiz: view.attempt.quiz_id.clone(),
        started_at: view.attempt.started_at.to_jiff().to_string(),
        submitted_at: view.attempt.submitted_at.map(|t| t.to_jiff().to_string()),
        questions,
        score: view.attempt.score,
        passed: view.attempt.passed,
        pass_mark: quiz.map(|q| q.pass_mark).unwrap_or(0),
    }
}

/// Starts an attempt at a quiz, or returns the one in progress (200). An exam opens
/// once every module is done; a quiz with an attempts limit refuses once it is used (409).
#[utoipa::path(post, path = "/api/v1/courses/{key}/quizzes/{quiz}/attempts", tag = "learning",
    params(("key" = String, Path), ("quiz" = String, Path), LanguageParam),
    responses((status = 201, body = AttemptState),
              (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 409, body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn start_attempt(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
    Path((key, quiz)): Path<(String, String)>,
    ApiQuery(q): ApiQuery<LanguageParam>,
) -> Result<(StatusCode, Json<AttemptState>), ApiError> {
    let locale = language(&q, p.user.locale)?;
    let id = service::start_attempt(&state, &p, &key, &quiz, locale).await?;
    let view = service::attempt(&state, &p, id).await?;
    Ok((StatusCode::CREATED, Json(attempt_state(&view))))
}

#[utoipa::path(get, path = "/api/v1/attempts/{id}", tag = "learning", params(("id" = String, Path)),
    responses((status = 200, body = AttemptState),
              (status = 404, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn get_attempt(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
    Path(id): Path<AttemptId>,
) -> Result<Json<AttemptState>, ApiError> {
    Ok(Json(attempt_state(&service::attempt(&state, &p, id).await?)))
}

/// An answer: the options chosen (their `value`s), `true`/`false`, or a short text.
#[derive(Deserialize, ToSchema)]
#[serde(untagged)]
pub enum AnswerBody {
    Choices(Vec<usize>),
    Bool(bool),
    Text(String),
}

/// The answers to every question of the attempt, by question id.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswersBody {
    /// Read by [`answer_values`]: an option's `value` may come as `2` or `2.0`, as JSON
    /// numbers are (the schema's `integer` admits both).
    #[schema(value_type = HashMap<String, AnswerBody>)]
    pub answers: HashMap<String, serde_json::Value>,
}

/// An answer as the page's form gives it: every value as text. `None` for a value that
/// is none of the documented shapes.
fn answer_values(v: &serde_json::Value) -> Option<Vec<String>> {
    let whole = |n: &serde_json::Value| {
        n.as_u64().or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 9e15).map(|f| f as u64))
    };
    match v {
        serde_json::Value::Bool(b) => Some(vec![b.to_string()]),
        serde_json::Value::String(t) => Some(vec![t.clone()]),
        serde_json::Value::Array(items) => items.iter().map(|i| whole(i).map(|n| n.to_string())).collect(),
        _ => None,
    }
}

/// The grade of a submitted attempt.
#[derive(Serialize, ToSchema)]
pub struct AttemptGrade {
    pub attempt: AttemptState,
    /// The certification the exam granted, valid until then (RFC 3339).
    pub certified_until: Option<String>,
    /// Prerequisites and steps it closed (a kick-off's "scorecard mastered", a journey's pre-work).
    pub gates_closed: usize,
}

/// Submits the attempt, once: every question must be answered (422 names each one
/// that is not, and nothing is written); a second submission is refused (409).
#[utoipa::path(post, path = "/api/v1/attempts/{id}/answers", tag = "learning", params(("id" = String, Path)),
    request_body = AnswersBody,
    responses((status = 200, body = AttemptGrade),
              (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 409, body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn submit_attempt(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
    Path(id): Path<AttemptId>,
    crate::http::api::ApiJson(body): crate::http::api::ApiJson<AnswersBody>,
) -> Result<Json<AttemptGrade>, ApiError> {
    // The same reading as the page's form: every value as text, checked by the service.
    let mut given: HashMap<String, Vec<String>> = HashMap::new();
    for (k, v) in body.answers {
        let Some(values) = answer_values(&v) else {
            return Err(AppError::BadField { field: format!("answers.{k}"), code: "error-field-type" }.into());
        };
        given.insert(k, values);
    }
    let submitted = service::submit(&state, &p, id, &given).await?;
    let view = service::attempt(&state, &p, id).await?;
    Ok(Json(AttemptGrade {
        attempt: attempt_state(&view),
        certified_until: submitted.certified_until.map(|t| t.to_jiff().to_string()),
        gates_closed: submitted.gates_closed,
    }))
}

/// Assigns the course to a person (admins).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignmentBody {
    /// The person's id.
    #[schema(pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    pub user_id: String,
    /// To complete by this day (`YYYY-MM-DD`, the end of that day in the workspace's
    /// time zone), never past; absent: no due date.
    #[schema(format = Date)]
    pub due_on: Option<String>,
}

/// What an assignment did.
#[derive(Serialize, ToSchema)]
pub struct Assigned {
    /// False when the course was assigned already (its due date is replaced).
    pub created: bool,
}

/// Assigns a course to a person: it shows on their home until complete, and makes a
/// client contact its learner. A second assignment replaces the due date.
#[utoipa::path(post, path = "/api/v1/courses/{key}/assignments", tag = "learning", params(("key" = String, Path)),
    request_body = AssignmentBody,
    responses((status = 200, body = Assigned),
              (status = 404, body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn assign_course(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
    Path(key): Path<String>,
    crate::http::api::ApiJson(body): crate::http::api::ApiJson<AssignmentBody>,
) -> Result<Json<Assigned>, ApiError> {
    let user = body.user_id.parse().map_err(|_| AppError::NotFound)?;
    let created = service::assign(&state, &p, user, &key, body.due_on.as_deref().unwrap_or("")).await?;
    Ok(Json(Assigned { created }))
}
