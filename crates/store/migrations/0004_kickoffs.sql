-- The kick-off of a recruitment search (seed 000): the meeting and its logistics,
-- the scorecard and its versions, questions, next steps, the report and feedback.

-- A sign-in link may lead somewhere once used (the scorecard to fill in…).
ALTER TABLE magic_links ADD COLUMN next_path TEXT;

-- The meeting of an engagement on a meeting playbook. Its start is the engagement's anchor.
CREATE TABLE meetings (
    engagement_id        TEXT PRIMARY KEY REFERENCES engagements (id),
    workspace_id         TEXT NOT NULL REFERENCES workspaces (id),
    -- The place, or the video link.
    place                TEXT NOT NULL,
    duration_minutes     BIGINT NOT NULL,
    logistics_locked_at  BIGINT,
    logistics_locked_by  TEXT REFERENCES users (id),
    -- Bumped at each invitation sent: calendars replace the event when it grows.
    invitation_sequence  BIGINT NOT NULL,
    invitation_sent_at   BIGINT,
    started_at           BIGINT,
    current_step         TEXT,
    step_started_at      BIGINT,
    -- Minutes added by an explicit extension (a sign of failure, recorded as such).
    extended_minutes     BIGINT NOT NULL,
    ended_at             BIGINT,
    -- Conclusion: dedicated resources and market dynamics, as told to the client.
    resources            TEXT NOT NULL,
    market_notes         TEXT NOT NULL,
    updated_at           BIGINT NOT NULL
);
CREATE INDEX meetings_workspace_idx ON meetings (workspace_id, engagement_id);

-- Who is invited, and when they confirmed.
CREATE TABLE meeting_attendees (
    engagement_id  TEXT NOT NULL REFERENCES engagements (id),
    user_id        TEXT NOT NULL REFERENCES users (id),
    workspace_id   TEXT NOT NULL REFERENCES workspaces (id),
    invited_at     BIGINT,
    confirmed_at   BIGINT,
    PRIMARY KEY (engagement_id, user_id)
);

-- Each time a step was on screen in the runner (a step may be visited twice).
CREATE TABLE meeting_step_times (
    engagement_id  TEXT NOT NULL REFERENCES engagements (id),
    workspace_id   TEXT NOT NULL REFERENCES workspaces (id),
    step_key       TEXT NOT NULL,
    started_at     BIGINT NOT NULL,
    ended_at       BIGINT NOT NULL,
    PRIMARY KEY (engagement_id, step_key, started_at)
);

-- Versions of the scorecard of a search. A version is locked once, by both parties,
-- and never changes after; changing a criterion then starts a new version that is a
-- new search (re-scoping, cancellation fee).
CREATE TABLE scorecards (
    id                 TEXT PRIMARY KEY,
    workspace_id       TEXT NOT NULL REFERENCES workspaces (id),
    engagement_id      TEXT NOT NULL REFERENCES engagements (id),
    number             BIGINT NOT NULL,
    rescoping          SMALLINT NOT NULL,
    cancellation_fee   SMALLINT NOT NULL,
    -- draft, sent, returned, in_review, locked
    state              TEXT NOT NULL,
    due_at             BIGINT,
    sent_at            BIGINT,
    sent_by            TEXT REFERENCES users (id),
    due_agreed_at      BIGINT,
    returned_at        BIGINT,
    returned_by        TEXT REFERENCES users (id),
    am_signed_by       TEXT REFERENCES users (id),
    am_signed_at       BIGINT,
    am_signed_hash     TEXT,
    client_signed_by   TEXT REFERENCES users (id),
    client_signed_at   BIGINT,
    client_signed_hash TEXT,
    locked_at          BIGINT,
    -- The canonical text and its SHA-256 at the lock.
    locked_text        TEXT,
    content_hash       TEXT,
    created_by         TEXT REFERENCES users (id),
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE UNIQUE INDEX scorecards_number_key ON scorecards (engagement_id, number);

-- One row per field, each with its own version: concurrent edits of one field are
-- a conflict for the second writer, never a silent overwrite.
CREATE TABLE scorecard_fields (
    scorecard_id   TEXT NOT NULL REFERENCES scorecards (id),
    field          TEXT NOT NULL,
    workspace_id   TEXT NOT NULL REFERENCES workspaces (id),
    -- JSON: a string, a list of strings, or a list of {text, measure}.
    value          TEXT NOT NULL,
    version        BIGINT NOT NULL,
    updated_by     TEXT REFERENCES users (id),
    updated_at     BIGINT NOT NULL,
    PRIMARY KEY (scorecard_id, field)
);

-- Objections and corrections raised before the lock; all are resolved before it.
CREATE TABLE scorecard_objections (
    id             TEXT PRIMARY KEY,
    workspace_id   TEXT NOT NULL REFERENCES workspaces (id),
    scorecard_id   TEXT NOT NULL REFERENCES scorecards (id),
    field          TEXT NOT NULL,
    body           TEXT NOT NULL,
    raised_by      TEXT REFERENCES users (id),
    raised_at      BIGINT NOT NULL,
    resolved_by    TEXT REFERENCES users (id),
    resolved_at    BIGINT
);
CREATE INDEX scorecard_objections_idx ON scorecard_objections (scorecard_id, raised_at);

-- Questions about the role, from talents or the internal team, answered from the
-- scorecard. A missing or guessed answer leaves the question open.
CREATE TABLE questions (
    id             TEXT PRIMARY KEY,
    workspace_id   TEXT NOT NULL REFERENCES workspaces (id),
    engagement_id  TEXT NOT NULL REFERENCES engagements (id),
    -- talent, team, client
    source         TEXT NOT NULL,
    body           TEXT NOT NULL,
    -- The scorecard field the answer comes from.
    field          TEXT NOT NULL,
    answer         TEXT NOT NULL,
    guess          SMALLINT NOT NULL,
    open           SMALLINT NOT NULL,
    asked_by       TEXT REFERENCES users (id),
    asked_at       BIGINT NOT NULL,
    answered_by    TEXT REFERENCES users (id),
    answered_at    BIGINT
);
CREATE INDEX questions_idx ON questions (engagement_id, asked_at, id);

-- Next steps set at the conclusion: owner, date, kind; then kept or not.
CREATE TABLE next_steps (
    id             TEXT PRIMARY KEY,
    workspace_id   TEXT NOT NULL REFERENCES workspaces (id),
    engagement_id  TEXT NOT NULL REFERENCES engagements (id),
    -- sourcing, shortlist, first_checkpoint, weekly_meeting, client_homework
    kind           TEXT NOT NULL,
    title          TEXT NOT NULL,
    owner_id       TEXT NOT NULL REFERENCES users (id),
    due_at         BIGINT NOT NULL,
    -- open, done, missed
    outcome        TEXT NOT NULL,
    closed_at      BIGINT,
    created_by     TEXT REFERENCES users (id),
    created_at     BIGINT NOT NULL
);
CREATE INDEX next_steps_idx ON next_steps (engagement_id, due_at, id);

-- The report (compte rendu) of the meeting: generated at the end, reviewed, sent,
-- acknowledged by the client.
CREATE TABLE meeting_reports (
    engagement_id    TEXT PRIMARY KEY REFERENCES engagements (id),
    workspace_id     TEXT NOT NULL REFERENCES workspaces (id),
    decisions        TEXT NOT NULL,
    generated_at     BIGINT NOT NULL,
    sent_at          BIGINT,
    sent_by          TEXT REFERENCES users (id),
    acknowledged_at  BIGINT,
    acknowledged_by  TEXT REFERENCES users (id)
);
CREATE INDEX meeting_reports_workspace_idx ON meeting_reports (workspace_id, acknowledged_at);

-- Single-purpose links sent by email to one person about one engagement: confirm
-- attendance, acknowledge the report, answer the NPS… Only the hash is kept.
CREATE TABLE action_tokens (
    id             TEXT PRIMARY KEY,
    workspace_id   TEXT NOT NULL REFERENCES workspaces (id),
    engagement_id  TEXT NOT NULL REFERENCES engagements (id),
    user_id        TEXT NOT NULL REFERENCES users (id),
    purpose        TEXT NOT NULL,
    token_hash     TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    expires_at     BIGINT NOT NULL,
    used_at        BIGINT
);
CREATE UNIQUE INDEX action_tokens_hash_key ON action_tokens (token_hash);

-- Answers about a kick-off: the client's NPS (0–10 and a comment) and, from each
-- side, whether frank feedback went both ways (1 yes, 0 no). One per person and question.
CREATE TABLE meeting_feedback (
    engagement_id  TEXT NOT NULL REFERENCES engagements (id),
    user_id        TEXT NOT NULL REFERENCES users (id),
    workspace_id   TEXT NOT NULL REFERENCES workspaces (id),
    -- nps, relationship
    question       TEXT NOT NULL,
    score          BIGINT NOT NULL,
    comment        TEXT NOT NULL,
    answered_at    BIGINT NOT NULL,
    PRIMARY KEY (engagement_id, user_id, question)
);
CREATE INDEX meeting_feedback_workspace_idx ON meeting_feedback (workspace_id, question, score);

-- Done jobs are pruned after a while (each dated item schedules two reminders).
CREATE INDEX jobs_done_idx ON jobs (done_at) WHERE done_at IS NOT NULL;
