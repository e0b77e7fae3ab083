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
use embark_store::api_tokens::{self, NewApiToken};
use embark_store::jobs::{self, NewJob, QueueCounts};
use embark_store::magic_links::{self, Purpose};
use embark_store::users::{self, NewUser, User, UserCursor};
use embark_store::workspaces::{self, Workspace};
use embark_store::{audit, emails, sessions, Engine, Store, StoreError};

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
    workspaces::create(store.pool(), &name, "Europe/Paris", at(0)).await.expect("create workspace")
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
    users::create(store.pool(), new, at(0)).await
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
    let before = jobs::due(store.pool(), everything, 1000).await.unwrap();
    let new = NewJob { kind, payload: "{}", run_at, idempotency_key: None };
    assert!(jobs::enqueue(store.pool(), new, at(0)).await.unwrap());
    let after = jobs::due(store.pool(), everything, 1000).await.unwrap();
    let added: Vec<JobId> = after.into_iter().filter(|id| !before.contains(id)).collect();
    assert_eq!(added.len(), 1, "one job enqueued");
    added[0]
}

// ---------------------------------------------------------------------------
// Readiness and migrations
// ---------------------------------------------------------------------------

#[test]
fn migrated_store_is_ready_and_migrating_again_is_harmless() {
    for_each_engine(|store| async move {
        assert!(store.is_ready().await.unwrap(), "ready after migrate");
        store.migrate().await.expect("a second migrate is a no-op");
        assert!(store.is_ready().await.unwrap(), "still ready after a second migrate");
        // The schema is usable after the second run.
        workspace(&store, "Acme").await;
    });
}

#[test]
fn unmigrated_store_is_not_ready_until_migrated() {
    for_each_unmigrated_engine(|store| async move {
        assert!(!store.is_ready().await.unwrap(), "not ready before migrate");
        store.migrate().await.unwrap();
        assert!(store.is_ready().await.unwrap(), "ready after migrate");
    });
}

// ---------------------------------------------------------------------------
// Workspaces
// ---------------------------------------------------------------------------

#[test]
fn workspaces_are_found_by_id_and_by_name_case_insensitively() {
    for_each_engine(|store| async move {
        let acme = workspace(&store, "Acme Onboarding").await;
        workspace(&store, "Globex").await;
        assert_eq!(acme.name, "Acme Onboarding");
        assert_eq!(acme.time_zone, "Europe/Paris");

        for query in ["Acme Onboarding", "acme onboarding", "ACME ONBOARDING", "  aCmE oNbOaRdInG "] {
            let found = workspaces::find_by_name(store.pool(), query).await.unwrap();
            assert_eq!(found.as_ref(), Some(&acme), "find_by_name({query:?})");
        }
        assert_eq!(workspaces::find_by_name(store.pool(), "Acme").await.unwrap(), None);
        assert_eq!(workspaces::get(store.pool(), acme.id).await.unwrap(), Some(acme));
        assert_eq!(workspaces::get(store.pool(), WorkspaceId::new()).await.unwrap(), None);
    });
}

#[test]
fn duplicate_workspace_name_is_a_conflict_on_workspaces_name_key() {
    for_each_engine(|store| async move {
        workspace(&store, "Acme").await;
        for duplicate in ["Acme", "ACME", "acme"] {
            let name = WorkspaceName::parse(duplicate).unwrap();
            let result = workspaces::create(store.pool(), &name, "UTC", at(1)).await;
            assert_conflict(result, "workspaces_name_key");
        }
    });
}

// ---------------------------------------------------------------------------
// Users
// ---------------------------------------------------------------------------

#[test]
fn users_are_created_and_read_back_by_id_and_email() {
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        let anne = user(&store, ws.id, "Anne@Example.com", "Anne Martin", Role::AccountManager).await;
        assert_eq!(anne.email, "anne@example.com");
        assert!(anne.active && anne.has_password);

        let got = users::get(store.pool(), ws.id, anne.id).await.unwrap();
        assert_eq!(got.as_ref(), Some(&anne));
        let found = users::find_by_email(store.pool(), ws.id, &email("anne@example.com")).await.unwrap();
        assert_eq!(found.as_ref(), Some(&anne));
        assert_eq!(users::find_by_email(store.pool(), ws.id, &email("bob@example.com")).await.unwrap(), None);
        assert_eq!(users::get(store.pool(), ws.id, UserId::new()).await.unwrap(), None);

        let no_password = {
            let address = email("carl@example.com");
            let name = DisplayName::parse("Carl").unwrap();
            let new = NewUser {
                workspace_id: ws.id,
                email: &address,
                name: &name,
                role: Role::NewHire,
                locale: Locale::Fr,
                password_hash: None,
            };
            users::create(store.pool(), new, at(5)).await.unwrap()
        };
        let got = users::get(store.pool(), ws.id, no_password.id).await.unwrap().unwrap();
        assert!(!got.has_password);
        assert_eq!((got.role, got.locale, got.created_at), (Role::NewHire, Locale::Fr, at(5)));
        assert_eq!(users::count_up_to(store.pool(), ws.id, 100).await.unwrap(), 2);
    });
}

#[test]
fn duplicate_email_in_a_workspace_is_a_conflict_but_allowed_in_another() {
    for_each_engine(|store| async move {
        let acme = workspace(&store, "Acme").await;
        let globex = workspace(&store, "Globex").await;
        user(&store, acme.id, "anne@example.com", "Anne", Role::Admin).await;

        let again = try_user(&store, acme.id, "ANNE@example.com", "Anne Again", Role::Coach).await;
        assert_conflict(again, users::EMAIL_TAKEN);
        assert_eq!(users::EMAIL_TAKEN, "users_workspace_email_key");

        let elsewhere = user(&store, globex.id, "anne@example.com", "Anne at Globex", Role::Admin).await;
        assert_eq!(elsewhere.workspace_id, globex.id);
        assert_eq!(users::count_up_to(store.pool(), acme.id, 100).await.unwrap(), 1);
        assert_eq!(users::count_up_to(store.pool(), globex.id, 100).await.unwrap(), 1);
    });
}

#[test]
fn users_of_another_workspace_are_invisible_and_untouchable() {
    for_each_engine(|store| async move {
        let acme = workspace(&store, "Acme").await;
        let globex = workspace(&store, "Globex").await;
        let anne = user(&store, acme.id, "anne@example.com", "Anne", Role::AccountManager).await;

        assert_eq!(users::get(store.pool(), globex.id, anne.id).await.unwrap(), None);
        assert_eq!(users::find_by_email(store.pool(), globex.id, &email("anne@example.com")).await.unwrap(), None);
        let db = store.pool();
        assert!(!users::set_role(db, globex.id, anne.id, Role::Admin, at(1)).await.unwrap());
        assert!(!users::set_active(db, globex.id, anne.id, false, at(1)).await.unwrap());
        assert!(!users::set_locale(db, globex.id, anne.id, Locale::Fr, at(1)).await.unwrap());
        assert!(!users::set_password_hash(db, globex.id, anne.id, "$argon2id$evil", at(1)).await.unwrap());

        // Nothing changed.
        assert_eq!(users::get(db, acme.id, anne.id).await.unwrap(), Some(anne));
    });
}

#[test]
fn user_setters_change_role_activity_locale_and_password() {
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        let carl = {
            let address = email("carl@example.com");
            let name = DisplayName::parse("Carl").unwrap();
            let new = NewUser {
                workspace_id: ws.id,
                email: &address,
                name: &name,
                role: Role::NewHire,
                locale: Locale::En,
                password_hash: None,
            };
            users::create(store.pool(), new, at(0)).await.unwrap()
        };
        let db = store.pool();
        assert!(users::set_role(db, ws.id, carl.id, Role::Manager, at(1)).await.unwrap());
        assert!(users::set_locale(db, ws.id, carl.id, Locale::Fr, at(2)).await.unwrap());
        assert!(users::set_password_hash(db, ws.id, carl.id, "$argon2id$new", at(3)).await.unwrap());
        assert!(users::set_active(db, ws.id, carl.id, false, at(4)).await.unwrap());
        let got = users::get(db, ws.id, carl.id).await.unwrap().unwrap();
        assert_eq!((got.role, got.locale, got.has_password, got.active), (Role::Manager, Locale::Fr, true, false));

        assert!(users::set_active(db, ws.id, carl.id, true, at(5)).await.unwrap());
        assert!(users::get(db, ws.id, carl.id).await.unwrap().unwrap().active);
        // An unknown id changes nothing.
        assert!(!users::set_role(db, ws.id, UserId::new(), Role::Admin, at(6)).await.unwrap());
    });
}

#[test]
fn user_list_pages_through_everyone_once_in_name_order() {
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        let other = workspace(&store, "Globex").await;
        user(&store, other.id, "intruder@example.com", "Aaron Intruder", Role::Admin).await;

        // 25 people, inserted out of order, three per name (in different cases) so
        // that ties on the name are broken by id, including across a page boundary.
        let spellings = ["Member", "MEMBER", "member"];
        let mut created = Vec::new();
        for n in 0..25 {
            let i = (n * 7) % 25;
            let name = format!("{}{:02}", spellings[i % 3], i / 3);
            created.push(user(&store, ws.id, &format!("m{i}@example.com"), &name, Role::NewHire).await);
        }
        let mut expected: Vec<(String, String)> =
            created.iter().map(|u| (u.name.to_lowercase(), u.id.to_string())).collect();
        expected.sort();
        let expected: Vec<String> = expected.into_iter().map(|(_, id)| id).collect();

        let mut seen = Vec::new();
        let mut cursor: Option<UserCursor> = None;
        let mut pages = 0;
        loop {
            let page = users::list(store.pool(), ws.id, cursor.as_ref(), 10).await.unwrap();
            assert!(page.len() <= 10, "a page holds at most the limit");
            pages += 1;
            assert!(pages <= 4, "pagination does not terminate");
            let Some(last) = page.last() else { break };
            cursor = Some(UserCursor::after(last));
            assert!(page.iter().all(|u| u.workspace_id == ws.id), "only this workspace's people");
            seen.extend(page.iter().map(|u| u.id.to_string()));
        }
        assert_eq!(pages, 4, "pages of 10, 10, 5, then an empty one");
        assert_eq!(seen, expected, "every person exactly once, by name then id");
        assert_eq!(users::count_up_to(store.pool(), ws.id, 100).await.unwrap(), 25);
        assert_eq!(users::count_up_to(store.pool(), ws.id, 10).await.unwrap(), 10, "the count stops at its limit");
    });
}

#[test]
fn credentials_by_email_only_returns_active_users() {
    for_each_engine(|store| async move {
        let acme = workspace(&store, "Acme").await;
        let globex = workspace(&store, "Globex").await;
        let initech = workspace(&store, "Initech").await;
        let at_acme = user(&store, acme.id, "anne@example.com", "Anne", Role::Admin).await;
        let at_globex = user(&store, globex.id, "anne@example.com", "Anne", Role::Coach).await;
        let at_initech = user(&store, initech.id, "anne@example.com", "Anne", Role::Coach).await;
        user(&store, acme.id, "bob@example.com", "Bob", Role::Admin).await;
        assert!(users::set_active(store.pool(), globex.id, at_globex.id, false, at(1)).await.unwrap());

        let found = users::credentials_by_email(store.pool(), &email("anne@example.com")).await.unwrap();
        let ids: Vec<UserId> = found.iter().map(|c| c.user.id).collect();
        assert_eq!(ids.len(), 2, "the deactivated account is left out: {ids:?}");
        assert!(ids.contains(&at_acme.id) && ids.contains(&at_initech.id));
        assert!(found.iter().all(|c| c.user.active && c.password_hash.as_deref() == Some("$argon2id$test")));

        assert!(users::credentials_by_email(store.pool(), &email("nobody@example.com")).await.unwrap().is_empty());
    });
}

#[test]
fn active_admins_counts_only_active_admins_of_the_workspace() {
    for_each_engine(|store| async move {
        let acme = workspace(&store, "Acme").await;
        let globex = workspace(&store, "Globex").await;
        let anne = user(&store, acme.id, "anne@example.com", "Anne", Role::Admin).await;
        let bob = user(&store, acme.id, "bob@example.com", "Bob", Role::Admin).await;
        user(&store, acme.id, "carl@example.com", "Carl", Role::AccountManager).await;
        user(&store, globex.id, "dora@example.com", "Dora", Role::Admin).await;
        let db = store.pool();
        assert_eq!(users::active_admins(db, acme.id).await.unwrap(), 2);

        users::set_active(db, acme.id, anne.id, false, at(1)).await.unwrap();
        assert_eq!(users::active_admins(db, acme.id).await.unwrap(), 1);
        users::set_role(db, acme.id, bob.id, Role::Coach, at(2)).await.unwrap();
        assert_eq!(users::active_admins(db, acme.id).await.unwrap(), 0);
        assert_eq!(users::active_admins(db, globex.id).await.unwrap(), 1);
    });
}

#[test]
fn foreign_key_violation_is_a_conflict() {
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        // A session for a person who does not exist.
        let result = sessions::create(store.pool(), "hash", UserId::new(), ws.id, at(0), at(HOUR)).await;
        assert!(matches!(result, Err(StoreError::Conflict { .. })), "expected a Conflict, got {result:?}");
    });
}

// ---------------------------------------------------------------------------
// Sessions
// ---------------------------------------------------------------------------

#[test]
fn session_principal_is_found_until_expiry() {
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        let anne = user(&store, ws.id, "anne@example.com", "Anne", Role::AccountManager).await;
        sessions::create(store.pool(), "s1", anne.id, ws.id, at(0), at(HOUR)).await.unwrap();

        let principal = sessions::principal(store.pool(), "s1", at(1)).await.unwrap().expect("live session");
        assert_eq!(principal.user, anne);
        assert_eq!(principal.workspace_name, "Acme");
        assert_eq!(principal.workspace_time_zone, "Europe/Paris");
        assert!(sessions::principal(store.pool(), "s1", at(HOUR - 1)).await.unwrap().is_some());
        assert!(sessions::principal(store.pool(), "s1", at(HOUR)).await.unwrap().is_none(), "expired at expires_at");
        assert!(sessions::principal(store.pool(), "s1", at(2 * HOUR)).await.unwrap().is_none());
        assert!(sessions::principal(store.pool(), "unknown", at(1)).await.unwrap().is_none());
    });
}

#[test]
fn session_principal_is_none_while_the_user_is_deactivated() {
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        let anne = user(&store, ws.id, "anne@example.com", "Anne", Role::AccountManager).await;
        sessions::create(store.pool(), "s1", anne.id, ws.id, at(0), at(HOUR)).await.unwrap();

        users::set_active(store.pool(), ws.id, anne.id, false, at(1)).await.unwrap();
        assert!(sessions::principal(store.pool(), "s1", at(2)).await.unwrap().is_none());
        users::set_active(store.pool(), ws.id, anne.id, true, at(3)).await.unwrap();
        assert!(sessions::principal(store.pool(), "s1", at(4)).await.unwrap().is_some());
    });
}

#[test]
fn sessions_are_deleted_one_by_one_per_user_and_when_expired() {
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        let anne = user(&store, ws.id, "anne@example.com", "Anne", Role::Admin).await;
        let bob = user(&store, ws.id, "bob@example.com", "Bob", Role::Admin).await;
        let db = store.pool();
        for (hash, who, expires) in [
            ("a1", anne.id, HOUR),
            ("a2", anne.id, HOUR),
            ("a3", anne.id, HOUR),
            ("b1", bob.id, HOUR),
            ("b2", bob.id, 10 * MINUTE),
            ("b3", bob.id, 20 * MINUTE),
        ] {
            sessions::create(db, hash, who, ws.id, at(0), at(expires)).await.unwrap();
        }
        let live = |hash: &'static str, now: i64| {
            let store = store.clone();
            async move { sessions::principal(store.pool(), hash, at(now)).await.unwrap().is_some() }
        };

        sessions::delete(db, "a1").await.unwrap();
        assert!(!live("a1", 1).await);
        assert!(live("a2", 1).await);

        assert_eq!(sessions::delete_for_user(db, anne.id).await.unwrap(), 2);
        assert!(!live("a2", 1).await && !live("a3", 1).await);
        assert!(live("b1", 1).await, "another person's sessions stay");

        // At 20 minutes: b2 expired earlier, b3 expires exactly now, b1 is live.
        assert_eq!(sessions::delete_expired(db, at(20 * MINUTE)).await.unwrap(), 2);
        assert!(live("b1", 20 * MINUTE).await);
        assert_eq!(sessions::delete_expired(db, at(20 * MINUTE)).await.unwrap(), 0);
    });
}

// ---------------------------------------------------------------------------
// Magic links
// ---------------------------------------------------------------------------

#[test]
fn magic_link_is_armed_then_found_by_its_token() {
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        let carl = user(&store, ws.id, "carl@example.com", "Carl", Role::ClientContact).await;
        let db = store.pool();
        let id = magic_links::create(db, ws.id, carl.id, Purpose::SignIn, at(0), at(15 * MINUTE)).await.unwrap();
        assert!(magic_links::find_by_token(db, "t1").await.unwrap().is_none(), "no token before arming");

        let link = magic_links::arm(db, id, "t1").await.unwrap().expect("armed");
        assert_eq!(
            (link.id, link.workspace_id, link.user_id, link.purpose, link.expires_at, link.used_at),
            (id, ws.id, carl.id, Purpose::SignIn, at(15 * MINUTE), None)
        );
        assert_eq!(magic_links::find_by_token(db, "t1").await.unwrap(), Some(link));

        // Sending the email again mints a new token; the old one stops working.
        magic_links::arm(db, id, "t2").await.unwrap().expect("re-armed");
        assert!(magic_links::find_by_token(db, "t1").await.unwrap().is_none());
        assert_eq!(magic_links::find_by_token(db, "t2").await.unwrap().map(|l| l.id), Some(id));

        let invitation = magic_links::create(db, ws.id, carl.id, Purpose::Invitation, at(0), at(HOUR)).await.unwrap();
        let armed = magic_links::arm(db, invitation, "t3").await.unwrap().unwrap();
        assert_eq!(armed.purpose, Purpose::Invitation);
        assert!(magic_links::arm(db, embark_core::MagicLinkId::new(), "t4").await.unwrap().is_none());
    });
}

#[test]
fn magic_link_token_hashes_are_unique() {
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        let carl = user(&store, ws.id, "carl@example.com", "Carl", Role::ClientContact).await;
        let db = store.pool();
        let first = magic_links::create(db, ws.id, carl.id, Purpose::SignIn, at(0), at(HOUR)).await.unwrap();
        let second = magic_links::create(db, ws.id, carl.id, Purpose::SignIn, at(0), at(HOUR)).await.unwrap();
        magic_links::arm(db, first, "same").await.unwrap().unwrap();
        assert_conflict(magic_links::arm(db, second, "same").await, "magic_links_token_key");
    });
}

#[test]
fn magic_link_is_consumed_only_once() {
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        let carl = user(&store, ws.id, "carl@example.com", "Carl", Role::ClientContact).await;
        let db = store.pool();
        let id = magic_links::create(db, ws.id, carl.id, Purpose::SignIn, at(0), at(15 * MINUTE)).await.unwrap();
        magic_links::arm(db, id, "t1").await.unwrap().unwrap();

        let used = magic_links::consume(db, "t1", at(MINUTE)).await.unwrap().expect("first use");
        assert_eq!((used.id, used.used_at), (id, Some(at(MINUTE))));
        assert!(magic_links::consume(db, "t1", at(MINUTE + 1)).await.unwrap().is_none(), "second use refused");
        assert!(magic_links::consume(db, "unknown", at(MINUTE)).await.unwrap().is_none());

        // Still found (used), so the caller can say "this link was already used".
        let found = magic_links::find_by_token(db, "t1").await.unwrap().unwrap();
        assert_eq!(found.used_at, Some(at(MINUTE)));
        // A used link cannot be armed again.
        assert!(magic_links::arm(db, id, "t2").await.unwrap().is_none());
        assert!(magic_links::find_by_token(db, "t2").await.unwrap().is_none());
    });
}

#[test]
fn magic_link_is_not_consumed_after_it_expires() {
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        let carl = user(&store, ws.id, "carl@example.com", "Carl", Role::ClientContact).await;
        let db = store.pool();
        let id = magic_links::create(db, ws.id, carl.id, Purpose::SignIn, at(0), at(15 * MINUTE)).await.unwrap();
        magic_links::arm(db, id, "t1").await.unwrap().unwrap();

        assert!(magic_links::consume(db, "t1", at(15 * MINUTE)).await.unwrap().is_none(), "expired at expires_at");
        assert!(magic_links::consume(db, "t1", at(HOUR)).await.unwrap().is_none());
        // The refused attempts did not mark it used.
        assert_eq!(magic_links::find_by_token(db, "t1").await.unwrap().unwrap().used_at, None);
        assert!(magic_links::consume(db, "t1", at(15 * MINUTE - 1)).await.unwrap().is_some());
    });
}

#[test]
fn magic_links_of_a_person_are_revoked_together() {
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        let carl = user(&store, ws.id, "carl@example.com", "Carl", Role::ClientContact).await;
        let dora = user(&store, ws.id, "dora@example.com", "Dora", Role::ClientContact).await;
        let db = store.pool();
        let mut tokens = Vec::new();
        for (i, who) in [carl.id, carl.id, carl.id, dora.id].into_iter().enumerate() {
            let id = magic_links::create(db, ws.id, who, Purpose::SignIn, at(0), at(HOUR)).await.unwrap();
            let token = format!("t{i}");
            magic_links::arm(db, id, &token).await.unwrap().unwrap();
            tokens.push(token);
        }
        magic_links::consume(db, &tokens[0], at(1)).await.unwrap().unwrap();

        assert_eq!(magic_links::revoke_for_user(db, carl.id, at(2)).await.unwrap(), 2, "the two unused links");
        assert!(magic_links::consume(db, &tokens[1], at(3)).await.unwrap().is_none());
        assert!(magic_links::consume(db, &tokens[2], at(3)).await.unwrap().is_none());
        let first = magic_links::find_by_token(db, &tokens[0]).await.unwrap().unwrap();
        assert_eq!(first.used_at, Some(at(1)), "an already used link keeps its use time");
        assert!(magic_links::consume(db, &tokens[3], at(3)).await.unwrap().is_some(), "another person's link");
    });
}

// ---------------------------------------------------------------------------
// API tokens
// ---------------------------------------------------------------------------

async fn api_token(store: &Store, ws: WorkspaceId, who: UserId, name: &str, hash: &str, now: Timestamp) -> ApiTokenId {
    let new = NewApiToken { workspace_id: ws, user_id: who, name, token_hash: hash, prefix: &hash[..2] };
    let token = api_tokens::create(store.pool(), new, now).await.unwrap();
    assert_eq!((token.name.as_str(), token.created_at, token.revoked_at), (name, now, None));
    token.id
}

#[test]
fn api_token_principal_is_found_until_the_token_is_revoked() {
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        let anne = user(&store, ws.id, "anne@example.com", "Anne", Role::AccountManager).await;
        let anne_id = anne.id;
        let id = api_token(&store, ws.id, anne.id, "laptop", "h1", at(0)).await;
        let db = store.pool();

        let (principal, token_id, last_used) = api_tokens::principal(db, "h1").await.unwrap().expect("live token");
        assert_eq!((principal.user, principal.workspace_name.as_str(), token_id, last_used), (anne, "Acme", id, None));
        assert!(api_tokens::principal(db, "unknown").await.unwrap().is_none());

        assert!(api_tokens::revoke(db, ws.id, anne_id, id, at(1)).await.unwrap());
        assert!(api_tokens::principal(db, "h1").await.unwrap().is_none(), "revoked");
        assert!(!api_tokens::revoke(db, ws.id, anne_id, id, at(2)).await.unwrap(), "already revoked");
    });
}

#[test]
fn api_token_is_revoked_only_by_its_owner() {
    for_each_engine(|store| async move {
        let acme = workspace(&store, "Acme").await;
        let globex = workspace(&store, "Globex").await;
        let anne = user(&store, acme.id, "anne@example.com", "Anne", Role::AccountManager).await;
        let bob = user(&store, acme.id, "bob@example.com", "Bob", Role::Admin).await;
        let id = api_token(&store, acme.id, anne.id, "laptop", "h1", at(0)).await;
        let db = store.pool();

        assert!(!api_tokens::revoke(db, acme.id, bob.id, id, at(1)).await.unwrap(), "another person");
        assert!(!api_tokens::revoke(db, globex.id, anne.id, id, at(1)).await.unwrap(), "another workspace");
        assert!(api_tokens::principal(db, "h1").await.unwrap().is_some(), "still live");
        assert!(api_tokens::list_for_user(db, globex.id, anne.id).await.unwrap().is_empty());
        assert!(api_tokens::list_for_user(db, acme.id, bob.id).await.unwrap().is_empty());

        assert!(api_tokens::revoke(db, acme.id, anne.id, id, at(2)).await.unwrap());
        let listed = api_tokens::list_for_user(db, acme.id, anne.id).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].revoked_at, Some(at(2)));
    });
}

#[test]
fn api_tokens_are_listed_newest_first_and_touched_on_use() {
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        let anne = user(&store, ws.id, "anne@example.com", "Anne", Role::AccountManager).await;
        let bob = user(&store, ws.id, "bob@example.com", "Bob", Role::AccountManager).await;
        // Created out of order.
        let middle = api_token(&store, ws.id, anne.id, "middle", "h2", at(2000)).await;
        let oldest = api_token(&store, ws.id, anne.id, "oldest", "h1", at(1000)).await;
        let newest = api_token(&store, ws.id, anne.id, "newest", "h3", at(3000)).await;
        api_token(&store, ws.id, bob.id, "bob's", "h4", at(4000)).await;
        let db = store.pool();

        let listed = api_tokens::list_for_user(db, ws.id, anne.id).await.unwrap();
        let ids: Vec<ApiTokenId> = listed.iter().map(|t| t.id).collect();
        assert_eq!(ids, vec![newest, middle, oldest]);
        assert_eq!(listed[0].prefix, "h3");
        assert!(listed.iter().all(|t| t.last_used_at.is_none()));

        api_tokens::touch(db, middle, at(9000)).await.unwrap();
        let (_, id, last_used) = api_tokens::principal(db, "h2").await.unwrap().unwrap();
        assert_eq!((id, last_used), (middle, Some(at(9000))));
        let listed = api_tokens::list_for_user(db, ws.id, anne.id).await.unwrap();
        assert_eq!(listed[1].last_used_at, Some(at(9000)));
        assert_eq!(listed[0].last_used_at, None);
    });
}

#[test]
fn api_token_of_a_deactivated_user_has_no_principal() {
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        let anne = user(&store, ws.id, "anne@example.com", "Anne", Role::AccountManager).await;
        api_token(&store, ws.id, anne.id, "laptop", "h1", at(0)).await;
        users::set_active(store.pool(), ws.id, anne.id, false, at(1)).await.unwrap();
        assert!(api_tokens::principal(store.pool(), "h1").await.unwrap().is_none());
    });
}

#[test]
fn api_token_hashes_are_unique() {
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        let anne = user(&store, ws.id, "anne@example.com", "Anne", Role::AccountManager).await;
        api_token(&store, ws.id, anne.id, "one", "same", at(0)).await;
        let new = NewApiToken { workspace_id: ws.id, user_id: anne.id, name: "two", token_hash: "same", prefix: "sa" };
        assert_conflict(api_tokens::create(store.pool(), new, at(1)).await, "api_tokens_hash_key");
    });
}

// ---------------------------------------------------------------------------
// Jobs
// ---------------------------------------------------------------------------

#[test]
fn job_with_the_same_idempotency_key_is_enqueued_once() {
    for_each_engine(|store| async move {
        let db = store.pool();
        let keyed = |payload: &'static str| NewJob {
            kind: "email",
            payload,
            run_at: at(0),
            idempotency_key: Some("welcome:anne"),
        };
        assert!(jobs::enqueue(db, keyed("first"), at(0)).await.unwrap());
        assert!(!jobs::enqueue(db, keyed("second"), at(1)).await.unwrap(), "same key");
        // Jobs without a key are never deduplicated.
        for _ in 0..2 {
            let unkeyed = NewJob { kind: "email", payload: "{}", run_at: at(0), idempotency_key: None };
            assert!(jobs::enqueue(db, unkeyed, at(0)).await.unwrap());
        }
        assert_eq!(jobs::counts(db).await.unwrap(), QueueCounts { pending: 3, done: 0, failed: 0 });

        let due = jobs::due(db, at(0), 10).await.unwrap();
        let mut payloads = Vec::new();
        for id in due {
            payloads.push(jobs::claim(db, id, "w", at(0), at(MINUTE)).await.unwrap().unwrap().payload);
        }
        assert_eq!(payloads.iter().filter(|p| *p == "first").count(), 1);
        assert!(!payloads.iter().any(|p| p == "second"), "the second enqueue was dropped");
    });
}

#[test]
fn due_jobs_come_oldest_first_and_future_jobs_wait() {
    for_each_engine(|store| async move {
        let c = job(&store, "c", at(3000)).await;
        let a = job(&store, "a", at(1000)).await;
        let later = job(&store, "later", at(HOUR)).await;
        let b = job(&store, "b", at(2000)).await;
        let db = store.pool();

        assert_eq!(jobs::due(db, at(10_000), 10).await.unwrap(), vec![a, b, c]);
        assert_eq!(jobs::due(db, at(10_000), 2).await.unwrap(), vec![a, b], "limit");
        assert_eq!(jobs::due(db, at(2000), 10).await.unwrap(), vec![a, b], "run_at <= now is due");
        assert!(jobs::due(db, at(999), 10).await.unwrap().is_empty());
        assert!(jobs::claim(db, later, "w", at(10_000), at(20_000)).await.unwrap().is_none(), "not due yet");
        assert_eq!(jobs::due(db, at(HOUR), 10).await.unwrap(), vec![a, b, c, later]);
    });
}

#[test]
fn concurrent_claims_of_a_job_have_exactly_one_winner() {
    for_each_engine(|store| async move {
        let mut ids = Vec::new();
        for i in 0..50 {
            ids.push(job(&store, &format!("job{i}"), at(i)).await);
        }
        // Open every connection of the pool first, so that the claims below reach
        // the database at the same time instead of waiting for a new connection.
        let mut held = Vec::new();
        for _ in 0..POOL_SIZE {
            held.push(store.pool().acquire().await.unwrap());
        }
        drop(held);

        let claim = |id: JobId, worker: &'static str| jobs::claim(store.pool(), id, worker, at(100), at(100 + MINUTE));
        for id in ids {
            let (one, two, three, four) =
                tokio::join!(claim(id, "w1"), claim(id, "w2"), claim(id, "w3"), claim(id, "w4"));
            let winners: Vec<_> =
                [one.unwrap(), two.unwrap(), three.unwrap(), four.unwrap()].into_iter().flatten().collect();
            assert_eq!(winners.len(), 1, "exactly one of four concurrent claims wins job {id:?}");
            assert_eq!((winners[0].id, winners[0].attempt), (id, 1));
        }
        assert!(jobs::due(store.pool(), at(200), 100).await.unwrap().is_empty(), "all leased");
    });
}

#[test]
fn claimed_job_is_held_until_its_lease_expires() {
    for_each_engine(|store| async move {
        let id = job(&store, "email", at(0)).await;
        let db = store.pool();
        let lease_end = 5 * MINUTE;

        let first = jobs::claim(db, id, "w1", at(10), at(lease_end)).await.unwrap().expect("claimed");
        assert_eq!((first.kind.as_str(), first.payload.as_str(), first.attempt), ("email", "{}", 1));
        assert!(jobs::due(db, at(20), 10).await.unwrap().is_empty(), "leased jobs are not due");
        assert!(jobs::claim(db, id, "w2", at(20), at(lease_end + 20)).await.unwrap().is_none());
        assert!(jobs::due(db, at(lease_end), 10).await.unwrap().is_empty(), "held up to the lease end");

        // The worker died: once the lease has expired, another worker takes over.
        assert_eq!(jobs::due(db, at(lease_end + 1), 10).await.unwrap(), vec![id]);
        let second =
            jobs::claim(db, id, "w2", at(lease_end + 1), at(2 * lease_end)).await.unwrap().expect("re-claimed");
        assert_eq!(second.attempt, 2);
        assert_eq!(jobs::counts(db).await.unwrap(), QueueCounts { pending: 1, done: 0, failed: 0 });
    });
}

#[test]
fn retried_job_runs_again_at_its_new_time() {
    for_each_engine(|store| async move {
        let id = job(&store, "webhook", at(0)).await;
        let db = store.pool();
        // The worker fails fast, long before its lease would have ended.
        jobs::claim(db, id, "w", at(0), at(HOUR)).await.unwrap().unwrap();

        jobs::retry(db, id, at(10 * MINUTE), "connection refused").await.unwrap();
        assert!(jobs::due(db, at(10 * MINUTE - 1), 10).await.unwrap().is_empty(), "waits for its new run_at");
        assert!(jobs::claim(db, id, "w", at(2 * MINUTE), at(3 * MINUTE)).await.unwrap().is_none());
        assert_eq!(jobs::due(db, at(10 * MINUTE), 10).await.unwrap(), vec![id]);
        let again = jobs::claim(db, id, "w", at(10 * MINUTE), at(11 * MINUTE)).await.unwrap().unwrap();
        assert_eq!(again.attempt, 2);

        let errors = jobs::recent_errors(db, 10).await.unwrap();
        assert_eq!(errors, vec![("webhook".to_string(), "connection refused".to_string())]);
        assert_eq!(jobs::counts(db).await.unwrap(), QueueCounts { pending: 1, done: 0, failed: 0 });
    });
}

#[test]
fn completed_and_failed_jobs_leave_the_queue_and_are_counted() {
    for_each_engine(|store| async move {
        let db = store.pool();
        assert_eq!(jobs::counts(db).await.unwrap(), QueueCounts::default(), "empty queue");
        let done = job(&store, "ok", at(0)).await;
        let failed = job(&store, "broken", at(0)).await;
        let waiting = job(&store, "waiting", at(0)).await;
        for id in [done, failed] {
            jobs::claim(db, id, "w", at(1), at(MINUTE)).await.unwrap().unwrap();
        }
        jobs::complete(db, done, at(2)).await.unwrap();
        jobs::fail(db, failed, at(3), "gave up").await.unwrap();

        assert_eq!(jobs::counts(db).await.unwrap(), QueueCounts { pending: 1, done: 1, failed: 1 });
        assert_eq!(jobs::due(db, at(HOUR), 10).await.unwrap(), vec![waiting], "finished jobs are never due");
        assert!(jobs::claim(db, done, "w", at(HOUR), at(2 * HOUR)).await.unwrap().is_none());
        assert!(jobs::claim(db, failed, "w", at(HOUR), at(2 * HOUR)).await.unwrap().is_none());
        let errors = jobs::recent_errors(db, 10).await.unwrap();
        assert_eq!(errors, vec![("broken".to_string(), "gave up".to_string())]);
    });
}

// ---------------------------------------------------------------------------
// Sent emails
// ---------------------------------------------------------------------------

fn sent_email(n: usize, sent_at: Timestamp) -> emails::SentEmail {
    emails::SentEmail {
        id: EmailId::new(),
        to_addr: format!("person{n}@example.com"),
        subject: format!("Welcome {n}"),
        kind: "welcome".to_string(),
        locale: if n.is_multiple_of(2) { Locale::En } else { Locale::Fr },
        transport: "outbox".to_string(),
        outbox_file: n.is_multiple_of(3).then(|| format!("{n}.eml")),
        sent_at,
    }
}

#[test]
fn sent_emails_page_newest_first_across_pages() {
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        let other = workspace(&store, "Globex").await;
        emails::record(store.pool(), other.id, &sent_email(99, at(HOUR))).await.unwrap();

        // 25 emails, recorded out of order, three per instant so that ties on the
        // time are broken by id, including across a page boundary.
        let mut sent = Vec::new();
        for n in 0..25 {
            let i = (n * 7) % 25;
            let email = sent_email(i, at((i / 3) as i64 * 1000));
            emails::record(store.pool(), ws.id, &email).await.unwrap();
            sent.push(email);
        }
        let mut expected: Vec<(i64, String, EmailId)> =
            sent.iter().map(|e| (e.sent_at.as_millis(), e.id.to_string(), e.id)).collect();
        expected.sort();
        expected.reverse();
        let expected: Vec<EmailId> = expected.into_iter().map(|(_, _, id)| id).collect();

        let mut seen = Vec::new();
        let mut before = None;
        let mut pages = 0;
        loop {
            let page = emails::list(store.pool(), ws.id, before, 10).await.unwrap();
            assert!(page.len() <= 10);
            pages += 1;
            assert!(pages <= 4, "pagination does not terminate");
            let Some(last) = page.last() else { break };
            before = Some((last.sent_at, last.id));
            for email in &page {
                let original = sent.iter().find(|e| e.id == email.id).expect("one of this workspace's emails");
                assert_eq!(email, original, "round trip");
            }
            seen.extend(page.iter().map(|e| e.id));
        }
        assert_eq!(pages, 4);
        assert_eq!(seen, expected, "every email exactly once, newest first");
    });
}

#[test]
fn sent_email_of_another_workspace_is_invisible() {
    for_each_engine(|store| async move {
        let acme = workspace(&store, "Acme").await;
        let globex = workspace(&store, "Globex").await;
        let email = sent_email(3, at(0));
        emails::record(store.pool(), acme.id, &email).await.unwrap();

        assert_eq!(emails::get(store.pool(), acme.id, email.id).await.unwrap().as_ref(), Some(&email));
        assert_eq!(emails::get(store.pool(), globex.id, email.id).await.unwrap(), None);
        assert!(emails::list(store.pool(), globex.id, None, 10).await.unwrap().is_empty());
        assert_eq!(emails::get(store.pool(), acme.id, EmailId::new()).await.unwrap(), None);
    });
}

// ---------------------------------------------------------------------------
// Audit trail
// ---------------------------------------------------------------------------

#[test]
fn audit_latest_returns_the_newest_events_of_the_workspace() {
    for_each_engine(|store| async move {
        let acme = workspace(&store, "Acme").await;
        let globex = workspace(&store, "Globex").await;
        let anne = user(&store, acme.id, "anne@example.com", "Anne", Role::Admin).await;
        let db = store.pool();
        let subject = anne.id.to_string();
        audit::record(db, acme.id, Some(anne.id), "user.invited", Some(&subject), "{\"role\":\"admin\"}", at(1000))
            .await
            .unwrap();
        audit::record(db, acme.id, None, "workspace.created", None, "{}", at(0)).await.unwrap();
        audit::record(db, acme.id, Some(anne.id), "user.role_changed", Some(&subject), "{}", at(3000)).await.unwrap();
        audit::record(db, globex.id, None, "elsewhere", None, "{}", at(9000)).await.unwrap();

        let latest = audit::latest(db, acme.id, 2).await.unwrap();
        let actions: Vec<&str> = latest.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["user.role_changed", "user.invited"]);
        assert_eq!(
            latest[1],
            audit::AuditEvent {
                actor_id: Some(anne.id.to_string()),
                action: "user.invited".into(),
                subject_id: Some(subject.clone()),
                detail: "{\"role\":\"admin\"}".into(),
                at: at(1000),
            }
        );
        let all = audit::latest(db, acme.id, 10).await.unwrap();
        assert_eq!(all.len(), 3, "only this workspace's events");
        assert_eq!((all[2].action.as_str(), all[2].actor_id.as_deref(), all[2].at), ("workspace.created", None, at(0)));
    });
}

// ---------------------------------------------------------------------------
// Playbooks and engagements
// ---------------------------------------------------------------------------

use embark_core::engagement::{EngagementState, ItemKind, ItemState, PlannedItem};
use embark_core::{EngagementId, PlaybookId};
use embark_store::engagements::{self, BoardFilter};
use embark_store::playbooks::{self, NewPlaybook, NewVersion, VersionRow};

async fn playbook(store: &Store, ws: WorkspaceId, key: &str, source: &str) -> (PlaybookId, VersionRow) {
    let id = playbooks::create(
        store.pool(),
        NewPlaybook { workspace_id: ws, key, language: Locale::En, title: key, kind: "journey", builtin: false },
        at(0),
    )
    .await
    .expect("create playbook");
    let v = version(store, ws, id, source).await;
    (id, v)
}

async fn version(store: &Store, ws: WorkspaceId, id: PlaybookId, source: &str) -> VersionRow {
    let mut conn = store.pool().acquire().await.unwrap();
    let hash = format!("hash-of-{source}");
    let new = NewVersion {
        workspace_id: ws,
        playbook_id: id,
        source,
        content_hash: &hash,
        title: "Title",
        kind: "journey",
        created_by: None,
    };
    playbooks::add_version(&mut conn, new, at(MINUTE)).await.expect("add version")
}

#[test]
fn playbook_versions_are_numbered_and_listed_newest_first() {
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        let (id, v1) = playbook(&store, ws.id, "welcome", "one").await;
        assert_eq!(v1.number, 1);
        let v2 = version(&store, ws.id, id, "two").await;
        assert_eq!(v2.number, 2);
        let row = playbooks::get(store.pool(), ws.id, id).await.unwrap().unwrap();
        assert_eq!((row.latest_version, row.title.as_str()), (2, "Title"));
        let all = playbooks::versions(store.pool(), ws.id, id).await.unwrap();
        assert_eq!(all.iter().map(|v| v.number).collect::<Vec<_>>(), vec![2, 1]);
        assert_eq!(all[1].source, "one", "an old version is never rewritten");
        let found = playbooks::version_by_number(store.pool(), ws.id, id, 1).await.unwrap().unwrap();
        assert_eq!(found.id, v1.id);
        assert_eq!(playbooks::version(store.pool(), ws.id, v2.id).await.unwrap().unwrap().source, "two");
        let by_key = playbooks::find_by_key(store.pool(), ws.id, "welcome", Locale::En).await.unwrap().unwrap();
        assert_eq!(by_key.id, id);
        assert!(playbooks::find_by_key(store.pool(), ws.id, "welcome", Locale::Fr).await.unwrap().is_none());
        assert_eq!(playbooks::workspace_of(store.pool(), id).await.unwrap(), Some(ws.id));
    });
}

#[test]
fn a_playbook_key_is_unique_per_language_and_invisible_to_other_workspaces() {
    for_each_engine(|store| async move {
        let a = workspace(&store, "Acme").await;
        let b = workspace(&store, "Beta").await;
        let (id, v) = playbook(&store, a.id, "welcome", "one").await;
        let again = playbooks::create(
            store.pool(),
            NewPlaybook {
                workspace_id: a.id,
                key: "welcome",
                language: Locale::En,
                title: "x",
                kind: "journey",
                builtin: false,
            },
            at(0),
        )
        .await;
        assert_conflict(again, playbooks::KEY_TAKEN);
        // Another workspace may use the same key, and sees nothing of Acme's.
        playbook(&store, b.id, "welcome", "other").await;
        assert!(playbooks::get(store.pool(), b.id, id).await.unwrap().is_none());
        assert!(playbooks::version(store.pool(), b.id, v.id).await.unwrap().is_none());
        assert!(playbooks::versions(store.pool(), b.id, id).await.unwrap().is_empty());
        assert_eq!(playbooks::list(store.pool(), b.id).await.unwrap().len(), 1);
    });
}

#[test]
fn article_feedback_keeps_one_answer_per_reader() {
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        let ada = user(&store, ws.id, "ada@acme.test", "Ada", Role::Admin).await;
        let bob = user(&store, ws.id, "bob@acme.test", "Bob", Role::Coach).await;
        let (id, _) = playbook(&store, ws.id, "welcome", "one").await;
        playbooks::set_feedback(store.pool(), ws.id, id, ada.id, true, at(0)).await.unwrap();
        playbooks::set_feedback(store.pool(), ws.id, id, ada.id, false, at(MINUTE)).await.unwrap();
        playbooks::set_feedback(store.pool(), ws.id, id, bob.id, true, at(MINUTE)).await.unwrap();
        assert_eq!(playbooks::feedback_counts(store.pool(), ws.id, id).await.unwrap(), (1, 1));
        assert_eq!(playbooks::feedback_of(store.pool(), ws.id, id, ada.id).await.unwrap(), Some(false));
    });
}

fn planned(key: &str, kind: ItemKind, position: i64, due: Option<i64>) -> PlannedItem {
    PlannedItem { key: key.into(), kind, position, owner_role: Some("host".into()), due_at: due.map(at) }
}

async fn engagement(
    store: &Store,
    ws: WorkspaceId,
    owner: UserId,
    playbook: PlaybookId,
    version: &VersionRow,
    title: &str,
) -> EngagementId {
    let items = [
        planned("gate", ItemKind::Gate, 0, Some(HOUR)),
        planned("step", ItemKind::Step, 1, Some(2 * HOUR)),
        planned("step.1", ItemKind::Checkpoint, 2, Some(2 * HOUR)),
    ];
    let mut conn = store.pool().acquire().await.unwrap();
    let new = engagements::NewEngagement {
        workspace_id: ws,
        playbook_id: playbook,
        version_id: version.id,
        title,
        subject: "Subject",
        anchor_at: at(0),
        owner_id: owner,
        created_by: Some(owner),
    };
    engagements::create(&mut conn, new, &items, at(0)).await.expect("create engagement")
}

#[test]
fn an_engagement_keeps_its_items_in_order_and_records_their_changes() {
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        let ada = user(&store, ws.id, "ada@acme.test", "Ada", Role::AccountManager).await;
        let (pid, v) = playbook(&store, ws.id, "welcome", "one").await;
        let id = engagement(&store, ws.id, ada.id, pid, &v, "Search").await;
        let row = engagements::get(store.pool(), ws.id, id).await.unwrap().unwrap();
        assert_eq!((row.version_id, row.version_number, row.state), (v.id, 1, EngagementState::Active));
        assert_eq!(row.owner_name, "Ada");
        let items = engagements::items(store.pool(), ws.id, id).await.unwrap();
        assert_eq!(items.iter().map(|i| i.key.as_str()).collect::<Vec<_>>(), ["gate", "step", "step.1"]);
        assert!(items.iter().all(|i| i.state == ItemState::Todo && i.note.is_empty() && !i.overridden));

        assert!(engagements::set_item_state(
            store.pool(),
            ws.id,
            id,
            "gate",
            ItemState::Done,
            Some(ada.id),
            None,
            at(MINUTE)
        )
        .await
        .unwrap());
        assert!(engagements::set_item_state(
            store.pool(),
            ws.id,
            id,
            "step",
            ItemState::Skipped,
            Some(ada.id),
            Some("not needed"),
            at(MINUTE)
        )
        .await
        .unwrap());
        assert!(!engagements::set_item_state(store.pool(), ws.id, id, "nope", ItemState::Done, None, None, at(MINUTE))
            .await
            .unwrap());
        assert!(engagements::set_item_note(store.pool(), ws.id, id, "step", "called them").await.unwrap());
        assert!(engagements::set_item_overridden(store.pool(), ws.id, id, "step").await.unwrap());
        let items = engagements::items(store.pool(), ws.id, id).await.unwrap();
        assert_eq!(items[0].state, ItemState::Done);
        assert_eq!(items[0].done_by.as_deref(), Some(ada.id.to_string().as_str()));
        assert_eq!(items[0].done_at, Some(at(MINUTE)));
        assert_eq!((items[1].state, items[1].reason.as_deref()), (ItemState::Skipped, Some("not needed")));
        assert_eq!(items[1].note, "called them");
        assert!(items[1].overridden);
        // Reopening clears who closed it.
        engagements::set_item_state(
            store.pool(),
            ws.id,
            id,
            "gate",
            ItemState::Todo,
            Some(ada.id),
            None,
            at(2 * MINUTE),
        )
        .await
        .unwrap();
        let gate = engagements::items(store.pool(), ws.id, id).await.unwrap().remove(0);
        assert_eq!((gate.state, gate.done_by, gate.done_at), (ItemState::Todo, None, None));

        let (eid, item) = engagements::item_by_id(store.pool(), ws.id, gate.id).await.unwrap().unwrap();
        assert_eq!((eid, item.key.as_str()), (id, "gate"));

        engagements::record_event(store.pool(), ws.id, id, Some(ada.id), "created", None, "", at(0)).await.unwrap();
        engagements::record_event(store.pool(), ws.id, id, Some(ada.id), "done", Some("gate"), "", at(MINUTE))
            .await
            .unwrap();
        let events = engagements::events(store.pool(), ws.id, id, 10).await.unwrap();
        assert_eq!(events.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(), ["done", "created"]);
        assert_eq!(events[0].actor_name.as_deref(), Some("Ada"));

        let mut conn = store.pool().acquire().await.unwrap();
        let dues = vec![("gate".to_string(), Some(at(5 * HOUR))), ("step".to_string(), None)];
        engagements::move_anchor(&mut conn, ws.id, id, at(4 * HOUR), &dues, at(3 * MINUTE)).await.unwrap();
        drop(conn);
        let items = engagements::items(store.pool(), ws.id, id).await.unwrap();
        assert_eq!((items[0].due_at, items[1].due_at, items[2].due_at), (Some(at(5 * HOUR)), None, Some(at(2 * HOUR))));
        assert_eq!(engagements::get(store.pool(), ws.id, id).await.unwrap().unwrap().anchor_at, at(4 * HOUR));
    });
}

#[test]
fn participants_are_listed_with_their_people() {
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        let ada = user(&store, ws.id, "ada@acme.test", "Ada", Role::AccountManager).await;
        let cli = user(&store, ws.id, "cli@client.test", "Claire", Role::ClientContact).await;
        let (pid, v) = playbook(&store, ws.id, "welcome", "one").await;
        let id = engagement(&store, ws.id, ada.id, pid, &v, "Search").await;
        engagements::add_participant(store.pool(), ws.id, id, "host", ada.id).await.unwrap();
        engagements::add_participant(store.pool(), ws.id, id, "guest", cli.id).await.unwrap();
        engagements::add_participant(store.pool(), ws.id, id, "guest", cli.id).await.unwrap();
        let people = engagements::participants(store.pool(), ws.id, id).await.unwrap();
        assert_eq!(
            people.iter().map(|p| (p.role.as_str(), p.name.as_str())).collect::<Vec<_>>(),
            [("guest", "Claire"), ("host", "Ada")]
        );
    });
}

#[test]
fn the_board_pages_by_next_due_date_with_filters_and_stays_in_its_workspace() {
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        let other = workspace(&store, "Beta").await;
        let ada = user(&store, ws.id, "ada@acme.test", "Ada", Role::AccountManager).await;
        let bob = user(&store, ws.id, "bob@acme.test", "Bob", Role::AccountManager).await;
        let cli = user(&store, ws.id, "cli@client.test", "Claire", Role::ClientContact).await;
        let (p1, v1) = playbook(&store, ws.id, "kickoff", "one").await;
        let (p2, v2) = playbook(&store, ws.id, "journey", "two").await;
        let mut ids = Vec::new();
        for i in 0..12i64 {
            let (owner, (pid, v)) = if i % 3 == 0 { (bob.id, (p2, &v2)) } else { (ada.id, (p1, &v1)) };
            let id = engagement(&store, ws.id, owner, pid, v, &format!("E{i:02}")).await;
            // Due dates out of creation order, with a tie, and one with nothing due.
            let due = if i == 5 { embark_core::engagement::NOTHING_DUE } else { T0 + ((i * 7) % 5) * HOUR };
            let state = if i == 11 { EngagementState::Completed } else { EngagementState::Active };
            let summary = engagements::Summary {
                closed: i % 2,
                total: 2,
                next_due_at: due,
                next_due_title: format!("Step {i}"),
                state,
            };
            engagements::update_summary(store.pool(), ws.id, id, summary, at(0)).await.unwrap();
            ids.push((due, id));
        }
        engagements::add_participant(store.pool(), ws.id, ids[4].1, "guest", cli.id).await.unwrap();
        ids.sort_by_key(|a| (a.0, a.1.to_string()));

        let mut seen = Vec::new();
        let mut after = None;
        loop {
            let page = engagements::board(store.pool(), ws.id, &BoardFilter::default(), after, 5).await.unwrap();
            if page.is_empty() {
                break;
            }
            after = page.last().map(|r| (r.next_due_at, r.id));
            seen.extend(page.into_iter().map(|r| (r.next_due_at, r.id)));
        }
        assert_eq!(seen, ids, "every engagement once, by next due date then id");
        let first = engagements::get(store.pool(), ws.id, ids[0].1).await.unwrap().unwrap();
        assert!(first.next_due_title.starts_with("Step "), "the summary keeps the next item's title");

        let bobs = BoardFilter { owner: Some(bob.id), ..Default::default() };
        assert_eq!(engagements::board(store.pool(), ws.id, &bobs, None, 50).await.unwrap().len(), 4);
        let journeys = BoardFilter { playbook: Some(p2), ..Default::default() };
        assert!(engagements::board(store.pool(), ws.id, &journeys, None, 50)
            .await
            .unwrap()
            .iter()
            .all(|r| r.playbook_id == p2));
        let done = BoardFilter { state: Some(EngagementState::Completed), ..Default::default() };
        assert_eq!(engagements::board(store.pool(), ws.id, &done, None, 50).await.unwrap().len(), 1);
        let claire = BoardFilter { participant: Some(cli.id), ..Default::default() };
        let hers = engagements::board(store.pool(), ws.id, &claire, None, 50).await.unwrap();
        assert_eq!(hers.iter().map(|r| r.title.as_str()).collect::<Vec<_>>(), ["E04"]);
        let both = BoardFilter {
            owner: Some(ada.id),
            playbook: Some(p1),
            state: Some(EngagementState::Active),
            participant: None,
        };
        assert_eq!(engagements::board(store.pool(), ws.id, &both, None, 50).await.unwrap().len(), 7);

        assert!(engagements::board(store.pool(), other.id, &BoardFilter::default(), None, 50)
            .await
            .unwrap()
            .is_empty());
        assert!(engagements::get(store.pool(), other.id, ids[0].1).await.unwrap().is_none());
        assert!(engagements::items(store.pool(), other.id, ids[0].1).await.unwrap().is_empty());
        assert!(!engagements::set_item_state(
            store.pool(),
            other.id,
            ids[0].1,
            "gate",
            ItemState::Done,
            None,
            None,
            at(0)
        )
        .await
        .unwrap());
        assert_eq!(engagements::count(store.pool(), ws.id).await.unwrap(), 12);
    });
}

#[test]
fn certifications_are_valid_between_grant_and_expiry_in_their_workspace() {
    use embark_store::certifications::{self, SCORECARD};
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        let other = workspace(&store, "Beta").await;
        let am = user(&store, ws.id, "am@acme.test", "Anne", Role::AccountManager).await;
        let admin = user(&store, ws.id, "ad@acme.test", "Ada", Role::Admin).await;
        assert!(!certifications::is_valid(store.pool(), ws.id, am.id, SCORECARD, at(0)).await.unwrap());
        certifications::record(store.pool(), ws.id, am.id, SCORECARD, Some(admin.id), at(HOUR), at(10 * HOUR))
            .await
            .unwrap();
        assert!(
            !certifications::is_valid(store.pool(), ws.id, am.id, SCORECARD, at(0)).await.unwrap(),
            "not before its grant"
        );
        assert!(certifications::is_valid(store.pool(), ws.id, am.id, SCORECARD, at(2 * HOUR)).await.unwrap());
        assert!(
            !certifications::is_valid(store.pool(), ws.id, am.id, SCORECARD, at(10 * HOUR)).await.unwrap(),
            "expired"
        );
        assert!(!certifications::is_valid(store.pool(), other.id, am.id, SCORECARD, at(2 * HOUR)).await.unwrap());
        assert!(!certifications::is_valid(store.pool(), ws.id, am.id, "other", at(2 * HOUR)).await.unwrap());
        let list = certifications::of_user(store.pool(), ws.id, am.id).await.unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].granted_by_name.as_deref(), Some("Ada"));
        assert!(certifications::of_user(store.pool(), other.id, am.id).await.unwrap().is_empty());
    });
}

#[test]
fn open_gates_owned_by_a_person_are_found_through_their_role() {
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        let ada = user(&store, ws.id, "ada@acme.test", "Ada", Role::AccountManager).await;
        let bob = user(&store, ws.id, "bob@acme.test", "Bob", Role::AccountManager).await;
        let (pid, v) = playbook(&store, ws.id, "welcome", "one").await;
        let id = engagement(&store, ws.id, ada.id, pid, &v, "Search").await;
        // The fixture's items are owned by the role "host".
        engagements::add_participant(store.pool(), ws.id, id, "host", ada.id).await.unwrap();
        engagements::add_participant(store.pool(), ws.id, id, "guest", bob.id).await.unwrap();
        let gates = engagements::open_gates_owned_by(store.pool(), ws.id, ada.id).await.unwrap();
        assert_eq!(gates, vec![(id, "gate".to_string(), v.id)]);
        assert!(engagements::open_gates_owned_by(store.pool(), ws.id, bob.id).await.unwrap().is_empty());
        engagements::set_item_state(store.pool(), ws.id, id, "gate", ItemState::Done, None, None, at(0)).await.unwrap();
        assert!(engagements::open_gates_owned_by(store.pool(), ws.id, ada.id).await.unwrap().is_empty());
    });
}

// ---------------------------------------------------------------------------
// Kick-off: scorecards, meetings, action tokens
// ---------------------------------------------------------------------------

use embark_core::kickoff::{ActionPurpose, NextStepKind, NextStepOutcome, QuestionSource, ScorecardState};
use embark_store::{action_tokens, meetings, scorecards};

async fn search(store: &Store) -> (WorkspaceId, User, User, EngagementId) {
    let ws = workspace(store, "Acme").await;
    let am = user(store, ws.id, "am@acme.test", "Ann Manager", Role::AccountManager).await;
    let client = user(store, ws.id, "cli@client.test", "Carl Client", Role::ClientContact).await;
    let (pid, v) = playbook(store, ws.id, "kickoff", "k").await;
    let id = engagement(store, ws.id, am.id, pid, &v, "Search").await;
    (ws.id, am, client, id)
}

async fn new_scorecard(store: &Store, ws: WorkspaceId, id: EngagementId, number: i64) -> embark_core::ScorecardId {
    let mut conn = store.pool().acquire().await.unwrap();
    let fields = [("mission", "\"\"".to_string()), ("location", "\"\"".to_string())];
    scorecards::create(
        &mut conn,
        scorecards::NewScorecard {
            workspace_id: ws,
            engagement_id: id,
            number,
            rescoping: number > 1,
            fields: &fields,
            created_by: None,
        },
        at(0),
    )
    .await
    .expect("create scorecard")
}

#[test]
fn scorecard_fields_are_written_only_at_the_version_they_were_read() {
    for_each_engine(|store| async move {
        let (ws, am, client, id) = search(&store).await;
        let sc = new_scorecard(&store, ws, id, 1).await;
        assert_conflict(
            {
                let mut conn = store.pool().acquire().await.unwrap();
                let f = [("mission", "\"\"".to_string())];
                let new = scorecards::NewScorecard {
                    workspace_id: ws,
                    engagement_id: id,
                    number: 1,
                    rescoping: false,
                    fields: &f,
                    created_by: None,
                };
                scorecards::create(&mut conn, new, at(0)).await
            },
            "scorecards_number_key",
        );
        let p = store.pool();
        assert_eq!(scorecards::write_field(p, ws, sc, "mission", "\"A\"", 1, client.id, at(1)).await.unwrap(), Some(2));
        assert_eq!(
            scorecards::write_field(p, ws, sc, "mission", "\"B\"", 1, am.id, at(2)).await.unwrap(),
            None,
            "stale"
        );
        let fields = scorecards::fields(p, ws, sc).await.unwrap();
        let mission = fields.iter().find(|f| f.field == "mission").unwrap();
        assert_eq!((mission.value.as_str(), mission.version), ("\"A\"", 2));
        assert_eq!(mission.updated_by_name.as_deref(), Some("Carl Client"));
        // Another workspace cannot write it, even at the right version.
        let other = workspace(&store, "Other").await;
        assert_eq!(scorecards::write_field(p, other.id, sc, "mission", "\"C\"", 2, am.id, at(3)).await.unwrap(), None);
        assert_eq!(scorecards::current(p, other.id, id).await.unwrap(), None);
    });
}

#[test]
fn a_scorecard_locks_only_on_two_signatures_of_the_same_content_and_then_never_changes() {
    for_each_engine(|store| async move {
        let (ws, am, client, id) = search(&store).await;
        let sc = new_scorecard(&store, ws, id, 1).await;
        let p = store.pool();
        assert!(scorecards::mark_sent(p, ws, sc, at(HOUR), am.id, at(1)).await.unwrap());
        assert!(scorecards::agree_due(p, ws, sc, at(2)).await.unwrap());
        assert!(!scorecards::agree_due(p, ws, sc, at(3)).await.unwrap(), "agreed once");
        assert!(scorecards::mark_returned(p, ws, sc, client.id, at(4)).await.unwrap());
        assert!(!scorecards::mark_returned(p, ws, sc, client.id, at(5)).await.unwrap(), "returned once");
        scorecards::sign(p, ws, sc, scorecards::Side::AccountManager, am.id, "h1", at(6)).await.unwrap();
        scorecards::sign(p, ws, sc, scorecards::Side::Client, client.id, "h2", at(7)).await.unwrap();
        assert!(!scorecards::lock(p, ws, sc, "text", "h2", at(8)).await.unwrap(), "signatures differ");
        scorecards::clear_signatures(p, ws, sc).await.unwrap();
        let row = scorecards::current(p, ws, id).await.unwrap().unwrap();
        assert!(row.account_manager.is_none() && row.client.is_none());
        scorecards::sign(p, ws, sc, scorecards::Side::AccountManager, am.id, "h2", at(9)).await.unwrap();
        scorecards::sign(p, ws, sc, scorecards::Side::Client, client.id, "h2", at(10)).await.unwrap();
        assert!(scorecards::lock(p, ws, sc, "text", "h2", at(11)).await.unwrap());
        let row = scorecards::current(p, ws, id).await.unwrap().unwrap();
        assert_eq!(row.state, ScorecardState::Locked);
        assert_eq!(
            (row.locked_at, row.content_hash.as_deref(), row.locked_text.as_deref()),
            (Some(at(11)), Some("h2"), Some("text"))
        );
        assert_eq!(row.client.as_ref().map(|s| s.name.as_str()), Some("Carl Client"));
        // Locked: every write is refused.
        assert!(!scorecards::hold_unlocked(p, ws, sc, at(12)).await.unwrap());
        assert_eq!(scorecards::write_field(p, ws, sc, "mission", "\"X\"", 1, am.id, at(12)).await.unwrap(), None);
        assert!(!scorecards::mark_sent(p, ws, sc, at(HOUR), am.id, at(12)).await.unwrap());
        scorecards::clear_signatures(p, ws, sc).await.unwrap();
        scorecards::set_state(p, ws, sc, ScorecardState::Draft, at(12)).await.unwrap();
        let again = scorecards::current(p, ws, id).await.unwrap().unwrap();
        assert_eq!(again, row, "nothing changed");
        // A re-scoping version is the new current one; the versions keep their order.
        new_scorecard(&store, ws, id, 2).await;
        let versions = scorecards::versions(p, ws, id).await.unwrap();
        assert_eq!(versions.iter().map(|v| (v.number, v.rescoping)).collect::<Vec<_>>(), [(1, false), (2, true)]);
        assert_eq!(scorecards::current(p, ws, id).await.unwrap().unwrap().number, 2);
    });
}

#[test]
fn objections_and_questions_are_kept_with_who_and_when() {
    for_each_engine(|store| async move {
        let (ws, am, client, id) = search(&store).await;
        let sc = new_scorecard(&store, ws, id, 1).await;
        let p = store.pool();
        let o = scorecards::raise_objection(p, ws, sc, "location", "Too far", client.id, at(1)).await.unwrap();
        assert!(scorecards::resolve_objection(p, ws, sc, o, am.id, at(2)).await.unwrap());
        assert!(!scorecards::resolve_objection(p, ws, sc, o, am.id, at(3)).await.unwrap(), "resolved once");
        let list = scorecards::objections(p, ws, sc).await.unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!((list[0].raised_by_name.as_deref(), list[0].resolved_at), (Some("Carl Client"), Some(at(2))));

        let q = scorecards::ask(p, ws, id, QuestionSource::Talent, "Remote?", am.id, at(1)).await.unwrap();
        assert_eq!(scorecards::open_questions(p, ws, id).await.unwrap(), 1);
        assert!(scorecards::answer(p, ws, id, q, "location", "I think so", true, am.id, at(2)).await.unwrap());
        assert_eq!(scorecards::open_questions(p, ws, id).await.unwrap(), 1, "a guess leaves it open");
        assert!(scorecards::answer(p, ws, id, q, "location", "Two days", false, am.id, at(3)).await.unwrap());
        assert_eq!(scorecards::open_questions(p, ws, id).await.unwrap(), 0);
        let other = workspace(&store, "Other").await;
        assert!(!scorecards::answer(p, other.id, id, q, "location", "x", false, am.id, at(4)).await.unwrap());
        let qs = scorecards::questions(p, ws, id).await.unwrap();
        assert_eq!(
            (qs[0].answer.as_str(), qs[0].guess, qs[0].open, qs[0].source),
            ("Two days", false, false, QuestionSource::Talent)
        );
    });
}

#[test]
fn a_meeting_records_its_logistics_attendance_and_the_time_of_each_step() {
    for_each_engine(|store| async move {
        let (ws, am, client, id) = search(&store).await;
        let p = store.pool();
        meetings::ensure(p, ws, id, 60, at(0)).await.unwrap();
        meetings::ensure(p, ws, id, 90, at(0)).await.unwrap();
        let m = meetings::get(p, ws, id).await.unwrap().unwrap();
        assert_eq!((m.duration_minutes, m.place.as_str(), m.invitation_sequence), (60, "", 0), "created once");
        assert!(meetings::set_logistics(p, ws, id, "Visio", 45, at(1)).await.unwrap());
        assert!(meetings::set_logistics_lock(p, ws, id, Some(am.id), at(2)).await.unwrap());
        assert!(
            !meetings::set_logistics(p, ws, id, "Paris", 45, at(3)).await.unwrap(),
            "locked logistics do not change"
        );
        assert_eq!(meetings::invitation_sent(p, ws, id, at(3)).await.unwrap(), 1);
        assert_eq!(meetings::invitation_sent(p, ws, id, at(4)).await.unwrap(), 2);

        meetings::add_attendee(p, ws, id, am.id).await.unwrap();
        meetings::add_attendee(p, ws, id, client.id).await.unwrap();
        meetings::add_attendee(p, ws, id, client.id).await.unwrap();
        meetings::mark_invited(p, ws, id, at(4)).await.unwrap();
        assert!(meetings::confirm(p, ws, id, client.id, at(5)).await.unwrap());
        assert!(!meetings::confirm(p, ws, id, client.id, at(6)).await.unwrap(), "the first confirmation counts");
        let people = meetings::attendees(p, ws, id).await.unwrap();
        assert_eq!(people.len(), 2);
        let carl = people.iter().find(|a| a.user_id == client.id).unwrap();
        assert_eq!((carl.invited_at, carl.confirmed_at, carl.role), (Some(at(4)), Some(at(5)), Role::ClientContact));

        assert!(meetings::start(p, ws, id, "intro", at(10)).await.unwrap());
        assert!(!meetings::start(p, ws, id, "intro", at(11)).await.unwrap());
        let mut conn = p.acquire().await.unwrap();
        assert!(meetings::move_step(&mut conn, ws, id, ("intro", at(10)), Some("dev"), at(10 + 3 * MINUTE))
            .await
            .unwrap());
        assert!(
            !meetings::move_step(&mut conn, ws, id, ("intro", at(10)), Some("dev"), at(10 + 4 * MINUTE)).await.unwrap(),
            "a second click counts nothing"
        );
        assert!(meetings::move_step(
            &mut conn,
            ws,
            id,
            ("dev", at(10 + 3 * MINUTE)),
            Some("intro"),
            at(10 + 5 * MINUTE)
        )
        .await
        .unwrap());
        assert!(meetings::move_step(&mut conn, ws, id, ("intro", at(10 + 5 * MINUTE)), None, at(10 + 6 * MINUTE))
            .await
            .unwrap());
        drop(conn);
        assert!(meetings::extend(p, ws, id, 10, at(10 + 6 * MINUTE)).await.unwrap());
        assert!(meetings::end(p, ws, id, at(10 + 7 * MINUTE)).await.unwrap());
        assert!(
            !meetings::extend(p, ws, id, 10, at(10 + 8 * MINUTE)).await.unwrap(),
            "an ended meeting is not extended"
        );
        let mut times = meetings::step_times(p, ws, id).await.unwrap();
        times.sort();
        assert_eq!(times, [("dev".to_string(), 2 * MINUTE), ("intro".to_string(), 4 * MINUTE)]);
        let m = meetings::get(p, ws, id).await.unwrap().unwrap();
        assert_eq!((m.extended_minutes, m.ended_at, m.current_step), (10, Some(at(10 + 7 * MINUTE)), None));
    });
}

#[test]
fn next_steps_reports_feedback_and_action_tokens_keep_their_first_answer() {
    for_each_engine(|store| async move {
        let (ws, am, client, id) = search(&store).await;
        let p = store.pool();
        let step = meetings::NewNextStep {
            kind: NextStepKind::ClientHomework,
            title: "Call back talents",
            owner_id: client.id,
            due_at: at(HOUR),
        };
        let s = meetings::add_next_step(p, ws, id, step, am.id, at(1)).await.unwrap();
        assert!(meetings::set_next_step_outcome(p, ws, id, s, NextStepOutcome::Done, at(2)).await.unwrap());
        let steps = meetings::next_steps(p, ws, id).await.unwrap();
        assert_eq!(
            (steps[0].owner_name.as_str(), steps[0].outcome, steps[0].closed_at),
            ("Carl Client", NextStepOutcome::Done, Some(at(2)))
        );

        meetings::create_report(p, ws, id, "Decisions", at(3)).await.unwrap();
        meetings::create_report(p, ws, id, "Other", at(4)).await.unwrap();
        assert!(!meetings::acknowledge(p, ws, id, client.id, at(5)).await.unwrap(), "not sent yet");
        assert!(meetings::set_decisions(p, ws, id, "Decided").await.unwrap());
        assert!(meetings::report_sent(p, ws, id, am.id, at(6)).await.unwrap());
        assert!(!meetings::report_sent(p, ws, id, am.id, at(7)).await.unwrap());
        assert!(!meetings::set_decisions(p, ws, id, "Changed after sending").await.unwrap());
        assert!(meetings::acknowledge(p, ws, id, client.id, at(8)).await.unwrap());
        assert!(!meetings::acknowledge(p, ws, id, client.id, at(9)).await.unwrap());
        let r = meetings::report(p, ws, id).await.unwrap().unwrap();
        assert_eq!((r.decisions.as_str(), r.sent_at, r.acknowledged_at), ("Decided", Some(at(6)), Some(at(8))));
        assert_eq!(r.acknowledged_by_name.as_deref(), Some("Carl Client"));

        assert!(meetings::answer_feedback(p, ws, id, client.id, "nps", 9, "Great", at(10)).await.unwrap());
        assert!(!meetings::answer_feedback(p, ws, id, client.id, "nps", 2, "", at(11)).await.unwrap());
        let fb = meetings::feedback(p, ws, id).await.unwrap();
        assert_eq!((fb.len(), fb[0].score, fb[0].comment.as_str()), (1, 9, "Great"));

        let t =
            action_tokens::create(p, ws, id, client.id, ActionPurpose::AcknowledgeReport, "hash-1", at(0), at(HOUR))
                .await
                .unwrap();
        assert_conflict(
            action_tokens::create(p, ws, id, client.id, ActionPurpose::AnswerNps, "hash-1", at(0), at(HOUR)).await,
            "action_tokens_hash_key",
        );
        action_tokens::mark_used(p, t, at(5)).await.unwrap();
        action_tokens::mark_used(p, t, at(6)).await.unwrap();
        let found = action_tokens::find(p, "hash-1").await.unwrap().unwrap();
        assert_eq!(
            (found.purpose, found.used_at, found.engagement_id),
            (ActionPurpose::AcknowledgeReport, Some(at(5)), id)
        );
        assert_eq!(action_tokens::find(p, "nope").await.unwrap(), None);
    });
}

#[test]
fn the_quality_page_gathers_each_kickoffs_signals_a_page_at_a_time() {
    for_each_engine(|store| async move {
        let (ws, am, client, first) = search(&store).await;
        let p = store.pool();
        let (pid, v) = playbook(&store, ws, "kickoff-2", "k2").await;
        let second = engagement(&store, ws, am.id, pid, &v, "Second").await;
        engagements::move_anchor(&mut p.acquire().await.unwrap(), ws, second, at(HOUR), &[], at(0)).await.unwrap();
        for id in [first, second] {
            meetings::ensure(p, ws, id, 60, at(0)).await.unwrap();
            engagements::add_participant(p, ws, id, "client_contact", client.id).await.unwrap();
        }
        meetings::answer_feedback(p, ws, first, client.id, "nps", 8, "", at(1)).await.unwrap();
        meetings::answer_feedback(p, ws, first, client.id, "relationship", 1, "", at(1)).await.unwrap();
        meetings::answer_feedback(p, ws, first, am.id, "relationship", 0, "", at(1)).await.unwrap();
        scorecards::ask(p, ws, first, QuestionSource::Team, "Why?", am.id, at(1)).await.unwrap();
        let step =
            meetings::NewNextStep { kind: NextStepKind::Sourcing, title: "Source", owner_id: am.id, due_at: at(HOUR) };
        meetings::add_next_step(p, ws, second, step, am.id, at(1)).await.unwrap();
        let sc = new_scorecard(&store, ws, second, 1).await;
        scorecards::sign(p, ws, sc, scorecards::Side::AccountManager, am.id, "h", at(2)).await.unwrap();
        scorecards::sign(p, ws, sc, scorecards::Side::Client, client.id, "h", at(2)).await.unwrap();
        assert!(scorecards::lock(p, ws, sc, "t", "h", at(3)).await.unwrap());

        let page = meetings::quality_page(p, ws, None, 1, "step.1").await.unwrap();
        assert_eq!(page.len(), 1);
        let latest = &page[0];
        assert_eq!((latest.engagement_id, latest.locked, latest.nps), (second, true, None), "the later kick-off first");
        assert_eq!(latest.next_steps, [(at(HOUR), NextStepOutcome::Open, None)]);
        let rest =
            meetings::quality_page(p, ws, Some((latest.starts_at, latest.engagement_id)), 10, "step.1").await.unwrap();
        assert_eq!(rest.len(), 1);
        let older = &rest[0];
        assert_eq!((older.engagement_id, older.nps, older.open_questions, older.locked), (first, Some(8), 1, false));
        let mut rel = older.relationship.clone();
        rel.sort();
        assert_eq!(rel, [(0, false), (1, true)], "each answer with its side");
        let other = workspace(&store, "Other").await;
        assert!(meetings::quality_page(p, other.id, None, 10, "step.1").await.unwrap().is_empty());
    });
}

#[test]
fn done_jobs_are_pruned_after_a_while_and_the_others_stay() {
    for_each_engine(|store| async move {
        let p = store.pool();
        let old_done = job(&store, "a", at(0)).await;
        let recent_done = job(&store, "b", at(0)).await;
        let failed = job(&store, "c", at(0)).await;
        let pending = job(&store, "d", at(0)).await;
        jobs::complete(p, old_done, at(HOUR)).await.unwrap();
        jobs::complete(p, recent_done, at(3 * HOUR)).await.unwrap();
        jobs::fail(p, failed, at(HOUR), "boom").await.unwrap();
        assert_eq!(jobs::prune_done(p, at(2 * HOUR)).await.unwrap(), 1);
        let left: Vec<(String,)> = sqlx::query_as("SELECT id FROM jobs ORDER BY id").fetch_all(p).await.unwrap();
        let mut expected = vec![recent_done.to_string(), failed.to_string(), pending.to_string()];
        expected.sort();
        assert_eq!(left.into_iter().map(|r| r.0).collect::<Vec<_>>(), expected);
    });
}

#[test]
fn workspace_totals_count_nps_categories_acknowledgements_and_meetings_on_time() {
    for_each_engine(|store| async move {
        let (ws, am, client, id) = search(&store).await;
        let p = store.pool();
        assert_eq!(meetings::totals(p, ws).await.unwrap(), meetings::Totals::default());
        meetings::ensure(p, ws, id, 60, at(0)).await.unwrap();
        meetings::start(p, ws, id, "intro", at(0)).await.unwrap();
        meetings::end(p, ws, id, at(50 * MINUTE)).await.unwrap();
        meetings::create_report(p, ws, id, "", at(50 * MINUTE)).await.unwrap();
        meetings::report_sent(p, ws, id, am.id, at(HOUR)).await.unwrap();
        meetings::acknowledge(p, ws, id, client.id, at(3 * HOUR)).await.unwrap();
        meetings::answer_feedback(p, ws, id, client.id, "nps", 10, "", at(3 * HOUR)).await.unwrap();
        meetings::answer_feedback(p, ws, id, am.id, "nps", 4, "", at(3 * HOUR)).await.unwrap();
        meetings::answer_feedback(p, ws, id, am.id, "relationship", 1, "", at(3 * HOUR)).await.unwrap();
        let t = meetings::totals(p, ws).await.unwrap();
        let expected = meetings::Totals {
            promoters: 1,
            passives: 0,
            detractors: 1,
            acknowledged: 1,
            mean_ack_ms: Some(2 * HOUR),
            ended: 1,
            ended_on_time: 1,
        };
        assert_eq!(t, expected);
        let other = workspace(&store, "Other").await;
        assert_eq!(meetings::totals(p, other.id).await.unwrap(), meetings::Totals::default());
    });
}
