//! Surveys: NPS and its statistics (seed 000 judges a kick-off by the client's NPS).

pub mod nps;
