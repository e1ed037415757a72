package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task is run once however many runs work on the project: a run that finds a task completed
 * by another since it built its graph does not run it again, unless its outputs predate what
 * this run rebuilt upstream. Two {@link Sluice} instances in one JVM stand for two processes:
 * they share the project and its task locks the same way.
 */
class OnceOnlyTest {

  static Path dir;
  static final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

  @BeforeEach
  void setUp(@TempDir Path tempDir) {
    dir = tempDir;
    runs.clear();
  }

  record Step(String name, List<Step> deps) implements Task {
    Step(String name, Step... deps) {
      this(name, List.of(deps));
    }

    public List<Step> requires() {
      return deps;
    }

    public LocalTarget output() {
      return LocalTarget.of(dir.resolve(name + ".txt"));
    }

    public void run(TaskContext ctx) throws Exception {
      runs.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
      StringBuilder content = new StringBuilder(name);
      for (Target input : ctx.inputs()) {
        content.append(" <- ").append(((LocalTarget) input).readString());
      }
      output().writeString(content.toString());
    }
  }

  private static Sluice sluice(TaskListener... listeners) {
    Sluice.Builder builder = Sluice.builder().workers(1).stateDir(dir.resolve(".sluice"));
    for (TaskListener listener : listeners) {
      builder.listener(listener);
    }
    return builder.build();
  }

  /** Calls {@code action} once, when {@code task} has the event {@code kind}. */
  private static TaskListener on(TaskEvent.Kind kind, Task task, Runnable action) {
    return new TaskListener() {
      @Override
      public void onEvent(TaskEvent event) {
        if (event.kind() == kind && event.id().equals(task.id())) {
          action.run();
        }
      }
    };
  }

  @Test
  void aRunThatCannotJoinTheOthersRefusesToRunTasksButStillFindsNothingToDo() throws Exception {
    // A run alone holds its tasks without the kernel's locks: one it cannot see must not run any.
    Files.createDirectories(dir.resolve(".sluice/runs"));
    Step source = new Step("source");

    RunResult refused = sluice().run(source);

    assertThat(refused.exitCode()).isEqualTo(ExitCode.SCHEDULING_ERROR);
    assertThat(refused.verdict()).contains("cannot join the other runs of this project through",
        dir.resolve(".sluice/runs").toAbsolutePath().toString(), "run the same task");
    assertThat(runs).isEmpty();
    assertThat(dir.resolve("source.txt")).doesNotExist();

    Files.writeString(dir.resolve("source.txt"), "source");
    RunResult nothingToDo = sluice().run(source);

    assertThat(nothingToDo.exitCode()).isEqualTo(ExitCode.SUCCESS);
    assertThat(runs).isEmpty();
  }

  @Test
  void taskRebuiltByAnotherRunAfterItsDependencyRanHereIsNotRunAgain() {
    Step source = new Step("source");
    Step report = new Step("report", source);
    // As soon as this run has committed the source, "another process" builds the report from it.
    TaskListener other = on(TaskEvent.Kind.SUCCEEDED, source, () -> sluice().run(report));

    RunResult result = sluice(other).run(report);

    assertThat(result.exitCode()).isEqualTo(ExitCode.SUCCESS);
    assertThat(result.status(source)).isEqualTo(TaskStatus.DONE);
    assertThat(result.status(report)).isEqualTo(TaskStatus.COMPLETE);
    assertThat(runs.get("report")).hasValue(1);
    assertThat(runs.get("source")).hasValue(1);
  }

  @Test
  void outputWrittenBeforeItsDependencyRanHereIsStaleAndTheTaskRuns() {
    Step source = new Step("source");
    Step report = new Step("report", source);
    // While this run builds the source, a report made earlier from an older source appears.
    TaskListener stale = on(TaskEvent.Kind.STARTED, source, () -> {
      TestFiles.write(report.output().path(), "report <- an older source");
      try {
        Files.setLastModifiedTime(report.output().path(), FileTime.from(Instant.now().minusSeconds(60)));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });

    RunResult result = sluice(stale).run(report);

    assertThat(result.status(report)).isEqualTo(TaskStatus.DONE);
    assertThat(TestFiles.read(report.output().path())).isEqualTo("report <- source");
  }

  @Test
  void forcedTaskRunsAgainAfterItsForcedUpstreamAlthoughComplete() {
    Step source = new Step("source");
    Step middle = new Step("middle", source);
    Step report = new Step("report", middle);
    sluice().run(report);

    RunResult result = Sluice.builder().stateDir(dir.resolve(".sluice")).forceUpstream(java.util.Set.of("Step"))
        .build().run(report);

    assertThat(result.count(TaskStatus.DONE)).isEqualTo(3);
    assertThat(runs.get("source")).hasValue(2);
    assertThat(runs.get("middle")).hasValue(2);
    assertThat(runs.get("report")).hasValue(2);
  }

  /** Writes {@code step}'s output as something other than a run would: straight to the file. */
  private static void writeBehindTheRunsBack(Step step) {
    try {
      Files.writeString(step.output().path(), step.name() + " by hand");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aRunAloneOnTheProjectDoesNotLookAtATasksOutputsAgainBeforeRunningIt() {
    // Only runs are looked out for: with no other run on the project since the graph was built,
    // the task's outputs cannot have appeared, and are not looked at again (a file status per task).
    Step first = new Step("first");
    Step second = new Step("second", first);

    RunResult result = sluice(on(TaskEvent.Kind.SUCCEEDED, first, () -> writeBehindTheRunsBack(second)))
        .run(second);

    assertThat(result.exitCode()).isEqualTo(ExitCode.SUCCESS);
    assertThat(runs.get("second")).hasValue(1);
  }

  @Test
  void aRunThatAnotherRunJoinedLooksAgainAndFindsTheTaskCompletedMeanwhile() {
    Step first = new Step("first");
    Step second = new Step("second", first);
    Step other = new Step("other");

    RunResult result = sluice(on(TaskEvent.Kind.SUCCEEDED, first, () -> {
      sluice().run(other);
      writeBehindTheRunsBack(second);
    })).run(second);

    assertThat(result.exitCode()).isEqualTo(ExitCode.SUCCESS);
    assertThat(result.status(second)).isEqualTo(TaskStatus.COMPLETE);
    assertThat(runs).doesNotContainKey("second");
  }
}
