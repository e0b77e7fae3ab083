-- Certifications a person holds (the account manager's scorecard certification first).
-- Until the learning space grants them, an admin records them: who, when, until when.
CREATE TABLE certifications (
    id            TEXT PRIMARY KEY,
    workspace_id  TEXT NOT NULL REFERENCES workspaces (id),
    user_id       TEXT NOT NULL REFERENCES users (id),
    kind          TEXT NOT NULL,
    granted_by    TEXT REFERENCES users (id),
    granted_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL
);
CREATE INDEX certifications_user_idx ON certifications (workspace_id, user_id, kind, expires_at);
