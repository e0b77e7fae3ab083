//! The store contract: every scenario runs on SQLite (a fresh file per test) and on
//! PostgreSQL (a fresh database per test on the server named by
//! `EMBARK_TEST_POSTGRES_URL`, dropped afterwards). `./scripts/test` starts a
//! throwaway PostgreSQL and sets that variable; without it the PostgreSQL half fails.
//!
//! Instants are passed explicitly: nothing here sleeps or reads the clock.

use std::future::Future;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use embark_core::{
    ApiTokenId, DisplayName, EmailAddress, EmailId, JobId, Locale, Role, Timestamp, UserId, WorkspaceId, WorkspaceName,
};
use embark_store::accounts::api_tokens::{self, NewApiToken};
use embark_store::accounts::magic_links::{self, Purpose};
use embark_store::accounts::users::{self, NewUser, User, UserCursor};
use embark_store::accounts::workspaces::{self, Workspace};
use embark_store::jobs::{self, NewJob, QueueCounts};
use embark_store::{accounts::sessions, audit, emails, Engine, Store, StoreError};

// ---------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------

const POSTGRES_URL_VAR: &str = "EMBARK_TEST_POSTGRES_URL";
/// A safety net against a hung scenario (a lock never released), not a performance check.
const SCENARIO_TIMEOUT: Duration = Duration::from_secs(120);
const POOL_SIZE: u32 = 4;

/// Runs `scenario` on a freshly migrated SQLite database, then on a freshly migrated
/// PostgreSQL database, and fails naming every engine on which it failed.
fn for_each_engine<F, Fut>(scenario: F)
where
    F: Fn(Store) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    run_on_engines(true, scenario);
}

/// Like [`for_each_engine`], on databases that have not been migrated.
fn for_each_unmigrated_engine<F, Fut>(scenario: F)
where
    F: Fn(Store) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    run_on_engines(false, scenario);
}

fn run_on_engines<F, Fut>(migrate: bool, scenario: F)
where
    F: Fn(Store) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("tokio runtime");
    let mut failures = Vec::new();
    for engine in [Engine::Sqlite, Engine::Postgres] {
        let started = Instant::now();
        let outcome = runtime.block_on(async {
            match engine {
                Engine::Sqlite => on_sqlite(migrate, &scenario).await,
                Engine::Postgres => on_postgres(migrate, &scenario).await,
            }
        });
        match outcome {
            Ok(()) => eprintln!("[{}] passed in {:?}", label(engine), started.elapsed()),
            Err(why) => {
                eprintln!("[{}] FAILED after {:?}", label(engine), started.elapsed());
                failures.push(format!("FAILED on {}: {why}", label(engine)));
            }
        }
    }
    if !failures.is_empty() {
        panic!("{}", failures.join("\n"));
    }
}

fn label(engine: Engine) -> &'static str {
    match engine {
        Engine::Sqlite => "SQLite",
        Engine::Postgres => "PostgreSQL",
    }
}

async fn on_sqlite<F, Fut>(migrate: bool, scenario: &F) -> Result<(), String>
where
    F: Fn(Store) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let dir = std::env::temp_dir().join(format!("embark-store-test-{}", uuid::Uuid::new_v4().simple()));
    let _cleanup = RemoveDirOnDrop(dir.clone());
    let url = format!("sqlite://{}/embark.db", dir.display());
    run_scenario(&url, migrate, scenario).await
}

struct RemoveDirOnDrop(PathBuf);

impl Drop for RemoveDirOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn on_postgres<F, Fut>(migrate: bool, scenario: &F) -> Result<(), String>
where
    F: Fn(Store) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    use sqlx::{Connection, Executor};

    let admin_url = match std::env::var(POSTGRES_URL_VAR) {
        Ok(url) if !url.trim().is_empty() => url,
        _ => {
            return Err(format!(
                "{POSTGRES_URL_VAR} is not set, so the PostgreSQL half of the store contract cannot run. \
                 Run ./scripts/test (it starts a throwaway PostgreSQL), or set {POSTGRES_URL_VAR} to a \
                 superuser URL such as postgres://postgres@127.0.0.1:5432/postgres"
            ))
        }
    };
    let mut admin = sqlx::postgres::PgConnection::connect(&admin_url).await.map_err(|e| {
        format!(
            "cannot connect to the server in {POSTGRES_URL_VAR} ({e}). \
                 Run ./scripts/test, which starts its own PostgreSQL, or fix that URL"
        )
    })?;
    let name = format!("embark_test_{}", uuid::Uuid::new_v4().simple());
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .map_err(|e| format!("cannot create database {name} (is the {POSTGRES_URL_VAR} user a superuser?): {e}"))?;

    let outcome = run_scenario(&database_url(&admin_url, &name), migrate, scenario).await;

    // Always dropped, whether the scenario passed, failed or panicked.
    let dropped = admin.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str()).await;
    let _ = admin.close().await;
    outcome?;
    dropped.map_err(|e| format!("cannot drop test database {name}: {e}"))?;
    Ok(())
}

/// `admin_url` with its database replaced by `database` (query parameters kept).
fn database_url(admin_url: &str, database: &str) -> String {
    let (base, query) = match admin_url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (admin_url, None),
    };
    let authority_start = base.find("://").map(|i| i + 3).unwrap_or(0);
    let authority_end = base[authority_start..].find('/').map(|i| authority_start + i).unwrap_or(base.len());
    let mut url = format!("{}/{database}", &base[..authority_end]);
    if let Some(query) = query {
        url.push('?');
        url.push_str(query);
    }
    url
}

/// Connects, migrates if asked, runs the scenario in its own task (so a panic is
/// caught and the database can still be dropped), and closes the pool.
async fn run_scenario<F, Fut>(url: &str, migrate: bool, scenario: &F) -> Result<(), String>
where
    F: Fn(Store) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let store = Store::connect(url, POOL_SIZE).await.map_err(|e| format!("cannot connect: {e}"))?;
    if migrate {
        if let Err(e) = store.migrate().await {
            store.close().await;
            return Err(format!("cannot migrate: {e}"));
        }
    }
    let mut task = tokio::spawn(scenario(store.clone()));
    let outcome = match tokio::time::timeout(SCENARIO_TIMEOUT, &mut task).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) if e.is_panic() => Err(panic_message(e.into_panic())),
        Ok(Err(e)) => Err(format!("scenario task failed: {e}")),
        Err(_) => {
            task.abort();
            let _ = task.await;
            Err(format!("scenario did not finish within {SCENARIO_TIMEOUT:?}"))
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(10), store.close()).await;
    outcome
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panicked (non-text payload)".to_string()
    }
}

// ---------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------

/// 2026-01-01T00:00:00Z: every scenario's "now" is an offset from it.
const T0: i64 = 1_767_225_600_000;
const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;

fn at(offset_ms: i64) -> Timestamp {
    Timestamp::from_millis(T0 + offset_ms)
}

fn email(s: &str) -> EmailAddress {
    EmailAddress::parse(s).expect("valid test email")
}

async fn workspace(store: &Store, name: &str) -> Workspace {
    let name = WorkspaceName::parse(name).expect("valid test workspace name");
    workspaces::create(&mut store.db(), &name, "Europe/Paris", at(0)).await.expect("create workspace")
}

async fn user(store: &Store, ws: WorkspaceId, address: &str, name: &str, role: Role) -> User {
    try_user(store, ws, address, name, role).await.expect("create user")
}

async fn try_user(store: &Store, ws: WorkspaceId, address: &str, name: &str, role: Role) -> Result<User, StoreError> {
    let address = email(address);
    let name = DisplayName::parse(name).expect("valid test name");
    let new = NewUser {
        workspace_id: ws,
        email: &address,
        name: &name,
        role,
        locale: Locale::En,
        password_hash: Some("$argon2id$test"),
    };
    users::create(&mut store.db(), new, at(0)).await
}

#[track_caller]
fn assert_conflict<T: std::fmt::Debug>(result: Result<T, StoreError>, constraint: &str) {
    match result {
        Err(StoreError::Conflict { constraint: ref c }) if c == constraint => {}
        other => panic!("expected a Conflict on {constraint}, got {other:?}"),
    }
}

/// Enqueues a job without an idempotency key and returns its id.
async fn job(store: &Store, kind: &str, run_at: Timestamp) -> JobId {
    let everything = Timestamp::from_millis(i64::MAX);
    let before = jobs::due(&mut store.db(), everything, 1000).await.unwrap();
    let new = NewJob { kind, payload: "{}", run_at, idempotency_key: None, request_id: None };
    assert!(jobs::enqueue(&mut store.db(), new, at(0)).await.unwrap());
    let after = jobs::due(&mut store.db(), everything, 1000).await.unwrap();
    let added: Vec<JobId> = after.into_iter().filter(|id| !before.contains(id)).collect();
    assert_eq!(added.len(), 1, "one job enqueued");
    added[0]
}

mod accounts;
mod audit_trail;
mod job_queue;
mod kickoff;
mod learning;
mod migrations;
mod playbooks_engagements;
mod pool;
mod requests;
mod sent_emails;
mod surveys;
