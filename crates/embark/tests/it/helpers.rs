//! `TestApp`: the real application over a fresh database — SQLite in a temporary
//! directory, or a database of its own on the test PostgreSQL when `EMBARK_TEST_ENGINE=postgres`
//! — with its clock fixed, captured email and a job queue drained on demand. A test
//! that leaves due jobs in the queue fails, unless it says it means to.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use embark::app::Application;
use embark::config::{Config, Overrides};
use embark::email::{Email, Transport};
use embark::jobs::Worker;
use embark::state::{AppState, Clock};
use embark_core::{Locale, Role, Timestamp};
use embark_store::accounts::users::User;
use embark_store::{Engine, Store};
use tower::ServiceExt;

pub const PASSWORD: &str = "correct horse battery";

pub struct TestApp {
    pub state: AppState,
    pub router: Router,
    pub addr: SocketAddr,
    pub mails: Arc<Mutex<Vec<Email>>>,
    listener: Mutex<Option<tokio::net::TcpListener>>,
    dir: PathBuf,
    database_url: String,
    postgres: Option<FreshDb>,
    leftover_jobs_allowed: AtomicBool,
}

/// The instant every test starts at: `EMBARK_TEST_NOW` (RFC 3339, e.g.
/// `2026-12-01T21:30:00Z`) or, by default, an evening in Paris, after the hour at
/// which a demo anchored "today at 10:00" would already be late. The test command runs
/// the demo and browser tests again at a morning instant, so an hour-dependent test
/// fails on every run.
pub fn test_now() -> Timestamp {
    const DEFAULT: &str = "2026-12-01T21:30:00Z";
    let text = std::env::var("EMBARK_TEST_NOW").unwrap_or_else(|_| DEFAULT.to_string());
    let at: jiff::Timestamp =
        text.parse().unwrap_or_else(|e| panic!("EMBARK_TEST_NOW={text:?} is not an RFC 3339 instant: {e}"));
    Timestamp::from_jiff(at)
}

/// The engine HTTP tests run on: `EMBARK_TEST_ENGINE` (`sqlite`, the default, or
/// `postgres`). The test command runs them on both.
pub fn test_engine() -> Engine {
    match std::env::var("EMBARK_TEST_ENGINE").as_deref() {
        Err(_) | Ok("sqlite") => Engine::Sqlite,
        Ok("postgres") => Engine::Postgres,
        Ok(other) => panic!("EMBARK_TEST_ENGINE={other:?}: expected sqlite or postgres"),
    }
}

/// A fresh database on the test PostgreSQL (`EMBARK_TEST_POSTGRES_URL`, a superuser
/// URL), dropped when it is.
pub struct FreshDb {
    admin_url: String,
    name: String,
    pub url: String,
}

impl FreshDb {
    pub async fn create() -> FreshDb {
        let admin_url = std::env::var("EMBARK_TEST_POSTGRES_URL").expect(
            "EMBARK_TEST_POSTGRES_URL is not set: run ./scripts/test (it starts a throwaway PostgreSQL), \
             or set it to a superuser URL such as postgres://postgres@127.0.0.1:5432/postgres",
        );
        let admin = Store::connect(&admin_url, 1).await.expect("the test PostgreSQL answers");
        let name = format!("embark_it_{}", uuid::Uuid::new_v4().simple());
        embark_store::query(&format!("CREATE DATABASE {name}")).execute(&mut admin.db()).await.unwrap();
        admin.close().await;
        let (base, query) =
            admin_url.split_once('?').map(|(b, q)| (b, format!("?{q}"))).unwrap_or((admin_url.as_str(), String::new()));
        let (server, _) = base.rsplit_once('/').unwrap();
        FreshDb { url: format!("{server}/{name}{query}"), admin_url, name }
    }
}

/// Runs `work` on a store of its own, on a thread and runtime of its own: a `Drop`
/// is synchronous, may run inside the test's runtime, and cannot await its pool.
fn on_own_connection<T: Send + 'static>(
    url: &str,
    work: impl for<'a> FnOnce(&'a Store) -> futures_util::future::BoxFuture<'a, anyhow::Result<T>> + Send + 'static,
) -> anyhow::Result<T> {
    let url = url.to_string();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        rt.block_on(async {
            let store = Store::connect(&url, 1).await?;
            let result = work(&store).await;
            store.close().await;
            result
        })
    })
    .join()
    .map_err(|_| anyhow::anyhow!("the work on its own connection panicked"))?
}

impl Drop for FreshDb {
    fn drop(&mut self) {
        let name = self.name.clone();
        let dropped = on_own_connection(&self.admin_url, move |admin| {
            Box::pin(async move {
                embark_store::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut admin.db())
                    .await?;
                Ok(())
            })
        });
        if let Err(e) = dropped {
            eprintln!("could not drop test database {}: {e:#}", self.name);
        }
    }
}

/// Builds a [`TestApp`]: its clock stands at [`test_now`] and it runs on
/// [`test_engine`] unless told otherwise.
pub struct TestAppBuilder {
    now: Timestamp,
    engine: Engine,
    outbox: bool,
    settings: Vec<(String, String)>,
}

impl TestAppBuilder {
    /// Starts the application's clock at `at` instead of [`test_now`].
    pub fn at(mut self, at: Timestamp) -> Self {
        self.now = at;
        self
    }

    /// Sends email as a fresh install does, into `.eml` files in the outbox directory
    /// (no email is captured in memory then).
    pub fn with_file_outbox(mut self) -> Self {
        self.outbox = true;
        self
    }

    /// Sets an `EMBARK_*` setting as the environment would.
    pub fn setting(mut self, name: &str, value: &str) -> Self {
        self.settings.push((name.to_string(), value.to_string()));
        self
    }

    pub async fn spawn(self) -> TestApp {
        let dir = std::env::temp_dir().join(format!("embark-test-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let postgres = match self.engine {
            Engine::Sqlite => None,
            Engine::Postgres => Some(FreshDb::create().await),
        };
        let mut env = BTreeMap::new();
        env.insert("EMBARK_DATA_DIR".to_string(), dir.display().to_string());
        env.insert("EMBARK_BIND".to_string(), addr.to_string());
        if let Some(db) = &postgres {
            env.insert("EMBARK_DATABASE_URL".to_string(), db.url.clone());
        }
        env.extend(self.settings.iter().cloned());
        let config: Config =
            Config::from_sources(&env, None, &Overrides::default(), |p| std::fs::read_to_string(p)).unwrap().config;
        let database_url = config.database_url.expose().to_string();
        let store = embark::app::open_store(&config).await.unwrap();
        assert_eq!(store.engine(), self.engine);
        let mails = Arc::new(Mutex::new(Vec::new()));
        let transport =
            if self.outbox { Transport::Outbox(config.outbox_dir()) } else { Transport::Memory(mails.clone()) };
        let state = AppState::with_clock(store, config, transport, Clock::fixed(self.now)).unwrap();
        if self.engine == Engine::Postgres {
            // As `serve` does: live events reach this instance's watchers through LISTEN.
            let s = state.clone();
            tokio::spawn(async move { s.live.run_listener(&s.store, std::future::pending()).await });
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
            while !state.live.is_listening() {
                assert!(std::time::Instant::now() < deadline, "the live listener never connected");
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            }
        }
        let router = embark::app::router(state.clone());
        TestApp {
            state,
            router,
            addr,
            mails,
            listener: Mutex::new(Some(listener)),
            dir,
            database_url,
            postgres,
            leftover_jobs_allowed: AtomicBool::new(false),
        }
    }
}

impl TestApp {
    pub fn builder() -> TestAppBuilder {
        TestAppBuilder { now: test_now(), engine: test_engine(), outbox: false, settings: Vec::new() }
    }

    /// A fresh application over a fresh database, its clock at [`test_now`].
    pub async fn spawn() -> TestApp {
        Self::builder().spawn().await
    }

    /// This test means to end with due jobs in the queue (it checks what a job would do
    /// without running it, say); otherwise a test that leaves due jobs behind fails.
    pub fn allow_leftover_jobs(&self) {
        self.leftover_jobs_allowed.store(true, Ordering::Relaxed);
    }

    /// Moves the application's clock forward.
    pub fn advance(&self, by: std::time::Duration) {
        self.state.clock.advance(by);
    }

    /// The application's clock in the workspace time zone used by the tests (Paris).
    pub fn now_in_paris(&self) -> jiff::Zoned {
        self.state.now().to_jiff().to_zoned(jiff::tz::TimeZone::get("Europe/Paris").unwrap())
    }

    /// The calendar date `days` after the clock's date in Paris, as a form takes it (`2026-12-15`).
    pub fn day(&self, days: i64) -> String {
        (self.now_in_paris() + jiff::Span::new().days(days)).strftime("%Y-%m-%d").to_string()
    }

    /// `days` after the clock's date in Paris at a local time, as a form takes it (`2026-12-15T10:00`).
    pub fn day_at(&self, days: i64, time: &str) -> String {
        format!("{}T{time}", self.day(days))
    }
    /// Serves on the reserved port (for browsers), without an in-process worker:
    /// tests drain the queue themselves.
    pub fn serve(&self) -> String {
        let listener = self.listener.lock().unwrap().take().expect("serve() once");
        let app = Application::from_listener(self.state.clone(), listener, false);
        tokio::spawn(app.run_until_stopped(std::future::pending()));
        format!("http://{}", self.addr)
    }

    pub fn client(&self) -> Client {
        Client::new(self.router.clone())
    }

    /// Runs due jobs until none is left; returns how many ran.
    pub async fn drain_jobs(&self) -> usize {
        let worker = Worker::new(self.state.clone());
        let mut total = 0;
        loop {
            let n = worker.run_once().await.expect("worker");
            if n == 0 {
                return total;
            }
            total += n;
        }
    }

    pub fn emails(&self) -> Vec<Email> {
        self.mails.lock().unwrap().clone()
    }

    /// The emails sent to `to`, oldest first.
    pub fn emails_to(&self, to: &str) -> Vec<Email> {
        self.emails().into_iter().filter(|e| e.to == to).collect()
    }

    /// A staff account with [`PASSWORD`], in `workspace` (created if needed).
    pub async fn staff(&self, workspace: &str, email: &str, name: &str, role: Role) -> User {
        embark::accounts::service::create_user_with_password(
            &self.state,
            workspace,
            email,
            name,
            role,
            PASSWORD,
            Locale::En,
        )
        .await
        .unwrap()
    }

    /// A client signed in as an admin of a new workspace "Acme".
    pub async fn admin_client(&self) -> (User, Client) {
        let admin = self.staff("Acme", "admin@acme.test", "Ada Admin", Role::Admin).await;
        let mut c = self.client();
        c.sign_in("admin@acme.test", PASSWORD).await;
        (admin, c)
    }

    pub async fn user_count(&self) -> i64 {
        count_rows(&self.state, "SELECT COUNT(*) FROM users").await
    }
}

/// A single number from the database (counts in assertions).
pub async fn count_rows(state: &AppState, sql: &str) -> i64 {
    let row: (i64,) = embark_store::query_as(sql).fetch_one(&mut state.store.db()).await.unwrap();
    row.0
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let leftover = if std::thread::panicking() || self.leftover_jobs_allowed.load(Ordering::Relaxed) {
            Ok(Vec::new())
        } else {
            due_jobs(&self.database_url, self.state.now())
        };
        self.postgres.take(); // dropped now, before the directory
        let _ = std::fs::remove_dir_all(&self.dir);
        match leftover {
            Ok(jobs) if jobs.is_empty() => {}
            Ok(jobs) => panic!(
                "the test left due jobs in the queue: {jobs:?} (drain them with drain_jobs(), \
                 or say so with allow_leftover_jobs())"
            ),
            Err(e) => panic!("could not read the job queue at the end of the test: {e:#}"),
        }
    }
}

/// The kinds of the jobs due at `now` and not yet run, read over a connection of its own
/// (a `Drop` cannot await the application's pool).
fn due_jobs(url: &str, now: Timestamp) -> anyhow::Result<Vec<String>> {
    on_own_connection(url, move |store| {
        Box::pin(async move {
            let kinds: Vec<(String,)> = embark_store::query_as(
                "SELECT kind FROM jobs WHERE done_at IS NULL AND failed_at IS NULL AND run_at <= $1 ORDER BY run_at",
            )
            .bind(now.as_millis())
            .fetch_all(&mut store.db())
            .await?;
            Ok(kinds.into_iter().map(|(k,)| k).collect())
        })
    })
}

/// A browser-like client: keeps cookies, sends the CSRF token with forms.
#[derive(Clone)]
pub struct Client {
    router: Router,
    pub jar: BTreeMap<String, String>,
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Resp {
    pub fn location(&self) -> &str {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    pub fn content_type(&self) -> &str {
        self.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
}

impl Client {
    pub fn new(router: Router) -> Client {
        Client { router, jar: BTreeMap::new() }
    }

    /// Another client with the same cookies (a second tab, or a parallel request).
    pub fn fork(&self) -> Client {
        Client { router: self.router.clone(), jar: self.jar.clone() }
    }

    pub async fn send(&mut self, req: Request<Body>) -> Resp {
        let res = self.router.clone().oneshot(req).await.unwrap();
        for v in res.headers().get_all(header::SET_COOKIE) {
            let v = v.to_str().unwrap();
            let pair = v.split(';').next().unwrap();
            let (k, val) = pair.split_once('=').unwrap();
            if v.contains("Max-Age=0") {
                self.jar.remove(k);
            } else {
                self.jar.insert(k.to_string(), val.to_string());
            }
        }
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), 10 << 20).await.unwrap();
        Resp { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    }

    fn cookie_header(&self) -> String {
        self.jar.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    pub async fn get(&mut self, path: &str) -> Resp {
        let req = Request::get(path).header(header::COOKIE, self.cookie_header()).body(Body::empty()).unwrap();
        self.send(req).await
    }

    pub async fn get_with(&mut self, path: &str, headers: &[(&str, &str)]) -> Resp {
        let mut b = Request::get(path).header(header::COOKIE, self.cookie_header());
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        self.send(b.body(Body::empty()).unwrap()).await
    }

    /// Posts a form with the CSRF token (fetching a page first if there is no token yet).
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        if !self.jar.contains_key("embark_csrf") {
            self.get("/login").await;
        }
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        let token = self.jar.get("embark_csrf").cloned().unwrap();
        all.push(("_csrf", &token));
        self.post_raw_form(path, &all).await
    }

    /// Posts a form exactly as given (no CSRF token added).
    pub async fn post_raw_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let body = serde_urlencoded::to_string(fields).unwrap();
        let req = Request::post(path)
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    /// Posts JSON as the page's script does: session cookie and CSRF header.
    pub async fn post_json(&mut self, path: &str, body: &serde_json::Value) -> Resp {
        if !self.jar.contains_key("embark_csrf") {
            self.get("/login").await;
        }
        let token = self.jar.get("embark_csrf").cloned().unwrap();
        let req = Request::post(path)
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-csrf-token", token)
            .body(Body::from(body.to_string()))
            .unwrap();
        self.send(req).await
    }

    /// Opens a streaming response (Server-Sent Events) and hands back its status and body.
    pub async fn open_stream(&mut self, path: &str) -> (StatusCode, Body) {
        let req = Request::get(path).header(header::COOKIE, self.cookie_header()).body(Body::empty()).unwrap();
        let res = self.router.clone().oneshot(req).await.unwrap();
        (res.status(), res.into_body())
    }

    /// Signs in a client contact or new hire through an emailed link.
    pub async fn sign_in_with_link(&mut self, url: &str) -> Resp {
        let path = path_of(url);
        let page = self.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "link page: {}", page.body);
        let r = self.post_form(&path, &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "use link: {}", r.body);
        r
    }

    pub async fn sign_in(&mut self, email: &str, password: &str) -> Resp {
        let r = self.post_form("/login", &[("email", email), ("password", password)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "sign in as {email}: {}", r.body);
        r
    }

    pub async fn api_get(&mut self, path: &str, token: &str) -> Resp {
        let req =
            Request::get(path).header(header::AUTHORIZATION, format!("Bearer {token}")).body(Body::empty()).unwrap();
        self.send(req).await
    }

    pub async fn api_post(&mut self, path: &str, token: &str, content_type: &str, body: &str) -> Resp {
        let req = Request::post(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body.to_string()))
            .unwrap();
        self.send(req).await
    }

    pub async fn api_put(&mut self, path: &str, token: &str, body: &str) -> Resp {
        let req = Request::put(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        self.send(req).await
    }

    /// Creates a personal API token on the account page and returns it.
    pub async fn create_api_token(&mut self, name: &str) -> String {
        let r = self.post_form("/account/tokens", &[("name", name)]).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let start = r.body.find("<code id=\"new-token\">").expect("token shown") + "<code id=\"new-token\">".len();
        let end = r.body[start..].find("</code>").unwrap();
        r.body[start..start + end].to_string()
    }
}

/// The first URL in an email's text that starts with `base`.
pub fn link_in(email: &Email, path_prefix: &str) -> String {
    let start = email.text.find(path_prefix).unwrap_or_else(|| panic!("no {path_prefix} link in: {}", email.text));
    let rest = &email.text[start..];
    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    rest[..end].to_string()
}

/// The path part of a full URL.
pub fn path_of(url: &str) -> String {
    let after_scheme = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    after_scheme.find('/').map(|i| after_scheme[i..].to_string()).unwrap_or_else(|| "/".into())
}
