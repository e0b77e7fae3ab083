//! Use cases: one function per thing a person does, one transaction each.
//! Pages and the API call these; neither holds business rules.

pub mod accounts;
pub mod engagements;
pub mod playbooks;
pub mod scorecards;
