-- The request that enqueued a job, so that its logs can be followed into the job's.
ALTER TABLE jobs ADD COLUMN request_id TEXT;
