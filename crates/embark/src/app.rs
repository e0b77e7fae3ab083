//! Building and running the application: from a configuration to a server
//! bound to a port, so that tests start the real thing on port 0.

use std::net::SocketAddr;

use anyhow::Context;
use axum::Router;
use embark_store::Store;
use tokio::net::TcpListener;

use crate::config::{Config, ConfigError};
use crate::email::Transport;
use crate::jobs::Worker;
use crate::state::AppState;
use crate::{accounts, email, engagements, http, kickoff, openapi, ops, playbooks, portal};

/// Opens the database named by the configuration and brings it up to date.
pub async fn open_store(config: &Config) -> Result<Store, ConfigError> {
    let store = Store::connect_with(config.database_url.expose(), config.max_connections, config.sqlite_synchronous)
        .await
        .map_err(|e| ConfigError::new("EMBARK_DATABASE_URL", e.to_string()))?;
    store.migrate().await.map_err(|e| ConfigError::new("EMBARK_DATABASE_URL", e.to_string()))?;
    match store.commit_durability().await {
        Ok(durability) => tracing::info!(%durability, "database ready"),
        Err(e) => tracing::warn!(error = %e, "cannot read the database's commit durability"),
    }
    Ok(store)
}

/// The transport the configuration asks for: SMTP when `EMBARK_SMTP_URL` is set, else the outbox.
pub fn transport_for(config: &Config) -> Result<Transport, ConfigError> {
    match &config.smtp_url {
        Some(url) => Transport::smtp(url.expose()).map_err(|e| ConfigError::new("EMBARK_SMTP_URL", format!("{e:#}"))),
        None => Ok(Transport::Outbox(config.outbox_dir())),
    }
}

/// The whole HTTP application.
pub fn router(state: AppState) -> Router {
    let app = Router::new()
        .merge(portal::router())
        .merge(accounts::router())
        .merge(email::outbox::router())
        .merge(playbooks::router())
        .merge(engagements::router())
        .merge(kickoff::router())
        .merge(crate::surveys::router())
        .merge(crate::requests::router())
        .merge(crate::indicators::router())
        .merge(crate::learning::router())
        .merge(http::assets::router())
        .merge(openapi::router())
        .merge(http::api::fallback())
        .merge(ops::router())
        .fallback(|| async { crate::error::AppError::NotFound });
    http::layer(app, state.clone()).with_state(state)
}

pub struct Application {
    listener: TcpListener,
    state: AppState,
    run_worker: bool,
}

impl Application {
    /// Binds the listener (port 0 picks a free port).
    pub async fn bind(state: AppState, addr: SocketAddr, run_worker: bool) -> anyhow::Result<Application> {
        let listener =
            TcpListener::bind(addr).await.with_context(|| format!("EMBARK_BIND: cannot listen on {addr}"))?;
        Ok(Application { listener, state, run_worker })
    }

    /// Takes a listener bound elsewhere (tests reserve the port before building the state).
    pub fn from_listener(state: AppState, listener: TcpListener, run_worker: bool) -> Application {
        Application { listener, state, run_worker }
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("a bound listener has an address")
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` resolves, then finishes the requests in flight.
    pub async fn run_until_stopped(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let worker = if self.run_worker {
            let mut rx = stop_rx.clone();
            let w = Worker::new(self.state.clone());
            Some(tokio::spawn(w.run_until_stopped(async move {
                let _ = rx.wait_for(|stop| *stop).await;
            })))
        } else {
            None
        };
        let live = {
            let state = self.state.clone();
            let mut rx = stop_rx.clone();
            tokio::spawn(async move {
                state
                    .live
                    .run_listener(&state.store, async move {
                        let _ = rx.wait_for(|stop| *stop).await;
                    })
                    .await
            })
        };
        let app = router(self.state.clone()).into_make_service_with_connect_info::<SocketAddr>();
        let state = self.state.clone();
        let result = axum::serve(self.listener, app)
            .with_graceful_shutdown(async move {
                shutdown.await;
                let _ = stop_tx.send(true);
                // Live streams never end by themselves: end them so the shutdown can finish.
                state.live.close();
            })
            .await;
        let _ = live.await;
        if let Some(w) = worker {
            let _ = w.await;
        }
        result.context("serving HTTP")
    }
}
