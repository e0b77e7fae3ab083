-- Surveys (issue 13): the workspace's surveys, what was sent to whom, the answers,
-- and per-month counts kept in each answer's transaction so that results never
-- read every answer.

CREATE TABLE surveys (
    id           TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    key          TEXT NOT NULL,
    kind         TEXT NOT NULL,
    audience     TEXT NOT NULL,
    anonymous    SMALLINT NOT NULL,
    title_en     TEXT NOT NULL,
    title_fr     TEXT NOT NULL,
    question_en  TEXT NOT NULL,
    question_fr  TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE UNIQUE INDEX surveys_key_key ON surveys (workspace_id, key);

-- One survey sent to one person, with the single-use link to answer it. `answered`
-- is a flag without a time: for an anonymous survey, nothing here says when or how
-- the person answered, and nothing in `survey_answers` points back here.
CREATE TABLE survey_sends (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id),
    survey_id     TEXT NOT NULL REFERENCES surveys (id),
    user_id       TEXT NOT NULL REFERENCES users (id),
    engagement_id TEXT NOT NULL REFERENCES engagements (id),
    item_key      TEXT NOT NULL,
    token_hash    TEXT NOT NULL,
    sent_at       BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    answered      SMALLINT NOT NULL
);
CREATE UNIQUE INDEX survey_sends_token_key ON survey_sends (token_hash);
-- Once per person per step of an engagement.
CREATE UNIQUE INDEX survey_sends_once_key ON survey_sends (survey_id, user_id, engagement_id, item_key);
CREATE INDEX survey_sends_user ON survey_sends (workspace_id, user_id, sent_at);

-- An answer. Anonymous: no user, no engagement, a random id and the day only.
CREATE TABLE survey_answers (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id),
    survey_id     TEXT NOT NULL REFERENCES surveys (id),
    user_id       TEXT REFERENCES users (id),
    engagement_id TEXT REFERENCES engagements (id),
    segment       TEXT NOT NULL,
    score         SMALLINT,
    comment       TEXT,
    answered_at   BIGINT NOT NULL,
    source        TEXT NOT NULL
);
CREATE INDEX survey_answers_survey ON survey_answers (workspace_id, survey_id, answered_at);

-- How many answered each score, per survey, month (UTC) and segment.
CREATE TABLE survey_counts (
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    survey_id    TEXT NOT NULL REFERENCES surveys (id),
    month        TEXT NOT NULL,
    segment      TEXT NOT NULL,
    score        SMALLINT NOT NULL,
    answers      BIGINT NOT NULL,
    PRIMARY KEY (survey_id, month, segment, score)
);

-- A detractor (0–6) or a low satisfaction (1–2) on a named survey opens a follow-up
-- for the engagement's owner, with a first-response target; its time is measured.
CREATE TABLE survey_followups (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id),
    survey_id     TEXT NOT NULL REFERENCES surveys (id),
    answer_id     TEXT NOT NULL REFERENCES survey_answers (id),
    engagement_id TEXT NOT NULL REFERENCES engagements (id),
    owner_id      TEXT NOT NULL REFERENCES users (id),
    opened_at     BIGINT NOT NULL,
    due_at        BIGINT NOT NULL,
    responded_at  BIGINT,
    responded_by  TEXT REFERENCES users (id),
    response      TEXT,
    escalated_at  BIGINT
);
CREATE UNIQUE INDEX survey_followups_answer_key ON survey_followups (answer_id);
CREATE INDEX survey_followups_owner ON survey_followups (workspace_id, owner_id, responded_at, due_at);
CREATE INDEX survey_followups_list ON survey_followups (workspace_id, opened_at, id);
