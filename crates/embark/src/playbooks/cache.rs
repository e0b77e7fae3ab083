//! Parsed playbook versions, kept in memory: versions never change, so entries never go stale.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use embark_core::playbooks::{self as playbook, Playbook};
use embark_core::{PlaybookVersionId, WorkspaceId};
use embark_store::playbooks::{self, VersionRow};

use crate::error::AppError;

/// Parsed versions, by id. Versions never change, so entries never go stale.
#[derive(Default)]
pub struct PlaybookCache {
    parsed: Mutex<HashMap<PlaybookVersionId, Arc<Playbook>>>,
}

impl PlaybookCache {
    /// The parsed playbook of a version, read from the database only the first time.
    pub async fn by_id(
        &self,
        db: &mut embark_store::Db,
        workspace: WorkspaceId,
        id: PlaybookVersionId,
    ) -> Result<Option<Arc<Playbook>>, AppError> {
        if let Some(p) = self.parsed.lock().unwrap_or_else(|e| e.into_inner()).get(&id) {
            return Ok(Some(p.clone()));
        }
        match playbooks::version(db, workspace, id).await? {
            Some(v) => Ok(Some(self.get(&v)?)),
            None => Ok(None),
        }
    }

    /// The parsed playbook of a stored version.
    pub fn get(&self, version: &VersionRow) -> Result<Arc<Playbook>, AppError> {
        let mut map = self.parsed.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(p) = map.get(&version.id) {
            return Ok(p.clone());
        }
        let parsed = playbook::parse(&version.source).map_err(|d| {
            AppError::Internal(anyhow::anyhow!(
                "stored playbook version {} does not parse: {:?}",
                version.id,
                d.first()
            ))
        })?;
        if map.len() > 2000 {
            map.clear();
        }
        let parsed = Arc::new(parsed);
        map.insert(version.id, parsed.clone());
        Ok(parsed)
    }
}
