//! Line diffs between two versions of a document (playbooks, scorecards).

/// One line of a diff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiffLine<'a> {
    Same(&'a str),
    Added(&'a str),
    Removed(&'a str),
}

/// The lines of `new` compared with `old` (longest common subsequence). Inputs
/// above 4 000 lines each are compared as "all removed, all added".
pub fn diff_lines<'a>(old: &'a str, new: &'a str) -> Vec<DiffLine<'a>> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    if a.len() > 4000 || b.len() > 4000 {
        return a.iter().map(|l| DiffLine::Removed(l)).chain(b.iter().map(|l| DiffLine::Added(l))).collect();
    }
    // Trim the common prefix and suffix first: versions usually differ in a few lines.
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (am, bm) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let (n, m) = (am.len(), bm.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if am[i] == bm[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let mut out: Vec<DiffLine> = a[..prefix].iter().map(|l| DiffLine::Same(l)).collect();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && am[i] == bm[j] {
            out.push(DiffLine::Same(am[i]));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push(DiffLine::Removed(am[i]));
            i += 1;
        } else {
            out.push(DiffLine::Added(bm[j]));
            j += 1;
        }
    }
    out.extend(a[a.len() - suffix..].iter().map(|l| DiffLine::Same(l)));
    out
}

/// SHA-256 of a text, hex: the content hash of versions and locks.
pub fn content_hash(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn changed_lines_show_as_removed_then_added() {
        let d = diff_lines("a\nb\nc\n", "a\nB\nc\nd\n");
        assert_eq!(
            d,
            vec![
                DiffLine::Same("a"),
                DiffLine::Removed("b"),
                DiffLine::Added("B"),
                DiffLine::Same("c"),
                DiffLine::Added("d")
            ]
        );
        assert_eq!(content_hash("x").len(), 64);
        assert_ne!(content_hash("x"), content_hash("y"));
    }

    proptest! {
        #[test]
        fn a_diff_rebuilds_both_sides(old in proptest::collection::vec("[abc]{0,2}", 0..30), new in proptest::collection::vec("[abc]{0,2}", 0..30)) {
            let (old, new) = (old.join("\n"), new.join("\n"));
            let d = diff_lines(&old, &new);
            let back_old: Vec<&str> = d.iter().filter_map(|l| match l { DiffLine::Same(s) | DiffLine::Removed(s) => Some(*s), _ => None }).collect();
            let back_new: Vec<&str> = d.iter().filter_map(|l| match l { DiffLine::Same(s) | DiffLine::Added(s) => Some(*s), _ => None }).collect();
            prop_assert_eq!(back_old, old.lines().collect::<Vec<_>>());
            prop_assert_eq!(back_new, new.lines().collect::<Vec<_>>());
        }
    }
}
