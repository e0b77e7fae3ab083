//! The learning space (PRODUCT.md §C6, issue 14): courses written as documents, their
//! quizzes, and the certifications an exam grants, which other capabilities require
//! (the kick-off's "scorecard mastered" gate waits for `certified:scorecard`).

pub mod api;
pub mod mail;
pub mod pages;
pub mod service;

use axum::Router;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    pages::router().merge(api::router())
}
