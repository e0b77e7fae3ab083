//! A person's home: what they have to do, in the order a person would do it.

use crate::Timestamp;

/// How pressing a thing to do is, which is also the order of the home page:
/// overdue first, then what falls due within two days, then later, then undated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Urgency {
    Overdue,
    Soon,
    Later,
    Undated,
}

/// What "soon" means: within 48 hours.
pub const SOON_MS: i64 = 48 * 3_600_000;

impl Urgency {
    pub fn of(due_at: Option<Timestamp>, now: Timestamp) -> Urgency {
        match due_at {
            None => Urgency::Undated,
            Some(d) if d < now => Urgency::Overdue,
            Some(d) if d.as_millis() - now.as_millis() <= SOON_MS => Urgency::Soon,
            Some(_) => Urgency::Later,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Urgency::Overdue => "overdue",
            Urgency::Soon => "soon",
            Urgency::Later => "later",
            Urgency::Undated => "undated",
        }
    }
}

/// The order of the home page: by urgency, then by due date (earliest first), then by title.
pub fn order_key(due_at: Option<Timestamp>, title: &str, now: Timestamp) -> (Urgency, i64, String) {
    (Urgency::of(due_at, now), due_at.map(Timestamp::as_millis).unwrap_or(i64::MAX), title.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = 3_600_000;

    #[test]
    fn overdue_comes_first_then_soon_then_later_then_undated() {
        let now = Timestamp::from_millis(1_000 * H);
        let at = |h: i64| Some(Timestamp::from_millis((1_000 + h) * H));
        assert_eq!(Urgency::of(at(-1), now), Urgency::Overdue);
        assert_eq!(Urgency::of(at(0), now), Urgency::Soon, "due this very moment is not late yet");
        assert_eq!(Urgency::of(at(48), now), Urgency::Soon);
        assert_eq!(Urgency::of(at(49), now), Urgency::Later);
        assert_eq!(Urgency::of(None, now), Urgency::Undated);

        let mut items =
            [("undated", None), ("later", at(100)), ("late, recent", at(-1)), ("soon", at(5)), ("late, old", at(-30))];
        items.sort_by_key(|(t, d)| order_key(*d, t, now));
        let titles: Vec<&str> = items.iter().map(|(t, _)| *t).collect();
        assert_eq!(titles, ["late, old", "late, recent", "soon", "later", "undated"]);
    }

    #[test]
    fn the_same_date_is_ordered_by_title_whatever_its_case() {
        let now = Timestamp::from_millis(0);
        let d = Some(Timestamp::from_millis(H));
        let mut items = [("beta", d), ("Alpha", d)];
        items.sort_by_key(|(t, d)| order_key(*d, t, now));
        assert_eq!(items[0].0, "Alpha");
    }
}
