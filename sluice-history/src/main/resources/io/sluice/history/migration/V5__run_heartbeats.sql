-- A run's writer stamps its row every few seconds while the run goes on: a run that has not
-- ended and whose stamp is old lost its process (kill -9, power loss) instead of running forever.
-- Runs recorded before this version have none: their start stands for it.

ALTER TABLE runs ADD COLUMN heartbeat_at BIGINT;
