//! Keyset pages: queries ask for one row more than a page, and that extra row
//! tells whether a next page exists.

/// Trims `rows` (fetched with `limit + 1`) to one page and returns the cursor of
/// the next page, made from the page's last row, if there is one.
pub fn next_page<T>(rows: &mut Vec<T>, limit: i64, cursor: impl FnOnce(&T) -> String) -> Option<String> {
    let limit = usize::try_from(limit).unwrap_or(0);
    if rows.len() <= limit {
        return None;
    }
    rows.truncate(limit);
    rows.last().map(cursor)
}

/// A position in a list ordered by an instant then an id, `INSTANT_ID`: every string of
/// the documented form is one (an instant beyond the range of instants stands at its end).
pub fn read_position<Id: std::str::FromStr>(s: &str) -> Option<(i64, Id)> {
    let (at, id) = s.split_once('_')?;
    let digits = at.strip_prefix('-').unwrap_or(at);
    let lower_hex = id.bytes().all(|b| b == b'-' || b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if digits.is_empty()
        || digits.len() > 19
        || !digits.bytes().all(|b| b.is_ascii_digit())
        || !lower_hex
        || id.len() != 36
    {
        return None;
    }
    let at = at.parse::<i128>().ok()?.clamp(i64::MIN.into(), i64::MAX.into()) as i64;
    Some((at, id.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extra_row_means_a_next_page() {
        let mut rows = vec![1, 2, 3];
        assert_eq!(next_page(&mut rows, 2, |r| r.to_string()), Some("2".into()));
        assert_eq!(rows, [1, 2]);
        let mut rows = vec![1, 2];
        assert_eq!(next_page(&mut rows, 2, |r| r.to_string()), None);
        assert_eq!(rows, [1, 2]);
    }

    #[test]
    fn a_position_is_an_instant_and_an_id_and_anything_else_is_none() {
        let id = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
        let read = |s: &str| read_position::<uuid::Uuid>(s).map(|(at, id)| (at, id.to_string()));
        assert_eq!(read(&format!("1767225600000_{id}")), Some((1_767_225_600_000, id.to_string())));
        assert_eq!(read(&format!("-5_{id}")), Some((-5, id.to_string())));
        assert_eq!(read(&format!("9999999999999999999_{id}")).map(|p| p.0), Some(i64::MAX), "clamped");
        for bad in ["", "nope", &format!("_{id}"), &format!("12_{}", id.to_uppercase()), "12_0190a1b2"] {
            assert_eq!(read(bad), None, "{bad}");
        }
    }
}
