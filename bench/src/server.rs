//! The server under test: the release `embark` binary, started as a child
//! process on a free local port, killed when dropped (also on errors and Ctrl-C).

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

use crate::http;

/// How long `embark serve` may take to answer `/readyz`.
const READY_TIMEOUT: Duration = Duration::from_secs(30);

pub struct Server {
    child: Child,
    pub addr: SocketAddr,
}

/// Resident memory of the server, in KiB.
#[derive(Clone, Copy, Debug)]
pub struct Memory {
    /// `VmHWM`: the peak since the process started.
    pub peak_kib: u64,
    /// `VmRSS`: now.
    pub current_kib: u64,
}

/// The `embark` binary beside this one (`target/release/embark` for a release build).
pub fn binary() -> anyhow::Result<PathBuf> {
    let me = std::env::current_exe().context("cannot tell where embark-bench is")?;
    let dir = me.parent().context("embark-bench has no directory")?;
    let server = dir.join(format!("embark{}", std::env::consts::EXE_SUFFIX));
    if !server.is_file() {
        bail!("no server binary at {}: run `cargo build --release -p embark` first", server.display());
    }
    Ok(server)
}

impl Server {
    /// Starts `embark serve` over the database at `database_url`. Its standard
    /// output goes to our standard error, so that ours carries only results.
    /// `sqlite_synchronous` sets `EMBARK_SQLITE_SYNCHRONOUS` (none: the server's default).
    pub fn start(
        binary: &Path,
        database_url: &str,
        data_dir: &Path,
        sqlite_synchronous: Option<&str>,
    ) -> anyhow::Result<Server> {
        let addr = free_port()?;
        let mut command = Command::new(binary);
        command.arg("serve");
        // Only the settings given here: none from the caller's environment.
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("EMBARK_") {
                command.env_remove(name);
            }
        }
        command
            .env("EMBARK_DATABASE_URL", database_url)
            .env("EMBARK_DATA_DIR", data_dir)
            .env("EMBARK_BIND", addr.to_string())
            .env("EMBARK_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::from(std::io::stderr()))
            .stderr(Stdio::inherit());
        if let Some(mode) = sqlite_synchronous {
            command.env("EMBARK_SQLITE_SYNCHRONOUS", mode);
        }
        let child = command.spawn().with_context(|| format!("cannot start {}", binary.display()))?;
        Ok(Server { child, addr })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Polls `GET /readyz` until it answers 200.
    pub async fn wait_ready(&mut self) -> anyhow::Result<Duration> {
        let started = Instant::now();
        let request = http::request("GET", "/readyz", &self.addr.to_string(), &[("Connection", "close".into())]);
        let mut last = String::from("no answer yet");
        while started.elapsed() < READY_TIMEOUT {
            self.ensure_running()?;
            match http::Connection::open(self.addr).await {
                Ok(mut conn) => match conn.send(&request).await {
                    Ok(r) if r.is_success() => return Ok(started.elapsed()),
                    Ok(r) => last = format!("{} {}", r.status, String::from_utf8_lossy(conn.body()).trim()),
                    Err(e) => last = e.to_string(),
                },
                Err(e) => last = e.to_string(),
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        bail!(
            "the server at {} was not ready after {} s (last answer to /readyz: {last})",
            self.addr,
            READY_TIMEOUT.as_secs()
        )
    }

    /// Fails if the server has exited.
    pub fn ensure_running(&mut self) -> anyhow::Result<()> {
        match self.child.try_wait()? {
            Some(status) => bail!("the server exited ({status}); see its messages above"),
            None => Ok(()),
        }
    }

    /// Resident memory from `/proc/<pid>/status` (Linux only).
    pub fn memory(&self) -> anyhow::Result<Memory> {
        let path = format!("/proc/{}/status", self.pid());
        let status = std::fs::read_to_string(&path).with_context(|| format!("cannot read {path}"))?;
        let field = |name: &str| -> anyhow::Result<u64> {
            let line = status.lines().find(|l| l.starts_with(name)).with_context(|| format!("{path} has no {name}"))?;
            let kib = line[name.len()..].trim().trim_end_matches("kB").trim();
            kib.parse().with_context(|| format!("{path}: bad {name} line {line:?}"))
        };
        Ok(Memory { peak_kib: field("VmHWM:")?, current_kib: field("VmRSS:")? })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A local port nobody listens on (the OS picks it; we release it for the server).
fn free_port() -> anyhow::Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0").context("cannot find a free local port")?;
    Ok(listener.local_addr()?)
}
