//! Values people type when they deal with accounts, parsed at the edge.

pub mod role;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A form or payload field that did not parse. `code` is a stable message key
/// (translated by the web layer), `field` names the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {code}")]
pub struct FieldError {
    pub field: &'static str,
    pub code: &'static str,
}

impl FieldError {
    pub const fn new(field: &'static str, code: &'static str) -> Self {
        Self { field, code }
    }
}

/// An email address, trimmed and lower-cased. Validation is deliberately
/// structural (one `@`, a dotted domain, no spaces): the real check is that mail arrives.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = input.trim().to_lowercase();
        let err = FieldError::new("email", "error-email-invalid");
        if s.is_empty() {
            return Err(FieldError::new("email", "error-email-required"));
        }
        if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(err);
        }
        let (local, domain) = s.split_once('@').ok_or(err)?;
        if local.is_empty()
            || domain.contains('@')
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
            || domain.contains("..")
        {
            return Err(err);
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EmailAddress({})", self.0)
    }
}

impl FromStr for EmailAddress {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = FieldError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<EmailAddress> for String {
    fn from(e: EmailAddress) -> String {
        e.0
    }
}

/// A person's name as shown to others: 1 to 100 characters, trimmed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(FieldError::new("name", "error-name-required"));
        }
        if s.chars().count() > 100 || s.chars().any(char::is_control) {
            return Err(FieldError::new("name", "error-name-invalid"));
        }
        Ok(Self(s.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for DisplayName {
    type Error = FieldError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<DisplayName> for String {
    fn from(n: DisplayName) -> String {
        n.0
    }
}

impl fmt::Display for DisplayName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A workspace's name: 2 to 80 characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkspaceName(String);

impl WorkspaceName {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = input.trim();
        let n = s.chars().count();
        if !(2..=80).contains(&n) || s.chars().any(char::is_control) {
            return Err(FieldError::new("workspace", "error-workspace-name-invalid"));
        }
        Ok(Self(s.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password: at least 10 characters, at most 256 (argon2 input bound).
/// Its `Debug` never shows it.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 10;

    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let n = input.chars().count();
        if n < Self::MIN_CHARS {
            return Err(FieldError::new("password", "error-password-too-short"));
        }
        if input.len() > 256 {
            return Err(FieldError::new("password", "error-password-too-long"));
        }
        Ok(Self(input.to_string()))
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn emails_are_normalised() {
        assert_eq!(EmailAddress::parse("  Anne@Example.COM ").unwrap().as_str(), "anne@example.com");
    }

    #[test]
    fn malformed_emails_are_refused_with_a_code() {
        for bad in
            ["", "anne", "anne@", "@example.com", "anne@example", "a b@example.com", "a@b@c.com", "a@.com", "a@b..com"]
        {
            let err = EmailAddress::parse(bad).unwrap_err();
            assert_eq!(err.field, "email", "{bad}");
        }
        assert_eq!(EmailAddress::parse("").unwrap_err().code, "error-email-required");
    }

    #[test]
    fn password_debug_is_redacted() {
        let p = Password::parse("correct horse battery").unwrap();
        assert!(!format!("{p:?}").contains("horse"));
        assert_eq!(Password::parse("short").unwrap_err().code, "error-password-too-short");
    }

    proptest! {
        #[test]
        fn email_parse_never_panics_and_is_idempotent(s in "\\PC{0,80}") {
            if let Ok(e) = EmailAddress::parse(&s) {
                prop_assert_eq!(EmailAddress::parse(e.as_str()).unwrap(), e);
            }
        }

        /// Well-formed addresses (the arbitrary text above almost never is one): each is
        /// accepted, trimmed and lower-cased, and one defect makes it refused.
        #[test]
        fn well_formed_addresses_parse_and_one_defect_is_refused(
            local in "[A-Za-z0-9._%+-]{1,20}",
            domain in "[a-z0-9-]{1,15}(\\.[a-z0-9-]{1,10}){1,3}",
            pad in "[ \t]{0,2}",
            defect in 0usize..5,
        ) {
            let address = format!("{pad}{local}@{domain}{pad}");
            let parsed = EmailAddress::parse(&address);
            prop_assert!(parsed.is_ok(), "{address:?} refused");
            let e = parsed.unwrap();
            prop_assert_eq!(e.as_str(), format!("{local}@{domain}").to_lowercase());
            let broken = match defect {
                0 => format!("{local}@@{domain}"),
                1 => format!("{local}@{}", domain.replace('.', "")),
                2 => format!("{local}@.{domain}"),
                3 => format!("{local} x@{domain}"),
                _ => format!("@{domain}"),
            };
            prop_assert!(EmailAddress::parse(&broken).is_err(), "{broken:?} accepted");
        }

        #[test]
        fn display_names_are_trimmed(s in "[a-zA-Z ]{0,120}") {
            match DisplayName::parse(&s) {
                Ok(n) => { prop_assert_eq!(n.as_str(), s.trim()); prop_assert!(!n.as_str().is_empty()); }
                Err(e) => prop_assert_eq!(e.field, "name"),
            }
        }
    }
}

/// The longest a single-use link (sign-in, invitation, scorecard request) stays valid:
/// thirty days. Whoever asks for a longer one gets this; a new link is one request away.
pub const MAX_LINK_LIFETIME_MS: i64 = 30 * 86_400_000;

/// When a link made at `now` for `wanted` expires: never later than [`MAX_LINK_LIFETIME_MS`].
pub fn link_expiry(now: crate::Timestamp, wanted: crate::Timestamp) -> crate::Timestamp {
    crate::Timestamp::from_millis(wanted.as_millis().min(now.as_millis().saturating_add(MAX_LINK_LIFETIME_MS)))
}

#[cfg(test)]
mod link_tests {
    use super::*;

    #[test]
    fn a_link_lives_thirty_days_at_most() {
        let now = crate::Timestamp::from_millis(1_764_590_400_000);
        let day = 86_400_000;
        assert_eq!(
            link_expiry(now, crate::Timestamp::from_millis(now.as_millis() + day)).as_millis(),
            now.as_millis() + day
        );
        assert_eq!(
            link_expiry(now, crate::Timestamp::from_millis(253_402_300_799_000)).as_millis(),
            now.as_millis() + 30 * day
        );
    }
}
