-- Requests and complaints (issue 13): raised by a client or a new hire from their
-- portal, or logged by staff when one arrives by phone or email; answered, then
-- resolved. Each keeps its first-response target and the times that measure it.

CREATE TABLE requests (
    id                TEXT PRIMARY KEY,
    workspace_id      TEXT NOT NULL REFERENCES workspaces (id),
    kind              TEXT NOT NULL,
    category          TEXT NOT NULL,
    channel           TEXT NOT NULL,
    requester_id      TEXT NOT NULL REFERENCES users (id),
    -- Who logged it, when it arrived by phone or email; null when raised by the requester.
    logged_by         TEXT REFERENCES users (id),
    engagement_id     TEXT REFERENCES engagements (id),
    owner_id          TEXT NOT NULL REFERENCES users (id),
    subject           TEXT NOT NULL,
    body              TEXT NOT NULL,
    received_at       BIGINT NOT NULL,
    due_at            BIGINT NOT NULL,
    first_response_at BIGINT,
    resolved_at       BIGINT,
    resolved_by       TEXT REFERENCES users (id),
    resolution        TEXT,
    escalated_at      BIGINT
);
-- What an owner has to answer, earliest due first.
CREATE INDEX requests_owner ON requests (workspace_id, owner_id, first_response_at, due_at);
-- What a person raised, newest first.
CREATE INDEX requests_requester ON requests (workspace_id, requester_id, received_at);
-- The workspace's list and the indicators of a period.
CREATE INDEX requests_received ON requests (workspace_id, received_at, id);

-- The thread: the requester's words, the replies. The first reply by someone other
-- than the requester is the first response.
CREATE TABLE request_messages (
    id           TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    request_id   TEXT NOT NULL REFERENCES requests (id),
    author_id    TEXT NOT NULL REFERENCES users (id),
    body         TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX request_messages_request ON request_messages (request_id, created_at, id);
