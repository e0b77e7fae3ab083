//! Durations and due dates written in playbooks: `5 min`, `kickoff - 24h`, `start_date + 30d`.

use std::fmt;

use jiff::{Span, Zoned};

/// How long a step or meeting lasts, in whole minutes. Written `5 min`, `1 h`, `1 h 30 min`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timebox {
    minutes: u32,
}

impl Timebox {
    pub const fn from_minutes(minutes: u32) -> Self {
        Timebox { minutes }
    }

    pub fn minutes(self) -> u32 {
        self.minutes
    }

    /// Parses `5 min`, `45min`, `1 h`, `2h`, `1 h 30 min`. At most 24 hours.
    pub fn parse(s: &str) -> Result<Timebox, String> {
        let expected = "expected a duration like `5 min`, `1 h` or `1 h 30 min`";
        let compact: String = s.split_whitespace().collect();
        if compact.is_empty() {
            return Err(format!("empty duration: {expected}"));
        }
        let (hours, rest) = match compact.split_once('h') {
            Some((h, rest)) => (Some(h), rest),
            None => (None, compact.as_str()),
        };
        let mut minutes: u64 = 0;
        if let Some(h) = hours {
            let n: u64 = h.parse().map_err(|_| format!("`{s}` is not a duration: {expected}"))?;
            minutes += n * 60;
        }
        if !rest.is_empty() {
            let m = rest.strip_suffix("min").ok_or_else(|| format!("`{s}` is not a duration: {expected}"))?;
            let n: u64 = m.parse().map_err(|_| format!("`{s}` is not a duration: {expected}"))?;
            minutes += n;
        } else if hours.is_none() {
            return Err(format!("`{s}` is not a duration: {expected}"));
        }
        if minutes == 0 {
            return Err(format!("`{s}` is zero: a timebox must last at least one minute"));
        }
        if minutes > 24 * 60 {
            return Err(format!("`{s}` is longer than a day"));
        }
        Ok(Timebox { minutes: minutes as u32 })
    }
}

impl fmt::Display for Timebox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (h, m) = (self.minutes / 60, self.minutes % 60);
        match (h, m) {
            (0, m) => write!(f, "{m} min"),
            (h, 0) => write!(f, "{h} h"),
            (h, m) => write!(f, "{h} h {m} min"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unit {
    Minutes,
    Hours,
    Days,
    Weeks,
}

impl Unit {
    fn suffix(self) -> &'static str {
        match self {
            Unit::Minutes => "min",
            Unit::Hours => "h",
            Unit::Days => "d",
            Unit::Weeks => "w",
        }
    }
}

/// A due date relative to the engagement's anchor: `kickoff - 24h`, `start_date + 30d`, `kickoff`.
/// Hours and minutes are exact durations; days and weeks are calendar days in the
/// workspace's time zone (so `+ 1d` keeps the time of day across a DST change).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RelativeDue {
    pub anchor: String,
    /// Signed amount of `unit`s after the anchor (negative: before).
    pub amount: i64,
    pub unit: Unit,
}

impl RelativeDue {
    /// Parses `ANCHOR`, `ANCHOR + N UNIT` or `ANCHOR - N UNIT` (units: min, h, d, w).
    pub fn parse(s: &str) -> Result<RelativeDue, String> {
        let expected = "expected `ANCHOR`, `ANCHOR - 24h` or `ANCHOR + 30d` (units: min, h, d, w)";
        let s = s.trim();
        let split = s.find(['+', '-']);
        let (anchor, rest) = match split {
            Some(i) => (s[..i].trim(), Some((&s[i..i + 1], s[i + 1..].trim()))),
            None => (s, None),
        };
        if anchor.is_empty() || !anchor.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
            return Err(format!("`{s}` does not start with an anchor name: {expected}"));
        }
        let Some((sign, amount)) = rest else {
            return Ok(RelativeDue { anchor: anchor.to_string(), amount: 0, unit: Unit::Hours });
        };
        let compact: String = amount.split_whitespace().collect();
        let digits: String = compact.chars().take_while(|c| c.is_ascii_digit()).collect();
        let unit = match &compact[digits.len()..] {
            "min" => Unit::Minutes,
            "h" => Unit::Hours,
            "d" => Unit::Days,
            "w" => Unit::Weeks,
            other => return Err(format!("unknown unit `{other}` in `{s}`: {expected}")),
        };
        let n: i64 = digits.parse().map_err(|_| format!("missing amount in `{s}`: {expected}"))?;
        let limit = match unit {
            Unit::Minutes => 60 * 24 * 366,
            Unit::Hours => 24 * 366,
            Unit::Days => 366 * 2,
            Unit::Weeks => 105,
        };
        if n > limit {
            return Err(format!("`{s}` is more than two years from the anchor"));
        }
        // `+ 0d` is the anchor itself, written `ANCHOR`: one value, one spelling.
        let unit = if n == 0 { Unit::Hours } else { unit };
        Ok(RelativeDue { anchor: anchor.to_string(), amount: if sign == "-" { -n } else { n }, unit })
    }

    /// The due instant for an anchor at `anchor` (already in the workspace's time zone).
    pub fn resolve(&self, anchor: &Zoned) -> Zoned {
        let span = match self.unit {
            Unit::Minutes => Span::new().minutes(self.amount),
            Unit::Hours => Span::new().hours(self.amount),
            Unit::Days => Span::new().days(self.amount),
            Unit::Weeks => Span::new().weeks(self.amount),
        };
        anchor.checked_add(span).unwrap_or_else(|_| anchor.clone())
    }

    /// Sorts due dates without an anchor instant: minutes from the anchor, days as 24 h.
    pub fn approx_minutes(&self) -> i64 {
        self.amount
            * match self.unit {
                Unit::Minutes => 1,
                Unit::Hours => 60,
                Unit::Days => 1440,
                Unit::Weeks => 10080,
            }
    }
}

impl fmt::Display for RelativeDue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.amount {
            0 => write!(f, "{}", self.anchor),
            n if n < 0 => write!(f, "{} - {}{}", self.anchor, -n, self.unit.suffix()),
            n => write!(f, "{} + {}{}", self.anchor, n, self.unit.suffix()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeboxes_parse_and_print() {
        assert_eq!(Timebox::parse("5 min").unwrap().minutes(), 5);
        assert_eq!(Timebox::parse("45min").unwrap().minutes(), 45);
        assert_eq!(Timebox::parse("1 h").unwrap().minutes(), 60);
        assert_eq!(Timebox::parse("1 h 30 min").unwrap().minutes(), 90);
        assert_eq!(Timebox::parse("1h30min").unwrap().to_string(), "1 h 30 min");
        for bad in ["", "five", "5", "5 mins", "0 min", "25 h", "h", "-5 min", "1 h 30"] {
            assert!(Timebox::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn relative_dues_parse_and_print() {
        let d = RelativeDue::parse("kickoff - 24h").unwrap();
        assert_eq!((d.anchor.as_str(), d.amount, d.unit), ("kickoff", -24, Unit::Hours));
        assert_eq!(d.to_string(), "kickoff - 24h");
        assert_eq!(RelativeDue::parse("start_date+30d").unwrap().to_string(), "start_date + 30d");
        assert_eq!(RelativeDue::parse("start_date").unwrap().to_string(), "start_date");
        assert_eq!(RelativeDue::parse("start_date + 0d").unwrap(), RelativeDue::parse("start_date").unwrap());
        assert_eq!(RelativeDue::parse("kickoff + 15 min").unwrap().to_string(), "kickoff + 15min");
        for bad in [
            "",
            "- 24h",
            "kickoff - ",
            "kickoff - 24",
            "kickoff - 24 hours",
            "Kickoff - 1d",
            "kickoff * 2d",
            "kickoff - 9999d",
        ] {
            assert!(RelativeDue::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn days_are_calendar_days_and_hours_exact_across_dst() {
        // Paris leaves summer time on 2026-10-25 at 03:00.
        let anchor: Zoned = "2026-10-24T10:00[Europe/Paris]".parse().unwrap();
        let plus_day = RelativeDue::parse("kickoff + 1d").unwrap().resolve(&anchor);
        assert_eq!(plus_day.to_string(), "2026-10-25T10:00:00+01:00[Europe/Paris]");
        let plus_24h = RelativeDue::parse("kickoff + 24h").unwrap().resolve(&anchor);
        assert_eq!(plus_24h.to_string(), "2026-10-25T09:00:00+01:00[Europe/Paris]");
        let before = RelativeDue::parse("kickoff - 24h").unwrap().resolve(&anchor);
        assert_eq!(before.to_string(), "2026-10-23T10:00:00+02:00[Europe/Paris]");
    }
}
