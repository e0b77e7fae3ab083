//! The job queue: typed jobs enqueued in the business transaction, claimed with a
//! portable compare-and-set so that several workers never run the same job at once.

use crate::Db;
use embark_core::{JobId, Timestamp};

use crate::{Result, StoreError};

pub struct NewJob<'a> {
    pub kind: &'a str,
    pub payload: &'a str,
    pub run_at: Timestamp,
    /// Enqueuing twice with the same key enqueues once.
    pub idempotency_key: Option<&'a str>,
    /// The request that enqueued it, carried into the job's logs.
    pub request_id: Option<&'a str>,
}

/// Enqueues a job. Returns false when a job with the same idempotency key exists.
pub async fn enqueue(db: &mut Db, job: NewJob<'_>, now: Timestamp) -> Result<bool> {
    let done = crate::query(
        "INSERT INTO jobs (id, kind, payload, idempotency_key, run_at, attempts, created_at, request_id) \
         VALUES ($1, $2, $3, $4, $5, 0, $6, $7) ON CONFLICT (idempotency_key) DO NOTHING",
    )
    .bind(JobId::new().to_string())
    .bind(job.kind)
    .bind(job.payload)
    .bind(job.idempotency_key)
    .bind(job.run_at.as_millis())
    .bind(now.as_millis())
    .bind(job.request_id)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Jobs that are due and not held by a live lease, oldest first.
pub async fn due(db: &mut Db, now: Timestamp, limit: i64) -> Result<Vec<JobId>> {
    let ids: Vec<String> = crate::query_scalar(
        "SELECT id FROM jobs WHERE done_at IS NULL AND failed_at IS NULL AND run_at <= $1 \
         AND (locked_until IS NULL OR locked_until < $1) ORDER BY run_at, id LIMIT $2",
    )
    .bind(now.as_millis())
    .bind(limit)
    .fetch_all(db)
    .await?;
    ids.iter().map(|s| s.parse().map_err(|_| StoreError::corrupt("job id", s))).collect()
}

#[derive(Clone, Debug)]
pub struct ClaimedJob {
    pub id: JobId,
    pub kind: String,
    pub payload: String,
    /// This run's number, from 1.
    pub attempt: i64,
    /// The request that enqueued it, if any.
    pub request_id: Option<String>,
}

/// Takes a job for `worker` until `lease_until`. Only one concurrent caller gets
/// `Some`: the update succeeds only while the job is due and unlocked.
pub async fn claim(
    db: &mut Db,
    id: JobId,
    worker: &str,
    now: Timestamp,
    lease_until: Timestamp,
) -> Result<Option<ClaimedJob>> {
    let row: Option<(String, String, i64, Option<String>)> = crate::query_as(
        "UPDATE jobs SET locked_until = $3, locked_by = $4, attempts = attempts + 1 \
         WHERE id = $1 AND done_at IS NULL AND failed_at IS NULL AND run_at <= $2 \
         AND (locked_until IS NULL OR locked_until < $2) RETURNING kind, payload, attempts, request_id",
    )
    .bind(id.to_string())
    .bind(now.as_millis())
    .bind(lease_until.as_millis())
    .bind(worker)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|(kind, payload, attempt, request_id)| ClaimedJob { id, kind, payload, attempt, request_id }))
}

pub async fn complete(db: &mut Db, id: JobId, now: Timestamp) -> Result<()> {
    crate::query("UPDATE jobs SET done_at = $2, locked_until = NULL, last_error = NULL WHERE id = $1")
        .bind(id.to_string())
        .bind(now.as_millis())
        .execute(db)
        .await?;
    Ok(())
}

/// Deletes jobs done before `before` (failed ones stay, for someone to look at).
/// Returns how many were deleted.
pub async fn prune_done(db: &mut Db, before: Timestamp) -> Result<u64> {
    Ok(crate::query("DELETE FROM jobs WHERE done_at IS NOT NULL AND done_at < $1")
        .bind(before.as_millis())
        .execute(db)
        .await?
        .rows_affected())
}

/// Releases a failed job to run again at `run_at`.
pub async fn retry(db: &mut Db, id: JobId, run_at: Timestamp, error: &str) -> Result<()> {
    crate::query("UPDATE jobs SET run_at = $2, locked_until = NULL, last_error = $3 WHERE id = $1")
        .bind(id.to_string())
        .bind(run_at.as_millis())
        .bind(error)
        .execute(db)
        .await?;
    Ok(())
}

/// Gives up on a job: it stays in the table with its last error, for an admin to see.
pub async fn fail(db: &mut Db, id: JobId, now: Timestamp, error: &str) -> Result<()> {
    crate::query("UPDATE jobs SET failed_at = $2, locked_until = NULL, last_error = $3 WHERE id = $1")
        .bind(id.to_string())
        .bind(now.as_millis())
        .bind(error)
        .execute(db)
        .await?;
    Ok(())
}

/// Counts of the queue, for tests and metrics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QueueCounts {
    pub pending: i64,
    pub done: i64,
    pub failed: i64,
}

pub async fn counts(db: &mut Db) -> Result<QueueCounts> {
    let (pending, done, failed): (i64, i64, i64) = crate::query_as(
        "SELECT \
           CAST(COALESCE(SUM(CASE WHEN done_at IS NULL AND failed_at IS NULL THEN 1 ELSE 0 END), 0) AS BIGINT), \
           CAST(COALESCE(SUM(CASE WHEN done_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT), \
           CAST(COALESCE(SUM(CASE WHEN failed_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM jobs",
    )
    .fetch_one(db)
    .await?;
    Ok(QueueCounts { pending, done, failed })
}

/// The last error of the most recently failed or retried jobs, for diagnostics.
pub async fn recent_errors(db: &mut Db, limit: i64) -> Result<Vec<(String, String)>> {
    Ok(crate::query_as(
        "SELECT kind, last_error FROM jobs WHERE last_error IS NOT NULL ORDER BY created_at DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await?)
}
