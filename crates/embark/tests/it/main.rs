//! End-to-end tests: HTTP through the real router, the command line, and real
//! headless Chromium. One binary; the `TestApp` helper gives each test a fresh database.

mod api;
mod architecture;
mod auth;
mod backup;
mod browser;
mod cli;
mod dates;
mod demo;
mod engagements;
mod helpers;
mod indicators;
mod jobs;
mod kickoffs;
mod learning;
mod meetings;
mod ops;
mod playbooks;
mod portal;
mod postgres;
mod requests;
mod scorecards;
mod smtp;
mod surveys;
mod users;
