//! The store contract: how the store's pool and the bundled SQLite are set up,
//! where losing a setting would only show as a slower bench.

use super::*;

/// Runs `scenario` on a freshly migrated SQLite database only.
fn on_sqlite_only<F, Fut>(scenario: F)
where
    F: Fn(Store) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("tokio runtime");
    if let Err(why) = runtime.block_on(on_sqlite(true, &scenario)) {
        panic!("FAILED on SQLite: {why}");
    }
}

/// Runs `scenario` on a freshly migrated PostgreSQL database only.
fn on_postgres_only<F, Fut>(scenario: F)
where
    F: Fn(Store) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("tokio runtime");
    if let Err(why) = runtime.block_on(on_postgres(true, &scenario)) {
        panic!("FAILED on PostgreSQL: {why}");
    }
}

#[test]
fn the_pool_pings_before_handing_out_a_connection_only_on_postgres() {
    for_each_engine(|store| async move {
        assert_eq!(
            store.pings_before_acquire(),
            store.engine() == Engine::Postgres,
            "SQLite: every query would pay a ping; PostgreSQL: a closed connection would fail a request \
             (docs/adr/0001-store-access-path.md)"
        );
        // Connections are still handed out and reused: more queries than the pool holds.
        let ws = workspace(&store, "Acme").await;
        for _ in 0..(POOL_SIZE * 3) {
            assert_eq!(workspaces::get(&mut store.db(), ws.id).await.unwrap().map(|w| w.id), Some(ws.id));
        }
    });
}

#[test]
fn sqlite_is_built_without_memory_statistics() {
    on_sqlite_only(|store| async move {
        let used: i64 = embark_store::query_scalar("SELECT sqlite_compileoption_used('DEFAULT_MEMSTATUS=0')")
            .fetch_one(&mut store.db())
            .await
            .unwrap();
        let options: Vec<String> = embark_store::query_scalar("SELECT compile_options FROM pragma_compile_options")
            .fetch_all(&mut store.db())
            .await
            .unwrap();
        assert_eq!(
            used, 1,
            "the bundled SQLite was built with memory statistics on (one global mutex per malloc/free): \
             LIBSQLITE3_FLAGS from .cargo/config.toml did not reach libsqlite3-sys's build \
             (was cargo run outside the workspace, or LIBSQLITE3_FLAGS set in the environment?). \
             Compile options: {options:?}"
        );
    });
}

/// What the ping before acquire protects against on PostgreSQL: the server closing a
/// pooled connection while it sits idle (a restart, `idle_session_timeout`, an
/// administrator). The pool finds each closed connection before handing it out and
/// opens a fresh one: no query fails.
#[test]
fn pool_recovers_from_idle_connections_the_server_closed() {
    on_postgres_only(|store| async move {
        // Fill the pool with idle connections.
        let mut held = Vec::new();
        for _ in 0..POOL_SIZE {
            held.push(store.conn().await.unwrap());
        }
        drop(held);
        // Wait until they are back in the pool (returning one is asynchronous).
        while store.idle_connections() < POOL_SIZE as usize {
            tokio::task::yield_now().await;
        }

        // Close every other pooled connection from the server side, on one held
        // connection, and wait until those backends are gone.
        let mut admin = store.conn().await.unwrap();
        let killed: i64 = embark_store::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM \
             (SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
              WHERE datname = current_database() AND pid <> pg_backend_pid()) AS t",
        )
        .fetch_one(&mut admin)
        .await
        .unwrap();
        assert!(killed >= 1, "no idle pooled connection to close");
        loop {
            let left: i64 = embark_store::query_scalar(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM pg_stat_activity \
                 WHERE datname = current_database() AND pid <> pg_backend_pid()",
            )
            .fetch_one(&mut admin)
            .await
            .unwrap();
            if left == 0 {
                break;
            }
            tokio::task::yield_now().await;
        }
        drop(admin);

        let mut failures = 0;
        let mut answered = 0;
        for _ in 0..(killed + 2 * i64::from(POOL_SIZE)) {
            match embark_store::query_scalar::<i64>("SELECT CAST(1 AS BIGINT)").fetch_one(&mut store.db()).await {
                Ok(_) => answered += 1,
                Err(_) => failures += 1,
            }
        }
        eprintln!("{killed} idle connections closed by the server: {failures} queries failed, {answered} answered");
        assert_eq!(failures, 0, "{failures} queries failed after {killed} idle connections were closed");
        assert!(answered >= 2 * i64::from(POOL_SIZE), "the pool did not recover: {answered} answers");
    });
}

#[test]
fn an_acknowledged_commit_is_durable_on_a_power_loss_unless_the_faster_mode_is_named() {
    for_each_engine(|store| async move {
        let durability = store.commit_durability().await.unwrap();
        match store.engine() {
            // `connect` is what `embark serve` uses without a setting: FULL syncs at each commit.
            Engine::Sqlite => assert_eq!(durability, "sqlite synchronous=full"),
            // PostgreSQL's is the server's own setting: reported as it is, never changed by Embark.
            Engine::Postgres => assert!(durability.starts_with("postgres synchronous_commit="), "{durability}"),
        }
    });
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio runtime");
    runtime.block_on(async {
        let dir = std::env::temp_dir().join(format!("embark-store-sync-{}", uuid::Uuid::new_v4().simple()));
        let _cleanup = RemoveDirOnDrop(dir.clone());
        let url = format!("sqlite://{}/embark.db", dir.display());
        for (sync, expected) in [
            (embark_store::SqliteSync::Normal, "sqlite synchronous=normal"),
            (embark_store::SqliteSync::Full, "sqlite synchronous=full"),
        ] {
            let store = Store::connect_with(&url, 2, sync).await.unwrap();
            // Every pooled connection gets it: with the first one held, the answer
            // comes from a second one.
            let held = store.conn().await.unwrap();
            assert_eq!(store.commit_durability().await.unwrap(), expected);
            drop(held);
            store.close().await;
        }
    });
}
