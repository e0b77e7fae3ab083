//! The signed-in person's own page: language and personal API tokens.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use embark_core::{ApiTokenId, Permission};
use embark_store::accounts::api_tokens;
use serde::Deserialize;

use crate::accounts::service as accounts;
use crate::error::AppError;
use crate::http::{render_status, Form, FormErrors, Page, Path, RequestCtx, Viewer};
use crate::i18n::Tr;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account", get(show))
        .route("/account/tokens", post(create_token))
        .route("/account/tokens/{id}/revoke", post(revoke_token))
}

pub struct TokenRow {
    pub id: String,
    pub name: String,
    pub prefix: String,
    pub created: String,
    pub last_used: Option<String>,
    pub revoked: bool,
}

#[derive(Template)]
#[template(path = "accounts/account.html")]
struct AccountTemplate {
    page: Page,
    name: String,
    email: String,
    role: String,
    can_use_api: bool,
    tokens: Vec<TokenRow>,
    new_token: Option<String>,
    errors: FormErrors,
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    ctx: &RequestCtx,
    new_token: Option<String>,
    errors: FormErrors,
    notice: Option<&str>,
) -> Result<AccountTemplate, AppError> {
    let tr = Tr::new(ctx.locale);
    let p = &viewer.principal;
    let tz = &p.workspace_time_zone;
    let tokens = api_tokens::list_for_user(&mut state.store.db(), p.user.workspace_id, p.user.id).await?;
    Ok(AccountTemplate {
        page: Page::signed_in(viewer, ctx, "account", &tr.t("account-title"), "/account").with_notice(notice),
        name: p.user.name.clone(),
        email: p.user.email.clone(),
        role: tr.role(&p.user.role),
        can_use_api: p.user.role.can(Permission::UseApi),
        tokens: tokens
            .into_iter()
            .map(|t| TokenRow {
                id: t.id.to_string(),
                name: t.name,
                prefix: t.prefix,
                created: tr.datetime(t.created_at, tz),
                last_used: t.last_used_at.map(|at| tr.datetime(at, tz)),
                revoked: t.revoked_at.is_some(),
            })
            .collect(),
        new_token,
        errors,
    })
}

#[derive(Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Query(q): Query<DoneQuery>,
) -> Result<Response, AppError> {
    let notice = (q.done.as_deref() == Some("revoked")).then_some("account-token-revoked");
    render_status(StatusCode::OK, page(&state, &viewer, &ctx, None, FormErrors::default(), notice).await?)
}

#[derive(Deserialize)]
struct TokenForm {
    #[serde(default)]
    name: String,
}

/// Creates a token and shows it, once, on the page this answers with.
async fn create_token(
    State(state): State<AppState>,
    viewer: Viewer,
    ctx: RequestCtx,
    Form(form): Form<TokenForm>,
) -> Result<Response, AppError> {
    match accounts::create_api_token(&state, &viewer.principal, &form.name).await {
        Ok((_, secret)) => {
            let mut res = render_status(
                StatusCode::CREATED,
                page(&state, &viewer, &ctx, Some(secret), FormErrors::default(), None).await?,
            )?;
            res.headers_mut()
                .insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
            Ok(res)
        }
        Err(AppError::Invalid(fields)) => {
            let errors = FormErrors::from_fields(Tr::new(ctx.locale), &fields);
            render_status(StatusCode::UNPROCESSABLE_ENTITY, page(&state, &viewer, &ctx, None, errors, None).await?)
        }
        Err(e) => Err(e),
    }
}

async fn revoke_token(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<ApiTokenId>,
) -> Result<Response, AppError> {
    accounts::revoke_api_token(&state, &viewer.principal, id).await?;
    Ok(Redirect::to("/account?done=revoked").into_response())
}
