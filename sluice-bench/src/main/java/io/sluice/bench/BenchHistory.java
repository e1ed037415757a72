package io.sluice.bench;

import io.sluice.history.HistoryConfig;
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
import java.util.function.BiConsumer;

/** The history a measured run records into with {@code --history}: SQLite under the scratch directory, as by default. */
final class BenchHistory {

  private BenchHistory() {}

  static HistoryConfig config(Path work) {
    return HistoryConfig.sqlite(work.resolve("state"));
  }

  /**
   * Makes the history an existing one, unless it is already: records one earlier run of the
   * measurement's graph in it, from outputs and a state directory of its own (removed after), so
   * that the measured run finds the schema current and a previous run's rows, as every run of a
   * project but its first does. Called before the clock starts, by the parent JVM when each
   * measurement runs in a fresh one, so that the measured JVM has loaded nothing for it.
   */
  static void prepareExisting(Path work, BiConsumer<Path, HistoryRecorder> earlierRun) {
    if (Files.exists(file(work))) {
      return;
    }
    Path earlier = work.resolve("history-earlier-run");
    try (HistoryRecorder history = recorder(work, new Random())) {
      earlierRun.accept(earlier, history);
    } finally {
      EngineBench.deleteTree(earlier);
    }
  }

  /** Removes the history, so that the measured run creates it (a project's first run). */
  static void removeForNew(Path work) {
    try {
      for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
        Files.deleteIfExists(work.resolve("state").resolve(HistoryConfig.SQLITE_FILE + suffix));
      }
    } catch (java.io.IOException e) {
      throw new EngineBench.BenchFailure("cannot remove the history before a run that creates it: " + e, e);
    }
  }

  /** The history file's size now, its write-ahead log included (0 when there is none); reads no database. */
  static long size(Path work) {
    long size = 0;
    for (Path path : new Path[] {file(work), file(work).resolveSibling(HistoryConfig.SQLITE_FILE + "-wal")}) {
      try {
        size += Files.size(path);
      } catch (java.io.IOException e) {
        // absent: nothing yet
      }
    }
    return size;
  }

  private static Path file(Path work) {
    return work.resolve("state").resolve(HistoryConfig.SQLITE_FILE);
  }

  static HistoryRecorder recorder(Path work, int measurement) {
    return recorder(work, new Random(measurement));
  }

  private static HistoryRecorder recorder(Path work, Random random) {
    Instant start = Instant.now();
    RunInfo run = new RunInfo(RunIds.next(start, random), "bench", "sluice-bench --history",
        System.getProperty("user.name", "?"), "bench", ProcessHandle.current().pid(), work.toString(), null,
        StartedBy.TERMINAL, start);
    return HistoryRecorder.builder(config(work), run).logDir(work.resolve("state/logs")).start();
  }

  /**
   * What the last run added to the history file (its write-ahead log folded in first) over its
   * tasks: {@code before} is the {@link #size} before the run.
   */
  static long bytesPerTask(Path work, long before, int tasks) {
    HistoryConfig config = config(work);
    try (Connection connection = DriverManager.getConnection(config.url()); Statement sql = connection.createStatement()) {
      sql.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (SQLException e) {
      throw new EngineBench.BenchFailure("cannot read the history " + config.where() + ": " + e.getMessage(), e);
    }
    try {
      return (Files.size(file(work)) - before) / Math.max(1, tasks);
    } catch (java.io.IOException e) {
      throw new EngineBench.BenchFailure("cannot size the history: " + e, e);
    }
  }
}
