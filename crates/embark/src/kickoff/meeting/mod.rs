//! The kick-off meeting: logistics and their lock, the invitation, readiness, the
//! runner, next steps, the report and its acknowledgement, feedback and quality.

pub mod mail;
pub mod pages;
pub mod service;

use axum::Router;

use crate::state::AppState;

/// The capability's pages and API.
pub fn router() -> Router<AppState> {
    Router::new().merge(pages::router())
}
