-- Remote runs' details on their task, and `sluice history TASK` without a full scan.

ALTER TABLE tasks ADD COLUMN remote_backend VARCHAR(64);
ALTER TABLE tasks ADD COLUMN remote_run_id VARCHAR(128);
ALTER TABLE tasks ADD COLUMN remote_tier VARCHAR(64);
ALTER TABLE tasks ADD COLUMN remote_commit VARCHAR(64);
ALTER TABLE tasks ADD COLUMN remote_queued_ms BIGINT;
ALTER TABLE tasks ADD COLUMN remote_ran_ms BIGINT;

CREATE INDEX tasks_by_family ON tasks (family, started_at);
