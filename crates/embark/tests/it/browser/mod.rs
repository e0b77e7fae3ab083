//! Real headless Chromium, driven through WebDriver, clicking like a person.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`./scripts/test` installs them).
//! Every page a test reaches is checked with axe-core (vendored in `vendor/`) against
//! WCAG 2.1 A and AA: a serious or critical violation fails the test (see [`seen`]).
//! Set `EMBARK_SCREENSHOTS=DIR` to keep a screenshot of every page visited.

use axum::http::StatusCode;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use thirtyfour::prelude::*;
use thirtyfour::ChromiumLikeCapabilities;

use crate::helpers::{link_in, TestApp};

struct Chrome {
    process: Child,
    url: String,
    profiles: Vec<PathBuf>,
}

impl Chrome {
    /// Starts chromedriver on a free port and waits until it answers.
    async fn start() -> Chrome {
        let driver = std::env::var("EMBARK_TEST_CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        assert!(
            std::path::Path::new(&driver).exists(),
            "chromedriver not found at {driver}: run ./scripts/test (it installs chromium and chromium-driver), \
             or `apt-get install chromium chromium-driver`, or set EMBARK_TEST_CHROMEDRIVER"
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let process = Command::new(&driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {driver}: {e}"));
        let deadline = Instant::now() + Duration::from_secs(20);
        while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start listening on port {port}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Chrome { process, url: format!("http://127.0.0.1:{port}"), profiles: Vec::new() }
    }

    /// A fresh browser (its own profile: cookies are not shared) with a window size.
    async fn session(&mut self, width: u32, height: u32) -> WebDriver {
        let chrome = std::env::var("EMBARK_TEST_CHROME").unwrap_or_else(|_| "/usr/bin/chromium".into());
        assert!(
            std::path::Path::new(&chrome).exists(),
            "chromium not found at {chrome}: run ./scripts/test or `apt-get install chromium`"
        );
        let profile = std::env::temp_dir().join(format!("embark-chrome-{}", uuid::Uuid::new_v4()));
        let mut caps = DesiredCapabilities::chrome();
        caps.set_binary(&chrome).unwrap();
        for arg in [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            &format!("--window-size={width},{height}"),
            &format!("--user-data-dir={}", profile.display()),
        ] {
            caps.add_arg(arg).unwrap();
        }
        self.profiles.push(profile);
        let driver = WebDriver::new(&self.url, caps).await.expect("a Chromium session");
        driver.set_window_rect(0, 0, width, height).await.unwrap();
        driver
    }
}

impl Drop for Chrome {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
        for p in &self.profiles {
            let _ = std::fs::remove_dir_all(p);
        }
    }
}

/// Waits until the page's visible text contains `text`.
async fn wait_for_text(driver: &WebDriver, text: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        // The page may be between two documents: then there is no body yet.
        let body = match driver.find(By::Tag("body")).await {
            Ok(b) => b.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if body.contains(text) {
            return;
        }
        assert!(Instant::now() < deadline, "page never showed {text:?}; it shows:\n{body}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A page the test has reached, in the state it shows: axe-core checks it against
/// WCAG 2.1 AA, and with `EMBARK_SCREENSHOTS=DIR` it is kept as `DIR/name.png`.
async fn seen(driver: &WebDriver, name: &str) {
    screenshot(driver, name).await;
    axe(driver, name).await;
}

/// With `EMBARK_SCREENSHOTS=DIR`, keeps the whole page (not only the window) as `DIR/name.png`.
async fn screenshot(driver: &WebDriver, name: &str) {
    if let Ok(dir) = std::env::var("EMBARK_SCREENSHOTS") {
        use base64::Engine as _;
        std::fs::create_dir_all(&dir).unwrap();
        // A page still laying out (a window just brought back) may have no width yet: try again.
        let mut tries = 0;
        let shot = loop {
            let args = serde_json::json!({"format": "png", "captureBeyondViewport": true});
            match driver.cdp().send_raw("Page.captureScreenshot", args).await {
                Ok(shot) => break shot,
                Err(e) if tries < 20 && e.to_string().contains("0 width") => {
                    tries += 1;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("{name}: no screenshot: {e}"),
            }
        };
        let png = base64::engine::general_purpose::STANDARD.decode(shot["data"].as_str().unwrap()).unwrap();
        std::fs::write(PathBuf::from(dir).join(format!("{name}.png")), png).unwrap();
    }
}

/// axe-core, vendored (see `vendor/README.md`).
const AXE_SOURCE: &str = include_str!("vendor/axe.min.js");

/// The WCAG 2.1 A and AA rules of axe-core.
const AXE_RUN: &str = r#"
var done = arguments[arguments.length - 1];
axe.run(document, {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  resultTypes: ['violations']
}).then(function (r) {
  done({ violations: r.violations
    .filter(function (v) { return v.impact === 'serious' || v.impact === 'critical'; })
    .map(function (v) {
      return { id: v.id, impact: v.impact, help: v.help, url: v.helpUrl, nodes: v.nodes.map(function (n) {
        return { target: n.target.map(function (t) { return Array.isArray(t) ? t.join(' >>> ') : String(t); }).join(', '),
                 html: n.html, summary: n.failureSummary || '' };
      }) };
    }) });
}, function (e) { done({ error: String(e && e.stack || e) }); });
"#;

/// Checks the page shown against WCAG 2.1 A and AA with axe-core, and fails the
/// test with every serious or critical violation: the rule, what it asks, and
/// each element (its selector and its HTML) with axe's reason.
async fn axe(driver: &WebDriver, name: &str) {
    driver.execute(AXE_SOURCE, Vec::new()).await.unwrap_or_else(|e| panic!("{name}: cannot inject axe-core: {e}"));
    let result = driver
        .execute_async(AXE_RUN, Vec::new())
        .await
        .unwrap_or_else(|e| panic!("{name}: axe-core did not run: {e}"))
        .json()
        .clone();
    if let Some(error) = result.get("error") {
        panic!("{name}: axe-core failed: {error}");
    }
    let violations = result["violations"].as_array().cloned().unwrap_or_default();
    if violations.is_empty() {
        return;
    }
    let url = driver.current_url().await.map(|u| u.to_string()).unwrap_or_default();
    let mut report = format!("{name} ({url}) breaks WCAG 2.1 AA (axe-core, serious and critical):\n");
    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
    for v in &violations {
        let nodes = v["nodes"].as_array().cloned().unwrap_or_default();
        report += &format!(
            "\n[{}] {}: {} ({} element{}) {}\n",
            text(&v["impact"]),
            text(&v["id"]),
            text(&v["help"]),
            nodes.len(),
            if nodes.len() == 1 { "" } else { "s" },
            text(&v["url"]),
        );
        for n in &nodes {
            report += &format!("  - {}\n    {}\n", text(&n["target"]), text(&n["html"]));
            for line in text(&n["summary"]).lines() {
                report += &format!("      {line}\n");
            }
        }
    }
    panic!("{report}");
}

async fn fill(driver: &WebDriver, css: &str, value: &str) {
    let el = driver.find(By::Css(css)).await.unwrap_or_else(|e| panic!("no {css}: {e}"));
    el.clear().await.unwrap();
    el.send_keys(value).await.unwrap();
}

async fn click(driver: &WebDriver, css: &str) {
    driver.find(By::Css(css)).await.unwrap_or_else(|e| panic!("no {css}: {e}")).click().await.unwrap();
}

async fn sign_in(driver: &WebDriver, base: &str, email: &str, password: &str) {
    driver.goto(format!("{base}/login")).await.unwrap();
    fill(driver, "#email", email).await;
    fill(driver, "#password", password).await;
    click(driver, "form[action='/login'] button[type=submit]").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_invites_a_client_who_signs_in_from_the_email() {
    let app = TestApp::spawn().await;
    embark::demo::seed(&app.state).await.unwrap();
    let base = app.serve();
    let mut chrome = Chrome::start().await;
    let admin = chrome.session(1280, 900).await;

    sign_in(&admin, &base, embark::demo::ADMIN, embark::demo::PASSWORD).await;
    // The demo admin reads French; switch to English, then back to French.
    wait_for_text(&admin, "Bonjour Alice").await;
    click(&admin, ".lang-switch button[value=en]").await;
    wait_for_text(&admin, "Hello Alice").await;
    seen(&admin, "admin-home-en").await;
    click(&admin, ".lang-switch button[value=fr]").await;
    wait_for_text(&admin, "Bonjour Alice").await;

    click(&admin, "nav a[href='/users']").await;
    wait_for_text(&admin, "Inviter quelqu'un").await;
    fill(&admin, "#invite-name", "Camille Client").await;
    fill(&admin, "#invite-email", "camille@client.test").await;
    click(&admin, "#invite-role option[value=client_contact]").await;
    seen(&admin, "invite-filled").await;
    click(&admin, "#invite-form button[type=submit]").await;
    wait_for_text(&admin, "Invitation envoyée.").await;
    wait_for_text(&admin, "Camille Client").await;
    seen(&admin, "invite-sent").await;

    assert_eq!(app.drain_jobs().await, 1);
    let mail = app.emails_to("camille@client.test").pop().expect("an email to the client");
    assert!(mail.subject.starts_with("Votre lien de connexion"), "{}", mail.subject);
    let link = link_in(&mail, "http");

    // A second browser, with no cookies of the first.
    let client = chrome.session(390, 844).await;
    client.goto(&link).await.unwrap();
    wait_for_text(&client, "Camille Client").await;
    seen(&client, "magic-link").await;
    click(&client, "#continue").await;
    wait_for_text(&client, "Bonjour Camille").await;
    wait_for_text(&client, "Contact client").await;
    seen(&client, "client-home-phone").await;
    // The client has no admin navigation.
    assert!(client.find(By::Css("nav a[href='/users']")).await.is_err());

    // The link works once.
    let again = chrome.session(390, 844).await;
    again.goto(&link).await.unwrap();
    wait_for_text(&again, "already used").await;
    seen(&again, "magic-link-used").await;

    admin.quit().await.unwrap();
    client.quit().await.unwrap();
    again.quit().await.unwrap();
}

/// Every page, in both languages, at a phone and a desktop width: nothing
/// overflows sideways, and the first Tab reaches the skip link.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_fit_a_phone_and_a_desktop_in_both_languages() {
    let app = TestApp::spawn().await;
    embark::demo::seed(&app.state).await.unwrap();
    let base = app.serve();
    let mut chrome = Chrome::start().await;
    let mut admin_http = app.client();
    admin_http.sign_in(embark::demo::ADMIN, embark::demo::PASSWORD).await;
    // An email in the outbox, so that its pages have content.
    admin_http.post_form("/login/link", &[("email", embark::demo::CLIENT)]).await;
    app.drain_jobs().await;
    let email_id: (String,) =
        embark_store::query_as("SELECT id FROM emails").fetch_one(&mut app.state.store.db()).await.unwrap();
    let am_id: (String,) = embark_store::query_as("SELECT id FROM users WHERE role = 'account_manager'")
        .fetch_one(&mut app.state.store.db())
        .await
        .unwrap();
    let client_id: (String,) = embark_store::query_as("SELECT id FROM users WHERE role = 'client_contact'")
        .fetch_one(&mut app.state.store.db())
        .await
        .unwrap();
    let kickoff: (String,) =
        embark_store::query_as("SELECT id FROM playbooks WHERE key = 'recruitment-kickoff' AND language = 'fr'")
            .fetch_one(&mut app.state.store.db())
            .await
            .unwrap();
    let pair = format!("client_contact:{}", client_id.0);
    let r = admin_http
        .post_form(
            "/engagements",
            &[
                ("playbook_id", &kickoff.0),
                ("title", "Directeur commercial — Dubois SA"),
                ("subject", "Dubois SA"),
                ("anchor", &app.day_at(63, "10:00")),
                ("participant", &pair),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "the engagement is created: {}", r.body);
    let engagement = r.location().trim_start_matches("/engagements/").split('?').next().unwrap().to_string();
    let r =
        admin_http.post_form(&format!("/engagements/{engagement}/items/scorecard-sent"), &[("action", "done")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = admin_http
        .post_form(
            &format!("/engagements/{engagement}/items/structure"),
            &[("action", "note"), ("note", "Slide prête")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    let request: (String,) = embark_store::query_as("SELECT id FROM requests WHERE first_response_at IS NULL")
        .fetch_one(&mut app.state.store.db())
        .await
        .unwrap();

    for (width, height, device) in [(390u32, 844u32, "phone"), (1280, 900, "desktop")] {
        let d = chrome.session(width, height).await;
        for lang in ["fr", "en"] {
            d.goto(format!("{base}/login")).await.unwrap();
            click(&d, &format!(".lang-switch button[value={lang}]")).await;
            // (page, path, the status it answers, whether it is the generic error page)
            let pages = [
                ("login", "/login".to_string(), 200, false),
                ("link-invalid", "/auth/link/nope".to_string(), 404, false),
                ("not-found", "/nope".to_string(), 404, true),
                ("action-invalid", "/a/nope".to_string(), 404, false),
            ];
            for (name, path, status, error_page) in pages {
                let answered = app.client().get(&path).await.status.as_u16();
                assert_eq!(answered, status, "{path} answers {status}");
                let shown = error_page.then_some(status);
                visit(&d, &base, &path, &format!("{device}-{lang}-{name}"), width, shown).await;
            }
        }
        sign_in(&d, &base, embark::demo::ADMIN, embark::demo::PASSWORD).await;
        wait_for_text(&d, "Alice").await;
        for lang in ["fr", "en"] {
            click(&d, &format!(".lang-switch button[value={lang}]")).await;
            let pages = [
                ("home", "/".to_string(), StatusCode::OK),
                ("users", "/users".to_string(), StatusCode::OK),
                ("user", format!("/users/{}", am_id.0), StatusCode::OK),
                ("account", "/account".to_string(), StatusCode::OK),
                ("outbox", "/admin/outbox".to_string(), StatusCode::OK),
                ("outbox-email", format!("/admin/outbox/{}", email_id.0), StatusCode::OK),
                ("audit", "/admin/audit?verify=true".to_string(), StatusCode::OK),
                ("playbooks", "/playbooks".to_string(), StatusCode::OK),
                ("playbook-article", format!("/playbooks/{}", kickoff.0), StatusCode::OK),
                ("playbook-versions", format!("/playbooks/{}/versions", kickoff.0), StatusCode::OK),
                ("playbook-edit", format!("/playbooks/{}/edit", kickoff.0), StatusCode::OK),
                ("engagements", "/engagements".to_string(), StatusCode::OK),
                ("engagement-new", format!("/engagements/new?playbook={}", kickoff.0), StatusCode::OK),
                ("engagement", format!("/engagements/{engagement}"), StatusCode::OK),
                ("scorecard", format!("/engagements/{engagement}/scorecard"), StatusCode::OK),
                ("questions", format!("/engagements/{engagement}/questions"), StatusCode::OK),
                ("meeting", format!("/engagements/{engagement}/meeting"), StatusCode::OK),
                ("runner", format!("/engagements/{engagement}/runner"), StatusCode::OK),
                ("report-not-ready", format!("/engagements/{engagement}/report"), StatusCode::CONFLICT),
                ("kickoffs", "/kickoffs".to_string(), StatusCode::OK),
                ("learning", "/learning".to_string(), StatusCode::OK),
                ("course", "/learning/scorecard".to_string(), StatusCode::OK),
                ("course-module", "/learning/scorecard/modules/live".to_string(), StatusCode::OK),
                ("course-report", "/learning/scorecard/report".to_string(), StatusCode::OK),
                ("requests", "/requests".to_string(), StatusCode::OK),
                ("request-log", "/requests/new".to_string(), StatusCode::OK),
                ("request", format!("/requests/{}", request.0), StatusCode::OK),
                ("indicators", "/indicators".to_string(), StatusCode::OK),
            ];
            // The report cannot be read before the meeting: its page says so, with 409.
            for (name, path, status) in pages {
                let answered = admin_http.get(&path).await.status;
                assert_eq!(answered, status, "{path} answers {status} to the admin");
                visit(&d, &base, &path, &format!("{device}-{lang}-{name}"), width, None).await;
            }
        }
        d.quit().await.unwrap();
    }
}

/// Opens `path` and checks it is the page expected (the generic error page for
/// `error_page`'s status, never otherwise, and a page with its heading), that axe-core
/// finds no serious or critical WCAG 2.1 AA violation, that nothing overflows sideways
/// at `width`, that the first Tab reaches the skip link and that the focus shows.
async fn visit(d: &WebDriver, base: &str, path: &str, name: &str, width: u32, error_page: Option<u16>) {
    d.goto(format!("{base}{path}")).await.unwrap();
    let shown: Option<String> = d
        .execute("var e = document.querySelector('.status-code'); return e ? e.textContent.trim() : null;", Vec::new())
        .await
        .unwrap()
        .convert()
        .unwrap();
    match error_page {
        None => assert_eq!(shown, None, "{name} ({path}) is an error page"),
        Some(s) => assert_eq!(shown, Some(s.to_string()), "{name} ({path}) is the {s} page"),
    }
    let heading = d
        .execute("var h = document.querySelector('main h1'); return h ? h.textContent.trim() : '';", Vec::new())
        .await
        .unwrap()
        .convert::<String>()
        .unwrap();
    assert!(!heading.is_empty(), "{name} ({path}) has a main heading");
    let overflow = d
        .execute("return document.documentElement.scrollWidth - document.documentElement.clientWidth;", Vec::new())
        .await
        .unwrap()
        .convert::<i64>()
        .unwrap();
    seen(d, name).await;
    assert!(overflow <= 1, "{name} ({path}) overflows a {width}px window by {overflow}px");
    // Nothing past the edge, wider than its box or cut, even inside a page that fits.
    let problems = d.execute(CUT_OR_PAST, Vec::new()).await.unwrap().convert::<String>().unwrap();
    assert!(problems.is_empty(), "{name} ({path}) does not fit a {width}px window:\n{problems}");
    // Keyboard: from the top of the page, the first Tab lands on the skip link.
    d.action_chain().send_keys(Key::Tab).perform().await.unwrap();
    let focused =
        d.execute("return document.activeElement.className;", Vec::new()).await.unwrap().convert::<String>().unwrap();
    assert_eq!(focused, "skip-link", "{name}: first Tab should reach the skip link");
    // The focus shows (WCAG 2.4.7): on the skip link, and on what the next Tab reaches.
    for press in ["first", "second"] {
        if press == "second" {
            d.action_chain().send_keys(Key::Tab).perform().await.unwrap();
        }
        let ring = d.execute(FOCUS_RING, Vec::new()).await.unwrap().convert::<String>().unwrap();
        assert!(ring.is_empty(), "{name}: after the {press} Tab, the focused element shows no focus ring: {ring}");
    }
}

/// Empty when the focused element draws an outline of at least 2 px; otherwise says what it has.
const FOCUS_RING: &str = "var e = document.activeElement, s = getComputedStyle(e); \
    return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 ? '' : \
    e.outerHTML.slice(0, 120) + ' has outline ' + s.outlineStyle + ' ' + s.outlineWidth;";

/// Issue 3's flow: an account manager reads the kick-off playbook as an article,
/// starts an engagement from it, meets a gate, ticks checkpoints and sees the board.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_manager_runs_a_kickoff_from_the_builtin_playbook() {
    let app = TestApp::spawn().await;
    embark::demo::seed(&app.state).await.unwrap();
    let base = app.serve();
    let mut chrome = Chrome::start().await;
    let am = chrome.session(1280, 900).await;
    sign_in(&am, &base, embark::demo::ACCOUNT_MANAGER, embark::demo::PASSWORD).await;
    wait_for_text(&am, "Bonjour Thomas").await;

    click(&am, "nav a[href='/playbooks']").await;
    wait_for_text(&am, "Le kick-off").await;
    seen(&am, "playbooks-library").await;
    am.find(By::LinkText("Le kick-off")).await.unwrap().click().await.unwrap();
    wait_for_text(&am, "Avez-vous trouvé votre réponse\u{202f}?").await;
    wait_for_text(&am, "juge de paix").await;
    seen(&am, "kickoff-article").await;
    click(&am, "#feedback button[value=yes]").await;
    wait_for_text(&am, "Merci pour votre réponse.").await;
    seen(&am, "kickoff-article-feedback").await;

    click(&am, ".article-head a.button.primary").await;
    wait_for_text(&am, "Démarrer un engagement").await;
    fill(&am, "#title", "Directeur commercial — Dubois SA").await;
    fill(&am, "#subject", "Dubois SA").await;
    let anchor = app.day_at(63, "10:00");
    am.execute(&format!("document.getElementById('anchor').value = '{anchor}';"), Vec::new()).await.unwrap();
    choose(&am, "#role-client_contact", "Claire Dubois").await;
    choose(&am, "#role-account_manager", "Thomas Bernard").await;
    seen(&am, "engagement-new").await;
    click(&am, "#engagement-form button[type=submit]").await;
    wait_for_text(&am, "Engagement démarré").await;
    // WebDriver reports a no-break space as an ordinary one (the page has "de\u{a0}:").
    wait_for_text(&am, "En attente de :").await;
    seen(&am, "engagement-started").await;

    // The first meeting step waits for the prerequisites: ticking it is refused.
    click(&am, "#tick-ice-breaker\\.1").await;
    wait_for_text(&am, "ne peut pas commencer tant que ces prérequis sont ouverts").await;
    seen(&am, "engagement-blocked").await;

    // Tick the confirmation (no prerequisite), then close the gates and tick the ice breaker.
    click(&am, "#tick-confirmation\\.1").await;
    wait_for_text(&am, "Enregistré.").await;
    // The demo AM is certified: that prerequisite closed by itself when the engagement started.
    for gate in ["scorecard-sent", "scorecard-return-agreed", "logistics-locked"] {
        click(&am, &format!("#item-{gate} button[value=done]")).await;
        wait_for_text(&am, "Enregistré.").await;
    }
    click(&am, "#tick-ice-breaker\\.1").await;
    wait_for_text(&am, "Enregistré.").await;
    let ticked = am.find_all(By::Css(".check-button.checked")).await.unwrap().len();
    assert_eq!(ticked, 2);
    seen(&am, "engagement-progress").await;

    click(&am, "nav a[href='/engagements']").await;
    wait_for_text(&am, "Directeur commercial — Dubois SA").await;
    wait_for_text(&am, "6/12").await;
    let card = am
        .find(By::XPath(
            "//li[contains(@class, 'board-card')][.//a[text()='Directeur commercial — Dubois SA']]//progress",
        ))
        .await
        .unwrap();
    let progress = card.attr("value").await.unwrap();
    assert_eq!(progress.as_deref(), Some("50"));
    seen(&am, "board").await;
    am.quit().await.unwrap();
}

/// Reads an input's current value in the page.
async fn value_of(driver: &WebDriver, css: &str) -> String {
    driver
        .execute("return document.querySelector(arguments[0]).value;", vec![serde_json::json!(css)])
        .await
        .unwrap()
        .convert::<String>()
        .unwrap_or_default()
}

/// Waits until an input shows `expected` (pushed by the other party's edit).
async fn wait_for_value(driver: &WebDriver, css: &str, expected: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let v = value_of(driver, css).await;
        if v == expected {
            return;
        }
        assert!(Instant::now() < deadline, "{css} never became {expected:?}; it is {v:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The runner's current step title, once the page shows one (other than `not`).
async fn step_title(driver: &WebDriver, not: Option<&str>) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Ok(el) = driver.find(By::Id("step-title")).await {
            if let Ok(t) = el.text().await {
                if not != Some(t.as_str()) {
                    return t;
                }
            }
        }
        assert!(Instant::now() < deadline, "the runner never moved past {not:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Types into a field and leaves it (the page's script saves the field on its own).
/// Selects the option of the `select` list whose text contains `text`; fails if none does.
async fn choose(driver: &WebDriver, select: &str, text: &str) {
    let mut chosen = false;
    for option in driver.find_all(By::Css(format!("{select} option"))).await.unwrap() {
        if option.text().await.unwrap().contains(text) {
            option.click().await.unwrap();
            chosen = true;
        }
    }
    assert!(chosen, "no option of {select} reads {text:?}");
    let selected = driver
        .execute(
            &format!(
                "return Array.from(document.querySelector('{select}').selectedOptions).map(o => o.text).join('|');"
            ),
            Vec::new(),
        )
        .await
        .unwrap()
        .convert::<String>()
        .unwrap();
    assert!(selected.contains(text), "{select} shows {selected:?} selected, not {text:?}");
}

/// Waits until an element matches `css` (a state the page's script sets).
async fn wait_for_css(driver: &WebDriver, css: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while driver.find_all(By::Css(css)).await.unwrap().is_empty() {
        assert!(Instant::now() < deadline, "nothing ever matched {css}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn type_and_leave(driver: &WebDriver, css: &str, text: &str) {
    let el = driver.find(By::Css(css)).await.unwrap_or_else(|e| panic!("no {css}: {e}"));
    el.clear().await.unwrap();
    el.send_keys(text).await.unwrap();
    el.send_keys(Key::Tab).await.unwrap();
}

/// A real video-call link, as long as they come.
const LONG_PLACE: &str =
    "Visio : https://meet.example.com/j/84512379021?pwd=bWFydGluLWV0LWZpbHMta2lja29mZi1kaXJlY3RyaWNlLWRlcy12ZW50ZXM";
/// A real outcome, as a client writes it.
const LONG_OUTCOME: &str = "Ouvrir l'Espagne et le Portugal avec une équipe de quatre commerciaux recrutés \
    localement, formés à notre offre et autonomes avant la fin de l'exercice";

/// What elements of the page show past the window's right edge, or cut their text
/// (an element that hides what overflows it, a read-only field too narrow for its value).
const CUT_OR_PAST: &str = "var w = document.documentElement.clientWidth, out = []; \
    function scrolls(e) { for (var p = e.parentElement; p; p = p.parentElement) { \
      var o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll') return true; } return false; } \
    document.querySelectorAll('body *').forEach(function (e) { \
      var s = getComputedStyle(e); \
      if (!e.checkVisibility({ contentVisibilityAuto: true, visibilityProperty: true })) return; \
      var r = e.getBoundingClientRect(); if (r.width < 2 || r.height < 2) return; \
      var what = e.outerHTML.slice(0, 140); \
      if (r.right > w + 1 && !scrolls(e)) out.push('past the edge by ' + Math.round(r.right - w) + 'px: ' + what); \
      var field = e.tagName === 'TEXTAREA' || (e.tagName === 'INPUT' && /^(text|url|email|search|)$/.test(e.type)); \
      var own = s.overflowX === 'auto' || s.overflowX === 'scroll'; \
      if (field ? e.readOnly && (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1) \
                : s.display !== 'inline' && e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1 && !own \
                  && !scrolls(e) && e.textContent.trim()) \
        out.push((s.overflowX === 'hidden' ? 'cut: ' : 'wider than its box: ') + what); }); \
    return out.join('\\n');";

/// A page seen (axe-checked, kept as a screenshot) that fits its window: nothing past
/// the right edge, no text cut, at the width the session has.
async fn fits(driver: &WebDriver, name: &str) {
    seen(driver, name).await;
    let problems = driver.execute(CUT_OR_PAST, Vec::new()).await.unwrap().convert::<String>().unwrap();
    assert!(problems.is_empty(), "{name} does not fit its window:\n{problems}");
}

/// Issue 4's flow, with two people in two browsers: the account manager sends the
/// scorecard, the client fills it in and returns it, the logistics are locked and
/// the client confirms; readiness is green; both co-write the scorecard and see each
/// other's edits live, both sign the lock; the runner goes through the steps; the
/// report is sent and acknowledged from the email; the NPS shows on the quality panel.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_manager_and_a_client_run_a_whole_kickoff_in_two_browsers() {
    let app = TestApp::spawn().await;
    embark::demo::seed(&app.state).await.unwrap();
    let base = app.serve();
    let id_of = |sql: &'static str| {
        let mut db = app.state.store.db();
        async move { embark_store::query_as::<(String,)>(sql).fetch_one(&mut db).await.unwrap().0 }
    };
    let am_id = id_of("SELECT id FROM users WHERE email = 'am@demo.embark.test'").await;
    let client_id = id_of("SELECT id FROM users WHERE email = 'client@demo.embark.test'").await;
    let playbook = id_of("SELECT id FROM playbooks WHERE key = 'recruitment-kickoff' AND language = 'fr'").await;
    // Set-up over HTTP: the search, five days ahead, and the AM's certification.
    let mut admin = app.client();
    admin.sign_in(embark::demo::ADMIN, embark::demo::PASSWORD).await;
    let in_a_year = app.day(365);
    let r = admin
        .post_form(
            &format!("/users/{am_id}/certifications"),
            &[("expires_on", &in_a_year), ("reason", "Certified before Embark")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mut am_http = app.client();
    am_http.sign_in(embark::demo::ACCOUNT_MANAGER, embark::demo::PASSWORD).await;
    let kickoff_at = (app.now_in_paris() + jiff::Span::new().hours(120)).strftime("%Y-%m-%dT%H:%M").to_string();
    let (am_pair, client_pair) = (format!("account_manager:{am_id}"), format!("client_contact:{client_id}"));
    let r = am_http
        .post_form(
            "/engagements",
            &[
                ("playbook_id", &playbook),
                ("title", "Directrice des ventes — Martin & Fils"),
                ("subject", "Martin & Fils"),
                ("anchor", &kickoff_at),
                ("participant", &am_pair),
                ("participant", &client_pair),
            ],
        )
        .await;
    let e = r.location().trim_start_matches("/engagements/").split('?').next().unwrap().to_string();

    let mut chrome = Chrome::start().await;
    // The account manager on a desktop (a projector), the client on her phone.
    let am = chrome.session(1280, 900).await;
    let client = chrome.session(390, 844).await;
    sign_in(&am, &base, embark::demo::ACCOUNT_MANAGER, embark::demo::PASSWORD).await;
    wait_for_text(&am, "Bonjour Thomas").await;

    // The AM sends the scorecard (the default deadline is 48 h before the kick-off).
    am.goto(format!("{base}/engagements/{e}")).await.unwrap();
    click(&am, "#open-scorecard").await;
    wait_for_text(&am, "Pas encore envoyée au client.").await;
    seen(&am, "kickoff-scorecard-not-sent").await;
    click(&am, "form[action$='/scorecard/send'] button").await;
    wait_for_text(&am, "La scorecard a été envoyée au client.").await;
    seen(&am, "kickoff-scorecard-sent").await;

    // The client opens the emailed link, commits to the date, fills in and returns it.
    app.drain_jobs().await;
    let request = app.emails_to(embark::demo::CLIENT).into_iter().find(|m| m.kind == "scorecard_request").unwrap();
    client.goto(link_in(&request, "http")).await.unwrap();
    click(&client, "form[action^='/auth/link/'] button").await;
    wait_for_text(&client, "Avant le kick-off").await;
    seen(&client, "kickoff-client-scorecard-to-agree").await;
    click(&client, "form[action$='/scorecard/agree'] button").await;
    wait_for_text(&client, "votre date de retour est enregistrée").await;
    seen(&client, "kickoff-client-scorecard-agreed").await;
    type_and_leave(&client, "textarea[name=mission]", "Développer les ventes en Europe du Sud").await;
    // A long, real outcome: nothing of it may be cut, on her phone or once locked.
    type_and_leave(&client, "textarea[name=outcome_text]", LONG_OUTCOME).await;
    type_and_leave(&client, "input[name=outcome_measure]", "10 clients signés en 12 mois").await;
    type_and_leave(&client, "textarea[name=must_haves]", "Espagnol courant").await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while client
        .find_all(By::XPath("//p[contains(@class,'field-status')][contains(., 'Enregistré')]"))
        .await
        .unwrap()
        .len()
        < 3
    {
        assert!(Instant::now() < deadline, "the fields were not saved");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    fits(&client, "kickoff-client-scorecard").await;
    click(&client, "form[action$='/scorecard/return'] button").await;
    wait_for_text(&client, "la scorecard a été retournée").await;
    seen(&client, "kickoff-client-scorecard-returned").await;

    // The AM locks the logistics and invites; the client confirms from the invitation.
    am.goto(format!("{base}/engagements/{e}/meeting")).await.unwrap();
    fill(&am, "#place", LONG_PLACE).await;
    click(&am, "form[action$='/meeting/logistics'] button").await;
    wait_for_text(&am, "Logistique enregistrée.").await;
    seen(&am, "kickoff-meeting-logistics").await;
    click(&am, "#lock-logistics").await;
    wait_for_text(&am, "Logistique verrouillée.").await;
    seen(&am, "kickoff-meeting-locked").await;
    click(&am, "#send-invitation").await;
    wait_for_text(&am, "Invitation envoyée à chaque participant.").await;
    seen(&am, "kickoff-meeting-invited").await;
    app.drain_jobs().await;
    let invitation = app.emails_to(embark::demo::CLIENT).into_iter().find(|m| m.kind == "meeting_invitation").unwrap();
    assert!(invitation.calendar.as_deref().is_some_and(|c| c.contains("METHOD:REQUEST")));
    client.goto(link_in(&invitation, &format!("{base}/a/"))).await.unwrap();
    fits(&client, "kickoff-client-invitation").await;
    click(&client, "#confirm").await;
    wait_for_text(&client, "votre présence est confirmée").await;
    seen(&client, "kickoff-client-confirmed").await;
    am.refresh().await.unwrap();
    wait_for_text(&am, "Go").await;
    let red = am.find_all(By::Css("#readiness .check.ko")).await.unwrap().len();
    assert_eq!(red, 0, "readiness is green");
    seen(&am, "kickoff-readiness").await;

    // The meeting, held from the runner: the account manager never leaves it.
    am.goto(format!("{base}/engagements/{e}/meeting")).await.unwrap();
    click(&am, "#start-meeting").await;
    // Days ahead of its planned time: the runner asks before starting the clock.
    wait_for_css(&am, "#start-early").await;
    seen(&am, "kickoff-early-start").await;
    click(&am, "#start-early").await;
    wait_for_text(&am, "Ice breaker et pédagogie du kick-off").await;
    // Full screen, for a projector: no application navigation, an exit to the meeting page.
    assert!(am.find_all(By::Css(".topbar, nav.mainnav")).await.unwrap().is_empty(), "the runner is full screen");
    assert!(am.find(By::Css("#exit-runner")).await.is_ok());
    seen(&am, "kickoff-runner").await;
    am.action_chain().send_keys("t").perform().await.unwrap();
    wait_for_text(&am, "☑").await;
    seen(&am, "kickoff-runner-ticked").await;
    fill(&am, "#note", "Slide de la structure montrée").await;
    click(&am, ".note-form button").await;
    wait_for_text(&am, "Note enregistrée.").await;
    seen(&am, "kickoff-runner-note-saved").await;
    // One step per key press, to the co-writing, which brings the live scorecard editor.
    let mut titles = Vec::new();
    for _ in 0..2 {
        let before = step_title(&am, None).await;
        am.action_chain().send_keys(Key::Right).perform().await.unwrap();
        titles.push(step_title(&am, Some(&before)).await);
    }
    assert!(titles[1].starts_with("Co-rédiger et verrouiller la scorecard"), "one step per key press: {titles:?}");
    client.goto(format!("{base}/engagements/{e}/scorecard")).await.unwrap();
    // Both event streams open: the runner's editor is the scorecard page's own.
    wait_for_css(&am, "#runner-scorecard #scorecard-form[data-live=open]").await;
    wait_for_css(&client, "#scorecard-form[data-live=open]").await;
    type_and_leave(&am, "input[name=location]", "Barcelone").await;
    wait_for_value(&client, "input[name=location]", "Barcelone").await;
    type_and_leave(&client, "input[name=salary_range]", "90–110 k€").await;
    wait_for_value(&am, "input[name=salary_range]", "90–110 k€").await;
    seen(&client, "kickoff-client-cowriting").await;
    seen(&am, "kickoff-runner-cowriting").await;

    // A field in conflict says it was not saved, never "saving…": the client's page as
    // if it had missed the AM's change writes on a stale version.
    type_and_leave(&am, "input[name=location]", "Barcelone ou Madrid").await;
    wait_for_value(&client, "input[name=location]", "Barcelone ou Madrid").await;
    client
        .execute("document.getElementById('field-location').setAttribute('data-version', '1');", Vec::new())
        .await
        .unwrap();
    type_and_leave(&client, "input[name=location]", "Barcelone").await;
    wait_for_css(&client, "#field-location .conflict").await;
    wait_for_text(&client, "Non enregistré").await;
    let status = client.find(By::Css("#field-location .field-status")).await.unwrap().text().await.unwrap();
    assert!(!status.contains("Enregistrement"), "a conflict still says saving: {status:?}");
    seen(&client, "kickoff-client-conflict").await;
    click(&client, "#field-location .conflict button:last-of-type").await;
    wait_for_value(&client, "input[name=location]", "Barcelone ou Madrid").await;

    // Both sign the lock, the account manager from the runner.
    wait_for_css(&am, "#scorecard-form[data-settled=yes]").await;
    wait_for_css(&client, "#scorecard-form[data-settled=yes]").await;
    click(&am, "#sign-lock").await;
    wait_for_text(&am, "Votre signature est enregistrée").await;
    assert!(am.current_url().await.unwrap().path().ends_with("/runner"), "signed from the runner, still there");
    seen(&am, "kickoff-runner-signed").await;
    // The client's edit voids it: the runner no longer says it is recorded.
    type_and_leave(&client, "input[name=salary_range]", "95–110 k€").await;
    wait_for_text(&am, "celle-ci est annulée").await;
    let body = am.find(By::Css("body")).await.unwrap().text().await.unwrap();
    assert!(!body.contains("Votre signature est enregistrée"), "{body}");
    seen(&am, "kickoff-runner-signature-cancelled").await;
    click(&am, "#sign-lock").await;
    wait_for_text(&am, "Votre signature est enregistrée").await;
    wait_for_text(&client, "non signé").await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while client.find_all(By::Css(".signatures .badge.on")).await.unwrap().is_empty() {
        assert!(Instant::now() < deadline, "the client's page never showed the AM's signature");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    click(&client, "#sign-lock").await;
    wait_for_text(&client, "verrouillée par les deux parties").await;
    fits(&client, "kickoff-locked").await;
    // The runner follows the lock by itself.
    wait_for_css(&am, "#runner-scorecard #locked-heading").await;
    fits(&am, "kickoff-runner-locked").await;

    // The wrap-up brings the dedicated resources, the market dynamics and the open questions.
    let before = step_title(&am, None).await;
    am.action_chain().send_keys(Key::Right).perform().await.unwrap();
    assert!(step_title(&am, Some(&before)).await.starts_with("Faire le wrap-up"));
    wait_for_css(&am, "#runner-questions").await;
    fill(&am, "#resources", "Deux consultants à plein temps pendant six semaines").await;
    fill(&am, "#market_notes", "Marché tendu : peu de profils bilingues, des contre-offres fréquentes").await;
    click(&am, "#runner-conclusion form button").await;
    wait_for_text(&am, "Enregistré.").await;
    seen(&am, "kickoff-runner-wrap-up").await;

    // The next steps, set from the runner: her homework.
    let before = step_title(&am, None).await;
    am.action_chain().send_keys(Key::Right).perform().await.unwrap();
    assert!(step_title(&am, Some(&before)).await.starts_with("Définir les next steps"));
    choose(&am, "#ns-kind", "Devoirs du client").await;
    fill(&am, "#ns-title", "Briefer l'équipe commerciale").await;
    choose(&am, "#ns-owner", "Claire Dubois").await;
    click(&am, "#runner-next-steps form[action$='/meeting/next-step'] button").await;
    wait_for_text(&am, "Prochaines étapes mises à jour.").await;
    wait_for_text(&am, "Briefer l'équipe commerciale").await;
    assert!(am.current_url().await.unwrap().path().ends_with("/runner"), "the whole meeting in the runner");
    seen(&am, "kickoff-runner-next-steps").await;
    // The same runner on a phone: nothing cut or past the edge.
    let phone = chrome.session(390, 844).await;
    sign_in(&phone, &base, embark::demo::ACCOUNT_MANAGER, embark::demo::PASSWORD).await;
    wait_for_text(&phone, "Bonjour Thomas").await;
    phone.goto(format!("{base}/engagements/{e}/runner")).await.unwrap();
    wait_for_css(&phone, "#runner-next-steps").await;
    fits(&phone, "kickoff-runner-phone").await;
    phone.goto(format!("{base}/engagements/{e}/meeting")).await.unwrap();
    fits(&phone, "kickoff-meeting-phone").await;
    click(&am, "#end-meeting").await;
    wait_for_text(&am, "Relire et envoyer").await;
    seen(&am, "kickoff-report-draft").await;
    fill(&am, "#decisions", "Shortlist de 4 profils sous trois semaines.").await;
    click(&am, "form[action$='/meeting/decisions'] button").await;
    wait_for_text(&am, "Décisions enregistrées.").await;
    seen(&am, "kickoff-report").await;
    am.goto(format!("{base}/engagements/{e}/report")).await.unwrap();
    click(&am, "#send-report").await;
    wait_for_text(&am, "Le compte rendu a été envoyé.").await;
    seen(&am, "kickoff-report-sent").await;

    // The client accepts it from her home's line, then marks it done.
    client.goto(format!("{base}/")).await.unwrap();
    wait_for_text(&client, "Accepter les next steps de votre kick-off").await;
    click(&client, "a[href$='/report#next-steps']").await;
    wait_for_css(&client, "button[id^=accept-]").await;
    fits(&client, "kickoff-client-next-steps").await;
    click(&client, "button[id^=accept-]").await;
    wait_for_text(&client, "Next step accepté.").await;
    click(&client, "button[id^=homework-done-]").await;
    wait_for_text(&client, "Marqué comme fait").await;
    seen(&client, "kickoff-client-homework-done").await;

    // The client acknowledges from the email, then answers the NPS.
    app.drain_jobs().await;
    let report = app.emails_to(embark::demo::CLIENT).into_iter().find(|m| m.kind == "kickoff_report").unwrap();
    client.goto(link_in(&report, &format!("{base}/a/"))).await.unwrap();
    wait_for_text(&client, "Shortlist de 4 profils").await;
    fits(&client, "kickoff-client-report").await;
    click(&client, "#acknowledge").await;
    wait_for_text(&client, "Réception confirmée").await;
    fits(&client, "kickoff-client-acknowledged").await;
    app.drain_jobs().await;
    let nps = app.emails_to(embark::demo::CLIENT).into_iter().find(|m| m.kind == "kickoff_nps").unwrap();
    client.goto(link_in(&nps, &format!("{base}/a/"))).await.unwrap();
    seen(&client, "kickoff-nps").await;
    click(&client, "label.nps-choice:nth-child(10) span").await;
    click(&client, "form[action^='/a/'] button[type=submit]").await;
    wait_for_text(&client, "votre réponse est enregistrée").await;
    fits(&client, "kickoff-client-nps-answered").await;

    am.goto(format!("{base}/engagements/{e}/meeting")).await.unwrap();
    wait_for_text(&am, "9/10").await;
    wait_for_text(&am, "accusé de réception du client").await;
    seen(&am, "kickoff-quality").await;

    // In English too, on a phone: the runner (its next steps with her acceptance), the
    // meeting page, the report and the locked scorecard fit, nothing cut.
    phone.goto(format!("{base}/engagements/{e}/meeting")).await.unwrap();
    click(&phone, ".lang-switch button[value=en]").await;
    wait_for_text(&phone, "Kick-off meeting").await;
    fits(&phone, "kickoff-meeting-phone-en").await;
    phone.goto(format!("{base}/engagements/{e}/runner")).await.unwrap();
    wait_for_text(&phone, "Accepted by Claire Dubois").await;
    fits(&phone, "kickoff-runner-ended-phone-en").await;
    phone.goto(format!("{base}/engagements/{e}/report")).await.unwrap();
    fits(&phone, "kickoff-report-phone-en").await;
    phone.goto(format!("{base}/engagements/{e}/scorecard")).await.unwrap();
    fits(&phone, "kickoff-scorecard-locked-phone-en").await;
    client.goto(format!("{base}/engagements/{e}/report")).await.unwrap();
    click(&client, ".lang-switch button[value=en]").await;
    wait_for_text(&client, "Next steps").await;
    fits(&client, "kickoff-client-report-en").await;
    am.quit().await.unwrap();
    client.quit().await.unwrap();
    phone.quit().await.unwrap();
}

mod homes;
mod learning;
mod requests;
mod surveys;
