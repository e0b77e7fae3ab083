-- Foundation: workspaces, people, sign-in, API tokens, the job queue, sent email, audit trail.
-- One dialect for SQLite and PostgreSQL: ids TEXT (UUIDv7), instants BIGINT (Unix ms UTC),
-- flags SMALLINT 0/1, JSON as TEXT. See ARCHITECTURE.md "Databases".

CREATE TABLE workspaces (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    time_zone   TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE UNIQUE INDEX workspaces_name_key ON workspaces (lower(name));

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id),
    email         TEXT NOT NULL,
    name          TEXT NOT NULL,
    -- lower(name): the sort key of the people list, so keyset pagination has an index.
    name_key      TEXT NOT NULL,
    role          TEXT NOT NULL,
    locale        TEXT NOT NULL,
    password_hash TEXT,
    active        SMALLINT NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_workspace_email_key ON users (workspace_id, email);
CREATE INDEX users_email_idx ON users (email);
CREATE INDEX users_workspace_name_idx ON users (workspace_id, name_key, id);

CREATE TABLE sessions (
    -- SHA-256 of the cookie value: a leaked table does not sign anyone in.
    id_hash       TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users (id),
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id),
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE magic_links (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id),
    user_id       TEXT NOT NULL REFERENCES users (id),
    purpose       TEXT NOT NULL,
    -- Set by the worker when it mints the token and sends the email; only the hash is kept.
    token_hash    TEXT,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    used_at       BIGINT
);
CREATE UNIQUE INDEX magic_links_token_key ON magic_links (token_hash);
CREATE INDEX magic_links_user_idx ON magic_links (user_id);

CREATE TABLE api_tokens (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id),
    user_id       TEXT NOT NULL REFERENCES users (id),
    name          TEXT NOT NULL,
    token_hash    TEXT NOT NULL,
    -- The first characters of the token, to recognise it in a list.
    prefix        TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    last_used_at  BIGINT,
    revoked_at    BIGINT
);
CREATE UNIQUE INDEX api_tokens_hash_key ON api_tokens (token_hash);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id, created_at);

CREATE TABLE jobs (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,
    payload         TEXT NOT NULL,
    idempotency_key TEXT,
    run_at          BIGINT NOT NULL,
    attempts        BIGINT NOT NULL,
    locked_until    BIGINT,
    locked_by       TEXT,
    last_error      TEXT,
    created_at      BIGINT NOT NULL,
    done_at         BIGINT,
    failed_at       BIGINT
);
CREATE UNIQUE INDEX jobs_idempotency_key ON jobs (idempotency_key);
CREATE INDEX jobs_due_idx ON jobs (run_at) WHERE done_at IS NULL AND failed_at IS NULL;

CREATE TABLE emails (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id),
    to_addr       TEXT NOT NULL,
    subject       TEXT NOT NULL,
    kind          TEXT NOT NULL,
    locale        TEXT NOT NULL,
    transport     TEXT NOT NULL,
    -- File name in the outbox directory when the outbox transport wrote it.
    outbox_file   TEXT,
    sent_at       BIGINT NOT NULL
);
CREATE INDEX emails_workspace_sent_idx ON emails (workspace_id, sent_at, id);

CREATE TABLE audit_events (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id),
    actor_id      TEXT,
    action        TEXT NOT NULL,
    subject_id    TEXT,
    detail        TEXT NOT NULL,
    at            BIGINT NOT NULL
);
CREATE INDEX audit_events_workspace_idx ON audit_events (workspace_id, at);
