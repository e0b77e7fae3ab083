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
