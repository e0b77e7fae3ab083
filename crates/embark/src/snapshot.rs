//! Snapshot checks for rendered documents (report emails, calendar invitations): the
//! expected text lives in `tests/snapshots/`, reviewed like code. A difference fails
//! with both texts; `EMBARK_UPDATE_SNAPSHOTS=1` rewrites the files after a deliberate change.

use std::path::PathBuf;

pub fn assert_snapshot(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots").join(name);
    if std::env::var("EMBARK_UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().expect("a snapshots folder")).expect("create the snapshots folder");
        std::fs::write(&path, actual).expect("write the snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!("no snapshot {}: run with EMBARK_UPDATE_SNAPSHOTS=1 once, then review the file", path.display())
    });
    if expected != actual {
        panic!(
            "{name} differs from its snapshot {}\n--- expected\n{expected}\n--- actual\n{actual}\n\
             (after a deliberate change: EMBARK_UPDATE_SNAPSHOTS=1, then review the diff)",
            path.display()
        );
    }
}
