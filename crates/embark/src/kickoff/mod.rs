//! The kick-off of a recruitment search: the scorecard (sent, returned, co-written,
//! locked), the meeting (logistics, invitation, readiness, runner), the report and its
//! acknowledgement, feedback and the quality of each kick-off.

pub mod api;
pub mod meeting;
pub mod quality;
pub mod report;
pub mod scorecard;

use axum::Router;

use crate::state::AppState;

/// The capability's pages and API.
pub fn router() -> Router<AppState> {
    Router::new().merge(scorecard::router()).merge(meeting::router()).merge(quality::router()).merge(api::router())
}
