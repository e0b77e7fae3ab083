//! Embark's database: one schema and one SQL dialect that run on SQLite (the
//! embedded default) and PostgreSQL (the scale-out engine), on native sqlx pools
//! behind one [`Db`] type (docs/adr/0001).
//!
//! Queries are plain SQL next to the function that runs them, always filtered by
//! `workspace_id` for tenant data. Rows convert into `embark-core` types here.

pub mod accounts;
pub mod audit;
mod db;
pub mod emails;
pub mod engagements;
mod error;
pub mod jobs;
pub mod kickoff;
pub mod learning;
pub mod live;
pub mod playbooks;
pub mod requests;
pub mod surveys;

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::ConnectOptions;

use db::Pool;
pub use db::{query, query_as, query_scalar, Arg, Bind, Conn, Db, Done, Query, QueryAs, QueryScalar, Record, Tx};
pub use error::{ConnectError, StoreError};

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn from_url(url: &str) -> Result<Engine, ConnectError> {
        let scheme = url.split_once(':').map(|(s, _)| s).unwrap_or("");
        match scheme {
            "sqlite" => Ok(Engine::Sqlite),
            "postgres" | "postgresql" => Ok(Engine::Postgres),
            _ => Err(ConnectError::UnsupportedScheme(scheme.to_string())),
        }
    }
}

/// How SQLite waits for the disk at each commit (`PRAGMA synchronous`). PostgreSQL
/// ignores it: its own `synchronous_commit` is the server's setting.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SqliteSync {
    /// Every acknowledged commit survives a power loss (`FULL`): the default.
    #[default]
    Full,
    /// Faster commits that survive a crash of Embark but not a power loss or an
    /// operating-system crash: the last acknowledged transactions may be rolled back (`NORMAL`).
    Normal,
}

impl SqliteSync {
    /// `full` or `normal`, as the setting is written.
    pub fn parse(text: &str) -> Option<SqliteSync> {
        match text.trim().to_ascii_lowercase().as_str() {
            "full" => Some(SqliteSync::Full),
            "normal" => Some(SqliteSync::Normal),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SqliteSync::Full => "full",
            SqliteSync::Normal => "normal",
        }
    }
}

/// The database: a connection pool and the engine behind it.
#[derive(Clone)]
pub struct Store {
    pool: Pool,
    engine: Engine,
    /// Kept for connections outside the pool (the live-events listener).
    url: String,
}

/// Leaves the URL out: it may hold a password.
impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("engine", &self.engine).finish_non_exhaustive()
    }
}

impl Store {
    /// Connects (creating the SQLite file and its directory if needed) and
    /// checks the database answers, durable on a power loss ([`SqliteSync::Full`]).
    /// Does not migrate: see [`Store::migrate`].
    pub async fn connect(url: &str, max_connections: u32) -> Result<Store, ConnectError> {
        Store::connect_with(url, max_connections, SqliteSync::Full).await
    }

    /// [`Store::connect`] with SQLite's commit durability chosen.
    #[tracing::instrument(skip_all, fields(engine = ?Engine::from_url(url).ok(), sqlite_sync = sync.as_str()))]
    pub async fn connect_with(url: &str, max_connections: u32, sync: SqliteSync) -> Result<Store, ConnectError> {
        let engine = Engine::from_url(url)?;
        let url = match engine {
            Engine::Sqlite => sqlite_url(url)?,
            Engine::Postgres => url.to_string(),
        };
        let kept = url.clone();
        let invalid = |e: sqlx::Error| ConnectError::Invalid(e.to_string());
        let unreachable = |e: sqlx::Error| ConnectError::Unreachable(e.to_string());
        let max = max_connections.max(1);
        let pool = match engine {
            Engine::Sqlite => {
                // WAL lets readers run beside the writer; the busy timeout makes
                // concurrent writers wait instead of failing. FULL syncs the log at
                // every commit, so an acknowledged write survives a power loss.
                let synchronous = match sync {
                    SqliteSync::Full => SqliteSynchronous::Full,
                    SqliteSync::Normal => SqliteSynchronous::Normal,
                };
                let options = SqliteConnectOptions::from_str(&url)
                    .map_err(invalid)?
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(synchronous)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(5))
                    .log_statements(tracing::log::LevelFilter::Trace)
                    .log_slow_statements(tracing::log::LevelFilter::Warn, Duration::from_millis(250));
                let pool = SqlitePoolOptions::new()
                    .max_connections(max)
                    .min_connections(0)
                    .acquire_timeout(Duration::from_secs(5))
                    // No ping before handing out an idle connection: it cost a worker-thread
                    // round trip per query, and a file connection cannot go stale.
                    .test_before_acquire(false)
                    .connect_with(options)
                    .await
                    .map_err(unreachable)?;
                Pool::Sqlite(pool)
            }
            Engine::Postgres => {
                let options = PgConnectOptions::from_str(&url)
                    .map_err(invalid)?
                    .log_statements(tracing::log::LevelFilter::Trace)
                    .log_slow_statements(tracing::log::LevelFilter::Warn, Duration::from_millis(250));
                let pool = PgPoolOptions::new()
                    .max_connections(max)
                    .min_connections(0)
                    .acquire_timeout(Duration::from_secs(5))
                    // The ping stays on PostgreSQL: without it, each pooled connection the
                    // server closed while idle (a restart, an idle timeout) fails the next
                    // request that gets it; with it, the pool replaces it unseen (docs/adr/0001).
                    .test_before_acquire(true)
                    .connect_with(options)
                    .await
                    .map_err(unreachable)?;
                Pool::Postgres(pool)
            }
        };
        Ok(Store { pool, engine, url: kept })
    }

    /// Applies pending migrations. Safe to call from several instances at once
    /// (sqlx takes an advisory lock on PostgreSQL).
    #[tracing::instrument(skip_all, fields(engine = ?self.engine))]
    pub async fn migrate(&self) -> Result<()> {
        let run = match &self.pool {
            Pool::Sqlite(p) => MIGRATOR.run(p).await,
            Pool::Postgres(p) => MIGRATOR.run(p).await,
        };
        run.map_err(|e| StoreError::Migration(e.to_string()))?;
        // Figures kept as the events happen, rebuilt once for rows written before.
        let mut tx = self.begin().await?;
        if requests::rebuild_months_if_stale(&mut tx).await? {
            tracing::info!("rebuilt the monthly figures of requests");
        }
        tx.commit().await?;
        Ok(())
    }

    /// SQLite: writes a consistent copy of the whole database to `path` while it keeps
    /// serving (`VACUUM INTO`: one read transaction, so the copy is the database as of
    /// one commit, compacted). `path` must not exist. `Ok(false)` on PostgreSQL, whose
    /// backups are `pg_dump`'s.
    pub async fn backup_into(&self, path: &std::path::Path) -> Result<bool> {
        if self.engine != Engine::Sqlite {
            return Ok(false);
        }
        query("VACUUM INTO $1").bind(path.display().to_string()).execute(&mut self.db()).await?;
        Ok(true)
    }

    /// SQLite: `ok`, or what `PRAGMA integrity_check` found first.
    pub async fn integrity(&self) -> Result<String> {
        match self.engine {
            Engine::Sqlite => Ok(query_scalar("PRAGMA integrity_check").fetch_one(&mut self.db()).await?),
            Engine::Postgres => Ok("ok".into()),
        }
    }

    /// SQLite: folds the write-ahead log into the database file and empties it, so the
    /// file alone is the whole database.
    pub async fn checkpoint(&self) -> Result<()> {
        if self.engine == Engine::Sqlite {
            query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut self.db()).await?;
        }
        Ok(())
    }

    /// Whether the database answers and every migration this binary knows is applied.
    pub async fn is_ready(&self) -> Result<bool> {
        let latest = MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
        let applied: Option<i64> = query_scalar("SELECT CAST(MAX(version) AS BIGINT) FROM _sqlx_migrations")
            .fetch_one(&mut self.db())
            .await
            .or_else(|e| match &e {
                // The table does not exist before the first migration.
                sqlx::Error::Database(_) => Ok(None),
                _ => Err(e),
            })?;
        Ok(applied.unwrap_or(0) >= latest)
    }

    /// What an acknowledged commit survives, as the engine reports it on a pooled
    /// connection: `sqlite synchronous=full` (a power loss), `sqlite synchronous=normal`
    /// (a crash only), or PostgreSQL's `synchronous_commit` (the server's setting).
    pub async fn commit_durability(&self) -> Result<String> {
        Ok(match self.engine {
            Engine::Sqlite => {
                let level: i64 = query_scalar("PRAGMA synchronous").fetch_one(&mut self.db()).await?;
                let name = match level {
                    0 => "off",
                    1 => "normal",
                    2 => "full",
                    3 => "extra",
                    _ => "unknown",
                };
                format!("sqlite synchronous={name}")
            }
            Engine::Postgres => {
                let value: String = query_scalar("SHOW synchronous_commit").fetch_one(&mut self.db()).await?;
                format!("postgres synchronous_commit={value}")
            }
        })
    }

    /// A handle that takes a pooled connection for each query: for a caller that
    /// makes one query, or a task that runs for long.
    pub fn db(&self) -> Db {
        Db::pooled(&self.pool)
    }

    /// Whether the pool pings a connection before handing it out (PostgreSQL only).
    pub fn pings_before_acquire(&self) -> bool {
        match &self.pool {
            Pool::Sqlite(p) => p.options().get_test_before_acquire(),
            Pool::Postgres(p) => p.options().get_test_before_acquire(),
        }
    }

    /// Connections the pool holds open, idle or in use.
    pub fn open_connections(&self) -> u32 {
        match &self.pool {
            Pool::Sqlite(p) => p.size(),
            Pool::Postgres(p) => p.size(),
        }
    }

    /// Connections idle in the pool.
    pub fn idle_connections(&self) -> usize {
        match &self.pool {
            Pool::Sqlite(p) => p.num_idle(),
            Pool::Postgres(p) => p.num_idle(),
        }
    }

    /// One pooled connection for all the queries of a request.
    pub async fn conn(&self) -> Result<Conn> {
        Ok(Db::acquire(&self.pool).await?)
    }

    /// A connection listening to live events from every instance: PostgreSQL only.
    pub async fn live_listener(&self) -> Result<Option<sqlx::postgres::PgListener>> {
        match self.engine {
            Engine::Postgres => Ok(Some(live::listen(&self.url).await?)),
            Engine::Sqlite => Ok(None),
        }
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// A transaction: one use case, committed with [`Tx::commit`].
    pub async fn begin(&self) -> Result<Tx> {
        Ok(Db::begin(&self.pool).await?)
    }

    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(p) => p.close().await,
            Pool::Postgres(p) => p.close().await,
        }
    }
}

/// Turns `sqlite://path` (or `sqlite:path`) into a URL that creates the file,
/// creating its directory first.
fn sqlite_url(url: &str) -> Result<String, ConnectError> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or("");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() {
        return Err(ConnectError::Invalid(
            "the SQLite URL has no file path (expected sqlite://path/to/embark.db)".into(),
        ));
    }
    if path != ":memory:" {
        if let Some(parent) = std::path::Path::new(path).parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| ConnectError::Unreachable(format!("cannot create {}: {e}", parent.display())))?;
            }
        }
    }
    let mut params: Vec<&str> = query.split('&').filter(|p| !p.is_empty() && !p.starts_with("mode=")).collect();
    params.push("mode=rwc");
    Ok(format!("sqlite://{path}?{}", params.join("&")))
}

/// Reads a stored id or enum value; a value this binary cannot read is corrupt data, not a panic.
pub(crate) fn parse<T: FromStr>(what: &'static str, value: &str) -> Result<T> {
    value.parse().map_err(|_| StoreError::corrupt(what, value))
}

/// Reads an optional stored id.
pub(crate) fn parse_opt<T: FromStr>(what: &'static str, value: Option<&str>) -> Result<Option<T>> {
    value.map(|v| parse(what, v)).transpose()
}

/// A flag as stored (SMALLINT 0/1).
pub(crate) fn flag(b: bool) -> i16 {
    i16::from(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_is_chosen_by_scheme() {
        assert_eq!(Engine::from_url("sqlite://x.db").unwrap(), Engine::Sqlite);
        assert_eq!(Engine::from_url("postgres://u@h/db").unwrap(), Engine::Postgres);
        assert_eq!(Engine::from_url("postgresql://u@h/db").unwrap(), Engine::Postgres);
        let err = Engine::from_url("mysql://x").unwrap_err();
        assert!(err.to_string().contains("mysql"), "{err}");
    }

    #[test]
    fn sqlite_urls_always_create_the_file() {
        assert_eq!(sqlite_url("sqlite:///tmp/e/x.db").unwrap(), "sqlite:///tmp/e/x.db?mode=rwc");
        assert!(sqlite_url("sqlite://").is_err());
    }
}
