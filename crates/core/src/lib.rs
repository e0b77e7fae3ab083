//! Embark's domain: the types and rules every other crate speaks in.
//!
//! Nothing here does I/O or reads the clock: functions that depend on time
//! take `now` as an argument, so every rule is testable with a fixed instant.

pub mod accounts;
pub mod audit;
pub mod csv;
pub mod diff;
pub mod engagements;
pub mod ids;
pub mod jobs;
pub mod kickoff;
pub mod learning;
pub mod locale;
pub mod playbooks;
pub mod portal;
pub mod requests;
pub mod surveys;
pub mod time;

pub use accounts::role::{Permission, Role};
pub use accounts::{DisplayName, EmailAddress, FieldError, Password, WorkspaceName};
pub use engagements::signal::Signal;
pub use ids::*;
pub use locale::Locale;
pub use time::Timestamp;
