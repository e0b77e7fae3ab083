//! Use cases: one function per thing a person does, one transaction each.
//! Pages and the API call these; neither holds business rules.

pub mod accounts;
pub mod engagements;
pub mod meeting_mail;
pub mod meetings;
pub mod playbooks;
pub mod scorecards;
