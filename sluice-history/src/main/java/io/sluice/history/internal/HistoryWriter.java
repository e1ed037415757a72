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
import java.util.concurrent.CountDownLatch;
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
   * How long a batch that is not full waits for more entries while the run goes on: a
   * transaction rewrites every page it touches (the task table's, its indexes') in the
   * write-ahead log, so ten rows each in their own cost nearly ten times one of ten rows.
   */
  private static final Duration GATHER = Duration.ofMillis(100);

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
  private final CountDownLatch stopping = new CountDownLatch(1);
  private volatile boolean migrated;
  private volatile Exception lastError;
  // Whether the writer stopped at the run's end without waiting: the history is no database.
  private volatile boolean hopeless;
  private volatile long written;
  private volatile long abandoned;
  private Connection connection;
  private BatchStatements statements;
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
    stopping.countDown();  // ends a gathering wait: the run's end is written at once
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

  /** Whether the writer gave up at the run's end without waiting, the history's file being no database. */
  public boolean gaveUpWithoutWaiting() {
    return hopeless;
  }

  @Override
  public void run() {
    Batch batch = new Batch(tasks, logDir);
    int failures = 0;
    lastHeartbeat = tuning.clock().millis();  // the run's row is inserted with its start as heartbeat
    try {
      // At once, not at the first batch: opening the history (the driver's start, its native
      // library, the schema check) then overlaps the building of the graph instead of coming
      // after it, and a short run's end does not wait for it. A history that cannot be opened
      // now is tried again, with the usual waits, when there is something to write.
      try {
        connect();
      } catch (SQLException | RuntimeException e) {
        LOG.debug("History {} cannot be opened yet; trying again when there is something to write", config.where(), e);
        lastError = e;
        disconnect();
      }
      while (true) {
        if (batch.isEmpty() && stopBy != null && queue.isEmpty()) {
          return;  // all written: not another poll's wait, which the run's end would wait out
        }
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
            // The run is over: a file that is no database will not become one by waiting.
            hopeless = Connections.notADatabase(config, e);
            if (left.isNegative() || left.isZero() || hopeless) {
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
    drain(batch);
    if (batch.entries < tuning.maxBatch()) {
      // A real-time wait, like the poll above: it only groups entries, and stop() cuts it short.
      stopping.await(GATHER.toMillis(), TimeUnit.MILLISECONDS);
      drain(batch);
    }
    return true;
  }

  private void drain(Batch batch) {
    // One lock of the queue for the whole batch, not one per entry: the workers offer to it meanwhile.
    drained.clear();
    queue.drainTo(drained, tuning.maxBatch() - batch.entries);
    for (Entry next : drained) {
      batch.add(next);
    }
  }

  private void write(Batch batch) throws SQLException {
    connect();
    statements.write(runId, batch);
    if (config.sqlite() && stopBy == null) {
      try {
        statements.checkpoint();
      } catch (SQLException e) {
        // The batch is committed: a failed checkpoint must not have it written again. The next
        // one, or closing the connection, copies what this one did not.
        LOG.debug("History: a WAL checkpoint of {} failed", config.where(), e);
      }
    }
  }

  private void connect() throws SQLException {
    if (connection == null) {
      connection = Connections.open(config);
      if (!migrated) {
        // On the connection the writer keeps: a current schema costs one query, not a second open.
        Migrations.migrate(config, connection);
        migrated = true;
      }
      statements = new BatchStatements(connection, config.sqlite());
    }
  }

  private boolean heartbeatDue() {
    return tuning.clock().millis() - lastHeartbeat >= tuning.heartbeat().toMillis();
  }

  private Duration backoff(int failures) {
    Duration wait = tuning.firstBackoff().multipliedBy(1L << Math.min(failures - 1, 20));
    return wait.compareTo(tuning.maxBackoff()) < 0 ? wait : tuning.maxBackoff();
  }

  private void disconnect() {
    if (statements != null) {
      statements.close();
      statements = null;
    }
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
