//! Request counts and latency histograms by route and status, in Prometheus text.
//!
//! A small registry of our own rather than the global `metrics` recorder: each
//! application value owns its numbers, so tests running several apps in one
//! process see their own.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Duration;

/// The method as a label: invented methods all count as `other`.
fn known_method(method: &str) -> &'static str {
    const KNOWN: [&str; 9] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE"];
    KNOWN.iter().copied().find(|m| *m == method).unwrap_or("other")
}

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0];

#[derive(Default)]
pub struct Metrics {
    series: Mutex<BTreeMap<(&'static str, String, u16), Series>>,
}

#[derive(Default, Clone)]
struct Series {
    count: u64,
    sum: f64,
    buckets: [u64; BUCKETS.len()],
}

impl Metrics {
    /// Counts one answered request. Every label is bounded, whatever the client sends:
    /// the method is one of the standard ones or `other`, the route is the router's
    /// template (or `unmatched`), the status a number.
    pub fn observe(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let secs = elapsed.as_secs_f64();
        let method = known_method(method);
        let mut series = self.series.lock().unwrap_or_else(|e| e.into_inner());
        let s = series.entry((method, route.to_string(), status)).or_default();
        s.count += 1;
        s.sum += secs;
        for (i, bound) in BUCKETS.iter().enumerate() {
            if secs <= *bound {
                s.buckets[i] += 1;
            }
        }
    }

    /// The Prometheus text exposition of everything observed, plus `extra` lines.
    pub fn render(&self, extra: &str) -> String {
        let series = self.series.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let mut out = String::new();
        out.push_str("# HELP embark_http_requests_total HTTP requests answered, by route and status.\n");
        out.push_str("# TYPE embark_http_requests_total counter\n");
        for ((method, route, status), s) in &series {
            let _ = writeln!(
                out,
                "embark_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {}",
                escape(route),
                s.count
            );
        }
        out.push_str("# HELP embark_http_request_duration_seconds Time to answer HTTP requests.\n");
        out.push_str("# TYPE embark_http_request_duration_seconds histogram\n");
        for ((method, route, status), s) in &series {
            let labels = format!("method=\"{method}\",route=\"{}\",status=\"{status}\"", escape(route));
            for (i, bound) in BUCKETS.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "embark_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {}",
                    s.buckets[i]
                );
            }
            let _ = writeln!(out, "embark_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}", s.count);
            let _ = writeln!(out, "embark_http_request_duration_seconds_sum{{{labels}}} {}", s.sum);
            let _ = writeln!(out, "embark_http_request_duration_seconds_count{{{labels}}} {}", s.count);
        }
        out.push_str(extra);
        out
    }
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histograms_are_cumulative() {
        let m = Metrics::default();
        m.observe("GET", "/users", 200, Duration::from_micros(700));
        m.observe("GET", "/users", 200, Duration::from_millis(30));
        let text = m.render("");
        assert!(text.contains("embark_http_requests_total{method=\"GET\",route=\"/users\",status=\"200\"} 2"));
        assert!(text.contains("le=\"0.001\"} 1"));
        assert!(text.contains("le=\"0.05\"} 2"));
        assert!(text.contains("le=\"+Inf\"} 2"));
    }
}
