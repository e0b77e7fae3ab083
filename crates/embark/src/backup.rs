//! `embark backup FILE` and `embark restore FILE`: a consistent copy of a running
//! SQLite instance, and putting one back into an empty data directory. PostgreSQL has
//! its own tools (`pg_dump`, `pg_restore`); these commands say how to use them.

use std::path::{Path, PathBuf};

use embark_store::{Engine, Store};

use crate::config::Config;

/// What went wrong, in words for the person at the terminal.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(
        "the database is PostgreSQL: back it up with pg_dump, e.g. \
         `pg_dump --format=custom --file=embark.dump \"$EMBARK_DATABASE_URL\"` \
         (consistent while Embark runs), and restore it with \
         `pg_restore --no-owner --dbname=\"$EMBARK_DATABASE_URL\" embark.dump` into an empty database"
    )]
    Postgres,
    #[error("{0} already exists: choose a new file name (a backup never overwrites)")]
    Exists(PathBuf),
    #[error("{0} is not an Embark backup: {1}")]
    NotABackup(PathBuf, String),
    #[error(
        "{0} already holds a database: restore into an empty data directory \
         (stop Embark and move the file aside first)"
    )]
    TargetNotEmpty(PathBuf),
    #[error("{0}")]
    Other(String),
}

/// The SQLite file a configuration names, or `None` on PostgreSQL.
pub fn sqlite_file(config: &Config) -> Option<PathBuf> {
    let url = config.database_url.expose();
    if Engine::from_url(url).ok()? != Engine::Sqlite {
        return None;
    }
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    Some(PathBuf::from(rest.split('?').next().unwrap_or(rest)))
}

/// Writes a consistent copy of the running database to `file` (which must not exist).
/// Returns the copy's size in bytes.
pub async fn backup(store: &Store, file: &Path) -> Result<u64, BackupError> {
    if store.engine() == Engine::Postgres {
        return Err(BackupError::Postgres);
    }
    if file.exists() {
        return Err(BackupError::Exists(file.to_path_buf()));
    }
    if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| BackupError::Other(format!("cannot create {}: {e}", parent.display())))?;
    }
    store.backup_into(file).await.map_err(|e| BackupError::Other(format!("backup failed: {e}")))?;
    std::fs::metadata(file).map(|m| m.len()).map_err(|e| BackupError::Other(format!("{}: {e}", file.display())))
}

/// Puts a backup in place of the configured SQLite database, which must not exist yet
/// (or be empty). The backup is checked first (integrity, an Embark schema this binary
/// can migrate) on a copy beside the target; the target appears only once it is whole.
pub async fn restore(config: &Config, file: &Path) -> Result<(), BackupError> {
    let Some(target) = sqlite_file(config) else {
        return Err(BackupError::Postgres);
    };
    if std::fs::metadata(&target).is_ok_and(|m| m.len() > 0) {
        return Err(BackupError::TargetNotEmpty(target));
    }
    let not_a_backup = |why: String| BackupError::NotABackup(file.to_path_buf(), why);
    let mut header = [0u8; 16];
    std::fs::File::open(file)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut header))
        .map_err(|e| not_a_backup(e.to_string()))?;
    if &header != b"SQLite format 3\0" {
        return Err(not_a_backup("it is not a SQLite database file".into()));
    }
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| BackupError::Other(format!("cannot create {}: {e}", parent.display())))?;
    }
    let staging = target.with_extension("restoring");
    remove_with_log(&staging);
    std::fs::copy(file, &staging)
        .map_err(|e| BackupError::Other(format!("cannot copy to {}: {e}", staging.display())))?;
    let checked = check_and_migrate(&staging).await;
    if let Err(e) = checked {
        remove_with_log(&staging);
        return Err(not_a_backup(e));
    }
    std::fs::rename(&staging, &target)
        .map_err(|e| BackupError::Other(format!("cannot move {} to {}: {e}", staging.display(), target.display())))?;
    remove_with_log(&staging);
    Ok(())
}

/// Opens the staged copy, checks it and brings its schema up to this binary's.
async fn check_and_migrate(staging: &Path) -> Result<(), String> {
    let url = format!("sqlite://{}", staging.display());
    let store = Store::connect(&url, 1).await.map_err(|e| e.to_string())?;
    let result = async {
        let integrity = store.integrity().await.map_err(|e| e.to_string())?;
        if integrity != "ok" {
            return Err(format!("the file is damaged ({integrity})"));
        }
        let tables: i64 = embark_store::query_scalar(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('_sqlx_migrations', 'workspaces')",
        )
        .fetch_one(&mut store.db())
        .await
        .map_err(|e| e.to_string())?;
        if tables != 2 {
            return Err("it holds no Embark data".into());
        }
        store.migrate().await.map_err(|e| format!("its schema cannot be brought up to date: {e}"))?;
        store.checkpoint().await.map_err(|e| e.to_string())
    }
    .await;
    store.close().await;
    result
}

/// Removes a staging file and its write-ahead log, if any.
fn remove_with_log(path: &Path) {
    for p in [path.to_path_buf(), with_suffix(path, "-wal"), with_suffix(path, "-shm")] {
        let _ = std::fs::remove_file(p);
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_os_string();
    s.push(suffix);
    PathBuf::from(s)
}
