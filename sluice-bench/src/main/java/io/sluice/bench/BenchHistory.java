package io.sluice.bench;

import io.sluice.history.HistoryConfig;
import io.sluice.history.HistoryDatabase;
import io.sluice.history.HistoryRecorder;
import io.sluice.history.RunIds;
import io.sluice.history.RunInfo;
import io.sluice.history.StartedBy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Random;

/** The history a measured run records into with {@code --history}: SQLite under the scratch directory, as by default. */
final class BenchHistory {

  private BenchHistory() {}

  static HistoryConfig config(Path work) {
    return HistoryConfig.sqlite(work.resolve("state"));
  }

  /**
   * Creates the history's schema before the clock starts, as a project's every run but its first
   * finds it: the first run pays Flyway's start once more (see docs/benchmarks.md).
   */
  static void prepare(Path work) {
    try (HistoryDatabase history = HistoryDatabase.open(config(work))) {
      history.runs(1);
    } catch (SQLException e) {
      throw new EngineBench.BenchFailure("cannot create the history: " + e.getMessage(), e);
    }
  }

  static HistoryRecorder recorder(Path work, int measurement) {
    Instant start = Instant.now();
    RunInfo run = new RunInfo(RunIds.next(start, new Random(measurement)), "bench", "sluice-bench --history",
        System.getProperty("user.name", "?"), "bench", ProcessHandle.current().pid(), work.toString(), null,
        StartedBy.TERMINAL, start);
    return HistoryRecorder.builder(config(work), run).logDir(work.resolve("state/logs")).start();
  }

  /**
   * The history file's size over the tasks of the last run, its write-ahead log folded in first;
   * with several runs in one file, the file's growth is what the last run added only in a fresh scratch directory.
   */
  static long bytesPerTask(Path work, int tasks) {
    HistoryConfig config = config(work);
    try (Connection connection = DriverManager.getConnection(config.url()); Statement sql = connection.createStatement()) {
      sql.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (SQLException e) {
      throw new EngineBench.BenchFailure("cannot read the history " + config.where() + ": " + e.getMessage(), e);
    }
    try {
      return Files.size(work.resolve("state").resolve(HistoryConfig.SQLITE_FILE)) / Math.max(1, tasks);
    } catch (java.io.IOException e) {
      throw new EngineBench.BenchFailure("cannot size the history: " + e, e);
    }
  }
}
