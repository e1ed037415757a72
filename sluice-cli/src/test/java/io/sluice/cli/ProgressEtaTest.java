package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.LocalTarget;
import io.sluice.Sluice;
import io.sluice.Task;
import io.sluice.TaskContext;
import io.sluice.TaskEvent;
import io.sluice.TaskGraph;
import io.sluice.TaskId;
import io.sluice.history.HistoryConfig;
import io.sluice.history.HistoryDatabase;
import io.sluice.history.HistoryRecorder;
import io.sluice.history.PastDurations;
import io.sluice.history.RunInfo;
import io.sluice.history.StartedBy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live progress line's ETA: the remaining critical path of the tasks still to run, each
 * expected to take what it took in the history; no history, no ETA.
 */
class ProgressEtaTest {

  @TempDir Path dir;
  private final MovingClock clock = new MovingClock();

  // Fetch -> Clean -> Train -> Report, and Fetch -> Plot -> Report: the first is the critical path.
  record Fetch(String dir) implements Task {
    @Override
    public LocalTarget output() {
      return LocalTarget.of(Path.of(dir, "fetch.txt"));
    }

    @Override
    public void run(TaskContext context) {}
  }

  record Clean(String dir) implements Task {
    @Override
    public List<Task> requires() {
      return List.of(new Fetch(dir));
    }

    @Override
    public LocalTarget output() {
      return LocalTarget.of(Path.of(dir, "clean.txt"));
    }

    @Override
    public void run(TaskContext context) {}
  }

  record Train(String dir) implements Task {
    @Override
    public List<Task> requires() {
      return List.of(new Clean(dir));
    }

    @Override
    public LocalTarget output() {
      return LocalTarget.of(Path.of(dir, "train.txt"));
    }

    @Override
    public void run(TaskContext context) {}
  }

  record Plot(String dir) implements Task {
    @Override
    public List<Task> requires() {
      return List.of(new Fetch(dir));
    }

    @Override
    public LocalTarget output() {
      return LocalTarget.of(Path.of(dir, "plot.txt"));
    }

    @Override
    public void run(TaskContext context) {}
  }

  record Report(String dir) implements Task {
    @Override
    public List<Task> requires() {
      return List.of(new Train(dir), new Plot(dir));
    }

    @Override
    public LocalTarget output() {
      return LocalTarget.of(Path.of(dir, "report.txt"));
    }

    @Override
    public void run(TaskContext context) {}
  }

  @Test
  void theEtaIsTheRemainingCriticalPathOfPastDurationsAndShrinksAsTasksRunAndEnd() throws Exception {
    HistoryConfig history = HistoryConfig.sqlite(dir.resolve("state"));
    String out = dir.resolve("out").toString();
    recordPastRun(history, List.of(new Fetch(out), new Clean(out), new Train(out), new Plot(out), new Report(out)),
        List.of(10, 20, 60, 5, 3));
    TaskGraph graph = Sluice.builder().stateDir(dir.resolve("state")).build().graph(List.of(new Report(out)), false);

    ProgressDisplay.Live live = live(history, 4, graph);

    // Fetch 10 + Clean 20 + Train 60 + Report 3; Plot's branch (10 + 5 + 3) is shorter.
    assertThat(live.line()).contains("ETA 1m 33s");

    live.onEvent(event(TaskEvent.Kind.STARTED, new Fetch(out)));
    clock.advance(Duration.ofSeconds(4));
    assertThat(live.line()).as("Fetch has 6 s of its 10 left").contains("ETA 1m 29s");
    live.onEvent(event(TaskEvent.Kind.SUCCEEDED, new Fetch(out)));
    live.onEvent(event(TaskEvent.Kind.STARTED, new Clean(out)));
    live.onEvent(event(TaskEvent.Kind.STARTED, new Plot(out)));
    clock.advance(Duration.ofSeconds(5));
    assertThat(live.line()).as("Clean 15 s left + Train 60 + Report 3").contains("ETA 1m 18s");

    clock.advance(Duration.ofSeconds(60));
    assertThat(live.line()).as("Clean overran its past: it counts as ending now").contains("ETA 1m 03s");
  }

  @Test
  void oneWorkerMakesTheEtaTheWholeRemainingWorkNotTheCriticalPath() throws Exception {
    HistoryConfig history = HistoryConfig.sqlite(dir.resolve("state"));
    String out = dir.resolve("out").toString();
    recordPastRun(history, List.of(new Fetch(out), new Clean(out), new Train(out), new Plot(out), new Report(out)),
        List.of(10, 20, 60, 5, 3));
    TaskGraph graph = Sluice.builder().stateDir(dir.resolve("state")).build().graph(List.of(new Report(out)), false);

    assertThat(live(history, 1, graph).line()).contains("ETA 1m 38s");
  }

  @Test
  void noHistoryOfATaskToRunMeansNoEta() throws Exception {
    HistoryConfig history = HistoryConfig.sqlite(dir.resolve("state"));
    String out = dir.resolve("out").toString();
    TaskGraph graph = Sluice.builder().stateDir(dir.resolve("state")).build().graph(List.of(new Report(out)), false);

    assertThat(live(history, 4, graph).line()).startsWith("0 done, 0 running, 5 pending, 0 failed").doesNotContain("ETA");

    recordPastRun(history, List.of(new Fetch(out), new Clean(out), new Train(out), new Plot(out)),
        List.of(10, 20, 60, 5));
    assertThat(live(history, 4, graph).line()).as("Report never ran").doesNotContain("ETA");
    assertThat(live(null, 4, graph).line()).as("history off").doesNotContain("ETA");
  }

  private ProgressDisplay.Live live(HistoryConfig history, int workers, TaskGraph graph) {
    Function<Set<String>, PastDurations> past = history == null ? null : families -> {
      try (HistoryDatabase database = HistoryDatabase.open(history)) {
        return database.pastDurations(families, 200);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    };
    ProgressDisplay.Live live = new ProgressDisplay.Live(new PrintStream(new ByteArrayOutputStream()), clock,
        workers, past, Runnable::run);
    live.graphBuilt(graph.tasks().size(), graph.toRun().size());
    live.graphBuilt(graph);
    return live;
  }

  /** A past run in which each task succeeded after so many seconds. */
  private void recordPastRun(HistoryConfig history, List<Task> tasks, List<Integer> seconds) {
    Instant start = Instant.parse("2026-11-29T10:00:00Z");
    RunInfo run = new RunInfo("past-" + tasks.size(), "Report()", "sluice run Report", "alice", "host", 1, "/p",
        null, StartedBy.TERMINAL, start);
    try (HistoryRecorder recorder = HistoryRecorder.builder(history, run).start()) {
      for (int i = 0; i < tasks.size(); i++) {
        TaskId id = TaskId.of(tasks.get(i));
        recorder.onEvent(new TaskEvent(TaskEvent.Kind.STARTED, id, tasks.get(i), 1, start, Duration.ZERO, "", null));
        recorder.onEvent(new TaskEvent(TaskEvent.Kind.SUCCEEDED, id, tasks.get(i), 1,
            start.plusSeconds(seconds.get(i)), Duration.ofSeconds(seconds.get(i)), "", null));
      }
      recorder.exitCode(0);
    }
  }

  private TaskEvent event(TaskEvent.Kind kind, Task task) {
    return new TaskEvent(kind, TaskId.of(task), task, 1, clock.instant(), Duration.ZERO, "", null);
  }

  /** A clock the test moves. */
  private static final class MovingClock extends Clock {
    private Instant now = Instant.parse("2026-11-30T12:00:00Z");

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
