package io.sluice.history.internal;

import io.sluice.history.RunInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.Collections;
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
  private static final int TASK_COLUMNS = 20;
  /**
   * Task rows in one execution of the multi-row upsert: a batch's rows go in groups of this many
   * (the rest one by one), since SQLite's work per execution of a statement (and the driver's
   * call for it) costs more than the few rows each carries (8-13 % less of the writer's CPU at
   * 30,000 tasks in the bench).
   */
  static final int ROWS_PER_UPSERT = 32;
  private static final String UPSERT_TASK = upsertTasks(1);
  private static final String UPSERT_TASKS = upsertTasks(ROWS_PER_UPSERT);

  /**
   * The same upsert syntax in SQLite (3.24+) and PostgreSQL (9.5+), with {@code rows} rows: a
   * task's row is written whole each time. A batch holds a task once, so no statement names a
   * row twice (which PostgreSQL refuses).
   */
  private static String upsertTasks(int rows) {
    String row = "(" + "?, ".repeat(TASK_COLUMNS - 1) + "?)";
    return "INSERT INTO tasks (run_id, task_no, family, task_name, params, status,"
      + " attempts, started_at, ended_at, duration_ms, error, stack_trace, log_file, outputs, remote_backend,"
      + " remote_run_id, remote_tier, remote_commit, remote_queued_ms, remote_ran_ms)"
      + " VALUES " + String.join(", ", Collections.nCopies(rows, row))
      + " ON CONFLICT (run_id, task_no) DO UPDATE SET status = excluded.status, attempts = excluded.attempts,"
      + " started_at = excluded.started_at, ended_at = excluded.ended_at, duration_ms = excluded.duration_ms,"
      + " error = excluded.error, stack_trace = excluded.stack_trace, log_file = excluded.log_file,"
      + " outputs = excluded.outputs, remote_backend = excluded.remote_backend, remote_run_id = excluded.remote_run_id,"
      + " remote_tier = excluded.remote_tier, remote_commit = excluded.remote_commit,"
      + " remote_queued_ms = excluded.remote_queued_ms, remote_ran_ms = excluded.remote_ran_ms";
  }
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
    int size = batch.changed.size();
    int grouped = size - size % ROWS_PER_UPSERT;
    PreparedStatement group = grouped == 0 ? null : prepared(UPSERT_TASKS);
    PreparedStatement single = grouped == size ? null : prepared(UPSERT_TASK);
    int row = 0;
    for (TaskState task : batch.changed) {
      if (row < grouped) {
        bindTask(group, (row % ROWS_PER_UPSERT) * TASK_COLUMNS, runId, task);
        if (row % ROWS_PER_UPSERT == ROWS_PER_UPSERT - 1) {
          group.addBatch();
        }
      } else {
        bindTask(single, 0, runId, task);
        single.addBatch();
      }
      row++;
    }
    if (group != null) {
      group.executeBatch();
    }
    if (single != null) {
      single.executeBatch();
    }
  }

  private static void bindTask(PreparedStatement upsert, int at, String runId, TaskState task) throws SQLException {
    upsert.setString(at + 1, runId);
    upsert.setInt(at + 2, task.number);
    upsert.setString(at + 3, task.family);
    upsert.setString(at + 4, task.name);
    upsert.setString(at + 5, task.params);
    upsert.setString(at + 6, task.status);
    upsert.setInt(at + 7, task.attempts);
    setLong(upsert, at + 8, task.startedAt);
    setLong(upsert, at + 9, task.endedAt);
    setLong(upsert, at + 10, task.durationMs());
    upsert.setString(at + 11, task.error);
    upsert.setString(at + 12, task.stackTrace);
    upsert.setString(at + 13, task.logFile);
    upsert.setString(at + 14, task.outputs);
    upsert.setString(at + 15, task.remoteBackend);
    upsert.setString(at + 16, task.remoteRunId);
    upsert.setString(at + 17, task.remoteTier);
    upsert.setString(at + 18, task.remoteCommit);
    setLong(upsert, at + 19, task.remoteQueuedMs);
    setLong(upsert, at + 20, task.remoteRanMs);
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
