//! The store contract: readiness and migrations.

use super::*;

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
