-- Playbooks (versioned documents) and engagements (a playbook version running for a subject).

CREATE TABLE playbooks (
    id             TEXT PRIMARY KEY,
    workspace_id   TEXT NOT NULL REFERENCES workspaces (id),
    -- Pairs the languages of one playbook: recruitment-kickoff, employee-onboarding…
    key            TEXT NOT NULL,
    language       TEXT NOT NULL,
    title          TEXT NOT NULL,
    kind           TEXT NOT NULL,
    builtin        SMALLINT NOT NULL,
    latest_version BIGINT NOT NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE UNIQUE INDEX playbooks_key_language_key ON playbooks (workspace_id, key, language);

-- Append-only: editing a playbook adds a version, never rewrites one.
CREATE TABLE playbook_versions (
    id             TEXT PRIMARY KEY,
    workspace_id   TEXT NOT NULL REFERENCES workspaces (id),
    playbook_id    TEXT NOT NULL REFERENCES playbooks (id),
    number         BIGINT NOT NULL,
    source         TEXT NOT NULL,
    content_hash   TEXT NOT NULL,
    created_by     TEXT,
    created_at     BIGINT NOT NULL
);
CREATE UNIQUE INDEX playbook_versions_number_key ON playbook_versions (playbook_id, number);

-- "Did you find your answer?" under each playbook read as an article: one answer per person.
CREATE TABLE article_feedback (
    playbook_id    TEXT NOT NULL REFERENCES playbooks (id),
    user_id        TEXT NOT NULL REFERENCES users (id),
    workspace_id   TEXT NOT NULL REFERENCES workspaces (id),
    helpful        SMALLINT NOT NULL,
    at             BIGINT NOT NULL,
    PRIMARY KEY (playbook_id, user_id)
);

CREATE TABLE engagements (
    id             TEXT PRIMARY KEY,
    workspace_id   TEXT NOT NULL REFERENCES workspaces (id),
    playbook_id    TEXT NOT NULL REFERENCES playbooks (id),
    -- The version it started from: later edits of the playbook never change it.
    version_id     TEXT NOT NULL REFERENCES playbook_versions (id),
    title          TEXT NOT NULL,
    subject        TEXT NOT NULL,
    anchor_at      BIGINT NOT NULL,
    state          TEXT NOT NULL,
    owner_id       TEXT NOT NULL REFERENCES users (id),
    items_total    BIGINT NOT NULL,
    items_closed   BIGINT NOT NULL,
    -- Earliest due date of an open gate or step (9e15 when none): the board's sort key.
    next_due_at    BIGINT NOT NULL,
    -- The title of that gate or step, as the board shows it.
    next_due_title TEXT NOT NULL,
    created_by     TEXT,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX engagements_board_idx ON engagements (workspace_id, next_due_at, id);
CREATE INDEX engagements_owner_idx ON engagements (workspace_id, owner_id, next_due_at, id);
CREATE INDEX engagements_playbook_idx ON engagements (workspace_id, playbook_id, next_due_at, id);

CREATE TABLE engagement_participants (
    engagement_id  TEXT NOT NULL REFERENCES engagements (id),
    role           TEXT NOT NULL,
    user_id        TEXT NOT NULL REFERENCES users (id),
    workspace_id   TEXT NOT NULL REFERENCES workspaces (id),
    PRIMARY KEY (engagement_id, role, user_id)
);
CREATE INDEX engagement_participants_user_idx ON engagement_participants (user_id, engagement_id);

CREATE TABLE engagement_items (
    id             TEXT PRIMARY KEY,
    workspace_id   TEXT NOT NULL REFERENCES workspaces (id),
    engagement_id  TEXT NOT NULL REFERENCES engagements (id),
    item_key       TEXT NOT NULL,
    kind           TEXT NOT NULL,
    position       BIGINT NOT NULL,
    owner_role     TEXT,
    due_at         BIGINT,
    state          TEXT NOT NULL,
    done_by        TEXT,
    done_at        BIGINT,
    reason         TEXT,
    note           TEXT NOT NULL,
    -- A gate opened by an admin with a written reason (kept in the timeline too).
    overridden     SMALLINT NOT NULL
);
CREATE UNIQUE INDEX engagement_items_key ON engagement_items (engagement_id, item_key);

-- The timeline: everything that happened, append-only.
CREATE TABLE engagement_events (
    id             TEXT PRIMARY KEY,
    workspace_id   TEXT NOT NULL REFERENCES workspaces (id),
    engagement_id  TEXT NOT NULL REFERENCES engagements (id),
    actor_id       TEXT,
    kind           TEXT NOT NULL,
    item_key       TEXT,
    detail         TEXT NOT NULL,
    at             BIGINT NOT NULL
);
CREATE INDEX engagement_events_idx ON engagement_events (engagement_id, at, id);
