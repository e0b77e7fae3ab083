//! `/api/v1/me` and `/api/v1/users`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
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
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// The `next` of the previous page: a position in the order by name (a person's id,
    /// then her sort key in hexadecimal); the page starts after it.
    #[param(pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}([0-9a-f]{2})*$")]
    pub after: Option<String>,
}

/// A position in the order by name: the id, then the sort key's bytes in hexadecimal.
/// Every string of that form is a position (the page starts after it), so the document's
/// pattern says exactly which cursors are read.
fn encode_cursor(c: &UserCursor) -> String {
    let hex: String = c.name_key.bytes().map(|b| format!("{b:02x}")).collect();
    format!("{}{hex}", c.id)
}

fn decode_cursor(s: &str) -> Option<UserCursor> {
    let (id, hex) = (s.get(..36)?, s.get(36..)?);
    let lower_hex = |t: &str| t.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    let groups: Vec<&str> = id.split('-').collect();
    let shape = groups.iter().map(|g| g.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12];
    if !shape || !groups.iter().all(|g| lower_hex(g)) || !lower_hex(hex) || hex.len() % 2 != 0 {
        return None;
    }
    let bytes: Vec<u8> =
        (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16)).collect::<Result<_, _>>().ok()?;
    Some(UserCursor { name_key: String::from_utf8_lossy(&bytes).into_owned(), id: id.parse().ok()? })
}

#[utoipa::path(get, path = "/api/v1/users", tag = "people", params(ListParams),
    responses((status = 200, body = UserPage), (status = 401, body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 422, body = crate::error::Problem, content_type = "application/problem+json",
               description = "`limit` out of range or `after` not a cursor.")))]
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
    /// Stored lower-cased; one account per address in the workspace (409 when taken).
    #[schema(format = "email", max_length = 254)]
    pub email: String,
    /// 1 to 100 characters, not only spaces, no control characters.
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = "^[^\\x00-\\x1F\\x7F-\\x9F]*[^\\s\\x00-\\x1F\\x7F-\\x9F][^\\x00-\\x1F\\x7F-\\x9F]*$"
    )]
    pub name: String,
    #[schema(pattern = "^(admin|account_manager|client_contact|new_hire|manager|coach)$")]
    pub role: String,
    /// Defaults to the caller's language.
    #[schema(pattern = "^(en|fr)$")]
    pub locale: Option<String>,
}

/// Invites a person: creates the account and emails them a link.
#[utoipa::path(post, path = "/api/v1/users", tag = "people", request_body = NewUserBody,
    responses((status = 201, body = UserView), (status = 400, body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 403, body = crate::error::Problem, content_type = "application/problem+json"),
              (status = 409, body = crate::error::Problem, content_type = "application/problem+json", description = "The address has an account already."),
              (status = 422, body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn invite_user(
    State(state): State<AppState>,
    ApiCaller(p): ApiCaller,
    ApiJson(body): ApiJson<NewUserBody>,
) -> Result<impl IntoResponse, ApiError> {
    // The pages send an empty language for "mine"; in the API, leave the field out.
    if body.locale.as_deref() == Some("") {
        return Err(AppError::from(embark_core::FieldError::new("locale", "error-locale-invalid")).into());
    }
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
        let odd = format!("{}abc", embark_core::UserId::new());
        assert_eq!(decode_cursor(&odd), None);
        let any = format!("{}ff00", embark_core::UserId::new());
        assert!(decode_cursor(&any).is_some(), "every string of the documented form is a position");
    }
}
