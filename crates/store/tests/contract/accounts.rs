//! The store contract: accounts: workspaces, people, sessions, sign-in links and API tokens.

use super::*;

#[test]
fn workspaces_are_found_by_id_and_by_name_case_insensitively() {
    for_each_engine(|store| async move {
        let acme = workspace(&store, "Acme Onboarding").await;
        workspace(&store, "Globex").await;
        assert_eq!(acme.name, "Acme Onboarding");
        assert_eq!(acme.time_zone, "Europe/Paris");

        for query in ["Acme Onboarding", "acme onboarding", "ACME ONBOARDING", "  aCmE oNbOaRdInG "] {
            let found = workspaces::find_by_name(&mut store.db(), query).await.unwrap();
            assert_eq!(found.as_ref(), Some(&acme), "find_by_name({query:?})");
        }
        assert_eq!(workspaces::find_by_name(&mut store.db(), "Acme").await.unwrap(), None);
        assert_eq!(workspaces::get(&mut store.db(), acme.id).await.unwrap(), Some(acme));
        assert_eq!(workspaces::get(&mut store.db(), WorkspaceId::new()).await.unwrap(), None);
    });
}

#[test]
fn duplicate_workspace_name_is_a_conflict_on_workspaces_name_key() {
    for_each_engine(|store| async move {
        workspace(&store, "Acme").await;
        for duplicate in ["Acme", "ACME", "acme"] {
            let name = WorkspaceName::parse(duplicate).unwrap();
            let result = workspaces::create(&mut store.db(), &name, "UTC", at(1)).await;
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

        let got = users::get(&mut store.db(), ws.id, anne.id).await.unwrap();
        assert_eq!(got.as_ref(), Some(&anne));
        let found = users::find_by_email(&mut store.db(), ws.id, &email("anne@example.com")).await.unwrap();
        assert_eq!(found.as_ref(), Some(&anne));
        assert_eq!(users::find_by_email(&mut store.db(), ws.id, &email("bob@example.com")).await.unwrap(), None);
        assert_eq!(users::get(&mut store.db(), ws.id, UserId::new()).await.unwrap(), None);

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
            users::create(&mut store.db(), new, at(5)).await.unwrap()
        };
        let got = users::get(&mut store.db(), ws.id, no_password.id).await.unwrap().unwrap();
        assert!(!got.has_password);
        assert_eq!((got.role, got.locale, got.created_at), (Role::NewHire, Locale::Fr, at(5)));
        assert_eq!(users::count_up_to(&mut store.db(), ws.id, 100).await.unwrap(), 2);
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
        assert_eq!(users::count_up_to(&mut store.db(), acme.id, 100).await.unwrap(), 1);
        assert_eq!(users::count_up_to(&mut store.db(), globex.id, 100).await.unwrap(), 1);
    });
}

#[test]
fn users_of_another_workspace_are_invisible_and_untouchable() {
    for_each_engine(|store| async move {
        let acme = workspace(&store, "Acme").await;
        let globex = workspace(&store, "Globex").await;
        let anne = user(&store, acme.id, "anne@example.com", "Anne", Role::AccountManager).await;

        assert_eq!(users::get(&mut store.db(), globex.id, anne.id).await.unwrap(), None);
        assert_eq!(users::find_by_email(&mut store.db(), globex.id, &email("anne@example.com")).await.unwrap(), None);
        let db = &mut store.db();
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
            users::create(&mut store.db(), new, at(0)).await.unwrap()
        };
        let db = &mut store.db();
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
            let page = users::list(&mut store.db(), ws.id, cursor.as_ref(), 10).await.unwrap();
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
        assert_eq!(users::count_up_to(&mut store.db(), ws.id, 100).await.unwrap(), 25);
        assert_eq!(users::count_up_to(&mut store.db(), ws.id, 10).await.unwrap(), 10, "the count stops at its limit");
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
        assert!(users::set_active(&mut store.db(), globex.id, at_globex.id, false, at(1)).await.unwrap());

        let found = users::credentials_by_email(&mut store.db(), &email("anne@example.com")).await.unwrap();
        let ids: Vec<UserId> = found.iter().map(|c| c.user.id).collect();
        assert_eq!(ids.len(), 2, "the deactivated account is left out: {ids:?}");
        assert!(ids.contains(&at_acme.id) && ids.contains(&at_initech.id));
        assert!(found.iter().all(|c| c.user.active && c.password_hash.as_deref() == Some("$argon2id$test")));

        assert!(users::credentials_by_email(&mut store.db(), &email("nobody@example.com")).await.unwrap().is_empty());
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
        let db = &mut store.db();
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
        let result = sessions::create(&mut store.db(), "hash", UserId::new(), ws.id, at(0), at(HOUR)).await;
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
        sessions::create(&mut store.db(), "s1", anne.id, ws.id, at(0), at(HOUR)).await.unwrap();

        let principal = sessions::principal(&mut store.db(), "s1", at(1)).await.unwrap().expect("live session");
        assert_eq!(principal.user, anne);
        assert_eq!(principal.workspace_name, "Acme");
        assert_eq!(principal.workspace_time_zone, "Europe/Paris");
        assert!(sessions::principal(&mut store.db(), "s1", at(HOUR - 1)).await.unwrap().is_some());
        assert!(sessions::principal(&mut store.db(), "s1", at(HOUR)).await.unwrap().is_none(), "expired at expires_at");
        assert!(sessions::principal(&mut store.db(), "s1", at(2 * HOUR)).await.unwrap().is_none());
        assert!(sessions::principal(&mut store.db(), "unknown", at(1)).await.unwrap().is_none());
    });
}

#[test]
fn session_principal_is_none_while_the_user_is_deactivated() {
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        let anne = user(&store, ws.id, "anne@example.com", "Anne", Role::AccountManager).await;
        sessions::create(&mut store.db(), "s1", anne.id, ws.id, at(0), at(HOUR)).await.unwrap();

        users::set_active(&mut store.db(), ws.id, anne.id, false, at(1)).await.unwrap();
        assert!(sessions::principal(&mut store.db(), "s1", at(2)).await.unwrap().is_none());
        users::set_active(&mut store.db(), ws.id, anne.id, true, at(3)).await.unwrap();
        assert!(sessions::principal(&mut store.db(), "s1", at(4)).await.unwrap().is_some());
    });
}

#[test]
fn sessions_are_deleted_one_by_one_per_user_and_when_expired() {
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        let anne = user(&store, ws.id, "anne@example.com", "Anne", Role::Admin).await;
        let bob = user(&store, ws.id, "bob@example.com", "Bob", Role::Admin).await;
        let db = &mut store.db();
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
            async move { sessions::principal(&mut store.db(), hash, at(now)).await.unwrap().is_some() }
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
        let db = &mut store.db();
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

        // Where the link leads once used (the scorecard a client is asked to fill in).
        assert_eq!(magic_links::find_by_token(db, "t3").await.unwrap().unwrap().next_path, None);
        magic_links::set_next_path(db, invitation, "/engagements/x/scorecard").await.unwrap();
        let led = magic_links::find_by_token(db, "t3").await.unwrap().unwrap();
        assert_eq!(led.next_path.as_deref(), Some("/engagements/x/scorecard"));
    });
}

#[test]
fn staff_names_list_active_staff_only_and_workspace_ids_list_every_workspace() {
    for_each_engine(|store| async move {
        let acme = workspace(&store, "Acme").await;
        let globex = workspace(&store, "Globex").await;
        let zoe = user(&store, acme.id, "zoe@acme.test", "Zoé Admin", Role::Admin).await;
        let bob = user(&store, acme.id, "bob@acme.test", "bob Manager", Role::Manager).await;
        user(&store, acme.id, "carl@client.test", "Carl Client", Role::ClientContact).await;
        user(&store, acme.id, "nina@acme.test", "Nina New", Role::NewHire).await;
        let gone = user(&store, acme.id, "gone@acme.test", "Gone Coach", Role::Coach).await;
        user(&store, globex.id, "gus@globex.test", "Gus Admin", Role::Admin).await;
        let db = &mut store.db();
        users::set_active(db, acme.id, gone.id, false, at(1)).await.unwrap();
        let names = users::staff_names(db, acme.id, 10).await.unwrap();
        assert_eq!(
            names,
            vec![(bob.id, "bob Manager".to_string()), (zoe.id, "Zoé Admin".to_string())],
            "by name, case aside"
        );
        assert_eq!(users::staff_names(db, acme.id, 1).await.unwrap().len(), 1, "limited");
        let ids = workspaces::all_ids(db).await.unwrap();
        assert_eq!(ids, vec![acme.id.to_string(), globex.id.to_string()], "oldest first");
    });
}

#[test]
fn magic_link_token_hashes_are_unique() {
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        let carl = user(&store, ws.id, "carl@example.com", "Carl", Role::ClientContact).await;
        let db = &mut store.db();
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
        let db = &mut store.db();
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
        let db = &mut store.db();
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
        let db = &mut store.db();
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
    let token = api_tokens::create(&mut store.db(), new, now).await.unwrap();
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
        let db = &mut store.db();

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
        let db = &mut store.db();

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
        let db = &mut store.db();

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
        users::set_active(&mut store.db(), ws.id, anne.id, false, at(1)).await.unwrap();
        assert!(api_tokens::principal(&mut store.db(), "h1").await.unwrap().is_none());
    });
}

#[test]
fn api_token_hashes_are_unique() {
    for_each_engine(|store| async move {
        let ws = workspace(&store, "Acme").await;
        let anne = user(&store, ws.id, "anne@example.com", "Anne", Role::AccountManager).await;
        api_token(&store, ws.id, anne.id, "one", "same", at(0)).await;
        let new = NewApiToken { workspace_id: ws.id, user_id: anne.id, name: "two", token_hash: "same", prefix: "sa" };
        assert_conflict(api_tokens::create(&mut store.db(), new, at(1)).await, "api_tokens_hash_key");
    });
}
