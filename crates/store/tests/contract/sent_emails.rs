//! The store contract: the list of sent emails.

use super::*;

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
        emails::record(&mut store.db(), other.id, &sent_email(99, at(HOUR))).await.unwrap();

        // 25 emails, recorded out of order, three per instant so that ties on the
        // time are broken by id, including across a page boundary.
        let mut sent = Vec::new();
        for n in 0..25 {
            let i = (n * 7) % 25;
            let email = sent_email(i, at((i / 3) as i64 * 1000));
            emails::record(&mut store.db(), ws.id, &email).await.unwrap();
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
            let page = emails::list(&mut store.db(), ws.id, before, 10).await.unwrap();
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
        emails::record(&mut store.db(), acme.id, &email).await.unwrap();

        assert_eq!(emails::get(&mut store.db(), acme.id, email.id).await.unwrap().as_ref(), Some(&email));
        assert_eq!(emails::get(&mut store.db(), globex.id, email.id).await.unwrap(), None);
        assert!(emails::list(&mut store.db(), globex.id, None, 10).await.unwrap().is_empty());
        assert_eq!(emails::get(&mut store.db(), acme.id, EmailId::new()).await.unwrap(), None);
    });
}
