//! A throwaway PostgreSQL cluster for `--engines postgres` without `--database-url`:
//! `initdb` in a temporary directory, a server on a free local port (no fsync: the
//! bench measures Embark, not the disk), stopped and removed when dropped. Run as
//! root, the server programs run as the `postgres` user (they refuse root), as
//! `./scripts/test` does.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

pub struct Cluster {
    dir: PathBuf,
    server: Child,
    pub url: String,
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false)
}

/// The newest installed server's programs (`/usr/lib/postgresql/<version>/bin`).
fn bin_dir() -> anyhow::Result<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .context(
            "PostgreSQL is not installed (/usr/lib/postgresql): apt-get install postgresql, or pass --database-url",
        )?
        .filter_map(|e| e.ok())
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, bin)| bin.join("initdb").exists())
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin).context("no initdb under /usr/lib/postgresql/*/bin")
}

fn as_postgres(program: &Path, root: bool) -> Command {
    if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

impl Cluster {
    pub async fn start(parent: &Path) -> anyhow::Result<Cluster> {
        let bin = bin_dir()?;
        let root = is_root();
        let dir = parent.join("pg");
        std::fs::create_dir_all(&dir)?;
        if root {
            let ok = Command::new("chown").arg("-R").arg("postgres").arg(&dir).status()?.success();
            if !ok {
                bail!("cannot give {} to the postgres user", dir.display());
            }
        }
        let data = dir.join("data");
        let out = as_postgres(&bin.join("initdb"), root)
            .args(["-A", "trust", "-U", "postgres", "-E", "UTF8", "-D"])
            .arg(&data)
            .stdout(Stdio::null())
            .output()
            .context("initdb")?;
        if !out.status.success() {
            bail!("initdb failed: {}", String::from_utf8_lossy(&out.stderr));
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let server = as_postgres(&bin.join("postgres"), root)
            .arg("-D")
            .arg(&data)
            .args(["-p", &port.to_string(), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"])
            .args(["-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200"])
            .arg("-k")
            .arg(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("postgres")?;
        let url = format!("postgres://postgres@127.0.0.1:{port}/postgres");
        let mut cluster = Cluster { dir, server, url };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if embark_store::Store::connect(&cluster.url, 1).await.is_ok() {
                break;
            }
            if let Some(status) = cluster.server.try_wait()? {
                bail!("the throwaway PostgreSQL stopped at start-up ({status})");
            }
            if Instant::now() > deadline {
                bail!("the throwaway PostgreSQL did not answer within 30 s");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(cluster)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
