//! The playbook library: import (all or nothing), versions, built-ins, reading.

use std::sync::Arc;

use embark_core::diff::content_hash;
use embark_core::playbooks::{self as playbook, builtin::BUILTINS, Diagnostic, Playbook};
use embark_core::{Permission, PlaybookId, UserId, WorkspaceId};
use embark_store::accounts::sessions::Principal;
use embark_store::playbooks::{self, NewPlaybook, NewVersion, PlaybookRow, VersionRow};
use embark_store::StoreError;

use crate::access::require;
use crate::error::AppError;
use crate::state::AppState;

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Imported {
    Created,
    NewVersion,
    /// The document is identical to the latest version: nothing written.
    Unchanged,
}

impl Imported {
    pub fn as_str(self) -> &'static str {
        match self {
            Imported::Created => "created",
            Imported::NewVersion => "new_version",
            Imported::Unchanged => "unchanged",
        }
    }
}

#[derive(Debug)]
pub enum ImportError {
    /// The document does not parse: every problem, with its position. Nothing was written.
    Invalid(Vec<Diagnostic>),
    /// The key is not an identifier.
    BadKey,
    Other(AppError),
}

impl<E: Into<AppError>> From<E> for ImportError {
    fn from(e: E) -> Self {
        ImportError::Other(e.into())
    }
}

pub struct ImportOutcome {
    pub playbook: PlaybookId,
    pub version: VersionRow,
    pub what: Imported,
}

fn valid_key(key: &str) -> bool {
    (2..=64).contains(&key.len()) && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Imports a document into a workspace's library, all or nothing: a new playbook,
/// a new version of the one with the same key and language, or nothing if unchanged.
pub async fn import(
    state: &AppState,
    workspace: WorkspaceId,
    actor: Option<UserId>,
    key: Option<&str>,
    text: &str,
    builtin: bool,
) -> Result<ImportOutcome, ImportError> {
    let parsed = playbook::parse(text).map_err(ImportError::Invalid)?;
    let key = match key.map(str::trim).filter(|k| !k.is_empty()) {
        Some(k) if valid_key(k) => k.to_string(),
        Some(_) => return Err(ImportError::BadKey),
        None => playbook::slug(&parsed.title),
    };
    let hash = content_hash(text);
    let now = state.now();
    let mut tx = state.store.begin().await?;
    unknown_courses(&mut tx, workspace, &parsed, text).await?;
    let (id, what) = match playbooks::find_by_key(&mut tx, workspace, &key, parsed.language).await? {
        Some(existing) => {
            let latest = playbooks::version_by_number(&mut tx, workspace, existing.id, existing.latest_version).await?;
            if let Some(latest) = latest.filter(|v| v.content_hash == hash) {
                return Ok(ImportOutcome { playbook: existing.id, version: latest, what: Imported::Unchanged });
            }
            (existing.id, Imported::NewVersion)
        }
        None => {
            let new = NewPlaybook {
                workspace_id: workspace,
                key: &key,
                language: parsed.language,
                title: &parsed.title,
                kind: parsed.kind.as_str(),
                builtin,
            };
            match playbooks::create(&mut tx, new, now).await {
                Ok(id) => (id, Imported::Created),
                // Someone imported the same key at the same moment: our transaction loses, nothing is half-written.
                Err(e) if e.is_conflict_on(playbooks::KEY_TAKEN) => {
                    return Err(AppError::Internal(anyhow::anyhow!("concurrent import of {key}")).into())
                }
                Err(e) => return Err(e.into()),
            }
        }
    };
    let version = playbooks::add_version(
        &mut tx,
        NewVersion {
            workspace_id: workspace,
            playbook_id: id,
            source: text,
            content_hash: &hash,
            title: &parsed.title,
            kind: parsed.kind.as_str(),
            created_by: actor,
        },
        now,
    )
    .await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(ImportOutcome { playbook: id, version, what })
}

/// A gate or step that waits for the certification of a course the workspace does not
/// have is refused at its line: it could never close.
async fn unknown_courses(
    db: &mut embark_store::Db,
    workspace: WorkspaceId,
    parsed: &Playbook,
    text: &str,
) -> Result<(), ImportError> {
    let signals =
        parsed.gates().filter_map(|g| g.signal.as_ref()).chain(parsed.steps().filter_map(|s| s.signal.as_ref()));
    let mut problems = Vec::new();
    for course in signals.filter_map(|s| s.course()) {
        if !embark_store::learning::languages_of(db, workspace, course.as_str()).await?.is_empty() {
            continue;
        }
        let at = text
            .lines()
            .position(|l| l.starts_with("signal:") && l.contains(course.as_str()))
            .map(|i| i + 1)
            .unwrap_or(1);
        let message = format!("no course `{course}` in this workspace: import it first, or name one of its courses");
        if !problems.iter().any(|d: &Diagnostic| d.line == at) {
            problems.push(Diagnostic { line: at, col: 9, message });
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ImportError::Invalid(problems))
    }
}

/// An import by a signed-in person (permission checked).
pub async fn import_as(
    state: &AppState,
    actor: &Principal,
    key: Option<&str>,
    text: &str,
) -> Result<ImportOutcome, ImportError> {
    require(actor, Permission::EditPlaybooks)?;
    import(state, actor.user.workspace_id, Some(actor.user.id), key, text, false).await
}

/// Adds the built-in playbooks a workspace does not have yet (never touches edited ones).
pub async fn install_builtins(state: &AppState, workspace: WorkspaceId) -> Result<usize, AppError> {
    let mut installed = 0;
    for b in BUILTINS {
        if playbooks::find_by_key(&mut state.store.db(), workspace, b.key, b.language).await?.is_some() {
            continue;
        }
        match import(state, workspace, None, Some(b.key), b.text, true).await {
            Ok(_) => installed += 1,
            Err(ImportError::Other(e)) => return Err(e),
            Err(e) => {
                return Err(AppError::Internal(anyhow::anyhow!(
                    "built-in {} ({}) does not import: {e:?}",
                    b.key,
                    b.language
                )))
            }
        }
    }
    Ok(installed)
}

/// A playbook of the viewer's workspace with its latest version, parsed.
pub struct Loaded {
    pub row: PlaybookRow,
    pub version: VersionRow,
    pub playbook: Arc<Playbook>,
}

pub async fn load(
    state: &AppState,
    actor: &Principal,
    id: PlaybookId,
    version: Option<i64>,
) -> Result<Loaded, AppError> {
    require(actor, Permission::ReadPlaybooks)?;
    let ws = actor.user.workspace_id;
    let row = playbooks::get(&mut state.store.db(), ws, id).await?.ok_or(AppError::NotFound)?;
    let number = version.unwrap_or(row.latest_version);
    let version =
        playbooks::version_by_number(&mut state.store.db(), ws, id, number).await?.ok_or(AppError::NotFound)?;
    let playbook = state.playbooks.get(&version)?;
    Ok(Loaded { row, version, playbook })
}
