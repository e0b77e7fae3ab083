//! What every request handler and job can reach.

use std::ops::Deref;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use embark_core::Timestamp;
use embark_store::Store;
use lettre::message::Mailbox;

use crate::config::Config;
use crate::email::Transport;
use crate::metrics::Metrics;
use crate::ratelimit::Limiter;

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub store: Store,
    pub config: Config,
    pub transport: Transport,
    pub from: Mailbox,
    /// Failed password sign-ins per address: 10 a minute.
    pub sign_in_failures: Limiter,
    /// Magic-link requests per address: 5 a minute.
    pub link_requests: Limiter,
    /// Password hashes computed at once: one per core.
    pub hashing: tokio::sync::Semaphore,
    pub metrics: Metrics,
    /// Wakes the in-process worker when a job is enqueued.
    pub jobs_wakeup: tokio::sync::Notify,
    pub clock: Clock,
    pub playbooks: crate::playbooks::cache::PlaybookCache,
    /// Parsed course versions.
    pub courses: crate::playbooks::cache::Parsed<embark_core::CourseVersionId, embark_core::learning::Course>,
    /// Staff names per workspace for owner filters, kept a few seconds.
    pub staff_names: StaffNames,
    /// Live events for the browsers watching an engagement.
    pub live: crate::live::LiveHub,
}

/// The staff of each workspace (id, name) for owner pickers and filters. Read on
/// every board view, it changes rarely: a copy lives `TTL`, so a new colleague
/// shows up in the filter within seconds and the board does not scan people each time.
/// A workspace's staff as (id, name), shared by every board view that reads it.
pub type Names = Arc<Vec<(embark_core::UserId, String)>>;

#[derive(Default)]
pub struct StaffNames {
    entries: std::sync::Mutex<std::collections::HashMap<embark_core::WorkspaceId, (std::time::Instant, Names)>>,
}

impl StaffNames {
    const TTL: Duration = Duration::from_secs(10);

    pub async fn get(
        &self,
        db: &mut embark_store::Db,
        workspace: embark_core::WorkspaceId,
    ) -> embark_store::Result<Names> {
        if let Some((at, names)) = self.entries.lock().unwrap_or_else(|e| e.into_inner()).get(&workspace) {
            if at.elapsed() < Self::TTL {
                return Ok(names.clone());
            }
        }
        let names = Arc::new(embark_store::accounts::users::staff_names(db, workspace, 200).await?);
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() > 10_000 {
            entries.clear();
        }
        entries.insert(workspace, (std::time::Instant::now(), names.clone()));
        Ok(names)
    }
}

impl AppState {
    pub fn new(store: Store, config: Config, transport: Transport) -> anyhow::Result<AppState> {
        Self::with_clock(store, config, transport, Clock::default())
    }

    pub fn with_clock(store: Store, config: Config, transport: Transport, clock: Clock) -> anyhow::Result<AppState> {
        let from: Mailbox = config.smtp_from.parse().map_err(|e| anyhow::anyhow!("EMBARK_SMTP_FROM: {e}"))?;
        Ok(AppState(Arc::new(Inner {
            store,
            config,
            transport,
            from,
            sign_in_failures: Limiter::new(10, Duration::from_secs(60)),
            link_requests: Limiter::new(5, Duration::from_secs(60)),
            hashing: tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())),
            metrics: Metrics::default(),
            jobs_wakeup: tokio::sync::Notify::new(),
            clock,
            playbooks: Default::default(),
            courses: Default::default(),
            staff_names: Default::default(),
            live: Default::default(),
        })))
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

/// The application's clock: the system's by default; in tests a fixed instant
/// that moves only when the test says so, so no test depends on the hour.
#[derive(Default)]
pub struct Clock {
    /// `Some(ms)`: a fixed instant (tests); `None`: the system clock.
    fixed: Option<i64>,
    offset_ms: AtomicI64,
}

impl Clock {
    /// A clock standing still at `at` until [`Clock::advance`] or [`Clock::set`] moves it.
    pub fn fixed(at: Timestamp) -> Clock {
        Clock { fixed: Some(at.as_millis()), offset_ms: AtomicI64::new(0) }
    }

    /// The instant offsets are counted from: the fixed one, or the system's now.
    fn base_ms(&self) -> i64 {
        self.fixed.unwrap_or_else(|| jiff::Timestamp::now().as_millisecond())
    }

    pub fn now(&self) -> Timestamp {
        Timestamp::from_millis(self.base_ms() + self.offset_ms.load(Ordering::Relaxed))
    }

    pub fn advance(&self, by: Duration) {
        self.offset_ms.fetch_add(by.as_millis() as i64, Ordering::Relaxed);
    }

    /// Moves the clock to `at` (forward or back).
    pub fn set(&self, at: Timestamp) {
        self.offset_ms.store(at.as_millis() - self.base_ms(), Ordering::Relaxed);
    }
}
