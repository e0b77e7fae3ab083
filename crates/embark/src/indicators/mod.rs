//! The indicators dashboard (PRODUCT.md §C4, issue 13 point 8): seed 004's indicators
//! side by side for a period — client NPS and new hires' eNPS with their intervals, the
//! response rate to clients, the response time to a complaint, onboarding progress —
//! with the kick-off's own quality signals; a page, a CSV and an API.

pub mod api;
pub mod pages;
pub mod service;

use axum::Router;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    pages::router().merge(api::router())
}
