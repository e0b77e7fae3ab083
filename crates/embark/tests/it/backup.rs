//! `embark backup` under write load and `embark restore` into an empty data directory:
//! the copy is the database as of one commit (every engagement whole, its kept figures
//! matching its rows), and a restored instance holds exactly what was backed up.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use axum::http::StatusCode;
use embark::backup::{self, BackupError};
use embark::config::{Config, Overrides};
use embark_store::{Engine, Store};

use crate::engagements::{id_of, kickoff};

/// Every table of a SQLite database: its name, its row count and its rows as text, in order.
async fn tables(store: &Store) -> Vec<(String, i64, String)> {
    let names: Vec<String> = embark_store::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .fetch_all(&mut store.db())
    .await
    .unwrap();
    let mut out = Vec::new();
    for t in names {
        let cols: Vec<String> =
            embark_store::query_scalar(&format!("SELECT name FROM pragma_table_info('{t}') ORDER BY cid"))
                .fetch_all(&mut store.db())
                .await
                .unwrap();
        let row = cols.iter().map(|c| format!("quote(\"{c}\")")).collect::<Vec<_>>().join(" || '|' || ");
        let (count, rows): (i64, String) = embark_store::query_as(&format!(
            "SELECT COUNT(*), COALESCE(group_concat(r, char(10)), '') FROM (SELECT {row} AS r FROM \"{t}\" ORDER BY 1)"
        ))
        .fetch_one(&mut store.db())
        .await
        .unwrap();
        out.push((t, count, rows));
    }
    out
}

async fn count(store: &Store, sql: &str) -> i64 {
    embark_store::query_scalar(sql).fetch_one(&mut store.db()).await.unwrap()
}

fn config_for(dir: &std::path::Path) -> Config {
    let env = [("EMBARK_DATA_DIR".to_string(), dir.display().to_string())].into_iter().collect();
    Config::from_sources(&env, None, &Overrides::default(), |p| std::fs::read_to_string(p)).unwrap().config
}

#[tokio::test]
async fn a_backup_under_write_load_restores_to_exactly_what_it_copied() {
    let mut k = kickoff().await;
    k.app.allow_leftover_jobs();
    let dir = std::env::temp_dir().join(format!("embark-backup-{}", uuid::Uuid::new_v4()));
    let copy = dir.join("embark-backup.db");
    if k.app.state.store.engine() == Engine::Postgres {
        // PostgreSQL's backups are pg_dump's: the command says how, and writes nothing.
        let e = backup::backup(&k.app.state.store, &copy).await.unwrap_err();
        assert!(matches!(e, BackupError::Postgres) && e.to_string().contains("pg_dump --format=custom"), "{e}");
        assert!(!copy.exists());
        return;
    }
    let token = k.am.create_api_token("load").await;
    let playbook =
        id_of(&k.app, "SELECT id FROM playbooks WHERE key = 'employee-onboarding' AND language = $1", "en").await;
    let start = k.app.day(30);
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = tokio::task::JoinSet::new();
    for w in 0..4 {
        let (mut c, stop, token, playbook, start) =
            (k.app.client(), stop.clone(), token.clone(), playbook.clone(), start.clone());
        writers.spawn(async move {
            let mut created = 0;
            while !stop.load(Ordering::Relaxed) {
                let body = format!(
                    r#"{{"playbook_id":"{playbook}","title":"Hire {w}-{created}","subject":"S","anchor":"{start}"}}"#
                );
                let r = c.api_post("/api/v1/engagements", &token, "application/json", &body).await;
                assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
                created += 1;
            }
            created
        });
    }
    let store = k.app.state.store.clone();
    while count(&store, "SELECT COUNT(*) FROM engagements").await < 40 {
        tokio::task::yield_now().await;
    }
    let bytes = backup::backup(&store, &copy).await.unwrap();
    assert!(bytes > 0);
    // The copy is one commit's database: every engagement whole, its figures its rows'.
    let copied = Store::connect(&format!("sqlite://{}", copy.display()), 1).await.unwrap();
    let in_copy = count(&copied, "SELECT COUNT(*) FROM engagements").await;
    // The writers go on after the copy: it was taken under load, and holds none of theirs.
    while count(&store, "SELECT COUNT(*) FROM engagements").await < in_copy + 20 {
        tokio::task::yield_now().await;
    }
    stop.store(true, Ordering::Relaxed);
    let created: i32 = writers.join_all().await.into_iter().sum();
    let live = count(&store, "SELECT COUNT(*) FROM engagements").await;
    assert_eq!(live, i64::from(created) + 1, "every acknowledged creation is in the live database");
    assert!(in_copy >= 40 && in_copy < live, "{in_copy} of {live}");
    assert_eq!(
        count(
            &copied,
            "SELECT COUNT(*) FROM engagements e \
             WHERE NOT EXISTS (SELECT 1 FROM engagement_items i WHERE i.engagement_id = e.id)"
        )
        .await,
        0,
        "no engagement without its items"
    );
    assert_eq!(
        count(&copied, "SELECT CAST(COALESCE(SUM(active), 0) AS BIGINT) FROM engagement_progress").await,
        count(&copied, "SELECT COUNT(*) FROM engagements WHERE state = 'active'").await,
        "the kept figure matches the rows it counts"
    );
    let backed_up = tables(&copied).await;
    copied.close().await;

    // Restored into an empty data directory, it holds exactly what was copied.
    let fresh = dir.join("restored");
    let config = config_for(&fresh);
    backup::restore(&config, &copy).await.unwrap();
    let restored = embark::app::open_store(&config).await.unwrap();
    assert_eq!(restored.integrity().await.unwrap(), "ok");
    let after = tables(&restored).await;
    assert_eq!(after.len(), backed_up.len());
    for (a, b) in after.iter().zip(&backed_up) {
        assert_eq!((&a.0, a.1), (&b.0, b.1), "table {}", a.0);
        assert!(a.2 == b.2, "table {} differs after the restore", a.0);
    }
    restored.close().await;

    // Once the writes stop, a backup equals the live database table by table.
    let quiet = dir.join("quiet.db");
    backup::backup(&store, &quiet).await.unwrap();
    let quiet_store = Store::connect(&format!("sqlite://{}", quiet.display()), 1).await.unwrap();
    assert!(tables(&quiet_store).await == tables(&store).await, "a backup at rest is the whole database");
    quiet_store.close().await;

    // Mistakes are refused and change nothing.
    let e = backup::backup(&store, &copy).await.unwrap_err();
    assert!(matches!(e, BackupError::Exists(_)), "{e}");
    let e = backup::restore(&config, &copy).await.unwrap_err();
    assert!(e.to_string().contains("already holds a database"), "{e}");
    let not_db = dir.join("notes.txt");
    std::fs::write(&not_db, "not a database at all, but long enough to have a header").unwrap();
    let empty = dir.join("empty");
    let e = backup::restore(&config_for(&empty), &not_db).await.unwrap_err();
    assert!(e.to_string().contains("is not an Embark backup: it is not a SQLite database file"), "{e}");
    assert!(!empty.join("embark.db").exists(), "nothing restored");
    let _ = std::fs::remove_dir_all(&dir);
}
