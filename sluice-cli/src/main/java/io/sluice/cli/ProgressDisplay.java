package io.sluice.cli;

import io.sluice.TaskEvent;
import io.sluice.TaskGraph;
import io.sluice.TaskId;
import io.sluice.TaskListener;
import io.sluice.history.PastDurations;
import io.sluice.internal.Printable;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows a run as it goes: on a terminal, one live line redrawn ten times a second (done,
 * running, pending, failed, the tasks running now); elsewhere, a log line per event.
 */
abstract class ProgressDisplay implements TaskListener, AutoCloseable {

  /**
   * The live line on a terminal, log lines elsewhere.
   *
   * @param workers the run's workers, for the ETA
   * @param past reads the past durations of tasks of the given families, for the ETA; null for none
   */
  static ProgressDisplay create(PrintStream out, boolean liveAllowed, int workers,
      Function<Set<String>, PastDurations> past) {
    boolean terminal = System.console() != null && !"dumb".equals(System.getenv("TERM"));
    if (!liveAllowed || !terminal) {
      return new Lines();
    }
    Live live = new Live(out, Clock.systemUTC(), workers, past, null);
    live.startRedrawing();
    return live;
  }

  /** Says that the run is stopping on a signal. */
  abstract void interrupted();

  @Override
  public abstract void close();

  static String seconds(Duration duration) {
    return String.format("%.1f s", duration.toMillis() / 1000.0);
  }

  /** A log line per event. */
  static final class Lines extends ProgressDisplay {
    private static final Logger LOG = LoggerFactory.getLogger("sluice");

    /**
     * A task's message for the log: what a terminal would obey escaped, and each line after the
     * first indented, so that no line of a message reads as a line of the log.
     */
    private static String shown(String message) {
      return Printable.lines(message.strip()).replace("\n", "\n    ");
    }

    @Override
    public void graphBuilt(int total, int toRun) {
      LOG.info("{} tasks in the graph, {} to run", total, toRun);
    }

    @Override
    public void onEvent(TaskEvent event) {
      switch (event.kind()) {
        case STARTED -> LOG.info("Running {}{}", event.id(), event.attempt() > 1 ? " (attempt " + event.attempt() + ")" : "");
        case SUCCEEDED -> LOG.info("Done {} in {}", event.id(), seconds(event.elapsed()));
        case FAILED -> LOG.error("FAILED {}: {}", event.id(), shown(event.message()));
        case RETRYING -> LOG.warn("Retrying {}: {}", event.id(), shown(event.message()));
        case MISSING -> LOG.error("MISSING {}: {}", event.id(), shown(event.message()));
        case SKIPPED -> LOG.warn("Not running {}: {}", event.id(), shown(event.message()));
        case COMPLETE -> LOG.info("Complete {}{}", event.id(), event.message().isEmpty() ? "" : " (" + shown(event.message()) + ")");
        case NOTE -> LOG.info("{}: {}", event.id(), shown(event.message()));
        default -> { }
      }
    }

    @Override
    void interrupted() {
      LOG.warn("Interrupted: starting nothing new, stopping running tasks");
    }

    @Override
    public void close() {}
  }

  /**
   * One line, redrawn, with an ETA when past durations of every task to run are known (read off
   * the engine's threads). Failures are printed above it as they happen.
   */
  static final class Live extends ProgressDisplay {
    private static final Logger LOG = LoggerFactory.getLogger(Live.class);

    private final PrintStream out;
    private final Clock clock;
    private final int workers;
    private final Function<Set<String>, PastDurations> past;
    private final Executor loader;
    private final ScheduledExecutorService redraw = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "sluice-progress");
      thread.setDaemon(true);
      return thread;
    });
    private final Set<TaskId> running = new LinkedHashSet<>();
    private RemainingTime remaining;
    private int total;
    private int done;
    private int failed;
    private int skipped;
    private String lastLine = "";

    /**
     * @param past reads past durations per family (null: no ETA)
     * @param loader where they are read; null for the redraw thread
     */
    Live(PrintStream out, Clock clock, int workers, Function<Set<String>, PastDurations> past, Executor loader) {
      this.out = out;
      this.clock = clock;
      this.workers = workers;
      this.past = past;
      this.loader = loader != null ? loader : redraw;
    }

    void startRedrawing() {
      redraw.scheduleAtFixedRate(this::draw, 100, 100, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void graphBuilt(int total, int toRun) {
      this.total = toRun;
    }

    @Override
    public void graphBuilt(TaskGraph graph) {
      if (past == null) {
        return;
      }
      RemainingTime plan = RemainingTime.plan(graph, workers);
      synchronized (this) {
        remaining = plan;
      }
      loader.execute(() -> expect(plan));
    }

    /** Reads the past (a database query: never on the engine's threads) and expects it of the plan. */
    private void expect(RemainingTime plan) {
      PastDurations durations;
      try {
        durations = past.apply(plan.families());
      } catch (RuntimeException e) {
        LOG.debug("No ETA: the past durations cannot be read", e);
        return;
      }
      synchronized (this) {
        plan.expect(durations);
      }
    }

    @Override
    public synchronized void onEvent(TaskEvent event) {
      if (remaining != null) {
        switch (event.kind()) {
          case STARTED -> remaining.started(event.id(), event.at());
          case SUCCEEDED, COMPLETE, FAILED, MISSING, SKIPPED -> remaining.ended(event.id());
          default -> { }
        }
      }
      switch (event.kind()) {
        case STARTED -> running.add(event.id());
        case SUCCEEDED -> {
          running.remove(event.id());
          done++;
        }
        case COMPLETE -> {
          if (running.remove(event.id())) {
            done++;
          }
        }
        case FAILED, MISSING -> {
          running.remove(event.id());
          failed++;
          above((event.kind() == TaskEvent.Kind.FAILED ? "FAILED " : "MISSING ") + event.id() + ": "
              + Printable.line(event.message().lines().findFirst().orElse("")));
        }
        case RETRYING -> above("retrying " + event.id() + ": " + Printable.line(event.message().lines().findFirst().orElse("")));
        case NOTE -> above(event.id() + ": " + Printable.line(event.message()));
        case SKIPPED -> {
          running.remove(event.id());
          skipped++;
        }
        default -> { }
      }
    }

    private void above(String line) {
      out.print("\r\033[2K" + line + "\n" + lastLine);
      out.flush();
    }

    private synchronized void draw() {
      String text = line();
      if (!text.equals(lastLine)) {
        lastLine = text;
        out.print("\r\033[2K" + text);
        out.flush();
      }
    }

    /** The line as it stands now. */
    synchronized String line() {
      int pending = Math.max(0, total - done - failed - skipped - running.size());
      StringBuilder line = new StringBuilder()
          .append(done).append(" done, ").append(running.size()).append(" running, ")
          .append(pending).append(" pending, ").append(failed).append(" failed");
      if (skipped > 0) {
        line.append(", ").append(skipped).append(" not run");
      }
      if (remaining != null) {
        remaining.left(clock.instant()).ifPresent(left -> line.append(", ETA ").append(HistoryText.duration(left)));
      }
      if (!running.isEmpty()) {
        line.append(" | ");
        int shown = 0;
        for (TaskId id : running) {
          if (shown++ == 3) {
            line.append(", ...");
            break;
          }
          line.append(shown > 1 ? ", " : "").append(id);
        }
      }
      return line.length() > 150 ? line.substring(0, 147) + "..." : line.toString();
    }

    @Override
    synchronized void interrupted() {
      above("Interrupted: starting nothing new, stopping running tasks");
    }

    @Override
    public void close() {
      redraw.shutdownNow();
      draw();
      out.println();
    }
  }
}
