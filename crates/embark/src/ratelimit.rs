//! Counting failures (or requests) per client address over a sliding window.
//! In-process: each instance counts its own; see the README's design notes.
//! Time comes from the caller (the application's clock), so tests move it.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Duration;

use embark_core::Timestamp;

pub struct Limiter {
    max: usize,
    window_ms: i64,
    hits: Mutex<HashMap<IpAddr, VecDeque<i64>>>,
}

impl Limiter {
    pub fn new(max: usize, window: Duration) -> Self {
        Limiter { max, window_ms: window.as_millis() as i64, hits: Mutex::new(HashMap::new()) }
    }

    /// Whether `ip` already reached the limit within the window ending at `now`.
    pub fn is_limited(&self, ip: IpAddr, now: Timestamp) -> bool {
        let now = now.as_millis();
        let mut hits = self.hits.lock().unwrap_or_else(|e| e.into_inner());
        match hits.get_mut(&ip) {
            Some(q) => {
                Self::expire(q, now, self.window_ms);
                q.len() >= self.max
            }
            None => false,
        }
    }

    /// Takes one attempt for `ip` at `now` if the address is under the limit, counting it
    /// before the attempt runs: parallel attempts cannot all pass one check and be counted
    /// afterwards. False when the limit is reached (nothing is counted then).
    pub fn try_take(&self, ip: IpAddr, now: Timestamp) -> bool {
        let now = now.as_millis();
        let mut hits = self.hits.lock().unwrap_or_else(|e| e.into_inner());
        Self::bound(&mut hits, now, self.window_ms);
        let q = hits.entry(ip).or_default();
        Self::expire(q, now, self.window_ms);
        if q.len() >= self.max {
            return false;
        }
        q.push_back(now);
        true
    }

    /// Seconds until `ip` may try again: until its oldest hit in the window expires (at
    /// least 1), for the `Retry-After` of a refusal.
    pub fn retry_after_secs(&self, ip: IpAddr, now: Timestamp) -> u64 {
        let now = now.as_millis();
        let hits = self.hits.lock().unwrap_or_else(|e| e.into_inner());
        let oldest = hits.get(&ip).and_then(|q| q.iter().find(|t| now - **t < self.window_ms)).copied();
        let wait_ms = oldest.map_or(0, |t| t + self.window_ms - now);
        u64::try_from((wait_ms + 999) / 1000).unwrap_or(1).max(1)
    }

    /// Gives back the attempt taken last for `ip` (it succeeded: it was not a failure).
    pub fn give_back(&self, ip: IpAddr) {
        let mut hits = self.hits.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(q) = hits.get_mut(&ip) {
            q.pop_back();
        }
    }

    /// Counts one hit for `ip` at `now`.
    pub fn hit(&self, ip: IpAddr, now: Timestamp) {
        let now = now.as_millis();
        let mut hits = self.hits.lock().unwrap_or_else(|e| e.into_inner());
        Self::bound(&mut hits, now, self.window_ms);
        let q = hits.entry(ip).or_default();
        Self::expire(q, now, self.window_ms);
        q.push_back(now);
    }

    /// Counts a hit and tells whether the address is now over the limit.
    pub fn hit_and_check(&self, ip: IpAddr, now: Timestamp) -> bool {
        self.hit(ip, now);
        let hits = self.hits.lock().unwrap_or_else(|e| e.into_inner());
        hits.get(&ip).is_some_and(|q| q.len() > self.max)
    }

    /// Bounds memory under a flood of distinct addresses.
    fn bound(hits: &mut HashMap<IpAddr, VecDeque<i64>>, now: i64, window_ms: i64) {
        if hits.len() > 100_000 {
            hits.retain(|_, q| {
                Self::expire(q, now, window_ms);
                !q.is_empty()
            });
        }
    }

    fn expire(q: &mut VecDeque<i64>, now: i64, window_ms: i64) {
        while q.front().is_some_and(|t| now - *t >= window_ms) {
            q.pop_front();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_764_580_000_000;

    #[test]
    fn limits_after_max_hits_per_address() {
        let l = Limiter::new(3, Duration::from_secs(60));
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        let now = Timestamp::from_millis(T0);
        for _ in 0..3 {
            assert!(!l.is_limited(a, now));
            l.hit(a, now);
        }
        assert!(l.is_limited(a, now));
        assert!(!l.is_limited(b, now));
    }

    #[test]
    fn hits_expire_after_the_window() {
        let l = Limiter::new(1, Duration::from_secs(60));
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        l.hit(a, Timestamp::from_millis(T0));
        assert!(l.is_limited(a, Timestamp::from_millis(T0 + 59_999)), "still inside the window");
        assert!(!l.is_limited(a, Timestamp::from_millis(T0 + 60_000)), "a minute later it has expired");
    }

    #[test]
    fn hit_and_check_says_when_the_limit_is_passed() {
        let l = Limiter::new(2, Duration::from_secs(60));
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let now = Timestamp::from_millis(T0);
        assert!(!l.hit_and_check(a, now));
        assert!(!l.hit_and_check(a, now));
        assert!(l.hit_and_check(a, now), "the third hit is over a limit of two");
    }

    #[test]
    fn parallel_attempts_are_counted_before_they_run() {
        let l = std::sync::Arc::new(Limiter::new(10, Duration::from_secs(60)));
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let now = Timestamp::from_millis(T0);
        let taken: usize = (0..100)
            .map(|_| {
                let l = l.clone();
                std::thread::spawn(move || l.try_take(a, now))
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|t| usize::from(t.join().unwrap()))
            .sum();
        assert_eq!(taken, 10, "a hundred parallel attempts, a limit of ten");
        l.give_back(a);
        assert!(l.try_take(a, now), "an attempt given back (a success) frees its place");
        assert!(!l.try_take(a, now));
    }
}
