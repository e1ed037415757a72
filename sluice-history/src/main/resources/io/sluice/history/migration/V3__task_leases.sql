-- Leases of cross-machine once-only (PostgreSQL histories only; SQLite keeps the table empty).
-- One row per task ever claimed: a release ends the lease (expires_at = 0) but keeps the row, so
-- that the epoch only grows and a takeover is always seen by the owner it fenced off.

CREATE TABLE task_leases (
  task_id      TEXT        NOT NULL PRIMARY KEY,
  owner_run    VARCHAR(64) NOT NULL,
  host         VARCHAR(255) NOT NULL,
  pid          BIGINT      NOT NULL,
  epoch        BIGINT      NOT NULL,
  heartbeat_at BIGINT      NOT NULL,
  expires_at   BIGINT      NOT NULL
);
