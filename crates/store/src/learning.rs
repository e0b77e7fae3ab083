//! The learning space: courses and their append-only versions, the modules each
//! learner read to their end, and quiz attempts.

use embark_core::{AttemptId, CourseId, CourseVersionId, Locale, Timestamp, UserId, WorkspaceId};

use crate::{flag, parse, Db, Result};

/// The unique index that refuses a second course with the same key and language.
pub const KEY_TAKEN: &str = "courses_key_language_key";
/// The unique index that refuses a second attempt in progress at the same quiz.
pub const ATTEMPT_OPEN: &str = "quiz_attempts_open_key";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CourseRow {
    pub id: CourseId,
    pub key: String,
    pub language: Locale,
    pub title: String,
    pub summary: String,
    pub reading_minutes: i64,
    pub certifies: bool,
    pub builtin: bool,
    pub latest_version: i64,
    pub updated_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct CourseRecord {
    id: String,
    key: String,
    language: String,
    title: String,
    summary: String,
    reading_minutes: i64,
    certifies: i64,
    builtin: i64,
    latest_version: i64,
    updated_at: i64,
}

impl TryFrom<CourseRecord> for CourseRow {
    type Error = crate::StoreError;
    fn try_from(r: CourseRecord) -> Result<Self> {
        Ok(CourseRow {
            id: parse("course id", &r.id)?,
            language: parse("language", &r.language)?,
            key: r.key,
            title: r.title,
            summary: r.summary,
            reading_minutes: r.reading_minutes,
            certifies: r.certifies != 0,
            builtin: r.builtin != 0,
            latest_version: r.latest_version,
            updated_at: Timestamp::from_millis(r.updated_at),
        })
    }
}

const COURSE_COLUMNS: &str =
    "id, key, language, title, summary, reading_minutes, CAST(certifies AS BIGINT) AS certifies, \
     CAST(builtin AS BIGINT) AS builtin, latest_version, updated_at";

/// What a version says of its course, copied onto the course for listing.
pub struct Header<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub reading_minutes: i64,
    pub certifies: bool,
}

/// Creates an empty course (version 0); add its first version with [`add_version`].
/// A key already used in that language is a `Conflict` on [`KEY_TAKEN`].
pub async fn create(
    db: &mut Db,
    workspace: WorkspaceId,
    key: &str,
    language: Locale,
    header: &Header<'_>,
    builtin: bool,
    now: Timestamp,
) -> Result<CourseId> {
    let id = CourseId::new();
    crate::query(
        "INSERT INTO courses (id, workspace_id, key, language, title, summary, reading_minutes, certifies, builtin, \
         latest_version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, $10, $10)",
    )
    .bind(id.to_string())
    .bind(workspace.to_string())
    .bind(key)
    .bind(language.code())
    .bind(header.title)
    .bind(header.summary)
    .bind(header.reading_minutes)
    .bind(flag(header.certifies))
    .bind(flag(builtin))
    .bind(now.as_millis())
    .execute(db)
    .await?;
    Ok(id)
}

pub async fn get(db: &mut Db, workspace: WorkspaceId, id: CourseId) -> Result<Option<CourseRow>> {
    let sql = format!("SELECT {COURSE_COLUMNS} FROM courses WHERE workspace_id = $1 AND id = $2");
    let rec: Option<CourseRecord> =
        crate::query_as(&sql).bind(workspace.to_string()).bind(id.to_string()).fetch_optional(db).await?;
    rec.map(CourseRow::try_from).transpose()
}

pub async fn find_by_key(
    db: &mut Db,
    workspace: WorkspaceId,
    key: &str,
    language: Locale,
) -> Result<Option<CourseRow>> {
    let sql = format!("SELECT {COURSE_COLUMNS} FROM courses WHERE workspace_id = $1 AND key = $2 AND language = $3");
    let rec: Option<CourseRecord> =
        crate::query_as(&sql).bind(workspace.to_string()).bind(key).bind(language.code()).fetch_optional(db).await?;
    rec.map(CourseRow::try_from).transpose()
}

/// The course `key` in `language`, or in its other language when it has only that one.
pub async fn find_in(db: &mut Db, workspace: WorkspaceId, key: &str, language: Locale) -> Result<Option<CourseRow>> {
    if let Some(row) = find_by_key(db, workspace, key, language).await? {
        return Ok(Some(row));
    }
    Ok(languages_of(db, workspace, key).await?.into_iter().next())
}

/// The languages a course key exists in (empty: no such course in the workspace).
pub async fn languages_of(db: &mut Db, workspace: WorkspaceId, key: &str) -> Result<Vec<CourseRow>> {
    let sql = format!("SELECT {COURSE_COLUMNS} FROM courses WHERE workspace_id = $1 AND key = $2 ORDER BY language");
    let recs: Vec<CourseRecord> = crate::query_as(&sql).bind(workspace.to_string()).bind(key).fetch_all(db).await?;
    recs.into_iter().map(CourseRow::try_from).collect()
}

/// The catalogue of a workspace, by title (tens of courses, not thousands).
pub async fn list(db: &mut Db, workspace: WorkspaceId) -> Result<Vec<CourseRow>> {
    let sql =
        format!("SELECT {COURSE_COLUMNS} FROM courses WHERE workspace_id = $1 ORDER BY title, language, id LIMIT 1000");
    let recs: Vec<CourseRecord> = crate::query_as(&sql).bind(workspace.to_string()).fetch_all(db).await?;
    recs.into_iter().map(CourseRow::try_from).collect()
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionRow {
    pub id: CourseVersionId,
    pub course_id: CourseId,
    pub number: i64,
    pub source: String,
    pub content_hash: String,
    pub created_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct VersionRecord {
    id: String,
    course_id: String,
    number: i64,
    source: String,
    content_hash: String,
    created_at: i64,
}

impl TryFrom<VersionRecord> for VersionRow {
    type Error = crate::StoreError;
    fn try_from(r: VersionRecord) -> Result<Self> {
        Ok(VersionRow {
            id: parse("course version id", &r.id)?,
            course_id: parse("course id", &r.course_id)?,
            number: r.number,
            source: r.source,
            content_hash: r.content_hash,
            created_at: Timestamp::from_millis(r.created_at),
        })
    }
}

const VERSION_COLUMNS: &str = "id, course_id, number, source, content_hash, created_at";

/// Appends the next version of a course and makes it the latest. Two concurrent
/// editors cannot both get the same number: the unique index refuses the second.
#[allow(clippy::too_many_arguments)]
pub async fn add_version(
    conn: &mut Db,
    workspace: WorkspaceId,
    course: CourseId,
    source: &str,
    content_hash: &str,
    header: &Header<'_>,
    created_by: Option<UserId>,
    now: Timestamp,
) -> Result<VersionRow> {
    let latest: i64 = crate::query_scalar("SELECT latest_version FROM courses WHERE workspace_id = $1 AND id = $2")
        .bind(workspace.to_string())
        .bind(course.to_string())
        .fetch_one(&mut *conn)
        .await?;
    let number = latest + 1;
    let id = CourseVersionId::new();
    crate::query(
        "INSERT INTO course_versions (id, workspace_id, course_id, number, source, content_hash, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id.to_string())
    .bind(workspace.to_string())
    .bind(course.to_string())
    .bind(number)
    .bind(source)
    .bind(content_hash)
    .bind(created_by.map(|u| u.to_string()))
    .bind(now.as_millis())
    .execute(&mut *conn)
    .await?;
    crate::query(
        "UPDATE courses SET latest_version = $3, title = $4, summary = $5, reading_minutes = $6, certifies = $7, \
         updated_at = $8 WHERE workspace_id = $1 AND id = $2",
    )
    .bind(workspace.to_string())
    .bind(course.to_string())
    .bind(number)
    .bind(header.title)
    .bind(header.summary)
    .bind(header.reading_minutes)
    .bind(flag(header.certifies))
    .bind(now.as_millis())
    .execute(&mut *conn)
    .await?;
    Ok(VersionRow {
        id,
        course_id: course,
        number,
        source: source.to_string(),
        content_hash: content_hash.to_string(),
        created_at: now,
    })
}

pub async fn version_by_number(
    db: &mut Db,
    workspace: WorkspaceId,
    course: CourseId,
    number: i64,
) -> Result<Option<VersionRow>> {
    let sql = format!(
        "SELECT {VERSION_COLUMNS} FROM course_versions WHERE workspace_id = $1 AND course_id = $2 AND number = $3"
    );
    let rec: Option<VersionRecord> = crate::query_as(&sql)
        .bind(workspace.to_string())
        .bind(course.to_string())
        .bind(number)
        .fetch_optional(db)
        .await?;
    rec.map(VersionRow::try_from).transpose()
}

pub async fn version(db: &mut Db, workspace: WorkspaceId, id: CourseVersionId) -> Result<Option<VersionRow>> {
    let sql = format!("SELECT {VERSION_COLUMNS} FROM course_versions WHERE workspace_id = $1 AND id = $2");
    let rec: Option<VersionRecord> =
        crate::query_as(&sql).bind(workspace.to_string()).bind(id.to_string()).fetch_optional(db).await?;
    rec.map(VersionRow::try_from).transpose()
}

/// Records that `user` read `module` of the course `key` to its end. Returns whether
/// it is new (a module is read once; reading it again changes nothing).
pub async fn mark_read(
    db: &mut Db,
    workspace: WorkspaceId,
    user: UserId,
    key: &str,
    module: &str,
    now: Timestamp,
) -> Result<bool> {
    let done = crate::query(
        "INSERT INTO course_reads (workspace_id, user_id, course_key, module_id, read_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT DO NOTHING",
    )
    .bind(workspace.to_string())
    .bind(user.to_string())
    .bind(key)
    .bind(module)
    .bind(now.as_millis())
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// What a learner did in every course: (course key, module read or quiz passed, is_quiz).
pub async fn done_by(db: &mut Db, workspace: WorkspaceId, user: UserId) -> Result<Vec<(String, String, bool)>> {
    let rows: Vec<(String, String, i64)> = crate::query_as(
        "SELECT course_key, module_id, CAST(0 AS BIGINT) FROM course_reads WHERE workspace_id = $1 AND user_id = $2 \
         UNION SELECT DISTINCT course_key, quiz_id, CAST(1 AS BIGINT) FROM quiz_attempts \
         WHERE workspace_id = $1 AND user_id = $2 AND passed = 1",
    )
    .bind(workspace.to_string())
    .bind(user.to_string())
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(k, m, q)| (k, m, q == 1)).collect())
}

/// A learner's progress in one course.
pub async fn progress(
    db: &mut Db,
    workspace: WorkspaceId,
    user: UserId,
    key: &str,
) -> Result<embark_core::learning::Progress> {
    Ok(progress_in(&done_by(db, workspace, user).await?, key))
}

/// The progress in course `key` out of what [`done_by`] read.
pub fn progress_in(done: &[(String, String, bool)], key: &str) -> embark_core::learning::Progress {
    let mut p = embark_core::learning::Progress::default();
    for (_, id, quiz) in done.iter().filter(|(k, ..)| k == key) {
        if *quiz {
            p.quizzes_passed.push(id.clone());
        } else {
            p.modules_done.push(id.clone());
        }
    }
    p
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttemptRow {
    pub id: AttemptId,
    pub user_id: UserId,
    pub course_key: String,
    pub version_id: CourseVersionId,
    pub quiz_id: String,
    pub drawn: String,
    pub started_at: Timestamp,
    pub submitted_at: Option<Timestamp>,
    pub answers: Option<String>,
    pub score: Option<i64>,
    pub passed: Option<bool>,
}

#[derive(sqlx::FromRow)]
struct AttemptRecord {
    id: String,
    user_id: String,
    course_key: String,
    version_id: String,
    quiz_id: String,
    drawn: String,
    started_at: i64,
    submitted_at: Option<i64>,
    answers: Option<String>,
    score: Option<i64>,
    passed: Option<i64>,
}

impl TryFrom<AttemptRecord> for AttemptRow {
    type Error = crate::StoreError;
    fn try_from(r: AttemptRecord) -> Result<Self> {
        Ok(AttemptRow {
            id: parse("attempt id", &r.id)?,
            user_id: parse("user id", &r.user_id)?,
            version_id: parse("course version id", &r.version_id)?,
            course_key: r.course_key,
            quiz_id: r.quiz_id,
            drawn: r.drawn,
            started_at: Timestamp::from_millis(r.started_at),
            submitted_at: r.submitted_at.map(Timestamp::from_millis),
            answers: r.answers,
            score: r.score,
            passed: r.passed.map(|p| p != 0),
        })
    }
}

const ATTEMPT_COLUMNS: &str =
    "id, user_id, course_key, version_id, quiz_id, drawn, started_at, submitted_at, answers, \
     score, CAST(passed AS BIGINT) AS passed";

pub struct NewAttempt<'a> {
    pub workspace: WorkspaceId,
    pub user: UserId,
    pub course_key: &'a str,
    pub version: CourseVersionId,
    pub quiz_id: &'a str,
    pub drawn: &'a str,
}

/// Starts an attempt. A second attempt in progress at the same quiz is a `Conflict` on
/// [`ATTEMPT_OPEN`]: resume the open one instead.
pub async fn start(db: &mut Db, new: NewAttempt<'_>, now: Timestamp) -> Result<AttemptId> {
    let id = AttemptId::new();
    crate::query(
        "INSERT INTO quiz_attempts (id, workspace_id, user_id, course_key, version_id, quiz_id, drawn, started_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id.to_string())
    .bind(new.workspace.to_string())
    .bind(new.user.to_string())
    .bind(new.course_key)
    .bind(new.version.to_string())
    .bind(new.quiz_id)
    .bind(new.drawn)
    .bind(now.as_millis())
    .execute(db)
    .await?;
    Ok(id)
}

pub async fn attempt(db: &mut Db, workspace: WorkspaceId, id: AttemptId) -> Result<Option<AttemptRow>> {
    let sql = format!("SELECT {ATTEMPT_COLUMNS} FROM quiz_attempts WHERE workspace_id = $1 AND id = $2");
    let rec: Option<AttemptRecord> =
        crate::query_as(&sql).bind(workspace.to_string()).bind(id.to_string()).fetch_optional(db).await?;
    rec.map(AttemptRow::try_from).transpose()
}

/// The learner's attempt in progress at a quiz, if any.
pub async fn open_attempt(
    db: &mut Db,
    workspace: WorkspaceId,
    user: UserId,
    key: &str,
    quiz: &str,
) -> Result<Option<AttemptRow>> {
    let sql = format!(
        "SELECT {ATTEMPT_COLUMNS} FROM quiz_attempts WHERE workspace_id = $1 AND user_id = $2 AND course_key = $3 \
         AND quiz_id = $4 AND submitted_at IS NULL"
    );
    let rec: Option<AttemptRecord> = crate::query_as(&sql)
        .bind(workspace.to_string())
        .bind(user.to_string())
        .bind(key)
        .bind(quiz)
        .fetch_optional(db)
        .await?;
    rec.map(AttemptRow::try_from).transpose()
}

/// A learner's attempts at a quiz, latest first.
pub async fn attempts_of(
    db: &mut Db,
    workspace: WorkspaceId,
    user: UserId,
    key: &str,
    quiz: &str,
) -> Result<Vec<AttemptRow>> {
    let sql = format!(
        "SELECT {ATTEMPT_COLUMNS} FROM quiz_attempts WHERE workspace_id = $1 AND user_id = $2 AND course_key = $3 \
         AND quiz_id = $4 ORDER BY started_at DESC, id DESC LIMIT 100"
    );
    let recs: Vec<AttemptRecord> = crate::query_as(&sql)
        .bind(workspace.to_string())
        .bind(user.to_string())
        .bind(key)
        .bind(quiz)
        .fetch_all(db)
        .await?;
    recs.into_iter().map(AttemptRow::try_from).collect()
}

/// How many attempts at `quiz` of one version the learner submitted.
pub async fn submitted_count(
    db: &mut Db,
    workspace: WorkspaceId,
    user: UserId,
    version: CourseVersionId,
    quiz: &str,
) -> Result<i64> {
    let n: i64 = crate::query_scalar(
        "SELECT COUNT(*) FROM quiz_attempts WHERE workspace_id = $1 AND user_id = $2 AND version_id = $3 \
         AND quiz_id = $4 AND submitted_at IS NOT NULL",
    )
    .bind(workspace.to_string())
    .bind(user.to_string())
    .bind(version.to_string())
    .bind(quiz)
    .fetch_one(db)
    .await?;
    Ok(n)
}

/// Submits an attempt in progress, once: returns false when it was already submitted
/// (or is not this learner's), and then nothing is written.
#[allow(clippy::too_many_arguments)]
pub async fn submit(
    db: &mut Db,
    workspace: WorkspaceId,
    id: AttemptId,
    user: UserId,
    answers: &str,
    score: i64,
    passed: bool,
    now: Timestamp,
) -> Result<bool> {
    let n = crate::query(
        "UPDATE quiz_attempts SET submitted_at = $4, answers = $5, score = $6, passed = $7 \
         WHERE workspace_id = $1 AND id = $2 AND user_id = $3 AND submitted_at IS NULL",
    )
    .bind(workspace.to_string())
    .bind(id.to_string())
    .bind(user.to_string())
    .bind(now.as_millis())
    .bind(answers)
    .bind(score)
    .bind(flag(passed))
    .execute(db)
    .await?;
    Ok(n.rows_affected() == 1)
}

/// One learner's line in a course's report: their name and email, and what they did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LearnerLine {
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    pub stats: embark_core::learning::report::LearnerStats,
}

/// Everyone who started the course `key` (read a module or submitted its exam),
/// by name. `exam` is the exam's quiz id, if the course has one.
pub async fn learners(db: &mut Db, workspace: WorkspaceId, key: &str, exam: Option<&str>) -> Result<Vec<LearnerLine>> {
    type Rec = (String, String, String, i64, Option<i64>, i64, Option<i64>, Option<i64>);
    let rows: Vec<Rec> = crate::query_as(
        "SELECT u.id, u.name, u.email, \
           (SELECT COUNT(*) FROM course_reads r WHERE r.workspace_id = $1 AND r.user_id = u.id AND r.course_key = $2), \
           (SELECT MIN(r.read_at) FROM course_reads r WHERE r.workspace_id = $1 AND r.user_id = u.id AND r.course_key = $2), \
           (SELECT COUNT(*) FROM quiz_attempts a WHERE a.workspace_id = $1 AND a.user_id = u.id AND a.course_key = $2 \
              AND a.quiz_id = $3 AND a.submitted_at IS NOT NULL), \
           (SELECT MAX(a.score) FROM quiz_attempts a WHERE a.workspace_id = $1 AND a.user_id = u.id AND a.course_key = $2 \
              AND a.quiz_id = $3 AND a.submitted_at IS NOT NULL), \
           (SELECT MIN(a.submitted_at) FROM quiz_attempts a WHERE a.workspace_id = $1 AND a.user_id = u.id \
              AND a.course_key = $2 AND a.quiz_id = $3 AND a.passed = 1) \
         FROM users u WHERE u.workspace_id = $1 AND ( \
           EXISTS (SELECT 1 FROM course_reads r WHERE r.workspace_id = $1 AND r.user_id = u.id AND r.course_key = $2) \
           OR EXISTS (SELECT 1 FROM quiz_attempts a WHERE a.workspace_id = $1 AND a.user_id = u.id AND a.course_key = $2)) \
         ORDER BY u.name, u.id LIMIT 10000",
    )
    .bind(workspace.to_string())
    .bind(key)
    .bind(exam.unwrap_or(""))
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|(id, name, email, read, first, attempts, best, passed)| {
            Ok(LearnerLine {
                user_id: parse("user id", &id)?,
                name,
                email,
                stats: embark_core::learning::report::LearnerStats {
                    modules_read: usize::try_from(read).unwrap_or(0),
                    first_read_at: first.map(Timestamp::from_millis),
                    attempts: u32::try_from(attempts).unwrap_or(0),
                    best_score: best.and_then(|b| u8::try_from(b).ok()),
                    passed_at: passed.map(Timestamp::from_millis),
                },
            })
        })
        .collect()
}

/// A course assigned to a person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assignment {
    pub course_key: String,
    pub due_at: Option<Timestamp>,
    pub assigned_at: Timestamp,
}

/// Assigns `key` to `user` (again: the due date is replaced). Returns whether it is new.
pub async fn assign(
    db: &mut Db,
    workspace: WorkspaceId,
    user: UserId,
    key: &str,
    by: Option<UserId>,
    due_at: Option<Timestamp>,
    now: Timestamp,
) -> Result<bool> {
    let updated = crate::query(
        "UPDATE course_assignments SET due_at = $4, assigned_by = $5 WHERE workspace_id = $1 AND user_id = $2 \
         AND course_key = $3",
    )
    .bind(workspace.to_string())
    .bind(user.to_string())
    .bind(key)
    .bind(due_at.map(|t| t.as_millis()))
    .bind(by.map(|u| u.to_string()))
    .execute(&mut *db)
    .await?;
    if updated.rows_affected() == 1 {
        return Ok(false);
    }
    crate::query(
        "INSERT INTO course_assignments (workspace_id, user_id, course_key, assigned_by, due_at, assigned_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(workspace.to_string())
    .bind(user.to_string())
    .bind(key)
    .bind(by.map(|u| u.to_string()))
    .bind(due_at.map(|t| t.as_millis()))
    .bind(now.as_millis())
    .execute(db)
    .await?;
    Ok(true)
}

/// The courses assigned to `user`, earliest due first.
pub async fn assignments_of(db: &mut Db, workspace: WorkspaceId, user: UserId) -> Result<Vec<Assignment>> {
    let rows: Vec<(String, Option<i64>, i64)> = crate::query_as(
        "SELECT course_key, due_at, assigned_at FROM course_assignments WHERE workspace_id = $1 AND user_id = $2 \
         ORDER BY CASE WHEN due_at IS NULL THEN 1 ELSE 0 END, due_at, course_key LIMIT 200",
    )
    .bind(workspace.to_string())
    .bind(user.to_string())
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(course_key, due, at)| Assignment {
            course_key,
            due_at: due.map(Timestamp::from_millis),
            assigned_at: Timestamp::from_millis(at),
        })
        .collect())
}
