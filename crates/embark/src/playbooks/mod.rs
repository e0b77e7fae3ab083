//! Playbooks: documents that read as articles and run as checklists or meeting guides;
//! checked, versioned, imported and exported.

pub mod api;
pub mod cache;
pub mod pages;
pub mod service;

use axum::Router;

use crate::state::AppState;

/// The capability's pages and API.
pub fn router() -> Router<AppState> {
    Router::new().merge(pages::router()).merge(api::router())
}
