//! Embark's domain: the types and rules every other crate speaks in.
//!
//! Nothing here does I/O or reads the clock: functions that depend on time
//! take `now` as an argument, so every rule is testable with a fixed instant.

pub mod account;
pub mod diff;
pub mod engagement;
pub mod ics;
pub mod ids;
pub mod jobs;
pub mod kickoff;
pub mod locale;
pub mod meeting;
pub mod nps;
pub mod playbook;
pub mod role;
pub mod scorecard;
pub mod signal;
pub mod time;

pub use account::{DisplayName, EmailAddress, FieldError, Password, WorkspaceName};
pub use ids::*;
pub use locale::Locale;
pub use role::{Permission, Role};
pub use signal::Signal;
pub use time::Timestamp;
