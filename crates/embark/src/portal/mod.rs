//! The portal: each person's home, with what they have to do.

pub mod home;

use axum::Router;

use crate::state::AppState;

/// The capability's pages and API.
pub fn router() -> Router<AppState> {
    Router::new().merge(home::router())
}
