//! Engagements: a playbook version running for a subject, with its anchor date,
//! participants, gates, steps and checkpoints, reminders, timeline and the board.
//! `signals` is how other capabilities tell it that something happened.

pub mod api;
pub mod pages;
pub mod reminders;
pub mod service;
pub mod signals;
pub mod summary;

use axum::Router;

use crate::state::AppState;

/// The capability's pages and API.
pub fn router() -> Router<AppState> {
    Router::new().merge(pages::router()).merge(api::router())
}
