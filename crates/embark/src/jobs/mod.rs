//! Background jobs. `queue` is typed jobs enqueued in the caller's transaction and
//! depends on nothing above it; `runner` claims due jobs and dispatches each kind to
//! the capability that performs it.

pub mod queue;
pub mod runner;

pub use runner::Worker;
