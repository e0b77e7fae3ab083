-- The client's side of next steps (issue 12, point 7): each next step is accepted by a
-- client contact of the search (one at a time or all at once), and the one who closed
-- it is kept, so that the follow-through measure reads what the client did.
ALTER TABLE next_steps ADD COLUMN accepted_at BIGINT;
ALTER TABLE next_steps ADD COLUMN accepted_by TEXT REFERENCES users (id);
ALTER TABLE next_steps ADD COLUMN closed_by TEXT REFERENCES users (id);
