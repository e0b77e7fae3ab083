//! The id of the request being served: accepted from `X-Request-Id` or minted by the
//! middleware, returned in the answer, present in every log line of the request and
//! carried into the jobs it enqueues. It lives in a task-local for the request's future.

use std::future::Future;
use std::sync::Arc;

tokio::task_local! {
    static CURRENT: Arc<str>;
}

/// An id as a caller may send it: 1 to 64 letters, digits, `-`, `_`, `.` or `:`.
/// Anything else is replaced by a fresh one, so a log line cannot be forged through it.
pub fn accept(header: Option<&str>) -> Option<Arc<str>> {
    let id = header?.trim();
    let ok = !id.is_empty()
        && id.len() <= 64
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
    ok.then(|| Arc::from(id))
}

/// A fresh id.
pub fn mint() -> Arc<str> {
    Arc::from(uuid::Uuid::now_v7().simple().to_string())
}

/// Runs `fut` as the request `id`.
pub async fn scope<F: Future>(id: Arc<str>, fut: F) -> F::Output {
    CURRENT.scope(id, fut).await
}

/// The id of the request this code runs for, if any (none in jobs and the CLI).
pub fn current() -> Option<Arc<str>> {
    CURRENT.try_with(|id| id.clone()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_well_formed_id_is_kept_and_anything_else_refused() {
        assert_eq!(accept(Some("abc-123_x.y:z")).as_deref(), Some("abc-123_x.y:z"));
        assert_eq!(accept(Some("  padded ")).as_deref(), Some("padded"));
        assert_eq!(accept(None), None);
        assert_eq!(accept(Some("")), None);
        assert_eq!(accept(Some("line\nbreak")), None);
        assert_eq!(accept(Some("a b")), None);
        assert_eq!(accept(Some(&"x".repeat(65))), None);
        assert_eq!(mint().len(), 32);
    }

    #[tokio::test]
    async fn the_id_is_current_inside_its_scope_only() {
        assert!(current().is_none());
        let seen = scope(Arc::from("r1"), async { current() }).await;
        assert_eq!(seen.as_deref(), Some("r1"));
        assert!(current().is_none());
    }
}
