//! Accounts: workspaces and people, signing in (passwords for staff, emailed links for
//! clients and new hires), invitations, roles, deactivation, personal API tokens,
//! certifications and the language each person reads.

pub mod account;
pub mod api;
pub mod audit;
pub mod auth;
pub mod mail;
pub mod service;
pub mod users;

use axum::Router;

use crate::state::AppState;

/// The capability's pages and API.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(account::router())
        .merge(audit::router())
        .merge(auth::router())
        .merge(users::router())
        .merge(api::router())
}
