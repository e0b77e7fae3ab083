//! The store contract: the audit trail.

use super::*;

#[test]
fn audit_latest_returns_the_newest_events_of_the_workspace() {
    for_each_engine(|store| async move {
        let acme = workspace(&store, "Acme").await;
        let globex = workspace(&store, "Globex").await;
        let anne = user(&store, acme.id, "anne@example.com", "Anne", Role::Admin).await;
        let db = &mut store.db();
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

#[test]
fn the_trail_is_a_chain_that_names_the_first_event_changed_removed_or_lost_at_its_end() {
    for_each_engine(|store| async move {
        let acme = workspace(&store, "Acme").await;
        let globex = workspace(&store, "Globex").await;
        let anne = user(&store, acme.id, "anne@example.com", "Anne", Role::Admin).await;
        for (i, action) in
            ["user.role_changed", "token.created", "scorecard.locked", "user.deactivated"].iter().enumerate()
        {
            let mut tx = store.begin().await.unwrap();
            audit::record(&mut tx, acme.id, Some(anne.id), action, None, &format!("detail {i}"), at(i as i64 * 1000))
                .await
                .unwrap();
            tx.commit().await.unwrap();
        }
        audit::record(&mut store.db(), globex.id, None, "elsewhere", None, "", at(5)).await.unwrap();
        assert_eq!(audit::verify(&mut store.db(), acme.id).await.unwrap(), Ok(4));
        assert_eq!(audit::verify(&mut store.db(), globex.id).await.unwrap(), Ok(1), "one chain per workspace");
        let page = audit::page(&mut store.db(), acme.id, Some("user."), None, 10).await.unwrap();
        let seen: Vec<(i64, &str)> = page.iter().map(|e| (e.seq, e.action.as_str())).collect();
        assert_eq!(seen, [(4, "user.deactivated"), (1, "user.role_changed")], "newest first, filtered");
        assert_eq!(page[0].actor_name.as_deref(), Some("Anne"));

        // Someone edits a detail in the database: the chain names that event.
        let edit = "UPDATE audit_events SET detail = 'nothing happened' WHERE seq = 2 AND workspace_id = $1";
        embark_store::query(edit).bind(acme.id.to_string()).execute(&mut store.db()).await.unwrap();
        let broken = audit::verify(&mut store.db(), acme.id).await.unwrap().unwrap_err();
        assert_eq!(broken.to_string(), "event #2 was changed after it was written");
        embark_store::query("UPDATE audit_events SET detail = 'detail 1' WHERE seq = 2 AND workspace_id = $1")
            .bind(acme.id.to_string())
            .execute(&mut store.db())
            .await
            .unwrap();
        assert_eq!(audit::verify(&mut store.db(), acme.id).await.unwrap(), Ok(4), "put back, it holds again");
        // The last event deleted: the head names it.
        embark_store::query("DELETE FROM audit_events WHERE seq = 4 AND workspace_id = $1")
            .bind(acme.id.to_string())
            .execute(&mut store.db())
            .await
            .unwrap();
        let broken = audit::verify(&mut store.db(), acme.id).await.unwrap().unwrap_err();
        assert_eq!(broken.seq, 4, "{broken}");
        // One in the middle deleted.
        embark_store::query("DELETE FROM audit_events WHERE seq = 2 AND workspace_id = $1")
            .bind(acme.id.to_string())
            .execute(&mut store.db())
            .await
            .unwrap();
        let broken = audit::verify(&mut store.db(), acme.id).await.unwrap().unwrap_err();
        assert_eq!(broken.to_string(), "event #3 follows #1: an event is missing or was inserted");
    });
}

#[test]
fn events_appended_at_the_same_moment_are_numbered_one_after_the_other() {
    for_each_engine(|store| async move {
        let acme = workspace(&store, "Acme").await;
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..16 {
            let store = store.clone();
            tasks.spawn(async move {
                let mut tx = store.begin().await.unwrap();
                audit::record(&mut tx, acme.id, None, "token.created", None, &i.to_string(), at(i)).await.unwrap();
                tx.commit().await.unwrap();
            });
        }
        tasks.join_all().await;
        assert_eq!(audit::verify(&mut store.db(), acme.id).await.unwrap(), Ok(16));
    });
}
