//! Counting failures (or requests) per client address over a sliding window.
//! In-process: each instance counts its own; see the README's design notes.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct Limiter {
    max: usize,
    window: Duration,
    hits: Mutex<HashMap<IpAddr, VecDeque<Instant>>>,
}

impl Limiter {
    pub fn new(max: usize, window: Duration) -> Self {
        Limiter { max, window, hits: Mutex::new(HashMap::new()) }
    }

    /// Whether `ip` already reached the limit within the window.
    pub fn is_limited(&self, ip: IpAddr) -> bool {
        let now = Instant::now();
        let mut hits = self.hits.lock().unwrap_or_else(|e| e.into_inner());
        match hits.get_mut(&ip) {
            Some(q) => {
                Self::expire(q, now, self.window);
                q.len() >= self.max
            }
            None => false,
        }
    }

    /// Counts one hit for `ip`.
    pub fn hit(&self, ip: IpAddr) {
        let now = Instant::now();
        let mut hits = self.hits.lock().unwrap_or_else(|e| e.into_inner());
        // Bound memory under a flood of distinct addresses.
        if hits.len() > 100_000 {
            let window = self.window;
            hits.retain(|_, q| {
                Self::expire(q, now, window);
                !q.is_empty()
            });
        }
        let q = hits.entry(ip).or_default();
        Self::expire(q, now, self.window);
        q.push_back(now);
    }

    /// Counts a hit and tells whether the address is now over the limit.
    pub fn hit_and_check(&self, ip: IpAddr) -> bool {
        self.hit(ip);
        let hits = self.hits.lock().unwrap_or_else(|e| e.into_inner());
        hits.get(&ip).is_some_and(|q| q.len() > self.max)
    }

    fn expire(q: &mut VecDeque<Instant>, now: Instant, window: Duration) {
        while q.front().is_some_and(|t| now.duration_since(*t) >= window) {
            q.pop_front();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_after_max_hits_per_address() {
        let l = Limiter::new(3, Duration::from_secs(60));
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        for _ in 0..3 {
            assert!(!l.is_limited(a));
            l.hit(a);
        }
        assert!(l.is_limited(a));
        assert!(!l.is_limited(b));
    }

    #[test]
    fn hits_expire_after_the_window() {
        let l = Limiter::new(1, Duration::from_millis(1));
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        l.hit(a);
        std::thread::sleep(Duration::from_millis(5));
        assert!(!l.is_limited(a));
    }
}
