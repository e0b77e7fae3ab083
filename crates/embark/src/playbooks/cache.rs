//! Parsed documents (playbook and course versions), kept in memory: versions never
//! change, so entries never go stale.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use embark_core::playbooks::{self as playbook, Playbook};
use embark_core::{PlaybookVersionId, WorkspaceId};
use embark_store::playbooks::{self, VersionRow};

use crate::error::AppError;

/// Parsed versions of one kind of document, by version id.
pub struct Parsed<K, T> {
    parsed: Mutex<HashMap<K, Arc<T>>>,
}

impl<K, T> Default for Parsed<K, T> {
    fn default() -> Self {
        Parsed { parsed: Mutex::new(HashMap::new()) }
    }
}

impl<K: Hash + Eq + Copy + std::fmt::Display, T> Parsed<K, T> {
    pub fn cached(&self, id: K) -> Option<Arc<T>> {
        self.parsed.lock().unwrap_or_else(|e| e.into_inner()).get(&id).cloned()
    }

    /// The parsed form of a stored version, parsed only the first time. A stored
    /// version that does not parse is corrupt data: an internal error, never a panic.
    pub fn get<E: std::fmt::Debug>(
        &self,
        id: K,
        source: &str,
        parse: impl FnOnce(&str) -> Result<T, Vec<E>>,
    ) -> Result<Arc<T>, AppError> {
        if let Some(p) = self.cached(id) {
            return Ok(p);
        }
        let parsed = parse(source)
            .map_err(|d| AppError::Internal(anyhow::anyhow!("stored version {id} does not parse: {:?}", d.first())))?;
        let parsed = Arc::new(parsed);
        let mut map = self.parsed.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 2000 {
            map.clear();
        }
        map.insert(id, parsed.clone());
        Ok(parsed)
    }
}

/// Parsed playbook versions.
#[derive(Default)]
pub struct PlaybookCache(Parsed<PlaybookVersionId, Playbook>);

impl PlaybookCache {
    /// The parsed playbook of a version, read from the database only the first time.
    pub async fn by_id(
        &self,
        db: &mut embark_store::Db,
        workspace: WorkspaceId,
        id: PlaybookVersionId,
    ) -> Result<Option<Arc<Playbook>>, AppError> {
        if let Some(p) = self.0.cached(id) {
            return Ok(Some(p));
        }
        match playbooks::version(db, workspace, id).await? {
            Some(v) => Ok(Some(self.get(&v)?)),
            None => Ok(None),
        }
    }

    /// The parsed playbook of a stored version.
    pub fn get(&self, version: &VersionRow) -> Result<Arc<Playbook>, AppError> {
        self.0.get(version.id, &version.source, playbook::parse_stored)
    }
}
