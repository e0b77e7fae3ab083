//! The live kick-off scenario (issue 4): many kick-off meetings at once, in each of
//! which the account manager and the client contact co-write the scorecard, each
//! seeing the other's words arrive over the engagement's live stream.
//!
//! # What each editor does
//!
//! Like a browser tab on the scorecard page, an editor holds two connections: the
//! live stream (`GET /engagements/{id}/live`, Server-Sent Events, read as the bytes
//! arrive) and a keep-alive connection for its saves (`POST
//! /engagements/{id}/scorecard/fields/{field}`, JSON, with the double-submit CSRF
//! cookie and header). The account manager writes `mission`, the client `location`:
//! separate fields, so that the steady state has no conflicts (a 409 is still
//! handled as the page does: the save is sent again on the version it names). Each
//! editor saves, waits for the answer, thinks for about a second (0.75–1.25 s,
//! drawn per save) and saves again: `2 × meetings` editors offer about as many saves
//! a second. Starts are spread over the first second so that they do not beat in step.
//!
//! # Matching a save to its event
//!
//! Every saved value starts with `#<n>`, the writer's sequence number. Just before
//! writing the request, the writer notes `n` and the instant in a table shared with
//! the other editor of the meeting (before, because the server publishes the event
//! before it answers). The other editor's stream reader, on an event for the
//! writer's field, takes `n` out of the value, removes it from the table and counts
//! the time since the instant noted: the update latency, what a person in the
//! meeting waits to see the other's words appear. It includes the save itself,
//! the fan-out to the stream, and the scheduling of this process. Events of the
//! editor's own field (the echo of its saves) are not counted.
//!
//! A save that was applied (200) but whose event never reached the other editor
//! stays in the table: after the last save the streams are still read for
//! [`GRACE`], then what is left of the measured window is counted as missing.
//! `{"kind":"reload"}` events (the server's word for "you fell behind, events
//! were dropped") are counted as lagged.

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use serde::Deserialize;
use tokio::task::JoinSet;

use crate::dataset::{splitmix64, Meeting};
use crate::http::{self, BodyKind, Connection};
use crate::server::{Memory, Server};
use crate::sse::Decoder;

pub const NAME: &str = "live_meetings";
pub const ABOUT: &str = "live kick-offs: account manager and client co-write the scorecard, seen over SSE";

/// The field each side writes: the account manager's, then the client's.
const FIELDS: [&str; 2] = ["mission", "location"];
/// What each side writes, after the sequence number (lengths of a real scorecard's fields).
const TEXTS: [&str; 2] = [
    "Lead the data platform team through the move to streaming: hire two senior engineers \
     by spring, own the on-call rotation and the quarterly roadmap with product.",
    "Lyon, Part-Dieu office; hybrid, two days a week on site",
];
/// Pause between an answer and the next save: THINK ± JITTER, uniformly.
const THINK: Duration = Duration::from_millis(1000);
const JITTER: Duration = Duration::from_millis(250);
/// How long the streams are still read after the last save, for late events.
pub const GRACE: Duration = Duration::from_secs(2);
/// A save that takes longer than this is an error (and its connection is dropped).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Opening every editor's connections, and the first save's round trip, may take this long.
const SETUP_TIMEOUT: Duration = Duration::from_secs(60);
/// Editors connecting at the same time during the set-up.
const SETUP_PARALLELISM: usize = 32;

/// What a run measured.
pub struct Outcome {
    pub meetings: usize,
    pub editors: usize,
    /// The measured window (`--duration`).
    pub elapsed: Duration,
    /// Saves sent in the window and applied (200).
    pub saves: u64,
    /// Answers to saves sent in the window (200, 409 or other), in microseconds, sorted.
    pub save_latencies_us: Vec<u32>,
    /// For each of the other editor's saves sent in the window: from its send to its event, sorted.
    pub update_latencies_us: Vec<u32>,
    /// Saves sent in the window, applied, whose event the other editor never received.
    pub missing: u64,
    /// 409 answers in the window.
    pub conflicts: u64,
    /// Failed saves (non-2xx other than 409, timeouts, broken connections) and
    /// broken or unreadable streams, in the window.
    pub errors: u64,
    /// Why, by kind, for the console.
    pub error_kinds: BTreeMap<String, u64>,
    /// `reload` events received in the window (the server dropped events for a slow reader).
    pub lagged: u64,
    /// Events of the other's field that match no save noted (sent before a reconnection…).
    pub unmatched: u64,
    /// The server's memory before the editors connected, once they all are (before
    /// the load: what idle connections cost), and at the end of the window (every
    /// stream still open).
    pub memory_before: Memory,
    pub memory_connected: Memory,
    pub memory: Memory,
}

impl Outcome {
    pub fn saves_per_s(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.saves as f64 / secs
        } else {
            0.0
        }
    }
}

/// A save noted by its writer, until the other editor's stream delivers it.
struct Sent {
    at: Instant,
    /// Sent in the measured window.
    measured: bool,
    /// The server answered 200: its event must come.
    applied: bool,
}

/// The saves of one editor not yet seen by the other, by sequence number.
type Pending = Arc<Mutex<HashMap<u64, Sent>>>;

fn lock(p: &Pending) -> std::sync::MutexGuard<'_, HashMap<u64, Sent>> {
    p.lock().unwrap_or_else(|e| e.into_inner())
}

/// One side of one meeting, connected.
struct Editor {
    side: usize,
    engagement: String,
    live_request: Vec<u8>,
    stream: Connection,
    decoder: Decoder,
    posts: Connection,
    /// The `Cookie` and CSRF header of its saves.
    headers: Vec<(&'static str, String)>,
    /// The version of its field its next save is based on.
    version: i64,
}

/// The event fields this scenario reads.
#[derive(Deserialize)]
struct LiveEvent {
    kind: String,
    #[serde(default)]
    field: Option<String>,
    #[serde(default)]
    value: Option<serde_json::Value>,
}

/// `{"status":"applied","version":N}` or `{"status":"conflict","version":N,…}`.
#[derive(Deserialize)]
struct SaveAnswer {
    version: i64,
}

/// Connects `2 × meetings.len()` editors, checks that a save of each side of the first
/// meeting reaches the other, then runs the load for `warmup` then `duration`.
pub async fn run(
    server: &Server,
    meetings: &[Meeting],
    csrf: &str,
    warmup: Duration,
    duration: Duration,
) -> anyhow::Result<Outcome> {
    let addr = server.addr;
    let memory_before = server.memory()?;
    let mut editors = connect(addr, meetings, csrf).await?;
    tokio::time::timeout(SETUP_TIMEOUT, probe(addr, &mut editors[0..2]))
        .await
        .context("the first save of each side was not seen by the other within a minute")??;
    let memory_connected = server.memory()?;

    let start = Instant::now();
    let measure_from = start + warmup;
    let stop_at = measure_from + duration;
    let read_until = stop_at + GRACE;
    let mut tables = Vec::with_capacity(editors.len());
    let mut tasks = JoinSet::new();
    let mut it = editors.into_iter();
    let mut meeting = 0u64;
    while let (Some(am), Some(client)) = (it.next(), it.next()) {
        let pending: [Pending; 2] = Default::default();
        for ed in [am, client] {
            let Editor { side, engagement, live_request, stream, decoder, posts, headers, version } = ed;
            let write = Writer {
                addr,
                path: format!("/engagements/{engagement}/scorecard/fields/{}", FIELDS[side]),
                headers,
                side,
                version,
                pending: pending[side].clone(),
            };
            tasks.spawn(write.run(posts, splitmix64(meeting * 2 + side as u64), start, measure_from, stop_at));
            let read = Reader { addr, side, live_request, decoder, theirs: pending[1 - side].clone() };
            tasks.spawn(read.run(stream, measure_from, read_until));
        }
        tables.extend(pending);
        meeting += 1;
    }

    tokio::time::sleep_until(stop_at.into()).await;
    let memory = server.memory()?;
    let mut out = Tally::default();
    while let Some(done) = tasks.join_next().await {
        match done {
            Ok(one) => out.add(one),
            Err(e) => out.error(format!("load task failed: {e}")),
        }
    }
    // Applied in the window and never seen by the other side.
    let missing =
        tables.iter().map(|t| lock(t).values().filter(|s| s.measured && s.applied).count() as u64).sum::<u64>();
    out.save_us.sort_unstable();
    out.update_us.sort_unstable();
    Ok(Outcome {
        meetings: meetings.len(),
        editors: 2 * meetings.len(),
        elapsed: duration,
        saves: out.saves,
        save_latencies_us: out.save_us,
        update_latencies_us: out.update_us,
        missing,
        conflicts: out.conflicts,
        errors: out.errors,
        error_kinds: out.error_kinds,
        lagged: out.lagged,
        unmatched: out.unmatched,
        memory_before,
        memory_connected,
        memory,
    })
}

/// Opens both connections of every editor, `SETUP_PARALLELISM` editors at a time;
/// returns them in meeting order, the account manager first.
async fn connect(addr: SocketAddr, meetings: &[Meeting], csrf: &str) -> anyhow::Result<Vec<Editor>> {
    let mut slots: Vec<Option<Editor>> = (0..2 * meetings.len()).map(|_| None).collect();
    let mut opening = JoinSet::new();
    let mut next = 0;
    let started = Instant::now();
    while next < slots.len() || !opening.is_empty() {
        if next < slots.len() && opening.len() < SETUP_PARALLELISM {
            let m = &meetings[next / 2];
            let side = next % 2;
            let session = if side == 0 { &m.account_manager_session } else { &m.client_session };
            let open = open_editor(addr, m.engagement_id.clone(), side, session.clone(), csrf.to_string());
            let index = next;
            opening.spawn(async move { (index, tokio::time::timeout(SETUP_TIMEOUT, open).await) });
            next += 1;
            continue;
        }
        if let Some(done) = opening.join_next().await {
            let (index, result) = done.context("connecting an editor panicked")?;
            let editor = result
                .map_err(|_| anyhow::anyhow!("timed out"))
                .and_then(|r| r)
                .with_context(|| format!("meeting {}, {}", index / 2, side_name(index % 2)))?;
            slots[index] = Some(editor);
        }
    }
    eprintln!("  {} live streams open in {} ms", slots.len(), started.elapsed().as_millis());
    Ok(slots.into_iter().flatten().collect())
}

fn side_name(side: usize) -> &'static str {
    if side == 0 {
        "account manager"
    } else {
        "client contact"
    }
}

/// Opens an editor's live stream (up to the headers of its answer) and its connection for saves.
async fn open_editor(
    addr: SocketAddr,
    engagement: String,
    side: usize,
    session: String,
    csrf: String,
) -> anyhow::Result<Editor> {
    let cookie = format!("embark_session={session}; embark_csrf={csrf}");
    let live_request = http::request(
        "GET",
        &format!("/engagements/{engagement}/live"),
        &addr.to_string(),
        &[("Accept", "text/event-stream".into()), ("Cookie", cookie.clone()), ("Cache-Control", "no-cache".into())],
    );
    let (stream, decoder) = open_stream(addr, &live_request).await?;
    let posts = Connection::open(addr).await?;
    let headers = vec![
        ("Accept", "application/json".to_string()),
        ("Cookie", cookie),
        ("X-CSRF-Token", csrf),
        ("Connection", "keep-alive".to_string()),
    ];
    // Field versions start at 1 on a new scorecard.
    Ok(Editor { side, engagement, live_request, stream, decoder, posts, headers, version: 1 })
}

/// Sends the live stream's request and reads its answer's head.
async fn open_stream(addr: SocketAddr, live_request: &[u8]) -> anyhow::Result<(Connection, Decoder)> {
    let mut stream = Connection::open(addr).await?;
    let head = stream.send_streaming(live_request).await?;
    if head.status != 200 {
        bail!("the live stream answered {}, expected 200", head.status);
    }
    let chunked = match head.body {
        BodyKind::Chunked => true,
        BodyKind::UntilClose => false,
        other => bail!("the live stream answered with a body of {other:?}, expected a stream"),
    };
    Ok((stream, Decoder::new(chunked)))
}

/// Checks the whole chain once before loading it: each side of the first meeting saves
/// its field (sequence number 0) and the other side's stream must deliver it.
async fn probe(addr: SocketAddr, pair: &mut [Editor]) -> anyhow::Result<()> {
    for side in 0..2 {
        let writer = &mut pair[side];
        let body = save_body(0, side, writer.version);
        let path = format!("/engagements/{}/scorecard/fields/{}", writer.engagement, FIELDS[side]);
        let request = http::request_with_body(
            "POST",
            &path,
            &addr.to_string(),
            &writer.headers,
            "application/json",
            body.as_bytes(),
        );
        let answer = writer.posts.send(&request).await.with_context(|| format!("{}'s first save", side_name(side)))?;
        let text: String = String::from_utf8_lossy(writer.posts.body()).chars().take(300).collect();
        if answer.status != 200 {
            bail!("{}'s first save: POST {path} answered {}, expected 200: {text}", side_name(side), answer.status);
        }
        let saved: SaveAnswer = serde_json::from_str(&text).with_context(|| format!("POST {path} answered {text}"))?;
        writer.version = saved.version;
        // The other side must see it.
        let reader = &mut pair[1 - side];
        let mut buf = vec![0; 16 * 1024];
        let mut events = Vec::new();
        'seen: loop {
            let n = reader.stream.read_some(&mut buf).await?;
            if n == 0 {
                bail!("the {}'s live stream ended before the first save's event", side_name(1 - side));
            }
            reader.decoder.feed(&buf[..n], &mut events)?;
            for data in events.drain(..) {
                let event: LiveEvent =
                    serde_json::from_str(&data).with_context(|| format!("an unreadable live event: {data}"))?;
                if event.field.as_deref() == Some(FIELDS[side]) {
                    if sequence(&event) != Some(0) {
                        bail!("the first save's event carried another value: {data}");
                    }
                    break 'seen;
                }
            }
        }
    }
    Ok(())
}

/// A save's JSON body: the side's text behind its sequence number.
fn save_body(seq: u64, side: usize, based_on: i64) -> String {
    serde_json::json!({ "value": format!("#{seq} {}", TEXTS[side]), "based_on": based_on }).to_string()
}

/// The sequence number at the start of an event's value (`#12 …` → 12).
fn sequence(event: &LiveEvent) -> Option<u64> {
    let text = event.value.as_ref()?.as_str()?.strip_prefix('#')?;
    let digits = text.split(' ').next()?;
    digits.parse().ok()
}

/// What one task counted (merged at the end).
#[derive(Default)]
struct Tally {
    saves: u64,
    save_us: Vec<u32>,
    update_us: Vec<u32>,
    conflicts: u64,
    errors: u64,
    error_kinds: BTreeMap<String, u64>,
    lagged: u64,
    unmatched: u64,
}

impl Tally {
    fn error(&mut self, kind: String) {
        self.errors += 1;
        *self.error_kinds.entry(kind).or_default() += 1;
    }

    fn add(&mut self, other: Tally) {
        self.saves += other.saves;
        self.save_us.extend(other.save_us);
        self.update_us.extend(other.update_us);
        self.conflicts += other.conflicts;
        self.errors += other.errors;
        for (k, n) in other.error_kinds {
            *self.error_kinds.entry(k).or_default() += n;
        }
        self.lagged += other.lagged;
        self.unmatched += other.unmatched;
    }
}

fn micros(d: Duration) -> u32 {
    u32::try_from(d.as_micros()).unwrap_or(u32::MAX)
}

/// One editor's saves.
struct Writer {
    addr: SocketAddr,
    path: String,
    headers: Vec<(&'static str, String)>,
    side: usize,
    version: i64,
    /// Its saves, for the other side's reader.
    pending: Pending,
}

impl Writer {
    async fn run(
        mut self,
        posts: Connection,
        seed: u64,
        start: Instant,
        measure_from: Instant,
        stop_at: Instant,
    ) -> Tally {
        let mut out = Tally { save_us: Vec::with_capacity(1024), ..Tally::default() };
        let mut random = seed;
        let mut draw = |range: Duration| {
            random = splitmix64(random);
            Duration::from_micros(random % (range.as_micros() as u64).max(1))
        };
        let host = self.addr.to_string();
        let mut conn = Some(posts);
        // Spread the first saves over the first second.
        tokio::time::sleep_until((start + draw(THINK)).into()).await;
        let mut seq = 0u64;
        loop {
            let now = Instant::now();
            if now >= stop_at {
                break;
            }
            seq += 1;
            let measured = now >= measure_from;
            let body = save_body(seq, self.side, self.version);
            let request =
                http::request_with_body("POST", &self.path, &host, &self.headers, "application/json", body.as_bytes());
            // Noted before sending: the server publishes before it answers.
            let sent = Instant::now();
            lock(&self.pending).insert(seq, Sent { at: sent, measured, applied: false });
            let result = tokio::time::timeout(REQUEST_TIMEOUT, async {
                if conn.is_none() {
                    conn = Some(Connection::open(self.addr).await?);
                }
                match conn.as_mut() {
                    Some(c) => c.send(&request).await,
                    None => unreachable!("the connection was just opened"),
                }
            })
            .await;
            let latency = sent.elapsed();
            let mut again = false;
            let error = match result {
                Ok(Ok(answer)) => {
                    if measured {
                        out.save_us.push(micros(latency));
                    }
                    let version = conn
                        .as_ref()
                        .and_then(|c| serde_json::from_slice::<SaveAnswer>(c.body()).ok())
                        .map(|a| a.version);
                    if answer.closes {
                        conn = None;
                    }
                    match (answer.status, version) {
                        (200, Some(v)) => {
                            self.version = v;
                            if let Some(s) = lock(&self.pending).get_mut(&seq) {
                                s.applied = true;
                            }
                            out.saves += u64::from(measured);
                            None
                        }
                        (409, Some(v)) => {
                            // Someone else wrote it first: the page sends it again on theirs.
                            self.version = v;
                            lock(&self.pending).remove(&seq);
                            out.conflicts += u64::from(measured);
                            again = true;
                            None
                        }
                        (status, _) => {
                            lock(&self.pending).remove(&seq);
                            Some(format!("save: status {status}"))
                        }
                    }
                }
                Ok(Err(e)) => {
                    conn = None;
                    lock(&self.pending).remove(&seq);
                    Some(format!("save: io: {e}"))
                }
                Err(_) => {
                    conn = None;
                    lock(&self.pending).remove(&seq);
                    Some("save: timeout".to_string())
                }
            };
            if let Some(kind) = error {
                if measured {
                    out.error(kind);
                }
            }
            if !again {
                let pause = THINK - JITTER + draw(2 * JITTER);
                tokio::time::sleep_until((Instant::now() + pause).min(stop_at).into()).await;
            }
        }
        out
    }
}

/// One editor's live stream.
struct Reader {
    addr: SocketAddr,
    side: usize,
    /// The prepared `GET …/live`, to reconnect after a drop.
    live_request: Vec<u8>,
    decoder: Decoder,
    /// The other side's saves.
    theirs: Pending,
}

impl Reader {
    /// Reads the stream until `read_until`, timing the other side's saves. A dropped
    /// stream is opened again, as a browser's `EventSource` does.
    async fn run(mut self, stream: Connection, measure_from: Instant, read_until: Instant) -> Tally {
        let mut out = Tally { update_us: Vec::with_capacity(1024), ..Tally::default() };
        let other_field = FIELDS[1 - self.side];
        let mut buf = vec![0u8; 16 * 1024];
        let mut events = Vec::new();
        let mut stream = Some(stream);
        loop {
            let Some(conn) = stream.as_mut() else {
                // Do not spin on a server that refuses connections.
                tokio::time::sleep(Duration::from_millis(10)).await;
                match tokio::time::timeout_at(read_until.into(), open_stream(self.addr, &self.live_request)).await {
                    Ok(Ok((c, d))) => {
                        stream = Some(c);
                        self.decoder = d;
                    }
                    Ok(Err(e)) => {
                        if Instant::now() >= measure_from {
                            out.error(format!("live: reconnect: {e:#}"));
                        }
                    }
                    Err(_) => break,
                }
                continue;
            };
            let n = match tokio::time::timeout_at(read_until.into(), conn.read_some(&mut buf)).await {
                Err(_) => break,
                Ok(Ok(0)) => Err("live: the server ended the stream".to_string()),
                Ok(Ok(n)) => Ok(n),
                Ok(Err(e)) => Err(format!("live: io: {e}")),
            };
            let received = Instant::now();
            let measured = received >= measure_from;
            let fed = n.and_then(|n| self.decoder.feed(&buf[..n], &mut events).map_err(|e| format!("live: {e}")));
            let fed = fed.and_then(|()| {
                if self.decoder.is_done() {
                    Err("live: the server ended the stream".to_string())
                } else {
                    Ok(())
                }
            });
            for data in events.drain(..) {
                let Ok(event) = serde_json::from_str::<LiveEvent>(&data) else {
                    if measured {
                        out.error("live: an unreadable event".to_string());
                    }
                    continue;
                };
                match event.kind.as_str() {
                    "reload" => out.lagged += u64::from(measured),
                    "field" if event.field.as_deref() == Some(other_field) => {
                        let sent = sequence(&event).and_then(|seq| lock(&self.theirs).remove(&seq));
                        match sent {
                            Some(s) if s.measured => {
                                out.update_us.push(micros(received.saturating_duration_since(s.at)));
                            }
                            Some(_) => {}
                            None => out.unmatched += u64::from(measured),
                        }
                    }
                    // The echo of its own saves, signatures…
                    _ => {}
                }
            }
            // The events read before a break still count.
            if let Err(kind) = fed {
                if measured {
                    out.error(kind);
                }
                stream = None;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_save_carries_its_sequence_number_to_the_event() {
        let body: serde_json::Value = serde_json::from_str(&save_body(42, 1, 7)).unwrap();
        assert_eq!(body["based_on"], 7);
        let event = format!(r#"{{"kind":"field","field":"location","version":8,"value":{},"by":"C"}}"#, body["value"]);
        let event: LiveEvent = serde_json::from_str(&event).unwrap();
        assert_eq!(sequence(&event), Some(42));
        let other: LiveEvent = serde_json::from_str(r#"{"kind":"field","value":["a"]}"#).unwrap();
        assert_eq!(sequence(&other), None);
    }
}
