//! The learning space's use cases: import a course (all or nothing), read it, take its
//! quizzes, and earn the certification its exam grants — which closes, in the same
//! transaction, the gates waiting for it.

use std::collections::HashMap;
use std::sync::Arc;

use embark_core::diff::content_hash;
use embark_core::learning::quiz::{self, Drawn, Grade, Response};
use embark_core::learning::{self as learning, builtin::COURSES, Course, CourseKey, Progress, Quiz};
use embark_core::{AttemptId, Locale, Permission, Signal, Timestamp, UserId, WorkspaceId};
use embark_store::accounts::certifications::{self, Grant, Source};
use embark_store::accounts::sessions::Principal;
use embark_store::learning::{self as store, AttemptRow, CourseRow, Header, NewAttempt, VersionRow};
use embark_store::{Db, StoreError};

use crate::access::require;
use crate::error::AppError;
use crate::playbooks::service::{ImportError, Imported};
use crate::state::AppState;

pub struct ImportOutcome {
    pub course: CourseRow,
    pub version: VersionRow,
    pub what: Imported,
}

fn header(c: &Course) -> Header<'_> {
    Header {
        title: &c.title,
        summary: c.summary.as_deref().unwrap_or(""),
        reading_minutes: i64::from(c.reading_minutes()),
        certifies: c.certification.is_some(),
    }
}

/// Imports a course document into a workspace, all or nothing: a new course, a new
/// version of the one with the same key and language, or nothing if unchanged.
pub async fn import(
    state: &AppState,
    workspace: WorkspaceId,
    actor: Option<UserId>,
    key: Option<&str>,
    text: &str,
    builtin: bool,
) -> Result<ImportOutcome, ImportError> {
    let parsed = learning::parse(text).map_err(ImportError::Invalid)?;
    let key: CourseKey = match key.map(str::trim).filter(|k| !k.is_empty()) {
        Some(k) => k.parse().map_err(|_| ImportError::BadKey)?,
        None => embark_core::playbooks::slug(&parsed.title).parse().map_err(|_| ImportError::BadKey)?,
    };
    let hash = content_hash(text);
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let (id, what) = match store::find_by_key(&mut tx, workspace, key.as_str(), parsed.language).await? {
        Some(existing) => {
            let latest = store::version_by_number(&mut tx, workspace, existing.id, existing.latest_version).await?;
            if let Some(latest) = latest.filter(|v| v.content_hash == hash) {
                return Ok(ImportOutcome { course: existing, version: latest, what: Imported::Unchanged });
            }
            (existing.id, Imported::NewVersion)
        }
        None => {
            let created =
                store::create(&mut tx, workspace, key.as_str(), parsed.language, &header(&parsed), builtin, now).await;
            match created {
                Ok(id) => (id, Imported::Created),
                Err(e) if e.is_conflict_on(store::KEY_TAKEN) => {
                    return Err(AppError::Internal(anyhow::anyhow!("concurrent import of {key}")).into())
                }
                Err(e) => return Err(e.into()),
            }
        }
    };
    let version = store::add_version(&mut tx, workspace, id, text, &hash, &header(&parsed), actor, now).await?;
    let course = store::get(&mut tx, workspace, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(ImportOutcome { course, version, what })
}

/// An import by a signed-in person (permission checked).
pub async fn import_as(
    state: &AppState,
    actor: &Principal,
    key: Option<&str>,
    text: &str,
) -> Result<ImportOutcome, ImportError> {
    require(actor, Permission::EditCourses)?;
    import(state, actor.user.workspace_id, Some(actor.user.id), key, text, false).await
}

/// Adds the built-in courses a workspace does not have yet (never touches edited ones).
pub async fn install_builtins(state: &AppState, workspace: WorkspaceId) -> Result<usize, AppError> {
    let mut installed = 0;
    for b in COURSES {
        if store::find_by_key(&mut state.store.db(), workspace, b.key, b.language).await?.is_some() {
            continue;
        }
        match import(state, workspace, None, Some(b.key), b.text, true).await {
            Ok(_) => installed += 1,
            Err(ImportError::Other(e)) => return Err(e),
            Err(e) => {
                return Err(AppError::Internal(anyhow::anyhow!("built-in course {} does not import: {e:?}", b.key)))
            }
        }
    }
    Ok(installed)
}

/// A course as a learner reads it: its row, the version read, the parsed course.
pub struct Loaded {
    pub row: CourseRow,
    pub version: VersionRow,
    pub course: Arc<Course>,
}

/// The parsed course of a stored version.
fn parsed(state: &AppState, version: &VersionRow) -> Result<Arc<Course>, AppError> {
    state.courses.get(version.id, &version.source, learning::parse)
}

/// The course `key` in `locale`, or in its other language when it has only that one.
pub async fn find(db: &mut Db, ws: WorkspaceId, key: &str, locale: Locale) -> Result<Option<CourseRow>, AppError> {
    Ok(store::find_in(db, ws, key, locale).await?)
}

/// Whether `actor` may take the course `key`: every course for the roles that learn
/// (staff, new hires), the courses assigned to them for the others (client contacts).
/// A course that is not theirs is not found.
async fn may_take(db: &mut Db, actor: &Principal, key: &str) -> Result<(), AppError> {
    if actor.user.role.can(Permission::Learn) {
        return Ok(());
    }
    let assigned = store::assignments_of(db, actor.user.workspace_id, actor.user.id).await?;
    if assigned.iter().any(|a| a.course_key == key) {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// A course of the learner's workspace, in their language, latest version.
pub async fn load(state: &AppState, actor: &Principal, key: &str, locale: Locale) -> Result<Loaded, AppError> {
    let ws = actor.user.workspace_id;
    let db = &mut state.store.db();
    may_take(db, actor, key).await?;
    let row = find(db, ws, key, locale).await?.ok_or(AppError::NotFound)?;
    let version = store::version_by_number(db, ws, row.id, row.latest_version).await?.ok_or(AppError::NotFound)?;
    let course = parsed(state, &version)?;
    Ok(Loaded { row, version, course })
}

/// A learner's standing in a course.
pub struct Standing {
    pub progress: Progress,
    /// Until when their certification of this course is valid, if it is.
    pub certified_until: Option<Timestamp>,
}

pub async fn standing(state: &AppState, actor: &Principal, key: &str) -> Result<Standing, AppError> {
    let ws = actor.user.workspace_id;
    let db = &mut state.store.conn().await?;
    let progress = store::progress(db, ws, actor.user.id, key).await?;
    let certified_until = certifications::valid_until(db, ws, actor.user.id, key, state.now()).await?;
    Ok(Standing { progress, certified_until })
}

/// One course of the catalogue, with the learner's progress.
pub struct CatalogueLine {
    pub row: CourseRow,
    pub done: usize,
    pub total: usize,
    pub certified_until: Option<Timestamp>,
    /// Assigned to the learner: by when, if a date was given.
    pub assigned: Option<Option<Timestamp>>,
}

/// The courses of the workspace in the learner's language (or the other one when a
/// course has only that), with their progress.
/// Those who do not learn every course (client contacts) see the ones assigned to them.
pub async fn catalogue(state: &AppState, actor: &Principal, locale: Locale) -> Result<Vec<CatalogueLine>, AppError> {
    let ws = actor.user.workspace_id;
    let now = state.now();
    let db = &mut state.store.conn().await?;
    let assigned = store::assignments_of(db, ws, actor.user.id).await?;
    let every = actor.user.role.can(Permission::Learn);
    let rows: Vec<CourseRow> = store::list(db, ws)
        .await?
        .into_iter()
        .filter(|r| every || assigned.iter().any(|a| a.course_key == r.key))
        .collect();
    let done = store::done_by(db, ws, actor.user.id).await?;
    let valid = certifications::valid_until_by_kind(db, ws, actor.user.id, now).await?;
    let mut lines = Vec::new();
    for row in rows.iter() {
        let other_here = rows.iter().any(|r| r.key == row.key && r.language == locale);
        if row.language != locale && other_here {
            continue;
        }
        let Some(version) = store::version_by_number(db, ws, row.id, row.latest_version).await? else { continue };
        let course = parsed(state, &version)?;
        let (d, total) = store::progress_in(&done, &row.key).counts(&course);
        let certified_until = valid.iter().find(|(kind, _)| *kind == row.key).map(|(_, at)| *at);
        let assignment = assigned.iter().find(|a| a.course_key == row.key).map(|a| a.due_at);
        lines.push(CatalogueLine { row: row.clone(), done: d, total, certified_until, assigned: assignment });
    }
    Ok(lines)
}

/// Records that the learner read `module` to its end. Returns the module to read next.
pub async fn read_module(
    state: &AppState,
    actor: &Principal,
    key: &str,
    module: &str,
    locale: Locale,
) -> Result<Option<String>, AppError> {
    let loaded = load(state, actor, key, locale).await?;
    let m = loaded.course.module(module).ok_or(AppError::NotFound)?;
    store::mark_read(
        &mut state.store.db(),
        actor.user.workspace_id,
        actor.user.id,
        &loaded.row.key,
        &m.id,
        state.now(),
    )
    .await?;
    Ok(loaded.course.next_module(&m.id).map(|n| n.id.clone()))
}

/// After a learner's progress moved, in the caller's transaction: once the course is
/// complete, the steps and gates waiting for it (`completed:<key>`) close. Returns how many.
async fn completed(
    state: &AppState,
    conn: &mut Db,
    ws: WorkspaceId,
    user: UserId,
    key: &str,
    course: &Course,
    now: Timestamp,
) -> Result<usize, AppError> {
    let progress = store::progress(conn, ws, user, key).await?;
    let Ok(key) = key.parse::<CourseKey>() else { return Ok(0) };
    if !progress.complete(course) {
        return Ok(0);
    }
    crate::engagements::signals::emit_for_person(state, conn, ws, user, Signal::Completed(key), now).await
}

/// Why a quiz cannot be started now, or how many attempts are left (None: no limit).
pub enum QuizAccess {
    Open {
        attempts_left: Option<u32>,
    },
    /// The exam opens once every module is done.
    ModulesFirst,
    NoAttemptLeft,
}

/// Whether the learner may start an attempt at `quiz` of this version.
pub async fn quiz_access(
    db: &mut Db,
    actor: &Principal,
    loaded: &Loaded,
    quiz: &Quiz,
    progress: &Progress,
) -> Result<QuizAccess, AppError> {
    let is_exam = loaded.course.exam.as_ref().is_some_and(|e| e.id == quiz.id);
    if is_exam && !progress.exam_open(&loaded.course) {
        return Ok(QuizAccess::ModulesFirst);
    }
    let Some(limit) = quiz.attempts else { return Ok(QuizAccess::Open { attempts_left: None }) };
    let used = store::submitted_count(db, actor.user.workspace_id, actor.user.id, loaded.version.id, &quiz.id).await?;
    let left = i64::from(limit) - used;
    if left <= 0 {
        return Ok(QuizAccess::NoAttemptLeft);
    }
    Ok(QuizAccess::Open { attempts_left: Some(left as u32) })
}

/// Starts an attempt at a quiz (or resumes the one in progress): its questions are
/// drawn now, so reloading the page asks the same ones.
pub async fn start_attempt(
    state: &AppState,
    actor: &Principal,
    key: &str,
    quiz_id: &str,
    locale: Locale,
) -> Result<AttemptId, AppError> {
    let loaded = load(state, actor, key, locale).await?;
    let quiz = loaded.course.quiz(quiz_id).ok_or(AppError::NotFound)?;
    let ws = actor.user.workspace_id;
    let db = &mut state.store.conn().await?;
    if let Some(open) = store::open_attempt(db, ws, actor.user.id, &loaded.row.key, &quiz.id).await? {
        return Ok(open.id);
    }
    let progress = store::progress(db, ws, actor.user.id, &loaded.row.key).await?;
    match quiz_access(db, actor, &loaded, quiz, &progress).await? {
        QuizAccess::Open { .. } => {}
        QuizAccess::ModulesFirst => return Err(AppError::Conflict("learning-exam-closed")),
        QuizAccess::NoAttemptLeft => return Err(AppError::Conflict("learning-no-attempt-left")),
    }
    let drawn = quiz::draw(quiz, rand::random());
    let new = NewAttempt {
        workspace: ws,
        user: actor.user.id,
        course_key: &loaded.row.key,
        version: loaded.version.id,
        quiz_id: &quiz.id,
        drawn: &drawn.encode(),
    };
    match store::start(db, new, state.now()).await {
        Ok(id) => Ok(id),
        // Two tabs started it at once: both continue the same attempt.
        Err(e) if e.is_conflict_on(store::ATTEMPT_OPEN) => {
            store::open_attempt(db, ws, actor.user.id, &loaded.row.key, &quiz.id)
                .await?
                .map(|a| a.id)
                .ok_or(AppError::Conflict("learning-attempt-submitted"))
        }
        Err(e) => Err(e.into()),
    }
}

/// An attempt with what it asks.
pub struct AttemptView {
    pub attempt: AttemptRow,
    pub row: CourseRow,
    pub course: Arc<Course>,
    pub drawn: Drawn,
    /// The grade of a submitted attempt, and the answers it was given.
    pub graded: Option<(Grade, HashMap<String, Response>)>,
}

impl AttemptView {
    pub fn quiz(&self) -> Option<&Quiz> {
        self.course.quiz(&self.attempt.quiz_id)
    }

    pub fn is_exam(&self) -> bool {
        self.course.exam.as_ref().is_some_and(|e| e.id == self.attempt.quiz_id)
    }
}

/// The learner's own attempt: another person's is not found.
pub async fn attempt(state: &AppState, actor: &Principal, id: AttemptId) -> Result<AttemptView, AppError> {
    let ws = actor.user.workspace_id;
    let db = &mut state.store.conn().await?;
    let attempt = store::attempt(db, ws, id).await?.filter(|a| a.user_id == actor.user.id).ok_or(AppError::NotFound)?;
    let version = store::version(db, ws, attempt.version_id).await?.ok_or(AppError::NotFound)?;
    let row = store::get(db, ws, version.course_id).await?.ok_or(AppError::NotFound)?;
    let course = parsed(state, &version)?;
    let drawn = Drawn::decode(&attempt.drawn)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("attempt {id} has an unreadable draw")))?;
    let graded = match (&attempt.answers, course.quiz(&attempt.quiz_id)) {
        (Some(json), Some(quiz)) => {
            let answers = answers_from_json(json);
            Some((quiz::grade(quiz, &drawn, &answers), answers))
        }
        _ => None,
    };
    Ok(AttemptView { attempt, row, course, drawn, graded })
}

/// Answers as stored: `{"question": [0, 2] | true | "text"}`.
pub fn answers_to_json(answers: &HashMap<String, Response>) -> String {
    let map: serde_json::Map<String, serde_json::Value> = answers
        .iter()
        .map(|(k, v)| {
            let v = match v {
                Response::Choices(c) => serde_json::json!(c),
                Response::Bool(b) => serde_json::json!(b),
                Response::Text(t) => serde_json::json!(t),
            };
            (k.clone(), v)
        })
        .collect();
    serde_json::Value::Object(map).to_string()
}

fn answers_from_json(json: &str) -> HashMap<String, Response> {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str(json) else { return HashMap::new() };
    map.into_iter()
        .filter_map(|(k, v)| {
            let r = match v {
                serde_json::Value::Bool(b) => Response::Bool(b),
                serde_json::Value::String(s) => Response::Text(s),
                serde_json::Value::Array(a) => {
                    Response::Choices(a.iter().filter_map(|i| i.as_u64().map(|i| i as usize)).collect())
                }
                _ => return None,
            };
            Some((k, r))
        })
        .collect()
}

/// Reads the answers a form or the API sent, against the questions asked: every
/// question asked must be answered, in its own kind; anything else is refused, field
/// by field (`q.<question id>`), and nothing is written.
pub fn read_answers(
    quiz: &Quiz,
    drawn: &Drawn,
    given: &HashMap<String, Vec<String>>,
) -> Result<HashMap<String, Response>, AppError> {
    let mut answers = HashMap::new();
    let mut errors = Vec::new();
    for (id, _) in &drawn.0 {
        let Some(q) = quiz.question(id) else { continue };
        let values: Vec<&str> =
            given.get(id).map(|v| v.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect()).unwrap_or_default();
        let field = field_name(id);
        if values.is_empty() {
            errors.push(embark_core::FieldError::new(field, "error-quiz-unanswered"));
            continue;
        }
        let response = match &q.kind {
            learning::QuestionKind::Single(c) | learning::QuestionKind::Multiple(c) => {
                let picked: Option<Vec<usize>> =
                    values.iter().map(|v| v.parse::<usize>().ok().filter(|i| *i < c.len())).collect();
                match picked {
                    Some(p) if matches!(q.kind, learning::QuestionKind::Single(_)) && p.len() != 1 => None,
                    Some(p) => Some(Response::Choices(p)),
                    None => None,
                }
            }
            learning::QuestionKind::TrueFalse(_) => match values.as_slice() {
                ["true"] => Some(Response::Bool(true)),
                ["false"] => Some(Response::Bool(false)),
                _ => None,
            },
            learning::QuestionKind::Short(_) => match values.as_slice() {
                [t] if t.chars().count() <= 200 => Some(Response::Text(t.to_string())),
                _ => None,
            },
        };
        match response {
            Some(r) => {
                answers.insert(id.clone(), r);
            }
            None => errors.push(embark_core::FieldError::new(field, "error-quiz-answer")),
        }
    }
    if errors.is_empty() {
        Ok(answers)
    } else {
        Err(AppError::Invalid(errors))
    }
}

/// The form field of a question's answer. Leaked once per question id: ids are few and
/// come from stored courses (field names are `&'static str` in field errors).
fn field_name(id: &str) -> &'static str {
    use std::sync::{Mutex, OnceLock};
    static NAMES: OnceLock<Mutex<HashMap<String, &'static str>>> = OnceLock::new();
    let mut names = NAMES.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    if let Some(n) = names.get(id) {
        return n;
    }
    let name: &'static str = Box::leak(format!("q.{id}").into_boxed_str());
    if names.len() < 10_000 {
        names.insert(id.to_string(), name);
    }
    name
}

/// What a submission did.
pub struct Submitted {
    pub grade: Grade,
    /// The certification it granted, valid until then.
    pub certified_until: Option<Timestamp>,
    /// How many gates it closed (the kick-offs' "scorecard mastered").
    pub gates_closed: usize,
}

/// Submits the learner's attempt, once. A passed exam of a certifying course grants
/// its certification, and the gates that wait for it close in the same transaction.
pub async fn submit(
    state: &AppState,
    actor: &Principal,
    id: AttemptId,
    given: &HashMap<String, Vec<String>>,
) -> Result<Submitted, AppError> {
    let view = attempt(state, actor, id).await?;
    if view.attempt.submitted_at.is_some() {
        return Err(AppError::Conflict("learning-attempt-submitted"));
    }
    let quiz = view.quiz().ok_or(AppError::NotFound)?;
    let answers = read_answers(quiz, &view.drawn, given)?;
    let grade = quiz::grade(quiz, &view.drawn, &answers);
    let ws = actor.user.workspace_id;
    let now = state.now();
    let mut tx = state.store.begin().await?;
    let json = answers_to_json(&answers);
    if !store::submit(&mut tx, ws, id, actor.user.id, &json, i64::from(grade.score), grade.passed, now).await? {
        return Err(AppError::Conflict("learning-attempt-submitted"));
    }
    let mut certified_until = None;
    let mut gates_closed = 0;
    if grade.passed {
        gates_closed += completed(state, &mut tx, ws, actor.user.id, &view.row.key, &view.course, now).await?;
    }
    if let (true, true, Some(validity)) = (grade.passed, view.is_exam(), view.course.certification) {
        let tz = jiff::tz::TimeZone::get(&actor.workspace_time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
        let expires_at = validity.expires(now, &tz);
        let grant = Grant {
            workspace: ws,
            user: actor.user.id,
            kind: &view.row.key,
            source: Source::Course,
            granted_by: None,
            reason: None,
            attempt: Some(id),
            granted_at: now,
            expires_at,
        };
        certifications::record(&mut tx, grant).await?;
        schedule_expiry(&mut tx, ws, actor.user.id, &view.row.key, expires_at, now).await?;
        let key: CourseKey = view.row.key.parse().map_err(|_| AppError::NotFound)?;
        gates_closed += crate::engagements::signals::emit_for_person(
            state,
            &mut tx,
            ws,
            actor.user.id,
            Signal::Certified(key),
            now,
        )
        .await?;
        certified_until = Some(expires_at);
    }
    tx.commit().await.map_err(StoreError::from)?;
    Ok(Submitted { grade, certified_until, gates_closed })
}

/// Days before its expiry when a certification's holder is reminded to renew it.
pub const REMINDERS_BEFORE_EXPIRY: [i64; 2] = [30, 7];

/// Schedules, in the caller's transaction, the reminders before a certification
/// expires (those still ahead) and its expiry. Each runs once, whatever retries.
pub async fn schedule_expiry(
    conn: &mut Db,
    ws: WorkspaceId,
    user: UserId,
    course: &str,
    expires_at: Timestamp,
    now: Timestamp,
) -> Result<(), AppError> {
    use crate::jobs::queue::{enqueue_at, Job};
    for days in REMINDERS_BEFORE_EXPIRY {
        let at = expires_at.plus_millis(-days * 86_400_000);
        if at <= now {
            continue;
        }
        let job = Job::CertificationExpiring {
            workspace_id: ws,
            user_id: user,
            course: course.to_string(),
            expires_at,
            days,
        };
        let key = format!("cert-expiring:{user}:{course}:{}:{days}", expires_at.as_millis());
        enqueue_at(conn, &job, at, now, Some(&key)).await?;
    }
    let job = Job::CertificationExpired { workspace_id: ws, user_id: user, course: course.to_string(), expires_at };
    let key = format!("cert-expired:{user}:{course}:{}", expires_at.as_millis());
    enqueue_at(conn, &job, expires_at, now, Some(&key)).await?;
    Ok(())
}

/// `Job::CertificationExpired`: unless a later certification took over, the gates that
/// the expired one closed reopen for engagements not yet started. Returns their titles.
pub async fn expire(
    state: &AppState,
    ws: WorkspaceId,
    user: UserId,
    course: &str,
    expires_at: Timestamp,
) -> Result<Vec<String>, AppError> {
    let now = state.now();
    let mut tx = state.store.begin().await?;
    if certifications::valid_until(&mut tx, ws, user, course, now.max(expires_at)).await?.is_some() {
        return Ok(Vec::new());
    }
    let Ok(key) = course.parse::<CourseKey>() else { return Ok(Vec::new()) };
    let touched =
        crate::engagements::signals::withdraw_for_person(state, &mut tx, ws, user, Signal::Certified(key), now).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(touched.into_iter().map(|(_, title)| title).collect())
}

/// A course's report: every learner who started it, and the figures over them.
pub struct Report {
    pub loaded: Loaded,
    pub learners: Vec<store::LearnerLine>,
    pub summary: learning::report::Summary,
}

/// The report of a course (admins).
pub async fn report(state: &AppState, actor: &Principal, key: &str, locale: Locale) -> Result<Report, AppError> {
    require(actor, Permission::EditCourses)?;
    let loaded = load(state, actor, key, locale).await?;
    let exam = loaded.course.exam.as_ref().map(|e| e.id.clone());
    let learners =
        store::learners(&mut state.store.db(), actor.user.workspace_id, &loaded.row.key, exam.as_deref()).await?;
    let stats: Vec<_> = learners.iter().map(|l| l.stats.clone()).collect();
    let summary = learning::report::summarize(&stats, loaded.course.modules.len(), exam.is_some());
    Ok(Report { loaded, learners, summary })
}

/// Assigns a course to a person (admins), with an optional due date (`YYYY-MM-DD`, the
/// end of that day in the workspace's time zone, never in the past): it shows on their
/// home until complete, and makes a client contact its learner. Assigning it again
/// changes the date. Returns whether the assignment is new.
pub async fn assign(
    state: &AppState,
    actor: &Principal,
    user: UserId,
    key: &str,
    due_on: &str,
) -> Result<bool, AppError> {
    use embark_core::FieldError;
    require(actor, Permission::ManageUsers)?;
    let ws = actor.user.workspace_id;
    let now = state.now();
    let person =
        embark_store::accounts::users::get(&mut state.store.db(), ws, user).await?.ok_or(AppError::NotFound)?;
    let mut errors = Vec::new();
    if store::languages_of(&mut state.store.db(), ws, key).await?.is_empty() {
        errors.push(FieldError::new("course", "error-course-unknown"));
    }
    let due_at = match due_on.trim() {
        "" => None,
        d => {
            let end = (|| {
                let date: jiff::civil::Date = d.parse().ok()?;
                let tz = jiff::tz::TimeZone::get(&actor.workspace_time_zone).ok()?;
                Some(Timestamp::from_jiff(date.tomorrow().ok()?.to_zoned(tz).ok()?.timestamp()))
            })();
            match end {
                Some(at) if at > now => Some(at),
                Some(_) => {
                    errors.push(FieldError::new("due_on", "error-course-due-past"));
                    None
                }
                None => {
                    errors.push(FieldError::new("due_on", "error-course-due"));
                    None
                }
            }
        }
    };
    if !person.active {
        errors.push(FieldError::new("course", "error-course-inactive"));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let mut tx = state.store.begin().await?;
    let new = store::assign(&mut tx, ws, user, key, Some(actor.user.id), due_at, now).await?;
    let detail = format!("{key} {}", due_on.trim());
    embark_store::audit::record(
        &mut tx,
        ws,
        Some(actor.user.id),
        "course.assigned",
        Some(&user.to_string()),
        &detail,
        now,
    )
    .await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(new)
}

/// One course assigned to a person, as the admin sees it on the person's page.
pub struct AssignedCourse {
    pub key: String,
    pub title: String,
    pub done: usize,
    pub total: usize,
    pub due_at: Option<Timestamp>,
}

/// The courses assigned to `user` with their progress, and every course of the
/// workspace that can be assigned (key, title), for an admin.
pub async fn assignments(
    state: &AppState,
    actor: &Principal,
    user: UserId,
    locale: Locale,
) -> Result<(Vec<AssignedCourse>, Vec<(String, String)>), AppError> {
    require(actor, Permission::ManageUsers)?;
    let ws = actor.user.workspace_id;
    let db = &mut state.store.conn().await?;
    let mut assigned = Vec::new();
    for a in store::assignments_of(db, ws, user).await? {
        let Some(row) = find(db, ws, &a.course_key, locale).await? else { continue };
        let Some(version) = store::version_by_number(db, ws, row.id, row.latest_version).await? else { continue };
        let course = parsed(state, &version)?;
        let (done, total) = store::progress(db, ws, user, &a.course_key).await?.counts(&course);
        assigned.push(AssignedCourse { key: a.course_key, title: row.title, done, total, due_at: a.due_at });
    }
    let mut courses: Vec<(String, String)> = Vec::new();
    for row in store::list(db, ws).await? {
        let here = courses.iter().position(|(k, _)| *k == row.key);
        match here {
            Some(i) if row.language == locale => courses[i].1 = row.title,
            Some(_) => {}
            None => courses.push((row.key, row.title)),
        }
    }
    Ok((assigned, courses))
}
