-- What a running process holds against its limits: the `[resources]` totals of its run and the
-- resources its running tasks hold, as JSON ({"limits": {"gpu": 2}, "held": {"gpu": 1}}),
-- rewritten by its writer when they change. Null for a run whose tasks hold none and that has no limits.

ALTER TABLE runs ADD COLUMN resources TEXT;
