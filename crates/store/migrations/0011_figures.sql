-- Figures read without counting every row behind them (issue 11). First, those of
-- requests and complaints, kept per month as they happen:
-- the requests page and the indicators read a year from at most a few hundred rows
-- instead of counting every request of the year on every view.

-- Who raised a request, as she was when it arrived: a figure "for clients" keeps
-- counting a request after its requester's role changes.
ALTER TABLE requests ADD COLUMN requester_role TEXT;
UPDATE requests SET requester_role = (SELECT u.role FROM users u WHERE u.id = requests.requester_id);

-- One row per workspace, month of reception (UTC, `YYYY-MM`), kind, requester's
-- role and owner. Sums of milliseconds give the means (divided by answered, resolved).
-- Written in the transaction of each event (received, first response, resolved);
-- rebuilt from `requests` at start-up when the two disagree.
CREATE TABLE request_months (
    workspace_id      TEXT NOT NULL REFERENCES workspaces (id),
    month             TEXT NOT NULL,
    kind              TEXT NOT NULL,
    requester_role    TEXT NOT NULL,
    owner_id          TEXT NOT NULL REFERENCES users (id),
    received          BIGINT NOT NULL,
    answered          BIGINT NOT NULL,
    answered_on_time  BIGINT NOT NULL,
    resolved          BIGINT NOT NULL,
    first_response_ms BIGINT NOT NULL,
    resolution_ms     BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, month, kind, requester_role, owner_id)
);

-- Today's onboarding progress (the indicators), per workspace: its running
-- engagements and their items closed and in all, kept in the transaction that
-- creates an engagement, changes its summary or cancels it.
CREATE TABLE engagement_progress (
    workspace_id TEXT PRIMARY KEY REFERENCES workspaces (id),
    active       BIGINT NOT NULL,
    items_closed BIGINT NOT NULL,
    items_total  BIGINT NOT NULL
);
INSERT INTO engagement_progress (workspace_id, active, items_closed, items_total)
SELECT workspace_id, COUNT(*), SUM(items_closed), SUM(items_total) FROM engagements
WHERE state = 'active' GROUP BY workspace_id;
-- The running engagements with a step overdue, counted from the index alone.
CREATE INDEX engagements_progress_idx ON engagements (workspace_id, state, next_due_at);

-- What an owner has, newest first (the requests list of account managers), a page
-- at a time after a (received_at, id) cursor.
CREATE INDEX requests_owner_received ON requests (workspace_id, owner_id, received_at, id);
