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
}
