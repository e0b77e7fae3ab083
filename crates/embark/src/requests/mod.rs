//! Requests and complaints (PRODUCT.md §C4, issue 13 point 6): raised by clients and
//! new hires from their portal or logged by staff, answered in a thread, resolved,
//! and measured (first-response time, resolution time, response rate).

pub mod api;
pub mod mail;
pub mod pages;
pub mod service;

use axum::Router;
use embark_core::requests::{Category, RequestKind};
use embark_store::requests::RequestRow;

use crate::i18n::Tr;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    pages::router().merge(api::router())
}

pub fn kind_label(tr: Tr, kind: RequestKind) -> String {
    tr.t(&format!("request-kind-{}", kind.as_str()))
}

pub fn category_label(tr: Tr, category: Category) -> String {
    tr.t(&format!("request-category-{}", category.as_str()))
}

/// A request's kind and category in the reader's language ("Complaint · Candidates").
pub fn what(tr: Tr, r: &RequestRow) -> String {
    tr.t2("request-what", "kind", &kind_label(tr, r.kind), "category", &category_label(tr, r.category))
}
