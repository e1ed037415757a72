package io.sluice.history;

import io.sluice.history.internal.Connections;
import io.sluice.history.internal.Migrations;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the history: the last runs, one run's tasks, one task's past runs; and removes old runs.
 * Opening it brings its schema to the latest version.
 */
public final class HistoryDatabase implements AutoCloseable {

  private static final String RUN_COLUMNS = "id, root_task, command_line, user_name, host, pid, cwd, git_commit,"
      + " started_by, started_at, ended_at, exit_code";
  private static final String TASK_COLUMNS = "run_id, family, task_name, params, status, attempts, started_at,"
      + " ended_at, duration_ms, error, stack_trace, log_file, outputs, remote_backend, remote_run_id, remote_tier,"
      + " remote_commit, remote_queued_ms, remote_ran_ms";

  private final HistoryConfig config;
  private final Connection connection;

  private HistoryDatabase(HistoryConfig config, Connection connection) {
    this.config = config;
    this.connection = connection;
  }

  /**
   * Opens the history, creating or upgrading its schema.
   *
   * @throws SQLException when the database cannot be reached or migrated; the message says where
   */
  public static HistoryDatabase open(HistoryConfig config) throws SQLException {
    Migrations.migrate(config);
    return new HistoryDatabase(config, Connections.open(config));
  }

  /** Where it is, for messages (no password). */
  public String where() {
    return config.where();
  }

  /** The last {@code limit} runs, newest first. */
  public List<RunRecord> runs(int limit) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT " + RUN_COLUMNS + " FROM runs ORDER BY started_at DESC, id DESC LIMIT ?")) {
      query.setInt(1, limit);
      return runs(query);
    }
  }

  /**
   * The run of this id; a unique beginning of an id will do, and {@code last} is the latest run.
   *
   * @throws IllegalArgumentException when the beginning fits several runs (their ids are listed)
   */
  public Optional<RunRecord> run(String id) throws SQLException {
    if (id.equals("last")) {
      return runs(1).stream().findFirst();
    }
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT " + RUN_COLUMNS + " FROM runs WHERE id LIKE ? ESCAPE '!' ORDER BY id LIMIT 6")) {
      query.setString(1, id.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
      List<RunRecord> found = runs(query);
      for (RunRecord run : found) {
        if (run.info().id().equals(id)) {
          return Optional.of(run);
        }
      }
      if (found.size() > 1) {
        throw new IllegalArgumentException("Run id '" + id + "' is the beginning of several runs' ids ("
            + String.join(", ", found.stream().limit(5).map(r -> r.info().id()).toList())
            + (found.size() > 5 ? ", ..." : "") + "); give more of it");
      }
      return found.stream().findFirst();
    }
  }

  /** The tasks of a run, in the order the run met them. */
  public List<TaskRecord> tasks(String runId) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT " + TASK_COLUMNS + " FROM tasks WHERE run_id = ? ORDER BY task_no")) {
      query.setString(1, runId);
      return tasks(query);
    }
  }

  /**
   * The last {@code limit} times a task ran, newest first: every task of a family ({@code TrainForest}),
   * or one task with its parameters ({@code FitModel(alpha=0.5)}, as {@code sluice show} writes it).
   */
  public List<TaskRecord> taskHistory(String task, int limit) throws SQLException {
    int paren = task.indexOf('(');
    String family = paren < 0 ? task : task.substring(0, paren);
    try (PreparedStatement query = connection.prepareStatement("SELECT " + TASK_COLUMNS + " FROM tasks"
        + " WHERE family = ? AND started_at IS NOT NULL" + (paren < 0 ? "" : " AND task_name = ?")
        + " ORDER BY started_at DESC LIMIT ?")) {
      query.setString(1, family);
      if (paren < 0) {
        query.setInt(2, limit);
      } else {
        query.setString(2, task);
        query.setInt(3, limit);
      }
      return tasks(query);
    }
  }

  /** How many runs started before {@code cutoff}. */
  public int countRunsBefore(Instant cutoff) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement("SELECT COUNT(*) FROM runs WHERE started_at < ?")) {
      query.setLong(1, cutoff.toEpochMilli());
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }

  /**
   * Removes the runs started before {@code cutoff}, with their tasks and events.
   *
   * @return how many runs were removed
   */
  public int deleteRunsBefore(Instant cutoff) throws SQLException {
    long millis = cutoff.toEpochMilli();
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      String old = " WHERE run_id IN (SELECT id FROM runs WHERE started_at < ?)";
      for (String delete : List.of("DELETE FROM task_events" + old, "DELETE FROM tasks" + old)) {
        try (PreparedStatement statement = connection.prepareStatement(delete)) {
          statement.setLong(1, millis);
          statement.executeUpdate();
        }
      }
      int removed;
      try (PreparedStatement statement = connection.prepareStatement("DELETE FROM runs WHERE started_at < ?")) {
        statement.setLong(1, millis);
        removed = statement.executeUpdate();
      }
      connection.commit();
      return removed;
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }

  private static List<RunRecord> runs(PreparedStatement query) throws SQLException {
    List<RunRecord> runs = new ArrayList<>();
    try (ResultSet rows = query.executeQuery()) {
      while (rows.next()) {
        RunInfo info = new RunInfo(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
            rows.getString(5), rows.getLong(6), rows.getString(7), rows.getString(8),
            StartedBy.parse(rows.getString(9)), Instant.ofEpochMilli(rows.getLong(10)));
        Long ended = longOrNull(rows, 11);
        int exit = rows.getInt(12);
        runs.add(new RunRecord(info, ended == null ? null : Instant.ofEpochMilli(ended), rows.wasNull() ? null : exit));
      }
    }
    return runs;
  }

  private static List<TaskRecord> tasks(PreparedStatement query) throws SQLException {
    List<TaskRecord> tasks = new ArrayList<>();
    try (ResultSet rows = query.executeQuery()) {
      while (rows.next()) {
        String backend = rows.getString(14);
        TaskRecord.Remote remote = backend == null ? null : new TaskRecord.Remote(backend, rows.getString(15),
            rows.getString(16), rows.getString(17), millis(longOrNull(rows, 18)), millis(longOrNull(rows, 19)));
        tasks.add(new TaskRecord(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
            rows.getString(5), rows.getInt(6), instant(longOrNull(rows, 7)), instant(longOrNull(rows, 8)),
            millis(longOrNull(rows, 9)), rows.getString(10), rows.getString(11), rows.getString(12),
            rows.getString(13), remote));
      }
    }
    return tasks;
  }

  private static Long longOrNull(ResultSet rows, int column) throws SQLException {
    long value = rows.getLong(column);
    return rows.wasNull() ? null : value;
  }

  private static Instant instant(Long millis) {
    return millis == null ? null : Instant.ofEpochMilli(millis);
  }

  private static Duration millis(Long millis) {
    return millis == null ? null : Duration.ofMillis(millis);
  }
}
