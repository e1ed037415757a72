package io.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a run changes belongs to its {@link Sluice} instance: two instances in one JVM, with their
 * own parameter values and state directories, run side by side without touching each other.
 */
class RunScopedStateTest {

  /** Both runs wait here, so that each is in the middle of its run while the other is. */
  static volatile CyclicBarrier together;

  @TempDir
  Path dir;

  /** Its id is the same in both runs: the directory is not significant. */
  record Prepare(@Param(significant = false) Path dir) implements Task {
    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("prepared.txt"));
    }

    public void run(TaskContext ctx) throws Exception {
      together.await(20, TimeUnit.SECONDS);
      output().writeString("prepared");
    }
  }

  record Train(Path dir, @Param(defaultValue = "0.5") double alpha) implements Task {
    public List<Task> requires() {
      return List.of(new Prepare(dir));
    }

    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("train.txt"));
    }

    public void run(TaskContext ctx) throws Exception {
      // Created while running, on a worker thread: still this run's values.
      Train again = Tasks.create(Train.class, Map.of("dir", dir));
      output().writeString(alpha + " " + again.alpha());
    }
  }

  /** Reads its upstream task's parameters from outside the code, as {@code sluice run} does. */
  record Report(Path dir) implements Task {
    public List<Task> requires() {
      return List.of(Tasks.create(Train.class, Map.of("dir", dir)));
    }

    public LocalTarget output() {
      return LocalTarget.of(dir.resolve("report.txt"));
    }

    public void run(TaskContext ctx) throws Exception {
      output().writeString(ctx.<LocalTarget>input().readString());
    }
  }

  private static ParameterValues alpha(String value) {
    return new ParameterValues(Map.of("Train", Map.of("alpha", value)), Map.of());
  }

  @Test
  void twoInstancesWithTheirOwnValuesAndStateDirectoriesRunSideBySide() throws Exception {
    together = new CyclicBarrier(2);
    Path one = dir.resolve("one");
    Path two = dir.resolve("two");
    Sluice first = Sluice.builder().workers(2).parameterValues(alpha("0.1"))
        .stateDir(one.resolve(".sluice")).lockTimeout(Duration.ZERO).build();
    Sluice second = Sluice.builder().workers(2).parameterValues(alpha("0.9"))
        .stateDir(two.resolve(".sluice")).lockTimeout(Duration.ZERO).build();

    CompletableFuture<RunResult> a = CompletableFuture.supplyAsync(() -> first.run(new Report(one)));
    CompletableFuture<RunResult> b = CompletableFuture.supplyAsync(() -> second.run(new Report(two)));

    assertThat(a.get(60, TimeUnit.SECONDS).exitCode()).isEqualTo(ExitCode.SUCCESS);
    assertThat(b.get(60, TimeUnit.SECONDS).exitCode()).isEqualTo(ExitCode.SUCCESS);
    assertThat(one.resolve("report.txt")).hasContent("0.1 0.1");
    assertThat(two.resolve("report.txt")).hasContent("0.9 0.9");
  }

  @Test
  void theSameTaskUnderTwoStateDirectoriesIsNotHeldBackByTheOtherRun() throws Exception {
    together = new CyclicBarrier(2);
    Path one = dir.resolve("one");
    Path two = dir.resolve("two");
    Sluice first = Sluice.builder().stateDir(one.resolve(".sluice")).lockTimeout(Duration.ZERO).build();
    Sluice second = Sluice.builder().stateDir(two.resolve(".sluice")).lockTimeout(Duration.ZERO).build();

    CompletableFuture<RunResult> a = CompletableFuture.supplyAsync(() -> first.run(new Prepare(one)));
    CompletableFuture<RunResult> b = CompletableFuture.supplyAsync(() -> second.run(new Prepare(two)));

    assertThat(a.get(60, TimeUnit.SECONDS).exitCode()).isEqualTo(ExitCode.SUCCESS);
    assertThat(b.get(60, TimeUnit.SECONDS).exitCode()).isEqualTo(ExitCode.SUCCESS);
  }

  @Test
  void graphsAreBuiltWithTheInstancesValues() throws Exception {
    Sluice sluice = Sluice.builder().parameterValues(alpha("0.3")).stateDir(dir.resolve(".sluice")).build();

    TaskGraph graph = sluice.graph(List.of(new Report(dir)), true);

    assertThat(graph.requires(new Report(dir))).containsExactly(new Train(dir, 0.3));
  }

  @Test
  void outsideARunTasksTakeTheirDefaults() {
    assertThat(Tasks.create(Train.class, Map.of("dir", dir)).alpha()).isEqualTo(0.5);
    assertThat(Tasks.create(Train.class, Map.of("dir", dir), alpha("0.7")).alpha()).isEqualTo(0.7);
  }
}
