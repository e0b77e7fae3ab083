//! Accounts: workspaces, people, sessions, sign-in links, API tokens, certifications.

pub mod api_tokens;
pub mod certifications;
pub mod magic_links;
pub mod sessions;
pub mod users;
pub mod workspaces;
