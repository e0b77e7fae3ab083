//! The scorecard: sent with a return deadline, filled in on the portal, co-written live,
//! objections, the lock by both parties, re-scoping, and the questions log.

pub mod mail;
pub mod pages;
pub mod service;
pub mod views;

use axum::Router;

use crate::state::AppState;

/// The capability's pages and API.
pub fn router() -> Router<AppState> {
    Router::new().merge(pages::router())
}
