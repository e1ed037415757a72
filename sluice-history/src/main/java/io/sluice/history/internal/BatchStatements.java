package io.sluice.history.internal;

import io.sluice.history.RunInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes batches on one connection, each in one transaction: all of it or, on any error, none of
 * it. The statements of every batch are prepared once per connection: preparing the task upsert
 * cost as much as a batch of a few rows.
 */
final class BatchStatements implements AutoCloseable {

  private static final String INSERT_RUN = "INSERT INTO runs (id, root_task, command_line, user_name, host, pid, cwd,"
      + " git_commit, started_by, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  /**
   * Task rows in one execution of the multi-row upsert: a batch's rows go in groups of this many
   * (the rest one by one), since SQLite's work per execution of a statement (and the driver's
   * call for it) costs more than the few rows each carries (8-13 % less of the writer's CPU at
   * 30,000 tasks in the bench).
   */
  static final int ROWS_PER_UPSERT = 32;
  /** What every task row has, its key's second half first; the run id is bound apart. */
  private static final List<String> ROW_COLUMNS = List.of("task_no", "family", "task_name", "params", "status",
      "attempts", "started_at", "ended_at", "duration_ms", "log_file", "outputs");
  /** What only a task that failed, retried or ran remotely has: null on the common row. */
  private static final List<String> RARE_COLUMNS = List.of("error", "stack_trace", "remote_backend",
      "remote_run_id", "remote_tier", "remote_commit", "remote_queued_ms", "remote_ran_ms");
  /** Set once, when the task's row is inserted: they make its identity. */
  private static final List<String> IDENTITY_COLUMNS = List.of("task_no", "family", "task_name", "params");

  /**
   * The task upsert of one shape of row, once and {@link #ROWS_PER_UPSERT} rows at a time. The
   * common row (a task that simply ran) binds {@link #ROW_COLUMNS} only and clears the rare
   * columns on conflict, which is the same as writing them as nulls; a row with any rare value
   * binds them all. In SQLite the run id is one parameter ({@code ?1}) for the statement's rows.
   */
  private record Upsert(String one, String group, boolean rare, boolean runIdOnce, int rowValues) {

    static Upsert of(boolean rare, boolean runIdOnce) {
      List<String> columns = new ArrayList<>(ROW_COLUMNS);
      if (rare) {
        columns.addAll(RARE_COLUMNS);
      }
      return new Upsert(sql(columns, rare, 1, runIdOnce), sql(columns, rare, ROWS_PER_UPSERT, runIdOnce), rare,
          runIdOnce, columns.size() + (runIdOnce ? 0 : 1));
    }

    /**
     * The same upsert syntax in SQLite (3.24+) and PostgreSQL (9.5+), with {@code rows} rows: a
     * task's row is written whole each time. A batch holds a task once, so no statement names a
     * row twice (which PostgreSQL refuses). An unnumbered {@code ?} after {@code ?1} is SQLite's
     * next free number.
     */
    private static String sql(List<String> columns, boolean rare, int rows, boolean runIdOnce) {
      String row = "(" + (runIdOnce ? "?1" : "?") + ", ?".repeat(columns.size()) + ")";
      StringBuilder update = new StringBuilder();
      for (String column : columns) {
        if (!IDENTITY_COLUMNS.contains(column)) {
          update.append(update.length() == 0 ? "" : ", ").append(column).append(" = excluded.").append(column);
        }
      }
      if (!rare) {
        for (String column : RARE_COLUMNS) {
          update.append(", ").append(column).append(" = NULL");
        }
      }
      return "INSERT INTO tasks (run_id, " + String.join(", ", columns) + ") VALUES "
          + String.join(", ", Collections.nCopies(rows, row))
          + " ON CONFLICT (run_id, task_no) DO UPDATE SET " + update;
    }

    /** The first parameter of the {@code row}-th row of a group. */
    int at(int row) {
      return runIdOnce ? 2 + row * rowValues : 1 + row * rowValues;
    }
  }

  private static final String INSERT_EVENT =
      "INSERT INTO task_events (run_id, task_no, kind, at, attempt, message) VALUES (?, ?, ?, ?, ?, ?)";
  private static final String HEARTBEAT = "UPDATE runs SET heartbeat_at = ? WHERE id = ?";
  private static final String RESOURCES = "UPDATE runs SET resources = ? WHERE id = ?";
  private static final String END_RUN = "UPDATE runs SET ended_at = ?, exit_code = ? WHERE id = ?";

  private final Connection connection;
  private final Upsert common;
  private final Upsert rare;
  private final Map<String, PreparedStatement> prepared = new HashMap<>();
  private final List<TaskState> commonRows = new ArrayList<>();
  private final List<TaskState> rareRows = new ArrayList<>();

  /** Statements for {@code connection}, to SQLite when {@code sqlite} (else PostgreSQL). */
  BatchStatements(Connection connection, boolean sqlite) {
    this.connection = connection;
    this.common = Upsert.of(false, sqlite);
    this.rare = Upsert.of(true, sqlite);
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
    commonRows.clear();
    rareRows.clear();
    for (TaskState task : batch.changed) {
      (task.hasRareValues() ? rareRows : commonRows).add(task);
    }
    upsertTasks(runId, common, commonRows);
    upsertTasks(runId, rare, rareRows);
  }

  private void upsertTasks(String runId, Upsert upsert, List<TaskState> rows) throws SQLException {
    int size = rows.size();
    int grouped = size - size % ROWS_PER_UPSERT;
    PreparedStatement group = grouped == 0 ? null : prepared(upsert.group());
    PreparedStatement single = grouped == size ? null : prepared(upsert.one());
    for (int row = 0; row < size; row++) {
      TaskState task = rows.get(row);
      PreparedStatement statement = row < grouped ? group : single;
      int inGroup = row < grouped ? row % ROWS_PER_UPSERT : 0;
      if (upsert.runIdOnce() && inGroup == 0) {
        statement.setString(1, runId);  // the driver clears the values after each addBatch
      }
      bindTask(statement, upsert, inGroup, runId, task);
      if (row >= grouped || inGroup == ROWS_PER_UPSERT - 1) {
        statement.addBatch();
      }
    }
    if (group != null) {
      group.executeBatch();
    }
    if (single != null) {
      single.executeBatch();
    }
  }

  private static void bindTask(PreparedStatement upsert, Upsert shape, int row, String runId, TaskState task)
      throws SQLException {
    int at = shape.at(row);
    if (!shape.runIdOnce()) {
      upsert.setString(at++, runId);
    }
    upsert.setInt(at, task.number);
    upsert.setString(at + 1, task.family);
    upsert.setString(at + 2, task.name);
    upsert.setString(at + 3, task.params);
    upsert.setString(at + 4, task.status);
    upsert.setInt(at + 5, task.attempts);
    setLong(upsert, at + 6, task.startedAt);
    setLong(upsert, at + 7, task.endedAt);
    setLong(upsert, at + 8, task.durationMs());
    upsert.setString(at + 9, task.logFile);
    upsert.setString(at + 10, task.outputs);
    if (shape.rare()) {
      upsert.setString(at + 11, task.error);
      upsert.setString(at + 12, task.stackTrace);
      upsert.setString(at + 13, task.remoteBackend);
      upsert.setString(at + 14, task.remoteRunId);
      upsert.setString(at + 15, task.remoteTier);
      upsert.setString(at + 16, task.remoteCommit);
      setLong(upsert, at + 17, task.remoteQueuedMs);
      setLong(upsert, at + 18, task.remoteRanMs);
    }
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
