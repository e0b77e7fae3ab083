-- The audit trail becomes a chain per workspace: each event has its number in the
-- workspace and the hash of the event before it (embark_core::audit). Events written
-- before are chained at start-up, in the order they were written (Store::migrate).
ALTER TABLE audit_events ADD COLUMN seq BIGINT;
ALTER TABLE audit_events ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_events ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX audit_events_seq_key ON audit_events (workspace_id, seq);

-- Where each workspace's chain ends: taken (row lock) by whoever appends, so that two
-- events of one workspace are numbered one after the other, never twice the same.
CREATE TABLE audit_heads (
    workspace_id TEXT PRIMARY KEY REFERENCES workspaces (id),
    seq          BIGINT NOT NULL,
    hash         TEXT NOT NULL
);
