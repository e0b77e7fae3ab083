use std::fmt;

/// Why the database could not be opened. Start-up prints it on one line.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("unsupported database {0:?}: use sqlite://PATH or postgres://USER@HOST/DB")]
    UnsupportedScheme(String),
    #[error("invalid database URL: {0}")]
    Invalid(String),
    #[error("database unreachable: {0}")]
    Unreachable(String),
}

/// A failed store operation.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique or foreign-key constraint refused the write. `constraint` is the
    /// name of the index or constraint (the same on both engines), for callers to
    /// turn into a user error without a racy pre-check.
    #[error("constraint {constraint} violated")]
    Conflict { constraint: String },
    /// A stored value that this binary cannot read (a bug or a hand-edited row).
    #[error("unreadable {what} in the database: {value:?}")]
    Corrupt { what: &'static str, value: String },
    #[error("migration failed: {0}")]
    Migration(String),
    #[error(transparent)]
    Database(sqlx::Error),
}

impl StoreError {
    pub fn is_conflict_on(&self, name: &str) -> bool {
        matches!(self, StoreError::Conflict { constraint } if constraint == name)
    }

    pub(crate) fn corrupt(what: &'static str, value: impl fmt::Display) -> Self {
        StoreError::Corrupt { what, value: value.to_string() }
    }
}

/// SQLite names the columns of a unique violation, not the index; this table maps
/// them to the index names PostgreSQL reports, so callers match one name on both.
const SQLITE_UNIQUE_COLUMNS: &[(&str, &str)] = &[
    ("users.workspace_id, users.email", "users_workspace_email_key"),
    ("index 'workspaces_name_key'", "workspaces_name_key"),
    ("jobs.idempotency_key", "jobs_idempotency_key"),
    ("api_tokens.token_hash", "api_tokens_hash_key"),
    ("magic_links.token_hash", "magic_links_token_key"),
    ("playbooks.workspace_id, playbooks.key, playbooks.language", "playbooks_key_language_key"),
    ("playbook_versions.playbook_id, playbook_versions.number", "playbook_versions_number_key"),
    ("engagement_items.engagement_id, engagement_items.item_key", "engagement_items_key"),
    ("scorecards.engagement_id, scorecards.number", "scorecards_number_key"),
    ("action_tokens.token_hash", "action_tokens_hash_key"),
    ("courses.workspace_id, courses.key, courses.language", "courses_key_language_key"),
    ("course_versions.course_id, course_versions.number", "course_versions_number_key"),
    (
        "quiz_attempts.workspace_id, quiz_attempts.user_id, quiz_attempts.course_key, quiz_attempts.quiz_id",
        "quiz_attempts_open_key",
    ),
];

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e {
            // SQLite does not name foreign keys: on both engines they are one kind of conflict.
            if db.is_foreign_key_violation() {
                return StoreError::Conflict { constraint: "foreign_key".into() };
            }
            if db.is_unique_violation() {
                if let Some(name) = db.constraint() {
                    return StoreError::Conflict { constraint: name.to_string() };
                }
                let msg = db.message();
                if let Some((_, name)) = SQLITE_UNIQUE_COLUMNS.iter().find(|(cols, _)| msg.ends_with(cols)) {
                    return StoreError::Conflict { constraint: (*name).to_string() };
                }
            }
        }
        StoreError::Database(e)
    }
}
