-- What the server's schedules did: one row per time a schedule was due (or started by hand), with
-- the `sluice run` process it started and the id it gave that run (SLUICE_RUN_ID), so that pages
-- link a schedule to its runs, and a restarted server knows which cron time it last fired (catch-up of missed runs).

CREATE TABLE schedule_fires (
  schedule_name VARCHAR(255) NOT NULL,
  due_at        BIGINT       NOT NULL,
  fired_at      BIGINT       NOT NULL,
  reason        VARCHAR(16)  NOT NULL,
  outcome       VARCHAR(16)  NOT NULL,
  host          VARCHAR(255) NOT NULL,
  pid           BIGINT,
  run_id        VARCHAR(40),
  log_file      TEXT,
  message       TEXT
);

CREATE INDEX schedule_fires_by_name ON schedule_fires (schedule_name, fired_at);
