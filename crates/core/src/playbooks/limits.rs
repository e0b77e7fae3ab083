//! How large a playbook may be, and reading its bytes as text. A playbook is a document
//! a person reads and a checklist a person works through: far below these bounds. They
//! keep one imported file from costing every page that shows it.

use super::{Diagnostic, Playbook};

/// The largest source accepted, in bytes.
pub const MAX_SOURCE_BYTES: usize = 512 * 1024;
/// The most gates, steps and checkpoints one playbook may hold, together.
pub const MAX_ITEMS: usize = 500;

/// Refuses a source too large to be a playbook, before it is parsed.
pub fn check_source(text: &str) -> Result<(), Diagnostic> {
    if text.len() > MAX_SOURCE_BYTES {
        return Err(Diagnostic {
            line: 1,
            col: 1,
            message: format!(
                "the file is {} KiB; a playbook may be {} KiB at most: split it into several playbooks",
                text.len().div_ceil(1024),
                MAX_SOURCE_BYTES / 1024
            ),
        });
    }
    Ok(())
}

/// Refuses a playbook with more items than a person can work through.
pub fn check_items(playbook: &Playbook) -> Result<(), Diagnostic> {
    let items = playbook.gates().count() + playbook.steps().map(|s| 1 + s.checkpoints.len()).sum::<usize>();
    if items > MAX_ITEMS {
        return Err(Diagnostic {
            line: 1,
            col: 1,
            message: format!(
                "{items} gates, steps and checkpoints; a playbook may hold {MAX_ITEMS} at most: split it into several playbooks"
            ),
        });
    }
    Ok(())
}

/// Reads a file's bytes as UTF-8 text, or names where the first byte that is not is:
/// `LINE:COL: not UTF-8 text` (the column counts characters, as every other position does).
pub fn utf8_text(bytes: &[u8]) -> Result<&str, Diagnostic> {
    std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        // Everything before the bad byte is valid text.
        let before = std::str::from_utf8(good).unwrap_or_default();
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Diagnostic {
            line,
            col,
            message: format!("not UTF-8 text (byte 0x{:02X}): save the file as UTF-8", bytes[e.valid_up_to()]),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_bad_byte_is_named_by_line_and_column() {
        assert_eq!(utf8_text("# Café\n".as_bytes()).unwrap(), "# Café\n");
        let latin1 = b"# Title\n\nSome text\nD\xe9j\xe0 vu\n";
        let d = utf8_text(latin1).unwrap_err();
        assert_eq!((d.line, d.col), (4, 2));
        assert!(d.message.starts_with("not UTF-8 text (byte 0xE9)"), "{}", d.message);
        let d = utf8_text(b"\xff").unwrap_err();
        assert_eq!((d.line, d.col), (1, 1));
        // Columns count characters: "é" before the bad byte is one column.
        let d = utf8_text(b"\xc3\xa9\xff").unwrap_err();
        assert_eq!((d.line, d.col), (1, 2));
    }

    #[test]
    fn a_huge_playbook_is_refused_with_its_size() {
        let big = "x".repeat(MAX_SOURCE_BYTES + 1);
        let d = crate::playbooks::parse(&big).unwrap_err();
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("513 KiB") && d[0].message.contains("512 KiB at most"), "{}", d[0].message);
    }
}
