//! The audit trail's chain: each event of a workspace carries the hash of the one before,
//! so that a row changed, removed or inserted afterwards breaks the chain at that point.

use sha2::{Digest, Sha256};

use crate::Timestamp;

/// What an event says, as hashed. `seq` counts from 1 in each workspace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link<'a> {
    pub workspace: &'a str,
    pub seq: i64,
    pub actor: Option<&'a str>,
    pub action: &'a str,
    pub subject: Option<&'a str>,
    pub detail: &'a str,
    pub at: Timestamp,
}

/// The hash before a workspace's first event.
pub const GENESIS: &str = "";

/// The hash of an event chained to `prev`: SHA-256, in hex, over `prev` and every field,
/// each prefixed with its length (no two different events encode alike).
pub fn hash(prev: &str, link: &Link<'_>) -> String {
    let mut h = Sha256::new();
    let mut put = |field: Option<&str>| match field {
        None => h.update(b"-"),
        Some(v) => {
            h.update(v.len().to_string().as_bytes());
            h.update(b":");
            h.update(v.as_bytes());
        }
    };
    put(Some(prev));
    put(Some(link.workspace));
    put(Some(&link.seq.to_string()));
    put(link.actor);
    put(Some(link.action));
    put(link.subject);
    put(Some(link.detail));
    put(Some(&link.at.as_millis().to_string()));
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Where a chain breaks first, and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Broken {
    /// The first event that does not hold: its `seq`.
    pub seq: i64,
    pub why: BrokenBecause,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BrokenBecause {
    /// An event is missing before this one (its number skips), or one was inserted.
    Gap { expected: i64 },
    /// It does not name the hash of the event before it.
    PreviousHash,
    /// Its content is not what was hashed when it was written.
    Content,
}

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.why {
            BrokenBecause::Gap { expected } => {
                write!(f, "event #{} follows #{}: an event is missing or was inserted", self.seq, expected - 1)
            }
            BrokenBecause::PreviousHash => {
                write!(f, "event #{} does not follow the event before it (its previous hash differs)", self.seq)
            }
            BrokenBecause::Content => write!(f, "event #{} was changed after it was written", self.seq),
        }
    }
}

/// Follows a chain, in `seq` order from where `from` left it (`(last seq, last hash)`,
/// `(0, GENESIS)` at the start). Returns where it stands after these events.
pub fn follow<'a>(
    from: (i64, String),
    events: impl IntoIterator<Item = (Link<'a>, &'a str, &'a str)>,
) -> Result<(i64, String), Broken> {
    let (mut seq, mut prev) = from;
    for (link, prev_hash, stored) in events {
        if link.seq != seq + 1 {
            return Err(Broken { seq: link.seq, why: BrokenBecause::Gap { expected: seq + 1 } });
        }
        if prev_hash != prev {
            return Err(Broken { seq: link.seq, why: BrokenBecause::PreviousHash });
        }
        if hash(&prev, &link) != stored {
            return Err(Broken { seq: link.seq, why: BrokenBecause::Content });
        }
        seq = link.seq;
        prev = stored.to_string();
    }
    Ok((seq, prev))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(seq: i64, detail: &str) -> Link<'_> {
        Link {
            workspace: "ws",
            seq,
            actor: Some("ada"),
            action: "user.role_changed",
            subject: None,
            detail,
            at: Timestamp::from_millis(seq * 1000),
        }
    }

    #[test]
    fn a_chain_holds_until_an_event_is_changed_removed_or_reordered() {
        let h1 = hash(GENESIS, &link(1, "admin"));
        let h2 = hash(&h1, &link(2, "coach"));
        let h3 = hash(&h2, &link(3, "manager"));
        let good = || {
            vec![
                (link(1, "admin"), GENESIS, h1.as_str()),
                (link(2, "coach"), h1.as_str(), h2.as_str()),
                (link(3, "manager"), h2.as_str(), h3.as_str()),
            ]
        };
        assert_eq!(follow((0, GENESIS.into()), good()), Ok((3, h3.clone())));
        // A detail edited in place.
        let mut edited = good();
        edited[1].0 = link(2, "admin");
        assert_eq!(follow((0, GENESIS.into()), edited), Err(Broken { seq: 2, why: BrokenBecause::Content }));
        // An event removed.
        let mut removed = good();
        removed.remove(1);
        let e = follow((0, GENESIS.into()), removed).unwrap_err();
        assert_eq!(e, Broken { seq: 3, why: BrokenBecause::Gap { expected: 2 } });
        assert_eq!(e.to_string(), "event #3 follows #1: an event is missing or was inserted");
        // An event re-hashed by someone who does not know the next one's link.
        let mut forged = good();
        let fake = hash(&h1, &link(2, "admin"));
        forged[1] = (link(2, "admin"), h1.as_str(), fake.as_str());
        assert_eq!(follow((0, GENESIS.into()), forged), Err(Broken { seq: 3, why: BrokenBecause::PreviousHash }));
    }

    #[test]
    fn fields_cannot_slide_into_each_other() {
        let a = Link { action: "ab", subject: Some("c"), ..link(1, "") };
        let b = Link { action: "a", subject: Some("bc"), ..link(1, "") };
        assert_ne!(hash(GENESIS, &a), hash(GENESIS, &b));
        let none = Link { subject: None, ..link(1, "") };
        let empty = Link { subject: Some(""), ..link(1, "") };
        assert_ne!(hash(GENESIS, &none), hash(GENESIS, &empty));
    }
}
