//! Rules of the background job queue.

use crate::Timestamp;

/// How many times a job runs before it is marked failed.
pub const MAX_ATTEMPTS: i32 = 8;

/// How long a claimed job stays locked to its worker before another may take it.
pub const LEASE_MS: i64 = 5 * 60 * 1000;

/// When a job that failed on attempt `attempt` (1-based) runs again:
/// exponential backoff from 10 s, capped at one hour.
pub fn retry_at(now: Timestamp, attempt: i32) -> Timestamp {
    let exp = attempt.clamp(1, 20) as u32 - 1;
    let delay_s = 10i64.saturating_mul(1i64 << exp.min(12)).min(3600);
    now.plus_secs(delay_s)
}

/// Whether a job that just failed on `attempt` has used all its attempts.
pub fn exhausted(attempt: i32) -> bool {
    attempt >= MAX_ATTEMPTS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let now = Timestamp::from_millis(1_000_000);
        assert_eq!(retry_at(now, 1).as_millis() - now.as_millis(), 10_000);
        assert_eq!(retry_at(now, 2).as_millis() - now.as_millis(), 20_000);
        assert_eq!(retry_at(now, 3).as_millis() - now.as_millis(), 40_000);
        assert_eq!(retry_at(now, 15).as_millis() - now.as_millis(), 3_600_000);
        assert!(!exhausted(MAX_ATTEMPTS - 1));
        assert!(exhausted(MAX_ATTEMPTS));
    }
}
