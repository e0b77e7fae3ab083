//! Passwords and random tokens. Only hashes are ever stored.

use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rand::rngs::OsRng;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A random token of 32 bytes, URL-safe: session cookies, magic links, API tokens, CSRF.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The stored form of a token: SHA-256, hex. Tokens are high-entropy, so a fast
/// hash is enough (unlike passwords).
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// Hashes a password with argon2id and a random salt (PHC string).
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing password: {e}"))
}

/// Checks a password against a stored hash. With no hash (unknown email, or an
/// account without a password) it still spends the same time, so that the
/// answer's timing does not tell whether the account exists.
pub fn verify_password(password: &str, stored: Option<&str>) -> bool {
    static DUMMY: DummyHash = DummyHash::new();
    let hash = stored.unwrap_or_else(|| DUMMY.get());
    let ok = match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    };
    ok && stored.is_some()
}

/// A hash of a random password, computed once, to verify against when there is no account.
struct DummyHash(OnceLock<String>);

impl DummyHash {
    const fn new() -> Self {
        DummyHash(OnceLock::new())
    }
    fn get(&self) -> &str {
        self.0.get_or_init(|| hash_password(&random_token()).unwrap_or_default())
    }
}

/// Constant-time comparison of two tokens.
pub fn same_token(a: &str, b: &str) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_against_their_hash() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", Some(&h)));
        assert!(!verify_password("wrong horse battery", Some(&h)));
        assert!(!verify_password("correct horse battery", None));
    }

    #[test]
    fn tokens_are_random_and_hashes_stable() {
        let a = random_token();
        assert_ne!(a, random_token());
        assert_eq!(a.len(), 43);
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_eq!(token_hash(&a).len(), 64);
        assert!(same_token(&a, &a.clone()));
        assert!(!same_token(&a, &random_token()));
    }
}
