//! Signing in and out: password, magic links, invitations, language.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use embark_core::Locale;
use embark_store::accounts::magic_links::Purpose;
use serde::Deserialize;

use crate::accounts::service::{self as accounts, LinkStatus, NewSession, SignInError, SESSION_DAYS};
use crate::error::AppError;
use crate::http::{
    cookie, render, render_status, safe_next, set_cookie, Form, FormErrors, Page, Path, RequestCtx, Viewer,
    LANG_COOKIE, SESSION_COOKIE,
};
use crate::i18n::Tr;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(login))
        .route("/login/link", post(request_link))
        .route("/logout", post(logout))
        .route("/logout/everywhere", post(logout_everywhere))
        .route("/auth/link/{token}", get(link_page).post(use_link))
        .route("/auth/invitation/{token}", get(invitation_page).post(accept_invitation))
        .route("/locale", post(switch_locale))
}

#[derive(Template)]
#[template(path = "accounts/login.html")]
struct LoginTemplate {
    page: Page,
    next: String,
    email: String,
    workspace: String,
    error: Option<String>,
    link_email: String,
    link_errors: FormErrors,
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

async fn login_page(ctx: RequestCtx, Query(q): Query<NextQuery>) -> Result<Response, AppError> {
    let tr = Tr::new(ctx.locale);
    render(LoginTemplate {
        page: Page::anonymous(tr, &ctx, &tr.t("login-title")),
        next: safe_next(q.next.as_deref()),
        email: String::new(),
        workspace: String::new(),
        error: None,
        link_email: String::new(),
        link_errors: FormErrors::default(),
    })
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    /// Only for an email that belongs to several workspaces.
    #[serde(default)]
    workspace: String,
    next: Option<String>,
}

async fn login(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let tr = Tr::new(ctx.locale);
    let next = safe_next(form.next.as_deref());
    match accounts::sign_in(&state, &form.email, &form.password, Some(&form.workspace), ctx.ip).await {
        Ok(session) => Ok(signed_in(session, &next, &ctx)),
        Err(SignInError::Other(e)) => Err(e),
        Err(e) => {
            let (status, key, retry) = match e {
                SignInError::RateLimited { retry_after_secs } => {
                    (StatusCode::TOO_MANY_REQUESTS, "login-rate-limited", Some(retry_after_secs))
                }
                _ => (StatusCode::UNAUTHORIZED, "login-invalid", None),
            };
            let page = render_status(
                status,
                LoginTemplate {
                    page: Page::anonymous(tr, &ctx, &tr.t("login-title")),
                    next,
                    email: form.email,
                    workspace: form.workspace,
                    error: Some(tr.t(key)),
                    link_email: String::new(),
                    link_errors: FormErrors::default(),
                },
            );
            match (page, retry) {
                (Ok(mut res), Some(secs)) => {
                    AppError::RateLimited { retry_after_secs: secs }.retry_after(&mut res);
                    Ok(res)
                }
                (page, _) => page,
            }
        }
    }
}

/// Sets the session and language cookies and goes on to `next`.
fn signed_in(session: NewSession, next: &str, ctx: &RequestCtx) -> Response {
    let mut res = Redirect::to(next).into_response();
    let h = res.headers_mut();
    h.append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, &session.token, SESSION_DAYS * 86_400, ctx.secure, true));
    h.append(header::SET_COOKIE, set_cookie(LANG_COOKIE, session.user.locale.code(), 365 * 86_400, ctx.secure, false));
    res
}

async fn logout(State(state): State<AppState>, headers: HeaderMap, ctx: RequestCtx) -> Result<Response, AppError> {
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        accounts::sign_out(&state, token).await?;
    }
    let mut res = Redirect::to("/login").into_response();
    res.headers_mut().append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, "", 0, ctx.secure, true));
    Ok(res)
}

/// Ends every session of the person (every browser, this one too): a lost phone, a
/// shared computer. API tokens are not sessions: they are revoked one by one.
async fn logout_everywhere(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
) -> Result<Response, AppError> {
    accounts::sign_out_everywhere(&state, &viewer.principal).await?;
    let mut res = Redirect::to("/login").into_response();
    res.headers_mut().append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, "", 0, ctx.secure, true));
    Ok(res)
}

#[derive(Deserialize)]
struct LinkRequestForm {
    #[serde(default)]
    email: String,
}

#[derive(Template)]
#[template(path = "accounts/link_sent.html")]
struct LinkSentTemplate {
    page: Page,
    email: String,
}

async fn request_link(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Form(form): Form<LinkRequestForm>,
) -> Result<Response, AppError> {
    let tr = Tr::new(ctx.locale);
    match accounts::request_sign_in_link(&state, &form.email, ctx.ip).await {
        Ok(()) => render(LinkSentTemplate {
            page: Page::anonymous(tr, &ctx, &tr.t("link-sent-title")),
            email: form.email.trim().to_string(),
        }),
        Err(AppError::Invalid(fields)) => render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            LoginTemplate {
                page: Page::anonymous(tr, &ctx, &tr.t("login-title")),
                next: "/".into(),
                email: String::new(),
                workspace: String::new(),
                error: None,
                link_email: form.email,
                link_errors: FormErrors::from_fields(tr, &fields),
            },
        ),
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "accounts/link.html")]
struct LinkTemplate {
    page: Page,
    /// "valid", "expired", "used" or "unknown".
    state: &'static str,
    title_key: String,
    body_key: String,
    name: String,
    workspace: String,
    action: String,
}

fn link_page_for(
    status: &LinkStatus,
    tr: Tr,
    ctx: &RequestCtx,
    action: String,
    workspace: String,
) -> (StatusCode, LinkTemplate) {
    let (code, state, name) = match status {
        LinkStatus::Valid { user, .. } => (StatusCode::OK, "valid", user.name.clone()),
        LinkStatus::Expired => (StatusCode::GONE, "expired", String::new()),
        LinkStatus::Used => (StatusCode::GONE, "used", String::new()),
        LinkStatus::Unknown => (StatusCode::NOT_FOUND, "unknown", String::new()),
    };
    (
        code,
        LinkTemplate {
            page: Page::anonymous(tr, ctx, &tr.t(&format!("link-{state}-title"))),
            state,
            title_key: format!("link-{state}-title"),
            body_key: format!("link-{state}-body"),
            name,
            workspace,
            action,
        },
    )
}

async fn workspace_name(state: &AppState, status: &LinkStatus) -> Result<String, AppError> {
    Ok(match status {
        LinkStatus::Valid { link, .. } => {
            embark_store::accounts::workspaces::get(&mut state.store.db(), link.workspace_id)
                .await?
                .map(|w| w.name)
                .unwrap_or_default()
        }
        _ => String::new(),
    })
}

/// Shows who the link signs in and asks for a click: mail scanners that open
/// links do not use them up.
async fn link_page(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let tr = Tr::new(ctx.locale);
    let status = accounts::link_status(&state, &token, Purpose::SignIn).await?;
    let ws = workspace_name(&state, &status).await?;
    let (code, t) = link_page_for(&status, tr, &ctx, format!("/auth/link/{token}"), ws);
    render_status(code, t)
}

async fn use_link(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let tr = Tr::new(ctx.locale);
    match accounts::sign_in_with_link(&state, &token).await? {
        Ok((session, next)) => Ok(signed_in(session, &safe_next(next.as_deref()), &ctx)),
        Err(status) => {
            let (code, t) = link_page_for(&status, tr, &ctx, String::new(), String::new());
            render_status(code, t)
        }
    }
}

#[derive(Template)]
#[template(path = "accounts/invitation.html")]
struct InvitationTemplate {
    page: Page,
    name: String,
    workspace: String,
    action: String,
    errors: FormErrors,
}

async fn invitation_page(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let tr = Tr::new(ctx.locale);
    let status = accounts::link_status(&state, &token, Purpose::Invitation).await?;
    let ws = workspace_name(&state, &status).await?;
    match &status {
        LinkStatus::Valid { user, .. } => render(InvitationTemplate {
            page: Page::anonymous(tr, &ctx, &tr.t("invitation-title")),
            name: user.name.clone(),
            workspace: ws,
            action: format!("/auth/invitation/{token}"),
            errors: FormErrors::default(),
        }),
        _ => {
            let (code, t) = link_page_for(&status, tr, &ctx, String::new(), ws);
            render_status(code, t)
        }
    }
}

#[derive(Deserialize)]
struct InvitationForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirmation: String,
}

async fn accept_invitation(
    State(state): State<AppState>,
    ctx: RequestCtx,
    Path(token): Path<String>,
    Form(form): Form<InvitationForm>,
) -> Result<Response, AppError> {
    let tr = Tr::new(ctx.locale);
    match accounts::accept_invitation(&state, &token, &form.password, &form.password_confirmation).await {
        Ok(Ok(session)) => Ok(signed_in(session, "/", &ctx)),
        Ok(Err(status)) => {
            let (code, t) = link_page_for(&status, tr, &ctx, String::new(), String::new());
            render_status(code, t)
        }
        Err(AppError::Invalid(fields)) => {
            let status = accounts::link_status(&state, &token, Purpose::Invitation).await?;
            let ws = workspace_name(&state, &status).await?;
            let name = match &status {
                LinkStatus::Valid { user, .. } => user.name.clone(),
                _ => String::new(),
            };
            render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                InvitationTemplate {
                    page: Page::anonymous(tr, &ctx, &tr.t("invitation-title")),
                    name,
                    workspace: ws,
                    action: format!("/auth/invitation/{token}"),
                    errors: FormErrors::from_fields(tr, &fields),
                },
            )
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
struct LocaleForm {
    #[serde(default)]
    locale: String,
    next: Option<String>,
}

/// Switches the language: remembered in a cookie, and on the account when signed in.
async fn switch_locale(
    State(state): State<AppState>,
    headers: HeaderMap,
    ctx: RequestCtx,
    Form(form): Form<LocaleForm>,
) -> Result<Response, AppError> {
    let locale: Locale = form.locale.parse().map_err(|_| AppError::BadRequest("unsupported language".into()))?;
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        let hash = crate::secrets::token_hash(token);
        if let Some(principal) =
            embark_store::accounts::sessions::principal(&mut state.store.db(), &hash, state.now()).await?
        {
            accounts::set_locale(&state, &principal, locale).await?;
        }
    }
    let mut res = Redirect::to(&safe_next(form.next.as_deref())).into_response();
    res.headers_mut()
        .append(header::SET_COOKIE, set_cookie(LANG_COOKIE, locale.code(), 365 * 86_400, ctx.secure, false));
    Ok(res)
}
