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
//! 3. For each scenario (`--scenario`, default all; `floor` always, first): checks that one request
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
//! - `ratio_to_floor`: `rps` / the `floor` scenario's `rps` in the same run. The
//!   floor is a signed-in `GET /ping`: the session lookup and every middleware,
//!   a fixed body, so the ratio says how much a page costs beyond what every
//!   signed-in request pays, on this machine, with this load generator.
//! - `goal`: what Embark aims at: `ratio_to_floor` at least `ratio_to_floor_min`
//!   (lists 0.35 on SQLite and 0.25 on PostgreSQL, single pages 0.5, none for the
//!   floor), p99 at most `p99_ms_max`, at most `rss_mib_max` MiB peak resident
//!   memory, flat from 1k to 100k people (compare two runs). The console says
//!   which goals a scenario misses.
//!
//! The load generator runs on the same machine as the server and takes CPU from
//! it (`--client-threads`, default 1, keeps that small). Compare runs made on the
//! same machine with the same options; build both binaries in release mode.

mod dataset;
mod http;
mod live;
mod load;
mod postgres;
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

use crate::load::{quantile_ms, Credentials, Kind, Scenario, FLOOR, SCENARIOS};
use crate::server::Server;

/// Latency and memory Embark aims at, for every scenario; printed with every result, never asserted in tests.
const P99_MS_MAX: u32 = 10;
const RSS_MIB_MAX: u32 = 40;

/// What a scenario of this kind aims at on this engine (issue 11).
fn goal_for(kind: Kind, engine: &str) -> Goal {
    let ratio_to_floor_min = match kind {
        Kind::Floor | Kind::Write => None,
        Kind::List if engine == "postgres" => Some(0.25),
        Kind::List => Some(0.35),
        Kind::Single => Some(0.5),
    };
    Goal { ratio_to_floor_min, p99_ms_max: P99_MS_MAX, rss_mib_max: RSS_MIB_MAX }
}

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
    /// Engines to measure, one after the other, printed side by side at the end:
    /// `sqlite`, `postgres` (a throwaway cluster unless `--database-url` names one).
    #[arg(long, value_delimiter = ',', value_parser = ["sqlite", "postgres"])]
    engines: Vec<String>,
    /// SQLite's commit durability for the server: `full` (Embark's default, durable on a
    /// power loss) or `normal` (the faster named mode), to measure what durability costs.
    #[arg(long, default_value = "full", value_parser = ["full", "normal"])]
    sqlite_synchronous: String,
    /// Threads of the load generator (it shares the machine with the server).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=256))]
    client_threads: u64,
}

#[derive(Serialize, Clone, Copy, Debug, PartialEq)]
struct Goal {
    /// The least `ratio_to_floor`; none for the floor itself.
    ratio_to_floor_min: Option<f64>,
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
    /// Always null: saves are offered at a fixed pace, not as fast as the server answers.
    ratio_to_floor: Option<f64>,
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
    /// `rps` / the floor's `rps` in this run.
    ratio_to_floor: f64,
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    server_peak_rss_mib: f64,
    server_rss_mib: f64,
    engine: &'static str,
    /// SQLite's `synchronous` the server ran with (none on PostgreSQL).
    sqlite_synchronous: Option<&'static str>,
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
    let engines: Vec<&str> = if !args.engines.is_empty() {
        args.engines.iter().map(String::as_str).collect()
    } else if args.database_url.is_some() {
        vec!["postgres"]
    } else {
        vec!["sqlite"]
    };
    let mut all: Vec<(String, Vec<Report<'static>>)> = Vec::new();
    for engine in engines {
        let temp = TempDir::new()?;
        let cluster = match (engine, &args.database_url) {
            ("postgres", None) => {
                eprintln!("starting a throwaway PostgreSQL cluster…");
                Some(postgres::Cluster::start(&temp.path).await?)
            }
            _ => None,
        };
        let url = match engine {
            "postgres" => {
                Some(cluster.as_ref().map(|c| c.url.clone()).or_else(|| args.database_url.clone()).unwrap_or_default())
            }
            _ => None,
        };
        let reports = run_engine(&args, url).await?;
        all.push((engine.to_string(), reports));
        drop(cluster);
    }
    if all.len() > 1 {
        print_table(&all);
    }
    Ok(())
}

/// One table of every engine's lines, for the README: req/s · ratio to floor · p99 · peak RSS.
fn print_table(all: &[(String, Vec<Report<'static>>)]) {
    let mut header = String::from("| scenario |");
    let mut rule = String::from("|---|");
    for (engine, _) in all {
        header.push_str(&format!(" {engine} |"));
        rule.push_str("---|");
    }
    eprintln!("\n{header}\n{rule}");
    let names: Vec<&str> = all.first().map(|(_, r)| r.iter().map(|r| r.scenario).collect()).unwrap_or_default();
    for name in names {
        let mut line = format!("| {name} |");
        for (_, reports) in all {
            match reports.iter().find(|r| r.scenario == name) {
                Some(r) => line.push_str(&format!(
                    " {:.0} · {:.2} · {:.1} ms · {:.1} MiB |",
                    r.rps, r.ratio_to_floor, r.p99_ms, r.server_peak_rss_mib
                )),
                None => line.push_str(" – |"),
            }
        }
        eprintln!("{line}");
    }
}

/// Runs every selected scenario on one engine (`database_url`: a PostgreSQL database;
/// none: a fresh SQLite file) and returns its lines.
async fn run_engine(args: &Args, database_url: Option<String>) -> anyhow::Result<Vec<Report<'static>>> {
    let mut reports = Vec::new();
    if args.workspaces > args.users {
        bail!(
            "--workspaces ({}) is more than --users ({}): every workspace needs someone",
            args.workspaces,
            args.users
        );
    }
    // Only when named: it adds meetings to the dataset, which would change the other scenarios' figures.
    let live = args.scenarios.iter().any(|n| n == live::NAME);
    let scenarios = selected(&args.scenarios)?;
    if cfg!(debug_assertions) {
        eprintln!("warning: embark-bench is a debug build; build it with --release so the load generator stays light");
    }
    let binary = server::binary()?;

    // Declared before the server so that it is removed after the server stops.
    let temp = TempDir::new()?;
    let (database_url, engine) = match &database_url {
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
        playbook_id: data.playbook_id,
        anchor: data.anchor,
    };

    let sqlite_synchronous = match (engine, args.sqlite_synchronous.as_str()) {
        ("sqlite", "normal") => Some("normal"),
        ("sqlite", _) => Some("full"),
        _ => None,
    };
    let mut server = Server::start(&binary, &database_url, &temp.path, sqlite_synchronous)?;
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

    let mut floor_rps = None;
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
        let rps = outcome.rps();
        if scenario.kind == Kind::Floor {
            floor_rps = Some(rps);
        }
        let report = Report {
            scenario: scenario.name,
            users: args.users,
            workspaces: args.workspaces,
            engagements: args.engagements,
            connections: args.connections,
            duration_s: round(outcome.elapsed.as_secs_f64(), 2),
            requests: outcome.requests,
            errors: outcome.errors,
            rps: round(rps, 1),
            ratio_to_floor: round(ratio(rps, floor_rps), 3),
            p50_ms: round(outcome.quantile_ms(0.50), 3),
            p99_ms: round(outcome.quantile_ms(0.99), 3),
            max_ms: round(outcome.quantile_ms(1.0), 3),
            server_peak_rss_mib: round(mib(memory.peak_kib), 1),
            server_rss_mib: round(mib(memory.current_kib), 1),
            engine,
            sqlite_synchronous,
            goal: goal_for(scenario.kind, engine),
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
        reports.push(report);
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
            ratio_to_floor: None,
            engine,
            goal: LiveGoal { p99_ms_max: P99_MS_MAX, rss_mib_max: RSS_MIB_MAX },
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
    if engine == "postgres" && args.database_url.is_some() {
        eprintln!("the PostgreSQL database still holds the dataset; empty it before the next run");
    }
    Ok(reports)
}

/// The scenarios to run, in order: all of them when none is named, else the
/// named ones; and the floor first whenever any runs (named or not, since every
/// other line is read against it). `live_meetings` is not among them.
fn selected(names: &[String]) -> anyhow::Result<Vec<&'static Scenario>> {
    let mut scenarios: Vec<&'static Scenario> = if names.is_empty() {
        SCENARIOS.iter().collect()
    } else {
        names
            .iter()
            .filter(|n| *n != live::NAME)
            .map(|n| load::find(n).with_context(|| format!("no scenario {n:?}")))
            .collect::<anyhow::Result<_>>()?
    };
    if !scenarios.is_empty() {
        scenarios.retain(|s| s.kind != Kind::Floor);
        scenarios.insert(0, load::find(FLOOR).context("the floor scenario is missing")?);
    }
    Ok(scenarios)
}

/// `rps` as a share of the floor's (0 when the floor answered nothing).
fn ratio(rps: f64, floor_rps: Option<f64>) -> f64 {
    match floor_rps {
        Some(f) if f > 0.0 => rps / f,
        _ => 0.0,
    }
}

/// One line for the console: which goals the scenario meets.
fn verdict(r: &Report) -> String {
    let mut misses = Vec::new();
    if r.errors > 0 {
        misses.push(format!("{} errors", r.errors));
    }
    if let Some(min) = r.goal.ratio_to_floor_min {
        if r.ratio_to_floor < min {
            misses.push(format!("ratio to floor {} < {min} ({} req/s)", r.ratio_to_floor, r.rps));
        }
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

    fn names(n: &[&str]) -> Vec<String> {
        n.iter().map(|s| s.to_string()).collect()
    }

    fn order(n: &[&str]) -> Vec<&'static str> {
        selected(&names(n)).unwrap().iter().map(|s| s.name).collect()
    }

    #[test]
    fn the_floor_runs_first_once_whatever_is_named() {
        let all = order(&[]);
        assert_eq!(all.len(), SCENARIOS.len());
        assert_eq!(all[0], FLOOR);
        assert_eq!(order(&["board", "home"]), [FLOOR, "board", "home"]);
        assert_eq!(order(&["board", "floor"]), [FLOOR, "board"]);
        assert_eq!(order(&["floor"]), [FLOOR]);
        assert_eq!(order(&["board", live::NAME]), [FLOOR, "board"]);
        assert!(order(&[live::NAME]).is_empty(), "live_meetings alone runs nothing else");
        assert!(selected(&names(&["nope"])).is_err());
    }

    #[test]
    fn every_read_scenario_but_the_floor_has_a_ratio_goal_by_engine() {
        for s in SCENARIOS {
            let (lite, pg) = (goal_for(s.kind, "sqlite"), goal_for(s.kind, "postgres"));
            let measured_only = matches!(s.kind, Kind::Floor | Kind::Write);
            assert_eq!(measured_only, lite.ratio_to_floor_min.is_none(), "{}", s.name);
            assert_eq!(s.kind == Kind::Write, s.method != "GET", "{}: writes are the non-GET scenarios", s.name);
            assert_eq!((lite.p99_ms_max, lite.rss_mib_max), (10, 40));
            assert_eq!((pg.p99_ms_max, pg.rss_mib_max), (10, 40));
        }
        assert_eq!(goal_for(Kind::List, "sqlite").ratio_to_floor_min, Some(0.35));
        assert_eq!(goal_for(Kind::List, "postgres").ratio_to_floor_min, Some(0.25));
        assert_eq!(goal_for(Kind::Single, "sqlite").ratio_to_floor_min, Some(0.5));
        assert_eq!(goal_for(Kind::Single, "postgres").ratio_to_floor_min, Some(0.5));
        let kind = |n| load::find(n).unwrap().kind;
        for list in ["users_api", "users_page", "board", "board_api"] {
            assert_eq!(kind(list), Kind::List, "{list}");
        }
        for single in ["home", "engagement_page"] {
            assert_eq!(kind(single), Kind::Single, "{single}");
        }
    }

    fn report(
        scenario: &'static str,
        engine: &'static str,
        rps: f64,
        floor_rps: f64,
        p99_ms: f64,
        rss: f64,
    ) -> Report<'static> {
        let kind = load::find(scenario).unwrap().kind;
        Report {
            scenario,
            users: 1000,
            workspaces: 1,
            engagements: 10,
            connections: 32,
            duration_s: 8.0,
            requests: 1,
            errors: 0,
            rps,
            ratio_to_floor: round(ratio(rps, Some(floor_rps)), 3),
            p50_ms: 1.0,
            p99_ms,
            max_ms: p99_ms,
            server_peak_rss_mib: rss,
            server_rss_mib: rss,
            engine,
            sqlite_synchronous: None,
            goal: goal_for(kind, engine),
        }
    }

    #[test]
    fn the_verdict_names_each_goal_missed() {
        assert_eq!(verdict(&report("board", "sqlite", 4000.0, 10_000.0, 9.0, 30.0)), "board: meets the goals");
        assert_eq!(
            verdict(&report("board", "sqlite", 1000.0, 10_000.0, 40.5, 48.5)),
            "board: misses the goals: ratio to floor 0.1 < 0.35 (1000 req/s), p99 40.5 ms > 10, peak RSS 48.5 MiB > 40"
        );
        // The same throughput meets PostgreSQL's list goal but not SQLite's.
        assert_eq!(
            verdict(&report("users_api", "postgres", 3000.0, 10_000.0, 9.0, 30.0)),
            "users_api: meets the goals"
        );
        assert!(verdict(&report("users_api", "sqlite", 3000.0, 10_000.0, 9.0, 30.0)).contains("0.3 < 0.35"));
        assert!(verdict(&report("engagement_page", "postgres", 4000.0, 10_000.0, 9.0, 30.0)).contains("0.4 < 0.5"));
        // The floor is held to latency and memory only.
        assert_eq!(verdict(&report(FLOOR, "sqlite", 1.0, 1.0, 9.0, 30.0)), "floor: meets the goals");
        assert!(verdict(&report(FLOOR, "sqlite", 1.0, 1.0, 11.0, 30.0)).contains("p99 11 ms > 10"));
    }

    #[test]
    fn the_ratio_is_zero_without_a_floor() {
        assert_eq!(ratio(500.0, Some(1000.0)), 0.5);
        assert_eq!(ratio(500.0, Some(0.0)), 0.0);
        assert_eq!(ratio(500.0, None), 0.0);
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
