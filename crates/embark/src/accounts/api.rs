//! `/api/v1/me` and `/api/v1/users`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use embark_core::Permission;
use embark_store::accounts::users::{self, User, UserCursor};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::accounts::service::{self as accounts, Invitation};
use crate::error::{ApiError, AppError};
use crate::http::api::{ApiCaller, ApiJson, ApiQuery};
use crate::http::paging::next_page;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/me", get(me)).route("/api/v1/users", get(list_users).post(invite_user))
}

/// A person of the workspace.
#[derive(Serialize, ToSchema)]
pub struct UserView {
    pub id: String,
    pub email: String,
    pub name: String,
    /// admin, account_manager, client_contact, new_hire, manager or coach.
    pub role: String,
    /// en or fr.
    pub locale: String,
    pub active: bool,
    pub workspace_id: String,
    /// RFC 3339.
    pub created_at: String,
}

impl From<&User> for UserView {
    fn from(u: &User) -> Self {
        UserView {
            id: u.id.to_string(),
            email: u.email.clone(),
            name: u.name.clone(),
            role: u.role.as_str().to_string(),
            locale: u.locale.code().to_string(),
            active: u.active,
            workspace_id: u.workspace_id.to_string(),
            created_at: u.created_at.to_jiff().to_string(),
        }
    }
}

/// The caller.
#[utoipa::path(get, path = "/api/v1/me", tag = "people",
    responses((status = 200, body = UserView), (status = 401, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn me(ApiCaller(p): ApiCaller) -> Json<UserView> {
    Json(UserView::from(&p.user))
}

/// A page of people, sorted by name.
#[derive(Serialize, ToSchema)]
pub struct UserPage {
    pub items: Vec<UserView>,
    /// Pass as `after` to get the next page; absent on the last page.
    pub next: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<i64>,
    /// The `next` of the previous page.
    pub after: Option<String>,
}

fn encode_cursor(c: &UserCursor) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}\n{}", c.id, c.name_key))
}

fn decode_cursor(s: &str) -> Option<UserCursor> {
    let raw = String::from_utf8(URL_SAFE_NO_PAD.decode(s).ok()?).ok()?;
    let (id, name_key) = raw.split_once('\n')?;
    Some(UserCursor { name_key: name_key.to_string(), id: id.parse().ok()? })
}

#[utoipa::path(get, path = "/api/v1/users", tag = "people", params(ListParams),
    responses((status = 200, body = UserPage), (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 403, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn list_users(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
    ApiQuery(q): ApiQuery<ListParams>,
) -> Result<Json<UserPage>, ApiError> {
    crate::access::require(&p, Permission::ListUsers)?;
    let limit = q.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(AppError::from(embark_core::FieldError::new("limit", "error-limit-range")).into());
    }
    let after = match q.after.as_deref() {
        Some(s) => Some(
            decode_cursor(s)
                .ok_or_else(|| AppError::from(embark_core::FieldError::new("after", "error-cursor-invalid")))?,
        ),
        None => None,
    };
    let mut people = users::list(&mut state.store.db(), p.user.workspace_id, after.as_ref(), limit + 1).await?;
    let next = next_page(&mut people, limit, |u| encode_cursor(&UserCursor::after(u)));
    Ok(Json(UserPage { items: people.iter().map(UserView::from).collect(), next }))
}

/// Who to invite.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserBody {
    pub email: String,
    pub name: String,
    /// admin, account_manager, client_contact, new_hire, manager or coach.
    pub role: String,
    /// en or fr; defaults to the caller's language.
    pub locale: Option<String>,
}

/// Invites a person: creates the account and emails them a link.
#[utoipa::path(post, path = "/api/v1/users", tag = "people", request_body = NewUserBody,
    responses((status = 201, body = UserView), (status = 400, body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn invite_user(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
    ApiJson(body): ApiJson<NewUserBody>,
) -> Result<impl IntoResponse, ApiError> {
    let user = accounts::invite(
        &state,
        &p,
        Invitation { email: body.email, name: body.name, role: body.role, locale: body.locale },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(UserView::from(&user))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip() {
        let c = UserCursor { name_key: "zoé | x".into(), id: embark_core::UserId::new() };
        assert_eq!(decode_cursor(&encode_cursor(&c)), Some(c));
        assert_eq!(decode_cursor("%%%"), None);
    }
}
