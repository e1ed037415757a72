package io.sluice.cli;

import io.sluice.TaskEvent;
import io.sluice.TaskId;
import io.sluice.TaskListener;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows a run as it goes: on a terminal, one live line redrawn ten times a second (done,
 * running, pending, failed, the tasks running now); elsewhere, a log line per event.
 */
abstract class ProgressDisplay implements TaskListener, AutoCloseable {

  static ProgressDisplay create(PrintStream out, boolean liveAllowed) {
    boolean terminal = System.console() != null && !"dumb".equals(System.getenv("TERM"));
    return liveAllowed && terminal ? new Live(out) : new Lines();
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

    @Override
    public void graphBuilt(int total, int toRun) {
      LOG.info("{} tasks in the graph, {} to run", total, toRun);
    }

    @Override
    public void onEvent(TaskEvent event) {
      switch (event.kind()) {
        case STARTED -> LOG.info("Running {}{}", event.id(), event.attempt() > 1 ? " (attempt " + event.attempt() + ")" : "");
        case SUCCEEDED -> LOG.info("Done {} in {}", event.id(), seconds(event.elapsed()));
        case FAILED -> LOG.error("FAILED {}: {}", event.id(), event.message());
        case RETRYING -> LOG.warn("Retrying {}: {}", event.id(), event.message());
        case MISSING -> LOG.error("MISSING {}: {}", event.id(), event.message());
        case SKIPPED -> LOG.warn("Not running {}: {}", event.id(), event.message());
        case COMPLETE -> LOG.info("Complete {}{}", event.id(), event.message().isEmpty() ? "" : " (" + event.message() + ")");
        case NOTE -> LOG.info("{}: {}", event.id(), event.message());
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

  /** One line, redrawn. Failures are printed above it as they happen. */
  static final class Live extends ProgressDisplay {
    private final PrintStream out;
    private final ScheduledExecutorService redraw = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "sluice-progress");
      thread.setDaemon(true);
      return thread;
    });
    private final Set<TaskId> running = new LinkedHashSet<>();
    private int total;
    private int done;
    private int failed;
    private int skipped;
    private String lastLine = "";

    Live(PrintStream out) {
      this.out = out;
      redraw.scheduleAtFixedRate(this::draw, 100, 100, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void graphBuilt(int total, int toRun) {
      this.total = toRun;
    }

    @Override
    public synchronized void onEvent(TaskEvent event) {
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
              + event.message().lines().findFirst().orElse(""));
        }
        case RETRYING -> above("retrying " + event.id() + ": " + event.message().lines().findFirst().orElse(""));
        case NOTE -> above(event.id() + ": " + event.message());
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
      int pending = Math.max(0, total - done - failed - skipped - running.size());
      StringBuilder line = new StringBuilder()
          .append(done).append(" done, ").append(running.size()).append(" running, ")
          .append(pending).append(" pending, ").append(failed).append(" failed");
      if (skipped > 0) {
        line.append(", ").append(skipped).append(" not run");
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
      String text = line.length() > 150 ? line.substring(0, 147) + "..." : line.toString();
      if (!text.equals(lastLine)) {
        lastLine = text;
        out.print("\r\033[2K" + text);
        out.flush();
      }
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
