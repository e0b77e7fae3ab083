-- A course assigned to a person by hand (an admin), with an optional due date:
-- it shows on their home until complete, and makes a client contact its learner.
CREATE TABLE course_assignments (
    workspace_id   TEXT NOT NULL REFERENCES workspaces (id),
    user_id        TEXT NOT NULL REFERENCES users (id),
    course_key     TEXT NOT NULL,
    assigned_by    TEXT REFERENCES users (id),
    due_at         BIGINT,
    assigned_at    BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, user_id, course_key)
);
