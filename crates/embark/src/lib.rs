//! Embark, the application: configuration, services, pages, API, email and jobs.
//! `main.rs` is a thin command-line front over this library, which tests use directly.

pub mod api;
pub mod app;
pub mod cli;
pub mod config;
pub mod demo;
pub mod email;
pub mod error;
pub mod i18n;
pub mod jobs;
pub mod live;
pub mod markdown;
pub mod metrics;
pub mod ops;
pub mod paging;
pub mod ratelimit;
pub mod report;
pub mod secrets;
pub mod services;
#[cfg(test)]
mod snapshot;
pub mod state;
pub mod web;
