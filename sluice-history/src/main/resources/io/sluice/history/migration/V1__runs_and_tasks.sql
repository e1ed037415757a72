-- One row per `sluice run`, one per task met in it, one per thing that happened to a task.
-- Portable SQL: the same file creates the schema in SQLite and in PostgreSQL.
-- Times are milliseconds since the epoch (UTC): comparable and small in both databases.

CREATE TABLE runs (
  id           VARCHAR(40)  NOT NULL PRIMARY KEY,
  root_task    TEXT         NOT NULL,
  command_line TEXT         NOT NULL,
  user_name    VARCHAR(128) NOT NULL,
  host         VARCHAR(255) NOT NULL,
  pid          BIGINT       NOT NULL,
  cwd          TEXT         NOT NULL,
  git_commit   VARCHAR(64),
  started_by   VARCHAR(16)  NOT NULL,
  started_at   BIGINT       NOT NULL,
  ended_at     BIGINT,
  exit_code    INTEGER
);

CREATE INDEX runs_by_start ON runs (started_at);

CREATE TABLE tasks (
  run_id      VARCHAR(40)  NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  task_no     INTEGER      NOT NULL,
  family      VARCHAR(255) NOT NULL,
  task_name   TEXT         NOT NULL,
  params      TEXT         NOT NULL,
  status      VARCHAR(24)  NOT NULL,
  attempts    INTEGER      NOT NULL,
  started_at  BIGINT,
  ended_at    BIGINT,
  duration_ms BIGINT,
  error       TEXT,
  stack_trace TEXT,
  log_file    TEXT,
  outputs     TEXT,
  PRIMARY KEY (run_id, task_no)
);

CREATE TABLE task_events (
  run_id  VARCHAR(40) NOT NULL,
  task_no INTEGER     NOT NULL,
  kind    VARCHAR(16) NOT NULL,
  at      BIGINT      NOT NULL,
  attempt INTEGER     NOT NULL,
  message TEXT,
  FOREIGN KEY (run_id, task_no) REFERENCES tasks (run_id, task_no) ON DELETE CASCADE
);

CREATE INDEX task_events_by_task ON task_events (run_id, task_no);
