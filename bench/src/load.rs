//! The scenarios and the closed-loop load that drives them.
//!
//! Each of `connections` tasks keeps one keep-alive connection and sends the
//! scenario's request again as soon as the previous answer is read. Answers to
//! requests started during the warm-up are not counted.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::http::{self, Connection};

/// How a scenario's requests prove who they are (a new kind, such as an
/// anonymous visitor, is a new variant here and a new arm in [`Scenario::request`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Auth {
    /// A signed-in browser: the `embark_session` cookie (and a CSRF cookie, as a browser would keep).
    Session,
    /// A script: `Authorization: Bearer emb_…`.
    ApiToken,
}

/// What a scenario stands for, which decides the goals it is held to (see `goal_for` in `main.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The cheapest signed-in request: every other scenario's throughput is read against it.
    Floor,
    /// A list page or list API.
    List,
    /// A page about one thing (the home page, an engagement, a scorecard, a meeting).
    Single,
    /// A request that writes (one use case, one transaction): measured for what a
    /// commit costs on each engine and durability, held to the latency goal only.
    Write,
}

/// One kind of request to repeat. New scenarios are new rows in [`SCENARIOS`].
#[derive(Clone, Copy, Debug)]
pub struct Scenario {
    pub name: &'static str,
    pub method: &'static str,
    pub path: &'static str,
    pub auth: Auth,
    pub kind: Kind,
    /// A JSON body, with `{playbook}` and `{anchor}` filled from the dataset.
    pub body: Option<&'static str>,
    /// What it stands for, for `--help`.
    pub about: &'static str,
}

/// The scenario every run measures first, whichever are named.
pub const FLOOR: &str = "floor";

pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: FLOOR,
        method: "GET",
        path: "/ping",
        auth: Auth::Session,
        kind: Kind::Floor,
        body: None,
        about: "the floor: session lookup and every middleware, a fixed 3-byte body (always run, first)",
    },
    Scenario {
        name: "home",
        method: "GET",
        path: "/",
        auth: Auth::Session,
        kind: Kind::Single,
        body: None,
        about: "the signed-in home page",
    },
    Scenario {
        name: "users_api",
        method: "GET",
        path: "/api/v1/users?limit=50",
        auth: Auth::ApiToken,
        kind: Kind::List,
        body: None,
        about: "the first 50 people, as JSON",
    },
    Scenario {
        name: "users_page",
        method: "GET",
        path: "/users",
        auth: Auth::Session,
        kind: Kind::List,
        body: None,
        about: "the signed-in people list page",
    },
    Scenario {
        name: "board",
        method: "GET",
        path: "/engagements",
        auth: Auth::Session,
        kind: Kind::List,
        body: None,
        about: "the engagement board, first page of 50",
    },
    Scenario {
        name: "board_api",
        method: "GET",
        path: "/api/v1/engagements?limit=50",
        auth: Auth::ApiToken,
        kind: Kind::List,
        body: None,
        about: "the first 50 engagements, as JSON",
    },
    Scenario {
        name: "engagement_page",
        method: "GET",
        path: "/engagements/{engagement}",
        auth: Auth::Session,
        kind: Kind::Single,
        body: None,
        about: "one kick-off engagement with its items and timeline",
    },
    Scenario {
        name: "catalogue",
        method: "GET",
        path: "/learning",
        auth: Auth::Session,
        kind: Kind::List,
        body: None,
        about: "the learning space's catalogue, with the learner's progress",
    },
    Scenario {
        name: "courses_api",
        method: "GET",
        path: "/api/v1/courses",
        auth: Auth::ApiToken,
        kind: Kind::List,
        body: None,
        about: "the catalogue, as JSON",
    },
    Scenario {
        name: "course_page",
        method: "GET",
        path: "/learning/scorecard",
        auth: Auth::Session,
        kind: Kind::Single,
        body: None,
        about: "one course with its modules, the learner's progress and the exam's rules",
    },
    Scenario {
        name: "requests_page",
        method: "GET",
        path: "/requests",
        auth: Auth::Session,
        kind: Kind::List,
        body: None,
        about: "the workspace's requests and complaints (50 newest) with a year's figures",
    },
    Scenario {
        name: "requests_api",
        method: "GET",
        path: "/api/v1/requests",
        auth: Auth::ApiToken,
        kind: Kind::List,
        body: None,
        about: "the workspace's 50 newest requests, as JSON",
    },
    Scenario {
        name: "indicators",
        method: "GET",
        path: "/indicators",
        auth: Auth::Session,
        kind: Kind::Single,
        body: None,
        about: "the indicators dashboard over the last twelve months",
    },
    Scenario {
        name: "create_engagement",
        method: "POST",
        path: "/api/v1/engagements",
        auth: Auth::ApiToken,
        kind: Kind::Write,
        body: Some(
            r#"{"playbook_id":"{playbook}","title":"Directrice financière","subject":"Acme Industries","anchor":"{anchor}"}"#,
        ),
        about: "a new kick-off engagement through the API: its items, reminders and timeline in one transaction",
    },
];

pub fn find(name: &str) -> Option<&'static Scenario> {
    SCENARIOS.iter().find(|s| s.name == name)
}

/// The secrets requests may carry.
pub struct Credentials {
    pub session_token: String,
    pub api_token: String,
    /// A CSRF cookie value, so the server does not mint one per answer.
    pub csrf_token: String,
    /// Fills `{engagement}` in scenario paths.
    pub engagement_id: String,
    /// Fills `{playbook}` in bodies: the kick-off playbook.
    pub playbook_id: String,
    /// Fills `{anchor}` in bodies: a day in the future (`YYYY-MM-DD`).
    pub anchor: String,
}

impl Scenario {
    /// The request bytes, sent unchanged by every connection.
    pub fn request(&self, addr: SocketAddr, credentials: &Credentials) -> Vec<u8> {
        let mut headers: Vec<(&str, String)> = Vec::new();
        match self.auth {
            Auth::Session => {
                headers.push(("Accept", "text/html,application/xhtml+xml".into()));
                headers.push(("Accept-Language", "en-GB,en;q=0.9,fr;q=0.8".into()));
                headers.push((
                    "Cookie",
                    format!("embark_session={}; embark_csrf={}", credentials.session_token, credentials.csrf_token),
                ));
            }
            Auth::ApiToken => {
                headers.push(("Accept", "application/json".into()));
                headers.push(("Authorization", format!("Bearer {}", credentials.api_token)));
            }
        }
        headers.push(("Connection", "keep-alive".into()));
        let path = self.path.replace("{engagement}", &credentials.engagement_id);
        match self.body {
            None => http::request(self.method, &path, &addr.to_string(), &headers),
            Some(body) => {
                let body =
                    body.replace("{playbook}", &credentials.playbook_id).replace("{anchor}", &credentials.anchor);
                http::request_with_body(
                    self.method,
                    &path,
                    &addr.to_string(),
                    &headers,
                    "application/json",
                    body.as_bytes(),
                )
            }
        }
    }
}

/// What a run measured.
pub struct Outcome {
    /// Answers to requests started in the measured window (errors included).
    pub requests: u64,
    /// Non-2xx answers, failed connections, timeouts.
    pub errors: u64,
    /// Why, by kind ("status 303", "timeout", "io: …"), for the console.
    pub error_kinds: BTreeMap<String, u64>,
    /// From the end of the warm-up to the last answer.
    pub elapsed: Duration,
    /// Latency of every answer (2xx or not), in microseconds, sorted.
    pub latencies_us: Vec<u32>,
}

impl Outcome {
    /// The latency below which `q` (0..=1) of the answers fall, in milliseconds (nearest rank).
    pub fn quantile_ms(&self, q: f64) -> f64 {
        quantile_ms(&self.latencies_us, q)
    }

    pub fn rps(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.requests as f64 / secs
        } else {
            0.0
        }
    }
}

/// The latency below which `q` (0..=1) of `sorted` (microseconds) fall, in milliseconds
/// (nearest rank; 0 when there is none).
pub fn quantile_ms(sorted: &[u32], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    f64::from(sorted[rank - 1]) / 1000.0
}

/// A single request, to check that a scenario works before loading it.
pub async fn probe(addr: SocketAddr, request: &[u8]) -> anyhow::Result<(http::Response, String)> {
    let mut conn = Connection::open(addr).await?;
    let response = conn.send(request).await?;
    let body = String::from_utf8_lossy(conn.body()).chars().take(300).collect();
    Ok((response, body))
}

/// A request that takes longer than this is an error (and its connection is dropped).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Sends `request` on `connections` connections for `warmup` then `duration`.
pub async fn run(
    addr: SocketAddr,
    request: Vec<u8>,
    connections: usize,
    warmup: Duration,
    duration: Duration,
) -> Outcome {
    let request: Arc<[u8]> = request.into();
    let measure_from = Instant::now() + warmup;
    let stop_at = measure_from + duration;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..connections {
        tasks.spawn(drive(addr, request.clone(), measure_from, stop_at));
    }
    let mut outcome = Outcome {
        requests: 0,
        errors: 0,
        error_kinds: BTreeMap::new(),
        elapsed: Duration::ZERO,
        latencies_us: Vec::new(),
    };
    while let Some(done) = tasks.join_next().await {
        let one = match done {
            Ok(one) => one,
            Err(e) => {
                *outcome.error_kinds.entry(format!("load task failed: {e}")).or_default() += 1;
                outcome.errors += 1;
                continue;
            }
        };
        outcome.requests += one.requests;
        outcome.errors += one.errors;
        for (k, n) in one.error_kinds {
            *outcome.error_kinds.entry(k).or_default() += n;
        }
        outcome.latencies_us.extend(one.latencies_us);
    }
    outcome.elapsed = Instant::now().saturating_duration_since(measure_from);
    outcome.latencies_us.sort_unstable();
    outcome
}

/// One connection's loop.
async fn drive(addr: SocketAddr, request: Arc<[u8]>, measure_from: Instant, stop_at: Instant) -> Outcome {
    let mut out = Outcome {
        requests: 0,
        errors: 0,
        error_kinds: BTreeMap::new(),
        elapsed: Duration::ZERO,
        latencies_us: Vec::with_capacity(64 * 1024),
    };
    let mut conn: Option<Connection> = None;
    loop {
        let started = Instant::now();
        if started >= stop_at {
            break;
        }
        let measured = started >= measure_from;
        let result = tokio::time::timeout(REQUEST_TIMEOUT, async {
            if conn.is_none() {
                conn = Some(Connection::open(addr).await?);
            }
            match conn.as_mut() {
                Some(c) => c.send(&request).await,
                None => unreachable!("the connection was just opened"),
            }
        })
        .await;
        let latency = started.elapsed();
        let error = match result {
            Ok(Ok(response)) => {
                if measured {
                    out.requests += 1;
                    out.latencies_us.push(u32::try_from(latency.as_micros()).unwrap_or(u32::MAX));
                }
                if response.closes {
                    conn = None;
                }
                (!response.is_success()).then(|| format!("status {}", response.status))
            }
            Ok(Err(e)) => {
                conn = None;
                Some(format!("io: {e}"))
            }
            Err(_) => {
                conn = None;
                Some("timeout".to_string())
            }
        };
        if let Some(kind) = error {
            if measured {
                out.errors += 1;
                *out.error_kinds.entry(kind).or_default() += 1;
            }
            if conn.is_none() {
                // Do not spin on a server that refuses connections.
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }
    out
}
