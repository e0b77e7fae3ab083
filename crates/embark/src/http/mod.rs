//! The HTTP edge every capability shares: the middleware every request goes through
//! (language, CSRF, security headers, metrics), who is asking ([`Viewer`]), page
//! rendering and forms; `api` has the same for the JSON API.

pub mod api;
pub mod assets;
pub mod paging;

use std::net::{IpAddr, SocketAddr};
use std::time::Instant;

use askama::Template;
use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, MatchedPath, Request, State};
use axum::http::{header, request::Parts, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Router;
use embark_core::{Locale, Permission};
use embark_store::accounts::sessions::{self, Principal};

use crate::error::{AppError, ErrorPage};
use crate::i18n::Tr;
use crate::secrets::{random_token, same_token, token_hash};
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "embark_session";
pub const CSRF_COOKIE: &str = "embark_csrf";
pub const LANG_COOKIE: &str = "embark_lang";
pub const CSRF_FIELD: &str = "_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Wraps the whole application (pages, API, health) in [`request_context`].
pub fn layer(app: Router<AppState>, state: AppState) -> Router<AppState> {
    app.layer(middleware::from_fn_with_state(state, request_context))
}

/// What the middleware learnt about the request, for handlers and templates.
#[derive(Clone, Debug)]
pub struct RequestCtx {
    pub locale: Locale,
    /// Whether the person chose the language (the language switch's cookie), rather
    /// than the browser's preference giving it.
    pub locale_chosen: bool,
    pub csrf: String,
    pub ip: IpAddr,
    pub secure: bool,
}

impl<S: Send + Sync> FromRequestParts<S> for RequestCtx {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<RequestCtx>()
            .cloned()
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("request context missing")))
    }
}

/// Reads a cookie from the request headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value with our defaults: HttpOnly, SameSite=Lax, Secure over TLS.
pub fn set_cookie(name: &str, value: &str, max_age_secs: i64, secure: bool, http_only: bool) -> HeaderValue {
    let mut c = format!("{name}={value}; Path=/; Max-Age={max_age_secs}; SameSite=Lax");
    if http_only {
        c.push_str("; HttpOnly");
    }
    if secure {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static(""))
}

pub fn client_ip(parts_headers: &HeaderMap, connect: Option<SocketAddr>, trust_proxy: bool) -> IpAddr {
    // The client writes whatever it likes into X-Forwarded-For; only the entry the trusted
    // proxy appended (the last one, over all the header's lines) is the address it saw.
    if trust_proxy {
        if let Some(ip) = parts_headers
            .get_all("x-forwarded-for")
            .iter()
            .next_back()
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse().ok())
        {
            return ip;
        }
    }
    connect.map(|a| a.ip()).unwrap_or(IpAddr::from([127, 0, 0, 1]))
}

fn locale_of(headers: &HeaderMap) -> Locale {
    cookie(headers, LANG_COOKIE)
        .and_then(|l| l.parse().ok())
        .or_else(|| {
            headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Locale::from_accept_language)
        })
        .unwrap_or_default()
}

/// Form bodies larger than this are refused before the CSRF check reads them.
const MAX_FORM_BYTES: usize = 256 * 1024;

/// Language, CSRF (double-submit cookie, checked on every unsafe method),
/// client address, security headers, localised error pages and metrics.
/// The request id header, read and answered.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// Gives every request its id (the caller's `X-Request-Id` if well formed, else a fresh
/// one), runs it inside a span that carries the id into every log line, and answers
/// with the id.
async fn request_context(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let id = crate::request_id::accept(request.headers().get(REQUEST_ID_HEADER).and_then(|v| v.to_str().ok()))
        .unwrap_or_else(crate::request_id::mint);
    let route = request.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string());
    let span = tracing::info_span!(
        "request",
        id = %id,
        method = %request.method(),
        route = route.as_deref().unwrap_or("unmatched"),
    );
    let mut response = crate::request_id::scope(
        id.clone(),
        tracing::Instrument::instrument(handle(state, request, next, route), span),
    )
    .await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    response
}

async fn handle(state: AppState, request: Request, next: Next, route: Option<String>) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let (mut parts, body) = request.into_parts();
    let connect = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
    let existing_csrf = cookie(&parts.headers, CSRF_COOKIE).filter(|t| t.len() >= 32).map(str::to_string);
    let ctx = RequestCtx {
        locale: locale_of(&parts.headers),
        locale_chosen: cookie(&parts.headers, LANG_COOKIE).is_some(),
        csrf: existing_csrf.clone().unwrap_or_else(random_token),
        ip: client_ip(&parts.headers, connect, state.config.trust_proxy),
        secure: state.config.uses_tls(),
    };
    parts.extensions.insert(ctx.clone());

    // The API authenticates with bearer tokens, never cookies: no CSRF to check there.
    let is_api = request_is_api(&parts.uri);
    let unsafe_method = !matches!(method, Method::GET | Method::HEAD | Method::OPTIONS) && !is_api;
    let mut request = Request::from_parts(parts, body);
    let mut response = if unsafe_method {
        match check_csrf(request, existing_csrf.as_deref()).await {
            Ok(checked) => {
                request = checked;
                next.run(request).await
            }
            Err(e) => e.into_response(),
        }
    } else {
        next.run(request).await
    };

    if let Some(page) = response.extensions().get::<ErrorPage>().copied() {
        let retry_after = response.headers().get(header::RETRY_AFTER).cloned();
        response = render_error_page(response.status(), page, Tr::new(ctx.locale), &ctx);
        if let Some(v) = retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
    }
    let headers = response.headers_mut();
    if existing_csrf.is_none() {
        // Readable by our script so that it can send the token in a header.
        headers.append(header::SET_COOKIE, set_cookie(CSRF_COOKIE, &ctx.csrf, 60 * 60 * 24 * 365, ctx.secure, false));
    }
    security_headers(headers);
    let route = route.unwrap_or_else(|| "unmatched".to_string());
    let elapsed = started.elapsed();
    state.metrics.observe(method.as_str(), &route, response.status().as_u16(), elapsed);
    tracing::debug!(status = response.status().as_u16(), ms = elapsed.as_secs_f64() * 1000.0, "answered");
    response
}

/// Passes the request on if its CSRF token (header, or `_csrf` form field)
/// matches the cookie; otherwise refuses it before any handler runs.
async fn check_csrf(request: Request, cookie_token: Option<&str>) -> Result<Request, AppError> {
    let Some(expected) = cookie_token else {
        return Err(AppError::Csrf);
    };
    if let Some(sent) = request.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        return if same_token(sent, expected) { Ok(request) } else { Err(AppError::Csrf) };
    }
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(AppError::Csrf);
    }
    let (parts, body) = request.into_parts();
    let bytes =
        axum::body::to_bytes(body, MAX_FORM_BYTES).await.map_err(|_| AppError::BadRequest("form too large".into()))?;
    let sent = form_urlencoded_field(&bytes, CSRF_FIELD);
    match sent {
        Some(sent) if same_token(&sent, expected) => Ok(Request::from_parts(parts, Body::from(bytes))),
        _ => Err(AppError::Csrf),
    }
}

fn request_is_api(uri: &axum::http::Uri) -> bool {
    uri.path().starts_with("/api/")
}

fn form_urlencoded_field(body: &[u8], name: &str) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).ok()?;
    pairs.into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

fn security_headers(headers: &mut HeaderMap) {
    let set = |h: &mut HeaderMap, k: &'static str, v: &'static str| {
        h.entry(k).or_insert(HeaderValue::from_static(v));
    };
    set(
        headers,
        "content-security-policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; \
         form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
    );
    set(headers, "x-content-type-options", "nosniff");
    set(headers, "x-frame-options", "DENY");
    set(headers, "referrer-policy", "same-origin");
    set(headers, "permissions-policy", "camera=(), microphone=(), geolocation=()");
}

#[derive(Template)]
#[template(path = "http/error.html")]
struct ErrorTemplate {
    page: Page,
    heading: String,
    message: String,
    status: u16,
}

/// A page that only says something (why an action is not possible yet), with a way back.
#[derive(Template)]
#[template(path = "http/message.html")]
pub struct MessageTemplate {
    page: Page,
    message: String,
    back: String,
}

impl MessageTemplate {
    pub fn new(viewer: &Viewer, ctx: &RequestCtx, title: &str, message: String, back: String) -> Self {
        MessageTemplate { page: Page::signed_in(viewer, ctx, "engagements", title, &back), message, back }
    }
}

fn render_error_page(status: StatusCode, error: ErrorPage, tr: Tr, ctx: &RequestCtx) -> Response {
    let page = Page::anonymous(tr, ctx, &tr.t(&format!("problem-{}-title", error.kind)));
    let t = ErrorTemplate {
        heading: tr.t(&format!("problem-{}-title", error.kind)),
        message: tr.t(&format!("problem-{}", error.kind)),
        status: status.as_u16(),
        page,
    };
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => status.into_response(),
    }
}

/// The signed-in person on a page. Pages that take it redirect anonymous
/// visitors to the sign-in page.
pub struct Viewer {
    pub principal: Principal,
    pub session_token: String,
}

pub struct SignInRedirect(String);

impl IntoResponse for SignInRedirect {
    fn into_response(self) -> Response {
        Redirect::to(&format!("/login?next={}", urlencode(&self.0))).into_response()
    }
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let here = parts.uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into());
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE).map(str::to_string) else {
            return Err(SignInRedirect(here).into_response());
        };
        match sessions::principal(&mut state.store.db(), &token_hash(&token), state.now()).await {
            Ok(Some(principal)) => Ok(Viewer { principal, session_token: token }),
            Ok(None) => Err(SignInRedirect(here).into_response()),
            Err(e) => Err(AppError::from(e).into_response()),
        }
    }
}

impl Viewer {
    pub fn require(&self, permission: Permission) -> Result<(), AppError> {
        crate::access::require(&self.principal, permission)
    }
}

/// The navigation bar's view of the signed-in person.
pub struct Nav {
    pub user_name: String,
    pub workspace_name: String,
    pub role_name: String,
    pub can_manage_users: bool,
    pub can_read_outbox: bool,
    pub can_read_playbooks: bool,
    pub can_view_surveys: bool,
    pub can_learn: bool,
    /// Which section is open: "home", "users", "account", "outbox".
    pub section: &'static str,
}

/// What every page template gets: language, CSRF token, navigation, title.
pub struct Page {
    pub tr: Tr,
    pub csrf: String,
    pub title: String,
    pub nav: Option<Nav>,
    /// Where the language switch sends back to.
    pub here: String,
    /// A one-line confirmation after a redirect ("Invitation sent").
    pub notice: Option<String>,
}

impl Page {
    pub fn anonymous(tr: Tr, ctx: &RequestCtx, title: &str) -> Page {
        Page { tr, csrf: ctx.csrf.clone(), title: title.to_string(), nav: None, here: "/".into(), notice: None }
    }

    pub fn signed_in(viewer: &Viewer, ctx: &RequestCtx, section: &'static str, title: &str, here: &str) -> Page {
        let tr = Tr::new(ctx.locale);
        let p = &viewer.principal;
        Page {
            tr,
            csrf: ctx.csrf.clone(),
            title: title.to_string(),
            nav: Some(Nav {
                user_name: p.user.name.clone(),
                workspace_name: p.workspace_name.clone(),
                role_name: tr.role(&p.user.role),
                can_manage_users: p.user.role.can(Permission::ManageUsers),
                can_read_outbox: p.user.role.can(Permission::ReadOutbox),
                can_read_playbooks: p.user.role.can(Permission::ReadPlaybooks),
                can_view_surveys: p.user.role.can(Permission::ViewSurveyResults),
                can_learn: p.user.role.can(Permission::Learn),
                section,
            }),
            here: here.to_string(),
            notice: None,
        }
    }

    pub fn with_notice(mut self, key: Option<&str>) -> Page {
        self.notice = key.map(|k| self.tr.t(k));
        self
    }
}

/// The notice to show after an action redirected with `?done=…`: the message key
/// `known` gives for it, or none for a value the page does not know.
pub fn notice(done: Option<&str>, known: &[(&str, &'static str)]) -> Option<&'static str> {
    let done = done?;
    known.iter().find(|(d, _)| *d == done).map(|(_, key)| *key)
}

/// Renders a template into a page response.
pub fn render(t: impl Template) -> Result<Response, AppError> {
    Ok(Html(t.render().map_err(|e| AppError::Internal(e.into()))?).into_response())
}

/// Renders with a status (a form shown again with its errors, say).
pub fn render_status(status: StatusCode, t: impl Template) -> Result<Response, AppError> {
    Ok((status, Html(t.render().map_err(|e| AppError::Internal(e.into()))?)).into_response())
}

/// An instant as the value of a `datetime-local` input, in a time zone.
pub fn local_input(at: embark_core::Timestamp, tz: &str) -> String {
    at.to_jiff()
        .to_zoned(jiff::tz::TimeZone::get(tz).unwrap_or(jiff::tz::TimeZone::UTC))
        .strftime("%Y-%m-%dT%H:%M")
        .to_string()
}

/// Only local paths are followed after sign-in (no open redirect). Browsers drop tabs and
/// newlines from a URL and read `\\` as `/`, so `/\t/host` and `/\\host` lead off-site:
/// a path with any control character, space or backslash is refused, which also keeps
/// the `Location` header well formed.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.bytes().any(|b| b.is_ascii_control() || b == b' ' || b == b'\\') =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

pub fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Form field errors, translated, for templates: `errors.get("email")`.
/// A route's path parameters, parsed: typed ids (`Path<EngagementId>`), numbers, or a
/// tuple of them. A segment that does not parse is our 404 — a page, or a problem for
/// the API — like an id that exists nowhere, never the framework's plain text.
pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: serde::de::DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(_) if request_is_api(&parts.uri) => Err(crate::error::ApiError(AppError::NotFound).into_response()),
            Err(_) => Err(AppError::NotFound.into_response()),
        }
    }
}

/// A page's form body. A body that is not a well-formed form of the expected fields is
/// our "bad request" page; what the fields say is checked by the service, whose field
/// errors the page shows next to each field.
pub struct Form<T>(pub T);

impl<T, S> axum::extract::FromRequest<S> for Form<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(value)) => Ok(Form(value)),
            Err(e) => Err(AppError::BadRequest(e.body_text())),
        }
    }
}

/// What a page's action receives, in one extractor: the state, who asks, in which
/// language, the id from the path and the form. Rejections are ours (sign-in, 404, 400).
pub struct Action<I, F> {
    pub state: AppState,
    pub viewer: Viewer,
    pub ctx: RequestCtx,
    pub id: I,
    pub form: F,
}

impl<I, F> axum::extract::FromRequest<AppState> for Action<I, F>
where
    I: serde::de::DeserializeOwned + Send,
    F: serde::de::DeserializeOwned,
{
    type Rejection = Response;
    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let viewer = Viewer::from_request_parts(&mut parts, state).await.map_err(IntoResponse::into_response)?;
        let ctx = RequestCtx::from_request_parts(&mut parts, state).await.map_err(IntoResponse::into_response)?;
        let Path(id) = Path::<I>::from_request_parts(&mut parts, state).await?;
        let Form(form) =
            <Form<F> as axum::extract::FromRequest<AppState>>::from_request(Request::from_parts(parts, body), state)
                .await
                .map_err(IntoResponse::into_response)?;
        Ok(Action { state: state.clone(), viewer, ctx, id, form })
    }
}

#[derive(Default)]
pub struct FormErrors(Vec<(String, String)>);

impl FormErrors {
    pub fn from_fields(tr: Tr, fields: &[embark_core::FieldError]) -> Self {
        FormErrors(fields.iter().map(|f| (f.field.to_string(), tr.t(f.code))).collect())
    }
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }
    pub fn any(&self) -> bool {
        !self.0.is_empty()
    }
    pub fn all(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(_, m)| m.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next(Some("/users?x=1")), "/users?x=1");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
        // Browsers strip tabs and newlines and read a backslash as a slash: all off-site.
        assert_eq!(safe_next(Some("/\t/evil.example/x")), "/");
        assert_eq!(safe_next(Some("/\n/evil.example")), "/");
        assert_eq!(safe_next(Some("/users\r\nSet-Cookie: a=b")), "/");
        assert_eq!(safe_next(Some("/a\\b")), "/");
        assert_eq!(safe_next(Some("/engagements/01J?tab=steps#notes")), "/engagements/01J?tab=steps#notes");
    }

    #[test]
    fn behind_a_trusted_proxy_the_address_is_the_one_the_proxy_appended() {
        let connect = Some(SocketAddr::from(([10, 0, 0, 9], 443)));
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", HeaderValue::from_static("6.6.6.6, 203.0.113.7"));
        assert_eq!(client_ip(&h, connect, true), IpAddr::from([203, 0, 113, 7]));
        // A second header line written by the client before the proxy's is ignored too.
        let mut h2 = HeaderMap::new();
        h2.append("x-forwarded-for", HeaderValue::from_static("6.6.6.6"));
        h2.append("x-forwarded-for", HeaderValue::from_static("203.0.113.8"));
        assert_eq!(client_ip(&h2, connect, true), IpAddr::from([203, 0, 113, 8]));
        // Without a trusted proxy the header is not read at all.
        assert_eq!(client_ip(&h, connect, false), IpAddr::from([10, 0, 0, 9]));
    }

    #[test]
    fn cookies_are_read_by_name() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("a=1; embark_lang=fr; b=2"));
        assert_eq!(cookie(&h, LANG_COOKIE), Some("fr"));
        assert_eq!(cookie(&h, "c"), None);
        assert_eq!(locale_of(&h), Locale::Fr);
    }
}
