//! The home page: what the signed-in person has to do (empty until playbooks run).

use askama::Template;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use embark_core::Role;

use crate::error::AppError;
use crate::http::{render, Page, RequestCtx, Viewer};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home)).route("/ping", get(ping))
}

/// A fixed answer to a signed-in person: the session lookup and every
/// middleware, nothing else. The benchmark's `floor` scenario measures it.
async fn ping(_viewer: Viewer) -> &'static str {
    "ok\n"
}

#[derive(Template)]
#[template(path = "portal/home.html")]
struct HomeTemplate {
    page: Page,
    first_name: String,
    /// Message key of the empty state, by role.
    empty_key: &'static str,
    is_admin: bool,
}

async fn home(viewer: Viewer, ctx: RequestCtx) -> Result<Response, AppError> {
    let role = viewer.principal.user.role;
    let empty_key = match role {
        Role::Admin => "home-empty-admin",
        Role::AccountManager => "home-empty-account-manager",
        Role::ClientContact => "home-empty-client",
        Role::NewHire => "home-empty-new-hire",
        Role::Manager | Role::Coach => "home-empty-manager",
    };
    let tr = crate::i18n::Tr::new(ctx.locale);
    let first_name = viewer.principal.user.name.split_whitespace().next().unwrap_or_default().to_string();
    render(HomeTemplate {
        page: Page::signed_in(&viewer, &ctx, "home", &tr.t("home-title"), "/"),
        first_name,
        empty_key,
        is_admin: role == Role::Admin,
    })
}
