//! The kick-off meeting: logistics and their lock, the invitation, readiness, the
//! runner, next steps, the report and its acknowledgement, feedback and quality.

pub mod actions;
pub mod mail;
pub mod pages;
pub mod report_page;
pub mod runner;
pub mod service;
pub mod views;

use axum::Router;

use crate::state::AppState;

/// The meeting's pages: logistics and actions, the runner, the report, the one-click actions.
pub fn router() -> Router<AppState> {
    Router::new().merge(pages::router()).merge(runner::router()).merge(report_page::router()).merge(actions::router())
}
