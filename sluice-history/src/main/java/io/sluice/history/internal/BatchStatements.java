package io.sluice.history.internal;

import io.sluice.history.RunInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes batches on one connection, each in one transaction: all of it or, on any error, none of
 * it. The statements of every batch are prepared once per connection: preparing the task upsert
 * cost as much as a batch of a few rows.
 */
final class BatchStatements implements AutoCloseable {

  private static final String INSERT_RUN = "INSERT INTO runs (id, root_task, command_line, user_name, host, pid, cwd,"
      + " git_commit, started_by, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  // The same upsert syntax in SQLite (3.24+) and PostgreSQL (9.5+): a task's row is written whole each time.
  private static final String UPSERT_TASK = "INSERT INTO tasks (run_id, task_no, family, task_name, params, status,"
      + " attempts, started_at, ended_at, duration_ms, error, stack_trace, log_file, outputs, remote_backend,"
      + " remote_run_id, remote_tier, remote_commit, remote_queued_ms, remote_ran_ms)"
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
      + " ON CONFLICT (run_id, task_no) DO UPDATE SET status = excluded.status, attempts = excluded.attempts,"
      + " started_at = excluded.started_at, ended_at = excluded.ended_at, duration_ms = excluded.duration_ms,"
      + " error = excluded.error, stack_trace = excluded.stack_trace, log_file = excluded.log_file,"
      + " outputs = excluded.outputs, remote_backend = excluded.remote_backend, remote_run_id = excluded.remote_run_id,"
      + " remote_tier = excluded.remote_tier, remote_commit = excluded.remote_commit,"
      + " remote_queued_ms = excluded.remote_queued_ms, remote_ran_ms = excluded.remote_ran_ms";
  private static final String INSERT_EVENT =
      "INSERT INTO task_events (run_id, task_no, kind, at, attempt, message) VALUES (?, ?, ?, ?, ?, ?)";
  private static final String HEARTBEAT = "UPDATE runs SET heartbeat_at = ? WHERE id = ?";
  private static final String RESOURCES = "UPDATE runs SET resources = ? WHERE id = ?";
  private static final String END_RUN = "UPDATE runs SET ended_at = ?, exit_code = ? WHERE id = ?";

  private final Connection connection;
  private final Map<String, PreparedStatement> prepared = new HashMap<>();

  BatchStatements(Connection connection) {
    this.connection = connection;
  }

  private PreparedStatement prepared(String sql) throws SQLException {
    PreparedStatement statement = prepared.get(sql);
    if (statement == null) {
      statement = connection.prepareStatement(sql);
      prepared.put(sql, statement);
    }
    return statement;
  }

  /**
   * Copies what the write-ahead log holds into the SQLite file, without waiting for readers: done
   * after each batch while the run goes on, so that closing the last connection (which does it
   * too, for everything since the last time) has only the last batch left to copy when the run
   * ends and someone waits for it.
   */
  void checkpoint() throws SQLException {
    connection.setAutoCommit(true);
    try (Statement sql = connection.createStatement()) {
      sql.execute("PRAGMA wal_checkpoint(PASSIVE)");
    }
  }

  /** Closes the statements; the connection is its owner's to close. */
  @Override
  public void close() {
    for (PreparedStatement statement : prepared.values()) {
      try {
        statement.close();
      } catch (SQLException | RuntimeException ignored) {
        // the connection goes next anyway
      }
    }
    prepared.clear();
  }

  void write(String runId, Batch batch) throws SQLException {
    connection.setAutoCommit(false);
    try {
      if (batch.started != null) {
        insertRun(batch.started);
      }
      if (batch.graph != null) {
        GraphStatements.insert(connection, runId, batch.graph);
      }
      if (!batch.changed.isEmpty()) {
        upsertTasks(runId, batch);
      }
      if (!batch.events.isEmpty()) {
        insertEvents(runId, batch);
      }
      if (batch.heartbeat != null) {
        PreparedStatement beat = prepared(HEARTBEAT);
        beat.setLong(1, batch.heartbeat);
        beat.setString(2, runId);
        beat.executeUpdate();
      }
      if (batch.resources != null) {
        try (PreparedStatement held = connection.prepareStatement(RESOURCES)) {
          held.setString(1, batch.resources);
          held.setString(2, runId);
          held.executeUpdate();
        }
      }
      if (batch.ended != null) {
        PreparedStatement end = prepared(END_RUN);
        end.setLong(1, batch.ended.at().toEpochMilli());
        setInteger(end, 2, batch.ended.exitCode());
        end.setString(3, runId);
        end.executeUpdate();
      }
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      try {
        connection.rollback();
      } catch (SQLException ignored) {
        // The connection is closed after a failure anyway: what was not committed is gone.
      }
      throw e;
    }
  }

  private void insertRun(RunInfo run) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(INSERT_RUN)) {  // once per run
      insert.setString(1, run.id());
      insert.setString(2, run.rootTask());
      insert.setString(3, run.commandLine());
      insert.setString(4, run.user());
      insert.setString(5, run.host());
      insert.setLong(6, run.pid());
      insert.setString(7, run.cwd());
      insert.setString(8, run.gitCommit());
      insert.setString(9, run.startedBy().label());
      insert.setLong(10, run.startedAt().toEpochMilli());
      insert.setLong(11, run.startedAt().toEpochMilli());
      insert.executeUpdate();
    }
  }

  private void upsertTasks(String runId, Batch batch) throws SQLException {
    PreparedStatement upsert = prepared(UPSERT_TASK);
    for (TaskState task : batch.changed) {
      upsert.setString(1, runId);
      upsert.setInt(2, task.number);
      upsert.setString(3, task.family);
      upsert.setString(4, task.name);
      upsert.setString(5, task.params);
      upsert.setString(6, task.status);
      upsert.setInt(7, task.attempts);
      setLong(upsert, 8, task.startedAt);
      setLong(upsert, 9, task.endedAt);
      setLong(upsert, 10, task.durationMs());
      upsert.setString(11, task.error);
      upsert.setString(12, task.stackTrace);
      upsert.setString(13, task.logFile);
      upsert.setString(14, task.outputs);
      upsert.setString(15, task.remoteBackend);
      upsert.setString(16, task.remoteRunId);
      upsert.setString(17, task.remoteTier);
      upsert.setString(18, task.remoteCommit);
      setLong(upsert, 19, task.remoteQueuedMs);
      setLong(upsert, 20, task.remoteRanMs);
      upsert.addBatch();
    }
    upsert.executeBatch();
  }

  private void insertEvents(String runId, Batch batch) throws SQLException {
    PreparedStatement insert = prepared(INSERT_EVENT);
    for (Batch.EventRow event : batch.events) {
      insert.setString(1, runId);
      insert.setInt(2, event.task());
      insert.setString(3, event.kind());
      insert.setLong(4, event.at());
      insert.setInt(5, event.attempt());
      insert.setString(6, event.message());
      insert.addBatch();
    }
    insert.executeBatch();
  }

  private static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.BIGINT);
    } else {
      statement.setLong(index, value);
    }
  }

  private static void setInteger(PreparedStatement statement, int index, Integer value) throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.INTEGER);
    } else {
      statement.setInt(index, value);
    }
  }
}
