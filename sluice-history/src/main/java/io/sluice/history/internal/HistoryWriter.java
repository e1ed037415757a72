package io.sluice.history.internal;

import io.sluice.Sleeper;
import io.sluice.TaskId;
import io.sluice.history.HistoryConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The history's one writer: takes entries off a bounded queue in batches and writes each batch in
 * one transaction. It connects (and migrates the schema) itself, so a run never waits for the
 * database; when a write fails it keeps the batch, waits (doubling up to a ceiling) and tries
 * again, while the queue buffers. Once told to stop it writes what is left, giving up at a
 * deadline: what could not be written is counted, never thrown.
 */
public final class HistoryWriter implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(HistoryWriter.class);
  private static final Duration POLL = Duration.ofMillis(200);
  /**
   * How long a PostgreSQL writer lets a batch fill after its first entry: a shared server pays per
   * statement and per transaction, and a task's start and end that fall in one batch are one row.
   */
  private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /**
   * How the writer behaves.
   *
   * @param maxBatch most entries in one transaction
   * @param firstBackoff the wait after a first failure, doubled after each next one
   * @param maxBackoff the longest wait between two tries
   * @param clock for the stop deadline and the heartbeat
   * @param sleeper for the waits between tries
   * @param heartbeat how often the run's row is stamped while it goes on
   */
  public record Tuning(int maxBatch, Duration firstBackoff, Duration maxBackoff, Clock clock, Sleeper sleeper,
      Duration heartbeat) {}

  private final HistoryConfig config;
  private final String runId;
  private final BlockingQueue<Entry> queue;
  private final Tuning tuning;
  private final Map<TaskId, TaskState> tasks = Batch.newTable();
  private final Path logDir;
  private volatile Instant stopBy;
  private volatile boolean migrated;
  private volatile Exception lastError;
  private volatile long written;
  private volatile long abandoned;
  private Connection connection;
  private final List<Entry> drained = new ArrayList<>();
  private long lastHeartbeat;

  public HistoryWriter(HistoryConfig config, String runId, Path logDir, BlockingQueue<Entry> queue, Tuning tuning) {
    this.config = config;
    this.runId = runId;
    this.logDir = logDir;
    this.queue = queue;
    this.tuning = tuning;
  }

  /** Asks the writer to write what is left and stop, trying no longer than until {@code deadline}. */
  public void stop(Instant deadline) {
    stopBy = deadline;
  }

  /** Entries written so far. */
  public long written() {
    return written;
  }

  /** Entries given up at the deadline, the queue's leftovers included. */
  public long abandoned() {
    return abandoned;
  }

  /** The last error met, or null. */
  public Exception lastError() {
    return lastError;
  }

  @Override
  public void run() {
    Batch batch = new Batch(tasks, logDir);
    int failures = 0;
    lastHeartbeat = tuning.clock().millis();  // the run's row is inserted with its start as heartbeat
    try {
      while (true) {
        if (batch.isEmpty() && !take(batch)) {
          if (stopBy != null && queue.isEmpty()) {
            return;
          }
          if (!heartbeatDue() || written == 0) {
            continue;  // no run row to stamp before the first write
          }
        }
        if (heartbeatDue()) {
          batch.heartbeat = tuning.clock().millis();
        }
        try {
          write(batch);
          if (batch.heartbeat != null) {
            lastHeartbeat = batch.heartbeat;
          }
          written += batch.entries;
          batch = new Batch(tasks, logDir);
          failures = 0;
        } catch (SQLException | RuntimeException e) {
          failures++;
          if (lastError == null) {
            LOG.debug("History write to {} failed; keeping the events and trying again", config.where(), e);
          }
          lastError = e;
          disconnect();
          Instant deadline = stopBy;
          Duration wait = backoff(failures);
          if (deadline != null) {
            Duration left = Duration.between(tuning.clock().instant(), deadline);
            if (left.isNegative() || left.isZero()) {
              abandoned += batch.entries + queue.size();
              queue.clear();
              return;
            }
            wait = wait.compareTo(left) < 0 ? wait : left;
          }
          tuning.sleeper().sleep(wait);
        }
      }
    } catch (InterruptedException e) {
      abandoned += batch.entries + queue.size();
      queue.clear();
      Thread.currentThread().interrupt();
    } finally {
      disconnect();
    }
  }

  private boolean take(Batch batch) throws InterruptedException {
    Entry first = queue.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
    if (first == null) {
      return false;
    }
    batch.add(first);
    long lingerEnd = System.nanoTime() + (config.sqlite() ? 0 : LINGER_NANOS);
    while (true) {
      // One lock of the queue for the whole batch, not one per entry: the workers offer to it meanwhile.
      drained.clear();
      queue.drainTo(drained, tuning.maxBatch() - batch.entries);
      for (Entry next : drained) {
        batch.add(next);
      }
      long left = lingerEnd - System.nanoTime();
      if (left <= 0 || stopBy != null || batch.entries >= tuning.maxBatch()) {
        return true;
      }
      Entry next = queue.poll(left, TimeUnit.NANOSECONDS);
      if (next == null) {
        return true;
      }
      batch.add(next);
    }
  }

  private void write(Batch batch) throws SQLException {
    if (connection == null) {
      if (!migrated) {
        Migrations.migrate(config);
        migrated = true;
      }
      connection = Connections.open(config);
    }
    BatchStatements.write(connection, runId, batch);
  }

  private boolean heartbeatDue() {
    return tuning.clock().millis() - lastHeartbeat >= tuning.heartbeat().toMillis();
  }

  private Duration backoff(int failures) {
    Duration wait = tuning.firstBackoff().multipliedBy(1L << Math.min(failures - 1, 20));
    return wait.compareTo(tuning.maxBackoff()) < 0 ? wait : tuning.maxBackoff();
  }

  private void disconnect() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // Broken already: a new one is opened for the next try.
      }
      connection = null;
    }
  }
}
