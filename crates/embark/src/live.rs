//! Live events of an engagement (a scorecard field changed, a signature, the runner
//! moved…) pushed to the browsers that watch it, over Server-Sent Events.
//!
//! Each instance keeps one broadcast channel per watched engagement. On SQLite (one
//! instance) an event goes straight to it; on PostgreSQL it goes through
//! `NOTIFY`, and every instance — this one included — hands what it hears to its
//! local watchers, so two people on two instances see each other's edits.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use embark_core::EngagementId;
use embark_store::{Engine, Store};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

/// What changed. The browser updates what it shows from it, or reloads the part
/// concerned when `reload` is set (a value too large for one notification).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LiveEvent {
    /// field, signature, locked, objection, state, runner, question
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
    /// Who did it (a display name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reload: bool,
}

impl LiveEvent {
    pub fn new(kind: &str) -> Self {
        LiveEvent { kind: kind.to_string(), field: None, version: None, value: None, by: None, reload: false }
    }
}

#[derive(Serialize, Deserialize)]
struct Envelope {
    e: EngagementId,
    d: LiveEvent,
}

/// Events per engagement, for this instance's watchers.
#[derive(Default)]
pub struct LiveHub {
    channels: Mutex<HashMap<EngagementId, broadcast::Sender<Arc<str>>>>,
    closed: std::sync::atomic::AtomicBool,
    /// On PostgreSQL: whether this instance is LISTENing now (events sent while it is
    /// not reach its watchers only at their next reload).
    listening: std::sync::atomic::AtomicBool,
}

impl LiveHub {
    /// Watches an engagement: each item is one event as JSON. After [`LiveHub::close`]
    /// the receiver ends at once.
    pub fn subscribe(&self, engagement: EngagementId) -> broadcast::Receiver<Arc<str>> {
        if self.closed.load(std::sync::atomic::Ordering::Relaxed) {
            return broadcast::channel(1).1;
        }
        let mut channels = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        channels.entry(engagement).or_insert_with(|| broadcast::channel(64).0).subscribe()
    }

    /// Forgets an engagement's channel once nobody watches it any more (called when a
    /// stream ends, after its receiver is dropped), so that the map holds only the
    /// engagements being watched.
    pub fn release(&self, engagement: EngagementId) {
        let mut channels = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        if channels.get(&engagement).is_some_and(|tx| tx.receiver_count() == 0) {
            channels.remove(&engagement);
        }
    }

    /// How many engagements have a channel (for tests and metrics).
    pub fn watched(&self) -> usize {
        self.channels.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Ends every live stream (at shutdown: open streams would keep it waiting).
    pub fn close(&self) {
        self.closed.store(true, std::sync::atomic::Ordering::Relaxed);
        self.channels.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// Publishes an event after the change it describes was committed.
    pub async fn publish(&self, store: &Store, engagement: EngagementId, mut event: LiveEvent) {
        if store.engine() == Engine::Sqlite {
            self.deliver(engagement, &event);
            return;
        }
        let mut payload = serde_json::to_string(&Envelope { e: engagement, d: event.clone() }).unwrap_or_default();
        if payload.len() > embark_store::live::MAX_PAYLOAD {
            event.value = None;
            event.reload = true;
            payload = serde_json::to_string(&Envelope { e: engagement, d: event }).unwrap_or_default();
        }
        if let Err(e) = embark_store::live::notify(&mut store.db(), &payload).await {
            // The change is saved; watchers see it on their next reload.
            tracing::warn!(error = %e, "live notify failed");
        }
    }

    /// Hands an event to this instance's watchers of the engagement.
    fn deliver(&self, engagement: EngagementId, event: &LiveEvent) {
        let Ok(json) = serde_json::to_string(event) else { return };
        let mut channels = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(tx) = channels.get(&engagement) {
            if tx.send(Arc::from(json)).is_err() {
                // Nobody watches any more.
                channels.remove(&engagement);
            }
        }
    }

    /// Whether the PostgreSQL listener is connected (always false on SQLite, which needs none).
    pub fn is_listening(&self) -> bool {
        self.listening.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// On PostgreSQL, listens to every instance's events until `shutdown`, reconnecting after a drop.
    pub async fn run_listener(&self, store: &Store, shutdown: impl std::future::Future<Output = ()>) {
        tokio::pin!(shutdown);
        loop {
            let mut listener = match store.live_listener().await {
                Ok(Some(l)) => {
                    self.listening.store(true, std::sync::atomic::Ordering::Relaxed);
                    l
                }
                Ok(None) => return,
                Err(e) => {
                    tracing::warn!(error = %e, "live listener cannot connect; retrying");
                    tokio::select! {
                        _ = &mut shutdown => return,
                        _ = tokio::time::sleep(Duration::from_secs(2)) => continue,
                    }
                }
            };
            loop {
                tokio::select! {
                    _ = &mut shutdown => return,
                    n = listener.recv() => match n {
                        Ok(n) => match serde_json::from_str::<Envelope>(n.payload()) {
                            Ok(env) => self.deliver(env.e, &env.d),
                            Err(e) => tracing::warn!(error = %e, "unreadable live event"),
                        },
                        Err(e) => {
                            self.listening.store(false, std::sync::atomic::Ordering::Relaxed);
                            tracing::warn!(error = %e, "live listener dropped; reconnecting");
                            break;
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watchers_of_an_engagement_get_its_events_and_only_those() {
        let hub = LiveHub::default();
        let (a, b) = (EngagementId::new(), EngagementId::new());
        let mut rx = hub.subscribe(a);
        let mut other = hub.subscribe(b);
        let mut ev = LiveEvent::new("field");
        ev.field = Some("mission".into());
        ev.version = Some(2);
        hub.deliver(a, &ev);
        let got: LiveEvent = serde_json::from_str(&rx.try_recv().unwrap()).unwrap();
        assert_eq!(got, ev);
        assert!(other.try_recv().is_err());
        assert_eq!(hub.watched(), 2);
        drop(rx);
        hub.release(a);
        assert_eq!(hub.watched(), 1, "nobody watches a any more");
        hub.release(b);
        assert_eq!(hub.watched(), 1, "b is still watched");
    }
}
