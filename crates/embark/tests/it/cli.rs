//! The `embark` binary: bad configuration is one clear line, never a panic.

use std::process::{Command, Stdio};

fn embark(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let dir = std::env::temp_dir().join(format!("embark-cli-{}", uuid::Uuid::new_v4()));
    let mut cmd = binary(args, &dir);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn an_unsupported_database_is_one_line_naming_the_setting() {
    let (code, _, err) = embark(&["serve"], &[("EMBARK_DATABASE_URL", "mysql://x")]);
    assert_ne!(code, 0);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("EMBARK_DATABASE_URL") && err.contains("mysql"), "{err}");
    assert!(!err.contains("panicked"));
}

#[test]
fn an_unreachable_postgres_is_one_line_naming_the_setting() {
    let (code, _, err) =
        embark(&["migrate"], &[("EMBARK_DATABASE_URL", "postgres://embark:secret-pw@127.0.0.1:1/embark")]);
    assert_ne!(code, 0);
    let last = err.trim().lines().last().unwrap_or("");
    assert!(last.starts_with("embark: EMBARK_DATABASE_URL: database unreachable"), "{err}");
    assert!(!err.contains("secret-pw"), "the password must not be printed: {err}");
    assert!(!err.contains("panicked"));
}

#[test]
fn bad_flags_and_values_are_refused() {
    let (code, _, err) = embark(&["serve", "--bind", "nowhere"], &[]);
    assert_eq!(code, 2);
    assert!(err.contains("EMBARK_BIND"), "{err}");
    let (code, _, err) = embark(&["serve"], &[("EMBARK_MAX_CONNECTIONS", "lots")]);
    assert_eq!(code, 2);
    assert!(err.contains("EMBARK_MAX_CONNECTIONS"), "{err}");
}

#[test]
fn unknown_settings_are_warned_about() {
    let (code, out, err) = embark(&["migrate"], &[("EMBARK_COLOR", "blue")]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("database is up to date"));
    assert!(err.contains("EMBARK_COLOR"), "{err}");
}

#[test]
fn user_create_makes_the_first_admin_from_a_password_file() {
    let dir = std::env::temp_dir().join(format!("embark-cli-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let pw = dir.join("pw");
    std::fs::write(&pw, "a strong password\n").unwrap();
    let db = format!("sqlite://{}/e.db", dir.display());
    let args = [
        "user",
        "create",
        "--workspace",
        "Acme",
        "--email",
        "Ada@Acme.test",
        "--role",
        "admin",
        "--password-file",
        pw.to_str().unwrap(),
    ];
    let (code, out, err) = embark(&args, &[("EMBARK_DATABASE_URL", &db)]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("created ada@acme.test (admin)"), "{out}");
    let (code, _, err) = embark(&args, &[("EMBARK_DATABASE_URL", &db)]);
    assert_ne!(code, 0);
    assert!(err.contains("already has an account"), "{err}");
    let (code, _, err) = embark(
        &[
            "user",
            "create",
            "--workspace",
            "Acme",
            "--email",
            "x@acme.test",
            "--role",
            "client_contact",
            "--password-file",
            pw.to_str().unwrap(),
        ],
        &[("EMBARK_DATABASE_URL", &db)],
    );
    assert_eq!(code, 2);
    assert!(err.contains("--role"), "{err}");
    std::fs::write(&pw, "short").unwrap();
    let (code, _, err) = embark(
        &[
            "user",
            "create",
            "--workspace",
            "Acme",
            "--email",
            "y@acme.test",
            "--role",
            "coach",
            "--password-file",
            pw.to_str().unwrap(),
        ],
        &[("EMBARK_DATABASE_URL", &db)],
    );
    assert_ne!(code, 0);
    assert!(err.contains("at least 10 characters"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn playbook_check_prints_file_line_col_and_exits_one() {
    let dir = std::env::temp_dir().join(format!("embark-cli-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.md");
    std::fs::write(&good, embark_core::playbooks::builtin::BUILTINS[0].text).unwrap();
    let bad = dir.join("bad.md");
    std::fs::write(&bad, "---\ntitle: x\nlanguage: de\nkind: journey\nanchor: start_date\nroles: a\n---\n\n## P\n\n### S\ndue: start_date + 2 days\n").unwrap();
    let (code, out, _) = embark(&["playbook", "check", good.to_str().unwrap()], &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("good.md: ok (Le kick-off, 8 steps)"), "{out}");
    let (code, out, _) = embark(&["playbook", "check", good.to_str().unwrap(), bad.to_str().unwrap()], &[]);
    assert_eq!(code, 1);
    let bad_name = bad.display().to_string();
    assert!(out.contains(&format!("{bad_name}:3:11: unknown language `de`")), "{out}");
    assert!(out.contains(&format!("{bad_name}:12:6: unknown unit `days`")), "{out}");
    let (code, out, _) = embark(&["playbook", "check", dir.join("missing.md").to_str().unwrap()], &[]);
    assert_eq!(code, 1);
    assert!(out.contains("cannot read"), "{out}");
    // A file saved as Latin-1: the position of its first byte that is not UTF-8.
    let latin1 = dir.join("latin1.md");
    std::fs::write(&latin1, b"---\ntitle: R\xe9union\n---\n").unwrap();
    let (code, out, _) = embark(&["playbook", "check", latin1.to_str().unwrap()], &[]);
    assert_eq!(code, 1);
    let name = latin1.display().to_string();
    assert!(out.contains(&format!("{name}:2:9: not UTF-8 text (byte 0xE9)")), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn playbook_import_then_export_gives_the_same_document() {
    let dir = std::env::temp_dir().join(format!("embark-cli-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite://{}/e.db", dir.display());
    let env = [("EMBARK_DATABASE_URL", db.as_str())];
    let pw = dir.join("pw");
    std::fs::write(&pw, "a strong password").unwrap();
    let (code, _, err) = embark(
        &[
            "user",
            "create",
            "--workspace",
            "Acme",
            "--email",
            "a@acme.test",
            "--role",
            "admin",
            "--password-file",
            pw.to_str().unwrap(),
        ],
        &env,
    );
    assert_eq!(code, 0, "{err}");
    let doc = embark_core::playbooks::builtin::BUILTINS[1].text.replace("The kick-off", "Our kick-off");
    let file = dir.join("ours.md");
    std::fs::write(&file, &doc).unwrap();
    let (code, out, err) =
        embark(&["playbook", "import", file.to_str().unwrap(), "--workspace", "Acme", "--key", "our-kickoff"], &env);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("created"), "{out}");
    let id = out.split("playbook ").nth(1).unwrap().split(',').next().unwrap().to_string();
    let (code, exported, err) = embark(&["playbook", "export", &id], &env);
    assert_eq!(code, 0, "{err}");
    assert_eq!(exported, doc);
    let (_, out, _) =
        embark(&["playbook", "import", file.to_str().unwrap(), "--workspace", "Acme", "--key", "our-kickoff"], &env);
    assert!(out.contains("unchanged"), "{out}");
    std::fs::write(&file, doc.replace("duration: 1 h", "duration: 10 min")).unwrap();
    let (code, out, _) =
        embark(&["playbook", "import", file.to_str().unwrap(), "--workspace", "Acme", "--key", "our-kickoff"], &env);
    assert_eq!(code, 1);
    assert!(out.contains("more than its duration of 10 min"), "{out}");
    let (code, _, err) = embark(&["playbook", "import", file.to_str().unwrap(), "--workspace", "Nowhere"], &env);
    assert_eq!(code, 2);
    assert!(err.contains("--workspace"), "{err}");
    let (code, _, err) = embark(&["playbook", "export", &id, "--version", "7"], &env);
    assert_eq!(code, 1);
    assert!(err.contains("no version 7"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn course_check_import_and_export_speak_in_file_line_col_and_give_back_the_same_document() {
    let dir = std::env::temp_dir().join(format!("embark-cli-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("scorecard.fr.md");
    let doc = embark_core::learning::builtin::find("scorecard", embark_core::Locale::Fr).unwrap().text;
    std::fs::write(&good, doc).unwrap();
    let bad = dir.join("bad.md");
    std::fs::write(&bad, "---\ntitle: x\nlanguage: en\ncertification: 12 months\n---\n\n## M\n\nText.\n").unwrap();
    let (code, out, _) = embark(&["course", "check", good.to_str().unwrap()], &[]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("scorecard.fr.md: ok (La scorecard, en théorie et en pratique, 5 modules, 15 questions)"),
        "{out}"
    );
    let (code, out, _) = embark(&["course", "check", good.to_str().unwrap(), bad.to_str().unwrap()], &[]);
    assert_eq!(code, 1);
    assert!(out.contains(&format!("{}:4:1: a course that certifies needs an exam", bad.display())), "{out}");

    let db = format!("sqlite://{}/e.db", dir.display());
    let env = [("EMBARK_DATABASE_URL", db.as_str())];
    let pw = dir.join("pw");
    std::fs::write(&pw, "a strong password").unwrap();
    let args =
        ["user", "create", "--workspace", "Acme", "--email", "a@acme.test", "--role", "admin", "--password-file"];
    let (code, _, err) = embark(&[&args[..], &[pw.to_str().unwrap()]].concat(), &env);
    assert_eq!(code, 0, "{err}");
    let ours = dir.join("ours.md");
    let edited = doc.replace("La scorecard, en théorie", "Notre scorecard, en théorie");
    std::fs::write(&ours, &edited).unwrap();
    let (code, out, err) =
        embark(&["course", "import", ours.to_str().unwrap(), "--workspace", "Acme", "--key", "scorecard"], &env);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("new_version (course scorecard, version 2)"), "the built-in was version 1: {out}");
    let (code, exported, err) =
        embark(&["course", "export", "scorecard", "--workspace", "Acme", "--language", "fr"], &env);
    assert_eq!(code, 0, "{err}");
    assert_eq!(exported, edited, "byte for byte");
    let (code, first, _) =
        embark(&["course", "export", "scorecard", "--workspace", "Acme", "--language", "fr", "--version", "1"], &env);
    assert_eq!((code, first.as_str()), (0, doc), "the first version is kept");
    let (code, out, _) = embark(&["course", "import", bad.to_str().unwrap(), "--workspace", "Acme"], &env);
    assert_eq!(code, 1);
    assert!(out.contains(":4:1: a course that certifies needs an exam"), "{out}");
    let (code, _, err) = embark(&["course", "export", "scorecard", "--workspace", "Acme", "--language", "de"], &env);
    assert_eq!(code, 2);
    assert!(err.contains("--language"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The binary on its own data directory, in a clean environment: a developer's
/// EMBARK_DATABASE_URL (or any setting) must not leak in.
fn binary(args: &[&str], dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_embark"));
    cmd.env_clear();
    for keep in ["PATH", "HOME", "TMPDIR", "LANG"] {
        if let Some(v) = std::env::var_os(keep) {
            cmd.env(keep, v);
        }
    }
    cmd.args(args).env("EMBARK_DATA_DIR", dir).env("EMBARK_BIND", "127.0.0.1:0").stdin(Stdio::null());
    cmd
}

/// One HTTP/1.1 exchange on a fresh connection: the status line and the body.
fn http(addr: &str, request: &str) -> String {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

/// Waits (a process outside the test's clock: a deadline, not a measure) until the
/// outbox holds an email whose text contains every one of `needles`.
fn wait_for_email(outbox: &std::path::Path, needles: &[&str]) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let found = std::fs::read_dir(outbox).into_iter().flatten().flatten().find_map(|e| {
            let text = std::fs::read_to_string(e.path()).ok()?;
            needles.iter().all(|n| text.contains(n)).then_some(text)
        });
        if let Some(text) = found {
            return text;
        }
        assert!(std::time::Instant::now() < deadline, "no email with {needles:?} in {}", outbox.display());
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

fn stop(child: &mut std::process::Child) -> i32 {
    let pid = child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    child.wait().unwrap().code().unwrap_or(-1)
}

#[test]
fn embark_serve_answers_sends_mail_from_its_own_worker_and_stops_cleanly_on_sigterm() {
    use std::io::BufRead;
    let dir = std::env::temp_dir().join(format!("embark-serve-{}", uuid::Uuid::new_v4()));
    let mut child = binary(&["serve", "--demo"], &dir).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let addr = first
        .strip_prefix("Embark is listening on http://")
        .and_then(|rest| rest.split(' ').next())
        .unwrap_or_else(|| panic!("{first}"))
        .to_string();
    assert!(first.contains("emails go to the outbox"), "{first}");
    let demo: Vec<String> = lines.by_ref().take(3).map(Result::unwrap).collect();
    assert!(demo.iter().any(|l| l.contains(embark::demo::ADMIN)), "the demo's accounts are printed: {demo:?}");

    let ready = http(&addr, "GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert!(ready.starts_with("HTTP/1.1 200"), "{ready}");
    // The demo client asks for a sign-in link; the worker inside the server sends it.
    let csrf = "c".repeat(40);
    let form = format!("email={}", embark::demo::CLIENT.replace('@', "%40"));
    let asked = http(
        &addr,
        &format!(
            "POST /login/link HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: embark_csrf={csrf}\r\n\
             x-csrf-token: {csrf}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}",
            form.len()
        ),
    );
    assert!(asked.starts_with("HTTP/1.1 303") || asked.starts_with("HTTP/1.1 200"), "{asked}");
    // Its sign-in link (the outbox keeps what was sent, its link included).
    wait_for_email(&dir.join("outbox"), &[embark::demo::CLIENT, "/auth/link/"]);

    assert_eq!(stop(&mut child), 0, "SIGTERM is a clean stop");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn embark_worker_sends_what_is_queued_and_stops_cleanly_on_sigterm() {
    let dir = std::env::temp_dir().join(format!("embark-worker-{}", uuid::Uuid::new_v4()));
    // A database with the demo, and a sign-in link queued by the use case a page calls.
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let mut env = std::collections::BTreeMap::new();
        env.insert("EMBARK_DATA_DIR".to_string(), dir.display().to_string());
        let config = embark::config::Config::from_sources(&env, None, &embark::config::Overrides::default(), |p| {
            std::fs::read_to_string(p)
        })
        .unwrap()
        .config;
        let store = embark::app::open_store(&config).await.unwrap();
        let outbox = embark::email::Transport::Outbox(config.outbox_dir());
        let state = embark::state::AppState::new(store, config, outbox).unwrap();
        embark::demo::seed(&state).await.unwrap();
        embark::accounts::service::request_sign_in_link(&state, embark::demo::NEW_HIRE, [127, 0, 0, 1].into())
            .await
            .unwrap();
    });
    drop(rt);
    let mut child = binary(&["worker"], &dir).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    wait_for_email(&dir.join("outbox"), &[embark::demo::NEW_HIRE, "/auth/link/"]);
    assert_eq!(stop(&mut child), 0, "SIGTERM is a clean stop");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn embark_backup_then_restore_into_an_empty_data_directory_and_postgres_is_told_of_pg_dump() {
    let root = std::env::temp_dir().join(format!("embark-backup-cli-{}", uuid::Uuid::new_v4()));
    let (source, target) = (root.join("source"), root.join("target"));
    let file = root.join("copy.db");
    let run = |args: &[&str], dir: &std::path::Path| {
        let out = binary(args, dir).output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    assert_eq!(run(&["migrate"], &source).0, 0);
    let (code, out, err) = run(&["backup", file.to_str().unwrap()], &source);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with(&format!("backed up to {}", file.display())), "{out}");
    let (code, _, err) = run(&["backup", file.to_str().unwrap()], &source);
    assert_eq!(code, 2);
    assert!(err.contains("already exists: choose a new file name"), "{err}");
    let (code, out, err) = run(&["restore", file.to_str().unwrap()], &target);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("restored") && target.join("embark.db").exists(), "{out}");
    let (code, _, err) = run(&["restore", file.to_str().unwrap()], &target);
    assert_eq!(code, 2);
    assert!(err.contains("already holds a database: restore into an empty data directory"), "{err}");
    assert_eq!(run(&["migrate"], &target).0, 0, "the restored instance opens");
    // On PostgreSQL: how to use pg_dump, without connecting anywhere.
    let (code, _, err) = embark(
        &["backup", root.join("pg.db").to_str().unwrap()],
        &[("EMBARK_DATABASE_URL", "postgres://embark:secret-pw@127.0.0.1:1/embark")],
    );
    assert_eq!(code, 2);
    assert!(err.contains("pg_dump --format=custom") && !err.contains("secret-pw"), "{err}");
    let _ = std::fs::remove_dir_all(&root);
}
