-- The learning space: courses (documents with append-only versions, like playbooks),
-- what each learner has read, their quiz attempts, and certifications granted by an exam.

CREATE TABLE courses (
    id             TEXT PRIMARY KEY,
    workspace_id   TEXT NOT NULL REFERENCES workspaces (id),
    -- Pairs the languages of one course, and names it in gates: `certified:scorecard`.
    key            TEXT NOT NULL,
    language       TEXT NOT NULL,
    title          TEXT NOT NULL,
    summary        TEXT NOT NULL,
    reading_minutes BIGINT NOT NULL,
    certifies      SMALLINT NOT NULL,
    builtin        SMALLINT NOT NULL,
    latest_version BIGINT NOT NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE UNIQUE INDEX courses_key_language_key ON courses (workspace_id, key, language);

CREATE TABLE course_versions (
    id             TEXT PRIMARY KEY,
    workspace_id   TEXT NOT NULL REFERENCES workspaces (id),
    course_id      TEXT NOT NULL REFERENCES courses (id),
    number         BIGINT NOT NULL,
    source         TEXT NOT NULL,
    content_hash   TEXT NOT NULL,
    created_by     TEXT,
    created_at     BIGINT NOT NULL
);
CREATE UNIQUE INDEX course_versions_number_key ON course_versions (course_id, number);

-- A module read to its end, once per learner: kept by course key and module id, so
-- that progress survives a new version and a change of language.
CREATE TABLE course_reads (
    workspace_id   TEXT NOT NULL REFERENCES workspaces (id),
    user_id        TEXT NOT NULL REFERENCES users (id),
    course_key     TEXT NOT NULL,
    module_id      TEXT NOT NULL,
    read_at        BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, user_id, course_key, module_id)
);

CREATE TABLE quiz_attempts (
    id             TEXT PRIMARY KEY,
    workspace_id   TEXT NOT NULL REFERENCES workspaces (id),
    user_id        TEXT NOT NULL REFERENCES users (id),
    course_key     TEXT NOT NULL,
    version_id     TEXT NOT NULL REFERENCES course_versions (id),
    quiz_id        TEXT NOT NULL,
    -- The questions asked and their options' order (learning::quiz::Drawn's text form).
    drawn          TEXT NOT NULL,
    started_at     BIGINT NOT NULL,
    submitted_at   BIGINT,
    -- The answers given (JSON), the score in percent, and whether it passed.
    answers        TEXT,
    score          BIGINT,
    passed         SMALLINT
);
CREATE INDEX quiz_attempts_learner_idx ON quiz_attempts (workspace_id, user_id, course_key, quiz_id);
-- At most one attempt in progress per learner and quiz: reopening the quiz resumes it.
CREATE UNIQUE INDEX quiz_attempts_open_key ON quiz_attempts (workspace_id, user_id, course_key, quiz_id)
    WHERE submitted_at IS NULL;

-- A certification is granted by a course's exam (`course`, with its attempt) or recorded
-- by an admin as an explicit override (`override`, with its reason).
ALTER TABLE certifications ADD COLUMN source TEXT NOT NULL DEFAULT 'override';
ALTER TABLE certifications ADD COLUMN reason TEXT;
ALTER TABLE certifications ADD COLUMN attempt_id TEXT;
