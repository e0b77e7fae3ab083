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

/// A delay as a person reads it: minutes and hours under two days ("45 min", "19 h 5 min"),
/// days and hours beyond ("2 d 12 h", in French "2 j 12 h").
pub fn delay(tr: Tr, ms: i64) -> String {
    let minutes = ms.max(0) / 60_000;
    if minutes < 48 * 60 {
        return tr.minutes(minutes);
    }
    let hours = minutes / 60;
    tr.t_nums("request-delay-days", &[("days", hours / 24), ("hours", hours % 24)])
}

#[cfg(test)]
mod tests {
    use embark_core::Locale;

    use super::*;

    #[test]
    fn delays_read_in_minutes_and_hours_then_in_days() {
        let (en, fr) = (Tr::new(Locale::En), Tr::new(Locale::Fr));
        assert_eq!(delay(en, 45 * 60_000), "45 min");
        assert_eq!(delay(en, (47 * 60 + 59) * 60_000), "47 h 59 min");
        assert_eq!(delay(en, 60 * 3_600_000), "2 d 12 h");
        assert_eq!(delay(fr, 60 * 3_600_000), "2\u{a0}j 12\u{a0}h");
        assert_eq!(delay(fr, 72 * 3_600_000), "3\u{a0}j 0\u{a0}h");
    }
}
