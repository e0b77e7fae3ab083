//! With `EMBARK_SMTP_URL` set, email goes through SMTP: a minimal SMTP server
//! on loopback receives it.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use embark::config::{Config, Overrides};
use embark::state::AppState;
use embark_core::Role;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::helpers::{count_rows, Client, PASSWORD};

/// Accepts SMTP sessions and keeps each message's DATA.
async fn smtp_sink() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(Mutex::new(Vec::new()));
    let sink = received.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let sink = sink.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 sink ESMTP\r\n").await.unwrap();
                while let Ok(Some(line)) = lines.next_line().await {
                    let upper = line.to_ascii_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") {
                        b"250-sink\r\n250 8BITMIME\r\n"
                    } else if upper.starts_with("DATA") {
                        write.write_all(b"354 end with .\r\n").await.unwrap();
                        let mut message = String::new();
                        while let Ok(Some(l)) = lines.next_line().await {
                            if l == "." {
                                break;
                            }
                            message.push_str(&l);
                            message.push('\n');
                        }
                        sink.lock().unwrap().push(message);
                        b"250 queued\r\n"
                    } else if upper.starts_with("QUIT") {
                        write.write_all(b"221 bye\r\n").await.unwrap();
                        break;
                    } else {
                        b"250 ok\r\n"
                    };
                    write.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (port, received)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_an_smtp_url_email_goes_through_smtp() {
    let (port, received) = smtp_sink().await;
    let dir = std::env::temp_dir().join(format!("embark-smtp-{}", uuid::Uuid::new_v4()));
    let mut env = BTreeMap::new();
    env.insert("EMBARK_DATA_DIR".to_string(), dir.display().to_string());
    env.insert("EMBARK_SMTP_URL".to_string(), format!("smtp://127.0.0.1:{port}"));
    env.insert("EMBARK_SMTP_FROM".to_string(), "Acme Search <hello@acme.test>".to_string());
    let config =
        Config::from_sources(&env, None, &Overrides::default(), |p| std::fs::read_to_string(p)).unwrap().config;
    let store = embark::app::open_store(&config).await.unwrap();
    let transport = embark::app::transport_for(&config).unwrap();
    assert_eq!(transport.name(), "smtp");
    let state = AppState::new(store, config, transport).unwrap();
    embark::accounts::service::create_user_with_password(
        &state,
        "Acme",
        "ada@acme.test",
        "Ada",
        Role::Admin,
        PASSWORD,
        embark_core::Locale::En,
    )
    .await
    .unwrap();
    let mut admin = Client::new(embark::app::router(state.clone()));
    admin.sign_in("ada@acme.test", PASSWORD).await;
    admin
        .post_form(
            "/users/invite",
            &[("name", "Claire"), ("email", "claire@client.test"), ("role", "client_contact"), ("locale", "fr")],
        )
        .await;
    let worker = embark::jobs::Worker::new(state.clone());
    assert_eq!(worker.run_once().await.unwrap(), 1);

    let messages = received.lock().unwrap().clone();
    assert_eq!(messages.len(), 1);
    let m = &messages[0];
    assert!(
        m.contains("From: \"Acme Search\" <hello@acme.test>") || m.contains("From: Acme Search <hello@acme.test>"),
        "{m}"
    );
    assert!(m.contains("claire@client.test"));
    assert!(m.contains("multipart/alternative"));
    let text = embark::email::text_part(&m.replace('\n', "\r\n")).expect("a text part");
    assert!(text.contains("/auth/link/") && text.contains("Bonjour Claire"), "{text}");
    assert_eq!(
        count_rows(&state, "SELECT COUNT(*) FROM emails WHERE transport = 'smtp' AND outbox_file IS NULL").await,
        1
    );
    assert!(!dir.join("outbox").exists(), "nothing written to the outbox");
    let _ = std::fs::remove_dir_all(&dir);
}
