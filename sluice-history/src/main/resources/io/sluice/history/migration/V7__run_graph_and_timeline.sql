-- The shape of a run, recorded once when its graph is built: how many tasks of each family it
-- planned and how many requirements link one family to another. The server draws the run's graph
-- from these few rows (a 100k-task run is a few families), pending tasks included.

CREATE TABLE run_families (
  run_id   VARCHAR(40)  NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  family   VARCHAR(255) NOT NULL,
  position INTEGER      NOT NULL,
  tasks    INTEGER      NOT NULL,
  PRIMARY KEY (run_id, family)
);

CREATE TABLE family_links (
  run_id          VARCHAR(40)  NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  family          VARCHAR(255) NOT NULL,
  required_family VARCHAR(255) NOT NULL,
  links           INTEGER      NOT NULL,
  PRIMARY KEY (run_id, family, required_family)
);

-- The run page's timeline reads each family's span and starts from the index alone.
CREATE INDEX tasks_timeline ON tasks (run_id, family, started_at, ended_at);
