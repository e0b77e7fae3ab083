//! Embark, the application: one folder per capability (accounts, playbooks,
//! engagements, kickoff, portal), each with its service, pages, API, jobs and mail, over
//! shared infrastructure (`http`, `jobs`, `email`, `state`). `main.rs` is a thin
//! command-line front over this library, which tests use directly. The rules of who may
//! use what are in `docs/architecture.md`.

pub mod access;
pub mod accounts;
pub mod app;
pub mod backup;
pub mod cli;
pub mod config;
pub mod demo;
pub mod email;
pub mod engagements;
pub mod error;
pub mod http;
pub mod i18n;
pub mod indicators;
pub mod jobs;
pub mod kickoff;
pub mod learning;
pub mod live;
pub mod markdown;
pub mod metrics;
pub mod openapi;
pub mod ops;
pub mod playbooks;
pub mod portal;
pub mod ratelimit;
pub mod request_id;
pub mod requests;
pub mod secrets;
#[cfg(test)]
mod snapshot;
pub mod state;
pub mod surveys;
