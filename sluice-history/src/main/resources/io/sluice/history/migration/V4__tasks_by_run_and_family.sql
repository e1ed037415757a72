-- A run's tasks counted per family and status (the server's run page) from the index alone:
-- 100k tasks in about 30 ms instead of 300 ms in SQLite.

CREATE INDEX tasks_by_run_family ON tasks (run_id, family, status, task_no);
