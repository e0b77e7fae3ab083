//! `embark-bench`: how fast Embark answers and how much memory it holds, on a
//! dataset of a chosen size. Run by hand (never in CI), on a quiet machine:
//!
//! ```text
//! cargo build --release -p embark -p embark-bench
//! target/release/embark-bench --users 1000 --workspaces 1 --connections 32 --duration 10
//! ```
//!
//! # What it does
//!
//! 1. Writes `--users` people spread over `--workspaces` workspaces (plus an admin
//!    with a session and an API token) into a fresh SQLite file in a temporary
//!    directory, straight through `embark-store`; or into the empty PostgreSQL
//!    database given with `--database-url postgres://…` (left as it is afterwards).
//! 2. Starts the release server, `target/release/embark serve`, on a free local
//!    port over that database, and waits until `/readyz` answers.
//! 3. For each scenario (`--scenario`, default all): checks that one request
//!    succeeds, then keeps `--connections` keep-alive HTTP/1.1 connections busy
//!    for `--warmup` + `--duration` seconds, each sending its next request as
//!    soon as the previous answer is read. Only the `--duration` part is counted.
//!    `live_meetings` is not a request to repeat, and runs only when named: see below.
//! 4. Reads the server's resident memory from `/proc/<pid>/status`.
//! 5. Prints one JSON line per scenario on standard output (progress goes to
//!    standard error), then stops the server and removes the temporary directory.
//!
//! # The live meetings scenario
//!
//! `--meetings` kick-off meetings at once (issue 4), each with its account manager
//! and its client contact co-writing the scorecard: every editor holds the
//! engagement's live stream (Server-Sent Events) and saves its own field about once
//! a second; what is timed is how long after a save is sent the *other* editor's
//! stream delivers it (see `live.rs` for how saves and events are matched). When it
//! is selected (it is by default), the dataset holds `--meetings` more engagements
//! and two more people per meeting, which the other scenarios see too; it runs last.
//! Its line has:
//!
//! - `saves`, `saves_per_s`: saves sent in the measured window and applied; the
//!   offered load is about one a second per editor.
//! - `events`: the other editor's events received for those saves;
//!   `missing_events`: applied saves whose event never came (read for 2 s more
//!   after the window); `lagged`: "reload" events, the server's notice that a stream
//!   fell behind and lost events; `unmatched`: events that match no save sent.
//! - `update_p50_ms`, `update_p99_ms`, `update_max_ms`: from writing the save to the
//!   other editor reading its event; `save_p50_ms`…: the save's own answer.
//! - `conflicts`: 409 answers (none expected: each side writes its own field);
//!   `errors`: failed saves and broken streams.
//! - `server_rss_mib`: `VmRSS` at the end of the window, every stream still open;
//!   `server_rss_before_mib`: before the editors connected;
//!   `server_rss_connected_mib`: once they all are, before the first save.
//!
//! # Reading the figures
//!
//! - `requests`: answers to requests started in the measured window; `errors`:
//!   how many of them were not 2xx, failed or timed out (any error means the
//!   other figures describe something other than the scenario; the console says why).
//! - `rps`: `requests` / measured seconds: throughput at that concurrency.
//! - `p50_ms`, `p99_ms`, `max_ms`: latency of an answer as the client sees it,
//!   from writing the request to reading the last byte, queueing included.
//!   The load is closed-loop, so latency and throughput are tied by Little's law
//!   (mean latency ≈ connections / rps): 32 connections at p99 ≤ 10 ms need
//!   several thousand answers a second.
//! - `server_peak_rss_mib`: the server's `VmHWM`, the peak resident memory since
//!   it started (so it covers this scenario and the ones before it);
//!   `server_rss_mib`: `VmRSS` after the scenario.
//! - `goal`: what Embark aims at: at least `rps_min` answers a second, p99 at
//!   most `p99_ms_max`, at most `rss_mib_max` MiB, flat from 1k to 100k people.
//!   The console says which goals a scenario misses.
//!
//! The load generator runs on the same machine as the server and takes CPU from
//! it (`--client-threads`, default 1, keeps that small). Compare runs made on the
//! same machine with the same options; build both binaries in release mode.

mod dataset;
mod http;
mod live;
mod load;
mod server;
mod sse;

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{bail, Context};
use clap::Parser;
use embark::secrets::random_token;
use serde::Serialize;

use crate::load::{quantile_ms, Credentials, Scenario, SCENARIOS};
use crate::server::Server;

/// What Embark aims at; printed with every result, never asserted in tests.
const GOAL: Goal = Goal { rps_min: 1000, p99_ms_max: 10, rss_mib_max: 40 };

#[derive(Parser, Debug)]
#[command(name = "embark-bench", version, about = "Load-test the release Embark server on a generated dataset", long_about = None)]
struct Args {
    /// People in the dataset, spread evenly over the workspaces (the admin included).
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    users: u64,
    /// Engagements (kick-offs) in the first workspace.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    engagements: u64,
    /// Workspaces in the dataset; every scenario acts in the first one.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    workspaces: u64,
    /// Concurrent keep-alive connections.
    #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    connections: u64,
    /// Measured seconds per scenario.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    duration: u64,
    /// Unmeasured seconds of load before each scenario's measure.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u64).range(0..=600))]
    warmup: u64,
    /// Scenario to run (repeat for several; default all).
    #[arg(long = "scenario", value_name = "NAME", value_parser = clap::builder::PossibleValuesParser::new(SCENARIOS.iter().map(|s| clap::builder::PossibleValue::new(s.name).help(s.about)).chain(std::iter::once(clap::builder::PossibleValue::new(live::NAME).help(live::ABOUT)))))]
    scenarios: Vec<String>,
    /// Live kick-off meetings of the live_meetings scenario (two editors each).
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    meetings: u64,
    /// An empty PostgreSQL database to fill and serve from, instead of a fresh SQLite file.
    #[arg(long, value_name = "postgres://…")]
    database_url: Option<String>,
    /// Threads of the load generator (it shares the machine with the server).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=256))]
    client_threads: u64,
}

#[derive(Serialize, Clone, Copy)]
struct Goal {
    rps_min: u32,
    p99_ms_max: u32,
    rss_mib_max: u32,
}

/// The goals that apply to the live meetings scenario.
#[derive(Serialize, Clone, Copy)]
struct LiveGoal {
    p99_ms_max: u32,
    rss_mib_max: u32,
}

/// The line of the live meetings scenario.
#[derive(Serialize)]
struct LiveReport<'a> {
    scenario: &'a str,
    users: u64,
    workspaces: u64,
    engagements: u64,
    meetings: usize,
    editors: usize,
    duration_s: f64,
    saves: u64,
    saves_per_s: f64,
    events: u64,
    missing_events: u64,
    lagged: u64,
    unmatched: u64,
    update_p50_ms: f64,
    update_p99_ms: f64,
    update_max_ms: f64,
    save_p50_ms: f64,
    save_p99_ms: f64,
    save_max_ms: f64,
    conflicts: u64,
    errors: u64,
    server_rss_before_mib: f64,
    server_rss_connected_mib: f64,
    server_rss_mib: f64,
    server_peak_rss_mib: f64,
    engine: &'static str,
    goal: LiveGoal,
}

/// One line of results.
#[derive(Serialize)]
struct Report<'a> {
    scenario: &'a str,
    users: u64,
    workspaces: u64,
    engagements: u64,
    connections: u64,
    duration_s: f64,
    requests: u64,
    errors: u64,
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    server_peak_rss_mib: f64,
    server_rss_mib: f64,
    engine: &'static str,
    goal: Goal,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(args.client_threads as usize).enable_all().build();
    let runtime = match runtime {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("embark-bench: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        tokio::select! {
            r = run(args) => r,
            // Dropping `run` kills the server and removes the temporary directory.
            _ = tokio::signal::ctrl_c() => Err(anyhow::anyhow!("interrupted")),
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("embark-bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> anyhow::Result<()> {
    if args.workspaces > args.users {
        bail!(
            "--workspaces ({}) is more than --users ({}): every workspace needs someone",
            args.workspaces,
            args.users
        );
    }
    // Only when named: it adds meetings to the dataset, which would change the other scenarios' figures.
    let live = args.scenarios.iter().any(|n| n == live::NAME);
    let scenarios: Vec<&Scenario> = if args.scenarios.is_empty() {
        SCENARIOS.iter().collect()
    } else {
        args.scenarios
            .iter()
            .filter(|n| *n != live::NAME)
            .map(|n| load::find(n).with_context(|| format!("no scenario {n:?}")))
            .collect::<anyhow::Result<_>>()?
    };
    if cfg!(debug_assertions) {
        eprintln!("warning: embark-bench is a debug build; build it with --release so the load generator stays light");
    }
    let binary = server::binary()?;

    // Declared before the server so that it is removed after the server stops.
    let temp = TempDir::new()?;
    let (database_url, engine) = match &args.database_url {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => (url.clone(), "postgres"),
        Some(_) => bail!("--database-url: expected postgres://… (without it, a fresh SQLite file is used)"),
        None => (format!("sqlite://{}", temp.path.join("embark.db").display()), "sqlite"),
    };

    eprintln!("building the dataset ({engine}): {} people in {} workspace(s)…", args.users, args.workspaces);
    let meetings = if live { args.meetings as usize } else { 0 };
    let data = dataset::build(
        &database_url,
        args.workspaces as usize,
        args.users as usize,
        args.engagements as usize,
        meetings,
    )
    .await?;
    let credentials = Credentials {
        session_token: data.session_token,
        api_token: data.api_token,
        csrf_token: random_token(),
        engagement_id: data.engagement_id,
    };

    let mut server = Server::start(&binary, &database_url, &temp.path)?;
    let ready_in = server.wait_ready().await?;
    let idle = server.memory()?;
    eprintln!(
        "server {} (pid {}) ready on {} in {} ms, {:.1} MiB resident",
        binary.display(),
        server.pid(),
        server.addr,
        ready_in.as_millis(),
        mib(idle.current_kib)
    );

    for scenario in scenarios {
        let request = scenario.request(server.addr, &credentials);
        let (answer, body) =
            load::probe(server.addr, &request).await.with_context(|| format!("{}: first request", scenario.name))?;
        if !answer.is_success() {
            bail!(
                "{}: {} {} answered {}, expected 2xx: {body}",
                scenario.name,
                scenario.method,
                scenario.path,
                answer.status
            );
        }
        eprintln!(
            "{}: {} {} on {} connection(s), {} s warm-up + {} s…",
            scenario.name, scenario.method, scenario.path, args.connections, args.warmup, args.duration
        );
        let outcome = load::run(
            server.addr,
            request,
            args.connections as usize,
            Duration::from_secs(args.warmup),
            Duration::from_secs(args.duration),
        )
        .await;
        server.ensure_running()?;
        let memory = server.memory()?;
        let report = Report {
            scenario: scenario.name,
            users: args.users,
            workspaces: args.workspaces,
            engagements: args.engagements,
            connections: args.connections,
            duration_s: round(outcome.elapsed.as_secs_f64(), 2),
            requests: outcome.requests,
            errors: outcome.errors,
            rps: round(outcome.rps(), 1),
            p50_ms: round(outcome.quantile_ms(0.50), 3),
            p99_ms: round(outcome.quantile_ms(0.99), 3),
            max_ms: round(outcome.quantile_ms(1.0), 3),
            server_peak_rss_mib: round(mib(memory.peak_kib), 1),
            server_rss_mib: round(mib(memory.current_kib), 1),
            engine,
            goal: GOAL,
        };
        let mut out = std::io::stdout().lock();
        serde_json::to_writer(&mut out, &report)?;
        writeln!(out)?;
        out.flush()?;
        drop(out);
        for (kind, n) in &outcome.error_kinds {
            eprintln!("  {n} × {kind}");
        }
        eprintln!("  {}", verdict(&report));
    }
    if live {
        eprintln!(
            "{}: {} meetings, {} editors saving about once a second, {} s warm-up + {} s…",
            live::NAME,
            data.meetings.len(),
            2 * data.meetings.len(),
            args.warmup,
            args.duration
        );
        let outcome = live::run(
            &server,
            &data.meetings,
            &credentials.csrf_token,
            Duration::from_secs(args.warmup),
            Duration::from_secs(args.duration),
        )
        .await
        .with_context(|| live::NAME)?;
        server.ensure_running()?;
        let report = LiveReport {
            scenario: live::NAME,
            users: args.users,
            workspaces: args.workspaces,
            engagements: args.engagements,
            meetings: outcome.meetings,
            editors: outcome.editors,
            duration_s: round(outcome.elapsed.as_secs_f64(), 2),
            saves: outcome.saves,
            saves_per_s: round(outcome.saves_per_s(), 1),
            events: outcome.update_latencies_us.len() as u64,
            missing_events: outcome.missing,
            lagged: outcome.lagged,
            unmatched: outcome.unmatched,
            update_p50_ms: round(quantile_ms(&outcome.update_latencies_us, 0.50), 3),
            update_p99_ms: round(quantile_ms(&outcome.update_latencies_us, 0.99), 3),
            update_max_ms: round(quantile_ms(&outcome.update_latencies_us, 1.0), 3),
            save_p50_ms: round(quantile_ms(&outcome.save_latencies_us, 0.50), 3),
            save_p99_ms: round(quantile_ms(&outcome.save_latencies_us, 0.99), 3),
            save_max_ms: round(quantile_ms(&outcome.save_latencies_us, 1.0), 3),
            conflicts: outcome.conflicts,
            errors: outcome.errors,
            server_rss_before_mib: round(mib(outcome.memory_before.current_kib), 1),
            server_rss_connected_mib: round(mib(outcome.memory_connected.current_kib), 1),
            server_rss_mib: round(mib(outcome.memory.current_kib), 1),
            server_peak_rss_mib: round(mib(outcome.memory.peak_kib), 1),
            engine,
            goal: LiveGoal { p99_ms_max: GOAL.p99_ms_max, rss_mib_max: GOAL.rss_mib_max },
        };
        let mut out = std::io::stdout().lock();
        serde_json::to_writer(&mut out, &report)?;
        writeln!(out)?;
        out.flush()?;
        drop(out);
        for (kind, n) in &outcome.error_kinds {
            eprintln!("  {n} × {kind}");
        }
        eprintln!("  {}", live_verdict(&report));
    }
    if engine == "postgres" {
        eprintln!("the PostgreSQL database still holds the dataset; empty it before the next run");
    }
    Ok(())
}

/// One line for the console: which goals the scenario meets.
fn verdict(r: &Report) -> String {
    let mut misses = Vec::new();
    if r.errors > 0 {
        misses.push(format!("{} errors", r.errors));
    }
    if r.rps < f64::from(r.goal.rps_min) {
        misses.push(format!("{} req/s < {}", r.rps, r.goal.rps_min));
    }
    if r.p99_ms > f64::from(r.goal.p99_ms_max) {
        misses.push(format!("p99 {} ms > {}", r.p99_ms, r.goal.p99_ms_max));
    }
    if r.server_peak_rss_mib > f64::from(r.goal.rss_mib_max) {
        misses.push(format!("peak RSS {} MiB > {}", r.server_peak_rss_mib, r.goal.rss_mib_max));
    }
    if misses.is_empty() {
        format!("{}: meets the goals", r.scenario)
    } else {
        format!("{}: misses the goals: {}", r.scenario, misses.join(", "))
    }
}

/// One line for the console about the live meetings: which goals they meet, and
/// whether every save reached the other editor.
fn live_verdict(r: &LiveReport) -> String {
    let mut misses = Vec::new();
    if r.errors > 0 {
        misses.push(format!("{} errors", r.errors));
    }
    if r.missing_events > 0 || r.lagged > 0 {
        misses.push(format!("{} saves never reached the other editor, {} lag notices", r.missing_events, r.lagged));
    }
    if r.events == 0 {
        misses.push("no update was received".to_string());
    }
    if r.update_p99_ms > f64::from(r.goal.p99_ms_max) {
        misses.push(format!("update p99 {} ms > {}", r.update_p99_ms, r.goal.p99_ms_max));
    }
    if r.save_p99_ms > f64::from(r.goal.p99_ms_max) {
        misses.push(format!("save p99 {} ms > {}", r.save_p99_ms, r.goal.p99_ms_max));
    }
    if r.server_peak_rss_mib > f64::from(r.goal.rss_mib_max) {
        misses.push(format!("peak RSS {} MiB > {}", r.server_peak_rss_mib, r.goal.rss_mib_max));
    }
    let load = format!("{} saves/s from {} editors", r.saves_per_s, r.editors);
    if misses.is_empty() {
        format!("{}: meets the goals ({load}, update p99 {} ms)", r.scenario, r.update_p99_ms)
    } else {
        format!("{}: misses the goals ({load}): {}", r.scenario, misses.join(", "))
    }
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn round(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (x * f).round() / f
}

/// A directory of our own under the system's temporary directory, removed when dropped.
struct TempDir {
    path: PathBuf,
}

impl TempDir {
    fn new() -> anyhow::Result<TempDir> {
        let nanos =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
        let path = std::env::temp_dir().join(format!("embark-bench-{}-{nanos}", std::process::id()));
        std::fs::create_dir(&path).with_context(|| format!("cannot create {}", path.display()))?;
        Ok(TempDir { path })
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        Args::command().debug_assert();
    }

    #[test]
    fn scenario_names_are_unique() {
        for (i, s) in SCENARIOS.iter().enumerate() {
            assert!(SCENARIOS[i + 1..].iter().all(|t| t.name != s.name), "{} twice", s.name);
        }
        assert!(load::find(live::NAME).is_none());
    }

    #[test]
    fn quantiles_use_the_nearest_rank() {
        let o = load::Outcome {
            requests: 100,
            errors: 0,
            error_kinds: Default::default(),
            elapsed: Duration::from_secs(2),
            latencies_us: (1..=100).map(|i| i * 1000).collect(),
        };
        assert_eq!(o.quantile_ms(0.5), 50.0);
        assert_eq!(o.quantile_ms(0.99), 99.0);
        assert_eq!(o.quantile_ms(1.0), 100.0);
        assert_eq!(o.rps(), 50.0);
    }
}
