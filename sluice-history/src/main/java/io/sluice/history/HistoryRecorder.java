package io.sluice.history;

import io.sluice.RunResult;
import io.sluice.Sleeper;
import io.sluice.TaskEvent;
import io.sluice.TaskGraph;
import io.sluice.TaskListener;
import io.sluice.history.internal.Entry;
import io.sluice.history.internal.HistoryWriter;
import io.sluice.history.internal.ResourceUse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * Records one run in the history: a {@link TaskListener} for the engine plus the run's start and
 * end, which the command line gives. Listening costs a queue offer; one writer thread does the
 * database work in batches. A database that is down or full never fails the run: events wait in
 * a bounded queue while the writer retries, and whatever cannot be written is counted and told in
 * one warning when the recorder is closed.
 *
 * <pre>{@code
 * try (HistoryRecorder history = HistoryRecorder.builder(config, run).logDir(stateDir.resolve("logs")).start()) {
 *   RunResult result = Sluice.builder().listener(history).build().run(task);
 *   history.exitCode(result.exitCode().code());
 * }
 * }</pre>
 */
public final class HistoryRecorder implements TaskListener, AutoCloseable {

  private final RunInfo run;
  private final HistoryConfig config;
  private final BlockingQueue<Entry> queue;
  private final HistoryWriter writer;
  private final Thread thread;
  private final Builder settings;
  private final AtomicLong overflowed = new AtomicLong();
  /** Added to by every worker at each of its events: a counter per contending thread, not one shared word. */
  private final LongAdder offered = new LongAdder();
  private final ResourceUse resources;
  private volatile Integer exitCode;
  private boolean closed;

  private HistoryRecorder(Builder builder) {
    this.run = builder.run;
    this.config = builder.config;
    this.settings = builder;
    this.queue = new ArrayBlockingQueue<>(builder.capacity);
    this.writer = new HistoryWriter(config, run.id(), builder.logDir, queue, new HistoryWriter.Tuning(
        builder.maxBatch, builder.firstBackoff, builder.maxBackoff, builder.clock, builder.sleeper, builder.heartbeat));
    offer(new Entry.RunStarted(run));
    this.resources = new ResourceUse(builder.resourceLimits);
    String atStart = resources.atStart();
    if (atStart != null) {
      offer(new Entry.ResourcesHeld(atStart));
    }
    this.thread = new Thread(writer, "sluice-history");
    thread.setDaemon(true);
    thread.start();
  }

  /** A recorder of {@code run} into the history {@code config} names. */
  public static Builder builder(HistoryConfig config, RunInfo run) {
    return new Builder(config, run);
  }

  /** The run being recorded. */
  public RunInfo run() {
    return run;
  }

  @Override
  public void graphBuilt(TaskGraph graph) {
    // Counted here, on the engine's thread before any task runs: the graph must not be kept.
    offer(new Entry.GraphBuilt(RunGraph.of(graph)));
  }

  @Override
  public void onEvent(TaskEvent event) {
    offer(new Entry.Event(event));
    String held = resources.after(event);
    if (held != null) {
      offer(new Entry.ResourcesHeld(held));
    }
  }

  @Override
  public void runFinished(RunResult result) {
    offer(new Entry.FinalStatuses(result.statuses()));
    if (exitCode == null) {
      exitCode = result.exitCode().code();
    }
  }

  /** The run's exit code, when it is not the engine's (an interrupted or refused run). */
  public void exitCode(int code) {
    exitCode = code;
  }

  /**
   * Records the run's end, lets the writer finish (at most the flush timeout when the database
   * does not answer) and says, once, how many events could not be recorded.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    offer(new Entry.RunEnded(settings.clock.instant(), exitCode));
    writer.stop(settings.clock.instant().plus(settings.flushTimeout));
    try {
      // The writer keeps to the deadline itself; this bound is for a writer stuck in a driver call.
      thread.join(settings.flushTimeout.plusSeconds(30).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long dropped = overflowed.get();
    long abandoned = writer.abandoned() + (thread.isAlive() ? queue.size() : 0);
    if (dropped + abandoned > 0) {
      Exception error = writer.lastError();
      settings.warnings.accept("History: " + (dropped + abandoned) + " of " + offered.sum() + " events of run "
          + run.id() + " could not be recorded in " + config.where()
          + (dropped == 0 ? "" : " (" + dropped + " dropped: the queue of " + settings.capacity + " events was full)")
          + (abandoned == 0 ? "" : " (" + abandoned + " not written"
              + (writer.gaveUpWithoutWaiting() ? "" : " in " + settings.flushTimeout.toSeconds() + " s after the run")
              + (error == null ? "" : ": " + error.getMessage()) + ")")
          + ". The run itself is not affected; `sluice show " + run.id() + "` may miss tasks or its end."
          + (writer.gaveUpWithoutWaiting() ? " The file is not a database SQLite can read: move it aside, and the"
              + " next run starts a new history." : ""));
    }
  }

  /** Events and run records written so far (for tests and benchmarks). */
  public long written() {
    return writer.written();
  }

  /** Entries offered so far, dropped ones included (for tests). */
  long offered() {
    return offered.sum();
  }

  private void offer(Entry entry) {
    offered.increment();
    if (!queue.offer(entry)) {
      overflowed.incrementAndGet();
    }
  }

  /** Configures a {@link HistoryRecorder}; every setting has a default. */
  public static final class Builder {
    private final HistoryConfig config;
    private final RunInfo run;
    private Path logDir = Path.of(".sluice", "logs");
    private int capacity = 100_000;
    private int maxBatch = 2_000;
    private Duration firstBackoff = Duration.ofMillis(200);
    private Duration maxBackoff = Duration.ofSeconds(5);
    private Duration flushTimeout = Duration.ofSeconds(10);
    private Duration heartbeat = RunLiveness.HEARTBEAT;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.system();
    private Consumer<String> warnings = LoggerFactory.getLogger("sluice")::warn;
    private Map<String, Integer> resourceLimits = Map.of();

    private Builder(HistoryConfig config, RunInfo run) {
      this.config = Objects.requireNonNull(config, "config");
      this.run = Objects.requireNonNull(run, "run");
    }

    /** Where the run's task logs are, to record each task's log file. */
    public Builder logDir(Path logDir) {
      this.logDir = Objects.requireNonNull(logDir, "logDir");
      return this;
    }

    /** How many events wait for the database at most before further ones are dropped. */
    public Builder capacity(int capacity) {
      if (capacity < 2) {
        throw new IllegalArgumentException("capacity is " + capacity + "; it must be 2 or more");
      }
      this.capacity = capacity;
      return this;
    }

    /** Most events written in one transaction. */
    public Builder maxBatch(int maxBatch) {
      if (maxBatch < 1) {
        throw new IllegalArgumentException("maxBatch is " + maxBatch + "; it must be 1 or more");
      }
      this.maxBatch = maxBatch;
      return this;
    }

    /** The first wait after a failed write (doubled each time) and the longest. */
    public Builder backoff(Duration first, Duration max) {
      if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
        throw new IllegalArgumentException("backoff " + first + " to " + max + ": the first wait must be positive"
            + " and no longer than the last");
      }
      this.firstBackoff = first;
      this.maxBackoff = max;
      return this;
    }

    /** How long closing waits for a database that does not answer before giving up on what is left. */
    public Builder flushTimeout(Duration flushTimeout) {
      if (flushTimeout.isNegative()) {
        throw new IllegalArgumentException("flushTimeout is " + flushTimeout + "; it must be zero or more");
      }
      this.flushTimeout = flushTimeout;
      return this;
    }

    /**
     * How often the run's row is stamped while it goes on; readers take a run not stamped for
     * {@link RunLiveness#LOST_AFTER} as lost, so keep it well below that.
     */
    public Builder heartbeat(Duration heartbeat) {
      if (heartbeat.isNegative() || heartbeat.isZero() || heartbeat.compareTo(RunLiveness.LOST_AFTER) >= 0) {
        throw new IllegalArgumentException("heartbeat is " + heartbeat + "; it must be positive and shorter than "
            + RunLiveness.LOST_AFTER + ", after which readers take the run for lost");
      }
      this.heartbeat = heartbeat;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** What waits between tries. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * The run's {@code [resources]} totals, recorded with what its running tasks hold against
     * them (the server's Now page shows both); none by default.
     */
    public Builder resourceLimits(Map<String, Integer> resourceLimits) {
      this.resourceLimits = Map.copyOf(Objects.requireNonNull(resourceLimits, "resourceLimits"));
      return this;
    }

    /** Where the one warning about lost events goes; the {@code sluice} logger by default. */
    public Builder warnings(Consumer<String> warnings) {
      this.warnings = Objects.requireNonNull(warnings, "warnings");
      return this;
    }

    /** Starts the writer thread and records the run's start. */
    public HistoryRecorder start() {
      return new HistoryRecorder(this);
    }
  }
}
