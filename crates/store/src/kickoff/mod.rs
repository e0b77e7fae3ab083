//! The kick-off: scorecards with per-field versions, meetings, and single-purpose action tokens.

pub mod action_tokens;
pub mod meetings;
pub mod scorecards;
